//! Loading and writing map files.

use cjm_model::*;

const SMALL: &str = include_str!("data/small.yaml");

#[test]
fn small_map_parses_and_round_trips() {
    let map = parse_map(SMALL, "small.yaml").unwrap();
    assert_eq!(map.title, "Online shop: first purchase");
    assert_eq!(map.personas[0].name, "Анна Ковальская");
    assert_eq!(map.lanes[1].cells[1].score, Some(-1.5));
    let yaml = to_yaml(&map);
    println!("{yaml}");
    assert_eq!(parse_map(&yaml, "x.yaml").unwrap(), map);
    assert_eq!(parse_map(&to_json(&map), "x.json").unwrap(), map);
}
