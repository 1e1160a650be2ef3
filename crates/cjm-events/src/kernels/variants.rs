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

/// What a range of cases yields: the distinct code sequences met so far, each with its
/// case count. (Durations are gathered afterwards, only for the reported variants.)
///
/// Sequences live end to end in one arena, each code as a LEB128 varint (one byte for the
/// first 128 activities: a sequence takes a quarter of its codes' size), and are found
/// through an open-addressing table keyed by 32 bits of a 64-bit hash of their codes;
/// a slot holding the same bits is a candidate, confirmed by comparing the sequences (by
/// their [`head`] alone when they are short), so different sequences whose keys meet stay
/// apart.
#[derive(Debug, Clone, Default)]
pub struct VariantsPartial {
    cases: u64,
    /// Per slot (a power of two of them, at most three quarters used): 0 for empty, else
    /// the high 32 bits of the sequence hash above `variant + 1`.
    slots: Vec<u64>,
    /// Variant `v`'s encoded codes are `codes[starts[v]..starts[v + 1]]`.
    starts: Vec<usize>,
    codes: Vec<u8>,
    /// Per variant: its [`head`], which settles equality without the arena for sequences
    /// of up to [`HEAD_BYTES`] bytes.
    heads: Vec<u64>,
    counts: Vec<u64>,
    /// Where a looked-up sequence is encoded.
    scratch: Vec<u8>,
}

/// Encoded sequences of at most this many bytes are all in their [`head`].
const HEAD_BYTES: usize = 7;

/// An encoded sequence's length (up to 255) in the top byte, above its first
/// [`HEAD_BYTES`] bytes: equal heads mean equal sequences when the length is at most
/// `HEAD_BYTES`.
fn head(sequence: &[u8]) -> u64 {
    let first = sequence
        .iter()
        .take(HEAD_BYTES)
        .rev()
        .fold(0u64, |word, &byte| word << 8 | u64::from(byte));
    (sequence.len().min(255) as u64) << 56 | first
}

/// The table's key of a sequence hash.
fn key_of(hash: u64) -> u32 {
    (hash >> 32) as u32
}

impl VariantsPartial {
    fn variant_count(&self) -> usize {
        self.counts.len()
    }

    /// Variant `v`'s encoded sequence.
    fn encoded(&self, v: usize) -> &[u8] {
        &self.codes[self.starts[v]..self.starts[v + 1]]
    }

    /// Variant `v`'s activity codes.
    fn sequence(&self, v: usize) -> Vec<u32> {
        decode(self.encoded(v))
    }

    /// The variant of `sequence` (whose hash is `hash`), added with no case if new.
    fn variant_of(&mut self, sequence: &[u32], hash: u64) -> u32 {
        let mut bytes = std::mem::take(&mut self.scratch);
        encode(sequence, &mut bytes);
        let v = self.variant_of_encoded(&bytes, hash);
        self.scratch = bytes;
        v
    }

    /// Makes room for `more` new variants with the table at most three quarters full.
    fn reserve(&mut self, more: usize) {
        let wanted = (self.counts.len() + more) * 4 / 3 + 1;
        if wanted <= self.slots.len() {
            return;
        }
        let size = wanted.next_power_of_two().max(1024);
        let old = std::mem::replace(&mut self.slots, vec![0; size]);
        let mask = size - 1;
        for slot in old.into_iter().filter(|&s| s != 0) {
            // A slot keeps its key where a hash has it.
            let mut i = key_of(slot) as usize & mask;
            while self.slots[i] != 0 {
                i = (i + 1) & mask;
            }
            self.slots[i] = slot;
        }
    }

    /// The first slot to probe for `hash` (the table must have slots).
    fn home(&self, hash: u64) -> usize {
        key_of(hash) as usize & (self.slots.len() - 1)
    }

    /// [`Self::variant_of`] for an encoded sequence.
    fn variant_of_encoded(&mut self, sequence: &[u8], hash: u64) -> u32 {
        self.reserve(1);
        let key = key_of(hash);
        let head = head(sequence);
        let long = sequence.len() > HEAD_BYTES;
        let mask = self.slots.len() - 1;
        let mut i = self.home(hash);
        loop {
            let slot = self.slots[i];
            if slot == 0 {
                break;
            }
            let v = (slot as u32).wrapping_sub(1) as usize;
            if (slot >> 32) as u32 == key
                && self.heads[v] == head
                && (!long || self.encoded(v) == sequence)
            {
                return v as u32;
            }
            i = (i + 1) & mask;
        }
        let fresh = self.counts.len() as u32;
        self.slots[i] = u64::from(key) << 32 | u64::from(fresh + 1);
        if self.starts.is_empty() {
            self.starts.push(0);
        }
        self.codes.extend_from_slice(sequence);
        self.starts.push(self.codes.len());
        self.heads.push(head);
        self.counts.push(0);
        fresh
    }
}

/// Appends each code as a LEB128 varint (seven bits a byte, high bit set on all but the
/// last byte): no encoding is a prefix of another, so equal bytes mean equal sequences.
fn encode(codes: &[u32], out: &mut Vec<u8>) {
    out.clear();
    for &code in codes {
        let mut rest = code;
        while rest >= 0x80 {
            out.push(rest as u8 | 0x80);
            rest >>= 7;
        }
        out.push(rest as u8);
    }
}

/// The codes of an [`encode`]d sequence.
fn decode(bytes: &[u8]) -> Vec<u32> {
    let mut codes = Vec::with_capacity(bytes.len());
    let (mut code, mut shift) = (0u32, 0u32);
    for &byte in bytes {
        code |= u32::from(byte & 0x7f).checked_shl(shift).unwrap_or(0);
        if byte & 0x80 == 0 {
            codes.push(code);
            (code, shift) = (0, 0);
        } else {
            shift += 7;
        }
    }
    codes
}

/// A 64-bit hash of a code sequence, two codes per step.
fn sequence_hash(codes: &[u32]) -> u64 {
    const K: u64 = 0xf135_7aea_2e62_a9c5;
    let mut h = (codes.len() as u64).wrapping_mul(K);
    let mut pairs = codes.chunks_exact(2);
    for pair in &mut pairs {
        let word = u64::from(pair[0]) | u64::from(pair[1]) << 32;
        h = (h ^ word).wrapping_mul(K).rotate_left(26);
    }
    if let [last] = pairs.remainder() {
        h = (h ^ u64::from(*last)).wrapping_mul(K).rotate_left(26);
    }
    h ^ (h >> 32)
}

impl Kernel for Variants {
    type Partial = VariantsPartial;

    fn empty(&self) -> VariantsPartial {
        VariantsPartial::default()
    }

    fn scan(&self, selection: &Selection<'_>, cases: Range<usize>, partial: &mut VariantsPartial) {
        scan_share(selection, cases, (0, 1), partial);
    }

    fn merge(&self, into: &mut VariantsPartial, mut other: VariantsPartial) {
        if into.variant_count() < other.variant_count() {
            std::mem::swap(into, &mut other);
        }
        into.cases += other.cases;
        for v in 0..other.variant_count() {
            let hash = sequence_hash(&other.sequence(v));
            let id = into.variant_of_encoded(other.encoded(v), hash);
            into.counts[id as usize] += other.counts[v];
        }
    }
}

/// The share (`0..shares`) of a sequence hash: its place in `shares` equal parts of the
/// hashes, found by a multiplication (every thread tests every case; a division would
/// cost more than the hash).
fn share_of(hash: u64, shares: u64) -> u64 {
    ((u128::from(hash) * u128::from(shares)) >> 64) as u64
}

/// Adds the selected cases in `cases` whose sequence hash is in share `share.0` of
/// `share.1` (see [`share_of`]).
fn scan_share(
    selection: &Selection<'_>,
    cases: Range<usize>,
    share: (u64, u64),
    partial: &mut VariantsPartial,
) {
    let mut buffer = CaseBuffer::default();
    for c in cases {
        let Some(events) = selection.case(c, &mut buffer) else {
            continue;
        };
        let hash = sequence_hash(events.activity);
        if share_of(hash, share.1) != share.0 {
            continue;
        }
        partial.cases += 1;
        let v = partial.variant_of(events.activity, hash);
        partial.counts[v as usize] += 1;
    }
}

/// Variants without their lookup tables: what ranking them reads.
#[derive(Debug, Default)]
struct Ranking {
    cases: u64,
    /// As in [`VariantsPartial`].
    starts: Vec<usize>,
    codes: Vec<u8>,
    counts: Vec<u64>,
}

impl Ranking {
    /// The variants of partials none of which shares a variant with another, end to end;
    /// each partial's lookup tables are freed before the next is appended.
    fn of_disjoint(partials: impl IntoIterator<Item = VariantsPartial>) -> Self {
        let mut all = Ranking {
            starts: vec![0],
            ..Ranking::default()
        };
        for partial in partials {
            let VariantsPartial {
                cases,
                starts,
                codes,
                counts,
                ..
            } = partial;
            all.cases += cases;
            if all.counts.is_empty() && !starts.is_empty() {
                (all.starts, all.codes, all.counts) = (starts, codes, counts);
                continue;
            }
            let offset = all.codes.len();
            all.starts
                .extend(starts.iter().skip(1).map(|&s| s + offset));
            all.codes.extend_from_slice(&codes);
            all.counts.extend_from_slice(&counts);
        }
        all
    }

    fn sequence(&self, v: usize) -> Vec<u32> {
        decode(&self.codes[self.starts[v]..self.starts[v + 1]])
    }
}

/// The variants of all selected cases on all cores. Thread `t` keeps the cases whose
/// sequence hash is in share `t` (see [`share_of`]): no variant is held twice, each
/// thread's table is a share of the whole (large tables are bound by cache misses), and
/// the shares join without lookups (their tables are not needed any more).
fn collect(selection: &Selection<'_>, threads: usize) -> Ranking {
    let threads = threads.max(1) as u64;
    let cases = selection.journeys().case_count();
    let shares = super::in_parallel((0..threads).map(|t| {
        move || {
            let mut partial = VariantsPartial::default();
            scan_share(selection, 0..cases, (t, threads), &mut partial);
            partial
        }
    }));
    Ranking::of_disjoint(shares)
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
        self.report_on(selection, super::thread_count())
    }

    /// Runs on `threads` threads (each holding a share of the variants) and reports.
    pub fn report_on(&self, selection: &Selection<'_>, threads: usize) -> VariantsReport {
        self.rank(collect(selection, threads), selection)
    }

    /// Ranks the variants of a partial and keeps the top ones.
    pub fn finish(&self, partial: VariantsPartial, selection: &Selection<'_>) -> VariantsReport {
        self.rank(Ranking::of_disjoint([partial]), selection)
    }

    fn rank(&self, partial: Ranking, selection: &Selection<'_>) -> VariantsReport {
        let names = &selection.journeys().activity_names;
        let rank = name_ranks(names);
        let distinct = partial.counts.len();
        let keep = self.top.unwrap_or(distinct).min(distinct);
        let counts = &partial.counts;
        // Only variants at least as frequent as the `keep`-th can rank among the kept.
        let threshold = if keep == 0 {
            u64::MAX
        } else {
            let mut sorted = counts.clone();
            *sorted.select_nth_unstable_by(keep - 1, |a, b| b.cmp(a)).1
        };
        let mut kept: Vec<(u32, Vec<u32>)> = (0..distinct as u32)
            .filter(|&v| counts[v as usize] >= threshold)
            .map(|v| (v, partial.sequence(v as usize)))
            .collect();
        kept.sort_unstable_by(|(a, a_codes), (b, b_codes)| {
            counts[*b as usize]
                .cmp(&counts[*a as usize])
                .then_with(|| by_names(&rank, a_codes, b_codes))
        });
        kept.truncate(keep);
        let durations = super::run(&KeptDurations::new(&kept), selection);
        let total = partial.cases;
        let variants = kept
            .iter()
            .zip(&durations)
            .map(|((v, codes), durations_us)| Variant {
                activities: codes
                    .iter()
                    .map(|&c| names.get(c as usize).to_owned())
                    .collect(),
                cases: counts[*v as usize],
                share: counts[*v as usize] as f64 / total.max(1) as f64,
                median_duration_s: quantile(durations_us, 0.5).map_or(0.0, seconds),
            })
            .collect();
        VariantsReport {
            cases: total,
            distinct: distinct as u64,
            variants,
        }
    }
}

/// The second pass: the case durations (first to last event) of the kept variants, found
/// again by hash and sequence.
struct KeptDurations<'p> {
    /// The kept variants with their codes.
    kept: &'p [(u32, Vec<u32>)],
    /// Sequence hash to the positions in `kept` of the variants with that hash.
    slot_of: FxHashMap<u64, Vec<usize>>,
}

impl<'p> KeptDurations<'p> {
    fn new(kept: &'p [(u32, Vec<u32>)]) -> Self {
        let mut slot_of: FxHashMap<u64, Vec<usize>> = FxHashMap::default();
        for (k, (_, codes)) in kept.iter().enumerate() {
            slot_of.entry(sequence_hash(codes)).or_default().push(k);
        }
        Self { kept, slot_of }
    }
}

impl Kernel for KeptDurations<'_> {
    /// Per kept variant, in `kept` order: its cases' durations in microseconds.
    type Partial = Vec<Vec<i64>>;

    fn empty(&self) -> Vec<Vec<i64>> {
        vec![Vec::new(); self.kept.len()]
    }

    fn scan(&self, selection: &Selection<'_>, cases: Range<usize>, partial: &mut Vec<Vec<i64>>) {
        let mut buffer = CaseBuffer::default();
        for c in cases {
            let Some(events) = selection.case(c, &mut buffer) else {
                continue;
            };
            let Some(slots) = self.slot_of.get(&sequence_hash(events.activity)) else {
                continue;
            };
            if let Some(&k) = slots.iter().find(|&&k| self.kept[k].1 == events.activity) {
                let ts = events.timestamp_us;
                partial[k].push(ts[ts.len() - 1] - ts[0]);
            }
        }
    }

    fn merge(&self, into: &mut Vec<Vec<i64>>, other: Vec<Vec<i64>>) {
        for (a, b) in into.iter_mut().zip(other) {
            a.extend_from_slice(&b);
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

#[cfg(test)]
mod tests {
    use super::VariantsPartial;

    #[test]
    fn sequences_sharing_a_hash_stay_apart() {
        let mut partial = VariantsPartial::default();
        let (a, b, c) = ([1, 2].as_slice(), [2, 1].as_slice(), [7].as_slice());
        let ids = [a, b, c, b, a, c].map(|s| partial.variant_of(s, 42));
        assert_eq!(ids, [0, 1, 2, 1, 0, 2]);
        assert_eq!(partial.sequence(1), b);
        // Only the high bits key the table: a sequence is found by comparing it.
        assert_eq!(partial.variant_of(b, 43), 1);
        // Codes of every varint length come back as they went in.
        let wide = [0, 127, 128, 16_383, 16_384, u32::MAX];
        let v = partial.variant_of(&wide, 9 << 32);
        assert_eq!(partial.sequence(v as usize), wide);
        // Long sequences that share their head (first bytes and length) are compared whole.
        let (long, other) = ([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 2, 3, 4, 5, 6, 7, 8, 10]);
        let first = partial.variant_of(&long, 42);
        assert_ne!(partial.variant_of(&other, 42), first);
        assert_eq!(partial.variant_of(&long, 42), first);
    }

    #[test]
    fn every_variant_is_found_again_after_the_table_grows() {
        let mut partial = VariantsPartial::default();
        let sequence = |i: u32| vec![i % 7, i / 7, i % 3];
        // Few distinct keys, so that probes run long and wrap around the table.
        let hash = |i: u32| u64::from(i % 5) << 32 | u64::from(i);
        let ids: Vec<u32> = (0..5000)
            .map(|i| partial.variant_of(&sequence(i), hash(i)))
            .collect();
        assert_eq!(ids, (0..5000).collect::<Vec<u32>>());
        // Grown from its first 1,024 slots, at most three quarters full.
        assert!(partial.slots.len() * 3 >= 5000 * 4);
        for i in (0..5000).rev() {
            assert_eq!(partial.variant_of(&sequence(i), hash(i)), i);
            assert_eq!(partial.sequence(i as usize), sequence(i));
        }
        assert_eq!(partial.variant_count(), 5000);
    }
}
