//! Case vocabulary: complaint categories (Decree 61/2018 Art. 5 wording), statuses, dismissal
//! outcomes, handler actions, log event kinds, link roles, texts and verdicts; and the state machine.

crate::vocabulary! {
    /// What a conduct report is about (Decree 61/2018 Art. 5 wording). `Dissatisfied` is not an
    /// integrity category: it is the case a "Chưa hài lòng" rating with a comment opens so somebody
    /// reads the comment.
    pub enum Category {
        PettyCorruption = "petty_corruption"
            => ("Đòi chi phí ngoài quy định, tham nhũng vặt", "Unofficial payments, petty corruption"),
        Harassment = "harassment" => ("Cửa quyền, sách nhiễu, gây phiền hà", "Harassment, high-handedness"),
        ExtraDocuments = "extra_documents" => ("Yêu cầu giấy tờ ngoài quy định", "Documents beyond the rules"),
        Fixer = "fixer" => ("Cò giấy tờ, môi giới", "Fixers, brokers"),
        Delay = "delay" => ("Kéo dài thời gian giải quyết, hẹn lại nhiều lần", "Delay, repeated postponement"),
        BuckPassing = "buck_passing" => ("Đùn đẩy, né tránh trách nhiệm", "Passing the buck, evading responsibility"),
        Misconduct = "misconduct" => (
            "Ứng xử không phù hợp văn hóa công sở (thô lỗ, uống rượu bia, trang phục…)",
            "Conduct unfit for the office (rudeness, alcohol, dress…)"
        ),
        Other = "other" => ("Khác", "Other"),
        Dissatisfied = "dissatisfied" => ("Chưa hài lòng", "Not satisfied"),
    }
}

impl Category {
    /// The categories a citizen can choose in a report, in the order shown.
    pub const REPORTABLE: [Category; 8] = [
        Category::Harassment,
        Category::Delay,
        Category::PettyCorruption,
        Category::ExtraDocuments,
        Category::BuckPassing,
        Category::Misconduct,
        Category::Fixer,
        Category::Other,
    ];

    /// Lower is more serious; when one rating triggers several categories the most serious wins.
    /// The declaration order is the order of seriousness.
    pub fn severity_rank(self) -> u8 {
        self as u8
    }

    /// Harassment-type reports set the Circular 01 attitude index of the rating to 0.
    pub fn is_harassment_type(self) -> bool {
        matches!(self, Category::Harassment | Category::PettyCorruption | Category::ExtraDocuments)
    }
}

/// The most serious of several categories.
pub fn most_serious(cats: impl IntoIterator<Item = Category>) -> Option<Category> {
    cats.into_iter().min_by_key(|c| c.severity_rank())
}

crate::vocabulary! {
    /// Where a case stands (docs/domain.md §2: tiếp nhận → đã xác nhận → chờ người dân bổ sung → đã giải quyết /
    /// không xử lý → mở lại).
    pub enum Status {
        Received = "received" => ("Đã tiếp nhận", "Received"),
        Acknowledged = "acknowledged" => ("Đã xác nhận, đang xử lý", "Acknowledged, being handled"),
        WaitingCitizen = "waiting_citizen" => ("Chờ người dân bổ sung", "Waiting for your information"),
        Resolved = "resolved" => ("Đã giải quyết", "Resolved"),
        Dismissed = "dismissed" => ("Không xử lý (có nêu lý do)", "Not pursued (reason given)"),
        Reopened = "reopened" => ("Mở lại", "Reopened"),
    }
}

impl Status {
    pub fn is_closed(self) -> bool {
        matches!(self, Status::Resolved | Status::Dismissed)
    }
}

crate::vocabulary! {
    /// Why a case was closed without action on its substance (Decree 61/2018 practice).
    /// `FoundUntrue` (không đúng sự thật): the Circular 01 attitude index then disregards the report.
    pub enum Dismissal {
        FoundUntrue = "found_untrue" => ("Không đúng sự thật", "Found untrue"),
        Duplicate = "duplicate" => ("Trùng với phản ánh khác", "Duplicate of another report"),
        InsufficientInformation = "insufficient_information"
            => ("Không đủ thông tin để xử lý", "Not enough information to act on"),
        NotCompetent = "not_competent" => ("Không thuộc thẩm quyền", "Outside our competence"),
    }
}

crate::vocabulary! {
    /// What a handler can do from a case page.
    pub enum Act {
        Acknowledge = "acknowledge",
        Resolve = "resolve",
        RequestInfo = "request_info",
        RequestExplanation = "request_explanation",
        Dismiss = "dismiss",
        Forward = "forward",
        Escalate = "escalate",
    }
}

impl Act {
    /// The status an action leads to (forwarding and escalating keep the status: they are events).
    pub fn next(self, from: Status) -> Option<Status> {
        use Status::*;
        let open = matches!(from, Received | Acknowledged | Reopened | WaitingCitizen);
        match self {
            Act::Acknowledge => matches!(from, Received | Reopened).then_some(Acknowledged),
            Act::Resolve => open.then_some(Resolved),
            Act::Dismiss => open.then_some(Dismissed),
            Act::RequestInfo => matches!(from, Received | Acknowledged | Reopened).then_some(WaitingCitizen),
            Act::RequestExplanation | Act::Forward | Act::Escalate => open.then_some(from),
        }
    }

    /// Actions open to a handler in a status, in the order the page shows them.
    pub fn available(from: Status) -> Vec<Act> {
        Act::ALL.iter().copied().filter(|a| a.next(from).is_some()).collect()
    }
}

crate::vocabulary! {
    /// What an entry of a case's log records. The log keeps the code; pages show the words.
    pub enum EventKind {
        Received = "received" => ("Đã tiếp nhận phản ánh", "Report received"),
        Routed = "routed" => ("Đã chuyển tới người có thẩm quyền xử lý", "Sent to the person competent to handle it"),
        RoutingFailed = "routing_failed" => ("Chưa xác định được người xử lý", "No handler could be found"),
        Assigned = "assigned" => ("Đã giao người xử lý", "Assigned to a handler"),
        Acknowledged = "acknowledged" => ("Đã xác nhận tiếp nhận", "Acknowledged"),
        InfoRequested = "info_requested" => ("Đề nghị người dân bổ sung thông tin", "More information requested"),
        CitizenReplied = "citizen_replied" => ("Người dân đã bổ sung thông tin", "The citizen replied"),
        Resolved = "resolved" => ("Đã giải quyết", "Resolved"),
        Dismissed = "dismissed" => ("Không xử lý (có nêu lý do)", "Not pursued (reason given)"),
        Reminder = "reminder" => ("Nhắc việc", "Reminder"),
        DeadlineMissed = "deadline_missed" => ("Quá hạn", "Deadline missed"),
        OverdueAtTop = "overdue_at_top" => ("Quá hạn ở cấp cao nhất", "Overdue at the top level"),
        EscalationRequested = "escalation_requested" => ("Yêu cầu chuyển lên cấp trên", "Escalation requested"),
        Escalated = "escalated" => ("Đã chuyển lên cấp trên", "Escalated to the level above"),
        ForwardRequested = "forward_requested" => ("Yêu cầu chuyển đơn vị", "Forward requested"),
        Forwarded = "forwarded" => ("Đã chuyển tới đơn vị khác", "Forwarded to another unit"),
        ExplanationRequested = "explanation_requested" => ("Đề nghị cán bộ giải trình", "Explanation requested"),
        ExplanationReceived = "explanation_received" => ("Cán bộ đã giải trình", "Explanation received"),
        CitizenSatisfied = "citizen_satisfied" => ("Người dân hài lòng với kết quả", "The citizen is satisfied"),
        CitizenNotSatisfied = "citizen_not_satisfied"
            => ("Người dân chưa hài lòng với kết quả", "The citizen is not satisfied"),
        Reopened = "reopened" => ("Mở lại do người dân chưa hài lòng", "Reopened: the citizen was not satisfied"),
        ContactErased = "contact_erased" => ("Đã xóa thông tin liên hệ", "Contact details erased"),
    }
}

impl EventKind {
    /// Whether the citizen's tracking page shows this step (internal ones — reminders, requests
    /// for an explanation — it does not).
    pub fn is_public(self) -> bool {
        use EventKind::*;
        matches!(
            self,
            Received
                | Routed
                | Assigned
                | Acknowledged
                | InfoRequested
                | CitizenReplied
                | Resolved
                | Dismissed
                | DeadlineMissed
                | Escalated
                | Forwarded
                | Reopened
                | CitizenSatisfied
                | CitizenNotSatisfied
                | ContactErased
        )
    }
}

crate::vocabulary! {
    /// What an emailed link lets its holder do.
    pub enum LinkRole {
        /// The handler: reads everything they may and acts.
        Handler = "handler" => ("Người xử lý", "Handler"),
        /// Informed or copied: reads, does not act.
        Observer = "observer" => ("Để biết (chỉ xem)", "For information (read only)"),
        /// The officer concerned: reads the allegation (never who made it) and writes an explanation.
        Explainer = "explainer" => ("Cán bộ được đề nghị giải trình", "Officer asked to explain"),
    }
}

crate::vocabulary! {
    /// The texts a case gathers, kept outside its log (which holds only their digests).
    pub enum TextKind {
        /// The handler's answer, or the reason for not pursuing the case.
        Answer = "answer" => ("Trả lời / lý do", "Answer / reason"),
        Question = "question" => ("Câu hỏi gửi người dân", "Question to the citizen"),
        Reply = "reply" => ("Người dân trả lời", "The citizen's reply"),
        Explanation = "explanation" => ("Giải trình của cán bộ", "The officer's explanation"),
        /// Why the citizen was not satisfied with the answer (optional).
        Appeal = "appeal" => ("Lý do người dân chưa hài lòng", "Why the citizen was not satisfied"),
    }
}

crate::vocabulary! {
    /// The citizen's rating of the answer to their case.
    pub enum Verdict {
        Satisfied = "satisfied" => ("Hài lòng", "Satisfied"),
        NotSatisfied = "not_satisfied" => ("Chưa hài lòng", "Not satisfied"),
    }
}

/// The citizen's answer to a request for information resumes the clocks.
pub fn after_citizen_reply(from: Status) -> Option<Status> {
    (from == Status::WaitingCitizen).then_some(Status::Acknowledged)
}

/// The citizen's verdict on an answer: dissatisfied reopens the case (and sends it one level up).
pub fn after_verdict(from: Status, satisfied: bool) -> Option<Status> {
    match (from, satisfied) {
        (Status::Resolved | Status::Dismissed, true) => Some(from),
        (Status::Resolved | Status::Dismissed, false) => Some(Status::Reopened),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_state_machine() {
        use Status::*;
        assert_eq!(Act::Acknowledge.next(Received), Some(Acknowledged));
        assert_eq!(Act::Acknowledge.next(Acknowledged), None, "acknowledging twice is refused");
        assert_eq!(Act::RequestInfo.next(Acknowledged), Some(WaitingCitizen));
        assert_eq!(Act::RequestInfo.next(WaitingCitizen), None);
        assert_eq!(Act::Resolve.next(WaitingCitizen), Some(Resolved));
        assert_eq!(Act::Escalate.next(Received), Some(Received));
        for &a in Act::ALL {
            assert_eq!(a.next(Resolved), None, "{a:?} on a resolved case");
            assert_eq!(a.next(Dismissed), None);
        }
        assert_eq!(
            Act::available(Reopened),
            vec![
                Act::Acknowledge,
                Act::Resolve,
                Act::RequestInfo,
                Act::RequestExplanation,
                Act::Dismiss,
                Act::Forward,
                Act::Escalate
            ]
        );
        assert_eq!(after_citizen_reply(WaitingCitizen), Some(Acknowledged));
        assert_eq!(after_citizen_reply(Resolved), None);
        assert_eq!(after_verdict(Resolved, false), Some(Reopened));
        assert_eq!(after_verdict(Resolved, true), Some(Resolved));
        assert_eq!(after_verdict(Acknowledged, false), None);
        for &d in Dismissal::ALL {
            assert_eq!(Dismissal::parse(d.as_str()), Some(d));
        }
    }

    #[test]
    fn names_round_trip() {
        for &c in Category::ALL {
            assert_eq!(Category::parse(c.as_str()), Some(c));
        }
        for &s in Status::ALL {
            assert_eq!(Status::parse(s.as_str()), Some(s));
        }
        assert!(!Category::REPORTABLE.contains(&Category::Dissatisfied));
    }

    #[test]
    fn most_serious_wins() {
        assert_eq!(
            most_serious([Category::Dissatisfied, Category::ExtraDocuments, Category::PettyCorruption]),
            Some(Category::PettyCorruption)
        );
        assert_eq!(most_serious([Category::Other, Category::Dissatisfied]), Some(Category::Other));
        assert_eq!(most_serious([]), None);
    }
}
