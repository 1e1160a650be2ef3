//! Accounts, passwords, roles, API tokens, sessions and share links.

use cjm_store::{API_TOKEN_PREFIX, Role, StoreError};

use crate::{fixture, sample_map};

#[test]
fn passwords_verify_and_wrong_ones_are_rejected() {
    let f = fixture();
    let user =
        f.ws.create_user("Maria", "Maria@Example.org", Some("correct horse"))
            .unwrap();
    assert_eq!(
        f.ws.verify_password("maria@example.org", "correct horse")
            .unwrap(),
        user
    );
    for (email, password) in [
        ("maria@example.org", "correct hors"),
        ("maria@example.org", ""),
        ("nobody@example.org", "correct horse"),
        ("owner@localhost", ""),
    ] {
        let err = f.ws.verify_password(email, password).unwrap_err();
        assert!(
            matches!(err, StoreError::Unauthorized),
            "{email} {password:?}: {err:?}"
        );
    }
    f.ws.set_password(user.id, "battery staple").unwrap();
    assert!(
        f.ws.verify_password("maria@example.org", "correct horse")
            .is_err()
    );
    assert_eq!(
        f.ws.verify_password("maria@example.org", "battery staple")
            .unwrap()
            .id,
        user.id
    );
}

#[test]
fn password_hashes_are_argon2id_phc_strings_never_the_password() {
    let f = fixture();
    f.ws.create_user("Maria", "maria@example.org", Some("correct horse"))
        .unwrap();
    let conn = rusqlite::Connection::open(f.ws.db_path()).unwrap();
    let hash: String = conn
        .query_row(
            "SELECT password_hash FROM users WHERE email = 'maria@example.org'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(hash.starts_with("$argon2id$v=19$"), "{hash}");
    assert!(!hash.contains("correct horse"));
}

#[test]
fn bad_accounts_are_refused() {
    let f = fixture();
    f.ws.create_user("Maria", "maria@example.org", None)
        .unwrap();
    let err =
        f.ws.create_user("Other", "MARIA@example.org", None)
            .unwrap_err();
    assert!(matches!(err, StoreError::Duplicate(_)), "{err:?}");
    for (name, email, password) in [
        ("", "a@b.c", None),
        ("A", "not-an-email", None),
        ("A", "a @b.c", None),
        ("A", "short@b.c", Some("1234567")),
    ] {
        let err = f.ws.create_user(name, email, password).unwrap_err();
        assert!(matches!(err, StoreError::Invalid(_)), "{email}: {err:?}");
    }
}

#[test]
fn roles_order_owner_over_editor_over_viewer() {
    let f = fixture();
    assert_eq!(f.ws.role_of(f.owner.id).unwrap(), Some(Role::Owner));
    let viewer = f.ws.create_user("Vic", "vic@example.org", None).unwrap();
    assert_eq!(f.ws.role_of(viewer.id).unwrap(), None);
    assert!(matches!(
        f.ws.require_role(viewer.id, Role::Viewer),
        Err(StoreError::Forbidden(_))
    ));
    f.ws.set_role(viewer.id, Role::Viewer).unwrap();
    assert_eq!(
        f.ws.require_role(viewer.id, Role::Viewer).unwrap(),
        Role::Viewer
    );
    assert!(matches!(
        f.ws.require_role(viewer.id, Role::Editor),
        Err(StoreError::Forbidden(_))
    ));
    f.ws.set_role(viewer.id, Role::Editor).unwrap();
    assert_eq!(f.ws.role_of(viewer.id).unwrap(), Some(Role::Editor));
    assert!(Role::Editor.can_edit() && Role::Owner.can_edit() && !Role::Viewer.can_edit());
    assert!(matches!(
        f.ws.require_role(viewer.id, Role::Owner),
        Err(StoreError::Forbidden(_))
    ));
    f.ws.remove_role(viewer.id).unwrap();
    assert_eq!(f.ws.role_of(viewer.id).unwrap(), None);
    assert!(matches!(
        f.ws.set_role(999, Role::Owner),
        Err(StoreError::NotFound(_))
    ));
    assert_eq!(Role::parse("editor").unwrap(), Role::Editor);
    assert!(matches!(Role::parse("admin"), Err(StoreError::Invalid(_))));
}

#[test]
fn the_local_owner_is_made_once() {
    let f = fixture();
    let again = f.ws.ensure_local_owner().unwrap();
    assert_eq!(again, f.owner);
    assert_eq!(f.ws.list_users().unwrap(), std::slice::from_ref(&f.owner));
}

#[test]
fn api_tokens_authenticate_until_revoked_and_only_their_hash_is_stored() {
    let f = fixture();
    let (info, token) = f.ws.create_api_token(f.owner.id, "ci").unwrap();
    assert!(token.starts_with(API_TOKEN_PREFIX));
    assert_eq!(token.len(), API_TOKEN_PREFIX.len() + 64);
    assert_eq!(f.ws.authenticate_api_token(&token).unwrap(), f.owner);
    assert!(matches!(
        f.ws.authenticate_api_token(&format!("{token}x")),
        Err(StoreError::Unauthorized)
    ));
    let conn = rusqlite::Connection::open(f.ws.db_path()).unwrap();
    let stored: String = conn
        .query_row("SELECT token_hash FROM api_tokens", [], |r| r.get(0))
        .unwrap();
    assert_ne!(stored, token);
    assert!(!stored.contains(&token[API_TOKEN_PREFIX.len()..]));
    assert_eq!(
        f.ws.list_api_tokens(f.owner.id).unwrap(),
        std::slice::from_ref(&info)
    );
    f.ws.revoke_api_token(info.id).unwrap();
    assert!(matches!(
        f.ws.authenticate_api_token(&token),
        Err(StoreError::Unauthorized)
    ));
    assert!(
        f.ws.list_api_tokens(f.owner.id).unwrap()[0]
            .revoked_at
            .is_some()
    );
    assert!(matches!(
        f.ws.revoke_api_token(info.id),
        Err(StoreError::NotFound(_))
    ));
}

#[test]
fn sessions_carry_a_csrf_token_and_end() {
    let f = fixture();
    let new = f.ws.create_session(f.owner.id, 3600).unwrap();
    assert_ne!(new.token, new.csrf_token);
    let session = f.ws.session(&new.token).unwrap();
    assert_eq!(session.user, f.owner);
    assert_eq!(session.csrf_token, new.csrf_token);
    assert_eq!(session.expires_at, new.expires_at);
    assert!(matches!(
        f.ws.session(&new.csrf_token),
        Err(StoreError::Unauthorized)
    ));
    f.ws.end_session(&new.token).unwrap();
    assert!(matches!(
        f.ws.session(&new.token),
        Err(StoreError::Unauthorized)
    ));
    assert!(matches!(
        f.ws.create_session(f.owner.id, 0),
        Err(StoreError::Invalid(_))
    ));
}

#[test]
fn expired_sessions_are_refused_and_purged() {
    let f = fixture();
    let new = f.ws.create_session(f.owner.id, 3600).unwrap();
    let conn = rusqlite::Connection::open(f.ws.db_path()).unwrap();
    conn.execute("UPDATE sessions SET expires_at = expires_at - 7200", [])
        .unwrap();
    assert!(matches!(
        f.ws.session(&new.token),
        Err(StoreError::Unauthorized)
    ));
    assert_eq!(f.ws.purge_expired_sessions().unwrap(), 1);
    assert_eq!(f.ws.purge_expired_sessions().unwrap(), 0);
}

#[test]
fn share_links_open_their_map_until_revoked() {
    let f = fixture();
    f.ws.create_map(&sample_map("shop"), f.owner.id).unwrap();
    let (link, token) = f.ws.create_share_link("shop", f.owner.id).unwrap();
    let (other, other_token) = f.ws.create_share_link("shop", f.owner.id).unwrap();
    assert_ne!(token, other_token);
    assert_eq!(f.ws.resolve_share_link(&token).unwrap(), "shop");
    assert_eq!(
        f.ws.list_share_links("shop").unwrap(),
        [other.clone(), link.clone()]
    );
    f.ws.revoke_share_link(link.id).unwrap();
    assert!(matches!(
        f.ws.resolve_share_link(&token),
        Err(StoreError::NotFound(_))
    ));
    assert_eq!(f.ws.resolve_share_link(&other_token).unwrap(), "shop");
    assert!(matches!(
        f.ws.revoke_share_link(link.id),
        Err(StoreError::NotFound(_))
    ));
    assert!(matches!(
        f.ws.resolve_share_link("garbage"),
        Err(StoreError::NotFound(_))
    ));
    f.ws.delete_map("shop").unwrap();
    assert!(matches!(
        f.ws.resolve_share_link(&other_token),
        Err(StoreError::NotFound(_))
    ));
    assert!(matches!(
        f.ws.create_share_link("nope", f.owner.id),
        Err(StoreError::NotFound(_))
    ));
}
