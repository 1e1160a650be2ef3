//! The JSON Schema of the map file format, derived from the model types.

/// The JSON Schema (draft 2020-12) of a map file, pretty-printed; what `cjm schema` prints.
pub fn json_schema() -> String {
    let schema = schemars::schema_for!(crate::map::Map);
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}
