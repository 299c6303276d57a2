//! A desk as a citizen's scan finds it.

use chrono::{DateTime, Utc};

use crate::domain::codes;
use crate::domain::hours::WeeklyHours;
use crate::error::{Error, Result};
use crate::service::Services;
use crate::store::org::{Desk, Officer, Unit};
use crate::store::{DbConn, org};
use crate::{print, t};

/// Local time of the desks and offices (DESIGN.md §4).
pub const TZ: chrono_tz::Tz = chrono_tz::Asia::Ho_Chi_Minh;

pub enum Lookup {
    Active(Box<DeskView>),
    /// The desk exists but no longer takes ratings.
    Inactive(Box<Desk>),
    /// The token was replaced by `hailong desk rotate`.
    Replaced,
    Unknown,
}

pub struct DeskView {
    pub desk: Desk,
    pub unit: Unit,
    /// Who a citizen is asked about: on duty now per the roster, else the desk's officers.
    pub on_duty: Vec<Officer>,
    /// Everyone who may be named: rostered at this desk, or active in its unit.
    pub officers: Vec<Officer>,
}

impl DeskView {
    pub fn officer_codes(&self) -> Vec<String> {
        self.officers.iter().map(|o| o.code.clone()).collect()
    }

    pub fn officer_id(&self, code: &str) -> Option<i64> {
        self.officers.iter().find(|o| o.code == code).map(|o| o.id)
    }

    /// Whether `now` is outside the desk's opening hours (holidays: see the calendar).
    pub fn is_outside_hours(&self, now: DateTime<Utc>) -> bool {
        let local = now.with_timezone(&TZ).naive_local();
        self.desk.hours.parse::<WeeklyHours>().map(|h| !h.is_open(local)).unwrap_or(false)
    }
}

pub fn lookup(conn: &mut DbConn, token: &str, now: DateTime<Utc>) -> Result<Lookup> {
    let Some(token) = codes::normalize(token) else { return Ok(Lookup::Unknown) };
    let Some(desk) = org::desk_by_token(conn, &token)? else {
        return Ok(if org::token_retired(conn, &token)? { Lookup::Replaced } else { Lookup::Unknown });
    };
    if !desk.active {
        return Ok(Lookup::Inactive(Box::new(desk)));
    }
    let unit = org::unit(conn, desk.unit_id)?;
    let rostered = org::roster_for_desk(conn, desk.id)?;
    let mut officers: Vec<Officer> = org::active_officers_of_unit(conn, desk.unit_id)?;
    for (_, o) in &rostered {
        if !officers.iter().any(|x| x.id == o.id) {
            officers.push(o.clone());
        }
    }
    officers.sort_by(|a, b| a.name.cmp(&b.name));
    let local = now.with_timezone(&TZ).naive_local();
    let mut on_duty: Vec<Officer> = rostered.iter().filter(|(r, _)| r.covers(local)).map(|(_, o)| o.clone()).collect();
    on_duty.sort_by(|a, b| a.name.cmp(&b.name));
    on_duty.dedup_by_key(|o| o.id);
    if on_duty.is_empty() {
        on_duty = officers.clone();
    }
    Ok(Lookup::Active(Box::new(DeskView { desk, unit, on_duty, officers })))
}

/// The public URL a desk's QR code carries.
pub fn desk_url(public_url: &str, desk: &Desk) -> String {
    format!("{public_url}/q/{}", desk.token)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum QrFormat {
    Svg,
    Png,
}

impl QrFormat {
    pub fn extension(self) -> &'static str {
        match self {
            QrFormat::Svg => "svg",
            QrFormat::Png => "png",
        }
    }
}

/// An active desk by code, or an error naming it.
pub fn active_desk(s: &Services, code: &str) -> Result<(Desk, Unit)> {
    s.db.read(|c| {
        let desk = org::desk_by_code(c, code)?
            .ok_or_else(|| Error::NotFound(t!("Không có quầy mã {code:?}", "There is no desk with code {code:?}")))?;
        if !desk.active {
            return Err(Error::Invalid(t!(
                "Quầy {code:?} đã ngừng hoạt động nên không in mã QR",
                "Desk {code:?} is inactive, so no QR code is printed for it"
            )));
        }
        let unit = org::unit(c, desk.unit_id)?;
        Ok((desk, unit))
    })
}

/// A desk's QR code (PNG or SVG bytes).
pub fn qr(s: &Services, desk: &Desk, format: QrFormat) -> Result<Vec<u8>> {
    let url = desk_url(&s.config.public_url(), desk);
    let bytes = match format {
        QrFormat::Png => print::qr_png(&url, 12),
        QrFormat::Svg => print::qr_svg(&url).map(String::into_bytes),
    };
    bytes.map_err(|e| Error::Other(e.into()))
}

/// The A5 poster of a desk.
pub fn poster(s: &Services, code: &str) -> Result<String> {
    let (desk, unit) = active_desk(s, code)?;
    let url = desk_url(&s.config.public_url(), &desk);
    print::poster_svg(&print::PosterInfo {
        unit_name: &unit.name,
        desk_name: &desk.name,
        location: &desk.location,
        url: &url,
    })
    .map_err(|e| Error::Other(e.into()))
}

/// Gives a desk a new token (its old posters then answer "replaced"); returns the new URL.
pub fn rotate(s: &Services, code: &str, now: DateTime<Utc>) -> Result<String> {
    let token = codes::new_desk_token(&mut rand::rng());
    let desk = s.db.write(|c| {
        let desk = org::desk_by_code(c, code)?
            .ok_or_else(|| Error::NotFound(t!("Không có quầy mã {code:?}", "There is no desk with code {code:?}")))?;
        org::rotate_token(c, desk.id, &token, now.naive_utc())?;
        Ok(Desk { token: token.clone(), ..desk })
    })?;
    Ok(desk_url(&s.config.public_url(), &desk))
}
