//! `cjm new`, `check`, `fmt` and `schema`, run as a user would run them.

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

/// Runs `cjm` with arguments in a directory.
fn cjm(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cjm"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("cjm runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

const TEMPLATES: &[&str] = &[
    "saas",
    "agency",
    "machinery",
    "shop",
    "restaurant",
    "bank",
    "blueprint",
];

#[test]
fn new_writes_every_template_in_every_language_and_it_checks_clean() {
    let dir = tempfile::tempdir().unwrap();
    for name in TEMPLATES {
        for lang in ["en", "ru", "zh", "pl"] {
            let file = format!("{name}-{lang}.yaml");
            let out = cjm(
                dir.path(),
                &["new", &file, "--template", name, "--lang", lang],
            );
            assert_eq!(
                out.status.code(),
                Some(0),
                "{name} {lang}: {}",
                stderr(&out)
            );
            let out = cjm(dir.path(), &["check", "--strict", &file]);
            assert_eq!(
                out.status.code(),
                Some(0),
                "{name} {lang}: {}",
                stdout(&out)
            );
            assert_eq!(stdout(&out), "1 file checked: 0 errors, 0 warnings\n");
        }
    }
}

#[test]
fn new_refuses_to_overwrite_without_force() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("map.yaml"), "keep me").unwrap();
    let out = cjm(dir.path(), &["new", "map.yaml", "--template", "bank"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        "error: map.yaml already exists; pass --force to overwrite it\n"
    );
    assert_eq!(
        fs::read_to_string(dir.path().join("map.yaml")).unwrap(),
        "keep me"
    );
    let out = cjm(
        dir.path(),
        &["new", "map.yaml", "--template", "bank", "--force"],
    );
    assert_eq!(out.status.code(), Some(0));
    assert!(
        fs::read_to_string(dir.path().join("map.yaml"))
            .unwrap()
            .contains("id:")
    );
}

#[test]
fn new_json_and_unknown_template() {
    let dir = tempfile::tempdir().unwrap();
    let out = cjm(
        dir.path(),
        &["new", "map.json", "--template", "shop", "--lang", "pl"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = fs::read_to_string(dir.path().join("map.json")).unwrap();
    assert!(serde_json::from_str::<serde_json::Value>(&text).unwrap()["stages"].is_array());
    assert_eq!(
        cjm(dir.path(), &["check", "map.json"]).status.code(),
        Some(0)
    );
    let out = cjm(dir.path(), &["new", "x.yaml", "--template", "zoo"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).starts_with("error: unknown template \"zoo\"; the templates are: saas, "),
        "{}",
        stderr(&out)
    );
    assert!(!dir.path().join("x.yaml").exists());
}

const VALID: &str = "\
id: m
title: T
personas: [{id: anna, name: Anna}]
stages:
  - id: s1
    name: One
    steps: [{id: a, name: A}]
lanes:
  - id: feel
    kind: emotions
    cells:
      - {step: a, score: 1, evidence: {kind: assumed}}
  - id: tp
    kind: touchpoints
    cells:
      - {step: a, channel: web}
";

#[test]
fn check_reports_errors_with_locations_and_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("ok.yaml"), VALID).unwrap();
    fs::write(
        dir.path().join("bad.yaml"),
        VALID.replace("score: 1", "score: 7"),
    )
    .unwrap();
    let out = cjm(dir.path(), &["check", "ok.yaml", "bad.yaml"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stdout(&out),
        "ok.yaml:16:9: warning: a claim with no evidence\n  \
         hint: add `evidence: {kind: assumed}`, or observed/measured with its source\n\
         bad.yaml:12:26: error: emotion score 7 is outside the map's scale -2..2\n  \
         hint: change the score, or the map's `scale: {min, max}`\n\
         bad.yaml:16:9: warning: a claim with no evidence\n  \
         hint: add `evidence: {kind: assumed}`, or observed/measured with its source\n\
         2 files checked: 1 error, 2 warnings\n"
    );
    let out = cjm(dir.path(), &["check", "ok.yaml"]);
    assert_eq!(out.status.code(), Some(0));
    let out = cjm(dir.path(), &["check", "--strict", "ok.yaml"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).starts_with("ok.yaml:16:9: error: a claim with no evidence"));
}

#[test]
fn check_json_output() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("bad.yaml"),
        VALID.replace("kind: emotions", "kind: moods"),
    )
    .unwrap();
    let out = cjm(dir.path(), &["check", "--format", "json", "bad.yaml"]);
    assert_eq!(out.status.code(), Some(1));
    let findings: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let first = &findings[0];
    assert_eq!(first["file"], "bad.yaml");
    assert_eq!(
        (first["line"].as_u64(), first["column"].as_u64()),
        (Some(10), Some(11))
    );
    assert_eq!(first["severity"], "error");
    assert_eq!(first["rule"], "load");
    assert!(
        first["message"]
            .as_str()
            .unwrap()
            .starts_with("unknown variant `moods`")
    );
}

#[test]
fn check_reads_mermaid_and_csv_and_rejects_bad_bytes() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("day.mmd"),
        "journey\n  title Day\n  section Morning\n    Make tea: 9: Me\n",
    )
    .unwrap();
    let out = cjm(dir.path(), &["check", "day.mmd"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out)
            .contains("day.mmd:4:15: error: emotion score 6 is outside the map's scale -2..2"),
        "{}",
        stdout(&out)
    );
    fs::write(
        dir.path().join("t.csv"),
        "stage,step,lane_id,lane_kind,text\nBuy,Pay,doing,actions,Pays\nBuy,Pay,feel,emotions,x,\n",
    )
    .unwrap();
    let out = cjm(dir.path(), &["check", "t.csv"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out).starts_with("t.csv:3:1: error: row has 6 fields, the header 5"),
        "{}",
        stdout(&out)
    );
    fs::write(dir.path().join("bin.yaml"), b"id: m\ntitle: \xff\xfe\n").unwrap();
    let out = cjm(dir.path(), &["check", "bin.yaml", "missing.yaml"]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(
        text.starts_with("bin.yaml: byte 13: error: not UTF-8\n  hint: save the file as UTF-8\n"),
        "{text}"
    );
    assert!(
        text.contains("missing.yaml: error: cannot read the file:"),
        "{text}"
    );
}

#[test]
fn fmt_rewrites_in_canonical_form_and_check_mode_reports() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.yaml");
    fs::write(&path, VALID).unwrap();
    let out = cjm(dir.path(), &["fmt", "--check", "m.yaml"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stdout(&out), "m.yaml: not in canonical form\n");
    assert_eq!(fs::read_to_string(&path).unwrap(), VALID);
    let out = cjm(dir.path(), &["fmt", "m.yaml"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let formatted = fs::read_to_string(&path).unwrap();
    assert!(formatted.contains("      - id: feel.a\n        step: a\n        evidence:\n          kind: assumed\n        score: 1\n"), "{formatted}");
    assert_eq!(
        cjm(dir.path(), &["fmt", "--check", "m.yaml"]).status.code(),
        Some(0)
    );
    let entries: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(entries.len(), 1, "no temporary file is left: {entries:?}");
}

#[test]
fn fmt_keeps_json_json_and_refuses_broken_files() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("m.json"),
        r#"{"id":"m","title":"T","stages":[],"lanes":[]}"#,
    )
    .unwrap();
    assert_eq!(cjm(dir.path(), &["fmt", "m.json"]).status.code(), Some(0));
    let text = fs::read_to_string(dir.path().join("m.json")).unwrap();
    assert!(
        text.starts_with("{\n  \"cjm\": 1,\n  \"id\": \"m\",\n  \"title\": \"T\","),
        "{text}"
    );
    fs::write(dir.path().join("broken.yaml"), "id: m\ntitle: [\n").unwrap();
    let out = cjm(dir.path(), &["fmt", "broken.yaml"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).starts_with("broken.yaml:3:1: malformed YAML"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        fs::read_to_string(dir.path().join("broken.yaml")).unwrap(),
        "id: m\ntitle: [\n"
    );
}

#[test]
fn schema_describes_the_format() {
    let dir = tempfile::tempdir().unwrap();
    let out = cjm(dir.path(), &["schema"]);
    assert_eq!(out.status.code(), Some(0));
    let schema: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(schema["title"], "Map");
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    let required: Vec<&str> = schema["required"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(required, ["id", "title", "stages", "lanes"]);
    assert_eq!(schema["properties"]["type"]["$ref"], "#/$defs/MapType");
    let text = stdout(&out);
    for kind in ["pain_points", "line_of_visibility", "support_processes"] {
        assert!(text.contains(&format!("\"{kind}\"")), "{kind}");
    }
}
