//! XES reader (IEEE 1849), streamed with quick-xml: one trace in memory at a time.
//!
//! Trace attributes become case attributes (the trace's `concept:name`, or the `--case`
//! key, is the case id); event attributes, `lifecycle:transition` included, become event
//! attributes with their XES types (string, id, date, int, float, boolean). The activity is
//! the event's `concept:name` and the time its `time:timestamp` unless `--activity`/`--time`
//! name other keys. Nested attributes, lists, containers and globals are skipped.

use quick_xml::XmlVersion;
use quick_xml::events::{BytesStart, Event};

use super::input::{open, read_error};
use super::{ImportError, SourceContext};
use crate::store::AttributeKind;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scope {
    Log,
    Trace,
    Event,
    Skip,
}

/// An attribute read from an element: key, value, declared type.
type Attr = (String, String, AttributeKind);

#[derive(Debug, Default)]
struct PendingEvent {
    line: u64,
    attributes: Vec<Attr>,
}

#[derive(Debug, Default)]
struct PendingTrace {
    line: u64,
    attributes: Vec<Attr>,
    events: Vec<PendingEvent>,
}

fn attribute_kind(tag: &str) -> Option<AttributeKind> {
    Some(match tag {
        "string" | "id" => AttributeKind::Text,
        "date" => AttributeKind::Time,
        "int" => AttributeKind::Int,
        "float" => AttributeKind::Float,
        "boolean" => AttributeKind::Bool,
        _ => return None,
    })
}

/// Reads an XES source into the context's staging log.
pub(crate) fn read(cx: &mut SourceContext<'_>) -> Result<(), ImportError> {
    let path = cx.path;
    let (input, bytes) = open(path)?;
    let mut reader = quick_xml::Reader::from_reader(input);
    let mut buf = Vec::with_capacity(4096);
    let mut line = 1u64;
    let mut stack: Vec<Scope> = Vec::new();
    let mut seen_log = false;
    let mut trace = PendingTrace::default();
    let mut event = PendingEvent::default();
    loop {
        buf.clear();
        let xml_event = match reader.read_event_into(&mut buf) {
            Ok(e) => e,
            Err(quick_xml::Error::Io(e)) => return Err(read_error(path, line, &e)),
            Err(e) => {
                return Err(ImportError::Malformed {
                    path: path.to_owned(),
                    line,
                    message: format!("not well-formed XML: {e}"),
                });
            }
        };
        let start_line = line;
        line += count_newlines(&xml_event);
        let (element, is_start) = match xml_event {
            Event::Start(e) => (e, true),
            Event::Empty(e) => (e, false),
            Event::End(_) => {
                let Some(scope) = stack.pop() else {
                    return Err(malformed(path, start_line, "closing tag without an opening tag"));
                };
                match scope {
                    Scope::Event => trace.events.push(std::mem::take(&mut event)),
                    Scope::Trace => finish_trace(cx, std::mem::take(&mut trace), bytes.get())?,
                    Scope::Log | Scope::Skip => {}
                }
                continue;
            }
            Event::Eof => break,
            _ => continue,
        };
        let parent = stack.last().copied();
        let name = element.local_name();
        let scope = match (parent, name.as_ref()) {
            (Some(Scope::Skip), _) => Scope::Skip,
            (None, "log") => {
                seen_log = true;
                Scope::Log
            }
            (Some(Scope::Log), "trace") => {
                trace = PendingTrace {
                    line: start_line,
                    ..PendingTrace::default()
                };
                Scope::Trace
            }
            (Some(Scope::Trace), "event") => {
                event = PendingEvent {
                    line: start_line,
                    attributes: Vec::new(),
                };
                Scope::Event
            }
            (Some(owner @ (Scope::Trace | Scope::Event)), tag) => {
                if let Some(kind) = attribute_kind(tag) {
                    let attribute = read_attribute(&element, kind)
                        .map_err(|message| malformed(path, start_line, &message))?;
                    if owner == Scope::Trace {
                        trace.attributes.push(attribute);
                    } else {
                        event.attributes.push(attribute);
                    }
                }
                // Children of an attribute (nested attributes), lists and containers are skipped.
                Scope::Skip
            }
            (None, _) => {
                return Err(malformed(path, start_line, "the root element is not <log>: this is not an XES document"));
            }
            _ => Scope::Skip,
        };
        if is_start {
            stack.push(scope);
        } else {
            match scope {
                Scope::Event => trace.events.push(std::mem::take(&mut event)),
                Scope::Trace => finish_trace(cx, std::mem::take(&mut trace), bytes.get())?,
                Scope::Log | Scope::Skip => {}
            }
        }
    }
    if !stack.is_empty() {
        return Err(malformed(
            path,
            line,
            "the document ends inside an element (the file is truncated)",
        ));
    }
    if !seen_log {
        return Err(malformed(path, line, "no <log> element: this is not an XES document"));
    }
    Ok(())
}

fn malformed(path: &std::path::Path, line: u64, message: &str) -> ImportError {
    ImportError::Malformed {
        path: path.to_owned(),
        line,
        message: message.to_owned(),
    }
}

/// The `key` and `value` of an attribute element.
fn read_attribute(element: &BytesStart<'_>, kind: AttributeKind) -> Result<Attr, String> {
    let mut key = None;
    let mut value = None;
    for attribute in element.attributes() {
        let attribute = attribute.map_err(|e| format!("bad XML attribute: {e}"))?;
        let text = attribute
            .normalized_value(XmlVersion::Implicit1_0)
            .map_err(|e| format!("bad XML attribute value: {e}"))?;
        match attribute.key.local_name().as_ref() {
            "key" => key = Some(text.into_owned()),
            "value" => value = Some(text.into_owned()),
            _ => {}
        }
    }
    match key {
        Some(key) => Ok((key, value.unwrap_or_default(), kind)),
        None => Err("an attribute element without key=\"...\"".to_owned()),
    }
}

fn count_newlines(event: &Event<'_>) -> u64 {
    let raw: &str = match event {
        Event::Start(e) | Event::Empty(e) => e,
        Event::End(e) => e,
        Event::Text(e) | Event::Comment(e) | Event::DocType(e) => e,
        Event::CData(e) => e,
        Event::Decl(e) => e,
        Event::PI(e) => e,
        Event::GeneralRef(e) => e,
        Event::Eof => "",
    };
    raw.bytes().filter(|&c| c == b'\n').count() as u64
}

/// Moves a finished trace's events into the staging log.
fn finish_trace(cx: &mut SourceContext<'_>, trace: PendingTrace, bytes: u64) -> Result<(), ImportError> {
    let case_key = cx.options.case.as_deref().unwrap_or("concept:name");
    let activity_key = cx.options.activity.as_deref().unwrap_or("concept:name");
    let time_key = cx.options.time.as_deref().unwrap_or("time:timestamp");
    let case_id = trace
        .attributes
        .iter()
        .find(|(k, _, _)| k == case_key)
        .map(|(_, v, _)| v.as_str())
        .filter(|v| !v.is_empty());
    let Some(case_id) = case_id else {
        for event in &trace.events {
            cx.tick(bytes);
            let reason = format!("the trace at line {} has no {case_key:?} attribute", trace.line);
            cx.bad_row(event.line, reason)?;
        }
        return Ok(());
    };
    let case_row = cx.staging.case_row(case_id);
    for (key, value, kind) in &trace.attributes {
        if key != case_key {
            let column = cx.staging.case_attributes.column(key);
            cx.staging.case_attributes.set(column, case_row, value, Some(*kind));
        }
    }
    for event in &trace.events {
        cx.tick(bytes);
        let get = |wanted: &str| event.attributes.iter().find(|(k, _, _)| k == wanted);
        let Some((_, activity, _)) = get(activity_key).filter(|(_, v, _)| !v.is_empty()) else {
            cx.bad_row(event.line, format!("event without {activity_key:?}"))?;
            continue;
        };
        let Some((_, time_text, _)) = get(time_key) else {
            cx.bad_row(event.line, format!("event without {time_key:?}"))?;
            continue;
        };
        let ts = match cx.time.parse(time_text, true) {
            Ok(ts) => ts,
            Err(e) => {
                cx.bad_row(event.line, format!("{time_key:?}: {e}"))?;
                continue;
            }
        };
        let row = cx.staging.push(case_id, activity, ts);
        for (key, value, kind) in &event.attributes {
            if key != activity_key && key != time_key {
                let column = cx.staging.event_attributes.column(key);
                cx.staging.event_attributes.set(column, row, value, Some(*kind));
            }
        }
    }
    Ok(())
}
