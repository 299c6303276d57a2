//! The report's figures as one CSV file: a heading row, then one row for the scope (the summary),
//! each unit, each desk and each officer, with a column per figure.
//!
//! The file is for spreadsheet programs and for other programs alike:
//!
//! - UTF-8 starting with a byte-order mark (U+FEFF), without which spreadsheet programs read the
//!   Vietnamese as Windows-1252; lines end in CRLF; fields are quoted per RFC 4180 (a field with a
//!   comma, a double quote, CR or LF is quoted and its quotes doubled).
//! - Headings are in the report's language; level headings follow the scale ("Rất hài lòng (3)" …
//!   on three levels, five on five).
//! - Counts and ranks are plain integers.
//! - Rates (satisfaction rate, Wilson lower bound, the 766 rates, coverage, the previous
//!   satisfaction rate) are decimal fractions 0–1 with a dot, written with the fewest digits that
//!   read back as the exact number held (`0.8125`, `0.8`, `0.3333333333333333`), never as
//!   percentages.
//! - Scores (index scores, officer score, unit total) have one decimal and a dot (`3.5`); the
//!   change of the satisfaction rate is in percentage points, one decimal (`2.4`, `-1.0`).
//! - A missing figure (null in the report) is an empty field, never 0.
//! - A suppressed row (fewer ratings than the minimum count) keeps its counts, has empty rate,
//!   score, band and rank fields, and its "data status" field says "chưa đủ dữ liệu" ("not enough
//!   data"); that field is empty on every other row. "Ratings exceed files" is "có"/"yes" or
//!   empty likewise.
//! - The first column is the period (`2026-11`, or `2025-12/2026-11` for several months); the
//!   last three hold the previous period's ratings and rate and the change, on the scope's row
//!   only.
//! - A name starting with `=`, `+`, `-`, `@`, tab or CR gets a leading `'`, so a spreadsheet
//!   shows it as text instead of running it as a formula (names are typed in by administrators).

use std::borrow::Cow;

use super::columns::{self, Col, Value};
use crate::i18n::Lang;
use crate::service::reports::model::{Figures, Report};

/// The report as CSV text (BOM first, CRLF line ends).
pub fn monthly(r: &Report, lang: Lang) -> String {
    let scale = columns::scale(r);
    let cols = columns::all(scale);
    let period = if r.period.first == r.period.last {
        r.period.first.to_string()
    } else {
        format!("{}/{}", r.period.first, r.period.last)
    };

    let mut out = String::from("\u{feff}");
    let mut header = vec![columns::pick(lang, "Kỳ báo cáo", "Period").to_string()];
    header.extend(cols.iter().map(|c| c.header(scale, lang, None)));
    header.extend(
        [
            ("Số lượt đánh giá kỳ trước", "Previous period's ratings"),
            ("Tỷ lệ hài lòng kỳ trước", "Previous period's satisfaction rate"),
            ("Thay đổi tỷ lệ hài lòng (điểm phần trăm)", "Change of the satisfaction rate (percentage points)"),
        ]
        .map(|(vi, en)| columns::pick(lang, vi, en).to_string()),
    );
    write_row(&mut out, &header);

    let row = |f: &Figures| -> Vec<String> {
        let mut cells = vec![period.clone()];
        cells.extend(cols.iter().map(|c| cell(c.value(f, lang), *c)));
        cells
    };

    let s = &r.summary;
    let mut first = row(&s.figures);
    first.push(s.previous_ratings.to_string());
    first.push(s.previous_satisfaction_rate.map(rate).unwrap_or_default());
    first.push(s.change_points.map(|p| format!("{p:.1}")).unwrap_or_default());
    write_row(&mut out, &first);

    for f in r.units.iter().chain(&r.desks).chain(&r.officers) {
        let mut cells = row(f);
        cells.extend([String::new(), String::new(), String::new()]);
        write_row(&mut out, &cells);
    }
    out
}

/// A rate: the shortest decimal that reads back as the same `f64` (Rust's `Display`).
fn rate(x: f64) -> String {
    x.to_string()
}

fn cell(v: Value, col: Col) -> String {
    match v {
        Value::Empty | Value::NotEnoughData => String::new(),
        Value::Text(s) if matches!(col, Col::Code | Col::Name | Col::UnitCode | Col::UnitName) => {
            defuse_formula(&s).into_owned()
        }
        Value::Text(s) => s,
        Value::Count(n) => n.to_string(),
        Value::Id(n) => n.to_string(),
        Value::Rate(x) => rate(x),
        Value::Score(x) => format!("{x:.1}"),
    }
}

/// A leading `'` on text a spreadsheet would otherwise take for a formula (CSV injection).
fn defuse_formula(s: &str) -> Cow<'_, str> {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) { Cow::Owned(format!("'{s}")) } else { Cow::Borrowed(s) }
}

/// One field as RFC 4180 wants it: quoted, with its quotes doubled, when it holds a comma, a
/// double quote, CR or LF; as it is otherwise.
pub fn quote(field: &str) -> Cow<'_, str> {
    if field.contains([',', '"', '\r', '\n']) {
        Cow::Owned(format!("\"{}\"", field.replace('"', "\"\"")))
    } else {
        Cow::Borrowed(field)
    }
}

/// Appends one record and its CRLF.
///
/// Written by hand rather than with the `csv` crate: RFC 4180 quoting is the few lines of
/// [`quote`], the output is an infallible `String`, and the tests read the files back with the
/// `csv` crate, an independent implementation, which checks this one.
pub fn write_row<S: AsRef<str>>(out: &mut String, fields: &[S]) {
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&quote(f.as_ref()));
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::testing::{sample, sample_five};

    /// The file read back by the `csv` crate: headings and rows, BOM removed.
    fn parse(text: &str) -> (Vec<String>, Vec<Vec<String>>) {
        let body = text.strip_prefix('\u{feff}').expect("a BOM first");
        let mut reader = ::csv::ReaderBuilder::new().has_headers(true).from_reader(body.as_bytes());
        let headers = reader.headers().unwrap().iter().map(String::from).collect();
        let rows = reader.records().map(|r| r.unwrap().iter().map(String::from).collect()).collect();
        (headers, rows)
    }

    fn column(headers: &[String], name: &str) -> usize {
        headers.iter().position(|h| h == name).unwrap_or_else(|| panic!("no column {name:?} in {headers:?}"))
    }

    #[test]
    fn quoting_follows_rfc_4180() {
        assert_eq!(quote("Phước Thành"), "Phước Thành");
        assert_eq!(quote("Quầy 2, \"Tư pháp\""), "\"Quầy 2, \"\"Tư pháp\"\"\"");
        assert_eq!(quote("two\nlines"), "\"two\nlines\"");
        assert_eq!(quote("cr\r"), "\"cr\r\"");
        assert_eq!(quote(""), "");
        let mut out = String::new();
        write_row(&mut out, &["a", "b,c", "d\"e"]);
        write_row(&mut out, &[""; 2]);
        assert_eq!(out, "a,\"b,c\",\"d\"\"e\"\r\n,\r\n");
    }

    #[test]
    fn bom_crlf_and_vietnamese_headings() {
        let text = monthly(&sample(), Lang::Vi);
        assert!(text.starts_with("\u{feff}Kỳ báo cáo,Loại,Mã,Tên,"), "{}", &text[..80]);
        assert!(text.ends_with("\r\n"));
        assert!(!text.replace("\r\n", "").contains('\n'), "every line ends in CRLF");
        let (headers, rows) = parse(&text);
        for h in
            ["Số lượt đánh giá", "Rất hài lòng (3)", "Hài lòng (2)", "Chưa hài lòng (1)", "Tỷ lệ hài lòng", "Xếp hạng"]
        {
            column(&headers, h);
        }
        assert!(rows.iter().all(|r| r.len() == headers.len()));
        // The scope, 2 units, 3 desks, 2 officers.
        assert_eq!(rows.len(), 8);

        let (en, _) = parse(&monthly(&sample(), Lang::En));
        column(&en, "Very satisfied (3)");
        column(&en, "Satisfaction rate");
    }

    #[test]
    fn five_levels_get_five_columns() {
        let (headers, rows) = parse(&monthly(&sample_five(), Lang::Vi));
        let levels =
            ["Rất hài lòng (5)", "Hài lòng (4)", "Bình thường (3)", "Không hài lòng (2)", "Rất không hài lòng (1)"];
        let at: Vec<usize> = levels.iter().map(|h| column(&headers, h)).collect();
        assert!(at.windows(2).all(|w| w[1] == w[0] + 1), "levels side by side, best first");
        let r = sample_five();
        for (row, f) in rows[3..6].iter().zip(&r.desks) {
            for (i, level) in ["5", "4", "3", "2", "1"].iter().enumerate() {
                assert_eq!(row[at[i]], f.levels[*level].to_string());
            }
        }
    }

    /// Every figure of every row, cell by cell, against the model.
    #[test]
    fn every_figure_in_its_column() {
        let r = sample();
        let (h, rows) = parse(&monthly(&r, Lang::Vi));
        let col = |name: &str| column(&h, name);
        let items: Vec<&Figures> =
            std::iter::once(&r.summary.figures).chain(&r.units).chain(&r.desks).chain(&r.officers).collect();
        assert_eq!(rows.len(), items.len());
        let rate = |v: Option<f64>| v.map(|x| x.to_string()).unwrap_or_default();
        let score = |v: Option<f64>| v.map(|x| format!("{x:.1}")).unwrap_or_default();
        for (row, f) in rows.iter().zip(&items) {
            let get = |name: &str| -> &str { &row[col(name)] };
            let ctx = &f.code;
            assert_eq!(get("Kỳ báo cáo"), "2026-11", "{ctx}");
            assert_eq!(get("Mã"), f.code, "{ctx}");
            assert_eq!(get("Tên"), f.name, "{ctx}");
            assert_eq!(get("Mã đơn vị (cấp trên, với đơn vị)"), f.unit_code, "{ctx}");
            assert_eq!(get("Tên đơn vị (cấp trên, với đơn vị)"), f.unit_name, "{ctx}");
            assert_eq!(get("Số lượt đánh giá"), f.ratings.to_string(), "{ctx}");
            assert_eq!(get("Rất hài lòng (3)"), f.levels["3"].to_string(), "{ctx}");
            assert_eq!(get("Hài lòng (2)"), f.levels["2"].to_string(), "{ctx}");
            assert_eq!(get("Chưa hài lòng (1)"), f.levels["1"].to_string(), "{ctx}");
            assert_eq!(get("Số lượt hài lòng (2 mức cao nhất)"), f.satisfied.to_string(), "{ctx}");
            assert_eq!(get("Số lượt chưa hài lòng"), f.dissatisfied.to_string(), "{ctx}");
            assert_eq!(get("Số lượt có phản ánh, kiến nghị"), f.with_case.to_string(), "{ctx}");
            assert_eq!(get("Tình trạng số liệu"), if f.suppressed { "chưa đủ dữ liệu" } else { "" }, "{ctx}");
            assert_eq!(get("Tỷ lệ hài lòng"), rate(f.satisfaction_rate), "{ctx}");
            assert_eq!(get("Cận dưới Wilson 95%"), rate(f.wilson_lower), "{ctx}");
            assert_eq!(get("Xếp hạng"), f.rank.map(|r| r.to_string()).unwrap_or_default(), "{ctx}");
            assert_eq!(get("Tỷ lệ theo QĐ 766 (trên số lượt đánh giá)"), rate(f.rate_766_ratings), "{ctx}");
            assert_eq!(get("Số hồ sơ"), f.files.map(|n| n.to_string()).unwrap_or_default(), "{ctx}");
            assert_eq!(get("Tỷ lệ theo QĐ 766 (trên số hồ sơ)"), rate(f.rate_766_files), "{ctx}");
            assert_eq!(get("Độ bao phủ (lượt đánh giá/hồ sơ)"), rate(f.coverage), "{ctx}");
            assert_eq!(get("Số lượt đánh giá vượt số hồ sơ"), if f.ratings_exceed_files { "có" } else { "" });
            let i = &f.indices;
            for (n, s) in [(1, &i.idx1), (3, &i.idx3), (4, &i.idx4), (7, &i.idx7), (8, &i.idx8)] {
                assert_eq!(get(&format!("Điểm chỉ số {n}")), score(s.as_ref().and_then(|s| s.score)), "{ctx} {n}");
            }
            assert_eq!(get("Điểm cán bộ (chỉ số 1+3+4+7)"), score(f.officer_score.as_ref().map(|s| s.total)));
            assert_eq!(
                get("Xếp loại cán bộ"),
                f.officer_score.as_ref().and_then(|s| s.band_vi.clone()).unwrap_or_default()
            );
            assert_eq!(get("Tổng điểm đơn vị"), score(f.unit_total.as_ref().map(|s| s.total)), "{ctx}");
            assert_eq!(
                get("Xếp loại đơn vị"),
                f.unit_total.as_ref().and_then(|s| s.band_vi.clone()).unwrap_or_default()
            );
            assert_eq!(get("Số lượt ngoài giờ làm việc"), f.outside_hours.to_string(), "{ctx}");
        }
        // Kinds, and the indices notes where some indices have no data.
        let kinds: Vec<&str> = rows.iter().map(|r| r[col("Loại")].as_str()).collect();
        assert_eq!(
            kinds,
            ["Tổng hợp", "Đơn vị", "Đơn vị", "Quầy", "Quầy", "Quầy", "Cán bộ, công chức", "Cán bộ, công chức"]
        );
        let unit_note: Vec<&str> =
            rows.iter().map(|r| r[col("Chỉ số có dữ liệu (tổng điểm đơn vị)")].as_str()).collect();
        assert_eq!(unit_note, ["(5/9 chỉ số)", "(5/9 chỉ số)", "", "", "", "", "", ""]);
        let officer_note: Vec<&str> = rows.iter().map(|r| r[col("Chỉ số có dữ liệu (điểm cán bộ)")].as_str()).collect();
        assert_eq!(officer_note, ["", "", "", "", "", "", "", "(2/4 chỉ số)"], "o1 has all four: its band shows");
        // The previous period, on the scope's row only.
        let scope = &rows[0];
        assert_eq!(scope[col("Số lượt đánh giá kỳ trước")], "66");
        assert_eq!(scope[col("Tỷ lệ hài lòng kỳ trước")], (57.0f64 / 66.0).to_string());
        assert_eq!(scope[col("Thay đổi tỷ lệ hài lòng (điểm phần trăm)")], "2.4");
        assert!(rows[1..].iter().all(|r| r[col("Số lượt đánh giá kỳ trước")].is_empty()));
        // Rates are fractions with a dot.
        assert_eq!(scope[col("Tỷ lệ hài lòng")], (63.0f64 / 71.0).to_string());
        assert!(scope[col("Tỷ lệ hài lòng")].starts_with("0.887"));
    }

    #[test]
    fn suppressed_row_keeps_counts_and_has_no_rates() {
        let r = sample();
        let (h, rows) = parse(&monthly(&r, Lang::Vi));
        let row = rows.iter().find(|row| row[column(&h, "Mã")] == "q-tiep-nhan").unwrap();
        assert_eq!(row[column(&h, "Số lượt đánh giá")], "6");
        assert_eq!(row[column(&h, "Rất hài lòng (3)")], "3");
        assert_eq!(row[column(&h, "Tình trạng số liệu")], "chưa đủ dữ liệu");
        for empty in ["Tỷ lệ hài lòng", "Cận dưới Wilson 95%", "Xếp hạng", "Tỷ lệ theo QĐ 766 (trên số lượt đánh giá)"]
        {
            assert_eq!(row[column(&h, empty)], "", "{empty}");
        }
        let (h, rows) = parse(&monthly(&r, Lang::En));
        let row = rows.iter().find(|row| row[column(&h, "Code")] == "q-tiep-nhan").unwrap();
        assert_eq!(row[column(&h, "Data status")], "not enough data");
    }

    #[test]
    fn names_with_commas_quotes_and_diacritics_round_trip() {
        let r = sample();
        let text = monthly(&r, Lang::Vi);
        assert!(text.contains(",\"Quầy 2, \"\"Tư pháp – Hộ tịch\"\"\","), "quoted, quotes doubled");
        let (h, rows) = parse(&text);
        let names: Vec<&str> = rows.iter().map(|row| row[column(&h, "Tên")].as_str()).collect();
        assert!(names.contains(&"Quầy 2, \"Tư pháp – Hộ tịch\""));
        assert!(names.contains(&"Bộ phận Một cửa xã Phước Thành"));
        assert!(names.contains(&"Nguyễn Thị Hồng Nhung"));
        // Identical code points (precomposed, as the model holds them), not just similar glyphs.
        let want: Vec<&str> = std::iter::once(&r.summary.figures)
            .chain(&r.units)
            .chain(&r.desks)
            .chain(&r.officers)
            .map(|f| f.name.as_str())
            .collect();
        assert_eq!(names, want);
        assert!(h.iter().any(|x| x == "Tình trạng số liệu"));
    }

    #[test]
    fn formula_like_names_are_defused() {
        let mut r = sample();
        r.desks[0].name = "=HYPERLINK(\"x\")".into();
        let (h, rows) = parse(&monthly(&r, Lang::Vi));
        assert_eq!(rows[3][column(&h, "Tên")], "'=HYPERLINK(\"x\")");
    }
}
