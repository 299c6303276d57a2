fn main() -> std::process::ExitCode {
    hailong::cli::main()
}
