//! JSON Lines reader: Segment/RudderStack track events and flat objects, one per line.
//!
//! Nested objects are flattened with dotted paths (`properties.plan`, `context.page.url`);
//! arrays are kept as JSON text. Unless `--case` is given, the case of each line is the
//! first known case key present and not null, so Segment's `userId` is used when set and
//! `anonymousId` otherwise.

use std::io::BufRead;

use serde_json::{Map, Value};

use super::columns::{Role, detect};
use super::input::{LineGuard, open, read_error};
use super::{ImportError, SourceContext};
use crate::store::AttributeKind;

/// Reads a JSON Lines source into the context's staging log.
pub(crate) fn read(cx: &mut SourceContext<'_>) -> Result<(), ImportError> {
    let path = cx.path;
    let (reader, bytes) = open(path)?;
    let mut reader = std::io::BufReader::with_capacity(
        1 << 16,
        LineGuard::new(reader, cx.options.max_line_bytes),
    );
    let mut buf = Vec::with_capacity(1024);
    let mut fields: Vec<(String, Value)> = Vec::new();
    let mut line = 0u64;
    loop {
        buf.clear();
        let n = reader
            .read_until(b'\n', &mut buf)
            .map_err(|e| read_error(path, line + 1, &e))?;
        if n == 0 {
            break;
        }
        line += 1;
        if buf.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        cx.tick(bytes.get());
        let object: Map<String, Value> = match serde_json::from_slice(&buf) {
            Ok(o) => o,
            Err(e) => {
                cx.bad_row(line, format!("not a JSON object: {e}"))?;
                continue;
            }
        };
        fields.clear();
        flatten("", object, &mut fields);
        let names: Vec<&str> = fields.iter().map(|(k, _)| k.as_str()).collect();
        let present: Vec<&str> = names
            .iter()
            .zip(&fields)
            .map(|(n, (_, v))| if v.is_null() { "" } else { *n })
            .collect();
        let pick = |given: Option<&str>, role: Role, taken: &[usize]| -> Option<usize> {
            match given {
                Some(name) => names.iter().position(|n| *n == name),
                None => {
                    let free: Vec<&str> = present
                        .iter()
                        .enumerate()
                        .map(|(i, n)| if taken.contains(&i) { "" } else { *n })
                        .collect();
                    detect(&free, role)
                }
            }
        };
        let Some(case) = pick(cx.options.case.as_deref(), Role::Case, &[]) else {
            cx.bad_row(
                line,
                "no case key (userId, anonymousId, customer_id, ... or --case)",
            )?;
            continue;
        };
        let Some(activity) = pick(cx.options.activity.as_deref(), Role::Activity, &[case]) else {
            cx.bad_row(line, "no activity key (event, activity, ... or --activity)")?;
            continue;
        };
        let Some(time) = pick(cx.options.time.as_deref(), Role::Time, &[case, activity]) else {
            cx.bad_row(line, "no timestamp key (timestamp, ts, ... or --time)")?;
            continue;
        };
        let case_id = scalar_text(&fields[case].1);
        let activity_name = scalar_text(&fields[activity].1);
        if case_id.is_empty() || activity_name.is_empty() {
            let which = if case_id.is_empty() {
                &fields[case].0
            } else {
                &fields[activity].0
            };
            cx.bad_row(line, format!("{which:?} is empty or null"))?;
            continue;
        }
        let ts = match cx.time.parse(&scalar_text(&fields[time].1), true) {
            Ok(ts) => ts,
            Err(e) => {
                cx.bad_row(line, format!("{:?}: {e}", fields[time].0))?;
                continue;
            }
        };
        let row = cx.staging.push(&case_id, &activity_name, ts);
        for (i, (key, value)) in fields.iter().enumerate() {
            if i == case || i == activity || i == time {
                continue;
            }
            let declared = match value {
                Value::Null => continue,
                Value::Bool(_) => AttributeKind::Bool,
                Value::Number(n) if n.is_i64() || n.is_u64() => AttributeKind::Int,
                Value::Number(_) => AttributeKind::Float,
                _ => AttributeKind::Text,
            };
            let column = cx.staging.event_attributes.column(key);
            cx.staging
                .event_attributes
                .set(column, row, &scalar_text(value), Some(declared));
        }
    }
    Ok(())
}

/// Flattens nested objects into dotted keys.
fn flatten(prefix: &str, object: Map<String, Value>, out: &mut Vec<(String, Value)>) {
    for (key, value) in object {
        let key = if prefix.is_empty() {
            key
        } else {
            format!("{prefix}.{key}")
        };
        match value {
            Value::Object(inner) => flatten(&key, inner, out),
            other => out.push((key, other)),
        }
    }
}

/// A value as text: strings as they are, other values as JSON.
fn scalar_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}
