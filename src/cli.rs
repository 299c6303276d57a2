//! The `hailong` command line. Each command is a thin call into `service`, `store` and `web`.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::config::Config;
use crate::error::{Error, Result};
use crate::i18n::Lang;
use crate::service::Services;
use crate::{demo, store, t};

#[derive(Parser, Debug)]
#[command(
    name = "hailong",
    version,
    about = "Đánh giá sự hài lòng và phản ánh hành vi cán bộ — citizen feedback for public-service desks"
)]
pub struct Cli {
    /// Configuration file (default: ./hailong.toml when present; also HAILONG_CONFIG).
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run the web service.
    Serve {
        /// Address to listen on (overrides `listen`).
        #[arg(long, value_name = "IP:PORT")]
        listen: Option<String>,
        /// HTTP worker threads (overrides `workers`; 0 = one per core).
        #[arg(long)]
        workers: Option<usize>,
    },
    /// Load the Tuy Phước demo organisation into the configured database (if empty) and serve.
    Demo {
        #[arg(long, value_name = "IP:PORT")]
        listen: Option<String>,
    },
    /// Apply pending database migrations.
    Migrate,
    /// Organisation file: import and export.
    Org {
        #[command(subcommand)]
        command: OrgCommand,
    },
    /// Write a consistent copy of the SQLite database while the service runs.
    Backup {
        /// Destination file (must not exist).
        file: PathBuf,
    },
}

#[derive(Subcommand, Debug)]
pub enum OrgCommand {
    /// Import (upsert by code) an organisation file; all or nothing.
    Import {
        file: PathBuf,
        /// Deactivate units, officers, desks and roster entries absent from the file.
        #[arg(long)]
        deactivate_missing: bool,
    },
    /// Print the organisation in the import format.
    Export {
        /// Write to a file instead of standard output.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let lang = Lang::from_locale();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let label = match lang {
                Lang::Vi => "lỗi",
                Lang::En => "error",
            };
            for line in e.user_message(lang).lines() {
                eprintln!("{label}: {line}");
            }
            ExitCode::FAILURE
        }
    }
}

pub fn run(cli: Cli) -> Result<()> {
    let mut config = Config::load(cli.config.as_deref())?;
    let serving = matches!(cli.command, Command::Serve { .. } | Command::Demo { .. });
    init_logging(&config, serving);
    match cli.command {
        Command::Serve { listen, workers } => {
            apply_listen(&mut config, listen)?;
            if let Some(w) = workers {
                config.workers = w;
            }
            let services = Services::open(config)?;
            serve(services)
        }
        Command::Demo { listen } => {
            apply_listen(&mut config, listen)?;
            let services = Services::open(config)?;
            let message = demo::prepare(&services)?;
            println!("{message}");
            serve(services)
        }
        Command::Migrate => {
            let db = crate::service::connect(&config)?;
            let n = db.migrate()?;
            let target = db.target().display();
            println!(
                "{}",
                t!("Đã áp dụng {n} migration cho {target}", "Applied {n} migrations to {target}")
                    .get(Lang::from_locale())
            );
            Ok(())
        }
        Command::Org { command: OrgCommand::Import { file, deactivate_missing } } => {
            let services = Services::open(config)?;
            let summary = crate::service::org::import_file(&services.db, &file, deactivate_missing)?;
            print!("{}", summary.render(Lang::from_locale()));
            Ok(())
        }
        Command::Org { command: OrgCommand::Export { output } } => {
            let services = Services::open(config)?;
            let org = services.db.read(store::org::snapshot)?;
            let text = crate::domain::org_file::render(&org);
            match output {
                Some(path) => std::fs::write(path, text)?,
                None => print!("{text}"),
            }
            Ok(())
        }
        Command::Backup { file } => {
            let db = crate::service::connect(&config)?;
            store::backup_sqlite(&db, &file)?;
            let shown = file.display();
            println!("{}", t!("Đã sao lưu vào {shown}", "Backed up to {shown}").get(Lang::from_locale()));
            Ok(())
        }
    }
}

fn apply_listen(config: &mut Config, listen: Option<String>) -> Result<()> {
    if let Some(l) = listen {
        config.listen = l;
        config.listen_addr()?;
    }
    Ok(())
}

fn init_logging(config: &Config, serving: bool) {
    use tracing_subscriber::EnvFilter;
    // Commands print their own results; only the server logs at `info` by default.
    let default = if serving { config.log.as_str() } else { "warn" };
    let filter = EnvFilter::try_from_default_env()
        .or_else(|_| EnvFilter::try_new(default))
        .unwrap_or_else(|_| EnvFilter::new("info"));
    use std::io::IsTerminal;
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .try_init();
}

/// Runs the server until SIGTERM/SIGINT, letting requests in flight finish.
fn serve(services: Services) -> Result<()> {
    let listen: SocketAddr = services.config.listen_addr()?;
    let workers = services.config.workers;
    actix_web::rt::System::new().block_on(async move {
        let listener = std::net::TcpListener::bind(listen)
            .map_err(|e| Error::Invalid(t!("Không mở được cổng {listen}: {e}", "Cannot listen on {listen}: {e}")))?;
        let server = crate::web::server(&services, listener, workers, true)?;
        tracing::info!(addr = %listen, database = %services.db.target().display(), "hailong serving");
        server.await?;
        tracing::info!("hailong stopped");
        Ok(())
    })
}
