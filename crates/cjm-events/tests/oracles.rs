//! The kernels on real logs against the reference tools: pm4py (DFG, performance DFG,
//! start/end activities, variants, case durations) and ClickHouse (windowFunnel levels
//! of every customer in every mode).

use std::collections::BTreeMap;
use std::io::Read;

use cjm_events::filter::{CaseBuffer, Filter};
use cjm_events::import::ImportOptions;
use cjm_events::kernels::dfg::Dfg;
use cjm_events::kernels::durations::Durations;
use cjm_events::kernels::funnel::{Funnel, FunnelSpec};
use cjm_events::kernels::funnel_chain::FunnelScratch;
use cjm_events::kernels::variants::Variants;
use cjm_events::kernels::{self};
use cjm_events::store::Store;
use serde_json::Value;

use crate::import::{data, import_into_new};

fn read_json(name: &str) -> Value {
    let path = data(name);
    let mut text = String::new();
    if name.ends_with(".gz") {
        let file = std::fs::File::open(&path).expect("oracle file");
        flate2::read::GzDecoder::new(file)
            .read_to_string(&mut text)
            .expect("gzip oracle");
    } else {
        text = std::fs::read_to_string(&path).expect("oracle file");
    }
    serde_json::from_str(&text).expect("oracle JSON")
}

/// Seconds to whole milliseconds (case durations are whole seconds or milliseconds in these logs).
fn ms(seconds: f64) -> i64 {
    (seconds * 1000.0).round() as i64
}

fn assert_pm4py(store: &Store, oracle: &Value) {
    let journeys = store.journeys();
    let selection = Filter::default().select(&journeys).unwrap();

    let dfg = Dfg { performance: true }.report(&selection);
    assert_eq!(dfg.events, oracle["events"].as_u64().unwrap());
    assert_eq!(dfg.cases, oracle["cases"].as_u64().unwrap());
    let got: BTreeMap<(String, String), u64> = dfg
        .edges
        .iter()
        .map(|e| ((e.from.clone(), e.to.clone()), e.count))
        .collect();
    let expected: BTreeMap<(String, String), u64> = oracle["dfg"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                (
                    e[0].as_str().unwrap().to_owned(),
                    e[1].as_str().unwrap().to_owned(),
                ),
                e[2].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(got, expected);
    let counts = |v: &Value| -> BTreeMap<String, u64> {
        v.as_object()
            .unwrap()
            .iter()
            .map(|(k, n)| (k.clone(), n.as_u64().unwrap()))
            .collect()
    };
    assert_eq!(dfg.start, counts(&oracle["start"]));
    assert_eq!(dfg.end, counts(&oracle["end"]));
    let performance = oracle["performance_dfg"].as_object().unwrap();
    assert_eq!(performance.len(), dfg.edges.len());
    for edge in &dfg.edges {
        let p = &performance[&format!("{}->{}", edge.from, edge.to)];
        let pairs = [
            ("mean", edge.mean_s),
            ("median", edge.median_s),
            ("min", edge.min_s),
            ("max", edge.max_s),
        ];
        for (name, got) in pairs {
            let (got, expected) = (got.unwrap(), p[name].as_f64().unwrap());
            assert!(
                (got - expected).abs() < 1e-3,
                "{name} of {} -> {}: {got} s, pm4py {expected} s",
                edge.from,
                edge.to
            );
        }
    }

    // Variants: same sequences, counts and order (count descending, then sequence).
    let variants = Variants::default().report(&selection);
    let expected: Vec<(Vec<String>, u64)> = oracle["variants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            let seq = v[0]
                .as_array()
                .unwrap()
                .iter()
                .map(|a| a.as_str().unwrap().to_owned())
                .collect();
            (seq, v[1].as_u64().unwrap())
        })
        .collect();
    let got: Vec<(Vec<String>, u64)> = variants
        .variants
        .iter()
        .map(|v| (v.activities.clone(), v.cases))
        .collect();
    assert_eq!(got, expected);

    let mut durations = kernels::run(&Durations::default(), &selection);
    durations.sort_unstable();
    let got: Vec<i64> = durations.iter().map(|&us| ms(us as f64 / 1e6)).collect();
    let expected: Vec<i64> = oracle["case_durations_s"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| ms(d.as_f64().unwrap()))
        .collect();
    assert_eq!(got, expected);
}

#[test]
fn running_example_matches_pm4py() {
    let (_dir, store) = import_into_new(&[data("running-example.xes")], &ImportOptions::default());
    assert_pm4py(&store, &read_json("running-example.json"));
}

#[test]
fn helpdesk_matches_pm4py() {
    let (_dir, store) = import_into_new(&[data("helpdesk.xes.gz")], &ImportOptions::default());
    assert_pm4py(&store, &read_json("helpdesk.json"));
}

#[test]
fn receipt_matches_pm4py() {
    let options = ImportOptions {
        case: Some("case:concept:name".into()),
        activity: Some("concept:name".into()),
        time: Some("time:timestamp".into()),
        ..ImportOptions::default()
    };
    let (_dir, store) = import_into_new(&[data("receipt.csv")], &options);
    assert_pm4py(&store, &read_json("receipt.json"));
}

#[test]
fn bpic2012_matches_pm4py() {
    let (_dir, store) = import_into_new(&[data("bpic2012.xes.gz")], &ImportOptions::default());
    assert_pm4py(&store, &read_json("bpic2012.json.gz"));
}

#[test]
fn shop20k_funnel_matches_clickhouse_in_every_mode() {
    let (_dir, store) = import_into_new(&[data("shop20k.parquet")], &ImportOptions::default());
    let journeys = store.journeys();
    let selection = Filter::default().select(&journeys).unwrap();
    let oracle = read_json("shop20k_funnel.json");
    let steps: Vec<Vec<String>> = oracle["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| vec![s.as_str().unwrap().to_owned()])
        .collect();
    let window_us = oracle["window_s"].as_i64().unwrap() * 1_000_000;
    for (mode_name, expected) in oracle["modes"].as_object().unwrap() {
        let spec = FunnelSpec {
            steps: steps.clone(),
            window_us,
            mode: mode_name.parse().unwrap(),
            ..FunnelSpec::default()
        };
        let funnel = Funnel::new(&spec, &journeys).unwrap();
        let levels = expected["levels"].as_object().unwrap();
        assert_eq!(levels.len(), journeys.case_count());
        let (mut buffer, mut scratch) = (CaseBuffer::default(), FunnelScratch::default());
        let mut disagreements = Vec::new();
        for c in 0..journeys.case_count() {
            let events = selection.case(c, &mut buffer).unwrap();
            let level = funnel
                .matcher()
                .matches(events.activity, events.timestamp_us, &mut scratch)
                .level;
            let id = journeys.case_ids.get(c);
            if Some(level as u64) != levels[id].as_u64() {
                disagreements.push(format!("{id}: {level} vs {}", levels[id]));
            }
        }
        assert!(
            disagreements.is_empty(),
            "{mode_name}: {} customers differ, e.g. {:?}",
            disagreements.len(),
            &disagreements[..disagreements.len().min(5)]
        );
        let report = funnel.report(&selection);
        let histogram: Vec<u64> = expected["histogram"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n.as_u64().unwrap())
            .collect();
        assert_eq!(report.levels, histogram, "{mode_name}");
    }
}
