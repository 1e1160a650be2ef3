//! API errors: each user error has a stable code and an HTTP status; internal errors hide their cause.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

/// Everything a request can fail with.
///
/// Variants other than [`ApiError::Internal`] are the caller's to fix and say how;
/// an internal error is logged on the server and answered with a generic message.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The request is malformed (bad JSON, a missing parameter).
    #[error("{0}")]
    BadRequest(String),
    /// No valid session, token or share link came with the request.
    #[error("sign in first, or send an API token as `Authorization: Bearer ...`")]
    Unauthenticated,
    /// The caller is known but its role does not allow this.
    #[error("{0}")]
    Forbidden(String),
    /// A state-changing request from a session came without the session's CSRF token.
    #[error("missing or wrong X-CSRF-Token header; reload the page to get a fresh token")]
    Csrf,
    /// The named thing does not exist (or is not visible to the caller).
    #[error("{0} not found")]
    NotFound(String),
    /// The update was based on a revision that is no longer the latest.
    #[error(
        "the map was changed by someone else and is at revision {current} now; reload it and apply your edit again"
    )]
    Conflict {
        /// The latest revision.
        current: i64,
    },
    /// A name or another unique value is already taken.
    #[error("{0}")]
    Exists(String),
    /// The request body is larger than the limit.
    #[error("the upload is larger than the limit of {limit} bytes")]
    TooLarge {
        /// The limit in bytes.
        limit: usize,
    },
    /// The content is well-formed but not valid (a map that fails validation, an unknown template).
    #[error("{0}")]
    Invalid(String),
    /// A failure that is not the caller's fault.
    #[error("internal error: {0}")]
    Internal(String),
}

/// The JSON body of every error answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// A stable, machine-readable code such as `revision_conflict`.
    pub code: &'static str,
    /// What went wrong and how to fix it, in English.
    pub message: String,
    /// For `revision_conflict`: the latest revision of the map.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current_revision: Option<i64>,
}

impl ApiError {
    /// The HTTP status of this error.
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::Unauthenticated => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) | ApiError::Csrf => StatusCode::FORBIDDEN,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::Conflict { .. } | ApiError::Exists(_) => StatusCode::CONFLICT,
            ApiError::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The stable code of this error.
    pub fn code(&self) -> &'static str {
        match self {
            ApiError::BadRequest(_) => "bad_request",
            ApiError::Unauthenticated => "unauthenticated",
            ApiError::Forbidden(_) => "forbidden",
            ApiError::Csrf => "csrf_token_invalid",
            ApiError::NotFound(_) => "not_found",
            ApiError::Conflict { .. } => "revision_conflict",
            ApiError::Exists(_) => "already_exists",
            ApiError::TooLarge { .. } => "payload_too_large",
            ApiError::Invalid(_) => "invalid_content",
            ApiError::Internal(_) => "internal",
        }
    }

    /// The answer body of this error.
    pub fn body(&self) -> ErrorBody {
        let message = match self {
            ApiError::Internal(_) => "internal error; the server log has the details".to_owned(),
            other => other.to_string(),
        };
        let current_revision = match self {
            ApiError::Conflict { current, .. } => Some(*current),
            _ => None,
        };
        ErrorBody {
            code: self.code(),
            message,
            current_revision,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let ApiError::Internal(cause) = &self {
            eprintln!("cjm-server: internal error: {cause}");
        }
        (self.status(), Json(self.body())).into_response()
    }
}

impl From<std::io::Error> for ApiError {
    fn from(error: std::io::Error) -> Self {
        ApiError::Internal(error.to_string())
    }
}

impl From<tokio::task::JoinError> for ApiError {
    fn from(error: tokio::task::JoinError) -> Self {
        ApiError::Internal(error.to_string())
    }
}

/// The result of a handler.
pub type ApiResult<T> = Result<T, ApiError>;

impl From<cjm_store::StoreError> for ApiError {
    fn from(error: cjm_store::StoreError) -> Self {
        use cjm_store::StoreError as S;
        match error {
            S::NotFound(what) => ApiError::NotFound(what),
            S::Conflict { current_rev } => ApiError::Conflict {
                current: current_rev,
            },
            S::Duplicate(what) => ApiError::Exists(what),
            S::Invalid(what) => ApiError::Invalid(what),
            S::Unauthorized => ApiError::Unauthenticated,
            S::Forbidden(what) => ApiError::Forbidden(what),
            S::Internal(what) => ApiError::Internal(what),
        }
    }
}
