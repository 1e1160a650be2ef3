//! Accounts, their passwords (argon2id) and their role in the workspace.

use argon2::{Argon2, PasswordHasher, PasswordVerifier};
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

use crate::error::{Result, StoreError};
use crate::workspace::{Timestamp, Workspace, now};

/// The row id of a user.
pub type UserId = i64;

/// The email of the account that `ensure_local_owner` makes.
pub const LOCAL_OWNER_EMAIL: &str = "owner@localhost";
/// Passwords shorter than this are refused.
pub const MIN_PASSWORD_CHARS: usize = 8;
/// Passwords longer than this (bytes) are refused, so hashing stays bounded.
const MAX_PASSWORD_BYTES: usize = 1024;

/// An account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct User {
    pub id: UserId,
    pub name: String,
    pub email: String,
    pub created_at: Timestamp,
}

/// What a user may do in the workspace. Ordered: a higher role can do all a lower one can.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Reads maps, personas, data and comments.
    Viewer,
    /// Also edits maps and personas, comments, imports data.
    Editor,
    /// Also manages users, roles, share links and settings.
    Owner,
}

impl Role {
    /// The name stored and shown: `owner`, `editor` or `viewer`.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::Editor => "editor",
            Role::Owner => "owner",
        }
    }

    /// Parses `owner`, `editor` or `viewer`.
    pub fn parse(name: &str) -> Result<Role> {
        match name {
            "viewer" => Ok(Role::Viewer),
            "editor" => Ok(Role::Editor),
            "owner" => Ok(Role::Owner),
            other => Err(StoreError::Invalid(format!(
                "unknown role {other:?}: expected owner, editor or viewer"
            ))),
        }
    }

    /// True for editors and owners.
    pub fn can_edit(self) -> bool {
        self >= Role::Editor
    }
}

impl Workspace {
    /// Creates an account; `password` None makes one that cannot sign in with a password.
    pub fn create_user(&self, name: &str, email: &str, password: Option<&str>) -> Result<User> {
        let name = name.trim();
        let email = email.trim();
        if name.is_empty() || name.chars().count() > 200 {
            return Err(StoreError::Invalid(
                "a user name must be 1 to 200 characters".into(),
            ));
        }
        if email.len() > 320 || !email.contains('@') || email.chars().any(char::is_whitespace) {
            return Err(StoreError::Invalid(format!(
                "{email:?} is not an email address (expected name@domain)"
            )));
        }
        let hash = password.map(hash_password).transpose()?;
        self.db().write(|tx| {
            let taken = tx
                .prepare_cached("SELECT 1 FROM users WHERE email = ?1")?
                .exists([email])?;
            if taken {
                return Err(StoreError::Duplicate(format!("a user with email {email:?}")));
            }
            let created_at = now();
            tx.prepare_cached(
                "INSERT INTO users (name, email, password_hash, created_at) VALUES (?1, ?2, ?3, ?4)",
            )?
            .execute(params![name, email, hash, created_at])?;
            Ok(User {
                id: tx.last_insert_rowid(),
                name: name.to_owned(),
                email: email.to_owned(),
                created_at,
            })
        })
    }

    /// The user with this id.
    pub fn get_user(&self, id: UserId) -> Result<User> {
        self.db().read(|conn| {
            user_where(conn, "id = ?1", id)?
                .ok_or_else(|| StoreError::NotFound(format!("user {id}")))
        })
    }

    /// The user with this email (case-insensitive), if any.
    pub fn find_user_by_email(&self, email: &str) -> Result<Option<User>> {
        self.db()
            .read(|conn| user_where(conn, "email = ?1", email.trim()))
    }

    /// All users, by id.
    pub fn list_users(&self) -> Result<Vec<User>> {
        self.db().read(|conn| {
            let mut stmt = conn.prepare_cached(&format!("{USER_SELECT} ORDER BY id"))?;
            let users = stmt
                .query_map([], user_row)?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(users)
        })
    }

    /// Signs in: the user whose email and password match, or [`StoreError::Unauthorized`].
    ///
    /// An unknown email and a wrong password give the same answer.
    pub fn verify_password(&self, email: &str, password: &str) -> Result<User> {
        let found: Option<(User, Option<String>)> = self.db().read(|conn| {
            Ok(conn
                .prepare_cached(
                    "SELECT id, name, email, created_at, password_hash FROM users WHERE email = ?1",
                )?
                .query_row([email.trim()], |r| Ok((user_row(r)?, r.get(4)?)))
                .optional()?)
        })?;
        let Some((user, Some(hash))) = found else {
            return Err(StoreError::Unauthorized);
        };
        let matches = Argon2::default()
            .verify_password(password.as_bytes(), hash.as_str())
            .is_ok();
        if matches {
            Ok(user)
        } else {
            Err(StoreError::Unauthorized)
        }
    }

    /// Replaces a user's password.
    pub fn set_password(&self, user: UserId, password: &str) -> Result<()> {
        let hash = hash_password(password)?;
        self.db().write(|tx| {
            let n = tx
                .prepare_cached("UPDATE users SET password_hash = ?2 WHERE id = ?1")?
                .execute(params![user, hash])?;
            if n == 0 {
                return Err(StoreError::NotFound(format!("user {user}")));
            }
            Ok(())
        })
    }

    /// Gives `user` a role in this workspace (replacing the one it had).
    pub fn set_role(&self, user: UserId, role: Role) -> Result<()> {
        self.db().write(|tx| {
            if !tx
                .prepare_cached("SELECT 1 FROM users WHERE id = ?1")?
                .exists([user])?
            {
                return Err(StoreError::NotFound(format!("user {user}")));
            }
            tx.prepare_cached(
                "INSERT INTO roles (user_id, role) VALUES (?1, ?2)
                 ON CONFLICT (user_id) DO UPDATE SET role = excluded.role",
            )?
            .execute(params![user, role.as_str()])?;
            Ok(())
        })
    }

    /// Takes away `user`'s role: the account stays but can no longer see the workspace.
    pub fn remove_role(&self, user: UserId) -> Result<()> {
        self.db().write(|tx| {
            tx.prepare_cached("DELETE FROM roles WHERE user_id = ?1")?
                .execute([user])?;
            Ok(())
        })
    }

    /// The role of `user`, None when it has none.
    pub fn role_of(&self, user: UserId) -> Result<Option<Role>> {
        let name: Option<String> = self.db().read(|conn| {
            Ok(conn
                .prepare_cached("SELECT role FROM roles WHERE user_id = ?1")?
                .query_row([user], |r| r.get(0))
                .optional()?)
        })?;
        name.as_deref().map(Role::parse).transpose()
    }

    /// Checks that `user` has at least role `needed`: its role, or [`StoreError::Forbidden`].
    pub fn require_role(&self, user: UserId, needed: Role) -> Result<Role> {
        match self.role_of(user)? {
            Some(role) if role >= needed => Ok(role),
            Some(role) => Err(StoreError::Forbidden(format!(
                "this needs the {} role; you are {}",
                needed.as_str(),
                role.as_str()
            ))),
            None => Err(StoreError::Forbidden(
                "you have no role in this workspace".into(),
            )),
        }
    }

    /// The local owner account for `cjm demo` and a server on 127.0.0.1, made on first call.
    ///
    /// It has no password (nobody can sign in as it from elsewhere) and the owner role.
    pub fn ensure_local_owner(&self) -> Result<User> {
        self.db().write(|tx| {
            let existing = user_where(tx, "email = ?1", LOCAL_OWNER_EMAIL)?;
            let user = match existing {
                Some(user) => user,
                None => {
                    let created_at = now();
                    tx.prepare_cached(
                        "INSERT INTO users (name, email, password_hash, created_at)
                         VALUES ('Local owner', ?1, NULL, ?2)",
                    )?
                    .execute(params![LOCAL_OWNER_EMAIL, created_at])?;
                    User {
                        id: tx.last_insert_rowid(),
                        name: "Local owner".to_owned(),
                        email: LOCAL_OWNER_EMAIL.to_owned(),
                        created_at,
                    }
                }
            };
            tx.prepare_cached(
                "INSERT INTO roles (user_id, role) VALUES (?1, 'owner')
                 ON CONFLICT (user_id) DO UPDATE SET role = 'owner'",
            )?
            .execute([user.id])?;
            Ok(user)
        })
    }
}

const USER_SELECT: &str = "SELECT id, name, email, created_at FROM users";

fn user_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<User> {
    Ok(User {
        id: r.get(0)?,
        name: r.get(1)?,
        email: r.get(2)?,
        created_at: r.get(3)?,
    })
}

/// The one user matching `condition` (with parameter `?1`), if any.
pub(crate) fn user_where(
    conn: &Connection,
    condition: &str,
    value: impl rusqlite::ToSql,
) -> Result<Option<User>> {
    Ok(conn
        .prepare_cached(&format!("{USER_SELECT} WHERE {condition}"))?
        .query_row([value], user_row)
        .optional()?)
}

/// The argon2id PHC string of a password, with default parameters and a random salt.
fn hash_password(password: &str) -> Result<String> {
    if password.chars().count() < MIN_PASSWORD_CHARS || password.len() > MAX_PASSWORD_BYTES {
        return Err(StoreError::Invalid(format!(
            "a password must have at least {MIN_PASSWORD_CHARS} characters (and at most {MAX_PASSWORD_BYTES} bytes)"
        )));
    }
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|hash| hash.to_string())
        .map_err(|e| StoreError::Internal(format!("password hashing failed: {e}")))
}
