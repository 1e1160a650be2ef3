//! Validation of a map: errors make it wrong (broken references, duplicate ids, values out
//! of range, fields in the wrong lane); warnings are rules of the method it does not follow.

use std::collections::{HashMap, HashSet};

use crate::error::{Diagnostic, Location, Severity};
use crate::map::{Cell, LaneKind, Map};
use crate::spans::Spans;

/// Checks a map and returns its findings, in source order.
///
/// `spans` locates each finding in the source file; pass `Spans::default()` for a map
/// that was not loaded from a file.
pub fn validate(map: &Map, spans: &Spans) -> Vec<Diagnostic> {
    let mut check = Check {
        map,
        spans,
        found: Vec::new(),
    };
    check.ids();
    check.scale();
    check.cells();
    check.method();
    let mut found = check.found;
    found.sort_by_key(|d| match d.location {
        Location::At { line, column } => (line, column),
        Location::File | Location::Byte(_) => (0, 0),
    });
    found
}

/// Which lane kinds may use a kind-specific cell field.
const FIELD_KINDS: &[(&str, &[LaneKind])] = &[
    ("score", &[LaneKind::Emotions]),
    ("importance", &[LaneKind::Emotions]),
    ("channel", &[LaneKind::Touchpoints]),
    ("owner", &[LaneKind::Touchpoints]),
    ("events", &[LaneKind::Touchpoints]),
    ("severity", &[LaneKind::PainPoints]),
    ("critical", &[LaneKind::PainPoints]),
    ("impact", &[LaneKind::Opportunities]),
    ("effort", &[LaneKind::Opportunities]),
    ("answers", &[LaneKind::Opportunities]),
    ("metric", &[LaneKind::Metrics]),
];

/// Whether a cell sets a kind-specific field.
fn has_field(cell: &Cell, field: &str) -> bool {
    match field {
        "score" => cell.score.is_some(),
        "importance" => cell.importance.is_some(),
        "channel" => cell.channel.is_some(),
        "owner" => cell.owner.is_some(),
        "events" => cell.events.is_some(),
        "severity" => cell.severity.is_some(),
        "critical" => cell.critical,
        "impact" => cell.impact.is_some(),
        "effort" => cell.effort.is_some(),
        "answers" => !cell.answers.is_empty(),
        "metric" => cell.metric.is_some(),
        _ => false,
    }
}

/// The name a lane kind has in files (`pain_points`).
pub fn kind_name(kind: LaneKind) -> String {
    serde_json::to_value(kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

struct Check<'a> {
    map: &'a Map,
    spans: &'a Spans,
    found: Vec<Diagnostic>,
}

impl Check<'_> {
    fn report(
        &mut self,
        severity: Severity,
        rule: &'static str,
        pointer: String,
        message: String,
        hint: &str,
    ) {
        let location = self.spans.value(&pointer);
        self.found.push(Diagnostic {
            severity,
            rule,
            pointer,
            location,
            message,
            hint: (!hint.is_empty()).then(|| hint.to_owned()),
        });
    }

    fn error(&mut self, rule: &'static str, pointer: String, message: String, hint: &str) {
        self.report(Severity::Error, rule, pointer, message, hint);
    }

    fn warning(&mut self, rule: &'static str, pointer: String, message: String, hint: &str) {
        self.report(Severity::Warning, rule, pointer, message, hint);
    }

    /// Every element's id is present and unique across the whole map.
    fn ids(&mut self) {
        let map = self.map;
        let mut ids: Vec<(&str, String)> = vec![(map.id.as_str(), "/id".to_owned())];
        for (p, persona) in map.personas.iter().enumerate() {
            ids.push((&persona.id, format!("/personas/{p}/id")));
        }
        for (s, stage) in map.stages.iter().enumerate() {
            ids.push((&stage.id, format!("/stages/{s}/id")));
            for (t, step) in stage.steps.iter().enumerate() {
                ids.push((&step.id, format!("/stages/{s}/steps/{t}/id")));
            }
        }
        for (l, lane) in map.lanes.iter().enumerate() {
            ids.push((&lane.id, format!("/lanes/{l}/id")));
            for (c, cell) in lane.cells.iter().enumerate() {
                if !cell.id.is_empty() {
                    ids.push((&cell.id, format!("/lanes/{l}/cells/{c}/id")));
                }
            }
        }
        let mut first: HashMap<&str, String> = HashMap::new();
        for (id, pointer) in ids {
            if id.trim().is_empty() {
                self.error(
                    "empty-id",
                    pointer,
                    "an id must not be empty".into(),
                    "give the element a short unique id",
                );
            } else if let Some(earlier) = first.get(id) {
                let at = match self.spans.value(earlier) {
                    Location::At { line, .. } => format!("line {line}"),
                    _ => earlier.clone(),
                };
                self.error(
                    "duplicate-id",
                    pointer,
                    format!("duplicate id `{id}`, already used at {at}"),
                    "ids must be unique across the whole map; rename one",
                );
            } else {
                first.insert(id, pointer);
            }
        }
    }

    fn scale(&mut self) {
        let scale = self.map.scale;
        if scale.min.partial_cmp(&scale.max) != Some(std::cmp::Ordering::Less) {
            self.error(
                "bad-scale",
                "/scale".into(),
                format!(
                    "the emotion scale runs from {} to {}; min must be below max",
                    scale.min, scale.max
                ),
                "the default scale is min: -2, max: 2",
            );
        }
    }

    /// References, the step/stage rule, lane-kind fields and scores of every cell.
    fn cells(&mut self) {
        let map = self.map;
        let steps: HashSet<&str> = map.steps().map(|(_, s)| s.id.as_str()).collect();
        let stages: HashSet<&str> = map.stages.iter().map(|s| s.id.as_str()).collect();
        let personas: HashSet<&str> = map.personas.iter().map(|p| p.id.as_str()).collect();
        let pain_points: HashSet<&str> = cells_of(map, LaneKind::PainPoints)
            .map(|c| c.id.as_str())
            .collect();
        let all_cells: HashSet<&str> = map
            .lanes
            .iter()
            .flat_map(|l| &l.cells)
            .map(|c| c.id.as_str())
            .collect();
        for (l, lane) in map.lanes.iter().enumerate() {
            if lane.kind == LaneKind::LineOfVisibility && !lane.cells.is_empty() {
                self.error(
                    "divider-with-cells",
                    format!("/lanes/{l}/cells"),
                    "a line_of_visibility lane is a divider and holds no cells".into(),
                    "move the cells to a front_stage or back_stage lane",
                );
            }
            for (c, cell) in lane.cells.iter().enumerate() {
                let at = format!("/lanes/{l}/cells/{c}");
                match (&cell.step, &cell.stage) {
                    (Some(_), Some(_)) => self.error(
                        "step-and-stage",
                        at.clone(),
                        "a cell has both `step` and `stage`".into(),
                        "keep `step` for one step, or `stage` for the whole stage",
                    ),
                    (None, None) => self.error(
                        "no-step-or-stage",
                        at.clone(),
                        "a cell has neither `step` nor `stage`".into(),
                        "say which step (`step: ID`) or stage (`stage: ID`) the cell belongs to",
                    ),
                    _ => {}
                }
                if let Some(step) = &cell.step
                    && !steps.contains(step.as_str())
                {
                    self.error(
                        "missing-step",
                        format!("{at}/step"),
                        format!("no step has the id `{step}`"),
                        &known("steps", map.steps().map(|(_, s)| s.id.as_str())),
                    );
                }
                if let Some(stage) = &cell.stage
                    && !stages.contains(stage.as_str())
                {
                    self.error(
                        "missing-stage",
                        format!("{at}/stage"),
                        format!("no stage has the id `{stage}`"),
                        &known("stages", map.stages.iter().map(|s| s.id.as_str())),
                    );
                }
                for (p, persona) in cell.personas.iter().enumerate() {
                    if !personas.contains(persona.as_str()) {
                        self.error(
                            "missing-persona",
                            format!("{at}/personas/{p}"),
                            format!("no persona has the id `{persona}`"),
                            &known("personas", map.personas.iter().map(|p| p.id.as_str())),
                        );
                    }
                }
                for (a, answer) in cell.answers.iter().enumerate() {
                    if pain_points.contains(answer.as_str()) {
                        continue;
                    }
                    let message = if all_cells.contains(answer.as_str()) {
                        format!("`{answer}` is not a cell of a pain_points lane")
                    } else {
                        format!("no pain point has the id `{answer}`")
                    };
                    self.error(
                        "missing-pain-point",
                        format!("{at}/answers/{a}"),
                        message,
                        "`answers` lists ids of cells in pain_points lanes",
                    );
                }
                for (field, kinds) in FIELD_KINDS {
                    if has_field(cell, field) && !kinds.contains(&lane.kind) {
                        let owners = kinds
                            .iter()
                            .map(|k| kind_name(*k))
                            .collect::<Vec<_>>()
                            .join(", ");
                        self.error(
                            "field-not-for-lane",
                            format!("{at}/{field}"),
                            format!(
                                "`{field}` does not belong in a {} lane",
                                kind_name(lane.kind)
                            ),
                            &format!(
                                "`{field}` is used in {owners} lanes; remove it or move the cell"
                            ),
                        );
                    }
                }
                if let Some(score) = cell.score
                    && lane.kind == LaneKind::Emotions
                    && !(map.scale.min..=map.scale.max).contains(&score)
                {
                    self.error(
                        "score-out-of-scale",
                        format!("{at}/score"),
                        format!(
                            "emotion score {score} is outside the map's scale {}..{}",
                            map.scale.min, map.scale.max
                        ),
                        "change the score, or the map's `scale: {min, max}`",
                    );
                }
            }
        }
    }

    /// The method's rules: warnings.
    fn method(&mut self) {
        let map = self.map;
        if map.personas.is_empty() {
            self.warning(
                "no-persona",
                String::new(),
                "the map has no persona".into(),
                "add the persona whose journey this is under `personas:`",
            );
        }
        self.touchpoints();
        self.emotion_gaps();
        let answered: HashSet<&str> = cells_of(map, LaneKind::Opportunities)
            .flat_map(|c| c.answers.iter().map(String::as_str))
            .collect();
        for (l, lane) in map.lanes.iter().enumerate() {
            for (c, cell) in lane.cells.iter().enumerate() {
                let at = format!("/lanes/{l}/cells/{c}");
                if lane.kind == LaneKind::PainPoints && !answered.contains(cell.id.as_str()) {
                    self.warning(
                        "pain-point-without-opportunity",
                        at.clone(),
                        format!("no opportunity answers the pain point `{}`", cell.id),
                        "add an opportunity cell with `answers: [ID]`",
                    );
                }
                match (&cell.metric, lane.kind) {
                    (Some(metric), _) if metric.target.is_none() => {
                        self.warning(
                            "metric-without-target",
                            format!("{at}/metric"),
                            format!("the metric `{}` has no target", metric.name),
                            "add `target:` so the value can be read against it",
                        );
                    }
                    (None, LaneKind::Metrics) => {
                        self.warning(
                            "metric-cell-without-metric",
                            at.clone(),
                            "a cell of a metrics lane has no `metric`".into(),
                            "add `metric: {name, value, target, unit}`",
                        );
                    }
                    _ => {}
                }
                if lane.kind == LaneKind::Touchpoints && cell.channel.is_none() {
                    self.warning(
                        "touchpoint-without-channel",
                        at.clone(),
                        "a touchpoint has no channel".into(),
                        "add `channel:` (web, app, email, phone, store, chat, ...)",
                    );
                }
                if cell.evidence.is_none() {
                    self.warning(
                        "no-evidence",
                        at,
                        "a claim with no evidence".into(),
                        "add `evidence: {kind: assumed}`, or observed/measured with its source",
                    );
                }
            }
        }
    }

    fn touchpoints(&mut self) {
        let map = self.map;
        if !map.lanes.iter().any(|l| l.kind == LaneKind::Touchpoints) {
            self.warning(
                "no-touchpoints",
                "/lanes".into(),
                "the map has no touchpoints lane".into(),
                "add a lane with `kind: touchpoints`, one cell per place the customer meets you",
            );
            return;
        }
        for (s, stage) in map.stages.iter().enumerate() {
            let covered = cells_of(map, LaneKind::Touchpoints).any(|cell| {
                cell.stage.as_deref() == Some(stage.id.as_str())
                    || cell
                        .step
                        .as_deref()
                        .is_some_and(|step| stage.steps.iter().any(|t| t.id == step))
            });
            if !covered {
                self.warning(
                    "stage-without-touchpoint",
                    format!("/stages/{s}"),
                    format!("the stage `{}` has no touchpoint", stage.id),
                    "add a touchpoints cell for one of its steps",
                );
            }
        }
    }

    fn emotion_gaps(&mut self) {
        let map = self.map;
        for (l, lane) in map.lanes.iter().enumerate() {
            if lane.kind != LaneKind::Emotions {
                continue;
            }
            let missing: Vec<&str> = map
                .steps()
                .filter(|(stage, step)| {
                    !lane.cells.iter().any(|c| {
                        c.score.is_some() && c.step.as_deref() == Some(step.id.as_str())
                            || c.stage.as_deref() == Some(stage.id.as_str())
                    })
                })
                .map(|(_, step)| step.id.as_str())
                .collect();
            if !missing.is_empty() {
                self.warning(
                    "emotion-gap",
                    format!("/lanes/{l}"),
                    format!(
                        "the emotion lane `{}` has no score for: {}",
                        lane.id,
                        missing.join(", ")
                    ),
                    "the emotion curve needs a point at every step",
                );
            }
        }
    }
}

/// All cells of lanes of one kind.
fn cells_of(map: &Map, kind: LaneKind) -> impl Iterator<Item = &Cell> {
    map.lanes
        .iter()
        .filter(move |l| l.kind == kind)
        .flat_map(|l| &l.cells)
}

/// A hint listing the ids that exist.
fn known<'a>(what: &str, ids: impl Iterator<Item = &'a str>) -> String {
    let ids: Vec<&str> = ids.take(12).collect();
    if ids.is_empty() {
        format!("the map defines no {what}")
    } else {
        format!("known {what}: {}", ids.join(", "))
    }
}

/// Loads a map from any supported format and validates it: what `cjm check` reports for
/// one file. A file that does not load gives a single `load` error.
pub fn check_source(text: &str, path: &str) -> Vec<Diagnostic> {
    match crate::format::load_any_spanned(text, path) {
        Ok((mut map, spans)) => {
            crate::normalize::normalize(&mut map);
            validate(&map, &spans)
        }
        Err(error) => vec![error.into()],
    }
}
