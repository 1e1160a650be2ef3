//! The registry of event stores kept in `stores/` and which maps they are attached to.

use rusqlite::{OptionalExtension, params};
use serde::Serialize;

use crate::error::{Result, StoreError};
use crate::maps::live_row;
use crate::workspace::{STORES_DIR, Timestamp, Workspace, now, validate_store_name};

/// An event store known to the workspace.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EventStoreInfo {
    pub name: String,
    /// Its directory, relative to the workspace (`stores/<name>`).
    pub dir: String,
    pub created_at: Timestamp,
    /// What the importer reported (cases, events, time range, ...), as JSON.
    pub stats: serde_json::Value,
}

impl Workspace {
    /// Records event store `name` (kept in [`Workspace::event_store_dir`]) with its stats,
    /// or replaces the stats of one already recorded.
    pub fn register_event_store(
        &self,
        name: &str,
        stats: &serde_json::Value,
    ) -> Result<EventStoreInfo> {
        validate_store_name(name)?;
        let dir = format!("{STORES_DIR}/{name}");
        let stats_json = stats.to_string();
        self.db().write(|tx| {
            tx.prepare_cached(
                "INSERT INTO event_stores (name, dir, created_at, stats) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (name) DO UPDATE SET stats = excluded.stats",
            )?
            .execute(params![name, dir, now(), stats_json])?;
            Ok(())
        })?;
        self.event_store(name)
    }

    /// The event store `name`.
    pub fn event_store(&self, name: &str) -> Result<EventStoreInfo> {
        let row = self.db().read(|conn| {
            conn.prepare_cached(&format!("{STORE_SELECT} WHERE name = ?1"))?
                .query_row([name], store_row)
                .optional()?
                .ok_or_else(|| StoreError::NotFound(format!("event store {name:?}")))
        })?;
        row.parse()
    }

    /// All event stores, by name.
    pub fn list_event_stores(&self) -> Result<Vec<EventStoreInfo>> {
        let rows = self.db().read(|conn| {
            let mut stmt = conn.prepare_cached(&format!("{STORE_SELECT} ORDER BY name"))?;
            let rows = stmt
                .query_map([], store_row)?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(rows)
        })?;
        rows.into_iter().map(StoreRow::parse).collect()
    }

    /// Forgets event store `name` (and its attachments); its files are left to the caller.
    pub fn unregister_event_store(&self, name: &str) -> Result<()> {
        self.db().write(|tx| {
            let n = tx
                .prepare_cached("DELETE FROM event_stores WHERE name = ?1")?
                .execute([name])?;
            if n == 0 {
                return Err(StoreError::NotFound(format!("event store {name:?}")));
            }
            Ok(())
        })
    }

    /// Attaches event store `store` to map `map` (attaching twice is not an error).
    pub fn attach_store(&self, map: &str, store: &str) -> Result<()> {
        self.db().write(|tx| {
            let map_row = live_row(tx, map)?;
            let store_row: i64 = tx
                .prepare_cached("SELECT id FROM event_stores WHERE name = ?1")?
                .query_row([store], |r| r.get(0))
                .optional()?
                .ok_or_else(|| StoreError::NotFound(format!("event store {store:?}")))?;
            tx.prepare_cached(
                "INSERT OR IGNORE INTO map_stores (map_id, store_id) VALUES (?1, ?2)",
            )?
            .execute([map_row, store_row])?;
            Ok(())
        })
    }

    /// Detaches event store `store` from map `map`.
    pub fn detach_store(&self, map: &str, store: &str) -> Result<()> {
        self.db().write(|tx| {
            let map_row = live_row(tx, map)?;
            let n = tx
                .prepare_cached(
                    "DELETE FROM map_stores WHERE map_id = ?1
                     AND store_id = (SELECT id FROM event_stores WHERE name = ?2)",
                )?
                .execute(params![map_row, store])?;
            if n == 0 {
                return Err(StoreError::NotFound(format!(
                    "event store {store:?} attached to map {map:?}"
                )));
            }
            Ok(())
        })
    }

    /// The names of the event stores attached to map `map`, sorted.
    pub fn stores_of_map(&self, map: &str) -> Result<Vec<String>> {
        self.db().read(|conn| {
            let map_row = live_row(conn, map)?;
            let mut stmt = conn.prepare_cached(
                "SELECT e.name FROM map_stores ms JOIN event_stores e ON e.id = ms.store_id
                 WHERE ms.map_id = ?1 ORDER BY e.name",
            )?;
            let names = stmt
                .query_map([map_row], |r| r.get(0))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(names)
        })
    }
}

const STORE_SELECT: &str = "SELECT name, dir, created_at, stats FROM event_stores";

/// A registry row before its stats are parsed.
struct StoreRow {
    name: String,
    dir: String,
    created_at: Timestamp,
    stats: String,
}

impl StoreRow {
    fn parse(self) -> Result<EventStoreInfo> {
        let stats = serde_json::from_str(&self.stats)
            .map_err(|e| StoreError::corrupt_json("event store stats", e))?;
        Ok(EventStoreInfo {
            name: self.name,
            dir: self.dir,
            created_at: self.created_at,
            stats,
        })
    }
}

fn store_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<StoreRow> {
    Ok(StoreRow {
        name: r.get(0)?,
        dir: r.get(1)?,
        created_at: r.get(2)?,
        stats: r.get(3)?,
    })
}
