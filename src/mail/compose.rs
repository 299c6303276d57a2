//! The words of each email, in the recipient's language. Staff emails carry the receipt code, the
//! facts of the case and its deadline, never who complained (not even in the subject) nor the
//! complaint's text: the linked page shows what the reader may see. The action link is written
//! as `%%LINK%%` and filled in when the email is sent (see `service::links`).

use askama::Template;
use chrono::{DateTime, Utc};

use crate::domain::case::{Category, Status};
use crate::i18n::{Lang, local_time};

/// Where the action link goes in a stored body.
pub const LINK_PLACEHOLDER: &str = "%%LINK%%";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StaffKind {
    /// To the handler: a new case.
    NewCase,
    /// To the desk unit's head when another unit handles it.
    Informed,
    /// To the oversight unit (integrity categories).
    Copy,
    AckReminder,
    ResolveReminder,
    /// To the new handler after a missed deadline (or "escalate now").
    EscalatedTo,
    /// To the previous handler: the case went up.
    EscalatedFrom,
    ForwardedTo,
    /// The citizen was not satisfied with the answer: reopened, one level up.
    Appeal,
    /// To the officer concerned: please explain (giải trình).
    ExplanationRequest,
    ExplanationReceived,
    CitizenReplied,
    FreshLink,
    /// The last rung's deadline passed: nobody above to escalate to.
    TopOverdue,
}

impl StaffKind {
    pub fn as_str(self) -> &'static str {
        match self {
            StaffKind::NewCase => "new_case",
            StaffKind::Informed => "informed",
            StaffKind::Copy => "copy",
            StaffKind::AckReminder => "ack_reminder",
            StaffKind::ResolveReminder => "resolve_reminder",
            StaffKind::EscalatedTo => "escalated_to",
            StaffKind::EscalatedFrom => "escalated_from",
            StaffKind::ForwardedTo => "forwarded_to",
            StaffKind::Appeal => "appeal",
            StaffKind::ExplanationRequest => "explanation_request",
            StaffKind::ExplanationReceived => "explanation_received",
            StaffKind::CitizenReplied => "citizen_replied",
            StaffKind::FreshLink => "fresh_link",
            StaffKind::TopOverdue => "top_overdue",
        }
    }

    /// (subject label, opening paragraph) in a language.
    fn words(self, lang: Lang) -> (&'static str, &'static str) {
        let (vi, en) = match self {
            StaffKind::NewCase => (
                (
                    "Phản ánh mới cần xử lý",
                    "Có một phản ánh của người dân cần ông/bà xử lý. Hãy mở đường dẫn bên dưới để xem nội dung, xác nhận đã tiếp nhận và xử lý trong thời hạn.",
                ),
                (
                    "New report to handle",
                    "A citizen's report needs your action. Open the link below to read it, acknowledge it and handle it within the deadline.",
                ),
            ),
            StaffKind::Informed => (
                (
                    "Thông báo để biết",
                    "Một phản ánh liên quan tới quầy của đơn vị ông/bà đã được chuyển tới đơn vị có thẩm quyền xử lý. Thư này chỉ để ông/bà biết; không cần thao tác.",
                ),
                (
                    "For your information",
                    "A report about your unit's desk was sent to the unit competent to handle it. This email is for your information; no action is needed.",
                ),
            ),
            StaffKind::Copy => (
                (
                    "Bản sao phản ánh liên quan liêm chính",
                    "Phản ánh dưới đây thuộc nhóm liên quan đến liêm chính công vụ nên được gửi bản sao tới đơn vị giám sát. Đơn vị xử lý chính được nêu trong trang phản ánh.",
                ),
                (
                    "Copy of an integrity-related report",
                    "The report below concerns public-service integrity, so the oversight unit receives a copy. The page names the unit handling it.",
                ),
            ),
            StaffKind::AckReminder => (
                (
                    "Nhắc: sắp hết hạn xác nhận",
                    "Phản ánh dưới đây chưa được xác nhận tiếp nhận và sắp hết hạn. Nếu quá hạn, phản ánh sẽ tự động chuyển lên cấp trên.",
                ),
                (
                    "Reminder: acknowledgement due soon",
                    "The report below has not been acknowledged and its deadline is near. When it passes, the report goes to the level above.",
                ),
            ),
            StaffKind::ResolveReminder => (
                (
                    "Nhắc: sắp hết hạn giải quyết",
                    "Phản ánh dưới đây sắp hết hạn giải quyết. Nếu quá hạn, phản ánh sẽ tự động chuyển lên cấp trên.",
                ),
                (
                    "Reminder: resolution due soon",
                    "The report below is close to its resolution deadline. When it passes, the report goes to the level above.",
                ),
            ),
            StaffKind::EscalatedTo => (
                (
                    "Phản ánh chuyển lên do quá hạn",
                    "Phản ánh dưới đây đã quá hạn xử lý ở cấp dưới (hoặc được chủ động chuyển lên) nên nay do ông/bà xử lý.",
                ),
                (
                    "Report escalated to you",
                    "The report below missed its deadline at the level below (or was sent up) and is now yours to handle.",
                ),
            ),
            StaffKind::EscalatedFrom => (
                (
                    "Phản ánh đã chuyển lên cấp trên",
                    "Phản ánh dưới đây đã được chuyển lên cấp trên do quá thời hạn xử lý. Đường dẫn trước đây không còn dùng để thao tác.",
                ),
                (
                    "Report moved to the level above",
                    "The report below was moved to the level above after its deadline passed. Your earlier link can no longer act on it.",
                ),
            ),
            StaffKind::ForwardedTo => (
                (
                    "Phản ánh được chuyển tới đơn vị",
                    "Một đơn vị khác đã chuyển phản ánh dưới đây tới đơn vị ông/bà vì thuộc thẩm quyền của đơn vị ông/bà.",
                ),
                (
                    "Report forwarded to your unit",
                    "Another unit forwarded the report below to yours as within your competence.",
                ),
            ),
            StaffKind::Appeal => (
                (
                    "Người dân chưa hài lòng — phản ánh mở lại",
                    "Người dân chưa hài lòng với kết quả xử lý phản ánh dưới đây. Phản ánh được mở lại và chuyển lên để ông/bà xem xét.",
                ),
                (
                    "Citizen not satisfied — report reopened",
                    "The citizen was not satisfied with how the report below was handled. It is reopened and sent up for your review.",
                ),
            ),
            StaffKind::ExplanationRequest => (
                (
                    "Đề nghị giải trình",
                    "Người xử lý phản ánh đề nghị ông/bà giải trình về sự việc được phản ánh. Hãy mở đường dẫn để đọc nội dung và gửi giải trình.",
                ),
                (
                    "Request for an explanation",
                    "The person handling a report asks you to explain the events it describes. Open the link to read it and send your explanation.",
                ),
            ),
            StaffKind::ExplanationReceived => (
                ("Đã có giải trình", "Cán bộ được đề nghị đã gửi giải trình cho phản ánh dưới đây."),
                ("Explanation received", "The officer concerned sent an explanation for the report below."),
            ),
            StaffKind::CitizenReplied => (
                (
                    "Người dân đã bổ sung thông tin",
                    "Người dân đã trả lời đề nghị bổ sung thông tin; thời hạn xử lý tiếp tục được tính.",
                ),
                ("The citizen replied", "The citizen answered your request for information; the deadlines run again."),
            ),
            StaffKind::FreshLink => (
                ("Đường dẫn mới", "Theo yêu cầu, đây là đường dẫn mới để xem và xử lý phản ánh dưới đây."),
                ("A new link", "As requested, here is a new link to read and handle the report below."),
            ),
            StaffKind::TopOverdue => (
                (
                    "Phản ánh quá hạn ở cấp cao nhất",
                    "Phản ánh dưới đây đã quá hạn và không còn cấp trên để chuyển tiếp. Đề nghị xử lý ngay.",
                ),
                (
                    "Report overdue at the top level",
                    "The report below is overdue and there is no level above to send it to. Please act now.",
                ),
            ),
        };
        if lang == Lang::Vi { vi } else { en }
    }

    fn has_link(self) -> bool {
        !matches!(self, StaffKind::EscalatedFrom)
    }
}

/// What an email says about its case.
#[derive(Debug, Clone)]
pub struct CaseFacts {
    pub receipt: String,
    pub category: Category,
    pub status: Status,
    pub desk: String,
    pub unit: String,
    pub received_at: DateTime<Utc>,
    pub ack_due: Option<DateTime<Utc>>,
    pub resolve_due: Option<DateTime<Utc>>,
    pub level: i32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// What an email says, for both of its bodies (plain text and HTML).
#[derive(Default)]
struct Parts<'a> {
    lang: &'a str,
    subject: &'a str,
    greeting: &'a str,
    intro: &'a str,
    facts: &'a [(String, String)],
    has_link: bool,
    link_intro: &'a str,
    button: &'a str,
    link_note: &'a str,
    /// A text quoted in full (an answer, a question), under its label.
    body_label: &'a str,
    body: &'a str,
    /// A link written out (the citizen's tracking page); staff links are filled in when sent.
    link: &'a str,
    footer: &'a str,
}

#[derive(Template)]
#[template(path = "email/staff.txt", escape = "none")]
struct StaffText<'a> {
    m: &'a Parts<'a>,
}

#[derive(Template)]
#[template(path = "email/staff.html")]
struct StaffHtml<'a> {
    m: &'a Parts<'a>,
}

#[derive(Template)]
#[template(path = "email/citizen.txt", escape = "none")]
struct CitizenText<'a> {
    m: &'a Parts<'a>,
}

#[derive(Template)]
#[template(path = "email/citizen.html")]
struct CitizenHtml<'a> {
    m: &'a Parts<'a>,
}

/// Both bodies of an email.
fn render(subject: String, text: &impl Template, html: &impl Template) -> Rendered {
    Rendered {
        subject,
        text: text.render().expect("email template renders"),
        html: html.render().expect("email template renders"),
    }
}

fn greeting(name: Option<&str>, lang: Lang) -> String {
    match (name, lang) {
        (Some(n), Lang::Vi) => format!("Kính gửi ông/bà {n},"),
        (Some(n), Lang::En) => format!("Dear {n},"),
        (None, Lang::Vi) => "Kính gửi ông/bà,".into(),
        (None, Lang::En) => "Dear colleague,".into(),
    }
}

fn footer(lang: Lang) -> &'static str {
    match lang {
        Lang::Vi => {
            "Thư gửi tự động từ hailong — hệ thống tiếp nhận phản ánh, đánh giá sự hài lòng. Danh tính người phản ánh được bảo mật theo quy định."
        }
        Lang::En => {
            "Sent automatically by hailong, the citizen feedback service. The identity of people who report is confidential by law."
        }
    }
}

/// The next deadline that matters in the case's status.
fn deadline(f: &CaseFacts) -> Option<(bool, DateTime<Utc>)> {
    match f.status {
        Status::Received | Status::Reopened => f.ack_due.map(|d| (true, d)),
        Status::Acknowledged | Status::WaitingCitizen => f.resolve_due.map(|d| (false, d)),
        _ => None,
    }
}

fn facts(f: &CaseFacts, lang: Lang) -> Vec<(String, String)> {
    let l = |vi: &str, en: &str| if lang == Lang::Vi { vi.to_string() } else { en.to_string() };
    let mut v = vec![
        (l("Mã tiếp nhận", "Receipt code"), f.receipt.clone()),
        (l("Loại phản ánh", "Category"), f.category.label(lang).to_string()),
        (l("Quầy", "Desk"), format!("{} — {}", f.desk, f.unit)),
        (l("Tiếp nhận lúc", "Received"), local_time(f.received_at, lang)),
        (l("Tình trạng", "Status"), f.status.label(lang).to_string()),
    ];
    if let Some(d) = f.ack_due.filter(|_| matches!(f.status, Status::Received | Status::Reopened)) {
        v.push((l("Hạn xác nhận tiếp nhận", "Acknowledge by"), local_time(d, lang)));
    }
    if let Some(d) = f.resolve_due.filter(|_| !f.status.is_closed()) {
        v.push((l("Hạn giải quyết", "Resolve by"), local_time(d, lang)));
    }
    if f.level > 0 {
        v.push((l("Cấp xử lý", "Escalation level"), f.level.to_string()));
    }
    v
}

/// An email to an officer or a unit about a case.
/// `link_days`: how long the link stays valid, as the email tells its reader.
pub fn staff(kind: StaffKind, lang: Lang, name: Option<&str>, f: &CaseFacts, link_days: u32) -> Rendered {
    let (label, intro) = kind.words(lang);
    let subject = match (deadline(f), lang) {
        (Some((true, d)), Lang::Vi) => {
            format!("[hailong] {label} {} — hạn xác nhận {}", f.receipt, local_time(d, lang))
        }
        (Some((false, d)), Lang::Vi) => {
            format!("[hailong] {label} {} — hạn giải quyết {}", f.receipt, local_time(d, lang))
        }
        (Some((true, d)), Lang::En) => {
            format!("[hailong] {label} {} — acknowledge by {}", f.receipt, local_time(d, lang))
        }
        (Some((false, d)), Lang::En) => format!("[hailong] {label} {} — resolve by {}", f.receipt, local_time(d, lang)),
        (None, _) => format!("[hailong] {label} {}", f.receipt),
    };
    let facts = facts(f, lang);
    let greeting = greeting(name, lang);
    let (link_intro, button, link_note) = match (kind, lang) {
        (StaffKind::ExplanationRequest, Lang::Vi) => (
            "Mở trang giải trình:",
            "Xem và gửi giải trình",
            "Đường dẫn chỉ dành cho ông/bà, hết hạn sau {days} ngày. Mở đường dẫn không làm thay đổi gì; chỉ khi bấm gửi trên trang mới ghi nhận.",
        ),
        (StaffKind::ExplanationRequest, Lang::En) => (
            "Open the explanation page:",
            "Read and explain",
            "This link is for you only and expires in {days} days. Opening it changes nothing; only the button on the page records your explanation.",
        ),
        (StaffKind::Informed | StaffKind::Copy, Lang::Vi) => (
            "Xem phản ánh (chỉ đọc):",
            "Xem phản ánh",
            "Đường dẫn chỉ dành cho người nhận thư này, hết hạn sau {days} ngày. Không chuyển tiếp thư này.",
        ),
        (StaffKind::Informed | StaffKind::Copy, Lang::En) => (
            "Read the report (read only):",
            "Read the report",
            "This link is for the addressee only and expires in {days} days. Do not forward this email.",
        ),
        (_, Lang::Vi) => (
            "Mở phản ánh để xem và xử lý:",
            "Xem và xử lý phản ánh",
            "Đường dẫn cho phép xử lý mà không cần đăng nhập, chỉ dành cho ông/bà và hết hạn sau {days} ngày: không chuyển tiếp thư này. Mở đường dẫn không làm thay đổi gì; mọi thao tác chỉ được ghi nhận khi bấm nút trên trang.",
        ),
        (_, Lang::En) => (
            "Open the report to read and handle it:",
            "Read and handle the report",
            "The link lets you act without logging in; it is for you only and expires in {days} days, so do not forward this email. Opening it changes nothing; actions happen only through the buttons on the page.",
        ),
    };
    let link_note = link_note.replace("{days}", &link_days.to_string());
    let link_note = link_note.as_str();
    let has_link = kind.has_link();
    let footer = footer(lang);
    let m = Parts {
        lang: lang.code(),
        subject: &subject,
        greeting: &greeting,
        intro,
        facts: &facts,
        has_link,
        link_intro,
        button,
        link_note,
        footer,
        ..Default::default()
    };
    render(subject.clone(), &StaffText { m: &m }, &StaffHtml { m: &m })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CitizenKind {
    /// The case was resolved or dismissed: here is the answer.
    Answer,
    /// The handler needs more information.
    InfoRequest,
}

impl CitizenKind {
    pub fn as_str(self) -> &'static str {
        match self {
            CitizenKind::Answer => "citizen_answer",
            CitizenKind::InfoRequest => "citizen_info_request",
        }
    }
}

/// An email to the person who reported (only with their consent).
pub fn citizen(kind: CitizenKind, lang: Lang, f: &CaseFacts, body: &str, tracking_url: &str) -> Rendered {
    let vi = lang == Lang::Vi;
    let (label, intro, body_label, link_intro, button) = match kind {
        CitizenKind::Answer if vi => (
            "Kết quả xử lý phản ánh",
            "Cơ quan có thẩm quyền đã xử lý phản ánh của ông/bà. Nội dung trả lời ở dưới. Ông/bà có thể cho biết mình có hài lòng với kết quả không trên trang theo dõi; nếu chưa hài lòng, phản ánh sẽ được chuyển lên cấp trên xem xét.",
            "Trả lời",
            "Xem và đánh giá kết quả trên trang theo dõi:",
            "Xem kết quả",
        ),
        CitizenKind::Answer => (
            "Your report has been answered",
            "The competent office handled your report; its answer is below. You can say whether you are satisfied on the tracking page; if not, the report goes to the level above.",
            "Answer",
            "Read and rate the answer on the tracking page:",
            "See the answer",
        ),
        CitizenKind::InfoRequest if vi => (
            "Đề nghị bổ sung thông tin",
            "Người xử lý phản ánh của ông/bà cần thêm thông tin. Thời hạn xử lý tạm dừng cho đến khi ông/bà trả lời trên trang theo dõi.",
            "Câu hỏi",
            "Trả lời trên trang theo dõi:",
            "Trả lời",
        ),
        CitizenKind::InfoRequest => (
            "More information needed",
            "The person handling your report needs more information. The deadlines pause until you answer on the tracking page.",
            "Question",
            "Answer on the tracking page:",
            "Answer",
        ),
    };
    let subject = format!("[hailong] {label} — {}", f.receipt);
    let mut facts = facts(f, lang);
    facts.truncate(5);
    let greeting = if vi { "Kính gửi ông/bà," } else { "Hello," };
    let footer = if vi {
        "Thư gửi tự động vì ông/bà đồng ý nhận kết quả qua thư điện tử. Có thể rút lại sự đồng ý và xóa thông tin liên hệ trên trang theo dõi."
    } else {
        "Sent because you agreed to hear the outcome by email. You can withdraw consent and delete your contact details on the tracking page."
    };
    let m = Parts {
        lang: lang.code(),
        subject: &subject,
        greeting,
        intro,
        facts: &facts,
        body_label,
        body,
        link_intro,
        button,
        link: tracking_url,
        footer,
        ..Default::default()
    };
    render(subject.clone(), &CitizenText { m: &m }, &CitizenHtml { m: &m })
}

/// A plain-text alert to the operator, Vietnamese first and English below.
pub fn operator_alert(lang: Lang, subject: &crate::i18n::Text, body: &crate::i18n::Text) -> Rendered {
    let (first, second) = match lang {
        Lang::Vi => (&body.vi, &body.en),
        Lang::En => (&body.en, &body.vi),
    };
    let text = format!("{first}\n\n---\n\n{second}\n\n--\n{}", footer(lang));
    let html = format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"></head><body style=\"font-family:Arial,sans-serif\"><pre style=\"white-space:pre-wrap;font-family:inherit\">{}</pre></body></html>",
        askama::filters::escape(&text, askama::filters::Html).map(|e| e.to_string()).unwrap_or_default()
    );
    Rendered { subject: format!("[hailong] {}", subject.get(lang)), text, html }
}

/// To the oversight unit when an email could not be delivered after every attempt.
pub fn delivery_failed(lang: Lang, subject: &str, recipient: &str, error: &str, receipt: Option<&str>) -> Rendered {
    let (s, body) = match lang {
        Lang::Vi => (
            format!("[hailong] Không gửi được thư{}", receipt.map(|r| format!(" — {r}")).unwrap_or_default()),
            format!(
                "Hệ thống đã thử gửi nhiều lần nhưng không thành công.\n\nThư: {subject}\nNgười nhận: {recipient}\nLỗi cuối cùng: {error}\n\nĐề nghị kiểm tra địa chỉ thư của người nhận trong tệp tổ chức và máy chủ thư.\n\n--\n{}",
                footer(lang)
            ),
        ),
        Lang::En => (
            format!("[hailong] Email could not be delivered{}", receipt.map(|r| format!(" — {r}")).unwrap_or_default()),
            format!(
                "The service tried several times and failed.\n\nEmail: {subject}\nRecipient: {recipient}\nLast error: {error}\n\nPlease check the recipient's address in the organisation file and the mail server.\n\n--\n{}",
                footer(lang)
            ),
        ),
    };
    let html = format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"></head><body style=\"font-family:Arial,sans-serif\"><pre style=\"white-space:pre-wrap;font-family:inherit\">{}</pre></body></html>",
        askama::filters::escape(&body, askama::filters::Html).map(|e| e.to_string()).unwrap_or_default()
    );
    Rendered { subject: s, text: body, html }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn facts() -> CaseFacts {
        CaseFacts {
            receipt: "PA-7KQ3-M9XT".into(),
            category: Category::PettyCorruption,
            status: Status::Received,
            desk: "Bộ phận Một cửa UBND xã Phước Hưng".into(),
            unit: "UBND xã Phước Hưng".into(),
            received_at: Utc.with_ymd_and_hms(2026, 11, 27, 2, 0, 0).unwrap(),
            ack_due: Some(Utc.with_ymd_and_hms(2026, 11, 27, 8, 0, 0).unwrap()),
            resolve_due: Some(Utc.with_ymd_and_hms(2026, 12, 4, 10, 0, 0).unwrap()),
            level: 0,
        }
    }

    #[test]
    fn staff_email_has_receipt_deadline_and_link_but_no_complaint() {
        let r = staff(StaffKind::NewCase, Lang::Vi, Some("Trần Văn Bình"), &facts(), 14);
        assert_eq!(r.subject, "[hailong] Phản ánh mới cần xử lý PA-7KQ3-M9XT — hạn xác nhận 15:00 thứ Sáu, 27/11/2026");
        for part in [&r.text, &r.html] {
            assert!(
                part.contains("PA-7KQ3-M9XT")
                    && part.contains("15:00 thứ Sáu, 27/11/2026")
                    && part.contains(LINK_PLACEHOLDER)
            );
            assert!(part.contains("Kính gửi ông/bà Trần Văn Bình"));
        }
        assert!(r.html.contains("Bộ phận Một cửa UBND xã Phước Hưng"));
        assert!(r.text.contains("hết hạn sau 14 ngày"));
        let en = staff(StaffKind::AckReminder, Lang::En, None, &facts(), 7);
        assert!(
            en.subject
                .starts_with("[hailong] Reminder: acknowledgement due soon PA-7KQ3-M9XT — acknowledge by 15:00 Friday")
        );
        assert!(!staff(StaffKind::EscalatedFrom, Lang::Vi, None, &facts(), 14).text.contains(LINK_PLACEHOLDER));
    }

    #[test]
    fn citizen_email_carries_the_answer() {
        let mut f = facts();
        f.status = Status::Resolved;
        let r = citizen(
            CitizenKind::Answer,
            Lang::Vi,
            &f,
            "Đã kiểm tra và nhắc nhở cán bộ <b>nghiêm khắc</b>.",
            "http://x/t/PA-7KQ3-M9XT",
        );
        assert!(r.text.contains("Đã kiểm tra và nhắc nhở cán bộ <b>nghiêm khắc</b>."));
        assert!(r.html.contains("&lt;b&gt;") || r.html.contains("&#60;b&#62;"), "HTML is escaped: {}", r.html);
        assert!(r.html.contains("http://x/t/PA-7KQ3-M9XT"));
    }
}
