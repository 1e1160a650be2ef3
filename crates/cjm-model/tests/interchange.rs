//! Mermaid and CSV import: what a hand-written file gives, and errors with rows and lines.

use cjm_model::*;

#[test]
fn mermaid_example_from_the_mermaid_docs() {
    let text = "journey
    title My working day
    section Go to work
      Make tea: 5: Me
      Go upstairs: 3: Me
      Do work: 1: Me, Cat
    section Go home
      Go downstairs: 5: Me
      Sit down: 5: Me
";
    let map = from_mermaid(text, "day.mmd").unwrap();
    assert_eq!(map.title, "My working day");
    let stages: Vec<(&str, Vec<&str>)> = map
        .stages
        .iter()
        .map(|s| {
            (
                s.name.as_str(),
                s.steps.iter().map(|t| t.name.as_str()).collect(),
            )
        })
        .collect();
    assert_eq!(
        stages,
        [
            ("Go to work", vec!["Make tea", "Go upstairs", "Do work"]),
            ("Go home", vec!["Go downstairs", "Sit down"])
        ]
    );
    let scores: Vec<f64> = map.lanes[0]
        .cells
        .iter()
        .map(|c| c.score.unwrap())
        .collect();
    assert_eq!(scores, [2.0, 0.0, -2.0, 2.0, 2.0]);
    let names: Vec<&str> = map.personas.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["Me", "Cat"]);
    assert_eq!(map.lanes[0].cells[2].personas, ["me", "cat"]);
    assert_eq!(map.lanes[0].cells[2].id, "emotions.do-work");
    assert_eq!(to_mermaid(&map), text);
}

#[test]
fn mermaid_errors() {
    let error = from_mermaid("graph TD\n", "x.mmd").unwrap_err();
    assert_eq!(
        error.to_string(),
        "x.mmd:1:1: expected `journey`: this is not a Mermaid journey diagram\n  hint: a journey diagram starts with a line `journey`"
    );
    let error = from_mermaid("journey\n  section A\n  Task without score\n", "x.mmd").unwrap_err();
    assert!(
        error
            .to_string()
            .starts_with("x.mmd:3:3: expected a task `Name: score: actors`"),
        "{error}"
    );
    let error = from_mermaid("journey\n  Task: good: Me\n", "x.mmd").unwrap_err();
    assert!(
        error
            .to_string()
            .starts_with("x.mmd:2:9: `good` is not a score"),
        "{error}"
    );
}

#[test]
fn csv_written_by_hand_with_names_only() {
    let text = "stage,step,lane_kind,text,emotion,evidence\n\
                Discover,Search,actions,Searches the shop,,observed: interview\n\
                Discover,Search,emotions,Hopeful,1,assumed\n\
                Buy,Pay,actions,\"Pays, then waits\",,\n";
    let map = from_csv(text, "maps/Shop trip.csv").unwrap();
    assert_eq!(
        (map.id.as_str(), map.title.as_str()),
        ("shop-trip", "Shop trip")
    );
    let ids: Vec<&str> = map.steps().map(|(_, step)| step.id.as_str()).collect();
    assert_eq!(ids, ["search", "pay"]);
    assert_eq!(
        map.lanes.iter().map(|l| l.id.as_str()).collect::<Vec<_>>(),
        ["actions", "emotions"]
    );
    assert_eq!(map.lanes[0].cells[1].text, "Pays, then waits");
    assert_eq!(map.lanes[0].cells[1].step.as_deref(), Some("pay"));
    assert_eq!(
        map.lanes[0].cells[0].evidence,
        Some(Evidence::Observed {
            source: ObservedSource::Interview,
            name: String::new(),
            note: String::new()
        })
    );
    assert_eq!(map.lanes[1].cells[0].score, Some(1.0));
}

#[test]
fn csv_errors_name_the_row_and_column() {
    let error = from_csv("stage,step,lane_kind,emotion\nA,B,emotions,high\n", "t.csv").unwrap_err();
    assert_eq!(
        error.to_string(),
        "t.csv:2:1: row 1, column `emotion`: `high` is not a number\n  hint: write a plain number such as 1.5 or -2"
    );
    let error = from_csv("stage,step,lane_kind\nA,B,actions\nA,C,moods\n", "t.csv").unwrap_err();
    assert!(
        error
            .to_string()
            .starts_with("t.csv:3:1: row 2, column `lane_kind`: unknown variant `moods`"),
        "{error}"
    );
    let error = from_csv("stage,colour\n", "t.csv").unwrap_err();
    assert!(
        error
            .to_string()
            .starts_with("t.csv:1:1: unknown column `colour`"),
        "{error}"
    );
    let error = from_csv(
        "stage,step,lane_kind,text\nA,B,actions,\"two\nlines\"\nA,B,actions,x,y\n",
        "t.csv",
    )
    .unwrap_err();
    assert_eq!(
        error.to_string(),
        "t.csv:4:1: row has 5 fields, the header 4\n  hint: quote fields that contain commas"
    );
    let error = from_csv("step,lane_kind\nB,actions\n", "t.csv").unwrap_err();
    assert!(
        error
            .to_string()
            .starts_with("t.csv:2:1: row 1, column `stage`: a step needs its stage"),
        "{error}"
    );
}
