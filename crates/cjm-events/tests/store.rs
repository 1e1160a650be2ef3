//! The store on disk: merging imports, atomic switching, damage detection, and a property
//! test that the store holds exactly what the in-memory builder makes of the same events.

use std::path::{Path, PathBuf};

use cjm_events::JourneysBuilder;
use cjm_events::filter::Filter;
use cjm_events::import::ImportOptions;
use cjm_events::kernels::funnel::{Funnel, FunnelSpec};
use cjm_events::store::{Store, StoreError, import};
use proptest::prelude::*;

use crate::common::{snapshot, strict};

fn csv_file(dir: &Path, name: &str, rows: &[(&str, &str, &str)]) -> PathBuf {
    let mut text = String::from("case_id,activity,timestamp,channel\n");
    for (case, activity, time) in rows {
        text.push_str(&format!("{case},{activity},{time},web\n"));
    }
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn sequence(store: &Store) -> Vec<(String, String, i64)> {
    let j = store.journeys();
    (0..j.case_count())
        .flat_map(|c| {
            let j = &j;
            j.case_range(c).map(move |e| {
                (
                    j.case_ids.get(c).to_owned(),
                    j.activity_names.get(j.activity[e] as usize).to_owned(),
                    j.timestamp_us[e],
                )
            })
        })
        .collect()
}

#[test]
fn importing_more_files_adds_to_the_store() {
    let dir = tempfile::tempdir().unwrap();
    let a = csv_file(
        dir.path(),
        "a.csv",
        &[
            ("c1", "open", "2024-01-01T00:00:02Z"),
            ("c2", "open", "2024-01-01"),
        ],
    );
    let b = csv_file(
        dir.path(),
        "b.csv",
        &[
            ("c1", "buy", "2024-01-01T00:00:01Z"),
            ("c3", "open", "2024-01-01"),
        ],
    );
    let once = dir.path().join("once");
    import(&[a.clone(), b.clone()], &ImportOptions::default(), &once).unwrap();
    let twice = dir.path().join("twice");
    import(std::slice::from_ref(&a), &ImportOptions::default(), &twice).unwrap();
    let report = import(&[b], &ImportOptions::default(), &twice).unwrap();
    assert_eq!(
        (report.events_added, report.events, report.cases),
        (2, 4, 3)
    );
    let (once, twice) = (Store::open(&once).unwrap(), Store::open(&twice).unwrap());
    assert_eq!(sequence(&once), sequence(&twice));
    assert_eq!(sequence(&twice)[0].1, "buy");
    assert_eq!(twice.manifest().sources.len(), 2);
    assert_eq!(
        twice.manifest().event_attributes,
        once.manifest().event_attributes
    );
    // Only the live version is left on disk.
    let versions: Vec<_> = std::fs::read_dir(twice.dir())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(versions.len(), 2, "{versions:?}");
}

#[test]
fn a_failed_import_leaves_the_store_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let store_dir = dir.path().join("store");
    let a = csv_file(dir.path(), "a.csv", &[("c1", "open", "2024-01-01")]);
    import(&[a], &ImportOptions::default(), &store_dir).unwrap();
    let before = snapshot(&store_dir);
    // A good file, then one that fails half-way (a bad row under --strict), then a missing one.
    let good = csv_file(dir.path(), "good.csv", &[("c2", "open", "2024-01-02")]);
    let bad = csv_file(
        dir.path(),
        "bad.csv",
        &[("c3", "open", "2024-01-03"), ("c3", "x", "soon")],
    );
    assert!(import(&[good.clone(), bad], &strict(), &store_dir).is_err());
    assert!(
        import(
            &[good, dir.path().join("missing.csv")],
            &ImportOptions::default(),
            &store_dir
        )
        .is_err()
    );
    assert_eq!(snapshot(&store_dir), before);
    assert_eq!(sequence(&Store::open(&store_dir).unwrap()).len(), 1);
}

#[test]
fn leftovers_of_a_killed_import_are_ignored_then_removed() {
    let dir = tempfile::tempdir().unwrap();
    let store_dir = dir.path().join("store");
    let a = csv_file(dir.path(), "a.csv", &[("c1", "open", "2024-01-01")]);
    import(
        std::slice::from_ref(&a),
        &ImportOptions::default(),
        &store_dir,
    )
    .unwrap();
    // What a kill during writing leaves: a half-written version and a temporary CURRENT.
    std::fs::create_dir(store_dir.join("v000002")).unwrap();
    std::fs::write(store_dir.join("v000002/activity.u32"), [1, 2]).unwrap();
    std::fs::write(store_dir.join("CURRENT.tmp"), "v000002\n").unwrap();
    assert_eq!(sequence(&Store::open(&store_dir).unwrap()).len(), 1);
    import(&[a], &ImportOptions::default(), &store_dir).unwrap();
    let store = Store::open(&store_dir).unwrap();
    assert_eq!(sequence(&store).len(), 2);
    let mut names: Vec<String> = std::fs::read_dir(&store_dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(names, ["CURRENT", "v000002"]);
}

/// Imports a small log and returns (temp dir, store dir, live version dir). The import's
/// check stamp is aged as if the store had been written a while ago, so that opens trust it
/// while the files are unchanged.
fn small_store() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let store_dir = dir.path().join("store");
    let a = csv_file(
        dir.path(),
        "a.csv",
        &[
            ("c1", "open", "2024-01-01T00:00:00Z"),
            ("c1", "buy", "2024-01-01T00:00:01Z"),
            ("c2", "open", "2024-01-01"),
        ],
    );
    import(&[a], &ImportOptions::default(), &store_dir).unwrap();
    let version = std::fs::read_to_string(store_dir.join("CURRENT")).unwrap();
    let live = store_dir.join(version.trim());
    age_stamp(&live);
    (dir, store_dir, live)
}

/// Moves the check stamp's modification time a second ahead, out of the clock tick in
/// which the import wrote the columns (a stamp of that tick is not trusted).
fn age_stamp(live: &Path) {
    let later = std::time::SystemTime::now() + std::time::Duration::from_secs(1);
    std::fs::File::options()
        .write(true)
        .open(live.join("checked.json"))
        .and_then(|f| f.set_times(std::fs::FileTimes::new().set_modified(later)))
        .unwrap();
}

#[test]
fn the_import_check_stamp_spares_opens_until_a_column_changes() {
    let (_dir, store_dir, live) = small_store();
    assert!(Store::open(&store_dir).unwrap().vouched());
    // The same bytes written again are a change: the file is checked (and passes).
    let times = std::fs::read(live.join("timestamp_us.i64")).unwrap();
    std::fs::write(live.join("timestamp_us.i64"), &times).unwrap();
    let store = Store::open(&store_dir).unwrap();
    assert!(!store.vouched());
    assert_eq!(sequence(&store).len(), 3);
    // Without a stamp every open checks.
    let (_dir, store_dir, live) = small_store();
    std::fs::remove_file(live.join("checked.json")).unwrap();
    assert!(!Store::open(&store_dir).unwrap().vouched());
    // Damage to a stamped column is found by the open that follows it.
    let (_dir, store_dir, live) = small_store();
    patch(&live.join("timestamp_us.i64"), 8, &[0xff; 8]);
    let error = Store::open(&store_dir).unwrap_err().to_string();
    assert!(error.contains("time order"), "{error}");
}

#[test]
fn damaged_stores_are_errors_not_panics() {
    type Damage = fn(&Path);
    let damages: Vec<(&str, Damage, &str)> = vec![
        (
            "truncated activity",
            |v| truncate(&v.join("activity.u32"), 2),
            "activity.u32",
        ),
        (
            "empty timestamps",
            |v| truncate(&v.join("timestamp_us.i64"), 0),
            "timestamp_us.i64",
        ),
        (
            "bad manifest",
            |v| std::fs::write(v.join("manifest.json"), "{").unwrap(),
            "manifest",
        ),
        (
            "missing file",
            |v| std::fs::remove_file(v.join("case_offsets.u64")).unwrap(),
            "case_offsets.u64",
        ),
        (
            "activity out of range",
            |v| patch(&v.join("activity.u32"), 0, &[9, 0, 0, 0]),
            "out of range",
        ),
        (
            "offsets decrease",
            |v| patch(&v.join("case_offsets.u64"), 8, &[7, 0, 0, 0, 0, 0, 0, 0]),
            "case_offsets",
        ),
        (
            "time order",
            |v| patch(&v.join("timestamp_us.i64"), 8, &[0xff; 8]),
            "time order",
        ),
        (
            "bad UTF-8",
            |v| patch(&v.join("case_ids.utf8"), 0, &[0xff]),
            "UTF-8",
        ),
        (
            "text code",
            |v| patch(&v.join("event_attr_0.u32"), 0, &[5, 0, 0, 0]),
            "out of range",
        ),
        (
            "dictionary",
            |v| truncate(&v.join("activity_names.utf8"), 3),
            "activity_names",
        ),
        (
            "version",
            |v| rewrite_manifest(v, "\"version\": 1", "\"version\": 99"),
            "version 99",
        ),
        (
            "attribute path",
            |v| rewrite_manifest(v, "\"event_attr_0\"", "\"../x\""),
            "not allowed",
        ),
    ];
    for (what, damage, needle) in damages {
        let (_dir, store_dir, live) = small_store();
        damage(&live);
        let error = Store::open(&store_dir)
            .and_then(|store| store.verify())
            .expect_err(what);
        let message = error.to_string();
        assert!(message.contains(needle), "{what}: {message}");
    }
    let (_dir, store_dir, _) = small_store();
    std::fs::write(store_dir.join("CURRENT"), "../../etc\n").unwrap();
    assert!(matches!(
        Store::open(&store_dir),
        Err(StoreError::Corrupt { .. })
    ));
    let empty = tempfile::tempdir().unwrap();
    assert!(matches!(
        Store::open(empty.path()),
        Err(StoreError::NotAStore(_))
    ));
}

#[test]
fn damage_that_open_leaves_to_verify_reads_as_missing() {
    let (_dir, store_dir, live) = small_store();
    patch(&live.join("case_ids.utf8"), 0, &[0xff]);
    patch(&live.join("event_attr_0.u32"), 0, &[5, 0, 0, 0]);
    let store = Store::open(&store_dir).unwrap();
    let journeys = store.journeys();
    assert_eq!(journeys.case_ids.get(0), "");
    assert_eq!(journeys.case_ids.get(1), "c2");
    let spec = FunnelSpec {
        steps: vec![vec!["open".into()], vec!["buy".into()]],
        window_us: 3_600_000_000,
        by: Some("channel".into()),
        ..FunnelSpec::default()
    };
    let selection = Filter::default().select(&journeys).unwrap();
    let report = Funnel::new(&spec, &journeys).unwrap().report(&selection);
    assert_eq!(report.levels, vec![0, 1, 1]);
    let mut groups: Vec<(String, u64)> = report
        .groups
        .iter()
        .map(|g| (g.value.clone(), g.cases))
        .collect();
    groups.sort();
    assert_eq!(groups, vec![("(missing)".into(), 1), ("web".into(), 1)]);
    assert!(store.verify().is_err());
}

fn truncate(path: &Path, len: u64) {
    std::fs::OpenOptions::new()
        .write(true)
        .open(path)
        .unwrap()
        .set_len(len)
        .unwrap();
}

fn patch(path: &Path, at: usize, bytes: &[u8]) {
    let mut data = std::fs::read(path).unwrap();
    data[at..at + bytes.len()].copy_from_slice(bytes);
    std::fs::write(path, data).unwrap();
}

fn rewrite_manifest(version_dir: &Path, from: &str, to: &str) {
    let path = version_dir.join("manifest.json");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{from} not in manifest");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

fn event_strategy() -> impl Strategy<Value = Vec<(u8, u8, i64)>> {
    // Few cases and activities and a narrow time range, so ties are common.
    prop::collection::vec((0u8..6, 0u8..4, -3i64..4), 1..60)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn store_view_equals_builder(events in event_strategy(), split in 0usize..60) {
        let dir = tempfile::tempdir().unwrap();
        let names = ["NA", "c1", "c10", "c2", "Ω", "a b"];
        let activities = ["open", "view", "buy", "x,y"];
        let base = 1_700_000_000_000_000i64;
        let mut builder = JourneysBuilder::new();
        let mut rows = Vec::new();
        for &(c, a, t) in &events {
            let ts = base + t * 250_000;
            builder.push(names[c as usize], activities[a as usize], ts);
            let seconds = ts.div_euclid(1_000_000);
            let micros = ts.rem_euclid(1_000_000);
            rows.push(format!("\"{}\",\"{}\",{seconds}.{micros:06}\n", names[c as usize], activities[a as usize]));
        }
        // The same events in one import, or split across two (the second merged into the first).
        let split = split.min(rows.len());
        let first = dir.path().join("first.csv");
        let second = dir.path().join("second.csv");
        std::fs::write(&first, format!("case_id,activity,ts\n{}", rows[..split].concat())).unwrap();
        std::fs::write(&second, format!("case_id,activity,ts\n{}", rows[split..].concat())).unwrap();
        let store_dir = dir.path().join("store");
        let options = ImportOptions::default();
        if split == 0 || split == rows.len() {
            import(&[first, second].into_iter().filter(|p| std::fs::metadata(p).unwrap().len() > 20).collect::<Vec<_>>(), &options, &store_dir).unwrap();
        } else {
            import(&[first], &options, &store_dir).unwrap();
            import(&[second], &options, &store_dir).unwrap();
        }
        let store = Store::open(&store_dir).unwrap();
        let view = store.journeys();
        let expected = builder.finish();
        let expected = expected.view();
        prop_assert_eq!(view.case_offsets, expected.case_offsets);
        prop_assert_eq!(view.case_ids.iter().collect::<Vec<_>>(), expected.case_ids.iter().collect::<Vec<_>>());
        prop_assert_eq!(view.activity, expected.activity);
        prop_assert_eq!(view.timestamp_us, expected.timestamp_us);
        prop_assert_eq!(view.activity_names.iter().collect::<Vec<_>>(), expected.activity_names.iter().collect::<Vec<_>>());
    }
}
