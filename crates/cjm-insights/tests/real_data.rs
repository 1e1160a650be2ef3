//! The shipped maps on real logs: stage counts agree with the event engine's funnel,
//! DFG and variants kernels on the same store, and the shop funnel with ClickHouse.
//!
//! The logs are the fixtures of cjm-events (`../cjm-events/tests/data`, provenance in
//! the README there); each is imported once per test run.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::OnceLock;

use cjm_events::filter::Filter;
use cjm_events::import::ImportOptions;
use cjm_events::kernels::dfg::Dfg;
use cjm_events::kernels::funnel::{Funnel, FunnelSpec};
use cjm_events::kernels::variants::Variants;
use cjm_events::store::Store;
use cjm_insights::insights::WeakPointKind;
use cjm_insights::{Build, BuildOptions, Period};
use cjm_model::Map;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../cjm-events/tests/data")
        .join(name)
}

fn shipped_map(name: &str) -> Map {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("maps")
        .join(name);
    let text = std::fs::read_to_string(&path).expect("shipped map");
    cjm_model::parse_map(&text, name).expect("shipped map parses")
}

/// A store imported once per test binary, kept in a temporary directory.
struct Imported {
    _dir: tempfile::TempDir,
    store: Store,
}

fn import(source: &str, options: ImportOptions) -> Imported {
    let dir = tempfile::tempdir().expect("temp dir");
    let store_dir = dir.path().join("store");
    cjm_events::import::import(&[fixture(source)], &options, &store_dir).expect("import");
    let store = Store::open(&store_dir).expect("open store");
    Imported { _dir: dir, store }
}

fn bpic() -> &'static Store {
    static STORE: OnceLock<Imported> = OnceLock::new();
    &STORE
        .get_or_init(|| import("bpic2012.xes.gz", ImportOptions::default()))
        .store
}

fn shop() -> &'static Store {
    static STORE: OnceLock<Imported> = OnceLock::new();
    let options = ImportOptions {
        case: Some("customer_id".into()),
        activity: Some("event".into()),
        time: Some("ts".into()),
        ..ImportOptions::default()
    };
    &STORE
        .get_or_init(|| import("shop20k.parquet", options))
        .store
}

/// The activity names each designed stage's rule matches (the rules use no globs or conditions).
fn stage_activities(map: &Map, build: &Build) -> Vec<Vec<String>> {
    build
        .insights
        .funnel
        .steps
        .iter()
        .map(|id| {
            let stage = map.stages.iter().find(|s| &s.id == id).expect("stage");
            stage
                .events
                .as_ref()
                .map(|e| e.activities.clone())
                .unwrap_or_default()
        })
        .collect()
}

/// Checks every designed stage against the funnel, DFG and variants kernels.
fn assert_agrees_with_kernels(store: &Store, map: &Map, build: &Build, window_us: i64) {
    let journeys = store.journeys();
    let selection = Filter::default().select(&journeys).expect("selection");
    let steps = stage_activities(map, build);
    let spec = FunnelSpec {
        steps: steps.clone(),
        window_us,
        ..FunnelSpec::default()
    };
    let funnel = Funnel::new(&spec, &journeys)
        .expect("funnel")
        .report(&selection);
    let dfg = Dfg::default().report(&selection);
    let variants = Variants::default().report(&selection);
    assert_eq!(build.insights.cases, funnel.cases);
    for (k, stage) in build
        .insights
        .stages
        .iter()
        .filter(|s| !s.outcome)
        .enumerate()
    {
        let step = &funnel.steps[k];
        assert_eq!(
            stage.reached, step.customers,
            "cases reaching {}",
            stage.stage
        );
        assert_eq!(
            stage.conversion_from_previous,
            Some(step.conversion_from_previous)
        );
        assert_eq!(
            stage.wait_median_s, step.median_s,
            "median wait {}",
            stage.stage
        );
        assert_eq!(stage.wait_p90_s, step.p90_s, "p90 wait {}", stage.stage);
        if k + 1 < steps.len() {
            assert_eq!(stage.dropped, funnel.steps[k + 1].dropped);
        }
        // Events of the stage: occurrences of its activities in the DFG (edges into each,
        // plus the cases starting with it).
        let names: BTreeSet<&str> = steps[k].iter().map(String::as_str).collect();
        let occurrences: u64 = dfg
            .edges
            .iter()
            .filter(|e| names.contains(e.to.as_str()))
            .map(|e| e.count)
            .sum::<u64>()
            + dfg
                .start
                .iter()
                .filter(|(a, _)| names.contains(a.as_str()))
                .map(|(_, n)| n)
                .sum::<u64>();
        assert_eq!(stage.events, occurrences, "events of {}", stage.stage);
        // Cases with any event of the stage: the variants that contain one of its activities.
        let touching: u64 = variants
            .variants
            .iter()
            .filter(|v| v.activities.iter().any(|a| names.contains(a.as_str())))
            .map(|v| v.cases)
            .sum();
        assert_eq!(stage.touched, touching, "cases touching {}", stage.stage);
    }
}

#[test]
fn loan_map_on_bpic2012_agrees_with_the_event_engine() {
    let store = bpic();
    let map = shipped_map("loan-application.yaml");
    let options = BuildOptions {
        amount_attr: Some("AMOUNT_REQ".into()),
        period: Some(Period::Month),
        ..BuildOptions::default()
    };
    let build = cjm_insights::build(&map, &store.journeys(), &options).expect("build");
    assert_agrees_with_kernels(store, &map, &build, i64::MAX);
    let reached: Vec<u64> = build.insights.stages.iter().map(|s| s.reached).collect();
    // submitted, pre-accepted, offers, validation, approved; then cancelled, declined.
    assert_eq!(reached, [13087, 7367, 5113, 3254, 2246, 2807, 7635]);
    // The largest loss is right after submission, and those applicants were declined.
    let top = build
        .insights
        .weak_points
        .iter()
        .find(|w| w.kind == WeakPointKind::DropOff)
        .expect("a drop-off");
    assert_eq!((top.stage.as_str(), top.cases), ("submitted", 5720));
    let exits = &build.insights.stages[0].dropped_exits;
    assert_eq!(exits[0].name, "outcome-declined");
    // Every drop-off between designed stages is among the weak points.
    let drops = build
        .insights
        .weak_points
        .iter()
        .filter(|w| w.kind == WeakPointKind::DropOff)
        .count();
    assert_eq!(drops, 4);
    let trends = build.insights.trends.as_ref().expect("trends");
    assert_eq!(trends.periods.first().map(String::as_str), Some("2011-09"));
    let total: u64 = trends.stages[0].reached.iter().sum();
    assert_eq!(total, 13087);
    // Unmapped activities are reported with their volume.
    assert!(build.insights.warnings.iter().any(|w| matches!(
        w,
        cjm_insights::Warning::UnmatchedEvents { activity, events: 12 } if activity == "W_Wijzigen contractgegevens"
    )));
}

#[test]
fn shop_map_on_shop20k_agrees_with_the_event_engine_and_clickhouse() {
    let store = shop();
    let map = shipped_map("online-shop.yaml");
    let window_us = 604_800 * 1_000_000;
    let options = BuildOptions {
        window_us: Some(window_us),
        ..BuildOptions::default()
    };
    let build = cjm_insights::build(&map, &store.journeys(), &options).expect("build");
    assert_agrees_with_kernels(store, &map, &build, window_us);
    // ClickHouse windowFunnel(604800 s), default mode: cases per highest level 0..=5.
    let oracle: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(fixture("shop20k_funnel.json")).expect("oracle"),
    )
    .expect("oracle JSON");
    let histogram: Vec<u64> = oracle["modes"]["default"]["histogram"]
        .as_array()
        .expect("histogram")
        .iter()
        .map(|v| v.as_u64().expect("count"))
        .collect();
    let reached: Vec<u64> = (0..5).map(|k| histogram[k + 1..].iter().sum()).collect();
    let ours: Vec<u64> = build.insights.stages.iter().map(|s| s.reached).collect();
    assert_eq!(ours, reached);
    // Two personas with channel filters, each measured on its own segment.
    assert_eq!(build.insights.personas.len(), 2);
    assert!(
        build
            .insights
            .personas
            .iter()
            .all(|p| p.cases > 0 && p.cases < 20_000)
    );
    // Five channels at every stage.
    assert_eq!(build.insights.channels.channels.len(), 5);
}

#[test]
fn shipped_maps_and_their_builds_are_valid() {
    for (name, store) in [
        ("loan-application.yaml", bpic()),
        ("online-shop.yaml", shop()),
    ] {
        let map = shipped_map(name);
        let build =
            cjm_insights::build(&map, &store.journeys(), &BuildOptions::default()).expect("build");
        for m in [&map, &build.map] {
            let errors: Vec<String> = cjm_model::validate(m, &cjm_model::Spans::default())
                .into_iter()
                .filter(|d| d.severity == cjm_model::Severity::Error)
                .map(|d| d.message)
                .collect();
            assert!(errors.is_empty(), "{name}: {errors:?}");
        }
        let yaml = cjm_model::to_yaml(&build.map);
        assert_eq!(
            cjm_model::parse_map(&yaml, name).ok().as_ref(),
            Some(&build.map)
        );
    }
}
