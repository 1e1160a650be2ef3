//! Mermaid `journey` diagrams: export a map's emotion curve and import one as a map.
//!
//! What Mermaid holds: the title, the description (as `accDescr`), stages (`section`),
//! steps (tasks) in order, one score per step (1..5, mapped linearly to and from the
//! map's scale) and the personas of each step (actors). Mermaid gives `:`, `#`, `;`, `,`
//! and line breaks a meaning, so in names they are written as their full-width forms
//! (`：`, `＃`, `；`, `，`) and line breaks as spaces. Ids, lanes other than the first
//! emotion lane, evidence and all other fields are not held.

use std::collections::HashMap;
use std::fmt::Write;

use crate::error::{LoadError, Location};
use crate::map::{
    Cell, EmotionScale, FORMAT_VERSION, Lane, LaneKind, Map, MapType, Persona, Stage, Step,
};
use crate::normalize::{IdMaker, normalize};
use crate::spans::Spans;

/// Lowest and highest Mermaid score.
const MERMAID_MIN: f64 = 1.0;
const MERMAID_MAX: f64 = 5.0;

/// Keywords the Mermaid lexer recognises at the start of a statement.
const KEYWORDS: &[&str] = &["journey", "title", "section", "acctitle", "accdescr"];

/// Marks a task name that would otherwise start with a keyword; removed on import.
const KEYWORD_GUARD: char = '\u{200B}';

/// Writes the map as a Mermaid `journey` diagram.
pub fn to_mermaid(map: &Map) -> String {
    let mut out = String::from("journey\n");
    for (keyword, text) in [("title ", &map.title), ("accDescr: ", &map.description)] {
        let cleaned = clean(text, Field::Title);
        if !cleaned.is_empty() {
            let _ = writeln!(out, "    {keyword}{cleaned}");
        }
    }
    let emotions = map.lanes.iter().find(|l| l.kind == LaneKind::Emotions);
    let names: HashMap<&str, &str> = map
        .personas
        .iter()
        .map(|p| (p.id.as_str(), p.name.as_str()))
        .collect();
    for stage in &map.stages {
        let _ = writeln!(out, "    section {}", clean_name(&stage.name, &stage.id));
        for step in &stage.steps {
            let cell = emotions.and_then(|lane| {
                lane.cells
                    .iter()
                    .find(|c| c.score.is_some() && c.step.as_deref() == Some(step.id.as_str()))
            });
            let score = cell
                .and_then(|c| c.score)
                .map_or((MERMAID_MIN + MERMAID_MAX) / 2.0, |s| {
                    to_mermaid_score(s, map.scale)
                });
            let actors: Vec<String> = match cell {
                Some(c) if !c.personas.is_empty() => c
                    .personas
                    .iter()
                    .map(|id| names.get(id.as_str()).copied().unwrap_or(id))
                    .map(|n| clean(n, Field::Actor))
                    .collect(),
                _ => map
                    .personas
                    .iter()
                    .map(|p| clean(&p.name, Field::Actor))
                    .collect(),
            };
            let actors: Vec<String> = actors.into_iter().filter(|a| !a.is_empty()).collect();
            let _ = write!(
                out,
                "      {}: {}",
                task_name(&step.name, &step.id),
                number(score)
            );
            if !actors.is_empty() {
                let _ = write!(out, ": {}", actors.join(", "));
            }
            out.push('\n');
        }
    }
    out
}

/// Reads a Mermaid `journey` diagram as a map: one stage per section, one step per task,
/// an emotion lane with the scores on the default scale, and the actors as personas.
pub fn from_mermaid(text: &str, path: &str) -> Result<Map, LoadError> {
    from_mermaid_spanned(text, path).map(|(map, _)| map)
}

/// Like [`from_mermaid`], and also returns where each element came from.
pub fn from_mermaid_spanned(text: &str, path: &str) -> Result<(Map, Spans), LoadError> {
    let mut import = Import::default();
    let mut started = false;
    for (index, raw) in text.lines().enumerate() {
        let line_no = index + 1;
        let line = strip_comment(raw);
        let trimmed = line.trim();
        if trimmed.is_empty() {
            continue;
        }
        let column = line.len() - line.trim_start().len();
        let column = line[..column].chars().count() + 1;
        let at = Location::at(line_no, column);
        if !started {
            if !trimmed.eq_ignore_ascii_case("journey") {
                return Err(LoadError::new(
                    path,
                    at,
                    "expected `journey`: this is not a Mermaid journey diagram",
                )
                .with_hint("a journey diagram starts with a line `journey`"));
            }
            started = true;
            import.spans.set_value(String::new(), at);
        } else if let Some(title) = keyword_value(trimmed, "title") {
            import.title = title.to_owned();
        } else if starts_with_keyword(trimmed, "acctitle") {
            continue;
        } else if starts_with_keyword(trimmed, "accdescr") {
            if let Some((_, description)) = trimmed.split_once(':') {
                import.description = description.trim().to_owned();
            }
        } else if let Some(name) = keyword_value(trimmed, "section") {
            import.section(name, at);
        } else {
            import.task(path, trimmed, at)?;
        }
    }
    if !started {
        return Err(LoadError::new(
            path,
            Location::File,
            "the file is empty: expected a Mermaid journey diagram",
        )
        .with_hint("a journey diagram starts with a line `journey`"));
    }
    Ok(import.finish())
}

/// Whether a line starts with a keyword, in any ASCII case.
fn starts_with_keyword(line: &str, keyword: &str) -> bool {
    line.get(..keyword.len())
        .is_some_and(|start| start.eq_ignore_ascii_case(keyword))
}

/// The text after a keyword and a space (`title My day` -> `My day`).
fn keyword_value<'a>(line: &'a str, keyword: &str) -> Option<&'a str> {
    if !starts_with_keyword(line, keyword) {
        return None;
    }
    let rest = &line[keyword.len()..];
    rest.starts_with(char::is_whitespace).then(|| rest.trim())
}

/// The part of a line before a `#` or `%%` comment.
fn strip_comment(line: &str) -> &str {
    let end = [line.find('#'), line.find("%%")]
        .into_iter()
        .flatten()
        .min();
    end.map_or(line, |end| &line[..end])
}

#[derive(Default)]
struct Import {
    title: String,
    description: String,
    stages: Vec<Stage>,
    cells: Vec<Cell>,
    personas: Vec<Persona>,
    persona_ids: HashMap<String, String>,
    ids: IdMaker,
    spans: Spans,
}

impl Import {
    fn section(&mut self, name: &str, at: Location) {
        let id = self.ids.make(name, "stage");
        self.spans
            .set_value(format!("/stages/{}", self.stages.len()), at);
        self.stages.push(Stage {
            id,
            name: name.to_owned(),
            ..Stage::default()
        });
    }

    fn task(&mut self, path: &str, line: &str, at: Location) -> Result<(), LoadError> {
        let Some((name, data)) = line.split_once(':') else {
            return Err(LoadError::new(
                path,
                at,
                format!("expected a task `Name: score: actors`, found `{line}`"),
            )
            .with_hint(
                "a task needs a score from 1 to 5 after a colon, such as `Make tea: 5: Me`",
            ));
        };
        let (score_text, actors) = data.split_once(':').unwrap_or((data, ""));
        let score_at = match at {
            Location::At { line: l, column } => {
                let blank = score_text.chars().take_while(|c| c.is_whitespace()).count();
                Location::at(l, column + name.chars().count() + 1 + blank)
            }
            other => other,
        };
        let score: f64 = score_text
            .trim()
            .parse()
            .ok()
            .filter(|s: &f64| s.is_finite())
            .ok_or_else(|| {
                LoadError::new(
                    path,
                    score_at,
                    format!("`{}` is not a score", score_text.trim()),
                )
                .with_hint("Mermaid scores are numbers from 1 (bad) to 5 (good)")
            })?;
        if self.stages.is_empty() {
            self.section("Journey", at);
        }
        let name = name.trim();
        let name = name.strip_prefix(KEYWORD_GUARD).unwrap_or(name);
        let step_id = self.ids.make(name, "step");
        let mut personas = Vec::new();
        for actor in actors.split(',').map(str::trim).filter(|a| !a.is_empty()) {
            personas.push(self.persona(actor));
        }
        let stage_index = self.stages.len() - 1;
        let stage = &mut self.stages[stage_index];
        self.spans.set_value(
            format!("/stages/{stage_index}/steps/{}", stage.steps.len()),
            at,
        );
        stage.steps.push(Step {
            id: step_id.clone(),
            name: name.to_owned(),
            ..Step::default()
        });
        let cell = format!("/lanes/0/cells/{}", self.cells.len());
        self.spans.set_value(format!("{cell}/score"), score_at);
        self.spans.set_value(cell, at);
        self.cells.push(Cell {
            step: Some(step_id),
            score: Some(from_mermaid_score(score, EmotionScale::default())),
            personas,
            ..Cell::default()
        });
        Ok(())
    }

    /// The id of the persona named `actor`, made on first sight.
    fn persona(&mut self, actor: &str) -> String {
        if let Some(id) = self.persona_ids.get(actor) {
            return id.clone();
        }
        let id = self.ids.make(actor, "persona");
        self.persona_ids.insert(actor.to_owned(), id.clone());
        self.personas.push(Persona {
            id: id.clone(),
            name: actor.to_owned(),
            ..Persona::default()
        });
        id
    }

    fn finish(mut self) -> (Map, Spans) {
        let id = self.ids.make(&self.title, "journey");
        let lane_id = self.ids.make("emotions", "emotions");
        let mut map = Map {
            cjm: FORMAT_VERSION,
            id,
            title: if self.title.is_empty() {
                "Journey".to_owned()
            } else {
                self.title
            },
            description: self.description,
            map_type: MapType::Emotion,
            lang: "en".to_owned(),
            scale: EmotionScale::default(),
            personas: self.personas,
            stages: self.stages,
            lanes: vec![Lane {
                id: lane_id,
                kind: LaneKind::Emotions,
                title: String::new(),
                cells: self.cells,
            }],
        };
        normalize(&mut map);
        (map, self.spans)
    }
}

/// A map score as a Mermaid score (1..5).
fn to_mermaid_score(score: f64, scale: EmotionScale) -> f64 {
    let span = scale.max - scale.min;
    if span <= 0.0 {
        return (MERMAID_MIN + MERMAID_MAX) / 2.0;
    }
    MERMAID_MIN + (score - scale.min) / span * (MERMAID_MAX - MERMAID_MIN)
}

/// A Mermaid score (1..5) as a score on `scale`.
fn from_mermaid_score(score: f64, scale: EmotionScale) -> f64 {
    let value =
        scale.min + (score - MERMAID_MIN) / (MERMAID_MAX - MERMAID_MIN) * (scale.max - scale.min);
    (value * 1e9).round() / 1e9
}

/// A number with at most two decimals and no trailing zeros.
fn number(value: f64) -> String {
    let text = format!("{value:.2}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" {
        "0".to_owned()
    } else {
        text.to_owned()
    }
}

/// Where a text goes in a Mermaid diagram; each place gives different characters a meaning.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Field {
    /// `title` and `accDescr`: `#`, `;` and `%%` end them.
    Title,
    /// A section or task name: also `:`.
    Name,
    /// An actor in a task's list: also `,`.
    Actor,
}

/// Text that Mermaid reads back unchanged: its delimiters as full-width forms, one line,
/// no surrounding spaces.
fn clean(text: &str, field: Field) -> String {
    let one_line: String = text
        .chars()
        .map(|c| match c {
            '#' => '＃',
            ';' => '；',
            '%' => '％',
            ':' if field != Field::Title => '：',
            ',' if field == Field::Actor => '，',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect();
    one_line.trim().to_owned()
}

/// A section or task name, falling back to the id when the name is blank.
fn clean_name(name: &str, id: &str) -> String {
    let cleaned = clean(name, Field::Name);
    if cleaned.is_empty() {
        clean(id, Field::Name)
    } else {
        cleaned
    }
}

fn task_name(name: &str, id: &str) -> String {
    let cleaned = clean_name(name, id);
    if KEYWORDS.iter().any(|k| starts_with_keyword(&cleaned, k)) {
        format!("{KEYWORD_GUARD}{cleaned}")
    } else {
        cleaned
    }
}
