//! Event data through the API: upload with preview, import, stats, funnel, paths, process graph, attach.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use serde_json::json;

use crate::support::Fixture;

const EVENTS: &str = include_str!("data/events.csv");

/// Uploads and imports `events.csv` as store `shop`; the registry entry.
pub async fn import_events(fx: &Fixture) -> serde_json::Value {
    let upload = fx
        .send(
            Request::post("/api/uploads?name=events.csv")
                .header("authorization", format!("Bearer {}", fx.editor))
                .body(Body::from(EVENTS))
                .unwrap(),
        )
        .await;
    assert_eq!(upload.status, StatusCode::CREATED, "{}", upload.text());
    let upload = upload.json();
    assert_eq!(
        upload["columns"],
        json!(["customer_id", "ts", "event", "channel"])
    );
    assert_eq!(
        upload["rows"][0],
        json!(["c1", "2026-03-01T10:00:00Z", "landing", "web"])
    );
    assert_eq!(upload["rows"].as_array().unwrap().len(), 8);
    assert_eq!(upload["suggested_store"], "events");
    assert_eq!(upload["size"], EVENTS.len());
    let imported = fx
        .call(Method::POST, "/api/stores", Some(&fx.editor), Some(json!({
            "upload": upload["id"], "name": "shop", "case": "customer_id", "activity": "event", "timestamp": "ts"
        })))
        .await;
    assert_eq!(imported.status, StatusCode::CREATED, "{}", imported.text());
    imported.json()
}

#[tokio::test]
async fn an_uploaded_event_file_becomes_a_store_with_stats_funnel_paths_and_graph() {
    let fx = Fixture::new();
    let info = import_events(&fx).await;
    assert_eq!(info["name"], "shop");
    assert_eq!(info["stats"]["cases"], 6);
    assert_eq!(info["stats"]["events"], 15);
    assert_eq!(info["stats"]["activities"], 4);
    assert_eq!(
        std::fs::read_dir(fx.dir.path().join("uploads"))
            .unwrap()
            .count(),
        0,
        "the upload is removed after the import"
    );

    let listed = fx
        .call(Method::GET, "/api/stores", Some(&fx.viewer), None)
        .await
        .json();
    assert_eq!(listed[0]["name"], "shop");
    let stats = fx
        .call(Method::GET, "/api/stores/shop", Some(&fx.viewer), None)
        .await
        .json();
    assert_eq!(stats["top_activities"][0], json!(["landing", 5]));

    let funnel = fx
        .call(Method::POST, "/api/stores/shop/funnel", Some(&fx.viewer), Some(json!({
            "steps": ["landing", "product_view", "add_to_cart", "purchase"], "window_seconds": 86400
        })))
        .await;
    assert_eq!(funnel.status, StatusCode::OK, "{}", funnel.text());
    let funnel = funnel.json();
    assert_eq!(funnel["cases"], 6);
    let reached: Vec<u64> = funnel["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["customers"].as_u64().unwrap())
        .collect();
    assert_eq!(reached, vec![5, 4, 3, 2]);
    assert_eq!(funnel["levels"], json!([1, 1, 1, 1, 2]));

    let paths = fx
        .call(
            Method::GET,
            "/api/stores/shop/paths?start=landing&depth=2",
            Some(&fx.viewer),
            None,
        )
        .await
        .json();
    let found: Vec<(Vec<String>, u64)> = paths["paths"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                serde_json::from_value(p["activities"].clone()).unwrap(),
                p["cases"].as_u64().unwrap(),
            )
        })
        .collect();
    let v = |s: &[&str]| s.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    assert_eq!(
        found,
        vec![
            (v(&["landing", "product_view", "add_to_cart"]), 3),
            (v(&["landing"]), 1),
            (v(&["landing", "product_view"]), 1),
        ]
    );
    assert!(!paths["sankey"]["links"].as_array().unwrap().is_empty());

    let dfg = fx
        .call(Method::GET, "/api/stores/shop/dfg", Some(&fx.viewer), None)
        .await
        .json();
    let edges: Vec<(String, String, u64)> = dfg["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["from"].as_str().unwrap().to_owned(),
                e["to"].as_str().unwrap().to_owned(),
                e["count"].as_u64().unwrap(),
            )
        })
        .collect();
    for expected in [
        ("landing", "product_view", 4),
        ("product_view", "add_to_cart", 3),
        ("add_to_cart", "purchase", 2),
    ] {
        assert!(
            edges.contains(&(expected.0.into(), expected.1.into(), expected.2)),
            "{expected:?} in {edges:?}"
        );
    }
    assert_eq!(edges.len(), 3);

    let missing = fx
        .call(
            Method::POST,
            "/api/stores/nope/funnel",
            Some(&fx.viewer),
            Some(json!({"steps": ["a"], "window_seconds": 1})),
        )
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_store_is_attached_to_a_map_and_shown_on_its_data_page() {
    let fx = Fixture::with(|c| c.auto_login = true);
    import_events(&fx).await;
    let id = fx.shop_map().await;
    let viewer = fx
        .call(
            Method::PUT,
            &format!("/api/maps/{id}/store"),
            Some(&fx.viewer),
            Some(json!({"store": "shop"})),
        )
        .await;
    assert_eq!(viewer.status, StatusCode::FORBIDDEN);
    let attached = fx
        .call(
            Method::PUT,
            &format!("/api/maps/{id}/store"),
            Some(&fx.editor),
            Some(json!({"store": "shop"})),
        )
        .await;
    assert_eq!(attached.status, StatusCode::NO_CONTENT);
    let page = fx
        .call(Method::GET, &format!("/maps/{id}/data"), None, None)
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text().contains("/data/shop"));
    let explorer = fx.call(Method::GET, "/data/shop", None, None).await;
    assert_eq!(explorer.status, StatusCode::OK);
    assert!(explorer.text().contains("id=\"funnel-form\""));
}
