//! Fills in what a map file may leave out, deterministically, so the same file always
//! gets the same ids.

use std::collections::HashSet;

use crate::map::Map;

/// Assigns an id to every cell that has none: `<lane>.<step>` (or `<lane>.<stage>` for a
/// stage-wide cell, or `<lane>.cell` for a cell with neither), with `.2`, `.3`, ... added
/// when that id is taken. Existing ids are never changed.
pub fn normalize(map: &mut Map) {
    let mut taken: HashSet<String> = all_ids(map);
    for lane in &mut map.lanes {
        for cell in &mut lane.cells {
            if !cell.id.is_empty() {
                continue;
            }
            let anchor = cell
                .step
                .as_deref()
                .or(cell.stage.as_deref())
                .unwrap_or("cell");
            let base = format!("{}.{}", lane.id, anchor);
            let mut id = base.clone();
            let mut n = 2;
            while taken.contains(&id) {
                id = format!("{base}.{n}");
                n += 1;
            }
            taken.insert(id.clone());
            cell.id = id;
        }
    }
}

/// Every id the map defines, of any kind of element.
fn all_ids(map: &Map) -> HashSet<String> {
    let mut ids = HashSet::new();
    ids.insert(map.id.clone());
    ids.extend(map.personas.iter().map(|p| p.id.clone()));
    for stage in &map.stages {
        ids.insert(stage.id.clone());
        ids.extend(stage.steps.iter().map(|s| s.id.clone()));
    }
    for lane in &map.lanes {
        ids.insert(lane.id.clone());
        ids.extend(
            lane.cells
                .iter()
                .filter(|c| !c.id.is_empty())
                .map(|c| c.id.clone()),
        );
    }
    ids
}

/// Makes ids from labels (`Check out` -> `check-out`) that are unique within one map.
#[derive(Debug, Default)]
pub(crate) struct IdMaker {
    taken: HashSet<String>,
}

impl IdMaker {
    /// Marks an id as used, so made ids avoid it.
    pub(crate) fn take(&mut self, id: &str) {
        self.taken.insert(id.to_owned());
    }

    /// A new id from a label, with `-2`, `-3`, ... added when taken; `fallback` when the
    /// label has no letters or digits.
    pub(crate) fn make(&mut self, label: &str, fallback: &str) -> String {
        let mut base = slug(label);
        if base.is_empty() {
            base = fallback.to_owned();
        }
        let mut id = base.clone();
        let mut n = 2;
        while self.taken.contains(&id) {
            id = format!("{base}-{n}");
            n += 1;
        }
        self.taken.insert(id.clone());
        id
    }
}

/// Lower-cases a label and joins its words with `-`, keeping letters of any script.
pub(crate) fn slug(label: &str) -> String {
    let mut out = String::new();
    for word in label
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push('-');
        }
        out.extend(word.chars().flat_map(char::to_lowercase));
    }
    out
}
