//! Order statistics shared by the kernels: linear-interpolation quantiles and a summary.

use serde::Serialize;

/// The `q`-quantile (0 ≤ q ≤ 1) of `values` by linear interpolation between the two
/// nearest ranks (numpy's default; the median of an even count is the mean of the two
/// middle values, as in pm4py). Reorders `values`; `None` when it is empty.
pub fn quantile(values: &mut [i64], q: f64) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    let position = q.clamp(0.0, 1.0) * (values.len() - 1) as f64;
    let lower = position.floor() as usize;
    let fraction = position - lower as f64;
    let (_, &mut low, above) = values.select_nth_unstable(lower);
    if fraction == 0.0 || above.is_empty() {
        return Some(low as f64);
    }
    let high = *above.iter().min()?;
    Some(low as f64 + (high - low) as f64 * fraction)
}

/// Microseconds to seconds.
pub fn seconds(us: f64) -> f64 {
    us / 1e6
}

/// The spread of a set of durations, in seconds.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DurationSummary {
    /// How many durations.
    pub count: u64,
    pub min_s: f64,
    pub p25_s: f64,
    pub median_s: f64,
    pub p75_s: f64,
    pub p90_s: f64,
    pub max_s: f64,
    pub mean_s: f64,
}

impl DurationSummary {
    /// Summarises durations given in microseconds (reorders them); `None` when empty.
    pub fn of(values_us: &mut [i64]) -> Option<Self> {
        let count = values_us.len();
        let mut at = |q| quantile(values_us, q).map(seconds);
        let (min_s, p25_s, median_s, p75_s, p90_s, max_s) =
            (at(0.0)?, at(0.25)?, at(0.5)?, at(0.75)?, at(0.9)?, at(1.0)?);
        let sum: i128 = values_us.iter().map(|&v| v as i128).sum();
        Some(Self {
            count: count as u64,
            min_s,
            p25_s,
            median_s,
            p75_s,
            p90_s,
            max_s,
            mean_s: sum as f64 / count as f64 / 1e6,
        })
    }
}
