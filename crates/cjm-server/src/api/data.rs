//! Event data: upload files (streamed, size-limited), preview and map their columns, import them
//! into event stores, read store stats, and run the funnel, paths and process-graph kernels.

use std::io::Write;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use cjm_events::filter::{Filter, Selection};
use cjm_events::store::{ImportOptions, Store};
use http_body_util::BodyExt;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{JsonBody, blocking};
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::state::AppState;

/// The folder of uploaded event files inside the workspace.
pub const UPLOADS_DIR: &str = "uploads";

/// Routes of this module.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(upload_events))
        .routes(routes!(list_stores, import_store))
        .routes(routes!(store_stats))
        .routes(routes!(funnel))
        .routes(routes!(paths))
        .routes(routes!(dfg))
        .routes(routes!(attach_store))
        .routes(routes!(data_backed_map))
        .routes(routes!(data_backed_svg))
}

/// The name of an uploaded file.
#[derive(Deserialize, IntoParams)]
pub struct UploadName {
    /// The file's name; its extension (csv, jsonl, parquet, xes) picks the reader.
    name: String,
}

/// An uploaded file, waiting for its column mapping.
#[derive(Serialize, ToSchema)]
pub struct Uploaded {
    /// Pass as `upload` to `POST /api/stores`.
    id: String,
    name: String,
    size: u64,
    /// Column names of the first rows (empty when the format is not previewed: Parquet, XES).
    columns: Vec<String>,
    /// The first rows, as text.
    rows: Vec<Vec<String>>,
    /// A store name made from the file name.
    suggested_store: String,
}

static UPLOAD_COUNTER: AtomicU64 = AtomicU64::new(0);

/// Streams an event file into the workspace's upload folder, refusing it past the upload limit (413).
#[utoipa::path(post, path = "/api/uploads", params(UploadName), request_body(content = String, content_type = "application/octet-stream"), tag = "data",
    responses((status = 201, body = Uploaded), (status = 403, body = ErrorBody), (status = 413, body = ErrorBody)))]
async fn upload_events(
    State(state): State<AppState>,
    caller: Caller,
    Query(file): Query<UploadName>,
    body: Body,
) -> ApiResult<(StatusCode, axum::Json<Uploaded>)> {
    caller.require_write()?;
    let name = crate::workspace::file_name(&file.name)?.to_owned();
    let ext = extension(&name);
    if ![
        "csv", "tsv", "jsonl", "ndjson", "json", "parquet", "xes", "gz",
    ]
    .contains(&ext.as_str())
    {
        return Err(ApiError::Invalid(format!(
            "{name}: not an event file; upload CSV, JSONL, Parquet or XES"
        )));
    }
    let dir = state.dir.join(UPLOADS_DIR);
    std::fs::create_dir_all(&dir)?;
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    let id = format!(
        "{nanos:x}{:x}.{ext}",
        UPLOAD_COUNTER.fetch_add(1, Ordering::Relaxed)
    );
    let path = dir.join(&id);
    let written = receive(body, &path, state.upload_limit).await;
    let size = match written {
        Ok(size) => size,
        Err(error) => {
            let _ = std::fs::remove_file(&path);
            return Err(error);
        }
    };
    let preview_path = path.clone();
    let (columns, rows) = tokio::task::spawn_blocking(move || preview(&preview_path, 8)).await?;
    let suggested_store: String = name
        .split('.')
        .next()
        .unwrap_or("events")
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .take(48)
        .collect();
    Ok((
        StatusCode::CREATED,
        axum::Json(Uploaded {
            id,
            name,
            size,
            columns,
            rows,
            suggested_store,
        }),
    ))
}

fn extension(name: &str) -> String {
    name.rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default()
}

/// Writes the request body to `path`, failing with 413 once it passes `limit` bytes.
async fn receive(body: Body, path: &std::path::Path, limit: usize) -> ApiResult<u64> {
    let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
    let mut body = body;
    let mut size: u64 = 0;
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|e| ApiError::BadRequest(format!("upload interrupted: {e}")))?;
        if let Some(chunk) = frame.data_ref() {
            size += chunk.len() as u64;
            if size > limit as u64 {
                return Err(ApiError::TooLarge { limit });
            }
            out.write_all(chunk)?;
        }
    }
    out.flush()?;
    Ok(size)
}

/// The header and first `n` rows of a CSV or JSON Lines file, for the column mapping.
fn preview(path: &std::path::Path, n: usize) -> (Vec<String>, Vec<Vec<String>>) {
    match extension(&path.to_string_lossy()).as_str() {
        "csv" | "tsv" => {
            let delimiter = if path.extension().is_some_and(|e| e == "tsv") {
                b'\t'
            } else {
                b','
            };
            let Ok(mut reader) = csv::ReaderBuilder::new()
                .delimiter(delimiter)
                .flexible(true)
                .from_path(path)
            else {
                return (Vec::new(), Vec::new());
            };
            let columns = reader
                .headers()
                .map(|h| h.iter().map(str::to_owned).collect())
                .unwrap_or_default();
            let rows = reader
                .records()
                .take(n)
                .filter_map(Result::ok)
                .map(|r| r.iter().map(str::to_owned).collect())
                .collect();
            (columns, rows)
        }
        "jsonl" | "ndjson" | "json" => {
            let Ok(file) = std::fs::File::open(path) else {
                return (Vec::new(), Vec::new());
            };
            let objects: Vec<serde_json::Map<String, serde_json::Value>> =
                std::io::BufRead::lines(std::io::BufReader::new(file))
                    .take(n)
                    .filter_map(Result::ok)
                    .filter_map(|line| serde_json::from_str(&line).ok())
                    .collect();
            let mut columns: Vec<String> = Vec::new();
            for key in objects.iter().flat_map(|o| o.keys()) {
                if !columns.contains(key) {
                    columns.push(key.clone());
                }
            }
            let rows = objects
                .iter()
                .map(|o| {
                    columns
                        .iter()
                        .map(|c| match o.get(c) {
                            Some(serde_json::Value::String(s)) => s.clone(),
                            Some(other) => other.to_string(),
                            None => String::new(),
                        })
                        .collect()
                })
                .collect();
            (columns, rows)
        }
        _ => (Vec::new(), Vec::new()),
    }
}

/// Lists the workspace's event stores with their stats.
#[utoipa::path(get, path = "/api/stores", tag = "data", responses((status = 200, body = Object)))]
async fn list_stores(
    State(state): State<AppState>,
    _caller: Caller,
) -> ApiResult<axum::Json<serde_json::Value>> {
    let stores = blocking(&state, |ws| ws.list_event_stores()).await?;
    Ok(axum::Json(
        serde_json::to_value(stores).map_err(|e| ApiError::Internal(e.to_string()))?,
    ))
}

/// How to import an upload: the store to write and which columns hold case, activity and time.
#[derive(Deserialize, ToSchema)]
pub struct ImportRequest {
    /// The id from `POST /api/uploads`.
    upload: String,
    /// The event store's name (letters, digits, `-`, `_`, `.`).
    name: String,
    /// The case (customer) column; detected when empty.
    #[serde(default)]
    case: Option<String>,
    /// The activity column; detected when empty.
    #[serde(default)]
    activity: Option<String>,
    /// The timestamp column; detected when empty.
    #[serde(default)]
    timestamp: Option<String>,
}

/// Imports an uploaded file into an event store (adding to it when it exists) and registers it.
#[utoipa::path(post, path = "/api/stores", request_body = ImportRequest, tag = "data",
    responses((status = 201, body = Object), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn import_store(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(request): JsonBody<ImportRequest>,
) -> ApiResult<(StatusCode, axum::Json<serde_json::Value>)> {
    caller.require_write()?;
    if request.upload.contains(['/', '\\']) || request.upload.starts_with('.') {
        return Err(ApiError::NotFound(format!("upload {:?}", request.upload)));
    }
    let source = state.dir.join(UPLOADS_DIR).join(&request.upload);
    if !source.is_file() {
        return Err(ApiError::NotFound(format!("upload {:?}", request.upload)));
    }
    let nonempty = |v: Option<String>| v.filter(|s| !s.trim().is_empty());
    let options = ImportOptions {
        case: nonempty(request.case),
        activity: nonempty(request.activity),
        time: nonempty(request.timestamp),
        ..ImportOptions::default()
    };
    let info = import_file(&state, &request.name, source.clone(), options).await?;
    let _ = std::fs::remove_file(&source);
    Ok((StatusCode::CREATED, axum::Json(info)))
}

/// Imports `source` into store `name` and registers it with its stats; the registry entry as JSON.
pub async fn import_file(
    state: &AppState,
    name: &str,
    source: PathBuf,
    options: ImportOptions,
) -> ApiResult<serde_json::Value> {
    let name = name.to_owned();
    let ws = state.ws.clone();
    let stores = state.stores.clone();
    tokio::task::spawn_blocking(move || -> ApiResult<serde_json::Value> {
        let dir = ws.event_store_dir(&name)?;
        cjm_events::store::import(&[source], &options, &dir)
            .map_err(|e| ApiError::Invalid(e.to_string()))?;
        stores.forget(&name);
        let store = stores.open(&ws, &name)?;
        let stats =
            serde_json::to_value(store.stats(20)).map_err(|e| ApiError::Internal(e.to_string()))?;
        let info = ws.register_event_store(&name, &stats)?;
        serde_json::to_value(info).map_err(|e| ApiError::Internal(e.to_string()))
    })
    .await?
}

/// A store's stats: counts, time span, attributes, most frequent activities.
#[utoipa::path(get, path = "/api/stores/{name}", params(("name" = String, Path)), tag = "data",
    responses((status = 200, body = Object), (status = 404, body = ErrorBody)))]
async fn store_stats(
    State(state): State<AppState>,
    _caller: Caller,
    Path(name): Path<String>,
) -> ApiResult<axum::Json<serde_json::Value>> {
    with_store(&state, name, |store, _| {
        serde_json::to_value(store.stats(50)).map_err(|e| ApiError::Internal(e.to_string()))
    })
    .await
}

/// Runs `read` on an open store (from the cache) off the async workers.
async fn with_store<F>(
    state: &AppState,
    name: String,
    read: F,
) -> ApiResult<axum::Json<serde_json::Value>>
where
    F: FnOnce(&Store, &Selection<'_>) -> ApiResult<serde_json::Value> + Send + 'static,
{
    let ws = state.ws.clone();
    let stores = state.stores.clone();
    let value = tokio::task::spawn_blocking(move || -> ApiResult<serde_json::Value> {
        ws.event_store(&name)?;
        let store = stores.open(&ws, &name)?;
        let journeys = store.journeys();
        let selection = Filter::default()
            .select(&journeys)
            .map_err(|e| ApiError::Invalid(e.to_string()))?;
        read(&store, &selection)
    })
    .await??;
    Ok(axum::Json(value))
}

/// A funnel over a store.
#[derive(Deserialize, ToSchema)]
pub struct FunnelRequest {
    /// Activities in order; `a|b` makes a step that either matches.
    steps: Vec<String>,
    /// How long after the first step the last may happen, in seconds.
    window_seconds: i64,
    /// `default`, or a comma-separated list of `strict_order`, `strict_deduplication`, `strict_increase`.
    #[serde(default)]
    mode: Option<String>,
}

/// Runs a funnel (ClickHouse `windowFunnel` semantics) over a store.
#[utoipa::path(post, path = "/api/stores/{name}/funnel", params(("name" = String, Path)), request_body = FunnelRequest, tag = "data",
    responses((status = 200, body = Object), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn funnel(
    State(state): State<AppState>,
    _caller: Caller,
    Path(name): Path<String>,
    JsonBody(request): JsonBody<FunnelRequest>,
) -> ApiResult<axum::Json<serde_json::Value>> {
    let mode = request
        .mode
        .as_deref()
        .unwrap_or("default")
        .parse()
        .map_err(|e: cjm_events::kernels::funnel::FunnelError| ApiError::Invalid(e.to_string()))?;
    let spec = cjm_events::kernels::funnel::FunnelSpec {
        steps: request
            .steps
            .iter()
            .map(|s| s.split('|').map(|a| a.trim().to_owned()).collect())
            .collect(),
        window_us: request.window_seconds.saturating_mul(1_000_000),
        mode,
        ..Default::default()
    };
    with_store(&state, name, move |store, selection| {
        let journeys = store.journeys();
        let kernel = cjm_events::kernels::funnel::Funnel::new(&spec, &journeys)
            .map_err(|e| ApiError::Invalid(e.to_string()))?;
        serde_json::to_value(kernel.report(selection))
            .map_err(|e| ApiError::Internal(e.to_string()))
    })
    .await
}

/// Where paths start and how far they go.
#[derive(Deserialize, IntoParams)]
pub struct PathsQuery {
    /// The anchor activity.
    start: String,
    /// Activities after the anchor (1 to 6).
    #[serde(default = "three")]
    depth: usize,
}

fn three() -> usize {
    3
}

/// The most frequent paths after an activity, with Sankey data.
#[utoipa::path(get, path = "/api/stores/{name}/paths", params(("name" = String, Path), PathsQuery), tag = "data",
    responses((status = 200, body = Object), (status = 404, body = ErrorBody)))]
async fn paths(
    State(state): State<AppState>,
    _caller: Caller,
    Path(name): Path<String>,
    Query(query): Query<PathsQuery>,
) -> ApiResult<axum::Json<serde_json::Value>> {
    with_store(&state, name, move |store, selection| {
        let kernel = cjm_events::kernels::paths::Paths {
            anchor: store.journeys().activity_code(&query.start),
            direction: cjm_events::kernels::paths::Direction::After,
            depth: query.depth.clamp(1, 6),
            top: Some(30),
        };
        serde_json::to_value(kernel.report(selection))
            .map_err(|e| ApiError::Internal(e.to_string()))
    })
    .await
}

/// The directly-follows graph (process graph) of a store.
#[utoipa::path(get, path = "/api/stores/{name}/dfg", params(("name" = String, Path)), tag = "data",
    responses((status = 200, body = Object), (status = 404, body = ErrorBody)))]
async fn dfg(
    State(state): State<AppState>,
    _caller: Caller,
    Path(name): Path<String>,
) -> ApiResult<axum::Json<serde_json::Value>> {
    with_store(&state, name, |store, selection| {
        let report = cjm_events::kernels::dfg::Dfg::default().report(selection);
        let mut value =
            serde_json::to_value(report).map_err(|e| ApiError::Internal(e.to_string()))?;
        value["activities"] = serde_json::to_value(store.stats(200).top_activities)
            .map_err(|e| ApiError::Internal(e.to_string()))?;
        Ok(value)
    })
    .await
}

/// The store to attach to a map.
#[derive(Deserialize, ToSchema)]
pub struct AttachRequest {
    store: String,
}

/// Attaches an event store to a map, for its data-backed view.
#[utoipa::path(put, path = "/api/maps/{id}/store", params(("id" = String, Path)), request_body = AttachRequest, tag = "data",
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn attach_store(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(request): JsonBody<AttachRequest>,
) -> ApiResult<StatusCode> {
    caller.require_write()?;
    blocking(&state, move |ws| ws.attach_store(&id, &request.store)).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The measures of a map against an attached store: stages, drop-off, designed vs actual, weak points.
#[utoipa::path(get, path = "/api/maps/{id}/data/{store}", params(("id" = String, Path), ("store" = String, Path)), tag = "data",
    responses((status = 200, description = "`{map, insights}`: the map with measured cells and the measures", body = Object), (status = 404, body = ErrorBody)))]
async fn data_backed_map(
    State(state): State<AppState>,
    _caller: Caller,
    Path((id, store)): Path<(String, String)>,
) -> ApiResult<axum::Json<serde_json::Value>> {
    let built = crate::workspace::data_backed(&state, id, store).await?;
    let value = serde_json::json!({ "map": built.map, "insights": built.insights });
    Ok(axum::Json(value))
}

/// The data-backed map drawn as SVG.
#[utoipa::path(get, path = "/api/maps/{id}/data/{store}/map.svg", params(("id" = String, Path), ("store" = String, Path)), tag = "data",
    responses((status = 200, description = "SVG", content_type = "image/svg+xml"), (status = 404, body = ErrorBody)))]
async fn data_backed_svg(
    State(state): State<AppState>,
    _caller: Caller,
    Path((id, store)): Path<(String, String)>,
) -> ApiResult<axum::response::Response> {
    let built = crate::workspace::data_backed(&state, id, store).await?;
    crate::workspace::export_map(&built.map, "svg")
}
