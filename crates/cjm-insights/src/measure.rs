//! The one pass over the journeys that gathers every measure of a build.
//!
//! Cases are split into ranges that run on all cores; each range fills its
//! own [`Tally`] per segment (all cases, then one per persona with a filter),
//! and the partial tallies are merged at the end.

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;

use cjm_events::Journeys;
use cjm_events::journeys::ColumnValues;
use cjm_events::kernels::funnel_chain::{FunnelMatcher, FunnelScratch};

use crate::conformance::{ConformanceTally, PathShape};
use crate::period::Period;
use crate::rules::{BoundConditions, MapRules};

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

/// What the pass needs besides the journeys.
pub struct ScanPlan<'a> {
    pub rules: &'a MapRules,
    /// For each map stage: its number on paths (designed stages `0..designed`, outcomes after).
    pub path_number: Vec<u16>,
    /// Number of designed stages (the funnel's levels).
    pub designed: usize,
    /// The event engine's funnel over the designed stages (one source of truth for levels
    /// and the times between stages).
    pub funnel: Option<&'a StageFunnel>,
    /// Segment filters, one per persona that has one.
    pub segments: Vec<BoundConditions>,
    pub channel: ChannelSource,
    /// Number of channel codes; code `channels` is "no channel".
    pub channels: usize,
    pub amount: AmountSource,
    pub period: Option<Period>,
}

/// The time one case took to reach a designed stage from the previous one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Wait {
    pub case: u32,
    /// The case's funnel level (whether it went on to the end).
    pub level: u8,
    pub us: i64,
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

/// Everything counted over one segment of cases.
#[derive(Debug, Clone, Default)]
pub struct Tally {
    pub cases: u64,
    /// Histogram of funnel levels `0..=designed`.
    pub levels: Vec<u64>,
    /// Per map stage: cases with any of its events, in any order.
    pub touched: Vec<u64>,
    /// Per map stage: events.
    pub stage_events: Vec<u64>,
    /// Per designed stage `k >= 1`: `(case, microseconds from stage k-1)`; index 0 stays empty.
    pub waits: Vec<Vec<Wait>>,
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
    fn new(plan: &ScanPlan<'_>, journeys: &Journeys<'_>) -> Self {
        let stages = plan.path_number.len();
        let d = plan.designed;
        let outcomes = stages - d;
        let chans = plan.channels + 1;
        Self {
            cases: 0,
            levels: vec![0; d + 1],
            touched: vec![0; stages],
            stage_events: vec![0; stages],
            waits: vec![Vec::new(); d],
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

    fn merge(&mut self, other: Tally) {
        fn add(a: &mut [u64], b: &[u64]) {
            a.iter_mut().zip(b).for_each(|(x, y)| *x += y);
        }
        self.cases += other.cases;
        add(&mut self.levels, &other.levels);
        add(&mut self.touched, &other.touched);
        add(&mut self.stage_events, &other.stage_events);
        for (a, b) in self.waits.iter_mut().zip(other.waits) {
            a.extend(b);
        }
        for (a, b) in self.stage_channels.iter_mut().zip(&other.stage_channels) {
            a.iter_mut()
                .zip(b)
                .for_each(|(x, y)| *x = [x[0] + y[0], x[1] + y[1]]);
        }
        for (a, b) in self.channel_funnel.iter_mut().zip(&other.channel_funnel) {
            a.iter_mut()
                .zip(b)
                .for_each(|(x, y)| *x = [x[0] + y[0], x[1] + y[1]]);
        }
        for (a, b) in self
            .steps
            .iter_mut()
            .chain(self.touchpoints.iter_mut())
            .zip(other.steps.iter().chain(other.touchpoints.iter()))
        {
            a.events += b.events;
            a.cases += b.cases;
            a.repeat_cases += b.repeat_cases;
            a.repeat_lost += b.repeat_lost;
            a.repeat_lost_value += b.repeat_lost_value;
        }
        self.conformance.merge(other.conformance);
        for (a, b) in self.dropped_last.iter_mut().zip(other.dropped_last) {
            for (k, v) in b {
                *a.entry(k).or_default() += v;
            }
        }
        for (a, b) in self.dropped_exit.iter_mut().zip(&other.dropped_exit) {
            add(a, b);
        }
        for (a, b) in self.dropped_value.iter_mut().zip(&other.dropped_value) {
            *a += b;
        }
        add(&mut self.stage_rule_hits, &other.stage_rule_hits);
        add(&mut self.unmatched, &other.unmatched);
        for (k, v) in other.claimed_twice {
            *self.claimed_twice.entry(k).or_default() += v;
        }
        for (k, v) in other.periods {
            let slot = self.periods.entry(k).or_insert_with(|| vec![0; v.len()]);
            add(slot, &v);
        }
    }
}

/// Per-case working memory, reused from case to case.
struct Scratch {
    /// Per map stage: whether the case has one of its events.
    touched: Vec<bool>,
    step_uses: Vec<u32>,
    touchpoint_uses: Vec<u32>,
    /// `(step, or steps + touchpoint, activity code)` of every use, to find repeats.
    use_pairs: Vec<(u32, u32)>,
    /// Per step, then per touchpoint: whether one of its activities occurred twice.
    repeated: Vec<bool>,
    stage_channel_seen: Vec<(u16, u32)>,
    path: Vec<u16>,
    /// Per event of the case: its stage code for the funnel (when `by_stage_code`).
    stage_codes: Vec<u32>,
    /// The shape of `path`, read once and added to every segment of the case.
    shape: PathShape,
}

/// The value of a case for `--amount`, or 0 when it has none.
pub fn case_amount(amount: &AmountSource, journeys: &Journeys<'_>, case: usize) -> f64 {
    let v = match amount {
        AmountSource::None => f64::NAN,
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

fn channel_code(plan: &ScanPlan<'_>, journeys: &Journeys<'_>, case: usize, event: usize) -> u32 {
    let none = plan.channels as u32;
    let (values, row) = match plan.channel {
        ChannelSource::None => return none,
        ChannelSource::Event(col) => (&journeys.event_attributes[col].values, event),
        ChannelSource::Case(col) => (&journeys.case_attributes[col].values, case),
    };
    match values {
        ColumnValues::Text { codes, .. } => codes
            .get(row)
            .copied()
            .filter(|&c| (c as usize) < plan.channels)
            .unwrap_or(none),
        _ => none,
    }
}

/// Runs the pass over all cases, in parallel, and returns one tally per segment
/// (index 0: all cases; then one per entry of `plan.segments`).
pub fn scan(plan: &ScanPlan<'_>, journeys: &Journeys<'_>) -> Vec<Tally> {
    let cases = journeys.case_count();
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = cases.div_ceil(threads * 4).max(1024);
    let ranges: Vec<Range<usize>> = (0..cases)
        .step_by(chunk)
        .map(|s| s..(s + chunk).min(cases))
        .collect();
    let next = std::sync::atomic::AtomicUsize::new(0);
    let partials: Vec<Vec<Tally>> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads.min(ranges.len()).max(1))
            .map(|_| {
                scope.spawn(|| {
                    let mut tallies = new_tallies(plan, journeys);
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(range) = ranges.get(i) else { break };
                        scan_range(plan, journeys, range.clone(), &mut tallies);
                    }
                    tallies
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|w| w.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    });
    let mut total = new_tallies(plan, journeys);
    for part in partials {
        for (t, p) in total.iter_mut().zip(part) {
            t.merge(p);
        }
    }
    total
}

fn new_tallies(plan: &ScanPlan<'_>, journeys: &Journeys<'_>) -> Vec<Tally> {
    (0..=plan.segments.len())
        .map(|_| Tally::new(plan, journeys))
        .collect()
}

fn scan_range(
    plan: &ScanPlan<'_>,
    journeys: &Journeys<'_>,
    cases: Range<usize>,
    tallies: &mut [Tally],
) {
    let rules = plan.rules;
    let stages = plan.path_number.len();
    let mut s = Scratch {
        touched: vec![false; stages],
        step_uses: vec![0; rules.steps.rules.len()],
        touchpoint_uses: vec![0; rules.touchpoints.rules.len()],
        use_pairs: Vec::new(),
        repeated: vec![false; rules.steps.rules.len() + rules.touchpoints.rules.len()],
        stage_channel_seen: Vec::new(),
        path: Vec::new(),
        stage_codes: Vec::new(),
        shape: PathShape::default(),
    };
    let mut funnel_scratch = FunnelScratch::default();
    let mut segments: Vec<usize> = Vec::with_capacity(tallies.len());
    for case in cases {
        let events = journeys.case_range(case);
        if events.is_empty() {
            continue;
        }
        segments.clear();
        segments.push(0);
        for (i, seg) in plan.segments.iter().enumerate() {
            if seg.hold_for_case(journeys, case) {
                segments.push(i + 1);
            }
        }
        s.touched.iter_mut().for_each(|t| *t = false);
        s.stage_channel_seen.clear();
        s.path.clear();
        s.stage_codes.clear();
        s.step_uses.iter_mut().for_each(|n| *n = 0);
        s.touchpoint_uses.iter_mut().for_each(|n| *n = 0);
        s.use_pairs.clear();
        s.repeated.iter_mut().for_each(|r| *r = false);
        for e in events.clone() {
            let mut stage = None;
            for hit in rules.stages.matching(journeys, case, e) {
                tallies[0].stage_rule_hits[hit] += 1;
                match stage {
                    None => stage = Some(hit),
                    Some(first) => {
                        let key = (first as u16, hit as u16, journeys.activity[e]);
                        *tallies[0].claimed_twice.entry(key).or_default() += 1;
                    }
                }
            }
            let mut matched = stage.is_some();
            let number = stage.map(|first| plan.path_number[first]);
            if plan.funnel.is_some_and(|f| f.by_stage_code) {
                s.stage_codes.push(match number {
                    Some(n) if (n as usize) < plan.designed => u32::from(n) + 1,
                    _ => 0,
                });
            }
            if let (Some(first), Some(number)) = (stage, number) {
                if s.path.last() != Some(&number) {
                    s.path.push(number);
                }
                s.touched[first] = true;
                let chan = channel_code(plan, journeys, case, e);
                let key = (first as u16, chan);
                let new_pair = !s.stage_channel_seen.contains(&key);
                if new_pair {
                    s.stage_channel_seen.push(key);
                }
                for &seg in &segments {
                    let t = &mut tallies[seg];
                    t.stage_events[first] += 1;
                    t.stage_channels[first][chan as usize][0] += 1;
                    if new_pair {
                        t.stage_channels[first][chan as usize][1] += 1;
                    }
                }
            }
            for i in rules.steps.matching(journeys, case, e) {
                s.step_uses[i] += 1;
                s.use_pairs.push((i as u32, journeys.activity[e]));
                matched = true;
            }
            for i in rules.touchpoints.matching(journeys, case, e) {
                s.touchpoint_uses[i] += 1;
                let target = (rules.steps.rules.len() + i) as u32;
                s.use_pairs.push((target, journeys.activity[e]));
                matched = true;
            }
            if !matched {
                tallies[0].unmatched[journeys.activity[e] as usize] += 1;
            }
        }
        s.shape.read(&s.path, plan.designed);
        s.use_pairs.sort_unstable();
        for pair in s.use_pairs.windows(2) {
            if pair[0] == pair[1] {
                s.repeated[pair[0].0 as usize] = true;
            }
        }
        let (level, step_us) = match plan.funnel {
            Some(funnel) => {
                let activity = if funnel.by_stage_code {
                    &s.stage_codes[..]
                } else {
                    &journeys.activity[events.clone()]
                };
                let reached = funnel.matcher.matches(
                    activity,
                    &journeys.timestamp_us[events.clone()],
                    &mut funnel_scratch,
                );
                (reached.level.min(plan.designed), reached.step_us)
            }
            None => (0, &[][..]),
        };
        finish_case(
            plan,
            journeys,
            case,
            &s,
            (level, step_us),
            &segments,
            tallies,
        );
    }
}

fn finish_case(
    plan: &ScanPlan<'_>,
    journeys: &Journeys<'_>,
    case: usize,
    s: &Scratch,
    (level, step_us): (usize, &[i64]),
    segments: &[usize],
    tallies: &mut [Tally],
) {
    let d = plan.designed;
    let amount = case_amount(&plan.amount, journeys, case);
    let period = plan.period.map(|p| {
        let first = journeys.timestamp_us[journeys.case_range(case).start];
        p.key(first)
    });
    let events = journeys.case_range(case);
    let last_activity = journeys.activity[events.end - 1];
    for &seg in segments {
        let t = &mut tallies[seg];
        t.cases += 1;
        t.levels[level] += 1;
        for (stage, &touched) in s.touched.iter().enumerate() {
            if touched {
                t.touched[stage] += 1;
            }
        }
        for k in 1..level {
            t.waits[k].push(Wait {
                case: case as u32,
                level: level as u8,
                us: step_us[k] - step_us[k - 1],
            });
        }
        for &(stage, chan) in &s.stage_channel_seen {
            let k = plan.path_number[stage as usize] as usize;
            if k < d && level > k {
                let cell = &mut t.channel_funnel[k][chan as usize];
                cell[0] += 1;
                if level > k + 1 {
                    cell[1] += 1;
                }
            }
        }
        let uses = s.step_uses.iter().chain(&s.touchpoint_uses);
        let tallies = t.steps.iter_mut().chain(t.touchpoints.iter_mut());
        for ((uses, tally), &repeated) in uses.zip(tallies).zip(&s.repeated) {
            if *uses > 0 {
                tally.events += u64::from(*uses);
                tally.cases += 1;
                if repeated {
                    tally.repeat_cases += 1;
                    if level < d {
                        tally.repeat_lost += 1;
                        tally.repeat_lost_value += amount;
                    }
                }
            }
        }
        t.conformance
            .add_shape(&s.path, &s.shape, (level < d).then_some(amount));
        if level >= 1 && level < d {
            let k = level - 1;
            *t.dropped_last[k].entry(last_activity).or_default() += 1;
            let exit = s
                .path
                .iter()
                .rev()
                .find(|&&n| n as usize >= d)
                .map_or(t.dropped_exit[k].len() - 1, |&n| n as usize - d);
            t.dropped_exit[k][exit] += 1;
            t.dropped_value[k] += amount;
        }
        if let Some(key) = period {
            t.periods.entry(key).or_insert_with(|| vec![0; d + 1])[level] += 1;
        }
    }
}
