//! API tokens for scripts and browser sessions with their CSRF tokens.
//!
//! Only SHA-256 hashes of tokens are stored; a token is shown once, when made.

use rusqlite::{OptionalExtension, params};
use serde::Serialize;

use crate::error::{Result, StoreError};
use crate::secret::{new_token, token_hash};
use crate::users::{User, UserId, user_where};
use crate::workspace::{Timestamp, Workspace, now};

/// The prefix of API tokens, so a leaked one is recognisable.
pub const API_TOKEN_PREFIX: &str = "cjm_";

/// An API token as listed (without the token itself).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApiToken {
    pub id: i64,
    pub user: UserId,
    /// What the owner called it (`ci`, `nightly import`, ...).
    pub name: String,
    pub created_at: Timestamp,
    pub revoked_at: Option<Timestamp>,
}

/// A session just opened: the two secrets to hand to the browser.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSession {
    /// The session cookie's value; only its hash is stored.
    pub token: String,
    /// The CSRF token the page sends back with every write.
    pub csrf_token: String,
    pub expires_at: Timestamp,
}

/// A live session found from its cookie.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub user: User,
    /// Compare (in constant time) with the CSRF token a write request carries.
    pub csrf_token: String,
    pub expires_at: Timestamp,
}

impl Workspace {
    /// Makes an API token for `user`. The returned string is the only copy of the token.
    pub fn create_api_token(&self, user: UserId, name: &str) -> Result<(ApiToken, String)> {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 100 {
            return Err(StoreError::Invalid(
                "a token name must have 1 to 100 characters".into(),
            ));
        }
        let token = new_token(API_TOKEN_PREFIX)?;
        let hash = token_hash(&token);
        let info = self.db().write(|tx| {
            if !tx.prepare_cached("SELECT 1 FROM users WHERE id = ?1")?.exists([user])? {
                return Err(StoreError::NotFound(format!("user {user}")));
            }
            let created_at = now();
            tx.prepare_cached(
                "INSERT INTO api_tokens (user_id, name, token_hash, created_at) VALUES (?1, ?2, ?3, ?4)",
            )?
            .execute(params![user, name, hash, created_at])?;
            Ok(ApiToken {
                id: tx.last_insert_rowid(),
                user,
                name: name.to_owned(),
                created_at,
                revoked_at: None,
            })
        })?;
        Ok((info, token))
    }

    /// The user an API token belongs to, or [`StoreError::Unauthorized`] for an unknown or revoked one.
    pub fn authenticate_api_token(&self, token: &str) -> Result<User> {
        let hash = token_hash(token);
        self.db().read(|conn| {
            user_where(
                conn,
                "id = (SELECT user_id FROM api_tokens WHERE token_hash = ?1 AND revoked_at IS NULL)",
                &hash,
            )?
            .ok_or(StoreError::Unauthorized)
        })
    }

    /// The API tokens of `user`, newest first.
    pub fn list_api_tokens(&self, user: UserId) -> Result<Vec<ApiToken>> {
        self.db().read(|conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT id, user_id, name, created_at, revoked_at FROM api_tokens
                 WHERE user_id = ?1 ORDER BY id DESC",
            )?;
            let tokens = stmt
                .query_map([user], |r| {
                    Ok(ApiToken {
                        id: r.get(0)?,
                        user: r.get(1)?,
                        name: r.get(2)?,
                        created_at: r.get(3)?,
                        revoked_at: r.get(4)?,
                    })
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(tokens)
        })
    }

    /// Revokes API token `id`; it stops working at once.
    pub fn revoke_api_token(&self, id: i64) -> Result<()> {
        self.db().write(|tx| {
            let n = tx
                .prepare_cached(
                    "UPDATE api_tokens SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL",
                )?
                .execute(params![id, now()])?;
            if n == 0 {
                return Err(StoreError::NotFound(format!("live API token {id}")));
            }
            Ok(())
        })
    }

    /// Opens a session for `user` that lasts `ttl_seconds`.
    pub fn create_session(&self, user: UserId, ttl_seconds: i64) -> Result<NewSession> {
        if ttl_seconds <= 0 {
            return Err(StoreError::Invalid(
                "a session must last a positive number of seconds".into(),
            ));
        }
        let token = new_token("")?;
        let csrf_token = new_token("")?;
        let hash = token_hash(&token);
        let created_at = now();
        let expires_at = created_at.saturating_add(ttl_seconds);
        self.db().write(|tx| {
            if !tx
                .prepare_cached("SELECT 1 FROM users WHERE id = ?1")?
                .exists([user])?
            {
                return Err(StoreError::NotFound(format!("user {user}")));
            }
            tx.prepare_cached(
                "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )?
            .execute(params![hash, user, csrf_token, created_at, expires_at])?;
            Ok(())
        })?;
        Ok(NewSession {
            token,
            csrf_token,
            expires_at,
        })
    }

    /// The live session of a cookie value, or [`StoreError::Unauthorized`] if unknown or expired.
    pub fn session(&self, token: &str) -> Result<Session> {
        let hash = token_hash(token);
        self.db().read(|conn| {
            conn.prepare_cached(
                "SELECT u.id, u.name, u.email, u.created_at, s.csrf_token, s.expires_at
                 FROM sessions s JOIN users u ON u.id = s.user_id
                 WHERE s.token_hash = ?1 AND s.expires_at > ?2",
            )?
            .query_row(params![hash, now()], |r| {
                Ok(Session {
                    user: User {
                        id: r.get(0)?,
                        name: r.get(1)?,
                        email: r.get(2)?,
                        created_at: r.get(3)?,
                    },
                    csrf_token: r.get(4)?,
                    expires_at: r.get(5)?,
                })
            })
            .optional()?
            .ok_or(StoreError::Unauthorized)
        })
    }

    /// Ends a session (sign out). Ending an unknown session is not an error.
    pub fn end_session(&self, token: &str) -> Result<()> {
        let hash = token_hash(token);
        self.db().write(|tx| {
            tx.prepare_cached("DELETE FROM sessions WHERE token_hash = ?1")?
                .execute([hash])?;
            Ok(())
        })
    }

    /// Deletes expired sessions; returns how many.
    pub fn purge_expired_sessions(&self) -> Result<usize> {
        self.db().write(|tx| {
            Ok(tx
                .prepare_cached("DELETE FROM sessions WHERE expires_at <= ?1")?
                .execute([now()])?)
        })
    }
}
