//! Maps and their append-only history of revisions.
//!
//! Every save appends a revision; a save names the revision it was based on,
//! and a stale one is refused with [`StoreError::Conflict`], so no update is
//! lost silently. The check and the insert run in one IMMEDIATE transaction.

use std::sync::Arc;

use cjm_model::Map;
use rusqlite::{Connection, OptionalExtension, Transaction, params};
use serde::Serialize;

use crate::cache::CachedRevision;
use crate::diff::MapDiff;
use crate::error::{Result, StoreError};
use crate::users::UserId;
use crate::workspace::{Timestamp, Workspace, now};

/// The longest map id accepted (bytes).
const MAX_MAP_ID: usize = 200;

/// A map's row after a create or save.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MapRecord {
    /// The map's id (`Map::id`).
    pub id: String,
    /// The revision now current.
    pub rev: i64,
    pub title: String,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// A map as listed on the workspace home.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MapSummary {
    pub id: String,
    pub title: String,
    pub description: String,
    /// The current revision.
    pub rev: i64,
    pub stage_count: i64,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// One entry of a map's history.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RevisionInfo {
    pub rev: i64,
    /// The user who saved it (None once the account is deleted).
    pub author: Option<UserId>,
    pub author_name: Option<String>,
    pub created_at: Timestamp,
    /// What the author wrote when saving (may be empty).
    pub message: String,
    /// What changed against the previous revision, in words (`2 cells changed, 1 stage added`).
    pub summary: String,
}

/// A past (or the current) state of a map.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Revision {
    pub info: RevisionInfo,
    pub map: Map,
}

/// The row of a live (not deleted) map, read inside a transaction.
struct Head {
    row: i64,
    rev: i64,
    json: String,
}

impl Workspace {
    /// Stores a new map as revision 1 and returns its record.
    ///
    /// The map's own `id` becomes its key; a live map with that id gives
    /// [`StoreError::Duplicate`]. A deleted map with that id comes back with a
    /// new revision appended to its old history.
    pub fn create_map(&self, map: &Map, author: UserId) -> Result<MapRecord> {
        validate_map_id(&map.id)?;
        let json = to_json(map)?;
        self.db().write(|tx| {
            let now = now();
            let existing: Option<(i64, i64, bool)> = tx
                .prepare_cached("SELECT id, current_revision, deleted FROM maps WHERE slug = ?1")?
                .query_row([&map.id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                .optional()?;
            let (row, rev, summary) = match existing {
                Some((_, _, false)) => {
                    return Err(StoreError::Duplicate(format!(
                        "a map with id {:?} already exists",
                        map.id
                    )));
                }
                Some((row, rev, true)) => (row, rev + 1, "created again".to_owned()),
                None => {
                    tx.prepare_cached(
                        "INSERT INTO maps (slug, title, current_revision, created_at, updated_at)
                         VALUES (?1, ?2, 0, ?3, ?3)",
                    )?
                    .execute(params![map.id, map.title, now])?;
                    (tx.last_insert_rowid(), 1, "created".to_owned())
                }
            };
            append_revision(tx, row, rev, map, &json, author, "", &summary, now)?;
            Ok(MapRecord {
                id: map.id.clone(),
                rev,
                title: map.title.clone(),
                created_at: created_at(tx, row)?,
                updated_at: now,
            })
        })
    }

    /// Saves `map` as the next revision of map `id`, if `base_rev` is still the current one.
    ///
    /// Returns the new revision number. A stale `base_rev` gives
    /// [`StoreError::Conflict`] with the current revision and changes nothing.
    pub fn save_map(
        &self,
        id: &str,
        base_rev: i64,
        map: &Map,
        author: UserId,
        message: &str,
    ) -> Result<i64> {
        if map.id != id {
            return Err(StoreError::Invalid(format!(
                "the map's id {:?} differs from {id:?}: a map's id never changes",
                map.id
            )));
        }
        let json = to_json(map)?;
        self.db().write(|tx| {
            let head = head(tx, id)?;
            if head.rev != base_rev {
                return Err(StoreError::Conflict {
                    current_rev: head.rev,
                });
            }
            let summary = summary_against(&head.json, map)?;
            let rev = head.rev + 1;
            append_revision(
                tx,
                head.row,
                rev,
                map,
                &json,
                author,
                message,
                &summary,
                now(),
            )?;
            Ok(rev)
        })
    }

    /// The current state of map `id` and its revision number.
    pub fn get_map(&self, id: &str) -> Result<(Map, i64)> {
        let (map, rev) = self.get_map_shared(id)?;
        Ok((Arc::unwrap_or_clone(map), rev))
    }

    /// The current state of map `id`, shared and parsed once per revision:
    /// the fast path for rendering a map on every request.
    pub fn get_map_shared(&self, id: &str) -> Result<(Arc<Map>, i64)> {
        let (current, rev) = self.current_revision(id)?;
        Ok((current.map.clone(), rev))
    }

    /// The current state of map `id` as stored JSON, and its revision number:
    /// the fast path for serving a map as JSON.
    pub fn get_map_json(&self, id: &str) -> Result<(String, i64)> {
        let (current, rev) = self.current_revision(id)?;
        Ok((current.json.to_string(), rev))
    }

    /// The current revision of map `id`, from the cache when it holds it.
    fn current_revision(&self, id: &str) -> Result<(Arc<CachedRevision>, i64)> {
        let rev: i64 = self.db().read(|conn| {
            conn.prepare_cached(
                "SELECT current_revision FROM maps WHERE slug = ?1 AND deleted = 0",
            )?
            .query_row([id], |r| r.get(0))
            .optional()?
            .ok_or_else(|| map_not_found(id))
        })?;
        if let Some(cached) = self.revision_cache().get(id, rev) {
            return Ok((cached, rev));
        }
        // Revision `rev` is immutable, even if a newer one was saved meanwhile.
        let json: String = self.db().read(|conn| {
            conn.prepare_cached(
                "SELECT r.json FROM revisions r JOIN maps m ON m.id = r.map_id
                 WHERE m.slug = ?1 AND r.rev = ?2",
            )?
            .query_row(params![id, rev], |r| r.get(0))
            .optional()?
            .ok_or_else(|| map_not_found(id))
        })?;
        let cached = Arc::new(CachedRevision {
            map: Arc::new(parse_map(&json)?),
            json: json.into(),
        });
        self.revision_cache().insert(id, rev, cached.clone());
        Ok((cached, rev))
    }

    /// Live maps, most recently updated first; with `search`, only those whose
    /// title, description or persona names contain it (case-insensitive).
    pub fn list_maps(&self, search: Option<&str>) -> Result<Vec<MapSummary>> {
        let needle = search.map(str::trim).unwrap_or("").to_lowercase();
        self.db().read(|conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT slug, title, description, current_revision, stage_count, created_at, updated_at
                 FROM maps WHERE deleted = 0 AND instr(search_text, ?1) > 0
                 ORDER BY updated_at DESC, slug",
            )?;
            let rows = stmt
                .query_map([&needle], |r| {
                    Ok(MapSummary {
                        id: r.get(0)?,
                        title: r.get(1)?,
                        description: r.get(2)?,
                        rev: r.get(3)?,
                        stage_count: r.get(4)?,
                        created_at: r.get(5)?,
                        updated_at: r.get(6)?,
                    })
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(rows)
        })
    }

    /// The history of map `id`, newest revision first.
    pub fn revisions(&self, id: &str) -> Result<Vec<RevisionInfo>> {
        self.db().read(|conn| {
            let row = live_row(conn, id)?;
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT {REVISION_COLUMNS} {REVISION_FROM} WHERE r.map_id = ?1 ORDER BY r.rev DESC"
            ))?;
            let rows = stmt
                .query_map([row], revision_info)?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(rows)
        })
    }

    /// Revision `rev` of map `id`.
    pub fn get_revision(&self, id: &str, rev: i64) -> Result<Revision> {
        let (info, json) = self.db().read(|conn| {
            let row = live_row(conn, id)?;
            conn.prepare_cached(&format!(
                "SELECT {REVISION_COLUMNS}, r.json {REVISION_FROM} WHERE r.map_id = ?1 AND r.rev = ?2"
            ))?
            .query_row(params![row, rev], |r| Ok((revision_info(r)?, r.get::<_, String>(6)?)))
            .optional()?
            .ok_or_else(|| StoreError::NotFound(format!("revision {rev} of map {id:?}")))
        })?;
        Ok(Revision {
            info,
            map: parse_map(&json)?,
        })
    }

    /// What changed from revision `a` to revision `b` of map `id`.
    pub fn diff_revisions(&self, id: &str, a: i64, b: i64) -> Result<MapDiff> {
        let old = self.get_revision(id, a)?;
        let new = self.get_revision(id, b)?;
        Ok(MapDiff::between(&old.map, &new.map))
    }

    /// Makes revision `rev` current again by appending a copy of it as a new
    /// revision (history is never rewritten). Returns the new revision number.
    pub fn restore_revision(&self, id: &str, rev: i64, author: UserId) -> Result<i64> {
        self.db().write(|tx| {
            let head = head(tx, id)?;
            let json: String = tx
                .prepare_cached("SELECT json FROM revisions WHERE map_id = ?1 AND rev = ?2")?
                .query_row(params![head.row, rev], |r| r.get(0))
                .optional()?
                .ok_or_else(|| StoreError::NotFound(format!("revision {rev} of map {id:?}")))?;
            let map = parse_map(&json)?;
            let summary = summary_against(&head.json, &map)?;
            let new_rev = head.rev + 1;
            let message = format!("restored revision {rev}");
            append_revision(
                tx,
                head.row,
                new_rev,
                &map,
                &json,
                author,
                &message,
                &summary,
                now(),
            )?;
            Ok(new_rev)
        })
    }

    /// Deletes map `id` from the workspace's lists; its history stays in the database.
    pub fn delete_map(&self, id: &str) -> Result<()> {
        self.db().write(|tx| {
            let head = head(tx, id)?;
            tx.prepare_cached("UPDATE maps SET deleted = 1, updated_at = ?2 WHERE id = ?1")?
                .execute(params![head.row, now()])?;
            Ok(())
        })
    }
}

/// The columns of a [`RevisionInfo`], joined with the author's name.
const REVISION_COLUMNS: &str = "r.rev, r.author, u.name, r.created_at, r.message, r.summary";
const REVISION_FROM: &str = "FROM revisions r LEFT JOIN users u ON u.id = r.author";

fn revision_info(r: &rusqlite::Row<'_>) -> rusqlite::Result<RevisionInfo> {
    Ok(RevisionInfo {
        rev: r.get(0)?,
        author: r.get(1)?,
        author_name: r.get(2)?,
        created_at: r.get(3)?,
        message: r.get(4)?,
        summary: r.get(5)?,
    })
}

/// The row id of the live map `id`.
pub(crate) fn live_row(conn: &Connection, id: &str) -> Result<i64> {
    conn.prepare_cached("SELECT id FROM maps WHERE slug = ?1 AND deleted = 0")?
        .query_row([id], |r| r.get(0))
        .optional()?
        .ok_or_else(|| map_not_found(id))
}

fn head(tx: &Transaction, id: &str) -> Result<Head> {
    tx.prepare_cached(
        "SELECT m.id, m.current_revision, r.json FROM maps m
         JOIN revisions r ON r.map_id = m.id AND r.rev = m.current_revision
         WHERE m.slug = ?1 AND m.deleted = 0",
    )?
    .query_row([id], |r| {
        Ok(Head {
            row: r.get(0)?,
            rev: r.get(1)?,
            json: r.get(2)?,
        })
    })
    .optional()?
    .ok_or_else(|| map_not_found(id))
}

fn created_at(tx: &Transaction, row: i64) -> Result<Timestamp> {
    Ok(tx
        .prepare_cached("SELECT created_at FROM maps WHERE id = ?1")?
        .query_row([row], |r| r.get(0))?)
}

/// Appends revision `rev` and makes it the map's current one.
#[allow(clippy::too_many_arguments)]
fn append_revision(
    tx: &Transaction,
    row: i64,
    rev: i64,
    map: &Map,
    json: &str,
    author: UserId,
    message: &str,
    summary: &str,
    now: Timestamp,
) -> Result<()> {
    let author_exists = tx
        .prepare_cached("SELECT 1 FROM users WHERE id = ?1")?
        .exists([author])?;
    if !author_exists {
        return Err(StoreError::Invalid(format!("no user with id {author}")));
    }
    tx.prepare_cached(
        "INSERT INTO revisions (map_id, rev, json, author, message, summary, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![row, rev, json, author, message, summary, now])?;
    tx.prepare_cached(
        "UPDATE maps SET title = ?2, description = ?3, search_text = ?4, stage_count = ?5,
                current_revision = ?6, updated_at = ?7, deleted = 0
         WHERE id = ?1",
    )?
    .execute(params![
        row,
        map.title,
        map.description,
        search_text(map),
        map.stages.len() as i64,
        rev,
        now
    ])?;
    Ok(())
}

/// The lowercased text that `list_maps` searches.
fn search_text(map: &Map) -> String {
    let mut text = format!("{}\n{}", map.title, map.description);
    for persona in &map.personas {
        text.push('\n');
        text.push_str(&persona.name);
    }
    text.to_lowercase()
}

fn summary_against(previous_json: &str, map: &Map) -> Result<String> {
    Ok(MapDiff::between(&parse_map(previous_json)?, map).summary())
}

fn validate_map_id(id: &str) -> Result<()> {
    if id.trim().is_empty() || id.len() > MAX_MAP_ID || id.chars().any(char::is_control) {
        return Err(StoreError::Invalid(format!(
            "map id {id:?} is not usable: give 1 to {MAX_MAP_ID} bytes without control characters"
        )));
    }
    Ok(())
}

fn map_not_found(id: &str) -> StoreError {
    StoreError::NotFound(format!("map {id:?}"))
}

fn to_json(map: &Map) -> Result<String> {
    serde_json::to_string(map)
        .map_err(|e| StoreError::Invalid(format!("the map cannot be written as JSON: {e}")))
}

fn parse_map(json: &str) -> Result<Map> {
    serde_json::from_str(json).map_err(|e| StoreError::corrupt_json("map", e))
}
