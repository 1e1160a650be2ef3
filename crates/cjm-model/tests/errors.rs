//! Every kind of error and warning, with the exact `file:line:col` it reports.

use cjm_model::*;

/// A small valid map with no findings at all.
const BASE: &str = "\
id: m
title: T
personas:
  - id: anna
    name: Anna
stages:
  - id: s1
    name: One
    steps:
      - id: a
        name: A
lanes:
  - id: feel
    kind: emotions
    cells:
      - id: f1
        step: a
        score: 1
        evidence: {kind: assumed}
  - id: tp
    kind: touchpoints
    cells:
      - step: a
        channel: web
        evidence: {kind: assumed}
";

/// BASE with line `line` (1-based) replaced by `with` (which may hold several lines).
fn edit(line: usize, with: &str) -> String {
    let mut lines: Vec<&str> = BASE.lines().collect();
    lines[line - 1] = with;
    lines.join("\n") + "\n"
}

/// BASE with `extra` lines appended.
fn append(extra: &str) -> String {
    format!("{BASE}{extra}")
}

/// The findings of `cjm check` on a text, as `line:col severity rule`.
fn findings(text: &str) -> Vec<String> {
    check_source(text, "m.yaml")
        .iter()
        .map(|d| match d.location {
            Location::At { line, column } => format!("{line}:{column} {} {}", d.severity, d.rule),
            other => format!("{other:?} {} {}", d.severity, d.rule),
        })
        .collect()
}

fn load_error(text: &str) -> String {
    parse_map(text, "m.yaml")
        .expect_err("the text must not load")
        .to_string()
}

#[test]
fn base_map_is_clean() {
    assert_eq!(findings(BASE), Vec::<String>::new());
}

#[test]
fn unknown_lane_kind_lists_the_kinds() {
    let error = load_error(&edit(14, "    kind: feelings"));
    assert_eq!(
        error,
        "m.yaml:14:11: unknown variant `feelings`, expected one of `actions`, `goals`, `thoughts`, \
         `emotions`, `touchpoints`, `pain_points`, `opportunities`, `metrics`, `front_stage`, \
         `back_stage`, `support_processes`, `line_of_visibility`, `text` (at /lanes/0/kind)\n  \
         hint: use one of the values listed"
    );
}

#[test]
fn unknown_field_points_at_the_key() {
    let error = load_error(&edit(8, "    name: One\n    colour: red"));
    assert!(
        error.starts_with("m.yaml:9:5: unknown field `colour`, expected one of `id`, `name`"),
        "{error}"
    );
    assert!(
        error.ends_with("hint: check the spelling; `cjm schema` lists every field"),
        "{error}"
    );
}

#[test]
fn missing_field_points_at_its_mapping() {
    let error = load_error(&edit(11, "        description: no name"));
    assert_eq!(
        error,
        "m.yaml:10:9: missing field `name` (at /stages/0/steps/0)\n  hint: add `name:` here"
    );
}

#[test]
fn wrong_type_points_at_the_value() {
    let error = load_error(&edit(5, "    name: Anna\n    age: old"));
    assert!(
        error.starts_with("m.yaml:6:10: invalid type: string \"old\", expected u32"),
        "{error}"
    );
    let error = load_error(&edit(2, "title: [a, b]"));
    assert!(
        error.starts_with("m.yaml:2:8: invalid type: sequence, expected a string"),
        "{error}"
    );
    assert!(
        error.ends_with("hint: quote the value to make it text"),
        "{error}"
    );
}

#[test]
fn malformed_and_truncated_yaml() {
    let error = load_error(&edit(2, "title: \"T"));
    assert!(error.starts_with("m.yaml:"), "{error}");
    assert!(error.contains("malformed YAML"), "{error}");
    let truncated = &BASE[..BASE.find("assumed").unwrap() + 3];
    let error = load_error(truncated);
    assert!(error.contains("malformed YAML"), "{error}");
    assert!(
        error.ends_with("hint: the file ends in the middle of something: is it truncated?"),
        "{error}"
    );
    let error = load_error("id: m\n  title: T\n");
    assert!(error.starts_with("m.yaml:2:"), "{error}");
}

#[test]
fn duplicate_key_and_non_finite_number() {
    assert!(
        load_error(&edit(2, "title: T\ntitle: U")).starts_with("m.yaml:3:1: duplicate key `title`")
    );
    assert!(
        load_error(&edit(18, "        score: .inf"))
            .starts_with("m.yaml:18:16: `.inf` is not a finite number")
    );
}

#[test]
fn not_a_mapping() {
    assert!(load_error("- a\n- b\n").starts_with("m.yaml:1:1: a map file must be a mapping"));
    assert!(load_error("").starts_with("m.yaml: a map file must be a mapping"));
}

#[test]
fn invalid_utf8_names_the_byte() {
    let error = decode_utf8(b"id: m\ntitle: \xff\n", "m.yaml").unwrap_err();
    assert_eq!(
        error.to_string(),
        "m.yaml: byte 13: not UTF-8\n  hint: save the file as UTF-8"
    );
    assert_eq!(
        decode_utf8(b"\xEF\xBB\xBFid: m", "m.yaml").unwrap(),
        "id: m"
    );
}

#[test]
fn score_outside_the_scale() {
    assert_eq!(
        findings(&edit(18, "        score: 3")),
        ["18:16 error score-out-of-scale"]
    );
    let scaled = format!(
        "scale: {{min: 1, max: 5}}\n{}",
        edit(18, "        score: 5")
    );
    assert_eq!(findings(&scaled), Vec::<String>::new());
    assert_eq!(
        findings(&format!("scale: {{min: 2, max: 2}}\n{BASE}")),
        ["1:8 error bad-scale", "19:16 error score-out-of-scale"]
    );
}

#[test]
fn references_to_nothing() {
    assert_eq!(
        findings(&edit(17, "        step: zz")),
        ["13:5 warning emotion-gap", "17:15 error missing-step"]
    );
    assert_eq!(
        findings(&edit(23, "      - stage: nope")),
        [
            "7:5 warning stage-without-touchpoint",
            "23:16 error missing-stage"
        ]
    );
    assert_eq!(
        findings(&append("        personas: [anna, bob]\n")),
        ["26:26 error missing-persona"]
    );
}

#[test]
fn opportunity_answers_must_be_pain_points() {
    let text = append(
        "  - id: ideas
    kind: opportunities
    cells:
      - step: a
        answers: [f1, ghost]
        evidence: {kind: assumed}
",
    );
    assert_eq!(
        findings(&text),
        [
            "30:19 error missing-pain-point",
            "30:23 error missing-pain-point"
        ]
    );
    let message = &check_source(&text, "m.yaml")[0].message;
    assert_eq!(message, "`f1` is not a cell of a pain_points lane");
}

#[test]
fn duplicate_ids_of_any_element() {
    assert_eq!(
        findings(&edit(16, "      - id: a")),
        ["16:13 error duplicate-id"]
    );
    let d = &check_source(&edit(16, "      - id: a"), "m.yaml")[0];
    assert_eq!(d.message, "duplicate id `a`, already used at line 10");
    assert_eq!(
        findings(&edit(20, "  - id: feel")),
        ["20:9 error duplicate-id"]
    );
    assert_eq!(findings(&edit(4, "  - id: m")), ["4:9 error duplicate-id"]);
}

#[test]
fn a_cell_needs_exactly_one_of_step_and_stage() {
    assert_eq!(
        findings(&edit(17, "        step: a\n        stage: s1")),
        ["16:9 error step-and-stage"]
    );
    assert_eq!(
        findings(&edit(17, "        text: floating")),
        ["13:5 warning emotion-gap", "16:9 error no-step-or-stage"]
    );
}

#[test]
fn fields_that_do_not_belong_to_the_lane() {
    assert_eq!(
        findings(&append("        score: 1\n        severity: high\n")),
        [
            "26:16 error field-not-for-lane",
            "27:19 error field-not-for-lane"
        ]
    );
    let d = &check_source(&append("        score: 1\n"), "m.yaml")[0];
    assert_eq!(d.message, "`score` does not belong in a touchpoints lane");
    assert_eq!(
        d.hint.as_deref(),
        Some("`score` is used in emotions lanes; remove it or move the cell")
    );
    let divider = append("  - id: line\n    kind: line_of_visibility\n    cells: [{step: a}]\n");
    assert_eq!(findings(&divider)[0], "28:12 error divider-with-cells");
}

#[test]
fn method_warnings() {
    // A second stage with no touchpoint and no emotion.
    let two_stages = edit(
        11,
        "        name: A\n  - id: s2\n    name: Two\n    steps: [{id: b, name: B}]",
    );
    assert_eq!(
        findings(&two_stages),
        [
            "12:5 warning stage-without-touchpoint",
            "16:5 warning emotion-gap"
        ]
    );
    let pain = append(
        "  - id: pains\n    kind: pain_points\n    cells:\n      - {id: p1, step: a, severity: high, evidence: {kind: assumed}}\n",
    );
    assert_eq!(
        findings(&pain),
        ["29:9 warning pain-point-without-opportunity"]
    );
    let metric = append(
        "  - id: kpi\n    kind: metrics\n    cells:\n      - step: a\n        metric: {name: NPS, value: 30}\n        evidence: {kind: assumed}\n",
    );
    assert_eq!(findings(&metric), ["30:17 warning metric-without-target"]);
    let no_persona = BASE.replace("personas:\n  - id: anna\n    name: Anna\n", "");
    assert_eq!(findings(&no_persona), ["1:1 warning no-persona"]);
    assert_eq!(findings(&edit(25, "")), ["23:9 warning no-evidence"]);
    let no_touchpoints: String = BASE.lines().take(19).map(|l| format!("{l}\n")).collect();
    assert_eq!(findings(&no_touchpoints), ["13:3 warning no-touchpoints"]);
}

#[test]
fn diagnostics_display_with_file_and_hint() {
    let d = &check_source(&edit(18, "        score: 3"), "m.yaml")[0];
    assert_eq!(
        d.display("maps/m.yaml").to_string(),
        "maps/m.yaml:18:16: error: emotion score 3 is outside the map's scale -2..2\n  \
         hint: change the score, or the map's `scale: {min, max}`"
    );
}
