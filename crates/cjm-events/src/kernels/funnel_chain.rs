//! The per-case funnel match: ClickHouse `windowFunnel` semantics, one pass, no allocation.
//!
//! Events are taken in (timestamp, step number) order, as ClickHouse sorts its
//! `(timestamp, condition)` pairs: an event matching several steps counts once per step,
//! lowest step first, and at equal timestamps lower steps go first (events that match no
//! step, which only `strict_order` looks at, and excluded events go before all steps).
//! Level `k + 1` is reached by a step-`k + 1` event at `t` when level `k` is reached and
//! `t <= first + window`, where `first` is the start of the chain that reached level `k`; a new
//! step-1 event restarts level 1 while deeper levels keep their own chains.
//! - `strict_order`: once step 1 happened, an event matching no step, or a step whose
//!   previous step was not reached, ends the search.
//! - `strict_deduplication`: an event of an already reached step (other than step 1) ends it.
//! - `strict_increase`: a step extends a chain only if it is strictly later than the chain's
//!   last event.
//! - exclusion (cjm's addition): an excluded event breaks every chain in progress; levels
//!   reached before it still count, and later step-1 events start new chains.

use super::funnel::FunnelMode;
use super::funnel_plain::{PlainFunnel, PlainScratch};

/// The most steps a funnel may have (as ClickHouse).
pub const MAX_STEPS: usize = 32;

/// Sort keys inside a group of events with equal timestamps.
const EXCLUDED: u8 = 0;
const NO_STEP: u8 = 1;
const FIRST_STEP: u8 = 2;

/// The compiled per-activity rules of a funnel.
#[derive(Debug, Clone)]
pub struct FunnelMatcher {
    /// Per activity code: bit `k` set when the activity matches step `k`.
    step_mask: Vec<u32>,
    /// Per activity code: whether the activity breaks chains.
    excluded: Vec<bool>,
    steps: usize,
    window_us: i64,
    mode: FunnelMode,
    /// The branch-free match of [`super::funnel_plain`], where it applies.
    plain: Option<PlainFunnel>,
}

/// Working memory of the matcher, reused from case to case.
#[derive(Debug, Clone)]
pub struct FunnelScratch {
    /// Bit `k`: level `k + 1` reached in the current chains.
    reached: u32,
    started: bool,
    first_us: [i64; MAX_STEPS],
    last_us: [i64; MAX_STEPS],
    /// `chain[k][..=k]`: the step timestamps of the chain that reached level `k + 1`.
    chain: Box<[[i64; MAX_STEPS]; MAX_STEPS]>,
    best_level: usize,
    best_chain: [i64; MAX_STEPS],
    ties: Vec<u8>,
    plain: PlainScratch,
}

impl Default for FunnelScratch {
    fn default() -> Self {
        Self {
            reached: 0,
            started: false,
            first_us: [0; MAX_STEPS],
            last_us: [0; MAX_STEPS],
            chain: Box::new([[0; MAX_STEPS]; MAX_STEPS]),
            best_level: 0,
            best_chain: [0; MAX_STEPS],
            ties: Vec::new(),
            plain: PlainScratch::default(),
        }
    }
}

/// What one case reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CaseFunnel<'s> {
    /// The highest level (0 = step 1 never happened).
    pub level: usize,
    /// The timestamps of steps `1..=level` in the chain that reached `level`.
    pub step_us: &'s [i64],
}

impl<'s> CaseFunnel<'s> {
    /// The outcome of a case that reached `level` by the first `level` times of `chain`.
    fn new(level: usize, chain: &'s [i64; MAX_STEPS]) -> Self {
        Self {
            level,
            step_us: &chain[..level],
        }
    }
}

enum Flow {
    Go,
    Stop,
}

impl FunnelMatcher {
    /// Rules for `steps` (each a set of activity codes) over `activities` codes.
    /// `steps.len()` must be 1..=[`MAX_STEPS`].
    pub fn new(
        activities: usize,
        steps: &[Vec<u32>],
        excluded: &[u32],
        window_us: i64,
        mode: FunnelMode,
    ) -> Self {
        let mut step_mask = vec![0u32; activities];
        for (k, codes) in steps.iter().enumerate().take(MAX_STEPS) {
            for &code in codes {
                if let Some(m) = step_mask.get_mut(code as usize) {
                    *m |= 1 << k;
                }
            }
        }
        let mut excluded_by_code = vec![false; activities];
        for &code in excluded {
            if let Some(e) = excluded_by_code.get_mut(code as usize) {
                *e = true;
            }
        }
        let steps_count = steps.len().min(MAX_STEPS);
        Self {
            plain: (mode == FunnelMode::default() && excluded.is_empty())
                .then(|| PlainFunnel::compile(&step_mask, steps_count, window_us))
                .flatten(),
            step_mask,
            excluded: excluded_by_code,
            steps: steps_count,
            window_us,
            mode,
        }
    }

    /// Number of steps.
    pub fn steps(&self) -> usize {
        self.steps
    }

    /// The step bits of an activity code.
    pub fn step_mask(&self, code: u32) -> u32 {
        self.step_mask.get(code as usize).copied().unwrap_or(0)
    }

    /// The branch-free match of [`super::funnel_plain`], when it applies to this funnel
    /// (for callers that feed it a case's events as they read them).
    pub fn plain(&self) -> Option<&PlainFunnel> {
        self.plain.as_ref()
    }

    /// The range every step gap of a match lies in: a chain runs in time order and within
    /// the window.
    pub fn gap_bounds(&self) -> (i64, i64) {
        (0, self.window_us)
    }

    /// Matches one case, given its activity codes and timestamps in (time, input) order.
    pub fn matches<'s>(
        &self,
        activity: &[u32],
        timestamp_us: &[i64],
        scratch: &'s mut FunnelScratch,
    ) -> CaseFunnel<'s> {
        let plain = self.plain.as_ref().and_then(|plain| {
            plain.matches(
                activity,
                timestamp_us,
                &mut scratch.plain,
                &mut scratch.best_chain,
            )
        });
        match plain {
            Some(level) => scratch.best_level = level,
            None => self.match_general(activity, timestamp_us, scratch),
        }
        CaseFunnel::new(scratch.best_level, &scratch.best_chain)
    }

    /// Matches the cases whose events `offsets` bounds in the log's columns, calling
    /// `each` with the case's number within `offsets` and what it reached (empty cases are
    /// skipped, as a selection skips them). The cases of a plain funnel are matched in one
    /// pass (see [`super::funnel_plain`]).
    pub fn match_cases(
        &self,
        offsets: &[u64],
        activity: &[u32],
        timestamp_us: &[i64],
        scratch: &mut FunnelScratch,
        mut each: impl FnMut(usize, CaseFunnel<'_>),
    ) {
        let events = |c: usize| offsets[c] as usize..offsets[c + 1] as usize;
        let non_empty = offsets.windows(2).all(|w| w[0] < w[1]);
        match &self.plain {
            Some(plain) if non_empty => {
                let mut plain_scratch = std::mem::take(&mut scratch.plain);
                plain.match_cases(
                    offsets,
                    activity,
                    timestamp_us,
                    &mut plain_scratch,
                    |c, chain| {
                        let outcome = match chain {
                            Some((level, chain)) => CaseFunnel::new(level, chain),
                            None => {
                                let range = events(c);
                                self.match_general(
                                    &activity[range.clone()],
                                    &timestamp_us[range],
                                    scratch,
                                );
                                CaseFunnel::new(scratch.best_level, &scratch.best_chain)
                            }
                        };
                        each(c, outcome);
                    },
                );
                scratch.plain = plain_scratch;
            }
            _ => {
                for c in 0..offsets.len().saturating_sub(1) {
                    let range = events(c);
                    if range.is_empty() {
                        continue;
                    }
                    each(
                        c,
                        self.matches(&activity[range.clone()], &timestamp_us[range], scratch),
                    );
                }
            }
        }
    }

    /// The general match of one case into `scratch.best_level` and `scratch.best_chain`.
    fn match_general(&self, activity: &[u32], timestamp_us: &[i64], scratch: &mut FunnelScratch) {
        scratch.reached = 0;
        scratch.started = false;
        scratch.best_level = 0;
        self.match_events(activity, timestamp_us, scratch);
        scratch.keep_best();
    }

    /// Feeds the events of one case to the chains, groups of equal timestamps in step order.
    fn match_events(&self, activity: &[u32], timestamp_us: &[i64], scratch: &mut FunnelScratch) {
        let n = activity.len().min(timestamp_us.len());
        let mut i = 0;
        'events: while i < n {
            let t = timestamp_us[i];
            let mut end = i + 1;
            while end < n && timestamp_us[end] == t {
                end += 1;
            }
            if end == i + 1 {
                if let Flow::Stop = self.event(activity[i], t, scratch) {
                    break 'events;
                }
            } else {
                let mut ties = std::mem::take(&mut scratch.ties);
                ties.clear();
                for &code in &activity[i..end] {
                    self.sort_keys(code, &mut ties);
                }
                ties.sort_unstable();
                let mut flow = Flow::Go;
                for &key in &ties {
                    flow = self.key(key, t, scratch);
                    if let Flow::Stop = flow {
                        break;
                    }
                }
                scratch.ties = ties;
                if let Flow::Stop = flow {
                    break 'events;
                }
            }
            i = end;
        }
    }

    fn sort_keys(&self, code: u32, keys: &mut Vec<u8>) {
        if self.excluded.get(code as usize).copied().unwrap_or(false) {
            keys.push(EXCLUDED);
            return;
        }
        let mut mask = self.step_mask(code);
        if mask == 0 && self.mode.strict_order {
            keys.push(NO_STEP);
        }
        while mask != 0 {
            keys.push(FIRST_STEP + mask.trailing_zeros() as u8);
            mask &= mask - 1;
        }
    }

    #[inline]
    fn event(&self, code: u32, t: i64, s: &mut FunnelScratch) -> Flow {
        let mut mask = self.step_mask(code);
        if mask == 0 {
            if self.excluded.get(code as usize).copied().unwrap_or(false) {
                return self.key(EXCLUDED, t, s);
            }
            if self.mode.strict_order {
                return self.key(NO_STEP, t, s);
            }
            return Flow::Go;
        }
        while mask != 0 {
            if let Flow::Stop = self.step(mask.trailing_zeros() as usize, t, s) {
                return Flow::Stop;
            }
            mask &= mask - 1;
        }
        Flow::Go
    }

    fn key(&self, key: u8, t: i64, s: &mut FunnelScratch) -> Flow {
        match key {
            EXCLUDED => {
                s.keep_best();
                s.reached = 0;
                s.started = false;
                Flow::Go
            }
            NO_STEP if s.started => Flow::Stop,
            NO_STEP => Flow::Go,
            _ => self.step((key - FIRST_STEP) as usize, t, s),
        }
    }

    #[inline(always)]
    fn step(&self, k: usize, t: i64, s: &mut FunnelScratch) -> Flow {
        if k == 0 {
            s.first_us[0] = t;
            s.last_us[0] = t;
            s.chain[0][0] = t;
            s.reached |= 1;
            s.started = true;
            return if self.steps == 1 {
                Flow::Stop
            } else {
                Flow::Go
            };
        }
        let previous_reached = s.reached & (1 << (k - 1)) != 0;
        if self.mode.strict_deduplication && s.reached & (1 << k) != 0 {
            return Flow::Stop;
        }
        if self.mode.strict_order && s.started && !previous_reached {
            return Flow::Stop;
        }
        if !previous_reached {
            return Flow::Go;
        }
        let first = s.first_us[k - 1];
        let in_window = t <= first.saturating_add(self.window_us);
        let increasing = !self.mode.strict_increase || s.last_us[k - 1] < t;
        if in_window && increasing {
            s.first_us[k] = first;
            s.last_us[k] = t;
            let (done, rest) = s.chain.split_at_mut(k);
            copy_prefix(&mut rest[0], &done[k - 1], k);
            rest[0][k] = t;
            s.reached |= 1 << k;
            if k + 1 == self.steps {
                return Flow::Stop;
            }
        }
        Flow::Go
    }
}

/// Copies at least the first `k` timestamps of a chain: a whole block of eight when `k`
/// fits in one (a fixed-size copy, no call), else exactly `k`. What lies beyond `k` in the
/// target is never read.
#[inline(always)]
fn copy_prefix(to: &mut [i64; MAX_STEPS], from: &[i64; MAX_STEPS], k: usize) {
    const BLOCK: usize = 8;
    if k <= BLOCK {
        to[..BLOCK].copy_from_slice(&from[..BLOCK]);
    } else {
        to[..k].copy_from_slice(&from[..k]);
    }
}

impl FunnelScratch {
    /// Keeps the deepest chain so far as the best one.
    fn keep_best(&mut self) {
        let level = (u32::BITS - self.reached.leading_zeros()) as usize;
        if level > self.best_level {
            self.best_chain[..level].copy_from_slice(&self.chain[level - 1][..level]);
            self.best_level = level;
        }
    }
}
