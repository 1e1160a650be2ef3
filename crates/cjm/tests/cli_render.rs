//! `cjm render` as a user runs it: every format from one YAML map, labels in another
//! language, and clear errors for a bad extension, language or input file.

use std::path::Path;
use std::process::{Command, Output};

fn cjm(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cjm"))
        .args(args)
        .output()
        .expect("cjm runs")
}

fn map_file() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../cjm-render/tests/data/small_basic.yaml")
        .display()
        .to_string()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn renders_every_format_from_yaml() {
    let dir = tempfile::tempdir().expect("temp dir");
    let checks: [(&str, &[u8]); 7] = [
        ("svg", b"<svg xmlns=\"http://www.w3.org/2000/svg\""),
        ("png", b"\x89PNG\r\n\x1a\n"),
        ("pdf", b"%PDF-"),
        ("html", b"<!DOCTYPE html>"),
        ("md", b"# Ordering coffee in the app"),
        ("csv", b""),
        ("mmd", b""),
    ];
    for (ext, start) in checks {
        let out_path = dir.path().join(format!("map.{ext}"));
        let out_str = out_path.display().to_string();
        let out = cjm(&["render", &map_file(), "-o", &out_str]);
        assert!(out.status.success(), "{ext}: {}", stderr(&out));
        assert!(
            stderr(&out).contains(&format!("wrote {out_str}")),
            "{}",
            stderr(&out)
        );
        let bytes = std::fs::read(&out_path).expect("output written");
        assert!(bytes.starts_with(start), "{ext}");
        assert!(bytes.len() > 100, "{ext}: {} bytes", bytes.len());
    }
    let csv = std::fs::read_to_string(dir.path().join("map.csv")).expect("csv");
    assert!(csv.contains("Picks a flat white and an extra shot"));
    let mmd = std::fs::read_to_string(dir.path().join("map.mmd")).expect("mmd");
    assert!(mmd.starts_with("journey"), "{mmd}");
    assert!(mmd.contains("title Ordering coffee in the app"), "{mmd}");
}

#[test]
fn lang_changes_the_labels() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out_path = dir.path().join("map.svg").display().to_string();
    let out = cjm(&["render", &map_file(), "-o", &out_path, "--lang", "pl"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let svg = std::fs::read_to_string(&out_path).expect("svg");
    assert!(svg.contains(">Działania</text>"));
    assert!(svg.contains(">Punkty styku</text>"));
}

#[test]
fn bad_arguments_and_inputs_are_user_errors() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = |name: &str| dir.path().join(name).display().to_string();

    let r = cjm(&["render", &map_file(), "-o", &out("map.docx")]);
    assert_eq!(r.status.code(), Some(1));
    assert!(
        stderr(&r).contains("hint: end the output name with .svg"),
        "{}",
        stderr(&r)
    );

    let r = cjm(&["render", &map_file(), "-o", &out("map.svg"), "--lang", "de"]);
    assert_eq!(r.status.code(), Some(1));
    assert!(stderr(&r).contains("--lang de: expected one of en, ru, zh, pl"));

    let missing = out("missing.yaml");
    let r = cjm(&["render", &missing, "-o", &out("map.svg")]);
    assert_eq!(r.status.code(), Some(1));
    assert!(stderr(&r).contains("cannot read"), "{}", stderr(&r));

    let broken = out("broken.yaml");
    std::fs::write(&broken, "cjm: 1\nid: x\ntitle: [unclosed\n").expect("write");
    let r = cjm(&["render", &broken, "-o", &out("map.svg")]);
    assert_eq!(r.status.code(), Some(1));
    assert!(stderr(&r).contains("broken.yaml:"), "{}", stderr(&r));
    assert!(!Path::new(&out("map.svg")).exists());
}
