//! Bad input never panics: huge files, deep nesting, YAML bombs, truncation, random bytes.

use cjm_model::*;
use proptest::prelude::*;

const SMALL: &str = include_str!("data/small.yaml");

#[test]
fn a_50_mb_file_is_refused_up_front() {
    let text = format!(
        "id: m\ntitle: T\ndescription: \"{}\"\n",
        "x".repeat(50 * 1024 * 1024)
    );
    let error = parse_map(&text, "big.yaml").unwrap_err();
    assert_eq!(error.location, Location::File);
    assert!(
        error.message.starts_with(&format!(
            "the file is {} bytes; map files may be at most 20971520 bytes",
            text.len()
        )),
        "{error}"
    );
    assert!(load_any(&text, "big.json").is_err());
}

#[test]
fn deep_nesting_is_refused() {
    let flow = format!(
        "id: m\ntitle: {}{}\n",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    let error = parse_map(&flow, "deep.yaml").unwrap_err();
    assert!(error.to_string().starts_with("deep.yaml:2:"), "{error}");
    let json = format!("{{\"id\": {}{}}}", "[".repeat(10_000), "]".repeat(10_000));
    assert!(parse_map(&json, "deep.json").is_err());
    let block: String = (0..2_000)
        .map(|depth| format!("{}k{depth}:\n", " ".repeat(depth)))
        .collect();
    let error = parse_map(&block, "deep.yaml").unwrap_err();
    assert_eq!(
        error.to_string(),
        "deep.yaml:65:65: nesting deeper than 64 levels\n  hint: a map file is only a few levels deep; check the brackets or indentation"
    );
}

#[test]
fn billion_laughs_is_refused() {
    let mut bomb = String::from("a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
    for pair in names.windows(2) {
        let refs = vec![format!("*{}", pair[0]); 9].join(", ");
        bomb.push_str(&format!("{}: &{} [{refs}]\n", pair[1], pair[1]));
    }
    let error = parse_map(&bomb, "bomb.yaml").unwrap_err();
    assert!(
        error
            .message
            .starts_with("aliases expand to more than 100000 nodes"),
        "{error}"
    );
    assert!(error.to_string().starts_with("bomb.yaml:6:"), "{error}");
}

#[test]
fn small_aliases_still_work() {
    let text = SMALL.replace(
        "evidence: {kind: assumed}",
        "evidence: &guess {kind: assumed}",
    );
    let text = text.replace(
        "{step: compare, score: -1.5}",
        "{step: compare, score: -1.5, evidence: *guess}",
    );
    let map = parse_map(&text, "a.yaml").unwrap();
    assert_eq!(
        map.lanes[1].cells[1].evidence,
        Some(Evidence::Assumed {
            note: String::new()
        })
    );
}

#[test]
fn every_truncation_of_a_valid_file_fails_cleanly() {
    for (end, _) in SMALL.char_indices() {
        let _ = load_any(&SMALL[..end], "cut.yaml");
    }
    let csv = to_csv(&parse_map(SMALL, "s.yaml").unwrap());
    for (end, _) in csv.char_indices() {
        let _ = load_any(&csv[..end], "cut.csv");
    }
    let mermaid = to_mermaid(&parse_map(SMALL, "s.yaml").unwrap());
    for (end, _) in mermaid.char_indices() {
        let _ = load_any(&mermaid[..end], "cut.mmd");
    }
}

/// Loads bytes the way the CLI does: UTF-8 check, then the importer for the extension.
fn load_bytes(bytes: &[u8], path: &str) {
    if let Ok(text) = decode_utf8(bytes, path)
        && let Ok((mut map, spans)) = load_any_spanned(text, path)
    {
        normalize(&mut map);
        let _ = validate(&map, &spans);
        let _ = (to_yaml(&map), to_json(&map), to_csv(&map), to_mermaid(&map));
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        for path in ["x.yaml", "x.json", "x.csv", "x.mmd"] {
            load_bytes(&bytes, path);
        }
    }

}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn mutated_valid_files_never_panic(
        edits in prop::collection::vec((any::<prop::sample::Index>(), 0u8..4, any::<char>()), 1..8),
        format in 0usize..3,
    ) {
        let map = parse_map(SMALL, "s.yaml").unwrap();
        let (text, path) = match format {
            0 => (to_yaml(&map), "m.yaml"),
            1 => (to_csv(&map), "m.csv"),
            _ => (to_mermaid(&map), "m.mmd"),
        };
        let mut chars: Vec<char> = text.chars().collect();
        for (at, op, c) in edits {
            let i = at.index(chars.len().max(1)).min(chars.len());
            match op {
                0 => chars.insert(i, c),
                1 if i < chars.len() => { chars.remove(i); }
                2 if i < chars.len() => chars[i] = c,
                _ => chars.truncate(i),
            }
        }
        let text: String = chars.into_iter().collect();
        load_bytes(text.as_bytes(), path);
    }
}
