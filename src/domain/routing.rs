//! Where a case goes: routing around the accused, and the escalation ladder.
//!
//! A conduct report must reach someone who can act on it and who is **not** the person reported
//! (docs/domain.md §4; Law on Denunciation 2018 Art. 12: a report about a unit head or deputy is handled by
//! the head of the level above). Everything here is pure: the organisation comes in as an
//! [`OrgView`], today's date in the [`Request`].
//!
//! The rules, in the order [`ladder`] applies them:
//!
//! 1. The *handling unit* is the reported officer's own unit (staff seconded to a service centre or
//!    another unit's desk stay managed by their own unit), else the desk's unit. A case a head
//!    forwarded ([`Request::handling_unit`]) starts at the unit it was forwarded to.
//! 2. A unit whose head or deputy is the person reported never handles the case (at any rung) and
//!    its shared mailbox is never used: the case goes to the parent unit, or to the oversight unit
//!    when there is no parent. Nor does any unit under it (the accused's subtree: its staff answer
//!    to the accused), as handler, copy or informed unit.
//! 3. A unit whose effective handler cannot receive mail (no active head, head inactive, no usable
//!    address) is passed over: parent, … root, then the oversight unit.
//! 4. A head's delegation to a deputy of the same unit, in force on `today` (inclusive range), makes
//!    that deputy the effective handler; it is ignored when the deputy is the person reported,
//!    inactive, without a usable address, or not a deputy of that unit.
//! 5. The desk unit's effective head is informed when the desk unit is not the rung's unit.
//! 6. Integrity categories copy the oversight unit (its effective head, else its shared mailbox).
//! 7. Nobody who is, or shares an address with, the person reported receives anything; nor does
//!    the shared mailbox of a unit the person reported leads.
//! 8. The ladder: handling unit, each active ancestor, then the oversight unit; a rung that would
//!    repeat an earlier rung's person is skipped, and so is an oversight unit under an earlier
//!    rung's unit (an escalation never goes to someone who answers to the handler it leaves).
//!    When no person at all can receive the case, the first allowed unit mailbox on that path
//!    handles it (and is the only rung). When nothing is allowed, [`fallback`] names who must be
//!    told instead: the nearest independent oversight unit on the desk's or the accused's chain.
//! 9. Parent pointers are followed with a visited set, so cycles end the climb.
//!
//! Every [`Decision`] carries [`Reason`]s: a stable machine `code` for the case log plus words in
//! both languages, so an inspector can follow why each person was (or was not) chosen. Codes:
//! where the case starts: `handling_unit_accused`, `seconded`, `handling_unit_desk`,
//! `handling_unit_forwarded`, `forward_unit_unknown`, `accused_unknown`, `accused_unit_unknown`,
//! `desk_unit_unknown`; the path: `unit_unknown`, `cycle`, `unit_inactive`, `accused_leads_unit`,
//! `accused_subtree`, `oversight_in_chain`, `oversight_inactive`, `oversight_unknown`,
//! `oversight_in_accused_subtree`, `oversight_under_handler`; a unit's people: `no_head`,
//! `head_inactive`, `head_accused`, `no_email`, `email_of_accused`, `email_readable_by_accused`,
//! `delegation`, `delegation_not_in_force`, `delegation_ignored`, `nobody_at_unit`, `same_person`;
//! the handler: `escalated`, `handler_head`, `handler_delegate`, `oversight_handles`,
//! `mailbox_unusable`, `mailbox_fallback`; copies: `no_oversight_unit`, `oversight_copy`,
//! `oversight_copy_mailbox`, `oversight_copy_withheld`, `oversight_is_handler`; informed:
//! `desk_head_informed`, `desk_head_not_informed`, `desk_head_has_copy`.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;

use crate::domain::org::Role;
use crate::i18n::{Lang, Text};
use crate::t;

// ───────────────────────────── Types ─────────────────────────────

/// The part of the organisation routing needs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OrgView {
    pub units: Vec<RUnit>,
    pub officers: Vec<ROfficer>,
    pub delegations: Vec<Delegation>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RUnit {
    pub id: i64,
    pub code: String,
    pub parent: Option<i64>,
    pub oversight: Option<i64>,
    /// The unit's shared mailbox.
    pub email: Option<String>,
    pub active: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ROfficer {
    pub id: i64,
    pub code: String,
    pub unit: i64,
    pub role: Role,
    pub email: Option<String>,
    pub active: bool,
    pub lang: Lang,
}

/// A head lets a deputy act for them over a date range (inclusive).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delegation {
    pub unit: i64,
    pub from_officer: i64,
    pub to_officer: i64,
    pub from: NaiveDate,
    pub until: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// The unit of the desk the report came from.
    pub desk_unit: i64,
    /// The unit a head forwarded the case to: when set (and known), routing starts there instead of
    /// at the unit rule 1 picks. Every rule about the accused still applies.
    pub handling_unit: Option<i64>,
    /// The officer reported, when the citizen named one.
    pub accused: Option<i64>,
    /// Whether the category is an integrity category (copies the oversight unit).
    pub integrity: bool,
    pub today: NaiveDate,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// Must act on the case.
    Handler,
    /// The desk unit's head, told that a case about their desk is handled elsewhere.
    Informed,
    /// The oversight unit's copy of an integrity case.
    Oversight,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Handler => "handler",
            Kind::Informed => "informed",
            Kind::Oversight => "oversight",
        }
    }
}

/// Who receives a case. `officer` is `None` for a unit's shared mailbox (its `lang` is then
/// Vietnamese).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recipient {
    pub officer: Option<i64>,
    pub unit: i64,
    pub email: String,
    pub lang: Lang,
    pub kind: Kind,
}

/// One rung of the ladder: who handles at this level, plus copies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub level: u32,
    pub unit: i64,
    pub handler: Recipient,
    pub informed: Vec<Recipient>,
    pub copies: Vec<Recipient>,
    pub reasons: Vec<Reason>,
}

impl Decision {
    /// Every recipient of this rung: the handler first, then informed, then copies.
    pub fn recipients(&self) -> impl Iterator<Item = &Recipient> {
        std::iter::once(&self.handler).chain(&self.informed).chain(&self.copies)
    }
}

/// Why: a machine code for the case log, and the words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reason {
    pub code: &'static str,
    pub text: Text,
}

impl Reason {
    pub fn new(code: &'static str, text: Text) -> Reason {
        Reason { code, text }
    }
}

// ───────────────────────────── Entry points ─────────────────────────────

/// The whole ladder: level 0 is the first handler, then each escalation step. Never empty when
/// `Ok`. `Err` when nobody at all (person or allowed mailbox) can receive the case.
pub fn ladder(org: &OrgView, req: &Request) -> Result<Vec<Decision>, Text> {
    Cx::new(org, req).ladder()
}

/// The first handler: `ladder()[0]`.
pub fn route(org: &OrgView, req: &Request) -> Result<Decision, Text> {
    let cx = Cx::new(org, req);
    cx.ladder()?.into_iter().next().ok_or_else(|| cx.nobody())
}

/// The rung above `current_level` (`ladder()[current_level + 1]`), `None` at the top or when the
/// case cannot be routed at all. The ladder is recomputed from `org` as it is now.
pub fn escalation(org: &OrgView, req: &Request, current_level: u32) -> Option<Decision> {
    let next = usize::try_from(current_level).ok()?.checked_add(1)?;
    ladder(org, req).ok()?.into_iter().nth(next)
}

/// Who must be told about a case nobody independent can handle (`route` failed): the effective
/// head (else the shared mailbox) of the nearest oversight unit outside the accused's subtree,
/// looking along the desk unit's chain, then the accused's unit's chain. `None` when there is
/// none (only the operator can then be told).
pub fn fallback(org: &OrgView, req: &Request) -> Option<Recipient> {
    let cx = Cx::new(org, req);
    let mut chains = vec![cx.chain(req.desk_unit)];
    if let Some(a) = cx.accused {
        chains.push(cx.chain(a.unit));
    }
    for chain in chains {
        for u in chain {
            let Some(o) = u.oversight.and_then(|o| cx.units.get(&o).copied()) else { continue };
            if !o.active || cx.in_subtree(o.id) {
                continue;
            }
            let mut notes = Vec::new();
            if let Some(p) = cx.person_at(o, &mut notes) {
                return Some(Recipient {
                    officer: Some(p.officer.id),
                    unit: o.id,
                    email: p.email,
                    lang: p.officer.lang,
                    kind: Kind::Oversight,
                });
            }
            if let Ok(email) = cx.mailbox(o) {
                return Some(Recipient { officer: None, unit: o.id, email, lang: Lang::Vi, kind: Kind::Oversight });
            }
        }
    }
    None
}

// ───────────────────────────── The rules ─────────────────────────────

/// Where a unit sits on the path the ladder climbs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    Handling,
    Ancestor,
    Oversight,
}

/// Why an address cannot be used.
enum Unusable {
    Missing,
    /// The person reported's own address.
    Accused,
    /// The shared mailbox of a unit the person reported leads (code of that unit).
    Readable(String),
}

/// The effective handler of a unit.
struct Pick<'a> {
    officer: &'a ROfficer,
    email: String,
    /// The head this deputy acts for.
    delegated_by: Option<&'a ROfficer>,
}

struct Cx<'a> {
    org: &'a OrgView,
    req: &'a Request,
    units: HashMap<i64, &'a RUnit>,
    officers: HashMap<i64, &'a ROfficer>,
    /// Heads of each unit (active or not), by id.
    heads: HashMap<i64, Vec<&'a ROfficer>>,
    accused: Option<&'a ROfficer>,
    /// The units under the unit the accused heads or deputises: their people answer to the
    /// accused, so none of them handles, is copied or is informed.
    subtree: HashSet<i64>,
    /// Normalised addresses that must never be used, with the unit whose mailbox it is (`None`:
    /// the accused's own address).
    forbidden: Vec<(String, Option<String>)>,
}

fn norm(email: &str) -> String {
    email.trim().to_lowercase()
}

fn same(a: &Recipient, b: &Recipient) -> bool {
    (a.officer.is_some() && a.officer == b.officer) || norm(&a.email) == norm(&b.email)
}

/// How the effective handler of a unit stands there: the head, or a deputy acting for them.
fn acting(p: &Pick) -> (String, String) {
    match p.delegated_by {
        Some(h) => (format!("cấp phó thay người đứng đầu {}", h.code), format!("deputy acting for head {}", h.code)),
        None => ("người đứng đầu".into(), "head".into()),
    }
}

fn role_words(role: Role) -> (&'static str, &'static str) {
    match role {
        Role::Head => ("người đứng đầu", "head"),
        Role::Deputy => ("cấp phó", "deputy"),
        Role::Staff => ("công chức", "staff member"),
    }
}

impl<'a> Cx<'a> {
    fn new(org: &'a OrgView, req: &'a Request) -> Cx<'a> {
        let mut units = HashMap::new();
        for u in &org.units {
            units.entry(u.id).or_insert(u);
        }
        let mut officers = HashMap::new();
        let mut heads: HashMap<i64, Vec<&ROfficer>> = HashMap::new();
        for o in &org.officers {
            officers.entry(o.id).or_insert(o);
            if o.role == Role::Head {
                heads.entry(o.unit).or_default().push(o);
            }
        }
        for hs in heads.values_mut() {
            hs.sort_by_key(|h| h.id);
        }
        let accused = req.accused.and_then(|id| officers.get(&id).copied());
        let mut forbidden = Vec::new();
        if let Some(a) = accused {
            if let Some(e) = a.email.as_deref().map(norm).filter(|e| !e.is_empty()) {
                forbidden.push((e, None));
            }
            if matches!(a.role, Role::Head | Role::Deputy)
                && let Some(u) = units.get(&a.unit)
                && let Some(e) = u.email.as_deref().map(norm).filter(|e| !e.is_empty())
            {
                forbidden.push((e, Some(u.code.clone())));
            }
        }
        let mut cx = Cx { org, req, units, officers, heads, accused, forbidden, subtree: HashSet::new() };
        if let Some(a) = accused.filter(|a| matches!(a.role, Role::Head | Role::Deputy)) {
            let led = a.unit;
            // Strictly under: the unit itself is rule 2's (it never handles, but its head may be
            // told about a deputy).
            cx.subtree = org
                .units
                .iter()
                .map(|u| u.id)
                .filter(|&id| id != led && cx.chain(id).iter().any(|u| u.id == led))
                .collect();
        }
        cx
    }

    /// A unit and its ancestors, nearest first (a cycle ends the walk).
    fn chain(&self, start: i64) -> Vec<&'a RUnit> {
        let mut out: Vec<&RUnit> = Vec::new();
        let mut cur = Some(start);
        while let Some(id) = cur {
            let Some(u) = self.units.get(&id).copied() else { break };
            if out.iter().any(|x| x.id == id) {
                break;
            }
            out.push(u);
            cur = u.parent;
        }
        out
    }

    /// Whether `unit` is `top` or under it.
    fn under(&self, unit: i64, top: i64) -> bool {
        self.chain(unit).iter().any(|u| u.id == top)
    }

    /// Whether `unit` is in the accused's subtree (rule 2).
    fn in_subtree(&self, unit: i64) -> bool {
        self.subtree.contains(&unit)
    }

    fn subtree_reason(&self, u: &RUnit) -> Reason {
        let unit = &u.code;
        let who = self.accused.map(|a| a.code.as_str()).unwrap_or("?");
        let led = self.accused.map(|a| self.unit_name(a.unit)).unwrap_or_default();
        Reason::new(
            "accused_subtree",
            t!(
                "Đơn vị {unit} trực thuộc đơn vị {led} do người bị phản ánh ({who}) lãnh đạo: cán bộ ở đây không độc lập \
                 với người bị phản ánh nên không nhận phản ánh này.",
                "Unit {unit} is under unit {led}, which the person reported ({who}) leads: its people are not \
                 independent of the person reported, so they do not receive this case."
            ),
        )
    }

    fn desk_name(&self) -> String {
        match self.units.get(&self.req.desk_unit) {
            Some(u) => u.code.clone(),
            None => format!("#{}", self.req.desk_unit),
        }
    }

    fn officer_name(&self, id: i64) -> String {
        match self.officers.get(&id) {
            Some(o) => o.code.clone(),
            None => format!("#{id}"),
        }
    }

    fn unit_name(&self, id: i64) -> String {
        match self.units.get(&id) {
            Some(u) => u.code.clone(),
            None => format!("#{id}"),
        }
    }

    fn nobody(&self) -> Text {
        let desk = self.desk_name();
        if let Some(a) = self.accused.filter(|a| matches!(a.role, Role::Head | Role::Deputy)) {
            let (who, unit) = (&a.code, self.unit_name(a.unit));
            return t!(
                "Không có người xử lý độc lập cho phản ánh từ quầy của đơn vị {desk}: người bị phản ánh ({who}) lãnh đạo \
                 đơn vị {unit}; đơn vị này, các đơn vị trực thuộc và các đơn vị giám sát nằm trong đó đều không được \
                 nhận, và không có cấp trên hay đơn vị giám sát nào khác nhận được. Cần giao phản ánh bằng tay \
                 (hailong case assign) và khai báo đơn vị giám sát độc lập (ví dụ thanh tra cấp trên).",
                "No independent handler for a report from the desk of unit {desk}: the person reported ({who}) leads \
                 unit {unit}; that unit, the units under it and any oversight unit inside it may not receive it, and \
                 no other level above or oversight unit can. Assign it by hand (hailong case assign) and set an \
                 independent oversight unit (e.g. the inspectorate of the level above)."
            );
        }
        t!(
            "Không có ai nhận được phản ánh từ quầy của đơn vị {desk}: không có người đứng đầu nào (hoặc người \
             được ủy quyền) có địa chỉ thư dùng được trên đường chuyển cấp, cũng không có hộp thư chung nào được \
             phép dùng. Hãy bổ sung địa chỉ thư cho lãnh đạo đơn vị hoặc cấp trên.",
            "Nobody can receive a report from the desk of unit {desk}: no head (or delegate) with a usable email \
             address on the escalation path, and no unit mailbox that may be used. Add an email address for the \
             unit's leaders or the level above."
        )
    }

    fn is_accused(&self, o: &ROfficer) -> bool {
        self.req.accused == Some(o.id)
    }

    /// Whether the person reported is the head or a deputy of the unit (rule 2, Art. 12).
    fn leads(&self, unit: i64) -> bool {
        self.accused.is_some_and(|a| a.unit == unit && matches!(a.role, Role::Head | Role::Deputy))
    }

    fn email_ok(&self, email: Option<&str>) -> Result<String, Unusable> {
        let e = email.map(str::trim).filter(|e| !e.is_empty()).ok_or(Unusable::Missing)?;
        let n = norm(e);
        match self.forbidden.iter().find(|(f, _)| *f == n) {
            Some((_, None)) => Err(Unusable::Accused),
            Some((_, Some(unit))) => Err(Unusable::Readable(unit.clone())),
            None => Ok(e.to_string()),
        }
    }

    /// Why an officer's address is not used.
    fn officer_email_reason(&self, o: &ROfficer, problem: Unusable) -> Reason {
        let who = &o.code;
        let unit = self.unit_name(o.unit);
        let (role_vi, role_en) = role_words(o.role);
        match problem {
            Unusable::Missing => Reason::new(
                "no_email",
                t!(
                    "{who} ({role_vi} đơn vị {unit}) không có địa chỉ thư.",
                    "{who} ({role_en} of unit {unit}) has no email address."
                ),
            ),
            Unusable::Accused => Reason::new(
                "email_of_accused",
                t!(
                    "Địa chỉ thư của {who} ({role_vi} đơn vị {unit}) trùng với địa chỉ thư của người bị phản ánh nên \
                     không được dùng.",
                    "The email address of {who} ({role_en} of unit {unit}) is the reported person's own address, so \
                     it is not used."
                ),
            ),
            Unusable::Readable(mailbox) => Reason::new(
                "email_readable_by_accused",
                t!(
                    "Địa chỉ thư của {who} ({role_vi} đơn vị {unit}) là hộp thư chung của đơn vị {mailbox}, nơi người \
                     bị phản ánh là lãnh đạo và có thể đọc, nên không được dùng.",
                    "The email address of {who} ({role_en} of unit {unit}) is the shared mailbox of unit {mailbox}, \
                     which the reported person leads and may read, so it is not used."
                ),
            ),
        }
    }

    /// A unit's shared mailbox, or why it may not be used.
    fn mailbox(&self, u: &RUnit) -> Result<String, Reason> {
        let unit = &u.code;
        if self.leads(u.id) {
            return Err(Reason::new(
                "mailbox_unusable",
                t!(
                    "Không dùng hộp thư chung của đơn vị {unit}: người bị phản ánh là lãnh đạo đơn vị này và có thể \
                     đọc hộp thư đó.",
                    "The shared mailbox of unit {unit} is not used: the reported person leads that unit and may read \
                     it."
                ),
            ));
        }
        self.email_ok(u.email.as_deref()).map_err(|p| {
            let (vi, en) = match p {
                Unusable::Missing => ("đơn vị không có hộp thư chung", "the unit has no shared mailbox".to_string()),
                Unusable::Accused => (
                    "hộp thư này cũng là địa chỉ thư của người bị phản ánh",
                    "it is also the reported person's own address".to_string(),
                ),
                Unusable::Readable(_) => {
                    ("người bị phản ánh có thể đọc hộp thư này", "the reported person may read it".to_string())
                }
            };
            Reason::new(
                "mailbox_unusable",
                t!(
                    "Không dùng hộp thư chung của đơn vị {unit}: {vi}.",
                    "The shared mailbox of unit {unit} is not used: {en}."
                ),
            )
        })
    }

    /// The effective handler of a unit: a deputy under a delegation in force, else the active head
    /// (rules 3, 4, 7). `None`, with notes saying why, when nobody there can receive the case.
    fn person_at(&self, u: &RUnit, notes: &mut Vec<Reason>) -> Option<Pick<'a>> {
        let unit = &u.code;
        let heads = self.heads.get(&u.id).map(Vec::as_slice).unwrap_or(&[]);
        let active: Vec<&'a ROfficer> = heads.iter().copied().filter(|h| h.active).collect();
        if active.is_empty() {
            if heads.is_empty() {
                notes.push(Reason::new(
                    "no_head",
                    t!("Đơn vị {unit} chưa có người đứng đầu.", "Unit {unit} has no head on record."),
                ));
            }
            for h in heads {
                let who = &h.code;
                notes.push(Reason::new(
                    "head_inactive",
                    t!(
                        "Người đứng đầu đơn vị {unit} ({who}) không còn hoạt động.",
                        "The head of unit {unit} ({who}) is inactive."
                    ),
                ));
            }
            return None;
        }
        if let Some(h) = active.iter().find(|h| self.is_accused(h)) {
            let who = &h.code;
            notes.push(Reason::new(
                "head_accused",
                t!(
                    "Người đứng đầu đơn vị {unit} ({who}) là người bị phản ánh nên không nhận phản ánh này, kể cả qua \
                     người được ủy quyền.",
                    "The head of unit {unit} ({who}) is the person reported, so neither they nor their delegate \
                     receive this case."
                ),
            ));
            return None;
        }
        if let Some(p) = self.delegate(u, &active, notes) {
            return Some(p);
        }
        for h in active {
            match self.email_ok(h.email.as_deref()) {
                Ok(email) => return Some(Pick { officer: h, email, delegated_by: None }),
                Err(p) => notes.push(self.officer_email_reason(h, p)),
            }
        }
        None
    }

    /// The deputy acting for an active head of `u` today, if any (rule 4). Of several valid
    /// delegations the most recently started wins.
    fn delegate(&self, u: &RUnit, heads: &[&'a ROfficer], notes: &mut Vec<Reason>) -> Option<Pick<'a>> {
        let today = self.req.today;
        let unit = &u.code;
        let mut best: Option<(&Delegation, Pick<'a>)> = None;
        for d in self.org.delegations.iter().filter(|d| d.unit == u.id) {
            let from = self.officer_name(d.from_officer);
            let to = self.officer_name(d.to_officer);
            let (start, end) = (d.from, d.until);
            let Some(head) = heads.iter().copied().find(|h| h.id == d.from_officer) else {
                if start <= today && today <= end {
                    notes.push(Reason::new(
                        "delegation_ignored",
                        t!(
                            "Bỏ qua ủy quyền từ {from} cho {to}: {from} không phải người đứng đầu đang hoạt động của \
                             đơn vị {unit}.",
                            "Delegation from {from} to {to} ignored: {from} is not an active head of unit {unit}."
                        ),
                    ));
                }
                continue;
            };
            if today < start || today > end {
                notes.push(Reason::new(
                    "delegation_not_in_force",
                    t!(
                        "Ủy quyền từ {from} cho {to} (từ {start} đến hết {end}) không có hiệu lực vào ngày {today}.",
                        "Delegation from {from} to {to} ({start} to {end} inclusive) is not in force on {today}."
                    ),
                ));
                continue;
            }
            let deputy = self.officers.get(&d.to_officer).copied();
            let problem: Option<(String, String)> = match deputy {
                None => Some(("người nhận không có trong danh sách cán bộ".into(), "no such officer".into())),
                Some(o) if o.unit != u.id || o.role != Role::Deputy => Some((
                    format!("{to} không phải cấp phó của đơn vị {unit}"),
                    format!("{to} is not a deputy of unit {unit}"),
                )),
                Some(o) if self.is_accused(o) => {
                    Some((format!("{to} là người bị phản ánh"), format!("{to} is the person reported")))
                }
                Some(o) if !o.active => Some((format!("{to} không còn hoạt động"), format!("{to} is inactive"))),
                Some(o) => match self.email_ok(o.email.as_deref()) {
                    Ok(email) => {
                        if best.as_ref().is_none_or(|(b, _)| d.from > b.from) {
                            best = Some((d, Pick { officer: o, email, delegated_by: Some(head) }));
                        }
                        None
                    }
                    Err(Unusable::Missing) => {
                        Some((format!("{to} không có địa chỉ thư"), format!("{to} has no email address")))
                    }
                    Err(Unusable::Accused) => Some((
                        format!("địa chỉ thư của {to} là của người bị phản ánh"),
                        format!("the email address of {to} is the reported person's"),
                    )),
                    Err(Unusable::Readable(m)) => Some((
                        format!("địa chỉ thư của {to} là hộp thư chung của đơn vị {m}, người bị phản ánh đọc được"),
                        format!(
                            "the email address of {to} is the shared mailbox of unit {m}, which the reported person may read"
                        ),
                    )),
                },
            };
            if let Some((vi, en)) = problem {
                notes.push(Reason::new(
                    "delegation_ignored",
                    t!(
                        "Bỏ qua ủy quyền từ {from} cho {to} đang có hiệu lực: {vi}; người đứng đầu nhận thay.",
                        "Delegation from {from} to {to}, though in force, is ignored: {en}; the head receives instead."
                    ),
                ));
            }
        }
        let (d, pick) = best?;
        let (from, to, start, end) = (self.officer_name(d.from_officer), &pick.officer.code, d.from, d.until);
        notes.push(Reason::new(
            "delegation",
            t!(
                "{from}, người đứng đầu đơn vị {unit}, đã ủy quyền cho cấp phó {to} từ {start} đến hết {end}; ủy \
                 quyền có hiệu lực vào ngày {today} nên {to} nhận thay (không gửi thêm cho {from}).",
                "{from}, head of unit {unit}, delegated to deputy {to} from {start} to {end} inclusive; the \
                 delegation is in force on {today}, so {to} receives instead ({from} is not also sent it)."
            ),
        ));
        Some(pick)
    }

    /// Rule 1: the handling unit.
    fn handling_unit(&self, notes: &mut Vec<Reason>) -> Result<i64, Text> {
        let desk = self.desk_name();
        if let Some(f) = self.req.handling_unit {
            let unit = self.unit_name(f);
            if self.units.contains_key(&f) {
                notes.push(Reason::new(
                    "handling_unit_forwarded",
                    t!(
                        "Phản ánh đã được chuyển cho đơn vị {unit}: phản ánh được xét từ đơn vị này (vẫn không gửi cho \
                         người bị phản ánh).",
                        "The case was forwarded to unit {unit}: routing starts from that unit (the person reported \
                         still receives nothing)."
                    ),
                ));
                return Ok(f);
            }
            notes.push(Reason::new(
                "forward_unit_unknown",
                t!(
                    "Không tìm thấy đơn vị {unit} được chuyển đến; xét như phản ánh chưa được chuyển.",
                    "The unit the case was forwarded to ({unit}) is not in the organisation; routing as if not \
                     forwarded."
                ),
            ));
        }
        if let Some(id) = self.req.accused {
            match self.accused {
                Some(a) if self.units.contains_key(&a.unit) => {
                    let (who, unit) = (&a.code, self.unit_name(a.unit));
                    let (role_vi, role_en) = role_words(a.role);
                    notes.push(Reason::new(
                        "handling_unit_accused",
                        t!(
                            "Người bị phản ánh là {who}, {role_vi} đơn vị {unit}: phản ánh được xét từ đơn vị quản \
                             lý cán bộ này (đơn vị {unit}).",
                            "The person reported is {who}, {role_en} of unit {unit}: routing starts from the unit \
                             that manages this officer (unit {unit})."
                        ),
                    ));
                    if a.unit != self.req.desk_unit {
                        notes.push(Reason::new(
                            "seconded",
                            t!(
                                "{who} làm việc tại quầy của đơn vị {desk} nhưng vẫn do đơn vị {unit} quản lý, nên \
                                 phản ánh được xét từ đơn vị {unit}, không phải đơn vị {desk}.",
                                "{who} works at the desk of unit {desk} but is still managed by unit {unit}, so \
                                 routing starts from unit {unit}, not unit {desk}."
                            ),
                        ));
                    }
                    return Ok(a.unit);
                }
                Some(a) => {
                    let (who, unit) = (&a.code, a.unit);
                    notes.push(Reason::new(
                        "accused_unit_unknown",
                        t!(
                            "Không tìm thấy đơn vị #{unit} của người bị phản ánh {who}; dùng đơn vị của quầy.",
                            "Unit #{unit} of the reported person {who} is not in the organisation; using the desk's \
                             unit."
                        ),
                    ));
                }
                None => notes.push(Reason::new(
                    "accused_unknown",
                    t!(
                        "Không tìm thấy cán bộ #{id} bị phản ánh trong danh sách; dùng đơn vị của quầy (và vẫn không \
                         gửi cho cán bộ #{id}).",
                        "The reported officer #{id} is not in the organisation; using the desk's unit (and officer \
                         #{id} still receives nothing)."
                    ),
                )),
            }
        }
        if !self.units.contains_key(&self.req.desk_unit) {
            return Err(t!(
                "Không tìm thấy đơn vị {desk} của quầy nhận phản ánh trong tổ chức.",
                "The desk's unit {desk} is not in the organisation."
            ));
        }
        notes.push(Reason::new(
            "handling_unit_desk",
            t!(
                "Phản ánh không nêu cán bộ cụ thể: đơn vị của quầy ({desk}) xử lý.",
                "The report names no officer: the desk's unit ({desk}) handles it."
            ),
        ));
        Ok(self.req.desk_unit)
    }

    /// The path the ladder climbs (handling unit, its ancestors, then the oversight unit), and the
    /// oversight unit the integrity copies go to.
    fn path(&self, start: i64, notes: &mut Vec<Reason>) -> (Vec<(&'a RUnit, Step)>, Option<&'a RUnit>) {
        let mut out: Vec<(&RUnit, Step)> = Vec::new();
        let mut seen = HashSet::new();
        let mut cur = Some(start);
        let mut step = Step::Handling;
        while let Some(id) = cur {
            if !seen.insert(id) {
                let unit = self.unit_name(id);
                notes.push(Reason::new(
                    "cycle",
                    t!(
                        "Quan hệ cấp trên của đơn vị {unit} tạo thành vòng lặp; dừng lên cấp tại đây.",
                        "The parent links reach unit {unit} again (a cycle); the climb stops here."
                    ),
                ));
                break;
            }
            let Some(u) = self.units.get(&id).copied() else {
                notes.push(Reason::new(
                    "unit_unknown",
                    t!("Không tìm thấy đơn vị cấp trên #{id}.", "Parent unit #{id} is not in the organisation."),
                ));
                break;
            };
            out.push((u, step));
            step = Step::Ancestor;
            cur = u.parent;
        }
        // Every usable oversight unit along the path, nearest first: the first receives integrity
        // copies; each becomes a rung in turn (the ladder skips one under an earlier handler).
        let mut oversights: Vec<&RUnit> = Vec::new();
        for (u, _) in &out {
            let Some(o) = u.oversight else { continue };
            let unit = &u.code;
            match self.units.get(&o).copied() {
                Some(ou) if oversights.iter().any(|x| x.id == ou.id) => {}
                Some(ou) if ou.active && self.in_subtree(ou.id) => {
                    let ov = &ou.code;
                    notes.push(Reason::new(
                        "oversight_in_accused_subtree",
                        t!(
                            "Đơn vị giám sát {ov} của đơn vị {unit} trực thuộc đơn vị do người bị phản ánh lãnh đạo nên \
                             không độc lập; tìm tiếp ở cấp trên.",
                            "Oversight unit {ov} of unit {unit} is under the unit the person reported leads, so it is \
                             not independent; looking further up."
                        ),
                    ));
                }
                Some(ou) if ou.active => oversights.push(ou),
                Some(ou) => {
                    let ov = &ou.code;
                    notes.push(Reason::new(
                        "oversight_inactive",
                        t!(
                            "Đơn vị giám sát {ov} của đơn vị {unit} không còn hoạt động; tìm tiếp ở cấp trên.",
                            "Oversight unit {ov} of unit {unit} is inactive; looking further up."
                        ),
                    ));
                }
                None => notes.push(Reason::new(
                    "oversight_unknown",
                    t!(
                        "Không tìm thấy đơn vị giám sát #{o} của đơn vị {unit}.",
                        "Oversight unit #{o} of unit {unit} is not in the organisation."
                    ),
                )),
            }
        }
        for o in &oversights {
            if seen.contains(&o.id) {
                let ov = &o.code;
                notes.push(Reason::new(
                    "oversight_in_chain",
                    t!(
                        "Đơn vị giám sát {ov} đã nằm trên đường chuyển cấp nên không thêm nấc giám sát riêng.",
                        "Oversight unit {ov} is already on the escalation path, so it gets no separate rung."
                    ),
                ));
            } else {
                out.push((o, Step::Oversight));
            }
        }
        (out, oversights.first().copied())
    }

    fn ladder(&self) -> Result<Vec<Decision>, Text> {
        let mut pending = Vec::new();
        let start = self.handling_unit(&mut pending)?;
        if !self.units.contains_key(&self.req.desk_unit) {
            let desk = self.desk_name();
            pending.push(Reason::new(
                "desk_unit_unknown",
                t!(
                    "Không tìm thấy đơn vị {desk} của quầy; không thông báo cho đơn vị quầy.",
                    "The desk's unit {desk} is not in the organisation; no desk head is informed."
                ),
            ));
        }
        let (path, oversight) = self.path(start, &mut pending);
        let mut rungs: Vec<Decision> = Vec::new();
        for &(u, step) in &path {
            let unit = &u.code;
            if !u.active {
                pending.push(Reason::new(
                    "unit_inactive",
                    t!("Đơn vị {unit} không còn hoạt động: bỏ qua.", "Unit {unit} is inactive: passed over."),
                ));
                continue;
            }
            if self.leads(u.id) {
                pending.push(self.leads_reason(u));
                continue;
            }
            if self.in_subtree(u.id) {
                pending.push(self.subtree_reason(u));
                continue;
            }
            if step == Step::Oversight
                && let Some(above) = rungs.iter().find(|r| self.under(u.id, r.unit))
            {
                let above = self.unit_name(above.unit);
                pending.push(Reason::new(
                    "oversight_under_handler",
                    t!(
                        "Đơn vị giám sát {unit} trực thuộc đơn vị {above}, nơi đã xử lý ở cấp trước: không chuyển lên cấp \
                         dưới của người xử lý trước.",
                        "Oversight unit {unit} is under unit {above}, which handled at an earlier level: an escalation \
                         never goes to someone who answers to the handler it leaves."
                    ),
                ));
                continue;
            }
            let mut notes = Vec::new();
            let Some(pick) = self.person_at(u, &mut notes) else {
                pending.append(&mut notes);
                pending.push(Reason::new(
                    "nobody_at_unit",
                    t!(
                        "Không ai ở đơn vị {unit} nhận được phản ánh: chuyển lên cấp tiếp theo.",
                        "Nobody at unit {unit} can receive the case: moving to the next level."
                    ),
                ));
                continue;
            };
            let handler = Recipient {
                officer: Some(pick.officer.id),
                unit: u.id,
                email: pick.email.clone(),
                lang: pick.officer.lang,
                kind: Kind::Handler,
            };
            if let Some(prev) = rungs.iter().find(|r| same(&r.handler, &handler)) {
                let (who, level) = (&pick.officer.code, prev.level);
                pending.append(&mut notes);
                pending.push(Reason::new(
                    "same_person",
                    t!(
                        "{who} (đơn vị {unit}) là cùng người (hoặc cùng địa chỉ thư) đã nhận ở cấp {level}: bỏ qua nấc \
                         này.",
                        "{who} (unit {unit}) is the same person (or address) as at level {level}: this rung is skipped."
                    ),
                ));
                continue;
            }
            let level = rungs.len() as u32;
            let mut reasons = Vec::new();
            if let Some(prev) = rungs.last() {
                let (p, prev_unit, prev_who) =
                    (prev.level, self.unit_name(prev.unit), self.officer_name(prev.handler.officer.unwrap_or(0)));
                reasons.push(Reason::new(
                    "escalated",
                    t!(
                        "Cấp {level} của thang chuyển cấp: khi cấp {p} ({prev_who}, đơn vị {prev_unit}) không xử lý \
                         đúng hạn, phản ánh chuyển lên đơn vị {unit}.",
                        "Escalation level {level}: when level {p} ({prev_who}, unit {prev_unit}) does not act in \
                         time, the case moves up to unit {unit}."
                    ),
                ));
            }
            reasons.append(&mut pending);
            reasons.append(&mut notes);
            let who = &pick.officer.code;
            match pick.delegated_by {
                Some(head) => {
                    let head = &head.code;
                    reasons.push(Reason::new(
                        "handler_delegate",
                        t!(
                            "Người xử lý: {who}, cấp phó đơn vị {unit}, thay người đứng đầu {head}.",
                            "Handler: {who}, deputy of unit {unit}, acting for the head {head}."
                        ),
                    ));
                }
                None => reasons.push(Reason::new(
                    "handler_head",
                    t!("Người xử lý: {who}, người đứng đầu đơn vị {unit}.", "Handler: {who}, head of unit {unit}."),
                )),
            }
            if step == Step::Oversight {
                reasons.push(Reason::new(
                    "oversight_handles",
                    t!(
                        "Đơn vị {unit} là đơn vị giám sát: nhận xử lý khi các cấp quản lý không thể nhận hoặc không \
                         xử lý.",
                        "Unit {unit} is the oversight unit: it handles the case when the line of management cannot \
                         or does not."
                    ),
                ));
            }
            rungs.push(self.decision(level, u, handler, reasons, oversight));
        }
        if rungs.is_empty() {
            for &(u, _) in &path {
                if !u.active || self.in_subtree(u.id) {
                    continue;
                }
                match self.mailbox(u) {
                    Ok(email) => {
                        let unit = &u.code;
                        let mut reasons = std::mem::take(&mut pending);
                        reasons.push(Reason::new(
                            "mailbox_fallback",
                            t!(
                                "Không có người đứng đầu nào trên đường chuyển cấp nhận được phản ánh: gửi vào hộp \
                                 thư chung của đơn vị {unit}.",
                                "No head on the escalation path can receive the case: it goes to the shared \
                                 mailbox of unit {unit}."
                            ),
                        ));
                        let handler =
                            Recipient { officer: None, unit: u.id, email, lang: Lang::Vi, kind: Kind::Handler };
                        rungs.push(self.decision(0, u, handler, reasons, oversight));
                        break;
                    }
                    Err(r) => pending.push(r),
                }
            }
        }
        if rungs.is_empty() {
            return Err(self.nobody());
        }
        Ok(rungs)
    }

    fn leads_reason(&self, u: &RUnit) -> Reason {
        let unit = &u.code;
        let (who, role) = self.accused.map(|a| (a.code.as_str(), a.role)).unwrap_or(("?", Role::Staff));
        let (role_vi, role_en) = role_words(role);
        Reason::new(
            "accused_leads_unit",
            t!(
                "Người bị phản ánh ({who}) là {role_vi} đơn vị {unit}. Phản ánh về người đứng đầu hoặc cấp phó do \
                 người đứng đầu cấp trên xử lý (Điều 12 Luật Tố cáo 2018), nên không giao cho đơn vị {unit} và không \
                 dùng hộp thư chung của đơn vị này.",
                "The person reported ({who}) is the {role_en} of unit {unit}. A report about a unit head or deputy is \
                 handled by the head of the level above (Law on Denunciation 2018, Art. 12), so unit {unit} does not \
                 handle it and its shared mailbox is not used."
            ),
        )
    }

    fn decision(
        &self,
        level: u32,
        unit: &RUnit,
        handler: Recipient,
        mut reasons: Vec<Reason>,
        oversight: Option<&RUnit>,
    ) -> Decision {
        let copies = self.copies(unit, &handler, oversight, &mut reasons);
        let informed = self.informed(unit, &handler, &copies, &mut reasons);
        Decision { level, unit: unit.id, handler, informed, copies, reasons }
    }

    /// Rule 6: the oversight copy of an integrity case.
    fn copies(
        &self,
        unit: &RUnit,
        handler: &Recipient,
        oversight: Option<&RUnit>,
        reasons: &mut Vec<Reason>,
    ) -> Vec<Recipient> {
        if !self.req.integrity {
            return Vec::new();
        }
        let Some(o) = oversight else {
            reasons.push(Reason::new(
                "no_oversight_unit",
                t!(
                    "Phản ánh thuộc nhóm liêm chính nhưng không có đơn vị giám sát nào được khai báo cho đơn vị xử lý \
                     hoặc cấp trên của nó: không gửi bản sao giám sát.",
                    "An integrity case, but no oversight unit is set for the handling unit or its ancestors: no \
                     oversight copy."
                ),
            ));
            return Vec::new();
        };
        let ov = &o.code;
        if o.id == unit.id {
            return Vec::new(); // `oversight_handles` already says so.
        }
        if self.in_subtree(o.id) {
            reasons.push(Reason::new(
                "oversight_copy_withheld",
                t!(
                    "Đơn vị giám sát {ov} trực thuộc đơn vị do người bị phản ánh lãnh đạo: không gửi bản sao giám sát.",
                    "Oversight unit {ov} is under the unit the person reported leads: no oversight copy."
                ),
            ));
            return Vec::new();
        }
        let mut notes = Vec::new();
        let copy = match self.person_at(o, &mut notes) {
            Some(p) => {
                let who = &p.officer.code;
                let (acting_vi, acting_en) = acting(&p);
                notes.push(Reason::new(
                    "oversight_copy",
                    t!(
                        "Phản ánh thuộc nhóm liêm chính: gửi bản sao cho đơn vị giám sát {ov} ({who}, {acting_vi}).",
                        "An integrity case: a copy goes to oversight unit {ov} ({who}, {acting_en})."
                    ),
                ));
                Recipient {
                    officer: Some(p.officer.id),
                    unit: o.id,
                    email: p.email,
                    lang: p.officer.lang,
                    kind: Kind::Oversight,
                }
            }
            None => match self.mailbox(o) {
                Ok(email) => {
                    notes.push(Reason::new(
                        "oversight_copy_mailbox",
                        t!(
                            "Phản ánh thuộc nhóm liêm chính: không có lãnh đạo nào của đơn vị giám sát {ov} nhận được, \
                             gửi bản sao vào hộp thư chung của đơn vị {ov}.",
                            "An integrity case: no leader of oversight unit {ov} can receive it, so the copy goes to \
                             the shared mailbox of unit {ov}."
                        ),
                    ));
                    Recipient { officer: None, unit: o.id, email, lang: Lang::Vi, kind: Kind::Oversight }
                }
                Err(r) => {
                    reasons.append(&mut notes);
                    reasons.push(r);
                    reasons.push(Reason::new(
                        "oversight_copy_withheld",
                        t!(
                            "Phản ánh thuộc nhóm liêm chính nhưng không ai ở đơn vị giám sát {ov} được phép nhận: \
                             không gửi bản sao giám sát.",
                            "An integrity case, but nobody at oversight unit {ov} may receive it: no oversight copy."
                        ),
                    ));
                    return Vec::new();
                }
            },
        };
        if same(&copy, handler) {
            reasons.push(Reason::new(
                "oversight_is_handler",
                t!(
                    "Người nhận bản sao giám sát của đơn vị {ov} cũng là người xử lý: không gửi bản sao riêng.",
                    "The oversight recipient of unit {ov} is the handler already: no separate copy."
                ),
            ));
            return Vec::new();
        }
        reasons.append(&mut notes);
        vec![copy]
    }

    /// Rule 5: the desk unit's head, when the case is handled elsewhere.
    fn informed(
        &self,
        unit: &RUnit,
        handler: &Recipient,
        copies: &[Recipient],
        reasons: &mut Vec<Reason>,
    ) -> Vec<Recipient> {
        let Some(desk) = self.units.get(&self.req.desk_unit).copied() else { return Vec::new() };
        if desk.id == unit.id {
            return Vec::new();
        }
        let (d, u) = (&desk.code, &unit.code);
        if self.in_subtree(desk.id) {
            reasons.push(Reason::new(
                "desk_head_not_informed",
                t!(
                    "Đơn vị {d} của quầy trực thuộc đơn vị do người bị phản ánh lãnh đạo: không thông báo.",
                    "The desk's unit {d} is under the unit the person reported leads: nobody there is informed."
                ),
            ));
            return Vec::new();
        }
        if !desk.active {
            reasons.push(Reason::new(
                "desk_head_not_informed",
                t!(
                    "Đơn vị {d} của quầy không còn hoạt động: không thông báo.",
                    "The desk's unit {d} is inactive: nobody there is informed."
                ),
            ));
            return Vec::new();
        }
        let mut notes = Vec::new();
        let Some(p) = self.person_at(desk, &mut notes) else {
            reasons.append(&mut notes);
            reasons.push(Reason::new(
                "desk_head_not_informed",
                t!(
                    "Không thông báo cho lãnh đạo đơn vị {d} của quầy: không ai ở đó được phép hoặc có thể nhận.",
                    "The head of the desk's unit {d} is not informed: nobody there may or can receive it."
                ),
            ));
            return Vec::new();
        };
        let r = Recipient {
            officer: Some(p.officer.id),
            unit: desk.id,
            email: p.email.clone(),
            lang: p.officer.lang,
            kind: Kind::Informed,
        };
        if same(&r, handler) {
            return Vec::new();
        }
        let who = &p.officer.code;
        let (acting_vi, acting_en) = acting(&p);
        if copies.iter().any(|c| same(c, &r)) {
            reasons.push(Reason::new(
                "desk_head_has_copy",
                t!(
                    "{who} ({acting_vi} đơn vị {d} của quầy) đã nhận bản sao giám sát: không gửi thông báo riêng.",
                    "{who} ({acting_en} of the desk's unit {d}) already receives the oversight copy: no separate \
                     notice."
                ),
            ));
            return Vec::new();
        }
        reasons.append(&mut notes);
        reasons.push(Reason::new(
            "desk_head_informed",
            t!(
                "Thông báo cho {who} ({acting_vi} đơn vị {d}, nơi đặt quầy) vì phản ánh do đơn vị {u} xử lý.",
                "{who} ({acting_en} of the desk's unit {d}) is informed, because unit {u} handles the case."
            ),
        ));
        vec![r]
    }
}

// ───────────────────────────── Tests ─────────────────────────────

#[cfg(test)]
mod tests {
    use super::*;

    const D: i64 = 1;
    const NV: i64 = 2;
    const C1: i64 = 3;
    const C2: i64 = 4;
    const SC: i64 = 5;
    const OLD: i64 = 6;
    const TT: i64 = 7;

    const D_HEAD: i64 = 101;
    const D_DEP: i64 = 102;
    const NV_HEAD: i64 = 201;
    const NV_DEP: i64 = 202;
    const C1_HEAD: i64 = 301;
    const C1_DEP: i64 = 302;
    const C1_STAFF: i64 = 303;
    const C1_SECONDED: i64 = 304;
    const C2_HEAD: i64 = 401;
    const C2_DEP: i64 = 402;
    const C2_SHARED: i64 = 404;
    const SC_HEAD: i64 = 501;
    const SC_STAFF: i64 = 502;
    const TT_HEAD: i64 = 701;

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap()
    }

    fn unit(id: i64, code: &str, parent: Option<i64>, oversight: Option<i64>, email: Option<&str>) -> RUnit {
        RUnit { id, code: code.into(), parent, oversight, email: email.map(Into::into), active: true }
    }

    fn off(id: i64, code: &str, unit: i64, role: Role, email: Option<&str>) -> ROfficer {
        ROfficer { id, code: code.into(), unit, role, email: email.map(Into::into), active: true, lang: Lang::Vi }
    }

    /// A district without a province above it, like the demo: district D (root, overseen by its
    /// Phòng Nội vụ NV), NV, communes C1 and C2, a public-service centre SC staffed partly by C1
    /// officers, and an inactive former unit OLD. C2's head uses the commune's shared mailbox as
    /// their address, and C2 staff member C2-04 does too.
    fn org() -> OrgView {
        use Role::*;
        let units = vec![
            unit(D, "D", None, Some(NV), Some("ubnd@d.example")),
            unit(NV, "NV", Some(D), None, Some("noivu@d.example")),
            unit(C1, "C1", Some(D), Some(NV), Some("c1@d.example")),
            unit(C2, "C2", Some(D), Some(NV), Some("c2@d.example")),
            unit(SC, "SC", Some(D), Some(NV), Some("tthcc@d.example")),
            RUnit { active: false, ..unit(OLD, "OLD", Some(D), Some(NV), Some("old@d.example")) },
        ];
        let mut officers = vec![
            off(D_HEAD, "D-01", D, Head, Some("d.head@d.example")),
            off(D_DEP, "D-02", D, Deputy, Some("d.deputy@d.example")),
            off(103, "D-03", D, Staff, Some("d.staff@d.example")),
            off(NV_HEAD, "NV-01", NV, Head, Some("nv.head@d.example")),
            off(NV_DEP, "NV-02", NV, Deputy, Some("nv.deputy@d.example")),
            off(203, "NV-03", NV, Staff, None),
            off(C1_HEAD, "C1-01", C1, Head, Some("c1.head@d.example")),
            off(C1_DEP, "C1-02", C1, Deputy, Some("c1.deputy@d.example")),
            off(C1_STAFF, "C1-03", C1, Staff, Some("c1.staff@d.example")),
            off(C1_SECONDED, "C1-04", C1, Staff, Some("c1.seconded@d.example")),
            ROfficer { active: false, ..off(305, "C1-05", C1, Staff, Some("c1.former@d.example")) },
            off(C2_HEAD, "C2-01", C2, Head, Some("c2@d.example")),
            off(C2_DEP, "C2-02", C2, Deputy, Some("c2.deputy@d.example")),
            off(403, "C2-03", C2, Staff, None),
            off(C2_SHARED, "C2-04", C2, Staff, Some("C2@D.Example")),
            off(SC_HEAD, "SC-01", SC, Head, Some("tthcc.head@d.example")),
            off(SC_STAFF, "SC-02", SC, Staff, Some("tthcc.staff@d.example")),
            off(601, "OLD-01", OLD, Head, Some("old.head@d.example")),
        ];
        officers[3].lang = Lang::En; // NV-01 reads English mail
        OrgView { units, officers, delegations: Vec::new() }
    }

    fn req(desk: i64, accused: Option<i64>) -> Request {
        Request { desk_unit: desk, handling_unit: None, accused, integrity: false, today: day(3, 10) }
    }

    fn officer_mut(org: &mut OrgView, id: i64) -> &mut ROfficer {
        org.officers.iter_mut().find(|o| o.id == id).unwrap()
    }

    fn unit_mut(org: &mut OrgView, id: i64) -> &mut RUnit {
        org.units.iter_mut().find(|u| u.id == id).unwrap()
    }

    fn codes(d: &Decision) -> Vec<&'static str> {
        d.reasons.iter().map(|r| r.code).collect()
    }

    fn has(d: &Decision, code: &str) -> bool {
        d.reasons.iter().any(|r| r.code == code)
    }

    fn handlers(l: &[Decision]) -> Vec<Option<i64>> {
        l.iter().map(|d| d.handler.officer).collect()
    }

    fn informed(d: &Decision) -> Vec<Option<i64>> {
        d.informed.iter().map(|r| r.officer).collect()
    }

    fn delegation(unit: i64, from: i64, to: i64, start: NaiveDate, end: NaiveDate) -> Delegation {
        Delegation { unit, from_officer: from, to_officer: to, from: start, until: end }
    }

    #[test]
    fn staff_accused_goes_to_own_head() {
        let d = route(&org(), &req(C1, Some(C1_STAFF))).unwrap();
        assert_eq!(d.level, 0);
        assert_eq!(d.unit, C1);
        assert_eq!(d.handler.officer, Some(C1_HEAD));
        assert_eq!(d.handler.email, "c1.head@d.example");
        assert_eq!(d.handler.kind, Kind::Handler);
        assert!(d.informed.is_empty() && d.copies.is_empty());
        assert_eq!(codes(&d), ["handling_unit_accused", "handler_head"]);
    }

    #[test]
    fn no_accused_goes_to_desk_head() {
        let d = route(&org(), &req(SC, None)).unwrap();
        assert_eq!((d.unit, d.handler.officer), (SC, Some(SC_HEAD)));
        assert!(has(&d, "handling_unit_desk"));
    }

    #[test]
    fn head_accused_goes_to_parent_head() {
        let d = route(&org(), &req(C1, Some(C1_HEAD))).unwrap();
        assert_eq!((d.unit, d.handler.officer), (D, Some(D_HEAD)));
        assert!(has(&d, "accused_leads_unit"));
        // The desk's head is the accused: not informed.
        assert!(d.informed.is_empty());
        assert!(has(&d, "head_accused") && has(&d, "desk_head_not_informed"));
        let text = &d.reasons.iter().find(|r| r.code == "accused_leads_unit").unwrap().text;
        assert!(text.vi.contains("Điều 12") && text.en.contains("Art. 12"), "{text}");
    }

    #[test]
    fn deputy_accused_goes_to_parent_head_and_informs_own_head() {
        let d = route(&org(), &req(C1, Some(C1_DEP))).unwrap();
        assert_eq!((d.unit, d.handler.officer), (D, Some(D_HEAD)));
        assert!(has(&d, "accused_leads_unit"));
        assert_eq!(informed(&d), [Some(C1_HEAD)]);
        assert_eq!(d.informed[0].kind, Kind::Informed);
    }

    /// The base organisation plus an inspectorate TT outside the district (a province body, say),
    /// set as the district's oversight.
    fn with_outside_oversight() -> OrgView {
        let mut o = org();
        o.units.push(unit(TT, "TT", None, None, Some("thanhtra@p.example")));
        o.officers.push(off(TT_HEAD, "TT-01", TT, Role::Head, Some("tt.head@p.example")));
        unit_mut(&mut o, D).oversight = Some(TT);
        o
    }

    #[test]
    fn accused_at_the_top_with_an_independent_oversight_unit() {
        let o = with_outside_oversight();
        let d = route(&o, &req(D, Some(D_HEAD))).unwrap();
        assert_eq!((d.unit, d.handler.officer), (TT, Some(TT_HEAD)));
        assert!(has(&d, "accused_leads_unit") && has(&d, "oversight_handles"));
        // The district's Nội vụ office works under the accused: never a handler, copy or informed.
        let l = ladder(&o, &Request { integrity: true, ..req(C1, Some(D_HEAD)) }).unwrap();
        assert_eq!(handlers(&l), [Some(TT_HEAD)]);
        assert!(l[0].copies.is_empty() && l[0].informed.is_empty());
        assert!(has(&l[0], "desk_head_not_informed"), "the commune is under the accused");
    }

    #[test]
    fn accused_at_the_top_without_an_independent_oversight_unit_is_unroutable() {
        // The district's oversight is its own Nội vụ office, under the accused chairman.
        let e = route(&org(), &req(D, Some(D_HEAD))).unwrap_err();
        assert!(e.vi.contains("độc lập") && e.en.contains("independent"), "{e}");
        assert!(route(&org(), &req(C1, Some(D_DEP))).is_err(), "a deputy chairman: the same");
        assert_eq!(fallback(&org(), &req(D, Some(D_HEAD))), None, "nobody to tell but the operator");
    }

    #[test]
    fn unroutable_cases_tell_the_nearest_independent_oversight_unit() {
        // The commune's oversight is outside the district; the district's is inside.
        let mut o = with_outside_oversight();
        unit_mut(&mut o, D).oversight = Some(NV);
        unit_mut(&mut o, C1).oversight = Some(TT);
        let r = req(C1, Some(D_HEAD));
        assert!(route(&o, &r).is_err());
        let f = fallback(&o, &r).unwrap();
        assert_eq!((f.unit, f.officer, f.kind), (TT, Some(TT_HEAD), Kind::Oversight));
        // Its head unreachable: its mailbox.
        officer_mut(&mut o, TT_HEAD).active = false;
        assert_eq!(fallback(&o, &r).unwrap().email, "thanhtra@p.example");
    }

    #[test]
    fn escalation_never_goes_below_the_handler_it_leaves() {
        // A commune chairman accused: the district chairman handles; his own Nội vụ office is not
        // the level above him, so the ladder ends with him.
        let l = ladder(&org(), &req(C1, Some(C1_HEAD))).unwrap();
        assert_eq!(handlers(&l), [Some(D_HEAD)]);
        assert_eq!(escalation(&org(), &req(C1, Some(C1_HEAD)), 0), None);
        // With an oversight body outside the district, the case climbs to it.
        let o = with_outside_oversight();
        let l = ladder(&o, &req(C1, Some(C1_HEAD))).unwrap();
        assert_eq!(handlers(&l), [Some(D_HEAD), Some(TT_HEAD)]);
    }

    #[test]
    fn oversight_head_accused_goes_to_its_parent_and_withholds_the_copy() {
        let r = Request { integrity: true, ..req(NV, Some(NV_HEAD)) };
        let l = ladder(&org(), &r).unwrap();
        assert_eq!(handlers(&l), [Some(D_HEAD)]);
        assert!(l[0].copies.is_empty());
        assert!(has(&l[0], "oversight_copy_withheld"));
        assert!(has(&l[0], "oversight_in_chain"));
    }

    #[test]
    fn inactive_or_missing_head_goes_up() {
        let mut o = org();
        officer_mut(&mut o, C1_HEAD).active = false;
        let d = route(&o, &req(C1, Some(C1_STAFF))).unwrap();
        assert_eq!((d.unit, d.handler.officer), (D, Some(D_HEAD)));
        assert!(has(&d, "head_inactive") && has(&d, "nobody_at_unit"));
        // The deputy does not stand in without a delegation.
        assert_ne!(d.handler.officer, Some(C1_DEP));

        let mut o = org();
        o.officers.retain(|x| x.id != SC_HEAD);
        let d = route(&o, &req(SC, Some(SC_STAFF))).unwrap();
        assert_eq!(d.handler.officer, Some(D_HEAD));
        assert!(has(&d, "no_head"));
    }

    #[test]
    fn head_without_email_goes_up() {
        let mut o = org();
        officer_mut(&mut o, C1_HEAD).email = None;
        let d = route(&o, &req(C1, Some(C1_STAFF))).unwrap();
        assert_eq!((d.unit, d.handler.officer), (D, Some(D_HEAD)));
        assert!(has(&d, "no_email"));
        // Blank counts as none.
        officer_mut(&mut o, C1_HEAD).email = Some("  ".into());
        assert_eq!(route(&o, &req(C1, Some(C1_STAFF))).unwrap().handler.officer, Some(D_HEAD));
    }

    #[test]
    fn inactive_unit_is_passed_over() {
        let d = route(&org(), &req(OLD, None)).unwrap();
        assert_eq!((d.unit, d.handler.officer), (D, Some(D_HEAD)));
        assert!(has(&d, "unit_inactive"));
        assert!(has(&d, "desk_head_not_informed"));
    }

    #[test]
    fn integrity_copies_oversight() {
        let r = Request { integrity: true, ..req(C1, Some(C1_STAFF)) };
        let d = route(&org(), &r).unwrap();
        assert_eq!(d.handler.officer, Some(C1_HEAD));
        assert_eq!(d.copies.len(), 1);
        let c = &d.copies[0];
        assert_eq!((c.officer, c.unit, c.kind, c.lang), (Some(NV_HEAD), NV, Kind::Oversight, Lang::En));
        assert!(has(&d, "oversight_copy"));
    }

    #[test]
    fn integrity_copy_falls_back_to_oversight_mailbox() {
        let mut o = org();
        officer_mut(&mut o, NV_HEAD).email = None;
        let r = Request { integrity: true, ..req(C1, Some(C1_STAFF)) };
        let d = route(&o, &r).unwrap();
        assert_eq!(d.copies.len(), 1);
        assert_eq!((d.copies[0].officer, d.copies[0].email.as_str()), (None, "noivu@d.example"));
        assert!(has(&d, "oversight_copy_mailbox"));
        // The oversight unit's deputy is the accused: its head still gets the copy (the deputy is not
        // the head), but its mailbox never would.
        let r = Request { integrity: true, ..req(NV, Some(NV_DEP)) };
        let l = ladder(&org(), &r).unwrap();
        assert_eq!(l[0].handler.officer, Some(D_HEAD));
        assert_eq!(l[0].copies.iter().map(|c| c.officer).collect::<Vec<_>>(), [Some(NV_HEAD)]);
        let mut o = org();
        officer_mut(&mut o, NV_HEAD).email = None;
        let l = ladder(&o, &r).unwrap();
        assert!(l[0].copies.is_empty() && has(&l[0], "oversight_copy_withheld"));
    }

    #[test]
    fn non_integrity_has_no_copy() {
        for accused in [None, Some(C1_STAFF), Some(C1_HEAD), Some(C1_SECONDED)] {
            for d in ladder(&org(), &req(C1, accused)).unwrap() {
                assert!(d.copies.is_empty(), "{accused:?}: {d:?}");
            }
        }
    }

    #[test]
    fn seconded_officer_is_handled_by_own_unit() {
        let d = route(&org(), &req(SC, Some(C1_SECONDED))).unwrap();
        assert_eq!((d.unit, d.handler.officer), (C1, Some(C1_HEAD)));
        assert!(has(&d, "seconded"));
        assert_eq!(informed(&d), [Some(SC_HEAD)]);
        assert!(has(&d, "desk_head_informed"));
    }

    #[test]
    fn delegation_in_force_is_honoured() {
        let mut o = org();
        o.delegations.push(delegation(C1, C1_HEAD, C1_DEP, day(3, 1), day(3, 10)));
        let d = route(&o, &req(C1, Some(C1_STAFF))).unwrap();
        assert_eq!((d.unit, d.handler.officer), (C1, Some(C1_DEP)));
        assert_eq!(d.handler.email, "c1.deputy@d.example");
        assert!(has(&d, "delegation") && has(&d, "handler_delegate"));
        // Inclusive on both ends.
        let d = route(&o, &Request { today: day(3, 1), ..req(C1, Some(C1_STAFF)) }).unwrap();
        assert_eq!(d.handler.officer, Some(C1_DEP));
        // A delegation also stands in when the head has no address.
        officer_mut(&mut o, C1_HEAD).email = None;
        assert_eq!(route(&o, &req(C1, Some(C1_STAFF))).unwrap().handler.officer, Some(C1_DEP));
    }

    #[test]
    fn delegation_not_yet_in_force_is_ignored() {
        let mut o = org();
        o.delegations.push(delegation(C1, C1_HEAD, C1_DEP, day(3, 11), day(3, 20)));
        let d = route(&o, &req(C1, Some(C1_STAFF))).unwrap();
        assert_eq!(d.handler.officer, Some(C1_HEAD));
        assert!(has(&d, "delegation_not_in_force"));
    }

    #[test]
    fn expired_delegation_is_ignored() {
        let mut o = org();
        o.delegations.push(delegation(C1, C1_HEAD, C1_DEP, day(2, 1), day(3, 9)));
        let d = route(&o, &req(C1, Some(C1_STAFF))).unwrap();
        assert_eq!(d.handler.officer, Some(C1_HEAD));
        assert!(has(&d, "delegation_not_in_force"));
    }

    #[test]
    fn delegation_to_unusable_deputy_is_ignored() {
        let mut o = org();
        o.delegations.push(delegation(C1, C1_HEAD, C1_DEP, day(3, 1), day(3, 31)));
        officer_mut(&mut o, C1_DEP).active = false;
        let d = route(&o, &req(C1, Some(C1_STAFF))).unwrap();
        assert_eq!(d.handler.officer, Some(C1_HEAD));
        assert!(has(&d, "delegation_ignored"));

        officer_mut(&mut o, C1_DEP).active = true;
        officer_mut(&mut o, C1_DEP).email = None;
        let d = route(&o, &req(C1, Some(C1_STAFF))).unwrap();
        assert_eq!(d.handler.officer, Some(C1_HEAD));
        assert!(has(&d, "delegation_ignored"));

        // To a staff member, or to another unit's deputy: not a deputy of the unit.
        for to in [C1_STAFF, C2_DEP] {
            let mut o = org();
            o.delegations.push(delegation(C1, C1_HEAD, to, day(3, 1), day(3, 31)));
            let d = route(&o, &req(C1, None)).unwrap();
            assert_eq!(d.handler.officer, Some(C1_HEAD), "to {to}");
            assert!(has(&d, "delegation_ignored"));
        }
    }

    #[test]
    fn delegation_to_accused_deputy() {
        let mut o = org();
        o.delegations.push(delegation(C1, C1_HEAD, C1_DEP, day(3, 1), day(3, 31)));
        // The deputy is accused: their unit does not handle (Art. 12); the head, not the
        // delegate, is the one informed at the desk's unit.
        let d = route(&o, &req(C1, Some(C1_DEP))).unwrap();
        assert_eq!((d.unit, d.handler.officer), (D, Some(D_HEAD)));
        assert_eq!(informed(&d), [Some(C1_HEAD)]);
        let why = d.reasons.iter().find(|r| r.code == "delegation_ignored").unwrap();
        assert!(why.text.en.contains("C1-02 is the person reported"), "{}", why.text);
        // Seen from a desk elsewhere the same: the delegate never receives anything.
        for d in ladder(&o, &req(SC, Some(C1_DEP))).unwrap() {
            assert!(d.recipients().all(|r| r.officer != Some(C1_DEP)));
        }
        // An accused head's delegation is not used either.
        let d = route(&o, &req(C1, Some(C1_HEAD))).unwrap();
        assert_eq!(d.handler.officer, Some(D_HEAD));
        assert!(d.informed.is_empty(), "{d:?}");
    }

    #[test]
    fn accused_sharing_the_heads_address() {
        // C2-04 uses the commune mailbox, which is also the C2 head's address.
        let d = route(&org(), &req(C2, Some(C2_SHARED))).unwrap();
        assert_eq!((d.unit, d.handler.officer), (D, Some(D_HEAD)));
        assert!(has(&d, "email_of_accused"));
        // C2's deputy is accused: the head's address is the mailbox the deputy may read.
        let d = route(&org(), &req(C2, Some(C2_DEP))).unwrap();
        assert_eq!(d.handler.officer, Some(D_HEAD));
        assert!(d.informed.is_empty());
        assert!(has(&d, "email_readable_by_accused"));
    }

    #[test]
    fn unit_mailbox_fallback() {
        let mut o = org();
        for x in &mut o.officers {
            x.email = None;
        }
        let d = route(&o, &req(C1, Some(C1_STAFF))).unwrap();
        assert_eq!((d.handler.officer, d.unit, d.handler.email.as_str()), (None, C1, "c1@d.example"));
        assert!(has(&d, "mailbox_fallback"));
        assert_eq!(ladder(&o, &req(C1, Some(C1_STAFF))).unwrap().len(), 1);
        assert_eq!(escalation(&o, &req(C1, Some(C1_STAFF)), 0), None);
        // The head is accused: never the commune mailbox they may read.
        let d = route(&o, &req(C1, Some(C1_HEAD))).unwrap();
        assert_eq!((d.handler.officer, d.unit, d.handler.email.as_str()), (None, D, "ubnd@d.example"));
        let why = d.reasons.iter().find(|r| r.code == "mailbox_unusable").unwrap();
        assert!(why.text.en.contains("leads that unit"), "{}", why.text);
        // Staff whose own address is the unit mailbox: that mailbox is skipped as well.
        officer_mut(&mut o, C1_STAFF).email = Some("C1@d.example ".into());
        let d = route(&o, &req(C1, Some(C1_STAFF))).unwrap();
        assert_eq!((d.handler.officer, d.unit), (None, D));
    }

    #[test]
    fn nobody_reachable_is_an_error() {
        let mut o = org();
        for x in &mut o.officers {
            x.email = None;
        }
        for u in &mut o.units {
            u.email = None;
        }
        let e = route(&o, &req(C1, Some(C1_STAFF))).unwrap_err();
        assert!(e.vi.contains("C1") && e.en.contains("C1"), "{e}");
        assert!(ladder(&o, &req(C1, None)).is_err());
        assert_eq!(escalation(&o, &req(C1, None), 0), None);
        // An unknown desk unit with nobody named.
        let e = route(&org(), &req(99, None)).unwrap_err();
        assert!(e.en.contains("#99"), "{e}");
    }

    #[test]
    fn full_ladder_for_a_commune_case() {
        let o = org();
        let r = req(C1, Some(C1_STAFF));
        let l = ladder(&o, &r).unwrap();
        // The Nội vụ office is under the district, which handles at level 1: no level 2.
        assert_eq!(handlers(&l), [Some(C1_HEAD), Some(D_HEAD)]);
        assert_eq!(l.iter().map(|d| d.unit).collect::<Vec<_>>(), [C1, D]);
        assert_eq!(l.iter().map(|d| d.level).collect::<Vec<_>>(), [0, 1]);
        assert!(l[0].informed.is_empty());
        // Once the case leaves the commune its head is kept informed.
        assert_eq!(informed(&l[1]), [Some(C1_HEAD)]);
        assert!(has(&l[1], "escalated"));
        assert_eq!(route(&o, &r).unwrap(), l[0]);
        assert_eq!(escalation(&o, &r, 0).unwrap().handler.officer, Some(D_HEAD));
        assert_eq!(escalation(&o, &r, 1), None);
        assert_eq!(escalation(&o, &r, u32::MAX), None);

        // Integrity: the oversight copy on every rung.
        let l = ladder(&o, &Request { integrity: true, ..r }).unwrap();
        let copies: Vec<Vec<Option<i64>>> = l.iter().map(|d| d.copies.iter().map(|c| c.officer).collect()).collect();
        assert_eq!(copies, [vec![Some(NV_HEAD)], vec![Some(NV_HEAD)]]);
    }

    #[test]
    fn same_person_on_two_rungs_is_skipped() {
        let mut o = org();
        officer_mut(&mut o, NV_HEAD).email = Some("D.Head@d.example".into());
        let l = ladder(&o, &req(C1, Some(C1_STAFF))).unwrap();
        assert_eq!(handlers(&l), [Some(C1_HEAD), Some(D_HEAD)]);
        let l = ladder(&o, &Request { integrity: true, ..req(C1, Some(C1_STAFF)) }).unwrap();
        assert!(l[1].copies.is_empty() && has(&l[1], "oversight_is_handler"));
    }

    #[test]
    fn cycles_end() {
        let mut o = org();
        unit_mut(&mut o, D).parent = Some(C1); // D → C1 → D …
        let l = ladder(&o, &req(C1, Some(C1_STAFF))).unwrap();
        assert_eq!(handlers(&l), [Some(C1_HEAD), Some(D_HEAD)]);
        assert!(has(&l[0], "cycle"));

        let mut o = OrgView {
            units: vec![unit(1, "A", Some(2), Some(2), None), unit(2, "B", Some(1), Some(1), None)],
            officers: vec![off(10, "A-01", 1, Role::Staff, Some("a@x.example"))],
            delegations: Vec::new(),
        };
        assert!(ladder(&o, &req(1, Some(10))).is_err());
        unit_mut(&mut o, 1).parent = Some(1);
        assert!(ladder(&o, &req(1, None)).is_err());
    }

    #[test]
    fn forwarded_case_starts_at_the_forward_unit() {
        let r = Request { handling_unit: Some(C2), ..req(C1, Some(C1_STAFF)) };
        let l = ladder(&org(), &r).unwrap();
        assert_eq!(handlers(&l), [Some(C2_HEAD), Some(D_HEAD)]);
        assert_eq!(l[0].unit, C2);
        assert!(has(&l[0], "handling_unit_forwarded"));
        assert_eq!(informed(&l[0]), [Some(C1_HEAD)]);
        // Forwarded back to the unit the accused leads: still routed around them.
        let r = Request { handling_unit: Some(C1), ..req(SC, Some(C1_HEAD)) };
        let d = route(&org(), &r).unwrap();
        assert_eq!(d.handler.officer, Some(D_HEAD));
        assert!(has(&d, "accused_leads_unit"));
        // An unknown forward unit: routed as if not forwarded.
        let r = Request { handling_unit: Some(99), ..req(C1, Some(C1_STAFF)) };
        let d = route(&org(), &r).unwrap();
        assert_eq!(d.handler.officer, Some(C1_HEAD));
        assert!(has(&d, "forward_unit_unknown"));
    }

    #[test]
    fn unknown_accused_still_routes_and_is_excluded() {
        let d = route(&org(), &req(C1, Some(9999))).unwrap();
        assert_eq!(d.handler.officer, Some(C1_HEAD));
        assert!(has(&d, "accused_unknown"));
    }

    /// Orgs that exercise every branch: the base org, with delegations (valid and not), without
    /// any personal address, and with the district's head inactive.
    fn variants() -> Vec<OrgView> {
        let base = org();
        let mut delegated = org();
        delegated.delegations = vec![
            delegation(C1, C1_HEAD, C1_DEP, day(3, 1), day(3, 31)),
            delegation(D, D_HEAD, D_DEP, day(3, 10), day(3, 10)),
            delegation(NV, NV_HEAD, NV_DEP, day(1, 1), day(12, 31)),
            delegation(C2, C2_HEAD, C2_DEP, day(3, 1), day(3, 31)),
            delegation(SC, SC_HEAD, SC_STAFF, day(3, 1), day(3, 31)),
        ];
        let mut no_personal = org();
        for x in &mut no_personal.officers {
            x.email = None;
        }
        let mut district_head_off = org();
        officer_mut(&mut district_head_off, D_HEAD).active = false;
        let mut shared_everywhere = org();
        officer_mut(&mut shared_everywhere, D_HEAD).email = Some("noivu@d.example".into());
        officer_mut(&mut shared_everywhere, SC_HEAD).email = Some("c1.deputy@d.example".into());
        vec![base, delegated, no_personal, district_head_off, shared_everywhere]
    }

    #[test]
    fn the_accused_never_receives_anything() {
        for (n, o) in variants().iter().enumerate() {
            let accused_ids = std::iter::once(None).chain(o.officers.iter().map(|x| Some(x.id)));
            for accused in accused_ids {
                let a = accused.and_then(|id| o.officers.iter().find(|x| x.id == id));
                let leads = |unit: i64| a.is_some_and(|a| a.unit == unit && a.role != Role::Staff);
                let mut forbidden: Vec<String> = Vec::new();
                if let Some(a) = a {
                    forbidden.extend(a.email.as_deref().map(norm));
                    if a.role != Role::Staff {
                        let u = o.units.iter().find(|u| u.id == a.unit).unwrap();
                        forbidden.extend(u.email.as_deref().map(norm));
                    }
                }
                // Strictly under the unit the accused leads, computed here independently.
                let under = |unit: i64, top: i64| {
                    let mut cur = o.units.iter().find(|u| u.id == unit).and_then(|u| u.parent);
                    let mut steps = 0;
                    while let Some(p) = cur {
                        if p == top || steps > o.units.len() {
                            return p == top;
                        }
                        steps += 1;
                        cur = o.units.iter().find(|u| u.id == p).and_then(|u| u.parent);
                    }
                    false
                };
                let in_subtree = |unit: i64| a.is_some_and(|a| a.role != Role::Staff && under(unit, a.unit));
                let units = || o.units.iter().map(|u| u.id);
                for (desk, forwarded) in
                    units().flat_map(|d| std::iter::once(None).chain(units().map(Some)).map(move |f| (d, f)))
                {
                    for integrity in [false, true] {
                        let r = Request {
                            desk_unit: desk,
                            handling_unit: forwarded,
                            accused,
                            integrity,
                            today: day(3, 10),
                        };
                        let ctx = format!(
                            "org {n}, accused {accused:?}, desk {desk}, forwarded {forwarded:?}, integrity {integrity}"
                        );
                        let l = match ladder(o, &r) {
                            Ok(l) => l,
                            Err(e) => {
                                // Nobody with an address, or nobody independent of a leader accused.
                                assert!(n == 2 || a.is_some_and(|a| a.role != Role::Staff), "{ctx}: {e}");
                                if let Some(f) = fallback(o, &r) {
                                    assert!(!in_subtree(f.unit) && !leads(f.unit) || f.officer.is_some(), "{ctx}");
                                    assert!(f.officer.is_none() || f.officer != accused, "{ctx}: accused told");
                                    assert!(!forbidden.contains(&norm(&f.email)), "{ctx}: forbidden address");
                                }
                                continue;
                            }
                        };
                        assert!(!l.is_empty(), "{ctx}");
                        assert_eq!(route(o, &r).as_ref(), Ok(&l[0]), "{ctx}");
                        for (i, d) in l.iter().enumerate() {
                            assert_eq!(d.level as usize, i, "{ctx}");
                            assert_eq!(escalation(o, &r, i as u32), l.get(i + 1).cloned(), "{ctx}");
                            assert_eq!(d.handler.kind, Kind::Handler);
                            assert_eq!(d.handler.unit, d.unit);
                            assert!(d.informed.iter().all(|x| x.kind == Kind::Informed), "{ctx}");
                            assert!(d.copies.iter().all(|x| x.kind == Kind::Oversight), "{ctx}");
                            assert!(!leads(d.unit), "{ctx}: a unit the accused leads handles: {d:?}");
                            assert!(
                                d.recipients().all(|x| !in_subtree(x.unit)),
                                "{ctx}: a unit under the accused: {d:?}"
                            );
                            for prev in &l[..i] {
                                assert!(!under(d.unit, prev.unit), "{ctx}: escalates below an earlier handler {l:?}");
                            }
                            assert!(!d.reasons.is_empty());
                            for x in &d.reasons {
                                assert!(!x.text.vi.is_empty() && !x.text.en.is_empty());
                            }
                            let all: Vec<&Recipient> = d.recipients().collect();
                            for (j, x) in all.iter().enumerate() {
                                assert!(x.officer.is_none() || x.officer != accused, "{ctx}: accused receives {d:?}");
                                assert!(!forbidden.contains(&norm(&x.email)), "{ctx}: forbidden address {d:?}");
                                assert!(x.officer.is_some() || !leads(x.unit), "{ctx}: mailbox of led unit {d:?}");
                                assert!(!x.email.trim().is_empty());
                                for y in &all[j + 1..] {
                                    assert!(!same(x, y), "{ctx}: twice in one rung {d:?}");
                                }
                            }
                            if i > 0 {
                                assert!(!same(&d.handler, &l[i - 1].handler), "{ctx}: rung repeats {l:?}");
                            }
                            for prev in &l[..i] {
                                assert!(!same(&d.handler, &prev.handler), "{ctx}: rung repeats {l:?}");
                            }
                        }
                    }
                }
            }
        }
    }
}
