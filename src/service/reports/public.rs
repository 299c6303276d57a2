//! A desk's results for citizens: last month's ratings, satisfaction rate, level shares and
//! "4 xin, 4 luôn" shares — never an officer's figures; nothing below the minimum count. Shown at
//! `/q/{token}/results` and printed as the "Kết quả đánh giá" poster beside the QR code.

use chrono::{DateTime, Utc};

use super::model::Share;
use crate::domain::measures::{self, level_words};
use crate::domain::period::Month;
use crate::domain::rollup::Tally;
use crate::error::{Error, Result};
use crate::service::Services;
use crate::store::rollups::{self, By, Grain};
use crate::store::{self, org::Desk};
use crate::t;

/// What a desk's public results show.
#[derive(Debug, Clone, PartialEq)]
pub struct DeskResults {
    pub desk_code: String,
    pub desk_name: String,
    pub unit_name: String,
    pub month: Month,
    pub ratings: u64,
    /// Below the minimum count: only the number of ratings is shown.
    pub suppressed: bool,
    pub min_count: u64,
    pub satisfaction_rate: Option<f64>,
    /// Best level first: (words vi, words en, count, share).
    pub levels: Vec<(String, String, u64, Option<f64>)>,
    /// "4 xin, 4 luôn": ratings ticking each behaviour.
    pub behaviours: Vec<Share>,
}

/// The results of the desk behind a QR token for `month` (default: the month before `now`).
pub fn by_token(s: &Services, token: &str, month: Option<Month>, now: DateTime<Utc>) -> Result<Option<DeskResults>> {
    let desk = s.db.read(|c| store::org::desk_by_token(c, token))?;
    match desk.filter(|d| d.active) {
        Some(d) => Ok(Some(of_desk(s, &d, month.unwrap_or_else(|| Month::of(now).prev()))?)),
        None => Ok(None),
    }
}

/// The results of a desk by code (the poster).
pub fn by_code(s: &Services, code: &str, month: Month, now: DateTime<Utc>) -> Result<DeskResults> {
    if month >= Month::of(now) {
        let m = month.to_string();
        return Err(Error::Invalid(t!(
            "Tháng {m} chưa kết thúc: kết quả chỉ in cho tháng đã qua",
            "The month {m} has not ended: results are printed for past months only"
        )));
    }
    let desk =
        s.db.read(|c| store::org::desk_by_code(c, code))?
            .ok_or_else(|| Error::Invalid(t!("Không có quầy mã {code:?}", "There is no desk with code {code:?}")))?;
    of_desk(s, &desk, month)
}

fn of_desk(s: &Services, desk: &Desk, month: Month) -> Result<DeskResults> {
    let min_count = s.config.reports.min_count;
    let unit = s.db.read(|c| store::org::unit(c, desk.unit_id))?;
    let rows =
        s.db.read(|c| rollups::read(c, Grain::Month, month.number(), month.number(), Some(&[desk.unit_id]), By::Who))?;
    let mut t = Tally::default();
    for r in rows.iter().filter(|r| r.desk_id == desk.id) {
        t.add(&r.tally);
    }
    let ratings = t.ratings.max(0) as u64;
    let suppressed = measures::suppressed(ratings, min_count);
    let scale = s.survey.scale;
    let levels = (1..=scale.max())
        .rev()
        .filter_map(|l| {
            let w = level_words(scale, l)?;
            let n = t.levels[(l - 1) as usize].max(0) as u64;
            let share = (!suppressed && ratings > 0).then(|| n as f64 / ratings as f64);
            Some((w.vi.to_string(), w.en.to_string(), n, share))
        })
        .collect();
    let behaviours = super::monthly::behaviours(s, &t, min_count).ticks;
    Ok(DeskResults {
        desk_code: desk.code.clone(),
        desk_name: desk.name.clone(),
        unit_name: unit.name,
        month,
        ratings,
        suppressed,
        min_count,
        satisfaction_rate: (!suppressed && ratings > 0).then(|| t.satisfied as f64 / ratings as f64),
        levels,
        behaviours,
    })
}

/// The "Kết quả đánh giá" A5 poster of a desk for a past month (SVG).
pub fn poster(s: &Services, code: &str, month: Month, now: DateTime<Utc>) -> Result<String> {
    let r = by_code(s, code, month, now)?;
    let desk =
        s.db.read(|c| store::org::desk_by_code(c, code))?
            .ok_or_else(|| Error::Invalid(t!("Không có quầy mã {code:?}", "There is no desk with code {code:?}")))?;
    let pct = |x: f64| format!("{:.1} %", x * 100.0).replace('.', ",");
    let ratings = format!("{} lượt đánh giá", crate::domain::feedback::number_vi(r.ratings as usize));
    let rate = r.satisfaction_rate.map(pct);
    let levels: Vec<(String, String, f64)> = r
        .levels
        .iter()
        .map(|(vi, _, _, share)| (vi.clone(), share.map(pct).unwrap_or_default(), share.unwrap_or(0.0)))
        .collect();
    let behaviours: Vec<(String, String, f64)> = r
        .behaviours
        .iter()
        .map(|b| (b.label_vi.clone(), b.share.map(pct).unwrap_or_default(), b.share.unwrap_or(0.0)))
        .collect();
    let too_few = format!(
        "Chưa đủ {} lượt đánh giá để công bố tỷ lệ hài lòng của tháng này. Mời ông/bà quét mã để đánh giá.",
        r.min_count
    );
    let month_label = format!("Tháng {}/{}", r.month.month(), r.month.year());
    let url = crate::service::desk::desk_url(&s.public_url(), &desk);
    crate::print::results_poster_svg(&crate::print::ResultsInfo {
        unit_name: &r.unit_name,
        desk_name: &r.desk_name,
        month: &month_label,
        ratings: &ratings,
        rate: rate.as_deref(),
        too_few: &too_few,
        levels: &levels,
        behaviours: &behaviours,
        url: &url,
    })
    .map_err(|e| Error::Other(e.into()))
}
