//! The analytics kernels: funnel, paths, directly-follows graph, variants, case durations.
//!
//! Each kernel scans a range of cases into a partial result, partial results merge, and a
//! final step turns the merged partial into a report (a plain serde-serialisable struct).
//! [`run`] splits the cases of a [`Selection`] into chunks of about equal event counts and
//! scans them on all cores; the same split lets a later version run partitioned by case on
//! a distributed engine.

mod crew;
pub mod dfg;
pub mod durations;
mod edge_median;
pub mod funnel;
pub mod funnel_chain;
pub mod funnel_plain;
mod gap_window;
pub mod paths;
pub mod quantile;
pub mod variants;

use std::ops::Range;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::filter::Selection;

/// A computation over cases whose partial results merge.
pub trait Kernel: Sync {
    /// What one range of cases yields.
    type Partial: Send;
    /// The partial of no case at all.
    fn empty(&self) -> Self::Partial;
    /// Adds the selected cases in `cases` to `partial`.
    fn scan(&self, selection: &Selection<'_>, cases: Range<usize>, partial: &mut Self::Partial);
    /// Adds `other` to `into`.
    fn merge(&self, into: &mut Self::Partial, other: Self::Partial);
}

/// How many threads kernels use: `CJM_THREADS` if set, else all cores.
pub fn thread_count() -> usize {
    std::env::var("CJM_THREADS")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|&n| n > 0)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
}

/// Runs `kernel` over every case of the selection on [`thread_count`] threads.
pub fn run<K: Kernel>(kernel: &K, selection: &Selection<'_>) -> K::Partial {
    run_on(kernel, selection, thread_count())
}

/// Runs `kernel` over every case of the selection on `threads` threads.
pub fn run_on<K: Kernel>(kernel: &K, selection: &Selection<'_>, threads: usize) -> K::Partial {
    let journeys = selection.journeys();
    let cases = journeys.case_count();
    let threads = threads.clamp(1, cases.max(1));
    if threads == 1 {
        let mut partial = kernel.empty();
        kernel.scan(selection, 0..cases, &mut partial);
        return partial;
    }
    let pieces = Pieces::between(
        &chunk_bounds(journeys.case_offsets, threads * PIECES),
        threads,
    );
    let worker = || {
        let mut partial = kernel.empty();
        while let Some(run) = pieces.claim() {
            for cases in run {
                kernel.scan(selection, cases.clone(), &mut partial);
            }
        }
        partial
    };
    let partials = in_parallel((0..threads).map(|_| worker));
    let mut partials = partials.into_iter();
    let mut total = partials.next().unwrap_or_else(|| kernel.empty());
    for partial in partials {
        kernel.merge(&mut total, partial);
    }
    total
}

/// Runs each job on its own scoped thread and returns the results in job order (a panic
/// in a job is raised again in the caller).
pub fn in_parallel<T: Send, F: FnOnce() -> T + Send>(jobs: impl IntoIterator<Item = F>) -> Vec<T> {
    std::thread::scope(|scope| {
        let handles: Vec<_> = jobs.into_iter().map(|job| scope.spawn(job)).collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    })
}

/// Pieces of about equal event counts per thread (see [`Pieces`]).
const PIECES: usize = 64;

/// Ranges of cases (pieces of a run), which threads claim in runs that shrink as the
/// pieces run out (guided scheduling): a thread's first claim is large, so claims are
/// few, and the last ones are single pieces, so the threads finish within about one
/// piece of each other.
struct Pieces {
    pieces: Vec<Range<usize>>,
    threads: usize,
    next: AtomicUsize,
}

impl Pieces {
    /// The pieces between consecutive `bounds`.
    fn between(bounds: &[usize], threads: usize) -> Self {
        Self::new(bounds.windows(2).map(|w| w[0]..w[1]).collect(), threads)
    }

    fn new(pieces: Vec<Range<usize>>, threads: usize) -> Self {
        Self {
            pieces,
            threads: threads.max(1),
            next: AtomicUsize::new(0),
        }
    }

    /// The next run of pieces: a share of those left, `None` when none are.
    fn claim(&self) -> Option<&[Range<usize>]> {
        let mut at = self.next.load(Ordering::Relaxed);
        loop {
            let left = self.pieces.len().checked_sub(at).filter(|&n| n > 0)?;
            let take = (left / (2 * self.threads)).max(1);
            match self.next.compare_exchange_weak(
                at,
                at + take,
                Ordering::Relaxed,
                Ordering::Relaxed,
            ) {
                Ok(_) => return Some(&self.pieces[at..at + take]),
                Err(now) => at = now,
            }
        }
    }
}

/// Case numbers that cut the log into about `chunks` pieces of equal event counts.
fn chunk_bounds(case_offsets: &[u64], chunks: usize) -> Vec<usize> {
    let cases = case_offsets.len().saturating_sub(1);
    let events = case_offsets.last().copied().unwrap_or(0);
    let mut bounds = vec![0];
    for k in 1..chunks {
        let target = events * k as u64 / chunks as u64;
        let cut = case_offsets.partition_point(|&o| o < target).min(cases);
        if cut > *bounds.last().unwrap_or(&0) {
            bounds.push(cut);
        }
    }
    if cases > *bounds.last().unwrap_or(&0) || bounds.len() == 1 {
        bounds.push(cases);
    }
    bounds
}

#[cfg(test)]
mod tests {
    use super::{Pieces, chunk_bounds};

    #[test]
    fn chunks_cover_every_case_once() {
        let offsets = [0, 5, 6, 6, 20, 21, 40];
        for chunks in 1..10 {
            let b = chunk_bounds(&offsets, chunks);
            assert_eq!(b.first(), Some(&0));
            assert_eq!(b.last(), Some(&6));
            assert!(b.windows(2).all(|w| w[0] < w[1]), "{b:?}");
        }
        assert_eq!(chunk_bounds(&[0], 4), vec![0, 0]);
    }

    #[test]
    fn claims_cover_every_piece_once_in_shrinking_runs() {
        let bounds: Vec<usize> = (0..=100).map(|k| k * 3).collect();
        let pieces = Pieces::between(&bounds, 2);
        let claims: Vec<&[std::ops::Range<usize>]> =
            std::iter::from_fn(|| pieces.claim()).collect();
        let cases: Vec<usize> = claims
            .iter()
            .flat_map(|run| run.iter().cloned().flatten())
            .collect();
        assert_eq!(cases, (0..300).collect::<Vec<_>>());
        assert!(claims.windows(2).all(|w| w[0].len() >= w[1].len()));
        assert_eq!(claims[0].len(), 25);
        assert_eq!(claims.last().map(|run| run.len()), Some(1));
        assert!(Pieces::between(&[0], 2).claim().is_none());
    }
}
