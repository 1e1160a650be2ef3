//! The one pass over the journeys that gathers every measure of a build.
//!
//! The map's rules are compiled once into tables by activity code ([`table`]); the pass
//! ([`pass`]) reads each case once, adding its events and, from small per-case sets of
//! bits, the case itself to the totals of its combination of segments (all cases, then
//! one per persona with a filter). It runs as a `cjm-events` kernel: ranges of cases on all cores,
//! partial results merged at the end, then turned into one [`Tally`] per segment.

pub mod partial;
pub mod pass;
pub mod plan;
mod scratch;
pub mod table;
pub mod waits;

use std::collections::{BTreeMap, HashMap};

use cjm_events::Journeys;
use cjm_events::filter::Filter;
use cjm_events::journeys::ColumnValues;
use cjm_events::kernels::funnel_chain::FunnelMatcher;

use crate::InsightsError;
use crate::conformance::ConformanceTally;
use crate::period::Period;
use crate::rules::{BoundConditions, MapRules};
use table::EventTable;
use waits::Waits;

/// Where the channel of an event is read from.
#[derive(Debug, Clone, Copy)]
pub enum ChannelSource {
    /// No such attribute: every event counts under one unnamed channel.
    None,
    /// A text event attribute (column index).
    Event(usize),
    /// A text case attribute (column index).
    Case(usize),
}

/// Where the value of a case (for `--amount`) is read from.
#[derive(Debug, Clone)]
pub enum AmountSource {
    None,
    /// A case attribute: per case value (NaN when missing).
    Case(Vec<f64>),
    /// An event attribute: the first value present in the case.
    Event(usize),
}

/// The funnel kernel set up for the designed stages of a map.
#[derive(Debug, Clone)]
pub struct StageFunnel {
    pub matcher: FunnelMatcher,
    /// Whether the matcher reads per-event stage codes (`0` none, `k + 1` designed stage `k`)
    /// instead of the log's activity codes: needed when a stage rule has attribute conditions.
    pub by_stage_code: bool,
}

/// What the pass needs besides the journeys (made by [`plan::plan`]).
pub struct ScanPlan {
    pub rules: MapRules,
    /// The rules compiled by activity code.
    pub table: EventTable,
    /// For each map stage: its number on paths (designed stages `0..designed`, outcomes after).
    pub path_number: Vec<u16>,
    /// Number of designed stages (the funnel's levels).
    pub designed: usize,
    /// The event engine's funnel over the designed stages (one source of truth for levels
    /// and the times between stages).
    pub funnel: Option<StageFunnel>,
    /// Segment filters, one per persona that has one.
    pub segments: Vec<BoundConditions>,
    pub channel: ChannelSource,
    /// Number of channel codes; code `channels` is "no channel".
    pub channels: usize,
    pub amount: AmountSource,
    pub period: Option<Period>,
}

/// How often a step or touchpoint was used.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct UseTally {
    pub events: u64,
    pub cases: u64,
    /// Cases in which one of its activities occurred more than once.
    pub repeat_cases: u64,
    /// Repeating cases that did not reach the last designed stage.
    pub repeat_lost: u64,
    /// Their summed amount.
    pub repeat_lost_value: f64,
}

impl UseTally {
    /// Counts one case with `events` events of it, `repeated` when one of its activities
    /// occurred more than once; `lost_amount` is the case's amount when it did not reach
    /// the last designed stage (0 otherwise), added only `with_amount`.
    #[inline]
    pub fn count_case(
        &mut self,
        events: u64,
        repeated: bool,
        lost: bool,
        (lost_amount, with_amount): (f64, bool),
    ) {
        self.events += events;
        self.cases += 1;
        self.repeat_cases += u64::from(repeated);
        self.repeat_lost += u64::from(repeated && lost);
        if with_amount {
            self.repeat_lost_value += if repeated { lost_amount } else { 0.0 };
        }
    }

    /// Adds another tally of the same step or touchpoint.
    pub fn add(&mut self, other: &UseTally) {
        self.events += other.events;
        self.cases += other.cases;
        self.repeat_cases += other.repeat_cases;
        self.repeat_lost += other.repeat_lost;
        self.repeat_lost_value += other.repeat_lost_value;
    }
}

/// Everything counted over one segment of cases. Persona segments count only what
/// persona measures report: their `channel_funnel`, `steps`, `touchpoints`, `periods`,
/// `conformance.paths`, `stage_rule_hits`, `unmatched` and `claimed_twice` stay at zero
/// (or empty).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Tally {
    pub cases: u64,
    /// The earliest and the latest event of the cases (`i64::MAX` and `i64::MIN` for no
    /// case).
    pub first_us: i64,
    pub last_us: i64,
    /// Histogram of funnel levels `0..=designed`.
    pub levels: Vec<u64>,
    /// Per map stage: cases with any of its events, in any order.
    pub touched: Vec<u64>,
    /// Per map stage: events.
    pub stage_events: Vec<u64>,
    /// The times between designed stages, per stage and period.
    pub waits: Waits,
    /// Per map stage, per channel code: `[events, cases]`.
    pub stage_channels: Vec<Vec<[u64; 2]>>,
    /// Per designed stage, per channel code: cases at the stage (funnel) that used the
    /// channel there, and how many of them reached the next stage.
    pub channel_funnel: Vec<Vec<[u64; 2]>>,
    pub steps: Vec<UseTally>,
    pub touchpoints: Vec<UseTally>,
    pub conformance: ConformanceTally,
    /// Per designed stage: the last activity of the cases that stopped there, with counts.
    pub dropped_last: Vec<HashMap<u32, u64>>,
    /// Per designed stage: of the cases that stopped there, how many reached each outcome
    /// (in path-number order after the designed stages), plus a last entry for none.
    pub dropped_exit: Vec<Vec<u64>>,
    /// Per designed stage: the amount of the cases that stopped there.
    pub dropped_value: Vec<f64>,
    /// Per map stage: events its rule matches, whether or not an earlier stage claims them.
    pub stage_rule_hits: Vec<u64>,
    /// Per activity code: events that no stage, step or touchpoint rule matches.
    pub unmatched: Vec<u64>,
    /// `(first stage, second stage, activity code)`: events matched by both stage rules.
    pub claimed_twice: HashMap<(u16, u16, u32), u64>,
    /// Per period key (of the case's first event): funnel-level histogram.
    pub periods: BTreeMap<i64, Vec<u64>>,
}

impl Tally {
    /// An empty tally for the plan's map on `journeys`.
    pub fn new(plan: &ScanPlan, journeys: &Journeys<'_>) -> Self {
        let stages = plan.path_number.len();
        let d = plan.designed;
        let outcomes = stages - d;
        let chans = plan.channels + 1;
        Self {
            cases: 0,
            first_us: i64::MAX,
            last_us: i64::MIN,
            levels: vec![0; d + 1],
            touched: vec![0; stages],
            stage_events: vec![0; stages],
            waits: Waits::default(),
            stage_channels: vec![vec![[0; 2]; chans]; stages],
            channel_funnel: vec![vec![[0; 2]; chans]; d],
            steps: vec![UseTally::default(); plan.rules.steps.rules.len()],
            touchpoints: vec![UseTally::default(); plan.rules.touchpoints.rules.len()],
            conformance: ConformanceTally::new(d),
            dropped_last: vec![HashMap::new(); d],
            dropped_exit: vec![vec![0; outcomes + 1]; d],
            dropped_value: vec![0.0; d],
            stage_rule_hits: vec![0; stages],
            unmatched: vec![0; journeys.activity_names.len()],
            claimed_twice: HashMap::new(),
            periods: BTreeMap::new(),
        }
    }
}

/// The value of a case for `--amount`, or 0 when it has none.
#[inline]
pub fn case_amount(amount: &AmountSource, journeys: &Journeys<'_>, case: usize) -> f64 {
    let v = match amount {
        AmountSource::None => return 0.0,
        AmountSource::Case(values) => values.get(case).copied().unwrap_or(f64::NAN),
        AmountSource::Event(col) => journeys
            .case_range(case)
            .map(|e| numeric_at(&journeys.event_attributes[*col].values, e))
            .find(|v| !v.is_nan())
            .unwrap_or(f64::NAN),
    };
    if v.is_nan() { 0.0 } else { v }
}

/// The numeric value of a column at a row (text is parsed), NaN when missing.
pub fn numeric_at(values: &ColumnValues<'_>, row: usize) -> f64 {
    match values {
        ColumnValues::Int(v) => v
            .get(row)
            .filter(|&&x| x != i64::MIN)
            .map_or(f64::NAN, |&x| x as f64),
        ColumnValues::Float(v) => v.get(row).copied().unwrap_or(f64::NAN),
        ColumnValues::Text { codes, dict } => codes
            .get(row)
            .filter(|&&c| c != u32::MAX)
            .and_then(|&c| dict.get(c as usize).trim().parse().ok())
            .unwrap_or(f64::NAN),
        ColumnValues::Bool(_) | ColumnValues::Time(_) => f64::NAN,
    }
}

/// Runs the pass over all cases on all cores (see [`cjm_events::kernels::thread_count`])
/// and returns one tally per segment (index 0: all cases; then one per entry of
/// `plan.segments`).
pub fn scan(plan: &ScanPlan, journeys: &Journeys<'_>) -> Result<Vec<Tally>, InsightsError> {
    scan_on(plan, journeys, cjm_events::kernels::thread_count())
}

/// [`scan`] on `threads` threads.
pub fn scan_on(
    plan: &ScanPlan,
    journeys: &Journeys<'_>,
    threads: usize,
) -> Result<Vec<Tally>, InsightsError> {
    let all = Filter::default().select(journeys)?;
    let pass = pass::Pass::new(plan, journeys);
    let partial = cjm_events::kernels::run_on(&pass, &all, threads);
    Ok(pass.finish(partial, journeys))
}
