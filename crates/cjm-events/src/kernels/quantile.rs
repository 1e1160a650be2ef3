//! Order statistics shared by the kernels: linear-interpolation quantiles and a summary.

use serde::Serialize;

/// The `q`-quantile (0 ≤ q ≤ 1) of `values` by linear interpolation between the two
/// nearest ranks (numpy's default; the median of an even count is the mean of the two
/// middle values, as in pm4py); `None` when `values` is empty.
pub fn quantile(values: &[i64], q: f64) -> Option<f64> {
    quantiles(values, &[q]).pop().flatten()
}

/// Several quantiles of the same values (see [`quantile`]), from one counting pass.
pub fn quantiles(values: &[i64], qs: &[f64]) -> Vec<Option<f64>> {
    quantiles_of_parts(&[values], qs)
}

/// [`quantiles`] of the values of all `parts` together.
pub fn quantiles_of_parts(parts: &[&[i64]], qs: &[f64]) -> Vec<Option<f64>> {
    quantiles_of_parts_within(parts, qs, None)
}

/// [`quantiles_of_parts`] of values that the caller expects in `bounds` (`(lowest,
/// highest)`, as step gaps lie within a funnel's window): the select then needs no pass to
/// find their range. A value out of bounds costs that pass after all, never a wrong answer.
pub fn quantiles_of_parts_within(
    parts: &[&[i64]],
    qs: &[f64],
    bounds: Option<(i64, i64)>,
) -> Vec<Option<f64>> {
    let len: usize = parts.iter().map(|p| p.len()).sum();
    // Never `None`: every rank is read.
    interpolated(len, qs, |ranks| {
        Some(values_at_ranks(parts, len, ranks, bounds))
    })
    .unwrap_or_else(|| vec![None; qs.len()])
}

/// The quantiles `qs` of `len` values by linear interpolation (see [`quantile`]), given
/// `values_at`: the values at ascending ranks in sorted order, or `None` when it cannot
/// tell them (then the answer is `None` too).
pub(super) fn interpolated(
    len: usize,
    qs: &[f64],
    values_at: impl FnOnce(&[usize]) -> Option<Vec<i64>>,
) -> Option<Vec<Option<f64>>> {
    if len == 0 {
        return Some(vec![None; qs.len()]);
    }
    let last = len - 1;
    let positions: Vec<(usize, f64)> = qs
        .iter()
        .map(|q| {
            let position = q.clamp(0.0, 1.0) * last as f64;
            (position.floor() as usize, position.fract())
        })
        .collect();
    let mut ranks: Vec<usize> = positions
        .iter()
        .flat_map(|&(lower, _)| [lower, (lower + 1).min(last)])
        .collect();
    ranks.sort_unstable();
    ranks.dedup();
    let at = values_at(&ranks)?;
    let value = |rank: usize| at[ranks.partition_point(|&r| r < rank)];
    let quantiles = positions.iter().map(|&(lower, fraction)| {
        let low = value(lower);
        if fraction == 0.0 || lower == last {
            return Some(low as f64);
        }
        let (low, high) = (low as f64, value(lower + 1) as f64);
        Some(low + (high - low) * fraction)
    });
    Some(quantiles.collect())
}

/// [`quantiles_of_parts_within`] of each set of parts, the large sets side by side on all
/// cores.
pub fn quantiles_of_each(
    sets: &[Vec<&[i64]>],
    qs: &[f64],
    bounds: Option<(i64, i64)>,
) -> Vec<Vec<Option<f64>>> {
    const PARALLEL_FROM: usize = 1 << 16;
    let size = |set: &Vec<&[i64]>| set.iter().map(|p| p.len()).sum::<usize>();
    let of = |set: &Vec<&[i64]>| quantiles_of_parts_within(set, qs, bounds);
    if sets.iter().map(size).sum::<usize>() < PARALLEL_FROM {
        return sets.iter().map(of).collect();
    }
    super::in_parallel(sets.iter().map(|set| move || of(set)))
}

/// Below this many values, sorting a copy is as quick as counting.
const SORT_BELOW: usize = 4096;
/// The counting pass sorts values into at most this many buckets by their high bits.
const BUCKET_BITS: u32 = 16;

/// The values of the given ascending `ranks` (each below `len`, the number of values in
/// all `parts`) in sorted order, without reordering anything: a radix select. One pass
/// counts values per bucket of high bits of their offset in their range (`bounds`, or
/// found by a first pass), which names each rank's bucket; a second pass gathers just those
/// buckets, and a selection inside each finishes.
fn values_at_ranks(
    parts: &[&[i64]],
    len: usize,
    ranks: &[usize],
    bounds: Option<(i64, i64)>,
) -> Vec<i64> {
    if len < SORT_BELOW {
        let mut sorted: Vec<i64> = parts.concat();
        sorted.sort_unstable();
        return ranks.iter().map(|&r| sorted[r]).collect();
    }
    let (min, max) = match bounds {
        Some((low, high)) if low <= high => (low, high),
        _ => parts
            .iter()
            .flat_map(|p| p.iter())
            .fold((i64::MAX, i64::MIN), |(low, high), &v| {
                (low.min(v), high.max(v))
            }),
    };
    let span = max.wrapping_sub(min) as u64;
    let shift = (u64::BITS - span.leading_zeros()).saturating_sub(BUCKET_BITS);
    let bucket = |v: i64| (v.wrapping_sub(min) as u64 >> shift) as usize;
    let mut counts = vec![0u32; bucket(max) + 1];
    // A value below the range wraps to a bucket past the last one, as one above it lands.
    let mut outside = false;
    for part in parts {
        for &v in *part {
            match counts.get_mut(bucket(v)) {
                Some(n) => *n += 1,
                None => outside = true,
            }
        }
    }
    if outside {
        return values_at_ranks(parts, len, ranks, None);
    }
    // Each rank's bucket and its rank inside that bucket.
    let mut wanted: Vec<(usize, usize)> = Vec::with_capacity(ranks.len());
    let (mut b, mut below) = (0usize, 0usize);
    for &rank in ranks {
        while below + counts[b] as usize <= rank {
            below += counts[b] as usize;
            b += 1;
        }
        wanted.push((b, rank - below));
    }
    if shift == 0 {
        return wanted
            .iter()
            .map(|&(b, _)| min.wrapping_add(b as i64))
            .collect();
    }
    let mut buckets: Vec<usize> = wanted.iter().map(|&(b, _)| b).collect();
    buckets.dedup();
    // Per bucket: where its values are gathered, or `NOT_GATHERED`.
    const NOT_GATHERED: u32 = u32::MAX;
    let mut gathered_in = vec![NOT_GATHERED; counts.len()];
    for (k, &b) in buckets.iter().enumerate() {
        gathered_in[b] = k as u32;
    }
    let mut gathered: Vec<Vec<i64>> = buckets
        .iter()
        .map(|&b| Vec::with_capacity(counts[b] as usize))
        .collect();
    for part in parts {
        for &v in *part {
            let k = gathered_in[bucket(v)];
            if k != NOT_GATHERED {
                gathered[k as usize].push(v);
            }
        }
    }
    wanted
        .iter()
        .map(|&(b, rank)| {
            *gathered[gathered_in[b] as usize]
                .select_nth_unstable(rank)
                .1
        })
        .collect()
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
    /// Summarises durations given in microseconds; `None` when empty.
    pub fn of(values_us: &[i64]) -> Option<Self> {
        let count = values_us.len();
        let at = quantiles(values_us, &[0.0, 0.25, 0.5, 0.75, 0.9, 1.0]);
        let second = |k: usize| at[k].map(seconds);
        let (min_s, p25_s, median_s, p75_s, p90_s, max_s) = (
            second(0)?,
            second(1)?,
            second(2)?,
            second(3)?,
            second(4)?,
            second(5)?,
        );
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

#[cfg(test)]
mod tests {
    use super::{SORT_BELOW, quantile, quantiles, quantiles_of_parts, quantiles_of_parts_within};
    use proptest::prelude::*;

    /// The textbook definition over a sorted copy.
    fn reference(values: &[i64], q: f64) -> Option<f64> {
        let mut sorted = values.to_vec();
        sorted.sort_unstable();
        let position = q * (sorted.len().checked_sub(1)?) as f64;
        let (lower, fraction) = (position.floor() as usize, position.fract());
        let low = sorted[lower] as f64;
        match sorted.get(lower + 1) {
            Some(&high) if fraction > 0.0 => Some(low + (high as f64 - low) * fraction),
            _ => Some(low),
        }
    }

    const QS: [f64; 7] = [0.0, 0.1, 0.25, 0.5, 0.75, 0.9, 1.0];

    fn agrees(values: &[i64]) -> Result<(), TestCaseError> {
        let fast = quantiles(values, &QS);
        let (front, back) = values.split_at(values.len() / 3);
        let parts = quantiles_of_parts(&[back, &[], front], &QS);
        // Declared bounds: exact, wider, or too narrow (which must still be right).
        let (low, high) = (values.iter().min(), values.iter().max());
        let within = |bounds| quantiles_of_parts_within(&[back, front], &QS, bounds);
        let bounded = [
            (low.zip(high).map(|(&l, &h)| (l, h)), "exact"),
            (
                low.zip(high)
                    .map(|(&l, &h)| (l.saturating_sub(9), h.saturating_add(99))),
                "wider",
            ),
            (
                low.zip(high).map(|(&l, &h)| (l / 2 + h / 2, h)),
                "too narrow",
            ),
        ];
        for ((q, got), in_parts) in QS.iter().zip(&fast).zip(parts) {
            prop_assert_eq!(*got, reference(values, *q), "q = {}", q);
            prop_assert_eq!(in_parts, *got, "q = {} in parts", q);
        }
        for (bounds, how) in bounded {
            prop_assert_eq!(&within(bounds), &fast, "{} bounds {:?}", how, bounds);
        }
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

        #[test]
        fn counting_select_equals_sorting(
            values in prop::collection::vec(any::<i64>(), 0..20),
            narrow in prop::collection::vec(-3i64..50, SORT_BELOW..SORT_BELOW + 300),
            wide in prop::collection::vec(
                prop_oneof![any::<i64>(), 0i64..1_000_000, Just(i64::MIN), Just(i64::MAX)],
                SORT_BELOW..SORT_BELOW + 300,
            ),
        ) {
            agrees(&values)?;
            agrees(&narrow)?;
            agrees(&wide)?;
        }
    }

    #[test]
    fn one_crowded_bucket() {
        let mut values: Vec<i64> = (0..10_000).map(|i| 1_000_000 + i % 7).collect();
        values.push(i64::MAX / 2);
        assert_eq!(quantile(&values, 0.5), reference(&values, 0.5));
        assert_eq!(quantile(&[], 0.5), None);
    }
}
