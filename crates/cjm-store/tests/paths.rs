//! Event store names can never lead outside the workspace.

use cjm_store::{STORES_DIR, StoreError};

use crate::fixture;

#[test]
fn safe_names_map_into_the_stores_directory() {
    let f = fixture();
    for name in ["shop", "shop-2024_q1", "logs.v2", "A1"] {
        let dir = f.ws.event_store_dir(name).unwrap();
        assert_eq!(dir, f.dir.path().join(STORES_DIR).join(name));
    }
    assert!(
        f.dir.path().join(STORES_DIR).is_dir(),
        "open creates stores/"
    );
}

#[test]
fn escaping_names_are_refused() {
    let f = fixture();
    let long = "a".repeat(65);
    let attempts = [
        "",
        ".",
        "..",
        "../x",
        "x/../../etc",
        "/etc/passwd",
        "a/b",
        "a\\b",
        "..\\x",
        "C:\\x",
        "a\u{0}b",
        ".hidden",
        "~root",
        "na me",
        "ünïcode",
        "%2e%2e",
        long.as_str(),
    ];
    for name in attempts {
        let err = f.ws.event_store_dir(name).unwrap_err();
        assert!(matches!(err, StoreError::Invalid(_)), "{name:?}: {err:?}");
        let err =
            f.ws.register_event_store(name, &serde_json::json!({}))
                .unwrap_err();
        assert!(matches!(err, StoreError::Invalid(_)), "{name:?}: {err:?}");
    }
    assert!(f.ws.event_store_dir(&"a".repeat(64)).is_ok());
}
