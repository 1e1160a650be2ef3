//! The read-only view behind a share link: no account needed, nothing can be changed, revocable.

use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use maud::{DOCTYPE, html};

use super::error_page;
use crate::api::blocking;
use crate::error::ApiError;
use crate::i18n::Lang;
use crate::state::AppState;

/// The map id a share token opens; a revoked or unknown token is 404.
async fn resolve(state: &AppState, token: String) -> Result<String, ApiError> {
    blocking(state, move |ws| ws.resolve_share_link(&token)).await
}

/// `/s/{token}`: the shared map, rendered.
pub async fn view(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(token): Path<String>,
) -> Response {
    let lang = Lang::negotiate(&headers);
    let found = async {
        let id = resolve(&state, token.clone()).await?;
        blocking(&state, move |ws| ws.get_map(&id)).await
    };
    let (map, _) = match found.await {
        Ok(found) => found,
        Err(error) => return error_page(error),
    };
    let markup = html! {
        (DOCTYPE)
        html lang=(lang.code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (map.title) " · cjm" }
                link rel="stylesheet" href="/assets/style.css";
            }
            body {
                main.wide #main {
                    h1 { (map.title) " " small { "(" (lang.t("read_only")) ")" } }
                    @if !map.description.is_empty() { p { (map.description) } }
                    div.render { img src=(format!("/s/{token}/map.svg")) alt=(map.title); }
                }
            }
        }
    };
    axum::response::Html(markup.into_string()).into_response()
}

/// `/s/{token}/map.svg`: the shared map's SVG.
pub async fn svg(State(state): State<AppState>, Path(token): Path<String>) -> Response {
    let result = async {
        let id = resolve(&state, token).await?;
        crate::workspace::export(&state, id, "svg").await
    };
    result.await.unwrap_or_else(IntoResponse::into_response)
}
