//! The report as one standalone HTML page (its own `<html>`, stylesheet inlined, no JavaScript,
//! no request to another host): Vietnamese first, English on request; readable on a 390 px
//! phone (wide tables scroll inside their own box) and printable on A4.
//!
//! Everything a template shows is formatted here into plain strings (numbers in the reader's
//! style, labels in the reader's language), so the templates only lay out; askama escapes it all.
//! Nothing is computed again: every figure comes from the read model as it is.

use askama::Template;

use super::svg;
use crate::domain::case::Status;
use crate::domain::feedback::number_vi;
use crate::domain::measures::level_words;
use crate::domain::survey::Scale;
use crate::error::{Error, Result};
use crate::i18n::{Lang, local_time};
use crate::service::reports::model::{
    Behaviours, Cases, Draft, Figures, IndexScore, Item, Percentiles, Report, Score, Share, Signal, Summary, Yearly,
};

/// The report's own stylesheet: the page stands alone (saved, mailed, printed), so it carries it.
const CSS: &str = include_str!("../../static/report.css");

/// Where the page links to; each is left out when `None`.
#[derive(Debug, Clone, Default)]
pub struct Links {
    pub csv: Option<String>,
    pub xlsx: Option<String>,
    pub json: Option<String>,
    /// The yearly draft (DOCX), on yearly reports.
    pub docx: Option<String>,
    /// The same report in the other language.
    pub other_lang: Option<String>,
    /// The page where a unit enters its files handled (for the 766 rate over files).
    pub files_form: Option<String>,
}

/// The monthly (or any period's) report page.
pub fn monthly(r: &Report, lang: Lang, links: &Links) -> Result<String> {
    let page = MonthlyPage {
        l: L(lang),
        lang: lang.code(),
        css: CSS,
        title: format!("{} · {} · {}", label("title.monthly", lang), r.scope.name, period_label(r, lang)),
        h: header(r, lang, links),
        f: figures(r, lang, links),
    };
    page.render().map_err(render_error)
}

/// The yearly page: the draft report as an A4 administrative document (Decree 30/2020 layout),
/// then the figure sections of the reporting period.
pub fn yearly(y: &Yearly, lang: Lang, links: &Links) -> Result<String> {
    let r = &y.report;
    let page = YearlyPage {
        l: L(lang),
        lang: lang.code(),
        css: CSS,
        title: format!("{} {} · {}", label("title.yearly", lang), y.year, r.scope.name),
        year: y.year,
        deadline: date(&y.deadline),
        h: header(r, lang, links),
        f: figures(r, lang, links),
        d: &y.draft,
    };
    page.render().map_err(render_error)
}

fn render_error(e: askama::Error) -> Error {
    Error::Other(anyhow::anyhow!("report page template: {e}"))
}

#[derive(Template)]
#[template(path = "report/monthly.html")]
struct MonthlyPage {
    l: L,
    lang: &'static str,
    css: &'static str,
    title: String,
    h: Header,
    f: FiguresView,
}

#[derive(Template)]
#[template(path = "report/yearly.html")]
struct YearlyPage<'a> {
    l: L,
    lang: &'static str,
    css: &'static str,
    title: String,
    year: i32,
    deadline: String,
    h: Header,
    f: FiguresView,
    d: &'a Draft,
}

// ---------------------------------------------------------------------------------------------
// Number formatting
// ---------------------------------------------------------------------------------------------

/// A count with thousands grouped: "1.234" (Vietnamese), "1,234" (English).
pub fn count(n: u64, lang: Lang) -> String {
    let vi = number_vi(usize::try_from(n).unwrap_or(usize::MAX));
    match lang {
        Lang::Vi => vi,
        Lang::En => vi.replace('.', ","),
    }
}

/// `tenths` (an integer number of tenths) as "1.234,5" / "1,234.5", sign kept.
fn tenths(t: i64, lang: Lang) -> String {
    let sign = if t < 0 { "-" } else { "" };
    let (whole, frac) = (t.unsigned_abs() / 10, t.unsigned_abs() % 10);
    let sep = match lang {
        Lang::Vi => ',',
        Lang::En => '.',
    };
    format!("{sign}{}{sep}{frac}", count(whole, lang))
}

/// One decimal, half away from zero (a score, hours): "3,5" / "3.5".
pub fn score(x: f64, lang: Lang) -> String {
    tenths((x * 10.0).round() as i64, lang)
}

/// A rate 0–1 as a percentage with one decimal: "81,3 %" (a no-break space before the sign, as
/// Vietnamese writes it) / "81.3%". Rounded half up on the printed digit, like the scores.
pub fn percent(rate: f64, lang: Lang) -> String {
    let t = tenths((rate * 1000.0).round() as i64, lang);
    match lang {
        Lang::Vi => format!("{t}\u{a0}%"),
        Lang::En => format!("{t}%"),
    }
}

/// A change in percentage points with its direction: "▲ 2,1 điểm %" / "▼ 0.4 pp".
pub fn change_points(points: f64, lang: Lang) -> String {
    let t = (points * 10.0).round() as i64;
    let arrow = match t.signum() {
        1 => "▲",
        -1 => "▼",
        _ => "=",
    };
    let unit = match lang {
        Lang::Vi => "điểm\u{a0}%",
        Lang::En => "pp",
    };
    format!("{arrow} {}\u{a0}{unit}", tenths(t.abs(), lang))
}

/// An RFC 3339 instant as people in Việt Nam read it; the text as given if it does not parse.
fn when(rfc3339: &str, lang: Lang) -> String {
    match chrono::DateTime::parse_from_rfc3339(rfc3339) {
        Ok(t) => local_time(t.with_timezone(&chrono::Utc), lang),
        Err(_) => rfc3339.to_string(),
    }
}

/// `YYYY-MM-DD` as "15/12/2026".
fn date(ymd: &str) -> String {
    chrono::NaiveDate::parse_from_str(ymd, "%Y-%m-%d")
        .map_or_else(|_| ymd.to_string(), |d| d.format("%d/%m/%Y").to_string())
}

fn percent_or(rate: Option<f64>, lang: Lang, none: &str) -> String {
    rate.map_or_else(|| none.to_string(), |r| percent(r, lang))
}

// ---------------------------------------------------------------------------------------------
// Labels
// ---------------------------------------------------------------------------------------------

/// Templates call `l.t("key")`; a test checks every key they use exists.
#[derive(Debug, Clone, Copy)]
struct L(Lang);

impl L {
    fn t(&self, key: &str) -> &'static str {
        label(key, self.0)
    }
}

/// A fixed label in the reader's language.
fn label(key: &str, lang: Lang) -> &'static str {
    match lookup(key) {
        Some((vi, en)) => match lang {
            Lang::Vi => vi,
            Lang::En => en,
        },
        None => {
            debug_assert!(false, "missing report label {key}");
            "…"
        }
    }
}

fn lookup(key: &str) -> Option<(&'static str, &'static str)> {
    Some(match key {
        "title.monthly" => ("Báo cáo mức độ hài lòng", "Satisfaction report"),
        "title.yearly" => ("Báo cáo năm", "Yearly report"),
        "h.scope" => ("Phạm vi", "Scope"),
        "h.period" => ("Kỳ báo cáo", "Period"),
        "h.generated" => ("Lập lúc", "Generated"),
        "h.downloads" => ("Tải về", "Download"),
        "h.other_lang" => ("English", "Tiếng Việt"),
        "h.deadline" => ("Hạn gửi báo cáo", "Due by"),
        "h.draft_note" => (
            "Dự thảo do hailong lập từ số liệu của kỳ báo cáo. Đơn vị điền các chỗ “…”, bổ sung nội dung chỉ đơn vị biết, ký và ban hành theo quy định.",
            "A draft hailong wrote from the period's figures, in Vietnamese as it will be issued. The unit fills in each “…”, adds what only it knows, signs and issues it.",
        ),
        "s.headline" => ("Tổng quan", "Headline"),
        "s.units" => ("Theo đơn vị", "By unit"),
        "s.desks" => ("Theo quầy (bộ phận một cửa)", "By desk (one-stop desk)"),
        "s.officers" => ("Theo cán bộ, công chức", "By officer"),
        "s.behaviours" => ("“4 xin, 4 luôn” và các câu trả lời khác", "“4 please, 4 always” and the other answers"),
        "s.cases" => ("Phản ánh, kiến nghị", "Feedback and reports (cases)"),
        "s.trend" => ("Diễn biến 12 tháng", "Twelve-month trend"),
        "s.signals" => ("Dấu hiệu cần xem xét", "Signals worth a look"),
        "s.notes" => ("Ghi chú", "Notes"),
        "s.annex" => ("Phụ lục: số liệu của kỳ báo cáo", "Annex: figures of the reporting period"),
        "nodata" => ("chưa đủ dữ liệu", "not enough data"),
        "none" => ("Không có", "None"),
        "k.ratings" => ("Số đánh giá", "Ratings"),
        "k.levels" => ("Theo mức độ hài lòng", "By level"),
        "k.rate" => ("Tỷ lệ hài lòng", "Satisfaction rate"),
        "k.766r" => ("Tỷ lệ theo Quyết định 766", "Decision 766 rate"),
        "k.766r_note" => ("tính trên số lượt đánh giá, không phải số hồ sơ", "over ratings, not files"),
        "k.766f" => ("Tỷ lệ theo Quyết định 766 trên số hồ sơ", "Decision 766 rate over files"),
        "k.total" => ("Tổng điểm theo Thông tư 01/2018", "Circular 01/2018 total"),
        "k.files_missing" => (
            "Chưa có tỷ lệ theo Quyết định 766 tính trên số hồ sơ: chưa quầy nào nhập số hồ sơ đã giải quyết trong kỳ. Nhập bằng lệnh",
            "No Decision 766 rate over files: no desk entered the number of files it handled in the period. Enter them with",
        ),
        "k.files_or" => ("hoặc tại", "or on"),
        "k.files_form" => ("trang nhập số hồ sơ", "the files page"),
        "col.rank" => ("Hạng", "Rank"),
        "col.unit" => ("Đơn vị", "Unit"),
        "col.desk" => ("Quầy", "Desk"),
        "col.officer" => ("Cán bộ, công chức", "Officer"),
        "col.ratings" => ("Đánh giá", "Ratings"),
        "col.files" => ("Hồ sơ", "Files"),
        "col.rate" => ("Tỷ lệ hài lòng", "Satisfaction rate"),
        "col.wilson" => ("Cận dưới Wilson", "Wilson lower bound"),
        "col.766r" => ("766 (trên đánh giá)", "766 (over ratings)"),
        "col.766f" => ("766 (trên hồ sơ)", "766 (over files)"),
        "col.coverage" => ("Độ phủ", "Coverage"),
        "col.score" => ("Điểm", "Score"),
        "col.total" => ("Tổng điểm", "Total"),
        "exceeds" => ("số đánh giá vượt số hồ sơ đã nhập", "ratings exceed the files entered"),
        "exceeds_short" => ("đánh giá > hồ sơ", "ratings > files"),
        "read.ranking" => (
            "Xếp hạng theo cận dưới khoảng tin cậy Wilson 95 % của tỷ lệ hài lòng, không theo tỷ lệ thô: ít đánh giá thì cận dưới thấp. Mục chưa đủ dữ liệu không được xếp hạng.",
            "Ranked by the lower bound of the 95% Wilson interval of the satisfaction rate, not the raw rate: few ratings make the bound low. Items without enough data are not ranked.",
        ),
        "read.indices" => (
            "CS1, CS3, CS4, CS7, CS8: điểm chỉ số theo Thông tư 01/2018/TT-VPCP (0–2): 1 thời gian giải quyết so với ngày hẹn; 3 số lần phải đi lại; 4 số cơ quan khác phải liên hệ; 7 thái độ, hành vi của cán bộ; 8 xử lý phản ánh, kiến nghị đúng hạn. “—”: không có dữ liệu.",
            "CS1, CS3, CS4, CS7, CS8: Circular 01/2018/TT-VPCP index scores (0–2): 1 handling time against the promised date; 3 times the citizen came back; 4 other offices contacted; 7 the officer's conduct; 8 feedback handled on time. “—”: no data.",
        ),
        "empty.units" => ("Không có đơn vị nào có quầy hoặc đánh giá.", "No unit with desks or ratings."),
        "empty.desks" => ("Không có quầy nào.", "No desks."),
        "empty.officers" => ("Không có cán bộ nào được đánh giá trong kỳ.", "No officer was rated in the period."),
        "b.ticks" => (
            "Người dân đánh dấu những việc cán bộ đã làm; tỷ lệ tính trên tổng số đánh giá",
            "What citizens ticked that the officer did; shares of all ratings",
        ),
        "b.on_time" => ("Trả kết quả so với ngày hẹn (chỉ số 1)", "Result against the promised date (index 1)"),
        "b.come_back" => ("Số lần phải đi lại (chỉ số 3)", "Times the citizen came back (index 3)"),
        "b.other_offices" => ("Số cơ quan khác phải liên hệ (chỉ số 4)", "Other offices contacted (index 4)"),
        "b.yes_no" => ("Trả lời “có”", "Answered “yes”"),
        "b.answer" => ("Câu trả lời", "Answer"),
        "b.count" => ("Số lượt", "Count"),
        "b.share" => ("Tỷ lệ", "Share"),
        "c.opened" => ("Phản ánh mới trong kỳ", "Opened in the period"),
        "c.ack_on_time" => ("Xác nhận đúng hạn", "Acknowledged on time"),
        "c.closed_on_time" => ("Giải quyết đúng hạn", "Closed on time"),
        "c.hours_ack" => ("Thời gian xác nhận (trung vị)", "Time to acknowledge (median)"),
        "c.hours_close" => ("Thời gian giải quyết (trung vị)", "Time to close (median)"),
        "c.escalations" => ("Chuyển cấp trên", "Escalations"),
        "c.reopened" => ("Mở lại", "Reopened"),
        "c.answers" => ("Người dân đánh giá câu trả lời", "Citizens' ratings of answers"),
        "c.dragging" => ("Kéo dài (quá hạn, chưa giải quyết)", "Dragging on (overdue, open)"),
        "c.by_category" => {
            ("Phản ánh mới theo loại và trạng thái cuối kỳ", "Opened by category and status at the period's end")
        }
        "c.category" => ("Loại phản ánh", "Category"),
        "c.total" => ("Tổng", "Total"),
        "c.overdue" => ("Phản ánh quá hạn cuối kỳ", "Overdue at the period's end"),
        "c.number" => ("Số phản ánh", "Case number"),
        "c.deadline" => ("Hạn", "Deadline"),
        "c.due" => ("Hạn lúc", "Due"),
        "c.days" => ("Số ngày quá hạn", "Days overdue"),
        "c.no_overdue" => ("Không có phản ánh nào quá hạn.", "No case is overdue."),
        "c.none" => ("Không có phản ánh, kiến nghị mới trong kỳ.", "No case was opened in the period."),
        "c.working_hours" => (
            "Thời gian tính bằng giờ làm việc, không tính thời gian chờ người dân bổ sung.",
            "Times in working hours, leaving out time waiting for the citizen.",
        ),
        "t.caption" => (
            "Số đánh giá (cột) và tỷ lệ hài lòng (đường) theo tháng",
            "Ratings (bars) and satisfaction rate (line) by month",
        ),
        "t.children" => ("Các đơn vị trực thuộc", "Units directly under the scope"),
        "sig.intro" => (
            "Đây là dấu hiệu cần xem xét, không phải kết luận vi phạm: mỗi dấu hiệu có thể có lý do chính đáng.",
            "These are signals worth a look, not findings of wrongdoing: each may have a good reason.",
        ),
        "sig.none" => ("Không có dấu hiệu nào trong kỳ.", "No signal in the period."),
        "sig.detail" => ("Sự việc", "What happened"),
        "sig.meaning" => ("Có thể có nghĩa là", "What it may mean"),
        "n.indices" => ("Chỉ số có dữ liệu", "Indices with data"),
        "n.min_count" => ("Ngưỡng tối thiểu", "Minimum count"),
        "n.ledger" => ("Sổ cái kiểm toán cuối kỳ", "Audit ledger at the period's end"),
        "n.seq" => ("Mục số", "Entry"),
        "n.hash" => ("Mã băm", "Hash"),
        "n.at" => ("Ghi lúc", "Written"),
        "n.verify" => (
            "Để kiểm tra sau này rằng không phản ánh nào ghi trước thời điểm này bị xóa hay sửa, chạy lệnh",
            "To check later that no case recorded before this point was erased or altered, run",
        ),
        "n.verify_after" => (
            "trên máy chủ: sổ cái phải toàn vẹn và mục số trên vẫn mang đúng mã băm này.",
            "on the server: the ledger must be intact and the entry above must still carry this hash.",
        ),
        "n.no_ledger" => ("Sổ cái chưa có mục nào trước cuối kỳ.", "The ledger had no entry before the period's end."),
        "d.motto1" => ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
        "d.motto2" => ("Độc lập - Tự do - Hạnh phúc", "Độc lập - Tự do - Hạnh phúc"),
        "d.recipients" => ("Nơi nhận:", "Nơi nhận:"),
        _ => return None,
    })
}

/// A case status's short words for a table heading; the code itself for one this page does not know.
fn status_label(code: &str, lang: Lang) -> String {
    let (vi, en) = match code {
        "received" => ("Đã tiếp nhận", "Received"),
        "acknowledged" => ("Đang xử lý", "Being handled"),
        "waiting_citizen" => ("Chờ người dân bổ sung", "Waiting for the citizen"),
        "resolved" => ("Đã giải quyết", "Resolved"),
        "dismissed" => ("Không xử lý (có lý do)", "Not pursued (reason given)"),
        "reopened" => ("Mở lại", "Reopened"),
        other => return other.to_string(),
    };
    match lang {
        Lang::Vi => vi,
        Lang::En => en,
    }
    .to_string()
}

fn signal_label(kind: &str, lang: Lang) -> String {
    let (vi, en) = match kind {
        "burst" => ("Nhiều đánh giá dồn dập trong thời gian ngắn", "A burst of ratings in a short time"),
        "outside_hours" => ("Đánh giá ngoài giờ làm việc của quầy", "Ratings outside the desk's opening hours"),
        "repeat_browser" => ("Nhiều đánh giá từ cùng một trình duyệt", "Several ratings from one browser"),
        "after_complaint" => ("Đánh giá dồn dập sau một phản ánh", "Ratings crowding in after a complaint"),
        "uniform_top" => ("Đánh giá đồng loạt ở mức cao nhất", "Uniformly top ratings"),
        "low_coverage" => ("Độ phủ thấp: ít hồ sơ được đánh giá", "Low coverage: few files rated"),
        other => return other.to_string(),
    };
    match lang {
        Lang::Vi => vi,
        Lang::En => en,
    }
    .to_string()
}

fn pick<'a>(vi: &'a str, en: &'a str, lang: Lang) -> &'a str {
    match lang {
        Lang::Vi => vi,
        Lang::En => en,
    }
}

fn period_label(r: &Report, lang: Lang) -> &str {
    pick(&r.period.label_vi, &r.period.label_en, lang)
}

/// "(5/9 chỉ số)" / "(5 of 9 indices)".
fn indices_of(n: u8, of: u8, lang: Lang) -> String {
    match lang {
        Lang::Vi => format!("({n}/{of} chỉ số)"),
        Lang::En => format!("({n} of {of} indices)"),
    }
}

fn below_min(min: u64, lang: Lang) -> String {
    match lang {
        Lang::Vi => format!("dưới {} đánh giá", count(min, lang)),
        Lang::En => format!("fewer than {} ratings", count(min, lang)),
    }
}

// ---------------------------------------------------------------------------------------------
// The page, formatted
// ---------------------------------------------------------------------------------------------

struct Header {
    scope: String,
    scope_note: String,
    period: String,
    generated: String,
    downloads: Vec<(&'static str, String)>,
    other_lang: Option<String>,
    /// The other language's code, for `hreflang`.
    other_code: &'static str,
}

fn header(r: &Report, lang: Lang, links: &Links) -> Header {
    let (units, desks) = (count(r.scope.unit_count as u64, lang), count(r.scope.desk_count as u64, lang));
    let mut scope_note = match lang {
        Lang::Vi => format!("{units} đơn vị, {desks} quầy"),
        Lang::En => format!("{units} units, {desks} desks"),
    };
    if r.scope.whole_organisation {
        scope_note = match lang {
            Lang::Vi => format!("toàn bộ tổ chức: {scope_note}"),
            Lang::En => format!("the whole organisation: {scope_note}"),
        };
    }
    let downloads = [("CSV", &links.csv), ("XLSX", &links.xlsx), ("JSON", &links.json), ("DOCX", &links.docx)]
        .into_iter()
        .filter_map(|(name, href)| href.clone().map(|h| (name, h)))
        .collect();
    Header {
        scope: r.scope.name.clone(),
        scope_note,
        period: period_label(r, lang).to_string(),
        generated: when(&r.period.generated_at, lang),
        downloads,
        other_lang: links.other_lang.clone(),
        other_code: match lang {
            Lang::Vi => "en",
            Lang::En => "vi",
        },
    }
}

/// Every figure section, shared by the monthly and the yearly page.
struct FiguresView {
    headline: Headline,
    /// By unit, by desk, by officer.
    tables: Vec<Table>,
    behaviours: BehavioursView,
    cases: CasesView,
    trend: TrendView,
    signals: Vec<SignalView>,
    notes: NotesView,
}

fn figures(r: &Report, lang: Lang, links: &Links) -> FiguresView {
    let files_cols = r.notes.files_entered;
    let min = r.period.min_count;
    FiguresView {
        headline: headline(r, lang, links),
        tables: vec![
            table(&r.units, Item::Unit, files_cols, min, lang),
            table(&r.desks, Item::Desk, files_cols, min, lang),
            table(&r.officers, Item::Officer, false, min, lang),
        ],
        behaviours: behaviours(&r.behaviours, lang),
        cases: cases(&r.cases, lang),
        trend: trend(r, lang),
        signals: r.signals.iter().map(|s| signal(s, lang)).collect(),
        notes: notes(r, lang),
    }
}

/// One headline card: what, the figure, and lines under it.
struct Card {
    key: String,
    value: String,
    notes: Vec<String>,
    /// "up", "down", "muted" or "".
    class: &'static str,
    /// Extra class of the note: the 766 label is a label, not a footnote.
    wide: bool,
}

impl Card {
    fn new(key: &str, value: String) -> Card {
        Card { key: key.to_string(), value, notes: Vec::new(), class: "", wide: false }
    }
}

struct Headline {
    cards: Vec<Card>,
    levels: Vec<(String, String, String)>,
    files_missing: bool,
    files_form: Option<String>,
}

fn headline(r: &Report, lang: Lang, links: &Links) -> Headline {
    let Summary { figures: f, previous_ratings, previous_satisfaction_rate, change_points: change } = &r.summary;
    let nodata = label("nodata", lang);
    let monthly = r.period.first == r.period.last;
    let previous = match (lang, monthly) {
        (Lang::Vi, true) => "tháng trước",
        (Lang::Vi, false) => "kỳ trước",
        (Lang::En, true) => "previous month",
        (Lang::En, false) => "previous period",
    };
    let mut cards = Vec::new();

    let mut c = Card::new(label("k.ratings", lang), count(f.ratings, lang));
    c.notes.push(format!("{previous}: {}", count(*previous_ratings, lang)));
    if f.with_case > 0 {
        c.notes.push(match lang {
            Lang::Vi => format!("{} đánh giá có kèm phản ánh", count(f.with_case, lang)),
            Lang::En => format!("{} ratings opened a case", count(f.with_case, lang)),
        });
    }
    cards.push(c);

    let mut c = Card::new(label("k.rate", lang), percent_or(f.satisfaction_rate, lang, nodata));
    if f.suppressed {
        c.class = "muted";
        c.notes.push(below_min(r.period.min_count, lang));
    }
    match change {
        Some(p) => {
            c.class = if *p > 0.0 {
                "up"
            } else if *p < 0.0 {
                "down"
            } else {
                ""
            };
            let prev = percent_or(*previous_satisfaction_rate, lang, nodata);
            c.notes.push(match lang {
                Lang::Vi => format!("{} so với {previous} ({prev})", change_points(*p, lang)),
                Lang::En => format!("{} compared with the {previous} ({prev})", change_points(*p, lang)),
            });
        }
        None if !f.suppressed => {
            c.notes.push(format!("{previous}: {}", percent_or(*previous_satisfaction_rate, lang, nodata)));
        }
        None => {}
    }
    cards.push(c);

    let mut c = Card::new(label("k.766r", lang), percent_or(f.rate_766_ratings, lang, nodata));
    c.notes.push(label("k.766r_note", lang).to_string());
    c.wide = true;
    if f.rate_766_ratings.is_none() {
        c.class = "muted";
    }
    cards.push(c);

    let files_missing = f.files.is_none();
    if let Some(files) = f.files {
        let mut c = Card::new(label("k.766f", lang), percent_or(f.rate_766_files, lang, nodata));
        c.notes.push(match lang {
            Lang::Vi => format!("{} hồ sơ đã giải quyết", count(files, lang)),
            Lang::En => format!("{} files handled", count(files, lang)),
        });
        if let Some(cov) = f.coverage {
            c.notes.push(format!("{}: {}", label("col.coverage", lang), percent(cov, lang)));
        }
        if f.ratings_exceed_files {
            c.notes.push(label("exceeds", lang).to_string());
        }
        cards.push(c);
    }

    if let Some(s) = &f.unit_total {
        let mut c = Card::new(label("k.total", lang), score(s.total, lang));
        c.notes.push(score_note(s, lang));
        cards.push(c);
    }

    // Level shares: a display division of counts shown beside them, withheld when suppressed.
    let scale = Scale::parse(&r.period.scale).unwrap_or_default();
    let levels = f
        .levels
        .iter()
        .rev()
        .map(|(level, n)| {
            let words = level.parse::<i32>().ok().and_then(|l| level_words(scale, l));
            let name = words.map_or_else(|| level.clone(), |w| w.get(lang).to_string());
            let share = if f.suppressed || f.ratings == 0 {
                String::new()
            } else {
                percent(*n as f64 / f.ratings as f64, lang)
            };
            (name, count(*n, lang), share)
        })
        .collect();
    Headline { cards, levels, files_missing, files_form: links.files_form.clone() }
}

/// Under a score: its band, or how many indices it rests on when some have no data.
fn score_note(s: &Score, lang: Lang) -> String {
    match (&s.band_vi, &s.band_en) {
        (Some(vi), Some(en)) => pick(vi, en, lang).to_string(),
        _ => indices_of(s.with_data, s.of, lang),
    }
}

#[derive(Default)]
struct Cell {
    text: String,
    note: String,
}

impl Cell {
    fn text(text: String) -> Cell {
        Cell { text, note: String::new() }
    }
}

/// A ranked table. The `pre` columns (counts) are shown for every row; the `post` columns
/// (rates, scores) give way to one "not enough data" cell on a suppressed row.
struct Table {
    id: &'static str,
    heading: &'static str,
    name_head: &'static str,
    pre_head: Vec<&'static str>,
    post_head: Vec<&'static str>,
    rows: Vec<Row>,
    empty: &'static str,
}

struct Row {
    rank: String,
    name: String,
    code: String,
    sub: String,
    pre: Vec<Cell>,
    post: Vec<Cell>,
    suppressed: bool,
    nodata_note: String,
}

fn table(items: &[Figures], kind: Item, files_cols: bool, min: u64, lang: Lang) -> Table {
    let t = |k| label(k, lang);
    let with_files = files_cols && kind != Item::Officer;
    let mut pre_head = vec![t("col.ratings")];
    let mut post_head = vec![t("col.rate"), t("col.wilson"), t("col.766r")];
    if with_files {
        pre_head.push(t("col.files"));
        post_head.extend([t("col.766f"), t("col.coverage")]);
    }
    post_head.extend(["CS1", "CS3", "CS4", "CS7"]);
    match kind {
        Item::Unit | Item::Scope => post_head.extend(["CS8", t("col.total")]),
        Item::Officer => post_head.push(t("col.score")),
        Item::Desk => {}
    }
    let (id, heading, name_head, empty) = match kind {
        Item::Unit | Item::Scope => ("units", t("s.units"), t("col.unit"), t("empty.units")),
        Item::Desk => ("desks", t("s.desks"), t("col.desk"), t("empty.desks")),
        Item::Officer => ("officers", t("s.officers"), t("col.officer"), t("empty.officers")),
    };
    let rows = items.iter().map(|f| row(f, kind, with_files, min, lang)).collect();
    Table { id, heading, name_head, pre_head, post_head, rows, empty }
}

fn row(f: &Figures, kind: Item, with_files: bool, min: u64, lang: Lang) -> Row {
    let dash = || "—".to_string();
    let pc = |x: Option<f64>| Cell::text(x.map_or_else(dash, |v| percent(v, lang)));
    let idx =
        |i: &Option<IndexScore>| Cell::text(i.as_ref().and_then(|s| s.score).map_or_else(dash, |v| score(v, lang)));
    let total = |s: &Option<Score>| match s {
        Some(s) => Cell { text: score(s.total, lang), note: score_note(s, lang) },
        None => Cell::text(dash()),
    };

    let mut pre = vec![Cell::text(count(f.ratings, lang))];
    let mut post = vec![pc(f.satisfaction_rate), pc(f.wilson_lower), pc(f.rate_766_ratings)];
    if with_files {
        pre.push(Cell::text(f.files.map_or_else(dash, |n| count(n, lang))));
        let mut over_files = pc(f.rate_766_files);
        if f.ratings_exceed_files {
            over_files.note = label("exceeds_short", lang).to_string();
        }
        post.extend([over_files, pc(f.coverage)]);
    }
    post.extend([idx(&f.indices.idx1), idx(&f.indices.idx3), idx(&f.indices.idx4), idx(&f.indices.idx7)]);
    match kind {
        Item::Unit | Item::Scope => post.extend([idx(&f.indices.idx8), total(&f.unit_total)]),
        Item::Officer => post.push(total(&f.officer_score)),
        Item::Desk => {}
    }
    // A desk or officer is shown with its unit; a unit with the one above it.
    let sub = if kind == Item::Unit { String::new() } else { f.unit_name.clone() };
    Row {
        rank: f.rank.map_or_else(dash, |n| n.to_string()),
        name: f.name.clone(),
        code: f.code.clone(),
        sub,
        pre,
        post,
        suppressed: f.suppressed,
        nodata_note: below_min(min, lang),
    }
}

struct ShareGroup {
    title: &'static str,
    rows: Vec<(String, String, String)>,
}

struct BehavioursView {
    ticks_svg: String,
    groups: Vec<ShareGroup>,
    ratings: String,
}

fn behaviours(b: &Behaviours, lang: Lang) -> BehavioursView {
    let nodata = label("nodata", lang);
    let ticks: Vec<(String, Option<f64>)> = b
        .ticks
        .iter()
        .map(|s| {
            let name = pick(&s.label_vi, &s.label_en, lang);
            (format!("{name}: {} ({})", percent_or(s.share, lang, nodata), count(s.count, lang)), s.share)
        })
        .collect();
    let group = |title: &str, shares: &[Share]| ShareGroup {
        title: label(title, lang),
        rows: shares
            .iter()
            .map(|s| {
                (
                    pick(&s.label_vi, &s.label_en, lang).to_string(),
                    format!("{}/{}", count(s.count, lang), count(s.of, lang)),
                    percent_or(s.share, lang, nodata),
                )
            })
            .collect(),
    };
    let groups = [
        ("b.on_time", &b.on_time),
        ("b.come_back", &b.come_back),
        ("b.other_offices", &b.other_offices),
        ("b.yes_no", &b.yes_no),
    ]
    .into_iter()
    .filter(|(_, s)| !s.is_empty())
    .map(|(t, s)| group(t, s))
    .collect();
    BehavioursView {
        ticks_svg: if ticks.is_empty() { String::new() } else { svg::bar(&ticks) },
        groups,
        ratings: count(b.ratings, lang),
    }
}

struct CasesView {
    any: bool,
    cards: Vec<Card>,
    status_head: Vec<String>,
    categories: Vec<(String, Vec<String>, String)>,
    totals: Vec<String>,
    opened: String,
    overdue: Vec<OverdueRow>,
    withheld: String,
}

fn cases(c: &Cases, lang: Lang) -> CasesView {
    let mut cards = Vec::new();
    let of = |part: u64, whole: u64| format!("{}/{}", count(part, lang), count(whole, lang));
    cards.push(Card::new(label("c.opened", lang), count(c.opened, lang)));
    let mut k = Card::new(label("c.ack_on_time", lang), percent_or(c.acknowledged_on_time_rate, lang, "—"));
    k.notes.push(of(c.acknowledged_on_time, c.acknowledged));
    cards.push(k);
    let mut k = Card::new(label("c.closed_on_time", lang), percent_or(c.closed_on_time_rate, lang, "—"));
    k.notes.push(of(c.closed_on_time, c.closed));
    cards.push(k);
    cards.push(hours_card(label("c.hours_ack", lang), &c.hours_to_acknowledge, lang));
    cards.push(hours_card(label("c.hours_close", lang), &c.hours_to_close, lang));
    cards.push(Card::new(label("c.escalations", lang), count(c.escalations, lang)));
    cards.push(Card::new(label("c.reopened", lang), count(c.reopened, lang)));
    let mut k = Card::new(
        label("c.answers", lang),
        format!("{} / {}", count(c.answers_satisfied, lang), count(c.answers_not_satisfied, lang)),
    );
    k.notes.push(match lang {
        Lang::Vi => "hài lòng / chưa hài lòng".to_string(),
        Lang::En => "satisfied / not satisfied".to_string(),
    });
    cards.push(k);
    let mut k = Card::new(label("c.dragging", lang), count(c.dragging, lang));
    if c.dragging > 0 {
        k.class = "down";
    }
    cards.push(k);

    // Status columns in the order a case moves through them; codes this page does not know last.
    let mut codes: Vec<&str> = Status::ALL
        .iter()
        .map(|s| s.as_str())
        .filter(|code| c.by_status.contains_key(*code) || c.by_category.iter().any(|k| k.by_status.contains_key(*code)))
        .collect();
    let known: Vec<&str> = Status::ALL.iter().map(|s| s.as_str()).collect();
    for code in c.by_status.keys().chain(c.by_category.iter().flat_map(|k| k.by_status.keys())) {
        if !known.contains(&code.as_str()) && !codes.contains(&code.as_str()) {
            codes.push(code);
        }
    }
    let cell = |m: &std::collections::BTreeMap<String, u64>, code: &str| {
        m.get(code).map_or_else(|| "0".to_string(), |n| count(*n, lang))
    };
    let categories = c
        .by_category
        .iter()
        .map(|k| {
            (
                pick(&k.label_vi, &k.label_en, lang).to_string(),
                codes.iter().map(|code| cell(&k.by_status, code)).collect(),
                count(k.opened, lang),
            )
        })
        .collect();
    let overdue = c
        .overdue
        .iter()
        .map(|o| {
            let deadline = match (o.deadline.as_str(), lang) {
                ("acknowledge", Lang::Vi) => "Xác nhận".to_string(),
                ("acknowledge", Lang::En) => "Acknowledgement".to_string(),
                ("resolve", Lang::Vi) => "Giải quyết".to_string(),
                ("resolve", Lang::En) => "Resolution".to_string(),
                (other, _) => other.to_string(),
            };
            // The instant in the reader's language; the stored local words if it does not parse.
            let due = match chrono::DateTime::parse_from_rfc3339(&o.due) {
                Ok(t) => local_time(t.with_timezone(&chrono::Utc), lang),
                Err(_) => o.due_local.clone(),
            };
            OverdueRow {
                number: o.number.clone(),
                category: pick(&o.category_vi, &o.category_en, lang).to_string(),
                unit: o.unit_name.clone(),
                deadline,
                due,
                days: count(o.days_overdue.max(0) as u64, lang),
            }
        })
        .collect();
    let withheld = match (c.withheld_from_reader, lang) {
        (0, _) => String::new(),
        (n, Lang::Vi) => {
            format!("{} phản ánh liên quan đến chính người xem báo cáo không được liệt kê.", count(n, lang))
        }
        (n, Lang::En) => format!("{} cases about the reader of this report are not listed.", count(n, lang)),
    };
    CasesView {
        any: c.opened > 0 || !c.overdue.is_empty() || c.closed > 0 || c.acknowledged > 0 || c.dragging > 0,
        cards,
        status_head: codes.iter().map(|code| status_label(code, lang)).collect(),
        totals: codes.iter().map(|code| cell(&c.by_status, code)).collect(),
        categories,
        opened: count(c.opened, lang),
        overdue,
        withheld,
    }
}

/// Only what identifies an overdue case to the people who must act on it: never the receipt, the
/// description or anything about the complainant.
struct OverdueRow {
    number: String,
    category: String,
    unit: String,
    deadline: String,
    due: String,
    days: String,
}

fn hours_card(key: &str, p: &Percentiles, lang: Lang) -> Card {
    let h = |x: f64| match lang {
        Lang::Vi => format!("{} giờ", score(x, lang)),
        Lang::En => format!("{} h", score(x, lang)),
    };
    let mut k = Card::new(key, p.median.map_or_else(|| "—".to_string(), h));
    if let Some(p90) = p.p90 {
        k.notes.push(match lang {
            Lang::Vi => format!("90 % trong vòng {} ({} phản ánh)", h(p90), count(p.count, lang)),
            Lang::En => format!("90% within {} ({} cases)", h(p90), count(p.count, lang)),
        });
    }
    k
}

struct TrendView {
    scope_svg: String,
    scope_name: String,
    children: Vec<(String, String)>,
}

fn trend(r: &Report, lang: Lang) -> TrendView {
    let t = &r.trend;
    let caption = label("t.caption", lang);
    let chart = |name: &str, ratings: &[u64], rates: &[Option<f64>]| {
        svg::trend(&t.months, ratings, rates, lang, &format!("{name}: {}", caption.to_lowercase()))
    };
    TrendView {
        scope_svg: chart(&t.scope.name, &t.scope.ratings, &t.scope.satisfaction_rate),
        scope_name: t.scope.name.clone(),
        children: t
            .children
            .iter()
            .map(|c| (c.name.clone(), chart(&c.name, &c.ratings, &c.satisfaction_rate)))
            .collect(),
    }
}

struct SignalView {
    kind: String,
    desk: String,
    count: String,
    detail: String,
    meaning: String,
}

fn signal(s: &Signal, lang: Lang) -> SignalView {
    let count = match (s.kind.as_str(), lang) {
        ("low_coverage", Lang::Vi) => format!("Độ phủ: {} %", s.count),
        ("low_coverage", Lang::En) => format!("Coverage: {}%", s.count),
        (_, Lang::Vi) => format!("{} đánh giá", count(s.count, lang)),
        (_, Lang::En) => format!("{} ratings", count(s.count, lang)),
    };
    SignalView {
        kind: signal_label(&s.kind, lang),
        desk: format!("{} ({}, {})", s.desk_name, s.desk_code, s.unit_code),
        count,
        detail: pick(&s.detail_vi, &s.detail_en, lang).to_string(),
        meaning: pick(&s.meaning_vi, &s.meaning_en, lang).to_string(),
    }
}

struct NotesView {
    lines: Vec<String>,
    indices: String,
    min_count: String,
    ledger: Option<LedgerView>,
}

struct LedgerView {
    seq: String,
    hash: String,
    at: String,
}

fn notes(r: &Report, lang: Lang) -> NotesView {
    let n = &r.notes;
    let indices = if n.indices_with_data.is_empty() {
        label("none", lang).to_string()
    } else {
        n.indices_with_data.iter().map(|i| i.to_string()).collect::<Vec<_>>().join(", ")
    };
    let min_count = match lang {
        Lang::Vi => format!("{} đánh giá; dưới ngưỡng này: “chưa đủ dữ liệu”", count(n.min_count, lang)),
        Lang::En => format!("{} ratings; below it: “not enough data”", count(n.min_count, lang)),
    };
    NotesView {
        lines: pick_lines(&n.lines_vi, &n.lines_en, lang).to_vec(),
        indices,
        min_count,
        ledger: n.ledger_head.as_ref().map(|h| LedgerView {
            seq: h.seq.to_string(),
            hash: h.hash.clone(),
            at: when(&h.at, lang),
        }),
    }
}

fn pick_lines<'a>(vi: &'a [String], en: &'a [String], lang: Lang) -> &'a [String] {
    match lang {
        Lang::Vi => vi,
        Lang::En => en,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::sample;

    fn vi() -> String {
        monthly(&sample(), Lang::Vi, &links()).unwrap()
    }

    fn links() -> Links {
        Links {
            csv: Some("/reports/X/2026-10.csv".into()),
            docx: None,
            xlsx: Some("/reports/X/2026-10.xlsx".into()),
            json: Some("/reports/X/2026-10.json".into()),
            other_lang: Some("?lang=en".into()),
            files_form: None,
        }
    }

    /// The text of the table row whose name cell starts with `name`, tags stripped.
    fn row_text(html: &str, name: &str) -> String {
        let at =
            html.find(&format!("<th scope=\"row\" class=\"name\">{name}")).unwrap_or_else(|| panic!("no row {name}"));
        let start = html[..at].rfind("<tr").unwrap();
        let end = at + html[at..].find("</tr>").unwrap();
        strip_tags(&html[start..end])
    }

    fn strip_tags(s: &str) -> String {
        let mut out = String::new();
        let mut in_tag = false;
        for c in s.chars() {
            match c {
                '<' => in_tag = true,
                '>' => {
                    in_tag = false;
                    out.push(' ');
                }
                c if !in_tag => out.push(c),
                _ => {}
            }
        }
        out.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    #[test]
    fn numbers_in_each_language() {
        assert_eq!(count(7, Lang::Vi), "7");
        assert_eq!(count(1234, Lang::Vi), "1.234");
        assert_eq!(count(1234567, Lang::En), "1,234,567");
        assert_eq!(percent(0.8125, Lang::Vi), "81,3\u{a0}%", "half up");
        assert_eq!(percent(0.8125, Lang::En), "81.3%");
        assert_eq!(percent(1.0, Lang::Vi), "100,0\u{a0}%");
        assert_eq!(percent(0.0, Lang::En), "0.0%");
        assert_eq!(percent(12.345, Lang::Vi), "1.234,5\u{a0}%");
        assert_eq!(score(3.5, Lang::Vi), "3,5");
        assert_eq!(score(3.5, Lang::En), "3.5");
        assert_eq!(score(15.0, Lang::Vi), "15,0");
        assert_eq!(score(1234.5, Lang::En), "1,234.5");
        assert_eq!(change_points(2.1, Lang::Vi), "▲ 2,1\u{a0}điểm\u{a0}%");
        assert_eq!(change_points(-0.36, Lang::En), "▼ 0.4\u{a0}pp");
        assert_eq!(change_points(-0.01, Lang::En), "= 0.0\u{a0}pp", "no arrow for what prints as zero");
        assert_eq!(date("2026-12-15"), "15/12/2026");
        assert_eq!(when("2026-11-01T09:30:00+07:00", Lang::Vi), "09:30 Chủ nhật, 01/11/2026");
        assert_eq!(when("not a time", Lang::Vi), "not a time");
    }

    #[test]
    fn every_section_is_there_in_order() {
        let html = vi();
        let mut last = 0;
        for key in [
            "s.headline",
            "s.units",
            "s.desks",
            "s.officers",
            "s.behaviours",
            "s.cases",
            "s.trend",
            "s.signals",
            "s.notes",
        ] {
            let heading = format!(">{}</h2>", askama_escape(label(key, Lang::Vi)));
            let at = html.find(&heading).unwrap_or_else(|| panic!("no heading {heading}"));
            assert!(at > last, "{key} out of order");
            last = at;
        }
        assert!(html.starts_with("<!doctype html>\n<html lang=\"vi\">"), "{}", &html[..60]);
        assert!(html.contains("Xã Phước Lộc") && html.contains("tháng 10/2026"));
        assert!(html.contains(r#"href="/reports/X/2026-10.csv""#) && html.contains(r#"href="?lang=en""#));
        assert!(!html.to_lowercase().contains("<script"));
        assert!(!html.contains("<link"), "standalone: nothing fetched from elsewhere");
    }

    /// askama escapes quotes too; the labels with “” are typographic and pass through.
    fn askama_escape(s: &str) -> String {
        s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
    }

    #[test]
    fn a_suppressed_desk_shows_not_enough_data_and_no_rate() {
        let html = vi();
        let row = row_text(&html, "Quầy 3");
        assert!(row.contains("chưa đủ dữ liệu"), "{row}");
        assert!(!row.contains('%'), "no rate on a suppressed row: {row}");
        assert!(row.starts_with("— Quầy 3"), "no rank: {row}");
        assert!(row.contains(" 4 "), "its ratings are still counted: {row}");
        let ranked = row_text(&html, "Quầy 1");
        // (Tags stripped, the no-break space before % reads as a space.)
        assert!(ranked.starts_with("1 Quầy 1") && ranked.contains(" 90,0 % "), "{ranked}");
    }

    #[test]
    fn the_766_rate_is_labelled_over_ratings() {
        let html = vi();
        assert!(html.contains("tính trên số lượt đánh giá, không phải số hồ sơ"));
        let en = monthly(&sample(), Lang::En, &links()).unwrap();
        assert!(en.contains("over ratings, not files"));
    }

    #[test]
    fn files_missing_says_how_to_enter_them_and_files_entered_show_coverage() {
        let mut r = sample();
        r.summary.figures.files = None;
        r.summary.figures.rate_766_files = None;
        r.summary.figures.coverage = None;
        r.notes.files_entered = false;
        let l = Links { files_form: Some("/admin/files?unit=X".into()), ..links() };
        let html = monthly(&r, Lang::Vi, &l).unwrap();
        assert!(html.contains("chưa quầy nào nhập số hồ sơ"), "{html}");
        assert!(html.contains("<code>hailong files set</code>") && html.contains(r#"href="/admin/files?unit=X""#));
        assert!(!html.contains(">Độ phủ<"), "no files columns without files");

        let html = vi();
        assert!(!html.contains("chưa quầy nào nhập số hồ sơ"));
        assert!(html.contains("Độ phủ: 40,0\u{a0}%"), "coverage beside the rate over files");
        assert!(html.contains(">Độ phủ</th>"));
    }

    #[test]
    fn numbers_follow_the_language() {
        let html = vi();
        assert!(html.contains(">1.234<"), "ratings grouped with a dot");
        assert!(html.contains("81,3\u{a0}%"));
        assert!(html.contains("▲ 2,1\u{a0}điểm\u{a0}%"));
        let en = monthly(&sample(), Lang::En, &links()).unwrap();
        assert!(en.starts_with("<!doctype html>\n<html lang=\"en\">"));
        assert!(en.contains(">1,234<") && en.contains("81.3%") && en.contains("▲ 2.1\u{a0}pp"));
        assert!(en.contains(">By desk (one-stop desk)</h2>") && en.contains("not enough data"));
        assert!(!en.contains("chưa đủ dữ liệu"), "no Vietnamese label left on the English page");
        assert!(en.contains(">Tiếng Việt</a>"));
    }

    #[test]
    fn scores_carry_their_band_or_index_count() {
        let html = vi();
        let unit = row_text(&html, "UBND xã Phước Lộc");
        assert!(unit.contains("7,4 (5/9 chỉ số)"), "{unit}");
        let officer = row_text(&html, "Nguyễn Thị Hoa");
        assert!(officer.contains("5,6 Hoàn thành 100% nhiệm vụ"), "{officer}");
        let en = monthly(&sample(), Lang::En, &links()).unwrap();
        assert!(row_text(&en, "UBND xã Phước Lộc").contains("7.4 (5 of 9 indices)"));
    }

    #[test]
    fn names_are_escaped() {
        let mut r = sample();
        r.units[1].name = "Phòng <b>Tư pháp</b> & Hộ tịch".into();
        r.trend.children[1].name = "Phòng <b>Tư pháp</b> & Hộ tịch".into();
        let html = monthly(&r, Lang::Vi, &links()).unwrap();
        assert!(!html.contains("<b>Tư pháp"), "markup in a name must not reach the page");
        assert!(html.contains("Phòng &#60;b&#62;Tư pháp&#60;/b&#62; &#38; Hộ tịch"), "askama's escaping");
        assert!(html.contains("Phòng &lt;b&gt;Tư pháp&lt;/b&gt; &amp; Hộ tịch"), "the chart's escaping");
    }

    #[test]
    fn cases_show_numbers_never_more() {
        let html = vi();
        let overdue = &html[html.find("id=\"overdue\"").unwrap()..];
        let overdue = &overdue[..overdue.find("</table>").unwrap()];
        assert!(overdue.contains("2026-000123") && overdue.contains("Giải quyết") && overdue.contains(">6<"));
        assert!(html.contains("Chuyển cấp trên") && html.contains("Mở lại"));
        assert!(html.contains("3,5 giờ"));
    }

    #[test]
    fn trends_signals_and_notes() {
        let html = vi();
        assert_eq!(html.matches("<svg").count(), 1 + 2 + 1, "scope, two units, the behaviour bars");
        assert!(html.contains("có tháng chưa đủ dữ liệu"), "the gap month is named");
        assert!(html.contains("dấu hiệu cần xem xét, không phải kết luận vi phạm"));
        assert!(html.contains("Đánh giá ngoài giờ làm việc của quầy"));
        assert!(html.contains("<code>hailong audit verify</code>"));
        assert!(html.contains("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"));
        assert!(html.contains("Chỉ số 7: hồ sơ trễ hẹn"), "the model's own notes");
    }

    #[test]
    fn yearly_page_has_the_document_then_the_figures() {
        let y = crate::report::sample_yearly();
        let html = yearly(&y, Lang::Vi, &links()).unwrap();
        let motto = html.find("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM").unwrap();
        let title = html.find("Kết quả thực hiện Đề án Văn hóa công vụ năm 2026").unwrap();
        let signer = html.find("TM. ỦY BAN NHÂN DÂN").unwrap();
        let annex = html.find(label("s.annex", Lang::Vi)).unwrap();
        let units = html.find(">Theo đơn vị</h2>").unwrap();
        assert!(motto < title && title < signer && signer < annex && annex < units);
        assert!(html.contains("Số: …/BC-UBND") && html.contains("Nơi nhận:") && html.contains("15/12/2026"));
        assert!(!html.to_lowercase().contains("<script"));
        let en = yearly(&y, Lang::En, &links()).unwrap();
        assert!(en.contains("<html lang=\"en\">") && en.contains("Độc lập - Tự do - Hạnh phúc"));
        assert!(en.contains("<div class=\"doc\" lang=\"vi\">"), "the Vietnamese draft is marked as such");
    }

    #[test]
    fn every_label_used_in_the_templates_exists() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/report");
        let mut checked = 0;
        for entry in std::fs::read_dir(dir).unwrap() {
            let p = entry.unwrap().path();
            let text = std::fs::read_to_string(&p).unwrap();
            for piece in text.split("l.t(\"").skip(1) {
                let key = piece.split('"').next().unwrap();
                assert!(lookup(key).is_some(), "{}: missing label {key:?}", p.display());
                checked += 1;
            }
        }
        assert!(checked > 20);
    }

    /// Writes the sample pages for a look in a browser: `HAILONG_REPORT_SAMPLES=/tmp/r cargo test
    /// --lib report::html::tests::write_samples -- --ignored`.
    #[test]
    #[ignore]
    fn write_samples() {
        let dir =
            std::path::PathBuf::from(std::env::var("HAILONG_REPORT_SAMPLES").unwrap_or("/tmp/hailong-report".into()));
        std::fs::create_dir_all(&dir).unwrap();
        let y = crate::report::sample_yearly();
        for (name, html) in [
            ("monthly-vi.html", monthly(&sample(), Lang::Vi, &links()).unwrap()),
            ("monthly-en.html", monthly(&sample(), Lang::En, &links()).unwrap()),
            ("yearly-vi.html", yearly(&y, Lang::Vi, &links()).unwrap()),
            ("yearly-en.html", yearly(&y, Lang::En, &links()).unwrap()),
        ] {
            std::fs::write(dir.join(name), html).unwrap();
        }
        eprintln!("wrote {}", dir.display());
    }
}
