//! SQLite connections: one writer behind a mutex, a small pool of readers, and the migration runner.
//!
//! Durability: the database runs in WAL mode with `synchronous=FULL`, so a
//! commit returns only after the WAL is synced to disk. An acknowledged save
//! therefore survives a killed process (which `NORMAL` would also survive) and
//! a power loss (which `NORMAL` might not). Saves are rare next to reads, and
//! reads never wait for an fsync, so the cost is small.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};

use crate::error::{Result, StoreError};

/// The migrations, in order; migration `i` (0-based) brings `user_version` from `i` to `i + 1`.
const MIGRATIONS: &[&str] = &[
    include_str!("../migrations/001_maps_users.sql"),
    include_str!("../migrations/002_access_comments.sql"),
    include_str!("../migrations/003_event_stores.sql"),
];

/// The schema version (`PRAGMA user_version`) this build writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// How long a connection waits for another process's write lock before failing.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);
/// Idle reader connections kept for reuse; more may be open at a peak.
const IDLE_READERS: usize = 8;
/// Prepared statements cached per connection.
const STATEMENT_CACHE: usize = 64;

/// The connections to one workspace database.
pub(crate) struct Db {
    path: PathBuf,
    writer: Mutex<Connection>,
    readers: Mutex<Vec<Connection>>,
}

impl Db {
    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    pub(crate) fn open(path: &Path) -> Result<Db> {
        let mut writer = Connection::open(path).map_err(|e| open_error(path, e))?;
        configure(&writer, false, path)?;
        migrate(&mut writer)?;
        Ok(Db {
            path: path.to_owned(),
            writer: Mutex::new(writer),
            readers: Mutex::new(Vec::new()),
        })
    }

    /// Runs `work` on a reader connection (it sees the last committed state).
    pub(crate) fn read<T>(&self, work: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        let pooled = lock(&self.readers).pop();
        let conn = match pooled {
            Some(conn) => conn,
            None => self.open_reader()?,
        };
        let out = work(&conn);
        let mut idle = lock(&self.readers);
        if idle.len() < IDLE_READERS {
            idle.push(conn);
        }
        out
    }

    /// Runs `work` inside one `BEGIN IMMEDIATE` transaction and commits it if `work` succeeds.
    ///
    /// IMMEDIATE takes the write lock at the start, so a read-check-write
    /// inside `work` cannot race another writer, in this process or another.
    pub(crate) fn write<T>(&self, work: impl FnOnce(&Transaction) -> Result<T>) -> Result<T> {
        let mut conn = lock(&self.writer);
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let out = work(&tx)?;
        tx.commit()?;
        Ok(out)
    }

    fn open_reader(&self) -> Result<Connection> {
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
            | OpenFlags::SQLITE_OPEN_URI;
        let conn = Connection::open_with_flags(&self.path, flags)
            .map_err(|e| open_error(&self.path, e))?;
        configure(&conn, true, &self.path)?;
        Ok(conn)
    }
}

/// Locks a mutex; a panic in another holder leaves the connection usable
/// (an open transaction was rolled back when it was dropped), so poisoning is ignored.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn configure(conn: &Connection, read_only: bool, path: &Path) -> Result<()> {
    apply_pragmas(conn, read_only).map_err(|e| open_error(path, e))?;
    if !read_only {
        let mode: String = conn
            .query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))
            .map_err(|e| open_error(path, e))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(StoreError::Internal(format!(
                "the workspace database {} refused WAL mode (journal_mode is {mode})",
                path.display()
            )));
        }
    }
    Ok(())
}

fn apply_pragmas(conn: &Connection, read_only: bool) -> rusqlite::Result<()> {
    conn.busy_timeout(BUSY_TIMEOUT)?;
    conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    if read_only {
        conn.pragma_update(None, "query_only", "ON")?;
    }
    Ok(())
}

fn open_error(path: &Path, err: rusqlite::Error) -> StoreError {
    StoreError::Internal(format!(
        "cannot open the workspace database {}: {err}",
        path.display()
    ))
}

/// Applies the migrations the database has not seen yet, all in one transaction.
fn migrate(conn: &mut Connection) -> Result<()> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let version: i64 = tx.pragma_query_value(None, "user_version", |row| row.get(0))?;
    if !(0..=SCHEMA_VERSION).contains(&version) {
        return Err(StoreError::Invalid(format!(
            "the workspace database has schema version {version}, this cjm knows versions up to \
             {SCHEMA_VERSION}; open it with a newer cjm"
        )));
    }
    for (index, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
        tx.execute_batch(sql)
            .map_err(|e| StoreError::Internal(format!("migration {} failed: {e}", index + 1)))?;
        tx.pragma_update(None, "user_version", index as i64 + 1)?;
    }
    tx.commit()?;
    Ok(())
}
