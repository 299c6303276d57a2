//! The binary as an operator uses it.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_hailong");

fn hailong(dir: &std::path::Path) -> Command {
    let mut c = Command::new(BIN);
    c.current_dir(dir).env("LANG", "en_US.UTF-8");
    // The suite's own variables must not leak into the service under test.
    for (k, _) in std::env::vars() {
        if k.starts_with("HAILONG_") {
            c.env_remove(k);
        }
    }
    c
}

#[test]
fn config_defaults_file_env_and_bad_key() {
    let dir = tempfile::tempdir().unwrap();
    // Defaults: the database is data/hailong.db under the working directory.
    let out = hailong(dir.path()).arg("migrate").output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(dir.path().join("data/hailong.db").exists());

    // A file sets the data directory; the environment overrides it.
    std::fs::write(dir.path().join("hailong.toml"), "data_dir = \"from-file\"\n").unwrap();
    assert!(hailong(dir.path()).arg("migrate").status().unwrap().success());
    assert!(dir.path().join("from-file/hailong.db").exists());
    assert!(hailong(dir.path()).arg("migrate").env("HAILONG_DATA_DIR", "from-env").status().unwrap().success());
    assert!(dir.path().join("from-env/hailong.db").exists());

    // A wrong key in the file stops start-up, naming key, file and line.
    std::fs::write(dir.path().join("hailong.toml"), "data_dir = \"x\"\n[database]\nurl_typo = \"y\"\n").unwrap();
    let out = hailong(dir.path()).arg("migrate").output().unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("url_typo") && err.contains("hailong.toml") && err.contains("line 3"), "{err}");
    std::fs::remove_file(dir.path().join("hailong.toml")).unwrap();

    // An unknown HAILONG_ variable stops start-up; HAILONG_TEST_ ones are ignored.
    let out = hailong(dir.path()).arg("migrate").env("HAILONG_LISTN", "x").output().unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("HAILONG_LISTN"));
    assert!(hailong(dir.path()).arg("migrate").env("HAILONG_TEST_ANYTHING", "x").status().unwrap().success());

    // Vietnamese is the default language of messages.
    let out = hailong(dir.path()).arg("migrate").env("LANG", "C.UTF-8").env("HAILONG_LISTN", "x").output().unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("không phải là khóa cấu hình"));
}

#[test]
fn command_line_mistakes_are_named_in_vietnamese_first() {
    let dir = tempfile::tempdir().unwrap();
    let run = |lang: &str, args: &[&str]| {
        let out = hailong(dir.path()).args(args).env("LANG", lang).output().unwrap();
        (out.status.code(), String::from_utf8_lossy(&out.stderr).into_owned())
    };
    let (code, err) = run("vi_VN.UTF-8", &["qr", "--format", "gif", "MC-TP"]);
    assert_eq!(code, Some(2));
    assert!(err.starts_with("lỗi: giá trị \"gif\" của --format"), "{err}");
    assert!(err.contains("giá trị hợp lệ: svg, png") && err.contains("invalid value 'gif'"), "{err}");
    let (_, err) = run("vi_VN.UTF-8", &["org", "imprt", "x.toml"]);
    assert!(err.starts_with("lỗi: không có lệnh \"imprt\" (có phải ý bạn là"), "{err}");
    let (_, err) = run("vi_VN.UTF-8", &["qr"]);
    assert!(err.starts_with("lỗi: thiếu đối số bắt buộc: <DESK>"), "{err}");
    // English locale: clap's own message alone; nothing was created either way.
    let (code, err) = run("en_US.UTF-8", &["qr", "--format", "gif", "MC-TP"]);
    assert_eq!(code, Some(2));
    assert!(err.starts_with("error: invalid value 'gif'") && !err.contains("lỗi"), "{err}");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn org_import_errors_name_file_line_and_field() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("org.toml"),
        "[[units]]\ncode = \"A\"\nname = \"UBND xã A\"\nkind = \"UBND xã\"\nparent = \"B\"\n",
    )
    .unwrap();
    let out = hailong(dir.path()).args(["org", "import", "org.toml"]).output().unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("org.toml:5:") && err.contains("field `parent`") && err.contains("\"B\""), "{err}");
    // Nothing was written.
    let out = hailong(dir.path()).args(["org", "export"]).output().unwrap();
    assert!(!String::from_utf8_lossy(&out.stdout).contains("[[units]]"));
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn wait_ready(url: &str) -> bool {
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if let Ok(mut s) = std::net::TcpStream::connect(url.trim_start_matches("http://").split('/').next().unwrap()) {
            use std::io::{Read, Write};
            let _ = write!(s, "GET /readyz HTTP/1.0\r\nHost: x\r\n\r\n");
            let mut body = String::new();
            let _ = s.read_to_string(&mut body);
            if body.contains("\"ready\"") {
                return true;
            }
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    false
}

#[test]
fn demo_serves_then_stops_gracefully_and_refuses_foreign_data() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let mut child = hailong(dir.path())
        .args(["demo", "--listen", &format!("127.0.0.1:{port}")])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let ready = wait_ready(&format!("http://127.0.0.1:{port}"));
    // SIGTERM: finish in-flight requests and exit cleanly.
    unsafe_kill(child.id());
    let status = child.wait().unwrap();
    assert!(ready, "demo never became ready");
    assert!(status.success(), "exit after SIGTERM: {status:?}");
    let mut out = String::new();
    std::io::Read::read_to_string(child.stdout.as_mut().unwrap(), &mut out).unwrap();
    assert!(out.contains(&format!("http://127.0.0.1:{port}/")), "{out}");

    // The demo data is there for the other commands, with no extra flag.
    let out = hailong(dir.path()).args(["org", "export"]).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("UBND xã Tuy Phước Bắc"));

    // Running the demo again reuses it.
    let port = free_port();
    let mut child = hailong(dir.path())
        .args(["demo", "--listen", &format!("127.0.0.1:{port}")])
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    assert!(wait_ready(&format!("http://127.0.0.1:{port}")));
    unsafe_kill(child.id());
    assert!(child.wait().unwrap().success());

    // A database with another organisation: refused, named, unchanged.
    let other = tempfile::tempdir().unwrap();
    std::fs::write(other.path().join("org.toml"), "[[units]]\ncode = \"S\"\nname = \"Sở Nội vụ\"\nkind = \"Sở\"\n")
        .unwrap();
    assert!(hailong(other.path()).args(["org", "import", "org.toml"]).status().unwrap().success());
    let out = hailong(other.path()).args(["demo", "--listen", &format!("127.0.0.1:{}", free_port())]).output().unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("data/hailong.db") && err.contains("another organisation"), "{err}");
    let out = hailong(other.path()).args(["org", "export"]).output().unwrap();
    assert!(!String::from_utf8_lossy(&out.stdout).contains("Tuy Phước"));
}

/// One base for every link of a deployment: the demo on a non-default port records it, and the
/// commands run afterwards from a plain shell (no --listen, no HAILONG_PUBLIC_URL) write the same
/// port into emails, QR codes and posters. A wildcard listen address never reaches a link.
#[test]
fn one_public_url_per_deployment() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let mut child = hailong(dir.path())
        .args(["demo", "--listen", &format!("127.0.0.1:{port}")])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    assert!(wait_ready(&base), "demo never became ready");
    // A report through the API, while the demo runs: its emails are written with the demo's base.
    let run = |args: &[&str]| {
        let out = hailong(dir.path()).args(args).output().unwrap();
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).to_string()
    };
    let printed = run(&["qr", "MC-TUYPHUOC-1", "-o", "q.png"]);
    let token = printed.split("/q/").nth(1).unwrap().split(')').next().unwrap().trim().to_string();
    let body = r#"{"overall":1,"report":{"category":"delay","description":"Hẹn lại ba lần vẫn chưa trả kết quả."}}"#;
    let posted = std::process::Command::new("curl")
        .args(["-fsS", "-X", "POST", "-H", "Content-Type: application/json", "-d", body])
        .arg(format!("{base}/api/v1/desks/{token}/feedback"))
        .output()
        .unwrap();
    assert!(posted.status.success(), "{}", String::from_utf8_lossy(&posted.stderr));
    unsafe_kill(child.id());
    assert!(child.wait().unwrap().success());
    let mut welcome = String::new();
    std::io::Read::read_to_string(child.stdout.as_mut().unwrap(), &mut welcome).unwrap();
    assert!(welcome.contains(&format!("{base}/q/")), "{welcome}");

    // From a plain shell: the server is gone, its base stays.
    let said = run(&["jobs", "run-once", "--at", "2030-01-07T09:00:00+07:00"]);
    assert!(said.contains(&base) && said.contains("recorded"), "{said}");
    let mut links = Vec::new();
    for e in std::fs::read_dir(dir.path().join("data/mail")).unwrap() {
        let p = crate::smtp::parse(&std::fs::read(e.unwrap().path()).unwrap());
        for part in [&p.text, &p.html] {
            links.extend(crate::smtp::links(part, "http"));
        }
    }
    assert!(!links.is_empty());
    for l in &links {
        assert!(l.starts_with(&format!("{base}/")), "{l} is not on the demo's base {base}");
    }
    assert_eq!(decode_qr_png(&dir.path().join("q.png")), format!("{base}/q/{token}"));
    let said = run(&["poster", "MC-TUYPHUOC-1", "-o", "p.svg"]);
    assert!(said.contains(&base), "{said}");
    assert!(std::fs::read_to_string(dir.path().join("p.svg")).unwrap().contains(&format!("127.0.0.1:{port}")));

    // Listening on every address: the machine's LAN address is written, never 0.0.0.0 (or, with
    // no LAN address, the demo asks for HAILONG_PUBLIC_URL and changes nothing).
    let wild = free_port();
    let child = hailong(dir.path())
        .args(["demo", "--listen", &format!("0.0.0.0:{wild}")])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let ready = wait_ready(&format!("http://127.0.0.1:{wild}"));
    if ready {
        unsafe_kill(child.id());
    }
    let out = child.wait_with_output().unwrap();
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    if ready {
        assert!(stdout.contains("LAN"), "the demo says which address it chose: {stdout}");
        assert!(!stdout.contains("http://0.0.0.0") && !stdout.contains("http://[::]"), "{stdout}");
        let said = run(&["poster", "MC-TUYPHUOC-1", "-o", "p2.svg"]);
        assert!(!said.contains("0.0.0.0") && said.contains(&format!(":{wild}")), "{said}");
    } else {
        assert!(stderr.contains("HAILONG_PUBLIC_URL"), "{stderr}");
    }
}

fn unsafe_kill(pid: u32) {
    // SIGTERM through the `kill` command: no libc dependency for one call.
    assert!(Command::new("kill").args(["-TERM", &pid.to_string()]).status().unwrap().success());
}

fn decode_qr_png(path: &std::path::Path) -> String {
    let img = image::open(path).unwrap().to_luma8();
    let mut prepared = rqrr::PreparedImage::prepare(img);
    let grids = prepared.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code in {}", path.display());
    grids[0].decode().unwrap().1
}

#[test]
fn qr_posters_and_rotation_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("org.toml"), crate::support::DEMO_ORG).unwrap();
    assert!(hailong(dir.path()).args(["org", "import", "org.toml"]).status().unwrap().success());
    let public = "http://192.0.2.10:8080";
    let run = |args: &[&str]| {
        let out = hailong(dir.path()).args(args).env("HAILONG_PUBLIC_URL", public).output().unwrap();
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).to_string()
    };
    let token = || {
        let db =
            hailong::store::Db::connect(&dir.path().join("data/hailong.db").display().to_string(), &Default::default())
                .unwrap();
        db.read(|c| hailong::store::org::desk_by_code(c, "MC-PHUOCHUNG")).unwrap().unwrap().token
    };

    // PNG decodes to exactly the desk's public URL.
    run(&["qr", "MC-PHUOCHUNG", "--format", "png", "-o", "q.png"]);
    assert_eq!(decode_qr_png(&dir.path().join("q.png")), format!("{public}/q/{}", token()));
    // SVG, and every desk at once.
    run(&["qr", "MC-PHUOCHUNG", "--format", "svg", "--output", "q.svg"]);
    assert!(std::fs::read_to_string(dir.path().join("q.svg")).unwrap().contains("<svg"));
    run(&["qr", "--all", "--out", "all"]);
    let files: Vec<_> = std::fs::read_dir(dir.path().join("all")).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(files.len(), 14);
    assert!(dir.path().join("all/MC-TP.png").exists());

    // The poster names the unit and the desk and writes the URL out.
    run(&["poster", "MC-PHUOCHUNG", "-o", "poster.svg"]);
    let svg = std::fs::read_to_string(dir.path().join("poster.svg")).unwrap();
    assert!(svg.contains("Bộ phận Một cửa UBND xã Phước Hưng") && svg.contains("UBND xã Phước Hưng"));
    assert!(svg.contains(&format!("{public}/q/{}", token())));
    assert!(svg.contains("width=\"148mm\"") && svg.contains("height=\"210mm\""));

    // Rotation issues a new token; the old one is kept as retired.
    let before = token();
    let out = run(&["desk", "rotate", "MC-PHUOCHUNG"]);
    let after = token();
    assert_ne!(before, after);
    assert!(out.contains(&after), "{out}");

    // Errors: unknown desk, missing arguments.
    let out = hailong(dir.path()).args(["qr", "MC-KHONGCO"]).output().unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("MC-KHONGCO"));
    assert!(!hailong(dir.path()).args(["qr", "--all"]).output().unwrap().status.success());
    assert!(!hailong(dir.path()).args(["poster", "MC-TP"]).output().unwrap().status.success());
}

#[test]
fn calendars_delegations_jobs_audit_and_privacy_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("org.toml"), crate::support::DEMO_ORG).unwrap();
    let run = |args: &[&str]| {
        let out = hailong(dir.path()).args(args).output().unwrap();
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).to_string(),
            String::from_utf8_lossy(&out.stderr).to_string(),
        )
    };
    assert!(run(&["org", "import", "org.toml"]).0);

    // A calendar file: imported whole; a bad one is refused naming file and line, changing nothing.
    std::fs::write(
        dir.path().join("cal.toml"),
        "[[calendars]]\ncode = \"binh-dinh-2027\"\nname = \"Lịch 2027\"\nhours = \"Mon-Fri 07:00-11:30,13:30-17:00\"\n\n[[calendars.days]]\ndate = \"2027-01-01\"\nkind = \"holiday\"\nname = \"Tết Dương lịch\"\n",
    )
    .unwrap();
    let (ok, out, err) = run(&["calendar", "import", "cal.toml"]);
    assert!(ok, "{err}");
    assert!(out.contains("binh-dinh-2027"));
    std::fs::write(dir.path().join("bad.toml"), "[[calendars]]\ncode = \"x\"\nname = \"X\"\n\n[[calendars.days]]\ndate = \"2027-02-30\"\nkind = \"holiday\"\nname = \"?\"\n").unwrap();
    let (ok, _, err) = run(&["calendar", "import", "bad.toml"]);
    assert!(!ok && err.contains("bad.toml:") && err.contains("2027-02-30"), "{err}");
    let (_, out, _) = run(&["calendar", "list"]);
    assert!(
        out.contains("binh-dinh-2027") && out.contains("vn-2026") && out.contains("24x7") && !out.contains("\nx\n")
    );
    // A unit may then use it from the organisation file.
    let org = crate::support::DEMO_ORG.replacen(
        "oversight = \"TP-NV\"\n",
        "oversight = \"TP-NV\"\ncalendar = \"binh-dinh-2027\"\n",
        1,
    );
    std::fs::write(dir.path().join("org2.toml"), org).unwrap();
    let (ok, _, err) = run(&["org", "import", "org2.toml"]);
    assert!(ok, "{err}");
    let (_, out, _) = run(&["org", "export"]);
    assert!(out.contains("calendar = \"binh-dinh-2027\""));

    // Delegation: to a deputy of the same unit only.
    let (ok, out, err) =
        run(&["delegate", "add", "X-PHUOCHUNG", "X-PHUOCHUNG-02", "--from", "2026-01-01", "--until", "2099-12-31"]);
    assert!(ok, "{err}");
    assert!(out.contains('1'));
    let (ok, _, err) =
        run(&["delegate", "add", "X-PHUOCHUNG", "X-PHUOCHUNG-03", "--from", "2026-01-01", "--until", "2026-12-31"]);
    assert!(!ok && err.contains("X-PHUOCHUNG-03"), "a staff member cannot be a delegate: {err}");
    let (ok, _, err) =
        run(&["delegate", "add", "X-PHUOCHUNG", "X-PHUOCHUNG-02", "--from", "2026-12-31", "--until", "2026-01-01"]);
    assert!(!ok && err.contains("--until"), "{err}");
    let (_, out, _) = run(&["delegate", "list"]);
    assert!(out.contains("X-PHUOCHUNG-01 → X-PHUOCHUNG-02"), "{out}");
    assert!(run(&["delegate", "revoke", "1"]).0);
    assert!(!run(&["delegate", "revoke", "1"]).0);
    // Nothing left: said in words, not an empty screen.
    let (ok, out, _) = run(&["delegate", "list"]);
    assert!(ok && out.trim() == "No delegation is in force or to come", "{out}");

    // One round of jobs at a chosen instant; a bad instant is refused.
    let (ok, out, err) = run(&["jobs", "run-once", "--at", "2026-12-01T09:00:00+07:00"]);
    assert!(ok, "{err}");
    assert!(out.contains("0 cases due"), "{out}");
    let (ok, _, err) = run(&["jobs", "run-once", "--at", "tomorrow"]);
    assert!(!ok && err.contains("RFC 3339"), "{err}");

    // The log verifies; the head is printed; a purge with nothing to erase.
    let (ok, out, _) = run(&["audit", "verify"]);
    assert!(ok && out.contains("Log intact"), "{out}");
    let (ok, out, _) = run(&["audit", "head"]);
    assert!(ok && out.starts_with("Ledger: 0 entries;"), "{out}");
    let (ok, out, _) = run(&["privacy", "purge"]);
    assert!(ok && out.contains("0 cases"), "{out}");
}

/// A 2027 arrangement as an operator would write it from an announcement.
const ARRANGEMENT_2027: &str = r#"[[arrangements]]
calendar = "vn"
year = 2027
source = "Thông báo 1/TB-BNV"

[[arrangements.days]]
date = "2027-01-01"
kind = "holiday"
name = "Tết Dương lịch"

[[arrangements.days]]
from = "2027-02-05"
until = "2027-02-14"
kind = "holiday"
name = "Tết Nguyên đán Đinh Mùi"

[[arrangements.days]]
date = "2027-02-20"
kind = "working"
name = "Làm bù"

[[arrangements.days]]
date = "2027-04-16"
kind = "holiday"
name = "Giỗ Tổ Hùng Vương"

[[arrangements.days]]
from = "2027-04-30"
until = "2027-05-03"
kind = "holiday"
name = "30/4 và 1/5"

[[arrangements.days]]
from = "2027-09-02"
until = "2027-09-05"
kind = "holiday"
name = "Quốc khánh"
"#;

#[test]
fn calendar_list_and_year_arrangements_from_the_command_line() {
    use chrono::Datelike;
    let dir = tempfile::tempdir().unwrap();
    let run = |lang: &str, args: &[&str]| {
        let out = hailong(dir.path()).args(args).env("LANG", lang).output().unwrap();
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).to_string(),
            String::from_utf8_lossy(&out.stderr).to_string(),
        )
    };
    let en = "en_US.UTF-8";
    let list = |year: &str| {
        let (ok, out, err) = run(en, &["calendar", "list", "--year", year]);
        assert!(ok, "{err}");
        out
    };

    // Nothing imported: 2026 as announced (built in), 2028 from the statute; each day says where
    // it came from; a calendar without days says so.
    let y2026 = list("2026");
    assert!(y2026.starts_with("vn — ") && y2026.contains("[default; also: vn-2026;"), "{y2026}");
    assert!(y2026.contains("\n  2026 — announced: Văn bản 12729/VPCP-KGVX ngày 25/12/2025"), "{y2026}");
    assert!(y2026.contains("    2026-01-10  Sat  working day      Làm bù ngày 2/1  [announcement]"), "{y2026}");
    assert!(y2026.contains("    2026-02-17  Tue  holiday          Tết Nguyên đán Bính Ngọ  [announcement]"), "{y2026}");
    assert!(y2026.contains("    2026-08-22  Sat  working day      Làm bù cho ngày nghỉ thứ Hai 31/8  [announcement]"));
    assert!(
        y2026.contains("24x7 — Làm việc liên tục 24/7\n  2026: no holiday, day off in lieu or swapped working day")
    );
    let y2028 = list("2028");
    assert!(y2028.contains("\n  2028 — statute: Labour Code 2019, Art. 112"), "{y2028}");
    assert!(y2028.contains("    2028-01-31  Mon  day off in lieu  Nghỉ bù Tết Âm lịch  [statute]"), "{y2028}");
    let (_, vi, _) = run("vi_VN.UTF-8", &["calendar", "list", "--year", "2028"]);
    assert!(vi.contains("  Năm 2028 — theo luật: Bộ luật Lao động 2019, Điều 112"), "{vi}");
    assert!(vi.contains("    2028-01-31  T2   nghỉ bù          Nghỉ bù Tết Âm lịch  [luật]"), "{vi}");
    // By default this year and next; outside the statute's years, nothing, in words.
    let this_year = chrono::Utc::now().with_timezone(&chrono_tz::Asia::Ho_Chi_Minh).year();
    let (_, both, _) = run(en, &["calendar", "list"]);
    for y in [this_year, this_year + 1] {
        assert!(both.contains(&format!("\n  {y}")), "{y}: {both}");
    }
    let y1990 = list("1990");
    assert!(
        y1990.contains("\n  1990: outside the years this calendar computes from the statute (2000–2100)"),
        "{y1990}"
    );
    assert!(
        y1990.contains("24x7 — Làm việc liên tục 24/7\n  1990: no holiday, day off in lieu or swapped working day")
    );
    let (ok, _, err) = run(en, &["calendar", "list", "--year", "20277"]);
    assert!(!ok && err.contains("--year"), "{err}");

    // A 2027 arrangement: 2027 changes, 2026 does not.
    std::fs::write(dir.path().join("2027.toml"), ARRANGEMENT_2027).unwrap();
    let (ok, out, err) = run(en, &["calendar", "import", "2027.toml"]);
    assert!(ok, "{err}");
    assert_eq!(out, "Added the 2027 arrangement of calendar vn (Thông báo 1/TB-BNV); other years are unchanged\n");
    assert_eq!(list("2026"), y2026);
    let y2027 = list("2027");
    assert!(y2027.contains("\n  2027 — announced: Thông báo 1/TB-BNV\n"), "{y2027}");
    assert!(y2027.contains("    2027-02-20  Sat  working day      Làm bù  [announcement]"), "{y2027}");
    assert!(!y2027.contains("[statute]") && !y2027.contains("Nghỉ bù Tết"), "{y2027}");

    // The same year again replaces it, and says so (in Vietnamese by default).
    std::fs::write(dir.path().join("2027b.toml"), ARRANGEMENT_2027.replace("1/TB-BNV", "2/TB-BNV")).unwrap();
    let (ok, out, err) = run("vi_VN.UTF-8", &["calendar", "import", "2027b.toml"]);
    assert!(ok, "{err}");
    assert!(out.contains("Đã thay lịch nghỉ năm 2027 của lịch vn: trước đây \"Thông báo 1/TB-BNV\""), "{out}");
    assert!(list("2027").contains("2027 — announced: Thông báo 2/TB-BNV"));

    // A bad file: every problem with file and line, in Vietnamese then (LANG=en) English; nothing
    // changes.
    let bad = ARRANGEMENT_2027
        .replace("source = \"Thông báo 1/TB-BNV\"", "source = \"Thông báo 3/TB-BNV\"")
        .replace("date = \"2027-01-01\"", "date = \"2028-01-01\"")
        .replace("from = \"2027-09-02\"", "from = \"2027-09-03\"");
    std::fs::write(dir.path().join("bad.toml"), bad).unwrap();
    let (ok, _, err) = run("vi_VN.UTF-8", &["calendar", "import", "bad.toml"]);
    assert!(!ok);
    assert!(
        err.contains("lỗi: bad.toml:7: [[arrangements]] thứ 1 (lịch \"vn\", năm 2027), [[arrangements.days]] thứ 1"),
        "{err}"
    );
    assert!(err.contains("ngày 2028-01-01 không thuộc năm 2027"), "{err}");
    let (_, _, err) = run(en, &["calendar", "import", "bad.toml"]);
    assert!(err.contains("error: bad.toml:7:") && err.contains("2028-01-01 is not in 2027"), "{err}");
    assert!(!err.contains("bad.toml:1:"), "statute checks wait for a well-formed file: {err}");
    let no_holiday = ARRANGEMENT_2027.replace("from = \"2027-09-02\"", "from = \"2027-09-03\"");
    std::fs::write(dir.path().join("bad2.toml"), no_holiday).unwrap();
    let (ok, _, err) = run(en, &["calendar", "import", "bad2.toml"]);
    assert!(!ok && err.contains("error: bad2.toml:1:"), "{err}");
    assert!(err.contains("2027-09-02 (National Day) is a public holiday under the Labour Code 2019"), "{err}");
    assert!(list("2027").contains("2027 — announced: Thông báo 2/TB-BNV"));

    // The statutory calendar's codes cannot be replaced by a whole calendar.
    std::fs::write(dir.path().join("whole.toml"), "[[calendars]]\ncode = \"vn-2026\"\nname = \"Lịch 2026\"\n").unwrap();
    let (ok, _, err) = run(en, &["calendar", "import", "whole.toml"]);
    assert!(!ok && err.contains("whole.toml:2:") && err.contains("import that year's arrangement"), "{err}");
}

#[test]
fn migrate_and_audit_head_say_what_they_print_in_both_languages() {
    let dir = tempfile::tempdir().unwrap();
    let run = |lang: &str, args: &[&str]| {
        let out = hailong(dir.path()).args(args).env("LANG", lang).output().unwrap();
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    };
    // A new database: every migration, named; then nothing to do.
    let migrations = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/sqlite")).unwrap().count();
    let out = run("vi_VN.UTF-8", &["migrate"]);
    assert!(
        out.starts_with(&format!("Đã áp dụng {migrations} migration cho ")) && out.contains("2026-11-28-000001_org"),
        "{out}"
    );
    let out = run("vi_VN.UTF-8", &["migrate"]);
    assert!(
        out.starts_with("Cơ sở dữ liệu ") && out.ends_with("đã ở phiên bản mới nhất; không có gì để áp dụng"),
        "{out}"
    );
    let out = run("en_US.UTF-8", &["migrate"]);
    assert!(out.starts_with("The database ") && out.ends_with(" is up to date; nothing to apply"), "{out}");
    // The ledger head, labelled; Vietnamese by default.
    assert_eq!(run("vi_VN.UTF-8", &["audit", "head"]), "Sổ cái: 0 mục; chưa có mã băm đầu sổ");
    assert_eq!(run("en_US.UTF-8", &["audit", "head"]), "Ledger: 0 entries; no head hash yet");
    let db =
        hailong::store::Db::connect(&dir.path().join("data/hailong.db").display().to_string(), &Default::default())
            .unwrap();
    let hash = "ab".repeat(32);
    let sql = format!("UPDATE ledger_head SET seq = 7, hash = '{hash}'");
    db.write(move |c| Ok(diesel::RunQueryDsl::execute(diesel::sql_query(sql), c)?)).unwrap();
    assert_eq!(run("vi_VN.UTF-8", &["audit", "head"]), format!("Sổ cái: 7 mục; mã băm đầu sổ: {hash}"));
    assert_eq!(run("en_US.UTF-8", &["audit", "head"]), format!("Ledger: 7 entries; head hash: {hash}"));
    let out = run("vi_VN.UTF-8", &["delegate", "list"]);
    assert_eq!(out, "Không có ủy quyền nào đang hoặc sắp có hiệu lực");
}

#[test]
fn usage_lines_show_optional_arguments_as_optional() {
    let dir = tempfile::tempdir().unwrap();
    let help = |args: &[&str]| {
        let out = hailong(dir.path()).args(args).arg("--help").output().unwrap();
        assert!(out.status.success());
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    // `qr` takes a desk or --all: the usage shows both forms, neither as always required.
    let qr = help(&["qr"]);
    let usage: Vec<&str> = qr.lines().skip_while(|l| !l.starts_with("Usage:")).take_while(|l| !l.is_empty()).collect();
    assert_eq!(usage.len(), 2, "{qr}");
    assert!(usage[0].contains("hailong qr") && usage[0].contains("<DESK>"), "{qr}");
    assert!(usage[1].contains("hailong qr --all --out <DIR>") && !usage[1].contains("<DESK>"), "{qr}");
    // Vietnamese first in the descriptions.
    assert!(qr.contains("Mã quầy — desk code"), "{qr}");
    // Every command's usage line: a flag shown without brackets must really be required.
    for (args, required) in [
        (&["serve"][..], &[][..]),
        (&["demo"], &[]),
        (&["migrate"], &[]),
        (&["org", "import"], &["<FILE>"]),
        (&["org", "export"], &[]),
        (&["poster"], &["--output <FILE.svg>", "<DESK>"]),
        (&["desk", "rotate"], &["<DESK>"]),
        (&["jobs", "run-once"], &[]),
        (&["audit", "head"], &[]),
        (&["delegate", "add"], &["--from <YYYY-MM-DD>", "--until <YYYY-MM-DD>", "<UNIT>", "<DEPUTY>"]),
        (&["delegate", "revoke"], &["<ID>"]),
        (&["backup"], &["<FILE>"]),
    ] {
        let text = help(args);
        let usage = text.lines().find(|l| l.starts_with("Usage:")).unwrap();
        let bare: Vec<&str> = usage.split_whitespace().skip(1 + args.len() + 1).collect();
        // What is outside [...] in the usage line is what the parser insists on.
        let mut outside = Vec::new();
        let mut depth = 0;
        for w in &bare {
            if depth == 0 && !w.starts_with('[') {
                outside.push(*w);
            }
            depth += w.matches('[').count() as i32 - w.matches(']').count() as i32;
        }
        assert_eq!(outside.join(" "), required.join(" "), "{args:?}: {usage}");
    }
}
