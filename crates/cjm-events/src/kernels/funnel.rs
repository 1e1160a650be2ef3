//! Funnel conversion through ordered steps, with ClickHouse `windowFunnel` levels.
//!
//! Per step the report gives the cases reaching it, the conversion from the previous
//! step and from the first, the drop-off into it, and the median and p90 time from the
//! previous step. That time is measured, for each case that reached the step, between
//! its step-`k - 1` and step-`k` events in the chain that reached the case's highest
//! level (see [`super::funnel_chain`] for the matching rules). `levels[k]` counts the
//! cases whose highest level is `k`.
//!
//! `by` breaks the report down by an attribute taken at the case's first touch: a case
//! attribute as is, an event attribute from the case's first step-1 event (its first
//! event when step 1 never happened).

use std::fmt;
use std::ops::Range;
use std::str::FromStr;
use std::sync::Arc;

use rustc_hash::FxHashMap;
use serde::Serialize;

mod sampled;

use super::Kernel;
use super::funnel_chain::{CaseFunnel, FunnelMatcher, FunnelScratch, MAX_STEPS};
use super::gap_window::{Kept, WindowedGaps};
use super::quantile::{quantiles_of_each, seconds};
use crate::filter::{CaseBuffer, Selection};
use crate::journeys::{ColumnValues, Journeys};

/// ClickHouse `windowFunnel` options; all off is the default mode. They combine.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct FunnelMode {
    pub strict_order: bool,
    pub strict_deduplication: bool,
    pub strict_increase: bool,
}

impl FromStr for FunnelMode {
    type Err = FunnelError;

    /// `default`, or a comma-separated list of `strict_order`, `strict_deduplication`,
    /// `strict_increase`.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let mut mode = FunnelMode::default();
        for part in text.split(',').map(str::trim) {
            match part {
                "default" | "" => {}
                "strict_order" => mode.strict_order = true,
                "strict_deduplication" => mode.strict_deduplication = true,
                "strict_increase" => mode.strict_increase = true,
                other => return Err(FunnelError::UnknownMode(other.to_owned())),
            }
        }
        Ok(mode)
    }
}

impl fmt::Display for FunnelMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = [
            (self.strict_order, "strict_order"),
            (self.strict_deduplication, "strict_deduplication"),
            (self.strict_increase, "strict_increase"),
        ]
        .iter()
        .filter(|(on, _)| *on)
        .map(|(_, name)| *name)
        .collect();
        if names.is_empty() {
            f.write_str("default")
        } else {
            f.write_str(&names.join(","))
        }
    }
}

/// A funnel as the user states it.
#[derive(Debug, Clone, Default)]
pub struct FunnelSpec {
    /// The steps in order; each step is a set of activities (any of them matches).
    pub steps: Vec<Vec<String>>,
    /// How long after a chain's step-1 event its later steps may happen.
    pub window_us: i64,
    pub mode: FunnelMode,
    /// Activities that break chains in progress.
    pub exclude: Vec<String>,
    /// Break the report down by this attribute (first touch).
    pub by: Option<String>,
    /// List the cases whose highest level is this one.
    pub dropped_at: Option<usize>,
}

/// Why a funnel cannot be run.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum FunnelError {
    #[error("a funnel needs at least one step")]
    NoSteps,
    #[error("a funnel has at most {MAX_STEPS} steps, not {0}")]
    TooManySteps(usize),
    #[error(
        "unknown funnel mode `{0}` (expected default, strict_order, strict_deduplication or strict_increase)"
    )]
    UnknownMode(String),
    #[error("activity `{0}` is both a step and excluded")]
    ExcludedStep(String),
    #[error("no attribute named `{0}` to break the funnel down by")]
    UnknownAttribute(String),
    #[error("--dropped-at {0} is beyond the {1} steps")]
    DroppedAtBeyondSteps(usize, usize),
}

/// A compiled funnel: the kernel.
#[derive(Debug, Clone)]
pub struct Funnel<'j> {
    matcher: FunnelMatcher,
    names: Vec<String>,
    by: Option<(String, GroupColumn<'j>)>,
    dropped_at: Option<usize>,
    /// Per step, the gap values the totals keep (see [`super::gap_window`]); `None`: all.
    kept: Option<Arc<[Kept]>>,
}

/// The quantiles of each step's gaps that the report gives: median and p90.
const STEP_QUANTILES: [f64; 2] = [0.5, 0.9];
/// From this many events on, a funnel without a breakdown or a case list keeps only the
/// gaps near its step quantiles, as a sample of its cases names them.
const WINDOWED_FROM: usize = 1 << 20;

/// Where the breakdown attribute lives.
#[derive(Debug, Clone, Copy)]
struct GroupColumn<'j> {
    values: ColumnValues<'j>,
    per_case: bool,
}

impl<'j> Funnel<'j> {
    /// Compiles `spec` against a log. Unknown activity names match nothing.
    pub fn new(spec: &FunnelSpec, journeys: &Journeys<'j>) -> Result<Self, FunnelError> {
        if spec.steps.is_empty() {
            return Err(FunnelError::NoSteps);
        }
        if spec.steps.len() > MAX_STEPS {
            return Err(FunnelError::TooManySteps(spec.steps.len()));
        }
        if let Some(k) = spec.dropped_at.filter(|&k| k > spec.steps.len()) {
            return Err(FunnelError::DroppedAtBeyondSteps(k, spec.steps.len()));
        }
        if let Some(name) = spec
            .exclude
            .iter()
            .find(|x| spec.steps.iter().flatten().any(|s| s == *x))
        {
            return Err(FunnelError::ExcludedStep(name.clone()));
        }
        let codes = |names: &[String]| -> Vec<u32> {
            names
                .iter()
                .filter_map(|n| journeys.activity_code(n))
                .collect()
        };
        let steps: Vec<Vec<u32>> = spec.steps.iter().map(|s| codes(s)).collect();
        let matcher = FunnelMatcher::new(
            journeys.activity_names.len(),
            &steps,
            &codes(&spec.exclude),
            spec.window_us,
            spec.mode,
        );
        let by = match &spec.by {
            None => None,
            Some(name) => {
                let find = |columns: &[crate::journeys::AttributeColumn<'j>], per_case| {
                    columns
                        .iter()
                        .find(|c| c.name == name)
                        .map(|c| GroupColumn {
                            values: c.values,
                            per_case,
                        })
                };
                let column = find(&journeys.case_attributes, true)
                    .or_else(|| find(&journeys.event_attributes, false))
                    .ok_or_else(|| FunnelError::UnknownAttribute(name.clone()))?;
                Some((name.clone(), column))
            }
        };
        Ok(Self {
            matcher,
            names: spec.steps.iter().map(|s| s.join("|")).collect(),
            by,
            dropped_at: spec.dropped_at,
            kept: None,
        })
    }

    /// The per-case matcher (for callers that need each case's level).
    pub fn matcher(&self) -> &FunnelMatcher {
        &self.matcher
    }

    /// Runs the funnel on all cores and reports. A large funnel that only totals keeps
    /// just the step gaps near the quantiles it reports (see [`sampled`]), and runs again
    /// keeping them all in the rare case that its sample misled it.
    pub fn report(&self, selection: &Selection<'_>) -> FunnelReport {
        if self.samples(selection)
            && let Some(report) = self.sampled_report(selection)
        {
            return report;
        }
        self.finish(super::run(self, selection), selection.journeys())
    }

    /// Whether the report runs sampled: not with a breakdown, a case list or a filter, nor
    /// on a log too small to gain from it.
    fn samples(&self, selection: &Selection<'_>) -> bool {
        let totals_only = self.by.is_none() && self.dropped_at.is_none();
        totals_only
            && selection.keeps_everything()
            && selection.journeys().event_count() >= WINDOWED_FROM
    }

    fn group_key(&self, case: usize, first_touch: usize) -> u64 {
        let Some((_, column)) = &self.by else {
            return 0;
        };
        let row = if column.per_case { case } else { first_touch };
        match column.values {
            ColumnValues::Text { codes, .. } => codes.get(row).map_or(u32::MAX, |&c| c) as u64,
            ColumnValues::Int(v) | ColumnValues::Time(v) => {
                v.get(row).map_or(i64::MIN, |&x| x) as u64
            }
            ColumnValues::Float(v) => v.get(row).map_or(f64::NAN, |&x| x).to_bits(),
            ColumnValues::Bool(v) => v.get(row).map_or(2, |&x| x) as u64,
        }
    }

    /// Adds case `c` (its selected activities, and the log index of each) to `partial`.
    fn add_case(
        &self,
        partial: &mut FunnelPartial,
        c: usize,
        activity: &[u32],
        event_index: impl Fn(usize) -> usize,
        outcome: CaseFunnel<'_>,
    ) {
        partial.total.add(outcome.level, outcome.step_us);
        if self.dropped_at == Some(outcome.level) {
            partial.dropped.push(c);
        }
        if self.by.is_some() {
            let first_step = activity
                .iter()
                .position(|&a| self.matcher.step_mask(a) & 1 != 0)
                .unwrap_or(0);
            let key = self.group_key(c, event_index(first_step));
            partial
                .groups
                .entry(key)
                .or_insert_with(|| FunnelTally::new(self.matcher.steps()))
                .add(outcome.level, outcome.step_us);
        }
    }

    /// [`Kernel::scan`] with the matcher's working memory.
    fn scan_with(
        &self,
        selection: &Selection<'_>,
        cases: Range<usize>,
        partial: &mut FunnelPartial,
        scratch: &mut FunnelScratch,
    ) {
        let journeys = selection.journeys();
        if selection.keeps_everything() {
            let offsets = &journeys.case_offsets[cases.start..=cases.end];
            let activity = journeys.activity;
            // Without a breakdown or a list of cases, nothing reads a case's events.
            let totals_only = self.by.is_none() && self.dropped_at.is_none();
            let each = |c: usize, outcome: CaseFunnel<'_>| {
                if totals_only {
                    partial.total.add(outcome.level, outcome.step_us);
                    return;
                }
                let first_event = offsets[c] as usize;
                let events = &activity[first_event..offsets[c + 1] as usize];
                self.add_case(
                    partial,
                    cases.start + c,
                    events,
                    |k| first_event + k,
                    outcome,
                );
            };
            self.matcher
                .match_cases(offsets, activity, journeys.timestamp_us, scratch, each);
            return;
        }
        let mut buffer = CaseBuffer::default();
        for c in cases {
            let Some(events) = selection.case(c, &mut buffer) else {
                continue;
            };
            let outcome = self
                .matcher
                .matches(events.activity, events.timestamp_us, scratch);
            self.add_case(
                partial,
                c,
                events.activity,
                |k| events.event_index(k),
                outcome,
            );
        }
    }

    /// Turns a merged partial into the report.
    pub fn finish(&self, partial: FunnelPartial, journeys: &Journeys<'_>) -> FunnelReport {
        self.finish_with(partial, journeys, None)
    }

    /// [`Funnel::finish`], with the totals' step times when they are known already.
    fn finish_with(
        &self,
        partial: FunnelPartial,
        journeys: &Journeys<'_>,
        total_times: Option<Vec<Vec<Option<f64>>>>,
    ) -> FunnelReport {
        let FunnelPartial {
            total,
            groups,
            dropped,
            ..
        } = partial;
        let mut report_groups: Vec<FunnelGroup> = Vec::new();
        if let Some((_, column)) = &self.by {
            for (key, tally) in groups {
                let value = render_key(column.values, key);
                let (cases, steps, levels) = self.summarise(tally, None);
                report_groups.push(FunnelGroup {
                    value,
                    cases,
                    steps,
                    levels,
                });
            }
            report_groups.sort_by(|a, b| b.cases.cmp(&a.cases).then_with(|| a.value.cmp(&b.value)));
        }
        let (cases, steps, levels) = self.summarise(total, total_times);
        let dropped_cases = self.dropped_at.map(|_| {
            let mut cases = dropped;
            cases.sort_unstable();
            cases
                .iter()
                .map(|&c| journeys.case_ids.get(c).to_owned())
                .collect()
        });
        FunnelReport {
            cases,
            steps,
            levels,
            by: self.by.as_ref().map(|(name, _)| name.clone()),
            groups: report_groups,
            dropped_cases,
        }
    }

    /// The report's numbers of a tally; `times`, each step's [`STEP_QUANTILES`] of its
    /// gaps, when they were read already.
    fn summarise(
        &self,
        tally: FunnelTally,
        times: Option<Vec<Vec<Option<f64>>>>,
    ) -> (u64, Vec<FunnelStepReport>, Vec<u64>) {
        let cases: u64 = tally.levels.iter().sum();
        let reaching = |k: usize| tally.reaching(k);
        let ratio = |a: u64, b: u64| if b == 0 { 0.0 } else { a as f64 / b as f64 };
        let first = reaching(0);
        let bounds = Some(self.matcher.gap_bounds());
        let gaps =
            times.unwrap_or_else(|| quantiles_of_each(&tally.gap_parts(), &STEP_QUANTILES, bounds));
        let mut steps = Vec::with_capacity(self.names.len());
        for (k, name) in self.names.iter().enumerate() {
            let customers = reaching(k);
            let previous = if k == 0 { cases } else { reaching(k - 1) };
            steps.push(FunnelStepReport {
                name: name.clone(),
                customers,
                conversion_from_previous: ratio(customers, previous),
                conversion_from_first: ratio(customers, first),
                dropped: previous - customers,
                dropped_share: ratio(previous - customers, previous),
                median_s: gaps[k][0].map(seconds),
                p90_s: gaps[k][1].map(seconds),
            });
        }
        (cases, steps, tally.levels)
    }
}

fn render_key(values: ColumnValues<'_>, key: u64) -> String {
    const MISSING: &str = "(missing)";
    match values {
        ColumnValues::Text { dict, .. } if (key as usize) < dict.len() => {
            dict.get(key as usize).to_owned()
        }
        ColumnValues::Text { .. } => MISSING.to_owned(),
        ColumnValues::Int(_) | ColumnValues::Time(_) if key as i64 == i64::MIN => {
            MISSING.to_owned()
        }
        ColumnValues::Int(_) | ColumnValues::Time(_) => (key as i64).to_string(),
        ColumnValues::Float(_) if f64::from_bits(key).is_nan() => MISSING.to_owned(),
        ColumnValues::Float(_) => f64::from_bits(key).to_string(),
        ColumnValues::Bool(_) => match key {
            0 => "false".to_owned(),
            1 => "true".to_owned(),
            _ => MISSING.to_owned(),
        },
    }
}

/// Levels and step gaps of a set of cases.
#[derive(Debug, Clone, Default)]
pub struct FunnelTally {
    /// `levels[k]`: cases whose highest level is `k`.
    levels: Vec<u64>,
    /// `gaps[k]`: microseconds from step `k - 1` to step `k` (none for step 0), as this
    /// tally added them.
    gaps: Vec<Vec<i64>>,
    /// The gaps of the tallies merged into this one, per step, as they were (merging
    /// moves their vectors instead of copying values).
    merged_gaps: Vec<Vec<Vec<i64>>>,
    /// Instead of `gaps`: per step, the kept gap values and the gaps tallied there.
    windowed: Option<(Arc<[Kept]>, Vec<WindowedGaps>)>,
}

impl FunnelTally {
    fn new(steps: usize) -> Self {
        Self {
            levels: vec![0; steps + 1],
            gaps: vec![Vec::new(); steps],
            merged_gaps: vec![Vec::new(); steps],
            windowed: None,
        }
    }

    /// A tally that keeps, per step, only the gap values of `kept`.
    fn keeping(steps: usize, kept: Arc<[Kept]>) -> Self {
        let windows = vec![WindowedGaps::default(); kept.len()];
        Self {
            windowed: Some((kept, windows)),
            ..Self::new(steps)
        }
    }

    /// Adds a case that reached `level` by the chain of step times `step_us`.
    #[inline]
    fn add(&mut self, level: usize, step_us: &[i64]) {
        self.levels[level] += 1;
        match &mut self.windowed {
            None => {
                for k in 1..level {
                    self.gaps[k].push(step_us[k] - step_us[k - 1]);
                }
            }
            Some((kept, windows)) => {
                for k in 1..level {
                    windows[k].add(&kept[k], step_us[k] - step_us[k - 1]);
                }
            }
        }
    }

    fn merge(&mut self, other: FunnelTally) {
        for (a, b) in self.levels.iter_mut().zip(other.levels) {
            *a += b;
        }
        let theirs = other.gaps.into_iter().zip(other.merged_gaps);
        for (mine, (gaps, merged)) in self.merged_gaps.iter_mut().zip(theirs) {
            mine.push(gaps);
            mine.extend(merged);
        }
        if let (Some((_, mine)), Some((_, theirs))) = (&mut self.windowed, other.windowed) {
            for (a, b) in mine.iter_mut().zip(theirs) {
                a.merge(b);
            }
        }
    }

    /// The cases that reached step `k` (whose level is above `k`).
    fn reaching(&self, k: usize) -> u64 {
        self.levels[k + 1..].iter().sum()
    }

    /// The gaps of step `k`: one in every case that reached it (none for the first step).
    fn gap_count(&self, k: usize) -> u64 {
        if k == 0 { 0 } else { self.reaching(k) }
    }

    /// Takes out the per-step windowed gaps, when this tally keeps windows.
    fn take_windows(&mut self) -> Vec<WindowedGaps> {
        self.windowed
            .as_mut()
            .map(|(_, windows)| std::mem::take(windows))
            .unwrap_or_default()
    }

    /// Per step, its gaps in parts.
    fn gap_parts(&self) -> Vec<Vec<&[i64]>> {
        self.gaps
            .iter()
            .zip(&self.merged_gaps)
            .map(|(gaps, merged)| {
                let mut parts = vec![gaps.as_slice()];
                parts.extend(merged.iter().map(Vec::as_slice));
                parts
            })
            .collect()
    }
}

/// What a range of cases yields: the overall tally, per-group tallies, listed cases.
#[derive(Debug, Clone)]
pub struct FunnelPartial {
    total: FunnelTally,
    groups: FxHashMap<u64, FunnelTally>,
    dropped: Vec<usize>,
    /// The matcher's working memory, kept with the thread's partial so that the ranges a
    /// thread scans reuse it (fresh buffers of a few hundred KB per range cost page
    /// faults); not a result.
    scratch: FunnelScratch,
}

impl Kernel for Funnel<'_> {
    type Partial = FunnelPartial;

    fn empty(&self) -> FunnelPartial {
        let steps = self.matcher.steps();
        FunnelPartial {
            total: match &self.kept {
                Some(kept) => FunnelTally::keeping(steps, kept.clone()),
                None => FunnelTally::new(steps),
            },
            groups: FxHashMap::default(),
            dropped: Vec::new(),
            scratch: FunnelScratch::default(),
        }
    }

    fn scan(&self, selection: &Selection<'_>, cases: Range<usize>, partial: &mut FunnelPartial) {
        let mut scratch = std::mem::take(&mut partial.scratch);
        self.scan_with(selection, cases, partial, &mut scratch);
        partial.scratch = scratch;
    }

    fn merge(&self, into: &mut FunnelPartial, other: FunnelPartial) {
        into.total.merge(other.total);
        for (key, tally) in other.groups {
            match into.groups.entry(key) {
                std::collections::hash_map::Entry::Occupied(mut e) => e.get_mut().merge(tally),
                std::collections::hash_map::Entry::Vacant(e) => {
                    e.insert(tally);
                }
            }
        }
        into.dropped.extend(other.dropped);
    }
}

/// The funnel report (JSON shape of `cjm funnel --format json`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FunnelReport {
    /// Cases in the selection.
    pub cases: u64,
    pub steps: Vec<FunnelStepReport>,
    /// `levels[k]`: cases whose highest level is `k`, for `k = 0..=steps`.
    pub levels: Vec<u64>,
    /// The breakdown attribute, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
    /// One funnel per breakdown value, most cases first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<FunnelGroup>,
    /// Ids of the cases whose highest level is `dropped_at`, when asked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dropped_cases: Option<Vec<String>>,
}

/// The funnel of the cases sharing one breakdown value.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FunnelGroup {
    pub value: String,
    pub cases: u64,
    pub steps: Vec<FunnelStepReport>,
    pub levels: Vec<u64>,
}

/// One step of a funnel report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FunnelStepReport {
    /// The step's activities joined by `|`.
    pub name: String,
    /// Cases that reached this step.
    pub customers: u64,
    /// `customers` over the previous step's (over all cases for step 1); 0 when that is 0.
    pub conversion_from_previous: f64,
    /// `customers` over step 1's.
    pub conversion_from_first: f64,
    /// Cases that reached the previous step (or are in the selection, for step 1) but not this one.
    pub dropped: u64,
    /// `dropped` over the previous step's cases.
    pub dropped_share: f64,
    /// Median seconds from the previous step (none for step 1 or when no case reached it).
    pub median_s: Option<f64>,
    /// 90th percentile of the seconds from the previous step.
    pub p90_s: Option<f64>,
}

#[cfg(test)]
mod tests {
    use super::{Funnel, FunnelMode, FunnelReport, FunnelSpec, WINDOWED_FROM, sampled};
    use crate::filter::Filter;
    use crate::journeys::{OwnedJourneys, OwnedStrDict};
    use crate::kernels::run;

    /// A log of `cases` cases through steps a, b, c, d (and a noise event), with step gaps
    /// from `gap(case, step)` seconds; some cases stop early.
    fn log(cases: usize, gap: impl Fn(usize, usize) -> i64) -> OwnedJourneys {
        let mut j = OwnedJourneys::default();
        for name in ["a", "b", "c", "d", "noise"] {
            j.activity_names.push(name);
        }
        let mut ids = OwnedStrDict::default();
        j.case_offsets.push(0);
        for c in 0..cases {
            ids.push(&format!("c{c:07}"));
            let mut t = 1_700_000_000_000_000 + (c as i64 % 997) * 3_600_000_000;
            let depth = 1 + (c * 7 + c / 13) % 4;
            for step in 0..depth {
                if step > 0 {
                    t += gap(c, step) * 1_000_000 + (c as i64 % 1_000);
                }
                j.activity.push(step as u32);
                j.timestamp_us.push(t);
                if step == 1 {
                    j.activity.push(4);
                    j.timestamp_us.push(t + 1);
                }
            }
            j.case_offsets.push(j.activity.len() as u64);
        }
        j.case_ids = ids;
        j
    }

    /// The funnel's report, the report of a run that keeps every gap, and whether the
    /// gaps its sample kept answered.
    fn both(journeys: &OwnedJourneys) -> (FunnelReport, FunnelReport, bool) {
        let view = journeys.view();
        assert!(
            view.event_count() >= WINDOWED_FROM,
            "{} events",
            view.event_count()
        );
        let selection = Filter::default().select(&view).expect("no filter");
        let spec = FunnelSpec {
            steps: ["a", "b", "c", "d"].map(|s| vec![s.to_owned()]).to_vec(),
            window_us: 30 * 86_400 * 1_000_000,
            mode: FunnelMode::default(),
            ..FunnelSpec::default()
        };
        let funnel = Funnel::new(&spec, &view).expect("funnel");
        let every_gap = funnel.finish(run(&funnel, &selection), &view);
        assert!(funnel.samples(&selection));
        let answered = funnel.sampled_report(&selection).is_some();
        (funnel.report(&selection), every_gap, answered)
    }

    #[test]
    fn a_large_funnel_keeps_few_gaps_and_reports_them_exactly() {
        let cases = WINDOWED_FROM / 3;
        let gap = |c: usize, step: usize| ((c * 7_919 + step * 104_729) % 86_400) as i64;
        let (report, every_gap, answered) = both(&log(cases, gap));
        assert!(answered);
        assert_eq!(report, every_gap);
        assert!(every_gap.steps[3].median_s.is_some());
    }

    #[test]
    fn a_misleading_sample_falls_back_to_every_gap() {
        // The sampled cases wait seconds, the others hours: the sample's ranges miss the
        // quantiles of the whole. (Where the sample lies depends on the log's case
        // offsets, which the gaps do not change.)
        let cases = WINDOWED_FROM / 3;
        let (sample, _) = sampled::split(log(cases, |_, _| 0).view().case_offsets);
        let gap = |c: usize, step: usize| {
            if sample.iter().any(|r| r.contains(&c)) {
                (c % 50 + step) as i64
            } else {
                3_600 + (c % 7_200) as i64
            }
        };
        let (report, every_gap, answered) = both(&log(cases, gap));
        assert!(!answered);
        assert_eq!(report, every_gap);
    }
}
