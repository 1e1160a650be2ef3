//! What every part of a render needs to know beyond the cell it draws: the labels,
//! the emotion scale, and the numbers that link pain points and opportunities.

use std::collections::HashMap;

use cjm_model::{Cell, EmotionScale, LaneKind, Map, MapType};

use crate::labels::Labels;

/// Shared facts about the map being drawn.
#[derive(Debug)]
pub struct Context<'a> {
    pub labels: &'static Labels,
    pub scale: EmotionScale,
    pub map_type: MapType,
    numbers: HashMap<*const Cell, String>,
    by_id: HashMap<&'a str, String>,
    answered_by: HashMap<&'a str, Vec<String>>,
}

impl<'a> Context<'a> {
    /// Numbers pain points `P1..` and opportunities `O1..` in map order and links them.
    pub fn new(map: &'a Map, labels: &'static Labels) -> Self {
        let mut numbers = HashMap::new();
        let mut by_id = HashMap::new();
        let (mut pains, mut opportunities) = (0, 0);
        for lane in &map.lanes {
            for cell in &lane.cells {
                let number = match lane.kind {
                    LaneKind::PainPoints => {
                        pains += 1;
                        format!("P{pains}")
                    }
                    LaneKind::Opportunities => {
                        opportunities += 1;
                        format!("O{opportunities}")
                    }
                    _ => continue,
                };
                if !cell.id.is_empty() {
                    by_id.insert(cell.id.as_str(), number.clone());
                }
                numbers.insert(cell as *const Cell, number);
            }
        }
        let mut answered_by: HashMap<&str, Vec<String>> = HashMap::new();
        for lane in map
            .lanes
            .iter()
            .filter(|l| l.kind == LaneKind::Opportunities)
        {
            for cell in &lane.cells {
                let Some(number) = numbers.get(&(cell as *const Cell)) else {
                    continue;
                };
                for pain in &cell.answers {
                    answered_by
                        .entry(pain.as_str())
                        .or_default()
                        .push(number.clone());
                }
            }
        }
        Context {
            labels,
            scale: map.scale,
            map_type: map.map_type,
            numbers,
            by_id,
            answered_by,
        }
    }

    /// The number (`P3`, `O1`) of a pain-point or opportunity cell.
    pub fn number(&self, cell: &Cell) -> Option<&str> {
        self.numbers.get(&(cell as *const Cell)).map(String::as_str)
    }

    /// The numbers of the pain points an opportunity answers (unknown ids left out).
    pub fn answers(&self, cell: &Cell) -> Vec<&str> {
        cell.answers
            .iter()
            .filter_map(|id| self.by_id.get(id.as_str()).map(String::as_str))
            .collect()
    }

    /// The numbers of the opportunities that answer a pain point.
    pub fn answered_by(&self, cell: &Cell) -> &[String] {
        self.answered_by
            .get(cell.id.as_str())
            .map(Vec::as_slice)
            .unwrap_or_default()
    }
}
