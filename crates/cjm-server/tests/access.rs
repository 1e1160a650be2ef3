//! Access: 401 without credentials, roles, sessions with CSRF, share links, auto-login rules.

use std::net::SocketAddr;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use serde_json::json;

use crate::support::{Fixture, config};

#[tokio::test]
async fn without_credentials_the_api_answers_401_and_pages_redirect_to_sign_in() {
    let fx = Fixture::new();
    let api = fx.call(Method::GET, "/api/maps", None, None).await;
    assert_eq!(api.status, StatusCode::UNAUTHORIZED);
    assert_eq!(api.json()["code"], "unauthenticated");
    let bad_token = fx
        .call(Method::GET, "/api/maps", Some("cjm_not-a-token"), None)
        .await;
    assert_eq!(bad_token.status, StatusCode::UNAUTHORIZED);
    let page = fx.call(Method::GET, "/", None, None).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(page.headers["location"], "/login");
    let login = fx.call(Method::GET, "/login", None, None).await;
    assert_eq!(login.status, StatusCode::OK);
}

#[tokio::test]
async fn a_viewer_reads_but_cannot_write() {
    let fx = Fixture::new();
    let id = fx.shop_map().await;
    let read = fx
        .call(
            Method::GET,
            &format!("/api/maps/{id}"),
            Some(&fx.viewer),
            None,
        )
        .await;
    assert_eq!(read.status, StatusCode::OK);
    let map = read.json()["map"].clone();
    let write = fx
        .call(
            Method::PUT,
            &format!("/api/maps/{id}"),
            Some(&fx.viewer),
            Some(json!({"base_revision": 1, "map": map})),
        )
        .await;
    assert_eq!(write.status, StatusCode::FORBIDDEN);
    assert_eq!(write.json()["code"], "forbidden");
    for (method, path, body) in [
        (
            Method::POST,
            "/api/maps".to_owned(),
            Some(json!({"template": "shop"})),
        ),
        (Method::DELETE, format!("/api/maps/{id}"), None),
        (
            Method::POST,
            "/api/personas".to_owned(),
            Some(json!({"persona": {"id": "p", "name": "P"}})),
        ),
        (Method::POST, "/api/uploads?name=e.csv".to_owned(), None),
    ] {
        let answer = fx.call(method.clone(), &path, Some(&fx.viewer), body).await;
        assert_eq!(answer.status, StatusCode::FORBIDDEN, "{method} {path}");
    }
    let users = fx
        .call(Method::GET, "/api/users", Some(&fx.editor), None)
        .await;
    assert_eq!(
        users.status,
        StatusCode::FORBIDDEN,
        "only owners manage users"
    );
    let users = fx
        .call(Method::GET, "/api/users", Some(&fx.owner), None)
        .await
        .json();
    assert_eq!(users.as_array().unwrap().len(), 3);
}

/// Signs in with a password; the session cookie and the CSRF token.
async fn sign_in(fx: &Fixture, email: &str) -> (String, String) {
    let answer = fx
        .call(
            Method::POST,
            "/api/login",
            None,
            Some(json!({"email": email, "password": "correct horse battery"})),
        )
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
    let cookie = answer.headers["set-cookie"].to_str().unwrap().to_owned();
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Strict"), "{cookie}");
    assert!(
        !cookie.contains("Secure"),
        "no Secure flag on loopback: {cookie}"
    );
    let pair = cookie.split(';').next().unwrap().to_owned();
    (pair, answer.json()["csrf"].as_str().unwrap().to_owned())
}

#[tokio::test]
async fn a_session_must_send_its_csrf_token_on_every_write() {
    let fx = Fixture::new();
    let id = fx.shop_map().await;
    let wrong = fx
        .call(
            Method::POST,
            "/api/login",
            None,
            Some(json!({"email": "olga@example.org", "password": "wrong password"})),
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    let (cookie, csrf) = sign_in(&fx, "ed@example.org").await;
    let map = fx.owner_map(&id).await;
    let put = |token: Option<&str>| {
        let mut request = Request::put(format!("/api/maps/{id}"))
            .header("cookie", &cookie)
            .header("content-type", "application/json");
        if let Some(token) = token {
            request = request.header("x-csrf-token", token);
        }
        request
            .body(Body::from(
                json!({"base_revision": 1, "map": map}).to_string(),
            ))
            .unwrap()
    };
    let missing = fx.send(put(None)).await;
    assert_eq!(missing.status, StatusCode::FORBIDDEN);
    assert_eq!(missing.json()["code"], "csrf_token_invalid");
    let forged = fx.send(put(Some("0123456789abcdef"))).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let good = fx.send(put(Some(&csrf))).await;
    assert_eq!(good.status, StatusCode::OK, "{}", good.text());

    let read = fx
        .send(
            Request::get("/api/me")
                .header("cookie", &cookie)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(read.json()["role"], "editor", "reads need no CSRF token");
    let out = fx
        .send(
            Request::post("/api/logout")
                .header("cookie", &cookie)
                .header("x-csrf-token", &csrf)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(out.status, StatusCode::NO_CONTENT);
    let after = fx
        .send(
            Request::get("/api/me")
                .header("cookie", &cookie)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(after.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn share_links_open_the_map_read_only_until_revoked() {
    let fx = Fixture::new();
    let id = fx.shop_map().await;
    let by_editor = fx
        .call(
            Method::POST,
            &format!("/api/maps/{id}/shares"),
            Some(&fx.editor),
            None,
        )
        .await;
    assert_eq!(
        by_editor.status,
        StatusCode::FORBIDDEN,
        "owners manage share links"
    );
    let link = fx
        .call(
            Method::POST,
            &format!("/api/maps/{id}/shares"),
            Some(&fx.owner),
            None,
        )
        .await;
    assert_eq!(link.status, StatusCode::CREATED);
    let link = link.json();
    let url = link["url"].as_str().unwrap().to_owned();
    assert!(url.starts_with("/s/"));

    let page = fx.call(Method::GET, &url, None, None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text().contains("Online shop purchase"));
    let svg = fx
        .call(Method::GET, &format!("{url}/map.svg"), None, None)
        .await;
    assert_eq!(svg.status, StatusCode::OK);
    assert!(svg.text().starts_with("<svg"));
    let listed = fx
        .call(
            Method::GET,
            &format!("/api/maps/{id}/shares"),
            Some(&fx.owner),
            None,
        )
        .await
        .json();
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert!(
        listed[0].get("url").is_none(),
        "the secret is shown once only"
    );

    let revoke = fx
        .call(
            Method::DELETE,
            &format!("/api/shares/{}", link["id"]),
            Some(&fx.owner),
            None,
        )
        .await;
    assert_eq!(revoke.status, StatusCode::NO_CONTENT);
    assert_eq!(
        fx.call(Method::GET, &url, None, None).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        fx.call(Method::GET, &format!("{url}/map.svg"), None, None)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let listed = fx
        .call(
            Method::GET,
            &format!("/api/maps/{id}/shares"),
            Some(&fx.owner),
            None,
        )
        .await
        .json();
    assert_eq!(listed.as_array().unwrap().len(), 0);
}

#[tokio::test]
async fn api_tokens_are_created_and_revoked() {
    let fx = Fixture::new();
    let created = fx
        .call(
            Method::POST,
            "/api/tokens",
            Some(&fx.viewer),
            Some(json!({"name": "script"})),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED);
    let created = created.json();
    let token = created["token"].as_str().unwrap();
    assert_eq!(
        fx.call(Method::GET, "/api/me", Some(token), None)
            .await
            .json()["name"],
        "vic"
    );
    let by_other = fx
        .call(
            Method::DELETE,
            &format!("/api/tokens/{}", created["id"]),
            Some(&fx.editor),
            None,
        )
        .await;
    assert_eq!(
        by_other.status,
        StatusCode::NOT_FOUND,
        "a user revokes only their own tokens"
    );
    let revoked = fx
        .call(
            Method::DELETE,
            &format!("/api/tokens/{}", created["id"]),
            Some(&fx.viewer),
            None,
        )
        .await;
    assert_eq!(revoked.status, StatusCode::NO_CONTENT);
    assert_eq!(
        fx.call(Method::GET, "/api/me", Some(token), None)
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn the_local_owner_is_signed_in_only_on_loopback() {
    let dir = tempfile::tempdir().unwrap();
    let mut off = config(dir.path());
    off.addr = SocketAddr::from(([0, 0, 0, 0], 7878));
    off.auto_login = true;
    let refused = cjm_server::open(&off)
        .err()
        .expect("auto-login off loopback is refused");
    assert!(matches!(
        refused,
        cjm_server::ServerError::AutoLoginOffLoopback(_)
    ));
    assert!(!cjm_server::ServerConfig::new(dir.path().into(), off.addr).auto_login);

    let fx = Fixture::with(|c| c.auto_login = true);
    let page = fx.call(Method::GET, "/", None, None).await;
    assert_eq!(page.status, StatusCode::OK);
    let cookie = page.headers["set-cookie"].to_str().unwrap();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    assert!(page.text().contains("Local owner"));
    let api = fx.call(Method::GET, "/api/maps", None, None).await;
    assert_eq!(
        api.status,
        StatusCode::UNAUTHORIZED,
        "the API still needs the session cookie or a token"
    );
}

#[tokio::test]
async fn sessions_off_loopback_get_secure_cookies() {
    let fx = Fixture::with(|c| c.addr = SocketAddr::from(([10, 0, 0, 1], 7878)));
    let answer = fx
        .call(
            Method::POST,
            "/api/login",
            None,
            Some(json!({"email": "olga@example.org", "password": "correct horse battery"})),
        )
        .await;
    assert_eq!(answer.status, StatusCode::OK);
    assert!(
        answer.headers["set-cookie"]
            .to_str()
            .unwrap()
            .contains("; Secure")
    );
}
