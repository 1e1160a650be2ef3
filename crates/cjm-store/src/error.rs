//! The errors of the workspace database, shaped so a server can map each to an HTTP status.

/// What went wrong in a workspace call.
///
/// The first variants are the caller's doing (a server answers them with 4xx);
/// `Internal` is ours (5xx).
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The map, persona, user, revision, link or store does not exist (404).
    #[error("not found: {0}")]
    NotFound(String),
    /// The update was based on `base_rev` but the map is already at `current_rev` (409).
    #[error(
        "conflict: the map is at revision {current_rev}, the update was based on an older one; reload and apply the change again"
    )]
    Conflict {
        /// The revision the map is at now.
        current_rev: i64,
    },
    /// Something with this id or name already exists (409).
    #[error("already exists: {0}")]
    Duplicate(String),
    /// The input is not acceptable: what was expected is in the message (400/422).
    #[error("invalid input: {0}")]
    Invalid(String),
    /// Wrong password, unknown or expired token or session (401).
    #[error("not signed in or credentials not valid")]
    Unauthorized,
    /// Signed in, but the role does not allow this (403).
    #[error("forbidden: {0}")]
    Forbidden(String),
    /// The database or the file system failed (500).
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<rusqlite::Error> for StoreError {
    fn from(err: rusqlite::Error) -> Self {
        StoreError::Internal(format!("database: {err}"))
    }
}

impl From<std::io::Error> for StoreError {
    fn from(err: std::io::Error) -> Self {
        StoreError::Internal(format!("file system: {err}"))
    }
}

impl StoreError {
    /// A stored JSON document that no longer parses: the database holds something this version cannot read.
    pub(crate) fn corrupt_json(what: &str, err: serde_json::Error) -> Self {
        StoreError::Internal(format!("stored {what} is not valid JSON: {err}"))
    }
}

/// Shorthand for results of this crate.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;
