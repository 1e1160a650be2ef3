//! The analytic verbs (`funnel`, `paths`, `dfg`, `variants`, `durations`) as a user runs
//! them: every output format, the filters, and the answers held to the oracles.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

fn cjm(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cjm"))
        .args(args)
        .output()
        .expect("cjm runs")
}

fn data(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../cjm-events/tests/data")
        .join(name)
}

/// Imports a fixture into a new store; the directory lives as long as the guard.
fn store_of(fixture: &str) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store").display().to_string();
    let source = data(fixture).display().to_string();
    let out = cjm(&["import", &source, "--store", &store]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (dir, store)
}

/// Runs a verb that must succeed and returns its stdout.
fn run(args: &[&str]) -> String {
    let out = cjm(args);
    assert!(
        out.status.success(),
        "cjm {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn json(args: &[&str]) -> Value {
    let mut args = args.to_vec();
    args.extend(["--format", "json"]);
    serde_json::from_str(&run(&args)).unwrap()
}

fn oracle(name: &str) -> Value {
    serde_json::from_slice(&std::fs::read(data(name)).unwrap()).unwrap()
}

const SHOP_STEPS: &str = "landing,product_view,add_to_cart,checkout,purchase";

#[test]
fn funnel_levels_equal_clickhouse_in_every_mode() {
    let (_dir, store) = store_of("shop20k.parquet");
    let expected = oracle("shop20k_funnel.json");
    for mode in [
        "default",
        "strict_order",
        "strict_deduplication",
        "strict_increase",
    ] {
        let report = json(&[
            "funnel", "--store", &store, "--steps", SHOP_STEPS, "--window", "7d", "--mode", mode,
        ]);
        assert_eq!(
            report["levels"], expected["modes"][mode]["histogram"],
            "{mode}"
        );
    }
    // The breakdown by channel adds up to the whole; --dropped-at lists level-1 cases.
    let report = json(&[
        "funnel",
        "--store",
        &store,
        "--steps",
        SHOP_STEPS,
        "--by",
        "channel",
        "--dropped-at",
        "1",
    ]);
    let groups = report["groups"].as_array().unwrap();
    assert!(groups.len() > 1);
    let total: u64 = groups.iter().map(|g| g["cases"].as_u64().unwrap()).sum();
    assert_eq!(total, report["cases"].as_u64().unwrap());
    assert_eq!(
        report["dropped_cases"].as_array().unwrap().len() as u64,
        report["levels"][1].as_u64().unwrap()
    );
    // Table and CSV carry the same step counts.
    let table = run(&["funnel", "--store", &store, "--steps", SHOP_STEPS]);
    let csv = run(&[
        "funnel", "--store", &store, "--steps", SHOP_STEPS, "--format", "csv",
    ]);
    for step in report["steps"].as_array().unwrap() {
        let customers = step["customers"].to_string();
        assert!(table.contains(&customers), "{table}");
        assert!(csv.contains(&customers), "{csv}");
    }
}

#[test]
fn dfg_variants_paths_and_durations_equal_pm4py() {
    let (_dir, store) = store_of("running-example.xes");
    let expected = oracle("running-example.json");
    let dfg = json(&["dfg", "--store", &store]);
    let edges: BTreeMap<(String, String), u64> = dfg["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let name = |k: &str| e[k].as_str().unwrap().to_owned();
            ((name("from"), name("to")), e["count"].as_u64().unwrap())
        })
        .collect();
    let oracle_edges: BTreeMap<(String, String), u64> = expected["dfg"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let name = |i: usize| e[i].as_str().unwrap().to_owned();
            ((name(0), name(1)), e[2].as_u64().unwrap())
        })
        .collect();
    assert_eq!(edges, oracle_edges);
    assert_eq!(dfg["start"], expected["start"]);
    assert_eq!(dfg["end"], expected["end"]);
    let dot = run(&["dfg", "--store", &store, "--format", "dot"]);
    assert!(dot.starts_with("digraph"), "{dot}");
    assert!(
        dot.contains("\"register request\" -> \"check ticket\""),
        "{dot}"
    );

    let variants = json(&["variants", "--store", &store]);
    assert_eq!(
        variants["distinct"],
        expected["variants"].as_array().unwrap().len()
    );
    for (got, want) in variants["variants"]
        .as_array()
        .unwrap()
        .iter()
        .zip(expected["variants"].as_array().unwrap())
    {
        assert_eq!(got["activities"], want[0]);
        assert_eq!(got["cases"], want[1]);
    }

    let paths = json(&[
        "paths",
        "--store",
        &store,
        "--from",
        "register request",
        "--depth",
        "2",
    ]);
    assert_eq!(paths["cases_with_anchor"], 6);
    let through: u64 = paths["paths"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["cases"].as_u64().unwrap())
        .sum();
    assert_eq!(through, 6);

    let durations = json(&["durations", "--store", &store]);
    assert_eq!(durations["summary"]["count"], 6);
    let csv = run(&["durations", "--store", &store, "--format", "csv"]);
    assert!(csv.lines().count() > 1, "{csv}");
}

#[test]
fn filters_narrow_every_verb() {
    let (_dir, store) = store_of("running-example.xes");
    let cases = |extra: &[&str]| {
        let mut args = vec!["dfg", "--store", &store];
        args.extend(extra);
        json(&args)["cases"].as_u64().unwrap()
    };
    assert_eq!(cases(&[]), 6);
    // Three cases end with a rejection, three with a payment.
    assert_eq!(cases(&["--containing", "reject request"]), 3);
    assert_eq!(
        cases(&[
            "--containing",
            "reject request",
            "--containing",
            "pay compensation"
        ]),
        0
    );
    // Three cases were registered on 2010-12-30, three on 2011-01-06; nothing happened
    // after January.
    assert_eq!(cases(&["--to-time", "2011-01-01"]), 3);
    assert_eq!(cases(&["--from-time", "2011-02-01"]), 0);
    let only = json(&[
        "dfg",
        "--store",
        &store,
        "--activities",
        "register request,decide",
    ]);
    assert_eq!(only["events"].as_u64().unwrap(), 6 + 9);
    let pete = json(&[
        "variants",
        "--store",
        &store,
        "--where",
        "org:resource=Pete",
    ]);
    assert!(pete["cases"].as_u64().unwrap() > 0);
}

#[test]
fn bad_requests_are_user_errors_with_hints() {
    let (_dir, store) = store_of("running-example.xes");
    let out = cjm(&[
        "funnel", "--store", &store, "--steps", "decide", "--mode", "sideways",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown funnel mode"));

    let out = cjm(&["dfg", "--store", "/nonexistent/store"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("hint"));

    let out = cjm(&["variants", "--store", &store, "--where", "nosuch=1"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("nosuch"));

    let out = cjm(&["dfg", "--store", &store, "--from-time", "yesterday-ish"]);
    assert_eq!(out.status.code(), Some(1));
}
