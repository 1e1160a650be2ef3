//! Test helpers: a workspace in a temporary folder with an owner, an editor and a viewer,
//! and requests sent to the router with `oneshot`.

use std::net::SocketAddr;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use cjm_server::{AppState, ServerConfig};
use cjm_store::Role;
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;

/// A workspace with three accounts and an API token for each.
pub struct Fixture {
    pub dir: tempfile::TempDir,
    pub state: AppState,
    pub owner: String,
    pub editor: String,
    pub viewer: String,
}

/// An answer: status, headers and body.
pub struct Answer {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: Vec<u8>,
}

impl Answer {
    /// The body as JSON (panics with the body when it is not JSON).
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }

    /// The body as text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// A config for a workspace folder on loopback, without auto-login.
pub fn config(dir: &std::path::Path) -> ServerConfig {
    let mut config = ServerConfig::new(dir.to_owned(), SocketAddr::from(([127, 0, 0, 1], 0)));
    config.auto_login = false;
    config
}

impl Fixture {
    /// A fresh workspace with default limits.
    pub fn new() -> Fixture {
        Fixture::with(|_| {})
    }

    /// A fresh workspace whose config `adjust` may change first.
    pub fn with(adjust: impl FnOnce(&mut ServerConfig)) -> Fixture {
        let dir = tempfile::tempdir().expect("temporary folder");
        let mut config = config(dir.path());
        adjust(&mut config);
        let state = cjm_server::open(&config).expect("workspace opens");
        let token = |name: &str, role: Role| {
            let user = state
                .ws
                .create_user(
                    name,
                    &format!("{name}@example.org"),
                    Some("correct horse battery"),
                )
                .expect("user");
            state.ws.set_role(user.id, role).expect("role");
            state
                .ws
                .create_api_token(user.id, "tests")
                .expect("token")
                .1
        };
        let owner = token("olga", Role::Owner);
        let editor = token("ed", Role::Editor);
        let viewer = token("vic", Role::Viewer);
        Fixture {
            dir,
            state,
            owner,
            editor,
            viewer,
        }
    }

    /// Sends a request; `auth` is a bearer token, `body` JSON.
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        auth: Option<&str>,
        body: Option<Value>,
    ) -> Answer {
        let mut request = Request::builder().method(method).uri(path);
        if let Some(token) = auth {
            request = request.header("authorization", format!("Bearer {token}"));
        }
        let body = match body {
            Some(json) => {
                request = request.header("content-type", "application/json");
                Body::from(json.to_string())
            }
            None => Body::empty(),
        };
        self.send(request.body(body).expect("request")).await
    }

    /// Sends a prepared request.
    pub async fn send(&self, request: Request<Body>) -> Answer {
        let response = cjm_server::router(self.state.clone())
            .oneshot(request)
            .await
            .expect("router answers");
        let status = response.status();
        let headers = response.headers().clone();
        let body = response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes()
            .to_vec();
        Answer {
            status,
            headers,
            body,
        }
    }

    /// Map `id` as the owner reads it (the `map` of `GET /api/maps/{id}`).
    pub async fn owner_map(&self, id: &str) -> serde_json::Value {
        let answer = self
            .call(
                Method::GET,
                &format!("/api/maps/{id}"),
                Some(&self.owner),
                None,
            )
            .await;
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
        answer.json()["map"].clone()
    }

    /// Creates a map from the shop template as the owner; its id.
    pub async fn shop_map(&self) -> String {
        let answer = self
            .call(
                Method::POST,
                "/api/maps",
                Some(&self.owner),
                Some(serde_json::json!({"template": "shop", "lang": "en"})),
            )
            .await;
        assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.text());
        answer.json()["id"].as_str().expect("id").to_owned()
    }
}
