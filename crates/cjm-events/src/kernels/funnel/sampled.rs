//! The run of a large funnel that only totals: a sample of the log names the step gaps
//! worth keeping (see [`super::super::gap_window`]), then the rest of the log is matched
//! keeping only those.
//!
//! One crew of threads does it all, keeping its working memory from phase to phase:
//! 1. each worker matches its share of the sample pieces, keeping every gap;
//! 2. the workers take the steps in turn and name each one's kept ranges from the sample;
//! 3. they match the rest of the log, keeping only the gaps in the ranges;
//! 4. the sample's gaps are tallied over the same ranges (so no case is matched twice),
//!    and the workers read the steps' quantiles in turn.
//!
//! The sample is fixed by the log alone: every [`SAMPLE_EVERY`]-th of [`PIECES`] pieces
//! of about equal event counts, spread over the whole log.

use std::ops::Range;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock, PoisonError};

use super::{Funnel, FunnelPartial, FunnelReport, STEP_QUANTILES};
use crate::filter::Selection;
use crate::kernels::crew::Crew;
use crate::kernels::gap_window::{Kept, WindowedGaps};
use crate::kernels::{Kernel, Pieces, chunk_bounds, thread_count};

/// The log is cut into this many pieces...
const PIECES: usize = 256;
/// ...of which every this-many-th, from the middle of the first run, is the sample.
const SAMPLE_EVERY: usize = 32;

/// The sample pieces of a log with these case offsets, and the other pieces.
pub(super) fn split(case_offsets: &[u64]) -> (Vec<Range<usize>>, Vec<Range<usize>>) {
    let (mut sample, mut rest) = (Vec::new(), Vec::new());
    for (i, w) in chunk_bounds(case_offsets, PIECES).windows(2).enumerate() {
        let to = if i % SAMPLE_EVERY == SAMPLE_EVERY / 2 {
            &mut sample
        } else {
            &mut rest
        };
        to.push(w[0]..w[1]);
    }
    (sample, rest)
}

/// Locks a mutex whose holder may have panicked (the crew then panics anyway).
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Step numbers, claimed one at a time by the workers of a phase.
struct Steps {
    count: usize,
    next: AtomicUsize,
}

impl Steps {
    fn new(count: usize) -> Self {
        Self {
            count,
            next: AtomicUsize::new(0),
        }
    }

    fn claim(&self) -> Option<usize> {
        let k = self.next.fetch_add(1, Ordering::Relaxed);
        (k < self.count).then_some(k)
    }
}

/// What the workers hand each other between phases.
struct Shared<'f, 'j> {
    /// Phase 1: the workers' sample partials.
    samples: Mutex<Vec<FunnelPartial>>,
    /// The sample's levels and, per step, its gaps.
    sample_levels: OnceLock<Vec<u64>>,
    sample_gaps: Vec<Mutex<Vec<i64>>>,
    /// Phase 2: the steps to name ranges for, and per step its kept ranges.
    named: Steps,
    kept: Vec<OnceLock<Kept>>,
    windowed: OnceLock<Funnel<'j>>,
    /// Phase 3: the workers' partials of the rest, then their merge.
    partials: Mutex<Vec<FunnelPartial>>,
    total: Mutex<Option<FunnelPartial>>,
    /// Phase 4: the steps to read, and per step the windowed gaps of each worker, the gaps
    /// counted, and the quantiles read.
    read: Steps,
    windows: Vec<Mutex<Vec<WindowedGaps>>>,
    counts: OnceLock<Vec<u64>>,
    times: Vec<OnceLock<Option<Vec<Option<f64>>>>>,
    funnel: &'f Funnel<'j>,
}

impl<'j> Funnel<'j> {
    /// The report of the sampled run (see the module); `None` when a quantile's rank fell
    /// outside its kept ranges (a sample that misled).
    pub(super) fn sampled_report(&self, selection: &Selection<'_>) -> Option<FunnelReport> {
        let journeys = selection.journeys();
        let (sample, rest) = split(journeys.case_offsets);
        let crew = Crew::new(thread_count().clamp(1, rest.len().max(1)));
        let (sample, rest) = (
            Pieces::new(sample, crew.size()),
            Pieces::new(rest, crew.size()),
        );
        let steps = self.matcher.steps();
        let shared = Shared {
            samples: Mutex::new(Vec::new()),
            sample_levels: OnceLock::new(),
            sample_gaps: (0..steps).map(|_| Mutex::new(Vec::new())).collect(),
            named: Steps::new(steps),
            kept: (0..steps).map(|_| OnceLock::new()).collect(),
            windowed: OnceLock::new(),
            partials: Mutex::new(Vec::new()),
            total: Mutex::new(None),
            read: Steps::new(steps),
            windows: (0..steps).map(|_| Mutex::default()).collect(),
            counts: OnceLock::new(),
            times: (0..steps).map(|_| OnceLock::new()).collect(),
            funnel: self,
        };
        crew.run(|_| {
            // 1. The sample, every gap kept.
            let mut partial = self.empty();
            while let Some(run) = sample.claim() {
                for cases in run {
                    self.scan(selection, cases.clone(), &mut partial);
                }
            }
            let scratch = std::mem::take(&mut partial.scratch);
            lock(&shared.samples).push(partial);
            crew.meet(|| shared.gather_sample());
            // 2. The kept ranges, a step at a time.
            while let Some(k) = shared.named.claim() {
                let kept = Kept::around(&mut lock(&shared.sample_gaps[k]), &STEP_QUANTILES);
                let _ = shared.kept[k].set(kept);
            }
            crew.meet(|| shared.keep_ranges());
            // 3. The rest of the log, keeping the gaps in the ranges.
            let windowed = shared.windowed.get().expect("set at the last meeting");
            let mut partial = windowed.empty();
            partial.scratch = scratch;
            while let Some(run) = rest.claim() {
                for cases in run {
                    windowed.scan(selection, cases.clone(), &mut partial);
                }
            }
            lock(&shared.partials).push(partial);
            crew.meet(|| shared.join_rest());
            // 4. The quantiles, a step at a time.
            while let Some(k) = shared.read.claim() {
                shared.read_step(k);
            }
        });
        let times: Option<Vec<Vec<Option<f64>>>> = shared
            .times
            .into_iter()
            .map(|t| t.into_inner().flatten())
            .collect();
        let total = shared
            .total
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner)?;
        let windowed = shared.windowed.into_inner()?;
        Some(windowed.finish_with(total, journeys, Some(times?)))
    }
}

impl Shared<'_, '_> {
    /// After phase 1: the sample's levels, and its gaps per step.
    fn gather_sample(&self) {
        let funnel = self.funnel;
        let mut sample = funnel.empty();
        for partial in lock(&self.samples).drain(..) {
            funnel.merge(&mut sample, partial);
        }
        for (k, parts) in sample.total.gap_parts().iter().enumerate() {
            *lock(&self.sample_gaps[k]) = parts.concat();
        }
        let _ = self.sample_levels.set(sample.total.levels);
    }

    /// After phase 2: the funnel that keeps the named ranges.
    fn keep_ranges(&self) {
        let kept: Vec<Kept> = self
            .kept
            .iter()
            .map(|k| k.get().cloned().unwrap_or_else(Kept::all))
            .collect();
        let _ = self.windowed.set(Funnel {
            kept: Some(kept.into()),
            ..self.funnel.clone()
        });
    }

    /// After phase 3: the workers' partials merged with the sample's levels, each one's
    /// windowed gaps set out per step for phase 4.
    fn join_rest(&self) {
        let Some(windowed) = self.windowed.get() else {
            return;
        };
        let mut total = windowed.empty();
        for mut partial in lock(&self.partials).drain(..) {
            for (slot, gaps) in self.windows.iter().zip(partial.total.take_windows()) {
                lock(slot).push(gaps);
            }
            windowed.merge(&mut total, partial);
        }
        let sample_levels = self.sample_levels.get().map_or(&[][..], Vec::as_slice);
        for (a, b) in total.total.levels.iter_mut().zip(sample_levels) {
            *a += b;
        }
        let counts = (0..self.windows.len())
            .map(|k| total.total.gap_count(k))
            .collect();
        let _ = self.counts.set(counts);
        *lock(&self.total) = Some(total);
    }

    /// Phase 4 for step `k`: its windowed gaps of the rest and of the sample together,
    /// and their quantiles.
    fn read_step(&self, k: usize) {
        let (Some(counts), Some(kept)) = (self.counts.get(), self.kept[k].get()) else {
            return;
        };
        let mut parts = std::mem::take(&mut *lock(&self.windows[k]));
        // The largest part takes in the others, which moves the fewest values.
        parts.sort_unstable_by_key(|p| std::cmp::Reverse(p.len()));
        let mut parts = parts.into_iter();
        let mut gaps = parts.next().unwrap_or_default();
        for part in parts {
            gaps.merge(part);
        }
        for gap in std::mem::take(&mut *lock(&self.sample_gaps[k])) {
            gaps.add(kept, gap);
        }
        let _ = self.times[k].set(gaps.quantiles(kept, counts[k], &STEP_QUANTILES));
    }
}
