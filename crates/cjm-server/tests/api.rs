//! The map API: create, read, save, list, delete; revisions, diff and restore; 409 on a stale save.

use axum::http::{Method, StatusCode};
use serde_json::json;

use crate::support::Fixture;

#[tokio::test]
async fn maps_are_created_read_saved_listed_and_deleted() {
    let fx = Fixture::new();
    let id = fx.shop_map().await;
    assert_eq!(id, "shop-purchase");

    let got = fx
        .call(
            Method::GET,
            &format!("/api/maps/{id}"),
            Some(&fx.viewer),
            None,
        )
        .await;
    assert_eq!(got.status, StatusCode::OK);
    let got = got.json();
    assert_eq!(got["revision"], 1);
    assert_eq!(got["map"]["id"], id.as_str());
    assert_eq!(got["map"]["stages"].as_array().unwrap().len(), 6);

    let mut map = got["map"].clone();
    map["title"] = json!("Renamed");
    map["stages"][0]["name"] = json!("Notice");
    let saved = fx
        .call(
            Method::PUT,
            &format!("/api/maps/{id}"),
            Some(&fx.editor),
            Some(json!({"base_revision": 1, "map": map})),
        )
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.text());
    assert_eq!(saved.json(), json!({"id": id, "revision": 2}));

    let list = fx
        .call(Method::GET, "/api/maps?q=Renamed", Some(&fx.viewer), None)
        .await
        .json();
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["title"], "Renamed");
    assert_eq!(list[0]["revision"], 2);
    assert_eq!(list[0]["stages"], 6);

    let second = fx.shop_map().await;
    assert_eq!(
        second,
        format!("{id}-2"),
        "a second map from the same template gets a fresh id"
    );

    let deleted = fx
        .call(
            Method::DELETE,
            &format!("/api/maps/{id}"),
            Some(&fx.editor),
            None,
        )
        .await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);
    let gone = fx
        .call(
            Method::GET,
            &format!("/api/maps/{id}"),
            Some(&fx.owner),
            None,
        )
        .await;
    assert_eq!(gone.status, StatusCode::NOT_FOUND);
    assert_eq!(gone.json()["code"], "not_found");
}

#[tokio::test]
async fn a_stale_save_gets_409_with_the_current_revision_and_changes_nothing() {
    let fx = Fixture::new();
    let id = fx.shop_map().await;
    let map = fx.owner_map(&id).await;
    let mut first = map.clone();
    first["title"] = json!("First writer");
    let mut second = map;
    second["title"] = json!("Second writer");
    let a = fx
        .call(
            Method::PUT,
            &format!("/api/maps/{id}"),
            Some(&fx.owner),
            Some(json!({"base_revision": 1, "map": first})),
        )
        .await;
    assert_eq!(a.status, StatusCode::OK);
    let b = fx
        .call(
            Method::PUT,
            &format!("/api/maps/{id}"),
            Some(&fx.editor),
            Some(json!({"base_revision": 1, "map": second})),
        )
        .await;
    assert_eq!(b.status, StatusCode::CONFLICT);
    let body = b.json();
    assert_eq!(body["code"], "revision_conflict");
    assert_eq!(body["current_revision"], 2);
    let now = fx
        .call(
            Method::GET,
            &format!("/api/maps/{id}"),
            Some(&fx.owner),
            None,
        )
        .await
        .json();
    assert_eq!(now["revision"], 2);
    assert_eq!(now["map"]["title"], "First writer");
}

#[tokio::test]
async fn revisions_are_listed_compared_and_restored() {
    let fx = Fixture::new();
    let id = fx.shop_map().await;
    let original = fx.owner_map(&id).await;
    let mut edited = original.clone();
    edited["stages"][1]["name"] = json!("Compare");
    let saved = fx
        .call(
            Method::PUT,
            &format!("/api/maps/{id}"),
            Some(&fx.owner),
            Some(json!({"base_revision": 1, "map": edited, "message": "rename"})),
        )
        .await;
    assert_eq!(saved.json()["revision"], 2);

    let revisions = fx
        .call(
            Method::GET,
            &format!("/api/maps/{id}/revisions"),
            Some(&fx.viewer),
            None,
        )
        .await
        .json();
    let revs: Vec<i64> = revisions
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["rev"].as_i64().unwrap())
        .collect();
    assert_eq!(revs.len(), 2);
    assert!(revs.contains(&1) && revs.contains(&2));
    assert!(
        revisions
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["author_name"] == "olga")
    );

    let diff = fx
        .call(
            Method::GET,
            &format!("/api/maps/{id}/diff?from=1&to=2"),
            Some(&fx.viewer),
            None,
        )
        .await
        .json();
    let changes = diff["changes"].as_array().unwrap();
    assert_eq!(changes.len(), 1, "{diff}");
    assert_eq!(changes[0]["element"], "stage");
    assert_eq!(changes[0]["id"], "browse");
    assert_eq!(changes[0]["old"], "Browse and choose");
    assert_eq!(changes[0]["new"], "Compare");

    let one = fx
        .call(
            Method::GET,
            &format!("/api/maps/{id}/revisions/1"),
            Some(&fx.viewer),
            None,
        )
        .await
        .json();
    assert_eq!(one["map"], original);
    assert!(
        one["yaml"]
            .as_str()
            .unwrap()
            .contains("name: Browse and choose")
    );

    let viewer_restore = fx
        .call(
            Method::POST,
            &format!("/api/maps/{id}/revisions/1/restore"),
            Some(&fx.viewer),
            None,
        )
        .await;
    assert_eq!(viewer_restore.status, StatusCode::FORBIDDEN);
    let restored = fx
        .call(
            Method::POST,
            &format!("/api/maps/{id}/revisions/1/restore"),
            Some(&fx.editor),
            None,
        )
        .await;
    assert_eq!(restored.status, StatusCode::OK);
    assert_eq!(restored.json()["revision"], 3);
    let now = fx
        .call(
            Method::GET,
            &format!("/api/maps/{id}"),
            Some(&fx.owner),
            None,
        )
        .await
        .json();
    assert_eq!(now["revision"], 3);
    assert_eq!(now["map"], original);
}

#[tokio::test]
async fn bad_input_gets_the_right_status_and_a_json_error() {
    let fx = Fixture::new();
    let id = fx.shop_map().await;
    let unknown = fx
        .call(
            Method::POST,
            "/api/maps",
            Some(&fx.owner),
            Some(json!({"template": "nope"})),
        )
        .await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(unknown.json()["code"], "invalid_content");

    let not_json = fx
        .send(
            axum::http::Request::put(format!("/api/maps/{id}"))
                .header("authorization", format!("Bearer {}", fx.owner))
                .header("content-type", "application/json")
                .body(axum::body::Body::from("{not json"))
                .unwrap(),
        )
        .await;
    assert_eq!(not_json.status, StatusCode::BAD_REQUEST);
    assert_eq!(not_json.json()["code"], "bad_request");

    let wrong_shape = fx
        .call(
            Method::PUT,
            &format!("/api/maps/{id}"),
            Some(&fx.owner),
            Some(json!({"base_revision": 1, "map": {"title": 3}})),
        )
        .await;
    assert_eq!(wrong_shape.status, StatusCode::UNPROCESSABLE_ENTITY);

    let mut map = fx.owner_map(&id).await;
    map["lanes"][0]["cells"][0]["step"] = json!("no-such-step");
    let invalid = fx
        .call(
            Method::PUT,
            &format!("/api/maps/{id}"),
            Some(&fx.owner),
            Some(json!({"base_revision": 1, "map": map})),
        )
        .await;
    assert_eq!(
        invalid.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        invalid.text()
    );
    assert!(
        invalid.json()["message"]
            .as_str()
            .unwrap()
            .contains("no-such-step")
    );
}

#[tokio::test]
async fn maps_import_from_yaml_and_export_in_every_format() {
    let fx = Fixture::new();
    let id = fx.shop_map().await;
    let yaml = fx
        .call(
            Method::GET,
            &format!("/api/maps/{id}/export/yaml"),
            Some(&fx.viewer),
            None,
        )
        .await;
    assert_eq!(yaml.status, StatusCode::OK);
    let imported = fx
        .send(
            axum::http::Request::post("/api/maps/import?name=copy.yaml")
                .header("authorization", format!("Bearer {}", fx.editor))
                .body(axum::body::Body::from(yaml.body.clone()))
                .unwrap(),
        )
        .await;
    assert_eq!(imported.status, StatusCode::CREATED, "{}", imported.text());
    assert_eq!(imported.json()["id"], format!("{id}-2"));

    for (ext, content_type, magic) in [
        ("json", "application/json", &b"{"[..]),
        ("csv", "text/csv; charset=utf-8", b""),
        ("mmd", "text/plain; charset=utf-8", b"journey"),
        ("svg", "image/svg+xml", b"<svg"),
        ("png", "image/png", b"\x89PNG"),
        ("pdf", "application/pdf", b"%PDF"),
        ("html", "text/html; charset=utf-8", b"<!DOCTYPE html>"),
        ("md", "text/markdown; charset=utf-8", b"#"),
    ] {
        let answer = fx
            .call(
                Method::GET,
                &format!("/api/maps/{id}/export/{ext}"),
                Some(&fx.viewer),
                None,
            )
            .await;
        assert_eq!(answer.status, StatusCode::OK, "{ext}");
        assert_eq!(answer.headers["content-type"], content_type, "{ext}");
        assert!(
            answer.body.starts_with(magic),
            "{ext}: {:?}",
            &answer.text()[..answer.body.len().min(40)]
        );
    }
    let unknown = fx
        .call(
            Method::GET,
            &format!("/api/maps/{id}/export/docx"),
            Some(&fx.viewer),
            None,
        )
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn comments_and_personas_round_trip() {
    let fx = Fixture::new();
    let id = fx.shop_map().await;
    let added = fx
        .call(
            Method::POST,
            &format!("/api/maps/{id}/comments"),
            Some(&fx.editor),
            Some(json!({"cell": "act-land", "text": "Check with analytics"})),
        )
        .await;
    assert_eq!(added.status, StatusCode::CREATED, "{}", added.text());
    fx.call(
        Method::POST,
        &format!("/api/maps/{id}/comments"),
        Some(&fx.owner),
        Some(json!({"cell": "act-see-offer", "text": "Other"})),
    )
    .await;
    let listed = fx
        .call(
            Method::GET,
            &format!("/api/maps/{id}/comments?cell=act-land"),
            Some(&fx.viewer),
            None,
        )
        .await
        .json();
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert_eq!(listed[0]["text"], "Check with analytics");
    assert_eq!(listed[0]["author_name"], "ed");
    let viewer = fx
        .call(
            Method::POST,
            &format!("/api/maps/{id}/comments"),
            Some(&fx.viewer),
            Some(json!({"cell": "act-land", "text": "x"})),
        )
        .await;
    assert_eq!(viewer.status, StatusCode::FORBIDDEN);

    let created = fx.call(Method::POST, "/api/personas", Some(&fx.editor), Some(json!({"persona": {"id": "", "name": "Anna Nowak", "age": 34, "goals": ["fast delivery"]}}))).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text());
    assert_eq!(created.json()["id"], "annanowak");
    let updated = fx
        .call(
            Method::PUT,
            "/api/personas/annanowak",
            Some(&fx.editor),
            Some(json!({"persona": {"id": "x", "name": "Anna Nowak", "occupation": "Teacher"}})),
        )
        .await;
    assert_eq!(updated.status, StatusCode::NO_CONTENT);
    let got = fx
        .call(
            Method::GET,
            "/api/personas/annanowak",
            Some(&fx.viewer),
            None,
        )
        .await
        .json();
    assert_eq!(got["persona"]["occupation"], "Teacher");
    assert_eq!(got["persona"]["id"], "annanowak");
    let all = fx
        .call(Method::GET, "/api/personas", Some(&fx.viewer), None)
        .await
        .json();
    assert_eq!(all.as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn the_openapi_document_lists_every_api_route() {
    let fx = Fixture::new();
    let doc = fx.call(Method::GET, "/api/openapi.json", None, None).await;
    assert_eq!(doc.status, StatusCode::OK);
    let doc = doc.json();
    let paths = doc["paths"].as_object().unwrap();
    for path in [
        "/api/maps",
        "/api/maps/{id}",
        "/api/maps/import",
        "/api/maps/{id}/revisions",
        "/api/maps/{id}/diff",
        "/api/maps/{id}/revisions/{rev}/restore",
        "/api/maps/{id}/comments",
        "/api/maps/{id}/export/{format}",
        "/api/personas",
        "/api/personas/{id}",
        "/api/login",
        "/api/users",
        "/api/tokens",
        "/api/maps/{id}/shares",
        "/api/uploads",
        "/api/stores",
        "/api/stores/{name}/funnel",
        "/api/stores/{name}/paths",
        "/api/stores/{name}/dfg",
    ] {
        assert!(
            paths.contains_key(path),
            "{path} missing from the OpenAPI document"
        );
    }
    assert!(paths["/api/maps/{id}"]["put"]["responses"]["409"].is_object());
    assert_eq!(
        doc["components"]["securitySchemes"]["token"]["scheme"],
        "bearer"
    );
}
