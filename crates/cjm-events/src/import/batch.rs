//! A block of events read and checked off the staging thread.
//!
//! A reader thread fills an [`EventBatch`] with a block of rows: activities and text
//! values numbered in tables of the block's own, case ids interned into the shared
//! [`CaseIds`], bad rows noted. The staging thread then only appends blocks in file order,
//! renumbering the block's activities and values into its own tables (see
//! [`crate::import::staging::Staging::append`]), so that the numbering by first appearance
//! is exactly what reading row by row would give.

use std::borrow::Cow;

use crate::import::cases::CaseIds;
use crate::import::interner::Interner;
use crate::store::AttributeKind;

/// One attribute's values in a block: codes into the block's own table of values.
#[derive(Debug)]
pub(crate) struct BatchAttribute {
    /// The attribute's column number in the staging log.
    pub(crate) column: usize,
    /// One code per event ([`MISSING`](crate::import::staging::MISSING) where the value is missing or empty).
    pub(crate) codes: Vec<u32>,
    pub(crate) values: Interner,
    /// The type the source gave its values, if it has any value.
    pub(crate) declared: Option<AttributeKind>,
}

/// A block of events being read; case ids still as text.
#[derive(Debug)]
pub(crate) struct EventBatch<'a> {
    /// The ids of the block's cases, by key (an id may repeat).
    case_ids: Vec<Cow<'a, str>>,
    /// Each event's case key.
    case: Vec<u32>,
    activity: Vec<u32>,
    activities: Interner,
    timestamp_us: Vec<i64>,
    attributes: Vec<BatchAttribute>,
    /// Bad rows: their 0-based number in the block, and what was wrong.
    bad: Vec<(usize, String)>,
}

impl<'a> EventBatch<'a> {
    /// An empty block whose events carry the attributes in staging columns `columns`.
    pub(crate) fn new(columns: impl IntoIterator<Item = usize>, rows: usize) -> Self {
        EventBatch {
            case_ids: Vec::with_capacity(rows),
            case: Vec::with_capacity(rows),
            activity: Vec::with_capacity(rows),
            activities: Interner::default(),
            timestamp_us: Vec::with_capacity(rows),
            attributes: columns
                .into_iter()
                .map(|column| BatchAttribute {
                    column,
                    codes: Vec::with_capacity(rows),
                    values: Interner::default(),
                    declared: None,
                })
                .collect(),
            bad: Vec::new(),
        }
    }

    /// A key for case `id` (only for ids that get an event: each key becomes a case).
    pub(crate) fn case_key(&mut self, id: Cow<'a, str>) -> u32 {
        self.case_ids.push(id);
        (self.case_ids.len() - 1) as u32
    }

    /// The block's code for activity `name`.
    pub(crate) fn activity_code(&mut self, name: &str) -> u32 {
        self.activities.intern(name)
    }

    /// Adds an event; its attribute values follow, one [`Self::attribute`] call each.
    pub(crate) fn push(&mut self, case_key: u32, activity_code: u32, timestamp_us: i64) {
        self.case.push(case_key);
        self.activity.push(activity_code);
        self.timestamp_us.push(timestamp_us);
    }

    /// The block's code for value `text` (not empty) of attribute `i`, of type `kind`.
    pub(crate) fn value_code(&mut self, i: usize, text: &str, kind: AttributeKind) -> u32 {
        let attribute = &mut self.attributes[i];
        attribute.declared = Some(attribute.declared.map_or(kind, |k| k.unify(kind)));
        attribute.values.intern(text)
    }

    /// Sets the last event's value of attribute `i` (in the order given to [`Self::new`]):
    /// a [`Self::value_code`], or [`MISSING`](crate::import::staging::MISSING).
    pub(crate) fn attribute(&mut self, i: usize, code: u32) {
        self.attributes[i].codes.push(code);
    }

    /// Notes that row `row` (0-based in the block) is bad.
    pub(crate) fn bad_row(&mut self, row: usize, reason: String) {
        self.bad.push((row, reason));
    }

    /// Interns the case ids, which frees the block from the text it was read from.
    pub(crate) fn intern_cases(self, cases: &CaseIds) -> InternedBatch {
        let codes = cases.intern_all(&self.case_ids);
        InternedBatch {
            case: self.case.iter().map(|&key| codes[key as usize]).collect(),
            activity: self.activity,
            activities: self.activities,
            timestamp_us: self.timestamp_us,
            attributes: self.attributes,
            bad: self.bad,
        }
    }
}

/// A block of events ready to append to the staging log.
#[derive(Debug)]
pub(crate) struct InternedBatch {
    /// Case codes (of the shared [`CaseIds`]).
    pub(crate) case: Vec<u32>,
    /// Activity codes into `activities`.
    pub(crate) activity: Vec<u32>,
    pub(crate) activities: Interner,
    pub(crate) timestamp_us: Vec<i64>,
    pub(crate) attributes: Vec<BatchAttribute>,
    /// Bad rows: their 0-based number in the block, and what was wrong.
    pub(crate) bad: Vec<(usize, String)>,
}
