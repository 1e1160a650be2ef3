//! The bad inputs, each imported into a store that already holds events: a clear
//! error that names the file, and a store left byte for byte as it was.

use std::path::{Path, PathBuf};

use cjm_events::import::{ImportOptions, ImportReport};
use cjm_events::store::import;

use crate::common::{gzip, snapshot, strict};

/// A store in `dir/store` holding one good import.
fn good_store(dir: &Path) -> PathBuf {
    let good = dir.join("good.csv");
    std::fs::write(
        &good,
        "case_id,activity,timestamp,n\nc1,a,2024-01-01,1\nc1,b,2024-01-02,2\n",
    )
    .unwrap();
    let store = dir.join("store");
    import(&[good], &ImportOptions::default(), &store).unwrap();
    store
}

/// Imports `bytes` as `name` into a store with events in it; returns the error message
/// after checking the store did not change.
fn failed_import(name: &str, bytes: &[u8], options: &ImportOptions) -> String {
    let dir = tempfile::tempdir().unwrap();
    let store = good_store(dir.path());
    let before = snapshot(&store);
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    let result: Result<ImportReport, _> = import(&[path], options, &store);
    let message = match result {
        Ok(report) => panic!("{name} imported: {report:?}"),
        Err(e) => e.to_string(),
    };
    assert!(message.contains(name), "{name}: {message}");
    assert_eq!(snapshot(&store), before, "{name} changed the store");
    message
}

#[test]
fn a_broken_gzip() {
    let mut broken = gzip(
        [b"case_id,activity,timestamp\n".to_vec()]
            .into_iter()
            .chain(std::iter::repeat_n(b"c2,a,2024-01-01\n".to_vec(), 5000)),
    );
    broken.truncate(broken.len() / 2);
    let message = failed_import("broken.csv.gz", &broken, &ImportOptions::default());
    assert!(message.contains("gzip data is damaged"), "{message}");
    // Damage in the middle of the stream (not a cut) is named as well.
    let mut garbled = gzip([b"case_id,activity,timestamp\n".repeat(100)]);
    let middle = garbled.len() / 2;
    garbled[middle..middle + 8].copy_from_slice(b"\xff\x00\xff\x00\xff\x00\xff\x00");
    let message = failed_import("garbled.xes.gz", &garbled, &ImportOptions::default());
    assert!(message.contains("cannot read"), "{message}");
}

#[test]
fn truncated_xml() {
    let xes = b"<?xml version=\"1.0\"?>\n<log>\n<trace><string key=\"concept:name\" value=\"t\"/>\n<event><string key=\"concept:name\" value=\"a\"/><date key=\"time:timestamp\" value=\"2024-01-01T00:00:00Z\"/></event>\n<event><string key=\"conc";
    let message = failed_import("truncated.xes", xes, &ImportOptions::default());
    assert!(message.contains("truncated"), "{message}");
    let message = failed_import(
        "truncated.xes.gz",
        &gzip([xes.to_vec()]),
        &ImportOptions::default(),
    );
    assert!(message.contains("truncated"), "{message}");
}

#[test]
fn an_unknown_timestamp_format() {
    let csv = b"case_id,activity,timestamp\nc2,a,22.10.2014 11:15\nc2,b,yesterday\n";
    let message = failed_import("dotted.csv", csv, &ImportOptions::default());
    assert!(
        message.contains("no events") && message.contains("unknown timestamp format"),
        "{message}"
    );
    let message = failed_import("dotted.csv", csv, &strict());
    assert!(
        message.contains("dotted.csv:2") && message.contains("\"22.10.2014 11:15\""),
        "{message}"
    );
}

#[test]
fn an_empty_file() {
    for name in [
        "empty.csv",
        "empty.jsonl",
        "empty.xes",
        "empty.parquet",
        "empty.csv.gz",
    ] {
        let bytes = if name.ends_with(".gz") {
            gzip([Vec::new()])
        } else {
            Vec::new()
        };
        let message = failed_import(name, &bytes, &ImportOptions::default());
        assert!(
            message.contains("empty") || message.contains("no <log>"),
            "{name}: {message}"
        );
    }
}

#[test]
fn a_one_gigabyte_line() {
    // 1 GiB of 'x' on the second line, as 1024 gzip members of 1 MiB each (a gzip file
    // may hold several; about a megabyte in all). The reader stops at the default limit
    // (256 MiB) without holding the line.
    let member = gzip([vec![b'x'; 1 << 20]]);
    let mut body = gzip([b"case_id,activity,timestamp\nc2,".to_vec()]);
    for _ in 0..1024 {
        body.extend_from_slice(&member);
    }
    body.extend(gzip([b",2024-01-01\n".to_vec()]));
    let message = failed_import("huge.csv.gz", &body, &ImportOptions::default());
    assert!(message.contains("longer than 268435456 bytes"), "{message}");
}

#[test]
fn mixed_types_in_a_column() {
    // The time column mixes forms it knows with words: the words are bad rows, and with
    // --strict the first one is the error.
    let csv = b"case_id,activity,timestamp,n\nc2,a,2024-01-01,1\nc2,b,1704067200,x\nc2,c,soon,2\n";
    let message = failed_import("mixed.csv", csv, &strict());
    assert!(
        message.contains("mixed.csv:4") && message.contains("\"soon\""),
        "{message}"
    );
    // Without --strict the other rows go in, and the attribute column that mixes
    // numbers and words is kept as text (tests/sources.rs checks the values).
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mixed.csv");
    std::fs::write(&path, csv).unwrap();
    let report = import(&[path], &ImportOptions::default(), &dir.path().join("s")).unwrap();
    assert_eq!((report.events_added, report.bad_row_count), (2, 1));
}

#[test]
fn a_missing_case_column() {
    let csv = b"who,activity,timestamp\nc2,a,2024-01-01\n";
    let message = failed_import("nocase.csv", csv, &ImportOptions::default());
    assert!(
        message.contains("no case column found") && message.contains("--case"),
        "{message}"
    );
    let xes = b"<log><trace><event><string key=\"concept:name\" value=\"a\"/><date key=\"time:timestamp\" value=\"2024-01-01T00:00:00Z\"/></event></trace></log>";
    let message = failed_import("nocase.xes", xes, &ImportOptions::default());
    assert!(
        message.contains("no events") && message.contains("concept:name"),
        "{message}"
    );
    let given = ImportOptions {
        case: Some("customer".to_owned()),
        ..ImportOptions::default()
    };
    let message = failed_import("nocase.csv", csv, &given);
    assert!(message.contains("\"customer\""), "{message}");
}
