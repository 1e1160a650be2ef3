//! The directly-follows graph with frequencies and performance, as pm4py computes it.
//!
//! Within each case, events are in (timestamp, input) order; every consecutive pair of
//! events is an edge occurrence, self-loops included, and its duration is the time
//! between the two events. Start and end activities count the first and last activity of
//! each case. Medians follow pm4py (an even count averages the two middle values).

use std::collections::BTreeMap;
use std::ops::Range;

use rustc_hash::FxHashMap;
use serde::Serialize;

use super::Kernel;
use super::edge_median::{EdgeSpread, edge_medians};
use super::quantile::seconds;
use crate::filter::{CaseBuffer, Selection};

/// Activities beyond which edges are kept in a hash map instead of a dense table.
pub(super) const DENSE_ACTIVITIES: usize = 256;

/// The directly-follows kernel.
#[derive(Debug, Clone, Copy, Default)]
pub struct Dfg {
    /// Whether to gather edge durations (mean, median, min, max).
    pub performance: bool,
}

/// Occurrences and durations of one edge.
#[derive(Debug, Clone)]
pub struct EdgeTally {
    count: u64,
    sum_us: i128,
    min_us: i64,
    max_us: i64,
}

impl EdgeTally {
    /// No occurrence yet: the first duration is both the least and the greatest.
    const EMPTY: EdgeTally = EdgeTally {
        count: 0,
        sum_us: 0,
        min_us: i64::MAX,
        max_us: i64::MIN,
    };

    /// Adds an occurrence that took `duration` microseconds.
    #[inline(always)]
    fn add(&mut self, duration: i64, performance: bool) {
        self.count += 1;
        if performance {
            self.sum_us += duration as i128;
            self.min_us = self.min_us.min(duration);
            self.max_us = self.max_us.max(duration);
        }
    }

    fn merge(&mut self, other: EdgeTally) {
        if other.count == 0 {
            return;
        }
        if self.count == 0 {
            *self = other;
            return;
        }
        self.count += other.count;
        self.sum_us += other.sum_us;
        self.min_us = self.min_us.min(other.min_us);
        self.max_us = self.max_us.max(other.max_us);
    }
}

/// Edge tallies keyed by (from, to) activity codes.
#[derive(Debug, Clone)]
enum EdgeTable {
    /// `from * activities + to`.
    Dense(Vec<EdgeTally>),
    Sparse(FxHashMap<(u32, u32), EdgeTally>),
}

/// What a range of cases yields.
#[derive(Debug, Clone)]
pub struct DfgPartial {
    activities: usize,
    edges: EdgeTable,
    start: Vec<u64>,
    end: Vec<u64>,
    cases: u64,
    events: u64,
}

impl DfgPartial {
    fn edge(&mut self, from: u32, to: u32) -> &mut EdgeTally {
        match &mut self.edges {
            EdgeTable::Dense(table) => &mut table[from as usize * self.activities + to as usize],
            EdgeTable::Sparse(map) => map.entry((from, to)).or_insert(EdgeTally::EMPTY),
        }
    }

    fn into_edges(self) -> Vec<((u32, u32), EdgeTally)> {
        let n = self.activities;
        match self.edges {
            EdgeTable::Dense(table) => table
                .into_iter()
                .enumerate()
                .filter(|(_, e)| e.count > 0)
                .map(|(i, e)| (((i / n) as u32, (i % n) as u32), e))
                .collect(),
            EdgeTable::Sparse(map) => map.into_iter().collect(),
        }
    }
}

impl Kernel for Dfg {
    type Partial = DfgPartial;

    fn empty(&self) -> DfgPartial {
        // The activity count is known once the first scan sees the log.
        DfgPartial {
            activities: 0,
            edges: EdgeTable::Dense(Vec::new()),
            start: Vec::new(),
            end: Vec::new(),
            cases: 0,
            events: 0,
        }
    }

    fn scan(&self, selection: &Selection<'_>, cases: Range<usize>, partial: &mut DfgPartial) {
        let activities = selection.journeys().activity_names.len();
        if partial.start.len() != activities {
            *partial = DfgPartial::sized(activities);
        }
        let performance = self.performance;
        let DfgPartial {
            activities,
            edges,
            start,
            end,
            cases: case_count,
            events: event_count,
        } = partial;
        let mut counts = |activity: &[u32]| {
            *case_count += 1;
            *event_count += activity.len() as u64;
            start[activity[0] as usize] += 1;
            end[activity[activity.len() - 1] as usize] += 1;
        };
        // The table's kind is looked at once, not per occurrence.
        match edges {
            EdgeTable::Dense(table) => each_case(selection, cases, |activity, ts| {
                counts(activity);
                for (a, t) in activity.windows(2).zip(ts.windows(2)) {
                    let edge = &mut table[a[0] as usize * *activities + a[1] as usize];
                    edge.add(t[1] - t[0], performance);
                }
            }),
            EdgeTable::Sparse(map) => each_case(selection, cases, |activity, ts| {
                counts(activity);
                for (a, t) in activity.windows(2).zip(ts.windows(2)) {
                    let edge = map.entry((a[0], a[1])).or_insert(EdgeTally::EMPTY);
                    edge.add(t[1] - t[0], performance);
                }
            }),
        }
    }

    fn merge(&self, into: &mut DfgPartial, other: DfgPartial) {
        if other.start.is_empty() {
            return;
        }
        if into.start.is_empty() {
            *into = other;
            return;
        }
        into.cases += other.cases;
        into.events += other.events;
        for (a, b) in into.start.iter_mut().zip(&other.start) {
            *a += b;
        }
        for (a, b) in into.end.iter_mut().zip(&other.end) {
            *a += b;
        }
        for ((from, to), tally) in other.into_edges() {
            into.edge(from, to).merge(tally);
        }
    }
}

impl DfgPartial {
    fn sized(activities: usize) -> Self {
        let edges = if activities <= DENSE_ACTIVITIES {
            EdgeTable::Dense(vec![EdgeTally::EMPTY; activities * activities])
        } else {
            EdgeTable::Sparse(FxHashMap::default())
        };
        Self {
            activities,
            edges,
            start: vec![0; activities],
            end: vec![0; activities],
            cases: 0,
            events: 0,
        }
    }
}

impl Dfg {
    /// Runs on all cores and reports.
    pub fn report(&self, selection: &Selection<'_>) -> DfgReport {
        let partial = super::run(self, selection);
        self.finish(partial, selection)
    }

    /// Turns a merged partial into the report: edges by count (descending), then names.
    /// With performance, the medians take two more passes over `selection`.
    pub fn finish(&self, partial: DfgPartial, selection: &Selection<'_>) -> DfgReport {
        let names = &selection.journeys().activity_names;
        let counts = |by_code: &[u64]| -> BTreeMap<String, u64> {
            by_code
                .iter()
                .enumerate()
                .filter(|(_, n)| **n > 0)
                .map(|(code, &n)| (names.get(code).to_owned(), n))
                .collect()
        };
        let (start, end) = (counts(&partial.start), counts(&partial.end));
        let (cases, events) = (partial.cases, partial.events);
        let tallies = partial.into_edges();
        let medians = if self.performance {
            let spreads: Vec<((u32, u32), EdgeSpread)> = tallies
                .iter()
                .map(|(edge, t)| {
                    let spread = EdgeSpread {
                        count: t.count,
                        min_us: t.min_us,
                        max_us: t.max_us,
                    };
                    (*edge, spread)
                })
                .collect();
            edge_medians(selection, &spreads)
        } else {
            Vec::new()
        };
        let mut edges: Vec<DfgEdge> = tallies
            .into_iter()
            .enumerate()
            .map(|(i, ((from, to), tally))| {
                let performance = self.performance;
                DfgEdge {
                    from: names.get(from as usize).to_owned(),
                    to: names.get(to as usize).to_owned(),
                    count: tally.count,
                    mean_s: performance.then(|| tally.sum_us as f64 / tally.count as f64 / 1e6),
                    median_s: medians.get(i).map(|&us| seconds(us)),
                    min_s: performance.then(|| seconds(tally.min_us as f64)),
                    max_s: performance.then(|| seconds(tally.max_us as f64)),
                }
            })
            .collect();
        edges.sort_by(|a, b| {
            b.count
                .cmp(&a.count)
                .then_with(|| a.from.cmp(&b.from))
                .then_with(|| a.to.cmp(&b.to))
        });
        DfgReport {
            cases,
            events,
            edges,
            start,
            end,
        }
    }
}

/// The directly-follows graph (JSON shape of `cjm dfg --format json`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DfgReport {
    /// Cases in the selection.
    pub cases: u64,
    /// Events in the selection.
    pub events: u64,
    pub edges: Vec<DfgEdge>,
    /// Cases starting with each activity.
    pub start: BTreeMap<String, u64>,
    /// Cases ending with each activity.
    pub end: BTreeMap<String, u64>,
}

/// Calls `f` with the activities and timestamps of each selected case in `cases`.
#[inline(always)]
fn each_case(selection: &Selection<'_>, cases: Range<usize>, mut f: impl FnMut(&[u32], &[i64])) {
    let mut buffer = CaseBuffer::default();
    for c in cases {
        if let Some(events) = selection.case(c, &mut buffer) {
            f(events.activity, events.timestamp_us);
        }
    }
}

/// One directly-follows edge; the durations are absent when performance was not asked for.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DfgEdge {
    pub from: String,
    pub to: String,
    pub count: u64,
    pub mean_s: Option<f64>,
    pub median_s: Option<f64>,
    pub min_s: Option<f64>,
    pub max_s: Option<f64>,
}
