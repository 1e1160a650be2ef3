//! Mapping rules: which events of a store belong to which stage, step and touchpoint.
//!
//! A rule lists activity names (exact, or glob patterns with `*` and `?`; an
//! empty list means every activity) and attribute conditions that must all
//! hold. A condition names an event attribute or, failing that, a case
//! attribute; a name the store does not have matches nothing.

use cjm_events::Journeys;
use cjm_events::journeys::{AttributeColumn, ColumnValues};
use cjm_model::{Condition, EventRule, LaneKind, Map};
use serde::{Deserialize, Serialize};

/// What a rule belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TargetKind {
    Stage,
    Step,
    Touchpoint,
}

/// A map element that declares which events belong to it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RuleTarget {
    pub kind: TargetKind,
    /// Id of the stage, step or touchpoint cell.
    pub id: String,
    /// Its name (touchpoints: the cell text).
    pub name: String,
    /// Index of the stage it belongs to in the map, when known.
    pub stage: Option<usize>,
}

/// Whether `text` matches a glob `pattern` (`*` any run, `?` one character).
pub fn glob_matches(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some((pi, ti));
            pi += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

/// How one attribute value is tested.
#[derive(Debug, Clone)]
enum ValueTest {
    /// Text column: allowed dictionary codes.
    Codes(Vec<bool>),
    Ints(Vec<i64>),
    Floats(Vec<f64>),
    Bools(Vec<u8>),
}

impl ValueTest {
    fn new(values: &ColumnValues<'_>, wanted: &[String]) -> Self {
        match values {
            ColumnValues::Text { dict, .. } => {
                ValueTest::Codes(dict.iter().map(|s| wanted.iter().any(|w| w == s)).collect())
            }
            ColumnValues::Int(_) | ColumnValues::Time(_) => ValueTest::Ints(
                wanted
                    .iter()
                    .filter_map(|w| w.trim().parse().ok())
                    .collect(),
            ),
            ColumnValues::Float(_) => ValueTest::Floats(
                wanted
                    .iter()
                    .filter_map(|w| w.trim().parse().ok())
                    .collect(),
            ),
            ColumnValues::Bool(_) => ValueTest::Bools(
                wanted
                    .iter()
                    .filter_map(|w| match w.trim() {
                        "true" => Some(1),
                        "false" => Some(0),
                        _ => None,
                    })
                    .collect(),
            ),
        }
    }

    /// Whether the test holds on any row of `rows` (one match on the column type, then a
    /// tight loop: a segment filter reads every event of every case).
    fn holds_any(&self, values: &ColumnValues<'_>, rows: std::ops::Range<usize>) -> bool {
        match (self, values) {
            (ValueTest::Codes(ok), ColumnValues::Text { codes, .. }) => codes
                .get(rows)
                .unwrap_or(&[])
                .iter()
                .any(|&c| ok.get(c as usize).copied().unwrap_or(false)),
            (ValueTest::Ints(ok), ColumnValues::Int(v) | ColumnValues::Time(v)) => {
                v.get(rows).unwrap_or(&[]).iter().any(|x| ok.contains(x))
            }
            (ValueTest::Floats(ok), ColumnValues::Float(v)) => {
                v.get(rows).unwrap_or(&[]).iter().any(|x| ok.contains(x))
            }
            (ValueTest::Bools(ok), ColumnValues::Bool(v)) => {
                v.get(rows).unwrap_or(&[]).iter().any(|x| ok.contains(x))
            }
            _ => false,
        }
    }

    fn holds(&self, values: &ColumnValues<'_>, row: usize) -> bool {
        match (self, values) {
            (ValueTest::Codes(ok), ColumnValues::Text { codes, .. }) => codes
                .get(row)
                .and_then(|&c| ok.get(c as usize))
                .copied()
                .unwrap_or(false),
            (ValueTest::Ints(ok), ColumnValues::Int(v) | ColumnValues::Time(v)) => {
                v.get(row).is_some_and(|x| ok.contains(x))
            }
            (ValueTest::Floats(ok), ColumnValues::Float(v)) => {
                v.get(row).is_some_and(|x| ok.contains(x))
            }
            (ValueTest::Bools(ok), ColumnValues::Bool(v)) => {
                v.get(row).is_some_and(|x| ok.contains(x))
            }
            _ => false,
        }
    }
}

/// A condition bound to a column of the store.
#[derive(Debug, Clone)]
enum BoundCondition {
    Event(usize, ValueTest),
    Case(usize, ValueTest),
    /// The store has no attribute of that name: nothing matches.
    Missing,
}

/// Conditions bound to the columns of one store; all must hold.
#[derive(Debug, Clone, Default)]
pub struct BoundConditions {
    conditions: Vec<BoundCondition>,
}

fn find_column(columns: &[AttributeColumn<'_>], name: &str) -> Option<usize> {
    columns.iter().position(|c| c.name == name)
}

impl BoundConditions {
    /// Binds conditions to the attribute columns of `journeys`.
    pub fn bind(conditions: &[Condition], journeys: &Journeys<'_>) -> Self {
        let conditions = conditions
            .iter()
            .map(|c| {
                if let Some(i) = find_column(&journeys.event_attributes, &c.attr) {
                    BoundCondition::Event(
                        i,
                        ValueTest::new(&journeys.event_attributes[i].values, &c.values),
                    )
                } else if let Some(i) = find_column(&journeys.case_attributes, &c.attr) {
                    BoundCondition::Case(
                        i,
                        ValueTest::new(&journeys.case_attributes[i].values, &c.values),
                    )
                } else {
                    BoundCondition::Missing
                }
            })
            .collect();
        Self { conditions }
    }

    /// Whether there are no conditions.
    pub fn is_empty(&self) -> bool {
        self.conditions.is_empty()
    }

    /// Whether every condition holds on event `event` of case `case`.
    pub fn hold(&self, journeys: &Journeys<'_>, case: usize, event: usize) -> bool {
        self.conditions.iter().all(|c| match c {
            BoundCondition::Event(col, test) => {
                test.holds(&journeys.event_attributes[*col].values, event)
            }
            BoundCondition::Case(col, test) => {
                test.holds(&journeys.case_attributes[*col].values, case)
            }
            BoundCondition::Missing => false,
        })
    }

    /// Whether the conditions hold on the case: case conditions on the case,
    /// event conditions on at least one of its events (each may be a different event).
    pub fn hold_for_case(&self, journeys: &Journeys<'_>, case: usize) -> bool {
        let events = journeys.case_range(case);
        self.conditions.iter().all(|c| match c {
            BoundCondition::Event(col, test) => {
                test.holds_any(&journeys.event_attributes[*col].values, events.clone())
            }
            BoundCondition::Case(col, test) => {
                test.holds(&journeys.case_attributes[*col].values, case)
            }
            BoundCondition::Missing => false,
        })
    }
}

/// Persona filters compiled for the measuring pass: the conditions on one event text
/// column (the most used one) become bits, which the pass gathers while the case's
/// events go by (one table lookup an event); the other conditions are tested once per
/// case. At most 64 conditions become bits.
#[derive(Debug, Clone, Default)]
pub struct SegmentFilters {
    /// The event text column whose conditions are bits.
    pub column: Option<usize>,
    /// Per dictionary code of that column: the bits of the conditions its value meets.
    pub bits: Vec<u64>,
    /// Per segment: the bits that must all be met.
    required: Vec<u64>,
    /// Per segment: its other conditions.
    rest: Vec<BoundConditions>,
    /// The segments that have other conditions.
    tested: Vec<usize>,
}

impl SegmentFilters {
    /// Compiles the filters of the segments, in order.
    pub fn new(segments: &[BoundConditions]) -> Self {
        let text_column = |c: &BoundCondition| match c {
            BoundCondition::Event(col, ValueTest::Codes(_)) => Some(*col),
            _ => None,
        };
        let mut uses: Vec<(usize, usize)> = Vec::new();
        for col in segments
            .iter()
            .flat_map(|s| &s.conditions)
            .filter_map(text_column)
        {
            match uses.iter_mut().find(|u| u.0 == col) {
                Some(u) => u.1 += 1,
                None => uses.push((col, 1)),
            }
        }
        let column = uses
            .iter()
            .max_by_key(|u| (u.1, usize::MAX - u.0))
            .map(|u| u.0);
        let mut filters = Self {
            column,
            ..Self::default()
        };
        let mut next = 0;
        for segment in segments {
            let mut required = 0u64;
            let mut rest = Vec::new();
            for condition in &segment.conditions {
                match condition {
                    BoundCondition::Event(col, ValueTest::Codes(ok))
                        if Some(*col) == column && next < u64::BITS =>
                    {
                        if filters.bits.len() < ok.len() {
                            filters.bits.resize(ok.len(), 0);
                        }
                        for (code, _) in ok.iter().enumerate().filter(|(_, a)| **a) {
                            filters.bits[code] |= 1 << next;
                        }
                        required |= 1 << next;
                        next += 1;
                    }
                    other => rest.push(other.clone()),
                }
            }
            filters.required.push(required);
            if !rest.is_empty() {
                filters.tested.push(filters.rest.len());
            }
            filters.rest.push(BoundConditions { conditions: rest });
        }
        filters
    }

    /// The bits met by a value of the column (none for a missing value).
    #[inline]
    pub fn bits_of(&self, code: u32) -> u64 {
        self.bits.get(code as usize).copied().unwrap_or(0)
    }

    /// The segments (bit `i + 1` for segment `i`) that hold on a case whose events met
    /// the bits `seen`.
    pub fn segments_of(&self, seen: u64, journeys: &Journeys<'_>, case: usize) -> u64 {
        let mut mask = 0;
        for (i, &required) in self.required.iter().enumerate() {
            mask |= u64::from(seen & required == required) << (i + 1);
        }
        if self.tested.is_empty() {
            return mask;
        }
        for &i in &self.tested {
            if mask & 1 << (i + 1) != 0 && !self.rest[i].hold_for_case(journeys, case) {
                mask &= !(1 << (i + 1));
            }
        }
        mask
    }
}

/// One rule bound to a store.
#[derive(Debug, Clone)]
pub struct BoundRule {
    /// Per activity code: whether the activity patterns match it.
    pub activities: Vec<bool>,
    /// Per activity pattern of the rule: how many activity names it matches.
    pub pattern_matches: Vec<(String, usize)>,
    pub conditions: BoundConditions,
}

impl BoundRule {
    /// Binds a rule to the activity dictionary and columns of `journeys`.
    pub fn bind(rule: &EventRule, journeys: &Journeys<'_>) -> Self {
        let names: Vec<&str> = journeys.activity_names.iter().collect();
        let mut activities = vec![rule.activities.is_empty(); names.len()];
        let mut pattern_matches = Vec::with_capacity(rule.activities.len());
        for pattern in &rule.activities {
            let mut n = 0;
            for (code, name) in names.iter().enumerate() {
                if glob_matches(pattern, name) {
                    activities[code] = true;
                    n += 1;
                }
            }
            pattern_matches.push((pattern.clone(), n));
        }
        Self {
            activities,
            pattern_matches,
            conditions: BoundConditions::bind(&rule.conditions, journeys),
        }
    }

    /// A rule that matches no event (a stage that declares no events).
    pub fn nothing(activity_count: usize) -> Self {
        Self {
            activities: vec![false; activity_count],
            pattern_matches: Vec::new(),
            conditions: BoundConditions::default(),
        }
    }

    /// Whether event `event` of case `case` belongs to this rule.
    pub fn matches(&self, journeys: &Journeys<'_>, case: usize, event: usize) -> bool {
        let code = journeys.activity[event] as usize;
        self.activities.get(code).copied().unwrap_or(false)
            && self.conditions.hold(journeys, case, event)
    }
}

/// Rules of one kind, with a per-activity index of the rules that may match.
#[derive(Debug, Clone, Default)]
pub struct RuleSet {
    pub targets: Vec<RuleTarget>,
    pub rules: Vec<BoundRule>,
    /// Per activity code: indices of rules whose activity patterns match it.
    by_activity: Vec<Vec<u16>>,
}

impl RuleSet {
    fn new(targets: Vec<RuleTarget>, rules: Vec<BoundRule>, activity_count: usize) -> Self {
        let mut by_activity = vec![Vec::new(); activity_count];
        for (i, rule) in rules.iter().enumerate() {
            for (code, &m) in rule.activities.iter().enumerate() {
                if m {
                    by_activity[code].push(i as u16);
                }
            }
        }
        Self {
            targets,
            rules,
            by_activity,
        }
    }

    /// Indices of the rules whose activity patterns match activity `code`, in map order
    /// (their conditions not yet tested).
    pub fn candidates(&self, code: usize) -> &[u16] {
        self.by_activity.get(code).map_or(&[], Vec::as_slice)
    }

    /// Indices of the rules matching event `event` of case `case`, in map order.
    pub fn matching<'s>(
        &'s self,
        journeys: &'s Journeys<'_>,
        case: usize,
        event: usize,
    ) -> impl Iterator<Item = usize> + 's {
        self.candidates(journeys.activity[event] as usize)
            .iter()
            .map(|&i| i as usize)
            .filter(move |&i| self.rules[i].conditions.hold(journeys, case, event))
    }
}

/// All rules of a map bound to one store.
#[derive(Debug, Clone)]
pub struct MapRules {
    /// One entry per stage of the map, in map order (a stage without rules matches nothing).
    pub stages: RuleSet,
    pub steps: RuleSet,
    pub touchpoints: RuleSet,
}

impl MapRules {
    /// Binds the rules of `map` to `journeys`.
    pub fn bind(map: &Map, journeys: &Journeys<'_>) -> Self {
        let activity_count = journeys.activity_names.len();
        let mut stage_targets = Vec::new();
        let mut stage_rules = Vec::new();
        let mut step_targets = Vec::new();
        let mut step_rules = Vec::new();
        for (si, stage) in map.stages.iter().enumerate() {
            stage_targets.push(RuleTarget {
                kind: TargetKind::Stage,
                id: stage.id.clone(),
                name: stage.name.clone(),
                stage: Some(si),
            });
            stage_rules.push(match &stage.events {
                Some(events) => BoundRule::bind(events, journeys),
                None => BoundRule::nothing(activity_count),
            });
            for step in &stage.steps {
                if let Some(events) = &step.events {
                    step_targets.push(RuleTarget {
                        kind: TargetKind::Step,
                        id: step.id.clone(),
                        name: step.name.clone(),
                        stage: Some(si),
                    });
                    step_rules.push(BoundRule::bind(events, journeys));
                }
            }
        }
        let mut tp_targets = Vec::new();
        let mut tp_rules = Vec::new();
        for lane in map.lanes.iter().filter(|l| l.kind == LaneKind::Touchpoints) {
            for cell in &lane.cells {
                let Some(events) = &cell.events else { continue };
                let stage = match (&cell.stage, &cell.step) {
                    (Some(s), _) => map.stages.iter().position(|st| &st.id == s),
                    (None, Some(step)) => map
                        .stage_of_step(step)
                        .and_then(|st| map.stages.iter().position(|x| x.id == st.id)),
                    _ => None,
                };
                tp_targets.push(RuleTarget {
                    kind: TargetKind::Touchpoint,
                    id: cell.id.clone(),
                    name: cell.text.clone(),
                    stage,
                });
                tp_rules.push(BoundRule::bind(events, journeys));
            }
        }
        Self {
            stages: RuleSet::new(stage_targets, stage_rules, activity_count),
            steps: RuleSet::new(step_targets, step_rules, activity_count),
            touchpoints: RuleSet::new(tp_targets, tp_rules, activity_count),
        }
    }

    /// The first stage (in map order) whose rule matches the event.
    pub fn stage_of(&self, journeys: &Journeys<'_>, case: usize, event: usize) -> Option<usize> {
        self.stages.matching(journeys, case, event).next()
    }
}

#[cfg(test)]
mod tests {
    use super::glob_matches;

    #[test]
    fn globs() {
        assert!(glob_matches("A_*", "A_SUBMITTED"));
        assert!(glob_matches("A_SUBMITTED", "A_SUBMITTED"));
        assert!(!glob_matches("A_SUBMITTED", "A_SUBMITTEDX"));
        assert!(glob_matches("O_SENT?BACK", "O_SENT_BACK"));
        assert!(!glob_matches("O_SENT?", "O_SENT"));
        assert!(glob_matches("*aanvraag", "W_Valideren aanvraag"));
        assert!(glob_matches("*", ""));
        assert!(!glob_matches("", "x"));
        assert!(glob_matches("a*b*c", "aXXbYYc"));
        assert!(!glob_matches("a*b*c", "aXXbYY"));
    }
}
