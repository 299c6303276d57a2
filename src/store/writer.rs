//! SQLite's single writer, as one thread that commits in groups.
//!
//! Every SQLite write transaction appends the pages it touched to the write-ahead log; a report
//! touches a dozen (the rating, the case, their indexes, the event, the ledger). Here all writes
//! of this process go to one thread, which takes whatever writes are queued, runs each inside its
//! own savepoint (a failing write rolls back only itself) and commits them with one COMMIT, so
//! pages they share are written once. Nobody waits for a batch to fill: an idle writer commits a
//! lone write at once. A caller gets its result only after the COMMIT that holds its work.
//! Other processes (the CLI) still meet SQLite's own lock and `busy_timeout`.
//!
//! Copying the log back into the database (the checkpoint) is a second thread's work, nudged
//! after commits, so a caller's write never waits on it; the writer checkpoints itself only if
//! the log grows past `SELF_CHECKPOINT_PAGES` (that thread fell behind, or the log could not
//! otherwise restart from its beginning under a write load that never pauses).

use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};

use diesel::connection::{AnsiTransactionManager, Connection, TransactionManager};

use super::rollups::deferred;
use super::{DbConn, Manager};
use crate::error::{Error, Result};

/// Most writes one COMMIT holds; more wait for the next.
const MAX_BATCH: usize = 128;

/// Log pages past which the writer checkpoints within its own commit (about 16 MB of 4 KiB
/// pages). Measured with benches/load.sh: 1,000 pages put a checkpoint inside a commit every few
/// seconds under load (p99 +3 ms); 10,000 gained nothing more and let the log grow to 60 MB.
const SELF_CHECKPOINT_PAGES: u32 = 4_000;

type Outcome = std::result::Result<(), String>;

trait Task: Send {
    /// Runs the write in a savepoint; `false` if it panicked (the batch then rolls back).
    fn run(&mut self, conn: &mut DbConn) -> bool;
    /// Hands the caller its result, given how the batch ended.
    fn finish(self: Box<Self>, outcome: &Outcome);
}

struct Write<T, F> {
    f: Option<F>,
    result: Option<std::thread::Result<Result<T>>>,
    reply: SyncSender<std::thread::Result<Result<T>>>,
}

impl<T: Send, F: FnOnce(&mut DbConn) -> Result<T> + Send> Task for Write<T, F> {
    fn run(&mut self, conn: &mut DbConn) -> bool {
        let f = self.f.take().expect("run once");
        // Inside the open transaction, `transaction` is a savepoint.
        let r = catch_unwind(AssertUnwindSafe(|| conn.transaction(f)));
        let ok = r.is_ok();
        deferred::write_ended(matches!(r, Ok(Ok(_))));
        self.result = Some(r);
        ok
    }

    fn finish(self: Box<Self>, outcome: &Outcome) {
        let result = match (self.result, outcome) {
            (Some(Ok(Ok(v))), Ok(())) => Ok(Ok(v)),
            (Some(Ok(Ok(_))), Err(m)) => Ok(Err(Error::Connection(format!("commit failed: {m}")))),
            (Some(other), _) => other,
            (None, Err(m)) => Ok(Err(Error::Connection(m.clone()))),
            (None, Ok(())) => Ok(Err(Error::Connection("the write did not run".into()))),
        };
        // The caller may have gone (its thread panicked); nothing to do then.
        let _ = self.reply.send(result);
    }
}

pub struct Writer {
    jobs: SyncSender<Box<dyn Task>>,
}

impl Writer {
    /// Starts the writer thread; it ends when the last handle to this writer is dropped.
    pub fn start(manager: Manager) -> std::io::Result<Writer> {
        let (tx, rx) = sync_channel::<Box<dyn Task>>(4 * MAX_BATCH);
        let (nudge, nudges) = sync_channel::<()>(1);
        let checkpointer = manager.clone();
        std::thread::Builder::new().name("hailong-ckpt".into()).spawn(move || checkpoints(checkpointer, nudges))?;
        std::thread::Builder::new().name("hailong-writer".into()).spawn(move || run(manager, rx, nudge))?;
        Ok(Writer { jobs: tx })
    }

    pub fn write<T, F>(&self, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConn) -> Result<T> + Send + 'static,
    {
        let (reply, answer) = sync_channel(1);
        self.jobs
            .send(Box::new(Write { f: Some(f), result: None, reply }))
            .map_err(|_| Error::Connection("the database writer has stopped".into()))?;
        match answer.recv() {
            Ok(Ok(r)) => r,
            Ok(Err(panic)) => resume_unwind(panic),
            Err(_) => Err(Error::Connection("the database writer has stopped".into())),
        }
    }
}

fn run(manager: Manager, jobs: Receiver<Box<dyn Task>>, nudge: SyncSender<()>) {
    let mut conn: Option<DbConn> = None;
    while let Ok(first) = jobs.recv() {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match jobs.try_recv() {
                Ok(t) => batch.push(t),
                Err(_) => break,
            }
        }
        let outcome = commit_batch(&manager, &mut conn, &mut batch);
        for task in batch {
            task.finish(&outcome);
        }
        // A nudge already waiting covers this commit too.
        let _ = nudge.try_send(());
    }
}

/// The checkpointer: after commits, copies the log into the database without blocking the writer
/// (PASSIVE). Ends with the writer, when the nudges stop.
fn checkpoints(manager: Manager, nudges: Receiver<()>) {
    let mut conn: Option<DbConn> = None;
    while nudges.recv().is_ok() {
        // Nudges sent while the last checkpoint ran are covered by this one. No pause to let
        // commits gather: measured, a 10–100 ms pause doubled the report POST's p99.
        while nudges.try_recv().is_ok() {}
        if conn.is_none() {
            conn = manager.open().map_err(|e| tracing::warn!("checkpoint connection: {e}")).ok();
        }
        if let Some(c) = conn.as_mut()
            && let Err(e) = diesel::connection::SimpleConnection::batch_execute(c, "PRAGMA wal_checkpoint(PASSIVE)")
        {
            // The writer's own checkpoint bounds the log meanwhile; try again with a fresh connection.
            tracing::warn!("checkpoint: {e}");
            conn = None;
        }
    }
}

fn commit_batch(manager: &Manager, slot: &mut Option<DbConn>, batch: &mut [Box<dyn Task>]) -> Outcome {
    if slot.is_none() {
        let mut conn = manager.open().map_err(|e| e.to_string())?;
        if let DbConn::Sqlite(c) = &mut conn {
            diesel::connection::SimpleConnection::batch_execute(
                c,
                &format!("PRAGMA wal_autocheckpoint = {SELF_CHECKPOINT_PAGES}"),
            )
            .map_err(|e| e.to_string())?;
        }
        *slot = Some(conn);
    }
    let conn = slot.as_mut().expect("opened above");
    let begun = match conn {
        DbConn::Sqlite(c) => AnsiTransactionManager::begin_transaction_sql(c, "BEGIN IMMEDIATE"),
        DbConn::Pg(c) => AnsiTransactionManager::begin_transaction(c),
    };
    if let Err(e) = begun {
        *slot = None;
        return Err(e.to_string());
    }
    // Report rollup increments of the batch's writes are held and written once, before COMMIT.
    deferred::begin();
    let mut panicked = false;
    for task in batch.iter_mut() {
        panicked |= !task.run(conn);
    }
    let outcome = if panicked {
        deferred::abandon();
        let _ = <DbConn as Connection>::TransactionManager::rollback_transaction(conn);
        Err("a write in this batch panicked; the batch was rolled back".to_string())
    } else if let Err(e) = deferred::finish(conn) {
        let _ = <DbConn as Connection>::TransactionManager::rollback_transaction(conn);
        Err(format!("report rollups: {e}"))
    } else {
        <DbConn as Connection>::TransactionManager::commit_transaction(conn).map_err(|e| e.to_string())
    };
    // A connection left in doubt is not reused: the next batch opens a fresh one.
    if outcome.is_err() || <DbConn as Connection>::TransactionManager::is_broken_transaction_manager(conn) {
        *slot = None;
    }
    outcome
}
