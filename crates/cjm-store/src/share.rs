//! Read-only share links to a map, revocable at any time.

use rusqlite::{OptionalExtension, params};
use serde::Serialize;

use crate::error::{Result, StoreError};
use crate::maps::live_row;
use crate::secret::{new_token, token_hash};
use crate::users::UserId;
use crate::workspace::{Timestamp, Workspace, now};

/// A share link as listed (the token itself is shown only when made).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ShareLink {
    pub id: i64,
    /// The map's id.
    pub map: String,
    pub created_by: Option<UserId>,
    pub created_at: Timestamp,
    pub revoked_at: Option<Timestamp>,
}

impl Workspace {
    /// Makes a read-only link to map `map`. The returned token is its only copy.
    pub fn create_share_link(&self, map: &str, created_by: UserId) -> Result<(ShareLink, String)> {
        let token = new_token("")?;
        let hash = token_hash(&token);
        let link = self.db().write(|tx| {
            let row = live_row(tx, map)?;
            let created_at = now();
            tx.prepare_cached(
                "INSERT INTO share_links (map_id, token_hash, created_by, created_at) VALUES (?1, ?2, ?3, ?4)",
            )?
            .execute(params![row, hash, created_by, created_at])?;
            Ok(ShareLink {
                id: tx.last_insert_rowid(),
                map: map.to_owned(),
                created_by: Some(created_by),
                created_at,
                revoked_at: None,
            })
        })?;
        Ok((link, token))
    }

    /// The share links of map `map`, newest first, revoked ones included.
    pub fn list_share_links(&self, map: &str) -> Result<Vec<ShareLink>> {
        self.db().read(|conn| {
            let row = live_row(conn, map)?;
            let mut stmt = conn.prepare_cached(
                "SELECT id, created_by, created_at, revoked_at FROM share_links
                 WHERE map_id = ?1 ORDER BY id DESC",
            )?;
            let links = stmt
                .query_map([row], |r| {
                    Ok(ShareLink {
                        id: r.get(0)?,
                        map: map.to_owned(),
                        created_by: r.get(1)?,
                        created_at: r.get(2)?,
                        revoked_at: r.get(3)?,
                    })
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(links)
        })
    }

    /// Revokes share link `id`; its token stops working at once.
    pub fn revoke_share_link(&self, id: i64) -> Result<()> {
        self.db().write(|tx| {
            let n = tx
                .prepare_cached(
                    "UPDATE share_links SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL",
                )?
                .execute(params![id, now()])?;
            if n == 0 {
                return Err(StoreError::NotFound(format!("live share link {id}")));
            }
            Ok(())
        })
    }

    /// The id of the map a share token opens; [`StoreError::NotFound`] once revoked,
    /// for an unknown token, or when the map was deleted.
    pub fn resolve_share_link(&self, token: &str) -> Result<String> {
        let hash = token_hash(token);
        self.db().read(|conn| {
            conn.prepare_cached(
                "SELECT m.slug FROM share_links s JOIN maps m ON m.id = s.map_id
                 WHERE s.token_hash = ?1 AND s.revoked_at IS NULL AND m.deleted = 0",
            )?
            .query_row([hash], |r| r.get(0))
            .optional()?
            .ok_or_else(|| StoreError::NotFound("share link (unknown or revoked)".into()))
        })
    }
}
