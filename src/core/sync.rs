//! Postman environment sync: after each new access token of an account that has a Postman
//! environment, the token goes to that environment ([`crate::core::postman`]). The API key is
//! a secret with its own keychain entry. A failed sync never blocks or undoes a refresh: it is
//! recorded in `state.json`, shown, audited and retried with backoff.

use std::time::Duration;

use jiff::Timestamp;
use secrecy::{ExposeSecret, SecretString};
use zeroize::Zeroizing;

use crate::core::audit::{AuditAction, AuditOutcome};
use crate::core::clock;
use crate::core::config::AccountConfig;
use crate::core::context::Context;
use crate::core::error::Result;
use crate::core::expiry;
use crate::core::postman::{KEY_USER, PostmanError, PostmanErrorKind, Sharing, target};
use crate::core::secrets::Secrets;
use crate::core::store::Store;

/// Stores the Postman API key (its own keychain entry).
pub(crate) async fn set_key(store: &Store, key: &SecretString) -> Result<()> {
    let value = Zeroizing::new(key.expose_secret().as_bytes().to_vec());
    store.keychain().write_user(KEY_USER, value).await?;
    Ok(())
}

/// Deletes the Postman API key.
pub(crate) async fn remove_key(store: &Store) -> Result<()> {
    store.keychain().delete_user(KEY_USER).await?;
    Ok(())
}

/// The stored Postman API key, if any.
pub(crate) async fn key(store: &Store) -> Result<Option<SecretString>> {
    let raw = store.keychain().read_user(KEY_USER).await?;
    Ok(raw
        .and_then(|b| String::from_utf8(b.to_vec()).ok())
        .map(SecretString::from))
}

/// Sends `token` to the account's Postman variable, if it has one.
async fn push(
    cx: &Context,
    account: &AccountConfig,
    token: &SecretString,
) -> Result<(), PostmanError> {
    let Some(target) = target(account) else {
        return Ok(());
    };
    let key = match key(&cx.store).await {
        Ok(Some(k)) => k,
        Ok(None) => return Err(PostmanError::new(PostmanErrorKind::NoKey, None, None)),
        Err(e) => {
            return Err(PostmanError::new(
                PostmanErrorKind::Unavailable,
                None,
                Some(e.to_string()),
            ));
        }
    };
    let now = cx.store.now();
    // Teammates would read the shared value: write only once the person accepted that, or
    // when Postman's answers prove the environment is only theirs. A workspace check that
    // fails, or answers Renova cannot judge, write nothing either (they say why).
    if !account.postman_shared_ok {
        match cx.postman.sharing(&key, target.0, now).await? {
            Sharing::OnlyYou => {}
            Sharing::Shared(workspace) => {
                return Err(PostmanError::new(
                    PostmanErrorKind::SharedWorkspace,
                    None,
                    Some(workspace),
                ));
            }
            Sharing::Unclear(why, workspace) => {
                return Err(PostmanError::new(
                    PostmanErrorKind::SharingUnclear(why),
                    None,
                    workspace,
                ));
            }
        }
    }
    cx.postman.push(&key, target, token, now).await
}

/// After a new access token: syncs it to Postman if the account asks for it, and records the
/// outcome (state, audit). Never fails the caller; returns the sync error, if any.
pub(crate) async fn after_new_token(
    cx: &Context,
    account: &AccountConfig,
    secrets: &Secrets,
) -> Option<PostmanError> {
    target(account)?;
    let token = secrets.access_token.as_ref()?;
    let result = push(cx, account, token).await;
    let now = cx.store.now();
    let outcome = match &result {
        Ok(()) => AuditOutcome::Ok,
        Err(e) if e.is_transient() => AuditOutcome::Transient,
        Err(_) => AuditOutcome::Failed,
    };
    let error = result.as_ref().err().cloned();
    cx.store.update_state(&account.id, |a| match &error {
        None => {
            a.postman_synced_at = Some(now);
            a.postman_error = None;
            a.postman_failures = 0;
            a.postman_retry_at = None;
        }
        Some(e) => {
            let hint = e.retry_after.map(Duration::from_secs);
            let delay = expiry::retry_delay(a.postman_failures, expiry::random_unit(), hint);
            a.postman_failures = a.postman_failures.saturating_add(1);
            a.postman_retry_at = Some(clock::add(now, delay));
            a.postman_error = Some(e.clone());
        }
    });
    cx.store.audit(
        &cx.store
            .audit_entry(account.id, AuditAction::PostmanSync, outcome),
    );
    result.err()
}

/// Syncs accounts whose last sync failed and whose retry time has come (the window's tick and
/// `refresh --due`). Returns how many were attempted.
pub(crate) async fn retry_failed(cx: &Context, now: Timestamp) -> Result<usize> {
    let config = cx.store.config()?;
    let state = cx.store.state();
    let mut attempted = 0;
    for account in config.visible().filter(|a| target(a).is_some()) {
        if !state.get(&account.id).postman_retry_due(now) {
            continue;
        }
        let entry = match cx.store.keychain().read(&account.id).await {
            Ok(Some(e)) => e,
            _ => continue,
        };
        if entry.secrets.valid_access_token(now).is_some() {
            attempted += 1;
            after_new_token(cx, account, &entry.secrets).await;
        }
    }
    Ok(attempted)
}

/// Syncs one account now, if it has a Postman target and a valid token (after the user set
/// up sync, or a manual retry).
pub(crate) async fn push_now(
    cx: &Context,
    account: &AccountConfig,
) -> Result<Option<PostmanError>> {
    if target(account).is_none() {
        return Ok(None);
    }
    let entry = cx.store.read_entry(account).await?;
    if entry.secrets.valid_access_token(cx.store.now()).is_none() {
        return Ok(None);
    }
    Ok(after_new_token(cx, account, &entry.secrets).await)
}
