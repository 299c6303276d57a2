//! Case vocabulary: complaint categories (Decree 61/2018 Art. 5 wording) and statuses.

use crate::i18n::Lang;

/// What a conduct report is about. `Dissatisfied` is not an integrity category: it is the case a
/// "Chưa hài lòng" rating with a comment opens so somebody reads the comment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    PettyCorruption,
    Harassment,
    ExtraDocuments,
    Fixer,
    Delay,
    BuckPassing,
    Misconduct,
    Other,
    Dissatisfied,
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

    pub const ALL: [Category; 9] = [
        Category::PettyCorruption,
        Category::Harassment,
        Category::ExtraDocuments,
        Category::Fixer,
        Category::Delay,
        Category::BuckPassing,
        Category::Misconduct,
        Category::Other,
        Category::Dissatisfied,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Category::PettyCorruption => "petty_corruption",
            Category::Harassment => "harassment",
            Category::ExtraDocuments => "extra_documents",
            Category::Fixer => "fixer",
            Category::Delay => "delay",
            Category::BuckPassing => "buck_passing",
            Category::Misconduct => "misconduct",
            Category::Other => "other",
            Category::Dissatisfied => "dissatisfied",
        }
    }

    pub fn parse(s: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// Lower is more serious; when one rating triggers several categories the most serious wins.
    pub fn severity_rank(self) -> u8 {
        match self {
            Category::PettyCorruption => 0,
            Category::Harassment => 1,
            Category::ExtraDocuments => 2,
            Category::Fixer => 3,
            Category::Delay => 4,
            Category::BuckPassing => 5,
            Category::Misconduct => 6,
            Category::Other => 7,
            Category::Dissatisfied => 8,
        }
    }

    /// Harassment-type reports set the Circular 01 attitude index of the rating to 0.
    pub fn is_harassment_type(self) -> bool {
        matches!(self, Category::Harassment | Category::PettyCorruption | Category::ExtraDocuments)
    }

    pub fn label(self, lang: Lang) -> &'static str {
        let (vi, en) = match self {
            Category::Harassment => ("Cửa quyền, sách nhiễu, gây phiền hà", "Harassment, high-handedness"),
            Category::Delay => ("Kéo dài thời gian giải quyết, hẹn lại nhiều lần", "Delay, repeated postponement"),
            Category::PettyCorruption => {
                ("Đòi chi phí ngoài quy định, tham nhũng vặt", "Unofficial payments, petty corruption")
            }
            Category::ExtraDocuments => ("Yêu cầu giấy tờ ngoài quy định", "Documents beyond the rules"),
            Category::BuckPassing => ("Đùn đẩy, né tránh trách nhiệm", "Passing the buck, evading responsibility"),
            Category::Misconduct => (
                "Ứng xử không phù hợp văn hóa công sở (thô lỗ, uống rượu bia, trang phục…)",
                "Conduct unfit for the office (rudeness, alcohol, dress…)",
            ),
            Category::Fixer => ("Cò giấy tờ, môi giới", "Fixers, brokers"),
            Category::Other => ("Khác", "Other"),
            Category::Dissatisfied => ("Chưa hài lòng", "Not satisfied"),
        };
        match lang {
            Lang::Vi => vi,
            Lang::En => en,
        }
    }
}

/// The most serious of several categories.
pub fn most_serious(cats: impl IntoIterator<Item = Category>) -> Option<Category> {
    cats.into_iter().min_by_key(|c| c.severity_rank())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Received,
    Acknowledged,
    WaitingCitizen,
    Resolved,
    Dismissed,
    Reopened,
}

impl Status {
    pub const ALL: [Status; 6] = [
        Status::Received,
        Status::Acknowledged,
        Status::WaitingCitizen,
        Status::Resolved,
        Status::Dismissed,
        Status::Reopened,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Received => "received",
            Status::Acknowledged => "acknowledged",
            Status::WaitingCitizen => "waiting_citizen",
            Status::Resolved => "resolved",
            Status::Dismissed => "dismissed",
            Status::Reopened => "reopened",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|c| c.as_str() == s)
    }

    pub fn label(self, lang: Lang) -> &'static str {
        let (vi, en) = match self {
            Status::Received => ("Đã tiếp nhận", "Received"),
            Status::Acknowledged => ("Đã xác nhận, đang xử lý", "Acknowledged, being handled"),
            Status::WaitingCitizen => ("Chờ người dân bổ sung", "Waiting for your information"),
            Status::Resolved => ("Đã giải quyết", "Resolved"),
            Status::Dismissed => ("Không xử lý (có nêu lý do)", "Not pursued (reason given)"),
            Status::Reopened => ("Mở lại", "Reopened"),
        };
        match lang {
            Lang::Vi => vi,
            Lang::En => en,
        }
    }

    pub fn is_closed(self) -> bool {
        matches!(self, Status::Resolved | Status::Dismissed)
    }
}

/// Why a case was closed without action on its substance (Decree 61/2018 practice).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Dismissal {
    /// Không đúng sự thật: the Circular 01 attitude index then disregards the report.
    FoundUntrue,
    Duplicate,
    InsufficientInformation,
    NotCompetent,
}

impl Dismissal {
    pub const ALL: [Dismissal; 4] =
        [Dismissal::FoundUntrue, Dismissal::Duplicate, Dismissal::InsufficientInformation, Dismissal::NotCompetent];

    pub fn as_str(self) -> &'static str {
        match self {
            Dismissal::FoundUntrue => "found_untrue",
            Dismissal::Duplicate => "duplicate",
            Dismissal::InsufficientInformation => "insufficient_information",
            Dismissal::NotCompetent => "not_competent",
        }
    }

    pub fn parse(s: &str) -> Option<Dismissal> {
        Dismissal::ALL.into_iter().find(|d| d.as_str() == s)
    }

    pub fn label(self, lang: Lang) -> &'static str {
        let (vi, en) = match self {
            Dismissal::FoundUntrue => ("Không đúng sự thật", "Found untrue"),
            Dismissal::Duplicate => ("Trùng với phản ánh khác", "Duplicate of another report"),
            Dismissal::InsufficientInformation => ("Không đủ thông tin để xử lý", "Not enough information to act on"),
            Dismissal::NotCompetent => ("Không thuộc thẩm quyền", "Outside our competence"),
        };
        if lang == Lang::Vi { vi } else { en }
    }
}

/// What a handler can do from a case page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Act {
    Acknowledge,
    Resolve,
    RequestInfo,
    RequestExplanation,
    Dismiss,
    Forward,
    Escalate,
}

impl Act {
    pub const ALL: [Act; 7] = [
        Act::Acknowledge,
        Act::Resolve,
        Act::RequestInfo,
        Act::RequestExplanation,
        Act::Dismiss,
        Act::Forward,
        Act::Escalate,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Act::Acknowledge => "acknowledge",
            Act::Resolve => "resolve",
            Act::RequestInfo => "request_info",
            Act::RequestExplanation => "request_explanation",
            Act::Dismiss => "dismiss",
            Act::Forward => "forward",
            Act::Escalate => "escalate",
        }
    }

    pub fn parse(s: &str) -> Option<Act> {
        Act::ALL.into_iter().find(|a| a.as_str() == s)
    }

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
        Act::ALL.into_iter().filter(|a| a.next(from).is_some()).collect()
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
        for a in Act::ALL {
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
        for d in Dismissal::ALL {
            assert_eq!(Dismissal::parse(d.as_str()), Some(d));
        }
    }

    #[test]
    fn names_round_trip() {
        for c in Category::ALL {
            assert_eq!(Category::parse(c.as_str()), Some(c));
        }
        for s in Status::ALL {
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
