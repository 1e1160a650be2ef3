//! The maps the tests render, loaded from tests/data (see the README there).

use cjm_model::Map;
use cjm_render::{Lang, RenderOptions};

/// Loads a map from tests/data.
pub fn load(name: &str) -> Map {
    let path = format!("{}/tests/data/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    cjm_model::parse_map(&text, &path).unwrap_or_else(|e| panic!("{path}: {e:?}"))
}

/// Options with the map's own label language.
pub fn opts(map: &Map) -> RenderOptions {
    RenderOptions::for_map(map)
}

/// Options with a given label language.
pub fn opts_in(lang: Lang) -> RenderOptions {
    RenderOptions {
        lang,
        ..RenderOptions::default()
    }
}
