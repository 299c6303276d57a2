//! A desk as a citizen's scan finds it.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};

use crate::domain::calendar::Calendar;
use crate::domain::codes;
use crate::domain::hours::WeeklyHours;
use crate::domain::org::RosterSpec;
use crate::error::{Error, Result};
use crate::service::Services;
use crate::service::calendars::Calendars;
use crate::store::org::{Desk, Officer, Unit};
use crate::store::{DbConn, org};
use crate::{print, t};

/// What a scanned token leads to.
pub enum Lookup {
    Active(Arc<DeskData>),
    /// The desk exists but no longer takes ratings.
    Inactive,
    /// The token was replaced by `hailong desk rotate`.
    Replaced,
    Unknown,
}

/// A desk with everything its form needs, loaded once and cached for a few seconds.
pub struct DeskData {
    pub desk: Desk,
    pub unit: Unit,
    pub hours: Option<WeeklyHours>,
    /// The unit's working calendar: its holidays close the desk.
    pub calendar: Arc<Calendar>,
    /// Active roster entries with their officers.
    pub rostered: Vec<(RosterSpec, Officer)>,
    /// Everyone who may be named: rostered at this desk, or active in its unit; by name.
    pub officers: Vec<Officer>,
}

/// A desk as seen at one instant: who is on duty depends on the time.
pub struct DeskView {
    pub data: Arc<DeskData>,
    /// Who a citizen is asked about: on duty now per the roster, else the desk's officers.
    pub on_duty: Vec<Officer>,
}

impl DeskData {
    pub fn at(self: &Arc<Self>, now: DateTime<Utc>) -> DeskView {
        let local = now.with_timezone(&crate::domain::LOCAL_TZ).naive_local();
        let mut on_duty: Vec<Officer> =
            self.rostered.iter().filter(|(r, _)| r.covers(local)).map(|(_, o)| o.clone()).collect();
        on_duty.sort_by(|a, b| a.name.cmp(&b.name));
        on_duty.dedup_by_key(|o| o.id);
        if on_duty.is_empty() {
            on_duty = self.officers.clone();
        }
        DeskView { data: self.clone(), on_duty }
    }
}

impl DeskView {
    pub fn desk(&self) -> &Desk {
        &self.data.desk
    }

    pub fn unit(&self) -> &Unit {
        &self.data.unit
    }

    pub fn officers(&self) -> &[Officer] {
        &self.data.officers
    }

    /// Who a citizen may name as having served them, as (code, "name — title").
    pub fn on_duty_choices(&self) -> Vec<(String, String)> {
        self.on_duty.iter().map(|o| (o.code.clone(), o.label())).collect()
    }

    /// Everyone a report may name, as (code, "name — title").
    pub fn officer_choices(&self) -> Vec<(String, String)> {
        self.data.officers.iter().map(|o| (o.code.clone(), o.label())).collect()
    }

    pub fn officer_codes(&self) -> Vec<String> {
        self.data.officers.iter().map(|o| o.code.clone()).collect()
    }

    pub fn officer_id(&self, code: &str) -> Option<i64> {
        self.data.officers.iter().find(|o| o.code == code).map(|o| o.id)
    }

    /// Whether `now` is outside the desk's opening hours, holidays of its calendar included.
    pub fn is_outside_hours(&self, now: DateTime<Utc>) -> bool {
        self.data.hours.as_ref().is_some_and(|h| !self.data.calendar.desk_open(h, now))
    }
}

/// A desk by the token a citizen scanned or typed: from the cache, else the database (off the
/// async threads).
pub async fn find(s: &Services, token: &str) -> Result<Lookup> {
    let Some(canonical) = codes::normalize(token) else { return Ok(Lookup::Unknown) };
    if let Some(data) = s.desks.get(&canonical) {
        return Ok(Lookup::Active(data));
    }
    let (s2, key) = (s.clone(), canonical.clone());
    let found = crate::service::blocking(move || s2.db.read(|c| lookup(c, &key, &s2.calendars()))).await?;
    if let Lookup::Active(data) = &found {
        s.desks.put(&canonical, data.clone());
    }
    Ok(found)
}

pub fn lookup(conn: &mut DbConn, token: &str, calendars: &Calendars) -> Result<Lookup> {
    let Some(token) = codes::normalize(token) else { return Ok(Lookup::Unknown) };
    let Some(desk) = org::desk_by_token(conn, &token)? else {
        return Ok(if org::token_retired(conn, &token)? { Lookup::Replaced } else { Lookup::Unknown });
    };
    if !desk.active {
        return Ok(Lookup::Inactive);
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
    let hours = desk.hours.parse().ok();
    let calendar = calendars.for_unit(unit.calendar.as_deref());
    Ok(Lookup::Active(Arc::new(DeskData { desk, unit, hours, calendar, rostered, officers })))
}

/// Recently looked-up desks by token. A scan needs no database round trip while its desk is
/// cached; changes made in this process clear it at once, changes by another process (the CLI,
/// another instance) show within the time to live.
pub struct DeskCache {
    ttl: Duration,
    map: RwLock<HashMap<String, (Instant, Arc<DeskData>)>>,
}

impl DeskCache {
    pub fn new(ttl: Duration) -> DeskCache {
        DeskCache { ttl, map: RwLock::new(HashMap::new()) }
    }

    pub fn get(&self, token: &str) -> Option<Arc<DeskData>> {
        let map = self.map.read().unwrap_or_else(|p| p.into_inner());
        map.get(token).filter(|(at, _)| at.elapsed() < self.ttl).map(|(_, d)| d.clone())
    }

    pub fn put(&self, token: &str, data: Arc<DeskData>) {
        if self.ttl.is_zero() {
            return;
        }
        let mut map = self.map.write().unwrap_or_else(|p| p.into_inner());
        // Only real desks' tokens get here, so the map stays as small as the organisation.
        map.retain(|_, (at, _)| at.elapsed() < self.ttl);
        map.insert(token.to_string(), (Instant::now(), data));
    }

    pub fn clear(&self) {
        self.map.write().unwrap_or_else(|p| p.into_inner()).clear();
    }
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
    let url = desk_url(&s.public_url(), desk);
    let bytes = match format {
        QrFormat::Png => print::qr_png(&url, 12),
        QrFormat::Svg => print::qr_svg(&url).map(String::into_bytes),
    };
    bytes.map_err(|e| Error::Other(e.into()))
}

/// The A5 poster of a desk.
pub fn poster(s: &Services, code: &str) -> Result<String> {
    let (desk, unit) = active_desk(s, code)?;
    let url = desk_url(&s.public_url(), &desk);
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
    let (code, new_token) = (code.to_string(), token.clone());
    let desk = s.db.write(move |c| {
        let desk = org::desk_by_code(c, &code)?
            .ok_or_else(|| Error::NotFound(t!("Không có quầy mã {code:?}", "There is no desk with code {code:?}")))?;
        org::rotate_token(c, desk.id, &new_token, now.naive_utc())?;
        Ok(Desk { token: new_token, ..desk })
    })?;
    s.org_changed();
    Ok(desk_url(&s.public_url(), &desk))
}

/// Every active desk's QR code, as (file name, image).
pub fn all_qr(s: &Services, format: QrFormat) -> Result<Vec<(String, Vec<u8>)>> {
    let desks = s.db.read(org::all_desks)?;
    desks
        .iter()
        .filter(|d| d.active)
        .map(|d| Ok((format!("{}.{}", d.code, format.extension()), qr(s, d, format)?)))
        .collect()
}

/// The rating-form address of every active desk, by code.
pub fn form_urls(s: &Services) -> Result<Vec<(String, String, String)>> {
    let base = s.public_url();
    let desks = s.db.read(org::all_desks)?;
    Ok(desks.iter().filter(|d| d.active).map(|d| (d.code.clone(), desk_url(&base, d), d.name.clone())).collect())
}
