//! Ordering the staged events by (case rank, timestamp, input order), on two threads.
//!
//! A counting sort in two stable passes, so that writes stay in cache: first each half
//! of the rows (one per thread) goes into about a thousand buckets by the high bits of
//! its case's rank; then each thread takes the buckets of about half of the rows and,
//! bucket by bucket, places the rows by whole rank (the first half's rows before the
//! second's, so input order holds) and sorts each case by time, stably.

use std::panic::resume_unwind;

/// A row on its way: its timestamp, its case's rank and its input position.
type Slot = (i64, u32, u32);

/// The sorted order.
pub(crate) struct Sorted {
    /// Where each rank's rows start, plus the end (length: ranks + 1).
    pub(crate) starts: Vec<u64>,
    /// Input positions in sorted order.
    pub(crate) order: Vec<u32>,
    /// Timestamps in sorted order.
    pub(crate) timestamp_us: Vec<i64>,
}

/// Sorts rows by the rank of their case (`rank[case[row]]`), then by timestamp, keeping
/// input order on ties; `rank` is a permutation of `0..rank.len()`. The input columns'
/// memory is reused for the output.
pub(crate) fn sort(mut case: Vec<u32>, mut timestamp_us: Vec<i64>, rank: &[u32]) -> Sorted {
    let ranks = rank.len();
    let rows = case.len();
    let shift = (usize::BITS - ranks.leading_zeros()).saturating_sub(10);
    let buckets = (ranks >> shift) + 1;
    // Pass 1: each half of the rows into buckets, on its own thread.
    let middle = rows / 2;
    let bucket_half = |cases: &mut [u32], first_row: usize| {
        // Each row's case becomes its rank (looked up once, the lookups being random).
        let mut starts = vec![0usize; buckets + 1];
        for c in cases.iter_mut() {
            *c = rank[*c as usize];
            starts[(*c >> shift) as usize + 1] += 1;
        }
        for b in 0..buckets {
            starts[b + 1] += starts[b];
        }
        let mut fill = starts.clone();
        let mut slots: Vec<Slot> = vec![(0, 0, 0); cases.len()];
        let times = &timestamp_us[first_row..first_row + cases.len()];
        for (i, (&r, &ts)) in cases.iter().zip(times).enumerate() {
            let slot = &mut fill[(r >> shift) as usize];
            slots[*slot] = (ts, r, (first_row + i) as u32);
            *slot += 1;
        }
        (starts, slots)
    };
    let (case_low, case_high) = case.split_at_mut(middle);
    let (low, high) = std::thread::scope(|scope| {
        let low = scope.spawn(|| bucket_half(case_low, 0));
        let high = bucket_half(case_high, middle);
        (low.join().unwrap_or_else(|e| resume_unwind(e)), high)
    });
    // Pass 2: the buckets split where about half of the rows lie before.
    let halves = [(&low.0[..], &low.1[..]), (&high.0[..], &high.1[..])];
    let bucket_start = |b: usize| low.0[b] + high.0[b];
    let split = (0..=buckets)
        .find(|&b| bucket_start(b) >= middle)
        .unwrap_or(buckets);
    let split_rank = (split << shift).min(ranks);
    // The input is all in the buckets now: its columns take the output.
    let mut starts = vec![0u64; ranks + 1];
    let at = bucket_start(split);
    let (order_low, order_high) = case.split_at_mut(at);
    let (ts_low, ts_high) = timestamp_us.split_at_mut(at);
    let (ends_low, ends_high) = starts[1..].split_at_mut(split_rank);
    let place = |buckets: std::ops::Range<usize>, out: Region<'_>| {
        place_buckets(&halves, shift, ranks, buckets, out)
    };
    std::thread::scope(|scope| {
        let first = scope.spawn(|| {
            place(
                0..split,
                Region {
                    order: order_low,
                    timestamp_us: ts_low,
                    ends: ends_low,
                    first_row: 0,
                    first_rank: 0,
                },
            )
        });
        place(
            split..buckets,
            Region {
                order: order_high,
                timestamp_us: ts_high,
                ends: ends_high,
                first_row: at,
                first_rank: split_rank,
            },
        );
        first.join().unwrap_or_else(|e| resume_unwind(e));
    });
    Sorted {
        starts,
        order: case,
        timestamp_us,
    }
}

/// Where a thread's buckets go: their rows' slices of the output, and their ranks' ends.
struct Region<'a> {
    order: &'a mut [u32],
    timestamp_us: &'a mut [i64],
    /// `starts[r + 1]` for each rank `r` of the region.
    ends: &'a mut [u64],
    /// The output position of the region's first row.
    first_row: usize,
    /// The region's first rank.
    first_rank: usize,
}

/// Places the rows of `buckets` (from both halves, the first half's first) by rank, and
/// sorts each rank's rows by time, stably.
fn place_buckets(
    halves: &[(&[usize], &[Slot]); 2],
    shift: u32,
    ranks: usize,
    buckets: std::ops::Range<usize>,
    out: Region<'_>,
) {
    let mut scratch: Vec<(i64, u32)> = Vec::new();
    let mut next = vec![0usize; 1 << shift];
    let mut row = out.first_row;
    for b in buckets {
        let first_rank = b << shift;
        let width = ranks.saturating_sub(first_rank).min(1 << shift);
        let parts = halves.map(|(starts, slots)| &slots[starts[b]..starts[b + 1]]);
        let next = &mut next[..width];
        next.fill(0);
        for &(_, r, _) in parts.iter().flat_map(|p| p.iter()) {
            next[r as usize - first_rank] += 1;
        }
        // Counts become each rank's first place in the bucket; its end is recorded.
        let mut end = 0;
        for (i, place) in next.iter_mut().enumerate() {
            let count = *place;
            *place = end;
            end += count;
            out.ends[first_rank + i - out.first_rank] = (row + end) as u64;
        }
        scratch.clear();
        scratch.resize(end, (0, 0));
        for &(ts, r, input) in parts.iter().flat_map(|p| p.iter()) {
            let place = &mut next[r as usize - first_rank];
            scratch[*place] = (ts, input);
            *place += 1;
        }
        // `next` now holds each rank's end in the bucket.
        let mut start = 0;
        for &end in next.iter() {
            let case = &mut scratch[start..end];
            if !case.is_sorted_by_key(|&(ts, _)| ts) {
                case.sort_by_key(|&(ts, _)| ts);
            }
            start = end;
        }
        let local = row - out.first_row;
        for (k, &(ts, input)) in scratch.iter().enumerate() {
            out.order[local + k] = input;
            out.timestamp_us[local + k] = ts;
        }
        row += scratch.len();
    }
}
