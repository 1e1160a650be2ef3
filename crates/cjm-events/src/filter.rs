//! Which cases and events a kernel sees: time range, attribute values, activities.
//!
//! A [`Filter`] is what the user asked for; [`Filter::select`] binds it to a log as a
//! [`Selection`], which hands each kernel one case at a time without copying the log:
//! when no event is filtered out the case is borrowed straight from the columns,
//! otherwise its kept events are gathered into a per-thread [`CaseBuffer`].
//!
//! Semantics, applied in this order:
//! - `containing`: keep only cases that have every listed activity somewhere (judged on
//!   all of the case's events, before the event filters below);
//! - `attribute_equals` on a case attribute keeps the cases whose value is equal;
//! - `from_us`/`to_us`: keep the events with `from_us <= timestamp < to_us`;
//! - `attribute_equals` on an event attribute keeps the events whose value is equal;
//! - `activities` (when not empty) keeps only those activities; `exclude_activities` drops those.
//!
//! A case left with no event is not part of the selection: it counts nowhere.
//! Activity names absent from the log match nothing; the CLI checks them first.

use crate::journeys::{AttributeColumn, ColumnValues, Journeys};

/// A filter as the user states it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filter {
    /// Keep events at or after this time (microseconds since the epoch, UTC).
    pub from_us: Option<i64>,
    /// Keep events strictly before this time.
    pub to_us: Option<i64>,
    /// `(attribute, value)` pairs that must all hold (case or event attribute).
    pub attribute_equals: Vec<(String, String)>,
    /// When not empty, only these activities are kept.
    pub activities: Vec<String>,
    /// These activities are dropped.
    pub exclude_activities: Vec<String>,
    /// Only cases that contain all of these activities are kept.
    pub containing: Vec<String>,
}

/// Why a filter cannot be applied to a log.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum FilterError {
    /// The attribute is not in the store.
    #[error("no attribute named `{name}` in the store (known: {known})")]
    UnknownAttribute { name: String, known: String },
    /// The value cannot be compared with the attribute's type.
    #[error("attribute `{name}` holds {kind} values, and `{value}` is not one")]
    BadValue {
        name: String,
        kind: &'static str,
        value: String,
    },
}

impl Filter {
    /// Whether the filter keeps everything.
    pub fn is_empty(&self) -> bool {
        *self == Filter::default()
    }

    /// Binds the filter to a log.
    pub fn select<'j>(&self, journeys: &'j Journeys<'j>) -> Result<Selection<'j>, FilterError> {
        let codes = |names: &[String]| -> Vec<u32> {
            names
                .iter()
                .map(|n| journeys.activity_code(n).unwrap_or(u32::MAX))
                .collect()
        };
        let mut keep_activity = None;
        if !self.activities.is_empty() || !self.exclude_activities.is_empty() {
            let all = self.activities.is_empty();
            let mut keep = vec![all; journeys.activity_names.len()];
            for code in codes(&self.activities) {
                if let Some(k) = keep.get_mut(code as usize) {
                    *k = true;
                }
            }
            for code in codes(&self.exclude_activities) {
                if let Some(k) = keep.get_mut(code as usize) {
                    *k = false;
                }
            }
            keep_activity = Some(keep);
        }
        let mut case_tests = Vec::new();
        let mut event_tests = Vec::new();
        for (name, value) in &self.attribute_equals {
            if let Some(column) = journeys.case_attributes.iter().find(|c| c.name == name) {
                case_tests.push(ValueTest::new(column, value)?);
            } else if let Some(column) = journeys.event_attributes.iter().find(|c| c.name == name) {
                event_tests.push(ValueTest::new(column, value)?);
            } else {
                let known: Vec<&str> = journeys
                    .case_attributes
                    .iter()
                    .chain(&journeys.event_attributes)
                    .map(|c| c.name)
                    .collect();
                return Err(FilterError::UnknownAttribute {
                    name: name.clone(),
                    known: if known.is_empty() {
                        "none".to_owned()
                    } else {
                        known.join(", ")
                    },
                });
            }
        }
        let filters_events = keep_activity.is_some()
            || self.from_us.is_some()
            || self.to_us.is_some()
            || !event_tests.is_empty();
        Ok(Selection {
            journeys,
            keep_activity,
            from_us: self.from_us.unwrap_or(i64::MIN),
            to_us: self.to_us.unwrap_or(i64::MAX),
            case_tests,
            event_tests,
            containing: codes(&self.containing),
            filters_events,
        })
    }
}

/// An attribute value to compare against, already in the column's encoding.
#[derive(Debug, Clone, Copy)]
enum Expected {
    Text(u32),
    Int(i64),
    Float(f64),
    Bool(u8),
}

#[derive(Debug, Clone, Copy)]
struct ValueTest<'j> {
    values: ColumnValues<'j>,
    expected: Expected,
}

impl<'j> ValueTest<'j> {
    fn new(column: &AttributeColumn<'j>, value: &str) -> Result<Self, FilterError> {
        let bad = |kind| FilterError::BadValue {
            name: column.name.to_owned(),
            kind,
            value: value.to_owned(),
        };
        let expected = match column.values {
            ColumnValues::Text { dict, .. } => Expected::Text(
                dict.iter()
                    .position(|v| v == value)
                    .map_or(u32::MAX - 1, |i| i as u32),
            ),
            ColumnValues::Int(_) => {
                Expected::Int(value.trim().parse().map_err(|_| bad("integer"))?)
            }
            ColumnValues::Time(_) => Expected::Int(
                value
                    .trim()
                    .parse()
                    .map_err(|_| bad("time (microseconds since the epoch)"))?,
            ),
            ColumnValues::Float(_) => {
                Expected::Float(value.trim().parse().map_err(|_| bad("number"))?)
            }
            ColumnValues::Bool(_) => Expected::Bool(match value.trim() {
                "true" | "1" => 1,
                "false" | "0" => 0,
                _ => return Err(bad("true/false")),
            }),
        };
        Ok(Self {
            values: column.values,
            expected,
        })
    }

    fn holds(&self, row: usize) -> bool {
        match (self.values, self.expected) {
            (ColumnValues::Text { codes, .. }, Expected::Text(e)) => codes.get(row) == Some(&e),
            (ColumnValues::Int(v) | ColumnValues::Time(v), Expected::Int(e)) => {
                v.get(row) == Some(&e)
            }
            (ColumnValues::Float(v), Expected::Float(e)) => v.get(row) == Some(&e),
            (ColumnValues::Bool(v), Expected::Bool(e)) => v.get(row) == Some(&e),
            _ => false,
        }
    }
}

/// A filter bound to a log: hands out the selected events of each case.
#[derive(Debug)]
pub struct Selection<'j> {
    journeys: &'j Journeys<'j>,
    keep_activity: Option<Vec<bool>>,
    from_us: i64,
    to_us: i64,
    case_tests: Vec<ValueTest<'j>>,
    event_tests: Vec<ValueTest<'j>>,
    containing: Vec<u32>,
    filters_events: bool,
}

/// Reusable room for the kept events of one case (one per thread, so no allocation per case).
#[derive(Debug, Default)]
pub struct CaseBuffer {
    activity: Vec<u32>,
    timestamp_us: Vec<i64>,
    event: Vec<usize>,
}

/// The selected events of one case, in (timestamp, input) order.
#[derive(Debug, Clone, Copy)]
pub struct CaseEvents<'s> {
    /// The case number in the log.
    pub case: usize,
    /// Activity codes of the kept events.
    pub activity: &'s [u32],
    /// Timestamps of the kept events, in microseconds.
    pub timestamp_us: &'s [i64],
    origin: Origin<'s>,
}

#[derive(Debug, Clone, Copy)]
enum Origin<'s> {
    /// The events are the log's events from this index on.
    Contiguous(usize),
    /// The log index of each kept event.
    Listed(&'s [usize]),
}

impl CaseEvents<'_> {
    /// Number of kept events.
    pub fn len(&self) -> usize {
        self.activity.len()
    }

    /// Whether no event was kept.
    pub fn is_empty(&self) -> bool {
        self.activity.is_empty()
    }

    /// The log index (row in the event columns) of kept event `k`.
    pub fn event_index(&self, k: usize) -> usize {
        match self.origin {
            Origin::Contiguous(start) => start + k,
            Origin::Listed(index) => index[k],
        }
    }
}

impl<'j> Selection<'j> {
    /// The log this selection reads.
    pub fn journeys(&self) -> &'j Journeys<'j> {
        self.journeys
    }

    /// Whether every event of every case is selected (no filter at all), so that kernels
    /// may read the log's columns directly.
    pub fn keeps_everything(&self) -> bool {
        self.case_tests.is_empty() && self.containing.is_empty() && !self.filters_events
    }

    /// The selected events of case `c`, or `None` when the case is not selected.
    #[inline(always)]
    pub fn case<'s>(&'s self, c: usize, buffer: &'s mut CaseBuffer) -> Option<CaseEvents<'s>>
    where
        'j: 's,
    {
        let j = self.journeys;
        let range = j.case_range(c);
        if !self.case_tests.iter().all(|t| t.holds(c)) {
            return None;
        }
        let activity = &j.activity[range.clone()];
        if !self.containing.iter().all(|code| activity.contains(code)) {
            return None;
        }
        if self.filters_events {
            return self.kept_events(c, range, buffer);
        }
        (!range.is_empty()).then_some(CaseEvents {
            case: c,
            activity,
            timestamp_us: &j.timestamp_us[range.clone()],
            origin: Origin::Contiguous(range.start),
        })
    }

    /// The events of case `c` (at `range`) that the event filters keep, copied into
    /// `buffer` (apart from [`Self::case`], which every kernel calls once a case).
    #[inline(never)]
    fn kept_events<'s>(
        &'s self,
        c: usize,
        range: std::ops::Range<usize>,
        buffer: &'s mut CaseBuffer,
    ) -> Option<CaseEvents<'s>>
    where
        'j: 's,
    {
        let j = self.journeys;
        buffer.activity.clear();
        buffer.timestamp_us.clear();
        buffer.event.clear();
        for i in range {
            let (code, ts) = (j.activity[i], j.timestamp_us[i]);
            let kept = ts >= self.from_us
                && ts < self.to_us
                && self
                    .keep_activity
                    .as_ref()
                    .is_none_or(|keep| keep.get(code as usize).copied().unwrap_or(false))
                && self.event_tests.iter().all(|t| t.holds(i));
            if kept {
                buffer.activity.push(code);
                buffer.timestamp_us.push(ts);
                buffer.event.push(i);
            }
        }
        (!buffer.activity.is_empty()).then_some(CaseEvents {
            case: c,
            activity: &buffer.activity,
            timestamp_us: &buffer.timestamp_us,
            origin: Origin::Listed(&buffer.event),
        })
    }
}
