//! Maps: list, create from a template, import, read, save with a base revision, delete,
//! history (revisions, diff, restore), comments and exports.

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use cjm_model::Map;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{JsonBody, blocking};
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::state::AppState;

/// Routes of this module.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_maps, create_map))
        .routes(routes!(import_map))
        .routes(routes!(get_map, save_map, delete_map))
        .routes(routes!(list_revisions))
        .routes(routes!(get_revision))
        .routes(routes!(diff_revisions))
        .routes(routes!(restore_revision))
        .routes(routes!(list_comments, add_comment))
        .routes(routes!(delete_comment))
        .routes(routes!(export_map))
        .routes(routes!(list_templates))
}

/// A search over the workspace's maps.
#[derive(Deserialize, IntoParams)]
pub struct Search {
    /// Words to look for in titles and descriptions.
    q: Option<String>,
}

/// A map as listed.
#[derive(Serialize, ToSchema)]
pub struct MapItem {
    id: String,
    title: String,
    description: String,
    revision: i64,
    stages: i64,
    /// Seconds since the Unix epoch.
    updated_at: i64,
}

/// Lists the maps of the workspace, newest first.
#[utoipa::path(get, path = "/api/maps", params(Search), tag = "maps",
    responses((status = 200, body = Vec<MapItem>), (status = 401, body = ErrorBody)))]
async fn list_maps(
    State(state): State<AppState>,
    _caller: Caller,
    Query(search): Query<Search>,
) -> ApiResult<axum::Json<Vec<MapItem>>> {
    let maps = blocking(&state, move |ws| ws.list_maps(search.q.as_deref())).await?;
    Ok(axum::Json(
        maps.into_iter()
            .map(|m| MapItem {
                id: m.id,
                title: m.title,
                description: m.description,
                revision: m.rev,
                stages: m.stage_count,
                updated_at: m.updated_at,
            })
            .collect(),
    ))
}

/// Which template to start a map from.
#[derive(Deserialize, ToSchema)]
pub struct NewMap {
    /// A template name from `GET /api/templates`.
    template: String,
    /// The language of the template's labels: en, ru, zh or pl.
    #[serde(default = "english")]
    lang: String,
    /// The title; the template's when absent.
    title: Option<String>,
}

fn english() -> String {
    "en".to_owned()
}

/// Where a new or saved map is now.
#[derive(Serialize, ToSchema)]
pub struct Saved {
    /// The map's id.
    id: String,
    /// The revision now current.
    revision: i64,
}

impl Saved {
    /// Where map `id` is after a write.
    pub fn new(id: String, revision: i64) -> Self {
        Self { id, revision }
    }
}

/// Creates a map from a template.
#[utoipa::path(post, path = "/api/maps", request_body = NewMap, tag = "maps",
    responses((status = 201, body = Saved), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_map(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(new): JsonBody<NewMap>,
) -> ApiResult<(StatusCode, axum::Json<Saved>)> {
    caller.require_write()?;
    let mut map = crate::workspace::from_template(&new.template, &new.lang)?;
    if let Some(title) = new.title.filter(|t| !t.trim().is_empty()) {
        map.title = title.trim().to_owned();
    }
    let saved = crate::workspace::insert_map(&state, map, caller.user).await?;
    Ok((StatusCode::CREATED, axum::Json(saved)))
}

/// The file name of an imported map; its extension picks the format.
#[derive(Deserialize, IntoParams)]
pub struct ImportName {
    /// `name.yaml`, `name.json`, `name.csv` or `name.mmd`.
    name: String,
}

/// Imports a map file (YAML, JSON, CSV or Mermaid) sent as the request body.
#[utoipa::path(post, path = "/api/maps/import", params(ImportName), request_body(content = String, content_type = "application/octet-stream"), tag = "maps",
    responses((status = 201, body = Saved), (status = 413, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn import_map(
    State(state): State<AppState>,
    caller: Caller,
    Query(file): Query<ImportName>,
    body: Bytes,
) -> ApiResult<(StatusCode, axum::Json<Saved>)> {
    caller.require_write()?;
    let map = crate::workspace::parse_upload(&file.name, &body)?;
    let saved = crate::workspace::insert_map(&state, map, caller.user).await?;
    Ok((StatusCode::CREATED, axum::Json(saved)))
}

/// Reads a map and its current revision.
#[utoipa::path(get, path = "/api/maps/{id}", params(("id" = String, Path)), tag = "maps",
    responses((status = 200, description = "`{id, revision, map}`", body = Object), (status = 404, body = ErrorBody)))]
async fn get_map(
    State(state): State<AppState>,
    _caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    crate::workspace::map_json_response(&state, id).await
}

/// A save: the whole map and the revision it was based on.
#[derive(Deserialize, ToSchema)]
pub struct SaveMap {
    /// The revision the edit started from; a stale one gets 409.
    base_revision: i64,
    /// The map in the cjm JSON format.
    #[schema(value_type = Object)]
    map: Map,
    /// A note for the history.
    #[serde(default)]
    message: String,
}

/// Saves a map as a new revision, if `base_revision` is still the latest (else 409 with the latest).
#[utoipa::path(put, path = "/api/maps/{id}", params(("id" = String, Path)), request_body = SaveMap, tag = "maps",
    responses((status = 200, body = Saved), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn save_map(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(save): JsonBody<SaveMap>,
) -> ApiResult<axum::Json<Saved>> {
    caller.require_write()?;
    crate::workspace::check_map(&save.map)?;
    let user = caller.user;
    let key = id.clone();
    let revision = blocking(&state, move |ws| {
        ws.save_map(&key, save.base_revision, &save.map, user, &save.message)
    })
    .await?;
    Ok(axum::Json(Saved { id, revision }))
}

/// Deletes a map (its history stays in the database).
#[utoipa::path(delete, path = "/api/maps/{id}", params(("id" = String, Path)), tag = "maps",
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn delete_map(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    caller.require_write()?;
    blocking(&state, move |ws| ws.delete_map(&id)).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Lists a map's revisions, newest first: who saved, when, and what changed.
#[utoipa::path(get, path = "/api/maps/{id}/revisions", params(("id" = String, Path)), tag = "history",
    responses((status = 200, body = Object), (status = 404, body = ErrorBody)))]
async fn list_revisions(
    State(state): State<AppState>,
    _caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<axum::Json<serde_json::Value>> {
    let revisions = blocking(&state, move |ws| ws.revisions(&id)).await?;
    Ok(axum::Json(
        serde_json::to_value(revisions).map_err(internal)?,
    ))
}

/// Reads one revision of a map, with its YAML text.
#[utoipa::path(get, path = "/api/maps/{id}/revisions/{rev}", params(("id" = String, Path), ("rev" = i64, Path)), tag = "history",
    responses((status = 200, description = "`{info, map, yaml}`", body = Object), (status = 404, body = ErrorBody)))]
async fn get_revision(
    State(state): State<AppState>,
    _caller: Caller,
    Path((id, rev)): Path<(String, i64)>,
) -> ApiResult<axum::Json<serde_json::Value>> {
    let revision = blocking(&state, move |ws| ws.get_revision(&id, rev)).await?;
    let yaml = cjm_model::to_yaml(&revision.map);
    let mut value = serde_json::to_value(revision).map_err(internal)?;
    value["yaml"] = yaml.into();
    Ok(axum::Json(value))
}

/// Two revisions to compare.
#[derive(Deserialize, IntoParams)]
pub struct DiffRange {
    /// The older revision.
    from: i64,
    /// The newer revision.
    to: i64,
}

/// What changed between two revisions: elements added, removed, moved or changed.
#[utoipa::path(get, path = "/api/maps/{id}/diff", params(("id" = String, Path), DiffRange), tag = "history",
    responses((status = 200, body = Object), (status = 404, body = ErrorBody)))]
async fn diff_revisions(
    State(state): State<AppState>,
    _caller: Caller,
    Path(id): Path<String>,
    Query(range): Query<DiffRange>,
) -> ApiResult<axum::Json<serde_json::Value>> {
    let diff = blocking(&state, move |ws| {
        ws.diff_revisions(&id, range.from, range.to)
    })
    .await?;
    Ok(axum::Json(serde_json::to_value(diff).map_err(internal)?))
}

/// Makes an old revision current again by saving a copy of it as a new revision.
#[utoipa::path(post, path = "/api/maps/{id}/revisions/{rev}/restore", params(("id" = String, Path), ("rev" = i64, Path)), tag = "history",
    responses((status = 200, body = Saved), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn restore_revision(
    State(state): State<AppState>,
    caller: Caller,
    Path((id, rev)): Path<(String, i64)>,
) -> ApiResult<axum::Json<Saved>> {
    caller.require_write()?;
    let user = caller.user;
    let key = id.clone();
    let revision = blocking(&state, move |ws| ws.restore_revision(&key, rev, user)).await?;
    Ok(axum::Json(Saved { id, revision }))
}

/// Which cell's comments to list.
#[derive(Deserialize, IntoParams)]
pub struct CellFilter {
    /// A cell id; all comments of the map when absent.
    cell: Option<String>,
}

/// Lists the comments of a map or of one cell.
#[utoipa::path(get, path = "/api/maps/{id}/comments", params(("id" = String, Path), CellFilter), tag = "comments",
    responses((status = 200, body = Object), (status = 404, body = ErrorBody)))]
async fn list_comments(
    State(state): State<AppState>,
    _caller: Caller,
    Path(id): Path<String>,
    Query(filter): Query<CellFilter>,
) -> ApiResult<axum::Json<serde_json::Value>> {
    let mut comments = blocking(&state, move |ws| ws.list_comments(&id)).await?;
    if let Some(cell) = filter.cell {
        comments.retain(|c| c.cell == cell);
    }
    Ok(axum::Json(
        serde_json::to_value(comments).map_err(internal)?,
    ))
}

/// A new comment on a cell (or on a stage, step or lane, by its id).
#[derive(Deserialize, ToSchema)]
pub struct NewComment {
    /// The id of the commented element.
    cell: String,
    /// The comment.
    text: String,
}

/// Adds a comment.
#[utoipa::path(post, path = "/api/maps/{id}/comments", params(("id" = String, Path)), request_body = NewComment, tag = "comments",
    responses((status = 201, body = Object), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn add_comment(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(new): JsonBody<NewComment>,
) -> ApiResult<(StatusCode, axum::Json<serde_json::Value>)> {
    caller.require_write()?;
    let user = caller.user;
    let comment = blocking(&state, move |ws| {
        ws.add_comment(&id, &new.cell, user, &new.text)
    })
    .await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(serde_json::to_value(comment).map_err(internal)?),
    ))
}

/// Deletes a comment.
#[utoipa::path(delete, path = "/api/comments/{comment}", params(("comment" = i64, Path)), tag = "comments",
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn delete_comment(
    State(state): State<AppState>,
    caller: Caller,
    Path(comment): Path<i64>,
) -> ApiResult<StatusCode> {
    caller.require_write()?;
    blocking(&state, move |ws| ws.delete_comment(comment)).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Exports a map: yaml, json, csv, mmd, svg, png, pdf, html or md.
#[utoipa::path(get, path = "/api/maps/{id}/export/{format}", params(("id" = String, Path), ("format" = String, Path)), tag = "maps",
    responses((status = 200, description = "the file"), (status = 404, body = ErrorBody)))]
async fn export_map(
    State(state): State<AppState>,
    _caller: Caller,
    Path((id, format)): Path<(String, String)>,
) -> ApiResult<Response> {
    crate::workspace::export(&state, id, &format).await
}

/// Lists the map templates.
#[utoipa::path(get, path = "/api/templates", tag = "maps", responses((status = 200, body = Vec<String>)))]
async fn list_templates(_caller: Caller) -> axum::Json<Vec<&'static str>> {
    axum::Json(crate::workspace::template_names())
}

fn internal(error: serde_json::Error) -> ApiError {
    ApiError::Internal(error.to_string())
}

/// An export answer: the bytes with their content type and a download name.
pub fn file_response(
    bytes: Vec<u8>,
    content_type: &'static str,
    download: Option<String>,
) -> Response {
    let mut response = (
        StatusCode::OK,
        [(header::CONTENT_TYPE, content_type)],
        bytes,
    )
        .into_response();
    if let Some(name) = download
        && let Ok(value) = format!("attachment; filename=\"{name}\"").parse()
    {
        response
            .headers_mut()
            .insert(header::CONTENT_DISPOSITION, value);
    }
    response
}
