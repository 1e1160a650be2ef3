//! A plain reference implementation of the measuring pass, to hold the fast one against:
//! every rule tested on every event, repeats found by sorting, sets for distinct pairs,
//! one case at a time on one thread. Only the stage funnel is shared (the event engine's
//! kernel is the one source of truth for levels).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use cjm_events::Journeys;
use cjm_events::journeys::ColumnValues;
use cjm_insights::measure::waits::WaitPart;
use cjm_insights::measure::{AmountSource, ChannelSource, ScanPlan, Tally, case_amount};
use cjm_insights::rules::{BoundConditions, RuleSet};
use cjm_model::Map;

fn channel(plan: &ScanPlan, journeys: &Journeys<'_>, case: usize, event: usize) -> usize {
    let (values, row) = match plan.channel {
        ChannelSource::None => return plan.channels,
        ChannelSource::Event(col) => (&journeys.event_attributes[col].values, event),
        ChannelSource::Case(col) => (&journeys.case_attributes[col].values, case),
    };
    match values {
        ColumnValues::Text { codes, .. } if (codes[row] as usize) < plan.channels => {
            codes[row] as usize
        }
        _ => plan.channels,
    }
}

/// The rules of `set` that hold on an event, in map order.
fn hits(set: &RuleSet, journeys: &Journeys<'_>, case: usize, event: usize) -> Vec<usize> {
    (0..set.rules.len())
        .filter(|&i| set.rules[i].matches(journeys, case, event))
        .collect()
}

/// Whether a persona filter holds on a case: each condition on the case, or on some event.
fn in_segment(map: &Map, persona: usize, journeys: &Journeys<'_>, case: usize) -> bool {
    let filter = &map
        .personas
        .iter()
        .filter(|p| !p.filter.is_empty())
        .nth(persona)
        .expect("persona")
        .filter;
    filter.iter().all(|c| {
        let one = BoundConditions::bind(std::slice::from_ref(c), journeys);
        journeys
            .case_range(case)
            .any(|e| one.hold(journeys, case, e))
    })
}

/// The tallies of every segment (all cases first, then one per persona with a filter).
pub fn scan(map: &Map, plan: &ScanPlan, journeys: &Journeys<'_>) -> Vec<Tally> {
    let rules = &plan.rules;
    let d = plan.designed;
    let steps = rules.steps.rules.len();
    let mut tallies: Vec<Tally> = (0..=plan.segments.len())
        .map(|_| Tally::new(plan, journeys))
        .collect();
    for case in 0..journeys.case_count() {
        let events = journeys.case_range(case);
        let mut path: Vec<u16> = Vec::new();
        let mut stage_codes = Vec::new();
        let mut stage_events: Vec<(usize, usize)> = Vec::new();
        let mut uses: Vec<(usize, u32)> = Vec::new();
        for e in events.clone() {
            let activity = journeys.activity[e];
            let stage_hits = hits(&rules.stages, journeys, case, e);
            for (n, &h) in stage_hits.iter().enumerate() {
                tallies[0].stage_rule_hits[h] += 1;
                if n > 0 {
                    let key = (stage_hits[0] as u16, h as u16, activity);
                    *tallies[0].claimed_twice.entry(key).or_default() += 1;
                }
            }
            let step_hits = hits(&rules.steps, journeys, case, e);
            let touchpoint_hits = hits(&rules.touchpoints, journeys, case, e);
            uses.extend(step_hits.iter().map(|&i| (i, activity)));
            uses.extend(touchpoint_hits.iter().map(|&i| (steps + i, activity)));
            if stage_hits.is_empty() && step_hits.is_empty() && touchpoint_hits.is_empty() {
                tallies[0].unmatched[activity as usize] += 1;
            }
            let number = stage_hits.first().map(|&s| plan.path_number[s]);
            stage_codes.push(match number {
                Some(n) if (n as usize) < d => u32::from(n) + 1,
                _ => 0,
            });
            if let (Some(&stage), Some(number)) = (stage_hits.first(), number) {
                if path.last() != Some(&number) {
                    path.push(number);
                }
                stage_events.push((stage, channel(plan, journeys, case, e)));
            }
        }
        let (level, step_us) = match &plan.funnel {
            Some(f) => {
                let activity = if f.by_stage_code {
                    stage_codes.clone()
                } else {
                    journeys.activity[events.clone()].to_vec()
                };
                let mut scratch = Default::default();
                let r = f.matcher.matches(
                    &activity,
                    &journeys.timestamp_us[events.clone()],
                    &mut scratch,
                );
                (r.level.min(d), r.step_us.to_vec())
            }
            None => (0, Vec::new()),
        };
        let amount = case_amount(&plan.amount, journeys, case);
        let lost = level < d;
        let pairs: BTreeSet<(usize, usize)> = stage_events.iter().copied().collect();
        let touched: BTreeSet<usize> = stage_events.iter().map(|p| p.0).collect();
        uses.sort_unstable();
        let segments = (0..plan.segments.len())
            .filter(|&p| in_segment(map, p, journeys, case))
            .map(|p| p + 1);
        for seg in std::iter::once(0).chain(segments) {
            let t = &mut tallies[seg];
            t.cases += 1;
            t.levels[level] += 1;
            for e in events.clone() {
                t.first_us = t.first_us.min(journeys.timestamp_us[e]);
                t.last_us = t.last_us.max(journeys.timestamp_us[e]);
            }
            for &s in &touched {
                t.touched[s] += 1;
            }
            let period = plan
                .period
                .map(|p| p.key(journeys.timestamp_us[events.start]));
            let mut waits = WaitPart::new(d, period);
            for k in 1..level {
                let us = step_us[k] - step_us[k - 1];
                if lost {
                    waits.lost[k].push(us);
                    if !matches!(plan.amount, AmountSource::None) {
                        waits.lost_amounts[k].push(amount);
                    }
                } else {
                    waits.kept[k].push(us);
                }
            }
            t.waits.parts.push(Arc::new(waits));
            for &(stage, chan) in &stage_events {
                t.stage_events[stage] += 1;
                t.stage_channels[stage][chan][0] += 1;
            }
            for &(stage, chan) in &pairs {
                t.stage_channels[stage][chan][1] += 1;
                let k = plan.path_number[stage] as usize;
                if seg == 0 && k < d && level > k {
                    t.channel_funnel[k][chan][0] += 1;
                    if level > k + 1 {
                        t.channel_funnel[k][chan][1] += 1;
                    }
                }
            }
            // Persona segments count stages only.
            let targets: BTreeSet<usize> = uses.iter().map(|u| u.0).filter(|_| seg == 0).collect();
            for target in targets {
                let events = uses.iter().filter(|u| u.0 == target).count() as u64;
                let repeated = uses.windows(2).any(|w| w[0] == w[1] && w[0].0 == target);
                let u = if target < steps {
                    &mut t.steps[target]
                } else {
                    &mut t.touchpoints[target - steps]
                };
                u.events += events;
                u.cases += 1;
                if repeated {
                    u.repeat_cases += 1;
                    if lost {
                        u.repeat_lost += 1;
                        u.repeat_lost_value += amount;
                    }
                }
            }
            t.conformance.add(&path, d, lost.then_some(amount));
            if seg > 0 {
                // Persona tallies do not list their paths.
                t.conformance.paths.clear();
            }
            if level >= 1 && lost {
                let k = level - 1;
                let last = journeys.activity[events.end - 1];
                *t.dropped_last[k].entry(last).or_default() += 1;
                let exit = path
                    .iter()
                    .rev()
                    .find(|&&n| n as usize >= d)
                    .map_or(t.dropped_exit[k].len() - 1, |&n| n as usize - d);
                t.dropped_exit[k][exit] += 1;
                t.dropped_value[k] += amount;
            }
            if let Some(p) = plan.period.filter(|_| seg == 0) {
                let key = p.key(journeys.timestamp_us[events.start]);
                let slot = t.periods.entry(key).or_insert_with(|| vec![0; d + 1]);
                slot[level] += 1;
            }
        }
    }
    tallies
}

/// A lost wait and the bits of its case's amount (`None` without amounts).
type LostWait = (i64, Option<u64>);
/// The kept and the lost waits into one designed stage.
type StageWaits = (Vec<i64>, Vec<LostWait>);

/// A tally with its waits in a canonical form: one part per period, each list sorted
/// (the fast pass keeps them in parts by ranges of cases and combinations of segments).
pub fn canonical(mut tally: Tally) -> Tally {
    let d = tally.levels.len() - 1;
    // Per period, per designed stage: the kept waits and the lost ones.
    let mut by_period: BTreeMap<Option<i64>, Vec<StageWaits>> = BTreeMap::new();
    for part in &tally.waits.parts {
        let stages = by_period
            .entry(part.period)
            .or_insert_with(|| vec![Default::default(); d]);
        for (k, (kept, lost)) in stages.iter_mut().enumerate() {
            kept.extend_from_slice(&part.kept[k]);
            let amounts = part.lost_amounts[k].iter().map(|a| Some(a.to_bits()));
            lost.extend(
                part.lost[k]
                    .iter()
                    .copied()
                    .zip(amounts.chain(std::iter::repeat(None))),
            );
        }
    }
    tally.waits.parts = by_period
        .into_iter()
        .filter(|(_, stages)| stages.iter().any(|(k, l)| !k.is_empty() || !l.is_empty()))
        .map(|(period, mut stages)| {
            let mut part = WaitPart::new(d, period);
            for (k, (kept, lost)) in stages.iter_mut().enumerate() {
                kept.sort_unstable();
                lost.sort_unstable();
                part.kept[k] = std::mem::take(kept);
                part.lost[k] = lost.iter().map(|l| l.0).collect();
                part.lost_amounts[k] = lost
                    .iter()
                    .filter_map(|l| l.1)
                    .map(f64::from_bits)
                    .collect();
            }
            Arc::new(part)
        })
        .collect();
    tally
}
