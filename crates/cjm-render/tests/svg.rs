//! The SVG drawing: snapshots of small maps, and what every drawing must hold.

use cjm_render::{Lang, Page, labels, paginate, render_svg, render_svg_page, svg_tree};

use crate::fixtures::{load, opts, opts_in};

#[test]
fn snapshot_basic_map_in_english() {
    let map = load("small_basic.yaml");
    insta::assert_snapshot!("basic_en", render_svg(&map, &opts(&map)));
}

#[test]
fn snapshot_service_blueprint_in_russian() {
    let map = load("small_blueprint.yaml");
    insta::assert_snapshot!("blueprint_ru", render_svg(&map, &opts(&map)));
}

#[test]
fn snapshot_channel_map_in_chinese() {
    let map = load("small_channel.yaml");
    insta::assert_snapshot!("channel_zh", render_svg(&map, &opts(&map)));
}

#[test]
fn every_drawing_parses_as_svg() {
    for name in [
        "small_basic.yaml",
        "small_blueprint.yaml",
        "small_channel.yaml",
        "payload.yaml",
        "bank_ru.yaml",
    ] {
        let map = load(name);
        let svg = render_svg(&map, &opts(&map));
        let tree = svg_tree(&svg).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(tree.size().width() > 500.0, "{name}");
    }
}

#[test]
fn lanes_without_a_title_get_the_localized_default() {
    let map = load("small_blueprint.yaml");
    let svg = render_svg(&map, &opts_in(Lang::Ru));
    for title in [
        "Действия",
        "Фронт-офис",
        "Линия видимости",
        "Бэк-офис",
        "ИТ-системы",
    ] {
        assert!(svg.contains(&format!(">{title}</text>")), "{title}");
    }
    let en = render_svg(&map, &opts_in(Lang::En));
    assert!(en.contains(">Line of visibility</text>"));
    assert!(en.contains(">Front stage</text>"));
}

#[test]
fn line_of_visibility_is_a_dashed_divider_across_the_grid() {
    let map = load("small_blueprint.yaml");
    let svg = render_svg(&map, &opts(&map));
    assert!(svg.contains(r#"stroke-dasharray="8 5""#));
}

#[test]
fn pain_points_and_opportunities_are_numbered_and_linked() {
    let map = load("small_basic.yaml");
    let svg = render_svg(&map, &opts(&map));
    let l = labels(Lang::En);
    assert!(svg.contains(">P1</text>"));
    assert!(svg.contains(">O1</text>"));
    assert!(svg.contains(&format!(">{}: P1</text>", l.answers)));
    assert!(svg.contains(&format!(">{}: O1</text>", l.answered_by)));
    assert!(svg.contains(&format!(">! {}</text>", l.critical_moment)));
}

#[test]
fn metrics_read_as_value_against_target_both_ways() {
    let map = load("small_basic.yaml");
    let svg = render_svg(&map, &opts(&map));
    // 82 % against 90 %, higher is better: not met. 3 min against 4, lower is better: met.
    assert!(svg.contains(">82%</text>"));
    assert!(svg.contains(">target 90%</text>"));
    assert!(svg.contains(">below target</text>"));
    assert!(svg.contains(">target met · lower is better</text>"));
}

#[test]
fn evidence_is_shown_and_explained_on_hover() {
    let map = load("small_basic.yaml");
    let svg = render_svg(&map, &opts(&map));
    assert!(svg.contains(">measured</text>"));
    assert!(svg.contains(">observed · interview</text>"));
    assert!(svg.contains("Evidence: measured: query: cjm funnel --steps pay; 1200 cases</title>"));
    assert!(svg.contains("Evidence: observed: interview; Barista interviews</title>"));
    // Assumed cells have a dotted border.
    assert!(svg.contains(r#"stroke-dasharray="1.5 3""#));
}

#[test]
fn channel_maps_draw_the_channel_matrix() {
    let map = load("small_channel.yaml");
    let svg = render_svg(&map, &opts(&map));
    assert!(svg.contains(labels(Lang::Zh).channels_by_stage));
    // 应用 has one touchpoint in 浏览 and two in 下单.
    let rows = cjm_render_channel_rows(&svg);
    assert_eq!(rows, vec!["应用", "微信", "电话"]);
    let basic = load("small_basic.yaml");
    assert!(!render_svg(&basic, &opts(&basic)).contains(labels(Lang::En).channels_by_stage));
}

/// The channel names in the matrix, in row order (the text after each row's glyph).
fn cjm_render_channel_rows(svg: &str) -> Vec<String> {
    let start = svg.find(r#"class="channels""#).expect("matrix present");
    let matrix = &svg[start..];
    matrix
        .split(r#"<text x="30" "#)
        .skip(1)
        .filter_map(|part| {
            let text = part.split_once('>')?.1;
            Some(text.split_once("</text>")?.0.to_owned())
        })
        .collect()
}

#[test]
fn user_text_is_escaped() {
    let map = load("payload.yaml");
    let svg = render_svg(&map, &opts(&map));
    assert!(!svg.contains("<script"));
    assert!(!svg.contains("<img"));
    assert!(!svg.contains("]]>"));
    assert!(!svg.contains("<b>"));
    assert!(svg.contains(
        "&lt;script&gt;alert(1)&lt;/script&gt; &amp; ]]&gt; &quot;q&quot; &apos;a&apos;"
    ));
    svg_tree(&svg).expect("still valid SVG");
}

#[test]
fn a_long_map_is_paginated_by_whole_stages() {
    let map = load("bank_ru.yaml");
    let pages = paginate(&map);
    assert!(pages.len() >= 2, "{pages:?}");
    assert_eq!(pages[0].stages.start, 0);
    assert_eq!(pages.last().map(|p| p.stages.end), Some(map.stages.len()));
    for pair in pages.windows(2) {
        assert_eq!(pair[0].stages.end, pair[1].stages.start);
    }
    assert!(pages[0].with_persona && pages[1..].iter().all(|p| !p.with_persona));
    // Every page repeats the lane headers and shows its own stage headers.
    let l = labels(Lang::Ru);
    for page in &pages {
        let svg = render_svg_page(&map, &opts(&map), page);
        assert!(svg.contains(&format!(
            ">{}</text>",
            l.lane_title(cjm_model::LaneKind::Actions)
        )));
        for stage in &map.stages[page.stages.clone()] {
            assert!(
                svg.contains(&format!(">{}</text>", stage.name)),
                "{}",
                stage.name
            );
        }
        assert!(svg.contains(&format!("{} {} / {}", l.page, page.number, pages.len())));
    }
    let short = load("small_basic.yaml");
    assert_eq!(paginate(&short), vec![Page::whole(&short)]);
}
