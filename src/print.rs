//! QR codes and printable posters for desks.
//!
//! Pure functions: they return bytes or text and the caller writes files. The PNG, the standalone SVG
//! and the poster all draw the same module matrix from [`modules`], so what the tests decode from the
//! PNG is exactly what gets printed.

use std::fmt::Write as _;

use image::{ExtendedColorType, GrayImage, ImageEncoder, Luma, codecs::png::PngEncoder};
use qrcode::{EcLevel, QrCode, types::QrError};

/// Level Q (25 % of codewords recoverable) rather than M (15 %): posters hang for years at a busy
/// desk and collect dirt, tape, pen marks and glare behind plastic sleeves. A ~50-character URL at Q
/// is still only a version 4–5 code (33–37 modules; the 37-character demo URL gives version 4), i.e.
/// over 2 mm per module on the A5 poster, so the extra density costs nothing in scanability.
const EC_LEVEL: EcLevel = EcLevel::Q;
/// The quiet zone the QR standard requires around a (non-micro) code, in modules.
const QUIET: usize = 4;
/// Clamp for PNG module size: below 4 px phone cameras and printers blur modules together; above
/// 32 px a large code would make a needlessly huge image.
const MODULE_PX_MIN: u32 = 4;
const MODULE_PX_MAX: u32 = 32;
/// Standalone SVG default: 8 px per module (328 px for a typical 41-module code with quiet zone).
const SVG_DEFAULT_MODULE_PX: usize = 8;

#[derive(Debug, thiserror::Error)]
pub enum PrintError {
    #[error("nothing to encode: the QR data is empty")]
    Empty,
    #[error("{len} bytes is too long for a QR code at error-correction level Q (about 1,600 bytes at most)")]
    TooLong { len: usize },
    #[error("QR encoding failed: {0}")]
    Qr(QrError),
    #[error("a {len}-character URL is too long to print legibly on a poster (at most {max})", max = POSTER_URL_MAX)]
    UrlTooLongForPoster { len: usize },
    #[error("PNG encoding failed: {0}")]
    Png(#[from] image::ImageError),
}

/// The dark/light matrix of a QR code, without quiet zone; `dark` is row-major, `width`² long.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Modules {
    width: usize,
    dark: Vec<bool>,
}

impl Modules {
    fn is_dark(&self, x: usize, y: usize) -> bool {
        self.dark[y * self.width + x]
    }

    /// Side length including the quiet zone on both sides.
    fn side(&self) -> usize {
        self.width + 2 * QUIET
    }
}

/// The single source of the QR matrix for every output format.
fn modules(data: &str) -> Result<Modules, PrintError> {
    if data.is_empty() {
        return Err(PrintError::Empty);
    }
    let code = QrCode::with_error_correction_level(data, EC_LEVEL).map_err(|e| match e {
        QrError::DataTooLong => PrintError::TooLong { len: data.len() },
        other => PrintError::Qr(other),
    })?;
    let dark = code.to_colors().into_iter().map(|c| c == qrcode::Color::Dark).collect();
    Ok(Modules { width: code.width(), dark })
}

/// PNG (8-bit greyscale) of the QR code for `data`: black on white, 4-module quiet zone, each module
/// `module_px` pixels, clamped to 4..=32.
pub fn qr_png(data: &str, module_px: u32) -> Result<Vec<u8>, PrintError> {
    let m = modules(data)?;
    let px = module_px.clamp(MODULE_PX_MIN, MODULE_PX_MAX);
    // At most 185 modules (version 40) × 32 px, far from u32 overflow.
    let side = m.side() as u32 * px;
    let quiet = QUIET as u32;
    let img = GrayImage::from_fn(side, side, |x, y| {
        let (mx, my) = (x / px, y / px);
        let inside = (quiet..quiet + m.width as u32).contains(&mx) && (quiet..quiet + m.width as u32).contains(&my);
        let dark = inside && m.is_dark((mx - quiet) as usize, (my - quiet) as usize);
        Luma([if dark { 0 } else { 255 }])
    });
    let mut out = Vec::new();
    PngEncoder::new(&mut out).write_image(img.as_raw(), side, side, ExtendedColorType::L8)?;
    Ok(out)
}

/// Path data for all dark modules in module units, quiet zone included in the offsets. One
/// rectangle per horizontal run keeps the path short (a few kB instead of thousands of rects).
fn qr_path_d(m: &Modules) -> String {
    let mut d = String::new();
    for y in 0..m.width {
        let mut x = 0;
        while x < m.width {
            if !m.is_dark(x, y) {
                x += 1;
                continue;
            }
            let start = x;
            while x < m.width && m.is_dark(x, y) {
                x += 1;
            }
            let run = x - start;
            let _ = write!(d, "M{} {}h{run}v1h-{run}z", start + QUIET, y + QUIET);
        }
    }
    d
}

/// A standalone SVG document of the QR code, viewBox in module units (quiet zone included).
pub fn qr_svg(data: &str) -> Result<String, PrintError> {
    let m = modules(data)?;
    let n = m.side();
    let px = n * SVG_DEFAULT_MODULE_PX;
    Ok(format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{px}\" height=\"{px}\" viewBox=\"0 0 {n} {n}\" \
         shape-rendering=\"crispEdges\">\
         <rect width=\"{n}\" height=\"{n}\" fill=\"#fff\"/><path fill=\"#000\" d=\"{}\"/></svg>\n",
        qr_path_d(&m)
    ))
}

/// Escapes text for XML content and attribute values, and drops characters XML 1.0 forbids
/// (control characters), which would make the whole document unreadable.
/// `s` safe inside XML text and attribute values; control characters (not allowed in XML 1.0)
/// become spaces or are dropped.
pub fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(' '),
            c if (c as u32) < 0x20 => out.push(' '),
            '\u{FFFE}' | '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Poster

/// What a desk's poster shows. `location` may be empty.
#[derive(Debug, Clone, Copy)]
pub struct PosterInfo<'a> {
    pub unit_name: &'a str,
    pub desk_name: &'a str,
    pub location: &'a str,
    pub url: &'a str,
}

const HEADLINE: &str = "Quét mã để đánh giá mức độ hài lòng và phản ánh hành vi cán bộ";
const ENGLISH: &str = "Scan to rate this service or report an officer's conduct";
const URL_LABEL: &str = "Không quét được mã? Gõ địa chỉ này vào trình duyệt:";
/// The line break is deliberate: at the dash, not inside "đăng nhập" or "thông tin".
const ANONYMOUS: &str =
    "Đánh giá ẩn danh, không cần đăng nhập.\nThông tin liên hệ không bắt buộc; nếu để lại, được mã hóa.";
const MOTTO_XIN: &str = "4 xin: xin chào, xin lỗi, xin cảm ơn, xin phép";
const MOTTO_LUON: &str = "4 luôn: luôn mỉm cười, luôn nhẹ nhàng, luôn lắng nghe, luôn giúp đỡ";

const SANS: &str = "'Noto Sans','DejaVu Sans',Arial,sans-serif";
const MONO: &str = "'DejaVu Sans Mono','Noto Sans Mono',monospace";
const BLUE: &str = "#0b4f8a";

// Page geometry in mm (A5 portrait). 10 mm margins: inside every office printer's unprintable edge,
// which is also why the blue band is inset rather than bled to the paper edge.
const PAGE_W: f64 = 148.0;
const PAGE_H: f64 = 210.0;
const MARGIN: f64 = 10.0;
const CONTENT_W: f64 = PAGE_W - 2.0 * MARGIN;
const CENTER_X: f64 = PAGE_W / 2.0;
const BAND_PAD: f64 = 5.0;
/// The QR (quiet zone included) gets what the text leaves, within these bounds.
const QR_MIN: f64 = 90.0;
const QR_MAX: f64 = 100.0;
/// Line height as a multiple of font size; the first baseline sits one font size below the block
/// top, leaving room for stacked Vietnamese diacritics (Ố, Ẩ) above capitals.
const LEADING: f64 = 1.2;
/// Smallest URL font (≈ 10 pt) that is still comfortable to copy by hand.
const URL_MIN_FONT: f64 = 3.4;
/// Longest URL a poster takes: four lines at the smallest URL font. Longer ones make a QR too dense
/// to scan at 90 mm and a URL nobody will type, so they are refused rather than printed badly.
const POSTER_URL_MAX: usize = 240;
/// DejaVu Sans Mono advance (0.602 em), rounded up so Noto Sans Mono fits too.
const MONO_EM: f64 = 0.61;

/// Approximate advance width of a character in em. Deliberately on the wide side (close to DejaVu
/// Sans, the widest font in the stack) so a line that fits the estimate fits in every fallback.
fn char_em(c: char) -> f64 {
    match c {
        ' ' | 'i' | 'j' | 'l' | 'í' | 'ì' | 'ỉ' | 'ĩ' | 'ị' | 'I' | 'Í' | 'Ì' | 'Ỉ' | 'Ĩ' | 'Ị' | '.' | ',' | ':'
        | ';' | '\'' | '!' | '|' | '(' | ')' | '[' | ']' | '·' => 0.34,
        'f' | 'r' | 't' | '-' => 0.44,
        'm' | 'w' | 'M' | 'W' | '—' | '%' => 0.98,
        c if c.is_uppercase() => 0.76,
        _ => 0.63,
    }
}

fn text_width(s: &str, font: f64, bold: bool) -> f64 {
    let em: f64 = s.chars().map(char_em).sum();
    em * font * if bold { 1.12 } else { 1.0 }
}

/// Greedy word wrap to `max_w` mm; `\n` forces a break. A lone dash joins the word before it so no line starts with
/// "–"; a word too long for a line on its own is split by characters.
fn wrap(text: &str, max_w: f64, font: f64, bold: bool) -> Vec<String> {
    text.split('\n').flat_map(|para| wrap_paragraph(para, max_w, font, bold)).collect()
}

fn wrap_paragraph(text: &str, max_w: f64, font: f64, bold: bool) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    for w in text.split_whitespace() {
        match words.last_mut() {
            Some(prev) if matches!(w, "–" | "—" | "-") => {
                prev.push(' ');
                prev.push_str(w);
            }
            _ => words.push(w.to_string()),
        }
    }
    let fits = |s: &str| text_width(s, font, bold) <= max_w;
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in words {
        let candidate = if line.is_empty() { word.clone() } else { format!("{line} {word}") };
        if fits(&candidate) {
            line = candidate;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        for c in word.chars() {
            line.push(c);
            if !fits(&line) && line.chars().count() > 1 {
                line.pop();
                lines.push(std::mem::replace(&mut line, c.to_string()));
            }
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// A wrapped paragraph: its font size (mm) and lines.
struct Block {
    font: f64,
    lines: Vec<String>,
}

impl Block {
    fn height(&self) -> f64 {
        self.lines.len() as f64 * self.font * LEADING
    }
}

/// Wraps `text` at the largest font in `min..=max` (0.25 mm steps) that needs at most `max_lines`
/// lines, then narrows the measure as far as the line count allows so centred lines come out
/// balanced instead of a full line and an orphan. If even `min` needs more lines, the last line ends
/// in "…": a name that long would otherwise push the QR off the page.
fn fit(text: &str, max_w: f64, bold: bool, (min, max): (f64, f64), max_lines: usize) -> Block {
    let mut font = max;
    let mut lines = wrap(text, max_w, font, bold);
    while lines.len() > max_lines && font - 0.25 >= min {
        font -= 0.25;
        lines = wrap(text, max_w, font, bold);
    }
    if lines.len() > max_lines {
        lines.truncate(max_lines);
        if let Some(last) = lines.last_mut() {
            while !last.is_empty() && text_width(&format!("{last}…"), font, bold) > max_w {
                last.pop();
            }
            *last = format!("{}…", last.trim_end());
        }
    } else {
        let n = lines.len();
        let mut w = max_w;
        while w > 10.0 {
            let narrower = wrap(text, w - 1.0, font, bold);
            if narrower.len() > n {
                break;
            }
            lines = narrower;
            w -= 1.0;
        }
    }
    Block { font, lines }
}

/// The URL in monospace: one line as large as fits (up to 5.5 mm). A URL too long for one line at
/// 3.4 mm breaks before `/q/`: the base on one line, `/q/CODE` on the next, both as large as the
/// longer allows, so the code a citizen may type is never cut. Only a base too long for a line of
/// its own is split further, after a `/`, `.` or `-` where one is near the end of the line.
fn fit_url(url: &str) -> Block {
    let len = |s: &str| s.chars().count().max(1) as f64;
    let font_for = |longest: f64| (CONTENT_W / (longest * MONO_EM)).min(5.5);
    let font = font_for(len(url));
    if font >= URL_MIN_FONT {
        return Block { font, lines: vec![url.to_string()] };
    }
    let (base, code) = match url.rfind("/q/") {
        Some(i) => (&url[..i], &url[i..]),
        None => (url, ""),
    };
    let font = font_for(len(base).max(len(code)));
    if !code.is_empty() && font >= URL_MIN_FONT {
        return Block { font, lines: vec![base.to_string(), code.to_string()] };
    }
    // Each part in lines of at most `per_line`, cut after a `/`, `.` or `-` in a line's second half
    // when there is one. The code's part starts a line and its first cut comes after the code
    // (`/q/` and 13 symbols is far shorter than half a line).
    let per_line = (CONTENT_W / (URL_MIN_FONT * MONO_EM)).floor() as usize;
    let mut lines = Vec::new();
    for part in [base, code] {
        let mut rest: Vec<char> = part.chars().collect();
        while rest.len() > per_line {
            let cut = rest[per_line / 2..per_line]
                .iter()
                .rposition(|c| matches!(c, '/' | '.' | '-' | '?' | '&'))
                .map_or(per_line, |i| per_line / 2 + i + 1);
            lines.push(rest.drain(..cut).collect::<String>());
        }
        if !rest.is_empty() {
            lines.push(rest.into_iter().collect());
        }
    }
    Block { font: URL_MIN_FONT, lines }
}

/// Writes `block` centred, starting at `top`; returns the y below it.
fn draw(out: &mut String, block: &Block, top: f64, attrs: &str) -> f64 {
    for (i, line) in block.lines.iter().enumerate() {
        let y = top + block.font + i as f64 * block.font * LEADING;
        let _ = writeln!(
            out,
            "<text x=\"{CENTER_X}\" y=\"{y:.2}\" font-size=\"{:.2}\" text-anchor=\"middle\" {attrs}>{}</text>",
            block.font,
            xml_escape(line)
        );
    }
    top + block.height()
}

/// Print-ready A5 portrait poster for one desk: headline, unit and desk, a ≥ 90 mm QR, the URL to
/// type by hand, the anonymity promise and the "4 xin, 4 luôn" code.
pub fn poster_svg(p: &PosterInfo) -> Result<String, PrintError> {
    poster_layout(p).map(|(svg, _)| svg)
}

/// The poster and the y (mm) where its lowest text ends, which tests hold to the bottom margin.
fn poster_layout(p: &PosterInfo) -> Result<(String, f64), PrintError> {
    let url_len = p.url.chars().count();
    if url_len > POSTER_URL_MAX {
        return Err(PrintError::UrlTooLongForPoster { len: url_len });
    }
    let m = modules(p.url)?;
    let band_w = CONTENT_W - 2.0 * BAND_PAD;
    let headline = fit(HEADLINE, band_w, true, (5.5, 6.5), 3);
    let english = fit(ENGLISH, band_w, false, (3.0, 3.6), 2);
    let url_label = fit(URL_LABEL, CONTENT_W, false, (3.0, 3.2), 1);
    let url = fit_url(p.url);
    let anonymous = fit(ANONYMOUS, CONTENT_W, true, (3.0, 3.4), 2);
    let xin = fit(MOTTO_XIN, CONTENT_W, false, (2.4, 2.8), 2);
    let luon = fit(MOTTO_LUON, CONTENT_W, false, (2.4, 2.8), 2);

    let band_h = BAND_PAD + headline.height() + 1.0 + english.height() + BAND_PAD - 1.5;
    let below_qr = url_label.height() + url.height() + 2.0 + anonymous.height() + 1.0 + xin.height() + luon.height();
    let fixed = MARGIN + band_h + 3.0 + 1.0 + below_qr + MARGIN;
    // Names get two lines each if the QR keeps its 90 mm; otherwise give up lines, least important
    // first (location, then desk, then unit). The last step always fits for URLs up to the cap.
    let mut names =
        (Block { font: 0.0, lines: vec![] }, Block { font: 0.0, lines: vec![] }, Block { font: 0.0, lines: vec![] });
    for (unit_lines, desk_lines, loc_lines) in [(2, 2, 2), (2, 2, 1), (2, 1, 1), (1, 1, 1)] {
        names = (
            fit(p.unit_name.trim(), CONTENT_W, true, (4.0, 5.5), unit_lines),
            fit(p.desk_name.trim(), CONTENT_W, false, (3.6, 4.8), desk_lines),
            fit(p.location.trim(), CONTENT_W, false, (3.0, 3.6), loc_lines),
        );
        if fixed + names.0.height() + names.1.height() + names.2.height() + QR_MIN <= PAGE_H {
            break;
        }
    }
    let (unit, desk, location) = names;
    let available = PAGE_H - fixed - unit.height() - desk.height() - location.height();
    // The QR's own 4-module quiet zone (≈ 8 mm of white) separates it from the text, so no extra gap.
    let qr = available.clamp(QR_MIN, QR_MAX);
    // Spare height, once the QR is at its maximum, is split above and below it.
    let spare = ((available - qr) / 2.0).max(0.0);

    let mut s = String::new();
    let _ = writeln!(
        s,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <svg xmlns=\"http://www.w3.org/2000/svg\" width=\"148mm\" height=\"210mm\" viewBox=\"0 0 148 210\" \
         font-family=\"{SANS}\" lang=\"vi\">"
    );
    // The title keeps the full names even if the layout had to shorten them.
    let _ = writeln!(
        s,
        "<title>{}</title>\n<rect width=\"148\" height=\"210\" fill=\"#fff\"/>",
        xml_escape(&format!("{} — {} — {}", p.desk_name.trim(), p.unit_name.trim(), p.url))
    );
    let _ = writeln!(
        s,
        "<rect x=\"{MARGIN}\" y=\"{MARGIN}\" width=\"{CONTENT_W}\" height=\"{band_h:.2}\" rx=\"2\" fill=\"{BLUE}\"/>"
    );
    let y = draw(&mut s, &headline, MARGIN + BAND_PAD, "font-weight=\"bold\" fill=\"#fff\"") + 1.0;
    draw(&mut s, &english, y, "fill=\"#dce9f6\"");
    let mut y = MARGIN + band_h + 3.0;
    y = draw(&mut s, &unit, y, &format!("font-weight=\"bold\" fill=\"{BLUE}\"")) + 1.0;
    y = draw(&mut s, &desk, y, "fill=\"#111\"");
    y = draw(&mut s, &location, y, "fill=\"#444\"") + spare;

    let qr_x = (PAGE_W - qr) / 2.0;
    let n = m.side();
    let _ = writeln!(
        s,
        "<rect x=\"{qr_x:.2}\" y=\"{y:.2}\" width=\"{qr:.2}\" height=\"{qr:.2}\" fill=\"#fff\"/>\n\
         <svg x=\"{qr_x:.2}\" y=\"{y:.2}\" width=\"{qr:.2}\" height=\"{qr:.2}\" viewBox=\"0 0 {n} {n}\" \
         shape-rendering=\"crispEdges\"><path fill=\"#000\" d=\"{}\"/></svg>",
        qr_path_d(&m)
    );
    y += qr + spare;

    y = draw(&mut s, &url_label, y, "fill=\"#333\"");
    y = draw(&mut s, &url, y, &format!("font-family=\"{MONO}\" fill=\"#000\"")) + 2.0;
    y = draw(&mut s, &anonymous, y, "font-weight=\"bold\" fill=\"#111\"") + 1.0;
    y = draw(&mut s, &xin, y, "fill=\"#333\"");
    y = draw(&mut s, &luon, y, "fill=\"#333\"");
    s.push_str("</svg>\n");
    Ok((s, y))
}

// ---------------------------------------------------------------------------------------------
// Results poster

/// What a desk's "Kết quả đánh giá" poster shows, already worded (Vietnamese).
#[derive(Debug, Clone)]
pub struct ResultsInfo<'a> {
    pub unit_name: &'a str,
    pub desk_name: &'a str,
    /// "Tháng 10/2026".
    pub month: &'a str,
    /// "1.234 lượt đánh giá".
    pub ratings: &'a str,
    /// "92,4 %"; `None` below the minimum count.
    pub rate: Option<&'a str>,
    /// Shown instead of the figures below the minimum count.
    pub too_few: &'a str,
    /// (label, share as text, share 0–1) for the levels, best first, then the behaviours.
    pub levels: &'a [(String, String, f64)],
    pub behaviours: &'a [(String, String, f64)],
    /// The desk's rating URL, for a small QR code.
    pub url: &'a str,
}

/// Broken where a reader pauses, not inside "đánh giá".
const RESULTS_HEADLINE: &str = "KẾT QUẢ ĐÁNH GIÁ\nSỰ HÀI LÒNG";
const RESULTS_ENGLISH: &str = "How citizens rated this desk";
const RESULTS_NOTE: &str = "Người dân đánh giá qua mã QR tại quầy; không nêu tên cán bộ. Tỷ lệ hài lòng = (Rất hài lòng + Hài lòng) / tổng số lượt.";

/// Print-ready A5 portrait poster of a desk's last month, to hang beside its QR poster.
pub fn results_poster_svg(p: &ResultsInfo) -> Result<String, PrintError> {
    let m = modules(p.url)?;
    let band_w = CONTENT_W - 2.0 * BAND_PAD;
    let headline = fit(RESULTS_HEADLINE, band_w, true, (5.5, 6.5), 2);
    let english = fit(RESULTS_ENGLISH, band_w, false, (3.0, 3.6), 1);
    let unit = fit(p.unit_name.trim(), CONTENT_W, true, (4.0, 5.0), 2);
    let desk = fit(p.desk_name.trim(), CONTENT_W, false, (3.6, 4.4), 2);
    let month = fit(&format!("{} · {}", p.month, p.ratings), CONTENT_W, false, (3.6, 4.2), 1);
    let note = fit(RESULTS_NOTE, CONTENT_W - 36.0, false, (2.6, 2.8), 4);
    let band_h = BAND_PAD + headline.height() + 1.0 + english.height() + BAND_PAD - 1.5;

    let mut s = String::new();
    let _ = writeln!(
        s,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <svg xmlns=\"http://www.w3.org/2000/svg\" width=\"148mm\" height=\"210mm\" viewBox=\"0 0 148 210\" \
         font-family=\"{SANS}\" lang=\"vi\">"
    );
    let _ = writeln!(
        s,
        "<title>{}</title>\n<rect width=\"148\" height=\"210\" fill=\"#fff\"/>",
        xml_escape(&format!("{} — {} — {}", RESULTS_HEADLINE.replace('\n', " "), p.desk_name.trim(), p.month))
    );
    let _ = writeln!(
        s,
        "<rect x=\"{MARGIN}\" y=\"{MARGIN}\" width=\"{CONTENT_W}\" height=\"{band_h:.2}\" rx=\"2\" fill=\"{BLUE}\"/>"
    );
    let y = draw(&mut s, &headline, MARGIN + BAND_PAD, "font-weight=\"bold\" fill=\"#fff\"") + 1.0;
    draw(&mut s, &english, y, "fill=\"#dce9f6\"");
    let mut y = MARGIN + band_h + 3.0;
    y = draw(&mut s, &unit, y, &format!("font-weight=\"bold\" fill=\"{BLUE}\"")) + 0.5;
    y = draw(&mut s, &desk, y, "fill=\"#111\"") + 0.5;
    y = draw(&mut s, &month, y, "fill=\"#333\"") + 3.0;
    match p.rate {
        Some(rate) => {
            let label = fit("Tỷ lệ hài lòng", CONTENT_W, false, (4.0, 4.0), 1);
            y = draw(&mut s, &label, y, "fill=\"#333\"");
            let big = Block { font: 16.0, lines: vec![rate.to_string()] };
            y = draw(&mut s, &big, y, &format!("font-weight=\"bold\" fill=\"{BLUE}\"")) + 3.0;
            y = bars(&mut s, "Mức độ hài lòng", p.levels, y) + 2.0;
            y = bars(&mut s, "Cán bộ thực hiện “4 xin, 4 luôn”", p.behaviours, y);
        }
        None => {
            let too_few = fit(p.too_few, CONTENT_W, false, (4.0, 4.4), 3);
            y = draw(&mut s, &too_few, y + 10.0, "fill=\"#333\"");
        }
    }
    // A small QR code to rate, bottom right, with the note beside it.
    let qr = 30.0;
    let (qr_x, qr_y) = (PAGE_W - MARGIN - qr, PAGE_H - MARGIN - qr);
    let n = m.side();
    let _ = writeln!(
        s,
        "<svg x=\"{qr_x:.2}\" y=\"{qr_y:.2}\" width=\"{qr:.2}\" height=\"{qr:.2}\" viewBox=\"0 0 {n} {n}\" \
         shape-rendering=\"crispEdges\"><path fill=\"#000\" d=\"{}\"/></svg>",
        qr_path_d(&m)
    );
    for (i, line) in note.lines.iter().enumerate() {
        let ly = qr_y + 6.0 + note.font + i as f64 * note.font * LEADING;
        let _ = writeln!(
            s,
            "<text x=\"{MARGIN}\" y=\"{ly:.2}\" font-size=\"{:.2}\" fill=\"#444\">{}</text>",
            note.font,
            xml_escape(line)
        );
    }
    let rate_it = Block { font: 3.0, lines: vec!["Quét mã để đánh giá →".into()] };
    let _ = writeln!(
        s,
        "<text x=\"{:.2}\" y=\"{:.2}\" font-size=\"{}\" text-anchor=\"end\" font-weight=\"bold\" fill=\"{BLUE}\">{}</text>",
        qr_x - 1.0,
        qr_y + 3.5,
        rate_it.font,
        xml_escape(&rate_it.lines[0])
    );
    let _ = y;
    s.push_str("</svg>\n");
    Ok(s)
}

/// A titled list of share bars, left-aligned; returns the y below it.
fn bars(s: &mut String, title: &str, items: &[(String, String, f64)], top: f64) -> f64 {
    if items.is_empty() {
        return top;
    }
    let _ = writeln!(
        s,
        "<text x=\"{MARGIN}\" y=\"{:.2}\" font-size=\"3.6\" font-weight=\"bold\" fill=\"#111\">{}</text>",
        top + 3.6,
        xml_escape(title)
    );
    let mut y = top + 5.5;
    let bar_w = CONTENT_W - 62.0;
    for (label, share, x) in items {
        let _ = writeln!(
            s,
            "<text x=\"{MARGIN}\" y=\"{:.2}\" font-size=\"3.0\" fill=\"#222\">{}</text>\n\
             <rect x=\"{:.2}\" y=\"{:.2}\" width=\"{bar_w:.2}\" height=\"3\" rx=\"1\" fill=\"#e6e9ee\"/>\n\
             <rect x=\"{:.2}\" y=\"{:.2}\" width=\"{:.2}\" height=\"3\" rx=\"1\" fill=\"{BLUE}\"/>\n\
             <text x=\"{:.2}\" y=\"{:.2}\" font-size=\"3.0\" text-anchor=\"end\" fill=\"#222\">{}</text>",
            y + 3.0,
            xml_escape(label),
            MARGIN + 46.0,
            y + 0.6,
            MARGIN + 46.0,
            y + 0.6,
            bar_w * x.clamp(0.0, 1.0),
            PAGE_W - MARGIN,
            y + 3.0,
            xml_escape(share)
        );
        y += 4.6;
    }
    y
}

#[cfg(test)]
mod tests {
    use super::*;

    const TYPICAL: &str = "http://127.0.0.1:8080/q/7KQ3M9XTABCDE";
    const LONG: &str = "https://hailong.tinh-binh-dinh.gov.vn/q/7KQ3M9XTABCDE?desk=mot-cua-ubnd-thi-tran-dieu-tri&lang=vi&src=poster-a5-2025";

    /// rqrr reports the raw 2-bit format field: 0 = M, 1 = L, 2 = H, 3 = Q.
    fn ecc_at_least_m(raw: u16) -> bool {
        raw != 1
    }

    fn decode_png(png: &[u8]) -> (rqrr::MetaData, String) {
        let img = image::load_from_memory(png).unwrap().to_luma8();
        let mut prepared = rqrr::PreparedImage::prepare(img);
        let grids = prepared.detect_grids();
        assert_eq!(grids.len(), 1, "exactly one QR code in the PNG");
        grids[0].decode().unwrap()
    }

    /// Rebuilds the module matrix from our own path syntax (`M{x} {y}h{n}v1h-{n}z`, quiet zone in
    /// the offsets) — the rasterise-free way to check what the SVGs draw.
    fn matrix_from_path(d: &str, side: usize) -> Modules {
        let width = side - 2 * QUIET;
        let mut dark = vec![false; width * width];
        for seg in d.split('M').filter(|s| !s.is_empty()) {
            let (xy, rest) = seg.split_once('h').unwrap();
            let (x, y) = xy.split_once(' ').unwrap();
            let (x, y): (usize, usize) = (x.parse().unwrap(), y.parse().unwrap());
            let run: usize = rest.split_once('v').unwrap().0.parse().unwrap();
            assert!(x >= QUIET && y >= QUIET && x + run <= QUIET + width && y < QUIET + width, "in quiet zone");
            for i in x..x + run {
                dark[(y - QUIET) * width + i - QUIET] = true;
            }
        }
        Modules { width, dark }
    }

    fn path_d(svg: &str) -> &str {
        let start = svg.find("<path").unwrap();
        let d = &svg[start..];
        let d = &d[d.find(" d=\"").unwrap() + 4..];
        &d[..d.find('"').unwrap()]
    }

    fn decode_matrix(m: &Modules) -> (rqrr::MetaData, String) {
        let grid = rqrr::Grid::new(rqrr::SimpleGrid::from_func(m.width, |x, y| m.is_dark(x, y)));
        grid.decode().unwrap()
    }

    fn sample() -> PosterInfo<'static> {
        PosterInfo {
            unit_name: "UBND thị trấn Diêu Trì & \"Phòng\" <Nội vụ> 'A'",
            desk_name: "Bộ phận Một cửa",
            location: "Tầng 1, số 12 đường Trần Phú",
            url: TYPICAL,
        }
    }

    #[test]
    fn png_decodes_to_the_exact_url_at_level_q() {
        for url in [TYPICAL, LONG] {
            let (meta, text) = decode_png(&qr_png(url, 6).unwrap());
            assert_eq!(text, url);
            assert!(ecc_at_least_m(meta.ecc_level));
            assert_eq!(meta.ecc_level, 3, "level Q");
        }
    }

    #[test]
    fn png_has_white_quiet_zone_and_clamped_module_size() {
        for (asked, px) in [(0, 4), (6, 6), (1000, 32)] {
            let png = qr_png(TYPICAL, asked).unwrap();
            let img = image::load_from_memory(&png).unwrap().to_luma8();
            let side = modules(TYPICAL).unwrap().side() as u32 * px;
            assert_eq!(img.dimensions(), (side, side));
            let border = 4 * px;
            for (x, y, p) in img.enumerate_pixels() {
                let edge = x < border || y < border || x >= side - border || y >= side - border;
                if edge {
                    assert_eq!(p.0[0], 255, "quiet zone pixel ({x},{y}) not white");
                }
            }
            // The finder pattern's corner starts right inside the quiet zone.
            assert_eq!(img.get_pixel(border, border).0[0], 0);
        }
    }

    #[test]
    fn png_matrix_equals_the_shared_matrix() {
        let px = 5;
        let m = modules(TYPICAL).unwrap();
        let img = image::load_from_memory(&qr_png(TYPICAL, px).unwrap()).unwrap().to_luma8();
        let sampled: Vec<bool> = (0..m.width * m.width)
            .map(|i| {
                let (x, y) = ((i % m.width + QUIET) as u32, (i / m.width + QUIET) as u32);
                img.get_pixel(x * px + px / 2, y * px + px / 2).0[0] == 0
            })
            .collect();
        assert_eq!(sampled, m.dark);
    }

    #[test]
    fn too_long_or_empty_data_is_an_error_not_a_panic() {
        let huge = "x".repeat(5000);
        assert!(matches!(qr_png(&huge, 4), Err(PrintError::TooLong { len: 5000 })));
        assert!(matches!(qr_svg(&huge), Err(PrintError::TooLong { .. })));
        let p = PosterInfo { url: &huge, ..sample() };
        assert!(matches!(poster_svg(&p), Err(PrintError::UrlTooLongForPoster { len: 5000 })));
        assert!(matches!(qr_png("", 4), Err(PrintError::Empty)));
        // Every length up to a generous URL works.
        for n in 1..=300 {
            qr_svg(&"https://a.vn/".chars().cycle().take(n).collect::<String>()).unwrap();
        }
    }

    #[test]
    fn qr_svg_is_one_crisp_path_that_decodes() {
        let svg = qr_svg(TYPICAL).unwrap();
        assert!(svg.starts_with("<?xml") || svg.starts_with("<svg"));
        let m = modules(TYPICAL).unwrap();
        let n = m.side();
        assert!(svg.contains(&format!("viewBox=\"0 0 {n} {n}\"")));
        assert!(svg.contains("shape-rendering=\"crispEdges\""));
        assert_eq!(svg.matches("<path").count(), 1);
        assert!(svg.trim_end().ends_with("</svg>"));
        let drawn = matrix_from_path(path_d(&svg), n);
        assert_eq!(drawn, m);
        let (meta, text) = decode_matrix(&drawn);
        assert_eq!(text, TYPICAL);
        assert_eq!(meta.ecc_level, 3);
    }

    #[test]
    fn poster_is_a5_with_escaped_text_and_the_same_qr() {
        let svg = poster_svg(&sample()).unwrap();
        assert!(svg.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"));
        assert!(svg.contains("width=\"148mm\" height=\"210mm\" viewBox=\"0 0 148 210\""));
        assert!(svg.contains("Quét mã"));
        assert!(svg.contains("Scan to rate this service"));
        assert!(svg.contains("Đánh giá ẩn danh") && svg.contains("Thông tin liên hệ không bắt buộc"));
        assert!(svg.contains("4 xin: xin chào") && svg.contains("4 luôn: luôn mỉm cười"));
        assert!(svg.contains("Bộ phận Một cửa"));
        assert!(svg.contains("Tầng 1, số 12 đường Trần Phú"));
        assert!(svg.contains(&format!(">{TYPICAL}</text>")));
        // The unit name is whole in the <title> and escaped everywhere.
        assert!(svg.contains("UBND thị trấn Diêu Trì &amp; &quot;Phòng&quot; &lt;Nội vụ&gt; &apos;A&apos;"));
        assert!(!svg.contains("<Nội vụ>") && !svg.contains("& \""));
        assert_eq!(svg.matches("<path").count(), 1, "the QR is one path, not an image");
        assert!(!svg.contains("<image"));

        let m = modules(TYPICAL).unwrap();
        let drawn = matrix_from_path(path_d(&svg), m.side());
        assert_eq!(drawn, m, "poster draws the same matrix as qr_png and qr_svg");
        assert_eq!(decode_matrix(&drawn).1, TYPICAL);
    }

    /// The QR (with quiet zone) is at least 90 mm and everything stays inside the 10 mm margins,
    /// for typical, very long and empty fields.
    #[test]
    fn poster_layout_fits_the_page() {
        let long_unit = "Trung tâm Văn hóa – Thông tin – Thể thao và Truyền thanh huyện Tuy Phước, tỉnh Bình Định";
        let cases = [
            sample(),
            PosterInfo {
                unit_name: long_unit,
                desk_name: "Bộ phận Một cửa UBND thị trấn Diêu Trì – quầy tiếp nhận hồ sơ đất đai và xây dựng",
                location: "Tầng 1, nhà B, khu liên cơ quan, số 123 đường Nguyễn Huệ, thị trấn Diêu Trì",
                url: LONG,
            },
            PosterInfo { unit_name: &long_unit.repeat(4), desk_name: &long_unit.repeat(4), location: "", url: TYPICAL },
            PosterInfo { unit_name: "", desk_name: "", location: "", url: &"https://a.vn/q/".repeat(13) },
            PosterInfo {
                unit_name: long_unit,
                desk_name: long_unit,
                location: long_unit,
                url: &"x".repeat(POSTER_URL_MAX),
            },
            PosterInfo {
                unit_name: long_unit,
                desk_name: long_unit,
                location: long_unit,
                url: &format!("https://{}/q/ABCDEFGHJKLMN", "x".repeat(POSTER_URL_MAX - 24)),
            },
            PosterInfo { url: "https://dichvucong.tinh-gia-lai.example.gov.vn/q/ABCDEFGHJKLMN", ..sample() },
        ];
        for p in cases {
            let (svg, bottom) = poster_layout(&p).unwrap();
            assert!(bottom <= PAGE_H - MARGIN + 0.01, "text ends at {bottom} mm");
            let qr_size: f64 = {
                let at = svg.find("<svg x=").unwrap();
                let w = &svg[at..];
                let w = &w[w.find("width=\"").unwrap() + 7..];
                w[..w.find('"').unwrap()].parse().unwrap()
            };
            assert!(qr_size >= QR_MIN, "QR is {qr_size} mm");
            for line in svg.lines().filter(|l| l.starts_with("<text")) {
                let font: f64 = line.split("font-size=\"").nth(1).unwrap().split('"').next().unwrap().parse().unwrap();
                let text = &line[line.find('>').unwrap() + 1..line.rfind("</text>").unwrap()];
                let text = text.replace("&amp;", "&").replace("&quot;", "\"").replace("&lt;", "<").replace("&gt;", ">");
                let mono = line.contains("Mono");
                let bold = line.contains("bold");
                let w = if mono { text.chars().count() as f64 * MONO_EM * font } else { text_width(&text, font, bold) };
                assert!(w <= CONTENT_W + 0.01, "{text:?} is {w:.1} mm wide");
            }
        }
    }

    /// The `<text>` lines of the poster's URL block (the monospace ones), unescaped.
    fn url_lines(svg: &str) -> Vec<String> {
        svg.lines()
            .filter(|l| l.starts_with("<text") && l.contains("Mono"))
            .map(|l| l[l.find('>').unwrap() + 1..l.rfind("</text>").unwrap()].replace("&amp;", "&"))
            .collect()
    }

    #[test]
    fn a_long_url_breaks_before_the_code_never_inside_it() {
        let url = "https://dichvucong.tinh-gia-lai.example.gov.vn/q/ABCDEFGHJKLMN";
        let svg = poster_svg(&PosterInfo { url, ..sample() }).unwrap();
        assert_eq!(url_lines(&svg), ["https://dichvucong.tinh-gia-lai.example.gov.vn", "/q/ABCDEFGHJKLMN"]);
        // A short one stays on one line.
        assert_eq!(url_lines(&poster_svg(&sample()).unwrap()), [TYPICAL]);
        // A base too long for a line is split at a dot or slash; the code still starts a line, whole.
        let base = "https://cong-dich-vu-cong-truc-tuyen.ubnd-tinh-gia-lai.example.gov.vn/mot-cua/tiep-nhan";
        let url = format!("{base}/q/ABCDEFGHJKLMN");
        let lines = url_lines(&poster_svg(&PosterInfo { url: &url, ..sample() }).unwrap());
        assert_eq!(lines.concat(), url);
        assert_eq!(lines.last().unwrap(), "/q/ABCDEFGHJKLMN", "{lines:?}");
        assert!(lines.len() == 3 && lines[0].ends_with(['/', '.', '-']), "{lines:?}");
        // Whatever the length, the code is whole on one line.
        for n in 40..=POSTER_URL_MAX - 16 {
            let base: String = "https://a-b.example.gov.vn/x".chars().cycle().take(n).collect();
            let url = format!("{base}/q/ABCDEFGHJKLMN");
            let lines = url_lines(&poster_svg(&PosterInfo { url: &url, ..sample() }).unwrap());
            assert_eq!(lines.concat(), url);
            assert!(lines.iter().any(|l| l.contains("/q/ABCDEFGHJKLMN")), "{n}: {lines:?}");
        }
    }

    #[test]
    fn wrap_keeps_dashes_with_words_and_balances_lines() {
        let b = fit("Trung tâm Văn hóa – Thông tin – Thể thao", 80.0, true, (5.0, 6.0), 3);
        assert!(b.lines.iter().all(|l| !l.starts_with('–')), "{:?}", b.lines);
        assert_eq!(b.lines.join(" "), "Trung tâm Văn hóa – Thông tin – Thể thao");
        let h = fit(HEADLINE, CONTENT_W - 2.0 * BAND_PAD, true, (5.5, 7.0), 3);
        assert!((2..=3).contains(&h.lines.len()));
        let lens: Vec<usize> = h.lines.iter().map(|l| l.chars().count()).collect();
        assert!(lens.iter().max().unwrap() - lens.iter().min().unwrap() <= 12, "balanced: {lens:?}");
    }

    #[test]
    fn xml_escape_covers_markup_and_control_characters() {
        assert_eq!(xml_escape(r#"A & B <c> "d" 'e'"#), "A &amp; B &lt;c&gt; &quot;d&quot; &apos;e&apos;");
        assert_eq!(xml_escape("a\u{0}b\u{1b}c\nd"), "a b c d");
        assert_eq!(xml_escape("Diêu Trì"), "Diêu Trì");
    }

    /// Writes sample posters for a human to look at: `cargo test --lib print -- --ignored`.
    #[test]
    #[ignore]
    fn write_sample_posters() {
        let dir = std::env::temp_dir();
        let p = PosterInfo {
            unit_name: "Bộ phận Một cửa UBND thị trấn Diêu Trì",
            desk_name: "Trung tâm Văn hóa – Thông tin – Thể thao",
            location: "Tầng 1, số 12 đường Trần Phú",
            url: TYPICAL,
        };
        std::fs::write(dir.join("poster-sample.svg"), poster_svg(&p).unwrap()).unwrap();
        let long = PosterInfo { url: LONG, ..sample() };
        std::fs::write(dir.join("poster-sample-long.svg"), poster_svg(&long).unwrap()).unwrap();
        let unit = "Trung tâm Văn hóa – Thông tin – Thể thao và Truyền thanh huyện Tuy Phước, tỉnh Bình Định";
        let worst =
            PosterInfo { unit_name: unit, desk_name: unit, location: unit, url: &LONG.repeat(3)[..POSTER_URL_MAX] };
        std::fs::write(dir.join("poster-sample-worst.svg"), poster_svg(&worst).unwrap()).unwrap();
        std::fs::write(dir.join("qr-sample.png"), qr_png(TYPICAL, 8).unwrap()).unwrap();
    }

    #[test]
    fn results_poster_shows_the_figures_or_says_there_are_too_few() {
        let levels = vec![("Rất hài lòng".to_string(), "75,1 %".to_string(), 0.751)];
        let behaviours = vec![("Xin chào".to_string(), "60,4 %".to_string(), 0.604)];
        let info = ResultsInfo {
            unit_name: "Trung tâm Phục vụ hành chính công xã Tuy Phước",
            desk_name: "Quầy số 1 <hộ tịch & chứng thực>",
            month: "Tháng 10/2026",
            ratings: "245 lượt đánh giá",
            rate: Some("88,6 %"),
            too_few: "Chưa đủ 10 lượt đánh giá",
            levels: &levels,
            behaviours: &behaviours,
            url: TYPICAL,
        };
        let svg = results_poster_svg(&info).unwrap();
        roxmltree::Document::parse(&svg).expect("well-formed XML");
        for text in
            ["88,6 %", "Mức độ hài lòng", "75,1 %", "Xin chào", "&lt;hộ tịch &amp; chứng thực&gt;", "KẾT QUẢ ĐÁNH GIÁ"]
        {
            assert!(svg.contains(text), "{text}");
        }
        assert!(svg.contains("width=\"148mm\" height=\"210mm\""), "A5");
        // The small code still decodes to the desk's URL.
        let side = modules(TYPICAL).unwrap().side();
        let (_, url) = decode_matrix(&matrix_from_path(path_d(&svg), side));
        assert_eq!(url, TYPICAL);
        let few = results_poster_svg(&ResultsInfo { rate: None, ..info }).unwrap();
        assert!(few.contains("Chưa đủ 10 lượt đánh giá") && !few.contains("88,6 %") && !few.contains("Xin chào"));
    }
}
