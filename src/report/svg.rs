//! Small charts as inline SVG strings: no JavaScript, no request to another host, a fixed
//! `viewBox` so they scale to a phone or an A4 page, `role="img"` with a `<title>` (and a
//! `<desc>` listing the figures) for screen readers. Every text is XML-escaped here, because the
//! HTML templates insert these strings unescaped.

use std::fmt::Write as _;

use super::html::{count, percent as pct};
use crate::domain::period::Month;
use crate::i18n::Lang;

/// Fonts with every Vietnamese glyph first: a fallback font mid-word breaks stacked diacritics.
const FONTS: &str = "'Noto Sans','DejaVu Sans','Segoe UI',Roboto,Arial,sans-serif";

const BAR_FILL: &str = "#a9c4e4";
const LINE: &str = "#b54708";
const GAP_FILL: &str = "#e9ebef";
const GRID: &str = "#d6d9de";
const MUTED: &str = "#4a4f57";

/// `s` safe inside XML text and attribute values (the posters' escaping: one rule for every SVG).
pub fn esc(s: &str) -> String {
    crate::print::xml_escape(s)
}

/// Words the charts print, in the reader's language.
fn words(lang: Lang) -> Words {
    match lang {
        Lang::Vi => Words {
            ratings: "Số đánh giá",
            rate: "Tỷ lệ hài lòng",
            gap: "chưa đủ dữ liệu",
            gap_title: "có tháng chưa đủ dữ liệu",
            no_rate: "Tỷ lệ hài lòng: chưa đủ dữ liệu",
            no_months: "Không có dữ liệu",
        },
        Lang::En => Words {
            ratings: "Ratings",
            rate: "Satisfaction rate",
            gap: "not enough data",
            gap_title: "some months have not enough data",
            no_rate: "Satisfaction rate: not enough data",
            no_months: "No data",
        },
    }
}

struct Words {
    ratings: &'static str,
    rate: &'static str,
    gap: &'static str,
    gap_title: &'static str,
    no_rate: &'static str,
    no_months: &'static str,
}

/// "11/25": month and two-digit year, short enough for twelve labels on a phone.
fn month_label(m: Month) -> String {
    format!("{:02}/{:02}", m.month(), m.year().rem_euclid(100))
}

/// The smallest of 1, 2, 4, 6, 8 × 10ⁿ that is even and at or above `n` (at least 2), so the axis
/// and its middle tick read in round numbers and the bars fill at least half the height.
fn nice_ceiling(n: u64) -> u64 {
    let mut step = 1u64;
    loop {
        for m in [1, 2, 4, 6, 8] {
            let v = step.saturating_mul(m);
            if v >= n.max(2) && v % 2 == 0 {
                return v;
            }
        }
        if step > u64::MAX / 10 {
            return n;
        }
        step *= 10;
    }
}

/// Ratings per month as bars and the satisfaction rate (0–1) as a line with dots; a month whose
/// rate is `None` (suppressed) is a gap in the line and a shaded column, named in the legend.
/// `months` sets the length: a missing rating counts as 0, a missing rate as `None`.
pub fn trend(months: &[Month], ratings: &[u64], rates: &[Option<f64>], lang: Lang, title: &str) -> String {
    // Narrow on purpose: on a phone the chart is ~340 px wide, so 1 unit ≈ 1 px and the 10–11 px
    // texts stay readable; wider screens cap the chart's width in CSS.
    const W: f64 = 360.0;
    const H: f64 = 222.0;
    const X0: f64 = 36.0;
    const X1: f64 = 322.0;
    const Y0: f64 = 32.0;
    const Y1: f64 = 178.0;
    let w = words(lang);
    let n = months.len();
    let rate_at = |i: usize| rates.get(i).copied().flatten().map(|r| r.clamp(0.0, 1.0));
    let rating_at = |i: usize| ratings.get(i).copied().unwrap_or(0);
    let gaps = (0..n).any(|i| rate_at(i).is_none());
    let all_none = n > 0 && (0..n).all(|i| rate_at(i).is_none());

    let full_title = if gaps && n > 0 { format!("{title} ({})", w.gap_title) } else { title.to_string() };
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {H}" role="img" aria-label="{t}" font-family="{FONTS}" font-size="11"><title>{t}</title>"#,
        t = esc(&full_title),
    );
    if n == 0 {
        let _ = write!(
            s,
            r#"<text x="{}" y="{}" text-anchor="middle" fill="{MUTED}">{}</text></svg>"#,
            W / 2.0,
            H / 2.0,
            esc(w.no_months)
        );
        return s;
    }

    // A text equivalent of the whole chart, month by month.
    let desc: Vec<String> = (0..n)
        .map(|i| {
            let rate = rate_at(i).map_or_else(|| w.gap.to_string(), |r| pct(r, lang));
            format!(
                "{}: {} {}, {} {}",
                month_label(months[i]),
                count(rating_at(i), lang),
                w.ratings.to_lowercase(),
                w.rate.to_lowercase(),
                rate
            )
        })
        .collect();
    let _ = write!(s, "<desc>{}</desc>", esc(&desc.join("; ")));

    // Legend, top left to right.
    let mut lx = 2.0;
    let _ = write!(s, r#"<rect x="{lx}" y="5" width="12" height="10" fill="{BAR_FILL}"/>"#);
    let _ = write!(s, r#"<text x="{}" y="14">{}</text>"#, lx + 16.0, esc(w.ratings));
    lx += 16.0 + legend_width(w.ratings) + 12.0;
    if all_none {
        let _ = write!(s, r#"<text x="{lx}" y="14" fill="{MUTED}">{}</text>"#, esc(w.no_rate));
    } else {
        let _ = write!(
            s,
            r#"<line x1="{lx}" y1="10" x2="{}" y2="10" stroke="{LINE}" stroke-width="2"/><circle cx="{}" cy="10" r="3" fill="{LINE}"/>"#,
            lx + 14.0,
            lx + 7.0
        );
        let _ = write!(s, r#"<text x="{}" y="14">{}</text>"#, lx + 18.0, esc(w.rate));
        lx += 18.0 + legend_width(w.rate) + 12.0;
        if gaps {
            let _ = write!(s, r#"<rect x="{lx}" y="5" width="12" height="10" fill="{GAP_FILL}" stroke="{GRID}"/>"#);
            let _ = write!(s, r#"<text x="{}" y="14" fill="{MUTED}">{}</text>"#, lx + 16.0, esc(w.gap));
        }
    }

    let slot = (X1 - X0) / n as f64;
    let cx = |i: usize| X0 + slot * (i as f64 + 0.5);
    let y_of = |frac: f64| Y1 - frac * (Y1 - Y0);

    // Suppressed months: a shaded column behind everything.
    for i in (0..n).filter(|&i| rate_at(i).is_none()) {
        let _ = write!(
            s,
            r#"<rect x="{:.1}" y="{Y0}" width="{:.1}" height="{}" fill="{GAP_FILL}"/>"#,
            X0 + slot * i as f64,
            slot,
            Y1 - Y0
        );
    }

    // Grid and both axes: one set of lines serves the count (left) and the rate (right).
    let max = (0..n).map(rating_at).max().unwrap_or(0);
    let top = nice_ceiling(max);
    for (frac, c, r) in [(0.0, 0, 0.0), (0.5, top / 2, 0.5), (1.0, top, 1.0)] {
        let y = y_of(frac);
        let _ = write!(s, r#"<line x1="{X0}" y1="{y}" x2="{X1}" y2="{y}" stroke="{GRID}" stroke-width="1"/>"#);
        let _ = write!(
            s,
            r#"<text x="{}" y="{}" text-anchor="end" fill="{MUTED}" font-size="10">{}</text>"#,
            X0 - 3.0,
            y + 3.5,
            count(c, lang)
        );
        if !all_none {
            let _ = write!(
                s,
                r#"<text x="{}" y="{}" fill="{LINE}" font-size="10">{}</text>"#,
                X1 + 3.0,
                y + 3.5,
                esc(&pct_axis(r, lang))
            );
        }
    }

    // Bars.
    let bar_w = (slot * 0.6).min(28.0);
    for i in 0..n {
        let h = if top == 0 { 0.0 } else { rating_at(i) as f64 / top as f64 * (Y1 - Y0) };
        if h > 0.0 {
            let _ = write!(
                s,
                r#"<rect x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}" fill="{BAR_FILL}"/>"#,
                cx(i) - bar_w / 2.0,
                Y1 - h,
                bar_w,
                h
            );
        }
    }

    // The rate: one polyline per run of consecutive months with a rate, a dot on each.
    let mut run: Vec<(f64, f64)> = Vec::new();
    let flush = |run: &mut Vec<(f64, f64)>, s: &mut String| {
        if run.len() > 1 {
            let pts: Vec<String> = run.iter().map(|(x, y)| format!("{x:.1},{y:.1}")).collect();
            let _ = write!(
                s,
                r#"<polyline points="{}" fill="none" stroke="{LINE}" stroke-width="2" stroke-linejoin="round"/>"#,
                pts.join(" ")
            );
        }
        run.clear();
    };
    for i in 0..n {
        match rate_at(i) {
            Some(r) => run.push((cx(i), y_of(r))),
            None => flush(&mut run, &mut s),
        }
    }
    flush(&mut run, &mut s);
    for i in 0..n {
        if let Some(r) = rate_at(i) {
            let _ = write!(s, r#"<circle cx="{:.1}" cy="{:.1}" r="3.5" fill="{LINE}"/>"#, cx(i), y_of(r));
        }
    }

    // Month labels: level while they fit their column (about 27 units for "11/25"), slanted
    // beyond; past 24 months only every other one.
    let every = if n > 24 { 2 } else { 1 };
    let slant = slot < 28.0;
    for i in (0..n).filter(|i| i % every == (n - 1) % every) {
        let (x, y) = (cx(i), Y1 + 13.0);
        let label = month_label(months[i]);
        if slant {
            let _ = write!(
                s,
                r#"<text x="{:.1}" y="{y}" text-anchor="end" fill="{MUTED}" font-size="10" transform="rotate(-40 {:.1} {y})">{label}</text>"#,
                x + 4.0,
                x + 4.0,
            );
        } else {
            let _ = write!(
                s,
                r#"<text x="{x:.1}" y="{y}" text-anchor="middle" fill="{MUTED}" font-size="10">{label}</text>"#
            );
        }
    }
    s.push_str("</svg>");
    s
}

/// Axis percentages are whole: "0 %", "50 %", "100 %".
fn pct_axis(rate: f64, lang: Lang) -> String {
    let v = (rate * 100.0).round() as i64;
    match lang {
        Lang::Vi => format!("{v}\u{a0}%"),
        Lang::En => format!("{v}%"),
    }
}

/// Rough width of a legend text at 11 px (Noto Sans averages ~0.55 em a letter), so the next
/// legend item does not overlap it.
fn legend_width(text: &str) -> f64 {
    text.chars().count() as f64 * 5.6
}

/// Horizontal share bars, one per `(label, share 0–1)`, the label printed as given above its bar
/// (the caller writes the percentage and count into it, in the reader's language). `None` draws
/// an empty outlined track: the caller's label says why.
pub fn bar(shares: &[(String, Option<f64>)]) -> String {
    // As narrow as the trend chart, for the same reason: readable labels on a phone.
    const W: f64 = 360.0;
    const ROW: f64 = 34.0;
    const TRACK_X: f64 = 2.0;
    const TRACK_W: f64 = W - 4.0;
    let h = (shares.len() as f64 * ROW + 4.0).max(ROW);
    let title: Vec<&str> = shares.iter().map(|(l, _)| l.as_str()).collect();
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {h}" role="img" aria-label="{t}" font-family="{FONTS}" font-size="12.5"><title>{t}</title>"#,
        t = esc(&title.join("; "))
    );
    for (i, (label, share)) in shares.iter().enumerate() {
        let y = i as f64 * ROW;
        let _ = write!(s, r##"<text x="{TRACK_X}" y="{}" fill="#1b1b1b">{}</text>"##, y + 14.0, esc(label));
        match share {
            Some(v) => {
                let v = v.clamp(0.0, 1.0);
                let _ = write!(
                    s,
                    r##"<rect x="{TRACK_X}" y="{}" width="{TRACK_W}" height="11" rx="2" fill="#eef1f5"/>"##,
                    y + 18.0
                );
                if v > 0.0 {
                    let _ = write!(
                        s,
                        r##"<rect x="{TRACK_X}" y="{}" width="{:.1}" height="11" rx="2" fill="#0b4f8a"/>"##,
                        y + 20.0,
                        (TRACK_W * v).max(1.0)
                    );
                }
            }
            None => {
                let _ = write!(
                    s,
                    r##"<rect x="{TRACK_X}" y="{}" width="{TRACK_W}" height="11" rx="2" fill="none" stroke="{GRID}" stroke-dasharray="4 3"/>"##,
                    y + 18.5
                );
            }
        }
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn months(n: u32) -> Vec<Month> {
        let last = Month::new(2026, 10).unwrap();
        (0..n).rev().map(|k| last.minus(k)).collect()
    }

    fn parse(svg: &str) -> roxmltree::Document<'_> {
        roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("not well-formed XML: {e}\n{svg}"))
    }

    fn count_tag(doc: &roxmltree::Document<'_>, tag: &str) -> usize {
        doc.descendants().filter(|n| n.has_tag_name(tag)).count()
    }

    #[test]
    fn trend_is_valid_accessible_svg_with_month_labels() {
        let m = months(12);
        let ratings: Vec<u64> = (1..=12).map(|i| i * 10).collect();
        let rates: Vec<Option<f64>> = (0..12).map(|i| Some(0.7 + f64::from(i) / 100.0)).collect();
        let svg = trend(&m, &ratings, &rates, Lang::Vi, "Xã Phước Lộc");
        let doc = parse(&svg);
        let root = doc.root_element();
        assert_eq!(root.attribute("role"), Some("img"));
        assert_eq!(root.attribute("viewBox"), Some("0 0 360 222"));
        assert!(root.attribute("font-family").unwrap().contains("Noto Sans"));
        assert_eq!(root.first_element_child().unwrap().tag_name().name(), "title");
        assert!(svg.contains(">11/25<") && svg.contains(">10/26<"), "{svg}");
        // No gap: one unbroken line, twelve dots, no "not enough data" anywhere.
        assert_eq!(count_tag(&doc, "polyline"), 1);
        assert_eq!(count_tag(&doc, "circle"), 12 + 1, "twelve dots and the legend's");
        assert!(!svg.contains("chưa đủ dữ liệu"));
        // Vietnamese numbers in the description.
        assert!(svg.contains("120 số đánh giá, tỷ lệ hài lòng 81,0\u{a0}%"), "{svg}");
        assert!(!svg.contains("<script"));
    }

    #[test]
    fn a_suppressed_month_breaks_the_line_and_is_named() {
        let m = months(12);
        let ratings = vec![20; 12];
        let mut rates: Vec<Option<f64>> = vec![Some(0.8); 12];
        rates[5] = None;
        rates[6] = None;
        let svg = trend(&m, &ratings, &rates, Lang::Vi, "Toàn huyện");
        let doc = parse(&svg);
        assert_eq!(count_tag(&doc, "polyline"), 2, "the line stops at the gap and starts again");
        assert_eq!(count_tag(&doc, "circle"), 10 + 1);
        let title = doc.descendants().find(|n| n.has_tag_name("title")).unwrap().text().unwrap();
        assert!(title.contains("chưa đủ dữ liệu"), "{title}");
        // Legend and the two shaded columns.
        assert!(svg.contains(">chưa đủ dữ liệu</text>"));
        assert_eq!(doc.descendants().filter(|n| n.attribute("fill") == Some(GAP_FILL)).count(), 3);

        // A lone month between gaps still gets its dot, without a line.
        let mut lone = vec![None; 12];
        lone[4] = Some(0.9);
        let doc2 = trend(&m, &ratings, &lone, Lang::En, "x");
        let doc2 = parse(&doc2);
        assert_eq!(count_tag(&doc2, "polyline"), 0);
        assert_eq!(count_tag(&doc2, "circle"), 1 + 1);
    }

    #[test]
    fn an_all_suppressed_series_has_bars_and_says_why_there_is_no_line() {
        let m = months(12);
        let svg = trend(&m, &[3; 12], &[None; 12], Lang::En, "Desk 1");
        let doc = parse(&svg);
        assert_eq!(count_tag(&doc, "polyline"), 0);
        assert_eq!(count_tag(&doc, "circle"), 0);
        assert!(svg.contains("Satisfaction rate: not enough data"));
        assert!(!svg.contains("100%"), "no rate axis without a rate");
        assert!(doc.descendants().filter(|n| n.attribute("fill") == Some(BAR_FILL)).count() >= 12);
    }

    #[test]
    fn no_ratings_and_no_months_do_not_divide_by_zero() {
        let m = months(3);
        let svg = trend(&m, &[0, 0, 0], &[None, None, None], Lang::Vi, "t");
        parse(&svg);
        assert!(!svg.contains("NaN") && !svg.contains("inf"), "{svg}");
        let empty = trend(&[], &[], &[], Lang::Vi, "t");
        parse(&empty);
        assert!(empty.contains("Không có dữ liệu"));
        // Shorter data than months: the missing months count as no ratings, no rate.
        let short = trend(&m, &[5], &[], Lang::En, "t");
        parse(&short);
    }

    #[test]
    fn text_is_escaped() {
        let m = months(2);
        let svg = trend(&m, &[1, 2], &[Some(1.0), None], Lang::Vi, r#"Phòng <b>&"Tư pháp"'"#);
        let doc = parse(&svg);
        let title = doc.descendants().find(|n| n.has_tag_name("title")).unwrap().text().unwrap();
        assert!(title.starts_with(r#"Phòng <b>&"Tư pháp"'"#), "{title}");
        assert!(!svg.contains("<b>"));

        let svg = bar(&[("Xin <chào> & cảm ơn: 80,0 %".into(), Some(0.8)), ("a\u{1}b".into(), None)]);
        let doc = parse(&svg);
        let texts: Vec<&str> = doc.descendants().filter(|n| n.has_tag_name("text")).filter_map(|n| n.text()).collect();
        assert_eq!(texts, ["Xin <chào> & cảm ơn: 80,0 %", "a b"]);
    }

    #[test]
    fn share_bars_scale_and_leave_a_missing_share_empty() {
        let svg = bar(&[("a".into(), Some(0.5)), ("b".into(), Some(1.5)), ("c".into(), None), ("d".into(), Some(0.0))]);
        let doc = parse(&svg);
        let fills: Vec<&str> = doc
            .descendants()
            .filter(|n| n.attribute("fill") == Some("#0b4f8a"))
            .map(|n| n.attribute("width").unwrap())
            .collect();
        assert_eq!(fills, ["178.0", "356.0"], "half, and a share over 1 clamped to the full track");
        assert_eq!(doc.descendants().filter(|n| n.attribute("stroke-dasharray").is_some()).count(), 1);
        assert_eq!(doc.root_element().attribute("viewBox"), Some("0 0 360 140"));
        parse(&bar(&[]));
    }

    #[test]
    fn nice_ceilings() {
        assert_eq!(nice_ceiling(0), 2);
        assert_eq!(nice_ceiling(1), 2);
        assert_eq!(nice_ceiling(3), 4);
        assert_eq!(nice_ceiling(7), 8);
        assert_eq!(nice_ceiling(9), 10);
        assert_eq!(nice_ceiling(11), 20);
        assert_eq!(nice_ceiling(120), 200);
        assert_eq!(nice_ceiling(1234), 2000);
        assert_eq!(nice_ceiling(4000), 4000);
        assert_eq!(nice_ceiling(4001), 6000);
    }
}
