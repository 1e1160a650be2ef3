//! The columnar view of journeys that every kernel reads.
//!
//! Events are grouped by case and sorted by (case, timestamp, input order).
//! The same view is borrowed from a memory-mapped store or from an owned,
//! in-memory log built with [`JourneysBuilder`] (tests, small imports).

/// A dictionary of strings stored as one byte buffer and offsets, so it can be memory-mapped.
#[derive(Debug, Clone, Copy)]
pub struct StrDict<'a> {
    /// `len + 1` offsets into `bytes`; string `i` is `bytes[offsets[i]..offsets[i + 1]]`.
    pub offsets: &'a [u64],
    /// UTF-8 text of all strings, back to back (checked when the dictionary is made or opened).
    pub bytes: &'a [u8],
}

impl<'a> StrDict<'a> {
    /// Number of strings.
    pub fn len(&self) -> usize {
        self.offsets.len().saturating_sub(1)
    }

    /// Whether the dictionary holds no strings.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// String number `i`; empty if `i` is out of range.
    pub fn get(&self, i: usize) -> &'a str {
        let (Some(&start), Some(&end)) = (self.offsets.get(i), self.offsets.get(i + 1)) else {
            return "";
        };
        self.bytes
            .get(start as usize..end as usize)
            .and_then(|b| std::str::from_utf8(b).ok())
            .unwrap_or("")
    }

    /// Iterates over all strings in order.
    pub fn iter(&self) -> impl Iterator<Item = &'a str> + '_ {
        (0..self.len()).map(|i| self.get(i))
    }
}

/// Values of one attribute, one per event (or one per case for case attributes).
///
/// Missing values use a sentinel: `i64::MIN` for ints and times, NaN for
/// floats, 2 for booleans, `u32::MAX` for text codes.
#[derive(Debug, Clone, Copy)]
pub enum ColumnValues<'a> {
    Int(&'a [i64]),
    Float(&'a [f64]),
    Bool(&'a [u8]),
    /// Microseconds since the Unix epoch, UTC.
    Time(&'a [i64]),
    /// Dictionary-encoded text.
    Text {
        codes: &'a [u32],
        dict: StrDict<'a>,
    },
}

/// A named, typed attribute column.
#[derive(Debug, Clone, Copy)]
pub struct AttributeColumn<'a> {
    pub name: &'a str,
    pub values: ColumnValues<'a>,
}

/// A read-only view of all journeys.
#[derive(Debug, Clone)]
pub struct Journeys<'a> {
    /// `cases + 1` offsets: the events of case `c` are `case_offsets[c]..case_offsets[c + 1]`.
    pub case_offsets: &'a [u64],
    /// Case ids (customer, session or order), in case order.
    pub case_ids: StrDict<'a>,
    /// Per event: the activity code, an index into `activity_names`.
    pub activity: &'a [u32],
    /// Per event: microseconds since the Unix epoch, UTC.
    pub timestamp_us: &'a [i64],
    /// Activity names by code.
    pub activity_names: StrDict<'a>,
    /// Per-event attributes.
    pub event_attributes: Vec<AttributeColumn<'a>>,
    /// Per-case attributes (XES trace attributes).
    pub case_attributes: Vec<AttributeColumn<'a>>,
}

impl<'a> Journeys<'a> {
    /// Number of cases.
    pub fn case_count(&self) -> usize {
        self.case_offsets.len().saturating_sub(1)
    }

    /// Number of events.
    pub fn event_count(&self) -> usize {
        self.activity.len()
    }

    /// The event index range of case `c`.
    pub fn case_range(&self, c: usize) -> std::ops::Range<usize> {
        self.case_offsets[c] as usize..self.case_offsets[c + 1] as usize
    }

    /// The code of an activity name, if it occurs in the log.
    pub fn activity_code(&self, name: &str) -> Option<u32> {
        self.activity_names
            .iter()
            .position(|a| a == name)
            .map(|i| i as u32)
    }
}

/// Builds an owned, sorted log in memory, one event at a time.
#[derive(Debug, Default)]
pub struct JourneysBuilder {
    events: Vec<(String, String, i64)>,
}

impl JourneysBuilder {
    /// An empty builder.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one event; input order breaks timestamp ties.
    pub fn push(&mut self, case: &str, activity: &str, timestamp_us: i64) {
        self.events
            .push((case.to_owned(), activity.to_owned(), timestamp_us));
    }

    /// Sorts by (case, timestamp, input order) and encodes the columns.
    pub fn finish(self) -> OwnedJourneys {
        let mut order: Vec<usize> = (0..self.events.len()).collect();
        order.sort_by(|&a, &b| {
            let (ca, _, ta) = &self.events[a];
            let (cb, _, tb) = &self.events[b];
            ca.cmp(cb).then(ta.cmp(tb)).then(a.cmp(&b))
        });
        let mut out = OwnedJourneys::default();
        let mut activity_index = std::collections::HashMap::new();
        out.case_offsets.push(0);
        out.case_ids.push_str_start();
        out.activity_names.push_str_start();
        let mut previous_case: Option<&str> = None;
        for (n, &i) in order.iter().enumerate() {
            let (case, activity, ts) = &self.events[i];
            if previous_case != Some(case.as_str()) {
                if previous_case.is_some() {
                    out.case_offsets.push(n as u64);
                }
                out.case_ids.push(case);
                previous_case = Some(case);
            }
            let next = activity_index.len() as u32;
            let code = *activity_index.entry(activity.clone()).or_insert_with(|| {
                out.activity_names.push(activity);
                next
            });
            out.activity.push(code);
            out.timestamp_us.push(*ts);
        }
        if !order.is_empty() {
            out.case_offsets.push(order.len() as u64);
        }
        out
    }
}

/// An owned string dictionary (the backing of a [`StrDict`]).
#[derive(Debug, Default, Clone)]
pub struct OwnedStrDict {
    offsets: Vec<u64>,
    bytes: Vec<u8>,
}

impl OwnedStrDict {
    fn push_str_start(&mut self) {
        if self.offsets.is_empty() {
            self.offsets.push(0);
        }
    }

    /// Appends a string and returns its index.
    pub fn push(&mut self, s: &str) -> u32 {
        self.push_str_start();
        self.bytes.extend_from_slice(s.as_bytes());
        self.offsets.push(self.bytes.len() as u64);
        (self.offsets.len() - 2) as u32
    }

    /// Borrows it as a [`StrDict`].
    pub fn view(&self) -> StrDict<'_> {
        StrDict {
            offsets: &self.offsets,
            bytes: &self.bytes,
        }
    }
}

/// An owned log in memory; borrow it with [`OwnedJourneys::view`].
#[derive(Debug, Default, Clone)]
pub struct OwnedJourneys {
    pub case_offsets: Vec<u64>,
    pub case_ids: OwnedStrDict,
    pub activity: Vec<u32>,
    pub timestamp_us: Vec<i64>,
    pub activity_names: OwnedStrDict,
}

impl OwnedJourneys {
    /// The kernel view of this log (without attributes).
    pub fn view(&self) -> Journeys<'_> {
        let offsets: &[u64] = if self.case_offsets.len() < 2 {
            &[0]
        } else {
            &self.case_offsets
        };
        Journeys {
            case_offsets: offsets,
            case_ids: self.case_ids.view(),
            activity: &self.activity,
            timestamp_us: &self.timestamp_us,
            activity_names: self.activity_names.view(),
            event_attributes: Vec::new(),
            case_attributes: Vec::new(),
        }
    }
}
