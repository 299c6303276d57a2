//! Page texts in both languages. Templates call `tr.t("key")`; a test checks every key used in
//! `templates/` exists here, so a page never shows a raw key.

use crate::i18n::Lang;

#[derive(Debug, Clone, Copy)]
pub struct Tr(pub Lang);

impl Tr {
    pub fn t(&self, key: &str) -> &'static str {
        match lookup(key) {
            Some((vi, en)) => match self.0 {
                Lang::Vi => vi,
                Lang::En => en,
            },
            None => {
                debug_assert!(false, "missing text key {key}");
                "…"
            }
        }
    }

    pub fn lang(&self) -> &'static str {
        self.0.code()
    }

    /// The other language, for the switch link.
    pub fn other(&self) -> &'static str {
        match self.0 {
            Lang::Vi => "en",
            Lang::En => "vi",
        }
    }
}

pub fn lookup(key: &str) -> Option<(&'static str, &'static str)> {
    Some(match key {
        "app.tagline" => ("Lắng nghe người dân về dịch vụ công", "Listening to citizens about public services"),
        "lang.switch" => ("English", "Tiếng Việt"),
        "footer.anon" => (
            "Đánh giá là ẩn danh. Chúng tôi không lưu địa chỉ IP của bạn.",
            "Ratings are anonymous. We do not store your IP address.",
        ),
        "home.title" => {
            ("Đánh giá sự hài lòng và phản ánh hành vi cán bộ", "Rate public services and report officers' conduct")
        }
        "home.scan" => (
            "Quét mã QR dán tại quầy tiếp nhận để đánh giá mức độ hài lòng về việc giải quyết thủ tục hành chính và phản ánh hành vi của cán bộ, công chức.",
            "Scan the QR code posted at the service desk to rate how your file was handled and to report an officer's conduct.",
        ),
        "home.culture" => (
            "Cán bộ, công chức thực hiện “4 xin, 4 luôn”: xin chào, xin lỗi, xin cảm ơn, xin phép; luôn mỉm cười, luôn nhẹ nhàng, luôn lắng nghe, luôn giúp đỡ.",
            "Officers follow “4 please, 4 always”: greet, apologise, thank, ask permission; always smile, stay gentle, listen and help.",
        ),
        "notfound.title" => ("Không tìm thấy trang", "Page not found"),
        "notfound.body" => (
            "Địa chỉ này không có trên hệ thống. Nếu bạn gõ địa chỉ từ áp phích, hãy kiểm tra lại từng ký tự.",
            "This address does not exist. If you typed it from a poster, please check each character.",
        ),
        "notfound.home" => ("Về trang chủ", "Go to the home page"),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_used_in_templates_exists() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
        let mut stack = vec![dir];
        let mut checked = 0;
        while let Some(d) = stack.pop() {
            for entry in std::fs::read_dir(d).unwrap() {
                let p = entry.unwrap().path();
                if p.is_dir() {
                    stack.push(p);
                    continue;
                }
                let text = std::fs::read_to_string(&p).unwrap();
                for piece in text.split("tr.t(\"").skip(1) {
                    let key = piece.split('"').next().unwrap();
                    assert!(lookup(key).is_some(), "{}: missing text key {key:?}", p.display());
                    checked += 1;
                }
            }
        }
        assert!(checked > 0);
    }
}
