//! Case durations: the time from a case's first to its last selected event.

use std::ops::Range;

use serde::Serialize;

use super::Kernel;
use super::quantile::{DurationSummary, seconds};
use crate::filter::{CaseBuffer, Selection};

/// The case-duration kernel.
#[derive(Debug, Clone, Copy)]
pub struct Durations {
    /// Number of equal-width histogram bins between the shortest and longest case.
    pub bins: usize,
}

impl Default for Durations {
    fn default() -> Self {
        Self { bins: 10 }
    }
}

impl Kernel for Durations {
    /// Case durations in microseconds.
    type Partial = Vec<i64>;

    fn empty(&self) -> Vec<i64> {
        Vec::new()
    }

    fn scan(&self, selection: &Selection<'_>, cases: Range<usize>, partial: &mut Vec<i64>) {
        let mut buffer = CaseBuffer::default();
        for c in cases {
            if let Some(events) = selection.case(c, &mut buffer) {
                let ts = events.timestamp_us;
                partial.push(ts[ts.len() - 1] - ts[0]);
            }
        }
    }

    fn merge(&self, into: &mut Vec<i64>, mut other: Vec<i64>) {
        if into.len() < other.len() {
            std::mem::swap(into, &mut other);
        }
        into.extend_from_slice(&other);
    }
}

impl Durations {
    /// Runs on all cores and reports.
    pub fn report(&self, selection: &Selection<'_>) -> DurationsReport {
        self.finish(super::run(self, selection))
    }

    /// Summarises the durations and bins them.
    pub fn finish(&self, durations_us: Vec<i64>) -> DurationsReport {
        let summary = DurationSummary::of(&durations_us);
        let mut histogram = Vec::new();
        if let Some(s) = &summary {
            let (min, max) = (
                durations_us.iter().copied().min().unwrap_or(0),
                durations_us.iter().copied().max().unwrap_or(0),
            );
            let bins = if max == min { 1 } else { self.bins.max(1) };
            let width = ((max - min) as f64 / bins as f64).max(1.0);
            let mut counts = vec![0u64; bins];
            for &d in &durations_us {
                let bin = (((d - min) as f64 / width) as usize).min(bins - 1);
                counts[bin] += 1;
            }
            histogram = counts
                .into_iter()
                .enumerate()
                .map(|(b, cases)| DurationBin {
                    from_s: seconds(min as f64 + width * b as f64),
                    to_s: if b + 1 == bins {
                        s.max_s
                    } else {
                        seconds(min as f64 + width * (b + 1) as f64)
                    },
                    cases,
                })
                .collect();
        }
        DurationsReport {
            cases: durations_us.len() as u64,
            summary,
            histogram,
        }
    }
}

/// The case-duration report (JSON shape of `cjm durations --format json`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DurationsReport {
    /// Cases in the selection.
    pub cases: u64,
    /// Min, quartiles, p90, max and mean in seconds; absent when no case is selected.
    pub summary: Option<DurationSummary>,
    /// Equal-width bins from the shortest to the longest case; the last bin includes its end.
    pub histogram: Vec<DurationBin>,
}

/// One histogram bin: cases with `from_s <= duration < to_s`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DurationBin {
    pub from_s: f64,
    pub to_s: f64,
    pub cases: u64,
}
