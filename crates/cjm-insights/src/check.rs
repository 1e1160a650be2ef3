//! Warnings about how a map's rules meet a store: what `cjm check MAP --store DIR` reports.

use std::fmt;

use cjm_events::Journeys;
use cjm_model::Map;
use serde::{Deserialize, Serialize};

use crate::measure::Tally;
use crate::rules::{MapRules, RuleTarget, TargetKind};

/// A mismatch between a map's event rules and the events of a store.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "warning", rename_all = "snake_case")]
pub enum Warning {
    /// A rule (or one of its activity patterns) matches no event.
    RuleMatchesNothing {
        target: RuleTarget,
        /// The activity pattern that matches no activity name; `None` when the whole rule
        /// (patterns and conditions together) matches no event.
        pattern: Option<String>,
    },
    /// Events that no stage, step or touchpoint rule matches: a part of the real
    /// journey missing from the map.
    UnmatchedEvents { activity: String, events: u64 },
    /// Events matched by two stage rules; the first stage in map order keeps them.
    ClaimedByTwoStages {
        activity: String,
        first: String,
        second: String,
        events: u64,
    },
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Warning::RuleMatchesNothing { target, pattern } => {
                let kind = match target.kind {
                    TargetKind::Stage => "stage",
                    TargetKind::Step => "step",
                    TargetKind::Touchpoint => "touchpoint",
                };
                match pattern {
                    Some(p) => write!(
                        f,
                        "{kind} `{}`: activity pattern `{p}` matches no activity in the store",
                        target.id
                    ),
                    None => write!(f, "{kind} `{}`: its rule matches no event", target.id),
                }
            }
            Warning::UnmatchedEvents { activity, events } => write!(
                f,
                "{events} events of activity `{activity}` match no rule: this part of the journey is missing from the map"
            ),
            Warning::ClaimedByTwoStages {
                activity,
                first,
                second,
                events,
            } => write!(
                f,
                "{events} events of activity `{activity}` match both stage `{first}` and stage `{second}`; `{first}` keeps them"
            ),
        }
    }
}

impl Warning {
    /// A short stable name of the kind of warning.
    pub fn rule(&self) -> &'static str {
        match self {
            Warning::RuleMatchesNothing { .. } => "rule-matches-nothing",
            Warning::UnmatchedEvents { .. } => "unmatched-events",
            Warning::ClaimedByTwoStages { .. } => "claimed-by-two-stages",
        }
    }

    /// The JSON pointer of the rule in `map` this warning is about (`/stages` for events
    /// no rule matches, the second stage's rule for double claims).
    pub fn pointer(&self, map: &Map) -> String {
        let stage_rule = |id: &str| {
            map.stages
                .iter()
                .position(|s| s.id == id)
                .map_or_else(|| "/stages".to_owned(), |i| format!("/stages/{i}/events"))
        };
        match self {
            Warning::RuleMatchesNothing { target, pattern } => {
                let rule = match target.kind {
                    TargetKind::Stage => stage_rule(&target.id),
                    TargetKind::Step => map
                        .stages
                        .iter()
                        .enumerate()
                        .find_map(|(s, stage)| {
                            let t = stage.steps.iter().position(|step| step.id == target.id)?;
                            Some(format!("/stages/{s}/steps/{t}/events"))
                        })
                        .unwrap_or_else(|| "/stages".to_owned()),
                    TargetKind::Touchpoint => map
                        .lanes
                        .iter()
                        .enumerate()
                        .find_map(|(l, lane)| {
                            let c = lane.cells.iter().position(|cell| cell.id == target.id)?;
                            Some(format!("/lanes/{l}/cells/{c}/events"))
                        })
                        .unwrap_or_else(|| "/lanes".to_owned()),
                };
                let index = pattern.as_ref().and_then(|p| {
                    let rule = match target.kind {
                        TargetKind::Stage => map
                            .stages
                            .iter()
                            .find(|s| s.id == target.id)?
                            .events
                            .as_ref(),
                        TargetKind::Step => map
                            .steps()
                            .find(|(_, s)| s.id == target.id)?
                            .1
                            .events
                            .as_ref(),
                        TargetKind::Touchpoint => map
                            .lanes
                            .iter()
                            .flat_map(|l| &l.cells)
                            .find(|c| c.id == target.id)?
                            .events
                            .as_ref(),
                    };
                    rule?.activities.iter().position(|a| a == p)
                });
                match index {
                    Some(i) => format!("{rule}/activities/{i}"),
                    None => rule,
                }
            }
            Warning::UnmatchedEvents { .. } => "/stages".to_owned(),
            Warning::ClaimedByTwoStages { second, .. } => stage_rule(second),
        }
    }

    /// What to do about it.
    pub fn hint(&self) -> &'static str {
        match self {
            Warning::RuleMatchesNothing { .. } => {
                "check the activity names with `cjm stats --store DIR`; patterns take `*` and `?`"
            }
            Warning::UnmatchedEvents { .. } => {
                "add the activity to a stage, step or touchpoint rule, or leave it out on purpose"
            }
            Warning::ClaimedByTwoStages { .. } => {
                "narrow one of the two rules (an exact name, or a `where` condition)"
            }
        }
    }
}

/// The warnings of one build pass, most important first within each kind.
pub(crate) fn warnings(rules: &MapRules, journeys: &Journeys<'_>, all: &Tally) -> Vec<Warning> {
    let mut out = Vec::new();
    let sets = [
        (&rules.stages, None),
        (&rules.steps, Some(&all.steps)),
        (&rules.touchpoints, Some(&all.touchpoints)),
    ];
    for (set, uses) in sets {
        for (i, (target, rule)) in set.targets.iter().zip(&set.rules).enumerate() {
            let declared = target.kind != TargetKind::Stage
                || !rule.pattern_matches.is_empty()
                || !rule.conditions.is_empty();
            if !declared {
                continue;
            }
            for (pattern, n) in &rule.pattern_matches {
                if *n == 0 {
                    out.push(Warning::RuleMatchesNothing {
                        target: target.clone(),
                        pattern: Some(pattern.clone()),
                    });
                }
            }
            let events = match uses {
                Some(uses) => uses[i].events,
                None => all.stage_rule_hits[i],
            };
            if events == 0 {
                out.push(Warning::RuleMatchesNothing {
                    target: target.clone(),
                    pattern: None,
                });
            }
        }
    }
    let mut unmatched: Vec<(u64, &str)> = all
        .unmatched
        .iter()
        .enumerate()
        .filter(|&(_, &n)| n > 0)
        .map(|(code, &n)| (n, journeys.activity_names.get(code)))
        .collect();
    unmatched.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
    out.extend(
        unmatched
            .into_iter()
            .map(|(events, activity)| Warning::UnmatchedEvents {
                activity: activity.to_owned(),
                events,
            }),
    );
    let mut twice: Vec<_> = all.claimed_twice.iter().collect();
    twice.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    let stage_id = |i: u16| {
        rules
            .stages
            .targets
            .get(i as usize)
            .map_or_else(String::new, |t| t.id.clone())
    };
    out.extend(
        twice
            .into_iter()
            .map(|(&(a, b, code), &events)| Warning::ClaimedByTwoStages {
                activity: journeys.activity_names.get(code as usize).to_owned(),
                first: stage_id(a),
                second: stage_id(b),
                events,
            }),
    );
    out
}
