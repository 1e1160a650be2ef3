//! A structural diff of two maps: which personas, stages, steps, lanes and
//! cells were added, removed, moved or changed, with old and new values.

use std::collections::HashMap;
use std::fmt;

use cjm_model::{Cell, Lane, Map, Persona, Stage, Step};
use serde::Serialize;
use serde_json::Value;

/// The longest label shown for an element before it is shortened.
const LABEL_CHARS: usize = 40;

/// Everything that differs between two maps, in map order.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct MapDiff {
    pub changes: Vec<Change>,
}

/// One difference.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    pub element: Element,
    /// The element's id (for a cell without an id: `lane/step` or `lane/stage`).
    pub id: String,
    /// A readable name: the stage or step name, the lane title, a cell's text.
    pub label: String,
    pub kind: ChangeKind,
    /// For `changed`: the field (`name`, `text`, `score`, ...); for `moved`: `position` or `stage`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new: Option<String>,
}

/// What part of a map a change is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Element {
    Map,
    Persona,
    Stage,
    Step,
    Lane,
    Cell,
}

/// How an element changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    Added,
    Removed,
    Changed,
    Moved,
}

impl MapDiff {
    /// The differences that turn `old` into `new`.
    pub fn between(old: &Map, new: &Map) -> MapDiff {
        let mut diff = MapDiff::default();
        diff.fields(
            Element::Map,
            &new.id,
            &new.title,
            &map_header(old),
            &map_header(new),
        );
        diff.elements(
            Element::Persona,
            &old.personas,
            &new.personas,
            &persona_entry,
        );
        diff.elements(Element::Stage, &old.stages, &new.stages, &stage_entry);
        diff.elements(Element::Step, &steps(old), &steps(new), &step_entry);
        diff.elements(Element::Lane, &old.lanes, &new.lanes, &lane_entry);
        diff.elements(Element::Cell, &cells(old), &cells(new), &cell_entry);
        diff
    }

    /// True when the maps are the same.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// Counts in words, such as `1 stage added, 2 cells changed`; `no changes` when empty.
    ///
    /// An element with several changed fields counts once.
    pub fn summary(&self) -> String {
        let mut counted: Vec<(Element, ChangeKind, &str)> = self
            .changes
            .iter()
            .map(|c| (c.element, c.kind, c.id.as_str()))
            .collect();
        counted.sort();
        counted.dedup();
        let mut groups: Vec<((Element, ChangeKind), usize)> = Vec::new();
        for (element, kind, _) in counted {
            match groups.last_mut() {
                Some((key, n)) if *key == (element, kind) => *n += 1,
                _ => groups.push(((element, kind), 1)),
            }
        }
        if groups.is_empty() {
            return "no changes".to_owned();
        }
        groups
            .iter()
            .map(|((element, kind), n)| {
                let noun = element.noun();
                let plural = if *n == 1 { "" } else { "s" };
                format!("{n} {noun}{plural} {}", kind.verb())
            })
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn push(&mut self, element: Element, id: &str, label: &str, kind: ChangeKind) -> &mut Change {
        self.changes.push(Change {
            element,
            id: id.to_owned(),
            label: shorten(label),
            kind,
            field: None,
            old: None,
            new: None,
        });
        self.changes.last_mut().expect("just pushed")
    }

    /// Field-by-field differences of one element present on both sides.
    fn fields(&mut self, element: Element, id: &str, label: &str, old: &Value, new: &Value) {
        let empty = serde_json::Map::new();
        let old = old.as_object().unwrap_or(&empty);
        let new = new.as_object().unwrap_or(&empty);
        let mut keys: Vec<&String> = old.keys().chain(new.keys()).collect();
        keys.sort();
        keys.dedup();
        for key in keys {
            let (a, b) = (old.get(key), new.get(key));
            if a != b {
                let change = self.push(element, id, label, ChangeKind::Changed);
                change.field = Some(key.clone());
                change.old = a.map(show);
                change.new = b.map(show);
            }
        }
    }

    /// Added, removed, moved and changed elements of one kind, matched by key.
    fn elements<T>(&mut self, element: Element, old: &[T], new: &[T], entry: &dyn Fn(&T) -> Entry) {
        let old: Vec<Entry> = old.iter().map(entry).collect();
        let new: Vec<Entry> = new.iter().map(entry).collect();
        let old_index: HashMap<&str, usize> = old
            .iter()
            .enumerate()
            .map(|(i, e)| (e.key.as_str(), i))
            .collect();
        let new_index: HashMap<&str, usize> = new
            .iter()
            .enumerate()
            .map(|(i, e)| (e.key.as_str(), i))
            .collect();
        for e in old
            .iter()
            .filter(|e| !new_index.contains_key(e.key.as_str()))
        {
            self.push(element, &e.key, &e.label, ChangeKind::Removed)
                .old = Some(e.label.clone());
        }
        // Positions among the elements on both sides, so an insertion does not read as a move.
        let kept_old: Vec<&str> = old
            .iter()
            .map(|e| e.key.as_str())
            .filter(|k| new_index.contains_key(k))
            .collect();
        let kept_new: Vec<&str> = new
            .iter()
            .map(|e| e.key.as_str())
            .filter(|k| old_index.contains_key(k))
            .collect();
        let old_position: HashMap<&str, usize> =
            kept_old.iter().enumerate().map(|(i, k)| (*k, i)).collect();
        for e in &new {
            let Some(&i) = old_index.get(e.key.as_str()) else {
                self.push(element, &e.key, &e.label, ChangeKind::Added).new = Some(e.label.clone());
                continue;
            };
            let before = &old[i];
            if before.parent != e.parent {
                let change = self.push(element, &e.key, &e.label, ChangeKind::Moved);
                change.field = Some(e.parent_field.to_owned());
                change.old = Some(before.parent.clone());
                change.new = Some(e.parent.clone());
            } else {
                let was = old_position.get(e.key.as_str()).copied();
                let is = kept_new.iter().position(|k| *k == e.key);
                if was != is {
                    let change = self.push(element, &e.key, &e.label, ChangeKind::Moved);
                    change.field = Some("position".to_owned());
                    change.old = was.map(|p| (p + 1).to_string());
                    change.new = is.map(|p| (p + 1).to_string());
                }
            }
            self.fields(element, &e.key, &e.label, &before.fields, &e.fields);
        }
    }
}

impl Element {
    fn noun(self) -> &'static str {
        match self {
            Element::Map => "map field",
            Element::Persona => "persona",
            Element::Stage => "stage",
            Element::Step => "step",
            Element::Lane => "lane",
            Element::Cell => "cell",
        }
    }
}

impl ChangeKind {
    fn verb(self) -> &'static str {
        match self {
            ChangeKind::Added => "added",
            ChangeKind::Removed => "removed",
            ChangeKind::Changed => "changed",
            ChangeKind::Moved => "moved",
        }
    }
}

impl fmt::Display for MapDiff {
    /// One line per change: `~ cell c1 "Pays" text: "Pays" -> "Pays by card"`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for c in &self.changes {
            let sign = match c.kind {
                ChangeKind::Added => '+',
                ChangeKind::Removed => '-',
                ChangeKind::Changed => '~',
                ChangeKind::Moved => '>',
            };
            write!(f, "{sign} {} {} {:?}", c.element.noun(), c.id, c.label)?;
            if let Some(field) = &c.field {
                let old = c.old.as_deref().unwrap_or("(none)");
                let new = c.new.as_deref().unwrap_or("(none)");
                write!(f, " {field}: {old:?} -> {new:?}")?;
            } else {
                write!(f, " {}", c.kind.verb())?;
            }
            writeln!(f)?;
        }
        Ok(())
    }
}

/// One element prepared for matching: its key, label, parent and comparable fields.
struct Entry {
    key: String,
    label: String,
    /// The stage of a step, the lane of a cell; empty for top-level elements.
    parent: String,
    parent_field: &'static str,
    fields: Value,
}

fn top_level(key: &str, label: &str, fields: Value) -> Entry {
    Entry {
        key: key.to_owned(),
        label: label.to_owned(),
        parent: String::new(),
        parent_field: "",
        fields,
    }
}

fn persona_entry(p: &Persona) -> Entry {
    top_level(&p.id, &p.name, to_value(p, &["id"]))
}

fn stage_entry(s: &Stage) -> Entry {
    top_level(&s.id, &s.name, to_value(s, &["id", "steps"]))
}

fn lane_entry(l: &Lane) -> Entry {
    let label = if l.title.is_empty() {
        show(&serde_json::to_value(l.kind).unwrap_or(Value::Null))
    } else {
        l.title.clone()
    };
    top_level(&l.id, &label, to_value(l, &["id", "cells"]))
}

fn steps(map: &Map) -> Vec<(&str, &Step)> {
    map.steps()
        .map(|(stage, step)| (stage.id.as_str(), step))
        .collect()
}

fn step_entry(&(stage, step): &(&str, &Step)) -> Entry {
    Entry {
        key: step.id.clone(),
        label: step.name.clone(),
        parent: stage.to_owned(),
        parent_field: "stage",
        fields: to_value(step, &["id"]),
    }
}

/// Cells with the lane they sit in; a cell with no id is keyed by `lane/@step`.
fn cells(map: &Map) -> Vec<(&str, &Cell)> {
    map.lanes
        .iter()
        .flat_map(|lane| lane.cells.iter().map(move |cell| (lane.id.as_str(), cell)))
        .collect()
}

fn cell_entry(&(lane, cell): &(&str, &Cell)) -> Entry {
    let place = cell.step.as_deref().or(cell.stage.as_deref()).unwrap_or("");
    let key = if cell.id.is_empty() {
        format!("{lane}/@{place}")
    } else {
        cell.id.clone()
    };
    // A cell without text (an emotion score, a metric) is named by where it sits.
    let label = if cell.text.trim().is_empty() {
        format!("{lane} @ {place}")
    } else {
        cell.text.clone()
    };
    Entry {
        key,
        label,
        parent: lane.to_owned(),
        parent_field: "lane",
        fields: to_value(cell, &["id"]),
    }
}

/// The map's own fields, without its personas, stages and lanes.
fn map_header(map: &Map) -> Value {
    to_value(map, &["personas", "stages", "lanes"])
}

/// An element as a JSON object without the named fields (ids and children compared elsewhere).
fn to_value<T: Serialize>(item: &T, without: &[&str]) -> Value {
    let mut value = serde_json::to_value(item).unwrap_or(Value::Null);
    if let Value::Object(fields) = &mut value {
        for key in without {
            fields.remove(*key);
        }
    }
    value
}

/// A field value as text: strings as they are, everything else as compact JSON.
fn show(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn shorten(text: &str) -> String {
    let text = text.trim();
    if text.chars().count() <= LABEL_CHARS {
        return text.to_owned();
    }
    let mut short: String = text.chars().take(LABEL_CHARS - 1).collect();
    short.push('…');
    short
}
