//! Timestamp parsing: every accepted form, offsets, time zones and epoch magnitudes.

use cjm_events::import::time::{TimeParser, format_utc};

/// 2014-10-22T11:15:41Z in microseconds.
const BASE: i64 = 1_413_976_541_000_000;

#[test]
fn calendar_forms_in_utc() {
    let p = TimeParser::utc();
    let cases: &[(&str, i64)] = &[
        ("2014-10-22T11:15:41Z", BASE),
        ("2014-10-22T11:15:41", BASE),
        ("2014-10-22 11:15:41", BASE),
        ("2014-10-22t11:15:41z", BASE),
        ("2014/10/22 11:15:41.000", BASE),
        ("2014/10/22 11:15:41", BASE),
        ("2014-10-22T11:15:41.5Z", BASE + 500_000),
        ("2014-10-22 11:15:41.123456", BASE + 123_456),
        ("2014-10-22 11:15:41,25", BASE + 250_000),
        // Finer than microseconds is truncated.
        ("2014-10-22T11:15:41.123456789Z", BASE + 123_456),
        ("2014-10-22T11:15Z", BASE - 41_000_000),
        ("2014-10-22", BASE - (11 * 3600 + 15 * 60 + 41) * 1_000_000),
        ("2014-10-22 11:15:41 UTC", BASE),
        ("  2014-10-22T11:15:41Z  ", BASE),
        ("1970-01-01T00:00:00Z", 0),
        ("1969-12-31T23:59:59.999999Z", -1),
        ("2000-02-29T00:00:00Z", 951_782_400_000_000),
    ];
    for &(text, expected) in cases {
        assert_eq!(p.parse(text, false), Ok(expected), "{text}");
    }
}

#[test]
fn offsets_are_respected() {
    let p = TimeParser::utc();
    let cases: &[(&str, i64)] = &[
        ("2014-10-22T13:15:41+02:00", BASE),
        ("2014-10-22T13:15:41+0200", BASE),
        ("2014-10-22T13:15:41+02", BASE),
        ("2014-10-22T06:15:41-05:00", BASE),
        ("2014-10-22 11:15:41.000000+00:00", BASE),
        ("2011-10-11 13:45:40.276000+02:00", 1_318_333_540_276_000),
    ];
    for &(text, expected) in cases {
        assert_eq!(p.parse(text, false), Ok(expected), "{text}");
    }
    // An explicit offset wins over --tz.
    let warsaw = TimeParser::with_zone("Europe/Warsaw").unwrap();
    assert_eq!(warsaw.parse("2014-10-22T13:15:41+02:00", false), Ok(BASE));
}

#[test]
fn naive_times_follow_the_zone() {
    let warsaw = TimeParser::with_zone("Europe/Warsaw").unwrap();
    // Summer (CEST, +2) and winter (CET, +1).
    assert_eq!(warsaw.parse("2014-10-22 13:15:41", false), Ok(BASE));
    assert_eq!(
        warsaw.parse("2014-12-22 12:15:41", false),
        Ok(BASE + 61 * 86_400 * 1_000_000)
    );
    assert_eq!(
        warsaw.parse("2014-10-22 13:15:41.25", false),
        Ok(BASE + 250_000)
    );
    let new_york = TimeParser::with_zone("America/New_York").unwrap();
    assert_eq!(new_york.parse("2014-10-22 07:15:41", false), Ok(BASE));
    // Date only: midnight in the zone.
    assert_eq!(
        new_york.parse("2014-10-22", false),
        Ok(BASE - (7 * 3600 + 15 * 60 + 41) * 1_000_000)
    );
    assert!(TimeParser::with_zone("Mars/Olympus").is_err());
}

#[test]
fn epoch_numbers_by_magnitude() {
    let p = TimeParser::utc();
    let cases: &[(&str, i64)] = &[
        ("1413976541", BASE),
        ("1413976541000", BASE),
        ("1413976541000000", BASE),
        ("1413976541000000000", BASE),
        ("1413976541.25", BASE + 250_000),
        ("1413976541123", BASE + 123_000),
        ("0", 0),
        ("-86400", -86_400_000_000),
    ];
    for &(text, expected) in cases {
        assert_eq!(p.parse(text, true), Ok(expected), "{text}");
    }
    // Numbers are timestamps only where epoch is allowed (the time column).
    assert!(p.parse("1413976541", false).is_err());
}

#[test]
fn malformed_timestamps_are_errors() {
    let p = TimeParser::utc();
    for text in [
        "",
        "yesterday",
        "2014-13-01",
        "2014-02-30",
        "2014-10-22T25:00:00",
        "2014-10-22T11:15:41+25:00",
        "2014-10-22T11:15:41 nonsense",
        "22/10/2014 11:15",
        "2014-10-22T11",
        "1.2.3",
        "12ab",
    ] {
        let error = p.parse(text, true).expect_err(text);
        assert!(!error.0.is_empty());
    }
    let message = p.parse("22/10/2014", true).unwrap_err().0;
    assert!(
        message.contains("22/10/2014") && message.contains("ISO 8601"),
        "{message}"
    );
}

#[test]
fn utc_formatting_round_trips() {
    let p = TimeParser::utc();
    for us in [
        0,
        -1,
        BASE + 123_456,
        253_402_300_799_999_999,
        -62_135_596_800_000_000,
    ] {
        let text = format_utc(us);
        assert_eq!(p.parse(&text, false), Ok(us), "{text}");
    }
    assert_eq!(format_utc(BASE), "2014-10-22T11:15:41.000000Z");
}
