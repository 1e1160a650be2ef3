//! The funnel match of the common case, in one branch-free pass over many cases.
//!
//! In the default mode, with no excluded activities, at most [`PLAIN_STEPS`] steps and no
//! activity in two steps, an event either extends a chain or changes nothing, and which
//! one it does is a few comparisons. Neither whether an event is a step nor where a case
//! ends is something a branch predictor can guess, so the events of a whole range of cases
//! are taken in one loop that writes its update for every event.
//!
//! The range is first compacted: each event becomes a one-byte kind (its step, or
//! [`SPARE`] when it is no step, with a flag on the first event of a case) beside its
//! timestamp, and the events that are no step and start no case are dropped, as
//! `windowFunnel` never sees them. The loop over what is left then needs no lookup and
//! learns where cases start from the flags: a new case clears the state, and a step that
//! extends nothing (or a case's leading non-step) writes into a spare slot that is never
//! read.
//!
//! A chain is kept as its start time and the index of its last event; each event notes
//! the last event of the chain it extended, and the winning chain's step times are read
//! back along those links once the pass is over. Every write is one scalar, so the next
//! event's reads are forwarded from the store buffer. The rules are those of
//! [`super::funnel_chain`]; a case where two step events share a timestamp out of step
//! order, or where an event shares the time of the one that completes the funnel, is left
//! to the general match.
//!
//! A caller that reads a case's events anyway (the measuring pass of a data-backed map)
//! can feed them to the same chain update one at a time instead ([`PlainFunnel::feed`]);
//! a fed case with two step events at one timestamp is left to the general match.

#[cfg(target_arch = "x86_64")]
mod simd;

use std::hint::select_unpredictable;

use super::funnel_chain::MAX_STEPS;

/// The most steps the plain match handles.
pub const PLAIN_STEPS: usize = 8;
/// Slots per table: the steps, the spare slot, and room for `k - 1` of step 0 (wrapped).
const SLOTS: usize = 16;
/// The slot of events that match no step.
pub const SPARE: u8 = PLAIN_STEPS as u8;
/// The most cases one pass takes.
const PASS_CASES: usize = 4096;
/// Set in a case's end state when the case needs the general match.
const GENERAL: u32 = 1 << 31;

/// A funnel compiled for the plain match.
#[derive(Debug, Clone)]
pub struct PlainFunnel {
    /// Per activity code: its step, or [`SPARE`]; padded with [`SPARE`] to a power of two,
    /// so that a code is looked up by masking instead of a bounds test (a code beyond
    /// the log's activities, which a checked store does not hold, reads some entry).
    step_of: Vec<u8>,
    /// `step_of` for the compaction eight events at a time, when the log has at most 32
    /// activity codes.
    #[cfg(target_arch = "x86_64")]
    step_table: Option<[u8; simd::TABLE]>,
    steps: usize,
    window_us: i64,
}

/// Set on the kind of a case's first event.
const CASE_START: u8 = 0x80;

/// What [`PlainFunnel::compact`] found.
struct Compacted {
    /// How many events were kept.
    kept: usize,
    /// Whether two neighbouring kept events share a timestamp.
    neighbours_tie: bool,
}

/// Working memory of the plain match, reused from range to range.
#[derive(Debug, Clone, Default)]
pub struct PlainScratch {
    /// Per kept event of the range: its step (or [`SPARE`]), [`CASE_START`] on a case's
    /// first event.
    kind: Vec<u8>,
    /// Per kept event: its timestamp.
    time: Vec<i64>,
    /// Per kept event: the last kept event of the chain it extended.
    link: Vec<u32>,
    /// Per case of the range: the reached bits (and [`GENERAL`]) when it ended, and the
    /// last kept event of its deepest chain.
    end: Vec<(u32, u32)>,
}

impl PlainFunnel {
    /// The plain match of a default-mode funnel without exclusions, given each activity's
    /// step bits; `None` when it does not apply (too many steps, an activity in several,
    /// a negative window).
    pub fn compile(step_mask: &[u32], steps: usize, window_us: i64) -> Option<Self> {
        let applies = (1..=PLAIN_STEPS).contains(&steps) && window_us >= 0;
        if !applies || step_mask.iter().any(|m| m.count_ones() > 1) {
            return None;
        }
        let mut step_of: Vec<u8> = step_mask
            .iter()
            .map(|&m| {
                if m == 0 {
                    SPARE
                } else {
                    m.trailing_zeros() as u8
                }
            })
            .collect();
        step_of.resize(step_of.len().next_power_of_two(), SPARE);
        Some(Self {
            #[cfg(target_arch = "x86_64")]
            step_table: simd::step_table(&step_of),
            step_of,
            steps,
            window_us,
        })
    }

    /// Matches one case: the highest level and its chain's step timestamps written to
    /// `best`, or `None` when the case needs the general match.
    pub fn matches(
        &self,
        activity: &[u32],
        timestamp_us: &[i64],
        s: &mut PlainScratch,
        best: &mut [i64; MAX_STEPS],
    ) -> Option<usize> {
        let n = activity.len().min(timestamp_us.len());
        if n == 0 {
            return Some(0);
        }
        let mut level = None;
        self.match_cases(&[0, n as u64], activity, timestamp_us, s, |_, reached| {
            level = reached.map(|(level, chain)| {
                *best = *chain;
                level
            });
        });
        level
    }

    /// Matches the cases whose events `offsets` bounds (`offsets[c]..offsets[c + 1]` in
    /// `activity` and `timestamp_us`, every case non-empty), calling `each` with the case's
    /// number within `offsets` and its level with the best chain's step timestamps (the
    /// first `level` of them count), or `None` when the case needs the general match.
    pub fn match_cases(
        &self,
        offsets: &[u64],
        activity: &[u32],
        timestamp_us: &[i64],
        s: &mut PlainScratch,
        mut each: impl FnMut(usize, Option<(usize, &[i64; MAX_STEPS])>),
    ) {
        let cases = offsets.len().saturating_sub(1);
        // A bounded run of cases at a time keeps the scratch small (and in cache).
        for from in (0..cases).step_by(PASS_CASES) {
            let to = (from + PASS_CASES).min(cases);
            let run = &offsets[from..=to];
            let events = run[0] as usize..run[to - from] as usize;
            let (activity, timestamp_us) = (&activity[events.clone()], &timestamp_us[events]);
            self.pass(run, activity, timestamp_us, s);
            let mut chain = [0i64; MAX_STEPS];
            for (c, &(reached, last)) in s.end.iter().enumerate() {
                if reached & GENERAL != 0 {
                    each(from + c, None);
                    continue;
                }
                let level = self.walk(reached, last, &s.link, &s.time, &mut chain);
                each(from + c, Some((level, &chain)));
            }
        }
    }

    /// Compacts the range into `s.kind` and `s.time`, then runs the branch-free pass
    /// over what is kept: fills `s.link` per kept event and `s.end` per case. Ties in time
    /// are looked for only where two neighbouring kept events share a timestamp. The
    /// window test needs no care: a case's events run in time order, so a chain's start
    /// is never after the event that would extend it, and their difference fits a `u64`.
    fn pass(&self, offsets: &[u64], activity: &[u32], timestamp_us: &[i64], s: &mut PlainScratch) {
        let n = activity.len().min(timestamp_us.len());
        let Compacted {
            kept,
            neighbours_tie,
        } = self.compact(offsets, &activity[..n], &timestamp_us[..n], s);
        // Sized, not cleared: the pass writes every entry (every case has an event).
        s.link.resize(kept, 0);
        s.end.resize(offsets.len() - 1, (0, 0));
        if neighbours_tie {
            self.pass_events::<true>(kept, s);
        } else {
            self.pass_events::<false>(kept, s);
        }
    }

    /// Writes the kind and time of every event that is a step or starts a case to the
    /// front of `s.kind` and `s.time`, in order.
    fn compact(
        &self,
        offsets: &[u64],
        activity: &[u32],
        timestamp_us: &[i64],
        s: &mut PlainScratch,
    ) -> Compacted {
        let n = activity.len().min(timestamp_us.len());
        // The flags first, then each event's step with its flag, kept or not.
        s.kind.clear();
        s.kind.resize(n, 0);
        // Every case's first event is kept.
        let start = offsets[0];
        for &o in &offsets[..offsets.len() - 1] {
            if let Some(kind) = s.kind.get_mut((o - start) as usize) {
                *kind = CASE_START;
            }
        }
        s.time.resize(n, 0);
        let (kinds, times) = (&mut s.kind[..n], &mut s.time[..n]);
        // In place: the kept events move to the front, never past an unread flag. Eight
        // at a time where the machine can, then one at a time.
        let (activity, timestamp_us) = (&activity[..n], &timestamp_us[..n]);
        let (mut read, mut kept) = (0, 0);
        #[cfg(target_arch = "x86_64")]
        if let Some(done) = self
            .step_table
            .and_then(|table| simd::compact(&table, SPARE, activity, timestamp_us, kinds, times))
        {
            (read, kept) = done;
        }
        let events = activity.iter().zip(timestamp_us).skip(read);
        for (i, (&code, &t)) in (read..).zip(events) {
            let kind = self.step_of(code) | kinds[i];
            let to = kept.min(i);
            kinds[to] = kind;
            times[to] = t;
            kept += usize::from(kind != SPARE);
        }
        let ties: usize = times[..kept]
            .windows(2)
            .map(|w| usize::from(w[0] == w[1]))
            .sum();
        Compacted {
            kept,
            neighbours_tie: ties > 0,
        }
    }

    /// The pass itself over the first `kept` compacted events; `CAREFUL` adds the tie
    /// checks.
    #[inline(always)]
    fn pass_events<const CAREFUL: bool>(&self, kept: usize, s: &mut PlainScratch) {
        let (kinds, time) = (&s.kind[..kept], &s.time[..kept]);
        let (full, window) = (self.full(), self.window_us as u64);
        let mut chains = Chains::default();
        let mut general = 0u32;
        // The previous step event's time and step, to spot ties out of step order.
        let (mut step_t, mut step_k) = (i64::MIN, 0u8);
        // The first kept event starts a case, which makes this 0.
        let mut case = usize::MAX;
        let events = kinds.iter().zip(time).zip(s.link.iter_mut());
        for (i, ((&kind, &t), link)) in events.enumerate() {
            let new_case = kind & CASE_START != 0;
            case = case.wrapping_add(usize::from(new_case));
            chains.reached &= u32::from(new_case).wrapping_sub(1);
            let k = kind & !CASE_START;
            let done = chains.reached == full;
            if CAREFUL {
                general = select_unpredictable(new_case, 0, general);
                step_t = select_unpredictable(new_case, i64::MIN, step_t);
                let is_step = (k != SPARE) & !done;
                general |= u32::from(is_step & (t == step_t) & (k < step_k));
                step_t = select_unpredictable(is_step, t, step_t);
                step_k = select_unpredictable(is_step, k, step_k);
            }
            *link = Self::advance(&mut chains, (full, window), k, t, i as u32);
            if CAREFUL {
                // ClickHouse stops at the first chain that reaches the last step; an event
                // at the same time would have gone first if it is an earlier step.
                let completes = !done & (chains.reached == full);
                let tie_after = time.get(i + 1).is_some_and(|&u| u == t)
                    & kinds.get(i + 1).is_some_and(|&k| k & CASE_START == 0);
                general |= u32::from(completes & tie_after);
            }
            s.end[case] = (chains.reached | (general * GENERAL), chains.deepest_last);
        }
    }

    /// The reached bits of every step.
    #[inline(always)]
    fn full(&self) -> u32 {
        (1u32 << self.steps) - 1
    }

    /// Takes event `i` of step `k` (or [`SPARE`]) at time `t` into a case's chains, and
    /// returns the event's link: the last event of the chain it would extend. `full` is
    /// [`PlainFunnel::full`] and `window` the window, read once by the caller's loop.
    #[inline(always)]
    fn advance(chains: &mut Chains, (full, window): (u32, u64), k: u8, t: i64, i: u32) -> u32 {
        let Chains {
            first,
            last,
            reached,
            deepest_last,
        } = chains;
        let done = *reached == full;
        let k = usize::from(k) % SLOTS;
        let previous = k.wrapping_sub(1) % SLOTS;
        // `&` rather than `&&`: all of it is evaluated, nothing is branched on. The spare
        // slot's `previous` is the last step, reached only when `done`. Slot `k` is written
        // whether or not the event goes anywhere, so that every store's address is known as
        // soon as the event is read.
        let from = first[previous];
        let starts = k == 0;
        let within = t.wrapping_sub(from) as u64 <= window;
        let extends = ((*reached >> previous) & 1 == 1) & within;
        let go = (starts | extends) & !done;
        first[k] = select_unpredictable(go, select_unpredictable(starts, t, from), first[k]);
        last[k] = select_unpredictable(go, i, last[k]);
        let link = last[previous];
        // The event ends the deepest chain when no deeper level is reached.
        let deepest = go & (*reached >> (k + 1) == 0);
        *deepest_last = select_unpredictable(deepest, i, *deepest_last);
        *reached |= u32::from(go) << k;
        link
    }

    /// The level that `reached` stands for, with the step times of its chain (back along
    /// `links` from `last`, the deepest chain's last event) written to `chain`.
    #[inline(always)]
    fn walk(
        &self,
        reached: u32,
        last: u32,
        links: &[u32],
        times: &[i64],
        chain: &mut [i64; MAX_STEPS],
    ) -> usize {
        let level = (u32::BITS - reached.leading_zeros()) as usize;
        // For every step (a fixed count, so nothing is mispredicted): above `level`, the
        // walk waits.
        let mut at = last as usize;
        for k in (0..self.steps).rev() {
            chain[k] = times[at];
            at = select_unpredictable(k < level, links[at] as usize, at);
        }
        level
    }

    /// The step of an activity code ([`SPARE`] for none).
    #[inline(always)]
    pub fn step_of(&self, code: u32) -> u8 {
        self.step_of[code as usize & (self.step_of.len() - 1)]
    }

    /// Takes event `i` of a case fed one by one (every event of the case in order, steps
    /// or not; `kind` from [`PlainFunnel::step_of`]; the case from
    /// [`PlainFunnel::start_case`]) and returns its link, which
    /// [`PlainFunnel::finish_case`] reads back.
    #[inline(always)]
    pub fn feed(case: &mut CaseMatch, kind: u8, t: i64, i: u32) -> u32 {
        let is_step = kind != SPARE;
        case.tie |= is_step & (t == case.step_t);
        case.step_t = select_unpredictable(is_step, t, case.step_t);
        Self::advance(&mut case.chains, case.limits, kind, t, i)
    }

    /// A case to feed to this funnel's match (see [`PlainFunnel::feed`]).
    #[inline(always)]
    pub fn start_case(&self) -> CaseMatch {
        CaseMatch {
            chains: Chains::default(),
            limits: (self.full(), self.window_us as u64),
            step_t: i64::MIN,
            tie: false,
        }
    }

    /// The level of a case fed by [`PlainFunnel::feed`] (its [`CaseMatch::end`], and
    /// `links` and `times` per event),
    /// with its chain's step times written to `chain`; `None` when two of its step events
    /// share a timestamp (the general match then decides the ties).
    #[inline]
    pub fn finish_case(
        &self,
        end: CaseEnd,
        links: &[u32],
        times: &[i64],
        chain: &mut [i64; MAX_STEPS],
    ) -> Option<usize> {
        if end.tie {
            return None;
        }
        Some(self.walk(end.reached, end.deepest_last, links, times, chain))
    }
}

/// The chains of one case as its events go by: per slot, the start time and the last
/// event of the chain that reached it, which slots are reached, and the last event of the
/// deepest chain.
#[derive(Debug, Clone, Copy, Default)]
struct Chains {
    first: [i64; SLOTS],
    last: [u32; SLOTS],
    reached: u32,
    deepest_last: u32,
}

/// One case's plain match, fed event by event (see [`PlainFunnel::feed`]).
#[derive(Debug, Clone, Copy, Default)]
pub struct CaseMatch {
    chains: Chains,
    /// The funnel's [`PlainFunnel::full`] and window.
    limits: (u32, u64),
    /// The previous step event's time.
    step_t: i64,
    /// Whether two step events share a timestamp.
    tie: bool,
}

impl CaseMatch {
    /// What [`PlainFunnel::finish_case`] reads of the case once its events are in.
    #[inline(always)]
    pub fn end(&self) -> CaseEnd {
        CaseEnd {
            reached: self.chains.reached,
            deepest_last: self.chains.deepest_last,
            tie: self.tie,
        }
    }
}

/// The end state of a fed case (see [`CaseMatch::end`]).
#[derive(Debug, Clone, Copy, Default)]
pub struct CaseEnd {
    reached: u32,
    deepest_last: u32,
    tie: bool,
}
