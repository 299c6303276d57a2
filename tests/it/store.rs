//! Every store query on both backends.

use diesel::prelude::*;
use hailong::error::Error;
use hailong::store::{self, org};
use hailong::t;

use crate::support::{Backend, DEMO_ORG, TestDb, services};

async fn org_queries(backend: Backend) {
    let db = TestDb::new(&backend);
    let s = services(&db);
    assert_eq!(s.db.read(org::count_units).unwrap(), 0);
    hailong::service::org::import_text(&s, DEMO_ORG, "tuyphuoc.toml", false).unwrap();
    assert_eq!(s.db.read(org::count_units).unwrap(), 20);

    let tp = s.db.read(|c| org::unit_by_code(c, "TP")).unwrap().unwrap();
    assert_eq!(tp.name, "UBND huyện Tuy Phước");
    assert!(tp.parent_id.is_none());
    let nv = s.db.read(|c| org::unit(c, tp.oversight_id.unwrap())).unwrap();
    assert_eq!(nv.code, "TP-NV");
    assert!(s.db.read(|c| org::unit_by_code(c, "KHONG-CO")).unwrap().is_none());

    let desk = s.db.read(|c| org::desk_by_code(c, "MC-TP")).unwrap().unwrap();
    assert_eq!(desk.unit_id, tp.id);
    assert_eq!(desk.token.len(), 13);
    let by_token = s.db.read(|c| org::desk_by_token(c, &desk.token)).unwrap().unwrap();
    assert_eq!(by_token.id, desk.id);
    assert!(s.db.read(|c| org::desk_by_token(c, "AAAAAAAAAAAAA")).unwrap().is_none());
    let all = s.db.read(org::all_desks).unwrap();
    assert_eq!(all.len(), 14);
    assert!(all.windows(2).all(|w| w[0].code < w[1].code));

    // Timestamps are stored in UTC.
    let now = chrono::Utc::now().naive_utc();
    assert!((now - tp.created_at).num_seconds().abs() < 60, "{} vs {now}", tp.created_at);
}

async fn write_is_all_or_nothing(backend: Backend) {
    let db = TestDb::new(&backend);
    let s = services(&db);
    hailong::service::org::import_text(&s, DEMO_ORG, "tuyphuoc.toml", false).unwrap();
    let err =
        s.db.write(|c| {
            use hailong::store::schema::units;
            diesel::update(units::table.filter(units::code.eq("TP"))).set(units::name.eq("ĐÃ SỬA")).execute(c)?;
            Err::<(), _>(Error::Invalid(t!("dừng", "stop")))
        })
        .unwrap_err();
    assert!(matches!(err, Error::Invalid(_)));
    assert_eq!(s.db.read(|c| org::unit_by_code(c, "TP")).unwrap().unwrap().name, "UBND huyện Tuy Phước");

    // The database refuses a second active head even if a bug let one past the importer.
    let second_head = s.db.write(|c| {
        use hailong::store::schema::officers;
        let now = store::now_utc();
        let tp = org::unit_by_code(c, "TP")?.unwrap();
        diesel::insert_into(officers::table)
            .values((
                officers::code.eq("TP-99"),
                officers::name.eq("Hai Thủ Trưởng"),
                officers::unit_id.eq(tp.id),
                officers::role.eq("head"),
                officers::created_at.eq(now),
                officers::updated_at.eq(now),
            ))
            .execute(c)?;
        Ok(())
    });
    assert!(second_head.is_err());
}

async fn backup_copies_a_live_sqlite_database(backend: Backend) {
    let db = TestDb::new(&backend);
    let s = services(&db);
    hailong::service::org::import_text(&s, DEMO_ORG, "tuyphuoc.toml", false).unwrap();
    let dest = db.dir.path().join("copy.db");
    let result = store::backup_sqlite(&s.db, &dest);
    if db.is_postgres() {
        let e = result.unwrap_err();
        assert!(e.user_message(hailong::i18n::Lang::En).contains("pg_dump"));
        return;
    }
    result.unwrap();
    // The copy is a working database with the same organisation.
    let copy = hailong::store::Db::connect(&dest.display().to_string(), &Default::default()).unwrap();
    assert_eq!(copy.read(org::count_units).unwrap(), 20);
    // Never overwrites.
    assert!(store::backup_sqlite(&s.db, &dest).is_err());
}

both_backends!(org_queries, write_is_all_or_nothing, backup_copies_a_live_sqlite_database);

#[test]
fn unreachable_postgres_fails_fast_with_the_driver_message() {
    let started = std::time::Instant::now();
    let err = match hailong::store::Db::connect("postgres://postgres@127.0.0.1:1/none", &Default::default()) {
        Err(e) => e,
        Ok(_) => panic!("connected to port 1"),
    };
    let msg = err.to_string();
    assert!(msg.contains("Connection refused") || msg.contains("connection"), "{msg}");
    assert!(started.elapsed().as_secs() < 5);
}

#[test]
fn mistyped_postgres_url_creates_no_file() {
    let dir = tempfile::tempdir().unwrap();
    let here = std::env::current_dir().unwrap();
    for url in ["postgress://u@h/db", "host=localhost dbname=test", "localhost:5432/test"] {
        assert!(hailong::store::Db::connect(url, &Default::default()).is_err(), "{url}");
    }
    // Nothing appeared in the working directory or the temp dir.
    assert!(!here.join("host=localhost dbname=test").exists());
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

/// Every SQLite connection (pooled readers and the writer) runs with the configured settings.
#[test]
fn sqlite_settings_apply_to_every_connection() {
    use diesel::sql_types::Integer;
    #[derive(QueryableByName)]
    struct Value {
        #[diesel(sql_type = Integer)]
        v: i32,
    }
    let dir = tempfile::tempdir().unwrap();
    let url = dir.path().join("s.db").display().to_string();
    for (sync, expected) in
        [(hailong::config::SqliteSynchronous::Normal, 1), (hailong::config::SqliteSynchronous::Full, 2)]
    {
        let opts = hailong::store::DbOptions { synchronous: sync, ..Default::default() };
        let db = hailong::store::Db::connect(&url, &opts).unwrap();
        let get = |c: &mut hailong::store::DbConn, sql: &str| -> hailong::error::Result<i32> {
            Ok(diesel::sql_query(sql).get_result::<Value>(c)?.v)
        };
        assert_eq!(db.read(|c| get(c, "SELECT synchronous AS v FROM pragma_synchronous")).unwrap(), expected);
        assert_eq!(db.write(move |c| get(c, "SELECT synchronous AS v FROM pragma_synchronous")).unwrap(), expected);
        assert_eq!(db.read(|c| get(c, "SELECT foreign_keys AS v FROM pragma_foreign_keys")).unwrap(), 1);
        assert_eq!(db.read(|c| get(c, "SELECT temp_store AS v FROM pragma_temp_store")).unwrap(), 2);
    }
}

/// `sslmode=require` works: the pool's connections are encrypted.
#[test]
fn postgres_over_tls() {
    let Some(Backend::Postgres(admin)) = Backend::postgres_or_skip("it::store::postgres_over_tls") else { return };
    let db = TestDb::new(&Backend::Postgres(admin));
    let sep = if db.url.contains('?') { '&' } else { '?' };
    let url = format!("{}{sep}sslmode=require", db.url);
    let pool = hailong::store::Db::connect(&url, &Default::default()).unwrap();
    let ssl: bool = pool
        .read(|c| {
            Ok(diesel::select(diesel::dsl::sql::<diesel::sql_types::Bool>(
                "(SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid())",
            ))
            .get_result(c)?)
        })
        .unwrap();
    assert!(ssl, "the connection is not encrypted");
    pool.migrate().unwrap();
    assert_eq!(pool.pending_migrations().unwrap(), 0);
}

/// Many writers at once: each one's work commits whole or not at all, whatever its neighbours do
/// (on SQLite they share commits; see store::group_commit).
async fn concurrent_writers_commit_or_roll_back_alone(backend: Backend) {
    use hailong::store::schema::units;
    let db = TestDb::new(&backend);
    let s = services(&db);
    let threads: Vec<_> = (0..48)
        .map(|i| {
            let dbh = s.db.clone();
            std::thread::spawn(move || {
                dbh.write(move |c| {
                    let now = store::now_utc();
                    for j in 0..3 {
                        diesel::insert_into(units::table)
                            .values((
                                units::code.eq(format!("U{i}-{j}")),
                                units::name.eq("x"),
                                units::kind.eq("k"),
                                units::created_at.eq(now),
                                units::updated_at.eq(now),
                            ))
                            .execute(c)?;
                    }
                    // Every fifth writer fails after writing: none of its rows may stay.
                    if i % 5 == 0 { Err(Error::Invalid(t!("lỗi {i}", "fail {i}"))) } else { Ok(i) }
                })
            })
        })
        .collect();
    let mut ok = 0;
    for (i, t) in threads.into_iter().enumerate() {
        match t.join().unwrap() {
            Ok(v) => {
                assert_eq!(v, i);
                ok += 1;
            }
            Err(e) => assert!(i % 5 == 0, "writer {i} failed: {e}"),
        }
    }
    let rows: Vec<String> = s.db.read(|c| Ok(units::table.select(units::code).load(c)?)).unwrap();
    assert_eq!(rows.len(), ok * 3);
    assert!(rows.iter().all(|code| code[1..].split('-').next().unwrap().parse::<usize>().unwrap() % 5 != 0));
    // A writer that panics rolls back its batch; the database stays usable and consistent.
    let dbh = s.db.clone();
    let panicked = std::thread::spawn(move || dbh.write(|_| -> hailong::error::Result<()> { panic!("bug") })).join();
    assert!(panicked.is_err());
    let n: i64 = s.db.write(|c| Ok(units::table.count().get_result(c)?)).unwrap();
    assert_eq!(n as usize, ok * 3);
}

both_backends!(concurrent_writers_commit_or_roll_back_alone);

/// Report rollup increments, which SQLite's writer holds until its batch commits: a write that
/// fails takes its increments along (also after a read inside it wrote out what was held), a read
/// inside a write sees every increment before it, and nothing is counted twice.
async fn rollup_increments_commit_with_their_writes(backend: Backend) {
    use hailong::domain::rollup::{Key, Tally};
    use hailong::store::rollups::{self, By, Grain};
    let db = TestDb::new(&backend);
    let s = services(&db);
    let key = |desk: i64| Key { day: 20261015, desk_id: desk, officer_id: 0, unit_id: 1 };
    let one = Tally { ratings: 1, ..Tally::default() };
    let threads: Vec<_> = (0..64i64)
        .map(|i| {
            let dbh = s.db.clone();
            std::thread::spawn(move || {
                dbh.write(move |c| {
                    rollups::apply(c, &key(i % 4), &one)?;
                    rollups::apply(c, &key(i % 4), &one)?;
                    if i % 7 == 3 {
                        let rows = rollups::read(c, Grain::Month, 202610, 202610, None, By::Who)?;
                        let mine = rows.iter().find(|r| r.desk_id == i % 4).map_or(0, |r| r.tally.ratings);
                        assert!(mine >= 2, "a read inside the write sees its own increments");
                    }
                    // Every fifth write fails after its increments (i = 10 also after a read).
                    if i % 5 == 0 { Err(Error::Invalid(t!("lỗi {i}", "fail {i}"))) } else { Ok(i) }
                })
            })
        })
        .collect();
    let ok: Vec<i64> = threads.into_iter().filter_map(|t| t.join().unwrap().ok()).collect();
    assert_eq!(ok.len(), 64 - 13);
    for (grain, period) in [(Grain::Day, 20261015), (Grain::Month, 202610)] {
        let rows = s.db.read(move |c| rollups::read(c, grain, period, period, None, By::Who)).unwrap();
        for desk in 0..4 {
            let want = ok.iter().filter(|i| *i % 4 == desk).count() as i64 * 2;
            let got = rows.iter().find(|r| r.desk_id == desk).map_or(0, |r| r.tally.ratings);
            assert_eq!(got, want, "{grain:?}, desk {desk}");
        }
    }
}

both_backends!(rollup_increments_commit_with_their_writes);

/// A head's delegation in force sends new cases to the deputy; revoked, back to the head.
async fn routing_honours_delegations(backend: Backend) {
    let db = TestDb::new(&backend);
    let s = services(&db);
    hailong::service::org::import_text(&s, DEMO_ORG, "tuyphuoc.toml", false).unwrap();
    let id = hailong::service::org::delegate(&s, "TT-DIEUTRI", "TT-DIEUTRI-02", "2020-01-01", "2099-12-31").unwrap();
    let deputy = s.db.read(|c| org::officer_by_code(c, "TT-DIEUTRI-02")).unwrap().unwrap();
    let head = s.db.read(|c| org::officer_by_code(c, "TT-DIEUTRI-01")).unwrap().unwrap();
    let desk = s.db.read(|c| org::desk_by_code(c, "MC-DIEUTRI")).unwrap().unwrap();
    let route = |s: &hailong::service::Services| {
        let now = chrono::Utc::now();
        s.db.read(|c| {
            let view = org::routing_view(c, &[desk.unit_id], None, now.date_naive())?;
            let req = hailong::domain::routing::Request {
                desk_unit: desk.unit_id,
                handling_unit: None,
                accused: None,
                integrity: false,
                today: now.date_naive(),
            };
            hailong::domain::routing::route(&view, &req).map_err(hailong::error::Error::Invalid)
        })
        .unwrap()
    };
    let d = route(&s);
    assert_eq!(d.handler.officer, Some(deputy.id));
    assert!(d.reasons.iter().any(|r| r.code == "delegation"), "{:?}", d.reasons);
    s.db.write(move |c| store::calendars::revoke_delegation(c, id, store::now_utc())).unwrap();
    assert_eq!(route(&s).handler.officer, Some(head.id));
}

/// Every migration can be undone and redone (the readiness check and operators rely on it).
async fn migrations_go_down_and_up(backend: Backend) {
    use diesel_migrations::MigrationHarness;
    let db = TestDb::new(&backend);
    let s = services(&db);
    hailong::service::org::import_text(&s, DEMO_ORG, "tuyphuoc.toml", false).unwrap();
    let mut conn = s.db.conn().unwrap();
    match &mut *conn {
        store::DbConn::Sqlite(c) => {
            c.revert_all_migrations(store::SQLITE_MIGRATIONS).unwrap();
            c.run_pending_migrations(store::SQLITE_MIGRATIONS).unwrap();
        }
        store::DbConn::Pg(c) => {
            c.revert_all_migrations(store::PG_MIGRATIONS).unwrap();
            c.run_pending_migrations(store::PG_MIGRATIONS).unwrap();
        }
    }
    drop(conn);
    assert_eq!(s.db.pending_migrations().unwrap(), 0);
}

both_backends!(routing_honours_delegations, migrations_go_down_and_up);
