//! Database access: one code path for SQLite and PostgreSQL through `diesel::MultiConnection`.
//!
//! The backend is chosen from the URL scheme here, not by the derived `establish`, which tries each
//! backend in turn, hides the real error, and would let a mistyped PostgreSQL URL create an SQLite
//! file. Queries live in one module per aggregate.

pub mod calendars;
pub mod cases;
pub mod feedback;
pub mod links;
pub mod org;
pub mod outbox;
pub mod reports;
pub mod rollups;
pub mod schema;
pub mod settings;
pub mod staff;
pub mod types;
mod writer;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use diesel::connection::{AnsiTransactionManager, SimpleConnection, TransactionManager};
use diesel::prelude::*;
use diesel::r2d2::{self, ManageConnection, Pool, PooledConnection};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use crate::error::{Error, Result};
use crate::t;

pub const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
pub const PG_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

#[derive(diesel::MultiConnection)]
pub enum DbConn {
    Sqlite(SqliteConnection),
    Pg(PgConnection),
}

/// Runs the same diesel expression on whichever backend `conn` is, for the few statements the
/// derived connection cannot express over both (upserts, `FOR UPDATE SKIP LOCKED`, `VACUUM INTO`).
#[macro_export]
macro_rules! per_backend {
    ($conn:expr, |$c:ident| $body:expr) => {
        match $conn {
            $crate::store::DbConn::Sqlite($c) => $body,
            $crate::store::DbConn::Pg($c) => $body,
        }
    };
}

/// Where the data lives, decided from the URL alone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Sqlite(PathBuf),
    Postgres(String),
}

impl Target {
    /// `sqlite://PATH` or a plain path (relative to the working directory) → SQLite;
    /// `postgres://` or `postgresql://` → PostgreSQL; anything else is refused with a reason.
    pub fn from_url(url: &str) -> Result<Target> {
        let url = url.trim();
        if url.is_empty() {
            return Err(Error::Invalid(t!("Địa chỉ cơ sở dữ liệu trống", "The database URL is empty")));
        }
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(Target::Postgres(url.to_string()));
        }
        if let Some(path) = url.strip_prefix("sqlite://") {
            if path.is_empty() || path == ":memory:" {
                return Err(Error::Invalid(t!(
                    "Địa chỉ SQLite {url:?} phải là đường dẫn tới một tệp",
                    "The SQLite URL {url:?} must name a file"
                )));
            }
            return Ok(Target::Sqlite(PathBuf::from(path)));
        }
        if let Some((scheme, _)) = url.split_once("://") {
            return Err(Error::Invalid(t!(
                "Địa chỉ cơ sở dữ liệu có lược đồ lạ {scheme:?}: dùng sqlite://ĐƯỜNG_DẪN hoặc postgres://…",
                "The database URL has an unknown scheme {scheme:?}: use sqlite://PATH or postgres://…"
            )));
        }
        // A plain path. Refuse what looks like a PostgreSQL connection string or host:port, so a
        // slip never quietly becomes a new SQLite file.
        let looks_like_conninfo = url.contains('=');
        let looks_like_host = url.split('/').next().is_some_and(|first| {
            first.split_once(':').is_some_and(|(_, port)| !port.is_empty() && port.chars().all(|c| c.is_ascii_digit()))
        });
        if looks_like_conninfo || looks_like_host || url.starts_with("postgres") {
            return Err(Error::Invalid(t!(
                "Địa chỉ cơ sở dữ liệu {url:?} trông như của PostgreSQL nhưng không phải dạng postgres://NGƯỜI_DÙNG@MÁY:CỔNG/TÊN_CSDL",
                "The database URL {url:?} looks like a PostgreSQL one but is not of the form postgres://USER@HOST:PORT/DBNAME"
            )));
        }
        Ok(Target::Sqlite(PathBuf::from(url)))
    }

    pub fn is_sqlite(&self) -> bool {
        matches!(self, Target::Sqlite(_))
    }

    /// For messages: the file path, or the PostgreSQL URL without its password.
    pub fn display(&self) -> String {
        match self {
            Target::Sqlite(p) => p.display().to_string(),
            Target::Postgres(url) => redact_password(url),
        }
    }
}

fn redact_password(url: &str) -> String {
    // postgres://user:secret@host/db → postgres://user:***@host/db
    let Some((scheme, rest)) = url.split_once("://") else { return url.to_string() };
    match rest.split_once('@') {
        Some((userinfo, host)) if userinfo.contains(':') => {
            let user = userinfo.split(':').next().unwrap_or("");
            format!("{scheme}://{user}:***@{host}")
        }
        _ => url.to_string(),
    }
}

/// How much of an SQLite file readers map into memory (`PRAGMA mmap_size`): 1 GiB of address
/// space, not of memory; the kernel's page cache is shared by every connection.
const MMAP_BYTES: u64 = 1 << 30;

/// Opens connections for the pool and applies the per-connection SQLite settings.
#[derive(Debug, Clone)]
pub struct Manager {
    target: Target,
    busy_timeout_ms: u64,
    connect_timeout_secs: u64,
    synchronous: crate::config::SqliteSynchronous,
}

impl Manager {
    pub(crate) fn open(&self) -> std::result::Result<DbConn, r2d2::Error> {
        match &self.target {
            Target::Sqlite(path) => {
                let mut c =
                    SqliteConnection::establish(&path.to_string_lossy()).map_err(r2d2::Error::ConnectionError)?;
                // busy_timeout first: switching to WAL needs the write lock, which another
                // connection opening at the same moment may hold. temp_store = MEMORY keeps the
                // savepoint journals of the writer's groups (see `writer`) off the disk. mmap_size:
                // readers map the file (up to 1 GiB) instead of copying each page through a read
                // call into a 2 MB cache per connection; a monthly report over a million ratings
                // visits ~100,000 pages (BENCHMARKS.md, "Reports").
                c.batch_execute(&format!(
                    "PRAGMA busy_timeout = {}; PRAGMA journal_mode = WAL; PRAGMA synchronous = {}; \
                     PRAGMA foreign_keys = ON; PRAGMA temp_store = MEMORY; PRAGMA mmap_size = {MMAP_BYTES};",
                    self.busy_timeout_ms,
                    self.synchronous.pragma()
                ))
                .map_err(r2d2::Error::QueryError)?;
                Ok(DbConn::Sqlite(c))
            }
            Target::Postgres(url) => {
                let url = with_connect_timeout(url, self.connect_timeout_secs);
                let c = PgConnection::establish(&url).map_err(r2d2::Error::ConnectionError)?;
                Ok(DbConn::Pg(c))
            }
        }
    }
}

/// libpq waits forever for an unreachable host unless told otherwise.
fn with_connect_timeout(url: &str, secs: u64) -> String {
    if url.contains("connect_timeout=") {
        return url.to_string();
    }
    let sep = if url.contains('?') { '&' } else { '?' };
    format!("{url}{sep}connect_timeout={secs}")
}

impl ManageConnection for Manager {
    type Connection = DbConn;
    type Error = r2d2::Error;

    fn connect(&self) -> std::result::Result<DbConn, r2d2::Error> {
        self.open()
    }

    fn is_valid(&self, conn: &mut DbConn) -> std::result::Result<(), r2d2::Error> {
        conn.batch_execute("SELECT 1").map_err(r2d2::Error::QueryError)
    }

    fn has_broken(&self, conn: &mut DbConn) -> bool {
        match conn {
            DbConn::Sqlite(c) => AnsiTransactionManager::is_broken_transaction_manager(c),
            DbConn::Pg(c) => AnsiTransactionManager::is_broken_transaction_manager(c),
        }
    }
}

/// The connection pool and how to use it: `read` for queries, `write` for one transaction.
#[derive(Clone)]
pub struct Db {
    pool: Pool<Manager>,
    target: Target,
    /// SQLite has one writer: this process's writes go through one thread that commits them in
    /// groups (see `writer`). PostgreSQL writes run on pooled connections.
    writer: Option<Arc<writer::Writer>>,
}

pub type Conn = PooledConnection<Manager>;

#[derive(Debug, Clone)]
pub struct DbOptions {
    pub pool_size: u32,
    pub busy_timeout_ms: u64,
    pub connect_timeout_secs: u64,
    pub synchronous: crate::config::SqliteSynchronous,
    /// Create the SQLite file's folder when missing (only for the default location).
    pub create_dir: bool,
}

impl Default for DbOptions {
    fn default() -> Self {
        let d = crate::config::DatabaseConfig::default();
        DbOptions {
            pool_size: d.pool_size,
            busy_timeout_ms: d.busy_timeout_ms,
            connect_timeout_secs: d.connect_timeout_secs,
            synchronous: d.sqlite_synchronous,
            create_dir: false,
        }
    }
}

impl Db {
    /// Connects (failing fast with the driver's own message) and builds the pool. Does not migrate.
    pub fn connect(url: &str, opts: &DbOptions) -> Result<Db> {
        let target = Target::from_url(url)?;
        if let Target::Sqlite(path) = &target {
            let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
            if !dir.is_dir() {
                if opts.create_dir {
                    std::fs::create_dir_all(dir)?;
                } else {
                    let dir = dir.display();
                    return Err(Error::Invalid(t!(
                        "Thư mục {dir} của tệp SQLite không tồn tại",
                        "The folder {dir} of the SQLite file does not exist"
                    )));
                }
            }
        }
        let manager = Manager {
            target: target.clone(),
            busy_timeout_ms: opts.busy_timeout_ms,
            connect_timeout_secs: opts.connect_timeout_secs,
            synchronous: opts.synchronous,
        };
        // One direct attempt first: r2d2 would retry a bad URL until its timeout and keep only a
        // generic error.
        let mut first =
            manager.open().map_err(|e| Error::Connection(format!("{}: {}", target.display(), r2d2_detail(&e))))?;
        if let DbConn::Sqlite(c) = &mut first {
            // Surfaces "file is not a database" now rather than on the first request.
            c.batch_execute("SELECT count(*) FROM sqlite_master")
                .map_err(|e| Error::Connection(format!("{}: {e}", target.display())))?;
        }
        drop(first);
        let pool = Pool::builder()
            // A local SQLite file cannot drop a connection; testing each checkout would cost a
            // statement per request. PostgreSQL connections can drop, so they are tested.
            .test_on_check_out(!target.is_sqlite())
            .max_size(opts.pool_size)
            .min_idle(Some(1))
            .connection_timeout(Duration::from_secs(opts.connect_timeout_secs))
            .build_unchecked(manager.clone());
        let writer = match target.is_sqlite() {
            true => Some(Arc::new(writer::Writer::start(manager)?)),
            false => None,
        };
        Ok(Db { pool, target, writer })
    }

    pub fn target(&self) -> &Target {
        &self.target
    }

    pub fn conn(&self) -> Result<Conn> {
        self.pool.get().map_err(|e| Error::Connection(e.to_string()))
    }

    /// Runs queries that change nothing.
    pub fn read<T>(&self, f: impl FnOnce(&mut DbConn) -> Result<T>) -> Result<T> {
        let mut conn = self.conn()?;
        f(&mut conn)
    }

    /// Runs two independent reads at once, `g` on a second connection in another thread (a large
    /// report reads two unrelated halves: ratings, cases), each in its own read transaction
    /// ([`snapshot`]). With a pool of one connection they run one after the other, so a small pool
    /// never waits on itself.
    pub fn read_both<A, B>(
        &self,
        f: impl FnOnce(&mut DbConn) -> Result<A>,
        g: impl FnOnce(&mut DbConn) -> Result<B> + Send,
    ) -> Result<(A, B)>
    where
        B: Send,
    {
        if self.pool.max_size() < 2 {
            let a = self.read(|c| snapshot(c, f))?;
            return Ok((a, self.read(|c| snapshot(c, g))?));
        }
        std::thread::scope(|scope| {
            let other = scope.spawn(|| self.read(|c| snapshot(c, g)));
            let a = self.read(|c| snapshot(c, f));
            let b = other.join().map_err(|_| Error::Connection("a report's reading thread panicked".into()))?;
            Ok((a?, b?))
        })
    }

    /// Runs `f` in one transaction: all of it commits or none of it does, and it has committed
    /// when this returns. On SQLite, `f` runs on the writer thread inside a transaction that
    /// took the write lock at its start (`BEGIN IMMEDIATE`, so a read-then-write never fails
    /// half-way on a lock upgrade) and that may hold other writes, each in its own savepoint.
    pub fn write<T, F>(&self, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConn) -> Result<T> + Send + 'static,
    {
        if let Some(w) = &self.writer {
            return w.write(f);
        }
        let mut conn = self.conn()?;
        transaction(&mut conn, f)
    }

    /// Applies pending migrations; returns the versions applied, oldest first.
    pub fn migrate(&self) -> Result<Vec<String>> {
        let mut conn = self.conn()?;
        migrate(&mut conn)
    }

    pub fn pending_migrations(&self) -> Result<usize> {
        let mut conn = self.conn()?;
        let n = match &mut *conn {
            DbConn::Sqlite(c) => c.pending_migrations(SQLITE_MIGRATIONS).map(|v| v.len()),
            DbConn::Pg(c) => c.pending_migrations(PG_MIGRATIONS).map(|v| v.len()),
        };
        n.map_err(|e| Error::Other(anyhow::anyhow!("migrations: {e}")))
    }
}

/// Runs reads in one read transaction, so they see one moment (SQLite: a deferred `BEGIN` that
/// takes no lock; PostgreSQL: `REPEATABLE READ READ ONLY`). Ends it with a rollback: nothing to keep.
pub fn snapshot<T>(conn: &mut DbConn, f: impl FnOnce(&mut DbConn) -> Result<T>) -> Result<T> {
    match conn {
        DbConn::Sqlite(c) => AnsiTransactionManager::begin_transaction_sql(c, "BEGIN DEFERRED")?,
        DbConn::Pg(c) => {
            AnsiTransactionManager::begin_transaction_sql(c, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")?
        }
    }
    let out = f(conn);
    <DbConn as Connection>::TransactionManager::rollback_transaction(conn)?;
    out
}

/// One transaction on an already checked-out connection (see [`Db::write`]).
pub fn transaction<T>(conn: &mut DbConn, f: impl FnOnce(&mut DbConn) -> Result<T>) -> Result<T> {
    match conn {
        DbConn::Sqlite(c) => AnsiTransactionManager::begin_transaction_sql(c, "BEGIN IMMEDIATE")?,
        DbConn::Pg(c) => AnsiTransactionManager::begin_transaction(c)?,
    }
    match f(conn) {
        Ok(v) => {
            <DbConn as Connection>::TransactionManager::commit_transaction(conn)?;
            Ok(v)
        }
        Err(e) => {
            <DbConn as Connection>::TransactionManager::rollback_transaction(conn)?;
            Err(e)
        }
    }
}

pub fn migrate(conn: &mut DbConn) -> Result<Vec<String>> {
    // Names (`2026-11-28-000001_org`) rather than the bare versions run_pending_migrations gives,
    // so `hailong migrate` can say what it applied.
    fn run<DB: diesel::backend::Backend>(
        c: &mut impl MigrationHarness<DB>,
        source: EmbeddedMigrations,
    ) -> diesel::migration::Result<Vec<String>> {
        let pending = c.pending_migrations(source)?;
        let names = pending.iter().map(|m| m.name().to_string()).collect();
        c.run_migrations(&pending)?;
        Ok(names)
    }
    let applied = match conn {
        DbConn::Sqlite(c) => run(c, SQLITE_MIGRATIONS),
        DbConn::Pg(c) => run(c, PG_MIGRATIONS),
    };
    applied.map_err(|e| Error::Other(anyhow::anyhow!("migrations: {e}")))
}

fn r2d2_detail(e: &r2d2::Error) -> String {
    match e {
        r2d2::Error::ConnectionError(c) => c.to_string().trim().to_string(),
        r2d2::Error::QueryError(q) => q.to_string(),
    }
}

/// A consistent copy of a live SQLite database (`VACUUM INTO`). PostgreSQL is backed up with its
/// own tools (see README).
pub fn backup_sqlite(db: &Db, dest: &Path) -> Result<()> {
    if !db.target.is_sqlite() {
        return Err(Error::Invalid(t!(
            "`hailong backup` chỉ dùng cho SQLite; với PostgreSQL hãy dùng pg_dump (xem README)",
            "`hailong backup` is for SQLite only; back up PostgreSQL with pg_dump (see README)"
        )));
    }
    if dest.exists() {
        let shown = dest.display();
        return Err(Error::Invalid(t!(
            "Tệp {shown} đã tồn tại; chọn tên khác để không ghi đè",
            "The file {shown} exists already; choose another name so nothing is overwritten"
        )));
    }
    let mut conn = db.conn()?;
    let path = dest.to_string_lossy().replace('\'', "''");
    conn.batch_execute(&format!("VACUUM INTO '{path}'"))?;
    Ok(())
}

/// Current UTC time as stored (naive, UTC by convention).
pub fn now_utc() -> chrono::NaiveDateTime {
    chrono::Utc::now().naive_utc()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_from_urls() {
        assert_eq!(Target::from_url("data/x.db").unwrap(), Target::Sqlite("data/x.db".into()));
        assert_eq!(Target::from_url("sqlite://data/x.db").unwrap(), Target::Sqlite("data/x.db".into()));
        assert_eq!(Target::from_url("sqlite:///tmp/x.db").unwrap(), Target::Sqlite("/tmp/x.db".into()));
        assert!(matches!(Target::from_url("postgres://u@h/db").unwrap(), Target::Postgres(_)));
        assert!(matches!(Target::from_url("postgresql://u@h/db").unwrap(), Target::Postgres(_)));
        for bad in [
            "postgress://u@h/db",
            "host=localhost dbname=x",
            "localhost:5432/test",
            "mysql://x",
            "",
            "sqlite://",
            "postgres:/x",
        ] {
            assert!(Target::from_url(bad).is_err(), "{bad} should be refused");
        }
    }

    #[test]
    fn passwords_are_not_shown() {
        assert_eq!(redact_password("postgres://u:pw@h:5432/db"), "postgres://u:***@h:5432/db");
        assert_eq!(redact_password("postgres://u@h/db"), "postgres://u@h/db");
    }
}
