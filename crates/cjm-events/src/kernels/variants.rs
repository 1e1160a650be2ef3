//! Variants: the distinct activity sequences, with their case counts and durations.
//!
//! A case's variant is its whole sequence of activities in (timestamp, input) order; its
//! duration is the time from its first to its last event. Variants are ranked by case
//! count (descending), then by their sequence of names, as pm4py's tests list them.

use std::cmp::Ordering;
use std::ops::Range;

use rustc_hash::FxHashMap;
use serde::Serialize;

use super::Kernel;
use super::quantile::{quantile, seconds};
use crate::filter::{CaseBuffer, Selection};
use crate::journeys::StrDict;

/// The variants kernel.
#[derive(Debug, Clone, Copy, Default)]
pub struct Variants {
    /// Report only the `top` most frequent variants (all when `None`).
    pub top: Option<usize>,
}

/// Cases and their durations for one variant.
#[derive(Debug, Clone, Default)]
pub struct VariantTally {
    cases: u64,
    durations_us: Vec<i64>,
}

/// What a range of cases yields: tallies keyed by activity-code sequence.
#[derive(Debug, Clone, Default)]
pub struct VariantsPartial {
    cases: u64,
    variants: FxHashMap<Box<[u32]>, VariantTally>,
}

impl Kernel for Variants {
    type Partial = VariantsPartial;

    fn empty(&self) -> VariantsPartial {
        VariantsPartial::default()
    }

    fn scan(&self, selection: &Selection<'_>, cases: Range<usize>, partial: &mut VariantsPartial) {
        let mut buffer = CaseBuffer::default();
        for c in cases {
            let Some(events) = selection.case(c, &mut buffer) else {
                continue;
            };
            let ts = events.timestamp_us;
            let duration = ts[ts.len() - 1] - ts[0];
            partial.cases += 1;
            let tally = match partial.variants.get_mut(events.activity) {
                Some(tally) => tally,
                None => partial.variants.entry(events.activity.into()).or_default(),
            };
            tally.cases += 1;
            tally.durations_us.push(duration);
        }
    }

    fn merge(&self, into: &mut VariantsPartial, other: VariantsPartial) {
        into.cases += other.cases;
        if into.variants.len() < other.variants.len() {
            let small = std::mem::replace(&mut into.variants, other.variants);
            merge_tallies(&mut into.variants, small);
        } else {
            merge_tallies(&mut into.variants, other.variants);
        }
    }
}

fn merge_tallies(
    into: &mut FxHashMap<Box<[u32]>, VariantTally>,
    from: FxHashMap<Box<[u32]>, VariantTally>,
) {
    for (key, mut tally) in from {
        let target = into.entry(key).or_default();
        target.cases += tally.cases;
        if target.durations_us.len() < tally.durations_us.len() {
            std::mem::swap(&mut target.durations_us, &mut tally.durations_us);
        }
        target.durations_us.extend_from_slice(&tally.durations_us);
    }
}

/// Ranks of activity codes by name, so that code sequences compare as name sequences.
pub(crate) fn name_ranks(names: &StrDict<'_>) -> Vec<u32> {
    let mut order: Vec<usize> = (0..names.len()).collect();
    order.sort_by(|&a, &b| names.get(a).cmp(names.get(b)));
    let mut rank = vec![0; names.len()];
    for (r, code) in order.into_iter().enumerate() {
        rank[code] = r as u32;
    }
    rank
}

/// Compares two code sequences as sequences of names.
pub(crate) fn by_names(rank: &[u32], a: &[u32], b: &[u32]) -> Ordering {
    let r = |c: &u32| rank.get(*c as usize).copied().unwrap_or(u32::MAX);
    a.iter().map(r).cmp(b.iter().map(r))
}

impl Variants {
    /// Runs on all cores and reports.
    pub fn report(&self, selection: &Selection<'_>) -> VariantsReport {
        let partial = super::run(self, selection);
        self.finish(partial, selection)
    }

    /// Ranks the variants and keeps the top ones.
    pub fn finish(&self, partial: VariantsPartial, selection: &Selection<'_>) -> VariantsReport {
        let names = &selection.journeys().activity_names;
        let rank = name_ranks(names);
        let distinct = partial.variants.len() as u64;
        let mut all: Vec<(Box<[u32]>, VariantTally)> = partial.variants.into_iter().collect();
        let order = |a: &(Box<[u32]>, VariantTally), b: &(Box<[u32]>, VariantTally)| {
            b.1.cases
                .cmp(&a.1.cases)
                .then_with(|| by_names(&rank, &a.0, &b.0))
        };
        let keep = self.top.unwrap_or(all.len()).min(all.len());
        if keep < all.len() && keep > 0 {
            all.select_nth_unstable_by(keep - 1, order);
        }
        all.truncate(keep);
        all.sort_unstable_by(order);
        let total = partial.cases;
        let variants = all
            .into_iter()
            .map(|(codes, mut tally)| Variant {
                activities: codes
                    .iter()
                    .map(|&c| names.get(c as usize).to_owned())
                    .collect(),
                cases: tally.cases,
                share: tally.cases as f64 / total.max(1) as f64,
                median_duration_s: quantile(&mut tally.durations_us, 0.5).map_or(0.0, seconds),
            })
            .collect();
        VariantsReport {
            cases: total,
            distinct,
            variants,
        }
    }
}

/// The variants report (JSON shape of `cjm variants --format json`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VariantsReport {
    /// Cases in the selection.
    pub cases: u64,
    /// Distinct variants in the selection (also those beyond `top`).
    pub distinct: u64,
    /// The variants, most frequent first.
    pub variants: Vec<Variant>,
}

/// One distinct activity sequence.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Variant {
    pub activities: Vec<String>,
    pub cases: u64,
    /// `cases` over all cases in the selection.
    pub share: f64,
    /// Median time from first to last event of its cases, in seconds.
    pub median_duration_s: f64,
}
