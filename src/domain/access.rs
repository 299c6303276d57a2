//! Who on the staff console may see and do what: the one place roles become scopes. Pure: the
//! organisation's tree, the signed-in person and today's delegations are passed in.
//!
//! - `admin`: everything.
//! - `oversight` (an account): the units whose `oversight` names its unit, their subtrees, and its
//!   own unit's subtree (cases that reach the oversight unit are handled there).
//! - `head`: their unit's subtree; a head of a unit that oversees others also sees what an
//!   oversight account of that unit sees.
//! - `deputy`: the cases assigned to them; while a delegation of their head is in force, what
//!   the head sees.
//! - `viewer`: reports only, of their unit's subtree (or the whole organisation without a unit).
//!
//! Whatever the role, a case whose officer concerned (the accused) is the signed-in officer is
//! not there for them: not listed, not counted, not found.

use std::collections::{BTreeSet, HashMap};

crate::vocabulary! {
    /// A console role.
    pub enum StaffRole {
        Admin = "admin" => ("quản trị", "administrator"),
        Oversight = "oversight" => ("giám sát", "oversight"),
        Head = "head" => ("người đứng đầu", "head"),
        Deputy = "deputy" => ("cấp phó", "deputy"),
        Viewer = "viewer" => ("chỉ xem báo cáo", "reports only"),
    }
}

/// A unit as the rules need it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnitNode {
    pub id: i64,
    pub parent: Option<i64>,
    pub oversight: Option<i64>,
}

/// The organisation's tree.
#[derive(Debug, Clone, Default)]
pub struct Tree {
    children: HashMap<i64, Vec<i64>>,
    overseen_by: HashMap<i64, Vec<i64>>,
}

impl Tree {
    pub fn new(units: impl IntoIterator<Item = UnitNode>) -> Tree {
        let mut t = Tree::default();
        for u in units {
            if let Some(p) = u.parent {
                t.children.entry(p).or_default().push(u.id);
            }
            if let Some(o) = u.oversight {
                t.overseen_by.entry(o).or_default().push(u.id);
            }
        }
        t
    }

    /// `unit` and every unit under it.
    pub fn subtree(&self, unit: i64) -> BTreeSet<i64> {
        let mut out = BTreeSet::new();
        let mut stack = vec![unit];
        while let Some(u) = stack.pop() {
            // A cycle cannot come from an import (it is refused), but must not hang a page either.
            if out.insert(u) {
                stack.extend(self.children.get(&u).into_iter().flatten());
            }
        }
        out
    }

    /// What an oversight unit watches: the units naming it and their subtrees, and its own.
    pub fn overseen(&self, unit: i64) -> BTreeSet<i64> {
        let mut out = self.subtree(unit);
        for u in self.overseen_by.get(&unit).into_iter().flatten() {
            out.extend(self.subtree(*u));
        }
        out
    }

    /// Whether any unit names `unit` as its oversight.
    pub fn oversees_any(&self, unit: i64) -> bool {
        self.overseen_by.get(&unit).is_some_and(|v| !v.is_empty())
    }
}

/// The signed-in person, as the rules need them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub role: StaffRole,
    pub unit: Option<i64>,
    /// The officer of the organisation file this person is, if any.
    pub officer: Option<i64>,
    /// Units whose head has delegated to this person for today.
    pub delegated: Vec<i64>,
}

/// Which cases a person sees.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseScope {
    /// `None`: every unit. Otherwise a case is seen when its desk's unit or its handling unit is
    /// one of these…
    pub units: Option<BTreeSet<i64>>,
    /// …or it is assigned to this officer.
    pub assigned_to: Option<i64>,
    /// Never a case about this officer.
    pub not_about: Option<i64>,
}

/// What a case is, as the rules need it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CaseFacts {
    pub desk_unit: i64,
    pub handler_unit: Option<i64>,
    pub handler_officer: Option<i64>,
    pub accused: Option<i64>,
}

impl CaseScope {
    /// Sees nothing (the viewer's case scope).
    pub fn nothing() -> CaseScope {
        CaseScope { units: Some(BTreeSet::new()), assigned_to: None, not_about: None }
    }

    pub fn is_empty(&self) -> bool {
        self.units.as_ref().is_some_and(BTreeSet::is_empty) && self.assigned_to.is_none()
    }

    pub fn sees(&self, c: &CaseFacts) -> bool {
        if self.not_about.is_some() && c.accused == self.not_about {
            return false;
        }
        let by_unit = match &self.units {
            None => true,
            Some(units) => units.contains(&c.desk_unit) || c.handler_unit.is_some_and(|u| units.contains(&u)),
        };
        by_unit || (self.assigned_to.is_some() && c.handler_officer == self.assigned_to)
    }
}

/// The cases a person sees.
pub fn case_scope(p: &Person, tree: &Tree) -> CaseScope {
    let units = |own: Option<i64>, oversee: bool| -> Option<BTreeSet<i64>> {
        let mut set = BTreeSet::new();
        if let Some(u) = own {
            set = if oversee { tree.overseen(u) } else { tree.subtree(u) };
        }
        Some(set)
    };
    let mut scope = match p.role {
        StaffRole::Admin => CaseScope { units: None, assigned_to: None, not_about: None },
        StaffRole::Oversight => CaseScope { units: units(p.unit, true), assigned_to: None, not_about: None },
        StaffRole::Head => {
            let oversee = p.unit.is_some_and(|u| tree.oversees_any(u));
            CaseScope { units: units(p.unit, oversee), assigned_to: p.officer, not_about: None }
        }
        StaffRole::Deputy => {
            let mut set = BTreeSet::new();
            for u in &p.delegated {
                set.extend(if tree.oversees_any(*u) { tree.overseen(*u) } else { tree.subtree(*u) });
            }
            CaseScope { units: Some(set), assigned_to: p.officer, not_about: None }
        }
        StaffRole::Viewer => return CaseScope::nothing(),
    };
    scope.not_about = p.officer;
    scope
}

/// Whose reports a person reads: `None` = the whole organisation; otherwise the top unit and
/// whether it is read as an oversight unit (its own subtree and everything it oversees).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportScope {
    Whole,
    Unit(i64),
    Oversight(i64),
}

pub fn report_scope(p: &Person, tree: &Tree) -> Option<ReportScope> {
    let unit_or_whole = |u: Option<i64>| u.map_or(ReportScope::Whole, ReportScope::Unit);
    Some(match p.role {
        StaffRole::Admin => ReportScope::Whole,
        StaffRole::Oversight => ReportScope::Oversight(p.unit?),
        StaffRole::Head | StaffRole::Deputy => {
            let u = p.unit?;
            if tree.oversees_any(u) { ReportScope::Oversight(u) } else { ReportScope::Unit(u) }
        }
        StaffRole::Viewer => unit_or_whole(p.unit),
    })
}

/// Whether a person may act on a case they see (the viewer never sees one). Admin and oversight
/// act as the supervising office; a deputy without a delegation acts on what is assigned to them.
pub fn may_act(p: &Person, scope: &CaseScope, c: &CaseFacts) -> bool {
    p.role != StaffRole::Viewer && scope.sees(c)
}

/// Whether a person is the case's current handler: the handling officer, or the head (or a
/// delegated deputy) of the handling unit. Only they see the complainant's contact details
/// (with consent), as on the handler's emailed link.
pub fn is_handler(p: &Person, c: &CaseFacts) -> bool {
    if p.officer.is_some() && c.accused == p.officer {
        return false;
    }
    if p.officer.is_some() && c.handler_officer == p.officer {
        return true;
    }
    let Some(h) = c.handler_unit else { return false };
    match p.role {
        StaffRole::Head => p.unit == Some(h),
        StaffRole::Deputy => p.delegated.contains(&h),
        _ => false,
    }
}

/// Units whose organisation pages a person may read: `None` = all.
pub fn org_units(p: &Person, tree: &Tree) -> Option<BTreeSet<i64>> {
    let own = |u: Option<i64>| -> BTreeSet<i64> {
        match u {
            Some(u) if tree.oversees_any(u) => tree.overseen(u),
            Some(u) => tree.subtree(u),
            None => BTreeSet::new(),
        }
    };
    match p.role {
        StaffRole::Admin => None,
        StaffRole::Oversight => Some(p.unit.map(|u| tree.overseen(u)).unwrap_or_default()),
        StaffRole::Head => Some(own(p.unit)),
        StaffRole::Deputy => {
            let mut set = own(p.unit);
            for u in &p.delegated {
                set.extend(own(Some(*u)));
            }
            Some(set)
        }
        StaffRole::Viewer => Some(BTreeSet::new()),
    }
}

/// Whether a person may change a unit's desks, deactivate its officers and desks, and manage its
/// delegations: an admin anywhere; a head within their own unit's subtree.
pub fn may_edit_unit(p: &Person, tree: &Tree, unit: i64) -> bool {
    match p.role {
        StaffRole::Admin => true,
        StaffRole::Head => p.unit.is_some_and(|own| tree.subtree(own).contains(&unit)),
        _ => false,
    }
}

/// Whether a person keeps the whole deployment's settings (calendars) and assigns cases nobody
/// could be found for: admin and oversight (the oversight office is told of those cases).
pub fn may_operate(p: &Person) -> bool {
    matches!(p.role, StaffRole::Admin | StaffRole::Oversight)
}

#[cfg(test)]
mod tests {
    use super::*;

    // 1 province ─┬─ 2 commune A ── 4 service centre of A
    //             ├─ 3 commune B
    //             └─ 5 Sở Nội vụ (oversight of 2 and 3)
    fn tree() -> Tree {
        Tree::new([
            UnitNode { id: 1, parent: None, oversight: None },
            UnitNode { id: 2, parent: Some(1), oversight: Some(5) },
            UnitNode { id: 3, parent: Some(1), oversight: Some(5) },
            UnitNode { id: 4, parent: Some(2), oversight: None },
            UnitNode { id: 5, parent: Some(1), oversight: None },
        ])
    }

    fn person(role: StaffRole, unit: Option<i64>, officer: Option<i64>) -> Person {
        Person { role, unit, officer, delegated: vec![] }
    }

    fn case(
        desk_unit: i64,
        handler_unit: Option<i64>,
        handler_officer: Option<i64>,
        accused: Option<i64>,
    ) -> CaseFacts {
        CaseFacts { desk_unit, handler_unit, handler_officer, accused }
    }

    #[test]
    fn each_role_sees_its_scope() {
        let t = tree();
        let at_centre = case(4, Some(4), Some(40), None);
        let at_b = case(3, Some(3), Some(30), None);
        let escalated_to_province = case(4, Some(1), Some(10), None);
        let all = [at_centre, at_b, escalated_to_province];
        let sees = |p: &Person| -> Vec<bool> {
            let s = case_scope(p, &t);
            all.iter().map(|c| s.sees(c)).collect()
        };
        assert_eq!(sees(&person(StaffRole::Admin, None, None)), [true, true, true]);
        assert_eq!(sees(&person(StaffRole::Head, Some(2), Some(20))), [true, false, true], "desk in subtree");
        assert_eq!(sees(&person(StaffRole::Head, Some(3), Some(30))), [false, true, false]);
        assert_eq!(sees(&person(StaffRole::Head, Some(5), Some(50))), [true, true, true], "head of an oversight unit");
        assert_eq!(sees(&person(StaffRole::Oversight, Some(5), None)), [true, true, true]);
        assert_eq!(sees(&person(StaffRole::Head, Some(4), Some(40))), [true, false, true]);
        assert_eq!(sees(&person(StaffRole::Deputy, Some(2), Some(21))), [false, false, false], "no delegation");
        let assigned = case(3, Some(3), Some(21), None);
        assert!(case_scope(&person(StaffRole::Deputy, Some(2), Some(21)), &t).sees(&assigned));
        let delegated = Person { delegated: vec![2], ..person(StaffRole::Deputy, Some(2), Some(21)) };
        assert_eq!(sees(&delegated), [true, false, true]);
        assert_eq!(sees(&person(StaffRole::Viewer, Some(2), None)), [false, false, false]);
        assert!(case_scope(&person(StaffRole::Viewer, None, None), &t).is_empty());
    }

    #[test]
    fn the_accused_never_sees_their_case_whatever_the_role() {
        let t = tree();
        for role in [StaffRole::Admin, StaffRole::Oversight, StaffRole::Head, StaffRole::Deputy] {
            let p = Person { delegated: vec![1], ..person(role, Some(1), Some(7)) };
            let s = case_scope(&p, &t);
            assert!(!s.sees(&case(4, Some(1), Some(7), Some(7))), "{role:?}");
            assert!(s.sees(&case(4, Some(1), Some(7), Some(8))), "{role:?}");
            assert!(!is_handler(&p, &case(4, Some(1), Some(7), Some(7))));
        }
    }

    #[test]
    fn only_the_handler_is_the_handler() {
        let c = case(4, Some(2), None, None);
        assert!(is_handler(&person(StaffRole::Head, Some(2), Some(20)), &c));
        assert!(!is_handler(&person(StaffRole::Head, Some(1), Some(10)), &c), "the head above is not");
        assert!(!is_handler(&person(StaffRole::Admin, None, None), &c));
        assert!(!is_handler(&person(StaffRole::Deputy, Some(2), Some(21)), &c));
        assert!(is_handler(&Person { delegated: vec![2], ..person(StaffRole::Deputy, Some(2), Some(21)) }, &c));
        assert!(is_handler(&person(StaffRole::Deputy, Some(2), Some(21)), &case(4, Some(2), Some(21), None)));
    }

    #[test]
    fn report_scopes() {
        let t = tree();
        assert_eq!(report_scope(&person(StaffRole::Admin, None, None), &t), Some(ReportScope::Whole));
        assert_eq!(report_scope(&person(StaffRole::Head, Some(5), Some(50)), &t), Some(ReportScope::Oversight(5)));
        assert_eq!(report_scope(&person(StaffRole::Head, Some(2), Some(20)), &t), Some(ReportScope::Unit(2)));
        assert_eq!(report_scope(&person(StaffRole::Viewer, None, None), &t), Some(ReportScope::Whole));
        assert_eq!(report_scope(&person(StaffRole::Oversight, None, None), &t), None);
    }

    #[test]
    fn organisation_pages_and_edits() {
        let t = tree();
        let head_a = person(StaffRole::Head, Some(2), Some(20));
        assert_eq!(org_units(&head_a, &t), Some(BTreeSet::from([2, 4])));
        assert!(may_edit_unit(&head_a, &t, 4) && may_edit_unit(&head_a, &t, 2));
        assert!(!may_edit_unit(&head_a, &t, 3) && !may_edit_unit(&head_a, &t, 1), "not a sibling, not above");
        let snv = person(StaffRole::Oversight, Some(5), None);
        assert_eq!(org_units(&snv, &t), Some(BTreeSet::from([2, 3, 4, 5])));
        assert!(!may_edit_unit(&snv, &t, 2), "oversight reads");
        assert_eq!(org_units(&person(StaffRole::Admin, None, None), &t), None);
        assert!(may_edit_unit(&person(StaffRole::Admin, None, None), &t, 1));
        assert_eq!(org_units(&person(StaffRole::Viewer, Some(2), None), &t), Some(BTreeSet::new()));
        assert!(may_operate(&snv) && !may_operate(&head_a));
    }

    #[test]
    fn a_cycle_does_not_hang() {
        let t = Tree::new([
            UnitNode { id: 1, parent: Some(2), oversight: None },
            UnitNode { id: 2, parent: Some(1), oversight: None },
        ]);
        assert_eq!(t.subtree(1), BTreeSet::from([1, 2]));
    }
}
