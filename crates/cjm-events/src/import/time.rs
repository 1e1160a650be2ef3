//! Timestamp parsing: ISO 8601 and its common relatives, epoch numbers, time zones.
//!
//! Accepted forms (all yield microseconds since the Unix epoch, UTC; finer
//! fractions are truncated):
//! - `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM[:SS[.f]]`, with `T` or a space, optionally
//!   followed by `Z`, ` UTC`, `+HH:MM`, `+HHMM` or `+HH` (an offset is respected);
//! - the same with `/` between date parts (`2014/10/22 11:15:41.000`);
//! - epoch numbers (only where [`TimeParser::parse`] is asked for them):
//!   seconds, milliseconds, microseconds or nanoseconds, told apart by magnitude,
//!   with an optional decimal fraction for seconds.
//!
//! A time without an offset is read in the parser's zone: UTC unless `--tz` names
//! an IANA zone (the tz database is bundled, so it works without /usr/share/zoneinfo).

use jiff::tz::TimeZone;

const US_PER_SEC: i64 = 1_000_000;

/// Reads timestamps; naive (offset-less) times are taken in its zone.
#[derive(Debug, Clone)]
pub struct TimeParser {
    zone: Option<TimeZone>,
}

/// Why a text is not a timestamp.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeError(pub String);

impl std::fmt::Display for TimeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl TimeParser {
    /// A parser for which naive times are UTC.
    pub fn utc() -> Self {
        TimeParser { zone: None }
    }

    /// A parser for which naive times are in the IANA zone `name` (for example `Europe/Warsaw`).
    pub fn with_zone(name: &str) -> Result<Self, TimeError> {
        let zone =
            TimeZone::get(name).map_err(|_| TimeError(format!("unknown time zone {name:?}")))?;
        Ok(TimeParser { zone: Some(zone) })
    }

    /// Parses a timestamp; `epoch` allows plain numbers (epoch s/ms/µs/ns by magnitude).
    pub fn parse(&self, text: &str, epoch: bool) -> Result<i64, TimeError> {
        let t = text.trim();
        if t.is_empty() {
            return Err(TimeError("empty timestamp".into()));
        }
        let b = t.as_bytes();
        if b.len() >= 10 && matches!(b[4], b'-' | b'/') {
            return self.parse_calendar(b).ok_or_else(|| unknown(t));
        }
        if epoch {
            return parse_epoch(t).ok_or_else(|| unknown(t));
        }
        Err(unknown(t))
    }

    fn parse_calendar(&self, b: &[u8]) -> Option<i64> {
        let sep = b[4];
        let year = digits(b, 0, 4)?;
        let month = digits(b, 5, 2)?;
        let day = digits(b, 8, 2)?;
        if b[7] != sep || !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month)
        {
            return None;
        }
        let mut pos = 10;
        let (mut hour, mut minute, mut second, mut micros) = (0, 0, 0, 0);
        if pos < b.len() && (b[pos] == b'T' || b[pos] == b't' || b[pos] == b' ') {
            pos += 1;
            hour = digits(b, pos, 2)?;
            if b.get(pos + 2) != Some(&b':') {
                return None;
            }
            minute = digits(b, pos + 3, 2)?;
            pos += 5;
            if b.get(pos) == Some(&b':') {
                second = digits(b, pos + 1, 2)?;
                pos += 3;
                if matches!(b.get(pos), Some(b'.') | Some(b',')) {
                    pos += 1;
                    let start = pos;
                    while pos < b.len() && b[pos].is_ascii_digit() {
                        if pos - start < 6 {
                            micros = micros * 10 + i64::from(b[pos] - b'0');
                        }
                        pos += 1;
                    }
                    let used = (pos - start).min(6);
                    if pos == start {
                        return None;
                    }
                    micros *= 10_i64.pow(6 - used as u32);
                }
            }
            if hour > 23 || minute > 59 || second > 60 {
                return None;
            }
        }
        let offset = parse_offset(&b[pos..])?;
        let civil_us =
            (days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second)
                * US_PER_SEC
                + micros;
        match offset {
            Some(offset_s) => Some(civil_us - offset_s * US_PER_SEC),
            None => match &self.zone {
                None => Some(civil_us),
                Some(zone) => zoned(zone, year, month, day, hour, minute, second, micros),
            },
        }
    }
}

fn unknown(t: &str) -> TimeError {
    let shown: String = t.chars().take(40).collect();
    TimeError(format!(
        "unknown timestamp format {shown:?} (expected ISO 8601 like 2024-05-01T12:00:00Z, \
         2014/10/22 11:15:41.000, or epoch seconds/milliseconds/microseconds)"
    ))
}

/// Converts a naive civil time in `zone` to UTC microseconds (gaps and folds resolved as jiff's
/// "compatible" strategy: the earlier offset for folds, shifted forward for gaps).
#[allow(clippy::too_many_arguments)]
fn zoned(
    zone: &TimeZone,
    year: i64,
    month: i64,
    day: i64,
    hour: i64,
    minute: i64,
    second: i64,
    micros: i64,
) -> Option<i64> {
    let second = second.min(59);
    let dt = jiff::civil::DateTime::new(
        i16::try_from(year).ok()?,
        month as i8,
        day as i8,
        hour as i8,
        minute as i8,
        second as i8,
        (micros * 1000) as i32,
    )
    .ok()?;
    let ts = zone.to_ambiguous_timestamp(dt).compatible().ok()?;
    Some(ts.as_microsecond())
}

/// Parses a trailing offset: `Some(None)` for none, `Some(Some(seconds))` for one, `None` if malformed.
fn parse_offset(rest: &[u8]) -> Option<Option<i64>> {
    let rest = trim_ascii_start(rest);
    match rest {
        [] => Some(None),
        [b'Z'] | [b'z'] | b"UTC" | b"GMT" => Some(Some(0)),
        [sign @ (b'+' | b'-'), tail @ ..] => {
            let sign = if *sign == b'-' { -1 } else { 1 };
            let (h, m) = match tail.len() {
                2 => (digits(tail, 0, 2)?, 0),
                4 => (digits(tail, 0, 2)?, digits(tail, 2, 2)?),
                5 if tail[2] == b':' => (digits(tail, 0, 2)?, digits(tail, 3, 2)?),
                _ => return None,
            };
            if h > 23 || m > 59 {
                return None;
            }
            Some(Some(sign * (h * 3600 + m * 60)))
        }
        _ => None,
    }
}

fn trim_ascii_start(b: &[u8]) -> &[u8] {
    let n = b.iter().take_while(|c| **c == b' ').count();
    &b[n..]
}

/// Epoch number: magnitude decides the unit (< 1e11 s, < 1e14 ms, < 1e17 µs, else ns).
fn parse_epoch(t: &str) -> Option<i64> {
    let (int_part, frac) = match t.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (t, None),
    };
    let digits_only = int_part.strip_prefix('-').unwrap_or(int_part);
    if digits_only.is_empty() || !digits_only.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let value: i64 = int_part.parse().ok()?;
    let magnitude = value.unsigned_abs();
    if let Some(frac) = frac {
        // A fraction only makes sense for seconds.
        if magnitude >= 100_000_000_000
            || frac.is_empty()
            || !frac.bytes().all(|c| c.is_ascii_digit())
        {
            return None;
        }
        let mut micros = 0i64;
        for (i, c) in frac.bytes().take(6).enumerate() {
            micros += i64::from(c - b'0') * 10_i64.pow(5 - i as u32);
        }
        let micros = if value < 0 || int_part.starts_with('-') {
            -micros
        } else {
            micros
        };
        return Some(value * US_PER_SEC + micros);
    }
    Some(match magnitude {
        0..100_000_000_000 => value * US_PER_SEC,
        100_000_000_000..100_000_000_000_000 => value * 1000,
        100_000_000_000_000..100_000_000_000_000_000 => value,
        _ => value / 1000,
    })
}

fn digits(b: &[u8], at: usize, n: usize) -> Option<i64> {
    let s = b.get(at..at + n)?;
    let mut v = 0i64;
    for &c in s {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v * 10 + i64::from(c - b'0');
    }
    Some(v)
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Formats microseconds since the epoch as RFC 3339 in UTC with microseconds (`…T…​.ffffffZ`).
pub fn format_utc(us: i64) -> String {
    let secs = us.div_euclid(US_PER_SEC);
    let micros = us.rem_euclid(US_PER_SEC);
    let days = secs.div_euclid(86_400);
    let sod = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{micros:06}Z",
        sod / 3600,
        sod % 3600 / 60,
        sod % 60
    )
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}
