//! What the window shows, as data: the worker sends a [`Snapshot`] after every change (its own
//! or one seen in `accounts.toml` / `state.json`): the files as read, what is in flight, and
//! the keychain's health. An account's status at `now` is the core's rule applied to it.

use std::collections::BTreeMap;
use std::sync::Arc;

use jiff::Timestamp;

use crate::agent::control::Background;
use crate::core::account::AccountId;
use crate::core::config::{AccountConfig, Config, Defaults};
use crate::core::error::Error;
use crate::core::keychain::KeychainError;
use crate::core::state::State;
use crate::core::status::{self, AccountStatus};

/// What the worker is doing with an account right now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Busy {
    /// Refreshing.
    Refreshing,
    /// Getting a token to copy (may refresh).
    Copying,
    /// Asking the provider for the account name.
    Checking,
    /// Revoking.
    Revoking,
    /// Removing.
    Removing,
    /// Authorizing in the browser.
    Authorizing,
    /// Binding the keychain entry to the endpoints in `accounts.toml` (Confirm).
    Confirming,
}

/// The keychain as the window last saw it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum KeychainHealth {
    /// Not checked yet (no account needed it).
    #[default]
    Unknown,
    /// It answered.
    Ok,
    /// Waiting for the user to unlock it (a prompt may be open).
    Waiting,
    /// It failed.
    Failed(KeychainError),
}

/// Everything the window needs from the worker.
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    /// `accounts.toml`, when it parses.
    pub config: Option<Config>,
    /// Why `accounts.toml` cannot be used (the window is read-only then).
    pub config_error: Option<Arc<Error>>,
    /// `state.json`: the record of every account's token, failures and backoff.
    pub state: State,
    /// What the worker is doing, per account (the only runtime state).
    pub busy: BTreeMap<AccountId, Busy>,
    /// The keychain.
    pub keychain: KeychainHealth,
    /// The background agent (`None`: not controlled from here, e.g. the demo).
    pub background: Option<Background>,
}

impl Snapshot {
    /// Whether a background agent keeps tokens fresh now: the window then leaves automatic
    /// refresh and notifications to it.
    pub fn agent_runs(&self) -> bool {
        self.background.is_some_and(|b| b.running)
    }
}

impl Snapshot {
    /// The accounts shown, in order.
    pub fn accounts(&self) -> Vec<&AccountConfig> {
        self.config
            .as_ref()
            .map(|c| c.visible().collect())
            .unwrap_or_default()
    }

    /// An account by id.
    pub fn account(&self, id: &AccountId) -> Option<&AccountConfig> {
        self.config
            .as_ref()
            .and_then(|c| c.by_id(id))
            .filter(|a| !a.pending_delete)
    }

    /// The `[defaults]` in force.
    pub fn defaults(&self) -> Defaults {
        self.config
            .as_ref()
            .map(|c| c.defaults.clone())
            .unwrap_or_default()
    }

    /// What the core's status rule says about an account at `now`.
    pub fn status(&self, account: &AccountConfig, now: Timestamp) -> AccountStatus {
        let mirror = self.state.get(&account.id);
        match &self.config {
            Some(c) => status::of(account, &c.defaults, &mirror, now),
            None => status::of(account, &Defaults::default(), &mirror, now),
        }
    }
}
