//! The JSON API under `/api/`: one module per area, all documented in the OpenAPI document.

pub mod access;
pub mod data;
pub mod maps;
pub mod personas;

use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use serde::de::DeserializeOwned;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;

use crate::error::{ApiError, ErrorBody};
use crate::state::AppState;

/// Runs a blocking workspace call off the async workers.
pub async fn blocking<T, F>(state: &AppState, call: F) -> Result<T, ApiError>
where
    T: Send + 'static,
    F: FnOnce(&cjm_store::Workspace) -> Result<T, cjm_store::StoreError> + Send + 'static,
{
    let ws = state.ws.clone();
    Ok(tokio::task::spawn_blocking(move || call(&ws)).await??)
}

/// A JSON request body whose rejections are answered as API errors (400, 413, 422).
pub struct JsonBody<T>(pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, ApiError> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(value)) => Ok(JsonBody(value)),
            Err(JsonRejection::JsonDataError(e)) => Err(ApiError::Invalid(e.body_text())),
            Err(rejection) if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                Err(ApiError::TooLarge {
                    limit: state.body_limit,
                })
            }
            Err(rejection) => Err(ApiError::BadRequest(rejection.body_text())),
        }
    }
}

/// The OpenAPI document's fixed parts; the paths come from the routed handlers.
#[derive(OpenApi)]
#[openapi(
    info(title = "cjm workspace API", description = "Journey maps, personas, comments, revisions, share links and event data of a cjm workspace. Errors are `{code, message}` with the HTTP status."),
    components(schemas(ErrorBody)),
    modifiers(&Security)
)]
struct ApiDoc;

struct Security;

impl utoipa::Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "token",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// All API routes, with the OpenAPI document they produce.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(maps::routes())
        .merge(personas::routes())
        .merge(access::routes())
        .merge(data::routes())
}
