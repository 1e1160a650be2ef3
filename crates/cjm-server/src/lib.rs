//! HTTP API and web UI of the cjm workspace.
//!
//! Invariant: this crate holds no logic the CLI also needs. Maps are parsed,
//! validated and exported by cjm-model, drawn by cjm-render, stored by cjm-store,
//! and measured by cjm-events; this crate turns HTTP requests into those calls and
//! their answers into JSON and HTML.
//!
//! Entry points: [`router`] builds the axum router over an open workspace (tests
//! drive it directly); [`serve`] binds an address and serves until Ctrl-C; [`run`]
//! does the same on its own Tokio runtime, for the CLI.

mod api;
mod assets;
mod auth;
pub mod demo;
mod demo_data;
pub mod error;
mod i18n;
mod pages;
mod state;
mod workspace;

use std::net::SocketAddr;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderValue, header};
use axum::routing::get;

pub use error::ApiError;
pub use state::{AppState, ServerConfig, Shared, StoreCache};

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    /// The workspace could not be opened.
    #[error("cannot open the workspace {path}: {source}")]
    Workspace {
        path: String,
        #[source]
        source: cjm_store::StoreError,
    },
    /// The address could not be bound.
    #[error("cannot listen on {addr}: {source}; pick another with --addr")]
    Bind {
        addr: SocketAddr,
        #[source]
        source: std::io::Error,
    },
    /// Auto-login was asked for on an address other than loopback.
    #[error(
        "refusing to sign visitors in automatically on {0}: only 127.0.0.1 or ::1 may; create an account instead"
    )]
    AutoLoginOffLoopback(SocketAddr),
    /// The server stopped with an I/O error.
    #[error("server error: {0}")]
    Io(#[from] std::io::Error),
}

/// Opens the workspace of `config` and returns the state the router needs.
pub fn open(config: &ServerConfig) -> Result<AppState, ServerError> {
    if config.auto_login && !config.addr.ip().is_loopback() {
        return Err(ServerError::AutoLoginOffLoopback(config.addr));
    }
    let ws =
        cjm_store::Workspace::open(&config.workspace).map_err(|source| ServerError::Workspace {
            path: config.workspace.display().to_string(),
            source,
        })?;
    let local_owner = if config.auto_login {
        let user = ws
            .ensure_local_owner()
            .map_err(|source| ServerError::Workspace {
                path: config.workspace.display().to_string(),
                source,
            })?;
        Some(user.name)
    } else {
        None
    };
    Ok(AppState(std::sync::Arc::new(Shared {
        ws,
        dir: config.workspace.clone(),
        local_owner,
        secure_cookies: !config.addr.ip().is_loopback(),
        upload_limit: config.upload_limit,
        body_limit: config.body_limit,
        stores: StoreCache::default(),
    })))
}

/// Creates an owner account with a password, or resets the password and role of an existing one.
pub fn add_owner(state: &AppState, email: &str, password: &str) -> Result<(), ApiError> {
    let user = match state.ws.find_user_by_email(email)? {
        Some(user) => {
            state.ws.set_password(user.id, password)?;
            user
        }
        None => {
            let name = email.split('@').next().unwrap_or(email);
            state.ws.create_user(name, email, Some(password))?
        }
    };
    state.ws.set_role(user.id, cjm_store::Role::Owner)?;
    Ok(())
}

/// The whole application: pages, assets, the JSON API and its OpenAPI document.
pub fn router(state: AppState) -> Router {
    let (api, openapi) = api::routes().split_for_parts();
    let openapi_json = openapi.to_pretty_json().unwrap_or_else(|_| "{}".to_owned());
    let body_limit = state.body_limit;
    let pages = Router::new()
        .route("/", get(pages::maps::home))
        .route("/login", get(pages::login_page))
        .route("/maps/{id}", get(pages::maps::editor))
        .route("/maps/{id}/preview", get(pages::maps::preview))
        .route("/maps/{id}/history", get(pages::maps::history))
        .route("/maps/{id}/print", get(pages::maps::print))
        .route("/maps/{id}/data", get(pages::data::map_data))
        .route("/personas", get(pages::personas::gallery))
        .route("/personas/{id}", get(pages::personas::editor))
        .route("/data", get(pages::data::overview))
        .route("/data/{store}", get(pages::data::store))
        .route("/s/{token}", get(pages::share::view))
        .route("/s/{token}/map.svg", get(pages::share::svg))
        .route("/assets/{name}", get(assets::asset))
        .route("/assets/fonts/{name}", get(assets::font))
        .route(
            "/api/openapi.json",
            get(
                move || async move { ([(header::CONTENT_TYPE, "application/json")], openapi_json) },
            ),
        );
    pages
        .merge(api)
        .fallback(|| async { ApiError::NotFound("page".into()) })
        .layer(DefaultBodyLimit::max(body_limit))
        .layer(axum::middleware::map_response(security_headers))
        .with_state(state)
}

/// Headers on every answer: a strict content security policy, no sniffing, no framing.
async fn security_headers(mut response: axum::response::Response) -> axum::response::Response {
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
        ),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    response
}

/// Serves `state` on `listener` until Ctrl-C.
pub async fn serve_on(
    listener: tokio::net::TcpListener,
    state: AppState,
) -> Result<(), ServerError> {
    axum::serve(listener, router(state))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    Ok(())
}

/// Binds `config.addr`, then calls `ready` with the URL, then serves until Ctrl-C, on a
/// runtime of its own with two workers.
pub fn run(
    config: ServerConfig,
    state: AppState,
    ready: impl FnOnce(&str),
) -> Result<(), ServerError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(config.addr)
            .await
            .map_err(|source| ServerError::Bind {
                addr: config.addr,
                source,
            })?;
        let addr = listener.local_addr()?;
        ready(&format!("http://{addr}/"));
        serve_on(listener, state).await
    })
}
