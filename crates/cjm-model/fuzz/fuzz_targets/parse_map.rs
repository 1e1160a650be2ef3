//! Fuzzes the YAML/JSON map parser: never panics, and whatever loads survives the
//! canonical YAML and JSON forms unchanged.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = cjm_model::decode_utf8(data, "fuzz.yaml") else {
        return;
    };
    let Ok((mut map, spans)) = cjm_model::parse_map_spanned(text, "fuzz.yaml") else {
        return;
    };
    cjm_model::normalize(&mut map);
    let _ = cjm_model::validate(&map, &spans);
    let yaml = cjm_model::to_yaml(&map);
    assert_eq!(
        cjm_model::parse_map(&yaml, "fuzz.yaml").as_ref(),
        Ok(&map),
        "{yaml}"
    );
    let json = cjm_model::to_json(&map);
    assert_eq!(
        cjm_model::parse_map(&json, "fuzz.json").as_ref(),
        Ok(&map),
        "{json}"
    );
});
