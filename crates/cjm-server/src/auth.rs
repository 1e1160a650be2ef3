//! Who is calling: a session cookie (with its CSRF token), an API token, or nobody; and what their role allows.
//!
//! Sessions are the browser's way in: the cookie is HttpOnly and SameSite=Strict
//! (and Secure off loopback), and every state-changing request from a session
//! must carry the session's CSRF token in `X-CSRF-Token`. Scripts use API tokens
//! (`Authorization: Bearer ...`), which need no CSRF token because browsers never
//! send them on their own.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, header};
use cjm_store::{Role, UserId};

use crate::api::blocking;
use crate::error::ApiError;
use crate::state::AppState;

/// How long a session lasts, in seconds (30 days).
pub const SESSION_SECONDS: i64 = 30 * 24 * 3600;

/// The name of the session cookie.
pub const SESSION_COOKIE: &str = "cjm_session";

/// A signed-in caller.
#[derive(Debug, Clone)]
pub struct Caller {
    /// The user's id in the workspace.
    pub user: UserId,
    /// The user's name, for display.
    pub name: String,
    /// What the user may do.
    pub role: Role,
    /// The session's CSRF token, when the caller came with a session cookie.
    pub csrf: Option<String>,
}

impl Caller {
    /// Refuses callers that may not change maps, personas or data (viewers).
    pub fn require_write(&self) -> Result<(), ApiError> {
        if self.role.can_edit() {
            Ok(())
        } else {
            Err(ApiError::Forbidden(
                "viewers cannot change the workspace; ask an owner for the editor role".into(),
            ))
        }
    }

    /// Refuses callers that are not owners (user and role management).
    pub fn require_owner(&self) -> Result<(), ApiError> {
        match self.role {
            Role::Owner => Ok(()),
            _ => Err(ApiError::Forbidden("only an owner can do this".into())),
        }
    }
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(str::trim)
}

/// Whether a request changes state (anything but GET, HEAD and OPTIONS).
fn is_write(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// Finds the caller of a request without enforcing anything but CSRF.
///
/// Returns `Ok(None)` when the request carries no credentials at all.
pub async fn identify(
    state: &AppState,
    method: &Method,
    headers: &HeaderMap,
) -> Result<Option<Caller>, ApiError> {
    if let Some(token) = bearer(headers) {
        let token = token.to_owned();
        let (user, role) = blocking(state, move |ws| {
            let user = ws.authenticate_api_token(&token)?;
            let role = ws.require_role(user.id, Role::Viewer)?;
            Ok((user, role))
        })
        .await?;
        return Ok(Some(Caller {
            user: user.id,
            name: user.name,
            role,
            csrf: None,
        }));
    }
    let Some(token) = crate::i18n::cookie(headers, SESSION_COOKIE) else {
        return Ok(None);
    };
    let found = blocking(state, move |ws| {
        let session = ws.session(&token)?;
        let role = ws.require_role(session.user.id, Role::Viewer)?;
        Ok((session, role))
    })
    .await;
    let (session, role) = match found {
        Ok(found) => found,
        Err(ApiError::Unauthenticated | ApiError::NotFound(_)) => return Ok(None),
        Err(other) => return Err(other),
    };
    if is_write(method) {
        let sent = headers.get("x-csrf-token").and_then(|v| v.to_str().ok());
        let expected = session.csrf_token.as_bytes();
        if !sent.is_some_and(|sent| constant_time_eq(sent.as_bytes(), expected)) {
            return Err(ApiError::Csrf);
        }
    }
    Ok(Some(Caller {
        user: session.user.id,
        name: session.user.name,
        role,
        csrf: Some(session.csrf_token),
    }))
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        identify(state, &parts.method, &parts.headers)
            .await?
            .ok_or(ApiError::Unauthenticated)
    }
}

/// The `Set-Cookie` value that starts a session.
pub fn session_cookie(token: &str, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age={SESSION_SECONDS}{secure}"
    )
}

/// The `Set-Cookie` value that ends a session.
pub fn clear_session_cookie(secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0{secure}")
}
