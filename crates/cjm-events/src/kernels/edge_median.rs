//! Exact per-edge medians of a directly-follows graph without keeping every duration.
//!
//! The first DFG pass gives each edge its count, minimum and maximum. Edges with few
//! occurrences then keep their durations; the others count theirs into buckets of high
//! bits over `[min, max]`, which names the bucket holding each middle rank, and a last pass
//! gathers only those buckets. Memory stays near the number of edges instead of growing
//! with the events (a 60 M-event log would otherwise hold 8 bytes per event).

use std::ops::Range;

use rustc_hash::FxHashMap;

use super::Kernel;
use crate::filter::{CaseBuffer, Selection};

/// Edges with at most this many occurrences keep their durations.
const KEEP_UP_TO: u64 = 4096;
/// Larger edges count durations into `1 << BUCKET_BITS` buckets.
const BUCKET_BITS: u32 = 10;

/// An edge's occurrences, smallest and largest duration, from the first pass.
#[derive(Debug, Clone, Copy)]
pub struct EdgeSpread {
    pub count: u64,
    pub min_us: i64,
    pub max_us: i64,
}

/// Edge numbers by (from, to): a table when the activities are few, else a map.
enum EdgeIndex {
    /// `from * activities + to` to the edge number, or `usize::MAX`.
    Dense {
        activities: usize,
        table: Vec<usize>,
    },
    Sparse(FxHashMap<(u32, u32), usize>),
}

impl EdgeIndex {
    fn new(edges: &[((u32, u32), EdgeSpread)], activities: usize) -> Self {
        if activities > super::dfg::DENSE_ACTIVITIES {
            return EdgeIndex::Sparse(
                edges
                    .iter()
                    .enumerate()
                    .map(|(i, (e, _))| (*e, i))
                    .collect(),
            );
        }
        let mut table = vec![usize::MAX; activities * activities];
        for (i, ((from, to), _)) in edges.iter().enumerate() {
            if let Some(slot) = table.get_mut(*from as usize * activities + *to as usize) {
                *slot = i;
            }
        }
        EdgeIndex::Dense { activities, table }
    }
}

/// Where each edge's durations go in the later passes.
struct Plan {
    index: EdgeIndex,
    spreads: Vec<EdgeSpread>,
    /// Per edge, side by side for the per-occurrence passes.
    slots: Vec<Slot>,
    /// Buckets of all large edges, end to end.
    buckets: usize,
}

/// How an edge's durations are counted.
#[derive(Debug, Clone, Copy)]
struct Slot {
    min_us: i64,
    /// The bucket shift, or `None` when the edge keeps its durations.
    shift: Option<u32>,
    /// The edge's buckets in the flat count array: `first..first + len`.
    first: usize,
    len: usize,
}

/// The bucket of `duration` among buckets of `1 << shift` microseconds from `min_us`.
#[inline]
fn bucket_of(min_us: i64, shift: u32, duration: i64) -> u64 {
    duration.wrapping_sub(min_us) as u64 >> shift
}

impl Slot {
    fn bucket(&self, shift: u32, duration: i64) -> usize {
        bucket_of(self.min_us, shift, duration) as usize
    }
}

impl Plan {
    fn new(edges: &[((u32, u32), EdgeSpread)], activities: usize) -> Self {
        let mut buckets = 0;
        let slots = edges
            .iter()
            .map(|(_, s)| {
                let span = s.max_us.wrapping_sub(s.min_us) as u64;
                let shift = (s.count > KEEP_UP_TO)
                    .then(|| (u64::BITS - span.leading_zeros()).saturating_sub(BUCKET_BITS));
                let len = shift.map_or(0, |shift| (span >> shift) as usize + 1);
                let slot = Slot {
                    min_us: s.min_us,
                    shift,
                    first: buckets,
                    len,
                };
                buckets += len;
                slot
            })
            .collect();
        Self {
            index: EdgeIndex::new(edges, activities),
            spreads: edges.iter().map(|(_, s)| *s).collect(),
            slots,
            buckets,
        }
    }

    /// The two middle ranks of an edge (equal for an odd count).
    fn middle(&self, edge: usize) -> [usize; 2] {
        let n = self.spreads[edge].count as usize;
        [(n - 1) / 2, n / 2]
    }
}

/// Calls `f` with the edge number and duration of every directly-follows occurrence of
/// the selected cases in `cases` whose edge is in the plan.
fn each_occurrence(
    plan: &Plan,
    selection: &Selection<'_>,
    cases: Range<usize>,
    f: impl FnMut(usize, i64),
) {
    // The index's kind is looked at once, not per occurrence.
    match &plan.index {
        EdgeIndex::Dense { activities, table } => {
            let edge = |from: u32, to: u32| {
                let i = *table.get(from as usize * activities + to as usize)?;
                (i != usize::MAX).then_some(i)
            };
            occurrences(selection, cases, edge, f);
        }
        EdgeIndex::Sparse(map) => occurrences(
            selection,
            cases,
            |from, to| map.get(&(from, to)).copied(),
            f,
        ),
    }
}

/// [`each_occurrence`] with the edge lookup `edge`.
#[inline(always)]
fn occurrences(
    selection: &Selection<'_>,
    cases: Range<usize>,
    edge: impl Fn(u32, u32) -> Option<usize>,
    mut f: impl FnMut(usize, i64),
) {
    let mut buffer = CaseBuffer::default();
    for c in cases {
        let Some(events) = selection.case(c, &mut buffer) else {
            continue;
        };
        let (activity, ts) = (events.activity, events.timestamp_us);
        for (a, t) in activity.windows(2).zip(ts.windows(2)) {
            if let Some(e) = edge(a[0], a[1]) {
                f(e, t[1] - t[0]);
            }
        }
    }
}

/// Second pass: durations of the small edges, bucket counts of the large ones.
struct CountPass<'p>(&'p Plan);

struct Counts {
    kept: Vec<Vec<i64>>,
    /// The buckets of every large edge, as [`Plan`]'s slots place them.
    buckets: Vec<u64>,
}

impl Counts {
    /// The bucket counts of a large edge.
    fn of(&self, slot: &Slot) -> &[u64] {
        &self.buckets[slot.first..slot.first + slot.len]
    }
}

impl Kernel for CountPass<'_> {
    type Partial = Counts;

    fn empty(&self) -> Counts {
        Counts {
            kept: vec![Vec::new(); self.0.spreads.len()],
            buckets: vec![0; self.0.buckets],
        }
    }

    fn scan(&self, selection: &Selection<'_>, cases: Range<usize>, partial: &mut Counts) {
        let plan = self.0;
        each_occurrence(plan, selection, cases, |edge, d| {
            let slot = &plan.slots[edge];
            match slot.shift {
                None => partial.kept[edge].push(d),
                Some(shift) => partial.buckets[slot.first + slot.bucket(shift, d)] += 1,
            }
        });
    }

    fn merge(&self, into: &mut Counts, other: Counts) {
        for (a, b) in into.kept.iter_mut().zip(other.kept) {
            a.extend_from_slice(&b);
        }
        for (a, b) in into.buckets.iter_mut().zip(other.buckets) {
            *a += b;
        }
    }
}

/// Third pass: the durations in the buckets that hold a large edge's middle ranks.
struct GatherPass<'p> {
    plan: &'p Plan,
    /// Per edge: which durations to gather.
    wanted: Vec<Wanted>,
}

/// The durations of an edge that [`GatherPass`] keeps: those whose bucket (as the
/// edge's [`Slot`] numbers them) is `first..=first + span`. The buckets between the two
/// middle ones, if any, are empty.
#[derive(Debug, Clone, Copy)]
struct Wanted {
    min_us: i64,
    shift: u32,
    first: u64,
    span: u64,
}

impl Wanted {
    /// Gathers nothing: no bucket is `u64::MAX` away from a bucket number.
    const NOTHING: Wanted = Wanted {
        min_us: 0,
        shift: 0,
        first: u64::MAX,
        span: 0,
    };

    /// The buckets `first..=last` of an edge counted in `slot`'s buckets with `shift`.
    fn buckets(slot: &Slot, shift: u32, (first, last): (usize, usize)) -> Self {
        Wanted {
            min_us: slot.min_us,
            shift,
            first: first as u64,
            span: (last - first) as u64,
        }
    }

    fn gathers_any(&self) -> bool {
        self.first != u64::MAX
    }

    #[inline]
    fn holds(&self, duration: i64) -> bool {
        bucket_of(self.min_us, self.shift, duration).wrapping_sub(self.first) <= self.span
    }
}

impl Kernel for GatherPass<'_> {
    type Partial = Vec<Vec<i64>>;

    fn empty(&self) -> Vec<Vec<i64>> {
        vec![Vec::new(); self.wanted.len()]
    }

    fn scan(&self, selection: &Selection<'_>, cases: Range<usize>, partial: &mut Vec<Vec<i64>>) {
        each_occurrence(self.plan, selection, cases, |edge, d| {
            if self.wanted[edge].holds(d) {
                partial[edge].push(d);
            }
        });
    }

    fn merge(&self, into: &mut Vec<Vec<i64>>, other: Vec<Vec<i64>>) {
        for (a, b) in into.iter_mut().zip(other) {
            a.extend_from_slice(&b);
        }
    }
}

/// The median duration (µs, pm4py's: the mean of the two middle values for an even count)
/// of every edge in `edges`, in the same order.
pub fn edge_medians(selection: &Selection<'_>, edges: &[((u32, u32), EdgeSpread)]) -> Vec<f64> {
    let plan = Plan::new(edges, selection.journeys().activity_names.len());
    let mut counts = super::run(&CountPass(&plan), selection);
    // For a large edge: each middle rank's bucket and its rank among the bucket's durations.
    let located: Vec<Option<[(usize, usize); 2]>> = (0..edges.len())
        .map(|edge| {
            let slot = &plan.slots[edge];
            slot.shift?;
            let buckets = counts.of(slot);
            Some(plan.middle(edge).map(|rank| {
                let mut below = 0usize;
                for (b, &n) in buckets.iter().enumerate() {
                    if below + n as usize > rank {
                        return (b, rank - below);
                    }
                    below += n as usize;
                }
                (buckets.len().saturating_sub(1), 0)
            }))
        })
        .collect();
    let wanted: Vec<Wanted> = located
        .iter()
        .enumerate()
        .map(|(edge, at)| {
            let slot = &plan.slots[edge];
            match (at, slot.shift) {
                // With a shift of 0 a bucket is one value: nothing to gather.
                (Some(at), Some(shift)) if shift > 0 => {
                    Wanted::buckets(slot, shift, (at[0].0, at[1].0))
                }
                _ => Wanted::NOTHING,
            }
        })
        .collect();
    let mut gathered = if wanted.iter().any(Wanted::gathers_any) {
        super::run(
            &GatherPass {
                plan: &plan,
                wanted,
            },
            selection,
        )
    } else {
        vec![Vec::new(); edges.len()]
    };
    let mut kept = std::mem::take(&mut counts.kept);
    (0..edges.len())
        .map(|edge| {
            let [low, high] = match (located[edge], plan.slots[edge].shift) {
                (Some(at), Some(0)) => {
                    at.map(|(b, _)| plan.spreads[edge].min_us.wrapping_add(b as i64))
                }
                (Some(at), Some(_)) => {
                    // The gathered durations of the first middle bucket sort before those
                    // of the second (when the middle ranks fall in two buckets).
                    let values = &mut gathered[edge];
                    values.sort_unstable();
                    let first = at[0].0;
                    let in_first = counts.of(&plan.slots[edge])[first] as usize;
                    at.map(|(b, rank)| values[rank + if b == first { 0 } else { in_first }])
                }
                _ => {
                    let values = &mut kept[edge];
                    plan.middle(edge)
                        .map(|rank| *values.select_nth_unstable(rank).1)
                }
            };
            let (low, high) = (low as f64, high as f64);
            low + (high - low) * 0.5
        })
        .collect()
}
