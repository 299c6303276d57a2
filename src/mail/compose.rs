//! The words of each email, in the recipient's language, in the style of official correspondence
//! ("Kính gửi: đồng chí …", "Đề nghị …"). Staff emails carry the case number (never the
//! citizen's receipt), the facts of the case and its deadline, never who complained (not even in
//! the subject) nor the complaint's text: the linked page shows what the reader may see. One
//! recipient gets one email per event: several facts about the same moment (the case moved away
//! from you, and you are kept informed) share it.
//!
//! A staff link is written as `{base}/h/%%TOKEN%%`: the deployment's public address is fixed when
//! the email is created; the token is derived from the row's nonce when it is sent (see
//! `service::links`), so the database never holds it.

use askama::Template;
use chrono::{DateTime, Utc};

use crate::domain::case::{Category, Status};
use crate::i18n::{Lang, Text, local_time};

/// Where the link's token goes in a stored body.
pub const TOKEN_PLACEHOLDER: &str = "%%TOKEN%%";
/// Where the whole link went in rows written before the base was fixed at creation (still filled
/// in when such a row is sent).
pub const LINK_PLACEHOLDER: &str = "%%LINK%%";
/// A new case's number is known only when its row is written; emails planned before carry this.
pub const NUMBER_PLACEHOLDER: &str = "%%NUMBER%%";

/// The link of a staff email, as stored: the base now, the token when sent.
pub fn link_template(base: &str) -> String {
    format!("{base}/h/{TOKEN_PLACEHOLDER}")
}

crate::vocabulary! {
    /// What a staff email is about (its outbox `kind`).
    pub enum StaffKind {
        /// To the handler: a new case.
        NewCase = "new_case",
        /// To the desk unit's head when another unit handles it.
        Informed = "informed",
        /// To the oversight unit (integrity categories).
        Copy = "copy",
        AckReminder = "ack_reminder",
        ResolveReminder = "resolve_reminder",
        /// To the new handler after a missed deadline or "escalate now".
        EscalatedTo = "escalated_to",
        /// To the previous handler: the case left them (see [`Move`] for why).
        EscalatedFrom = "escalated_from",
        ForwardedTo = "forwarded_to",
        /// The citizen was not satisfied with the answer: reopened, one level up.
        Appeal = "appeal",
        /// To the officer concerned: please explain (giải trình).
        ExplanationRequest = "explanation_request",
        ExplanationReceived = "explanation_received",
        CitizenReplied = "citizen_replied",
        FreshLink = "fresh_link",
        /// The last rung's deadline passed: nobody above to escalate to.
        TopOverdue = "top_overdue",
        /// To the nearest independent oversight unit: nobody independent can handle the case.
        Unrouted = "unrouted",
        /// To the operator's chosen handler.
        Assigned = "assigned",
        /// To the oversight unit copied on an integrity case: how it ended.
        Outcome = "outcome",
    }
}

/// Why a case left its handler.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Move {
    /// A deadline passed (the scheduler escalated it).
    DeadlineMissed,
    /// The handler sent it up.
    Requested,
    /// The citizen was not satisfied with the answer.
    Appeal,
    /// The handler forwarded it to another unit.
    Forwarded,
}

impl StaffKind {
    /// (subject label, paragraph) in a language; `moved` says why a case changed hands.
    fn words(self, lang: Lang, moved: Option<Move>) -> (&'static str, &'static str) {
        let (vi, en) = match self {
            StaffKind::NewCase => (
                (
                    "Phản ánh mới cần xử lý",
                    "Có một phản ánh của người dân cần ông/bà xử lý. Đề nghị mở đường dẫn bên dưới để xem nội dung, xác nhận đã tiếp nhận và xử lý trong thời hạn.",
                ),
                (
                    "New report to handle",
                    "A citizen's report needs your action. Please open the link below to read it, acknowledge it and handle it within the deadline.",
                ),
            ),
            StaffKind::Informed => (
                (
                    "Thông báo để biết",
                    "Một phản ánh liên quan tới quầy của đơn vị ông/bà đang do đơn vị có thẩm quyền xử lý. Thông báo để ông/bà biết; không cần thao tác.",
                ),
                (
                    "For your information",
                    "A report about your unit's desk is being handled by the competent unit. This is for your information; no action is needed.",
                ),
            ),
            StaffKind::Copy => (
                (
                    "Bản sao phản ánh liên quan đến liêm chính",
                    "Phản ánh dưới đây liên quan đến liêm chính công vụ nên được gửi bản sao tới đơn vị giám sát. Trang phản ánh nêu đơn vị đang xử lý.",
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
            StaffKind::EscalatedTo if moved == Some(Move::Requested) => (
                (
                    "Phản ánh được chuyển lên",
                    "Người xử lý ở cấp dưới đã chuyển phản ánh dưới đây lên cấp trên. Đề nghị ông/bà xem xét, xử lý.",
                ),
                (
                    "Report sent up to you",
                    "The handler at the level below sent the report below up. Please review and handle it.",
                ),
            ),
            StaffKind::EscalatedTo => (
                (
                    "Phản ánh chuyển lên do quá hạn",
                    "Phản ánh dưới đây đã quá thời hạn xử lý ở cấp dưới nên được chuyển lên. Đề nghị ông/bà xem xét, xử lý.",
                ),
                (
                    "Report escalated to you",
                    "The report below missed its deadline at the level below and was escalated. Please review and handle it.",
                ),
            ),
            StaffKind::EscalatedFrom => match moved {
                Some(Move::Appeal) => (
                    (
                        "Phản ánh đã chuyển lên cấp trên",
                        "Người dân chưa hài lòng với kết quả xử lý phản ánh dưới đây, nên phản ánh được mở lại và chuyển lên cấp trên xem xét. Đường dẫn trước đây không còn dùng để thao tác.",
                    ),
                    (
                        "Report moved to the level above",
                        "The citizen was not satisfied with how the report below was handled, so it was reopened and sent to the level above. Your earlier link can no longer act on it.",
                    ),
                ),
                Some(Move::Requested) => (
                    (
                        "Phản ánh đã chuyển lên cấp trên",
                        "Phản ánh dưới đây đã được chuyển lên cấp trên theo đề nghị của người xử lý. Đường dẫn trước đây không còn dùng để thao tác.",
                    ),
                    (
                        "Report moved to the level above",
                        "The report below was sent to the level above at the handler's request. Your earlier link can no longer act on it.",
                    ),
                ),
                Some(Move::Forwarded) => (
                    (
                        "Phản ánh đã chuyển đơn vị",
                        "Phản ánh dưới đây đã được chuyển tới đơn vị có thẩm quyền khác. Đường dẫn trước đây không còn dùng để thao tác.",
                    ),
                    (
                        "Report moved to another unit",
                        "The report below was forwarded to another competent unit. Your earlier link can no longer act on it.",
                    ),
                ),
                _ => (
                    (
                        "Phản ánh đã chuyển lên cấp trên",
                        "Phản ánh dưới đây đã được chuyển lên cấp trên do quá thời hạn xử lý. Đường dẫn trước đây không còn dùng để thao tác.",
                    ),
                    (
                        "Report moved to the level above",
                        "The report below was moved to the level above after its deadline passed. Your earlier link can no longer act on it.",
                    ),
                ),
            },
            StaffKind::ForwardedTo => (
                (
                    "Phản ánh được chuyển tới đơn vị",
                    "Một đơn vị khác đã chuyển phản ánh dưới đây tới đơn vị ông/bà vì thuộc thẩm quyền của đơn vị ông/bà. Đề nghị ông/bà xem xét, xử lý.",
                ),
                (
                    "Report forwarded to your unit",
                    "Another unit forwarded the report below to yours as within your competence. Please review and handle it.",
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
                    "Người xử lý phản ánh đề nghị ông/bà giải trình về sự việc được phản ánh. Đề nghị mở đường dẫn để đọc nội dung và gửi giải trình.",
                ),
                (
                    "Request for an explanation",
                    "The person handling a report asks you to explain the events it describes. Please open the link to read it and send your explanation.",
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
                ("Đường dẫn mới", "Theo đề nghị, đây là đường dẫn mới để xem và xử lý phản ánh dưới đây."),
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
            StaffKind::Unrouted => (
                (
                    "Phản ánh chưa có người xử lý độc lập",
                    "Không tìm được người xử lý độc lập cho phản ánh dưới đây (người bị phản ánh lãnh đạo các đơn vị trên đường chuyển cấp, hoặc không ai nhận được thư). Phản ánh đang chờ người quản trị giao xử lý bằng tay. Thông báo để đơn vị giám sát theo dõi.",
                ),
                (
                    "Report without an independent handler",
                    "No independent handler could be found for the report below (the person reported leads the units on the escalation path, or nobody there can receive email). It waits for the operator to assign it by hand. This notice lets the oversight unit follow it.",
                ),
            ),
            StaffKind::Assigned => (
                (
                    "Phản ánh được giao xử lý",
                    "Người quản trị hệ thống đã giao phản ánh dưới đây cho ông/bà xử lý vì không tìm được người xử lý độc lập theo quy tắc chuyển cấp. Đề nghị ông/bà xem xét, xử lý.",
                ),
                (
                    "Report assigned to you",
                    "The operator assigned the report below to you because the routing rules found no independent handler. Please review and handle it.",
                ),
            ),
            StaffKind::Outcome => (
                (
                    "Kết quả phản ánh liên quan đến liêm chính",
                    "Đơn vị giám sát đã nhận bản sao phản ánh dưới đây. Thông báo kết quả: tình trạng hiện tại được nêu bên dưới.",
                ),
                (
                    "Outcome of an integrity-related report",
                    "The oversight unit received a copy of the report below. Its outcome: the current status is given below.",
                ),
            ),
        };
        if lang == Lang::Vi { vi } else { en }
    }

    /// Whether the email carries a link to the case page.
    pub fn has_link(self) -> bool {
        !matches!(self, StaffKind::EscalatedFrom)
    }
}

/// What an email says about its case.
#[derive(Debug, Clone)]
pub struct CaseFacts {
    /// The case number staff use (never the citizen's receipt).
    pub number: String,
    pub category: Category,
    pub status: Status,
    pub desk: String,
    /// The desk's unit.
    pub unit: String,
    pub received_at: DateTime<Utc>,
    pub ack_due: Option<DateTime<Utc>>,
    pub resolve_due: Option<DateTime<Utc>>,
    /// How many times the case went up (0: at its first handler).
    pub level: i32,
    /// Why the case last changed hands, when it did.
    pub moved: Option<Move>,
}

/// Who an email is addressed to, for the salutation.
#[derive(Debug, Clone, Default)]
pub struct Addressee {
    /// A person's name; `None` for a unit's shared mailbox.
    pub name: Option<String>,
    /// The person's position ("Chủ tịch UBND xã Phước Hưng"), or the unit's name for a mailbox.
    pub position: Option<String>,
}

impl Addressee {
    /// "Kính gửi: đồng chí Nguyễn Văn Hưng, Chủ tịch UBND xã Phước Hưng," (official style).
    fn salutation(&self, lang: Lang) -> String {
        match (&self.name, &self.position, lang) {
            (Some(n), Some(p), Lang::Vi) => format!("Kính gửi: đồng chí {n}, {p},"),
            (Some(n), None, Lang::Vi) => format!("Kính gửi: đồng chí {n},"),
            (None, Some(p), Lang::Vi) => format!("Kính gửi: {p},"),
            (None, None, Lang::Vi) => "Kính gửi: ông/bà,".into(),
            (Some(n), Some(p), Lang::En) => format!("Dear {n} ({p}),"),
            (Some(n), None, Lang::En) => format!("Dear {n},"),
            (None, Some(p), Lang::En) => format!("To: {p},"),
            (None, None, Lang::En) => "Dear colleague,".into(),
        }
    }
}

/// An officer's position in words: the title, joined with the unit's name without repeating it
/// ("Chủ tịch UBND xã" + "UBND xã Phước Hưng" → "Chủ tịch UBND xã Phước Hưng").
pub fn position(title: &str, unit: &str) -> String {
    let (title, unit) = (title.trim(), unit.trim());
    if title.is_empty() {
        return unit.to_string();
    }
    if unit.is_empty() || title.to_lowercase().contains(&unit.to_lowercase()) {
        return title.to_string();
    }
    // The longest run of words ending the title that also begins the unit's name (at least two
    // words, so a lone "UBND" does not merge).
    let words: Vec<&str> = title.split_whitespace().collect();
    let unit_lower = unit.to_lowercase();
    for start in 0..words.len().saturating_sub(1) {
        let tail = words[start..].join(" ");
        let tail_lower = tail.to_lowercase();
        if unit_lower.starts_with(&tail_lower)
            && unit_lower[tail_lower.len()..].starts_with(' ')
            && words.len() - start >= 2
        {
            let head = words[..start].join(" ");
            return if head.is_empty() { unit.to_string() } else { format!("{head} {unit}") };
        }
    }
    format!("{title}, {unit}")
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
    intros: &'a [&'a str],
    facts: &'a [(String, String)],
    has_link: bool,
    link_intro: &'a str,
    button: &'a str,
    /// The link written out.
    link: &'a str,
    link_note: &'a str,
    /// A text quoted in full (an answer, a question), under its label.
    body_label: &'a str,
    body: &'a str,
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

/// "đã chuyển lên cấp trên lần thứ hai" for a level.
fn level_words(level: i32, lang: Lang) -> String {
    let ordinal_vi = ["nhất", "hai", "ba", "tư", "năm"];
    let ordinal_en = ["once", "twice", "three times", "four times", "five times"];
    let i = (level - 1) as usize;
    match lang {
        Lang::Vi => match ordinal_vi.get(i) {
            Some(w) => format!("Đã chuyển lên cấp trên (lần thứ {w})"),
            None => format!("Đã chuyển lên cấp trên {level} lần"),
        },
        Lang::En => match ordinal_en.get(i) {
            Some(w) => format!("Escalated {w}"),
            None => format!("Escalated {level} times"),
        },
    }
}

/// The desk, and its unit unless the desk's name already says it.
fn desk_words(f: &CaseFacts) -> String {
    if f.desk.to_lowercase().contains(&f.unit.to_lowercase()) {
        f.desk.clone()
    } else {
        format!("{} — {}", f.desk, f.unit)
    }
}

fn facts(f: &CaseFacts, lang: Lang) -> Vec<(String, String)> {
    let l = |vi: &str, en: &str| if lang == Lang::Vi { vi.to_string() } else { en.to_string() };
    let mut v = vec![
        (l("Số phản ánh", "Case number"), f.number.clone()),
        (l("Loại phản ánh", "Category"), f.category.label(lang).to_string()),
        (l("Quầy", "Desk"), desk_words(f)),
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
        v.push((l("Cấp xử lý", "Level"), level_words(f.level, lang)));
    }
    v
}

/// An email to an officer or a unit about a case: one email for everything `kinds` says to this
/// recipient at this moment (the first kind names the subject). `link`: the link written out,
/// when the email carries one; `link_days`: how long it stays valid, as the email tells its reader.
pub fn staff(
    kinds: &[StaffKind],
    lang: Lang,
    to: &Addressee,
    f: &CaseFacts,
    link: Option<&str>,
    link_days: u32,
) -> Rendered {
    let first = kinds.first().copied().unwrap_or(StaffKind::Informed);
    let (label, _) = first.words(lang, f.moved);
    let intros: Vec<&str> = kinds.iter().map(|k| k.words(lang, f.moved).1).collect();
    let subject = match (deadline(f), lang) {
        (Some((true, d)), Lang::Vi) => {
            format!("[hailong] {label} {} — hạn xác nhận {}", f.number, local_time(d, lang))
        }
        (Some((false, d)), Lang::Vi) => {
            format!("[hailong] {label} {} — hạn giải quyết {}", f.number, local_time(d, lang))
        }
        (Some((true, d)), Lang::En) => {
            format!("[hailong] {label} {} — acknowledge by {}", f.number, local_time(d, lang))
        }
        (Some((false, d)), Lang::En) => format!("[hailong] {label} {} — resolve by {}", f.number, local_time(d, lang)),
        (None, _) => format!("[hailong] {label} {}", f.number),
    };
    let facts = facts(f, lang);
    let greeting = to.salutation(lang);
    let read_only = kinds.iter().all(|k| {
        matches!(
            k,
            StaffKind::Informed | StaffKind::Copy | StaffKind::Outcome | StaffKind::Unrouted | StaffKind::EscalatedFrom
        )
    });
    let explaining = kinds.contains(&StaffKind::ExplanationRequest);
    let (link_intro, button, link_note) = match (explaining, read_only, lang) {
        (true, _, Lang::Vi) => (
            "Mở trang giải trình:",
            "Xem và gửi giải trình",
            "Đường dẫn chỉ dành cho ông/bà, hết hạn sau {days} ngày. Mở đường dẫn không làm thay đổi gì; chỉ khi bấm gửi trên trang mới ghi nhận.",
        ),
        (true, _, Lang::En) => (
            "Open the explanation page:",
            "Read and explain",
            "This link is for you only and expires in {days} days. Opening it changes nothing; only the button on the page records your explanation.",
        ),
        (false, true, Lang::Vi) => (
            "Xem phản ánh (chỉ đọc):",
            "Xem phản ánh",
            "Đường dẫn chỉ dành cho người nhận thư này, hết hạn sau {days} ngày. Đề nghị không chuyển tiếp thư này.",
        ),
        (false, true, Lang::En) => (
            "Read the report (read only):",
            "Read the report",
            "This link is for the addressee only and expires in {days} days. Please do not forward this email.",
        ),
        (false, false, Lang::Vi) => (
            "Mở phản ánh để xem và xử lý:",
            "Xem và xử lý phản ánh",
            "Đường dẫn cho phép xử lý mà không cần đăng nhập, chỉ dành cho ông/bà và hết hạn sau {days} ngày; đề nghị không chuyển tiếp thư này. Mở đường dẫn không làm thay đổi gì; mọi thao tác chỉ được ghi nhận khi bấm nút trên trang.",
        ),
        (false, false, Lang::En) => (
            "Open the report to read and handle it:",
            "Read and handle the report",
            "The link lets you act without logging in; it is for you only and expires in {days} days, so please do not forward this email. Opening it changes nothing; actions happen only through the buttons on the page.",
        ),
    };
    let link_note = link_note.replace("{days}", &link_days.to_string());
    let m = Parts {
        lang: lang.code(),
        subject: &subject,
        greeting: &greeting,
        intros: &intros,
        facts: &facts,
        has_link: link.is_some(),
        link_intro,
        button,
        link: link.unwrap_or(""),
        link_note: &link_note,
        footer: footer(lang),
        ..Default::default()
    };
    render(subject.clone(), &StaffText { m: &m }, &StaffHtml { m: &m })
}

crate::vocabulary! {
    /// What an email to the person who reported is about (its outbox `kind`).
    pub enum CitizenKind {
        /// The report was received: here is the receipt.
        Received = "citizen_received",
        /// The handler acknowledged the report.
        Acknowledged = "citizen_acknowledged",
        /// The case was resolved or dismissed: here is the answer.
        Answer = "citizen_answer",
        /// The handler needs more information.
        InfoRequest = "citizen_info_request",
    }
}

/// The case as the citizen knows it: their receipt, never the staff's number.
#[derive(Debug, Clone)]
pub struct CitizenFacts {
    pub receipt: String,
    pub category: Category,
    pub status: Status,
    pub desk: String,
    pub unit: String,
    pub received_at: DateTime<Utc>,
}

/// An email to the person who reported (only with their consent).
pub fn citizen(kind: CitizenKind, lang: Lang, f: &CitizenFacts, body: &str, tracking_url: &str) -> Rendered {
    let vi = lang == Lang::Vi;
    let (label, intro, body_label, link_intro, button) = match kind {
        CitizenKind::Received if vi => (
            "Đã tiếp nhận phản ánh",
            "Cảm ơn ông/bà đã phản ánh. Phản ánh đã được tiếp nhận và chuyển tới người có thẩm quyền xử lý. Mã tiếp nhận dưới đây là chìa khóa để ông/bà theo dõi phản ánh; đề nghị giữ kín mã này.",
            "",
            "Theo dõi phản ánh:",
            "Theo dõi phản ánh",
        ),
        CitizenKind::Received => (
            "Your report was received",
            "Thank you for your report. It was received and sent to the person competent to handle it. The receipt code below is your key to follow it; please keep it to yourself.",
            "",
            "Follow your report:",
            "Follow your report",
        ),
        CitizenKind::Acknowledged if vi => (
            "Phản ánh đang được xử lý",
            "Người có thẩm quyền đã xác nhận tiếp nhận phản ánh của ông/bà và đang xử lý. Ông/bà sẽ nhận thư khi có kết quả.",
            "",
            "Theo dõi phản ánh:",
            "Theo dõi phản ánh",
        ),
        CitizenKind::Acknowledged => (
            "Your report is being handled",
            "The competent person acknowledged your report and is handling it. You will get an email when there is an answer.",
            "",
            "Follow your report:",
            "Follow your report",
        ),
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
    let l = |vi_: &str, en: &str| if vi { vi_.to_string() } else { en.to_string() };
    let desk = if f.desk.to_lowercase().contains(&f.unit.to_lowercase()) {
        f.desk.clone()
    } else {
        format!("{} — {}", f.desk, f.unit)
    };
    let facts = vec![
        (l("Mã tiếp nhận", "Receipt code"), f.receipt.clone()),
        (l("Loại phản ánh", "Category"), f.category.label(lang).to_string()),
        (l("Quầy", "Desk"), desk),
        (l("Tiếp nhận lúc", "Received"), local_time(f.received_at, lang)),
        (l("Tình trạng", "Status"), f.status.label(lang).to_string()),
    ];
    let greeting = if vi { "Kính gửi ông/bà," } else { "Hello," };
    let footer = if vi {
        "Thư gửi tự động vì ông/bà đồng ý nhận thông tin về phản ánh qua thư điện tử. Có thể rút lại sự đồng ý và xóa thông tin liên hệ trên trang theo dõi."
    } else {
        "Sent because you agreed to hear about your report by email. You can withdraw consent and delete your contact details on the tracking page."
    };
    let intros = [intro];
    let m = Parts {
        lang: lang.code(),
        subject: &subject,
        greeting,
        intros: &intros,
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

/// A report email (the monthly report, or the yearly reminder): what it is about, the headline
/// figures, the signed link to the full report.
pub struct ReportMail<'a> {
    pub subject: &'a str,
    pub intros: &'a [&'a str],
    pub facts: &'a [(String, String)],
    /// `{base}/r/%%TOKEN%%`: the token is derived when the email is sent.
    pub link: &'a str,
    pub link_days: u32,
}

/// A report email, in the staff layout.
pub fn report(lang: Lang, to: &Addressee, m: &ReportMail) -> Rendered {
    let greeting = to.salutation(lang);
    let (link_intro, button, link_note) = match lang {
        Lang::Vi => (
            "Xem báo cáo đầy đủ (có tải về CSV, XLSX, JSON):",
            "Xem báo cáo",
            "Đường dẫn chỉ dành cho người nhận thư này, chỉ để xem, hết hạn sau {days} ngày. Đề nghị không chuyển tiếp thư này.",
        ),
        Lang::En => (
            "Read the full report (with CSV, XLSX and JSON downloads):",
            "Read the report",
            "This link is for the addressee only, reads only, and expires in {days} days. Please do not forward this email.",
        ),
    };
    let link_note = link_note.replace("{days}", &m.link_days.to_string());
    let subject = format!("[hailong] {}", m.subject);
    let parts = Parts {
        lang: lang.code(),
        subject: &subject,
        greeting: &greeting,
        intros: m.intros,
        facts: m.facts,
        has_link: true,
        link_intro,
        button,
        link: m.link,
        link_note: &link_note,
        footer: footer(lang),
        ..Default::default()
    };
    render(subject.clone(), &StaffText { m: &parts }, &StaffHtml { m: &parts })
}

/// The link of a console sign-in email, as stored: the token is filled in when it is sent.
pub fn signin_link_template(base: &str) -> String {
    format!("{base}/staff/signin/{TOKEN_PLACEHOLDER}")
}

/// A console sign-in email: one link, valid for `minutes`, usable once.
pub fn signin(lang: Lang, link: &str, minutes: u32) -> Rendered {
    let (subject, intro, button, note) = match lang {
        Lang::Vi => (
            "Đăng nhập trang quản lý hailong",
            "Có yêu cầu đăng nhập trang quản lý bằng địa chỉ thư này. Bấm nút dưới đây để đăng nhập:",
            "Đăng nhập",
            "Đường dẫn dùng được một lần, hết hạn sau {minutes} phút. Nếu không phải đồng chí yêu cầu, xin bỏ qua thư này: không ai đăng nhập được nếu không mở thư.",
        ),
        Lang::En => (
            "Sign in to the hailong staff console",
            "Someone asked to sign in to the staff console with this address. Press the button to sign in:",
            "Sign in",
            "The link works once and expires in {minutes} minutes. If you did not ask, ignore this email: nobody can sign in without opening it.",
        ),
    };
    let subject = format!("[hailong] {subject}");
    let note = note.replace("{minutes}", &minutes.to_string());
    let greeting = match lang {
        Lang::Vi => "Kính gửi đồng chí,",
        Lang::En => "Hello,",
    };
    let parts = Parts {
        lang: lang.code(),
        subject: &subject,
        greeting,
        intros: &[],
        facts: &[],
        has_link: true,
        link_intro: intro,
        button,
        link,
        link_note: &note,
        footer: footer(lang),
        ..Default::default()
    };
    render(subject.clone(), &StaffText { m: &parts }, &StaffHtml { m: &parts })
}

/// The link written into a report email: the token is filled in when the email is sent.
pub fn report_link_template(base: &str) -> String {
    format!("{base}/r/{TOKEN_PLACEHOLDER}")
}

/// A plain-text alert to the operator, Vietnamese first and English below.
pub fn operator_alert(lang: Lang, subject: &Text, body: &Text) -> Rendered {
    let (first, second) = match lang {
        Lang::Vi => (&body.vi, &body.en),
        Lang::En => (&body.en, &body.vi),
    };
    let text = format!("{first}\n\n---\n\n{second}\n\n--\n{}", footer(lang));
    Rendered { subject: format!("[hailong] {}", subject.get(lang)), html: pre_html(&text), text }
}

fn pre_html(text: &str) -> String {
    format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"></head><body style=\"font-family:Arial,sans-serif\"><pre style=\"white-space:pre-wrap;font-family:inherit\">{}</pre></body></html>",
        askama::filters::escape(text, askama::filters::Html).map(|e| e.to_string()).unwrap_or_default()
    )
}

/// To the oversight unit when an email could not be delivered after every attempt.
pub fn delivery_failed(lang: Lang, subject: &str, recipient: &str, error: &str, number: Option<&str>) -> Rendered {
    let (s, body) = match lang {
        Lang::Vi => (
            format!("[hailong] Không gửi được thư{}", number.map(|r| format!(" — {r}")).unwrap_or_default()),
            format!(
                "Hệ thống đã thử gửi nhiều lần nhưng không thành công.\n\nThư: {subject}\nNgười nhận: {recipient}\nLỗi cuối cùng: {error}\n\nĐề nghị kiểm tra địa chỉ thư của người nhận trong tệp tổ chức và máy chủ thư.\n\n--\n{}",
                footer(lang)
            ),
        ),
        Lang::En => (
            format!("[hailong] Email could not be delivered{}", number.map(|r| format!(" — {r}")).unwrap_or_default()),
            format!(
                "The service tried several times and failed.\n\nEmail: {subject}\nRecipient: {recipient}\nLast error: {error}\n\nPlease check the recipient's address in the organisation file and the mail server.\n\n--\n{}",
                footer(lang)
            ),
        ),
    };
    Rendered { subject: s, html: pre_html(&body), text: body }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn facts() -> CaseFacts {
        CaseFacts {
            number: "2026-000042".into(),
            category: Category::PettyCorruption,
            status: Status::Received,
            desk: "Bộ phận Một cửa UBND xã Phước Hưng".into(),
            unit: "UBND xã Phước Hưng".into(),
            received_at: Utc.with_ymd_and_hms(2026, 11, 27, 2, 0, 0).unwrap(),
            ack_due: Some(Utc.with_ymd_and_hms(2026, 11, 27, 8, 0, 0).unwrap()),
            resolve_due: Some(Utc.with_ymd_and_hms(2026, 12, 4, 10, 0, 0).unwrap()),
            level: 0,
            moved: None,
        }
    }

    fn chairman() -> Addressee {
        Addressee {
            name: Some("Nguyễn Văn Hưng".into()),
            position: Some(position("Chủ tịch UBND xã", "UBND xã Phước Hưng")),
        }
    }

    #[test]
    fn staff_email_has_number_deadline_and_link_but_no_complaint() {
        let link = link_template("http://127.0.0.1:18480");
        let r = staff(&[StaffKind::NewCase], Lang::Vi, &chairman(), &facts(), Some(&link), 14);
        assert_eq!(r.subject, "[hailong] Phản ánh mới cần xử lý 2026-000042 — hạn xác nhận 15:00 thứ Sáu, 27/11/2026");
        for part in [&r.text, &r.html] {
            assert!(part.contains("2026-000042") && part.contains("15:00 thứ Sáu, 27/11/2026"));
            assert!(part.contains("http://127.0.0.1:18480/h/%%TOKEN%%"), "the base is fixed now");
            assert!(part.contains("Kính gửi: đồng chí Nguyễn Văn Hưng, Chủ tịch UBND xã Phước Hưng,"), "{part}");
            assert!(!part.contains("PA-"), "never the receipt");
            assert!(!part.contains("Hãy "), "official style: Đề nghị, not Hãy");
        }
        // The desk's name already says its unit: not repeated.
        assert!(r.text.contains("Quầy: Bộ phận Một cửa UBND xã Phước Hưng\n"), "{}", r.text);
        assert!(r.text.contains("hết hạn sau 14 ngày"));
        let en = staff(&[StaffKind::AckReminder], Lang::En, &Addressee::default(), &facts(), Some(&link), 7);
        assert!(
            en.subject
                .starts_with("[hailong] Reminder: acknowledgement due soon 2026-000042 — acknowledge by 15:00 Friday")
        );
        let from = staff(&[StaffKind::EscalatedFrom], Lang::Vi, &chairman(), &facts(), None, 14);
        assert!(!from.text.contains("/h/"));
    }

    #[test]
    fn one_email_carries_every_fact_of_the_moment_with_its_reason() {
        let mut f = facts();
        f.level = 2;
        f.moved = Some(Move::Appeal);
        let link = link_template("http://x");
        let r = staff(&[StaffKind::EscalatedFrom, StaffKind::Informed], Lang::Vi, &chairman(), &f, Some(&link), 14);
        assert!(r.subject.starts_with("[hailong] Phản ánh đã chuyển lên cấp trên 2026-000042"));
        assert!(r.text.contains("chưa hài lòng với kết quả xử lý"), "{}", r.text);
        assert!(!r.text.contains("quá thời hạn"), "the appeal is the reason, not a deadline");
        assert!(r.text.contains("Thông báo để ông/bà biết"));
        assert!(r.text.contains("Xem phản ánh (chỉ đọc)"), "read only");
        assert!(r.text.contains("Cấp xử lý: Đã chuyển lên cấp trên (lần thứ hai)"), "{}", r.text);
        f.moved = Some(Move::DeadlineMissed);
        let r = staff(&[StaffKind::EscalatedFrom], Lang::Vi, &chairman(), &f, None, 14);
        assert!(r.text.contains("do quá thời hạn xử lý"));
        let copy = staff(&[StaffKind::Copy], Lang::Vi, &chairman(), &facts(), Some(&link), 14);
        assert!(copy.subject.contains("liên quan đến liêm chính"));
    }

    #[test]
    fn positions_join_title_and_unit_without_repeating() {
        assert_eq!(position("Chủ tịch UBND xã", "UBND xã Phước Hưng"), "Chủ tịch UBND xã Phước Hưng");
        assert_eq!(position("Giám đốc Sở Nội vụ", "Sở Nội vụ tỉnh Gia Lai"), "Giám đốc Sở Nội vụ tỉnh Gia Lai");
        assert_eq!(position("Trưởng phòng Kinh tế", "Phòng Kinh tế"), "Trưởng phòng Kinh tế");
        assert_eq!(position("Chuyên viên", "Phòng Tư pháp"), "Chuyên viên, Phòng Tư pháp");
        assert_eq!(position("", "UBND xã Phước Hưng"), "UBND xã Phước Hưng");
        assert_eq!(position("Chủ tịch UBND", "UBND huyện Tuy Phước"), "Chủ tịch UBND, UBND huyện Tuy Phước");
    }

    #[test]
    fn citizen_email_carries_the_receipt_and_the_answer() {
        let f = CitizenFacts {
            receipt: "PA-7KQ3-M9XT".into(),
            category: Category::Delay,
            status: Status::Resolved,
            desk: "Bộ phận Một cửa UBND xã Phước Hưng".into(),
            unit: "UBND xã Phước Hưng".into(),
            received_at: Utc.with_ymd_and_hms(2026, 11, 27, 2, 0, 0).unwrap(),
        };
        let r = citizen(
            CitizenKind::Answer,
            Lang::Vi,
            &f,
            "Đã kiểm tra và nhắc nhở cán bộ <b>nghiêm khắc</b>.",
            "http://x/t/PA-7KQ3-M9XT",
        );
        assert!(r.text.contains("Đã kiểm tra và nhắc nhở cán bộ <b>nghiêm khắc</b>."));
        assert!(r.html.contains("&lt;b&gt;") || r.html.contains("&#60;b&#62;"), "HTML is escaped: {}", r.html);
        assert!(r.html.contains("http://x/t/PA-7KQ3-M9XT") && r.subject.contains("PA-7KQ3-M9XT"));
        let got = citizen(CitizenKind::Received, Lang::Vi, &f, "", "http://x/t/PA-7KQ3-M9XT");
        assert!(got.text.contains("Mã tiếp nhận: PA-7KQ3-M9XT") && got.text.contains("giữ kín"));
    }
}
