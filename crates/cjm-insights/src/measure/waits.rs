//! The times between designed stages, kept as plain microseconds.
//!
//! The pass appends each case's waits to a [`WaitPart`] of its combination of segments
//! and period, split by whether the case reached the last designed stage. Parts are
//! never copied together: each segment holds the parts of its combinations (shared with
//! the other segments that hold them), and quantiles are read over the parts as they are.

use std::sync::Arc;

/// The waits of the cases of one combination of segments in one period.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WaitPart {
    /// The period key of the cases' first events (`None` without trend periods).
    pub period: Option<i64>,
    /// Per designed stage `k` (index 0 stays empty): microseconds from stage `k - 1`, of
    /// the cases that reached the last designed stage.
    pub kept: Vec<Vec<i64>>,
    /// The same, of the cases that did not (lost cases).
    pub lost: Vec<Vec<i64>>,
    /// With an amount attribute: the amount of the case of each entry of `lost`.
    pub lost_amounts: Vec<Vec<f64>>,
}

impl WaitPart {
    /// No waits, for a map with `designed` designed stages.
    pub fn new(designed: usize, period: Option<i64>) -> Self {
        Self {
            period,
            kept: vec![Vec::new(); designed],
            lost: vec![Vec::new(); designed],
            lost_amounts: vec![Vec::new(); designed],
        }
    }

    /// Adds the waits of a case that reached `level` (its steps at `step_us`); `lost`
    /// carries the case's amount (0 without one) when it did not reach the last stage.
    #[inline(always)]
    pub fn add(&mut self, step_us: &[i64], lost: Option<f64>, with_amount: bool) {
        let lists = if lost.is_some() {
            &mut self.lost
        } else {
            &mut self.kept
        };
        for k in 1..step_us.len().min(lists.len()) {
            lists[k].push(step_us[k] - step_us[k - 1]);
        }
        if let (Some(amount), true) = (lost, with_amount) {
            for list in self.lost_amounts.iter_mut().take(step_us.len()).skip(1) {
                list.push(amount);
            }
        }
    }
}

/// The waits of one segment, in parts shared with other segments.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Waits {
    pub parts: Vec<Arc<WaitPart>>,
}

/// What the waits into one stage above a bound come to.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Above {
    pub cases: u64,
    /// Of them, cases that did not reach the last designed stage.
    pub lost: u64,
    /// Their summed amount (0 without an amount attribute).
    pub lost_value: f64,
}

impl Waits {
    /// The waits into designed stage `k` of the cases of the parts that `keep` keeps.
    pub fn into_stage_where(&self, k: usize, keep: impl Fn(&WaitPart) -> bool) -> Vec<&[i64]> {
        self.parts
            .iter()
            .filter(|p| keep(p))
            .flat_map(|p| [&p.kept[k][..], &p.lost[k][..]])
            .filter(|s| !s.is_empty())
            .collect()
    }

    /// The waits into designed stage `k`.
    pub fn into_stage(&self, k: usize) -> Vec<&[i64]> {
        self.into_stage_where(k, |_| true)
    }

    /// How many waits into designed stage `k` there are.
    pub fn count(&self, k: usize) -> usize {
        self.into_stage(k).iter().map(|s| s.len()).sum()
    }

    /// The waits into designed stage `k` longer than `bound` microseconds.
    pub fn above(&self, k: usize, bound: f64) -> Above {
        // Below 2^53 in size every wait converts to a float exactly, so `w > floor(bound)`
        // is `w as f64 > bound`, and the integer test is the cheaper one.
        const EXACT: f64 = 9_007_199_254_740_992.0;
        if bound.abs() < EXACT {
            let b = bound.floor() as i64;
            self.above_where(k, |w| w > b)
        } else {
            self.above_where(k, |w| w as f64 > bound)
        }
    }

    /// [`Waits::above`] with the test `longer`.
    #[inline(always)]
    fn above_where(&self, k: usize, longer: impl Fn(i64) -> bool) -> Above {
        let mut above = Above::default();
        for part in &self.parts {
            let kept = part.kept[k].iter().filter(|&&w| longer(w)).count() as u64;
            let lost = part.lost[k].iter().filter(|&&w| longer(w)).count() as u64;
            above.cases += kept + lost;
            above.lost += lost;
            if lost > 0 {
                for (&w, &amount) in part.lost[k].iter().zip(&part.lost_amounts[k]) {
                    if longer(w) {
                        above.lost_value += amount;
                    }
                }
            }
        }
        above
    }
}
