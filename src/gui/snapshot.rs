//! What the window shows, as data: the worker sends a [`Snapshot`] after every change (its own
//! or one seen in `accounts.toml` / `state.json`), and [`card_status`] turns one account of it
//! into what its card says at a given `now`. Pure functions, tested without a window.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use jiff::Timestamp;

use crate::core::account::AccountId;
use crate::core::accounts::CRM_IDLE_WARNING;
use crate::core::clock::seconds_until;
use crate::core::config::{AccountConfig, Config, ProviderKind};
use crate::core::error::Error;
use crate::core::expiry::{self, Freshness};
use crate::core::keychain::KeychainError;
use crate::core::state::{AccountState, State, Status};

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
}

/// The worker's runtime knowledge of one account (never persisted).
#[derive(Debug, Clone, Default)]
pub struct Live {
    /// An operation in progress.
    pub busy: Option<Busy>,
    /// When the next automatic retry happens, after a transient failure.
    pub retry_at: Option<Timestamp>,
    /// Transient failures in a row.
    pub attempts: u32,
    /// The last failure, until the next success.
    pub error: Option<Arc<Error>>,
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
    /// `state.json`.
    pub state: State,
    /// Per-account runtime state.
    pub live: BTreeMap<AccountId, Live>,
    /// The keychain.
    pub keychain: KeychainHealth,
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

    /// The lead time that applies to an account.
    pub fn lead_time(&self, account: &AccountConfig) -> Duration {
        let default = self
            .config
            .as_ref()
            .map_or(Duration::from_secs(600), |c| c.defaults.lead_time.0);
        account.lead_time.map_or(default, |d| d.0)
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

/// Computes a card's status from the account, its mirror and the worker's live state.
pub fn card_status(
    account: &AccountConfig,
    mirror: &AccountState,
    live: Option<&Live>,
    lead: Duration,
    now: Timestamp,
) -> CardStatus {
    let seconds_left = mirror.expires_at.map(|e| seconds_until(now, e));
    let fraction = match (
        expiry::lifetime(mirror.expires_at, mirror.obtained_at),
        seconds_left,
    ) {
        (Some(life), Some(left)) if left > 0 => {
            (left as f64 / life.as_secs_f64()).clamp(0.0, 1.0) as f32
        }
        _ => 0.0,
    };
    let state = if let Some(busy) = live.and_then(|l| l.busy) {
        CardState::Busy(busy)
    } else if mirror.status == Status::NeedsAuthorization
        || (mirror.rev > 0 && !mirror.has_refresh_token && seconds_left.is_none_or(|s| s <= 0))
    {
        CardState::NeedsAuthorization
    } else if mirror.status == Status::KeychainError {
        CardState::KeychainError
    } else if let Some(at) = retry_at(account, mirror, live).filter(|at| *at > now) {
        CardState::Retrying(seconds_until(now, at).max(0))
    } else {
        match expiry::freshness(mirror.expires_at, mirror.obtained_at, lead, now) {
            Freshness::Valid => CardState::Valid,
            Freshness::Expiring => CardState::Expiring,
            Freshness::Expired => CardState::Expired,
        }
    };
    let refresh_token_ageing = account.provider == ProviderKind::RdStationCrm
        && mirror.has_refresh_token
        && mirror
            .refresh_token_used_at
            .is_some_and(|t| seconds_until(t, now) > CRM_IDLE_WARNING.as_secs() as i64);
    CardStatus {
        state,
        seconds_left,
        fraction,
        refresh_token_ageing,
    }
}

/// When the next automatic attempt happens after failures: the later of the worker's own
/// backoff and the one every process shares in `state.json` (provider's `Retry-After`).
fn retry_at(
    account: &AccountConfig,
    mirror: &AccountState,
    live: Option<&Live>,
) -> Option<Timestamp> {
    if !account.auto_refresh {
        return None;
    }
    let shared = mirror.retry_at.filter(|_| mirror.status == Status::Failing);
    match (live.and_then(|l| l.retry_at), shared) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    }
}

/// Whether the worker should refresh this account on its own now (DESIGN §5).
pub fn auto_refresh_due(
    account: &AccountConfig,
    mirror: &AccountState,
    live: Option<&Live>,
    lead: Duration,
    now: Timestamp,
) -> bool {
    if !account.auto_refresh || account.pending_delete {
        return false;
    }
    if mirror.status == Status::NeedsAuthorization || (mirror.rev > 0 && !mirror.has_refresh_token)
    {
        return false;
    }
    if live.is_some_and(|l| l.busy.is_some()) {
        return false;
    }
    if retry_at(account, mirror, live).is_some_and(|at| at > now) {
        return false;
    }
    match mirror.expires_at {
        None => true,
        Some(exp) => now >= expiry::due_at(exp, mirror.obtained_at, lead),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    fn mirror() -> AccountState {
        AccountState {
            expires_at: Some(at("2026-11-27T00:00:00Z")),
            obtained_at: Some(at("2026-11-26T00:00:00Z")),
            rev: 2,
            has_refresh_token: true,
            ..AccountState::default()
        }
    }

    fn account() -> AccountConfig {
        AccountConfig::new("loja", ProviderKind::RdStation, "id")
    }

    const LEAD: Duration = Duration::from_secs(600);

    #[test]
    fn countdown_and_bar_at_a_fixed_time() {
        let s = card_status(
            &account(),
            &mirror(),
            None,
            LEAD,
            at("2026-11-26T12:00:00Z"),
        );
        assert_eq!(s.state, CardState::Valid);
        assert_eq!(s.seconds_left, Some(43_200));
        assert!((s.fraction - 0.5).abs() < 1e-6);
        let s = card_status(
            &account(),
            &mirror(),
            None,
            LEAD,
            at("2026-11-26T23:55:00Z"),
        );
        assert_eq!(s.state, CardState::Expiring);
        let s = card_status(
            &account(),
            &mirror(),
            None,
            LEAD,
            at("2026-11-27T00:00:01Z"),
        );
        assert_eq!(s.state, CardState::Expired);
        assert_eq!(s.fraction, 0.0);
    }

    #[test]
    fn busy_and_retry_and_needs_auth_win_over_time() {
        let live = Live {
            busy: Some(Busy::Refreshing),
            ..Live::default()
        };
        let now = at("2026-11-26T12:00:00Z");
        assert_eq!(
            card_status(&account(), &mirror(), Some(&live), LEAD, now).state,
            CardState::Busy(Busy::Refreshing)
        );
        let live = Live {
            retry_at: Some(at("2026-11-26T12:00:30Z")),
            ..Live::default()
        };
        assert_eq!(
            card_status(&account(), &mirror(), Some(&live), LEAD, now).state,
            CardState::Retrying(30)
        );
        let mut m = mirror();
        m.status = Status::NeedsAuthorization;
        assert_eq!(
            card_status(&account(), &m, None, LEAD, now).state,
            CardState::NeedsAuthorization
        );
    }

    #[test]
    fn auto_refresh_is_due_within_the_effective_lead_and_not_while_backing_off() {
        let a = account();
        let m = mirror();
        assert!(!auto_refresh_due(
            &a,
            &m,
            None,
            LEAD,
            at("2026-11-26T23:49:59Z")
        ));
        assert!(auto_refresh_due(
            &a,
            &m,
            None,
            LEAD,
            at("2026-11-26T23:50:00Z")
        ));
        // After a laptop sleeps through the expiry, it is due at once.
        assert!(auto_refresh_due(
            &a,
            &m,
            None,
            LEAD,
            at("2026-11-29T08:00:00Z")
        ));
        let backoff = Live {
            retry_at: Some(at("2026-11-26T23:51:00Z")),
            attempts: 1,
            ..Live::default()
        };
        assert!(!auto_refresh_due(
            &a,
            &m,
            Some(&backoff),
            LEAD,
            at("2026-11-26T23:50:30Z")
        ));
        assert!(auto_refresh_due(
            &a,
            &m,
            Some(&backoff),
            LEAD,
            at("2026-11-26T23:51:00Z")
        ));
        // The provider's Retry-After, shared through state.json, holds too.
        let limited = AccountState {
            status: Status::Failing,
            retry_at: Some(at("2026-11-27T05:00:00Z")),
            ..m.clone()
        };
        assert!(!auto_refresh_due(
            &a,
            &limited,
            None,
            LEAD,
            at("2026-11-27T04:59:59Z")
        ));
        assert!(auto_refresh_due(
            &a,
            &limited,
            None,
            LEAD,
            at("2026-11-27T05:00:00Z")
        ));
        let mut off = a.clone();
        off.auto_refresh = false;
        assert!(!auto_refresh_due(
            &off,
            &m,
            None,
            LEAD,
            at("2026-11-29T08:00:00Z")
        ));
        let mut needs = m.clone();
        needs.status = Status::NeedsAuthorization;
        assert!(!auto_refresh_due(
            &a,
            &needs,
            None,
            LEAD,
            at("2026-11-29T08:00:00Z")
        ));
        // A 2-minute token refreshes at half its life, not in a loop.
        let short = AccountState {
            expires_at: Some(at("2026-11-26T12:02:00Z")),
            obtained_at: Some(at("2026-11-26T12:00:00Z")),
            ..mirror()
        };
        assert!(!auto_refresh_due(
            &a,
            &short,
            None,
            LEAD,
            at("2026-11-26T12:00:59Z")
        ));
        assert!(auto_refresh_due(
            &a,
            &short,
            None,
            LEAD,
            at("2026-11-26T12:01:00Z")
        ));
    }
}
