//! Worker threads that run a job in phases, meeting between them.
//!
//! A kernel that must look at part of the log before it scans the rest (the sampled
//! funnel) can spawn its threads once and keep them, with their working memory, through
//! every phase: at each [`Crew::meet`] every worker waits until all have arrived, the
//! last to arrive runs the step that joins the phase's results, and then all go on.
//!
//! A worker that arrives early spins for a while before it sleeps: the steps between
//! phases take well under a millisecond, and on a virtual machine a sleeping thread can
//! take milliseconds to be woken.
//!
//! A panic in one worker must not leave the others waiting for it forever: the panicking
//! worker marks the crew broken as it unwinds, and a worker waiting at (or later
//! arriving at) a meeting panics in turn; the caller gets the panic back when it joins.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use super::in_parallel;

/// A fixed number of workers that meet between the phases of one job.
pub struct Crew {
    size: usize,
    /// Workers arrived at the current meeting; `held` and `broken` change under it too.
    arrived: Mutex<usize>,
    turn: Condvar,
    /// Meetings held so far: a waiting worker leaves when this moves on.
    held: AtomicU64,
    /// A worker panicked.
    broken: AtomicBool,
}

/// How long an early worker spins before it sleeps.
const SPIN: Duration = Duration::from_millis(2);

/// Marks the crew broken when its worker unwinds.
struct Leaving<'c>(&'c Crew);

impl Drop for Leaving<'_> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            let arrived = self.0.lock();
            self.0.broken.store(true, Ordering::Release);
            drop(arrived);
            self.0.turn.notify_all();
        }
    }
}

impl Crew {
    /// A crew of `size` workers (at least one).
    pub fn new(size: usize) -> Self {
        Self {
            size: size.max(1),
            arrived: Mutex::new(0),
            turn: Condvar::new(),
            held: AtomicU64::new(0),
            broken: AtomicBool::new(false),
        }
    }

    /// How many workers the crew has.
    pub fn size(&self) -> usize {
        self.size
    }

    /// Runs `work(i)` for each worker `i` on a thread of its own and returns the results
    /// in worker order; a panic in any worker is raised again here.
    pub fn run<R: Send>(&self, work: impl Fn(usize) -> R + Sync) -> Vec<R> {
        let work = &work;
        in_parallel((0..self.size).map(|i| {
            move || {
                let _leaving = Leaving(self);
                work(i)
            }
        }))
    }

    /// Waits until every worker of [`Crew::run`] has called `meet` for this meeting; the
    /// last to arrive runs `last` before any of them goes on.
    pub fn meet(&self, last: impl FnOnce()) {
        let mut arrived = self.lock();
        self.check();
        *arrived += 1;
        let held = self.held.load(Ordering::Acquire);
        if *arrived == self.size {
            drop(arrived);
            last();
            let mut arrived = self.lock();
            *arrived = 0;
            self.held.store(held + 1, Ordering::Release);
            drop(arrived);
            self.turn.notify_all();
            return;
        }
        drop(arrived);
        if !self.spin_past(held) {
            let mut arrived = self.lock();
            while self.held.load(Ordering::Acquire) == held && !self.broken.load(Ordering::Acquire)
            {
                arrived = self
                    .turn
                    .wait(arrived)
                    .unwrap_or_else(PoisonError::into_inner);
            }
        }
        self.check();
    }

    /// Spins for up to [`SPIN`] until meeting `held` is over or the crew is broken;
    /// whether it came to that.
    fn spin_past(&self, held: u64) -> bool {
        let start = Instant::now();
        loop {
            for _ in 0..64 {
                if self.held.load(Ordering::Acquire) != held || self.broken.load(Ordering::Acquire)
                {
                    return true;
                }
                std::hint::spin_loop();
            }
            if start.elapsed() > SPIN {
                return false;
            }
        }
    }

    fn lock(&self) -> MutexGuard<'_, usize> {
        self.arrived.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Panics when another worker has.
    fn check(&self) {
        assert!(
            !self.broken.load(Ordering::Acquire),
            "another worker of the crew panicked"
        );
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::Crew;

    #[test]
    fn each_meeting_waits_for_all_and_joins_once() {
        for size in 1..=4 {
            let crew = Crew::new(size);
            let arrived = AtomicUsize::new(0);
            let seen = Mutex::new(Vec::new());
            let out = crew.run(|i| {
                for round in 0..3 {
                    arrived.fetch_add(1, Ordering::SeqCst);
                    crew.meet(|| {
                        seen.lock().unwrap().push(arrived.load(Ordering::SeqCst));
                    });
                    // Nobody is past a meeting before everyone reached it.
                    assert!(arrived.load(Ordering::SeqCst) >= (round + 1) * size);
                }
                i * 10
            });
            assert_eq!(out, (0..size).map(|i| i * 10).collect::<Vec<_>>());
            assert_eq!(*seen.lock().unwrap(), vec![size, 2 * size, 3 * size]);
        }
    }

    #[test]
    fn a_panicking_worker_releases_the_others() {
        let crew = Crew::new(3);
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            crew.run(|i| {
                if i == 1 {
                    panic!("worker 1 fails");
                }
                crew.meet(|| {});
                crew.meet(|| {});
            })
        }));
        assert!(result.is_err());
    }

    #[test]
    fn a_panicking_join_step_releases_the_others() {
        let crew = Crew::new(2);
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            crew.run(|_| crew.meet(|| panic!("the join step fails")))
        }));
        assert!(result.is_err());
    }
}
