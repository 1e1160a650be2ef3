//! The in-memory log an import fills: interned ids, raw attribute values, then sorting and typing.
//!
//! Sources push events in input order. [`Staging::finish`] sorts them by
//! (case id, timestamp, input order) (see [`case_sort`]), numbers activities by first appearance in that order
//! (as [`crate::JourneysBuilder`] does), and gives each attribute its type from the
//! distinct values it holds.

use std::panic::resume_unwind;

use rustc_hash::FxHashMap;

use crate::import::batch::{BatchAttribute, InternedBatch};
use crate::import::case_sort::{self, Sorted};
use crate::import::cases::{CaseIds, CaseKey, CaseNames};
use crate::import::interner::Interner;
use crate::import::time::{TimeParser, format_utc};
use crate::journeys::{ColumnValues, OwnedStrDict};
use crate::store::{AttributeKind, OwnedAttribute, OwnedValues, Store, StoreData};

/// The code of a missing text value (also used while staging).
pub(crate) const MISSING: u32 = u32::MAX;

/// One attribute being collected: raw text values (interned) and the types sources declared.
#[derive(Debug)]
pub(crate) struct AttributeBuilder {
    name: String,
    codes: Vec<u32>,
    values: Interner,
    declared: Option<AttributeKind>,
}

impl AttributeBuilder {
    fn set(&mut self, row: usize, value: &str, declared: Option<AttributeKind>) {
        if value.is_empty() {
            return;
        }
        if let Some(kind) = declared {
            self.declared = Some(match self.declared {
                None => kind,
                Some(previous) => previous.unify(kind),
            });
        }
        let code = self.values.intern(value);
        if self.codes.len() <= row {
            self.codes.resize(row, MISSING);
            self.codes.push(code);
        } else {
            self.codes[row] = code;
        }
    }

    /// Appends a block's values from row `first` on, renumbering them into this column's
    /// table in the block's order (so that codes follow first appearance as with [`Self::set`]);
    /// room is made for `expected` rows.
    fn append(&mut self, first: usize, block: BatchAttribute, expected: usize) {
        if let Some(kind) = block.declared {
            self.declared = Some(self.declared.map_or(kind, |k| k.unify(kind)));
        }
        let codes: Vec<u32> = block
            .values
            .strings()
            .map(|s| self.values.intern(s))
            .collect();
        let needed = first + block.codes.len();
        if self.codes.capacity() < needed {
            self.codes.reserve(expected.max(needed) - self.codes.len());
        }
        self.codes.resize(first, MISSING);
        self.codes.extend(block.codes.iter().map(|&c| match c {
            MISSING => MISSING,
            c => codes[c as usize],
        }));
    }

    /// Types the column and lays its values out in `order` (row numbers in output order).
    fn finish(mut self, rows: usize, order: &[u32], parser: &TimeParser) -> OwnedAttribute {
        self.codes.resize(rows, MISSING);
        let kind = self.infer_kind(parser);
        let values = &self.values;
        let codes = &self.codes;
        let all = || values.strings();
        let values = match kind {
            AttributeKind::Int => OwnedValues::Int(gather(
                order,
                codes,
                all().map(|s| parse_int(s).unwrap_or(i64::MIN)).collect(),
                i64::MIN,
            )),
            AttributeKind::Float => OwnedValues::Float(gather(
                order,
                codes,
                all().map(|s| parse_float(s).unwrap_or(f64::NAN)).collect(),
                f64::NAN,
            )),
            AttributeKind::Bool => OwnedValues::Bool(gather(
                order,
                codes,
                all().map(|s| parse_bool(s).map_or(2, u8::from)).collect(),
                2,
            )),
            AttributeKind::Time => OwnedValues::Time(gather(
                order,
                codes,
                all()
                    .map(|s| parser.parse(s, false).unwrap_or(i64::MIN))
                    .collect(),
                i64::MIN,
            )),
            AttributeKind::Text => OwnedValues::Text {
                codes: order.iter().map(|&row| codes[row as usize]).collect(),
                dict: values.to_dict(),
            },
        };
        OwnedAttribute {
            name: self.name,
            values,
        }
    }

    /// The declared type if every value fits it, else the narrowest of bool, int, float, time, text.
    fn infer_kind(&self, parser: &TimeParser) -> AttributeKind {
        let fits = |kind: AttributeKind| {
            self.values.strings().all(|s| match kind {
                AttributeKind::Int => parse_int(s).is_some(),
                AttributeKind::Float => parse_float(s).is_some(),
                AttributeKind::Bool => parse_bool(s).is_some(),
                AttributeKind::Time => parser.parse(s, false).is_ok(),
                AttributeKind::Text => true,
            })
        };
        if let Some(kind) = self.declared {
            return if fits(kind) {
                kind
            } else {
                AttributeKind::Text
            };
        }
        if self.values.len() == 0 {
            return AttributeKind::Text;
        }
        [
            AttributeKind::Bool,
            AttributeKind::Int,
            AttributeKind::Float,
            AttributeKind::Time,
        ]
        .into_iter()
        .find(|&kind| fits(kind))
        .unwrap_or(AttributeKind::Text)
    }
}

/// The typed value of each row in `order`, looked up by its text code in `table`.
fn gather<T: Copy>(order: &[u32], codes: &[u32], table: Vec<T>, missing: T) -> Vec<T> {
    order
        .iter()
        .map(|&row| match codes[row as usize] {
            MISSING => missing,
            code => table[code as usize],
        })
        .collect()
}

fn parse_int(s: &str) -> Option<i64> {
    s.parse().ok()
}

fn parse_float(s: &str) -> Option<f64> {
    // Words like "inf" or "NaN" stay text.
    if s.bytes()
        .any(|c| c.is_ascii_alphabetic() && c != b'e' && c != b'E')
    {
        return None;
    }
    s.parse().ok()
}

fn parse_bool(s: &str) -> Option<bool> {
    if s.eq_ignore_ascii_case("true") {
        Some(true)
    } else if s.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

/// Attributes by name; rows are events (or cases, for case attributes).
#[derive(Debug, Default)]
pub(crate) struct AttributeSet {
    columns: Vec<AttributeBuilder>,
    index: FxHashMap<String, usize>,
}

impl AttributeSet {
    /// The column number of attribute `name`, adding it if new.
    pub(crate) fn column(&mut self, name: &str) -> usize {
        if let Some(&i) = self.index.get(name) {
            return i;
        }
        self.columns.push(AttributeBuilder {
            name: name.to_owned(),
            codes: Vec::new(),
            values: Interner::default(),
            declared: None,
        });
        self.index.insert(name.to_owned(), self.columns.len() - 1);
        self.columns.len() - 1
    }

    /// Sets the value of column `column` at `row`; empty text means missing.
    pub(crate) fn set(
        &mut self,
        column: usize,
        row: usize,
        value: &str,
        declared: Option<AttributeKind>,
    ) {
        self.columns[column].set(row, value, declared);
    }

    fn finish(self, rows: usize, order: &[u32], parser: &TimeParser) -> Vec<OwnedAttribute> {
        self.columns
            .into_iter()
            .map(|c| c.finish(rows, order, parser))
            .collect()
    }
}

/// Events in input order, with their attributes.
#[derive(Debug, Default)]
pub(crate) struct Staging {
    cases: CaseIds,
    activities: Interner,
    case: Vec<u32>,
    activity: Vec<u32>,
    timestamp_us: Vec<i64>,
    /// Per-event attributes (row = event number).
    pub(crate) event_attributes: AttributeSet,
    /// Per-case attributes (row = case code).
    pub(crate) case_attributes: AttributeSet,
    /// The number of events the sources being read may hold (room is made for them).
    pub(crate) expected: usize,
}

impl Staging {
    /// Adds one event and returns its row number.
    pub(crate) fn push(&mut self, case: &str, activity: &str, timestamp_us: i64) -> usize {
        let case = self.cases.intern(case);
        let activity = self.activities.intern(activity);
        self.case.push(case);
        self.activity.push(activity);
        self.timestamp_us.push(timestamp_us);
        self.case.len() - 1
    }

    /// Appends a block of events read elsewhere (its bad rows are the caller's to record).
    pub(crate) fn append(&mut self, block: InternedBatch) {
        let first = self.case.len();
        let needed = first + block.case.len();
        if self.case.capacity() < needed {
            // Blocks come from a file of known size: room for all of it at once, rather
            // than doubling (and copying) as they come.
            let more = self.expected.max(needed) - first;
            self.case.reserve(more);
            self.activity.reserve(more);
            self.timestamp_us.reserve(more);
        }
        self.case.extend_from_slice(&block.case);
        let activities: Vec<u32> = block
            .activities
            .strings()
            .map(|s| self.activities.intern(s))
            .collect();
        self.activity
            .extend(block.activity.iter().map(|&a| activities[a as usize]));
        self.timestamp_us.extend_from_slice(&block.timestamp_us);
        for attribute in block.attributes {
            let column = attribute.column;
            self.event_attributes.columns[column].append(first, attribute, self.expected);
        }
    }

    /// Runs `read` with the case ids shared, for interning on other threads while `read`
    /// appends to the rest of the log (it must not push events itself).
    pub(crate) fn with_shared_cases<R>(
        &mut self,
        read: impl FnOnce(&CaseIds, &mut Self) -> R,
    ) -> R {
        let cases = std::mem::take(&mut self.cases);
        let result = read(&cases, self);
        self.cases = cases;
        result
    }

    /// The row of case `id` among case attributes.
    pub(crate) fn case_row(&mut self, id: &str) -> usize {
        self.cases.intern(id) as usize
    }

    /// Number of events so far.
    pub(crate) fn len(&self) -> usize {
        self.case.len()
    }

    /// Sorts, numbers and types everything into store columns.
    pub(crate) fn finish(self, parser: &TimeParser) -> StoreData {
        let Staging {
            cases,
            activities,
            case,
            activity,
            timestamp_us,
            event_attributes,
            case_attributes,
            expected: _,
        } = self;
        let cases = cases.into_names();
        let case_count = cases.len();
        // Case rank: position of the case id in byte order.
        let by_name = cases.by_bytes();
        let mut rank = vec![0u32; case_count];
        for (r, key) in by_name.iter().enumerate() {
            rank[key.code as usize] = r as u32;
        }
        let Sorted {
            starts,
            order,
            timestamp_us,
        } = case_sort::sort(case, timestamp_us, &rank);
        drop(rank);
        let events = order.len();
        // Case ids, activity numbers and attribute types are made at once.
        let ((case_offsets, case_ids, kept_cases), (activity, activity_names), event_attributes) =
            std::thread::scope(|scope| {
                let listed = scope.spawn(|| list_cases(&by_name, &starts, &cases));
                let numbered = scope.spawn(|| number_activities(&order, &activity, &activities));
                let typed = event_attributes.finish(events, &order, parser);
                (
                    listed.join().unwrap_or_else(|e| resume_unwind(e)),
                    numbered.join().unwrap_or_else(|e| resume_unwind(e)),
                    typed,
                )
            });
        let case_attributes = case_attributes.finish(case_count, &kept_cases, parser);
        StoreData {
            case_offsets,
            case_ids,
            activity,
            timestamp_us,
            activity_names,
            event_attributes,
            case_attributes,
        }
    }
}

/// The case offsets, ids and codes of the cases in `by_name` that have events (cases
/// without any are only possible through case attributes, and are dropped).
fn list_cases(
    by_name: &[CaseKey],
    starts: &[u64],
    cases: &CaseNames,
) -> (Vec<u64>, OwnedStrDict, Vec<u32>) {
    let mut case_offsets = Vec::with_capacity(by_name.len() + 1);
    let mut case_ids = OwnedStrDict::default();
    let mut kept_cases = Vec::with_capacity(by_name.len());
    case_offsets.push(0);
    for (r, key) in by_name.iter().enumerate() {
        if starts[r + 1] > starts[r] {
            cases.push_id(key, &mut case_ids);
            case_offsets.push(starts[r + 1]);
            kept_cases.push(key.code);
        }
    }
    (case_offsets, case_ids, kept_cases)
}

/// The activity codes of the rows in `order`, numbered by first appearance in that order,
/// and their names.
fn number_activities(
    order: &[u32],
    raw: &[u32],
    activities: &Interner,
) -> (Vec<u32>, OwnedStrDict) {
    let mut code = vec![MISSING; activities.len()];
    let mut names = OwnedStrDict::default();
    let mut next = 0u32;
    let numbered = order
        .iter()
        .map(|&row| {
            let raw = raw[row as usize] as usize;
            if code[raw] == MISSING {
                code[raw] = next;
                names.push(activities.get(raw as u32));
                next += 1;
            }
            code[raw]
        })
        .collect();
    (numbered, names)
}

impl Staging {
    /// Adds every event of an existing store, before any new event, so that its events keep
    /// their place on timestamp ties and its attributes keep their types.
    pub(crate) fn load_store(&mut self, store: &Store) {
        let journeys = store.journeys();
        for c in 0..journeys.case_count() {
            let id = journeys.case_ids.get(c);
            for e in journeys.case_range(c) {
                let activity = journeys.activity_names.get(journeys.activity[e] as usize);
                self.push(id, activity, journeys.timestamp_us[e]);
            }
        }
        for attribute in &journeys.event_attributes {
            let column = self.event_attributes.column(attribute.name);
            for row in 0..journeys.event_count() {
                if let Some((text, kind)) = value_text(&attribute.values, row) {
                    self.event_attributes.set(column, row, &text, Some(kind));
                }
            }
        }
        for attribute in &journeys.case_attributes {
            let column = self.case_attributes.column(attribute.name);
            for c in 0..journeys.case_count() {
                if let Some((text, kind)) = value_text(&attribute.values, c) {
                    let row = self.case_row(journeys.case_ids.get(c));
                    self.case_attributes.set(column, row, &text, Some(kind));
                }
            }
        }
    }
}

/// A stored value as the text it is read back from (exact for every type), with its type.
fn value_text(values: &ColumnValues<'_>, row: usize) -> Option<(String, AttributeKind)> {
    match *values {
        ColumnValues::Int(v) => v
            .get(row)
            .filter(|&&x| x != i64::MIN)
            .map(|x| (x.to_string(), AttributeKind::Int)),
        ColumnValues::Float(v) => v
            .get(row)
            .filter(|x| !x.is_nan())
            .map(|x| (x.to_string(), AttributeKind::Float)),
        ColumnValues::Bool(v) => v
            .get(row)
            .filter(|&&x| x < 2)
            .map(|&x| ((x == 1).to_string(), AttributeKind::Bool)),
        ColumnValues::Time(v) => v
            .get(row)
            .filter(|&&x| x != i64::MIN)
            .map(|&x| (format_utc(x), AttributeKind::Time)),
        ColumnValues::Text { codes, dict } => codes
            .get(row)
            .filter(|&&c| c != MISSING)
            .map(|&c| (dict.get(c as usize).to_owned(), AttributeKind::Text)),
    }
}
