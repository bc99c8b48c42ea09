//! [`Accounts`]: what changes an account — add, edit, remove, authorize, check, revoke,
//! confirm an endpoint — and the keychain entries an interrupted `add` left.

use jiff::Timestamp;
use secrecy::SecretString;

use crate::core::account::AccountId;
use crate::core::accounts::{self, AccountSettings, GivenSecrets, Orphans};
use crate::core::authorize::{self, Authorization};
use crate::core::binding;
use crate::core::check;
use crate::core::config::{AccountConfig, Config, Defaults};
use crate::core::error::Result;
use crate::core::renova::Renova;
use crate::core::revoke;
use crate::core::secrets::EndpointKind;
use crate::core::state::State;

/// Accounts: see the module.
pub struct Accounts<'a> {
    pub(super) r: &'a Renova,
}

impl<'a> Accounts<'a> {
    /// `renova add`.
    pub async fn add(
        &self,
        name: &str,
        settings: &AccountSettings,
        given: GivenSecrets,
    ) -> Result<AccountConfig> {
        accounts::add(&self.r.cx.store, name, settings, given).await
    }

    /// `renova edit`.
    pub async fn edit(
        &self,
        account: &AccountConfig,
        rename: Option<&str>,
        settings: &AccountSettings,
        given: Option<GivenSecrets>,
    ) -> Result<AccountConfig> {
        accounts::edit(&self.r.cx.store, account, rename, settings, given).await
    }

    /// `renova remove`.
    pub async fn remove(&self, account: &AccountConfig) -> Result<()> {
        accounts::remove(&self.r.cx.store, account).await.map(drop)
    }

    /// "Forget everything": every account and its keychain entry.
    pub async fn forget_everything(&self) -> Result<usize> {
        accounts::forget_everything(&self.r.cx.store).await
    }

    /// Finishes removals that were interrupted.
    pub async fn finish_pending_removals(&self) {
        accounts::finish_pending_removals(&self.r.cx.store).await;
    }

    /// Saves the `[defaults]` of `accounts.toml`, keeping keys a newer Renova wrote.
    pub fn save_defaults(&self, defaults: &Defaults) -> Result<()> {
        Config::update(self.r.cx.store.paths(), |c| {
            c.defaults = Defaults {
                extra: c.defaults.extra.clone(),
                ..defaults.clone()
            };
            Ok(())
        })
    }

    /// The window's Confirm on an endpoint the keychain entry did not know: binds that one
    /// endpoint to `url`, the address the card showed (if `accounts.toml` still names it).
    pub async fn confirm_endpoint(
        &self,
        account: &AccountConfig,
        kind: EndpointKind,
        url: &str,
    ) -> Result<()> {
        binding::confirm(&self.r.cx.store, account, kind, url).await
    }

    /// `renova check`: the account's name at the provider.
    pub async fn check(&self, account: &AccountConfig) -> Result<String> {
        check::check(&self.r.cx, account).await
    }

    /// `renova revoke`. `Ok(false)`: the refresh token was already invalid.
    pub async fn revoke(&self, account: &AccountConfig) -> Result<bool> {
        revoke::revoke(&self.r.cx, account).await
    }

    /// Reads the account's keychain entry, to prove it is there and readable. Like every
    /// read, it keeps `state.json` in step: a keychain error noted earlier is cleared, a
    /// missing entry marks the account as needing authorization, a failure is noted.
    pub async fn check_entry(&self, account: &AccountConfig) -> Result<()> {
        self.r.cx.store.read_entry(account).await.map(drop)
    }

    /// Keychain entries of the `renova` service that no account of this profile uses: those
    /// an interrupted `add` of this profile left, and those it knows nothing of.
    pub async fn orphaned_entries(&self) -> Result<Orphans> {
        accounts::orphans(&self.r.cx.store).await
    }

    /// Deletes the entry an interrupted `add` of this profile left (under the account's lock,
    /// checking again there). `Ok(false)`: it turned out not to be one.
    pub async fn remove_orphaned_entry(&self, id: &AccountId) -> Result<bool> {
        accounts::remove_interrupted(&self.r.cx.store, id).await
    }

    /// Starts authorizing `account` in the browser.
    pub async fn begin_authorize(
        &self,
        account: &AccountConfig,
        port: Option<u16>,
    ) -> Result<Authorization> {
        authorize::begin(&self.r.cx, account, port).await
    }

    /// Exchanges the code and stores the tokens. Returns when the token expires.
    pub async fn finish_authorize(
        &self,
        session: &Authorization,
        code: &SecretString,
    ) -> Result<Timestamp> {
        authorize::finish(&self.r.cx, session, code).await
    }

    /// Claims the one notification of this incident (the account needs the user): `true` for
    /// the one process, window or agent, that should show it; `false` when one already did.
    /// The claim survives restarts.
    pub fn claim_notification(&self, account: &AccountConfig, at: Timestamp) -> Result<bool> {
        Ok(State::claim_notification(
            self.r.cx.store.paths(),
            &account.id,
            at,
        )?)
    }
}
