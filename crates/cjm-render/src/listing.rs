//! The cells of a map as a list in reading order, each with where it sits:
//! what the Markdown tables and the HTML evidence table are made from.

use cjm_model::{Cell, Lane, Map};

/// A cell with its lane, stage and step.
#[derive(Debug)]
pub struct Placed<'a> {
    pub lane: &'a Lane,
    pub cell: &'a Cell,
    /// Index of the stage in the map, if the cell's step or stage exists.
    pub stage: Option<usize>,
    /// Index of the step within its stage; `None` for a cell that spans the stage.
    pub step: Option<usize>,
}

impl Placed<'_> {
    /// "Stage / Step" (or the stage alone, or `?` for a reference to nothing).
    pub fn location(&self, map: &Map, whole_stage: &str) -> String {
        let Some(stage) = self.stage.and_then(|s| map.stages.get(s)) else {
            return "?".to_owned();
        };
        match self.step.and_then(|i| stage.steps.get(i)) {
            Some(step) => format!("{} / {}", stage.name, step.name),
            None => format!("{} ({whole_stage})", stage.name),
        }
    }
}

/// Every cell of the map, lane by lane, in file order.
pub fn cells(map: &Map) -> Vec<Placed<'_>> {
    let mut out = Vec::new();
    for lane in &map.lanes {
        for cell in &lane.cells {
            let (stage, step) = locate(map, cell);
            out.push(Placed {
                lane,
                cell,
                stage,
                step,
            });
        }
    }
    out
}

fn locate(map: &Map, cell: &Cell) -> (Option<usize>, Option<usize>) {
    if let Some(step_id) = &cell.step {
        for (si, stage) in map.stages.iter().enumerate() {
            if let Some(pi) = stage.steps.iter().position(|s| &s.id == step_id) {
                return (Some(si), Some(pi));
            }
        }
        return (None, None);
    }
    let stage = cell
        .stage
        .as_ref()
        .and_then(|id| map.stages.iter().position(|s| &s.id == id));
    (stage, None)
}
