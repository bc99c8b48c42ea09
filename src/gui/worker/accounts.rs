//! The operations on one account: refresh, copy, check, confirming its endpoints, revoke,
//! remove, and saving the add/edit dialog. Each marks the account busy, calls the core, and reports back.

use std::sync::Arc;

use crate::core::account::AccountId;
use crate::core::clock;
use crate::core::config::AccountConfig;
use crate::core::error::Error;
use crate::core::postman::target;
use crate::core::secrets::EndpointKind;
use crate::core::token_format::{self, TokenFormat};
use crate::gui::draft::Draft;
use crate::gui::message::Event;
use crate::gui::snapshot::Busy;
use crate::gui::worker::shared::Shared;
use crate::platform::clipboard::CopyHash;

impl Shared {
    /// Tells the UI that what the user asked for failed.
    fn failed(&self, id: AccountId, error: Error) {
        self.send(Event::Failed {
            id,
            error: Arc::new(error),
            on_card: false,
        });
    }

    /// A refresh (or the one before a copy) failed: a provider's refusal or outage is in
    /// `state.json`, so the card shows it.
    fn failed_on_card(&self, id: AccountId, error: Error) {
        self.send(Event::Failed {
            id,
            on_card: matches!(error, Error::Provider(_)),
            error: Arc::new(error),
        });
    }

    /// Refresh: `manual` (the button) goes to the network now; automatic only when due.
    pub(super) async fn refresh(self: Arc<Self>, id: AccountId, manual: bool) {
        let Some(account) = self.start(id, Busy::Refreshing) else {
            return;
        };
        let result = if manual {
            self.renova.refresh(&account).await
        } else {
            self.renova.refresh_if_due(&account).await
        };
        self.observe(&result);
        // `state.json` keeps the failure and its backoff; a click also gets a toast.
        if let Err(e) = result
            && manual
        {
            self.failed_on_card(id, e);
        }
        self.end(id);
    }

    /// Copy: a token that lasts (refreshed first when it has less than the copy minimum
    /// left), through the clipboard port, with the clear timer.
    pub(super) async fn copy(self: Arc<Self>, id: AccountId, format: TokenFormat) {
        let Some(account) = self.start(id, Busy::Copying) else {
            return;
        };
        let clear_after = self.snapshot().defaults().clipboard_clear.0;
        match self.copy_token(&account, format).await {
            Ok(hash) => {
                let clear_at = clock::add(self.renova.now(), clear_after);
                let deadline = self.renova.elapsed() + clear_after;
                if let Ok(mut c) = self.copied.lock() {
                    *c = Some((hash, deadline));
                }
                self.send(Event::Copied {
                    id,
                    format,
                    clear_at,
                });
            }
            Err(e) => self.failed_on_card(id, e),
        }
        self.end(id);
    }

    /// Puts the account's token on the clipboard in `format`; returns the copy's hash.
    async fn copy_token(
        &self,
        account: &AccountConfig,
        format: TokenFormat,
    ) -> Result<CopyHash, Error> {
        let mut outcome = self.renova.token_to_copy(account).await;
        self.observe(&outcome);
        // The refresh before a copy failed (the card now says why): a token that still works
        // is copied all the same, as the card promises.
        if let Err(Error::Provider(_)) = &outcome
            && let Ok(still) = self.renova.token(account, std::time::Duration::ZERO).await
        {
            outcome = Ok(still);
        }
        let text = token_format::render(format, &outcome?)?;
        self.clipboard.set(text).await.map_err(|e| {
            Error::io(
                "copying to the clipboard",
                "clipboard",
                std::io::Error::other(e),
            )
        })
    }

    /// Check: whose account the token belongs to.
    pub(super) async fn check(self: Arc<Self>, id: AccountId) {
        let Some(account) = self.start(id, Busy::Checking) else {
            return;
        };
        let result = self.renova.check(&account).await;
        self.observe(&result);
        match result {
            Ok(name) => self.send(Event::Checked { id, name }),
            Err(e) => self.failed(id, e),
        }
        self.end(id);
    }

    /// Confirm: the endpoint now in `accounts.toml` is the user's.
    pub(super) async fn confirm_endpoint(
        self: Arc<Self>,
        id: AccountId,
        kind: EndpointKind,
        url: &str,
    ) {
        let Some(account) = self.start(id, Busy::Confirming) else {
            return;
        };
        let result = self.renova.confirm_endpoint(&account, kind, url).await;
        self.observe(&result);
        if let Err(e) = result {
            self.failed(id, e);
        }
        self.end(id);
    }

    /// Revoke at the provider and forget the tokens.
    pub(super) async fn revoke(self: Arc<Self>, id: AccountId) {
        let Some(account) = self.start(id, Busy::Revoking) else {
            return;
        };
        let result = self.renova.revoke(&account).await;
        self.observe(&result);
        if let Err(e) = result {
            self.failed(id, e);
        }
        self.end(id);
    }

    /// Remove the account and its keychain entry.
    pub(super) async fn remove(self: Arc<Self>, id: AccountId) {
        let Some(account) = self.start(id, Busy::Removing) else {
            return;
        };
        let result = self.renova.remove(&account).await;
        self.observe(&result);
        match result {
            Ok(()) => self.send(Event::Removed(account.name.clone())),
            Err(e) => self.failed(id, e),
        }
        self.end(id);
    }

    /// Add or edit an account from the dialog; then authorize it, or send its token to
    /// Postman, if the dialog asked for that.
    pub(super) async fn save(self: Arc<Self>, draft: Draft) {
        let settings = draft.account_settings();
        let given = draft.given_secrets(self.renova.now());
        // New credentials are tried once, so the person learns now whether they work.
        let client_changed = draft
            .original
            .as_ref()
            .is_some_and(|o| o.client_id != draft.client_id.trim());
        let new_credentials =
            given.client_secret.is_some() || given.refresh_token.is_some() || client_changed;
        let result = match draft.editing {
            None => self.renova.add(&draft.name, &settings, given).await,
            Some(id) => match self.account(&id) {
                Some(current) => {
                    let secrets_given = given.client_secret.is_some()
                        || given.refresh_token.is_some()
                        || given.access_token.is_some();
                    let rename = (current.name != draft.name.trim()).then_some(draft.name.as_str());
                    self.renova
                        .edit(&current, rename, &settings, secrets_given.then_some(given))
                        .await
                }
                None => Err(Error::NoSuchAccount(draft.name.clone())),
            },
        };
        self.observe(&result);
        match result {
            Ok(account) => {
                self.send(Event::Saved {
                    id: account.id,
                    name: account.name.clone(),
                });
                self.publish();
                let can_refresh = self.snapshot().state.get(&account.id).has_refresh_token;
                if draft.authorize_after {
                    self.clone().authorize(account.id);
                } else if new_credentials && can_refresh {
                    // The refresh also sends the new token to Postman.
                    self.clone().try_saved(account.id).await;
                } else if target(&account).is_some()
                    && let Err(e) = self.renova.sync_postman_now(&account).await
                {
                    tracing::debug!("no Postman sync now: {e}");
                }
            }
            Err(e) => self.send(Event::SaveFailed(Arc::new(e))),
        }
        self.publish();
    }

    /// One refresh with credentials just saved: "Connected", or the failure, which the card
    /// (scrolled into view and outlined) shows with its fix; the "Saved" toast stays.
    async fn try_saved(self: Arc<Self>, id: AccountId) {
        let Some(account) = self.start(id, Busy::Refreshing) else {
            return;
        };
        let result = self.renova.refresh(&account).await;
        self.observe(&result);
        if result.is_ok() {
            self.send(Event::Connected {
                name: account.name.clone(),
                provider: account.provider,
            });
        }
        self.end(id);
    }
}
