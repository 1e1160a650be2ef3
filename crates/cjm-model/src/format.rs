//! The map file format: loading YAML or JSON text into a [`Map`] with source locations,
//! and writing the canonical YAML and JSON forms.

use serde_path_to_error::Segment;

use crate::error::{LoadError, Location};
use crate::map::Map;
use crate::spans::{Spans, push_index, push_token};
use crate::{interchange_csv, mermaid, yaml_read, yaml_write};

/// Parses a map from YAML or JSON text (JSON is read as YAML 1.2, of which it is a subset).
///
/// `path` is only used in error messages.
pub fn parse_map(text: &str, path: &str) -> Result<Map, LoadError> {
    parse_map_spanned(text, path).map(|(map, _)| map)
}

/// Like [`parse_map`], and also returns where each element sits in the text, for
/// [`crate::validate`] to point at.
pub fn parse_map_spanned(text: &str, path: &str) -> Result<(Map, Spans), LoadError> {
    let mut spans = Spans::default();
    let node = yaml_read::read(text, path, Some(&mut spans))?;
    let value = node.into_value();
    if !value.is_object() {
        return Err(LoadError::new(
            path,
            spans.value(""),
            "a map file must be a mapping with `id`, `title`, `stages` and `lanes`",
        )
        .with_hint("start from a template: `cjm new map.yaml --template saas`"));
    }
    let map = serde_path_to_error::deserialize(value).map_err(|error| {
        let pointer = pointer_of(error.path());
        type_error(path, &spans, &pointer, &error.inner().to_string())
    })?;
    Ok((map, spans))
}

/// Loads a map from any supported format, chosen by the extension of `path`:
/// `.yaml`/`.yml`/`.json` (and anything else) as YAML, `.mmd` as Mermaid, `.csv` as CSV.
pub fn load_any(text: &str, path: &str) -> Result<Map, LoadError> {
    load_any_spanned(text, path).map(|(map, _)| map)
}

/// Like [`load_any`], and also returns source locations.
pub fn load_any_spanned(text: &str, path: &str) -> Result<(Map, Spans), LoadError> {
    match extension(path).as_deref() {
        Some("mmd" | "mermaid") => mermaid::from_mermaid_spanned(text, path),
        Some("csv") => interchange_csv::from_csv_spanned(text, path),
        _ => parse_map_spanned(text, path),
    }
}

/// The lower-cased extension of a path, if it has one.
pub fn extension(path: &str) -> Option<String> {
    let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
    name.rsplit_once('.')
        .filter(|(stem, _)| !stem.is_empty())
        .map(|(_, ext)| ext.to_ascii_lowercase())
}

/// Checks that file bytes are UTF-8, naming the first bad byte otherwise.
pub fn decode_utf8<'a>(bytes: &'a [u8], path: &str) -> Result<&'a str, LoadError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|error| {
        LoadError::new(path, Location::Byte(error.valid_up_to()), "not UTF-8")
            .with_hint("save the file as UTF-8")
    })
}

/// The canonical YAML form of a map: what `cjm fmt` writes.
///
/// Keys come in the order of the model's fields; empty fields are left out. Comments of
/// the source file are not kept (the model does not hold them).
pub fn to_yaml(map: &Map) -> String {
    let json = serde_json::to_string(map).unwrap_or_default();
    match yaml_read::read(&json, "", None) {
        Ok(node) => yaml_write::write(&node),
        // Unreachable for text serde_json wrote; JSON is valid YAML, so it is still correct output.
        Err(_) => to_json(map),
    }
}

/// The canonical JSON form of a map: pretty-printed, ending with a newline.
pub fn to_json(map: &Map) -> String {
    let mut json = serde_json::to_string_pretty(map).unwrap_or_default();
    json.push('\n');
    json
}

/// The canonical form of a map for a path: JSON for `.json`, YAML otherwise.
pub fn to_canonical(map: &Map, path: &str) -> String {
    if extension(path).as_deref() == Some("json") {
        to_json(map)
    } else {
        to_yaml(map)
    }
}

fn pointer_of(path: &serde_path_to_error::Path) -> String {
    let mut pointer = String::new();
    for segment in path {
        pointer = match segment {
            Segment::Seq { index } => push_index(&pointer, *index),
            Segment::Map { key } => push_token(&pointer, key),
            Segment::Enum { .. } | Segment::Unknown => pointer,
        };
    }
    pointer
}

/// Turns a serde error at `pointer` into a located error with a hint.
fn type_error(path: &str, spans: &Spans, pointer: &str, message: &str) -> LoadError {
    let quoted = message.split('`').nth(1).unwrap_or_default();
    let (location, hint) = if message.starts_with("unknown field") {
        // serde_path_to_error puts the unknown key at the end of the path already.
        let field = if pointer.ends_with(&push_token("", quoted)) {
            pointer.to_owned()
        } else {
            push_token(pointer, quoted)
        };
        (
            spans.key(&field),
            "check the spelling; `cjm schema` lists every field".to_owned(),
        )
    } else if message.starts_with("unknown variant") {
        (
            spans.value(pointer),
            "use one of the values listed".to_owned(),
        )
    } else if message.starts_with("missing field") {
        (spans.value(pointer), format!("add `{quoted}:` here"))
    } else if message.contains("expected a string") {
        (
            spans.value(pointer),
            "quote the value to make it text".to_owned(),
        )
    } else {
        (
            spans.value(pointer),
            "`cjm schema` describes every field".to_owned(),
        )
    };
    let place = if pointer.is_empty() {
        String::new()
    } else {
        format!(" (at {pointer})")
    };
    LoadError::new(path, location, format!("{message}{place}")).with_hint(hint)
}
