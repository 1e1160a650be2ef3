//! Designed vs actual: how each case's real stage sequence departs from the map's order.

use rustc_hash::FxHashMap;

/// Counts of how cases follow, skip, repeat and reverse the designed stage order.
///
/// Stage numbers are positions in the designed order (`0..stages`); outcome
/// stages take the numbers after them and appear only in `paths`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ConformanceTally {
    /// Cases with at least one event of a designed (non-outcome) stage.
    pub cases: u64,
    /// Cases whose stage sequence is a gap-free prefix of the designed order, visited once each.
    pub follows: u64,
    /// Per designed stage: cases that reached a later stage without visiting this one.
    pub skipped: Vec<u64>,
    /// Per designed stage: cases that entered it again after leaving it.
    pub reentered: Vec<u64>,
    /// Per designed stage: of the re-entering cases, those that did not reach the last stage.
    pub reentered_lost: Vec<u64>,
    /// Their summed amount.
    pub reentered_lost_value: Vec<f64>,
    /// Cases with at least one step back to an earlier stage.
    pub back_step_cases: u64,
    /// Back steps `(from, to)` with the number of cases that made them.
    pub back_steps: FxHashMap<(u16, u16), u64>,
    /// Cases that entered some stage more than once.
    pub loop_cases: u64,
    /// Real stage paths (consecutive repeats collapsed, outcomes included) with their case counts.
    pub paths: FxHashMap<Vec<u16>, u64>,
}

/// The cases that followed one stage path: how many, and how many of them (with their
/// summed amount) did not reach the last designed stage.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct PathCases {
    pub cases: u64,
    pub lost: u64,
    pub lost_value: f64,
}

impl PathCases {
    /// Adds another count of the same path.
    pub fn merge(&mut self, other: &PathCases) {
        self.cases += other.cases;
        self.lost += other.lost;
        self.lost_value += other.lost_value;
    }
}

/// What a stage path says about the designed order, read once per distinct path; its
/// buffers are reused from path to path.
#[derive(Debug, Clone, Default)]
pub struct PathShape {
    /// The designed stages of the path, consecutive repeats collapsed.
    main: Vec<u16>,
    /// Per designed stage: how many times the case entered it.
    seen: Vec<u32>,
    /// The furthest designed stage reached.
    furthest: usize,
    /// Whether `main` is a gap-free prefix of the designed order.
    follows: bool,
    /// Whether some stage was entered more than once.
    loops: bool,
    /// Distinct back steps `(from, to)`, sorted.
    backs: Vec<(u16, u16)>,
}

impl PathShape {
    /// Reads `path` (consecutive repeats collapsed; numbers `>= designed` are outcomes).
    pub fn read(&mut self, path: &[u16], designed: usize) {
        self.main.clear();
        for &s in path.iter().filter(|&&s| (s as usize) < designed) {
            if self.main.last() != Some(&s) {
                self.main.push(s);
            }
        }
        self.seen.clear();
        self.seen.resize(designed, 0);
        for &s in &self.main {
            self.seen[s as usize] += 1;
        }
        self.furthest = self.main.iter().copied().max().unwrap_or(0) as usize;
        self.follows = self.main.iter().enumerate().all(|(i, &s)| s as usize == i);
        self.loops = self.seen.iter().any(|&n| n > 1);
        self.backs.clear();
        self.backs.extend(
            self.main
                .windows(2)
                .filter(|w| w[1] < w[0])
                .map(|w| (w[0], w[1])),
        );
        self.backs.sort_unstable();
        self.backs.dedup();
    }
}

impl ConformanceTally {
    /// An empty tally for a map with `stages` designed stages.
    pub fn new(stages: usize) -> Self {
        Self {
            skipped: vec![0; stages],
            reentered: vec![0; stages],
            reentered_lost: vec![0; stages],
            reentered_lost_value: vec![0.0; stages],
            ..Self::default()
        }
    }

    /// Adds one case, given its stage path with consecutive repeats collapsed.
    /// `designed` is the number of designed stages; larger numbers are outcomes.
    /// `lost` is the case's amount when it did not reach the last designed stage.
    pub fn add(&mut self, path: &[u16], designed: usize, lost: Option<f64>) {
        let mut shape = PathShape::default();
        shape.read(path, designed);
        let cases = PathCases {
            cases: 1,
            lost: u64::from(lost.is_some()),
            lost_value: lost.unwrap_or(0.0),
        };
        if !path.is_empty() {
            *self.paths.entry(path.to_vec()).or_default() += 1;
        }
        self.add_shape(&shape, cases);
    }

    /// Adds the cases that share one stage path of the given `shape` (see
    /// [`PathShape::read`]) to every count but `paths`, which the caller keeps.
    pub fn add_shape(&mut self, shape: &PathShape, n: PathCases) {
        if n.cases == 0 || shape.main.is_empty() {
            return;
        }
        self.cases += n.cases;
        if shape.follows {
            self.follows += n.cases;
        }
        for (s, &seen) in shape.seen.iter().enumerate() {
            if s < shape.furthest && seen == 0 {
                self.skipped[s] += n.cases;
            }
            if seen > 1 {
                self.reentered[s] += n.cases;
                self.reentered_lost[s] += n.lost;
                self.reentered_lost_value[s] += n.lost_value;
            }
        }
        if shape.loops {
            self.loop_cases += n.cases;
        }
        if !shape.backs.is_empty() {
            self.back_step_cases += n.cases;
            for &b in &shape.backs {
                *self.back_steps.entry(b).or_default() += n.cases;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::ConformanceTally;

    #[test]
    fn counts_follow_skip_back_and_loop() {
        let mut t = ConformanceTally::new(4);
        t.add(&[0, 1, 2, 3], 4, None); // follows
        t.add(&[0, 1], 4, None); // follows (stopped early)
        t.add(&[0, 2, 3], 4, None); // skips 1
        t.add(&[0, 1, 0, 1, 2], 4, None); // back step 1->0, loops on 0 and 1
        t.add(&[0, 4], 4, None); // follows, then outcome 4
        t.add(&[4], 4, None); // only an outcome: not a designed-order case
        t.add(&[], 4, None);
        assert_eq!(t.cases, 5);
        assert_eq!(t.follows, 3);
        assert_eq!(t.skipped, vec![0, 1, 0, 0]);
        assert_eq!(t.reentered, vec![1, 1, 0, 0]);
        assert_eq!(t.loop_cases, 1);
        assert_eq!(t.back_step_cases, 1);
        assert_eq!(t.back_steps.get(&(1, 0)), Some(&1));
        assert_eq!(t.paths.len(), 6);
        assert_eq!(t.paths.get(&vec![4]), Some(&1));
    }
}
