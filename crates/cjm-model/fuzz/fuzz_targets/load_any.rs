//! Fuzzes every importer (YAML, JSON, CSV, Mermaid) chosen by the first byte: never panics,
//! and every exporter accepts whatever loads.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let path = ["f.yaml", "f.json", "f.csv", "f.mmd"][usize::from(selector % 4)];
    let Ok(text) = cjm_model::decode_utf8(rest, path) else {
        return;
    };
    if let Ok((mut map, spans)) = cjm_model::load_any_spanned(text, path) {
        cjm_model::normalize(&mut map);
        let _ = cjm_model::validate(&map, &spans);
        let _ = (cjm_model::to_csv(&map), cjm_model::to_mermaid(&map));
        let yaml = cjm_model::to_yaml(&map);
        assert_eq!(
            cjm_model::parse_map(&yaml, "f.yaml").as_ref(),
            Ok(&map),
            "{yaml}"
        );
    }
});
