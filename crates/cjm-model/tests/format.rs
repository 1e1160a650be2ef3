//! Loading and writing map files: canonical YAML and JSON, and errors with exact locations.

use cjm_model::*;

use crate::roundtrip::csv_view;

const SMALL: &str = include_str!("data/small.yaml");

#[test]
fn small_map_parses_and_round_trips() {
    let map = parse_map(SMALL, "small.yaml").unwrap();
    assert_eq!(map.title, "Online shop: first purchase");
    assert_eq!(map.personas[0].name, "Анна Ковальская");
    assert_eq!(map.lanes[1].cells[1].score, Some(-1.5));
    assert_eq!(
        map.lanes[0].cells[1].text,
        "Pays with a card.\nWaits for the email.\n"
    );
    let yaml = to_yaml(&map);
    assert_eq!(parse_map(&yaml, "x.yaml").unwrap(), map);
    assert_eq!(parse_map(&to_json(&map), "x.json").unwrap(), map);
    assert_eq!(to_yaml(&parse_map(&yaml, "x.yaml").unwrap()), yaml);
}

#[test]
fn every_template_goes_everywhere() {
    for name in templates::NAMES {
        let text = templates::template(name, "en").unwrap();
        let map = parse_map(text, name).unwrap();
        println!("{}", to_mermaid(&map));
        println!("{}", to_csv(&map));
        let m = from_mermaid(&to_mermaid(&map), "x.mmd").unwrap();
        let c = from_csv(&to_csv(&map), "x.csv").unwrap();
        assert_eq!(c.stages, csv_view(&map).stages);
        assert_eq!(m.stages.len(), map.stages.len());
    }
}
