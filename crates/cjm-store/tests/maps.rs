//! Creating, reading, listing, saving and deleting maps.

use cjm_store::StoreError;

use crate::{fixture, sample_map};

#[test]
fn create_then_get_returns_the_same_map_at_revision_1() {
    let f = fixture();
    let map = sample_map("shop");
    let record = f.ws.create_map(&map, f.owner.id).unwrap();
    assert_eq!(record.id, "shop");
    assert_eq!(record.rev, 1);
    assert_eq!(record.title, "Online shop purchase");
    let (stored, rev) = f.ws.get_map("shop").unwrap();
    assert_eq!(stored, map);
    assert_eq!(rev, 1);
    let (json, rev) = f.ws.get_map_json("shop").unwrap();
    assert_eq!(rev, 1);
    assert_eq!(serde_json::from_str::<cjm_model::Map>(&json).unwrap(), map);
}

#[test]
fn creating_a_second_map_with_the_same_id_is_a_duplicate() {
    let f = fixture();
    f.ws.create_map(&sample_map("shop"), f.owner.id).unwrap();
    let err =
        f.ws.create_map(&sample_map("shop"), f.owner.id)
            .unwrap_err();
    assert!(matches!(err, StoreError::Duplicate(_)), "{err:?}");
}

#[test]
fn save_appends_a_revision_and_updates_the_listing() {
    let f = fixture();
    f.ws.create_map(&sample_map("shop"), f.owner.id).unwrap();
    let mut map = sample_map("shop");
    map.title = "Shop, revised".into();
    let rev =
        f.ws.save_map("shop", 1, &map, f.owner.id, "rename")
            .unwrap();
    assert_eq!(rev, 2);
    let (stored, rev) = f.ws.get_map("shop").unwrap();
    assert_eq!((stored.title.as_str(), rev), ("Shop, revised", 2));
    let list = f.ws.list_maps(None).unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].id, "shop");
    assert_eq!(list[0].title, "Shop, revised");
    assert_eq!(list[0].rev, 2);
    assert_eq!(list[0].stage_count, 2);
    assert_eq!(list[0].description, "From first visit to delivery");
}

#[test]
fn a_stale_base_revision_is_a_conflict_and_changes_nothing() {
    let f = fixture();
    f.ws.create_map(&sample_map("shop"), f.owner.id).unwrap();
    let mut first = sample_map("shop");
    first.title = "First writer".into();
    assert_eq!(f.ws.save_map("shop", 1, &first, f.owner.id, "").unwrap(), 2);
    let mut second = sample_map("shop");
    second.title = "Second writer".into();
    let err =
        f.ws.save_map("shop", 1, &second, f.owner.id, "")
            .unwrap_err();
    assert!(
        matches!(err, StoreError::Conflict { current_rev: 2 }),
        "{err:?}"
    );
    let (stored, rev) = f.ws.get_map("shop").unwrap();
    assert_eq!((stored.title.as_str(), rev), ("First writer", 2));
    assert_eq!(f.ws.revisions("shop").unwrap().len(), 2);
    // A base revision from the future is as wrong as a stale one.
    let err =
        f.ws.save_map("shop", 7, &second, f.owner.id, "")
            .unwrap_err();
    assert!(
        matches!(err, StoreError::Conflict { current_rev: 2 }),
        "{err:?}"
    );
}

#[test]
fn saving_under_another_id_is_refused() {
    let f = fixture();
    f.ws.create_map(&sample_map("shop"), f.owner.id).unwrap();
    let err =
        f.ws.save_map("shop", 1, &sample_map("other"), f.owner.id, "")
            .unwrap_err();
    assert!(matches!(err, StoreError::Invalid(_)), "{err:?}");
}

#[test]
fn unknown_maps_and_bad_ids_are_errors_not_panics() {
    let f = fixture();
    assert!(matches!(f.ws.get_map("nope"), Err(StoreError::NotFound(_))));
    assert!(matches!(
        f.ws.save_map("nope", 1, &sample_map("nope"), f.owner.id, ""),
        Err(StoreError::NotFound(_))
    ));
    assert!(matches!(
        f.ws.delete_map("nope"),
        Err(StoreError::NotFound(_))
    ));
    for bad in ["", "   ", "a\u{0}b", "line\nbreak"] {
        let err = f.ws.create_map(&sample_map(bad), f.owner.id).unwrap_err();
        assert!(matches!(err, StoreError::Invalid(_)), "{bad:?}: {err:?}");
    }
    let err = f.ws.create_map(&sample_map("x"), 999).unwrap_err();
    assert!(matches!(err, StoreError::Invalid(_)), "{err:?}");
    assert!(
        matches!(f.ws.get_map("x"), Err(StoreError::NotFound(_))),
        "failed create left nothing"
    );
}

#[test]
fn search_matches_title_description_and_persona_names_in_any_case() {
    let f = fixture();
    f.ws.create_map(&sample_map("shop"), f.owner.id).unwrap();
    let mut other = sample_map("bank");
    other.title = "Открытие счёта".into();
    other.description = "Bank account".into();
    other.personas[0].name = "Łukasz".into();
    f.ws.create_map(&other, f.owner.id).unwrap();
    let ids = |q: &str| -> Vec<String> {
        let mut ids: Vec<String> =
            f.ws.list_maps(Some(q))
                .unwrap()
                .into_iter()
                .map(|m| m.id)
                .collect();
        ids.sort();
        ids
    };
    assert_eq!(ids("SHOP"), ["shop"]);
    assert_eq!(ids("delivery"), ["shop"]);
    assert_eq!(ids("anna"), ["shop"]);
    assert_eq!(ids("ОТКРЫТИЕ"), ["bank"]);
    assert_eq!(ids("łUKASZ"), ["bank"]);
    assert_eq!(ids("%"), Vec::<String>::new());
    assert_eq!(ids(""), ["bank", "shop"]);
}

#[test]
fn deleted_maps_leave_the_list_and_can_be_created_again_with_history_kept() {
    let f = fixture();
    f.ws.create_map(&sample_map("shop"), f.owner.id).unwrap();
    f.ws.delete_map("shop").unwrap();
    assert!(f.ws.list_maps(None).unwrap().is_empty());
    assert!(matches!(f.ws.get_map("shop"), Err(StoreError::NotFound(_))));
    let record = f.ws.create_map(&sample_map("shop"), f.owner.id).unwrap();
    assert_eq!(record.rev, 2);
    let history = f.ws.revisions("shop").unwrap();
    let summaries: Vec<&str> = history.iter().map(|r| r.summary.as_str()).collect();
    assert_eq!(summaries, ["created again", "created"]);
}

#[test]
fn shared_reads_are_parsed_once_per_revision_and_follow_every_writer() {
    let f = fixture();
    f.ws.create_map(&sample_map("shop"), f.owner.id).unwrap();
    let (a, rev_a) = f.ws.get_map_shared("shop").unwrap();
    let (b, rev_b) = f.ws.get_map_shared("shop").unwrap();
    assert_eq!((rev_a, rev_b), (1, 1));
    assert!(
        std::sync::Arc::ptr_eq(&a, &b),
        "the second read comes from the cache"
    );
    // A write through another connection (as another process would) is seen at once.
    let other = cjm_store::Workspace::open(f.dir.path()).unwrap();
    let mut map = sample_map("shop");
    map.title = "Changed elsewhere".into();
    other.save_map("shop", 1, &map, f.owner.id, "").unwrap();
    let (c, rev_c) = f.ws.get_map_shared("shop").unwrap();
    assert_eq!((c.title.as_str(), rev_c), ("Changed elsewhere", 2));
    other.delete_map("shop").unwrap();
    assert!(matches!(
        f.ws.get_map_shared("shop"),
        Err(StoreError::NotFound(_))
    ));
}
