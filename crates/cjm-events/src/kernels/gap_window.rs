//! Exact quantiles of a funnel step's gaps without keeping every gap.
//!
//! A funnel over millions of cases tallies millions of step gaps, only to read two order
//! statistics of each step from them. Writing them all out costs more than the match
//! itself on a machine where every fresh page of memory is paid for. So a large funnel
//! first matches a sample of its cases; the sample's gaps name, per step and wanted
//! quantile, a range of values wide enough to hold that quantile's ranks with a wide
//! margin of sampling error ([`Kept::around`]). The full pass then counts every gap but
//! keeps only those inside the ranges, and how many fell below each range
//! ([`WindowedGaps`]). A rank that lands inside a range is read exactly from the kept
//! values; one that does not (a sample that misled) is reported as missing, and the caller
//! runs the funnel again keeping every gap. Either way the answer is the exact one.

use super::quantile::interpolated;

/// The gap values one step keeps: up to [`RANGES`] disjoint inclusive ranges, in
/// increasing order (an unused one is empty: its start is past its end).
#[derive(Debug, Clone, PartialEq)]
pub struct Kept {
    ranges: [(i64, i64); RANGES],
}

/// The most ranges a step keeps: one around each quantile the funnel reports.
pub const RANGES: usize = 2;
/// A range that holds nothing.
const EMPTY: (i64, i64) = (i64::MAX, i64::MIN);

/// Fewer sampled gaps than this and a step keeps every gap.
const MIN_SAMPLE: usize = 2_000;
/// The margin around a sampled quantile, in standard errors of its rank.
const MARGIN: f64 = 4.0;

impl Kept {
    /// Every value.
    pub fn all() -> Self {
        Self {
            ranges: [(i64::MIN, i64::MAX), EMPTY],
        }
    }

    /// Ranges around the quantiles `qs` of the values `sample` (reordered), each reaching
    /// [`MARGIN`] standard errors of the sampled rank (plus a little) to either side; every
    /// value when the sample is too small to go by.
    pub fn around(sample: &mut [i64], qs: &[f64; RANGES]) -> Self {
        let n = sample.len();
        if n < MIN_SAMPLE {
            return Self::all();
        }
        let last = (n - 1) as f64;
        let mut at = |rank: usize| *sample.select_nth_unstable(rank.min(n - 1)).1;
        let mut ranges: Vec<(i64, i64)> = qs
            .iter()
            .map(|&q| {
                let q = q.clamp(0.0, 1.0);
                let spread = MARGIN * (q * (1.0 - q) / n as f64).sqrt() + 16.0 / n as f64;
                let (from, to) = (q - spread, q + spread);
                let lo = if from <= 0.0 {
                    i64::MIN
                } else {
                    at((from * last).floor() as usize)
                };
                let hi = if to >= 1.0 {
                    i64::MAX
                } else {
                    at((to * last).ceil() as usize)
                };
                (lo, hi)
            })
            .collect();
        ranges.sort_unstable();
        let mut merged = [EMPTY; RANGES];
        let mut used: usize = 0;
        for (lo, hi) in ranges {
            match used.checked_sub(1).map(|i| &mut merged[i]) {
                Some(last) if lo <= last.1 => last.1 = last.1.max(hi),
                _ => {
                    merged[used] = (lo, hi);
                    used += 1;
                }
            }
        }
        Self { ranges: merged }
    }
}

/// One step's gaps as the full pass tallies them: those in the step's [`Kept`] ranges
/// stored, and per range the number below it. (How many gaps there are in all the caller
/// knows already: a step has a gap in every case that went past it.)
#[derive(Debug, Clone, Default)]
pub struct WindowedGaps {
    /// Per range: the gaps below its start.
    below: [u64; RANGES],
    kept: Vec<i64>,
}

impl WindowedGaps {
    /// Counts a gap, and keeps it when it lies in a range of `kept`.
    #[inline(always)]
    pub fn add(&mut self, kept: &Kept, gap: i64) {
        let [(lo0, hi0), (lo1, hi1)] = kept.ranges;
        self.below[0] += u64::from(gap < lo0);
        self.below[1] += u64::from(gap < lo1);
        if (lo0 <= gap) & (gap <= hi0) | (lo1 <= gap) & (gap <= hi1) {
            self.kept.push(gap);
        }
    }

    /// How many gaps are kept.
    pub fn len(&self) -> usize {
        self.kept.len()
    }

    /// Adds the tally of other cases over the same ranges.
    pub fn merge(&mut self, other: WindowedGaps) {
        for (a, b) in self.below.iter_mut().zip(other.below) {
            *a += b;
        }
        self.kept.extend(other.kept);
    }

    /// The quantiles `qs` of all `count` gaps tallied, exactly as
    /// [`super::quantile::quantiles`] would give them from every gap; `None` when a rank
    /// they need lies outside the kept ranges. Reorders the kept values.
    pub fn quantiles(&mut self, kept: &Kept, count: u64, qs: &[f64]) -> Option<Vec<Option<f64>>> {
        interpolated(count as usize, qs, |ranks| {
            let mut value_at = self.ranked(kept);
            ranks.iter().map(|&rank| value_at(rank as u64)).collect()
        })
    }

    /// The value at a rank among all counted gaps, read from the kept values of the range
    /// that holds it (`None` when none does). The kept values are first split in place
    /// by range (the ranges are disjoint and in order), then selected in place.
    fn ranked(&mut self, kept: &Kept) -> impl FnMut(u64) -> Option<i64> + '_ {
        let hi0 = kept.ranges[0].1;
        let split = partition(&mut self.kept, |g| g <= hi0);
        let (first, second) = self.kept.split_at_mut(split);
        let in_second = second
            .iter()
            .filter(|&&g| (kept.ranges[1].0 <= g) & (g <= kept.ranges[1].1))
            .count();
        let spans = [
            (self.below[0], first.len() as u64),
            (self.below[1], in_second as u64),
        ];
        let parts = [first, second];
        move |rank| {
            let i = spans
                .iter()
                .position(|&(below, n)| (below..below + n).contains(&rank))?;
            let offset = (rank - spans[i].0) as usize;
            Some(*parts[i].select_nth_unstable(offset).1)
        }
    }
}

/// Moves the values that `first` holds for to the front, in place; returns how many.
fn partition(values: &mut [i64], first: impl Fn(i64) -> bool) -> usize {
    let mut split = 0;
    for i in 0..values.len() {
        if first(values[i]) {
            values.swap(split, i);
            split += 1;
        }
    }
    split
}

#[cfg(test)]
mod tests {
    use super::{Kept, MIN_SAMPLE, WindowedGaps};
    use crate::kernels::quantile::quantiles;
    use proptest::prelude::*;

    const QS: [f64; 4] = [0.0, 0.5, 0.9, 1.0];

    /// The tally of `values`, and how many there are.
    fn tally(values: &[i64], kept: &Kept) -> (WindowedGaps, u64) {
        // In two parts, merged, as two threads would.
        let (a, b) = values.split_at(values.len() / 3);
        let (mut x, mut y) = (WindowedGaps::default(), WindowedGaps::default());
        a.iter().for_each(|&g| x.add(kept, g));
        b.iter().for_each(|&g| y.add(kept, g));
        x.merge(y);
        (x, values.len() as u64)
    }

    fn windowed(values: &[i64], kept: &Kept, qs: &[f64]) -> Option<Vec<Option<f64>>> {
        let (mut t, count) = tally(values, kept);
        t.quantiles(kept, count, qs)
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

        #[test]
        fn windowed_quantiles_are_exact_or_missing(
            values in prop::collection::vec(
                prop_oneof![0i64..1_000, 0i64..10_000_000, Just(0i64)],
                0..6_000,
            ),
            every in 1usize..8,
            lo in -5i64..2_000_000,
            width in 0i64..3_000_000,
        ) {
            let exact = quantiles(&values, &QS);
            // Ranges from a sample of every `every`-th value.
            let mut sample: Vec<i64> = values.iter().step_by(every).copied().collect();
            let from_sample = Kept::around(&mut sample, &[QS[1], QS[2]]);
            // Every value: always answers.
            prop_assert_eq!(windowed(&values, &Kept::all(), &QS), Some(exact.clone()));
            // A sample's ranges or an arbitrary one: exact whenever it answers.
            for kept in [from_sample, Kept { ranges: [(lo, lo + width), super::EMPTY] }] {
                let got = windowed(&values, &kept, &QS[1..3]);
                if let Some(got) = got {
                    prop_assert_eq!(got, exact[1..3].to_vec(), "ranges {:?}", kept);
                }
            }
        }
    }

    #[test]
    fn a_fair_sample_answers_and_a_misleading_one_does_not() {
        // 50,000 gaps in a spread of values; the sample: every 10th.
        let values: Vec<i64> = (0..50_000i64).map(|i| (i * 7_919) % 1_000_003).collect();
        let mut sample: Vec<i64> = values.iter().step_by(10).copied().collect();
        assert!(sample.len() >= MIN_SAMPLE);
        let kept = Kept::around(&mut sample, &[0.5, 0.9]);
        let (mut t, count) = tally(&values, &kept);
        assert!(t.kept.len() < values.len() / 4, "kept {}", t.kept.len());
        assert_eq!(
            t.quantiles(&kept, count, &[0.5, 0.9]),
            Some(quantiles(&values, &[0.5, 0.9]))
        );
        // A sample of the smallest values only names ranges that miss the median.
        let mut low: Vec<i64> = values.iter().copied().filter(|&v| v < 100_000).collect();
        let misled = Kept::around(&mut low, &[0.5, 0.9]);
        assert_eq!(windowed(&values, &misled, &[0.5, 0.9]), None);
    }
}
