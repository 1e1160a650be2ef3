//! `cjm build` as a user runs it: import shop20k, build the shipped shop map.

use std::path::Path;
use std::process::{Command, Output};

fn cjm(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cjm"))
        .args(args)
        .output()
        .expect("cjm runs")
}

fn repo_path(relative: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(relative)
        .display()
        .to_string()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn build_writes_the_measured_map_and_the_insights() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store").display().to_string();
    let shop = repo_path("cjm-events/tests/data/shop20k.parquet");
    let out = cjm(&[
        "import",
        &shop,
        "--store",
        &store,
        "--case",
        "customer_id",
        "--activity",
        "event",
        "--time",
        "ts",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let map = repo_path("cjm-insights/maps/online-shop.yaml");

    // YAML out, table on stdout.
    let yaml = dir.path().join("shop.yaml").display().to_string();
    let out = cjm(&[
        "build", &map, "--store", &store, "-o", &yaml, "--window", "604800",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    // ClickHouse windowFunnel(604800 s): 20000 customers land, 2141 buy.
    assert!(stdout.contains("20000 cases, 123836 events"), "{stdout}");
    let purchase = stdout
        .lines()
        .find(|l| l.starts_with("purchase"))
        .unwrap_or_default();
    assert!(purchase.contains(" 2141 "), "{stdout}");
    assert!(stdout.contains("weak points"), "{stdout}");
    let written = std::fs::read_to_string(&yaml).unwrap();
    let built = cjm_model::parse_map(&written, &yaml).unwrap();
    let reached = built
        .lanes
        .iter()
        .find(|l| l.id == "measured-reached")
        .unwrap();
    let values: Vec<f64> = reached
        .cells
        .iter()
        .filter_map(|c| c.metric.as_ref()?.value)
        .collect();
    assert_eq!(values, [20000.0, 13394.0, 6278.0, 3069.0, 2141.0]);

    // JSON out: the map, the insights beside it, and the insights on stdout.
    let json = dir.path().join("shop.json").display().to_string();
    let out = cjm(&[
        "build", &map, "--store", &store, "-o", &json, "--window", "604800", "--period", "month",
        "--format", "json",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let insights: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(insights["stages"][4]["reached"], 2141);
    assert_eq!(insights["trends"]["period"], "month");
    let beside = dir.path().join("shop.insights.json");
    let saved: serde_json::Value = serde_json::from_slice(&std::fs::read(beside).unwrap()).unwrap();
    assert_eq!(saved, insights);
    assert!(cjm_model::parse_map(&std::fs::read_to_string(&json).unwrap(), &json).is_ok());

    // A rendered output.
    let svg = dir.path().join("shop.svg").display().to_string();
    let out = cjm(&[
        "build", &map, "--store", &store, "-o", &svg, "--format", "csv",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).starts_with("stage,outcome,reached,"));
    assert!(std::fs::read_to_string(&svg).unwrap().contains("<svg"));

    // `cjm check --store` holds the rules against the store.
    let out = cjm(&["check", &map, "--store", &store]);
    assert!(out.status.success(), "{}", text(&out.stdout));
    let bad_map = dir.path().join("bad.yaml");
    let bad_text = std::fs::read_to_string(&map)
        .unwrap()
        .replace("[purchase]", "[purchase, paid*]");
    std::fs::write(&bad_map, bad_text).unwrap();
    let bad_map = bad_map.display().to_string();
    let out = cjm(&["check", &bad_map, "--store", &store]);
    assert!(out.status.success(), "{}", text(&out.stdout));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains(
            "warning: stage `purchase`: activity pattern `paid*` matches no activity in the store"
        ),
        "{stdout}"
    );

    // User errors exit 1 with a message.
    let out = cjm(&["build", &map, "--store", &store, "-o", "shop.docx"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("cannot tell the output format"));
    let missing = dir.path().join("nothing").display().to_string();
    let out = cjm(&["build", &map, "--store", &missing, "-o", &yaml]);
    assert_eq!(out.status.code(), Some(1));
    let out = cjm(&[
        "build", &map, "--store", &store, "-o", &yaml, "--amount", "price",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("no attribute named `price`"),
        "{}",
        text(&out.stderr)
    );
}
