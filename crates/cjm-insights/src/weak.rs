//! Weak points: where the journey loses or strains customers, ranked by impact.
//!
//! Candidates, each counted in cases (and in value with `--amount`):
//! - drop-off: cases that reached a designed stage but not the next one;
//! - long wait: cases whose time from the previous stage lies above the stage's own
//!   Tukey upper fence, `Q3 + 1.5 × (Q3 − Q1)` of all times into that stage;
//! - repeated contact: cases that needed a step or touchpoint more than once;
//! - re-entry: cases that came back to a stage they had left.
//!
//! Drop-offs come first: they are where customers were lost. Then the friction points
//! (long waits, repeated contacts, re-entries), by what was lost among the cases they
//! affected: the cases that never reached the last designed stage, or their summed
//! amount when an amount attribute is named. Within drop-offs the key is the same: cases
//! lost, or their amount. Ties keep the order above.

use cjm_events::kernels::in_parallel;

use crate::insights::{StageMeasure, UseMeasure, WeakPoint, WeakPointKind};
use crate::measure::{AmountSource, Tally, UseTally};
use crate::summary::{Layout, WaitStats};

/// A readable duration: seconds, minutes, hours or days.
pub fn duration(seconds: f64) -> String {
    if seconds < 120.0 {
        format!("{seconds:.0} s")
    } else if seconds < 7200.0 {
        format!("{:.0} min", seconds / 60.0)
    } else if seconds < 172_800.0 {
        format!("{:.1} h", seconds / 3600.0)
    } else {
        format!("{:.1} d", seconds / 86_400.0)
    }
}

/// A percentage with no decimals, or one below 10 %.
pub fn percent(share: f64) -> String {
    let p = share * 100.0;
    if p < 10.0 && p > 0.0 {
        format!("{p:.1}%")
    } else {
        format!("{p:.0}%")
    }
}

fn drop_offs(layout: &Layout, stages: &[StageMeasure]) -> Vec<WeakPoint> {
    let d = layout.designed;
    let mut out = Vec::new();
    for n in 0..d.saturating_sub(1) {
        let (here, next) = (&stages[n], &stages[n + 1]);
        if here.dropped == 0 {
            continue;
        }
        let share = here.dropped_share.unwrap_or(0.0);
        let last: Vec<String> = here
            .dropped_last_activities
            .iter()
            .take(3)
            .map(|a| format!("{} ({})", a.name, a.cases))
            .collect();
        let exits: Vec<String> = here
            .dropped_exits
            .iter()
            .map(|a| format!("{} {}", a.name, a.cases))
            .collect();
        let mut evidence = format!(
            "{} of {} cases that reached “{}” never reached “{}” ({}).",
            here.dropped,
            here.reached,
            here.name,
            next.name,
            percent(share)
        );
        if !last.is_empty() {
            evidence.push_str(&format!(" Their last activity: {}.", last.join(", ")));
        }
        if d < layout.ids.len() && !exits.is_empty() {
            evidence.push_str(&format!(" Outcomes: {}.", exits.join(", ")));
        }
        let why = here
            .dropped_last_activities
            .first()
            .map(|a| format!(" after “{}”", a.name))
            .unwrap_or_default();
        out.push(WeakPoint {
            rank: 0,
            kind: WeakPointKind::DropOff,
            stage: here.stage.clone(),
            target: None,
            title: format!(
                "{} lost between {} and {} ({})",
                here.dropped,
                here.name,
                next.name,
                percent(share)
            ),
            evidence,
            cases: here.dropped,
            lost: here.dropped,
            value: here.dropped_value,
            opportunity: format!(
                "Find out why customers stop{why} at “{}” and reach them before they leave (reminder, call-back, simpler next step).",
                here.name
            ),
        });
    }
    out
}

fn long_waits(
    layout: &Layout,
    tally: &Tally,
    stats: &[WaitStats],
    with_amount: bool,
) -> Vec<WeakPoint> {
    let mut out = Vec::new();
    let fenced: Vec<(usize, f64, f64)> = stats
        .iter()
        .enumerate()
        .take(layout.designed)
        .skip(1)
        .filter_map(|(k, stat)| {
            let (q1, median, q3) = (stat.q1?, stat.median?, stat.q3?);
            Some((k, median, q3 + 1.5 * (q3 - q1)))
        })
        .collect();
    // Each stage's waits counted against its fence, the stages side by side.
    let above = in_parallel(
        fenced
            .iter()
            .map(|&(k, _, fence)| move || tally.waits.above(k, fence)),
    );
    for (&(k, median, fence), slow) in fenced.iter().zip(above) {
        if slow.cases == 0 {
            continue;
        }
        let all = tally.waits.count(k);
        let value = with_amount.then_some(slow.lost_value);
        let median = median / 1e6;
        let (from, to) = (&layout.names[k - 1], &layout.names[k]);
        out.push(WeakPoint {
            rank: 0,
            kind: WeakPointKind::LongWait,
            stage: layout.ids[k].clone(),
            target: None,
            title: format!(
                "{} waited over {} from {} to {}",
                slow.cases,
                duration(fence / 1e6),
                from,
                to
            ),
            evidence: format!(
                "{} of {} cases took longer than {} (Tukey upper fence Q3 + 1.5·IQR; median {}) from “{}” to “{}”.",
                slow.cases,
                all,
                duration(fence / 1e6),
                duration(median),
                from,
                to
            ),
            cases: slow.cases,
            lost: slow.lost,
            value,
            opportunity: format!(
                "Shorten the wait before “{to}”: set a service level, tell the customer what happens next, and escalate cases past {}.",
                duration(fence / 1e6)
            ),
        });
    }
    out
}

fn repeated(
    layout: &Layout,
    uses: &[UseMeasure],
    tallies: &[UseTally],
    with_amount: bool,
) -> Vec<WeakPoint> {
    uses.iter()
        .zip(tallies)
        .filter(|(u, _)| u.repeat_cases > 0)
        .map(|(u, tally)| {
            let stage = u
                .stage
                .clone()
                .unwrap_or_else(|| layout.ids.first().cloned().unwrap_or_default());
            WeakPoint {
                rank: 0,
                kind: WeakPointKind::RepeatedContact,
                stage,
                target: Some(u.id.clone()),
                title: format!(
                    "{} needed “{}” more than once ({})",
                    u.repeat_cases,
                    u.name,
                    percent(u.repeat_rate.unwrap_or(0.0))
                ),
                evidence: format!(
                    "{} of {} cases that used “{}” used it more than once ({} events in all).",
                    u.repeat_cases, u.cases, u.name, u.events
                ),
                cases: u.repeat_cases,
                lost: tally.repeat_lost,
                value: with_amount.then_some(tally.repeat_lost_value),
                opportunity: format!(
                    "Make “{}” work the first time: find what sends customers back to it.",
                    u.name
                ),
            }
        })
        .collect()
}

fn reentries(layout: &Layout, tally: &Tally, with_amount: bool) -> Vec<WeakPoint> {
    let c = &tally.conformance;
    tally
        .conformance
        .reentered
        .iter()
        .enumerate()
        .filter(|(_, n)| **n > 0)
        .map(|(k, &n)| WeakPoint {
            rank: 0,
            kind: WeakPointKind::Reentry,
            stage: layout.ids[k].clone(),
            target: None,
            title: format!("{n} came back to {} after leaving it", layout.names[k]),
            evidence: format!(
                "{n} cases entered “{}” again after a later or earlier stage (a loop in the journey).",
                layout.names[k]
            ),
            cases: n,
            lost: c.reentered_lost[k],
            value: with_amount.then(|| c.reentered_lost_value[k]),
            opportunity: format!(
                "Remove the loop back to “{}”: settle in one go what sends customers back.",
                layout.names[k]
            ),
        })
        .collect()
}

/// The reported measures the weak points are drawn from.
pub struct Measured<'a> {
    pub stages: &'a [StageMeasure],
    /// The [`WaitStats`] of the all-cases tally.
    pub waits: &'a [WaitStats],
    pub steps: &'a [UseMeasure],
    pub touchpoints: &'a [UseMeasure],
}

/// All weak points, ranked, at most `limit`.
pub fn rank(
    layout: &Layout,
    tally: &Tally,
    amount: &AmountSource,
    measured: &Measured<'_>,
    limit: usize,
) -> Vec<WeakPoint> {
    let Measured {
        stages,
        waits,
        steps,
        touchpoints,
    } = *measured;
    let with_amount = !matches!(amount, AmountSource::None);
    let mut all = drop_offs(layout, stages);
    all.extend(long_waits(layout, tally, waits, with_amount));
    all.extend(repeated(layout, steps, &tally.steps, with_amount));
    // A touchpoint measured exactly like a step of its stage adds nothing new.
    let same_as_a_step = |t: &UseMeasure| {
        steps.iter().any(|s| {
            s.stage == t.stage
                && (s.events, s.cases, s.repeat_cases) == (t.events, t.cases, t.repeat_cases)
        })
    };
    let (distinct, tallies): (Vec<UseMeasure>, Vec<UseTally>) = touchpoints
        .iter()
        .zip(&tally.touchpoints)
        .filter(|(t, _)| !same_as_a_step(t))
        .map(|(t, u)| (t.clone(), *u))
        .unzip();
    all.extend(repeated(layout, &distinct, &tallies, with_amount));
    all.extend(reentries(layout, tally, with_amount));
    let key = |w: &WeakPoint| -> f64 {
        if with_amount {
            w.value.unwrap_or(0.0)
        } else {
            w.lost as f64
        }
    };
    // Drop-offs first, then friction; a stable sort keeps the kind order for ties.
    let friction = |w: &WeakPoint| w.kind != WeakPointKind::DropOff;
    all.sort_by(|a, b| {
        friction(a)
            .cmp(&friction(b))
            .then(key(b).total_cmp(&key(a)))
    });
    all.truncate(limit);
    for (i, w) in all.iter_mut().enumerate() {
        w.rank = i + 1;
    }
    all
}
