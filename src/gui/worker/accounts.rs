//! The operations on one account: refresh, copy, check, confirming its endpoints, revoke,
//! remove, and saving the add/edit dialog. Each marks the account busy, calls the core, and reports back.

use std::sync::Arc;

use crate::core::account::AccountId;
use crate::core::accounts::GivenSecrets;
use crate::core::config::AccountConfig;
use crate::core::error::{Error, Result};
use crate::core::postman::target;
use crate::core::secrets::EndpointKind;
use crate::core::token_format::TokenFormat;
use crate::gui::draft::Draft;
use crate::gui::message::Event;
use crate::gui::snapshot::Busy;
use crate::gui::worker::authorize;
use crate::gui::worker::shared::Shared;

/// Refresh (the button): to the network now, unless another process just did. A failure is
/// in `state.json`, where the card shows it; the click also gets a toast.
pub(super) async fn refresh(s: Arc<Shared>, id: AccountId) {
    let Some(account) = s.start(id, Busy::Refreshing) else {
        return;
    };
    let result = s.renova.refresh(&account).await;
    s.observe(&result);
    if let Err(e) = result {
        let on_card = e.stays_on_account();
        s.failed(id, e, on_card);
    }
    s.end(id);
}

/// Copy: the core's timed copy (refreshed first when less than the copy minimum is left,
/// the token that still works when that refresh fails).
pub(super) async fn copy(s: Arc<Shared>, id: AccountId, format: TokenFormat) {
    let Some(account) = s.start(id, Busy::Copying) else {
        return;
    };
    let result = s.copy.token(&account, format).await;
    s.observe(&result);
    match result {
        Ok(copied) => s.send(Event::Copied {
            id,
            format,
            clear_at: copied.clear_at,
            fallback_until: copied.fallback_until,
        }),
        Err(e) => {
            let on_card = e.stays_on_account();
            s.failed(id, e, on_card);
        }
    }
    s.end(id);
}

/// Check: whose account the token belongs to.
pub(super) async fn check(s: Arc<Shared>, id: AccountId) {
    let Some(account) = s.start(id, Busy::Checking) else {
        return;
    };
    let result = s.renova.accounts().check(&account).await;
    s.observe(&result);
    match result {
        Ok(name) => s.send(Event::Checked { id, name }),
        Err(e) => s.failed(id, e, false),
    }
    s.end(id);
}

/// Confirm: the endpoint now in `accounts.toml` is the user's.
pub(super) async fn confirm_endpoint(s: Arc<Shared>, id: AccountId, kind: EndpointKind, url: &str) {
    let Some(account) = s.start(id, Busy::Confirming) else {
        return;
    };
    let result = s
        .renova
        .accounts()
        .confirm_endpoint(&account, kind, url)
        .await;
    s.observe(&result);
    if let Err(e) = result {
        s.failed(id, e, false);
    }
    s.end(id);
}

/// Revoke at the provider and forget the tokens.
pub(super) async fn revoke(s: Arc<Shared>, id: AccountId) {
    let Some(account) = s.start(id, Busy::Revoking) else {
        return;
    };
    let result = s.renova.accounts().revoke(&account).await;
    s.observe(&result);
    if let Err(e) = result {
        s.failed(id, e, false);
    }
    s.end(id);
}

/// Remove the account and its keychain entry.
pub(super) async fn remove(s: Arc<Shared>, id: AccountId) {
    let Some(account) = s.start(id, Busy::Removing) else {
        return;
    };
    let result = s.renova.accounts().remove(&account).await;
    s.observe(&result);
    match result {
        Ok(()) => s.send(Event::Removed(account.name.clone())),
        Err(e) => s.failed(id, e, false),
    }
    s.end(id);
}

/// Add or edit an account from the dialog; then authorize it, or send its token to
/// Postman, if the dialog asked for that.
pub(super) async fn save(s: Arc<Shared>, draft: Draft) {
    let given = draft.given_secrets(s.renova.now());
    // New credentials are tried once, so the person learns now whether they work.
    let client_changed = draft
        .original
        .as_ref()
        .is_some_and(|o| o.client_id != draft.client_id.trim());
    let new_credentials =
        given.client_secret.is_some() || given.refresh_token.is_some() || client_changed;
    let result = store_draft(&s, &draft, given).await;
    s.observe(&result);
    match result {
        Ok(account) => {
            s.send(Event::Saved {
                id: account.id,
                name: account.name.clone(),
            });
            s.publish();
            let can_refresh = s.snapshot().state.get(&account.id).has_refresh_token;
            if draft.authorize_after {
                authorize::authorize(&s, account.id);
            } else if new_credentials && can_refresh {
                // The refresh also sends the new token to Postman.
                try_saved(s.clone(), account.id).await;
            } else if target(&account).is_some()
                && let Err(e) = s.renova.postman().sync_now(&account).await
            {
                tracing::debug!("no Postman sync now: {e}");
            }
        }
        Err(e) => s.send(Event::SaveFailed(Arc::new(e))),
    }
    s.publish();
}

/// Adds the draft's account, or saves the edit of the account it was opened on.
async fn store_draft(s: &Shared, draft: &Draft, given: GivenSecrets) -> Result<AccountConfig> {
    let settings = draft.account_settings();
    let Some(id) = draft.editing else {
        return s.renova.accounts().add(&draft.name, &settings, given).await;
    };
    let Some(current) = s.account(&id) else {
        return Err(Error::NoSuchAccount(draft.name.clone()));
    };
    let secrets_given = given.client_secret.is_some()
        || given.refresh_token.is_some()
        || given.access_token.is_some();
    let rename = (current.name != draft.name.trim()).then_some(draft.name.as_str());
    s.renova
        .accounts()
        .edit(&current, rename, &settings, secrets_given.then_some(given))
        .await
}

/// One refresh with credentials just saved: "Connected", or the failure, which the card
/// (scrolled into view and outlined) shows with its fix; the "Saved" toast stays.
async fn try_saved(s: Arc<Shared>, id: AccountId) {
    let Some(account) = s.start(id, Busy::Refreshing) else {
        return;
    };
    let result = s.renova.refresh(&account).await;
    s.observe(&result);
    if result.is_ok() {
        s.send(Event::Connected {
            name: account.name.clone(),
            provider: account.provider,
        });
    }
    s.end(id);
}
