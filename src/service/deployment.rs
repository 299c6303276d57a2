//! The deployment's public address: the base of every QR code, poster and email link. One base
//! per deployment, whichever process writes the link: the configured `public_url`; else the one
//! the server derived from its listen address and recorded in the database; else (no server has
//! run yet) the listen address. A wildcard listen address (`0.0.0.0`, `[::]`) is never written
//! into a link: the server uses the machine's LAN address instead, or asks for
//! `HAILONG_PUBLIC_URL`.

use std::net::{IpAddr, SocketAddr, UdpSocket};

use chrono::{DateTime, Utc};

use crate::config::Config;
use crate::error::{Error, Result};
use crate::i18n::{Lang, Text};
use crate::service::Services;
use crate::store::{self, settings};
use crate::t;

/// Where the base came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// `public_url` in the configuration (or `HAILONG_PUBLIC_URL`).
    Configured,
    /// Derived by a server of this deployment and recorded in the database.
    Recorded,
    /// The listen address of this process (no server has recorded one yet).
    Listen,
}

/// The base of links, and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicUrl {
    pub url: String,
    pub source: Source,
}

impl PublicUrl {
    /// "http://… (from the configuration)", for commands that print or encode links.
    pub fn describe(&self) -> Text {
        let url = &self.url;
        let mut text = match self.source {
            Source::Configured => t!("{url} (theo cấu hình public_url)", "{url} (from the public_url setting)"),
            Source::Recorded => {
                t!("{url} (địa chỉ máy chủ đã ghi lại khi chạy)", "{url} (recorded by the server when it started)")
            }
            Source::Listen => t!(
                "{url} (địa chỉ lắng nghe mặc định; chưa có máy chủ nào ghi lại địa chỉ)",
                "{url} (the default listen address; no server has recorded an address yet)"
            ),
        };
        if is_loopback(url) {
            let note = t!(
                "; điện thoại không mở được địa chỉ 127.0.0.1 — đặt HAILONG_PUBLIC_URL=http://ĐỊA_CHỈ_MÁY:CỔNG để quét bằng điện thoại",
                "; phones cannot open a 127.0.0.1 address — set HAILONG_PUBLIC_URL=http://THIS_MACHINE:PORT to scan with a phone"
            );
            text = Text::new(text.vi + &note.vi, text.en + &note.en);
        }
        text
    }
}

/// Whether a base points at this machine only.
pub fn is_loopback(url: &str) -> bool {
    host_of(url).is_some_and(|h| h == "localhost" || h.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback()))
}

fn host_of(url: &str) -> Option<&str> {
    let rest = url.split_once("://")?.1;
    let authority = rest.split('/').next()?;
    if let Some(v6) = authority.strip_prefix('[') {
        return v6.split(']').next();
    }
    authority.rsplit_once(':').map(|(h, _)| h).or(Some(authority))
}

/// The base for this process before any server of it ran: configured, else recorded, else the
/// listen address (a wildcard one is refused when links are made, see [`for_links`]).
pub fn resolve(config: &Config, recorded: Option<String>) -> PublicUrl {
    if let Some(u) = &config.public_url {
        return PublicUrl { url: u.trim_end_matches('/').to_string(), source: Source::Configured };
    }
    if let Some(u) = recorded {
        return PublicUrl { url: u, source: Source::Recorded };
    }
    PublicUrl { url: format!("http://{}", config.listen), source: Source::Listen }
}

/// The base a server listening on `listen` writes into links when none is configured: the listen
/// address, or for a wildcard one the machine's LAN address (found without sending anything).
pub fn derive(listen: SocketAddr) -> Result<String> {
    if !listen.ip().is_unspecified() {
        return Ok(format!("http://{listen}"));
    }
    let port = listen.port();
    match lan_address(listen.ip()) {
        Some(ip) => Ok(format!("http://{}", SocketAddr::new(ip, port))),
        None => Err(Error::Invalid(t!(
            "Máy chủ lắng nghe trên mọi địa chỉ ({listen}) nhưng không tìm được địa chỉ mạng LAN của máy để ghi vào mã QR và thư. Hãy đặt địa chỉ công khai, ví dụ HAILONG_PUBLIC_URL=http://192.168.1.10:{port}",
            "The server listens on every address ({listen}) but the machine's LAN address could not be found for QR codes and emails. Set the public address, e.g. HAILONG_PUBLIC_URL=http://192.168.1.10:{port}"
        ))),
    }
}

/// The address this machine would use to reach the network: a UDP socket "connected" to a
/// documentation address sends nothing but picks the outgoing interface.
fn lan_address(wildcard: IpAddr) -> Option<IpAddr> {
    let tries: &[(&str, &str)] = match wildcard {
        IpAddr::V6(_) => &[("[::]:0", "[2001:db8::1]:80"), ("0.0.0.0:0", "192.0.2.1:80")],
        IpAddr::V4(_) => &[("0.0.0.0:0", "192.0.2.1:80")],
    };
    tries.iter().find_map(|(bind, to)| {
        let s = UdpSocket::bind(bind).ok()?;
        s.connect(to).ok()?;
        let ip = s.local_addr().ok()?.ip();
        (!ip.is_unspecified() && !ip.is_loopback()).then_some(ip)
    })
}

/// A server starting on `listen`: fixes this deployment's base (configured, or derived and
/// recorded so every other process writes the same links) and returns it.
pub fn fix_for_serving(s: &Services, listen: SocketAddr, now: DateTime<Utc>) -> Result<PublicUrl> {
    if s.public_url_source() == Source::Configured {
        return Ok(s.public_url_full());
    }
    let url = derive(listen)?;
    let value = url.clone();
    s.db.write(move |c| settings::put(c, settings::PUBLIC_URL, &value, now.naive_utc()))?;
    let fixed = PublicUrl { url, source: Source::Recorded };
    s.set_public_url(fixed.clone());
    Ok(fixed)
}

/// The recorded base, if a server of this deployment recorded one.
pub fn recorded(db: &store::Db) -> Result<Option<String>> {
    db.read(|c| settings::get(c, settings::PUBLIC_URL))
}

/// What to say at start-up about the base, in `lang`.
pub fn startup_note(u: &PublicUrl, lang: Lang) -> String {
    let d = u.describe();
    match lang {
        Lang::Vi => format!("Địa chỉ công khai (trong mã QR và thư): {}", d.vi),
        Lang::En => format!("Public address (in QR codes and emails): {}", d.en),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn configured_then_recorded_then_listen() {
        let mut c = Config { listen: "127.0.0.1:18480".into(), ..Config::default() };
        assert_eq!(resolve(&c, None), PublicUrl { url: "http://127.0.0.1:18480".into(), source: Source::Listen });
        let rec = Some("http://10.0.0.5:8080".to_string());
        assert_eq!(resolve(&c, rec.clone()).source, Source::Recorded);
        c.public_url = Some("https://hailong.example.gov.vn/".into());
        assert_eq!(
            resolve(&c, rec),
            PublicUrl { url: "https://hailong.example.gov.vn".into(), source: Source::Configured }
        );
    }

    #[test]
    fn a_wildcard_is_never_a_base() {
        assert_eq!(derive("127.0.0.1:18480".parse().unwrap()).unwrap(), "http://127.0.0.1:18480");
        for wild in ["0.0.0.0:8080", "[::]:8080"] {
            match derive(wild.parse().unwrap()) {
                Ok(url) => {
                    assert!(!url.contains("0.0.0.0") && !url.contains("[::]"), "{url}");
                    assert!(url.ends_with(":8080"), "{url}");
                }
                Err(e) => assert!(e.user_message(Lang::Vi).contains("HAILONG_PUBLIC_URL")),
            }
        }
    }

    #[test]
    fn loopback_bases_are_named() {
        assert!(is_loopback("http://127.0.0.1:8080") && is_loopback("http://localhost:8080"));
        assert!(is_loopback("http://[::1]:8080"));
        assert!(!is_loopback("http://192.168.1.10:8080") && !is_loopback("https://hailong.example.gov.vn"));
        let d = PublicUrl { url: "http://127.0.0.1:8080".into(), source: Source::Listen }.describe();
        assert!(d.vi.contains("điện thoại không mở được") && d.en.contains("phones cannot"));
    }
}
