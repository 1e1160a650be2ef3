//! The funnel match of the common case without branching on each event.
//!
//! In the default mode, with no excluded activities and at most [`PLAIN_STEPS`] steps, an
//! event either extends a chain or changes nothing, and which one it does is a few
//! comparisons. Whether an event is a step is what a branch predictor cannot guess, so the
//! update is written for every event: a non-step event, or a step that extends nothing,
//! writes into a spare slot that is never read. The rules are those of
//! [`super::funnel_chain`]; a case with equal timestamps or an activity in several steps
//! is left to the general match.

/// The most steps the plain match handles.
pub const PLAIN_STEPS: usize = 8;
/// Chains are copied in whole rows of this width.
const ROW: usize = PLAIN_STEPS;
/// The spare slot (one past the last step).
const SPARE: usize = PLAIN_STEPS;

/// Working memory of the plain match.
#[derive(Debug, Clone)]
pub struct PlainScratch {
    /// `first[k]`: start of the chain that reached level `k + 1`.
    first: [i64; PLAIN_STEPS + 1],
    /// `chain[k][..=k]`: the step timestamps of that chain.
    chain: [[i64; ROW]; PLAIN_STEPS + 1],
}

impl Default for PlainScratch {
    fn default() -> Self {
        Self {
            first: [0; PLAIN_STEPS + 1],
            chain: [[0; ROW]; PLAIN_STEPS + 1],
        }
    }
}

/// Matches one case: the highest level and its chain's step timestamps written to
/// `best`, or `None` when the case needs the general match (equal timestamps, or an
/// activity in several steps).
pub fn match_plain(
    step_mask: &[u32],
    steps: usize,
    window_us: i64,
    activity: &[u32],
    timestamp_us: &[i64],
    s: &mut PlainScratch,
    best: &mut [i64],
) -> Option<usize> {
    let full = (1u32 << steps) - 1;
    let mut reached = 0u32;
    let mut previous_t = None;
    for (i, (&code, &t)) in activity.iter().zip(timestamp_us).enumerate() {
        if previous_t == Some(t) {
            return None;
        }
        previous_t = Some(t);
        let mask = step_mask.get(code as usize).copied().unwrap_or(0);
        if mask & mask.wrapping_sub(1) != 0 {
            return None;
        }
        // k: the event's step (PLAIN_STEPS and beyond for no step).
        let k = (mask.trailing_zeros() as usize).min(SPARE);
        let previous = k.saturating_sub(1).min(SPARE - 1);
        let starts = mask == 1;
        // `&` rather than `&&`: all of it is evaluated, nothing is branched on.
        let extends = (k != 0)
            & (k < steps)
            & ((reached >> previous) & 1 == 1)
            & (t <= s.first[previous].saturating_add(window_us));
        let go = starts | extends;
        let slot = if go { k } else { SPARE };
        s.first[slot] = if starts { t } else { s.first[previous] };
        s.chain[slot] = s.chain[previous];
        s.chain[slot][k.min(ROW - 1)] = t;
        reached |= u32::from(go) << k.min(31);
        // ClickHouse stops at the first chain that reaches the last step; an event at the
        // same time would have gone first if it is an earlier step.
        if reached & full == full {
            if timestamp_us.get(i + 1) == Some(&t) {
                return None;
            }
            break;
        }
    }
    let level = (u32::BITS - (reached & full).leading_zeros()) as usize;
    if level > 0 {
        best[..level].copy_from_slice(&s.chain[level - 1][..level]);
    }
    Some(level)
}
