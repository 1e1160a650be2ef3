//! Personas of the workspace: the gallery and the persona editor's reads and writes.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use cjm_model::Persona;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{JsonBody, blocking};
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::state::AppState;

/// Routes of this module.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_personas, create_persona))
        .routes(routes!(get_persona, update_persona, delete_persona))
}

/// A persona in the cjm format, wrapped so the body can grow.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct PersonaBody {
    /// The persona; its `id` is made from the name when empty.
    #[schema(value_type = Object)]
    pub persona: Persona,
}

/// The id of a created persona.
#[derive(Serialize, ToSchema)]
pub struct Created {
    id: String,
}

/// Lists the personas of the workspace.
#[utoipa::path(get, path = "/api/personas", tag = "personas",
    responses((status = 200, body = Vec<PersonaBody>), (status = 401, body = ErrorBody)))]
async fn list_personas(
    State(state): State<AppState>,
    _caller: Caller,
) -> ApiResult<axum::Json<Vec<PersonaBody>>> {
    let personas = blocking(&state, |ws| ws.list_personas()).await?;
    Ok(axum::Json(
        personas
            .into_iter()
            .map(|persona| PersonaBody { persona })
            .collect(),
    ))
}

/// Creates a persona.
#[utoipa::path(post, path = "/api/personas", request_body = PersonaBody, tag = "personas",
    responses((status = 201, body = Created), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_persona(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(body): JsonBody<PersonaBody>,
) -> ApiResult<(StatusCode, axum::Json<Created>)> {
    caller.require_write()?;
    let mut persona = body.persona;
    if persona.name.trim().is_empty() {
        return Err(ApiError::Invalid("a persona needs a name".into()));
    }
    let base = if persona.id.trim().is_empty() {
        persona_id(&persona.name)
    } else {
        persona.id.clone()
    };
    for n in 1..1000 {
        persona.id = if n == 1 {
            base.clone()
        } else {
            format!("{base}-{n}")
        };
        let attempt = persona.clone();
        match blocking(&state, move |ws| ws.create_persona(&attempt)).await {
            Ok(()) => return Ok((StatusCode::CREATED, axum::Json(Created { id: persona.id }))),
            Err(ApiError::Exists(_)) => continue,
            Err(other) => return Err(other),
        }
    }
    Err(ApiError::Exists(format!(
        "too many personas named {base:?}"
    )))
}

/// A persona id made from a name: ASCII letters and digits, else `persona`.
fn persona_id(name: &str) -> String {
    let id: String = name
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .take(32)
        .collect();
    if id.is_empty() {
        "persona".to_owned()
    } else {
        id
    }
}

/// Reads a persona.
#[utoipa::path(get, path = "/api/personas/{id}", params(("id" = String, Path)), tag = "personas",
    responses((status = 200, body = PersonaBody), (status = 404, body = ErrorBody)))]
async fn get_persona(
    State(state): State<AppState>,
    _caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<axum::Json<PersonaBody>> {
    let persona = blocking(&state, move |ws| ws.get_persona(&id)).await?;
    Ok(axum::Json(PersonaBody { persona }))
}

/// Replaces a persona (its id is the one in the path).
#[utoipa::path(put, path = "/api/personas/{id}", params(("id" = String, Path)), request_body = PersonaBody, tag = "personas",
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update_persona(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<PersonaBody>,
) -> ApiResult<StatusCode> {
    caller.require_write()?;
    let mut persona = body.persona;
    persona.id = id;
    if persona.name.trim().is_empty() {
        return Err(ApiError::Invalid("a persona needs a name".into()));
    }
    blocking(&state, move |ws| ws.update_persona(&persona)).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Deletes a persona.
#[utoipa::path(delete, path = "/api/personas/{id}", params(("id" = String, Path)), tag = "personas",
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn delete_persona(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    caller.require_write()?;
    blocking(&state, move |ws| ws.delete_persona(&id)).await?;
    Ok(StatusCode::NO_CONTENT)
}
