//! The plain match's compaction eight events at a time, with AVX2.
//!
//! [`super::PlainFunnel::compact`] turns each event into its kind (step and case-start
//! flag) and moves the kinds and timestamps of the events it keeps to the front. One event
//! at a time that is about seventeen instructions, a fifth of a whole funnel. Here eight
//! events take about thirty: their activity codes become bytes and are looked up in a
//! 32-entry step table with two byte shuffles, the kept ones are found with one compare,
//! and a table indexed by the eight keep bits shuffles the kept kinds (and, four lanes at
//! a time, the kept timestamps) to the front of a vector that is stored whole; only the
//! count of kept events moves the output on.
//!
//! It runs on x86-64 machines with AVX2 (checked at run time) for logs of at most 32
//! activity codes; the scalar loop does everything else, and finishes the events after
//! the last full eight.

use std::arch::x86_64::{
    __m128i, __m256i, _mm_blendv_epi8, _mm_cmpeq_epi8, _mm_loadl_epi64, _mm_loadu_si128,
    _mm_movemask_epi8, _mm_or_si128, _mm_set1_epi8, _mm_shuffle_epi8, _mm_slli_epi16,
    _mm_storel_epi64, _mm_unpacklo_epi32, _mm256_and_si256, _mm256_castsi256_si128,
    _mm256_extracti128_si256, _mm256_loadu_si256, _mm256_packus_epi16, _mm256_packus_epi32,
    _mm256_permutevar8x32_epi32, _mm256_set1_epi32, _mm256_storeu_si256,
};

/// The most activity codes a step table takes.
pub const TABLE: usize = 32;

/// The step of each activity code, repeated to [`TABLE`] entries (entry `c` is the step
/// of code `c` modulo the codes), for logs of at most that many codes.
pub fn step_table(step_of: &[u8]) -> Option<[u8; TABLE]> {
    (!step_of.is_empty() && step_of.len() <= TABLE).then(|| {
        let mut table = [0; TABLE];
        for (code, step) in table.iter_mut().enumerate() {
            *step = step_of[code % step_of.len()];
        }
        table
    })
}

/// Per 8-bit keep mask: the byte shuffle that moves the kept bytes of eight to the front.
const BYTES_TO_FRONT: [[u8; 16]; 256] = bytes_to_front();
/// Per 4-bit keep mask: the 32-bit lane permutation that moves the kept 64-bit values of
/// four to the front.
const WORDS_TO_FRONT: [[u32; 8]; 16] = words_to_front();

/// The positions of the set bits of `mask` (of eight), in increasing order, and how many.
const fn set_bits(mask: usize) -> ([usize; 8], usize) {
    let (mut at, mut count, mut bit) = ([0; 8], 0, 0);
    while bit < 8 {
        if mask >> bit & 1 == 1 {
            at[count] = bit;
            count += 1;
        }
        bit += 1;
    }
    (at, count)
}

const fn bytes_to_front() -> [[u8; 16]; 256] {
    let mut table = [[0x80u8; 16]; 256];
    let mut mask = 0;
    while mask < 256 {
        let (at, count) = set_bits(mask);
        let mut to = 0;
        while to < count {
            table[mask][to] = at[to] as u8;
            to += 1;
        }
        mask += 1;
    }
    table
}

const fn words_to_front() -> [[u32; 8]; 16] {
    let mut table = [[0u32; 8]; 16];
    let mut mask = 0;
    while mask < 16 {
        let (at, count) = set_bits(mask);
        let mut to = 0;
        while to < count {
            table[mask][2 * to] = 2 * at[to] as u32;
            table[mask][2 * to + 1] = 2 * at[to] as u32 + 1;
            to += 1;
        }
        mask += 1;
    }
    table
}

/// The compaction of `super::PlainFunnel::compact` over the first whole eights of events:
/// `kinds[i]` holds event `i`'s case-start flag on entry; the kinds and timestamps of the
/// kept events (kind not `spare`) are written to the front of `kinds` and `times`.
/// Returns how many events were read and how many kept, for the scalar loop to go on
/// from; `None` when this machine lacks AVX2. `table` is from [`step_table`].
pub fn compact(
    table: &[u8; TABLE],
    spare: u8,
    activity: &[u32],
    timestamp_us: &[i64],
    kinds: &mut [u8],
    times: &mut [i64],
) -> Option<(usize, usize)> {
    if !std::arch::is_x86_feature_detected!("avx2") {
        return None;
    }
    let n = activity
        .len()
        .min(timestamp_us.len())
        .min(kinds.len())
        .min(times.len());
    // SAFETY: AVX2 is present (checked above), and every slice holds at least `n` entries.
    Some(unsafe { compact_avx2(table, spare, n, activity, timestamp_us, kinds, times) })
}

/// [`compact`] over the first `n` events.
///
/// # Safety
/// The machine has AVX2, and `activity`, `timestamp_us`, `kinds` and `times` each hold
/// at least `n` entries.
#[target_feature(enable = "avx2")]
unsafe fn compact_avx2(
    table: &[u8; TABLE],
    spare: u8,
    n: usize,
    activity: &[u32],
    timestamp_us: &[i64],
    kinds: &mut [u8],
    times: &mut [i64],
) -> (usize, usize) {
    let (mut i, mut kept) = (0usize, 0usize);
    // SAFETY (every load and store below): the loop reads entries `i..i + 8` with
    // `i + 8 <= n`, and writes `kinds[kept..kept + 8]`, `times[kept..kept + 4]` and
    // `times[kept + k..kept + k + 4]` (`k <= 4`) with `kept <= i`: all below `n`. A write
    // to `kinds` reaches at most the eight flags this round has already read.
    unsafe {
        let low = _mm_loadu_si128(table.as_ptr().cast::<__m128i>());
        let high = _mm_loadu_si128(table.as_ptr().add(16).cast::<__m128i>());
        let spare = _mm_set1_epi8(spare as i8);
        let low_bits = _mm256_set1_epi32(TABLE as i32 - 1);
        while i + 8 <= n {
            let codes = _mm256_loadu_si256(activity.as_ptr().add(i).cast::<__m256i>());
            // Eight codes (modulo 32) to eight bytes: packing works within each 128-bit
            // half, so each half's first four bytes are its codes.
            let words = _mm256_and_si256(codes, low_bits);
            let halves = _mm256_packus_epi32(words, words);
            let bytes = _mm256_packus_epi16(halves, halves);
            let codes = _mm_unpacklo_epi32(
                _mm256_castsi256_si128(bytes),
                _mm256_extracti128_si256::<1>(bytes),
            );
            // A shuffle reads its table at a byte's low four bits; a code's fifth bit,
            // moved to the top of its byte, picks the table.
            let steps = _mm_blendv_epi8(
                _mm_shuffle_epi8(low, codes),
                _mm_shuffle_epi8(high, codes),
                _mm_slli_epi16::<3>(codes),
            );
            let flags = _mm_loadl_epi64(kinds.as_ptr().add(i).cast::<__m128i>());
            let kind = _mm_or_si128(steps, flags);
            let keep = !(_mm_movemask_epi8(_mm_cmpeq_epi8(kind, spare)) as u32) & 0xFF;
            let to_front = BYTES_TO_FRONT[keep as usize].as_ptr().cast::<__m128i>();
            let front = _mm_shuffle_epi8(kind, _mm_loadu_si128(to_front));
            _mm_storel_epi64(kinds.as_mut_ptr().add(kept).cast::<__m128i>(), front);
            for (half, mask) in [(0, keep & 15), (4, keep >> 4)] {
                let t = _mm256_loadu_si256(timestamp_us.as_ptr().add(i + half).cast::<__m256i>());
                let to_front = WORDS_TO_FRONT[mask as usize].as_ptr().cast::<__m256i>();
                let front = _mm256_permutevar8x32_epi32(t, _mm256_loadu_si256(to_front));
                _mm256_storeu_si256(times.as_mut_ptr().add(kept).cast::<__m256i>(), front);
                kept += mask.count_ones() as usize;
            }
            i += 8;
        }
    }
    (i, kept)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::{compact, step_table};

    proptest! {
        #[test]
        fn eights_compact_as_one_at_a_time(
            codes in prop_oneof![Just(1usize), Just(4), Just(16), Just(32)],
            steps in proptest::collection::vec(0u8..=8, 32),
            events in proptest::collection::vec((0u32..100, any::<i64>(), any::<bool>()), 0..200),
        ) {
            // `step_of` as the plain match pads it: a power of two of entries.
            let step_of = &steps[..codes];
            let table = step_table(step_of).expect("at most 32 codes");
            let activity: Vec<u32> = events.iter().map(|e| e.0).collect();
            let times_in: Vec<i64> = events.iter().map(|e| e.1).collect();
            let flags: Vec<u8> = events.iter().map(|e| if e.2 { 0x80 } else { 0 }).collect();
            let mut kinds = flags.clone();
            let mut times = vec![0; events.len()];
            let done = compact(&table, 8, &activity, &times_in, &mut kinds, &mut times);
            // Only a machine without AVX2 declines (and then the scalar loop does it all).
            prop_assert_eq!(done.is_some(), std::arch::is_x86_feature_detected!("avx2"));
            let Some((read, kept)) = done else {
                return Ok(());
            };
            prop_assert_eq!(read, events.len() / 8 * 8);
            // One at a time, as the scalar loop does (a code modulo the table).
            let (mut want_kinds, mut want_times) = (Vec::new(), Vec::new());
            for i in 0..read {
                let kind = step_of[activity[i] as usize % codes] | flags[i];
                if kind != 8 {
                    want_kinds.push(kind);
                    want_times.push(times_in[i]);
                }
            }
            prop_assert_eq!(&kinds[..kept], &want_kinds[..]);
            prop_assert_eq!(&times[..kept], &want_times[..]);
            // The events not read keep their flags.
            prop_assert_eq!(&kinds[read..], &flags[read..]);
        }
    }

    #[test]
    fn larger_logs_have_no_table() {
        assert!(step_table(&[0; 64]).is_none());
        assert!(step_table(&[]).is_none());
    }
}
