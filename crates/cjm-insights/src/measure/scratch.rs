//! The per-case working memory of the measuring pass, reused from case to case.
//!
//! What a case touched is listed as it is first touched, so that clearing resets only
//! those entries. The lists are fixed-size buffers with a length beside them: every
//! event writes its entry at the end and the length grows only when the entry is new,
//! which spares the per-event loop a branch the data decides.

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

/// Per-case working memory.
pub struct Scratch {
    /// Per activity code: the case's events (of activities whose rules need no test; their
    /// steps and touchpoints are read per distinct activity once the case is read).
    pub counts: Vec<u32>,
    /// `keys[..key_count]`: the activities with events (one spare entry at the end).
    pub keys: Vec<u32>,
    pub key_count: usize,
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
    /// Per cell `row + channel`: the case's events there. A map stage's row starts at
    /// `stage * chans`; events of no stage all go to one last cell (a sink, cleared every
    /// case).
    pub cell_events: Vec<u32>,
    /// `cells[..cell_count]`: the stage cells with events, with their stage's path number.
    pub cells: Vec<(u32, u16)>,
    pub cell_count: usize,
    /// The sink cell.
    pub sink: usize,
    /// Per use target: the case's events.
    pub target_events: Vec<u32>,
    /// `targets[..target_count]`: the targets with events.
    pub targets: Vec<u32>,
    pub target_count: usize,
    /// Per use target: whether one of its activities occurred twice.
    pub repeated: Vec<bool>,
    /// Per use slot (activity, target) of tested activities: the case's events, up to 2.
    pub slot_events: Vec<u8>,
    pub slots: Vec<u32>,
    /// The segments of the case: bit `i` for segment `i`.
    pub mask: u64,
}

/// The sizes of the scratch arrays.
pub struct Sizes {
    pub activities: usize,
    pub stages: usize,
    pub chans: usize,
    pub targets: usize,
    pub slots: usize,
}

impl Scratch {
    /// Empty working memory of the given sizes.
    pub fn new(n: &Sizes) -> Self {
        Self {
            counts: vec![0; n.activities],
            keys: vec![0; n.activities + 1],
            key_count: 0,
            path: Vec::new(),
            path_len: 0,
            path_key: 0,
            stage_codes: Vec::new(),
            event_codes: Vec::new(),
            cell_events: vec![0; n.stages * n.chans + 1],
            cells: vec![(0, 0); n.stages * n.chans + 1],
            cell_count: 0,
            sink: n.stages * n.chans,
            target_events: vec![0; n.targets],
            targets: vec![0; n.targets + 1],
            target_count: 0,
            repeated: vec![false; n.targets],
            slot_events: vec![0; n.slots],
            slots: Vec::new(),
            mask: 1,
        }
    }

    /// Makes room for the path of a case of `events` events.
    #[inline]
    pub fn fit(&mut self, events: usize) {
        if self.path.len() <= events {
            self.path.resize(events + 1, 0);
        }
    }

    /// Records `n` events of target `target` from one activity.
    #[inline]
    pub fn target_uses(&mut self, target: u32, n: u32) {
        let t = self.target_events[target as usize];
        self.target_events[target as usize] = t + n;
        self.targets[self.target_count] = target;
        self.target_count += usize::from(t == 0);
    }

    /// Records `n` uses of a fixed activity's use target `target`: all of the case's
    /// events of that activity, so more than one is a repeat.
    #[inline]
    pub fn fixed_uses(&mut self, target: u32, n: u32) {
        self.target_uses(target, n);
        self.repeated[target as usize] |= n >= 2;
    }

    /// Records a use of use slot `slot` (of target `target`) by a tested event.
    pub fn tested_use(&mut self, slot: usize, target: u32) {
        let before = self.slot_events[slot];
        if before == 0 {
            self.slots.push(slot as u32);
        }
        if before >= 1 {
            self.repeated[target as usize] = true;
        }
        self.slot_events[slot] = 2.min(before + 1);
        self.target_uses(target, 1);
    }

    /// Reads the events of a case whose activities all have fixed rules (no rule with
    /// attribute conditions applies to them): counts per activity, per stage cell, and
    /// the stage path with its packed key.
    pub fn read_fixed(&mut self, activity: &[u32], codes: &[Code], channels: &CaseChannels<'_>) {
        let events = activity.iter().map(|&a| (a, codes[a as usize], true));
        self.fill(events, channels);
    }

    /// [`Scratch::read_fixed`] of events already placed in `event_codes` (those of some
    /// activities tested one by one).
    pub fn read_placed(&mut self, channels: &CaseChannels<'_>) {
        let events = std::mem::take(&mut self.event_codes);
        self.fill(events.iter().copied(), channels);
        self.event_codes = events;
    }

    /// Hands the lists to [`fill`] as separate slices, so that the compiler knows that
    /// writing one leaves the others and their lengths alone, and keeps the lengths in
    /// registers.
    #[inline]
    fn fill(
        &mut self,
        events: impl Iterator<Item = (u32, Code, bool)>,
        channels: &CaseChannels<'_>,
    ) {
        let lists = fill(
            events,
            channels,
            &mut self.counts,
            &mut self.keys,
            &mut self.cell_events,
            &mut self.cells,
            &mut self.path,
        );
        self.key_count = lists.keys;
        self.cell_count = lists.cells;
        self.path_len = lists.path;
        self.path_key = lists.path_key;
    }

    /// The stage path of the case.
    pub fn path(&self) -> &[u16] {
        &self.path[..self.path_len]
    }

    /// Resets what the case touched.
    pub fn clear(&mut self) {
        for &key in &self.keys[..self.key_count] {
            self.counts[key as usize] = 0;
        }
        self.key_count = 0;
        self.path_len = 0;
        self.path_key = 0;
        self.stage_codes.clear();
        self.event_codes.clear();
        for &(cell, _) in &self.cells[..self.cell_count] {
            self.cell_events[cell as usize] = 0;
        }
        self.cell_count = 0;
        self.cell_events[self.sink] = 0;
        for &t in &self.targets[..self.target_count] {
            self.target_events[t as usize] = 0;
            self.repeated[t as usize] = false;
        }
        self.target_count = 0;
        for &slot in &self.slots {
            self.slot_events[slot as usize] = 0;
        }
        self.slots.clear();
    }
}

/// What [`fill`] leaves: the lengths of the lists and the path's packed key.
struct Filled {
    keys: usize,
    cells: usize,
    path: usize,
    path_key: u64,
}

/// The loop of [`Scratch::read_fixed`] over a case's events (activity, where it is
/// counted, whether per activity too), on lists that start empty.
#[inline]
fn fill(
    events: impl Iterator<Item = (u32, Code, bool)>,
    channels: &CaseChannels<'_>,
    counts: &mut [u32],
    keys: &mut [u32],
    cell_events: &mut [u32],
    cells: &mut [(u32, u16)],
    path: &mut [u16],
) -> Filled {
    let mut out = Filled {
        keys: 0,
        cells: 0,
        path: 0,
        path_key: 0,
    };
    let mut last = NO_STAGE;
    for (i, (code, Code { row, number }, counted)) in events.enumerate() {
        let n = counts[code as usize];
        counts[code as usize] = n + u32::from(counted);
        keys[out.keys] = code;
        out.keys += usize::from(n == 0 && counted);
        let chan = match channels.events.get(i) {
            Some(&c) => c.min(channels.none),
            None => channels.case,
        };
        let stage = number != NO_STAGE;
        // Events of no stage all go to the sink cell, whatever their channel.
        let cell = row as usize + (chan & u32::from(stage).wrapping_neg()) as usize;
        let m = cell_events[cell];
        cell_events[cell] = m + 1;
        cells[out.cells] = (cell as u32, number);
        out.cells += usize::from(m == 0 && stage);
        let step = stage && number != last;
        path[out.path] = number;
        out.path += usize::from(step);
        last = if step { number } else { last };
        out.path_key = if step {
            pack_step(out.path_key, number)
        } else {
            out.path_key
        };
    }
    out
}
