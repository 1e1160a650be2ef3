//! Designed vs actual: how each case's real stage sequence departs from the map's order.

use std::collections::HashMap;

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
    pub back_steps: HashMap<(u16, u16), u64>,
    /// Cases that entered some stage more than once.
    pub loop_cases: u64,
    /// Real stage paths (consecutive repeats collapsed, outcomes included) with their case counts.
    pub paths: HashMap<Vec<u16>, u64>,
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
        if path.is_empty() {
            return;
        }
        *self.paths.entry(path.to_vec()).or_default() += 1;
        let main: Vec<u16> = {
            let mut v: Vec<u16> = Vec::with_capacity(path.len());
            for &s in path.iter().filter(|&&s| (s as usize) < designed) {
                if v.last() != Some(&s) {
                    v.push(s);
                }
            }
            v
        };
        if main.is_empty() {
            return;
        }
        self.cases += 1;
        if main.iter().enumerate().all(|(i, &s)| s as usize == i) {
            self.follows += 1;
        }
        let mut seen = vec![0u32; designed];
        for &s in &main {
            seen[s as usize] += 1;
        }
        let furthest = main.iter().copied().max().unwrap_or(0) as usize;
        for (s, &n) in seen.iter().enumerate() {
            if s < furthest && n == 0 {
                self.skipped[s] += 1;
            }
            if n > 1 {
                self.reentered[s] += 1;
                if let Some(amount) = lost {
                    self.reentered_lost[s] += 1;
                    self.reentered_lost_value[s] += amount;
                }
            }
        }
        if seen.iter().any(|&n| n > 1) {
            self.loop_cases += 1;
        }
        let mut backs: Vec<(u16, u16)> = main
            .windows(2)
            .filter(|w| w[1] < w[0])
            .map(|w| (w[0], w[1]))
            .collect();
        if !backs.is_empty() {
            self.back_step_cases += 1;
            backs.sort_unstable();
            backs.dedup();
            for b in backs {
                *self.back_steps.entry(b).or_default() += 1;
            }
        }
    }

    /// Adds another tally's counts to this one.
    pub fn merge(&mut self, other: ConformanceTally) {
        self.cases += other.cases;
        self.follows += other.follows;
        for (a, b) in self.skipped.iter_mut().zip(other.skipped) {
            *a += b;
        }
        for (a, b) in self.reentered.iter_mut().zip(other.reentered) {
            *a += b;
        }
        for (a, b) in self.reentered_lost.iter_mut().zip(other.reentered_lost) {
            *a += b;
        }
        for (a, b) in self
            .reentered_lost_value
            .iter_mut()
            .zip(other.reentered_lost_value)
        {
            *a += b;
        }
        self.back_step_cases += other.back_step_cases;
        for (k, v) in other.back_steps {
            *self.back_steps.entry(k).or_default() += v;
        }
        self.loop_cases += other.loop_cases;
        for (k, v) in other.paths {
            *self.paths.entry(k).or_default() += v;
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
