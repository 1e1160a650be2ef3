//! Access: sign in and out, the current session, users and roles, API tokens, read-only share links.

use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use cjm_store::Role;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{JsonBody, blocking};
use crate::auth::{Caller, clear_session_cookie, session_cookie};
use crate::error::{ApiResult, ErrorBody};
use crate::state::AppState;

/// Routes of this module.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(login))
        .routes(routes!(logout))
        .routes(routes!(whoami))
        .routes(routes!(list_users, create_user))
        .routes(routes!(create_token))
        .routes(routes!(revoke_token))
        .routes(routes!(list_shares, create_share))
        .routes(routes!(revoke_share))
}

/// Credentials.
#[derive(Deserialize, ToSchema)]
pub struct Login {
    email: String,
    password: String,
}

/// The signed-in user and the CSRF token that state-changing requests of this session must send.
#[derive(Serialize, ToSchema)]
pub struct Me {
    id: i64,
    name: String,
    /// `owner`, `editor` or `viewer`.
    role: &'static str,
    /// Send as `X-CSRF-Token` on every POST, PUT and DELETE of this session.
    #[serde(skip_serializing_if = "Option::is_none")]
    csrf: Option<String>,
}

/// Signs in with email and password; sets the session cookie.
#[utoipa::path(post, path = "/api/login", request_body = Login, tag = "access",
    responses((status = 200, body = Me), (status = 401, body = ErrorBody)))]
async fn login(
    State(state): State<AppState>,
    JsonBody(login): JsonBody<Login>,
) -> ApiResult<Response> {
    let (user, role, session) = blocking(&state, move |ws| {
        let user = ws.verify_password(&login.email, &login.password)?;
        let role = ws.require_role(user.id, Role::Viewer)?;
        let session = ws.create_session(user.id, crate::auth::SESSION_SECONDS)?;
        Ok((user, role, session))
    })
    .await?;
    let cookie = session_cookie(&session.token, state.secure_cookies);
    let me = Me {
        id: user.id,
        name: user.name,
        role: role.as_str(),
        csrf: Some(session.csrf_token),
    };
    Ok(([(header::SET_COOKIE, cookie)], axum::Json(me)).into_response())
}

/// Ends the session and clears its cookie.
#[utoipa::path(post, path = "/api/logout", tag = "access", responses((status = 204)))]
async fn logout(
    State(state): State<AppState>,
    headers: axum::http::HeaderMap,
    _caller: Caller,
) -> ApiResult<Response> {
    if let Some(token) = crate::i18n::cookie(&headers, crate::auth::SESSION_COOKIE) {
        blocking(&state, move |ws| ws.end_session(&token)).await?;
    }
    let cookie = clear_session_cookie(state.secure_cookies);
    Ok((StatusCode::NO_CONTENT, [(header::SET_COOKIE, cookie)]).into_response())
}

/// Who is calling.
#[utoipa::path(get, path = "/api/me", tag = "access", responses((status = 200, body = Me), (status = 401, body = ErrorBody)))]
async fn whoami(caller: Caller) -> axum::Json<Me> {
    axum::Json(Me {
        id: caller.user,
        name: caller.name,
        role: caller.role.as_str(),
        csrf: caller.csrf,
    })
}

/// A user as listed.
#[derive(Serialize, ToSchema)]
pub struct UserItem {
    id: i64,
    name: String,
    email: String,
    role: Option<&'static str>,
}

/// Lists the workspace's users (owners only).
#[utoipa::path(get, path = "/api/users", tag = "access",
    responses((status = 200, body = Vec<UserItem>), (status = 403, body = ErrorBody)))]
async fn list_users(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<axum::Json<Vec<UserItem>>> {
    caller.require_owner()?;
    let users = blocking(&state, |ws| {
        ws.list_users()?
            .into_iter()
            .map(|u| {
                Ok(UserItem {
                    role: ws.role_of(u.id)?.map(Role::as_str),
                    id: u.id,
                    name: u.name,
                    email: u.email,
                })
            })
            .collect()
    })
    .await?;
    Ok(axum::Json(users))
}

/// A new account.
#[derive(Deserialize, ToSchema)]
pub struct NewUser {
    name: String,
    email: String,
    password: String,
    /// `owner`, `editor` or `viewer`.
    role: String,
}

/// Creates an account with a role (owners only).
#[utoipa::path(post, path = "/api/users", request_body = NewUser, tag = "access",
    responses((status = 201, body = UserItem), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_user(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(new): JsonBody<NewUser>,
) -> ApiResult<(StatusCode, axum::Json<UserItem>)> {
    caller.require_owner()?;
    let item = blocking(&state, move |ws| {
        let role = Role::parse(&new.role)?;
        let user = ws.create_user(&new.name, &new.email, Some(&new.password))?;
        ws.set_role(user.id, role)?;
        Ok(UserItem {
            id: user.id,
            name: user.name,
            email: user.email,
            role: Some(role.as_str()),
        })
    })
    .await?;
    Ok((StatusCode::CREATED, axum::Json(item)))
}

/// A new API token's label.
#[derive(Deserialize, ToSchema)]
pub struct NewToken {
    /// What the token is for (`ci`, `export script`).
    name: String,
}

/// A new API token; the secret is shown only this once.
#[derive(Serialize, ToSchema)]
pub struct TokenCreated {
    id: i64,
    /// Send as `Authorization: Bearer <token>`.
    token: String,
}

/// Creates an API token acting as the caller.
#[utoipa::path(post, path = "/api/tokens", request_body = NewToken, tag = "access",
    responses((status = 201, body = TokenCreated), (status = 401, body = ErrorBody)))]
async fn create_token(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(new): JsonBody<NewToken>,
) -> ApiResult<(StatusCode, axum::Json<TokenCreated>)> {
    let user = caller.user;
    let (info, token) = blocking(&state, move |ws| ws.create_api_token(user, &new.name)).await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(TokenCreated { id: info.id, token }),
    ))
}

/// Revokes one of the caller's API tokens.
#[utoipa::path(delete, path = "/api/tokens/{id}", params(("id" = i64, Path)), tag = "access",
    responses((status = 204), (status = 404, body = ErrorBody)))]
async fn revoke_token(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    let user = caller.user;
    let owner = caller.require_owner().is_ok();
    blocking(&state, move |ws| {
        if !owner && !ws.list_api_tokens(user)?.iter().any(|t| t.id == id) {
            return Err(cjm_store::StoreError::NotFound(format!("API token {id}")));
        }
        ws.revoke_api_token(id)
    })
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A read-only share link of a map.
#[derive(Serialize, ToSchema)]
pub struct ShareItem {
    id: i64,
    /// The path of the shared view (`/s/<token>`); only in the answer that created the link.
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<String>,
    created_at: i64,
}

/// Lists a map's live share links.
#[utoipa::path(get, path = "/api/maps/{id}/shares", params(("id" = String, Path)), tag = "access",
    responses((status = 200, body = Vec<ShareItem>), (status = 403, body = ErrorBody)))]
async fn list_shares(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<axum::Json<Vec<ShareItem>>> {
    caller.require_owner()?;
    let links = blocking(&state, move |ws| ws.list_share_links(&id)).await?;
    Ok(axum::Json(
        links
            .into_iter()
            .filter(|link| link.revoked_at.is_none())
            .map(|link| ShareItem {
                id: link.id,
                url: None,
                created_at: link.created_at,
            })
            .collect(),
    ))
}

/// Creates a read-only share link of a map.
#[utoipa::path(post, path = "/api/maps/{id}/shares", params(("id" = String, Path)), tag = "access",
    responses((status = 201, body = ShareItem), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn create_share(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<(StatusCode, axum::Json<ShareItem>)> {
    caller.require_owner()?;
    let user = caller.user;
    let (link, token) = blocking(&state, move |ws| ws.create_share_link(&id, user)).await?;
    let item = ShareItem {
        id: link.id,
        url: Some(format!("/s/{token}")),
        created_at: link.created_at,
    };
    Ok((StatusCode::CREATED, axum::Json(item)))
}

/// Revokes a share link: its URL answers 404 from now on.
#[utoipa::path(delete, path = "/api/shares/{id}", params(("id" = i64, Path)), tag = "access",
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn revoke_share(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    caller.require_owner()?;
    blocking(&state, move |ws| ws.revoke_share_link(id)).await?;
    Ok(StatusCode::NO_CONTENT)
}
