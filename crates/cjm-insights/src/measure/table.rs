//! The map's rules compiled once into lookup tables by activity code.
//!
//! Most rules name activities only; the events of such an activity always land in the
//! same stage, steps and touchpoints, so the pass reads that from a table instead of
//! testing rules. Only activities that some candidate rule restricts with attribute
//! conditions are tested event by event.

use cjm_events::Journeys;

use crate::rules::MapRules;

/// No stage.
pub const NO_STAGE: u16 = u16::MAX;

/// What an activity's events are, when that does not depend on their attributes.
#[derive(Debug, Clone, Copy)]
pub struct Fixed {
    /// Whether a candidate rule has conditions: then events are tested one by one.
    pub conditional: bool,
    /// The first stage (map order) whose rule takes the activity, or [`NO_STAGE`].
    pub stage: u16,
}

/// Per activity code: its candidate stage rules and its step and touchpoint uses.
#[derive(Debug, Clone)]
pub struct EventTable {
    pub fixed: Vec<Fixed>,
    /// `stage_candidates[stage_offsets[a]..stage_offsets[a + 1]]`: the stage rules whose
    /// activity patterns take activity `a`, in map order.
    stage_offsets: Vec<u32>,
    stage_candidates: Vec<u16>,
    /// `use_targets[use_offsets[a]..use_offsets[a + 1]]`: the steps (`0..steps`) and then
    /// touchpoints (`steps + i`) whose activity patterns take activity `a`. A position in
    /// `use_targets` (a use slot) stands for one (activity, target) pair.
    use_offsets: Vec<u32>,
    pub use_targets: Vec<u32>,
    /// `fixed_targets[fixed_offsets[a]..fixed_offsets[a + 1]]`: the use targets of a
    /// fixed activity `a` that are counted per case, all but the solo ones.
    fixed_offsets: Vec<u32>,
    fixed_targets: Vec<u32>,
    /// Per use target: the activity whose per-activity tally is the target's own, when
    /// the target's rule has no conditions and takes just that one fixed activity (the
    /// pass then counts it per activity, with no per-case list of targets).
    pub solo: Vec<Option<u32>>,
    /// Number of steps (touchpoint targets come after them).
    pub steps: usize,
}

impl EventTable {
    /// Compiles the rules bound to a store with `activities` activity codes.
    pub fn new(rules: &MapRules, activities: usize) -> Self {
        let steps = rules.steps.rules.len();
        let mut table = Self {
            fixed: Vec::with_capacity(activities),
            stage_offsets: vec![0],
            stage_candidates: Vec::new(),
            use_offsets: vec![0],
            use_targets: Vec::new(),
            fixed_offsets: vec![0],
            fixed_targets: Vec::new(),
            solo: Vec::new(),
            steps,
        };
        for code in 0..activities {
            let stages = rules.stages.candidates(code);
            let steps_of = rules.steps.candidates(code);
            let touchpoints = rules.touchpoints.candidates(code);
            let conditional = stages
                .iter()
                .any(|&i| !rules.stages.rules[i as usize].conditions.is_empty())
                || steps_of
                    .iter()
                    .any(|&i| !rules.steps.rules[i as usize].conditions.is_empty())
                || touchpoints
                    .iter()
                    .any(|&i| !rules.touchpoints.rules[i as usize].conditions.is_empty());
            table.fixed.push(Fixed {
                conditional,
                stage: stages.first().copied().unwrap_or(NO_STAGE),
            });
            table.stage_candidates.extend_from_slice(stages);
            table
                .stage_offsets
                .push(table.stage_candidates.len() as u32);
            table
                .use_targets
                .extend(steps_of.iter().map(|&i| u32::from(i)));
            table
                .use_targets
                .extend(touchpoints.iter().map(|&i| (steps + i as usize) as u32));
            table.use_offsets.push(table.use_targets.len() as u32);
        }
        let use_rules = rules.steps.rules.iter().chain(&rules.touchpoints.rules);
        table.solo = use_rules
            .map(|rule| {
                let mut codes = (0..activities).filter(|&code| rule.activities[code]);
                match (codes.next(), codes.next()) {
                    (Some(code), None)
                        if rule.conditions.is_empty() && !table.fixed[code].conditional =>
                    {
                        Some(code as u32)
                    }
                    _ => None,
                }
            })
            .collect();
        for code in 0..activities {
            let slots = table.use_slots(code);
            let counted = table.use_targets[slots]
                .iter()
                .copied()
                .filter(|&t| table.solo[t as usize].is_none())
                .collect::<Vec<_>>();
            table.fixed_targets.extend(counted);
            table.fixed_offsets.push(table.fixed_targets.len() as u32);
        }
        table
    }

    /// The use targets of fixed activity `code` that are counted per case (not solo).
    pub fn fixed_targets(&self, code: usize) -> &[u32] {
        &self.fixed_targets
            [self.fixed_offsets[code] as usize..self.fixed_offsets[code + 1] as usize]
    }

    /// The stage rules whose activity patterns take activity `code`, in map order.
    pub fn stage_candidates(&self, code: usize) -> &[u16] {
        &self.stage_candidates
            [self.stage_offsets[code] as usize..self.stage_offsets[code + 1] as usize]
    }

    /// The use slots of activity `code` (indices into `use_targets`).
    pub fn use_slots(&self, code: usize) -> std::ops::Range<usize> {
        self.use_offsets[code] as usize..self.use_offsets[code + 1] as usize
    }

    /// Whether activity `code` has no stage, step or touchpoint candidate at all.
    pub fn unclaimed(&self, code: usize) -> bool {
        self.stage_candidates(code).is_empty() && self.use_slots(code).is_empty()
    }

    /// Whether the rule of use target `target` holds on event `event` of case `case`.
    pub fn use_holds(
        &self,
        rules: &MapRules,
        target: u32,
        journeys: &Journeys<'_>,
        case: usize,
        event: usize,
    ) -> bool {
        let t = target as usize;
        let rule = if t < self.steps {
            &rules.steps.rules[t]
        } else {
            &rules.touchpoints.rules[t - self.steps]
        };
        rule.conditions.hold(journeys, case, event)
    }
}
