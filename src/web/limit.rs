//! Rate limits (the `governor` crate: GCRA, keyed, lock-free) and the client address they key on.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::time::Duration;

use actix_web::HttpRequest;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::config::{CitizenConfig, StaffConfig};

/// Built once per process (not per worker) so every worker shares the same buckets.
pub struct Limiters {
    submit_ip: DefaultKeyedRateLimiter<IpAddr>,
    submit_desk: DefaultKeyedRateLimiter<i64>,
    track_ip: DefaultKeyedRateLimiter<IpAddr>,
    staff_ip: DefaultKeyedRateLimiter<IpAddr>,
    trusted: Vec<IpAddr>,
}

fn per_minute(n: u32) -> Quota {
    Quota::per_minute(NonZeroU32::new(n.max(1)).expect("max(1) is non-zero"))
}

impl Limiters {
    pub fn new(c: &CitizenConfig, staff: &StaffConfig) -> Limiters {
        Limiters {
            submit_ip: RateLimiter::keyed(per_minute(c.ip_per_minute)),
            submit_desk: RateLimiter::keyed(per_minute(c.desk_per_minute)),
            track_ip: RateLimiter::keyed(per_minute(c.track_per_minute)),
            staff_ip: RateLimiter::keyed(per_minute(staff.signin_ip_per_minute)),
            trusted: c.trusted_proxies.iter().filter_map(|p| p.parse().ok()).collect(),
        }
    }

    /// A submission (form or API) from `ip` for `desk`: `Err(wait)` when over a limit.
    pub fn submit(&self, ip: Option<IpAddr>, desk: i64) -> Result<(), Duration> {
        if let Some(ip) = ip {
            check(&self.submit_ip, &ip)?;
        }
        check(&self.submit_desk, &desk)
    }

    pub fn track(&self, ip: Option<IpAddr>) -> Result<(), Duration> {
        match ip {
            Some(ip) => check(&self.track_ip, &ip),
            None => Ok(()),
        }
    }

    /// A console sign-in attempt (a link asked for, a password tried) from `ip`.
    pub fn staff_signin(&self, ip: Option<IpAddr>) -> Result<(), Duration> {
        match ip {
            Some(ip) => check(&self.staff_ip, &ip),
            None => Ok(()),
        }
    }

    /// Drops idle buckets; called now and then so memory does not grow with every address seen.
    pub fn shrink(&self) {
        self.submit_ip.retain_recent();
        self.submit_desk.retain_recent();
        self.track_ip.retain_recent();
        self.staff_ip.retain_recent();
    }

    /// The client's address: the peer, or — when the peer is a trusted proxy — the nearest
    /// untrusted address in `X-Forwarded-For`.
    pub fn client_ip(&self, req: &HttpRequest) -> Option<IpAddr> {
        let peer = req.peer_addr()?.ip();
        if !self.trusted.contains(&peer) {
            return Some(peer);
        }
        let forwarded = req.headers().get("x-forwarded-for").and_then(|v| v.to_str().ok()).unwrap_or("");
        forwarded
            .split(',')
            .rev()
            .filter_map(|s| s.trim().parse::<IpAddr>().ok())
            .find(|ip| !self.trusted.contains(ip))
            .or(Some(peer))
    }
}

fn check<K: std::hash::Hash + Eq + Clone>(l: &DefaultKeyedRateLimiter<K>, key: &K) -> Result<(), Duration> {
    l.check_key(key).map_err(|not_until| not_until.wait_time_from(DefaultClock::default().now()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_per_key() {
        let l = Limiters::new(
            &CitizenConfig { ip_per_minute: 2, desk_per_minute: 100, ..Default::default() },
            &StaffConfig::default(),
        );
        let a: IpAddr = "10.0.0.1".parse().unwrap();
        let b: IpAddr = "10.0.0.2".parse().unwrap();
        assert!(l.submit(Some(a), 1).is_ok());
        assert!(l.submit(Some(a), 1).is_ok());
        let wait = l.submit(Some(a), 1).unwrap_err();
        assert!(wait > Duration::ZERO && wait <= Duration::from_secs(60));
        assert!(l.submit(Some(b), 1).is_ok(), "another address has its own bucket");
    }
}
