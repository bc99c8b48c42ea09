//! What the window shows, as data: the worker sends a [`Snapshot`] after every change (its own
//! or one seen in `accounts.toml` / `state.json`), and [`card_status`] turns one account of it
//! into what its card says at `now`, by the core's status rule plus what is in flight. Pure
//! functions, tested without a window.

use std::collections::BTreeMap;
use std::sync::Arc;

use jiff::Timestamp;

use crate::agent::control::Background;
use crate::core::account::AccountId;
use crate::core::clock::seconds_until;
use crate::core::config::{AccountConfig, Config, Defaults};
use crate::core::error::Error;
use crate::core::keychain::KeychainError;
use crate::core::state::State;
use crate::core::status::{self, AccountStatus, Condition};

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

impl KeychainHealth {
    /// Whether automatic work may use the keychain (not while it fails or waits for a password:
    /// that would only pile up prompts).
    pub fn usable(&self) -> bool {
        matches!(self, KeychainHealth::Ok | KeychainHealth::Unknown)
    }
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

/// The state line of a card.
#[derive(Debug, Clone, PartialEq)]
pub enum CardState {
    /// More than the lead time left.
    Valid,
    /// Within the lead time.
    Expiring,
    /// Expired (or never obtained).
    Expired,
    /// An operation is running.
    Busy(Busy),
    /// A transient failure; retrying in this many seconds.
    Retrying(i64),
    /// Needs the user to authorize again.
    NeedsAuthorization,
    /// The keychain failed for this account.
    KeychainError,
}

/// What a card shows at `now`.
#[derive(Debug, Clone, PartialEq)]
pub struct CardStatus {
    /// The state line.
    pub state: CardState,
    /// Seconds until expiry (negative when past), if known.
    pub seconds_left: Option<i64>,
    /// Fraction of the token's life remaining, 0–1, for the draining bar.
    pub fraction: f32,
    /// CRM refresh token unused for more than 10 days.
    pub refresh_token_ageing: bool,
}

/// A card's status: the core's, unless an operation is in flight.
pub fn card_status(status: &AccountStatus, busy: Option<Busy>, now: Timestamp) -> CardStatus {
    let state = match (busy, status.condition) {
        (Some(b), _) => CardState::Busy(b),
        (None, Condition::Valid) => CardState::Valid,
        (None, Condition::Expiring) => CardState::Expiring,
        (None, Condition::Expired) => CardState::Expired,
        (None, Condition::Retrying { at, .. }) => {
            CardState::Retrying(seconds_until(now, at).max(0))
        }
        (None, Condition::NeedsAuthorization) => CardState::NeedsAuthorization,
        (None, Condition::KeychainError) => CardState::KeychainError,
    };
    CardStatus {
        state,
        seconds_left: status.seconds_left,
        fraction: status.fraction,
        refresh_token_ageing: status.refresh_token_ageing,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::config::ProviderKind;
    use crate::core::state::{AccountState, Status};
    use crate::core::status::tests::{at, mirror};

    fn card(state: &AccountState, busy: Option<Busy>, now: &str) -> CardStatus {
        let account = AccountConfig::new("loja", ProviderKind::RdStation, "id");
        let status = status::of(&account, &Defaults::default(), state, at(now));
        card_status(&status, busy, at(now))
    }

    #[test]
    fn countdown_and_bar_at_a_fixed_time() {
        let s = card(&mirror(), None, "2026-11-26T12:00:00Z");
        assert_eq!(s.state, CardState::Valid);
        assert_eq!(s.seconds_left, Some(43_200));
        assert!((s.fraction - 0.5).abs() < 1e-6);
        let s = card(&mirror(), None, "2026-11-26T23:55:00Z");
        assert_eq!(s.state, CardState::Expiring);
        let s = card(&mirror(), None, "2026-11-27T00:00:01Z");
        assert_eq!(s.state, CardState::Expired);
        assert_eq!(s.fraction, 0.0);
    }

    #[test]
    fn busy_and_retry_and_needs_auth_win_over_time() {
        let now = "2026-11-26T12:00:00Z";
        assert_eq!(
            card(&mirror(), Some(Busy::Refreshing), now).state,
            CardState::Busy(Busy::Refreshing)
        );
        let failing = AccountState {
            status: Status::Failing,
            retry_at: Some(at("2026-11-26T12:00:30Z")),
            ..mirror()
        };
        assert_eq!(card(&failing, None, now).state, CardState::Retrying(30));
        let mut m = mirror();
        m.status = Status::NeedsAuthorization;
        assert_eq!(card(&m, None, now).state, CardState::NeedsAuthorization);
    }
}
