//! The rows of a decoded Parquet row group read into a block of events.
//!
//! Columns read as dictionary entries ([`DictColumn`]) are looked up once per entry: the
//! block's code for an entry is kept the first time a good row uses it, so that each
//! distinct case id, activity or value of a row group is decoded and numbered once.
//! Other columns are read cell by cell.

use std::borrow::Cow;

use super::batch::{EventBatch, InternedBatch};
use super::cases::CaseIds;
use super::input::decode;
use super::parquet_dict::{DictColumn, NULL};
use super::parquet_source::{Cell, Column, Layout, cell_cow, cell_str};
use super::staging::MISSING;
use crate::store::AttributeKind;

/// An entry not yet given a code in this block.
const UNSEEN: u32 = u32::MAX - 1;

/// A row's value in a column that is neither null nor empty.
enum Value<'a> {
    /// An entry of a column's dictionary.
    Entry(&'a DictColumn, u32),
    Text(Cow<'a, str>),
}

/// The value of row `row` of `column`; `next` and `buf` serve columns read cell by cell.
fn value<'a>(
    column: &'a Column,
    row: usize,
    next: &mut usize,
    buf: &mut String,
) -> Option<Value<'a>> {
    match column {
        Column::Dict(dict) => match dict.entry(row) {
            NULL => None,
            entry if dict.bytes(entry).is_empty() => None,
            entry => Some(Value::Entry(dict, entry)),
        },
        Column::Cells(chunk) => cell_cow(chunk.cell(row, next), buf)
            .filter(|text| !text.is_empty())
            .map(Value::Text),
    }
}

/// The block's code for `value`: made by `code` from its text, once per dictionary entry.
fn code_of<'a>(
    memo: &mut [u32],
    value: Value<'a>,
    mut code: impl FnMut(Cow<'a, str>) -> u32,
) -> u32 {
    match value {
        Value::Text(text) => code(text),
        Value::Entry(dict, entry) => {
            let known = &mut memo[entry as usize];
            if *known == UNSEEN {
                *known = code(decode(dict.bytes(entry)));
            }
            *known
        }
    }
}

/// Reads a decoded row group's rows into a block of events, its case ids interned.
pub(super) fn read_group(
    columns: &[Column],
    rows: usize,
    layout: &Layout<'_>,
    cases: &CaseIds,
) -> InternedBatch {
    let [case, activity, time] = layout.roles;
    let mut batch = EventBatch::new(layout.attributes.iter().map(|&(_, column)| column), rows);
    let mut next = vec![0usize; columns.len()];
    let mut memos: Vec<Vec<u32>> = columns
        .iter()
        .map(|column| match column {
            Column::Dict(dict) => vec![UNSEEN; dict.len()],
            Column::Cells(_) => Vec::new(),
        })
        .collect();
    let (mut case_buf, mut activity_buf, mut value_buf) =
        (String::new(), String::new(), String::new());
    for r in 0..rows {
        let case_id = value(&columns[case], r, &mut next[case], &mut case_buf);
        let name = value(
            &columns[activity],
            r,
            &mut next[activity],
            &mut activity_buf,
        );
        let ts = timestamp(&columns[time], r, &mut next[time], &mut value_buf, layout);
        let good = match (case_id, name, ts) {
            (Some(case_id), Some(name), Ok(ts)) => {
                let key = code_of(&mut memos[case], case_id, |id| batch.case_key(id));
                let code = code_of(&mut memos[activity], name, |name| {
                    batch.activity_code(&name)
                });
                batch.push(key, code, ts);
                true
            }
            (case_id, name, ts) => {
                let reason = if case_id.is_none() || name.is_none() {
                    let which = if case_id.is_none() { case } else { activity };
                    format!("column {:?} is empty or null", layout.names[which])
                } else {
                    let e = ts.err().unwrap_or_default();
                    format!("column {:?}: {e}", layout.names[time])
                };
                batch.bad_row(r, reason);
                false
            }
        };
        // Attribute cells are stepped over even for bad rows, to keep every column in step.
        for (i, &(field, _)) in layout.attributes.iter().enumerate() {
            let column = &columns[field];
            let code = match column {
                Column::Dict(_) if !good => continue,
                Column::Dict(_) => match value(column, r, &mut next[field], &mut value_buf) {
                    Some(entry) => code_of(&mut memos[field], entry, |text| {
                        batch.value_code(i, &text, AttributeKind::Text)
                    }),
                    None => MISSING,
                },
                Column::Cells(chunk) => {
                    let cell = chunk.cell(r, &mut next[field]);
                    if !good {
                        continue;
                    }
                    match cell_str(cell, &mut value_buf) {
                        Some((text, kind)) if !text.is_empty() => batch.value_code(i, text, kind),
                        _ => MISSING,
                    }
                }
            };
            batch.attribute(i, code);
        }
    }
    batch.intern_cases(cases)
}

/// The timestamp of row `row` in the time column, or why it has none.
fn timestamp(
    column: &Column,
    row: usize,
    next: &mut usize,
    buf: &mut String,
    layout: &Layout<'_>,
) -> Result<i64, String> {
    let parse = |text: &str| layout.time.parse(text, true).map_err(|e| e.0);
    match column {
        Column::Dict(dict) => match dict.entry(row) {
            NULL => Err("no timestamp".to_owned()),
            entry => parse(&decode(dict.bytes(entry))),
        },
        Column::Cells(chunk) => match chunk.cell(row, next) {
            Cell::Time(us) => Ok(us),
            Cell::Null => Err("no timestamp".to_owned()),
            other => match cell_str(other, buf) {
                Some((text, _)) => parse(text),
                None => Err("no timestamp".to_owned()),
            },
        },
    }
}
