//! `cjm import` and `cjm stats` as a user runs them, including an import killed mid-way.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Duration;

fn cjm(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cjm"))
        .args(args)
        .output()
        .expect("cjm runs")
}

fn fixture(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../cjm-events/tests/data")
        .join(name)
        .display()
        .to_string()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn import_then_stats_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store").display().to_string();
    let out = cjm(&["import", &fixture("running-example.xes"), "--store", &store]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("42 events (+42), 6 cases, 8 activities"),
        "{stdout}"
    );

    let out = cjm(&["stats", "--store", &store, "--format", "json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stats: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(stats["events"], 42);
    assert_eq!(stats["cases"], 6);
    assert_eq!(stats["activities"], 8);
    assert_eq!(stats["time_span"]["first"], "2010-12-30T10:02:00.000000Z");
    assert_eq!(
        stats["top_activities"][0],
        serde_json::json!(["check ticket", 9])
    );
    let attributes: Vec<&str> = stats["attributes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap())
        .collect();
    assert!(
        attributes.contains(&"org:resource") && attributes.contains(&"creator"),
        "{attributes:?}"
    );

    let table = text(&cjm(&["stats", "--store", &store]).stdout);
    assert!(
        table.contains("events      42") && table.contains("decide"),
        "{table}"
    );
    let csv = text(&cjm(&["stats", "--store", &store, "--format", "csv", "--top", "1"]).stdout);
    assert!(
        csv.starts_with("section,name,value,detail\nsummary,events,42,"),
        "{csv}"
    );
    assert!(csv.contains("activity,check ticket,9,"), "{csv}");
}

#[test]
fn user_errors_exit_1_with_a_message() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store").display().to_string();
    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, "case_id,activity,timestamp\nc,a,yesterday\n").unwrap();
    let out = cjm(&["import", &bad.display().to_string(), "--store", &store]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("no events imported") && stderr.contains("bad.csv:2"),
        "{stderr}"
    );

    let out = cjm(&["stats", "--store", &store]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("not a journey store"));

    let out = cjm(&[
        "import",
        &fixture("running-example.csv"),
        "--store",
        &store,
        "--tz",
        "Nowhere/City",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("IANA"));
}

#[test]
fn bad_rows_are_listed_on_stderr() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store").display().to_string();
    let csv = dir.path().join("some_bad.csv");
    std::fs::write(
        &csv,
        "case_id,activity,timestamp\nc,a,2024-01-01\nc,b,later\n",
    )
    .unwrap();
    let out = cjm(&["import", &csv.display().to_string(), "--store", &store]);
    assert!(out.status.success());
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("1 bad rows skipped") && stderr.contains("some_bad.csv:3"),
        "{stderr}"
    );
    let strict = cjm(&[
        "import",
        &csv.display().to_string(),
        "--store",
        &store,
        "--strict",
    ]);
    assert_eq!(strict.status.code(), Some(1));
}

/// Every file under `dir` with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.insert(
                    path.strip_prefix(dir).unwrap().to_owned(),
                    std::fs::read(&path).unwrap(),
                );
            }
        }
    }
    out
}

/// The live version's files only (what a reader sees), without leftovers of a killed import.
fn live_files(store: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let current = std::fs::read_to_string(store.join("CURRENT")).unwrap();
    let mut files = snapshot(&store.join(current.trim()));
    files.insert("CURRENT".into(), current.into_bytes());
    files
}

#[test]
fn a_killed_import_leaves_the_previous_store_intact() {
    let dir = tempfile::tempdir().unwrap();
    let store_path = dir.path().join("store");
    let store = store_path.display().to_string();
    let out = cjm(&["import", &fixture("running-example.csv"), "--store", &store]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let big = dir.path().join("big.csv");
    let mut rows = String::from("customer_id,event,ts,channel\n");
    for i in 0..300_000u64 {
        rows.push_str(&format!(
            "c{},step{},{},web\n",
            i % 5000,
            i % 7,
            1_700_000_000 + i
        ));
    }
    std::fs::write(&big, rows).unwrap();
    let before = live_files(&store_path);
    let mut killed = 0;
    for delay_ms in [30, 120, 300, 600, 1000, 1600] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_cjm"))
            .args(["import", &big.display().to_string(), "--store", &store])
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        if child.try_wait().unwrap().is_some() {
            // It finished before the kill: the run is over, the store has grown; stop here.
            break;
        }
        child.kill().unwrap();
        child.wait().unwrap();
        killed += 1;
        assert_eq!(
            live_files(&store_path),
            before,
            "after a kill at {delay_ms} ms"
        );
        let stats = cjm(&["stats", "--store", &store, "--format", "json"]);
        assert!(stats.status.success(), "{}", text(&stats.stderr));
        let stats: serde_json::Value = serde_json::from_slice(&stats.stdout).unwrap();
        assert_eq!(stats["events"], 42);
    }
    assert!(killed > 0, "no import was killed mid-way");
    // The next import cleans up and completes.
    let out = cjm(&["import", &big.display().to_string(), "--store", &store]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("events (+300000)"),
        "{}",
        text(&out.stdout)
    );
}
