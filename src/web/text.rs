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
            "Đánh giá là ẩn danh. Chúng tôi không lưu địa chỉ IP của ông/bà.",
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
            "Địa chỉ này không có trên hệ thống. Nếu ông/bà gõ địa chỉ từ áp phích, vui lòng kiểm tra lại từng ký tự.",
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
            "Nếu cán bộ cửa quyền, sách nhiễu, gây phiền hà, đòi tiền ngoài quy định hay có hành vi không đúng mực, xin ông/bà cho chúng tôi biết. Phản ánh được chuyển tới người có thẩm quyền xử lý — không bao giờ tới chính người bị phản ánh.",
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
            "Không bắt buộc. Mặc định phản ánh là ẩn danh. Nếu muốn nhận kết quả xử lý, ông/bà ghi số điện thoại hoặc thư điện tử và đánh dấu đồng ý.",
            "Optional. Reports are anonymous by default. To hear the outcome, give a phone number or email and tick the consent box.",
        ),
        "report.contact_name" => ("Họ tên", "Name"),
        "report.contact_phone" => ("Số điện thoại", "Phone"),
        "report.contact_email" => ("Thư điện tử", "Email"),
        "report.consent" => {
            ("Tôi đồng ý để cơ quan liên hệ phản hồi kết quả xử lý", "I agree to be contacted about the outcome")
        }
        "report.retention" => (
            "Thông tin liên hệ được mã hóa, chỉ người xử lý được xem (không bao giờ là cán bộ bị phản ánh), và bị xóa 180 ngày sau khi phản ánh được giải quyết. Ông/bà có thể rút lại sự đồng ý và xóa thông tin bất cứ lúc nào trên trang theo dõi.",
            "Contact details are encrypted, seen only by the person handling the report (never the officer concerned), and deleted 180 days after the report is closed. You can withdraw consent and delete them at any time on the tracking page.",
        ),
        "report.not_denunciation" => (
            "Đây là kênh tiếp nhận phản ánh, kiến nghị — không phải tố cáo. Nếu muốn tố cáo theo Luật Tố cáo 2018, ông/bà gửi đơn hoặc đến trực tiếp cơ quan thanh tra hoặc thủ trưởng cơ quan cấp trên của người bị tố cáo; danh tính người tố cáo được pháp luật bảo vệ.",
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
            "Đã gửi phản ánh. Vui lòng ghi lại mã tiếp nhận dưới đây: đó là cách duy nhất để theo dõi phản ánh của ông/bà.",
            "Your report was sent. Write down the receipt code below: it is the only way to follow your report.",
        ),
        "track.new_email" => (
            "Đã gửi phản ánh. Chúng tôi đã gửi mã tiếp nhận dưới đây tới địa chỉ thư của ông/bà; ông/bà cũng sẽ nhận thư khi phản ánh được xác nhận và khi có kết quả. Vui lòng giữ kín mã này.",
            "Your report was sent. The receipt code below was emailed to you; you will also get an email when it is acknowledged and when it is answered. Keep the code to yourself.",
        ),
        "track.receipt" => ("Mã tiếp nhận", "Receipt code"),
        "track.status" => ("Tình trạng", "Status"),
        "track.category" => ("Loại phản ánh", "Category"),
        "track.timeline" => ("Các bước xử lý", "Steps"),
        "track.lookup" => ("Nhập mã tiếp nhận (ví dụ PA-7KQ3-M9XT)", "Enter your receipt code (e.g. PA-7KQ3-M9XT)"),
        "track.lookup_button" => ("Tra cứu", "Look up"),
        "track.not_found_title" => ("Không tìm thấy mã tiếp nhận", "Receipt code not found"),
        "track.not_found" => (
            "Không có phản ánh nào với mã này. Vui lòng kiểm tra lại từng ký tự (mã không dùng số 0, số 1, chữ O và chữ I).",
            "No report has this code. Check each character (codes never use the digits 0 and 1 or the letters O and I).",
        ),
        "track.keep" => (
            "Trang này không hiển thị tên người phản ánh. Nội dung trả lời được hiển thị đúng như người xử lý đã viết (có thể nêu tên cán bộ).",
            "This page never shows the name of the person reporting. The handler's answer is shown as written (it may name officers).",
        ),
        "track.appeal_title" => ("Ông/bà chưa hài lòng với kết quả", "You are not satisfied with the answer"),
        "track.appeal_intro" => (
            "Phản ánh sẽ được mở lại và chuyển lên cấp trên xem xét. Ông/bà có thể cho biết lý do (không bắt buộc); lý do được gửi tới người xem xét ở cấp trên.",
            "The report will be reopened and sent to the level above. You may say why (optional); the reason goes to whoever reviews it there.",
        ),
        "track.appeal_reason" => ("Lý do chưa hài lòng (không bắt buộc)", "Why you are not satisfied (optional)"),
        "track.appeal_confirm" => ("Xác nhận chưa hài lòng và mở lại phản ánh", "Confirm and reopen the report"),
        "track.appeal_cancel" => ("Quay lại, không mở lại", "Go back without reopening"),
        "track.earlier_answer" => ("Trả lời trước đây", "Earlier answer"),
        "track.appeal_given" => ("Lý do chưa hài lòng", "Why not satisfied"),
        "event.received" => ("Đã tiếp nhận phản ánh", "Report received"),
        "track.answer" => ("Kết quả xử lý", "The answer"),
        "track.rate" => {
            ("Ông/bà có hài lòng với kết quả xử lý không?", "Are you satisfied with how your report was handled?")
        }
        "track.rate_hint" => (
            "Nếu chưa hài lòng, phản ánh sẽ được mở lại và chuyển lên cấp trên xem xét.",
            "If not, the report is reopened and sent to the level above.",
        ),
        "track.satisfied" => ("Hài lòng", "Satisfied"),
        "track.not_satisfied" => ("Chưa hài lòng", "Not satisfied"),
        "track.question" => ("Cần ông/bà bổ sung thông tin", "More information is needed"),
        "track.reply" => ("Trả lời của ông/bà (ít nhất 10 ký tự)", "Your answer (at least 10 characters)"),
        "track.reply_send" => ("Gửi trả lời", "Send"),
        "track.erase" => ("Rút lại đồng ý và xóa thông tin liên hệ", "Withdraw consent and delete my contact details"),
        "track.erase_hint" => (
            "Ông/bà đã để lại thông tin liên hệ. Có thể xóa bất cứ lúc nào; khi đó sẽ không nhận được thư về kết quả.",
            "You left contact details. You can delete them at any time; you will then get no email about the outcome.",
        ),
        "track.done_reply" => {
            ("Đã gửi trả lời. Thời hạn xử lý tiếp tục được tính.", "Your answer was sent. The deadlines run again.")
        }
        "track.done_rated" => ("Cảm ơn ông/bà đã đánh giá kết quả.", "Thank you for rating the answer."),
        "track.done_erased" => ("Đã xóa thông tin liên hệ của ông/bà.", "Your contact details were deleted."),
        "gone.replaced_title" => ("Mã QR này đã được thay", "This QR code was replaced"),
        "gone.replaced" => (
            "Quầy này đã dùng mã QR mới. Vui lòng quét mã QR đang dán tại quầy để đánh giá.",
            "This desk now uses a new QR code. Please scan the code posted at the desk to rate it.",
        ),
        "gone.inactive_title" => ("Quầy không còn tiếp nhận đánh giá", "This desk no longer takes ratings"),
        "gone.inactive" => (
            "Quầy này đã ngừng hoạt động. Nếu ông/bà vừa được phục vụ ở một quầy khác, vui lòng quét mã QR tại quầy đó.",
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
        "error.invalid_title" => ("Chưa thực hiện được", "Not done"),
        "error.conflict_title" => ("Không thực hiện được", "Could not be done"),
        "error.body" => (
            "Hệ thống gặp sự cố nên chưa lưu được. Vui lòng thử lại sau ít phút.",
            "The system had a problem and could not save. Please try again in a few minutes.",
        ),
        "common.home" => ("Về trang chủ", "Home"),
        "staff.signin_title" => ("Đăng nhập trang quản lý", "Sign in to the staff console"),
        "staff.signin_hint" => (
            "Nhập địa chỉ thư công vụ của đồng chí. Nếu địa chỉ được phép đăng nhập, hệ thống gửi một đường dẫn đăng nhập dùng một lần.",
            "Enter your official email address. If it may sign in, a one-time sign-in link is emailed to it.",
        ),
        "staff.email" => ("Địa chỉ thư", "Email address"),
        "staff.send_link" => ("Gửi đường dẫn đăng nhập", "Email me a sign-in link"),
        "staff.password_summary" => {
            ("Đăng nhập bằng mật khẩu (nếu đơn vị đã cấp)", "Sign in with a password (if your office set one)")
        }
        "staff.password" => ("Mật khẩu", "Password"),
        "staff.password_button" => ("Đăng nhập", "Sign in"),
        "staff.password_wrong" => ("Địa chỉ hoặc mật khẩu không đúng.", "Wrong address or password."),
        "staff.password_locked" => (
            "Nhập sai mật khẩu quá nhiều lần. Đăng nhập bằng mật khẩu tạm khóa đến",
            "Too many wrong passwords. Password sign-in is locked until",
        ),
        "staff.link_sent" => (
            "Nếu địa chỉ này được phép đăng nhập, thư có đường dẫn đăng nhập đã được gửi tới đó. Đường dẫn chỉ dùng được một lần và sớm hết hạn (thời hạn ghi trong thư).",
            "If this address may sign in, an email with a sign-in link is on its way. The link works once and expires soon (the email says when).",
        ),
        "staff.throttled" => (
            "Quá nhiều yêu cầu đăng nhập. Xin đợi ít phút rồi thử lại.",
            "Too many sign-in requests. Please wait a few minutes and try again.",
        ),
        "staff.footer" => (
            "Trang dành cho cán bộ, công chức. Mọi lần đăng nhập và xem thông tin liên hệ của người phản ánh đều được ghi nhật ký.",
            "For officers only. Every sign-in and every look at a complainant's contact details is logged.",
        ),
        "staff.choose_hint" => ("Chọn tư cách đăng nhập của địa chỉ", "Choose whom to sign in as, for"),
        "staff.signin_as" => ("Đăng nhập với tư cách này", "Sign in as this"),
        "staff.link_title" => ("Đường dẫn đăng nhập không dùng được", "This sign-in link cannot be used"),
        "staff.link_used" => (
            "Đường dẫn này đã được dùng. Mỗi đường dẫn chỉ dùng một lần: hãy yêu cầu đường dẫn mới ở trang đăng nhập (/staff/signin).",
            "This link was already used. Each link works once: ask for a new one on the sign-in page (/staff/signin).",
        ),
        "staff.link_expired" => (
            "Đường dẫn này đã hết hạn. Hãy yêu cầu đường dẫn mới ở trang đăng nhập (/staff/signin).",
            "This link has expired. Ask for a new one on the sign-in page (/staff/signin).",
        ),
        "staff.link_unknown" => (
            "Đường dẫn không đúng. Hãy yêu cầu đường dẫn mới ở trang đăng nhập (/staff/signin).",
            "This link is not valid. Ask for a new one on the sign-in page (/staff/signin).",
        ),
        "staff.stale_title" => ("Biểu mẫu đã cũ", "This form is out of date"),
        "staff.stale_body" => (
            "Biểu mẫu không còn hiệu lực (hoặc trình duyệt chặn cookie). Không có gì thay đổi; hãy tải lại trang rồi thử lại.",
            "This form is no longer valid (or the browser blocks cookies). Nothing changed; reload the page and try again.",
        ),
        "staff.nav" => ("Trang quản lý", "Staff console"),
        "staff.inbox" => ("Hộp phản ánh", "Case inbox"),
        "staff.reports" => ("Báo cáo tháng", "Monthly report"),
        "staff.yearly" => ("Báo cáo năm", "Yearly report"),
        "staff.audit" => ("Nhật ký quản trị", "Admin log"),
        "staff.audit_hint" => (
            "Đăng nhập, thay đổi tài khoản, xem thông tin liên hệ, đọc báo cáo: mỗi mục nối chuỗi băm với mục trước, kiểm tra bằng `hailong audit verify`.",
            "Sign-ins, account changes, contact views, report reads: each entry chains to the one before by hash; check with `hailong audit verify`.",
        ),
        "staff.signout" => ("Đăng xuất", "Sign out"),
        "staff.signout_everywhere" => ("Đăng xuất trên mọi thiết bị", "Sign out on every device"),
        "staff.whole" => ("Toàn bộ tổ chức", "The whole organisation"),
        "staff.filters" => ("Lọc", "Filters"),
        "staff.any" => ("Tất cả", "Any"),
        "staff.unit" => ("Đơn vị", "Unit"),
        "staff.desk_code" => ("Mã quầy", "Desk code"),
        "staff.month" => ("Tháng tiếp nhận (YYYY-MM)", "Month received (YYYY-MM)"),
        "staff.apply" => ("Áp dụng", "Apply"),
        "staff.no_cases" => ("Không có phản ánh nào trong danh sách này.", "No case in this list."),
        "staff.number" => ("Số", "Number"),
        "staff.due" => ("Hạn", "Due"),
        "staff.overdue" => ("Quá hạn", "Overdue"),
        "staff.due_soon" => ("Sắp đến hạn", "Due soon"),
        "staff.tab_open" => ("Đang mở", "Open"),
        "staff.tab_overdue" => ("Quá hạn", "Overdue"),
        "staff.tab_due_soon" => ("Đến hạn trong 24 giờ làm việc", "Due within 24 working hours"),
        "staff.tab_closed" => ("Đã đóng", "Closed"),
        "staff.tab_all" => ("Tất cả", "All"),
        "staff.prev" => ("Trang trước", "Previous"),
        "staff.next" => ("Trang sau", "Next"),
        "staff.when" => ("Thời điểm", "When"),
        "staff.actor" => ("Người thực hiện", "Who"),
        "staff.action" => ("Việc", "What"),
        "staff.detail" => ("Chi tiết", "Detail"),
        "staff.older" => ("Cũ hơn", "Older"),
        "staff.org" => ("Tổ chức", "Organisation"),
        "staff.dossier" => ("Hồ sơ vụ việc (in A4)", "Case dossier (A4)"),
        "staff.dossier_title" => ("HỒ SƠ VỤ VIỆC", "CASE DOSSIER"),
        "staff.dossier_facts" => ("I. Nội dung phản ánh", "I. The report"),
        "staff.dossier_deadlines" => ("II. Thời hạn", "II. Deadlines"),
        "staff.dossier_texts" => ("III. Trả lời, trao đổi, giải trình", "III. Answers, questions, explanation"),
        "staff.dossier_made" => ("Lập từ hệ thống hailong lúc", "Made from hailong at"),
        "staff.dossier_note" => (
            "Nhật ký vụ việc được nối chuỗi băm; kiểm tra bằng `hailong audit verify`.",
            "The case log is hash-chained; check it with `hailong audit verify`.",
        ),
        "staff.deadline_ack" => ("Xác nhận tiếp nhận", "Acknowledgement"),
        "staff.deadline_resolve" => ("Giải quyết", "Resolution"),
        "staff.deadline_met" => ("đúng hạn", "met"),
        "staff.deadline_missed" => ("quá hạn", "missed"),
        "staff.deadline_pending" => ("đang chờ, hạn", "pending, due"),
        "staff.deadline_none" => ("không áp dụng", "does not apply"),
        "staff.reveal_hint" => (
            "Người phản ánh đồng ý để người xử lý liên hệ. Quản trị chỉ xem khi có lý do; lý do và lần xem được ghi vào nhật ký quản trị.",
            "The complainant agreed to be contacted by the handler. An administrator looks only with a reason; the reason and the look are logged.",
        ),
        "staff.reveal_reason" => ("Lý do xem (ít nhất 10 ký tự)", "Why (at least 10 characters)"),
        "staff.reveal" => ("Xem thông tin liên hệ", "Open the contact details"),
        "staff.no_units" => ("Không có đơn vị nào đồng chí được xem.", "No unit you may see."),
        "staff.desks_n" => ("quầy", "desks"),
        "staff.inactive" => ("ngừng hoạt động", "inactive"),
        "staff.code" => ("Mã", "Code"),
        "staff.kind" => ("Loại đơn vị", "Kind"),
        "staff.oversight" => ("Đơn vị giám sát", "Oversight unit"),
        "staff.children" => ("Đơn vị trực thuộc", "Units under it"),
        "staff.desks" => ("Quầy tiếp nhận", "Desks"),
        "staff.desk" => ("Tên quầy", "Desk"),
        "staff.hours" => ("Giờ mở cửa", "Opening hours"),
        "staff.hours_hint" => (
            "Ví dụ: T2-T6 07:30-11:30,13:30-17:00; T7 07:30-11:30",
            "For example: Mon-Fri 07:30-11:30,13:30-17:00; Sat 07:30-11:30",
        ),
        "staff.location" => ("Vị trí", "Location"),
        "staff.officers" => ("Cán bộ", "Officers"),
        "staff.officer" => ("Cán bộ", "Officer"),
        "staff.role" => ("Vai trò", "Role"),
        "staff.deactivate" => ("Ngừng hoạt động", "Deactivate"),
        "staff.roster" => ("Lịch trực", "Roster"),
        "staff.delegations" => ("Ủy quyền xử lý phản ánh", "Delegations"),
        "staff.no_delegations" => {
            ("Không có ủy quyền nào đang hoặc sắp có hiệu lực.", "No delegation in force or to come.")
        }
        "staff.revoke" => ("Chấm dứt", "End"),
        "staff.delegate" => ("Ủy quyền cho cấp phó", "Delegate to a deputy"),
        "staff.deputy" => ("Cấp phó", "Deputy"),
        "staff.from" => ("Từ ngày", "From"),
        "staff.until" => ("Đến ngày", "Until"),
        "staff.delegate_button" => ("Ủy quyền", "Delegate"),
        "staff.print_posters" => ("In áp phích mọi quầy (A5)", "Print every desk's poster (A5)"),
        "staff.poster" => ("Áp phích A5 (SVG)", "A5 poster (SVG)"),
        "staff.form_url" => ("Địa chỉ biểu mẫu đánh giá", "Rating form address"),
        "staff.edit_desk" => ("Sửa thông tin quầy", "Edit the desk"),
        "staff.save" => ("Lưu", "Save"),
        "staff.saved" => ("Đã lưu.", "Saved."),
        "staff.rotate" => ("Đổi mã QR", "New QR code"),
        "staff.rotate_hint" => (
            "Mã cũ ngừng nhận đánh giá (báo \"mã đã được thay\"): phải in và dán áp phích mới.",
            "The old code stops taking ratings (it says \"this code was replaced\"): print and post the new poster.",
        ),
        "staff.rotate_button" => ("Đổi mã QR", "Issue a new QR code"),
        "staff.rotated" => ("Đã đổi mã QR. Hãy in áp phích mới.", "New QR code issued. Print the new poster."),
        "staff.deactivate_desk" => ("Ngừng hoạt động quầy", "Deactivate the desk"),
        "staff.deactivate_hint" => (
            "Quầy không bị xóa: đánh giá và phản ánh cũ giữ nguyên; mã QR ngừng nhận đánh giá.",
            "Nothing is deleted: old ratings and cases keep their desk; its QR code stops taking ratings.",
        ),
        "staff.calendars" => ("Lịch làm việc", "Working calendars"),
        "staff.calendar_import" => ("Nhập lịch nghỉ năm (TOML)", "Import a year's arrangement (TOML)"),
        "staff.calendar_import_hint" => (
            "Dán nội dung tệp như cho lệnh `hailong calendar import` (ví dụ calendars/vn-2027.toml): tất cả hoặc không gì cả.",
            "Paste a file as for `hailong calendar import` (e.g. calendars/vn-2027.toml): all or nothing.",
        ),
        "staff.import" => ("Nhập", "Import"),
        "staff.unrouted" => ("Phản ánh chưa có người xử lý", "Cases without a handler"),
        "staff.unrouted_hint" => (
            "Không tìm được người xử lý độc lập (ví dụ người bị phản ánh đứng đầu mọi cấp). Giao cho một đơn vị; việc giao được ghi vào nhật ký phản ánh.",
            "No independent handler could be found (e.g. the accused heads every level). Give each to a unit; the assignment is recorded in the case log.",
        ),
        "staff.no_unrouted" => ("Không có phản ánh nào chưa có người xử lý.", "Every case has a handler."),
        "staff.assign_to" => ("Giao cho đơn vị", "Give to unit"),
        "staff.assign" => ("Giao", "Assign"),
        "staff.assigned" => ("Đã giao", "Assigned"),
        "head.title" => ("Phản ánh", "Report"),
        "head.desk" => ("Quầy", "Desk"),
        "head.occurred" => ("Thời điểm xảy ra", "When it happened"),
        "head.received" => ("Tiếp nhận lúc", "Received"),
        "head.handler" => ("Người xử lý", "Handled by"),
        "head.unrouted" => ("Chưa xác định được người xử lý", "No handler could be found"),
        "head.ack_due" => ("Hạn xác nhận tiếp nhận", "Acknowledge by"),
        "head.resolve_due" => ("Hạn giải quyết", "Resolve by"),
        "head.officer" => ("Cán bộ bị phản ánh", "Officer concerned"),
        "head.description" => ("Nội dung phản ánh", "What the citizen reported"),
        "head.contact" => ("Thông tin liên hệ của người phản ánh", "The citizen's contact details"),
        "head.contact_note" => (
            "Người phản ánh đồng ý được liên hệ về kết quả xử lý. Thông tin này được bảo mật theo quy định: không chuyển cho người khác, không đưa vào văn bản trả lời.",
            "The citizen agreed to be contacted about the outcome. These details are confidential by law: do not pass them on or put them in the answer.",
        ),
        "head.text_answer" => ("Trả lời / lý do", "Answer / reason"),
        "head.text_question" => ("Câu hỏi gửi người dân", "Question to the citizen"),
        "head.text_reply" => ("Người dân trả lời", "The citizen's reply"),
        "head.text_explanation" => ("Giải trình của cán bộ", "The officer's explanation"),
        "head.explain" => ("Giải trình", "Your explanation"),
        "head.explain_text" => ("Nội dung giải trình (ít nhất 20 ký tự)", "Your explanation (at least 20 characters)"),
        "head.explain_send" => ("Gửi giải trình", "Send the explanation"),
        "head.actions" => ("Xử lý", "Handle"),
        "head.actions_hint" => (
            "Mỗi thao tác được ghi vào nhật ký phản ánh, không thể sửa hay xóa.",
            "Every action is written to the case log, which cannot be edited or deleted.",
        ),
        "head.ack" => ("Xác nhận đã tiếp nhận", "Acknowledge"),
        "head.ack_hint" => (
            "Cho người dân biết phản ánh đã đến đúng người xử lý.",
            "Tells the citizen the report reached the right person.",
        ),
        "head.ack_button" => ("Xác nhận", "Acknowledge"),
        "head.resolve" => ("Trả lời và kết thúc", "Answer and resolve"),
        "head.resolve_hint" => (
            "Câu trả lời hiển thị trên trang theo dõi của người dân. Không nêu tên người phản ánh hay tên người khác.",
            "The answer appears on the citizen's tracking page. Do not name the person who reported or anyone else.",
        ),
        "head.resolve_text" => ("Nội dung trả lời (ít nhất 20 ký tự)", "The answer (at least 20 characters)"),
        "head.resolve_button" => ("Gửi trả lời", "Send the answer"),
        "head.info" => ("Đề nghị người dân bổ sung thông tin", "Ask the citizen for information"),
        "head.info_hint" => {
            ("Thời hạn xử lý tạm dừng cho đến khi người dân trả lời.", "The deadlines pause until the citizen answers.")
        }
        "head.info_text" => ("Câu hỏi (ít nhất 10 ký tự)", "The question (at least 10 characters)"),
        "head.info_button" => ("Gửi câu hỏi", "Send the question"),
        "head.explanation" => ("Đề nghị cán bộ giải trình", "Ask the officer for an explanation"),
        "head.explanation_hint" => (
            "Cán bộ được phản ánh nhận đường dẫn riêng để đọc nội dung (không có thông tin người phản ánh) và gửi giải trình.",
            "The officer concerned gets their own link to read the report (without who made it) and explain.",
        ),
        "head.explanation_button" => ("Gửi đề nghị giải trình", "Ask for an explanation"),
        "head.dismiss" => ("Không xử lý (nêu lý do)", "Do not pursue (give the reason)"),
        "head.dismiss_hint" => ("Lý do hiển thị cho người dân.", "The reason is shown to the citizen."),
        "head.dismiss_text" => ("Giải thích (ít nhất 20 ký tự)", "Explanation (at least 20 characters)"),
        "head.dismiss_button" => ("Kết thúc, không xử lý", "Close without action"),
        "head.outcome" => ("Lý do", "Reason"),
        "head.forward" => ("Chuyển đơn vị khác", "Forward to another unit"),
        "head.forward_hint" => {
            ("Khi phản ánh thuộc thẩm quyền của đơn vị khác.", "When the matter belongs to another unit.")
        }
        "head.unit" => ("Đơn vị nhận", "Unit"),
        "head.reason" => ("Lý do (ít nhất 10 ký tự)", "Reason (at least 10 characters)"),
        "head.forward_button" => ("Chuyển", "Forward"),
        "head.escalate" => ("Chuyển lên cấp trên ngay", "Escalate now"),
        "head.escalate_hint" => ("Khi cấp trên cần xử lý.", "When the level above must handle it."),
        "head.escalate_button" => ("Chuyển lên", "Escalate"),
        "head.log" => ("Nhật ký xử lý", "Case log"),
        "head.footer" => (
            "Trang này mở từ đường dẫn riêng trong thư. Mở trang không làm thay đổi gì; mọi thao tác chỉ được thực hiện khi bấm nút.",
            "This page opened from a personal link in an email. Opening it changes nothing; actions happen only through the buttons.",
        ),
        "head.role_handler" => ("Ông/bà là người xử lý phản ánh này", "You are handling this report"),
        "head.role_observer" => ("Chỉ để xem", "Read only"),
        "head.role_explainer" => ("Đề nghị giải trình", "Request for an explanation"),
        "head.done" => ("Đã thực hiện:", "Done:"),
        "thanks.results" => ("Xem kết quả đánh giá tháng trước của quầy này", "See this desk's results for last month"),
        "results.title" => ("Kết quả đánh giá", "Rating results"),
        "results.month" => ("Tháng", "Month"),
        "results.ratings" => ("lượt đánh giá", "ratings"),
        "results.too_few" => {
            ("Chưa đủ lượt đánh giá để công bố tỷ lệ (cần ít nhất", "Not enough ratings to publish a rate (at least")
        }
        "results.rate" => ("Tỷ lệ hài lòng", "Satisfaction rate"),
        "results.levels" => ("Mức độ hài lòng", "Levels of satisfaction"),
        "results.behaviours" => ("Cán bộ thực hiện “4 xin, 4 luôn”", "Officers' “4 please, 4 always”"),
        "results.note" => (
            "Kết quả do người dân đánh giá tại quầy qua mã QR; không nêu tên cán bộ. Tỷ lệ hài lòng = (Rất hài lòng + Hài lòng) / tổng số lượt.",
            "Results of citizens' ratings by QR code at this desk; no officer is named. Satisfaction rate = (very satisfied + satisfied) / all ratings.",
        ),
        "results.rate_us" => ("Đánh giá quầy này", "Rate this desk"),
        "results.unknown_title" => ("Không tìm thấy quầy", "No such desk"),
        "results.unknown" => (
            "Mã quầy không đúng hoặc quầy đã ngừng hoạt động.",
            "The desk code is wrong or the desk is no longer in service.",
        ),
        "report.format_title" => ("Định dạng không có", "Unknown format"),
        "report.format_body" => (
            "Báo cáo tải về được ở các định dạng html, csv, xlsx, json (báo cáo năm: thêm docx), ví dụ ?format=xlsx.",
            "Reports download as html, csv, xlsx or json (a yearly report also as docx), e.g. ?format=xlsx.",
        ),
        "report.lang_title" => ("Ngôn ngữ không có", "Unknown language"),
        "report.lang_body" => (
            "Báo cáo có bằng tiếng Việt (?lang=vi) và tiếng Anh (?lang=en).",
            "Reports are available in Vietnamese (?lang=vi) and English (?lang=en).",
        ),
        "report.expired_title" => ("Đường dẫn báo cáo đã hết hạn", "This report link has expired"),
        "report.expired" => (
            "Vì an toàn, đường dẫn báo cáo chỉ dùng được trong một thời gian. Báo cáo vẫn được lưu: đề nghị người quản trị hệ thống gửi lại (lệnh hailong report link).",
            "For safety, report links work for a limited time. The report is still kept: ask the operator for a new link (hailong report link).",
        ),
        "report.revoked_title" => ("Đường dẫn báo cáo đã bị thu hồi", "This report link was revoked"),
        "report.revoked" => (
            "Đường dẫn này đã bị thu hồi và không còn mở được báo cáo.",
            "This link was revoked and no longer opens the report.",
        ),
        "report.unknown_title" => ("Không tìm thấy báo cáo", "No such report"),
        "report.unknown" => (
            "Đường dẫn không đúng hoặc đã bị sửa. Hãy mở lại đường dẫn đầy đủ trong thư.",
            "The link is wrong or was altered. Open the full link from the email again.",
        ),
        "report.files_unavailable" => (
            "Chỉ nhập được số hồ sơ từ đường dẫn báo cáo tháng còn hiệu lực.",
            "Files can be entered only from a valid monthly report link.",
        ),
        "files.title" => ("Số hồ sơ đã giải quyết", "Files handled"),
        "files.intro" => (
            "Nhập số hồ sơ mỗi quầy đã giải quyết trong tháng để tính tỷ lệ hài lòng theo đúng Quyết định 766 (hồ sơ không được đánh giá được tính là hài lòng). Không bắt buộc; để trống thì giữ nguyên.",
            "Enter the files each desk handled in the month for the Decision 766 rate over files (unrated files count as satisfied). Optional; a blank field is left as it is.",
        ),
        "files.desk" => ("Quầy", "Desk"),
        "files.ratings" => ("Lượt đánh giá", "Ratings"),
        "files.count" => ("Số hồ sơ", "Files"),
        "files.hint" => (
            "Nhập lại sẽ thay số cũ; mọi lần nhập đều được ghi lại.",
            "Entering again replaces the old number; every entry is recorded.",
        ),
        "files.save" => ("Lưu số hồ sơ", "Save"),
        "files.saved" => ("Đã lưu. Báo cáo tính lại theo số mới.", "Saved. The report now uses the new numbers."),
        "files.error" => ("Chưa lưu gì; hãy sửa:", "Nothing was saved; please correct:"),
        "files.back" => ("Quay lại báo cáo", "Back to the report"),
        "head.expired_title" => ("Đường dẫn đã hết hạn", "This link has expired"),
        "head.expired" => (
            "Vì an toàn, đường dẫn trong thư chỉ dùng được trong một thời gian. Bấm nút dưới đây để nhận đường dẫn mới qua thư điện tử của ông/bà.",
            "For safety, email links work for a limited time. Press the button to get a new link by email.",
        ),
        "head.renew" => ("Gửi cho tôi đường dẫn mới", "Send me a new link"),
        "head.renewed_title" => ("Đã gửi đường dẫn mới", "A new link was sent"),
        "head.renewed" => (
            "Đường dẫn mới đã được gửi tới địa chỉ thư điện tử đã đăng ký.",
            "A new link was sent to the registered email address.",
        ),
        "head.renew_refused" => ("Không gửi được đường dẫn mới", "No new link was sent"),
        "head.revoked_title" => ("Đường dẫn không còn hiệu lực", "This link is no longer valid"),
        "head.revoked" => (
            "Phản ánh đã được chuyển cho người khác xử lý nên đường dẫn này không còn dùng được.",
            "The report moved to another handler, so this link no longer works.",
        ),
        "head.unknown_title" => ("Đường dẫn không hợp lệ", "Invalid link"),
        "head.unknown" => (
            "Đường dẫn không đúng hoặc đã bị thay đổi. Đề nghị mở lại đường dẫn từ thư điện tử.",
            "The link is wrong or was altered. Open it again from the email.",
        ),
        "event.routed" => ("Đã chuyển tới người có thẩm quyền xử lý", "Sent to the person competent to handle it"),
        "event.acknowledged" => ("Đã xác nhận tiếp nhận", "Acknowledged"),
        "event.info_requested" => ("Đề nghị người dân bổ sung thông tin", "More information requested"),
        "event.citizen_replied" => ("Người dân đã bổ sung thông tin", "The citizen replied"),
        "event.resolved" => ("Đã giải quyết", "Resolved"),
        "event.dismissed" => ("Không xử lý (có nêu lý do)", "Not pursued (reason given)"),
        "event.escalated" => ("Đã chuyển lên cấp trên", "Escalated to the level above"),
        "event.forwarded" => ("Đã chuyển tới đơn vị khác", "Forwarded to another unit"),
        "event.reopened" => ("Mở lại do người dân chưa hài lòng", "Reopened: the citizen was not satisfied"),
        "event.reminder" => ("Nhắc việc", "Reminder"),
        "event.deadline_missed" => ("Quá hạn", "Deadline missed"),
        "event.overdue_at_top" => ("Quá hạn ở cấp cao nhất", "Overdue at the top level"),
        "event.explanation_requested" => ("Đề nghị cán bộ giải trình", "Explanation requested"),
        "event.explanation_received" => ("Cán bộ đã giải trình", "Explanation received"),
        "event.citizen_satisfied" => ("Người dân hài lòng với kết quả", "The citizen is satisfied"),
        "event.citizen_not_satisfied" => ("Người dân chưa hài lòng với kết quả", "The citizen is not satisfied"),
        "event.contact_erased" => ("Đã xóa thông tin liên hệ", "Contact details erased"),
        "event.routing_failed" => ("Chưa xác định được người xử lý", "No handler could be found"),
        "event.forward_requested" => ("Yêu cầu chuyển đơn vị", "Forward requested"),
        "event.escalation_requested" => ("Yêu cầu chuyển lên cấp trên", "Escalation requested"),
        "event.other" => ("Sự kiện khác", "Other event"),
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
