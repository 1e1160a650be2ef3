//! Revisions, their authors and summaries, structural diffs and restore.

use cjm_model::Cell;
use cjm_store::{ChangeKind, Element, MapDiff, StoreError};

use crate::{fixture, sample_map};

#[test]
fn history_lists_every_save_newest_first_with_author_message_and_summary() {
    let f = fixture();
    f.ws.create_map(&sample_map("shop"), f.owner.id).unwrap();
    let mut map = sample_map("shop");
    map.lanes[0].cells[0].text = "Types a longer query".into();
    f.ws.save_map("shop", 1, &map, f.owner.id, "wording")
        .unwrap();
    map.stages[1].name = "Purchase".into();
    map.stages[1].steps.push(cjm_model::Step {
        id: "confirm".into(),
        name: "Confirms".into(),
        ..Default::default()
    });
    f.ws.save_map("shop", 2, &map, f.owner.id, "").unwrap();
    let history = f.ws.revisions("shop").unwrap();
    let revs: Vec<i64> = history.iter().map(|r| r.rev).collect();
    assert_eq!(revs, [3, 2, 1]);
    assert_eq!(history[1].message, "wording");
    assert_eq!(history[1].summary, "1 cell changed");
    assert_eq!(history[0].summary, "1 stage changed, 1 step added");
    assert_eq!(history[2].summary, "created");
    assert!(history.iter().all(|r| r.author == Some(f.owner.id)));
    assert!(
        history
            .iter()
            .all(|r| r.author_name.as_deref() == Some("Local owner"))
    );
    let first = f.ws.get_revision("shop", 1).unwrap();
    assert_eq!(first.map, sample_map("shop"));
    assert_eq!(first.info.rev, 1);
    assert!(matches!(
        f.ws.get_revision("shop", 9),
        Err(StoreError::NotFound(_))
    ));
}

#[test]
fn diff_names_added_removed_changed_and_moved_elements_with_old_and_new_text() {
    let old = sample_map("shop");
    let mut new = sample_map("shop");
    new.title = "Shop v2".into();
    new.lanes[0].cells[2].text = "Pays with BLIK".into();
    new.lanes[1].cells.remove(1);
    new.lanes[3].cells.push(Cell {
        id: "n1".into(),
        step: Some("pay".into()),
        text: "Ask support".into(),
        ..Default::default()
    });
    let compare = new.stages[0].steps.remove(1);
    new.stages[1].steps.insert(0, compare);
    new.lanes.swap(2, 3);
    let diff = MapDiff::between(&old, &new);
    let text = diff.to_string();
    let expected = [
        r#"~ map field shop "Shop v2" title: "Online shop purchase" -> "Shop v2""#,
        r#"> step compare "Compares offers" stage: "discover" -> "buy""#,
        r#"> lane notes "text" position: "4" -> "3""#,
        r#"> lane pains "Pain points" position: "3" -> "4""#,
        r#"- cell e2 "emotions @ pay" removed"#,
        r#"~ cell a3 "Pays with BLIK" text: "Enters card details" -> "Pays with BLIK""#,
        r#"+ cell n1 "Ask support" added"#,
    ];
    assert_eq!(text.lines().collect::<Vec<_>>(), expected, "{text}");
    assert_eq!(
        diff.summary(),
        "1 map field changed, 1 step moved, 2 lanes moved, 1 cell added, 1 cell removed, 1 cell changed"
    );
    let removed = diff
        .changes
        .iter()
        .find(|c| c.kind == ChangeKind::Removed)
        .unwrap();
    assert_eq!(
        (removed.element, removed.id.as_str()),
        (Element::Cell, "e2")
    );
    assert!(MapDiff::between(&old, &old).is_empty());
    assert_eq!(MapDiff::between(&old, &old).summary(), "no changes");
}

#[test]
fn diff_of_fields_beyond_text_shows_json_values() {
    let old = sample_map("shop");
    let mut new = sample_map("shop");
    new.lanes[1].cells[0].score = Some(2.0);
    new.lanes[2].cells[0].severity = None;
    new.personas[0].age = Some(35);
    let diff = MapDiff::between(&old, &new);
    let fields: Vec<(Element, &str, Option<&str>, Option<&str>)> = diff
        .changes
        .iter()
        .map(|c| {
            (
                c.element,
                c.field.as_deref().unwrap(),
                c.old.as_deref(),
                c.new.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        fields,
        [
            (Element::Persona, "age", Some("34"), Some("35")),
            (Element::Cell, "score", Some("1.0"), Some("2.0")),
            (Element::Cell, "severity", Some("high"), None),
        ]
    );
}

#[test]
fn diff_revisions_reads_both_revisions_from_the_store() {
    let f = fixture();
    f.ws.create_map(&sample_map("shop"), f.owner.id).unwrap();
    let mut map = sample_map("shop");
    map.stages.remove(1);
    f.ws.save_map("shop", 1, &map, f.owner.id, "").unwrap();
    let diff = f.ws.diff_revisions("shop", 1, 2).unwrap();
    assert_eq!(diff.summary(), "1 stage removed, 1 step removed");
    let back = f.ws.diff_revisions("shop", 2, 1).unwrap();
    assert_eq!(back.summary(), "1 stage added, 1 step added");
}

#[test]
fn restore_appends_a_copy_of_the_old_revision() {
    let f = fixture();
    f.ws.create_map(&sample_map("shop"), f.owner.id).unwrap();
    let mut map = sample_map("shop");
    map.title = "Broken".into();
    map.lanes.clear();
    f.ws.save_map("shop", 1, &map, f.owner.id, "oops").unwrap();
    let rev = f.ws.restore_revision("shop", 1, f.owner.id).unwrap();
    assert_eq!(rev, 3);
    let (current, current_rev) = f.ws.get_map("shop").unwrap();
    assert_eq!(current, sample_map("shop"));
    assert_eq!(current_rev, 3);
    let history = f.ws.revisions("shop").unwrap();
    assert_eq!(history.len(), 3);
    assert_eq!(history[0].message, "restored revision 1");
    assert_eq!(f.ws.get_revision("shop", 2).unwrap().map.title, "Broken");
    assert!(matches!(
        f.ws.restore_revision("shop", 10, f.owner.id),
        Err(StoreError::NotFound(_))
    ));
    // A save based on the revision before the restore is now stale.
    let err = f.ws.save_map("shop", 2, &map, f.owner.id, "").unwrap_err();
    assert!(
        matches!(err, StoreError::Conflict { current_rev: 3 }),
        "{err:?}"
    );
}
