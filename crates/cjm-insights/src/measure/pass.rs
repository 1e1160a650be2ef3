//! The measuring pass as a `cjm-events` kernel: each case's combination of segments (all
//! cases, and the personas whose filters hold) is found first; its events are then read
//! once, each added straight to the totals while sets of bits keep what the case touched
//! (see [`super::scratch`]), and the end of the case adds one increment per member of
//! those sets to the partial totals of its combination; each segment's totals are the sum
//! of the combinations that hold it (see [`super::partial`]).
//!
//! Stage paths are numbered as they are first seen, so that a case's path (and with it
//! conformance and the stages the case touched) counts with one increment.
//!
//! The stage funnel's levels come from the event engine's funnel matcher: where its plain
//! match applies, the event loop feeds it each event as it reads it (one pass over the
//! events for every measure); otherwise the matcher takes each case after it is read.

use std::ops::Range;

use cjm_events::Journeys;
use cjm_events::filter::Selection;
use cjm_events::journeys::ColumnValues;
use cjm_events::kernels::Kernel;
use cjm_events::kernels::funnel_chain::{FunnelScratch, MAX_STEPS};
use cjm_events::kernels::funnel_plain::{PlainFunnel, SPARE};
use rustc_hash::FxHashMap;

use super::partial::{
    ActivityCases, NO_KEY, PACKED_NUMBERS, PACKED_STAGES, Partial, RECENT_PATHS, add,
};
use super::scratch::{Bits, CaseChannels, Code, EventCounts, Scratch, Sizes, Wide, each_member};
use super::table::NO_STAGE;
use super::{AmountSource, ChannelSource, ScanPlan, UseTally, case_amount};
use crate::conformance::PathCases;
use crate::rules::SegmentFilters;

/// The path number standing for "tested event by event" in [`Pass`]'s per-activity table.
const TESTED: u16 = NO_STAGE - 1;

/// The pass over one plan.
pub struct Pass<'p> {
    pub(super) plan: &'p ScanPlan,
    pub(super) activities: usize,
    /// Channel codes, "no channel" included.
    pub(super) chans: usize,
    /// Map stages.
    pub(super) stages: usize,
    /// Steps, then touchpoints.
    pub(super) targets: usize,
    /// Per activity code: where its events are counted.
    codes: Vec<Code>,
    /// Whether no activity's events are tested one by one and the funnel reads activity
    /// codes, not per-event stage codes (then cases are read by [`Scratch::read_fixed`]).
    all_fixed: bool,
    /// The persona filters, read while the events go by.
    filters: SegmentFilters,
    /// Per stage cell (`stage * chans + channel`): its stage's path number.
    pub(super) cell_numbers: Vec<u16>,
    /// Whether some fixed activity has use targets counted per case (not solo).
    any_fixed_targets: bool,
    /// Whether an amount attribute is named.
    with_amount: bool,
    /// The stage funnel's plain match, fed each case's events as they are read (when the
    /// cases are read by [`Scratch::read_fixed`] and the match applies).
    fed: Option<&'p PlainFunnel>,
}

/// Where the pass reads channel codes.
enum Channels<'j> {
    /// Every event has this code.
    Fixed(u32),
    Event(&'j [u32]),
    Case(&'j [u32]),
}

impl<'j> Channels<'j> {
    fn new(plan: &ScanPlan, journeys: &'j Journeys<'j>) -> Self {
        let none = plan.channels as u32;
        let text = |values: &'j ColumnValues<'j>| match values {
            ColumnValues::Text { codes, .. } => Some(*codes),
            _ => None,
        };
        match plan.channel {
            ChannelSource::None => Channels::Fixed(none),
            ChannelSource::Event(col) => journeys
                .event_attributes
                .get(col)
                .and_then(|c| text(&c.values))
                .map_or(Channels::Fixed(none), Channels::Event),
            ChannelSource::Case(col) => journeys
                .case_attributes
                .get(col)
                .and_then(|c| text(&c.values))
                .map_or(Channels::Fixed(none), Channels::Case),
        }
    }

    /// The code at `row` of `codes`, or `none` when missing or out of range.
    fn code(codes: &[u32], row: usize, none: u32) -> u32 {
        codes
            .get(row)
            .copied()
            .filter(|&c| c < none)
            .unwrap_or(none)
    }
}

impl<'p> Pass<'p> {
    /// The pass of `plan` over `journeys`.
    pub fn new(plan: &'p ScanPlan, journeys: &Journeys<'_>) -> Self {
        let all_fixed = plan.table.fixed.iter().all(|f| !f.conditional)
            && !plan.funnel.as_ref().is_some_and(|f| f.by_stage_code);
        let fed = plan
            .funnel
            .as_ref()
            .and_then(|f| f.matcher.plain())
            .filter(|_| all_fixed);
        Self {
            plan,
            activities: journeys.activity_names.len(),
            chans: plan.channels + 1,
            stages: plan.path_number.len(),
            targets: plan.rules.steps.rules.len() + plan.rules.touchpoints.rules.len(),
            filters: SegmentFilters::new(&plan.segments),
            cell_numbers: (0..plan.path_number.len() * (plan.channels + 1))
                .map(|cell| plan.path_number[cell / (plan.channels + 1)])
                .collect(),
            any_fixed_targets: plan.table.solo.iter().any(Option::is_none),
            with_amount: !matches!(plan.amount, AmountSource::None),
            all_fixed,
            fed,
            codes: plan
                .table
                .fixed
                .iter()
                .enumerate()
                .map(|(code, f)| {
                    let (stage, number) = match f.stage {
                        _ if f.conditional => (NO_STAGE, TESTED),
                        NO_STAGE => (NO_STAGE, NO_STAGE),
                        stage => (stage, plan.path_number[stage as usize]),
                    };
                    Code {
                        row: Self::row(stage, plan.path_number.len(), plan.channels + 1),
                        number,
                        step: fed.map_or(SPARE, |funnel| funnel.step_of(code as u32)),
                    }
                })
                .collect(),
        }
    }

    /// The first cell of the row of map stage `stage` ([`NO_STAGE`]: the sink cell).
    fn row(stage: u16, stages: usize, chans: usize) -> u32 {
        let row = if stage == NO_STAGE {
            stages
        } else {
            stage as usize
        };
        (row * chans) as u32
    }

    /// The sizes of the pass's scratch arrays.
    fn sizes(&self) -> Sizes {
        Sizes {
            activities: self.activities,
            stages: self.stages,
            chans: self.chans,
            targets: self.targets,
            slots: self.plan.table.use_targets.len(),
        }
    }

    /// Places the events of a case when some activity's events are tested one by one
    /// (rules with attribute conditions): tests them, records their uses, and makes the
    /// funnel's stage codes when it reads them; [`Scratch::read_placed`] then reads them.
    fn place_tested(
        &self,
        journeys: &Journeys<'_>,
        case: usize,
        s: &mut Scratch<impl Bits>,
        partial: &mut Partial,
    ) {
        let plan = self.plan;
        let d = plan.designed;
        let by_stage_code = plan.funnel.as_ref().is_some_and(|f| f.by_stage_code);
        for e in journeys.case_range(case) {
            let code = journeys.activity[e];
            let fixed = self.codes[code as usize];
            let placed = if fixed.number == TESTED {
                let stage = self.tested_event(journeys, (case, e, code as usize), s, partial);
                let number = match stage {
                    NO_STAGE => NO_STAGE,
                    _ => plan.path_number[stage as usize],
                };
                let row = Self::row(stage, self.stages, self.chans);
                let step = SPARE;
                (code, Code { row, number, step }, false)
            } else {
                (code, fixed, true)
            };
            s.event_codes.push(placed);
            if by_stage_code {
                let number = placed.1.number;
                s.stage_codes.push(if (number as usize) < d {
                    u32::from(number) + 1
                } else {
                    0
                });
            }
        }
    }

    /// Reads an event of an activity that some candidate rule restricts with conditions:
    /// tests the rules, records the uses, and returns the stage (or [`NO_STAGE`]).
    fn tested_event(
        &self,
        journeys: &Journeys<'_>,
        (case, event, code): (usize, usize, usize),
        s: &mut Scratch<impl Bits>,
        partial: &mut Partial,
    ) -> u16 {
        let rules = &self.plan.rules;
        let table = &self.plan.table;
        let mut stage = NO_STAGE;
        for &hit in table.stage_candidates(code) {
            if !rules.stages.rules[hit as usize]
                .conditions
                .hold(journeys, case, event)
            {
                continue;
            }
            partial.stage_rule_hits[hit as usize] += 1;
            if stage == NO_STAGE {
                stage = hit;
            } else {
                *partial
                    .claimed_twice
                    .entry((stage, hit, code as u32))
                    .or_default() += 1;
            }
        }
        let mut matched = stage != NO_STAGE;
        for slot in table.use_slots(code) {
            let target = table.use_targets[slot];
            if table.use_holds(rules, target, journeys, case, event) {
                s.tested_use(slot, target);
                matched = true;
            }
        }
        if !matched {
            partial.unmatched[code] += 1;
        }
        stage
    }

    /// Adds a read case to the partial totals of its combination of segments (number
    /// `combo`), and resets what it touched in the scratch. Inlined into the loop over
    /// the cases: out of line, passing its arguments and saving registers cost 3 % of a
    /// build.
    #[inline(always)]
    fn add_case<B: Bits>(
        &self,
        journeys: &Journeys<'_>,
        (events, combo): (Range<usize>, usize),
        ((level, step_us), amount): ((usize, &[i64]), f64),
        s: &mut Scratch<B>,
        partial: &mut Partial,
    ) {
        let plan = self.plan;
        let d = plan.designed;
        let lost = level < d;
        let with_amount = self.with_amount;
        // Branch-free where the data decides: lost cases and repeats are about half.
        let lost_amount = if lost { amount } else { 0.0 };
        let (seen, twice) = (std::mem::take(&mut s.seen), std::mem::take(&mut s.twice));
        each_member(&seen, |a| {
            let repeated = twice.contains(a);
            partial.activity_cases[a].count(repeated, lost, (lost_amount, with_amount));
            if self.any_fixed_targets {
                for &target in plan.table.fixed_targets(a) {
                    s.fixed_use(target, repeated);
                }
            }
        });
        (s.seen, s.twice) = (seen, twice);
        let path = s.path();
        // The key built as the events went by is the path's packed key when the path is
        // short and every stage number fits in a digit.
        let short = path.len() <= PACKED_STAGES && self.stages <= usize::from(PACKED_NUMBERS);
        let key = short.then_some(s.path_key);
        let path = (!path.is_empty()).then(|| partial.path_number_of(path, key));
        let first_us = journeys.timestamp_us[events.start];
        let period = plan.period.map(|p| partial.period_number(p.key(first_us)));
        let targets = std::mem::take(&mut s.targets);
        each_member(&targets, |target| {
            let events = std::mem::take(&mut s.target_events[target]);
            let repeated = s.repeated.contains(target);
            partial.uses[target].count_case(events, repeated, lost, (lost_amount, with_amount));
        });
        s.targets = targets;
        let t = &mut partial.combos[combo];
        t.cases += 1;
        t.levels[level] += 1;
        t.first_us = t.first_us.min(first_us);
        t.last_us = t.last_us.max(journeys.timestamp_us[events.end - 1]);
        if level >= 2 {
            t.wait_part(period.unwrap_or(0), d)
                .add(step_us, lost.then_some(amount), with_amount);
        }
        each_member(&s.cells, |cell| t.cell_levels[cell * (d + 1) + level] += 1);
        if let Some(p) = path {
            if t.paths.len() <= p {
                t.paths.resize(p + 1, PathCases::default());
            }
            let n = &mut t.paths[p];
            n.cases += 1;
            n.lost += u64::from(lost);
            if with_amount {
                n.lost_value += lost_amount;
            }
        }
        if level >= 1 && lost {
            let k = level - 1;
            let last_activity = journeys.activity[events.end - 1] as usize;
            t.dropped_last[k * self.activities + last_activity] += 1;
            let outcomes = self.stages - d;
            let last_outcome = || s.path().iter().rev().find(|&&n| n as usize >= d);
            let exit = match outcomes {
                0 => 0,
                _ => last_outcome().map_or(outcomes, |&n| n as usize - d),
            };
            t.dropped_exit[k][exit] += 1;
            t.dropped_value[k] += amount;
        }
        if let Some(p) = period {
            if t.periods.len() <= p {
                t.periods.resize(p + 1, vec![0; d + 1]);
            }
            t.periods[p][level] += 1;
        }
        s.clear();
    }

    /// The pass over a range of cases with per-case sets of type `B`.
    fn scan_cases<B: Bits>(
        &self,
        journeys: &Journeys<'_>,
        cases: Range<usize>,
        partial: &mut Partial,
    ) {
        let plan = self.plan;
        let d = plan.designed;
        let channels = Channels::new(plan, journeys);
        let none = plan.channels as u32;
        let filters = &self.filters;
        let filter_codes: &[u32] = filters
            .column
            .and_then(|col| match &journeys.event_attributes.get(col)?.values {
                ColumnValues::Text { codes, .. } => Some(*codes),
                _ => None,
            })
            .unwrap_or(&[]);
        let mut s = Scratch::<B>::new(&self.sizes());
        let mut funnel_scratch = FunnelScratch::default();
        let mut chain = [0i64; MAX_STEPS];
        for case in cases.clone() {
            let events = journeys.case_range(case);
            if events.is_empty() {
                continue;
            }
            let case_chan = match channels {
                Channels::Fixed(c) => c,
                Channels::Case(codes) => Channels::code(codes, case, none),
                Channels::Event(_) => none,
            };
            s.fit(events.len());
            let event_chans = match channels {
                Channels::Event(codes) => codes
                    .get(events.start..events.end.min(codes.len()))
                    .unwrap_or(&[]),
                _ => &[],
            };
            let case_channels = CaseChannels {
                events: event_chans,
                case: case_chan,
                none,
            };
            let (activity, times) = (
                &journeys.activity[events.clone()],
                &journeys.timestamp_us[events.clone()],
            );
            let seen = filter_codes
                .get(events.clone())
                .unwrap_or(&[])
                .iter()
                .fold(0, |seen, &value| seen | filters.bits_of(value));
            let mask = 1 | filters.segments_of(seen, journeys, case);
            let combo = partial.combo_number(mask, || self.empty_segment());
            if !self.all_fixed {
                self.place_tested(journeys, case, &mut s, partial);
            }
            let counts = EventCounts {
                activities: &mut partial.activity_events,
                cells: &mut partial.combos[combo].cell_events,
            };
            if self.all_fixed {
                s.read_fixed(
                    activity,
                    &self.codes,
                    &case_channels,
                    (self.fed, times),
                    counts,
                );
            } else {
                s.read_placed(&case_channels, counts);
            }
            let fed_level = self
                .fed
                .and_then(|funnel| funnel.finish_case(s.case_end, &s.links, times, &mut chain));
            let reached = match (&plan.funnel, fed_level) {
                (Some(_), Some(level)) => (level.min(d), &chain[..level.min(d)]),
                (Some(funnel), None) => {
                    let codes = if funnel.by_stage_code {
                        &s.stage_codes[..]
                    } else {
                        activity
                    };
                    let r = funnel.matcher.matches(codes, times, &mut funnel_scratch);
                    (r.level.min(d), r.step_us)
                }
                (None, _) => (0, &[][..]),
            };
            let amount = case_amount(&plan.amount, journeys, case);
            let case_at = (events, combo);
            self.add_case(journeys, case_at, (reached, amount), &mut s, partial);
        }
    }
}

impl Kernel for Pass<'_> {
    type Partial = Partial;

    fn empty(&self) -> Partial {
        Partial {
            combos: Vec::new(),
            combo_masks: Vec::new(),
            combo_numbers: FxHashMap::default(),
            small_combos: Vec::new(),
            short_path_numbers: FxHashMap::default(),
            recent_paths: vec![(NO_KEY, 0); RECENT_PATHS],
            path_numbers: FxHashMap::default(),
            paths: Vec::new(),
            period_numbers: FxHashMap::default(),
            periods: Vec::new(),
            activity_cases: vec![ActivityCases::default(); self.activities],
            activity_events: vec![0; self.activities],
            uses: vec![UseTally::default(); self.targets],
            stage_rule_hits: vec![0; self.stages],
            claimed_twice: FxHashMap::default(),
            unmatched: vec![0; self.activities],
        }
    }

    fn scan(&self, selection: &Selection<'_>, cases: Range<usize>, partial: &mut Partial) {
        let journeys = selection.journeys();
        if self.sizes().fit_word() {
            self.scan_cases::<u64>(journeys, cases, partial);
        } else {
            self.scan_cases::<Wide>(journeys, cases, partial);
        }
    }

    fn merge(&self, into: &mut Partial, mut other: Partial) {
        let path_map: Vec<usize> = other.paths.iter().map(|p| into.path_number(p)).collect();
        let period_map: Vec<usize> = other
            .periods
            .iter()
            .map(|&k| into.period_number(k))
            .collect();
        for (a, b) in into.activity_cases.iter_mut().zip(&other.activity_cases) {
            a.add(b);
        }
        for (a, b) in into.uses.iter_mut().zip(&other.uses) {
            a.add(b);
        }
        add(&mut into.activity_events, &other.activity_events);
        add(&mut into.stage_rule_hits, &other.stage_rule_hits);
        add(&mut into.unmatched, &other.unmatched);
        for (k, v) in other.claimed_twice {
            *into.claimed_twice.entry(k).or_default() += v;
        }
        for (b, &mask) in other.combos.iter_mut().zip(&other.combo_masks) {
            let n = into.combo_number(mask, || self.empty_segment());
            into.combos[n].merge(b, &path_map, &period_map);
            into.combos[n].take_waits(b, &period_map);
        }
    }
}
