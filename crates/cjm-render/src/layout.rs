//! Geometry of the grid: which stages a drawing shows, where each step column lies,
//! and how a long map is split into pages by stage.

use std::ops::Range;

use cjm_model::{Cell, Map, Step};

/// Space around the drawing.
pub const MARGIN: f32 = 24.0;
/// The width of the persona column.
pub const PERSONA_W: f32 = 290.0;
/// The space between the persona column and the grid.
pub const GAP: f32 = 20.0;
/// The width of the lane header column.
pub const LANE_HEADER_W: f32 = 180.0;
/// The width of a step column.
pub const STEP_W: f32 = 200.0;
/// Space between a column's edge and its cards.
pub const CELL_PAD: f32 = 6.0;

/// Which part of a map one drawing shows: the whole map, or one page of a PDF.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    /// The stages shown, by index into the map's stages.
    pub stages: Range<usize>,
    /// Whether the persona card is drawn (the first page only).
    pub with_persona: bool,
    /// 1-based page number and the number of pages.
    pub number: usize,
    pub count: usize,
}

impl Page {
    /// The whole map on one page.
    pub fn whole(map: &Map) -> Page {
        Page {
            stages: 0..map.stages.len(),
            with_persona: true,
            number: 1,
            count: 1,
        }
    }
}

/// One step column (a stage with no steps gets one column of its own).
#[derive(Debug)]
pub struct Column<'a> {
    pub stage: usize,
    pub step: Option<&'a Step>,
    pub x: f32,
}

/// The step columns of a page, in grid coordinates (x = 0 at the first column).
#[derive(Debug)]
pub struct Columns<'a> {
    pub columns: Vec<Column<'a>>,
    map: &'a Map,
}

impl<'a> Columns<'a> {
    /// The columns of the stages a page shows.
    pub fn new(map: &'a Map, stages: Range<usize>) -> Self {
        let mut columns = Vec::new();
        for index in stages {
            let Some(stage) = map.stages.get(index) else {
                continue;
            };
            if stage.steps.is_empty() {
                columns.push(Column {
                    stage: index,
                    step: None,
                    x: 0.0,
                });
            }
            for step in &stage.steps {
                columns.push(Column {
                    stage: index,
                    step: Some(step),
                    x: 0.0,
                });
            }
        }
        for (i, column) in columns.iter_mut().enumerate() {
            column.x = i as f32 * STEP_W;
        }
        Columns { columns, map }
    }

    /// The total width of the columns.
    pub fn width(&self) -> f32 {
        self.columns.len() as f32 * STEP_W
    }

    /// The x and width of a stage's columns, if the stage is on this page.
    pub fn stage_span(&self, stage: usize) -> Option<(f32, f32)> {
        let mut cols = self.columns.iter().filter(|c| c.stage == stage);
        let first = cols.next()?;
        let count = 1 + cols.count();
        Some((first.x, count as f32 * STEP_W))
    }

    /// The stages on this page, each with its x and width.
    pub fn stages(&self) -> Vec<(usize, f32, f32)> {
        let mut out: Vec<(usize, f32, f32)> = Vec::new();
        for column in &self.columns {
            match out.last_mut() {
                Some(last) if last.0 == column.stage => last.2 += STEP_W,
                _ => out.push((column.stage, column.x, STEP_W)),
            }
        }
        out
    }

    /// The x and width a cell covers, or `None` when its step or stage is not on this page.
    pub fn span(&self, cell: &Cell) -> Option<(f32, f32)> {
        if let Some(step) = &cell.step {
            let column = self
                .columns
                .iter()
                .find(|c| c.step.is_some_and(|s| &s.id == step))?;
            return Some((column.x, STEP_W));
        }
        let stage = cell.stage.as_ref()?;
        let index = self.map.stages.iter().position(|s| &s.id == stage)?;
        self.stage_span(index)
    }

    /// The stage (by index) a cell belongs to, anywhere in the map.
    pub fn stage_of(&self, cell: &Cell) -> Option<usize> {
        if let Some(step) = &cell.step {
            return self
                .map
                .stages
                .iter()
                .position(|s| s.steps.iter().any(|t| &t.id == step));
        }
        let stage = cell.stage.as_ref()?;
        self.map.stages.iter().position(|s| &s.id == stage)
    }
}

/// The widest grid, in drawing units, that a PDF page holds at a readable scale.
const PAGE_GRID_BUDGET: f32 = 1900.0;

/// Splits a map into pages by whole stages so that each page stays readable on A3.
///
/// The first page also holds the persona column. A stage wider than a page gets a page
/// of its own (and is drawn smaller).
pub fn paginate(map: &Map) -> Vec<Page> {
    let columns_of = |i: usize| map.stages[i].steps.len().max(1) as f32 * STEP_W;
    let mut groups: Vec<Range<usize>> = Vec::new();
    let mut start = 0;
    let mut used = LANE_HEADER_W
        + if map.personas.is_empty() {
            0.0
        } else {
            PERSONA_W + GAP
        };
    for i in 0..map.stages.len() {
        let w = columns_of(i);
        if i > start && used + w > PAGE_GRID_BUDGET {
            groups.push(start..i);
            start = i;
            used = LANE_HEADER_W;
        }
        used += w;
    }
    groups.push(start..map.stages.len());
    let count = groups.len();
    groups
        .into_iter()
        .enumerate()
        .map(|(i, stages)| Page {
            stages,
            with_persona: i == 0,
            number: i + 1,
            count,
        })
        .collect()
}
