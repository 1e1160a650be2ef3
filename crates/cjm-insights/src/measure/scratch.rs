//! The per-case working memory of the measuring pass, reused from case to case.
//!
//! What a case touched is listed as it is first touched, so that clearing resets only
//! those entries. The lists are fixed-size buffers with a length beside them: every
//! event writes its entry at the end and the length grows only when the entry is new,
//! which spares the per-event loop a branch the data decides.

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

    /// Counts an event of activity `code`, whose rules need no test.
    #[inline]
    pub fn count(&mut self, code: usize) {
        let n = self.counts[code];
        self.counts[code] = n + 1;
        self.keys[self.key_count] = code as u32;
        self.key_count += usize::from(n == 0);
    }

    /// Records an event in cell `cell` of a stage with path number `number` ([`NO_STAGE`]
    /// for an event of no stage, whose cell is the sink).
    ///
    /// [`NO_STAGE`]: super::table::NO_STAGE
    #[inline]
    pub fn cell_event(&mut self, cell: usize, number: u16, stage: bool) {
        let n = self.cell_events[cell];
        self.cell_events[cell] = n + 1;
        self.cells[self.cell_count] = (cell as u32, number);
        self.cell_count += usize::from(n == 0 && stage);
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
