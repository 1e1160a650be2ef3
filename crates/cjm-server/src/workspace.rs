//! Glue between the HTTP layer and the library crates: templates, imports, validation and exports of maps.
//!
//! Nothing here decides what a map means; it calls cjm-model, cjm-render and cjm-store.

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use cjm_model::Map;

use crate::api::blocking;
use crate::api::maps::file_response;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// The names of the map templates.
pub fn template_names() -> Vec<&'static str> {
    cjm_model::templates::NAMES.to_vec()
}

/// A new map from template `name` with labels in `lang`.
pub fn from_template(name: &str, lang: &str) -> ApiResult<Map> {
    let text =
        cjm_model::templates::template(name, lang).map_err(|e| ApiError::Invalid(e.to_string()))?;
    cjm_model::parse_map(text, &format!("{name}.{lang}.yaml"))
        .map_err(|e| ApiError::Internal(format!("template {name} ({lang}) does not parse: {e}")))
}

/// Reads an uploaded map file; its extension picks the format.
pub fn parse_upload(name: &str, bytes: &[u8]) -> ApiResult<Map> {
    let file = file_name(name)?;
    let text = cjm_model::decode_utf8(bytes, file).map_err(|e| ApiError::Invalid(e.to_string()))?;
    let map = cjm_model::load_any(text, file).map_err(|e| ApiError::Invalid(e.to_string()))?;
    check_map(&map)?;
    Ok(map)
}

/// The last path component of an uploaded file's name, refusing empty names.
pub fn file_name(name: &str) -> ApiResult<&str> {
    let base = name.rsplit(['/', '\\']).next().unwrap_or_default();
    if base.is_empty() || base.starts_with('.') {
        return Err(ApiError::BadRequest(format!(
            "file name {name:?} is not usable; send ?name=file.yaml"
        )));
    }
    Ok(base)
}

/// Refuses a map that fails validation (errors only; warnings are allowed while editing).
pub fn check_map(map: &Map) -> ApiResult<()> {
    let errors: Vec<String> = cjm_model::validate(map, &cjm_model::Spans::default())
        .into_iter()
        .filter(|d| d.severity == cjm_model::Severity::Error)
        .map(|d| d.display("map").to_string())
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ApiError::Invalid(errors.join("; ")))
    }
}

/// A URL-safe id made from a title (`Online order` → `online-order`).
fn slug(title: &str) -> String {
    let mut out = String::new();
    for c in title.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
        if out.len() >= 48 {
            break;
        }
    }
    let out = out.trim_end_matches('-').to_owned();
    if out.is_empty() {
        "map".to_owned()
    } else {
        out
    }
}

/// Stores a new map under its own id, or one made from its title when it has none;
/// `-2`, `-3`, ... is added while the id is taken.
pub async fn insert_map(
    state: &AppState,
    mut map: Map,
    author: cjm_store::UserId,
) -> ApiResult<crate::api::maps::Saved> {
    let base = if map.id.trim().is_empty() {
        slug(&map.title)
    } else {
        slug(&map.id)
    };
    for n in 1..1000 {
        map.id = if n == 1 {
            base.clone()
        } else {
            format!("{base}-{n}")
        };
        let attempt = map.clone();
        match blocking(state, move |ws| ws.create_map(&attempt, author)).await {
            Ok(record) => return Ok(crate::api::maps::Saved::new(record.id, record.rev)),
            Err(ApiError::Exists(_)) => continue,
            Err(other) => return Err(other),
        }
    }
    Err(ApiError::Exists(format!("too many maps named {base:?}")))
}

/// `{id, revision, map}` of a map, built from the stored JSON without parsing it.
pub async fn map_json_response(state: &AppState, id: String) -> ApiResult<Response> {
    let key = id.clone();
    let (json, rev) = blocking(state, move |ws| ws.get_map_json(&key)).await?;
    let id = serde_json::to_string(&id).map_err(|e| ApiError::Internal(e.to_string()))?;
    let body = format!("{{\"id\":{id},\"revision\":{rev},\"map\":{json}}}");
    Ok((
        StatusCode::OK,
        [(header::CONTENT_TYPE, "application/json")],
        body,
    )
        .into_response())
}

/// One of the export formats of a map, by its file extension.
pub async fn export(state: &AppState, id: String, format: &str) -> ApiResult<Response> {
    let key = id.clone();
    let (map, _) = blocking(state, move |ws| ws.get_map(&key)).await?;
    export_map(&map, format)
}

/// The bytes, content type and download name of a map in `format`.
pub fn export_map(map: &Map, format: &str) -> ApiResult<Response> {
    let name = |ext: &str| Some(format!("{}.{ext}", map.id));
    Ok(match format {
        "yaml" => file_response(
            cjm_model::to_yaml(map).into_bytes(),
            "application/yaml; charset=utf-8",
            name("yaml"),
        ),
        "json" => file_response(
            cjm_model::to_json(map).into_bytes(),
            "application/json",
            name("json"),
        ),
        "csv" => file_response(
            cjm_model::to_csv(map).into_bytes(),
            "text/csv; charset=utf-8",
            name("csv"),
        ),
        "mmd" => file_response(
            cjm_model::to_mermaid(map).into_bytes(),
            "text/plain; charset=utf-8",
            name("mmd"),
        ),
        "svg" | "png" | "pdf" | "html" | "md" => {
            let (kind, content_type) = match format {
                "svg" => (cjm_render::Format::Svg, "image/svg+xml"),
                "png" => (cjm_render::Format::Png, "image/png"),
                "pdf" => (cjm_render::Format::Pdf, "application/pdf"),
                "html" => (cjm_render::Format::Html, "text/html; charset=utf-8"),
                _ => (cjm_render::Format::Markdown, "text/markdown; charset=utf-8"),
            };
            let bytes = cjm_render::render(map, kind, &cjm_render::RenderOptions::for_map(map))
                .map_err(|e| ApiError::Internal(e.to_string()))?;
            let download = if format == "svg" { None } else { name(format) };
            file_response(bytes, content_type, download)
        }
        other => {
            return Err(ApiError::NotFound(format!(
                "export format {other:?} (use yaml, json, csv, mmd, svg, png, pdf, html or md)"
            )));
        }
    })
}

/// Map `id` measured against event store `store` by cjm-insights: the map with measured
/// cells and the measures (stages, drop-off, designed vs actual, weak points).
pub async fn data_backed(
    state: &AppState,
    id: String,
    store: String,
) -> ApiResult<cjm_insights::Build> {
    let ws = state.ws.clone();
    let stores = state.stores.clone();
    tokio::task::spawn_blocking(move || -> ApiResult<cjm_insights::Build> {
        let (map, _) = ws.get_map(&id)?;
        if !ws.stores_of_map(&id)?.contains(&store) {
            return Err(ApiError::NotFound(format!(
                "event store {store:?} attached to map {id:?}"
            )));
        }
        let opened = stores.open(&ws, &store)?;
        let journeys = opened.journeys();
        let options = cjm_insights::BuildOptions {
            store: store.clone(),
            map_file: id.clone(),
            ..cjm_insights::BuildOptions::default()
        };
        cjm_insights::build(&map, &journeys, &options).map_err(|e| ApiError::Invalid(e.to_string()))
    })
    .await?
}
