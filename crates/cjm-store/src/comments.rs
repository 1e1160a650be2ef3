//! Comments on the cells of a map.

use rusqlite::{OptionalExtension, params};
use serde::Serialize;

use crate::error::{Result, StoreError};
use crate::maps::live_row;
use crate::users::UserId;
use crate::workspace::{Timestamp, Workspace, now};

/// The longest comment accepted, in characters.
pub const MAX_COMMENT_CHARS: usize = 10_000;

/// A comment on one cell.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Comment {
    pub id: i64,
    /// The map's id.
    pub map: String,
    /// The cell's id within the map.
    pub cell: String,
    pub author: Option<UserId>,
    pub author_name: Option<String>,
    pub text: String,
    pub created_at: Timestamp,
    pub resolved: bool,
}

impl Workspace {
    /// Adds a comment by `author` on cell `cell` of map `map`.
    pub fn add_comment(
        &self,
        map: &str,
        cell: &str,
        author: UserId,
        text: &str,
    ) -> Result<Comment> {
        let text = text.trim();
        if text.is_empty() || text.chars().count() > MAX_COMMENT_CHARS {
            return Err(StoreError::Invalid(format!(
                "a comment must have 1 to {MAX_COMMENT_CHARS} characters"
            )));
        }
        if cell.is_empty() || cell.len() > 200 {
            return Err(StoreError::Invalid(
                "a comment needs the id of a cell".into(),
            ));
        }
        let id = self.db().write(|tx| {
            let row = live_row(tx, map)?;
            if !tx.prepare_cached("SELECT 1 FROM users WHERE id = ?1")?.exists([author])? {
                return Err(StoreError::Invalid(format!("no user with id {author}")));
            }
            tx.prepare_cached(
                "INSERT INTO comments (map_id, cell_id, author, text, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            )?
            .execute(params![row, cell, author, text, now()])?;
            Ok(tx.last_insert_rowid())
        })?;
        self.get_comment(id)
    }

    /// The comment with this id.
    pub fn get_comment(&self, id: i64) -> Result<Comment> {
        self.db().read(|conn| {
            conn.prepare_cached(&format!("{COMMENT_SELECT} WHERE c.id = ?1"))?
                .query_row([id], comment_row)
                .optional()?
                .ok_or_else(|| StoreError::NotFound(format!("comment {id}")))
        })
    }

    /// The comments of map `map`, oldest first.
    pub fn list_comments(&self, map: &str) -> Result<Vec<Comment>> {
        self.db().read(|conn| {
            let row = live_row(conn, map)?;
            let mut stmt = conn.prepare_cached(&format!(
                "{COMMENT_SELECT} WHERE c.map_id = ?1 ORDER BY c.created_at, c.id"
            ))?;
            let comments = stmt
                .query_map([row], comment_row)?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(comments)
        })
    }

    /// Marks a comment resolved (or open again).
    pub fn resolve_comment(&self, id: i64, resolved: bool) -> Result<()> {
        self.db().write(|tx| {
            let n = tx
                .prepare_cached("UPDATE comments SET resolved = ?2 WHERE id = ?1")?
                .execute(params![id, resolved])?;
            if n == 0 {
                return Err(StoreError::NotFound(format!("comment {id}")));
            }
            Ok(())
        })
    }

    /// Deletes a comment.
    pub fn delete_comment(&self, id: i64) -> Result<()> {
        self.db().write(|tx| {
            let n = tx
                .prepare_cached("DELETE FROM comments WHERE id = ?1")?
                .execute([id])?;
            if n == 0 {
                return Err(StoreError::NotFound(format!("comment {id}")));
            }
            Ok(())
        })
    }
}

const COMMENT_SELECT: &str =
    "SELECT c.id, m.slug, c.cell_id, c.author, u.name, c.text, c.created_at, c.resolved
     FROM comments c JOIN maps m ON m.id = c.map_id LEFT JOIN users u ON u.id = c.author";

fn comment_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Comment> {
    Ok(Comment {
        id: r.get(0)?,
        map: r.get(1)?,
        cell: r.get(2)?,
        author: r.get(3)?,
        author_name: r.get(4)?,
        text: r.get(5)?,
        created_at: r.get(6)?,
        resolved: r.get(7)?,
    })
}
