//! Security: user text is inert in HTML and SVG, uploads are size-limited, paths stay in the workspace.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use serde_json::json;

use crate::support::Fixture;

const SCRIPT: &str = "<script>alert('x')</script>";
const SVG: &str = "<svg onload=alert(1)>";
const IMG: &str = "\"><img src=x onerror=alert(2)>";
const JS_URL: &str = "javascript:alert(3)";

/// A map whose title, stage, step, cell and persona carry the payloads.
async fn hostile_map(fx: &Fixture) -> String {
    let id = fx.shop_map().await;
    let mut map = fx.owner_map(&id).await;
    map["title"] = json!(SCRIPT);
    map["description"] = json!(IMG);
    map["stages"][0]["name"] = json!(SVG);
    map["stages"][0]["steps"][0]["name"] = json!(format!("</script>{SCRIPT}"));
    map["lanes"][0]["cells"][0]["text"] = json!(format!("{SVG} {JS_URL}"));
    map["personas"][0]["name"] = json!(SCRIPT);
    map["personas"][0]["photo"] = json!(JS_URL);
    let saved = fx
        .call(
            Method::PUT,
            &format!("/api/maps/{id}"),
            Some(&fx.owner),
            Some(json!({"base_revision": 1, "map": map})),
        )
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.text());
    let persona = json!({"persona": {"id": "evil", "name": SCRIPT, "quote": SVG, "occupation": IMG, "photo": JS_URL}});
    assert_eq!(
        fx.call(
            Method::POST,
            "/api/personas",
            Some(&fx.owner),
            Some(persona)
        )
        .await
        .status,
        StatusCode::CREATED
    );
    id
}

fn assert_inert_html(html: &str, page: &str) {
    for raw in [
        "<script>alert",
        "<svg onload",
        "<img src=x",
        "</script><script>",
    ] {
        assert!(!html.contains(raw), "{page} holds {raw:?} unescaped");
    }
    assert!(
        !html.contains("href=\"javascript:"),
        "{page} links to javascript:"
    );
}

#[tokio::test]
async fn payloads_are_escaped_in_every_page() {
    let fx = Fixture::with(|c| c.auto_login = true);
    let id = hostile_map(&fx).await;
    for page in [
        "/".to_owned(),
        format!("/maps/{id}"),
        format!("/maps/{id}/preview"),
        format!("/maps/{id}/print"),
        format!("/maps/{id}/history"),
        "/personas".to_owned(),
        "/personas/evil".to_owned(),
    ] {
        let answer = fx.call(Method::GET, &page, None, None).await;
        assert_eq!(answer.status, StatusCode::OK, "{page}");
        let html = answer.text();
        assert_inert_html(&html, &page);
        if page == "/" || page == "/personas" {
            assert!(
                html.contains("&lt;script&gt;alert('x')&lt;/script&gt;"),
                "{page} shows the title as text"
            );
        }
        let csp = answer.headers["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("script-src 'self'"), "{page}: {csp}");
    }
}

#[tokio::test]
async fn payloads_are_escaped_in_the_svg_and_the_shared_view() {
    let fx = Fixture::new();
    let id = hostile_map(&fx).await;
    let svg = fx
        .call(
            Method::GET,
            &format!("/api/maps/{id}/export/svg"),
            Some(&fx.viewer),
            None,
        )
        .await
        .text();
    assert!(svg.starts_with("<svg"));
    assert!(!svg.contains("<script"), "no script element in the SVG");
    assert!(!svg.contains("<svg onload"), "no nested svg with a handler");
    assert!(!svg.contains("<img"), "no img element with a handler");
    assert!(!svg.contains("href=\"javascript:"), "no javascript: link");
    assert!(
        svg.contains("&lt;svg onload=alert(1)&gt;"),
        "the stage name is shown as text"
    );

    let html = fx
        .call(
            Method::GET,
            &format!("/api/maps/{id}/export/html"),
            Some(&fx.viewer),
            None,
        )
        .await
        .text();
    assert!(!html.contains("<script>alert"));
    assert!(!html.contains("<svg onload"));

    let link = fx
        .call(
            Method::POST,
            &format!("/api/maps/{id}/shares"),
            Some(&fx.owner),
            None,
        )
        .await
        .json();
    let shared = fx
        .call(Method::GET, link["url"].as_str().unwrap(), None, None)
        .await
        .text();
    assert_inert_html(&shared, "shared view");
}

#[tokio::test]
async fn oversized_uploads_and_bodies_get_413() {
    let fx = Fixture::with(|c| {
        c.upload_limit = 1024;
        c.body_limit = 4096;
    });
    let big =
        "customer_id,ts,event\n".to_owned() + &"c1,2026-01-01T00:00:00Z,landing\n".repeat(100);
    let upload = fx
        .send(
            Request::post("/api/uploads?name=big.csv")
                .header("authorization", format!("Bearer {}", fx.editor))
                .body(Body::from(big))
                .unwrap(),
        )
        .await;
    assert_eq!(upload.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(upload.json()["code"], "payload_too_large");
    let leftovers = std::fs::read_dir(fx.dir.path().join("uploads"))
        .unwrap()
        .count();
    assert_eq!(leftovers, 0, "a refused upload leaves no file behind");

    let huge_title = "x".repeat(10_000);
    let body = fx
        .call(
            Method::POST,
            "/api/maps",
            Some(&fx.owner),
            Some(json!({"template": "shop", "title": huge_title})),
        )
        .await;
    assert_eq!(body.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(body.json()["code"], "payload_too_large");
    let import = fx
        .send(
            Request::post("/api/maps/import?name=m.yaml")
                .header("authorization", format!("Bearer {}", fx.owner))
                .body(Body::from("a".repeat(5000)))
                .unwrap(),
        )
        .await;
    assert_eq!(import.status, StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn names_from_requests_never_leave_the_workspace() {
    let fx = Fixture::new();
    let upload = |name: &str| {
        Request::post(format!("/api/uploads?name={name}"))
            .header("authorization", format!("Bearer {}", fx.editor))
            .body(Body::from(
                "customer_id,ts,event\nc1,2026-01-01T00:00:00Z,landing\n",
            ))
            .unwrap()
    };
    let answer = fx.send(upload("..%2F..%2Fescape.csv")).await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.text());
    let id = answer.json()["id"].as_str().unwrap().to_owned();
    assert!(!id.contains('/') && !id.contains(".."), "{id}");
    assert!(fx.dir.path().join("uploads").join(&id).is_file());
    assert!(!fx.dir.path().parent().unwrap().join("escape.csv").exists());

    for (upload, name) in [
        ("../workspace.sqlite", "s1"),
        (id.as_str(), "../../outside"),
        (id.as_str(), "/etc"),
    ] {
        let answer = fx
            .call(
                Method::POST,
                "/api/stores",
                Some(&fx.editor),
                Some(json!({"upload": upload, "name": name})),
            )
            .await;
        assert!(
            answer.status == StatusCode::NOT_FOUND
                || answer.status == StatusCode::UNPROCESSABLE_ENTITY,
            "{upload} {name}: {}",
            answer.status
        );
    }
    assert!(!fx.dir.path().parent().unwrap().join("outside").exists());
    let asset = fx
        .call(Method::GET, "/assets/..%2F..%2FCargo.toml", None, None)
        .await;
    assert_eq!(asset.status, StatusCode::NOT_FOUND);
}
