//! The partial results of the measuring pass: totals per combination of segments over a
//! range of cases, how they merge, and how the merged partial becomes one [`Tally`] per
//! segment (each distinct stage path read for conformance once, here).

use std::sync::Arc;

use cjm_events::Journeys;
use rustc_hash::FxHashMap;

use super::pass::Pass;
use super::waits::{WaitPart, Waits};
use super::{Tally, UseTally};
use crate::conformance::{PathCases, PathShape};

/// Totals of one combination of segments (or, summed, of one segment) over a range of cases.
#[derive(Debug, Clone)]
pub struct SegmentPartial {
    pub(super) cases: u64,
    /// The earliest and the latest event of the cases.
    pub(super) first_us: i64,
    pub(super) last_us: i64,
    pub(super) levels: Vec<u64>,
    /// Per stage cell `stage * chans + channel` (map stages), then the sink cell: events.
    pub(super) cell_events: Vec<u64>,
    /// Per stage cell and funnel level, at `cell * (designed + 1) + level`: cases with
    /// events in the cell.
    pub(super) cell_levels: Vec<u64>,
    /// By path number of the partial.
    pub(super) paths: Vec<PathCases>,
    /// Wait parts with the partial's number of their period (0 without periods).
    pub(super) waits: Vec<(usize, WaitPart)>,
    /// By period number: the index in `waits` of the part the scan appends to.
    pub(super) wait_part: Vec<u32>,
    /// Per designed stage `k` and activity `a`, at `k * activities + a`: cases that stopped
    /// at `k` whose last event was of `a`.
    pub(super) dropped_last: Vec<u64>,
    pub(super) dropped_exit: Vec<Vec<u64>>,
    pub(super) dropped_value: Vec<f64>,
    /// By period number of the partial: funnel-level histogram.
    pub(super) periods: Vec<Vec<u64>>,
}

/// What one range of cases yields.
#[derive(Debug, Clone)]
pub struct Partial {
    /// Totals per combination of segments, numbered in order of first sight.
    pub(super) combos: Vec<SegmentPartial>,
    /// Per combination: bit `i` set when segment `i` holds it (bit 0, all cases, always).
    pub(super) combo_masks: Vec<u64>,
    pub(super) combo_numbers: FxHashMap<u64, u32>,
    /// The numbers of combinations of the first segments (masks below [`SMALL_MASKS`]),
    /// [`NO_COMBO`] for none yet.
    pub(super) small_combos: Vec<u32>,
    /// Distinct stage paths, numbered in order of first sight: short ones by their
    /// [`packed`] key, the others by their stages.
    pub(super) short_path_numbers: FxHashMap<u64, u32>,
    /// A direct-mapped cache in front of `short_path_numbers`: `(packed key, number)`
    /// ([`NO_KEY`] when empty); most cases follow a few common paths.
    pub(super) recent_paths: Vec<(u64, u32)>,
    pub(super) path_numbers: FxHashMap<Box<[u16]>, u32>,
    pub(super) paths: Vec<Box<[u16]>>,
    /// Period keys, numbered in order of first sight.
    pub(super) period_numbers: FxHashMap<i64, u32>,
    pub(super) periods: Vec<i64>,
    /// Per activity code: cases as for a step that takes just that activity (counted for
    /// activities whose rules have no conditions; their events are in `activity_events`).
    pub(super) activity_cases: Vec<ActivityCases>,
    /// Per activity code: events (of activities whose rules have no conditions).
    pub(super) activity_events: Vec<u64>,
    /// Steps, then touchpoints, over all cases (persona measures report no uses): of the
    /// activities counted per activity, only the cases (their events are added by
    /// [`Pass::finish`]).
    pub(super) uses: Vec<UseTally>,
    /// Counted event by event, for activities whose rules have conditions.
    pub(super) stage_rule_hits: Vec<u64>,
    pub(super) claimed_twice: FxHashMap<(u16, u16, u32), u64>,
    pub(super) unmatched: Vec<u64>,
}

/// The cases in which an activity occurred, counted with one increment a case.
#[derive(Debug, Clone, Copy, Default)]
pub struct ActivityCases {
    /// Cases by `2 * repeated + lost`: whether the activity occurred more than once in
    /// the case, and whether the case did not reach the last designed stage.
    by_kind: [u64; 4],
    /// The summed amount of the lost cases that repeated the activity.
    repeat_lost_value: f64,
}

impl ActivityCases {
    /// Counts one case; `lost_amount` is the case's amount when it is lost (0 otherwise),
    /// added only `with_amount`.
    #[inline(always)]
    pub(super) fn count(
        &mut self,
        repeated: bool,
        lost: bool,
        (lost_amount, with_amount): (f64, bool),
    ) {
        self.by_kind[2 * usize::from(repeated) + usize::from(lost)] += 1;
        if with_amount {
            // A select, not a branch: repeats are about half of the cases.
            self.repeat_lost_value += if repeated { lost_amount } else { 0.0 };
        }
    }

    pub(super) fn add(&mut self, other: &ActivityCases) {
        add(&mut self.by_kind, &other.by_kind);
        self.repeat_lost_value += other.repeat_lost_value;
    }

    /// The tally of a step that takes just this activity, whose events were `events`.
    pub(super) fn tally(&self, events: u64) -> UseTally {
        let [_, _, repeat_kept, repeat_lost] = self.by_kind;
        UseTally {
            events,
            cases: self.by_kind.iter().sum(),
            repeat_cases: repeat_kept + repeat_lost,
            repeat_lost,
            repeat_lost_value: self.repeat_lost_value,
        }
    }
}

pub(super) fn add(a: &mut [u64], b: &[u64]) {
    a.iter_mut().zip(b).for_each(|(x, y)| *x += y);
}

/// Paths of at most this many stages, all numbered below [`PACKED_NUMBERS`], are
/// numbered by their [`packed`] key.
pub(super) const PACKED_STAGES: usize = 12;
pub(super) const PACKED_NUMBERS: u16 = 31;
/// Slots of [`Partial::recent_paths`].
pub(super) const RECENT_PATHS: usize = 8192;
/// An empty slot of [`Partial::recent_paths`] (packed keys use 60 bits at most).
pub(super) const NO_KEY: u64 = u64::MAX;
/// Combinations whose mask is below this are numbered through a table.
const SMALL_MASKS: u64 = 256;
const NO_COMBO: u32 = u32::MAX;

/// The packed key of a path extended by stage `n` (below [`PACKED_NUMBERS`]).
#[inline]
pub(super) fn pack_step(key: u64, n: u16) -> u64 {
    key << 5 | (u64::from(n) + 1)
}

/// A path of at most [`PACKED_STAGES`] stages numbered below [`PACKED_NUMBERS`] as one
/// number, 5 bits a stage (stage `n` as `n + 1`, so that no digit is 0 and paths of any
/// length differ).
fn packed(path: &[u16]) -> Option<u64> {
    if path.len() > PACKED_STAGES {
        return None;
    }
    path.iter().try_fold(0u64, |key, &n| {
        (n < PACKED_NUMBERS).then(|| pack_step(key, n))
    })
}

impl Partial {
    /// The number of a path, given its [`packed`] key when the caller has it at hand.
    pub(super) fn path_number_of(&mut self, path: &[u16], key: Option<u64>) -> usize {
        let Some(key) = key else {
            return self.path_number(path);
        };
        debug_assert_eq!(Some(key), packed(path));
        let slot = (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - RECENT_PATHS.trailing_zeros()))
            as usize;
        let (cached, n) = self.recent_paths[slot];
        if cached == key {
            return n as usize;
        }
        let n = self.path_number(path);
        self.recent_paths[slot] = (key, n as u32);
        n
    }

    pub(super) fn path_number(&mut self, path: &[u16]) -> usize {
        let next = self.paths.len() as u32;
        let n = match packed(path) {
            Some(key) => *self.short_path_numbers.entry(key).or_insert(next),
            None => match self.path_numbers.get(path) {
                Some(&n) => n,
                None => {
                    self.path_numbers.insert(path.into(), next);
                    next
                }
            },
        };
        if n == next {
            self.paths.push(path.into());
        }
        n as usize
    }

    pub(super) fn period_number(&mut self, key: i64) -> usize {
        let next = self.periods.len() as u32;
        let n = *self.period_numbers.entry(key).or_insert(next);
        if n == next {
            self.periods.push(key);
        }
        n as usize
    }

    #[inline]
    pub(super) fn combo_number(
        &mut self,
        mask: u64,
        empty: impl FnOnce() -> SegmentPartial,
    ) -> usize {
        match self.small_combos.get(mask as usize) {
            Some(&n) if n != NO_COMBO => n as usize,
            _ => self.new_combo_number(mask, empty),
        }
    }

    /// [`Partial::combo_number`] of a combination not in the table of small masks.
    #[cold]
    fn new_combo_number(&mut self, mask: u64, empty: impl FnOnce() -> SegmentPartial) -> usize {
        let next = self.combos.len() as u32;
        let n = if mask < SMALL_MASKS {
            if self.small_combos.is_empty() {
                self.small_combos = vec![NO_COMBO; SMALL_MASKS as usize];
            }
            let n = &mut self.small_combos[mask as usize];
            if *n == NO_COMBO {
                *n = next;
            }
            *n
        } else {
            *self.combo_numbers.entry(mask).or_insert(next)
        };
        if n == next {
            self.combos.push(empty());
            self.combo_masks.push(mask);
        }
        n as usize
    }
}

/// No wait part for a period yet.
const NO_PART: u32 = u32::MAX;

impl SegmentPartial {
    /// The wait part of period number `period` (0 without periods), made on first use.
    #[inline]
    pub(super) fn wait_part(&mut self, period: usize, designed: usize) -> &mut WaitPart {
        match self.wait_part.get(period) {
            Some(&part) if part != NO_PART => &mut self.waits[part as usize].1,
            _ => self.new_wait_part(period, designed),
        }
    }

    /// [`SegmentPartial::wait_part`] of a period that has none yet.
    #[cold]
    fn new_wait_part(&mut self, period: usize, designed: usize) -> &mut WaitPart {
        if self.wait_part.len() <= period {
            self.wait_part.resize(period + 1, NO_PART);
        }
        if self.wait_part[period] == NO_PART {
            self.wait_part[period] = self.waits.len() as u32;
            self.waits.push((period, WaitPart::new(designed, None)));
        }
        &mut self.waits[self.wait_part[period] as usize].1
    }

    /// Moves the wait parts of `other` here (their period numbers mapped by `period_map`;
    /// without periods, every part has number 0).
    pub(super) fn take_waits(&mut self, other: &mut SegmentPartial, period_map: &[usize]) {
        for (period, part) in other.waits.drain(..) {
            self.waits
                .push((period_map.get(period).copied().unwrap_or(0), part));
        }
    }

    /// Adds the counts of `other` (all but the waits), whose path and period numbers map
    /// to this one's by `path_map` and `period_map`.
    pub(super) fn merge(
        &mut self,
        other: &SegmentPartial,
        path_map: &[usize],
        period_map: &[usize],
    ) {
        self.cases += other.cases;
        self.first_us = self.first_us.min(other.first_us);
        self.last_us = self.last_us.max(other.last_us);
        add(&mut self.levels, &other.levels);
        add(&mut self.cell_events, &other.cell_events);
        add(&mut self.cell_levels, &other.cell_levels);
        for (b, &n) in other.paths.iter().zip(path_map) {
            if self.paths.len() <= n {
                self.paths.resize(n + 1, PathCases::default());
            }
            self.paths[n].merge(b);
        }
        add(&mut self.dropped_last, &other.dropped_last);
        for (a, b) in self.dropped_exit.iter_mut().zip(&other.dropped_exit) {
            add(a, b);
        }
        for (a, b) in self.dropped_value.iter_mut().zip(&other.dropped_value) {
            *a += b;
        }
        for (b, &n) in other.periods.iter().zip(period_map) {
            if self.periods.len() <= n {
                self.periods.resize(n + 1, vec![0; self.levels.len()]);
            }
            add(&mut self.periods[n], b);
        }
    }
}

impl Pass<'_> {
    /// Totals of no case.
    pub(super) fn empty_segment(&self) -> SegmentPartial {
        let d = self.plan.designed;
        let outcomes = self.stages - d;
        SegmentPartial {
            cases: 0,
            first_us: i64::MAX,
            last_us: i64::MIN,
            levels: vec![0; d + 1],
            cell_events: vec![0; self.stages * self.chans + 1],
            cell_levels: vec![0; self.stages * self.chans * (d + 1)],
            paths: Vec::new(),
            waits: Vec::new(),
            wait_part: Vec::new(),
            dropped_last: vec![0; d * self.activities],
            dropped_exit: vec![vec![0; outcomes + 1]; d],
            dropped_value: vec![0.0; d],
            periods: Vec::new(),
        }
    }

    /// Turns the merged partial into one tally per segment.
    pub fn finish(&self, partial: Partial, journeys: &Journeys<'_>) -> Vec<Tally> {
        let plan = self.plan;
        let d = plan.designed;
        let (activity_uses, uses) = self.add_activity_events(&partial);
        let mut stage_of_number = vec![0; self.stages];
        for (stage, &n) in plan.path_number.iter().enumerate() {
            stage_of_number[n as usize] = stage;
        }
        let paths: Vec<usize> = (0..partial.paths.len()).collect();
        let periods: Vec<usize> = (0..partial.periods.len()).collect();
        let mut combos = partial.combos;
        // Each combination's wait parts, shared by the segments that hold it.
        let wait_parts: Vec<Vec<Arc<WaitPart>>> = combos
            .iter_mut()
            .map(|combo| {
                combo
                    .waits
                    .drain(..)
                    .map(|(period, mut part)| {
                        part.period = plan.period.map(|_| partial.periods[period]);
                        Arc::new(part)
                    })
                    .collect()
            })
            .collect();
        let (mut tallies, segment_paths): (Vec<Tally>, Vec<Vec<PathCases>>) =
            (0..=plan.segments.len())
                .map(|i| {
                    let mut seg = self.empty_segment();
                    let mut waits = Waits::default();
                    for ((combo, parts), &mask) in
                        combos.iter().zip(&wait_parts).zip(&partial.combo_masks)
                    {
                        if mask & 1 << i != 0 {
                            seg.merge(combo, &paths, &periods);
                            waits.parts.extend(parts.iter().cloned());
                        }
                    }
                    let cells = self.cell_totals(&seg);
                    let mut t = Tally::new(plan, journeys);
                    t.cases = seg.cases;
                    t.first_us = seg.first_us;
                    t.last_us = seg.last_us;
                    t.levels = seg.levels;
                    let rows: Vec<&[[u64; 4]]> = cells.chunks(self.chans).collect();
                    t.stage_channels = rows
                        .iter()
                        .map(|row| row.iter().map(|c| [c[0], c[1]]).collect())
                        .collect();
                    t.stage_events = t
                        .stage_channels
                        .iter()
                        .map(|row| row.iter().map(|c| c[0]).sum())
                        .collect();
                    t.channel_funnel = stage_of_number[..d]
                        .iter()
                        .map(|&stage| rows[stage].iter().map(|c| [c[2], c[3]]).collect())
                        .collect();
                    t.steps = uses[..plan.table.steps].to_vec();
                    t.touchpoints = uses[plan.table.steps..].to_vec();
                    t.waits = waits;
                    let acts = self.activities;
                    t.dropped_last = (0..d)
                        .map(|k| {
                            (0u32..)
                                .zip(&seg.dropped_last[k * acts..(k + 1) * acts])
                                .filter(|(_, n)| **n > 0)
                                .map(|(a, &n)| (a, n))
                                .collect()
                        })
                        .collect();
                    t.dropped_exit = seg.dropped_exit;
                    t.dropped_value = seg.dropped_value;
                    t.periods = seg
                        .periods
                        .into_iter()
                        .zip(&partial.periods)
                        .filter(|(levels, _)| levels.iter().any(|&n| n > 0))
                        .map(|(levels, &key)| (key, levels))
                        .collect();
                    if i > 0 {
                        // Persona measures report stages only.
                        let empty = Tally::new(plan, journeys);
                        t.channel_funnel = empty.channel_funnel;
                        t.steps = empty.steps;
                        t.touchpoints = empty.touchpoints;
                        t.periods = empty.periods;
                    }
                    (t, seg.paths)
                })
                .unzip();
        self.add_paths(
            &partial.paths,
            &segment_paths,
            &stage_of_number,
            &mut tallies,
        );
        let all = &mut tallies[0];
        all.stage_rule_hits = partial.stage_rule_hits;
        all.unmatched = partial.unmatched;
        all.claimed_twice = partial.claimed_twice.into_iter().collect();
        let table = &plan.table;
        let steps = plan.table.steps;
        for (target, solo) in plan.table.solo.iter().enumerate() {
            if let Some(code) = solo {
                let tally = activity_uses[*code as usize];
                match target.checked_sub(steps) {
                    None => all.steps[target] = tally,
                    Some(t) => all.touchpoints[t] = tally,
                }
            }
        }
        for (code, u) in activity_uses.iter().enumerate() {
            let events = u.events;
            if events == 0 || table.fixed[code].conditional {
                continue;
            }
            let stages = table.stage_candidates(code);
            for (i, &hit) in stages.iter().enumerate() {
                all.stage_rule_hits[hit as usize] += events;
                if i > 0 {
                    *all.claimed_twice
                        .entry((stages[0], hit, code as u32))
                        .or_default() += events;
                }
            }
            if table.unclaimed(code) {
                all.unmatched[code] += events;
            }
        }
        tallies
    }

    /// The tallies of the activities counted per activity, and those of the use targets
    /// with the events of those activities added.
    fn add_activity_events(&self, partial: &Partial) -> (Vec<UseTally>, Vec<UseTally>) {
        let mut uses = partial.uses.clone();
        let mut activity_uses = Vec::with_capacity(self.activities);
        for (code, (cases, &events)) in partial
            .activity_cases
            .iter()
            .zip(&partial.activity_events)
            .enumerate()
        {
            activity_uses.push(cases.tally(events));
            for &target in self.plan.table.fixed_targets(code) {
                uses[target as usize].events += events;
            }
        }
        (activity_uses, uses)
    }

    /// Per stage cell of a segment: `[events, cases, cases past the stage's funnel level,
    /// of them past the next]` (the last two read for designed stages only).
    fn cell_totals(&self, seg: &SegmentPartial) -> Vec<[u64; 4]> {
        let levels = self.plan.designed + 1;
        (0..self.stages * self.chans)
            .map(|cell| {
                let k = usize::from(self.cell_numbers[cell]);
                let by_level = &seg.cell_levels[cell * levels..(cell + 1) * levels];
                let past = |k: usize| by_level.iter().skip(k + 1).sum();
                [
                    seg.cell_events[cell],
                    by_level.iter().sum(),
                    past(k),
                    past(k + 1),
                ]
            })
            .collect()
    }

    /// Adds each distinct stage path (read once) to the conformance and the touched
    /// stages of every segment with cases on it (`segment_paths[i][p]`: the cases of
    /// segment `i` on path `p`); only the all-cases tally lists the paths themselves.
    fn add_paths(
        &self,
        paths: &[Box<[u16]>],
        segment_paths: &[Vec<PathCases>],
        stage_of_number: &[usize],
        tallies: &mut [Tally],
    ) {
        let d = self.plan.designed;
        let mut shape = PathShape::default();
        let mut on_path = vec![false; self.stages];
        let mut stages_on = Vec::new();
        for (p, path) in paths.iter().enumerate() {
            let cases = |i: usize| segment_paths[i].get(p).copied().unwrap_or_default();
            if path.is_empty() || cases(0).cases == 0 {
                continue;
            }
            shape.read(path, d);
            on_path.iter_mut().for_each(|x| *x = false);
            for &number in path.iter() {
                on_path[number as usize] = true;
            }
            stages_on.clear();
            stages_on.extend(
                (0..self.stages)
                    .filter(|&n| on_path[n])
                    .map(|n| stage_of_number[n]),
            );
            tallies[0]
                .conformance
                .paths
                .insert(path.to_vec(), cases(0).cases);
            for (i, t) in tallies.iter_mut().enumerate() {
                let n = cases(i);
                if n.cases == 0 {
                    continue;
                }
                t.conformance.add_shape(&shape, n);
                for &stage in &stages_on {
                    t.touched[stage] += n.cases;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::packed;

    #[test]
    fn packed_paths_differ_and_long_ones_are_not_packed() {
        let paths: [&[u16]; 6] = [&[], &[0], &[0, 0], &[1], &[0, 1], &[30; 12]];
        let keys: Vec<Option<u64>> = paths.iter().map(|p| packed(p)).collect();
        for (i, a) in keys.iter().enumerate() {
            assert!(a.is_some());
            assert!(keys[i + 1..].iter().all(|b| b != a), "{paths:?}");
        }
        assert_eq!(packed(&[0; 13]), None);
        assert_eq!(packed(&[31]), None);
    }
}
