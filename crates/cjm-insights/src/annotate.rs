//! Writes the measures into the map as cells with evidence `measured`, so that every
//! renderer shows them: metrics lanes per stage (cases, conversion with its trend,
//! drop-off, time from the previous stage), channels, step use, weak points as pain
//! points (the top three critical) and opportunity stubs answering them.
//!
//! Lanes written here have ids starting with `measured-`; a rebuild replaces them.

use cjm_model::{Cell, Evidence, Lane, LaneKind, Level, Map, Metric};

use crate::BuildOptions;
use crate::insights::{Insights, StageMeasure};
use crate::weak::{duration, percent};

/// Prefix of the ids of the lanes a build writes.
pub const LANE_PREFIX: &str = "measured-";

/// How many weak points are marked critical.
const CRITICAL: usize = 3;

struct Writer<'a> {
    insights: &'a Insights,
    options: &'a BuildOptions,
}

impl Writer<'_> {
    fn evidence(&self, query: String, cases: u64) -> Option<Evidence> {
        Some(Evidence::Measured {
            query: format!(
                "cjm build {} --store {}: {query}",
                self.options.map_file, self.options.store
            ),
            cases: Some(cases),
            range: self.insights.range.clone(),
            store: self.options.store.clone(),
        })
    }

    fn metric_cell(
        &self,
        lane: &str,
        s: &StageMeasure,
        text: String,
        metric: Metric,
        query: String,
    ) -> Cell {
        Cell {
            id: format!("{lane}-{}", s.stage),
            stage: Some(s.stage.clone()),
            text,
            evidence: self.evidence(query, s.reached),
            metric: Some(metric),
            ..Cell::default()
        }
    }

    fn trend(
        &self,
        stage: &str,
        pick: impl Fn(&crate::insights::StageTrend) -> Vec<f64>,
    ) -> Vec<f64> {
        self.insights
            .trends
            .as_ref()
            .and_then(|t| t.stages.iter().find(|s| s.stage == stage))
            .map(pick)
            .unwrap_or_default()
    }
}

fn metric(name: &str, value: f64, unit: &str, higher_is_better: bool, trend: Vec<f64>) -> Metric {
    Metric {
        name: name.to_owned(),
        value: Some(value),
        target: None,
        unit: unit.to_owned(),
        source: "cjm build".to_owned(),
        higher_is_better,
        trend,
    }
}

fn lane(id: &str, kind: LaneKind, title: &str, cells: Vec<Cell>) -> Option<Lane> {
    (!cells.is_empty()).then(|| Lane {
        id: format!("{LANE_PREFIX}{id}"),
        kind,
        title: title.to_owned(),
        cells,
    })
}

fn stage_lanes(w: &Writer<'_>) -> Vec<Option<Lane>> {
    let stages = &w.insights.stages;
    let funnel = w.insights.funnel.steps.join(", ");
    let mut reached = Vec::new();
    let mut conversion = Vec::new();
    let mut dropped = Vec::new();
    let mut waits = Vec::new();
    let mut channels = Vec::new();
    for (k, s) in stages.iter().enumerate() {
        let id = |name: &str| format!("{LANE_PREFIX}{name}");
        let query = if s.outcome {
            format!("cases with an event of stage `{}`", s.stage)
        } else {
            format!("funnel over [{funnel}], level >= {}", k + 1)
        };
        reached.push(w.metric_cell(
            &id("reached"),
            s,
            format!("{} cases", s.reached),
            metric(
                "Cases reaching",
                s.reached as f64,
                "cases",
                true,
                w.trend(&s.stage, |t| t.reached.iter().map(|&n| n as f64).collect()),
            ),
            query.clone(),
        ));
        if let (Some(prev), Some(first)) = (s.conversion_from_previous, s.conversion_from_first) {
            conversion.push(w.metric_cell(
                &id("conversion"),
                s,
                format!(
                    "{} from previous · {} from first",
                    percent(prev),
                    percent(first)
                ),
                metric(
                    "Conversion from previous",
                    (prev * 1000.0).round() / 10.0,
                    "%",
                    true,
                    w.trend(&s.stage, |t| {
                        t.conversion_from_previous
                            .iter()
                            .map(|c| (c.unwrap_or(0.0) * 1000.0).round() / 10.0)
                            .collect()
                    }),
                ),
                query.clone(),
            ));
        }
        if let Some(share) = s.dropped_share {
            let next = stages.get(k + 1).map_or("", |n| n.name.as_str());
            let mut text = format!(
                "{} stopped here ({}) before {next}",
                s.dropped,
                percent(share)
            );
            if let Some(last) = s.dropped_last_activities.first() {
                text.push_str(&format!("; last seen: {}", last.name));
            }
            dropped.push(w.metric_cell(
                &id("drop-off"),
                s,
                text,
                metric(
                    "Drop-off",
                    (share * 1000.0).round() / 10.0,
                    "%",
                    false,
                    w.trend(&s.stage, |t| {
                        t.dropped_share
                            .iter()
                            .map(|c| (c.unwrap_or(0.0) * 1000.0).round() / 10.0)
                            .collect()
                    }),
                ),
                format!("funnel over [{funnel}], level = {}", k + 1),
            ));
        }
        if let (Some(median), Some(p90)) = (s.wait_median_s, s.wait_p90_s) {
            waits.push(w.metric_cell(
                &id("wait"),
                s,
                format!("median {} · p90 {}", duration(median), duration(p90)),
                metric(
                    "Median time from previous stage",
                    (median / 3600.0 * 10.0).round() / 10.0,
                    "h",
                    false,
                    w.trend(&s.stage, |t| {
                        t.wait_median_s
                            .iter()
                            .map(|c| (c.unwrap_or(0.0) / 3600.0 * 10.0).round() / 10.0)
                            .collect()
                    }),
                ),
                format!("funnel chain, time from level {} to level {}", k, k + 1),
            ));
        }
        let named: Vec<String> = s
            .channels
            .iter()
            .filter(|c| c.channel != crate::summary::NO_CHANNEL)
            .map(|c| format!("{} {} cases", c.channel, c.cases))
            .collect();
        if !named.is_empty() {
            channels.push(Cell {
                id: format!("{LANE_PREFIX}channels-{}", s.stage),
                stage: Some(s.stage.clone()),
                text: named.join(" · "),
                evidence: w.evidence(
                    format!(
                        "events of stage `{}` by attribute `{}`",
                        s.stage, w.insights.channels.attribute
                    ),
                    s.touched,
                ),
                ..Cell::default()
            });
        }
    }
    vec![
        lane(
            "reached",
            LaneKind::Metrics,
            "Cases reaching (measured)",
            reached,
        ),
        lane(
            "conversion",
            LaneKind::Metrics,
            "Conversion (measured)",
            conversion,
        ),
        lane(
            "drop-off",
            LaneKind::Metrics,
            "Drop-off (measured)",
            dropped,
        ),
        lane(
            "wait",
            LaneKind::Metrics,
            "Time from previous stage (measured)",
            waits,
        ),
        lane("channels", LaneKind::Text, "Channels (measured)", channels),
    ]
}

fn step_lane(w: &Writer<'_>) -> Option<Lane> {
    let cells = w
        .insights
        .steps
        .iter()
        .map(|u| Cell {
            id: format!("{LANE_PREFIX}use-{}", u.id),
            step: Some(u.id.clone()),
            text: format!(
                "{} cases · {} events · {} repeat",
                u.cases,
                u.events,
                percent(u.repeat_rate.unwrap_or(0.0))
            ),
            evidence: w.evidence(
                format!("events matching the rule of step `{}`", u.id),
                u.cases,
            ),
            metric: Some(metric("Cases", u.cases as f64, "cases", true, Vec::new())),
            ..Cell::default()
        })
        .collect();
    lane("use", LaneKind::Metrics, "Step use (measured)", cells)
}

fn weak_point_lanes(w: &Writer<'_>) -> Vec<Option<Lane>> {
    let mut pains: Vec<Cell> = Vec::new();
    let mut opportunities: Vec<Cell> = Vec::new();
    for wp in &w.insights.weak_points {
        let id = format!("{LANE_PREFIX}weak-{}", wp.rank);
        let severity = match wp.rank {
            1..=CRITICAL => Level::High,
            4..=6 => Level::Medium,
            _ => Level::Low,
        };
        pains.push(Cell {
            id: id.clone(),
            stage: Some(wp.stage.clone()),
            text: format!("#{} {}", wp.rank, wp.title),
            evidence: w.evidence(wp.evidence.clone(), wp.cases),
            severity: Some(severity),
            critical: wp.rank <= CRITICAL,
            ..Cell::default()
        });
        opportunities.push(Cell {
            id: format!("{LANE_PREFIX}opportunity-{}", wp.rank),
            stage: Some(wp.stage.clone()),
            text: wp.opportunity.clone(),
            evidence: Some(Evidence::Assumed {
                note: "proposed by cjm build from a measured weak point; edit it".to_owned(),
            }),
            impact: Some(severity),
            answers: vec![id],
            ..Cell::default()
        });
    }
    vec![
        lane(
            "weak-points",
            LaneKind::PainPoints,
            "Weak points (measured)",
            pains,
        ),
        lane(
            "opportunities",
            LaneKind::Opportunities,
            "Opportunities (proposed)",
            opportunities,
        ),
    ]
}

fn persona_lanes(w: &Writer<'_>) -> Vec<Option<Lane>> {
    w.insights
        .personas
        .iter()
        .map(|p| {
            let cells = p
                .stages
                .iter()
                .filter(|s| !s.outcome)
                .map(|s| Cell {
                    id: format!("{LANE_PREFIX}persona-{}-{}", p.persona, s.stage),
                    stage: Some(s.stage.clone()),
                    text: format!(
                        "{} cases · {} from first",
                        s.reached,
                        percent(s.conversion_from_first.unwrap_or(0.0))
                    ),
                    evidence: w.evidence(
                        format!("funnel over the segment of persona `{}`", p.persona),
                        s.reached,
                    ),
                    personas: vec![p.persona.clone()],
                    metric: Some(metric(
                        "Cases reaching",
                        s.reached as f64,
                        "cases",
                        true,
                        Vec::new(),
                    )),
                    ..Cell::default()
                })
                .collect();
            lane(
                &format!("persona-{}", p.persona),
                LaneKind::Metrics,
                &format!("{} (measured)", p.name),
                cells,
            )
        })
        .collect()
}

/// A copy of `map` with the measured lanes of `insights` (replacing those of a previous build).
pub fn annotate(map: &Map, insights: &Insights, options: &BuildOptions) -> Map {
    let w = Writer { insights, options };
    let mut out = map.clone();
    out.lanes.retain(|l| !l.id.starts_with(LANE_PREFIX));
    let mut lanes = stage_lanes(&w);
    lanes.push(step_lane(&w));
    lanes.extend(persona_lanes(&w));
    lanes.extend(weak_point_lanes(&w));
    out.lanes.extend(lanes.into_iter().flatten());
    out
}
