//! Import of the real fixture logs, checked against the pm4py oracles, and of small
//! hand-written sources in every supported shape.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use cjm_events::Journeys;
use cjm_events::import::ImportOptions;
use cjm_events::journeys::ColumnValues;
use cjm_events::store::{AttributeKind, Store, import};

pub fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

/// Imports `sources` into a fresh store and opens it.
pub fn import_into_new(sources: &[PathBuf], options: &ImportOptions) -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().expect("temp dir");
    let store_dir = dir.path().join("store");
    import(sources, options, &store_dir).expect("import succeeds");
    let store = Store::open(&store_dir).expect("store opens");
    (dir, store)
}

fn oracle(name: &str) -> serde_json::Value {
    let text = std::fs::read_to_string(data(name)).expect("oracle file");
    serde_json::from_str(&text).expect("oracle JSON")
}

/// Variants (activity sequences with case counts) of a view, as pm4py lists them.
fn variants(j: &Journeys<'_>) -> BTreeMap<Vec<String>, u64> {
    let mut out = BTreeMap::new();
    for c in 0..j.case_count() {
        let seq = j
            .case_range(c)
            .map(|e| j.activity_names.get(j.activity[e] as usize).to_owned())
            .collect();
        *out.entry(seq).or_insert(0) += 1;
    }
    out
}

/// Checks counts, variants and case durations (to the microsecond) against a pm4py oracle.
fn assert_matches_oracle(store: &Store, oracle_file: &str) {
    let expected = oracle(oracle_file);
    let j = store.journeys();
    assert_eq!(j.event_count() as u64, expected["events"].as_u64().unwrap());
    assert_eq!(j.case_count() as u64, expected["cases"].as_u64().unwrap());
    assert_eq!(
        j.activity_names.len() as u64,
        expected["activities"].as_u64().unwrap()
    );
    let mut expected_variants = BTreeMap::new();
    for v in expected["variants"].as_array().unwrap() {
        let seq: Vec<String> = v[0]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a.as_str().unwrap().to_owned())
            .collect();
        expected_variants.insert(seq, v[1].as_u64().unwrap());
    }
    assert_eq!(variants(&j), expected_variants);
    let mut durations: Vec<i64> = (0..j.case_count())
        .map(|c| {
            let r = j.case_range(c);
            j.timestamp_us[r.end - 1] - j.timestamp_us[r.start]
        })
        .collect();
    durations.sort_unstable();
    let expected_durations: Vec<i64> = expected["case_durations_s"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d.as_f64().unwrap() * 1e6).round() as i64)
        .collect();
    assert_eq!(durations, expected_durations);
}

#[test]
fn running_example_csv_matches_pm4py() {
    let (_dir, store) = import_into_new(&[data("running-example.csv")], &ImportOptions::default());
    assert_matches_oracle(&store, "running-example.json");
    let j = store.journeys();
    // The unnamed index column is dropped; the others are typed attributes.
    let kinds: BTreeMap<&str, AttributeKind> = store
        .manifest()
        .event_attributes
        .iter()
        .map(|a| (a.name.as_str(), a.kind))
        .collect();
    assert_eq!(kinds["Costs"], AttributeKind::Int);
    assert_eq!(kinds["org:resource"], AttributeKind::Text);
    assert_eq!(kinds["case:creator"], AttributeKind::Text);
    assert!(!kinds.contains_key(""));
    // Case ids sorted in byte order; 2010-12-30 14:32+01:00 is 13:32 UTC.
    assert_eq!(
        j.case_ids.iter().collect::<Vec<_>>(),
        ["1", "2", "3", "4", "5", "6"]
    );
    let case3 = j.case_range(2);
    assert_eq!(j.timestamp_us[case3.start], 1_293_715_920_000_000);
}

#[test]
fn running_example_xes_matches_pm4py() {
    let (_dir, store) = import_into_new(&[data("running-example.xes")], &ImportOptions::default());
    assert_matches_oracle(&store, "running-example.json");
    let manifest = store.manifest();
    // XES declares Costs a string, and a declared type is kept.
    let costs = manifest.event_attributes.iter().find(|a| a.name == "Costs");
    assert_eq!(costs.map(|a| a.kind), Some(AttributeKind::Text));
    // Trace attributes are case attributes.
    let j = store.journeys();
    assert_eq!(j.case_attributes.len(), 1);
    assert_eq!(j.case_attributes[0].name, "creator");
    let ColumnValues::Text { codes, dict } = j.case_attributes[0].values else {
        panic!("creator should be text");
    };
    assert_eq!(codes.len(), 6);
    assert!(
        codes
            .iter()
            .all(|&c| dict.get(c as usize) == "Fluxicon Nitro")
    );
}

#[test]
fn helpdesk_xes_gz_matches_pm4py() {
    let (_dir, store) = import_into_new(&[data("helpdesk.xes.gz")], &ImportOptions::default());
    assert_matches_oracle(&store, "helpdesk.json");
    let j = store.journeys();
    let names: Vec<&str> = j.event_attributes.iter().map(|a| a.name).collect();
    for expected in [
        "customer",
        "product",
        "seriousness",
        "service_level",
        "workgroup",
    ] {
        assert!(
            names.contains(&expected),
            "{expected} missing from {names:?}"
        );
    }
}

#[test]
fn receipt_csv_with_offsets_matches_pm4py() {
    let (_dir, store) = import_into_new(&[data("receipt.csv")], &ImportOptions::default());
    assert_matches_oracle(&store, "receipt.json");
    let kinds: BTreeMap<&str, AttributeKind> = store
        .manifest()
        .event_attributes
        .iter()
        .map(|a| (a.name.as_str(), a.kind))
        .collect();
    assert_eq!(kinds["case:deadline"], AttributeKind::Time);
    assert_eq!(kinds["lifecycle:transition"], AttributeKind::Text);
}

#[test]
fn shop_parquet_counts_and_types() {
    let (_dir, store) = import_into_new(&[data("shop20k.parquet")], &ImportOptions::default());
    let j = store.journeys();
    assert_eq!(
        (j.event_count(), j.case_count(), j.activity_names.len()),
        (123_836, 20_000, 11)
    );
    let channel = &j.event_attributes[0];
    assert_eq!(channel.name, "channel");
    let ColumnValues::Text { codes, dict } = channel.values else {
        panic!("channel should be text");
    };
    assert_eq!(codes.len(), 123_836);
    assert!(codes.iter().all(|&c| (c as usize) < dict.len()));
    // Events are in time order within each case.
    for c in 0..j.case_count() {
        let ts = &j.timestamp_us[j.case_range(c)];
        assert!(ts.windows(2).all(|w| w[0] <= w[1]));
    }
    // Same data as the gzipped CSV twin (first case, first event).
    assert_eq!(j.case_ids.get(0), "c0");
}
