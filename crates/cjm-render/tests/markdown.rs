//! The Markdown report: persona, a table per stage, pain points, opportunities, metrics.

use cjm_render::{Format, Lang, render};

use crate::fixtures::{load, opts, opts_in};

fn markdown_of(name: &str, lang: Option<Lang>) -> String {
    let map = load(name);
    let options = lang.map(opts_in).unwrap_or_else(|| opts(&map));
    String::from_utf8(render(&map, Format::Markdown, &options).expect("renders")).expect("UTF-8")
}

#[test]
fn report_has_persona_stage_tables_and_sections() {
    let md = markdown_of("small_basic.yaml", None);
    let expected_lines = [
        "# Ordering coffee in the app",
        "## Persona: Sam Lee",
        "34 years old · Nurse on night shifts",
        "> I need my coffee ready when I walk in.",
        "## Stage 1: Order",
        "Place: Home, on the phone · Time: 2 minutes",
        "| | Chooses a drink | Pays |",
        "|---|---|---|",
        "| **Actions** | Picks a flat white and an extra shot _(observed)_ | Pays with a saved card _(measured)_ |",
        "## Stage 2: Pick up",
        "| **Touchpoints** | [store] Pickup counter _(no evidence)_ (whole stage) |",
        "## Pain points",
        "| P1 | Pick up / Collects the cup | The cup is not ready yet | high, critical moment | O1 | no evidence |",
        "## Opportunities",
        "| O1 | Pick up / Collects the cup | Send a ready notification | high | low | P1 | no evidence |",
        "## Metrics",
        "| Order (whole stage) | Order completion | 82% | 90% | below target | 75 → 78 → 80 → 82 |  |",
        "| Pick up / Collects the cup | Wait at counter | 3 min | 4 min | target met |  |  |",
    ];
    for line in expected_lines {
        assert!(
            md.lines().any(|l| l == line),
            "missing line {line:?} in\n{md}"
        );
    }
}

#[test]
fn labels_follow_the_language() {
    let md = markdown_of("bank_pl.yaml", None);
    assert!(md.contains("## Etap 1: Poszukiwanie"));
    assert!(md.contains("## Problemy"));
    assert!(md.contains("## Szanse"));
    assert!(md.contains("## Wskaźniki"));
    let ru = markdown_of("small_basic.yaml", Some(Lang::Ru));
    assert!(ru.contains("## Этап 1: Order"));
}

#[test]
fn user_text_cannot_break_tables_or_inject_html() {
    let md = markdown_of("payload.yaml", None);
    assert!(!md.contains("<script"));
    assert!(!md.contains("<img"));
    assert!(md.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp;"));
    for line in md.lines().filter(|l| l.starts_with("| **")) {
        let cells = line.matches(" | ").count();
        assert_eq!(cells, 1, "{line}");
    }
}
