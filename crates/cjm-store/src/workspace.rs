//! The workspace: a directory holding `workspace.sqlite` and the event stores in `stores/`.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rusqlite::OptionalExtension;

use crate::cache::RevisionCache;
use crate::db::Db;
use crate::error::{Result, StoreError};

/// The database file inside a workspace directory.
pub const DB_FILE: &str = "workspace.sqlite";
/// The directory of event stores inside a workspace directory.
pub const STORES_DIR: &str = "stores";
/// The longest event store name accepted.
const MAX_STORE_NAME: usize = 64;

/// Seconds since the Unix epoch; every `*_at` field uses it.
pub type Timestamp = i64;

/// An open workspace. Cheap to clone; every clone shares the same connections.
///
/// All methods block on SQLite; an async server calls them from `spawn_blocking`.
#[derive(Clone)]
pub struct Workspace {
    inner: Arc<Inner>,
}

struct Inner {
    dir: PathBuf,
    db: Db,
    revisions: RevisionCache,
}

impl Workspace {
    /// Opens the workspace in `dir`, creating the directory, its database and
    /// `stores/` when missing, and migrating an older database to the current schema.
    pub fn open(dir: impl AsRef<Path>) -> Result<Workspace> {
        let dir = dir.as_ref();
        std::fs::create_dir_all(dir.join(STORES_DIR)).map_err(|e| {
            StoreError::Internal(format!(
                "cannot create the workspace {}: {e}",
                dir.display()
            ))
        })?;
        let db = Db::open(&dir.join(DB_FILE))?;
        Ok(Workspace {
            inner: Arc::new(Inner {
                dir: dir.to_owned(),
                db,
                revisions: RevisionCache::default(),
            }),
        })
    }

    /// The workspace directory.
    pub fn dir(&self) -> &Path {
        &self.inner.dir
    }

    /// The path of the database file.
    pub fn db_path(&self) -> PathBuf {
        self.inner.dir.join(DB_FILE)
    }

    /// The directory for the event store `name`, always inside `stores/`.
    ///
    /// The name must be 1 to 64 characters of ASCII letters, digits, `-`, `_`
    /// and `.`, not starting with `.`: so `..`, separators, NUL and absolute
    /// paths are refused and the path can never leave the workspace.
    pub fn event_store_dir(&self, name: &str) -> Result<PathBuf> {
        validate_store_name(name)?;
        Ok(self.inner.dir.join(STORES_DIR).join(name))
    }

    /// The result of `PRAGMA integrity_check`: `"ok"` for a healthy database.
    pub fn integrity_check(&self) -> Result<String> {
        self.db().read(|conn| {
            let mut stmt = conn.prepare("PRAGMA integrity_check")?;
            let lines = stmt
                .query_map([], |row| row.get::<_, String>(0))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(lines.join("\n"))
        })
    }

    /// The schema version of the database (`PRAGMA user_version`).
    pub fn schema_version(&self) -> Result<i64> {
        self.db()
            .read(|conn| Ok(conn.pragma_query_value(None, "user_version", |row| row.get(0))?))
    }

    /// A setting's value, if set.
    pub fn setting(&self, key: &str) -> Result<Option<String>> {
        self.db().read(|conn| {
            Ok(conn
                .prepare_cached("SELECT value FROM settings WHERE key = ?1")?
                .query_row([key], |row| row.get(0))
                .optional()?)
        })
    }

    /// Sets (or replaces) a setting.
    pub fn set_setting(&self, key: &str, value: &str) -> Result<()> {
        if key.is_empty() || key.len() > 200 {
            return Err(StoreError::Invalid(
                "a setting key must be 1 to 200 bytes long".into(),
            ));
        }
        self.db().write(|tx| {
            tx.execute(
                "INSERT INTO settings (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [key, value],
            )?;
            Ok(())
        })
    }

    /// All settings, sorted by key.
    pub fn settings(&self) -> Result<Vec<(String, String)>> {
        self.db().read(|conn| {
            let mut stmt = conn.prepare_cached("SELECT key, value FROM settings ORDER BY key")?;
            let rows = stmt
                .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(rows)
        })
    }

    pub(crate) fn db(&self) -> &Db {
        &self.inner.db
    }

    pub(crate) fn revision_cache(&self) -> &RevisionCache {
        &self.inner.revisions
    }
}

/// Checks that an event store name is a single safe path component.
pub(crate) fn validate_store_name(name: &str) -> Result<()> {
    let hint =
        "use 1 to 64 characters: ASCII letters, digits, '-', '_' and '.', not starting with '.'";
    if name.is_empty() || name.len() > MAX_STORE_NAME {
        return Err(StoreError::Invalid(format!(
            "event store name of {} characters: {hint}",
            name.len()
        )));
    }
    if name.starts_with('.')
        || !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    {
        return Err(StoreError::Invalid(format!(
            "event store name {name:?} is not allowed: {hint}"
        )));
    }
    Ok(())
}

/// The current time in seconds since the Unix epoch.
pub(crate) fn now() -> Timestamp {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}
