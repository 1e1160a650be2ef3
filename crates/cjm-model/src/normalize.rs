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
            let anchor = cell.step.as_deref().or(cell.stage.as_deref()).unwrap_or("cell");
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
        ids.extend(lane.cells.iter().filter(|c| !c.id.is_empty()).map(|c| c.id.clone()));
    }
    ids
}
