//! A map as a CSV table with one row per cell, for spreadsheets.
//!
//! Columns (a file may hold any subset, in any order): see [`CSV_COLUMNS`]. The table first
//! lists every stage and step in order (rows without a lane), then every lane with its
//! cells in order; a lane with no cells gets a row of its own. On import, stages, steps and
//! lanes come in order of first appearance, and an empty id column is filled from the name.
//!
//! What CSV holds: stage, step and lane ids and names, the lane kind, and per cell its id,
//! step or stage, text, personas (ids), evidence (`assumed`, `observed: SOURCE`, or the
//! evidence as JSON), score, importance, channel, owner, severity, critical, impact, effort,
//! answers and the metric's name, value, target, unit and source. Lists are comma-separated.
//! Not held: the map's id, title and other settings, persona details, descriptions, places
//! and times, event rules, a metric's direction and trend. The map's id and title are taken
//! from the file name on import.

use std::collections::HashMap;

use crate::error::{LoadError, Location};
use crate::map::{
    Cell, EmotionScale, Evidence, FORMAT_VERSION, Lane, LaneKind, Level, Map, MapType, Metric,
    Persona, Stage, Step,
};
use crate::normalize::{IdMaker, normalize, slug};
use crate::spans::Spans;

/// The columns of the CSV form, in the order they are written.
pub const CSV_COLUMNS: &[&str] = &[
    "stage_id",
    "stage",
    "step_id",
    "step",
    "lane_id",
    "lane",
    "lane_kind",
    "cell_id",
    "text",
    "personas",
    "evidence",
    "emotion",
    "importance",
    "channel",
    "owner",
    "severity",
    "critical",
    "impact",
    "effort",
    "answers",
    "metric",
    "metric_value",
    "metric_target",
    "metric_unit",
    "metric_source",
];

/// Writes the map as CSV, one row per cell (and one per stage, step and empty lane).
pub fn to_csv(map: &Map) -> String {
    let mut rows: Vec<Vec<String>> = Vec::new();
    for stage in &map.stages {
        let mut row = Row::default();
        row.stage(stage);
        if stage.steps.is_empty() {
            rows.push(row.0.clone());
        }
        for step in &stage.steps {
            let mut row = row.clone();
            row.step(step);
            rows.push(row.0);
        }
    }
    for lane in &map.lanes {
        let mut row = Row::default();
        row.set("lane_id", &lane.id);
        row.set("lane", &lane.title);
        row.set("lane_kind", &crate::validate::kind_name(lane.kind));
        if lane.cells.is_empty() {
            rows.push(row.0.clone());
        }
        for cell in &lane.cells {
            let mut row = row.clone();
            if let Some(step) = &cell.step {
                if let Some(stage) = map.stage_of_step(step) {
                    row.stage(stage);
                }
                row.set("step_id", step);
                if let Some((_, s)) = map.steps().find(|(_, s)| &s.id == step) {
                    row.set("step", &s.name);
                }
            } else if let Some(stage_id) = &cell.stage {
                row.set("stage_id", stage_id);
                if let Some(stage) = map.stages.iter().find(|s| &s.id == stage_id) {
                    row.set("stage", &stage.name);
                }
            }
            row.cell(cell);
            rows.push(row.0);
        }
    }
    let mut writer = csv::Writer::from_writer(Vec::new());
    let written = std::iter::once(
        CSV_COLUMNS
            .iter()
            .map(|c| c.to_string())
            .collect::<Vec<_>>(),
    )
    .chain(rows)
    .try_for_each(|row| writer.write_record(&row));
    match (written, writer.into_inner()) {
        (Ok(()), Ok(bytes)) => String::from_utf8(bytes).unwrap_or_default(),
        _ => String::new(),
    }
}

/// A CSV row being written.
#[derive(Clone)]
struct Row(Vec<String>);

impl Default for Row {
    fn default() -> Self {
        Row(vec![String::new(); CSV_COLUMNS.len()])
    }
}

impl Row {
    fn set(&mut self, column: &str, value: &str) {
        if let Some(i) = CSV_COLUMNS.iter().position(|c| *c == column) {
            self.0[i] = value.to_owned();
        }
    }

    fn stage(&mut self, stage: &Stage) {
        self.set("stage_id", &stage.id);
        self.set("stage", &stage.name);
    }

    fn step(&mut self, step: &Step) {
        self.set("step_id", &step.id);
        self.set("step", &step.name);
    }

    fn cell(&mut self, cell: &Cell) {
        let number = |v: Option<f64>| v.map(|v| v.to_string()).unwrap_or_default();
        let level = |v: Option<Level>| v.map(level_name).unwrap_or_default();
        self.set("cell_id", &cell.id);
        self.set("text", &cell.text);
        self.set("personas", &cell.personas.join(", "));
        self.set("evidence", &evidence_text(cell.evidence.as_ref()));
        self.set("emotion", &number(cell.score));
        self.set("importance", &level(cell.importance));
        self.set("channel", cell.channel.as_deref().unwrap_or_default());
        self.set("owner", cell.owner.as_deref().unwrap_or_default());
        self.set("severity", &level(cell.severity));
        self.set("critical", if cell.critical { "true" } else { "" });
        self.set("impact", &level(cell.impact));
        self.set("effort", &level(cell.effort));
        self.set("answers", &cell.answers.join(", "));
        if let Some(metric) = &cell.metric {
            self.set("metric", &metric.name);
            self.set("metric_value", &number(metric.value));
            self.set("metric_target", &number(metric.target));
            self.set("metric_unit", &metric.unit);
            self.set("metric_source", &metric.source);
        }
    }
}

fn level_name(level: Level) -> String {
    serde_json::to_value(level)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// The shortest text that reads back as the same evidence.
fn evidence_text(evidence: Option<&Evidence>) -> String {
    match evidence {
        None => String::new(),
        Some(Evidence::Assumed { note }) if note.is_empty() => "assumed".to_owned(),
        Some(Evidence::Observed { source, name, note }) if name.is_empty() && note.is_empty() => {
            let source = serde_json::to_value(source)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned));
            format!("observed: {}", source.unwrap_or_default())
        }
        Some(evidence) => serde_json::to_string(evidence).unwrap_or_default(),
    }
}

/// Reads a map from CSV (see the module documentation for the columns).
pub fn from_csv(text: &str, path: &str) -> Result<Map, LoadError> {
    from_csv_spanned(text, path).map(|(map, _)| map)
}

/// Like [`from_csv`], and also returns the line each element came from.
pub fn from_csv_spanned(text: &str, path: &str) -> Result<(Map, Spans), LoadError> {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers = reader.headers().map_err(|e| csv_error(path, &e))?.clone();
    let mut columns = HashMap::new();
    for (i, name) in headers.iter().enumerate() {
        let name = name.trim().to_ascii_lowercase();
        if !CSV_COLUMNS.contains(&name.as_str()) {
            return Err(LoadError::new(
                path,
                Location::at(1, 1),
                format!("unknown column `{name}`"),
            )
            .with_hint(format!("the columns are: {}", CSV_COLUMNS.join(", "))));
        }
        if columns.insert(name.clone(), i).is_some() {
            return Err(LoadError::new(
                path,
                Location::at(1, 1),
                format!("the column `{name}` appears twice"),
            ));
        }
    }
    let mut records = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| csv_error(path, &e))?;
        let line = record.position().map_or(0, |p| p.line() as usize);
        if record.len() > headers.len() {
            return Err(LoadError::new(
                path,
                Location::at(line, 1),
                format!(
                    "row has {} fields, the header {}",
                    record.len(),
                    headers.len()
                ),
            )
            .with_hint("quote fields that contain commas"));
        }
        records.push((line, record));
    }
    let mut import = Import::new(path);
    import.spans.set_value(String::new(), Location::at(1, 1));
    for (_, record) in &records {
        for column in ["stage_id", "step_id", "lane_id", "cell_id"] {
            if let Some(id) = columns
                .get(column)
                .and_then(|&i| record.get(i))
                .map(str::trim)
                .filter(|s| !s.is_empty())
            {
                import.ids.take(id);
            }
        }
    }
    for (row, (line, record)) in records.iter().enumerate() {
        import.row = row + 1;
        let get = |column: &str| {
            columns
                .get(column)
                .and_then(|&i| record.get(i))
                .unwrap_or_default()
        };
        import.row(*line, &get)?;
    }
    Ok(import.finish())
}

/// An error in one field of a row; rows are counted from 1 after the header.
fn row_error(
    path: &str,
    (line, row): (usize, usize),
    column: &str,
    message: String,
    hint: &str,
) -> LoadError {
    LoadError::new(
        path,
        Location::at(line, 1),
        format!("row {row}, column `{column}`: {message}"),
    )
    .with_hint(hint)
}

fn csv_error(path: &str, error: &csv::Error) -> LoadError {
    let line = error.position().map_or(1, |p| p.line() as usize);
    LoadError::new(
        path,
        Location::at(line, 1),
        format!("malformed CSV: {error}"),
    )
    .with_hint("check the quotes on this row; the file must be UTF-8 with a header row")
}

struct Import<'a> {
    path: &'a str,
    ids: IdMaker,
    stages: Vec<Stage>,
    lanes: Vec<Lane>,
    personas: Vec<String>,
    spans: Spans,
    /// The data row being read, counted from 1 after the header.
    row: usize,
}

impl<'a> Import<'a> {
    fn new(path: &'a str) -> Self {
        Import {
            path,
            ids: IdMaker::default(),
            stages: Vec::new(),
            lanes: Vec::new(),
            personas: Vec::new(),
            spans: Spans::default(),
            row: 0,
        }
    }

    fn error(&self, line: usize, column: &str, message: String, hint: &str) -> LoadError {
        row_error(self.path, (line, self.row), column, message, hint)
    }

    fn row<'r>(&mut self, line: usize, get: &dyn Fn(&str) -> &'r str) -> Result<(), LoadError> {
        let at = Location::at(line, 1);
        let stage = self.stage(line, get("stage_id").trim(), get("stage"));
        let step = match stage {
            Some(stage) => self.step(line, stage, get("step_id").trim(), get("step"))?,
            None if !get("step_id").trim().is_empty() || !get("step").trim().is_empty() => {
                return Err(self.error(
                    line,
                    "stage",
                    "a step needs its stage".into(),
                    "fill in `stage_id` or `stage` on this row",
                ));
            }
            None => None,
        };
        let lane = self.lane(
            line,
            get("lane_id").trim(),
            get("lane"),
            get("lane_kind").trim(),
        )?;
        let cell_columns = CSV_COLUMNS.iter().skip_while(|c| **c != "cell_id");
        let has_cell_fields = cell_columns.clone().any(|c| !get(c).is_empty());
        let Some(lane) = lane else {
            if has_cell_fields {
                return Err(self.error(
                    line,
                    "lane_id",
                    "a cell needs its lane".into(),
                    "fill in `lane_id` (and `lane_kind`) on this row",
                ));
            }
            return Ok(());
        };
        let (step, stage) = match (step, stage) {
            (Some(step), _) => (Some(step), None),
            (None, Some(stage)) => (None, Some(self.stages[stage].id.clone())),
            (None, None) if has_cell_fields => {
                return Err(self.error(
                    line,
                    "stage",
                    "a cell needs a stage or a step".into(),
                    "fill in `stage_id` or `step_id`",
                ));
            }
            (None, None) => return Ok(()),
        };
        let cell = self.cell(line, get, step, stage)?;
        let cells = &mut self.lanes[lane].cells;
        self.spans
            .set_value(format!("/lanes/{lane}/cells/{}", cells.len()), at);
        cells.push(cell);
        Ok(())
    }

    /// The index of the stage a row names, declaring it on first sight.
    fn stage(&mut self, line: usize, id: &str, name: &str) -> Option<usize> {
        if id.is_empty() && name.trim().is_empty() {
            return None;
        }
        let found = if id.is_empty() {
            self.stages.iter().position(|s| s.name == name)
        } else {
            self.stages.iter().position(|s| s.id == id)
        };
        if found.is_some() {
            return found;
        }
        let id = if id.is_empty() {
            self.ids.make(name, "stage")
        } else {
            id.to_owned()
        };
        self.spans.set_value(
            format!("/stages/{}", self.stages.len()),
            Location::at(line, 1),
        );
        self.stages.push(Stage {
            id,
            name: name.to_owned(),
            ..Stage::default()
        });
        Some(self.stages.len() - 1)
    }

    /// The id of the step a row names, declaring it in `stage` on first sight.
    fn step(
        &mut self,
        line: usize,
        stage: usize,
        id: &str,
        name: &str,
    ) -> Result<Option<String>, LoadError> {
        if id.is_empty() && name.trim().is_empty() {
            return Ok(None);
        }
        for (s, other) in self.stages.iter().enumerate() {
            let found = other.steps.iter().find(|step| {
                if id.is_empty() {
                    s == stage && step.name == name
                } else {
                    step.id == id
                }
            });
            if let Some(found) = found {
                if s != stage {
                    let message = format!(
                        "the step `{}` is already in the stage `{}`",
                        found.id, other.id
                    );
                    return Err(self.error(line, "stage", message, "a step belongs to one stage"));
                }
                return Ok(Some(found.id.clone()));
            }
        }
        let id = if id.is_empty() {
            self.ids.make(name, "step")
        } else {
            id.to_owned()
        };
        let steps = &mut self.stages[stage].steps;
        self.spans.set_value(
            format!("/stages/{stage}/steps/{}", steps.len()),
            Location::at(line, 1),
        );
        steps.push(Step {
            id: id.clone(),
            name: name.to_owned(),
            ..Step::default()
        });
        Ok(Some(id))
    }

    /// The index of the lane a row names, declaring it on first sight.
    fn lane(
        &mut self,
        line: usize,
        id: &str,
        title: &str,
        kind: &str,
    ) -> Result<Option<usize>, LoadError> {
        if id.is_empty() && title.trim().is_empty() && kind.is_empty() {
            return Ok(None);
        }
        let id = if id.is_empty() {
            slug(if title.trim().is_empty() { kind } else { title })
        } else {
            id.to_owned()
        };
        let kind = if kind.is_empty() {
            None
        } else {
            Some(
                serde_json::from_value::<LaneKind>(serde_json::Value::String(kind.to_owned()))
                    .map_err(|e| {
                        self.error(
                            line,
                            "lane_kind",
                            e.to_string(),
                            "use one of the lane kinds listed",
                        )
                    })?,
            )
        };
        if let Some(index) = self.lanes.iter().position(|l| l.id == id) {
            if let Some(kind) = kind
                && kind != self.lanes[index].kind
            {
                let message = format!(
                    "the lane `{id}` was declared as {} before",
                    crate::validate::kind_name(self.lanes[index].kind)
                );
                return Err(self.error(line, "lane_kind", message, "a lane has one kind"));
            }
            return Ok(Some(index));
        }
        let Some(kind) = kind else {
            return Err(self.error(
                line,
                "lane_kind",
                format!("the lane `{id}` has no kind"),
                "fill in `lane_kind` on the lane's first row",
            ));
        };
        self.ids.take(&id);
        self.spans.set_value(
            format!("/lanes/{}", self.lanes.len()),
            Location::at(line, 1),
        );
        self.lanes.push(Lane {
            id,
            kind,
            title: title.to_owned(),
            cells: Vec::new(),
        });
        Ok(Some(self.lanes.len() - 1))
    }

    fn cell<'r>(
        &mut self,
        line: usize,
        get: &dyn Fn(&str) -> &'r str,
        step: Option<String>,
        stage: Option<String>,
    ) -> Result<Cell, LoadError> {
        let path = self.path;
        let at = (line, self.row);
        let number = |column: &str| -> Result<Option<f64>, LoadError> {
            let text = get(column).trim();
            if text.is_empty() {
                return Ok(None);
            }
            text.parse::<f64>()
                .ok()
                .filter(|v| v.is_finite())
                .map(Some)
                .ok_or_else(|| {
                    row_error(
                        path,
                        at,
                        column,
                        format!("`{text}` is not a number"),
                        "write a plain number such as 1.5 or -2",
                    )
                })
        };
        let level = |column: &str| -> Result<Option<Level>, LoadError> {
            let text = get(column).trim();
            if text.is_empty() {
                return Ok(None);
            }
            serde_json::from_value(serde_json::Value::String(text.to_owned()))
                .map(Some)
                .map_err(|_| {
                    row_error(
                        path,
                        at,
                        column,
                        format!("`{text}` is not a level"),
                        "use low, medium or high",
                    )
                })
        };
        let list = |column: &str| -> Vec<String> {
            get(column)
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect()
        };
        let optional = |column: &str| Some(get(column).to_owned()).filter(|s| !s.is_empty());
        let critical = match get("critical").trim() {
            "" | "false" => false,
            "true" => true,
            other => {
                return Err(self.error(
                    line,
                    "critical",
                    format!("`{other}` is not true or false"),
                    "write true, false, or leave it empty",
                ));
            }
        };
        let has_metric = [
            "metric",
            "metric_value",
            "metric_target",
            "metric_unit",
            "metric_source",
        ]
        .iter()
        .any(|c| !get(c).is_empty());
        let metric = if has_metric {
            Some(Metric {
                name: get("metric").to_owned(),
                value: number("metric_value")?,
                target: number("metric_target")?,
                unit: get("metric_unit").to_owned(),
                source: get("metric_source").to_owned(),
                higher_is_better: true,
                trend: Vec::new(),
            })
        } else {
            None
        };
        let personas = list("personas");
        for persona in &personas {
            if !self.personas.contains(persona) {
                self.personas.push(persona.clone());
            }
        }
        Ok(Cell {
            id: get("cell_id").trim().to_owned(),
            step,
            stage,
            text: get("text").to_owned(),
            evidence: self.evidence(line, get("evidence").trim())?,
            personas,
            score: number("emotion")?,
            importance: level("importance")?,
            channel: optional("channel"),
            owner: optional("owner"),
            events: None,
            severity: level("severity")?,
            critical,
            impact: level("impact")?,
            effort: level("effort")?,
            answers: list("answers"),
            metric,
        })
    }

    fn evidence(&self, line: usize, text: &str) -> Result<Option<Evidence>, LoadError> {
        let parsed = if text.is_empty() {
            return Ok(None);
        } else if text == "assumed" {
            Ok(Evidence::Assumed {
                note: String::new(),
            })
        } else if text.starts_with('{') {
            serde_json::from_str(text).map_err(|e| e.to_string())
        } else if let Some(source) = text.strip_prefix("observed:") {
            serde_json::from_value(serde_json::Value::String(source.trim().to_owned()))
                .map(|source| Evidence::Observed {
                    source,
                    name: String::new(),
                    note: String::new(),
                })
                .map_err(|e| e.to_string())
        } else {
            Err(format!("`{text}` is not evidence"))
        };
        parsed.map(Some).map_err(|message| {
            self.error(line, "evidence", message, "write `assumed`, `observed: interview` (or survey, analytics, support_tickets, review, other), or the evidence as JSON")
        })
    }

    fn finish(self) -> (Map, Spans) {
        let stem = self.path.rsplit(['/', '\\']).next().unwrap_or(self.path);
        let stem = stem.rsplit_once('.').map_or(stem, |(s, _)| s);
        let mut map = Map {
            cjm: FORMAT_VERSION,
            id: Some(slug(stem))
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| "map".to_owned()),
            title: if stem.is_empty() {
                "Map".to_owned()
            } else {
                stem.to_owned()
            },
            description: String::new(),
            map_type: MapType::Basic,
            lang: "en".to_owned(),
            scale: EmotionScale::default(),
            personas: self
                .personas
                .into_iter()
                .map(|id| Persona {
                    name: id.clone(),
                    id,
                    ..Persona::default()
                })
                .collect(),
            stages: self.stages,
            lanes: self.lanes,
        };
        normalize(&mut map);
        (map, self.spans)
    }
}
