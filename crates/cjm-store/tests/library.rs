//! Personas, comments, settings and the event store registry.

use cjm_model::Persona;
use cjm_store::StoreError;
use serde_json::json;

use crate::{fixture, sample_map};

fn persona(id: &str, name: &str) -> Persona {
    Persona {
        id: id.into(),
        name: name.into(),
        goals: vec!["Pay fast".into()],
        ..Default::default()
    }
}

#[test]
fn personas_crud() {
    let f = fixture();
    f.ws.create_persona(&persona("zoe", "Zoë")).unwrap();
    f.ws.create_persona(&persona("anna", "Anna")).unwrap();
    assert!(matches!(
        f.ws.create_persona(&persona("anna", "Other")),
        Err(StoreError::Duplicate(_))
    ));
    assert_eq!(f.ws.get_persona("zoe").unwrap(), persona("zoe", "Zoë"));
    let names: Vec<String> =
        f.ws.list_personas()
            .unwrap()
            .into_iter()
            .map(|p| p.name)
            .collect();
    assert_eq!(names, ["Anna", "Zoë"]);
    let mut changed = persona("anna", "Anna K.");
    changed.age = Some(41);
    f.ws.update_persona(&changed).unwrap();
    assert_eq!(f.ws.get_persona("anna").unwrap(), changed);
    f.ws.delete_persona("anna").unwrap();
    assert!(matches!(
        f.ws.get_persona("anna"),
        Err(StoreError::NotFound(_))
    ));
    assert!(matches!(
        f.ws.delete_persona("anna"),
        Err(StoreError::NotFound(_))
    ));
    assert!(matches!(
        f.ws.update_persona(&changed),
        Err(StoreError::NotFound(_))
    ));
    assert!(matches!(
        f.ws.create_persona(&persona("", "X")),
        Err(StoreError::Invalid(_))
    ));
    assert!(matches!(
        f.ws.create_persona(&persona("x", " ")),
        Err(StoreError::Invalid(_))
    ));
}

#[test]
fn comments_on_cells_list_resolve_and_delete() {
    let f = fixture();
    f.ws.create_map(&sample_map("shop"), f.owner.id).unwrap();
    let first =
        f.ws.add_comment("shop", "p1", f.owner.id, "  Is this from the survey? ")
            .unwrap();
    assert_eq!(first.text, "Is this from the survey?");
    assert_eq!((first.map.as_str(), first.cell.as_str()), ("shop", "p1"));
    assert_eq!(first.author_name.as_deref(), Some("Local owner"));
    assert!(!first.resolved);
    let second =
        f.ws.add_comment("shop", "a1", f.owner.id, "<script>x</script>")
            .unwrap();
    assert_eq!(
        second.text, "<script>x</script>",
        "stored as given; escaping is the renderer's job"
    );
    f.ws.resolve_comment(first.id, true).unwrap();
    let listed = f.ws.list_comments("shop").unwrap();
    assert_eq!(listed.len(), 2);
    assert!(listed[0].resolved && !listed[1].resolved);
    f.ws.delete_comment(second.id).unwrap();
    assert_eq!(f.ws.list_comments("shop").unwrap().len(), 1);
    assert!(matches!(
        f.ws.resolve_comment(second.id, true),
        Err(StoreError::NotFound(_))
    ));
    assert!(matches!(
        f.ws.add_comment("shop", "p1", f.owner.id, "  "),
        Err(StoreError::Invalid(_))
    ));
    let long = "x".repeat(cjm_store::MAX_COMMENT_CHARS + 1);
    assert!(matches!(
        f.ws.add_comment("shop", "p1", f.owner.id, &long),
        Err(StoreError::Invalid(_))
    ));
    assert!(matches!(
        f.ws.add_comment("nope", "p1", f.owner.id, "hi"),
        Err(StoreError::NotFound(_))
    ));
}

#[test]
fn settings_are_key_values() {
    let f = fixture();
    assert_eq!(f.ws.setting("lang").unwrap(), None);
    f.ws.set_setting("lang", "pl").unwrap();
    f.ws.set_setting("lang", "zh").unwrap();
    f.ws.set_setting("addr", "127.0.0.1:7878").unwrap();
    assert_eq!(f.ws.setting("lang").unwrap().as_deref(), Some("zh"));
    assert_eq!(
        f.ws.settings().unwrap(),
        [
            ("addr".to_owned(), "127.0.0.1:7878".to_owned()),
            ("lang".to_owned(), "zh".to_owned())
        ]
    );
    assert!(matches!(
        f.ws.set_setting("", "x"),
        Err(StoreError::Invalid(_))
    ));
}

#[test]
fn event_stores_register_and_attach_to_maps() {
    let f = fixture();
    f.ws.create_map(&sample_map("shop"), f.owner.id).unwrap();
    let info =
        f.ws.register_event_store("web", &json!({"cases": 20000, "events": 151234}))
            .unwrap();
    assert_eq!(info.dir, "stores/web");
    assert_eq!(info.stats["cases"], 20000);
    f.ws.register_event_store("app", &json!({})).unwrap();
    let updated =
        f.ws.register_event_store("web", &json!({"cases": 20001}))
            .unwrap();
    assert_eq!(updated.stats, json!({"cases": 20001}));
    assert_eq!(updated.created_at, info.created_at);
    let names: Vec<String> =
        f.ws.list_event_stores()
            .unwrap()
            .into_iter()
            .map(|s| s.name)
            .collect();
    assert_eq!(names, ["app", "web"]);
    f.ws.attach_store("shop", "web").unwrap();
    f.ws.attach_store("shop", "web").unwrap();
    f.ws.attach_store("shop", "app").unwrap();
    assert_eq!(f.ws.stores_of_map("shop").unwrap(), ["app", "web"]);
    assert!(matches!(
        f.ws.attach_store("shop", "nope"),
        Err(StoreError::NotFound(_))
    ));
    assert!(matches!(
        f.ws.attach_store("nope", "web"),
        Err(StoreError::NotFound(_))
    ));
    f.ws.detach_store("shop", "app").unwrap();
    assert!(matches!(
        f.ws.detach_store("shop", "app"),
        Err(StoreError::NotFound(_))
    ));
    f.ws.unregister_event_store("web").unwrap();
    assert!(
        f.ws.stores_of_map("shop").unwrap().is_empty(),
        "attachments go with the store"
    );
    assert!(matches!(
        f.ws.event_store("web"),
        Err(StoreError::NotFound(_))
    ));
}
