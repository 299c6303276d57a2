//! The yearly draft report as a DOCX file in the administrative layout of Decree 30/2020/NĐ-CP
//! (Appendix I): A4 portrait; margins top and bottom 20 mm, left 30 mm, right 15 mm; Times New
//! Roman throughout; the issuing body and the national motto side by side at the top, each with a
//! short rule under it, the number under the issuer and the place and date under the motto; the
//! document kind and title centred; the body at 14 pt, justified, first line indented 1 cm, line
//! spacing 1.2, 6 pt after each paragraph; recipients and signature side by side at the end; page
//! numbers centred at the top from the second page.
//!
//! Two borderless tables hold the side-by-side blocks (their borders are set to `nil`
//! explicitly, so no viewer's default table style draws any). The rules under the issuer, the
//! motto and the title are top borders of short empty paragraphs, narrowed by indents, as
//! word processors draw them; docx-rs can express all of this.

use docx_rs::{
    AlignmentType, BorderType, Docx, Header, LineSpacing, LineSpacingType, PageMargin, PageNum, Paragraph,
    ParagraphBorder, ParagraphBorderPosition, ParagraphBorders, Run, RunFonts, SpecialIndentType, Table, TableCell,
    TableCellMargins, TableLayoutType, TableRow, VAlignType, WidthType,
};

use crate::error::{Error, Result};
use crate::service::reports::model::Draft;

/// The national title and motto (Decree 30/2020, Appendix I, section II.1).
pub const NATIONAL_TITLE: &str = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM";
pub const MOTTO: &str = "Độc lập - Tự do - Hạnh phúc";
const FONT: &str = "Times New Roman";

/// Twips (1/1440 inch) in a millimetre, for the page geometry.
const TWIPS_PER_MM: f64 = 1440.0 / 25.4;

fn mm(v: f64) -> i32 {
    (v * TWIPS_PER_MM).round() as i32
}

/// A4 portrait, in twips.
const PAGE_WIDTH: u32 = 11906;
const PAGE_HEIGHT: u32 = 16838;
const MARGIN_TOP_MM: f64 = 20.0;
const MARGIN_BOTTOM_MM: f64 = 20.0;
const MARGIN_LEFT_MM: f64 = 30.0;
const MARGIN_RIGHT_MM: f64 = 15.0;

/// Font sizes in half-points, as OOXML counts them.
const BODY: usize = 28;
const HEAD_13: usize = 26;
const HEAD_12: usize = 24;
const RECIPIENTS: usize = 22;

/// First-line indent of a body paragraph: 1 cm.
const FIRST_LINE: i32 = 567;

/// The draft as DOCX bytes.
pub fn draft(d: &Draft) -> Result<Vec<u8>> {
    let text_width = PAGE_WIDTH as i32 - mm(MARGIN_LEFT_MM) - mm(MARGIN_RIGHT_MM);
    let fonts = RunFonts::new().ascii(FONT).hi_ansi(FONT).east_asia(FONT).cs(FONT);
    let mut doc = Docx::new()
        .page_size(PAGE_WIDTH, PAGE_HEIGHT)
        .page_margin(
            PageMargin::new()
                .top(mm(MARGIN_TOP_MM))
                .bottom(mm(MARGIN_BOTTOM_MM))
                .left(mm(MARGIN_LEFT_MM))
                .right(mm(MARGIN_RIGHT_MM))
                .header(mm(10.0))
                .footer(mm(10.0))
                .gutter(0),
        )
        .default_fonts(fonts)
        .default_size(BODY)
        // The first page carries no number (Decree 30: numbering starts on page 2).
        .header(Header::new().add_paragraph(Paragraph::new().align(AlignmentType::Center).add_page_num(PageNum::new())))
        .first_header(Header::new())
        .add_table(heading_block(d, text_width as usize))
        .add_paragraph(blank())
        .add_paragraph(centred(run(&d.kind, BODY).bold()).line_spacing(single().before(120)))
        .add_paragraph(centred(run(&d.title, BODY).bold()))
        .add_paragraph(rule(text_width, 0.25))
        .add_paragraph(blank());

    for s in &d.sections {
        doc = doc.add_paragraph(body(run(&s.heading, BODY).bold()).keep_next(true));
        for p in &s.paragraphs {
            doc = doc.add_paragraph(body(run(p, BODY)));
        }
    }
    doc = doc.add_paragraph(blank()).add_table(closing_block(d, text_width as usize));

    let mut out = std::io::Cursor::new(Vec::new());
    doc.build().pack(&mut out).map_err(|e| Error::Other(anyhow::anyhow!("writing the DOCX draft: {e}")))?;
    Ok(out.into_inner())
}

/// A run in Times New Roman at a size in half-points. The font is set on every run, not only as
/// the document default, so a viewer that ignores `docDefaults` still uses it.
fn run(text: &str, size: usize) -> Run {
    Run::new().add_text(text).size(size).fonts(RunFonts::new().ascii(FONT).hi_ansi(FONT).east_asia(FONT).cs(FONT))
}

/// Single line spacing, nothing after: for the blocks in tables.
fn single() -> LineSpacing {
    LineSpacing::new().line_rule(LineSpacingType::Auto).line(240).before(0).after(0)
}

fn centred(r: Run) -> Paragraph {
    Paragraph::new().add_run(r).align(AlignmentType::Center).line_spacing(single())
}

fn blank() -> Paragraph {
    Paragraph::new().line_spacing(single())
}

/// A body paragraph: justified, first line indented 1 cm, 1.2 lines, 6 pt after.
fn body(r: Run) -> Paragraph {
    Paragraph::new()
        .add_run(r)
        .align(AlignmentType::Both)
        .indent(None, Some(SpecialIndentType::FirstLine(FIRST_LINE)), None, None)
        .line_spacing(LineSpacing::new().line_rule(LineSpacingType::Auto).line(288).before(0).after(120))
}

/// A centred horizontal rule `share` of `width` long: the top border of an empty, tiny paragraph
/// narrowed by equal indents.
fn rule(width: i32, share: f64) -> Paragraph {
    let side = ((width as f64) * (1.0 - share) / 2.0).round() as i32;
    Paragraph::new()
        .indent(Some(side), None, Some(side), None)
        .set_borders(ParagraphBorders::with_empty().set(
            ParagraphBorder::new(ParagraphBorderPosition::Top).val(BorderType::Single).size(6).space(1).color("000000"),
        ))
        .size(4)
        // The space before keeps the rule off the descenders of the line above.
        .line_spacing(LineSpacing::new().line_rule(LineSpacingType::Exact).line(80).before(60).after(0))
}

fn cell(width: usize, paragraphs: Vec<Paragraph>) -> TableCell {
    paragraphs
        .into_iter()
        .fold(TableCell::new().width(width, WidthType::Dxa).vertical_align(VAlignType::Top), TableCell::add_paragraph)
}

fn borderless(widths: [usize; 2], rows: Vec<TableRow>) -> Table {
    Table::new(rows)
        .clear_all_border()
        .set_grid(widths.to_vec())
        .width(widths.iter().sum(), WidthType::Dxa)
        .layout(TableLayoutType::Fixed)
        .margins(TableCellMargins::new().margin(0, 57, 0, 57))
}

/// The issuer and the national motto side by side, the number and the place and date under them.
fn heading_block(d: &Draft, width: usize) -> Table {
    // The left column is narrower: the issuer wraps, the national title must not.
    let left = width * 40 / 100;
    let right = width - left;
    let mut issuer = Vec::new();
    if !d.parent_body.trim().is_empty() {
        issuer.push(centred(run(&d.parent_body.to_uppercase(), HEAD_13)));
    }
    issuer.push(centred(run(&d.issuer.to_uppercase(), HEAD_13).bold()));
    issuer.push(rule(left as i32, 0.35));
    let motto = vec![
        centred(run(&NATIONAL_TITLE.to_uppercase(), HEAD_12).bold()),
        centred(run(MOTTO, HEAD_13).bold()),
        // As long as the motto (Decree 30: the rule under it spans the line of text).
        rule(right as i32, 0.62),
    ];
    let numbers = vec![centred(run(&d.number, HEAD_13)).line_spacing(single().before(60))];
    let place = vec![centred(run(&d.place_date, BODY).italic()).line_spacing(single().before(60))];
    borderless(
        [left, right],
        vec![
            TableRow::new(vec![cell(left, issuer), cell(right, motto)]),
            TableRow::new(vec![cell(left, numbers), cell(right, place)]),
        ],
    )
}

/// "Nơi nhận:" and its list on the left, the signature block on the right.
fn closing_block(d: &Draft, width: usize) -> Table {
    let left = width * 45 / 100;
    let right = width - left;
    let mut recipients =
        vec![Paragraph::new().add_run(run("Nơi nhận:", HEAD_12).bold().italic()).line_spacing(single())];
    recipients.extend(
        d.recipients
            .iter()
            .map(|r| Paragraph::new().add_run(run(&recipient_line(r), RECIPIENTS)).line_spacing(single())),
    );
    let mut signature = vec![
        centred(run(&d.signer_on_behalf.to_uppercase(), BODY).bold()),
        centred(run(&d.signer_title.to_uppercase(), BODY).bold()),
    ];
    // Room for the signature and the seal.
    signature.extend(std::iter::repeat_with(blank).take(4));
    signature.push(centred(run(&d.signer_name, BODY).bold()));
    borderless([left, right], vec![TableRow::new(vec![cell(left, recipients), cell(right, signature)])])
}

/// "- Phòng Nội vụ huyện;": a dash before, a semicolon after, unless the line has its own (the last
/// line is usually "- Lưu: VT.").
fn recipient_line(r: &str) -> String {
    let r = r.trim();
    let dashed = if r.starts_with('-') { r.to_string() } else { format!("- {r}") };
    if dashed.ends_with([';', '.', ':']) { dashed } else { format!("{dashed};") }
}

#[cfg(test)]
mod tests {
    use std::io::{Cursor, Read};

    use super::*;
    use crate::report::testing::sample_yearly;

    fn part(bytes: &[u8], name: &str) -> String {
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).expect("a DOCX is a zip");
        let mut s = String::new();
        zip.by_name(name).unwrap_or_else(|e| panic!("{name}: {e}")).read_to_string(&mut s).unwrap();
        s
    }

    /// The value of `attr` in the first `<tag …>` of `xml`.
    fn attr(xml: &str, tag: &str, attr: &str) -> i64 {
        let start = xml.find(&format!("<{tag} ")).unwrap_or_else(|| panic!("no <{tag}>"));
        let el = &xml[start..start + xml[start..].find('>').unwrap()];
        let key = format!("{attr}=\"");
        let at = el.find(&key).unwrap_or_else(|| panic!("no {attr} in {el}")) + key.len();
        el[at..at + el[at..].find('"').unwrap()].parse().unwrap()
    }

    #[test]
    fn draft_in_the_decree_30_layout() {
        let y = sample_yearly();
        let bytes = draft(&y.draft).unwrap();
        assert!(bytes.starts_with(b"PK"), "a zip");
        let xml = part(&bytes, "word/document.xml");
        for text in [NATIONAL_TITLE, MOTTO, "BÁO CÁO", "Kết quả thực hiện Đề án Văn hóa công vụ năm 2026"]
        {
            assert!(xml.contains(text), "{text} missing");
        }
        // Upper case for the issuing bodies and the signer's role, the text of the rest as given.
        for text in
            ["UBND HUYỆN TUY PHƯỚC", "ỦY BAN NHÂN DÂN XÃ PHƯỚC THÀNH", "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Lê Văn …"]
        {
            assert!(xml.contains(text), "{text} missing");
        }
        assert!(xml.contains("Số: …/BC-UBND") && xml.contains("Phước Thành, ngày … tháng … năm 2026"));
        assert!(xml.contains("Nơi nhận:") && xml.contains("- Phòng Nội vụ huyện;") && xml.contains("- Lưu: VT."));
        assert!(xml.contains("I. KẾT QUẢ ĐÁNH GIÁ SỰ HÀI LÒNG CỦA NGƯỜI DÂN"));
        assert!(xml.contains("w:ascii=\"Times New Roman\""));
        assert!(!xml.contains("Calibri") && !xml.contains("Arial"));
        assert!(part(&bytes, "word/styles.xml").contains("Times New Roman"));

        // A4 portrait.
        assert_eq!((attr(&xml, "w:pgSz", "w:w"), attr(&xml, "w:pgSz", "w:h")), (11906, 16838));
        // Margins within Decree 30's ranges: top and bottom 20–25 mm, left 30–35 mm, right 15–20 mm.
        let mm = |v: f64| (v * 1440.0 / 25.4).round() as i64;
        let margin = |side: &str| attr(&xml, "w:pgMar", side);
        assert!((mm(20.0)..=mm(25.0)).contains(&margin("w:top")), "top {}", margin("w:top"));
        assert!((mm(20.0)..=mm(25.0)).contains(&margin("w:bottom")), "bottom {}", margin("w:bottom"));
        assert!((mm(30.0)..=mm(35.0)).contains(&margin("w:left")), "left {}", margin("w:left"));
        assert!((mm(15.0)..=mm(20.0)).contains(&margin("w:right")), "right {}", margin("w:right"));

        // Body: 14 pt, justified, first line indented about 1 cm, 1.2 lines, 6 pt after.
        assert!(xml.contains("<w:sz w:val=\"28\" />"));
        assert!(xml.contains("<w:jc w:val=\"both\" />"));
        assert!(xml.contains("w:firstLine=\"567\""));
        assert!(xml.contains("w:line=\"288\"") && xml.contains("w:after=\"120\""));
        // The side-by-side blocks have no borders.
        assert!(xml.contains("<w:tblBorders><w:top w:val=\"nil\""), "borderless tables");
        // Italic place and date, bold title.
        assert!(xml.contains("<w:i />"));
        assert!(xml.contains("<w:b />"));
    }

    #[test]
    fn recipients_get_a_dash_and_a_semicolon() {
        assert_eq!(recipient_line("Sở Nội vụ"), "- Sở Nội vụ;");
        assert_eq!(recipient_line("- Sở Nội vụ;"), "- Sở Nội vụ;");
        assert_eq!(recipient_line("Lưu: VT."), "- Lưu: VT.");
    }

    #[test]
    fn a_top_level_issuer_has_no_parent_line() {
        let mut d = sample_yearly().draft;
        d.parent_body = String::new();
        let xml = part(&draft(&d).unwrap(), "word/document.xml");
        assert!(!xml.contains("UBND HUYỆN TUY PHƯỚC"));
        assert!(xml.contains("ỦY BAN NHÂN DÂN XÃ PHƯỚC THÀNH"));
    }
}
