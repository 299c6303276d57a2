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
        "form.title" => ("Đánh giá sự hài lòng", "Rate this service"),
        "form.intro" => (
            "Chỉ mất khoảng 30 giây. Đánh giá là ẩn danh: không cần đăng nhập, cán bộ không biết ai đánh giá.",
            "It takes about 30 seconds. Ratings are anonymous: no login, and officers cannot see who rated.",
        ),
        "form.overall" => (
            "Ông/bà hài lòng thế nào với việc giải quyết hồ sơ tại quầy này?",
            "How satisfied are you with how your file was handled at this desk?",
        ),
        "form.required" => ("bắt buộc", "required"),
        "form.optional" => ("không bắt buộc", "optional"),
        "form.officer" => ("Cán bộ đã tiếp nhận hồ sơ của ông/bà", "The officer who served you"),
        "form.officer_unknown" => ("Không rõ", "Not sure"),
        "form.file_code" => ("Mã hồ sơ (in trên giấy tiếp nhận)", "File code (printed on your receipt slip)"),
        "form.file_code_hint" => ("Ví dụ: 000.00.15.H08-260115-0001", "For example: 000.00.15.H08-260115-0001"),
        "form.comment" => ("Góp ý thêm", "Anything else to tell us"),
        "form.comment_hint" => (
            "Tối đa 2.000 ký tự. Xin đừng ghi số điện thoại hay số giấy tờ tùy thân.",
            "At most 2,000 characters. Please do not write phone or ID numbers here.",
        ),
        "form.submit" => ("Gửi đánh giá", "Send rating"),
        "form.errors" => ("Vui lòng sửa các mục sau:", "Please correct the following:"),
        "form.expired" => (
            "Biểu mẫu đã mở quá lâu nên cần xác nhận lại. Các câu trả lời của ông/bà vẫn được giữ nguyên — vui lòng bấm “Gửi” một lần nữa.",
            "The form was open for a long time and needs confirming again. Your answers are kept — please press “Send” once more.",
        ),
        "form.yes" => ("Có", "Yes"),
        "form.no" => ("Không", "No"),
        "form.honeypot" => ("Để trống ô này", "Leave this field empty"),
        "report.title" => ("Phản ánh hành vi cán bộ", "Report an officer's conduct"),
        "report.intro" => (
            "Nếu cán bộ cửa quyền, sách nhiễu, gây phiền hà, đòi tiền ngoài quy định hay có hành vi không đúng mực, hãy cho chúng tôi biết. Phản ánh được chuyển tới người có thẩm quyền xử lý — không bao giờ tới chính người bị phản ánh.",
            "If an officer was high-handed, harassed you, asked for unofficial money or behaved improperly, tell us. Reports go to someone with the authority to act — never to the officer concerned.",
        ),
        "report.open" => ("Tôi muốn phản ánh hành vi cán bộ", "I want to report an officer's conduct"),
        "report.category" => ("Loại hành vi", "What kind of conduct"),
        "report.choose" => ("— Chọn —", "— Choose —"),
        "report.description" => ("Sự việc đã xảy ra như thế nào?", "What happened?"),
        "report.description_hint" => (
            "Từ 10 đến 4.000 ký tự. Ghi rõ sự việc, không cần ghi tên mình.",
            "10 to 4,000 characters. Describe what happened; you need not give your name.",
        ),
        "report.when" => ("Thời điểm xảy ra", "When it happened"),
        "report.date" => ("Ngày", "Date"),
        "report.time" => ("Giờ", "Time"),
        "report.when_hint" => (
            "Mặc định là bây giờ; có thể chọn một ngày trong 90 ngày qua.",
            "Defaults to now; any day in the last 90 days.",
        ),
        "report.officer" => ("Cán bộ bị phản ánh", "The officer concerned"),
        "report.contact" => ("Thông tin liên hệ", "Contact details"),
        "report.contact_intro" => (
            "Không bắt buộc. Mặc định phản ánh là ẩn danh. Nếu muốn nhận kết quả xử lý, hãy ghi số điện thoại hoặc thư điện tử và đánh dấu đồng ý.",
            "Optional. Reports are anonymous by default. To hear the outcome, give a phone number or email and tick the consent box.",
        ),
        "report.contact_name" => ("Họ tên", "Name"),
        "report.contact_phone" => ("Số điện thoại", "Phone"),
        "report.contact_email" => ("Thư điện tử", "Email"),
        "report.consent" => {
            ("Tôi đồng ý để cơ quan liên hệ phản hồi kết quả xử lý", "I agree to be contacted about the outcome")
        }
        "report.retention" => (
            "Thông tin liên hệ được mã hóa, chỉ người xử lý được xem (không bao giờ là cán bộ bị phản ánh), và bị xóa 180 ngày sau khi phản ánh được giải quyết. Bạn có thể rút lại sự đồng ý và xóa thông tin bất cứ lúc nào trên trang theo dõi.",
            "Contact details are encrypted, seen only by the person handling the report (never the officer concerned), and deleted 180 days after the report is closed. You can withdraw consent and delete them at any time on the tracking page.",
        ),
        "report.not_denunciation" => (
            "Đây là kênh tiếp nhận phản ánh, kiến nghị — không phải tố cáo. Nếu muốn tố cáo theo Luật Tố cáo 2018, hãy gửi đơn hoặc đến trực tiếp cơ quan thanh tra hoặc thủ trưởng cơ quan cấp trên của người bị tố cáo; danh tính người tố cáo được pháp luật bảo vệ.",
            "This channel takes feedback and reports — not formal denunciations (tố cáo). For a denunciation under the 2018 Law on Denunciation, write to or visit the inspectorate or the head of the agency above the person concerned; the law protects a denouncer's identity.",
        ),
        "thanks.title" => ("Cảm ơn ông/bà đã đánh giá", "Thank you for your rating"),
        "thanks.body" => (
            "Đánh giá của ông/bà đã được ghi nhận và sẽ được tổng hợp vào báo cáo mức độ hài lòng hằng tháng của đơn vị.",
            "Your rating was recorded and will count in the unit's monthly satisfaction report.",
        ),
        "thanks.again" => (
            "Đánh giá lại trong 10 phút sẽ thay cho đánh giá vừa gửi.",
            "Rating again within 10 minutes replaces the rating you just sent.",
        ),
        "track.title" => ("Theo dõi phản ánh", "Track a report"),
        "track.new" => (
            "Đã gửi phản ánh. Hãy ghi lại mã tiếp nhận dưới đây: đó là cách duy nhất để theo dõi phản ánh của ông/bà.",
            "Your report was sent. Write down the receipt code below: it is the only way to follow your report.",
        ),
        "track.receipt" => ("Mã tiếp nhận", "Receipt code"),
        "track.status" => ("Tình trạng", "Status"),
        "track.category" => ("Nội dung", "Subject"),
        "track.timeline" => ("Các bước xử lý", "Steps"),
        "track.lookup" => ("Nhập mã tiếp nhận (ví dụ PA-7KQ3-M9XT)", "Enter your receipt code (e.g. PA-7KQ3-M9XT)"),
        "track.lookup_button" => ("Tra cứu", "Look up"),
        "track.not_found_title" => ("Không tìm thấy mã tiếp nhận", "Receipt code not found"),
        "track.not_found" => (
            "Không có phản ánh nào với mã này. Hãy kiểm tra lại từng ký tự (mã không dùng số 0, số 1, chữ O và chữ I).",
            "No report has this code. Check each character (codes never use the digits 0 and 1 or the letters O and I).",
        ),
        "track.keep" => (
            "Trang này không hiển thị tên người phản ánh hay tên cán bộ.",
            "This page never shows the names of the person reporting or of officers.",
        ),
        "event.received" => ("Đã tiếp nhận phản ánh", "Report received"),
        "gone.replaced_title" => ("Mã QR này đã được thay", "This QR code was replaced"),
        "gone.replaced" => (
            "Quầy này đã dùng mã QR mới. Vui lòng quét mã QR đang dán tại quầy để đánh giá.",
            "This desk now uses a new QR code. Please scan the code posted at the desk to rate it.",
        ),
        "gone.inactive_title" => ("Quầy không còn tiếp nhận đánh giá", "This desk no longer takes ratings"),
        "gone.inactive" => (
            "Quầy này đã ngừng hoạt động. Nếu ông/bà vừa được phục vụ ở một quầy khác, hãy quét mã QR tại quầy đó.",
            "This desk is no longer in service. If you were served at another desk, scan the code posted there.",
        ),
        "invalid.title" => ("Không gửi được biểu mẫu", "The form could not be sent"),
        "invalid.body" => (
            "Biểu mẫu này không hợp lệ (có thể đã bị sửa hoặc không được mở từ mã QR của quầy), nên chưa có gì được lưu. Vui lòng mở lại biểu mẫu và gửi lại.",
            "This form is not valid (it may have been altered or not opened from the desk's QR code), so nothing was saved. Please open the form again and resend it.",
        ),
        "invalid.back" => ("Mở lại biểu mẫu", "Open the form again"),
        "limit.title" => ("Quá nhiều yêu cầu", "Too many requests"),
        "limit.body" => (
            "Có quá nhiều lượt gửi từ thiết bị hoặc quầy này trong một phút. Vui lòng chờ một chút rồi thử lại.",
            "Too many submissions from this device or for this desk within a minute. Please wait a moment and try again.",
        ),
        "toobig.title" => ("Nội dung quá dài", "Too much content"),
        "toobig.body" => (
            "Nội dung gửi lên vượt quá giới hạn cho phép, nên chưa có gì được lưu.",
            "What was sent is larger than allowed, so nothing was saved.",
        ),
        "badrequest.title" => ("Yêu cầu không hợp lệ", "Invalid request"),
        "badrequest.body" => (
            "Không đọc được nội dung gửi lên, nên chưa có gì được lưu.",
            "What was sent could not be read, so nothing was saved.",
        ),
        "method.title" => ("Thao tác không được hỗ trợ", "Method not allowed"),
        "method.body" => {
            ("Địa chỉ này không nhận kiểu yêu cầu đó.", "This address does not accept that kind of request.")
        }
        "error.title" => ("Đã có lỗi", "Something went wrong"),
        "error.body" => (
            "Hệ thống gặp sự cố nên chưa lưu được. Vui lòng thử lại sau ít phút.",
            "The system had a problem and could not save. Please try again in a few minutes.",
        ),
        "common.home" => ("Về trang chủ", "Home"),
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
