//! The demo workspace: made once with maps, a persona and a seeded event store; its data-backed map.

use axum::http::{Method, StatusCode};

use crate::support::Fixture;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_fills_a_workspace_once_and_shows_its_data_backed_map() {
    let fx = Fixture::with(|c| c.auto_login = true);
    let made = cjm_server::demo::populate(&fx.state, "en").expect("demo content");
    assert!(made.created);
    assert_eq!(
        made.maps,
        [
            "shop-purchase",
            "bank-account-opening",
            "employee-onboarding-blueprint"
        ]
    );
    let again = cjm_server::demo::populate(&fx.state, "en").expect("reopened");
    assert!(!again.created);
    assert_eq!(again.maps.len(), 3);

    let stores = fx
        .call(Method::GET, "/api/stores", Some(&fx.viewer), None)
        .await
        .json();
    assert_eq!(stores[0]["name"], cjm_server::demo::DEMO_STORE);
    assert_eq!(
        stores[0]["stats"]["cases"],
        cjm_server::demo::DEMO_CUSTOMERS
    );
    let personas = fx
        .call(Method::GET, "/api/personas", Some(&fx.viewer), None)
        .await
        .json();
    assert_eq!(personas[0]["persona"]["id"], "emily");

    let data = fx
        .call(
            Method::GET,
            "/api/maps/shop-purchase/data/shop-demo",
            Some(&fx.viewer),
            None,
        )
        .await;
    assert_eq!(data.status, StatusCode::OK, "{}", data.text());
    let data = data.json();
    assert_eq!(data["insights"]["cases"], cjm_server::demo::DEMO_CUSTOMERS);
    let stages = data["insights"]["stages"].as_array().unwrap();
    assert_eq!(stages[0]["stage"], "discover");
    let reached: Vec<u64> = stages
        .iter()
        .map(|s| s["reached"].as_u64().unwrap())
        .collect();
    assert!(
        reached.windows(2).take(3).all(|w| w[0] >= w[1]),
        "the funnel narrows: {reached:?}"
    );
    assert!(
        !data["insights"]["weak_points"]
            .as_array()
            .unwrap()
            .is_empty()
    );

    let page = fx
        .call(Method::GET, "/maps/shop-purchase/data", None, None)
        .await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.text();
    assert!(html.contains("id=\"stage-measures\"") && html.contains("id=\"weak-points\""));
    let svg = fx
        .call(
            Method::GET,
            "/api/maps/shop-purchase/data/shop-demo/map.svg",
            Some(&fx.viewer),
            None,
        )
        .await;
    assert_eq!(svg.status, StatusCode::OK);
    assert!(svg.text().starts_with("<svg"));
    let not_attached = fx
        .call(
            Method::GET,
            "/api/maps/bank-account-opening/data/shop-demo",
            Some(&fx.viewer),
            None,
        )
        .await;
    assert_eq!(not_attached.status, StatusCode::NOT_FOUND);
}
