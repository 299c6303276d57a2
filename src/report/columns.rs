//! The columns of a table of figures (the scope, its units, desks and officers) and the fixed
//! words the tabular formats print. CSV and XLSX both take their headings and cells from here, so
//! the two files always show the same figures under the same names.

use crate::domain::case::Status;
use crate::domain::measures::level_words;
use crate::domain::survey::Scale;
use crate::i18n::Lang;
use crate::service::reports::model::{Figures, IndexScore, Item, Report, Score};

/// One cell before a format decides how to write it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    /// No figure (null in the model).
    Empty,
    Text(String),
    /// A count or a rank.
    Count(u64),
    /// A number that names something (a ledger entry): no thousands separator.
    Id(i64),
    /// A fraction 0–1.
    Rate(f64),
    /// A score with one decimal, as printed.
    Score(f64),
    /// The satisfaction rate of a suppressed item: no figure, and the reason.
    NotEnoughData,
}

/// "chưa đủ dữ liệu": what a suppressed item shows instead of its figures.
pub(crate) fn not_enough_data(lang: Lang) -> &'static str {
    pick(lang, "chưa đủ dữ liệu", "not enough data")
}

pub(crate) fn pick(lang: Lang, vi: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Vi => vi,
        Lang::En => en,
    }
}

/// The scale the report's levels are on. An unknown code (never written by the report service)
/// falls back to the three-level default rather than failing the whole export.
pub(crate) fn scale(r: &Report) -> Scale {
    Scale::parse(&r.period.scale).unwrap_or_default()
}

/// The levels of a scale, best first.
pub(crate) fn levels(scale: Scale) -> Vec<i32> {
    match scale {
        Scale::Vn3 => vec![3, 2, 1],
        Scale::Vn5 => vec![5, 4, 3, 2, 1],
    }
}

/// One column of a table of figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Col {
    Kind,
    Code,
    Name,
    UnitCode,
    UnitName,
    Ratings,
    Level(i32),
    Satisfied,
    Dissatisfied,
    WithCase,
    Suppressed,
    Rate,
    Wilson,
    Rank,
    Rate766Ratings,
    Files,
    Rate766Files,
    Coverage,
    RatingsExceedFiles,
    Index(u8),
    OfficerScore,
    OfficerIndices,
    OfficerBand,
    UnitTotal,
    UnitIndices,
    UnitBand,
    OutsideHours,
}

/// Every column, in the order of the CSV.
pub(crate) fn all(scale: Scale) -> Vec<Col> {
    use Col::*;
    let mut cols = vec![Kind, Code, Name, UnitCode, UnitName, Ratings];
    cols.extend(levels(scale).into_iter().map(Level));
    cols.extend([
        Satisfied,
        Dissatisfied,
        WithCase,
        Suppressed,
        Rate,
        Wilson,
        Rank,
        Rate766Ratings,
        Files,
        Rate766Files,
        Coverage,
        RatingsExceedFiles,
        Index(1),
        Index(3),
        Index(4),
        Index(7),
        Index(8),
        OfficerScore,
        OfficerIndices,
        OfficerBand,
        UnitTotal,
        UnitIndices,
        UnitBand,
        OutsideHours,
    ]);
    cols
}

/// The columns that can hold a figure for one kind of item: index 8 and the unit total belong to
/// units and the scope, the officer score to officers, a rank to everything but the scope.
pub(crate) fn for_item(scale: Scale, item: Item) -> Vec<Col> {
    all(scale)
        .into_iter()
        .filter(|c| match c {
            Col::Kind => false,
            Col::Index(8) | Col::UnitTotal | Col::UnitIndices | Col::UnitBand => {
                matches!(item, Item::Scope | Item::Unit)
            }
            Col::OfficerScore | Col::OfficerIndices | Col::OfficerBand => item == Item::Officer,
            Col::Rank => item != Item::Scope,
            Col::UnitCode | Col::UnitName | Col::Code | Col::Name => item != Item::Scope,
            _ => true,
        })
        .collect()
}

pub(crate) fn item_words(item: Item, lang: Lang) -> &'static str {
    match item {
        Item::Scope => pick(lang, "Tổng hợp", "Scope total"),
        Item::Unit => pick(lang, "Đơn vị", "Unit"),
        Item::Desk => pick(lang, "Quầy", "Desk"),
        Item::Officer => pick(lang, "Cán bộ, công chức", "Officer"),
    }
}

impl Col {
    /// The heading. `item` names the kind of every row when a table holds one kind only (an XLSX
    /// sheet), so the unit columns can say "parent unit" on the units sheet.
    pub(crate) fn header(self, scale: Scale, lang: Lang, item: Option<Item>) -> String {
        let s = |vi: &str, en: &str| pick_owned(lang, vi, en);
        match self {
            Col::Kind => s("Loại", "Item"),
            Col::Code => s("Mã", "Code"),
            Col::Name => s("Tên", "Name"),
            Col::UnitCode => match item {
                Some(Item::Unit) => s("Mã đơn vị cấp trên", "Parent unit code"),
                Some(_) => s("Mã đơn vị", "Unit code"),
                None => s("Mã đơn vị (cấp trên, với đơn vị)", "Unit code (the parent, for a unit)"),
            },
            Col::UnitName => match item {
                Some(Item::Unit) => s("Đơn vị cấp trên", "Parent unit"),
                Some(_) => s("Đơn vị", "Unit"),
                None => s("Tên đơn vị (cấp trên, với đơn vị)", "Unit name (the parent, for a unit)"),
            },
            Col::Ratings => s("Số lượt đánh giá", "Ratings"),
            Col::Level(l) => {
                let w = level_words(scale, l).map(|w| w.get(lang)).unwrap_or("?");
                format!("{w} ({l})")
            }
            Col::Satisfied => s("Số lượt hài lòng (2 mức cao nhất)", "Satisfied ratings (top two levels)"),
            // The official three-level word is "chưa hài lòng"; "không hài lòng" exists only on
            // the five-level scale (docs/measures.md).
            Col::Dissatisfied => match scale {
                Scale::Vn3 => s("Số lượt chưa hài lòng", "Not satisfied ratings"),
                Scale::Vn5 => s("Số lượt không hài lòng (2 mức thấp nhất)", "Dissatisfied ratings (bottom two levels)"),
            },
            Col::WithCase => s("Số lượt có phản ánh, kiến nghị", "Ratings that opened a case"),
            Col::Suppressed => s("Tình trạng số liệu", "Data status"),
            Col::Rate => s("Tỷ lệ hài lòng", "Satisfaction rate"),
            Col::Wilson => s("Cận dưới Wilson 95%", "Wilson lower bound (95%)"),
            Col::Rank => s("Xếp hạng", "Rank"),
            Col::Rate766Ratings => s("Tỷ lệ theo QĐ 766 (trên số lượt đánh giá)", "Decision 766 rate (over ratings)"),
            Col::Files => s("Số hồ sơ", "Files"),
            Col::Rate766Files => s("Tỷ lệ theo QĐ 766 (trên số hồ sơ)", "Decision 766 rate (over files)"),
            Col::Coverage => s("Độ bao phủ (lượt đánh giá/hồ sơ)", "Coverage (ratings/files)"),
            Col::RatingsExceedFiles => s("Số lượt đánh giá vượt số hồ sơ", "Ratings exceed files"),
            Col::Index(n) => match lang {
                Lang::Vi => format!("Điểm chỉ số {n}"),
                Lang::En => format!("Index {n} score"),
            },
            Col::OfficerScore => s("Điểm cán bộ (chỉ số 1+3+4+7)", "Officer score (indices 1+3+4+7)"),
            Col::OfficerIndices => s("Chỉ số có dữ liệu (điểm cán bộ)", "Indices with data (officer score)"),
            Col::UnitIndices => s("Chỉ số có dữ liệu (tổng điểm đơn vị)", "Indices with data (unit total)"),
            Col::OfficerBand => s("Xếp loại cán bộ", "Officer band"),
            Col::UnitTotal => s("Tổng điểm đơn vị", "Unit total"),
            Col::UnitBand => s("Xếp loại đơn vị", "Unit band"),
            Col::OutsideHours => s("Số lượt ngoài giờ làm việc", "Ratings outside opening hours"),
        }
    }

    /// The cell of one row. Formats nothing and computes nothing: a null stays [`Value::Empty`].
    pub(crate) fn value(self, f: &Figures, lang: Lang) -> Value {
        let rate = |v: Option<f64>| v.map_or(Value::Empty, Value::Rate);
        let text = |s: &str| if s.is_empty() { Value::Empty } else { Value::Text(s.to_string()) };
        let index = |i: &Option<IndexScore>| i.as_ref().and_then(|i| i.score).map_or(Value::Empty, Value::Score);
        match self {
            Col::Kind => Value::Text(item_words(f.item, lang).to_string()),
            Col::Code => text(&f.code),
            Col::Name => text(&f.name),
            Col::UnitCode => text(&f.unit_code),
            Col::UnitName => text(&f.unit_name),
            Col::Ratings => Value::Count(f.ratings),
            Col::Level(l) => f.levels.get(&l.to_string()).map_or(Value::Empty, |&n| Value::Count(n)),
            Col::Satisfied => Value::Count(f.satisfied),
            Col::Dissatisfied => Value::Count(f.dissatisfied),
            Col::WithCase => Value::Count(f.with_case),
            Col::Suppressed => {
                if f.suppressed {
                    Value::Text(not_enough_data(lang).to_string())
                } else {
                    Value::Empty
                }
            }
            Col::Rate => match (f.satisfaction_rate, f.suppressed) {
                (Some(r), _) => Value::Rate(r),
                (None, true) => Value::NotEnoughData,
                (None, false) => Value::Empty,
            },
            Col::Wilson => rate(f.wilson_lower),
            Col::Rank => f.rank.map_or(Value::Empty, |r| Value::Count(r.into())),
            Col::Rate766Ratings => rate(f.rate_766_ratings),
            Col::Files => f.files.map_or(Value::Empty, Value::Count),
            Col::Rate766Files => rate(f.rate_766_files),
            Col::Coverage => rate(f.coverage),
            Col::RatingsExceedFiles => {
                if f.ratings_exceed_files {
                    Value::Text(pick(lang, "có", "yes").to_string())
                } else {
                    Value::Empty
                }
            }
            Col::Index(1) => index(&f.indices.idx1),
            Col::Index(3) => index(&f.indices.idx3),
            Col::Index(4) => index(&f.indices.idx4),
            Col::Index(7) => index(&f.indices.idx7),
            Col::Index(8) => index(&f.indices.idx8),
            Col::Index(_) => Value::Empty,
            Col::OfficerScore => total(&f.officer_score),
            Col::OfficerIndices => indices_note(&f.officer_score, lang),
            Col::OfficerBand => band(&f.officer_score, lang),
            Col::UnitTotal => total(&f.unit_total),
            Col::UnitIndices => indices_note(&f.unit_total, lang),
            Col::UnitBand => band(&f.unit_total, lang),
            Col::OutsideHours => Value::Count(f.outside_hours),
        }
    }
}

fn pick_owned(lang: Lang, vi: &str, en: &str) -> String {
    match lang {
        Lang::Vi => vi.to_string(),
        Lang::En => en.to_string(),
    }
}

fn total(s: &Option<Score>) -> Value {
    s.as_ref().map_or(Value::Empty, |s| Value::Score(s.total))
}

/// "(5/9 chỉ số)" / "(5 of 9 indices)" when some indices have no data, as docs/measures.md prints
/// it; empty when all have data (the band is shown then).
fn indices_note(s: &Option<Score>, lang: Lang) -> Value {
    match s {
        Some(s) if s.with_data < s.of => Value::Text(match lang {
            Lang::Vi => format!("({}/{} chỉ số)", s.with_data, s.of),
            Lang::En => format!("({} of {} indices)", s.with_data, s.of),
        }),
        _ => Value::Empty,
    }
}

fn band(s: &Option<Score>, lang: Lang) -> Value {
    let words = s.as_ref().and_then(|s| match lang {
        Lang::Vi => s.band_vi.clone(),
        Lang::En => s.band_en.clone(),
    });
    words.map_or(Value::Empty, Value::Text)
}

/// A case status in words. The status vocabulary speaks to the citizen ("waiting for your
/// information"); a report speaks about them. An unknown code is shown as it is.
pub(crate) fn status_words(code: &str, lang: Lang) -> String {
    match (Status::parse(code), lang) {
        (Some(Status::WaitingCitizen), Lang::En) => "Waiting for the citizen".to_string(),
        (Some(s), _) => s.label(lang).to_string(),
        (None, _) => code.to_string(),
    }
}

/// The statuses to show as columns, in the order of the case's life, then any unknown code.
pub(crate) fn status_columns<'a>(codes: impl IntoIterator<Item = &'a String>) -> Vec<String> {
    let mut seen: Vec<String> = codes.into_iter().cloned().collect();
    seen.sort_by_key(|c| (Status::parse(c).map_or(usize::MAX, |s| s as usize), c.clone()));
    seen.dedup();
    seen
}

/// What a signal's kind code means, in words.
pub(crate) fn signal_words(kind: &str, lang: Lang) -> String {
    let (vi, en) = match kind {
        "burst" => ("Nhiều đánh giá dồn dập", "Burst of ratings"),
        "outside_hours" => ("Đánh giá ngoài giờ làm việc", "Ratings outside opening hours"),
        "repeat_browser" => ("Đánh giá lặp lại từ một trình duyệt", "Repeated ratings from one browser"),
        "after_complaint" => ("Đánh giá dồn dập sau phản ánh", "Ratings after a complaint"),
        "uniform_top" => ("Toàn bộ ở mức cao nhất", "All at the top level"),
        "low_coverage" => ("Độ bao phủ thấp", "Low coverage"),
        other => (other, other),
    };
    pick_owned(lang, vi, en)
}

/// Which deadline an overdue case missed.
pub(crate) fn deadline_words(deadline: &str, lang: Lang) -> String {
    match deadline {
        "acknowledge" => pick_owned(lang, "Xác nhận tiếp nhận", "Acknowledgement"),
        "resolve" => pick_owned(lang, "Giải quyết", "Resolution"),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_follow_the_scale() {
        let three: Vec<_> = all(Scale::Vn3).iter().map(|c| c.header(Scale::Vn3, Lang::Vi, None)).collect();
        assert!(three.contains(&"Rất hài lòng (3)".to_string()));
        assert!(three.contains(&"Chưa hài lòng (1)".to_string()));
        assert!(!three.iter().any(|h| h.contains("Không hài lòng") || h.contains("không hài lòng")));
        let five: Vec<_> = all(Scale::Vn5).iter().map(|c| c.header(Scale::Vn5, Lang::Vi, None)).collect();
        for h in ["Rất hài lòng (5)", "Hài lòng (4)", "Bình thường (3)", "Không hài lòng (2)", "Rất không hài lòng (1)"]
        {
            assert!(five.contains(&h.to_string()), "{h} missing from {five:?}");
        }
    }

    /// A program reading the CSV finds each column by its heading: no two may share one.
    #[test]
    fn headings_are_unique() {
        for scale in [Scale::Vn3, Scale::Vn5] {
            for lang in [Lang::Vi, Lang::En] {
                let mut h: Vec<_> = all(scale).iter().map(|c| c.header(scale, lang, None)).collect();
                let n = h.len();
                h.sort();
                h.dedup();
                assert_eq!(h.len(), n, "{scale:?} {lang:?}");
            }
        }
    }

    #[test]
    fn statuses_in_the_order_of_a_case() {
        let codes = ["resolved", "zzz", "received", "resolved", "acknowledged"].map(String::from);
        assert_eq!(status_columns(&codes), ["received", "acknowledged", "resolved", "zzz"]);
        assert_eq!(status_words("waiting_citizen", Lang::En), "Waiting for the citizen");
        assert_eq!(status_words("resolved", Lang::Vi), "Đã giải quyết");
    }
}
