//! Turns the tallies of the pass into the reported measures.

use cjm_events::Journeys;
use cjm_events::kernels::quantile::{quantiles_of_each, seconds};
use cjm_model::Map;

use crate::conformance::ConformanceTally;
use crate::insights::{
    ActivityCount, ChannelCell, ChannelMatrix, ChannelVolume, Conformance, PathCount, StageCount,
    StageMeasure, StageTrend, Transition, Trends, UseMeasure,
};
use crate::measure::{Tally, UseTally};
use crate::period::Period;
use crate::rules::RuleSet;

/// How the map's stages line up with the funnel and the paths.
#[derive(Debug, Clone)]
pub struct Layout {
    /// Map stage index by path number: designed stages first, then outcomes.
    pub order: Vec<usize>,
    /// Number of designed stages.
    pub designed: usize,
    /// Stage ids by path number.
    pub ids: Vec<String>,
    /// Stage names by path number.
    pub names: Vec<String>,
    /// Channel names by code; the last one stands for "no channel".
    pub channels: Vec<String>,
}

/// Label of events without a channel.
pub const NO_CHANNEL: &str = "(none)";

/// `a / b`, or `None` when `b` is 0.
pub fn ratio(a: u64, b: u64) -> Option<f64> {
    (b > 0).then(|| a as f64 / b as f64)
}

impl Layout {
    /// Designed stages are all stages whose id does not start with `outcome`.
    pub fn new(map: &Map, channels: Vec<String>) -> Self {
        let is_outcome = |i: &usize| map.stages[*i].id.starts_with("outcome");
        let mut order: Vec<usize> = (0..map.stages.len()).filter(|i| !is_outcome(i)).collect();
        let designed = order.len();
        order.extend((0..map.stages.len()).filter(is_outcome));
        let ids = order.iter().map(|&i| map.stages[i].id.clone()).collect();
        let names = order.iter().map(|&i| map.stages[i].name.clone()).collect();
        Self {
            order,
            designed,
            ids,
            names,
            channels,
        }
    }

    /// The path number of each map stage.
    pub fn path_numbers(&self) -> Vec<u16> {
        let mut numbers = vec![0; self.order.len()];
        for (n, &i) in self.order.iter().enumerate() {
            numbers[i] = n as u16;
        }
        numbers
    }
}

/// Cases that reached designed stage `k` (funnel level above `k`).
pub fn reached(levels: &[u64], k: usize) -> u64 {
    levels.iter().skip(k + 1).sum()
}

fn top_counts(counts: impl Iterator<Item = (String, u64)>, limit: usize) -> Vec<ActivityCount> {
    let mut v: Vec<ActivityCount> = counts
        .filter(|(_, n)| *n > 0)
        .map(|(name, cases)| ActivityCount { name, cases })
        .collect();
    v.sort_by(|a, b| b.cases.cmp(&a.cases).then(a.name.cmp(&b.name)));
    v.truncate(limit);
    v
}

/// Order statistics of the waits into one designed stage, in microseconds.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct WaitStats {
    pub q1: Option<f64>,
    pub median: Option<f64>,
    pub q3: Option<f64>,
    pub p90: Option<f64>,
}

/// [`WaitStats`] of the waits into each designed stage (index 0: none) of each tally:
/// all four from one selection a stage, the stages of all tallies side by side. `bounds`:
/// the range the waits lie in, when known (see `FunnelMatcher::gap_bounds`).
pub fn wait_stats(
    tallies: &[Tally],
    designed: usize,
    bounds: Option<(i64, i64)>,
) -> Vec<Vec<WaitStats>> {
    let sets: Vec<Vec<&[i64]>> = tallies
        .iter()
        .flat_map(|t| (0..designed).map(|k| t.waits.into_stage(k)))
        .collect();
    let stats: Vec<WaitStats> = quantiles_of_each(&sets, &[0.25, 0.5, 0.75, 0.9], bounds)
        .into_iter()
        .map(|q| WaitStats {
            q1: q[0],
            median: q[1],
            q3: q[2],
            p90: q[3],
        })
        .collect();
    (0..tallies.len())
        .map(|i| stats[i * designed..(i + 1) * designed].to_vec())
        .collect()
}

/// Stage measures in path-number order; `waits` from [`wait_stats`] of the same tally.
pub fn stage_measures(
    layout: &Layout,
    tally: &Tally,
    waits: &[WaitStats],
    journeys: &Journeys<'_>,
    with_amount: bool,
) -> Vec<StageMeasure> {
    let d = layout.designed;
    let first = reached(&tally.levels, 0);
    layout
        .order
        .iter()
        .enumerate()
        .map(|(n, &i)| {
            let outcome = n >= d;
            let reach = if outcome {
                tally.touched[i]
            } else {
                reached(&tally.levels, n)
            };
            let (dropped, conversion_from_previous, conversion_from_first) = if outcome {
                (0, None, None)
            } else {
                let previous = if n == 0 {
                    tally.cases
                } else {
                    reached(&tally.levels, n - 1)
                };
                let dropped = if n + 1 < d { tally.levels[n + 1] } else { 0 };
                (dropped, ratio(reach, previous), ratio(reach, first))
            };
            let (wait_median_s, wait_p90_s) = if outcome || n == 0 {
                (None, None)
            } else {
                (waits[n].median.map(seconds), waits[n].p90.map(seconds))
            };
            let mut channels: Vec<ChannelVolume> = tally.stage_channels[i]
                .iter()
                .enumerate()
                .filter(|(_, c)| c[0] > 0)
                .map(|(code, c)| ChannelVolume {
                    channel: layout.channels[code].clone(),
                    events: c[0],
                    cases: c[1],
                })
                .collect();
            channels.sort_by(|a, b| b.events.cmp(&a.events).then(a.channel.cmp(&b.channel)));
            let (last, exits) = if outcome || n + 1 >= d {
                (Vec::new(), Vec::new())
            } else {
                let last = top_counts(
                    tally.dropped_last[n].iter().map(|(&code, &c)| {
                        (journeys.activity_names.get(code as usize).to_owned(), c)
                    }),
                    5,
                );
                let exits = top_counts(
                    tally.dropped_exit[n].iter().enumerate().map(|(x, &c)| {
                        let name = layout
                            .ids
                            .get(d + x)
                            .cloned()
                            .unwrap_or_else(|| "(none)".to_owned());
                        (name, c)
                    }),
                    usize::MAX,
                );
                (last, exits)
            };
            StageMeasure {
                stage: layout.ids[n].clone(),
                name: layout.names[n].clone(),
                outcome,
                reached: reach,
                touched: tally.touched[i],
                events: tally.stage_events[i],
                conversion_from_previous,
                conversion_from_first,
                dropped,
                dropped_share: if outcome || n + 1 >= d {
                    None
                } else {
                    ratio(dropped, reach)
                },
                dropped_value: (with_amount && !outcome && n + 1 < d)
                    .then(|| tally.dropped_value[n]),
                wait_median_s,
                wait_p90_s,
                channels,
                dropped_last_activities: last,
                dropped_exits: exits,
            }
        })
        .collect()
}

/// Use of the steps or touchpoints of a rule set.
pub fn use_measures(map: &Map, set: &RuleSet, uses: &[UseTally]) -> Vec<UseMeasure> {
    set.targets
        .iter()
        .zip(uses)
        .map(|(target, u)| UseMeasure {
            kind: target.kind,
            id: target.id.clone(),
            name: target.name.clone(),
            stage: target.stage.map(|s| map.stages[s].id.clone()),
            events: u.events,
            cases: u.cases,
            repeat_cases: u.repeat_cases,
            repeat_rate: ratio(u.repeat_cases, u.cases),
        })
        .collect()
}

/// Designed vs actual, with the `top` most common paths.
pub fn conformance(layout: &Layout, c: &ConformanceTally, top: usize) -> Conformance {
    let d = layout.designed;
    let per_stage = |v: &[u64]| -> Vec<StageCount> {
        v.iter()
            .enumerate()
            .map(|(k, &cases)| StageCount {
                stage: layout.ids[k].clone(),
                cases,
            })
            .collect()
    };
    let mut back_steps: Vec<Transition> = c
        .back_steps
        .iter()
        .map(|(&(a, b), &cases)| Transition {
            from: layout.ids[a as usize].clone(),
            to: layout.ids[b as usize].clone(),
            cases,
        })
        .collect();
    back_steps.sort_by(|a, b| {
        b.cases
            .cmp(&a.cases)
            .then(a.from.cmp(&b.from))
            .then(a.to.cmp(&b.to))
    });
    let all_paths: u64 = c.paths.values().sum();
    let mut paths: Vec<(&Vec<u16>, u64)> = c.paths.iter().map(|(p, &n)| (p, n)).collect();
    let order = |a: &(&Vec<u16>, u64), b: &(&Vec<u16>, u64)| b.1.cmp(&a.1).then(a.0.cmp(b.0));
    // The top paths only: a selection, then a sort of what it kept.
    if top < paths.len() {
        paths.select_nth_unstable_by(top, order);
        paths.truncate(top);
    }
    paths.sort_by(order);
    let paths = paths
        .into_iter()
        .map(|(p, cases)| {
            let main: Vec<u16> = p.iter().copied().filter(|&s| (s as usize) < d).collect();
            PathCount {
                stages: p.iter().map(|&s| layout.ids[s as usize].clone()).collect(),
                cases,
                share: ratio(cases, all_paths).unwrap_or(0.0),
                designed: !main.is_empty()
                    && main.iter().enumerate().all(|(i, &s)| s as usize == i),
            }
        })
        .collect();
    Conformance {
        cases: c.cases,
        follows_designed: c.follows,
        follows_share: ratio(c.follows, c.cases),
        skipped: per_stage(&c.skipped),
        reentered: per_stage(&c.reentered),
        back_step_cases: c.back_step_cases,
        back_steps,
        loop_cases: c.loop_cases,
        designed_path: layout.ids[..d].to_vec(),
        paths,
    }
}

/// The channels × stages matrix.
pub fn channel_matrix(layout: &Layout, tally: &Tally, attribute: &str) -> ChannelMatrix {
    let mut cells = Vec::new();
    let mut used = vec![false; layout.channels.len()];
    for (n, &i) in layout.order.iter().enumerate() {
        for (code, c) in tally.stage_channels[i].iter().enumerate() {
            if c[0] == 0 {
                continue;
            }
            used[code] = true;
            let conversion = tally
                .channel_funnel
                .get(n)
                .filter(|_| n + 1 < layout.designed)
                .and_then(|f| ratio(f[code][1], f[code][0]));
            cells.push(ChannelCell {
                channel: layout.channels[code].clone(),
                stage: layout.ids[n].clone(),
                events: c[0],
                cases: c[1],
                conversion,
            });
        }
    }
    ChannelMatrix {
        attribute: attribute.to_owned(),
        channels: layout
            .channels
            .iter()
            .zip(used)
            .filter(|(_, u)| *u)
            .map(|(c, _)| c.clone())
            .collect(),
        cells,
    }
}

/// Stage measures per period (cases placed by their first event).
pub fn trends(layout: &Layout, tally: &Tally, period: Period) -> Trends {
    let keys: Vec<i64> = tally.periods.keys().copied().collect();
    let d = layout.designed;
    let mut stages = Vec::with_capacity(d);
    // The waits of every stage and period, side by side.
    let sets: Vec<Vec<&[i64]>> = (0..d)
        .flat_map(|k| {
            keys.iter().map(move |&key| {
                tally
                    .waits
                    .into_stage_where(k, |part| part.period == Some(key))
            })
        })
        .collect();
    let all_medians = quantiles_of_each(&sets, &[0.5], None);
    for k in 0..d {
        let medians = &all_medians[k * keys.len()..(k + 1) * keys.len()];
        let mut trend = StageTrend {
            stage: layout.ids[k].clone(),
            reached: Vec::new(),
            conversion_from_previous: Vec::new(),
            dropped_share: Vec::new(),
            wait_median_s: Vec::new(),
        };
        for (p, levels) in tally.periods.values().enumerate() {
            let here = reached(levels, k);
            let previous = if k == 0 {
                levels.iter().sum()
            } else {
                reached(levels, k - 1)
            };
            trend.reached.push(here);
            trend.conversion_from_previous.push(ratio(here, previous));
            trend.dropped_share.push(if k + 1 < d {
                ratio(levels[k + 1], here)
            } else {
                None
            });
            trend.wait_median_s.push(medians[p][0].map(seconds));
        }
        stages.push(trend);
    }
    Trends {
        period,
        periods: keys.iter().map(|&k| period.label(k)).collect(),
        stages,
    }
}
