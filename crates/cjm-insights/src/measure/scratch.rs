//! The per-case working memory of the measuring pass, reused from case to case.
//!
//! What a case touched (activities, the activities it repeated, stage cells, use targets)
//! is kept as sets of bits: an event sets its bits without a branch and the end of the
//! case walks the set bits. Event counts go straight to the totals ([`EventCounts`]), so
//! nothing per entry is reset between cases. When every set fits in a machine word
//! ([`u64`]) the bits live in registers through the event loop; larger maps and logs use
//! [`Wide`] sets of words.

use cjm_events::kernels::funnel_plain::{CaseEnd, CaseMatch, PlainFunnel};

use super::partial::pack_step;
use super::table::NO_STAGE;

/// Where the events of an activity are counted.
#[derive(Debug, Clone, Copy)]
pub struct Code {
    /// The first cell of its stage's row in [`Scratch::cell_events`] (the sink cell for
    /// no stage).
    pub row: u32,
    /// Its stage's path number, [`NO_STAGE`] for none, or `TESTED` (see `pass`) when its
    /// events are tested one by one.
    pub number: u16,
    /// Its step in the stage funnel's plain match (`funnel_plain::SPARE` for none).
    pub step: u8,
}

/// A set of small numbers (activity codes, stage cells, use targets) of one case.
pub trait Bits: Clone + Default {
    /// An empty set with room for `0..n`.
    fn with_room(n: usize) -> Self;
    /// Adds `i` when `on` (no branch).
    fn insert_if(&mut self, i: usize, on: bool);
    fn contains(&self, i: usize) -> bool;
    /// Number of words.
    fn words(&self) -> usize;
    /// Word `w`: bit `b` stands for `w * 64 + b`.
    fn word(&self, w: usize) -> u64;
    fn clear(&mut self);
}

impl Bits for u64 {
    fn with_room(n: usize) -> Self {
        debug_assert!(n <= 64);
        0
    }
    #[inline(always)]
    fn insert_if(&mut self, i: usize, on: bool) {
        *self |= u64::from(on) << i;
    }
    #[inline(always)]
    fn contains(&self, i: usize) -> bool {
        *self >> i & 1 != 0
    }
    #[inline(always)]
    fn words(&self) -> usize {
        1
    }
    #[inline(always)]
    fn word(&self, _: usize) -> u64 {
        *self
    }
    #[inline(always)]
    fn clear(&mut self) {
        *self = 0;
    }
}

/// A set of any size, as words.
#[derive(Debug, Clone, Default)]
pub struct Wide(Vec<u64>);

impl Bits for Wide {
    fn with_room(n: usize) -> Self {
        Wide(vec![0; n.div_ceil(64).max(1)])
    }
    #[inline]
    fn insert_if(&mut self, i: usize, on: bool) {
        self.0[i / 64] |= u64::from(on) << (i % 64);
    }
    #[inline]
    fn contains(&self, i: usize) -> bool {
        self.0[i / 64] >> (i % 64) & 1 != 0
    }
    fn words(&self) -> usize {
        self.0.len()
    }
    fn word(&self, w: usize) -> u64 {
        self.0[w]
    }
    fn clear(&mut self) {
        self.0.fill(0);
    }
}

/// Calls `f` with each member of `bits`, in increasing order (`f` may change anything but
/// `bits`: the words are read one at a time).
#[inline(always)]
pub fn each_member<B: Bits>(bits: &B, mut f: impl FnMut(usize)) {
    for w in 0..bits.words() {
        let mut word = bits.word(w);
        while word != 0 {
            f(w * 64 + word.trailing_zeros() as usize);
            word &= word - 1;
        }
    }
}

/// The channels of a case's events: one code an event, or one for all.
pub struct CaseChannels<'a> {
    /// The case's slice of the event channel column (empty when the channel is not an
    /// event attribute).
    pub events: &'a [u32],
    /// The channel of every event when `events` is empty.
    pub case: u32,
    /// The "no channel" code (codes from it on count as none).
    pub none: u32,
}

/// Where the event loop adds each event, beside the case's sets.
pub struct EventCounts<'a> {
    /// Per activity code: counted events (those of activities whose rules need no test).
    pub activities: &'a mut [u64],
    /// Per stage cell `row + channel` of the case's combination of segments: events. A map
    /// stage's row starts at `stage * chans`; events of no stage all go to one last cell
    /// (a sink, never read).
    pub cells: &'a mut [u64],
}

/// Per-case working memory.
pub struct Scratch<B: Bits> {
    /// The activities with counted events (those of activities whose rules need no test;
    /// their steps and touchpoints are read per distinct activity once the case is read).
    pub seen: B,
    /// The activities with two counted events or more.
    pub twice: B,
    /// `path[..path_len]`: stage numbers of the case's stage events, consecutive repeats
    /// collapsed (room for one entry per event, and a spare one).
    pub path: Vec<u16>,
    pub path_len: usize,
    /// The path's packed key (see `partial::pack_step`), valid while the path is short.
    pub path_key: u64,
    /// Per event: its stage code for the funnel (when it reads stage codes).
    pub stage_codes: Vec<u32>,
    /// Per event, when some events are tested: the activity, where the event is counted,
    /// and whether it is counted per activity (tested events are not).
    pub event_codes: Vec<(u32, Code, bool)>,
    /// The stage cells with events (never the sink).
    pub cells: B,
    /// Per use target: the case's events that were tested one by one.
    pub target_events: Vec<u64>,
    /// The targets with events.
    pub targets: B,
    /// The targets one of whose activities occurred twice.
    pub repeated: B,
    /// The use slots (activity, target) of tested activities used by the case.
    pub slots: B,
    /// Per event, when the stage funnel is fed as the events are read: its link (see
    /// [`PlainFunnel::feed`]).
    pub links: Vec<u32>,
    /// The end state of the stage funnel's match of the case, when fed.
    pub case_end: CaseEnd,
}

/// The sizes of the scratch arrays.
pub struct Sizes {
    pub activities: usize,
    pub stages: usize,
    pub chans: usize,
    pub targets: usize,
    pub slots: usize,
}

impl Sizes {
    /// Whether every set fits in one [`u64`].
    pub fn fit_word(&self) -> bool {
        [
            self.activities,
            self.stages * self.chans + 1,
            self.targets,
            self.slots,
        ]
        .iter()
        .all(|&n| n <= 64)
    }
}

impl<B: Bits> Scratch<B> {
    /// Empty working memory of the given sizes.
    pub fn new(n: &Sizes) -> Self {
        let cells = n.stages * n.chans + 1;
        Self {
            seen: B::with_room(n.activities),
            twice: B::with_room(n.activities),
            path: Vec::new(),
            path_len: 0,
            path_key: 0,
            stage_codes: Vec::new(),
            event_codes: Vec::new(),
            cells: B::with_room(cells),
            target_events: vec![0; n.targets],
            targets: B::with_room(n.targets),
            repeated: B::with_room(n.targets),
            slots: B::with_room(n.slots),
            links: Vec::new(),
            case_end: CaseEnd::default(),
        }
    }

    /// Makes room for the path and the funnel links of a case of `events` events.
    #[inline]
    pub fn fit(&mut self, events: usize) {
        if self.path.len() <= events {
            self.path.resize(events + 1, 0);
            self.links.resize(events + 1, 0);
        }
    }

    /// Records that the case used target `target` (through an activity counted per
    /// activity, whose events the totals add once the pass is over), `repeated` when that
    /// activity occurred more than once.
    #[inline]
    pub fn fixed_use(&mut self, target: u32, repeated: bool) {
        let t = target as usize;
        self.targets.insert_if(t, true);
        self.repeated.insert_if(t, repeated);
    }

    /// Records a use of use slot `slot` (of target `target`) by a tested event.
    pub fn tested_use(&mut self, slot: usize, target: u32) {
        let again = self.slots.contains(slot);
        self.slots.insert_if(slot, true);
        self.target_events[target as usize] += 1;
        self.fixed_use(target, again);
    }

    /// Reads the events of a case whose activities all have fixed rules (no rule with
    /// attribute conditions applies to them): counts them into `counts`, keeps the sets
    /// and the stage path with its packed key; with `funnel`, feeds it every event (at
    /// its time in `times`) into [`Scratch::case_end`] and [`Scratch::links`].
    #[inline]
    pub fn read_fixed(
        &mut self,
        activity: &[u32],
        codes: &[Code],
        channels: &CaseChannels<'_>,
        (funnel, times): (Option<&PlainFunnel>, &[i64]),
        counts: EventCounts<'_>,
    ) {
        let code = |a: u32| codes[a as usize];
        if channels.events.len() == activity.len() {
            let none = channels.none;
            let events = activity
                .iter()
                .zip(channels.events)
                .map(|(&a, &c)| (a, code(a), true, c.min(none)));
            self.fill_fed(events.zip(times.iter().copied()), funnel, counts);
        } else {
            let c = channels.case;
            let events = activity.iter().map(|&a| (a, code(a), true, c));
            self.fill_fed(events.zip(times.iter().copied()), funnel, counts);
        }
    }

    /// [`Scratch::read_fixed`] of events already placed in `event_codes` (those of some
    /// activities tested one by one).
    pub fn read_placed(&mut self, channels: &CaseChannels<'_>, counts: EventCounts<'_>) {
        let events = std::mem::take(&mut self.event_codes);
        let chan = |i: usize| match channels.events.get(i) {
            Some(&c) => c.min(channels.none),
            None => channels.case,
        };
        let placed = events
            .iter()
            .enumerate()
            .map(|(i, &(a, code, counted))| ((a, code, counted, chan(i)), 0));
        self.fill::<false>(placed, CaseMatch::default(), counts);
        self.event_codes = events;
    }

    /// [`Scratch::fill`], feeding `funnel` when there is one.
    #[inline(always)]
    fn fill_fed(
        &mut self,
        events: impl Iterator<Item = ((u32, Code, bool, u32), i64)>,
        funnel: Option<&PlainFunnel>,
        counts: EventCounts<'_>,
    ) {
        match funnel {
            Some(funnel) => self.fill::<true>(events, funnel.start_case(), counts),
            None => self.fill::<false>(events, CaseMatch::default(), counts),
        }
    }

    /// The loop over a case's events (activity, where it is counted, whether per activity
    /// too, channel; and time), on sets that start empty; `FED` feeds each event to the
    /// stage funnel's `case_match` too. The sets, the path's state and the funnel's match
    /// stay in locals, so that they live in registers when they are words.
    #[inline(always)]
    fn fill<const FED: bool>(
        &mut self,
        events: impl Iterator<Item = ((u32, Code, bool, u32), i64)>,
        mut case_match: CaseMatch,
        EventCounts {
            activities,
            cells: cell_events,
        }: EventCounts<'_>,
    ) {
        let path = &mut self.path[..];
        let mut seen = std::mem::take(&mut self.seen);
        let mut twice = std::mem::take(&mut self.twice);
        let mut cells = std::mem::take(&mut self.cells);
        let (mut len, mut key, mut last) = (0usize, 0u64, NO_STAGE);
        // `fit` sized the links for every event.
        let events = events.zip(self.links.iter_mut()).enumerate();
        for (i, (((code, Code { row, number, step }, counted, chan), t), link)) in events {
            let a = code as usize;
            activities[a] += u64::from(counted);
            twice.insert_if(a, counted & seen.contains(a));
            seen.insert_if(a, counted);
            let stage = number != NO_STAGE;
            // Events of no stage all go to the sink cell, whatever their channel.
            let cell = row as usize + (chan & u32::from(stage).wrapping_neg()) as usize;
            cell_events[cell] += 1;
            cells.insert_if(cell, stage);
            let step_here = stage && number != last;
            path[len] = number;
            len += usize::from(step_here);
            last = if step_here { number } else { last };
            key = if step_here {
                pack_step(key, number)
            } else {
                key
            };
            if FED {
                *link = PlainFunnel::feed(&mut case_match, step, t, i as u32);
            }
        }
        self.seen = seen;
        self.twice = twice;
        self.cells = cells;
        self.path_len = len;
        self.path_key = key;
        self.case_end = case_match.end();
    }

    /// The stage path of the case.
    pub fn path(&self) -> &[u16] {
        &self.path[..self.path_len]
    }

    /// Resets what the case touched, but the events of its targets (which the end of the
    /// case resets as it reads them).
    pub fn clear(&mut self) {
        self.seen.clear();
        self.twice.clear();
        self.path_len = 0;
        self.path_key = 0;
        self.stage_codes.clear();
        self.event_codes.clear();
        self.cells.clear();
        self.targets.clear();
        self.repeated.clear();
        self.slots.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::{Bits, Wide, each_member};

    fn members<B: Bits>(b: &B) -> Vec<usize> {
        let mut out = Vec::new();
        each_member(b, |i| out.push(i));
        out
    }

    #[test]
    fn word_and_wide_sets_hold_the_same_members() {
        let picks = [0usize, 5, 63, 5, 17, 40];
        let mut word = u64::with_room(64);
        let mut wide = Wide::with_room(64);
        let mut big = Wide::with_room(300);
        for (k, &i) in picks.iter().enumerate() {
            let on = k != 4;
            word.insert_if(i, on);
            wide.insert_if(i, on);
            big.insert_if(i + 200, on);
        }
        assert_eq!(members(&word), vec![0, 5, 40, 63]);
        assert_eq!(members(&wide), members(&word));
        assert_eq!(members(&big), vec![200, 205, 240, 263]);
        assert!(big.contains(263) && !big.contains(217) && word.contains(63));
        big.clear();
        word.clear();
        assert!(members(&big).is_empty() && members(&word).is_empty());
    }
}
