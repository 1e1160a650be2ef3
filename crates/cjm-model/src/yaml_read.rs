//! Reads YAML 1.2 (and so JSON) into an ordered [`Node`] tree with source locations,
//! within limits that keep hostile input (bombs, deep nesting, huge files) harmless.

use std::collections::{HashMap, HashSet};

use saphyr_parser::{Event, Parser, ScalarStyle, ScanError, Span, Tag};

use crate::error::{LoadError, Location};
use crate::node::{Node, Plain, resolve_plain};
use crate::spans::{Spans, push_index, push_token};

/// The largest map file accepted, in bytes (20 MiB); larger input is refused up front.
pub const MAX_INPUT_BYTES: usize = 20 * 1024 * 1024;
/// The deepest nesting of lists and mappings accepted.
pub const MAX_DEPTH: usize = 64;
/// How many nodes all alias (`*name`) expansions of a file may add together.
pub const MAX_ALIAS_NODES: usize = 100_000;

/// Reads one YAML document. Records value and key locations into `spans` when given.
pub(crate) fn read(text: &str, path: &str, spans: Option<&mut Spans>) -> Result<Node, LoadError> {
    if text.len() > MAX_INPUT_BYTES {
        return Err(LoadError::new(
            path,
            Location::File,
            format!(
                "the file is {} bytes; map files may be at most {} bytes (20 MiB)",
                text.len(),
                MAX_INPUT_BYTES
            ),
        )
        .with_hint(
            "split the map, or keep bulk data in an event store and measure it with `cjm build`",
        ));
    }
    let mut reader = Reader {
        path,
        spans,
        stack: Vec::new(),
        anchors: HashMap::new(),
        alias_nodes: 0,
        root: None,
    };
    let mut documents = 0;
    for item in Parser::new_from_str(text) {
        let (event, span) = item.map_err(|e| scan_error(path, text, &e))?;
        let at = location(&span);
        match event {
            Event::DocumentStart(_) => {
                documents += 1;
                if documents > 1 {
                    return Err(LoadError::new(path, at, "a second YAML document starts here")
                        .with_hint("a map file holds one document; remove the `---` line or split the file"));
                }
            }
            Event::Scalar(value, style, anchor, tag) => {
                reader.scalar(value.into_owned(), style, anchor, tag.as_deref(), at)?
            }
            Event::Alias(id) => reader.alias(id, at)?,
            Event::SequenceStart(anchor, tag) => {
                check_collection_tag(path, tag.as_deref(), "seq", at)?;
                reader.open(Open::Seq(Vec::new()), anchor, at)?;
            }
            Event::MappingStart(anchor, tag) => {
                check_collection_tag(path, tag.as_deref(), "map", at)?;
                reader.open(
                    Open::Map {
                        entries: Vec::new(),
                        key: None,
                        seen: HashSet::new(),
                    },
                    anchor,
                    at,
                )?;
            }
            Event::SequenceEnd | Event::MappingEnd => reader.close()?,
            Event::StreamStart | Event::StreamEnd | Event::DocumentEnd | Event::Nothing => {}
        }
    }
    Ok(reader.root.unwrap_or(Node::Null))
}

fn location(span: &Span) -> Location {
    Location::at(span.start.line(), span.start.col() + 1)
}

fn scan_error(path: &str, text: &str, error: &ScanError) -> LoadError {
    let marker = error.marker();
    let at = Location::at(marker.line(), marker.col() + 1);
    let at_end = marker.index() >= text.chars().count().saturating_sub(1);
    let hint = if at_end {
        "the file ends in the middle of something: is it truncated?"
    } else {
        "check the indentation and the quotes around this point"
    };
    LoadError::new(path, at, format!("malformed YAML: {}", error.info())).with_hint(hint)
}

fn check_collection_tag(
    path: &str,
    tag: Option<&Tag>,
    core: &str,
    at: Location,
) -> Result<(), LoadError> {
    match tag {
        None => Ok(()),
        Some(tag) if tag.is_yaml_core_schema() && tag.suffix == core => Ok(()),
        Some(tag) => Err(unsupported_tag(path, tag, at)),
    }
}

fn unsupported_tag(path: &str, tag: &Tag, at: Location) -> LoadError {
    LoadError::new(path, at, format!("unsupported YAML tag `{tag}`"))
        .with_hint("map files use plain YAML: remove the tag")
}

/// A list or mapping being read.
enum Open {
    Seq(Vec<Node>),
    Map {
        entries: Vec<(String, Node)>,
        /// The key read, waiting for its value.
        key: Option<String>,
        seen: HashSet<String>,
    },
}

struct Frame {
    open: Open,
    pointer: String,
    anchor: usize,
}

struct Reader<'a> {
    path: &'a str,
    spans: Option<&'a mut Spans>,
    stack: Vec<Frame>,
    anchors: HashMap<usize, Node>,
    alias_nodes: usize,
    root: Option<Node>,
}

impl Reader<'_> {
    /// Whether the next node is a mapping key.
    fn wants_key(&self) -> bool {
        matches!(
            self.stack.last(),
            Some(Frame {
                open: Open::Map { key: None, .. },
                ..
            })
        )
    }

    /// The pointer the next value will have.
    fn next_pointer(&self) -> String {
        match self.stack.last() {
            None => String::new(),
            Some(Frame {
                open: Open::Seq(items),
                pointer,
                ..
            }) => push_index(pointer, items.len()),
            Some(Frame {
                open: Open::Map { key, .. },
                pointer,
                ..
            }) => push_token(pointer, key.as_deref().unwrap_or_default()),
        }
    }

    fn scalar(
        &mut self,
        text: String,
        style: ScalarStyle,
        anchor: usize,
        tag: Option<&Tag>,
        at: Location,
    ) -> Result<(), LoadError> {
        let node = self.scalar_node(text, style, tag, at)?;
        if anchor != 0 {
            self.anchors.insert(anchor, node.clone());
        }
        if self.wants_key() {
            return self.key(node, at);
        }
        self.record_value(at);
        self.complete(node);
        Ok(())
    }

    fn scalar_node(
        &self,
        text: String,
        style: ScalarStyle,
        tag: Option<&Tag>,
        at: Location,
    ) -> Result<Node, LoadError> {
        let resolved = match tag {
            None if style == ScalarStyle::Plain => resolve_plain(&text),
            None => Plain::String,
            Some(tag) if tag.is_yaml_core_schema() => {
                match (tag.suffix.as_str(), resolve_plain(&text)) {
                    ("str", _) => Plain::String,
                    ("null", Plain::Null) => Plain::Null,
                    ("bool", b @ Plain::Bool(_)) => b,
                    ("int" | "float", n @ (Plain::Number(_) | Plain::NonFinite)) => n,
                    _ => {
                        return Err(LoadError::new(
                            self.path,
                            at,
                            format!("`{text}` is not a valid `{tag}`"),
                        ));
                    }
                }
            }
            Some(tag) => return Err(unsupported_tag(self.path, tag, at)),
        };
        Ok(match resolved {
            Plain::Null => Node::Null,
            Plain::Bool(b) => Node::Bool(b),
            Plain::Number(n) => Node::Number(n),
            Plain::String => Node::String(text),
            Plain::NonFinite => {
                return Err(LoadError::new(
                    self.path,
                    at,
                    format!("`{text}` is not a finite number"),
                )
                .with_hint("numbers must be finite; quote the value if it is meant as text"));
            }
        })
    }

    fn key(&mut self, node: Node, at: Location) -> Result<(), LoadError> {
        let text = match node {
            Node::String(s) => s,
            Node::Number(n) => n.to_string(),
            Node::Bool(b) => b.to_string(),
            Node::Null => String::new(),
            Node::Seq(_) | Node::Map(_) => return Err(self.complex_key(at)),
        };
        let Some(Frame {
            open: Open::Map { key, seen, .. },
            pointer,
            ..
        }) = self.stack.last_mut()
        else {
            return Ok(());
        };
        if !seen.insert(text.clone()) {
            return Err(
                LoadError::new(self.path, at, format!("duplicate key `{text}`"))
                    .with_hint("each key may appear once in a mapping; merge or remove one"),
            );
        }
        let key_pointer = push_token(pointer, &text);
        *key = Some(text);
        if let Some(spans) = self.spans.as_deref_mut() {
            spans.set_key(key_pointer, at);
        }
        Ok(())
    }

    fn complex_key(&self, at: Location) -> LoadError {
        LoadError::new(
            self.path,
            at,
            "a mapping key must be text, not a list or a mapping",
        )
        .with_hint("check the indentation: a value may have slid into the key's place")
    }

    fn alias(&mut self, id: usize, at: Location) -> Result<(), LoadError> {
        let Some(node) = self.anchors.get(&id) else {
            return Err(LoadError::new(
                self.path,
                at,
                "an alias refers to no anchor",
            ));
        };
        self.alias_nodes += node.size();
        if self.alias_nodes > MAX_ALIAS_NODES {
            return Err(LoadError::new(
                self.path,
                at,
                format!("aliases expand to more than {MAX_ALIAS_NODES} nodes"),
            )
            .with_hint(
                "this looks like a YAML bomb; write the content out instead of repeating aliases",
            ));
        }
        let node = node.clone();
        if self.wants_key() {
            return self.key(node, at);
        }
        self.record_value(at);
        self.complete(node);
        Ok(())
    }

    fn open(&mut self, open: Open, anchor: usize, at: Location) -> Result<(), LoadError> {
        if self.wants_key() {
            return Err(self.complex_key(at));
        }
        if self.stack.len() >= MAX_DEPTH {
            return Err(LoadError::new(
                self.path,
                at,
                format!("nesting deeper than {MAX_DEPTH} levels"),
            )
            .with_hint("a map file is only a few levels deep; check the brackets or indentation"));
        }
        let pointer = self.next_pointer();
        self.record_value(at);
        self.stack.push(Frame {
            open,
            pointer,
            anchor,
        });
        Ok(())
    }

    fn close(&mut self) -> Result<(), LoadError> {
        let Some(frame) = self.stack.pop() else {
            return Ok(());
        };
        let node = match frame.open {
            Open::Seq(items) => Node::Seq(items),
            Open::Map { entries, .. } => Node::Map(entries),
        };
        if frame.anchor != 0 {
            self.anchors.insert(frame.anchor, node.clone());
        }
        self.complete(node);
        Ok(())
    }

    fn record_value(&mut self, at: Location) {
        if self.spans.is_some() {
            let pointer = self.next_pointer();
            if let Some(spans) = self.spans.as_deref_mut() {
                spans.set_value(pointer, at);
            }
        }
    }

    /// Attaches a finished node to its parent, or makes it the document.
    fn complete(&mut self, node: Node) {
        match self.stack.last_mut() {
            None => self.root = Some(node),
            Some(Frame {
                open: Open::Seq(items),
                ..
            }) => items.push(node),
            Some(Frame {
                open: Open::Map { entries, key, .. },
                ..
            }) => {
                if let Some(key) = key.take() {
                    entries.push((key, node));
                }
            }
        }
    }
}
