//! Signed report links, `{public_url}/r/{token}`: the same token rules as action links (≥ 128
//! bits derived from a random nonce and the secret key; only the token's hash is stored; expiring
//! after `reports.link_days`; revocable; each use logged). A link names its scope and period: the
//! URL carries nothing else a reader could edit to see another unit or month.

use chrono::{DateTime, Duration, Utc};

use super::model::{Report, Yearly};
use super::monthly::{Org, Request, ScopeUnits, Source};
use crate::domain::period::{Month, Period};
use crate::error::{Error, Result};
use crate::service::Services;
use crate::service::links as tokens;
use crate::store::reports::ReportLink;
use crate::store::{self, DbConn};
use crate::t;

/// What a link covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A unit and its subtree, for one month.
    Monthly,
    /// What an oversight unit oversees, for one month.
    MonthlyOversight,
    /// A unit's yearly report (programme year).
    Yearly,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Monthly => "monthly",
            Kind::MonthlyOversight => "monthly_oversight",
            Kind::Yearly => "yearly",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        [Kind::Monthly, Kind::MonthlyOversight, Kind::Yearly].into_iter().find(|k| k.as_str() == s)
    }
}

/// A link to create.
#[derive(Debug, Clone)]
pub struct NewLink {
    pub kind: Kind,
    /// yyyymm, or the year.
    pub period: i32,
    /// The unit at the top of the scope (or the oversight unit); `None` = the whole organisation.
    pub unit_id: Option<i64>,
    /// The reader, when a person: cases about them are never listed to them.
    pub officer_id: Option<i64>,
    pub email: String,
}

/// Stores a link inside the caller's transaction; returns its id. `token_hash` comes from
/// [`crate::service::links::prepare`] (the nonce goes with the email, the token is never stored).
pub fn insert(
    c: &mut DbConn,
    l: &NewLink,
    token_hash: &str,
    expires: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<i64> {
    store::reports::insert_link(
        c,
        token_hash,
        l.kind.as_str(),
        l.period,
        l.unit_id,
        l.officer_id,
        &l.email,
        expires.naive_utc(),
        now.naive_utc(),
    )
}

/// Creates a link now and returns its token (shown once: to print, or to put in an email).
pub fn create(s: &Services, l: &NewLink, now: DateTime<Utc>) -> Result<String> {
    let (nonce, hash) = tokens::prepare(&s.secret);
    let expires = now + Duration::days(i64::from(s.config.reports.link_days));
    let l = l.clone();
    s.db.write(move |c| insert(c, &l, &hash, expires, now))?;
    Ok(tokens::token_for(&s.secret, &nonce))
}

/// The whole-organisation monthly link of a month (the demo prints one).
pub fn for_month(s: &Services, unit: Option<&str>, month: Month, email: &str, now: DateTime<Utc>) -> Result<String> {
    let unit_id = match unit {
        Some(code) => Some(
            s.db.read(|c| store::org::unit_by_code(c, code))?
                .ok_or_else(|| {
                    Error::Invalid(t!("Không có đơn vị mã {code:?}", "There is no unit with code {code:?}"))
                })?
                .id,
        ),
        None => None,
    };
    let l =
        NewLink { kind: Kind::Monthly, period: month.number(), unit_id, officer_id: None, email: email.to_string() };
    create(s, &l, now)
}

/// What the holder of a link may read.
pub enum Opened {
    Monthly(Box<Report>, LinkInfo),
    Yearly(Box<Yearly>, LinkInfo),
    Expired,
    Revoked,
    Unknown,
}

/// About the link that opened a report (for the page's download links and forms).
#[derive(Debug, Clone)]
pub struct LinkInfo {
    pub id: i64,
    pub kind: Kind,
    pub expires_at: DateTime<Utc>,
}

/// Opens a report by its link: checks the token, logs the use (`what`: the format asked for),
/// and builds the report the link names. Reading changes nothing else.
pub fn open(s: &Services, token: &str, what: &str, now: DateTime<Utc>) -> Result<Opened> {
    let Some(link) = check(s, token, "GET", what, now)? else { return Ok(Opened::Unknown) };
    let link = match link {
        Checked::Ok(l) => l,
        Checked::Expired => return Ok(Opened::Expired),
        Checked::Revoked => return Ok(Opened::Revoked),
    };
    let kind = Kind::parse(&link.kind).ok_or_else(|| Error::Other(anyhow::anyhow!("report link of unknown kind")))?;
    let info = LinkInfo { id: link.id, kind, expires_at: link.expires_at.and_utc() };
    let org = s.db.read(Org::load)?;
    match kind {
        Kind::Monthly | Kind::MonthlyOversight => {
            let month =
                Month::from_number(link.period).ok_or_else(|| Error::Other(anyhow::anyhow!("bad link period")))?;
            let scope = scope_of(&org, kind, link.unit_id)?;
            let req = Request {
                unit: None,
                period: Period::month(month),
                reader_officer_id: link.officer_id,
                source: Source::Rollups,
                now,
            };
            Ok(Opened::Monthly(Box::new(super::monthly::build_for(s, &org, &scope, &req)?), info))
        }
        Kind::Yearly => {
            let unit = link.unit_id.and_then(|id| org.unit(id)).map(|u| u.code.clone());
            let y = super::yearly::build(s, unit.as_deref(), link.period, link.officer_id, now)?;
            Ok(Opened::Yearly(Box::new(y), info))
        }
    }
}

pub(crate) fn scope_of(org: &Org, kind: Kind, unit_id: Option<i64>) -> Result<ScopeUnits> {
    let code = unit_id.and_then(|id| org.unit(id)).map(|u| u.code.clone());
    match kind {
        Kind::MonthlyOversight => org.oversight_scope(code.as_deref().unwrap_or_default()),
        _ => org.scope(code.as_deref()),
    }
}

enum Checked {
    Ok(ReportLink),
    Expired,
    Revoked,
}

/// Finds and checks a link, logging the use; `None` for a token that is not ours.
fn check(s: &Services, token: &str, method: &str, what: &str, now: DateTime<Utc>) -> Result<Option<Checked>> {
    let hash = tokens::hash(token.trim());
    let (method, what) = (method.to_string(), what.to_string());
    s.db.write(move |c| {
        let Some(link) = store::reports::link_by_hash(c, &hash)? else { return Ok(None) };
        let (checked, result) = if link.revoked_at.is_some() {
            (Checked::Revoked, "revoked")
        } else if link.expires_at.and_utc() <= now {
            (Checked::Expired, "expired")
        } else {
            (Checked::Ok(link.clone()), "opened")
        };
        store::reports::log_link_use(c, link.id, now.naive_utc(), &method, &what, result)?;
        Ok(Some(checked))
    })
}

/// The link behind a token for a POST (the files form); refused unless valid. Logs the use.
pub(crate) fn for_post(s: &Services, token: &str, what: &str, now: DateTime<Utc>) -> Result<ReportLink> {
    match check(s, token, "POST", what, now)? {
        Some(Checked::Ok(l)) => Ok(l),
        _ => Err(Error::Conflict(t!(
            "Đường dẫn báo cáo không còn hiệu lực. Không có gì thay đổi.",
            "This report link is no longer valid. Nothing changed."
        ))),
    }
}

/// Revokes the links of a month (for one unit, or all); returns how many.
pub fn revoke_month(s: &Services, month: Month, unit: Option<&str>, now: DateTime<Utc>) -> Result<usize> {
    let unit = unit.map(String::from);
    s.db.write(move |c| {
        let unit_id = match &unit {
            Some(code) => Some(
                store::org::unit_by_code(c, code)?
                    .ok_or_else(|| {
                        Error::Invalid(t!("Không có đơn vị mã {code:?}", "There is no unit with code {code:?}"))
                    })?
                    .id,
            ),
            None => None,
        };
        let mut n = 0;
        for kind in [Kind::Monthly, Kind::MonthlyOversight] {
            n += store::reports::revoke_links(c, kind.as_str(), month.number(), unit_id, now.naive_utc())?;
        }
        Ok(n)
    })
}
