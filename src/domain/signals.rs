//! Integrity signals: patterns in a desk's raw ratings that a reader should look at — never an
//! accusation. Each comes with its count and what it may mean (docs/measures.md, "Integrity
//! signals"). Pure: the rows and the thresholds are passed in.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Duration, NaiveDate, Utc};

use crate::domain::LOCAL_TZ;
use crate::i18n::Text;
use crate::t;

/// When a pattern is worth a line in the report.
#[derive(Debug, Clone, PartialEq)]
pub struct Rules {
    /// A burst: at least `burst_min` ratings at one desk within `burst_seconds`.
    pub burst_min: usize,
    pub burst_seconds: i64,
    /// Outside opening hours: at least this many, and this share of the desk's ratings.
    pub outside_min: u64,
    pub outside_share: f64,
    /// One browser giving at least this many ratings at one desk in the period.
    pub repeat_min: usize,
    /// Days after a complaint compared with the desk's other days, and how much higher their
    /// daily average must be (and by how many ratings at least) to show.
    pub after_complaint_days: i64,
    pub after_complaint_factor: f64,
    pub after_complaint_extra: u64,
    /// Near-uniform top ratings: at least this many ratings and this share at the top level.
    pub uniform_min: u64,
    pub uniform_share: f64,
    /// Low coverage: ratings / files entered below this.
    pub coverage_below: f64,
}

impl Default for Rules {
    fn default() -> Rules {
        Rules {
            burst_min: 5,
            burst_seconds: 60,
            outside_min: 5,
            outside_share: 0.2,
            repeat_min: 3,
            after_complaint_days: 3,
            after_complaint_factor: 2.0,
            after_complaint_extra: 10,
            uniform_min: 50,
            uniform_share: 0.95,
            coverage_below: 0.1,
        }
    }
}

/// One rating as the signals see it.
#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    pub at: DateTime<Utc>,
    /// At the top level of the scale (Rất hài lòng).
    pub top: bool,
    /// The keyed hash of the browser's cookie (web ratings only).
    pub browser: Option<String>,
}

/// A desk's period.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DeskPeriod {
    pub points: Vec<Point>,
    pub outside_hours: u64,
    pub files: Option<u64>,
    /// When cases about the desk were received (complaints), in the period or just before.
    pub complaints: Vec<DateTime<Utc>>,
    /// The period's local days (for the daily average).
    pub days: Vec<NaiveDate>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Burst,
    OutsideHours,
    RepeatBrowser,
    AfterComplaint,
    UniformTop,
    LowCoverage,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Burst => "burst",
            Kind::OutsideHours => "outside_hours",
            Kind::RepeatBrowser => "repeat_browser",
            Kind::AfterComplaint => "after_complaint",
            Kind::UniformTop => "uniform_top",
            Kind::LowCoverage => "low_coverage",
        }
    }

    /// What the pattern may mean.
    pub fn meaning(self) -> Text {
        match self {
            Kind::Burst => t!(
                "Nhiều lượt đánh giá liên tiếp trong thời gian rất ngắn: có thể một nhóm người dân cùng đánh giá, hoặc có người đánh giá thay người dân.",
                "Many ratings within moments: a group of citizens rating together, or someone rating on their behalf."
            ),
            Kind::OutsideHours => t!(
                "Đánh giá ngoài giờ làm việc của quầy: người dân đánh giá sau khi về, hoặc đánh giá không gắn với lần giao dịch thực.",
                "Ratings outside the desk's hours: citizens rating later at home, or ratings not tied to a real visit."
            ),
            Kind::RepeatBrowser => t!(
                "Một trình duyệt đánh giá nhiều lần: có thể là máy dùng chung tại quầy, hoặc một người đánh giá nhiều lần.",
                "One browser rating many times: a shared device at the desk, or one person rating repeatedly."
            ),
            Kind::AfterComplaint => t!(
                "Số đánh giá tăng mạnh ngay sau một phản ánh về quầy: có thể là cố gắng cải thiện, hoặc đánh giá tốt được vận động để lấn át phản ánh.",
                "Ratings jumped just after a complaint about the desk: genuine improvement, or good ratings solicited to drown the complaint."
            ),
            Kind::UniformTop => t!(
                "Gần như mọi đánh giá đều “Rất hài lòng” với số lượng lớn: có thể phục vụ rất tốt, hoặc người dân được hướng dẫn chọn sẵn.",
                "Almost every rating is the top one at high volume: excellent service, or citizens told what to choose."
            ),
            Kind::LowCoverage => t!(
                "Rất ít hồ sơ được đánh giá: tỷ lệ theo Quyết định 766 tính hồ sơ không đánh giá là hài lòng, nên con số đó chủ yếu là giả định.",
                "Very few files were rated: the Decision 766 rate counts unrated files as satisfied, so that figure is mostly assumption."
            ),
        }
    }
}

/// A signal found at one desk.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    pub kind: Kind,
    /// Ratings the signal rests on (for low coverage: the coverage in per cent).
    pub count: u64,
    pub detail: Text,
}

/// A desk's period summed up: all the signals look at. Reports get these from SQL aggregates and
/// the rollups (`service::reports::monthly`) instead of the raw rows; [`Facts::of`] is the same
/// from the rows, and tests hold the two equal.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Facts {
    /// Ratings in the period.
    pub total: u64,
    /// Of them, at the top level of their scale.
    pub top: u64,
    pub bursts: Bursts,
    /// Ratings per browser, for browsers with at least [`Rules::repeat_min`] (any order).
    pub repeats: Vec<u64>,
    pub outside_hours: u64,
    pub files: Option<u64>,
    pub complaints: Vec<DateTime<Utc>>,
    /// Ratings on each of the period's local days (only read when there are complaints).
    pub per_day: BTreeMap<NaiveDate, u64>,
}

/// The bursts of a desk's period.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Bursts {
    pub bursts: u64,
    /// Ratings in all the bursts.
    pub ratings: u64,
    pub largest: usize,
}

impl Facts {
    /// The facts of a desk's raw rows.
    pub fn of(d: &DeskPeriod, rules: &Rules) -> Facts {
        let mut times: Vec<DateTime<Utc>> = d.points.iter().map(|p| p.at).collect();
        times.sort();
        let mut per_browser: HashMap<&str, u64> = HashMap::new();
        for p in &d.points {
            if let Some(b) = &p.browser {
                *per_browser.entry(b).or_default() += 1;
            }
        }
        Facts {
            total: d.points.len() as u64,
            top: d.points.iter().filter(|p| p.top).count() as u64,
            bursts: bursts(&times, rules),
            repeats: per_browser.into_values().filter(|&n| n >= rules.repeat_min as u64).collect(),
            outside_hours: d.outside_hours,
            files: d.files,
            complaints: d.complaints.clone(),
            per_day: per_day(&times, &d.days),
        }
    }
}

/// Ratings per local day, for each of `days` (ratings on other days are not counted).
pub fn per_day(times: &[DateTime<Utc>], days: &[NaiveDate]) -> BTreeMap<NaiveDate, u64> {
    let mut per_day: BTreeMap<NaiveDate, u64> = days.iter().map(|&day| (day, 0)).collect();
    for t in times {
        if let Some(n) = per_day.get_mut(&local_day(*t)) {
            *n += 1;
        }
    }
    per_day
}

/// Bursts in a desk's rating times (sorted): maximal runs where each rating is within the window
/// of the one `burst_min − 1` before it. A desk has one only if some `burst_min` consecutive
/// ratings lie within `burst_seconds`, which is how the report's SQL picks the desks to look at.
pub fn bursts(times: &[DateTime<Utc>], rules: &Rules) -> Bursts {
    let mut out = Bursts::default();
    let window = Duration::seconds(rules.burst_seconds);
    let mut i = 0;
    while i < times.len() {
        let mut j = i;
        while j + 1 < times.len() && times[j + 1] - times[i] <= window {
            j += 1;
        }
        let n = j - i + 1;
        if n >= rules.burst_min {
            out.ratings += n as u64;
            out.bursts += 1;
            out.largest = out.largest.max(n);
            i = j + 1;
        } else {
            i += 1;
        }
    }
    out
}

/// The signals of one desk's period, in [`Kind`] order.
pub fn find(d: &DeskPeriod, rules: &Rules) -> Vec<Found> {
    find_in(&Facts::of(d, rules), rules)
}

/// The signals of a desk's facts, in [`Kind`] order.
pub fn find_in(d: &Facts, rules: &Rules) -> Vec<Found> {
    let mut out = Vec::new();
    let total = d.total;
    let Bursts { bursts, ratings: in_bursts, largest } = d.bursts;
    if bursts > 0 {
        let secs = rules.burst_seconds;
        out.push(Found {
            kind: Kind::Burst,
            count: in_bursts,
            detail: t!(
                "{bursts} đợt, tổng {in_bursts} lượt đánh giá trong vòng {secs} giây mỗi đợt (đợt lớn nhất {largest} lượt)",
                "{bursts} bursts, {in_bursts} ratings in all, each within {secs} seconds (largest {largest})"
            ),
        });
    }
    if d.outside_hours >= rules.outside_min && total > 0 && d.outside_hours as f64 >= rules.outside_share * total as f64
    {
        let (n, pct) = (d.outside_hours, percent(d.outside_hours, total));
        out.push(Found {
            kind: Kind::OutsideHours,
            count: n,
            detail: t!(
                "{n} lượt ngoài giờ làm việc ({pct}% số lượt)",
                "{n} ratings outside opening hours ({pct}% of all)"
            ),
        });
    }
    let repeating: Vec<u64> = d.repeats.iter().copied().filter(|&n| n >= rules.repeat_min as u64).collect();
    if !repeating.is_empty() {
        let (browsers, n, most) =
            (repeating.len(), repeating.iter().sum::<u64>(), repeating.iter().max().copied().unwrap_or(0));
        let min = rules.repeat_min;
        out.push(Found {
            kind: Kind::RepeatBrowser,
            count: n,
            detail: t!(
                "{browsers} trình duyệt đánh giá từ {min} lần trở lên, tổng {n} lượt (nhiều nhất {most} lượt từ một trình duyệt)",
                "{browsers} browsers rated {min} times or more, {n} ratings in all (at most {most} from one)"
            ),
        });
    }
    if let Some(f) = after_complaint(d, rules) {
        out.push(f);
    }
    let top = d.top;
    if total >= rules.uniform_min && top as f64 >= rules.uniform_share * total as f64 {
        let pct = percent(top, total);
        out.push(Found {
            kind: Kind::UniformTop,
            count: top,
            detail: t!(
                "{top} trên {total} lượt là “Rất hài lòng” ({pct}%)",
                "{top} of {total} ratings are the top level ({pct}%)"
            ),
        });
    }
    if let Some(files) = d.files.filter(|&f| f > 0)
        && (total as f64) < rules.coverage_below * files as f64
    {
        let pct = percent(total, files);
        out.push(Found {
            kind: Kind::LowCoverage,
            count: pct,
            detail: t!(
                "{total} lượt đánh giá cho {files} hồ sơ đã giải quyết (độ phủ {pct}%)",
                "{total} ratings for {files} files handled (coverage {pct}%)"
            ),
        });
    }
    out
}

/// Ratings per day in the days after each complaint against the desk's other days.
fn after_complaint(d: &Facts, rules: &Rules) -> Option<Found> {
    if d.complaints.is_empty() || d.per_day.is_empty() {
        return None;
    }
    let per_day = &d.per_day;
    // The days right after a complaint (not the complaint's own day).
    let mut after: Vec<NaiveDate> = Vec::new();
    for c in &d.complaints {
        let day = local_day(*c);
        for k in 1..=rules.after_complaint_days {
            let x = day + Duration::days(k);
            if per_day.contains_key(&x) && !after.contains(&x) {
                after.push(x);
            }
        }
    }
    if after.is_empty() || after.len() == per_day.len() {
        return None;
    }
    let in_after: u64 = after.iter().map(|x| per_day[x]).sum();
    let others: u64 = per_day.iter().filter(|(k, _)| !after.contains(k)).map(|(_, n)| *n).sum();
    let other_days = (per_day.len() - after.len()) as f64;
    let baseline = others as f64 / other_days;
    let expected = baseline * after.len() as f64;
    let extra = in_after as f64 - expected;
    if in_after as f64 >= rules.after_complaint_factor * expected && extra >= rules.after_complaint_extra as f64 {
        let (days, base) = (after.len(), format!("{baseline:.1}"));
        let base_vi = base.replace('.', ",");
        return Some(Found {
            kind: Kind::AfterComplaint,
            count: in_after,
            detail: t!(
                "{in_after} lượt trong {days} ngày ngay sau phản ánh, so với trung bình {base_vi} lượt/ngày ở các ngày khác",
                "{in_after} ratings in the {days} days right after complaints, against {base} a day on other days"
            ),
        });
    }
    None
}

fn local_day(t: DateTime<Utc>) -> NaiveDate {
    t.with_timezone(&LOCAL_TZ).date_naive()
}

/// Whole per cent, rounded half up.
fn percent(n: u64, of: u64) -> u64 {
    if of == 0 { 0 } else { (200 * n + of) / (2 * of) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn p(day: u32, h: u32, m: u32, s: u32, top: bool, browser: Option<&str>) -> Point {
        Point {
            at: LOCAL_TZ.with_ymd_and_hms(2026, 11, day, h, m, s).unwrap().with_timezone(&Utc),
            top,
            browser: browser.map(String::from),
        }
    }

    fn days() -> Vec<NaiveDate> {
        (1..=30).map(|d| NaiveDate::from_ymd_opt(2026, 11, d).unwrap()).collect()
    }

    #[test]
    fn quiet_desk_has_no_signal() {
        let points = (1..=30).map(|d| p(d, 9, 0, 0, d % 2 == 0, None)).collect();
        let d = DeskPeriod { points, days: days(), files: Some(60), ..Default::default() };
        assert!(find(&d, &Rules::default()).is_empty());
    }

    #[test]
    fn each_signal() {
        let rules = Rules::default();
        // A burst of 6 within 50 s, and 4 others spread out.
        let mut points: Vec<Point> = (0..6).map(|k| p(3, 9, 0, k * 10, true, Some("b1"))).collect();
        points.extend((10..14).map(|d| p(d, 10, 0, 0, true, None)));
        points.sort_by_key(|x| x.at);
        let d = DeskPeriod { points, outside_hours: 5, files: Some(200), days: days(), ..Default::default() };
        let found = find(&d, &rules);
        let kinds: Vec<Kind> = found.iter().map(|f| f.kind).collect();
        assert_eq!(kinds, [Kind::Burst, Kind::OutsideHours, Kind::RepeatBrowser, Kind::LowCoverage]);
        assert_eq!(found[0].count, 6);
        assert!(found[0].detail.vi.contains("1 đợt"), "{}", found[0].detail.vi);
        assert_eq!(found[1].count, 5, "5 of 10 outside hours");
        assert_eq!(found[2].count, 6, "one browser, six ratings");
        assert_eq!(found[3].count, 5, "10 ratings for 200 files: 5 %");
        // Exactly at the burst threshold minus one: nothing.
        let four: Vec<Point> = (0..4).map(|k| p(3, 9, 0, k * 10, true, None)).collect();
        assert!(find(&DeskPeriod { points: four, days: days(), ..Default::default() }, &rules).is_empty());
    }

    #[test]
    fn uniform_top_at_volume_only() {
        let rules = Rules::default();
        let many: Vec<Point> = (0..60).map(|k| p(1 + k % 28, 8 + k % 8, 0, 0, k != 0, None)).collect();
        let d = DeskPeriod { points: many, days: days(), ..Default::default() };
        assert_eq!(find(&d, &rules).iter().map(|f| f.kind).collect::<Vec<_>>(), [Kind::UniformTop]);
        let few: Vec<Point> = (0..40).map(|k| p(1 + k % 28, 9, 0, 0, true, None)).collect();
        assert!(find(&DeskPeriod { points: few, days: days(), ..Default::default() }, &rules).is_empty());
    }

    #[test]
    fn jump_after_a_complaint() {
        let rules = Rules::default();
        // One rating a day, then 8 a day in the three days after a complaint on the 10th.
        let mut points: Vec<Point> = (1..=30).map(|d| p(d, 9, 0, 0, false, None)).collect();
        for d in 11..=13 {
            points.extend((0..7).map(|k| p(d, 10 + k, 0, 0, true, None)));
        }
        points.sort_by_key(|x| x.at);
        let complaint = p(10, 15, 0, 0, false, None).at;
        let d = DeskPeriod { points, complaints: vec![complaint], days: days(), ..Default::default() };
        let found = find(&d, &rules);
        assert_eq!(found.iter().map(|f| f.kind).collect::<Vec<_>>(), [Kind::AfterComplaint]);
        assert_eq!(found[0].count, 24);
        assert!(found[0].detail.vi.contains("trung bình 1,0 lượt/ngày"), "{}", found[0].detail.vi);
    }
}
