//! The report as an XLSX workbook, one sheet per section: summary, units, desks, officers,
//! behaviours, cases, overdue cases, trend, signals, notes.
//!
//! Each table starts with one bold heading row, frozen so it stays in view. Numbers are numbers:
//! counts are integers, rates are fractions shown with the `0.0%` format (0.8125 shows as 81.3%),
//! scores are shown with one decimal. A missing figure is an empty cell; the satisfaction rate of a
//! suppressed item says "chưa đủ dữ liệu" ("not enough data") instead. Sheet names and headings
//! are in the report's language.

use rust_xlsxwriter::{Color, DocProperties, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};

use super::columns::{self, Col, Value, pick};
use crate::domain::survey::Scale;
use crate::error::{Error, Result};
use crate::i18n::Lang;
use crate::service::reports::model::{Figures, Item, Report, Share, Yearly};

/// The monthly report's workbook.
pub fn monthly(r: &Report, lang: Lang) -> Result<Vec<u8>> {
    workbook(r, lang, None)
}

/// The yearly report's workbook: the same sheets over the reporting period, its summary naming
/// the year and the date the report is due.
pub fn yearly(y: &Yearly, lang: Lang) -> Result<Vec<u8>> {
    workbook(&y.report, lang, Some(y))
}

fn workbook(r: &Report, lang: Lang, yearly: Option<&Yearly>) -> Result<Vec<u8>> {
    build(r, lang, yearly).map_err(|e| Error::Other(anyhow::anyhow!("writing the XLSX report: {e}")))
}

/// The sheet names, at most 31 characters each (Excel's limit).
pub(crate) fn sheet_names(lang: Lang) -> [&'static str; 10] {
    match lang {
        Lang::Vi => [
            "Tổng hợp",
            "Đơn vị",
            "Quầy",
            "Cán bộ",
            "Hành vi ứng xử",
            "Phản ánh, kiến nghị",
            "Quá hạn",
            "Xu hướng",
            "Dấu hiệu bất thường",
            "Ghi chú",
        ],
        Lang::En => {
            ["Summary", "Units", "Desks", "Officers", "Behaviours", "Cases", "Overdue", "Trend", "Signals", "Notes"]
        }
    }
}

fn build(r: &Report, lang: Lang, yearly: Option<&Yearly>) -> Result<Vec<u8>, XlsxError> {
    let st = Styles::new();
    let names = sheet_names(lang);
    let mut wb = Workbook::new();
    wb.set_properties(&DocProperties::new().set_title(title(r, lang, yearly)));

    summary(Sheet::new(wb.add_worksheet(), names[0], &st)?, r, lang, yearly)?;
    let scale = columns::scale(r);
    for (name, item, rows) in
        [(names[1], Item::Unit, &r.units), (names[2], Item::Desk, &r.desks), (names[3], Item::Officer, &r.officers)]
    {
        figures(Sheet::new(wb.add_worksheet(), name, &st)?, scale, item, rows, lang)?;
    }
    behaviours(Sheet::new(wb.add_worksheet(), names[4], &st)?, r, lang)?;
    cases(Sheet::new(wb.add_worksheet(), names[5], &st)?, r, lang)?;
    overdue(Sheet::new(wb.add_worksheet(), names[6], &st)?, r, lang)?;
    trend(Sheet::new(wb.add_worksheet(), names[7], &st)?, r, lang)?;
    signals(Sheet::new(wb.add_worksheet(), names[8], &st)?, r, lang)?;
    notes(Sheet::new(wb.add_worksheet(), names[9], &st)?, r, lang)?;
    wb.save_to_buffer()
}

fn title(r: &Report, lang: Lang, yearly: Option<&Yearly>) -> String {
    let label = period_label(r, lang);
    match (yearly, lang) {
        (None, Lang::Vi) => format!("Báo cáo mức độ hài lòng {label} – {}", r.scope.name),
        (None, Lang::En) => format!("Satisfaction report, {label} – {}", r.scope.name),
        (Some(y), Lang::Vi) => format!("Báo cáo năm {}, {label} – {}", y.year, r.scope.name),
        (Some(y), Lang::En) => format!("Yearly report {}, {label} – {}", y.year, r.scope.name),
    }
}

fn period_label(r: &Report, lang: Lang) -> &str {
    match lang {
        Lang::Vi => &r.period.label_vi,
        Lang::En => &r.period.label_en,
    }
}

/// An RFC 3339 instant as people in Việt Nam read it; as given when it does not parse.
fn local(t: &str, lang: Lang) -> String {
    chrono::DateTime::parse_from_rfc3339(t)
        .map(|t| crate::i18n::local_time(t.with_timezone(&chrono::Utc), lang))
        .unwrap_or_else(|_| t.to_string())
}

struct Styles {
    header: Format,
    bold: Format,
    plain: Format,
    id: Format,
    count: Format,
    rate: Format,
    score: Format,
    points: Format,
    wrap: Format,
    missing: Format,
}

impl Styles {
    fn new() -> Styles {
        Styles {
            header: Format::new()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Top)
                .set_background_color(Color::RGB(0xE8EEF4))
                .set_border_bottom(FormatBorder::Thin),
            bold: Format::new().set_bold().set_align(FormatAlign::Top),
            // Everything sits at the top of its cell, level with wrapped text beside it.
            plain: Format::new().set_align(FormatAlign::Top),
            id: Format::new().set_align(FormatAlign::Top).set_num_format("0"),
            count: Format::new().set_align(FormatAlign::Top).set_num_format("#,##0"),
            rate: Format::new().set_align(FormatAlign::Top).set_num_format("0.0%"),
            score: Format::new().set_align(FormatAlign::Top).set_num_format("0.0"),
            points: Format::new().set_align(FormatAlign::Top).set_num_format("+0.0;-0.0;0.0"),
            wrap: Format::new().set_text_wrap().set_align(FormatAlign::Top),
            missing: Format::new()
                .set_italic()
                .set_font_color(Color::RGB(0x6B6B6B))
                .set_align(FormatAlign::Right)
                .set_align(FormatAlign::Top),
        }
    }
}

/// Text longer than this wraps instead of widening its column.
const WRAP_AT: usize = 60;

/// A worksheet being written: keeps the widest content of each column to size the columns at the
/// end (rust_xlsxwriter's autofit would size them by the long headings and texts as well).
struct Sheet<'a> {
    ws: &'a mut Worksheet,
    st: &'a Styles,
    widths: Vec<usize>,
    /// Cells whose text wraps: (row, column, text, bold), to size their rows at the end, since
    /// not every program grows a row for wrapped text when it opens the file.
    wrapped: Vec<(u32, u16, String, bool)>,
    gridlines: bool,
}

impl<'a> Sheet<'a> {
    fn new(ws: &'a mut Worksheet, name: &str, st: &'a Styles) -> Result<Sheet<'a>, XlsxError> {
        ws.set_name(name)?;
        Ok(Sheet { ws, st, widths: Vec::new(), wrapped: Vec::new(), gridlines: true })
    }

    fn fit(&mut self, col: u16, chars: usize) {
        let c = col as usize;
        if self.widths.len() <= c {
            self.widths.resize(c + 1, 0);
        }
        self.widths[c] = self.widths[c].max(chars);
    }

    /// A heading row; it wraps within the width the data needs.
    fn heading<S: AsRef<str>>(&mut self, row: u32, titles: &[S]) -> Result<(), XlsxError> {
        for (c, t) in titles.iter().enumerate() {
            let t = t.as_ref();
            self.ws.write_string_with_format(row, c as u16, t, &self.st.header)?;
            // The narrowest column that holds the heading in three lines (a column of width
            // `w` has room for `w + 1` bold characters once `finish` adds its padding).
            let longest_word = t.split_whitespace().map(|w| w.chars().count()).max().unwrap_or(0);
            let narrowest = (longest_word..WRAP_AT).find(|w| wrapped_lines(t, w + 1) <= 3).unwrap_or(WRAP_AT);
            self.fit(c as u16, narrowest);
            self.wrapped.push((row, c as u16, t.to_string(), true));
        }
        Ok(())
    }

    fn text(&mut self, row: u32, col: u16, s: &str) -> Result<(), XlsxError> {
        if s.is_empty() {
            return Ok(());
        }
        let n = s.chars().count();
        if n > WRAP_AT {
            self.ws.write_string_with_format(row, col, s, &self.st.wrap)?;
            self.fit(col, WRAP_AT);
            self.wrapped.push((row, col, s.to_string(), false));
        } else {
            self.ws.write_string_with_format(row, col, s, &self.st.plain)?;
            self.fit(col, n);
        }
        Ok(())
    }

    /// Text that may run on into the empty cells to its right: it does not widen its column.
    fn note(&mut self, row: u32, col: u16, s: &str) -> Result<(), XlsxError> {
        self.ws.write_string_with_format(row, col, s, &self.st.plain)?;
        Ok(())
    }

    fn bold(&mut self, row: u32, col: u16, s: &str) -> Result<(), XlsxError> {
        self.ws.write_string_with_format(row, col, s, &self.st.bold)?;
        self.fit(col, s.chars().count().min(WRAP_AT));
        Ok(())
    }

    fn count(&mut self, row: u32, col: u16, n: u64) -> Result<(), XlsxError> {
        self.ws.write_number_with_format(row, col, n as f64, &self.st.count)?;
        self.fit(col, n.to_string().len() + n.to_string().len() / 3);
        Ok(())
    }

    fn rate(&mut self, row: u32, col: u16, x: Option<f64>) -> Result<(), XlsxError> {
        if let Some(x) = x {
            self.ws.write_number_with_format(row, col, x, &self.st.rate)?;
            self.fit(col, 6);
        }
        Ok(())
    }

    fn score(&mut self, row: u32, col: u16, x: Option<f64>) -> Result<(), XlsxError> {
        if let Some(x) = x {
            self.ws.write_number_with_format(row, col, x, &self.st.score)?;
            self.fit(col, format!("{x:.1}").len());
        }
        Ok(())
    }

    fn value(&mut self, row: u32, col: u16, v: Value, lang: Lang) -> Result<(), XlsxError> {
        match v {
            Value::Empty => Ok(()),
            Value::Text(s) => self.text(row, col, &s),
            Value::Count(n) => self.count(row, col, n),
            Value::Id(n) => {
                self.ws.write_number_with_format(row, col, n as f64, &self.st.id)?;
                self.fit(col, n.to_string().len());
                Ok(())
            }
            Value::Rate(x) => self.rate(row, col, Some(x)),
            Value::Score(x) => self.score(row, col, Some(x)),
            Value::NotEnoughData => {
                let s = columns::not_enough_data(lang);
                self.ws.write_string_with_format(row, col, s, &self.st.missing)?;
                self.fit(col, s.chars().count());
                Ok(())
            }
        }
    }

    /// Sizes the columns, makes the heading rows tall enough for their wrapped lines, freezes
    /// the rows above `freeze_row` and the columns left of `freeze_col`, and sets up printing.
    fn finish(self, freeze_row: u32, freeze_col: u16, print: Print) -> Result<(), XlsxError> {
        let widths: Vec<usize> = self.widths.iter().map(|w| (*w).clamp(6, WRAP_AT) + 2).collect();
        for (c, w) in widths.iter().enumerate() {
            self.ws.set_column_width(c as u16, *w as f64)?;
        }
        let mut lines: Vec<(u32, usize)> = Vec::new();
        for (row, col, text, bold) in &self.wrapped {
            // The width unit is a digit; an average letter is about a tenth narrower, a bold one
            // about as wide.
            let room = (widths[*col as usize] - 1) * if *bold { 10 } else { 11 } / 10;
            let n = wrapped_lines(text, room);
            match lines.iter_mut().find(|(r, _)| r == row) {
                Some((_, m)) => *m = (*m).max(n),
                None => lines.push((*row, n)),
            }
        }
        for (row, n) in lines {
            self.ws.set_row_height(row, 15.0 * n as f64 + 2.0)?;
        }
        if freeze_row > 0 || freeze_col > 0 {
            self.ws.set_freeze_panes(freeze_row, freeze_col)?;
        }
        // A4, gridlines, the heading row on every page, the sheet's name and page numbers below.
        self.ws.set_paper_size(9).set_print_gridlines(self.gridlines).set_footer("&L&A&R&P/&N");
        if freeze_row > 0 {
            self.ws.set_repeat_rows(0, freeze_row - 1)?;
        }
        match print {
            Print::Portrait => {
                self.ws.set_print_fit_to_pages(1, 0);
            }
            Print::Landscape => {
                self.ws.set_landscape().set_print_fit_to_pages(1, 0);
            }
            // Too wide to shrink onto one page and stay legible: pages run across, each
            // repeating the frozen columns (code and name).
            Print::Wide => {
                self.ws.set_landscape().set_print_scale(75);
                if freeze_col > 0 {
                    self.ws.set_repeat_columns(0, freeze_col - 1)?;
                }
            }
        }
        Ok(())
    }
}

/// How many lines `text` takes when wrapped at word boundaries into lines of `room` characters.
fn wrapped_lines(text: &str, room: usize) -> usize {
    let room = room.max(1);
    let mut lines = 1;
    let mut used = 0;
    for word in text.split_whitespace() {
        let n = word.chars().count();
        if used > 0 && used + 1 + n > room {
            lines += 1;
            used = 0;
        }
        used += if used > 0 { 1 + n } else { n };
        // A word longer than the line breaks inside itself.
        while used > room {
            lines += 1;
            used -= room;
        }
    }
    lines
}

/// How a sheet prints.
#[derive(Debug, Clone, Copy)]
enum Print {
    /// One page wide, portrait.
    Portrait,
    /// One page wide, landscape.
    Landscape,
    /// Landscape, as many pages wide as it takes.
    Wide,
}

fn summary(mut s: Sheet, r: &Report, lang: Lang, yearly: Option<&Yearly>) -> Result<(), XlsxError> {
    let w = |vi: &'static str, en: &'static str| pick(lang, vi, en);
    // Descriptions run on over the empty cells to the right; printed gridlines would cross them.
    s.gridlines = false;
    s.heading(0, &[w("Chỉ tiêu", "Figure"), w("Giá trị", "Value")])?;
    let mut row = 1;
    let mut line = |s: &mut Sheet, label: &str, v: Value| -> Result<(), XlsxError> {
        s.text(row, 0, label)?;
        match v {
            // Descriptions run on into the empty cells to their right instead of widening the
            // column of figures.
            Value::Text(t) => s.note(row, 1, &t)?,
            v => s.value(row, 1, v, lang)?,
        }
        row += 1;
        Ok(())
    };
    let text = |t: String| Value::Text(t);
    line(&mut s, w("Báo cáo", "Report"), text(title(r, lang, yearly)))?;
    line(&mut s, w("Phạm vi", "Scope"), text(format!("{} ({})", r.scope.name, r.scope.code)))?;
    line(&mut s, w("Kỳ báo cáo", "Reporting period"), text(period_label(r, lang).to_string()))?;
    if let Some(y) = yearly {
        line(&mut s, w("Năm báo cáo", "Year"), text(y.year.to_string()))?;
        let due = chrono::NaiveDate::parse_from_str(&y.deadline, "%Y-%m-%d")
            .map(|d| match lang {
                Lang::Vi => d.format("%d/%m/%Y").to_string(),
                Lang::En => d.format("%-d %B %Y").to_string(),
            })
            .unwrap_or_else(|_| y.deadline.clone());
        line(&mut s, w("Hạn gửi báo cáo", "Report due by"), text(due))?;
    }
    line(&mut s, w("Lập lúc", "Generated at"), text(local(&r.period.generated_at, lang)))?;
    let scale = columns::scale(r);
    let scale_words = match scale {
        Scale::Vn3 => w("3 mức (Thông tư 32/2017/TT-BTTTT)", "three levels (Circular 32/2017/TT-BTTTT)"),
        Scale::Vn5 => w("5 mức", "five levels"),
    };
    line(&mut s, w("Thang đánh giá", "Rating scale"), text(scale_words.to_string()))?;
    line(
        &mut s,
        w("Số lượt tối thiểu để tính tỷ lệ, điểm và xếp hạng", "Minimum ratings for rates, scores and ranks"),
        Value::Count(r.period.min_count),
    )?;
    line(&mut s, w("Số đơn vị trong phạm vi", "Units in scope"), Value::Count(r.scope.unit_count as u64))?;
    line(&mut s, w("Số quầy trong phạm vi", "Desks in scope"), Value::Count(r.scope.desk_count as u64))?;

    let f = &r.summary.figures;
    for col in columns::for_item(scale, Item::Scope) {
        line(&mut s, &col.header(scale, lang, Some(Item::Scope)), col.value(f, lang))?;
    }

    let prev = r.period.period().previous().label(lang);
    let (vi, en) = (format!("Số lượt đánh giá kỳ trước ({prev})"), format!("Ratings in the previous period ({prev})"));
    line(&mut s, pick_str(lang, &vi, &en), Value::Count(r.summary.previous_ratings))?;
    let (vi, en) =
        (format!("Tỷ lệ hài lòng kỳ trước ({prev})"), format!("Satisfaction rate in the previous period ({prev})"));
    line(&mut s, pick_str(lang, &vi, &en), r.summary.previous_satisfaction_rate.map_or(Value::Empty, Value::Rate))?;
    s.text(
        row,
        0,
        w("Thay đổi tỷ lệ hài lòng (điểm phần trăm)", "Change of the satisfaction rate (percentage points)"),
    )?;
    if let Some(p) = r.summary.change_points {
        s.ws.write_number_with_format(row, 1, p, &s.st.points)?;
        s.fit(1, 6);
    }
    s.finish(1, 0, Print::Portrait)
}

fn pick_str<'s>(lang: Lang, vi: &'s str, en: &'s str) -> &'s str {
    match lang {
        Lang::Vi => vi,
        Lang::En => en,
    }
}

fn figures(mut s: Sheet, scale: Scale, item: Item, rows: &[Figures], lang: Lang) -> Result<(), XlsxError> {
    let cols: Vec<Col> = columns::for_item(scale, item);
    let titles: Vec<String> = cols.iter().map(|c| c.header(scale, lang, Some(item))).collect();
    s.heading(0, &titles)?;
    for (i, f) in rows.iter().enumerate() {
        for (c, col) in cols.iter().enumerate() {
            s.value(i as u32 + 1, c as u16, col.value(f, lang), lang)?;
        }
    }
    // Code and name stay in view while scrolling right.
    s.finish(1, 2, Print::Wide)
}

fn behaviours(mut s: Sheet, r: &Report, lang: Lang) -> Result<(), XlsxError> {
    let w = |vi: &'static str, en: &'static str| pick(lang, vi, en);
    let b = &r.behaviours;
    s.heading(
        0,
        &[
            w("Nhóm câu hỏi", "Question"),
            w("Mã", "Code"),
            w("Câu trả lời", "Answer"),
            w("Số lượt", "Count"),
            w("Trên tổng số", "Out of"),
            w("Tỷ lệ", "Share"),
        ],
    )?;
    s.text(1, 0, w("Tổng số lượt đánh giá", "All ratings"))?;
    s.count(1, 3, b.ratings)?;
    let groups: [(&str, &[Share]); 5] = [
        (w("4 xin, 4 luôn", "\"4 xin, 4 luôn\" behaviours"), &b.ticks),
        (w("Chỉ số 1: thời gian trả kết quả so với ngày hẹn", "Index 1: result against the promised date"), &b.on_time),
        (w("Chỉ số 3: số lần phải đi lại", "Index 3: times the citizen came back"), &b.come_back),
        (w("Chỉ số 4: số cơ quan khác phải liên hệ", "Index 4: other offices contacted"), &b.other_offices),
        (w("Câu hỏi có/không (số trả lời \"có\")", "Yes/no questions (\"yes\" answers)"), &b.yes_no),
    ];
    let mut row = 2;
    for (group, shares) in groups {
        for sh in shares {
            s.text(row, 0, group)?;
            s.text(row, 1, &sh.code)?;
            s.text(row, 2, pick_str(lang, &sh.label_vi, &sh.label_en))?;
            s.count(row, 3, sh.count)?;
            s.count(row, 4, sh.of)?;
            s.rate(row, 5, sh.share)?;
            row += 1;
        }
    }
    s.finish(1, 0, Print::Portrait)
}

fn cases(mut s: Sheet, r: &Report, lang: Lang) -> Result<(), XlsxError> {
    let w = |vi: &'static str, en: &'static str| pick(lang, vi, en);
    let c = &r.cases;
    let statuses =
        columns::status_columns(c.by_status.keys().chain(c.by_category.iter().flat_map(|k| k.by_status.keys())));
    let mut titles: Vec<String> = vec![
        w("Loại phản ánh, kiến nghị", "Category").into(),
        w("Mã loại", "Category code").into(),
        w("Tiếp nhận trong kỳ", "Opened in the period").into(),
    ];
    titles.extend(statuses.iter().map(|code| columns::status_words(code, lang)));
    s.heading(0, &titles)?;
    let mut row = 1;
    for k in &c.by_category {
        s.text(row, 0, pick_str(lang, &k.label_vi, &k.label_en))?;
        s.text(row, 1, &k.category)?;
        s.count(row, 2, k.opened)?;
        for (i, code) in statuses.iter().enumerate() {
            s.count(row, 3 + i as u16, k.by_status.get(code).copied().unwrap_or(0))?;
        }
        row += 1;
    }
    s.bold(row, 0, w("Tổng", "Total"))?;
    s.count(row, 2, c.opened)?;
    for (i, code) in statuses.iter().enumerate() {
        s.count(row, 3 + i as u16, c.by_status.get(code).copied().unwrap_or(0))?;
    }
    row += 2;

    s.heading(row, &[w("Xử lý phản ánh, kiến nghị", "Handling"), "", w("Giá trị", "Value")])?;
    row += 1;
    let hours = |vi, en| w(vi, en);
    let lines: Vec<(&str, Value)> = vec![
        (w("Xác nhận tiếp nhận trong kỳ", "Acknowledged in the period"), Value::Count(c.acknowledged)),
        (w("Xác nhận đúng hạn", "Acknowledged on time"), Value::Count(c.acknowledged_on_time)),
        (w("Tỷ lệ xác nhận đúng hạn", "Share acknowledged on time"), rate(c.acknowledged_on_time_rate)),
        (
            w("Đã đóng trong kỳ (giải quyết, hoặc không xử lý có nêu lý do)", "Closed in the period"),
            Value::Count(c.closed),
        ),
        (
            w("Đóng đúng hạn (không lần nào trễ hạn)", "Closed without missing a deadline"),
            Value::Count(c.closed_on_time),
        ),
        (w("Tỷ lệ đóng đúng hạn", "Share closed on time"), rate(c.closed_on_time_rate)),
        (
            hours("Số giờ làm việc đến khi xác nhận: số phản ánh", "Working hours to acknowledge: cases"),
            Value::Count(c.hours_to_acknowledge.count),
        ),
        (
            hours("Số giờ làm việc đến khi xác nhận: trung vị", "Working hours to acknowledge: median"),
            score(c.hours_to_acknowledge.median),
        ),
        (
            hours("Số giờ làm việc đến khi xác nhận: phân vị 90", "Working hours to acknowledge: 90th percentile"),
            score(c.hours_to_acknowledge.p90),
        ),
        (
            hours("Số giờ làm việc đến khi đóng: số phản ánh", "Working hours to close: cases"),
            Value::Count(c.hours_to_close.count),
        ),
        (
            hours("Số giờ làm việc đến khi đóng: trung vị", "Working hours to close: median"),
            score(c.hours_to_close.median),
        ),
        (
            hours("Số giờ làm việc đến khi đóng: phân vị 90", "Working hours to close: 90th percentile"),
            score(c.hours_to_close.p90),
        ),
        (w("Chuyển lên cấp trên", "Escalated to the level above"), Value::Count(c.escalations)),
        (
            w("Mở lại do người dân chưa hài lòng với kết quả", "Reopened: the citizen was not satisfied"),
            Value::Count(c.reopened),
        ),
        (
            w("Người dân hài lòng với kết quả trả lời", "Answers the citizen was satisfied with"),
            Value::Count(c.answers_satisfied),
        ),
        (
            w("Người dân chưa hài lòng với kết quả trả lời", "Answers the citizen was not satisfied with"),
            Value::Count(c.answers_not_satisfied),
        ),
        (
            w("Đang kéo dài (quá hạn giải quyết) cuối kỳ", "Dragging on (past the resolution deadline) at the end"),
            Value::Count(c.dragging),
        ),
        (
            w("Không liệt kê vì người xem là cán bộ bị phản ánh", "Not listed: the reader is the officer concerned"),
            Value::Count(c.withheld_from_reader),
        ),
    ];
    for (label, v) in lines {
        s.text(row, 0, label)?;
        s.value(row, 2, v, lang)?;
        row += 1;
    }
    s.finish(1, 0, Print::Landscape)
}

fn rate(x: Option<f64>) -> Value {
    x.map_or(Value::Empty, Value::Rate)
}

fn score(x: Option<f64>) -> Value {
    x.map_or(Value::Empty, Value::Score)
}

fn overdue(mut s: Sheet, r: &Report, lang: Lang) -> Result<(), XlsxError> {
    let w = |vi: &'static str, en: &'static str| pick(lang, vi, en);
    s.heading(
        0,
        &[
            w("Số phản ánh", "Case number"),
            w("Loại phản ánh, kiến nghị", "Category"),
            w("Mã đơn vị", "Unit code"),
            w("Đơn vị bị phản ánh", "Unit concerned"),
            w("Thời hạn bị trễ", "Deadline missed"),
            w("Hạn", "Due"),
            w("Số ngày quá hạn", "Days overdue"),
        ],
    )?;
    let mut row = 1;
    for o in &r.cases.overdue {
        s.text(row, 0, &o.number)?;
        s.text(row, 1, pick_str(lang, &o.category_vi, &o.category_en))?;
        s.text(row, 2, &o.unit_code)?;
        s.text(row, 3, &o.unit_name)?;
        s.text(row, 4, &columns::deadline_words(&o.deadline, lang))?;
        s.text(row, 5, &o.due_local)?;
        // Days can be negative only in a malformed model; written as they are.
        s.ws.write_number_with_format(row, 6, o.days_overdue as f64, &s.st.count)?;
        s.fit(6, o.days_overdue.to_string().len());
        row += 1;
    }
    if r.cases.overdue.is_empty() {
        s.note(row, 0, w("Không có phản ánh quá hạn.", "No case is overdue."))?;
        row += 1;
    }
    if r.cases.withheld_from_reader > 0 {
        let n = r.cases.withheld_from_reader;
        let note = match lang {
            Lang::Vi => format!("{n} phản ánh không được liệt kê vì người xem là cán bộ bị phản ánh."),
            Lang::En => format!("{n} cases are not listed because the reader is the officer concerned."),
        };
        s.note(row + 1, 0, &note)?;
    }
    s.finish(1, 0, Print::Landscape)
}

fn trend(mut s: Sheet, r: &Report, lang: Lang) -> Result<(), XlsxError> {
    let t = &r.trend;
    let series: Vec<_> = std::iter::once(&t.scope).chain(&t.children).collect();
    let mut titles = vec![pick(lang, "Tháng", "Month").to_string()];
    for x in &series {
        match lang {
            Lang::Vi => titles.extend([format!("{}: số lượt đánh giá", x.name), format!("{}: tỷ lệ hài lòng", x.name)]),
            Lang::En => titles.extend([format!("{}: ratings", x.name), format!("{}: satisfaction rate", x.name)]),
        }
    }
    s.heading(0, &titles)?;
    for (i, m) in t.months.iter().enumerate() {
        let row = i as u32 + 1;
        s.text(row, 0, &m.short())?;
        for (k, x) in series.iter().enumerate() {
            let col = 1 + 2 * k as u16;
            if let Some(&n) = x.ratings.get(i) {
                s.count(row, col, n)?;
            }
            s.rate(row, col + 1, x.satisfaction_rate.get(i).copied().flatten())?;
        }
    }
    s.finish(1, 1, Print::Landscape)
}

fn signals(mut s: Sheet, r: &Report, lang: Lang) -> Result<(), XlsxError> {
    let w = |vi: &'static str, en: &'static str| pick(lang, vi, en);
    s.heading(
        0,
        &[
            w("Dấu hiệu", "Signal"),
            w("Mã quầy", "Desk code"),
            w("Quầy", "Desk"),
            w("Mã đơn vị", "Unit code"),
            w("Số lượt (độ bao phủ: %)", "Ratings (coverage: %)"),
            w("Chi tiết", "Facts"),
            w("Có thể có nghĩa là", "What it may mean"),
        ],
    )?;
    let mut row = 1;
    for g in &r.signals {
        s.text(row, 0, &columns::signal_words(&g.kind, lang))?;
        s.text(row, 1, &g.desk_code)?;
        s.text(row, 2, &g.desk_name)?;
        s.text(row, 3, &g.unit_code)?;
        s.count(row, 4, g.count)?;
        s.text(row, 5, pick_str(lang, &g.detail_vi, &g.detail_en))?;
        s.text(row, 6, pick_str(lang, &g.meaning_vi, &g.meaning_en))?;
        row += 1;
    }
    if r.signals.is_empty() {
        s.note(row, 0, w("Không có dấu hiệu bất thường.", "No signal."))?;
        row += 1;
    }
    s.note(
        row + 1,
        0,
        w(
            "Dấu hiệu chỉ gợi ý điều cần xem lại, không phải kết luận có vi phạm.",
            "A signal is something worth a look, not a finding of wrongdoing.",
        ),
    )?;
    s.finish(1, 0, Print::Landscape)
}

fn notes(mut s: Sheet, r: &Report, lang: Lang) -> Result<(), XlsxError> {
    let w = |vi: &'static str, en: &'static str| pick(lang, vi, en);
    let n = &r.notes;
    s.heading(0, &[w("Ghi chú", "Note"), w("Giá trị", "Value")])?;
    let mut row = 1;
    for l in match lang {
        Lang::Vi => &n.lines_vi,
        Lang::En => &n.lines_en,
    } {
        s.text(row, 0, l)?;
        row += 1;
    }
    row += 1;
    let idx = n.indices_with_data.iter().map(u8::to_string).collect::<Vec<_>>().join(", ");
    let mut line = |s: &mut Sheet, label: &str, v: Value| -> Result<(), XlsxError> {
        s.text(row, 0, label)?;
        s.value(row, 1, v, lang)?;
        row += 1;
        Ok(())
    };
    line(&mut s, w("Chỉ số Thông tư 01/2018 có dữ liệu", "Circular 01/2018 indices with data"), Value::Text(idx))?;
    line(&mut s, w("Số lượt tối thiểu", "Minimum ratings"), Value::Count(n.min_count))?;
    let files = if n.files_entered { w("có", "yes") } else { w("không", "no") };
    line(&mut s, w("Có quầy đã nhập số hồ sơ", "Files handled were entered"), Value::Text(files.into()))?;
    match &n.ledger_head {
        Some(h) => {
            line(
                &mut s,
                w("Sổ nhật ký phản ánh: mục cuối trước khi hết kỳ", "Case ledger: last entry before the period's end"),
                Value::Id(h.seq),
            )?;
            line(&mut s, w("Mã băm của mục đó", "Its hash"), Value::Text(h.hash.clone()))?;
            line(&mut s, w("Thời điểm ghi", "Written at"), Value::Text(local(&h.at, lang)))?;
            line(&mut s, w("Kiểm tra bằng lệnh", "Check with"), Value::Text("hailong audit verify".into()))?;
        }
        None => line(
            &mut s,
            w("Sổ nhật ký phản ánh", "Case ledger"),
            Value::Text(w("chưa có mục nào", "no entry yet").into()),
        )?,
    }
    s.finish(1, 0, Print::Portrait)
}

#[cfg(test)]
mod tests {
    use std::io::Cursor;

    use calamine::{Data, Range, Reader, Xlsx, open_workbook_from_rs};

    use super::*;
    use crate::report::testing::{sample, sample_five, sample_yearly};

    fn open(bytes: Vec<u8>) -> Xlsx<Cursor<Vec<u8>>> {
        open_workbook_from_rs(Cursor::new(bytes)).expect("a readable workbook")
    }

    fn sheet(wb: &mut Xlsx<Cursor<Vec<u8>>>, name: &str) -> Range<Data> {
        wb.worksheet_range(name).unwrap_or_else(|e| panic!("sheet {name}: {e}"))
    }

    fn header(range: &Range<Data>) -> Vec<String> {
        range.rows().next().unwrap().iter().map(|c| c.to_string()).collect()
    }

    fn col(range: &Range<Data>, name: &str) -> usize {
        let h = header(range);
        h.iter().position(|x| x == name).unwrap_or_else(|| panic!("no column {name:?} in {h:?}"))
    }

    fn number(c: &Data) -> f64 {
        match c {
            Data::Float(x) => *x,
            Data::Int(n) => *n as f64,
            other => panic!("{other:?} is not a number cell"),
        }
    }

    /// The row whose first cell is `label`, on a label/value sheet.
    fn by_label<'r>(range: &'r Range<Data>, label: &str) -> &'r [Data] {
        range.rows().find(|r| r[0] == label).unwrap_or_else(|| panic!("no row {label:?}"))
    }

    #[test]
    fn every_sheet_in_vietnamese_and_english() {
        for lang in [Lang::Vi, Lang::En] {
            let wb = open(monthly(&sample(), lang).unwrap());
            let names = wb.sheet_names();
            assert_eq!(names, sheet_names(lang).map(String::from));
            assert!(names.iter().all(|n| n.chars().count() <= 31));
        }
        assert_eq!(
            sheet_names(Lang::Vi),
            [
                "Tổng hợp",
                "Đơn vị",
                "Quầy",
                "Cán bộ",
                "Hành vi ứng xử",
                "Phản ánh, kiến nghị",
                "Quá hạn",
                "Xu hướng",
                "Dấu hiệu bất thường",
                "Ghi chú"
            ]
        );
    }

    #[test]
    fn figures_are_numbers_in_their_columns() {
        let r = sample();
        let mut wb = open(monthly(&r, Lang::Vi).unwrap());
        for (name, rows) in [("Đơn vị", &r.units), ("Quầy", &r.desks), ("Cán bộ", &r.officers)] {
            let s = sheet(&mut wb, name);
            let h = header(&s);
            assert_eq!(&h[..2], ["Mã", "Tên"], "{name}");
            assert!(h.contains(&"Rất hài lòng (3)".to_string()) && h.contains(&"Chưa hài lòng (1)".to_string()));
            assert_eq!(s.height(), rows.len() + 1, "{name}: a heading and a row per item");
            for (i, f) in rows.iter().enumerate() {
                let row = &s.rows().nth(i + 1).unwrap();
                assert_eq!(row[col(&s, "Mã")].to_string(), f.code);
                assert_eq!(row[col(&s, "Tên")].to_string(), f.name);
                assert_eq!(number(&row[col(&s, "Số lượt đánh giá")]), f.ratings as f64);
                assert_eq!(number(&row[col(&s, "Rất hài lòng (3)")]), f.levels["3"] as f64);
                assert_eq!(number(&row[col(&s, "Số lượt ngoài giờ làm việc")]), f.outside_hours as f64);
                match f.satisfaction_rate {
                    // A fraction, not a percentage number.
                    Some(x) => assert_eq!(number(&row[col(&s, "Tỷ lệ hài lòng")]), x),
                    None => assert_eq!(row[col(&s, "Tỷ lệ hài lòng")], Data::String("chưa đủ dữ liệu".into())),
                }
                match f.rank {
                    Some(n) => assert_eq!(number(&row[col(&s, "Xếp hạng")]), n as f64),
                    None => assert_eq!(row[col(&s, "Xếp hạng")], Data::Empty),
                }
                match f.wilson_lower {
                    Some(x) => assert_eq!(number(&row[col(&s, "Cận dưới Wilson 95%")]), x),
                    None => assert_eq!(row[col(&s, "Cận dưới Wilson 95%")], Data::Empty),
                }
                if let Some(x) = f.indices.idx1.as_ref().and_then(|i| i.score) {
                    assert_eq!(number(&row[col(&s, "Điểm chỉ số 1")]), x);
                }
            }
        }
        let officers = sheet(&mut wb, "Cán bộ");
        assert_eq!(number(&officers.rows().nth(1).unwrap()[col(&officers, "Điểm cán bộ (chỉ số 1+3+4+7)")]), 6.6);
        assert_eq!(
            officers.rows().nth(1).unwrap()[col(&officers, "Xếp loại cán bộ")].to_string(),
            "Hoàn thành 100% nhiệm vụ"
        );
        assert!(!header(&officers).contains(&"Điểm chỉ số 8".to_string()), "index 8 belongs to units");
        let units = sheet(&mut wb, "Đơn vị");
        assert_eq!(number(&units.rows().nth(1).unwrap()[col(&units, "Tổng điểm đơn vị")]), 7.6);
        assert_eq!(
            units.rows().nth(1).unwrap()[col(&units, "Chỉ số có dữ liệu (tổng điểm đơn vị)")].to_string(),
            "(5/9 chỉ số)"
        );
    }

    #[test]
    fn suppressed_desk_says_so_and_has_no_rank() {
        let r = sample();
        for (lang, sheet_name, words) in [(Lang::Vi, "Quầy", "chưa đủ dữ liệu"), (Lang::En, "Desks", "not enough data")]
        {
            let mut wb = open(monthly(&r, lang).unwrap());
            let s = sheet(&mut wb, sheet_name);
            let row = s.rows().find(|row| row[0] == "q-tiep-nhan").unwrap();
            let rate = col(&s, pick(lang, "Tỷ lệ hài lòng", "Satisfaction rate"));
            assert_eq!(row[rate], Data::String(words.into()));
            assert_eq!(number(&row[col(&s, pick(lang, "Số lượt đánh giá", "Ratings"))]), 6.0, "counts stay");
            assert_eq!(row[col(&s, pick(lang, "Xếp hạng", "Rank"))], Data::Empty);
        }
    }

    #[test]
    fn summary_has_the_headline_and_the_previous_period() {
        let r = sample();
        let mut wb = open(monthly(&r, Lang::Vi).unwrap());
        let s = sheet(&mut wb, "Tổng hợp");
        assert_eq!(header(&s), ["Chỉ tiêu", "Giá trị"]);
        assert_eq!(by_label(&s, "Kỳ báo cáo")[1].to_string(), "tháng 11/2026");
        assert_eq!(number(&by_label(&s, "Số lượt đánh giá")[1]), 71.0);
        assert_eq!(number(&by_label(&s, "Tỷ lệ hài lòng")[1]), 63.0 / 71.0);
        assert_eq!(number(&by_label(&s, "Số lượt đánh giá kỳ trước (tháng 10/2026)")[1]), 66.0);
        assert_eq!(number(&by_label(&s, "Tỷ lệ hài lòng kỳ trước (tháng 10/2026)")[1]), 57.0 / 66.0);
        assert_eq!(number(&by_label(&s, "Thay đổi tỷ lệ hài lòng (điểm phần trăm)")[1]), 2.4);
        assert_eq!(number(&by_label(&s, "Điểm chỉ số 8")[1]), 1.0);
        assert_eq!(by_label(&s, "Lập lúc")[1].to_string(), "01:30 thứ Ba, 01/12/2026");
        // The yearly workbook names its period and due date, on the same sheets.
        let y = sample_yearly();
        let mut wb = open(yearly(&y, Lang::Vi).unwrap());
        assert_eq!(wb.sheet_names(), sheet_names(Lang::Vi).map(String::from));
        let s = sheet(&mut wb, "Tổng hợp");
        assert_eq!(by_label(&s, "Kỳ báo cáo")[1].to_string(), "từ tháng 12/2025 đến tháng 11/2026");
        assert_eq!(by_label(&s, "Hạn gửi báo cáo")[1].to_string(), "10/12/2026");
        assert!(by_label(&s, "Báo cáo")[1].to_string().starts_with("Báo cáo năm 2026"));
        assert!(s.rows().any(|r| r[0] == "Số lượt đánh giá kỳ trước (từ tháng 12/2024 đến tháng 11/2025)"));
    }

    #[test]
    fn five_levels_on_the_five_level_scale() {
        let mut wb = open(monthly(&sample_five(), Lang::Vi).unwrap());
        let s = sheet(&mut wb, "Quầy");
        let h = header(&s);
        for l in ["Rất hài lòng (5)", "Hài lòng (4)", "Bình thường (3)", "Không hài lòng (2)", "Rất không hài lòng (1)"]
        {
            assert!(h.contains(&l.to_string()), "{l} in {h:?}");
        }
    }

    #[test]
    fn percentages_use_a_percent_format() {
        let bytes = monthly(&sample(), Lang::Vi).unwrap();
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        let mut styles = String::new();
        std::io::Read::read_to_string(&mut zip.by_name("xl/styles.xml").unwrap(), &mut styles).unwrap();
        assert!(styles.contains("formatCode=\"0.0%\""), "{styles}");
        assert!(styles.contains("formatCode=\"0.0\""));
    }

    #[test]
    fn behaviours_cases_overdue_trend_signals_notes() {
        let r = sample();
        let mut wb = open(monthly(&r, Lang::Vi).unwrap());

        let b = sheet(&mut wb, "Hành vi ứng xử");
        assert_eq!(header(&b), ["Nhóm câu hỏi", "Mã", "Câu trả lời", "Số lượt", "Trên tổng số", "Tỷ lệ"]);
        assert_eq!(number(&by_label(&b, "Tổng số lượt đánh giá")[3]), 71.0);
        let hello = b.rows().find(|row| row[1] == "xin_chao").unwrap();
        assert_eq!((hello[0].to_string(), hello[2].to_string()), ("4 xin, 4 luôn".into(), "Xin chào".into()));
        assert_eq!((number(&hello[3]), number(&hello[4]), number(&hello[5])), (60.0, 71.0, 60.0 / 71.0));
        // A share over fewer answers than the minimum is null: an empty cell.
        let docs = b.rows().find(|row| row[1] == "extra_documents").unwrap();
        assert_eq!(docs[5], Data::Empty);
        assert_eq!(b.rows().filter(|row| row[0] == "4 xin, 4 luôn").count(), 8);

        let c = sheet(&mut wb, "Phản ánh, kiến nghị");
        let h = header(&c);
        assert_eq!(&h[..3], ["Loại phản ánh, kiến nghị", "Mã loại", "Tiếp nhận trong kỳ"]);
        assert_eq!(&h[3..], ["Đã tiếp nhận", "Đã xác nhận, đang xử lý", "Đã giải quyết", "Không xử lý (có nêu lý do)"]);
        let delay = c.rows().find(|row| row[1] == "delay").unwrap();
        assert_eq!(delay[3..7].iter().map(number).collect::<Vec<_>>(), [1.0, 0.0, 2.0, 1.0]);
        let total = by_label(&c, "Tổng");
        assert_eq!(total[2..7].iter().map(number).collect::<Vec<_>>(), [7.0, 1.0, 1.0, 4.0, 1.0]);
        assert_eq!(number(&by_label(&c, "Tỷ lệ đóng đúng hạn")[2]), 0.8);
        assert_eq!(number(&by_label(&c, "Số giờ làm việc đến khi đóng: phân vị 90")[2]), 60.0);
        assert_eq!(number(&by_label(&c, "Đang kéo dài (quá hạn giải quyết) cuối kỳ")[2]), 1.0);

        let o = sheet(&mut wb, "Quá hạn");
        assert_eq!(header(&o)[0], "Số phản ánh");
        let first = o.rows().nth(1).unwrap();
        assert_eq!(first[0].to_string(), "PA-2026-0031");
        assert_eq!(first[3].to_string(), "Bộ phận Một cửa xã Phước Thành");
        assert_eq!(first[4].to_string(), "Giải quyết");
        assert_eq!(number(&first[6]), 11.0);

        let t = sheet(&mut wb, "Xu hướng");
        let h = header(&t);
        assert_eq!(h[0], "Tháng");
        assert_eq!(h[1], "UBND huyện Tuy Phước: số lượt đánh giá");
        assert_eq!(h.len(), 1 + 2 * 3);
        assert_eq!(t.height(), 13);
        let months: Vec<String> = t.rows().skip(1).map(|r| r[0].to_string()).collect();
        assert_eq!(months.first().unwrap(), "12/2025");
        assert_eq!(months.last().unwrap(), "11/2026");
        let last = t.rows().nth(12).unwrap();
        assert_eq!(number(&last[1]), 71.0);
        assert_eq!(number(&last[2]), 63.0 / 71.0);
        // Below the minimum: the rate is null, the cell empty, the count still there.
        let first = t.rows().nth(1).unwrap();
        assert_eq!((number(&first[1]), &first[2]), (0.0, &Data::Empty));
        assert_eq!(t.rows().nth(12).unwrap()[6], Data::Empty, "6 ratings of the second unit");

        let g = sheet(&mut wb, "Dấu hiệu bất thường");
        assert_eq!(g.rows().nth(1).unwrap()[0].to_string(), "Nhiều đánh giá dồn dập");
        assert_eq!(g.rows().nth(1).unwrap()[2].to_string(), "Quầy 2, \"Tư pháp – Hộ tịch\"");
        assert_eq!(number(&g.rows().nth(2).unwrap()[4]), 3.0);

        let n = sheet(&mut wb, "Ghi chú");
        assert_eq!(n.rows().nth(1).unwrap()[0].to_string(), r.notes.lines_vi[0]);
        assert_eq!(by_label(&n, "Chỉ số Thông tư 01/2018 có dữ liệu")[1].to_string(), "1, 3, 4, 7, 8");
        assert_eq!(number(&by_label(&n, "Sổ nhật ký phản ánh: mục cuối trước khi hết kỳ")[1]), 1042.0);
        assert_eq!(by_label(&n, "Mã băm của mục đó")[1].to_string(), r.notes.ledger_head.as_ref().unwrap().hash);
    }
}
