//! Organisation import and export against a real database, on both backends.

use hailong::domain::org_file;
use hailong::error::Error;
use hailong::store;

use crate::support::{Backend, DEMO_ORG, TestDb, services};

async fn demo_file_round_trips_through_export(backend: Backend) {
    let db = TestDb::new(&backend);
    let s = services(&db);
    let summary = hailong::service::org::import_text(&s, DEMO_ORG, "tuyphuoc.toml", false).unwrap();
    assert_eq!(summary.units.created, 20);
    assert_eq!(summary.desks.created, 14);

    let org = s.db.read(store::org::snapshot).unwrap();
    let exported = org_file::render(&org);
    // The export describes the same organisation as the file it came from.
    let original = org_file::parse(DEMO_ORG).unwrap().spec;
    assert_eq!(org_file::parse(&exported).unwrap().spec.normalized(), original.normalized());

    // Importing the export into a fresh database gives an identical export.
    let db2 = TestDb::new(&backend);
    let s2 = services(&db2);
    hailong::service::org::import_text(&s2, &exported, "export.toml", false).unwrap();
    assert_eq!(org_file::render(&s2.db.read(store::org::snapshot).unwrap()), exported);

    // Re-import is idempotent: nothing changes, desk tokens included.
    let tokens = |s: &hailong::service::Services| {
        s.db.read(store::org::all_desks).unwrap().into_iter().map(|d| (d.code, d.token)).collect::<Vec<_>>()
    };
    let before = tokens(&s);
    let again = hailong::service::org::import_text(&s, &exported, "export.toml", false).unwrap();
    assert!(again.is_noop(), "{again:?}");
    assert_eq!(tokens(&s), before);
    assert_eq!(s.db.read(store::org::snapshot).unwrap(), org);
}

async fn invalid_files_change_nothing(backend: Backend) {
    let db = TestDb::new(&backend);
    let s = services(&db);
    hailong::service::org::import_text(&s, DEMO_ORG, "tuyphuoc.toml", false).unwrap();
    let before = s.db.read(store::org::snapshot).unwrap();

    // Each file is valid up to one mistake; a new unit in it would otherwise be written.
    let new_unit = "[[units]]\ncode = \"X-MOI\"\nname = \"UBND xã Mới\"\nkind = \"UBND xã\"\nparent = \"TP\"\n";
    let cases = [
        (
            format!("{new_unit}\n[[units]]\ncode = \"X-2\"\nname = \"a\"\nkind = \"b\"\nparent = \"KHONG-CO\"\n"),
            "no unit with code \"KHONG-CO\"",
        ),
        (format!("{new_unit}email = \"thu-sai\"\n"), "not a valid email"),
        (format!("{new_unit}\n[[units]]\ncode = \"X-MOI\"\nname = \"a\"\nkind = \"b\"\n"), "duplicate code"),
        (
            format!(
                "{new_unit}\n[[officers]]\ncode = \"X-MOI-01\"\nname = \"Võ Văn Mới\"\nunit = \"TP\"\nrole = \"head\"\n"
            ),
            "more than one active head",
        ),
        (
            format!(
                "{new_unit}\n[[units]]\ncode = \"TP\"\nname = \"UBND huyện Tuy Phước\"\nkind = \"UBND huyện\"\nparent = \"X-MOI\"\n"
            ),
            "cycle",
        ),
        (
            format!(
                "{new_unit}\n[[desks]]\ncode = \"MC-MOI\"\nname = \"Quầy\"\nunit = \"X-MOI\"\nhours = \"Mon-Fri 8h-17h\"\n"
            ),
            "field `hours`",
        ),
        (format!("{new_unit}\n[[roster]]\ndesk = \"MC-TP\"\nofficer = \"KHONG-CO\"\n"), "no officer with code"),
        (format!("{new_unit}mau = \"do\"\n"), "unknown field `mau`"),
    ];
    for (text, needle) in cases {
        let err = hailong::service::org::import_text(&s, &text, "sai.toml", false).unwrap_err();
        let Error::InvalidMany(msgs) = &err else { panic!("expected file errors, got {err:?}") };
        assert!(msgs.iter().any(|m| m.en.contains(needle) && m.en.starts_with("sai.toml:")), "{needle}: {msgs:?}");
        assert!(msgs.iter().all(|m| m.vi.starts_with("sai.toml:")));
        assert_eq!(s.db.read(store::org::snapshot).unwrap(), before, "{needle}: the database changed");
    }
}

async fn deactivate_missing_never_deletes(backend: Backend) {
    let db = TestDb::new(&backend);
    let s = services(&db);
    hailong::service::org::import_text(&s, DEMO_ORG, "tuyphuoc.toml", false).unwrap();
    // Keep only the district and its Phòng Nội vụ.
    let mut org = org_file::parse(DEMO_ORG).unwrap().spec;
    org.units.retain(|u| u.code == "TP" || u.code == "TP-NV");
    org.officers.retain(|o| o.unit == "TP" || o.unit == "TP-NV");
    org.desks.retain(|d| d.unit == "TP");
    org.roster.retain(|r| r.desk == "MC-TP" && r.officer.starts_with("TP-NV"));
    let text = org_file::render(&org);
    let summary = hailong::service::org::import_text(&s, &text, "small.toml", true).unwrap();
    assert_eq!(summary.units.deactivated, 18);
    let after = s.db.read(store::org::snapshot).unwrap();
    assert_eq!(after.units.len(), 20, "units are deactivated, never deleted");
    assert_eq!(after.units.iter().filter(|u| u.active).count(), 2);
    assert_eq!(after.roster.iter().filter(|r| r.active).count(), 0);
    // Importing the full file again reactivates everything.
    let back = hailong::service::org::import_text(&s, DEMO_ORG, "tuyphuoc.toml", false).unwrap();
    assert_eq!(back.units.updated, 18);
    assert_eq!(s.db.read(store::org::snapshot).unwrap().units.iter().filter(|u| u.active).count(), 20);
}

both_backends!(demo_file_round_trips_through_export, invalid_files_change_nothing, deactivate_missing_never_deletes);
