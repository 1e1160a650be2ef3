//! XES reader (IEEE 1849), streamed with quick-xml: one trace in memory at a time.
//!
//! Trace attributes become case attributes (the trace's `concept:name`, or the `--case`
//! key, is the case id); event attributes, `lifecycle:transition` included, become event
//! attributes with their XES types (string, id, date, int, float, boolean). The activity is
//! the event's `concept:name` and the time its `time:timestamp` unless `--activity`/`--time`
//! name other keys. Nested attributes, lists, containers and globals are skipped.

use std::io::BufRead;
use std::ops::Range;
use std::path::Path;
use std::sync::mpsc::{self, Receiver, SyncSender};

use quick_xml::XmlVersion;
use quick_xml::events::{BytesStart, Event};

use super::input::{ByteCount, open, read_error};
use super::{ImportError, SourceContext};
use crate::store::AttributeKind;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scope {
    Log,
    Trace,
    Event,
    Skip,
}

/// An attribute read from an element: key and value (ranges into the trace's text), type.
#[derive(Debug, Clone)]
struct Attr {
    key: Range<usize>,
    value: Range<usize>,
    kind: AttributeKind,
}

#[derive(Debug, Clone)]
struct PendingEvent {
    /// Byte offset of its `<event>` tag.
    line: u64,
    /// Its attributes in [`PendingTrace::event_attributes`].
    attributes: Range<usize>,
}

/// The trace being read; its buffers are reused from trace to trace.
#[derive(Debug, Default)]
struct PendingTrace {
    text: String,
    attributes: Vec<Attr>,
    event_attributes: Vec<Attr>,
    events: Vec<PendingEvent>,
}

impl PendingTrace {
    fn start(&mut self) {
        self.text.clear();
        self.attributes.clear();
        self.event_attributes.clear();
        self.events.clear();
    }

    fn get(&self, range: &Range<usize>) -> &str {
        &self.text[range.clone()]
    }
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
///
/// While reading, bad rows and errors carry byte offsets in place of line numbers (counting
/// lines would cost more than parsing); the few that are reported are turned into line
/// numbers at the end by reading the file once more.
pub(crate) fn read(cx: &mut SourceContext<'_>) -> Result<(), ImportError> {
    let first_bad = cx.bad.shown.len();
    let mut result = read_with_offsets(cx);
    let mut offsets: Vec<&mut u64> = cx.bad.shown[first_bad..]
        .iter_mut()
        .map(|r| &mut r.line)
        .collect();
    match &mut result {
        Err(ImportError::BadRow(row)) => offsets.push(&mut row.line),
        Err(ImportError::Malformed { line, .. }) => offsets.push(line),
        _ => {}
    }
    if !offsets.is_empty() {
        offsets_to_lines(cx.path, offsets);
    }
    result
}

/// Replaces byte offsets in the decompressed file by 1-based line numbers (best effort: if the
/// file cannot be read again, the offsets stay).
fn offsets_to_lines(path: &Path, mut offsets: Vec<&mut u64>) {
    let Ok((mut input, _)) = open(path) else {
        return;
    };
    offsets.sort_by_key(|o| **o);
    let (mut position, mut line) = (0u64, 1u64);
    let mut next = 0;
    while next < offsets.len() {
        let Ok(chunk) = input.fill_buf() else { return };
        if chunk.is_empty() {
            break;
        }
        let len = chunk.len() as u64;
        while next < offsets.len() && *offsets[next] < position + len {
            let upto = (*offsets[next] - position) as usize;
            let target = line + chunk[..upto].iter().filter(|&&c| c == b'\n').count() as u64;
            *offsets[next] = target;
            next += 1;
        }
        line += chunk.iter().filter(|&&c| c == b'\n').count() as u64;
        position += len;
        input.consume(len as usize);
    }
    for offset in &mut offsets[next..] {
        **offset = line;
    }
}

/// What the parsing thread hands over: a finished trace with the compressed bytes read so
/// far, or the error that stopped it.
enum Parsed {
    Trace(PendingTrace, u64),
    Failed(ImportError),
}

fn read_with_offsets(cx: &mut SourceContext<'_>) -> Result<(), ImportError> {
    let path = cx.path;
    let (input, bytes) = open(path)?;
    std::thread::scope(|scope| {
        // XML is parsed on one thread while this one stages the finished traces; traces
        // come back for reuse of their buffers.
        let (sender, parsed) = mpsc::sync_channel(256);
        let (recycle, recycled) = mpsc::channel();
        scope.spawn(move || {
            if let Err(e) = parse(path, input, &bytes, &sender, &recycled) {
                let _ = sender.send(Parsed::Failed(e));
            }
        });
        for message in parsed {
            match message {
                Parsed::Trace(trace, bytes) => {
                    finish_trace(cx, &trace, bytes)?;
                    let _ = recycle.send(trace);
                }
                Parsed::Failed(e) => return Err(e),
            }
        }
        Ok(())
    })
}

/// Parses the document and sends each finished trace; stops early (without error) when
/// the receiver is gone.
fn parse(
    path: &Path,
    input: Box<dyn BufRead + Send>,
    bytes: &ByteCount,
    out: &SyncSender<Parsed>,
    recycled: &Receiver<PendingTrace>,
) -> Result<(), ImportError> {
    let mut reader = quick_xml::Reader::from_reader(input);
    let mut buf = Vec::with_capacity(4096);
    let mut stack: Vec<Scope> = Vec::new();
    let mut seen_log = false;
    let mut trace = PendingTrace::default();
    let mut event = PendingEvent {
        line: 0,
        attributes: 0..0,
    };
    // Hands the finished trace over and takes a recycled one (or a new one) in its place.
    let send = |trace: &mut PendingTrace| {
        let next = recycled.try_recv().unwrap_or_default();
        out.send(Parsed::Trace(std::mem::replace(trace, next), bytes.get()))
            .is_ok()
    };
    loop {
        buf.clear();
        let start_line = reader.buffer_position();
        let xml_event = match reader.read_event_into(&mut buf) {
            Ok(e) => e,
            Err(quick_xml::Error::Io(e)) => return Err(read_error(path, start_line, &e)),
            Err(e) => {
                return Err(ImportError::Malformed {
                    path: path.to_owned(),
                    line: start_line,
                    message: format!("not well-formed XML: {e}"),
                });
            }
        };
        let (element, is_start) = match xml_event {
            Event::Start(e) => (e, true),
            Event::Empty(e) => (e, false),
            Event::End(_) => {
                let Some(scope) = stack.pop() else {
                    return Err(malformed(
                        path,
                        start_line,
                        "closing tag without an opening tag",
                    ));
                };
                match scope {
                    Scope::Event => {
                        event.attributes.end = trace.event_attributes.len();
                        trace.events.push(event.clone());
                    }
                    Scope::Trace => {
                        if !send(&mut trace) {
                            return Ok(());
                        }
                    }
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
                trace.start();
                Scope::Trace
            }
            (Some(Scope::Trace), "event") => {
                let first = trace.event_attributes.len();
                event = PendingEvent {
                    line: start_line,
                    attributes: first..first,
                };
                Scope::Event
            }
            (Some(owner @ (Scope::Trace | Scope::Event)), tag) => {
                if let Some(kind) = attribute_kind(tag) {
                    let attribute = read_attribute(&element, kind, &mut trace.text)
                        .map_err(|message| malformed(path, start_line, &message))?;
                    if owner == Scope::Trace {
                        trace.attributes.push(attribute);
                    } else {
                        trace.event_attributes.push(attribute);
                    }
                }
                // Children of an attribute (nested attributes), lists and containers are skipped.
                Scope::Skip
            }
            (None, _) => {
                return Err(malformed(
                    path,
                    start_line,
                    "the root element is not <log>: this is not an XES document",
                ));
            }
            _ => Scope::Skip,
        };
        if is_start {
            stack.push(scope);
        } else {
            match scope {
                Scope::Event => {
                    event.attributes.end = trace.event_attributes.len();
                    trace.events.push(event.clone());
                }
                Scope::Trace => {
                    if !send(&mut trace) {
                        return Ok(());
                    }
                }
                Scope::Log | Scope::Skip => {}
            }
        }
    }
    if !stack.is_empty() {
        return Err(malformed(
            path,
            reader.buffer_position(),
            "the document ends inside an element (the file is truncated)",
        ));
    }
    if !seen_log {
        return Err(malformed(
            path,
            reader.buffer_position(),
            "no <log> element: this is not an XES document",
        ));
    }
    Ok(())
}

fn malformed(path: &Path, line: u64, message: &str) -> ImportError {
    ImportError::Malformed {
        path: path.to_owned(),
        line,
        message: message.to_owned(),
    }
}

/// The `key` and `value` of an attribute element, appended to `text`.
fn read_attribute(
    element: &BytesStart<'_>,
    kind: AttributeKind,
    text: &mut String,
) -> Result<Attr, String> {
    let mut key = None;
    let mut value = None;
    for attribute in element.attributes().with_checks(false) {
        let attribute = attribute.map_err(|e| format!("bad XML attribute: {e}"))?;
        let target = match attribute.key.local_name().as_ref() {
            "key" => &mut key,
            "value" => &mut value,
            _ => continue,
        };
        let start = text.len();
        let raw = &*attribute.value;
        if raw
            .bytes()
            .any(|c| matches!(c, b'&' | b'\t' | b'\n' | b'\r'))
        {
            let decoded = attribute
                .normalized_value(XmlVersion::Implicit1_0)
                .map_err(|e| format!("bad XML attribute value: {e}"))?;
            text.push_str(&decoded);
        } else {
            // Nothing to unescape or normalise: the value is its raw text.
            text.push_str(raw);
        }
        *target = Some(start..text.len());
    }
    match key {
        Some(key) => Ok(Attr {
            key,
            value: value.unwrap_or(0..0),
            kind,
        }),
        None => Err("an attribute element without key=\"...\"".to_owned()),
    }
}

/// Moves a finished trace's events into the staging log.
fn finish_trace(
    cx: &mut SourceContext<'_>,
    trace: &PendingTrace,
    bytes: u64,
) -> Result<(), ImportError> {
    let case_key = cx.options.case.as_deref().unwrap_or("concept:name");
    let activity_key = cx.options.activity.as_deref().unwrap_or("concept:name");
    let time_key = cx.options.time.as_deref().unwrap_or("time:timestamp");
    let case_id = trace
        .attributes
        .iter()
        .find(|a| trace.get(&a.key) == case_key)
        .map(|a| trace.get(&a.value))
        .filter(|v| !v.is_empty());
    let Some(case_id) = case_id else {
        for event in &trace.events {
            cx.tick(bytes);
            cx.bad_row(
                event.line,
                format!("its trace has no {case_key:?} attribute"),
            )?;
        }
        return Ok(());
    };
    let case_row = cx.staging.case_row(case_id);
    for a in &trace.attributes {
        let key = trace.get(&a.key);
        if key != case_key {
            let column = cx.staging.case_attributes.column(key);
            cx.staging
                .case_attributes
                .set(column, case_row, trace.get(&a.value), Some(a.kind));
        }
    }
    for event in &trace.events {
        cx.tick(bytes);
        let attributes = &trace.event_attributes[event.attributes.clone()];
        let get = |wanted: &str| {
            attributes
                .iter()
                .find(|a| trace.get(&a.key) == wanted)
                .map(|a| trace.get(&a.value))
        };
        let Some(activity) = get(activity_key).filter(|v| !v.is_empty()) else {
            cx.bad_row(event.line, format!("event without {activity_key:?}"))?;
            continue;
        };
        let Some(time_text) = get(time_key) else {
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
        for a in attributes {
            let key = trace.get(&a.key);
            if key != activity_key && key != time_key {
                let column = cx.staging.event_attributes.column(key);
                cx.staging
                    .event_attributes
                    .set(column, row, trace.get(&a.value), Some(a.kind));
            }
        }
    }
    Ok(())
}
