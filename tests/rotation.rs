//! Rotation safety in the core (docs/ARCHITECTURE.md, invariants), with keychains that
//! misbehave on purpose — the one kind of fault a real Secret Service cannot be made to show on
//! demand — and real HTTP.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs, dead_code)]

mod support;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use keyring_core::CredentialStore;
use renova::Error;
use renova::Paths;
use renova::ProviderKind;
use renova::Renova;
use renova::{AccountSettings, GivenSecrets};
use renova::{Keychain, Timeouts};
use serde_json::json;
use support::faulty::{ReadOnlyStore, SlowFirstWriteStore, WriteBudgetStore};
use support::{CLIENT_ID, CLIENT_SECRET, REFRESH_TOKEN, crm};
use wiremock::{MockServer, ResponseTemplate};

fn core(dir: &std::path::Path, keychain: Keychain) -> Renova {
    Renova::new(Paths::under(dir), keychain)
        .with_lock_wait(Duration::from_secs(5))
        .with_write_retry(Duration::from_secs(1))
}

/// Adds a CRM account with an in-memory keychain, then returns its entry's bytes by user.
async fn crm_account(dir: &std::path::Path, base: &str) -> HashMap<String, Vec<u8>> {
    let keychain = Keychain::in_memory();
    let setup = core(dir, keychain.clone());
    let settings = AccountSettings {
        provider: Some(ProviderKind::RdStationCrm),
        client_id: Some(CLIENT_ID.to_owned()),
        base_url: Some(base.to_owned()),
        ..AccountSettings::default()
    };
    let given = GivenSecrets {
        client_secret: Some(CLIENT_SECRET.into()),
        refresh_token: Some(REFRESH_TOKEN.into()),
        access_token: None,
    };
    let account = setup.accounts().add("crm", &settings, given).await.unwrap();
    let raw = keychain
        .read(&account.id)
        .await
        .unwrap()
        .unwrap()
        .raw
        .to_vec();
    HashMap::from([(account.id.to_string(), raw)])
}

/// A CRM whose token endpoint answers `times` requests with `answer`, an account `crm` against
/// it, and the core over the keychain `store` builds from the account's entry. The refresh of
/// `crm` must fail: the error, with the server (verified when dropped) and the core.
async fn refresh_fails_over(
    answer: ResponseTemplate,
    times: u64,
    store: impl FnOnce(HashMap<String, Vec<u8>>) -> Arc<CredentialStore>,
) -> (Error, Renova, MockServer, tempfile::TempDir) {
    let server = MockServer::start().await;
    crm::token_endpoint()
        .respond_with(answer)
        .expect(times)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let entries = crm_account(dir.path(), &server.uri()).await;
    let renova = core(dir.path(), Keychain::with_store(store(entries)));
    let err = renova
        .refresh(&renova.account("crm").unwrap())
        .await
        .unwrap_err();
    (err, renova, server, dir)
}

#[tokio::test]
async fn a_keychain_that_refuses_writes_stops_the_refresh_before_any_request() {
    let (err, _, server, _dir) =
        refresh_fails_over(ResponseTemplate::new(200), 0, ReadOnlyStore::with).await;
    assert!(matches!(err, Error::Keychain(_)), "{err:?}");
    assert_eq!(err.exit_code(), 5);
    assert!(
        server.received_requests().await.unwrap().is_empty(),
        "no request may be sent"
    );
}

#[tokio::test]
async fn a_rotated_token_that_cannot_be_stored_is_rotation_lost_and_audited() {
    let rotated = ResponseTemplate::new(200).set_body_json(
        json!({"access_token":"fake-at","expires_in":7200,"refresh_token":"fake-rotated-rt"}),
    );
    // The write that proves the keychain writable succeeds; the keychain then goes away.
    let (err, renova, _server, _dir) =
        refresh_fails_over(rotated, 1, |entries| WriteBudgetStore::with(entries, 1)).await;
    assert!(matches!(err, Error::RotationLost { .. }), "{err:?}");
    assert_eq!(err.exit_code(), 5);
    let audit = std::fs::read_to_string(renova.profile().paths().audit_file()).unwrap();
    let last: serde_json::Value = serde_json::from_str(audit.lines().last().unwrap()).unwrap();
    assert_eq!(last["action"], "rotation_lost");
    assert!(!audit.contains("fake-rotated-rt"));
    let list = renova.list(jiff::Timestamp::now()).unwrap();
    assert_eq!(list[0].status.condition.as_str(), "needs_authorization");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_keychain_write_that_lands_late_never_overwrites_a_newer_entry() {
    use secrecy::ExposeSecret;
    let server = MockServer::start().await;
    let rotating = crm::Rotating::new(REFRESH_TOKEN, Duration::ZERO);
    // Two or three refreshes: the second one may or may not notice the first in time.
    rotating.mount(&server, 2..=3).await;
    let dir = tempfile::tempdir().unwrap();
    let entries = crm_account(dir.path(), &server.uri()).await;
    // The first write (the one that proves the keychain writable) lands after 2.5 s; the
    // keychain's timeout is 1 s.
    let store = SlowFirstWriteStore::with(entries, Duration::from_millis(2500));
    let second = Duration::from_secs(1);
    let keychain = Keychain::with_store(store).with_timeouts(Timeouts {
        quick: second,
        patient: second,
        notice_after: second,
        ..Timeouts::default()
    });
    let renova = core(dir.path(), keychain.clone());
    let account = renova.account("crm").unwrap();
    // A refresh, and a second one a moment later (another process, say).
    let first = renova.refresh(&account);
    let later = async {
        tokio::time::sleep(Duration::from_millis(200)).await;
        renova.refresh(&account).await
    };
    let _ = tokio::join!(first, later);
    // Past the moment the slow write lands, whoever was waiting for it.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let stored = |keychain: &Keychain| {
        let keychain = keychain.clone();
        let id = account.id;
        async move {
            let entry = keychain.read(&id).await.unwrap().unwrap();
            entry
                .secrets
                .refresh_token
                .unwrap()
                .expose_secret()
                .to_owned()
        }
    };
    // Whatever each refresh said, the stored refresh token is the newest the provider issued:
    // the slow write did not put the dead one back.
    assert_eq!(stored(&keychain).await, rotating.current());
    renova.refresh(&account).await.unwrap();
    assert_eq!(stored(&keychain).await, rotating.current());
    assert_eq!(rotating.refused(), 0, "a dead refresh token was sent");
}
