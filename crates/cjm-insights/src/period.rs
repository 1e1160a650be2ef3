//! Calendar periods (ISO weeks, months) and ISO 8601 dates of microsecond timestamps.

use serde::{Deserialize, Serialize};

const US_PER_DAY: i64 = 86_400_000_000;

/// The length of a trend period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Period {
    /// Weeks starting on Monday (UTC), labelled by their Monday.
    Week,
    /// Calendar months (UTC).
    Month,
}

/// Year, month (1-12) and day (1-31) of a day count since 1970-01-01.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

fn days_of(timestamp_us: i64) -> i64 {
    timestamp_us.div_euclid(US_PER_DAY)
}

/// `YYYY-MM-DD` of a timestamp (UTC).
pub fn date(timestamp_us: i64) -> String {
    let (y, m, d) = civil_from_days(days_of(timestamp_us));
    format!("{y:04}-{m:02}-{d:02}")
}

/// `YYYY-MM-DDTHH:MM:SSZ` of a timestamp (UTC).
pub fn date_time(timestamp_us: i64) -> String {
    let secs = timestamp_us.div_euclid(1_000_000).rem_euclid(86_400);
    format!(
        "{}T{:02}:{:02}:{:02}Z",
        date(timestamp_us),
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    )
}

impl Period {
    /// A sortable key of the period holding the timestamp.
    pub fn key(self, timestamp_us: i64) -> i64 {
        let days = days_of(timestamp_us);
        match self {
            // 1970-01-01 was a Thursday: shift so that weeks start on Monday.
            Period::Week => (days + 3).div_euclid(7),
            Period::Month => {
                let (y, m, _) = civil_from_days(days);
                y * 12 + i64::from(m) - 1
            }
        }
    }

    /// The label of a period key: the Monday's date, or `YYYY-MM`.
    pub fn label(self, key: i64) -> String {
        match self {
            Period::Week => date((key * 7 - 3) * US_PER_DAY),
            Period::Month => format!("{:04}-{:02}", key.div_euclid(12), key.rem_euclid(12) + 1),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_periods() {
        // 2011-10-01T00:38:44Z (first event of BPIC 2012)
        let t = 1_317_429_524_000_000;
        assert_eq!(date_time(t), "2011-10-01T00:38:44Z");
        assert_eq!(Period::Month.label(Period::Month.key(t)), "2011-10");
        // 2011-10-01 is a Saturday; its week starts on Monday 2011-09-26.
        assert_eq!(Period::Week.label(Period::Week.key(t)), "2011-09-26");
        assert_eq!(date(0), "1970-01-01");
        assert_eq!(date(-1), "1969-12-31");
        assert_eq!(Period::Week.label(Period::Week.key(0)), "1969-12-29");
    }
}
