//! Whether an account needs the person, and why: one [`Cause`] and the one [`Action`] that
//! fixes it. The window's order, summary line and cards, the tray's red dot, count and menu,
//! `renova list` (its state word and `--json`'s `attention`) and `doctor` all read this; none
//! decides it for itself.

use jiff::Timestamp;
use serde::Serialize;

use crate::core::config::AccountConfig;
use crate::core::expiry::Freshness;
use crate::core::input::InputError;
use crate::core::provider::{ProviderError, Reason};
use crate::core::state::{AccountState, Status, StoredError};

/// Why an account needs the person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Cause {
    /// The provider refused the app's client ID or client secret.
    WrongClient,
    /// The provider no longer accepts the refresh token (revoked, expired, refused), or a
    /// rotated one could not be kept.
    RefreshRefused,
    /// The provider refused the redirect URI.
    BadRedirect,
    /// The account has no refresh token yet (never authorized, or revoked).
    NotConnected,
    /// No answer came from the provider (a timeout, a refused connection, the network).
    Unreachable,
    /// The provider answered with an error of its own (5xx).
    ProviderFailing,
    /// The provider asked Renova to wait.
    RateLimited,
    /// The keychain could not be used for this account.
    Keychain,
    /// `accounts.toml` names an endpoint the keychain entry was not set up for.
    EndpointChanged,
    /// The token expired.
    Expired,
    /// A static token expires within `[defaults] static_warning`.
    ExpiresSoon,
    /// A static token expired.
    StaticExpired,
    /// Anything else: an answer Renova could not use, a setting it refused.
    Other,
}

impl Cause {
    /// The provider or the network failed: it may pass by itself (amber, not red).
    pub fn is_transient(self) -> bool {
        matches!(
            self,
            Cause::Unreachable | Cause::ProviderFailing | Cause::RateLimited
        )
    }

    /// Not urgent yet: it may pass by itself, or the token works for days more (amber, not
    /// red).
    pub fn can_wait(self) -> bool {
        self.is_transient() || self == Cause::ExpiresSoon
    }

    /// A static token running out: only the person can paste a new one.
    pub fn replaced_by_hand(self) -> bool {
        matches!(self, Cause::ExpiresSoon | Cause::StaticExpired)
    }

    /// The refresh token cannot get a new token until the person acts.
    pub fn blocks_refresh(self) -> bool {
        matches!(
            self,
            Cause::WrongClient | Cause::RefreshRefused | Cause::NotConnected | Cause::BadRedirect
        )
    }
}

/// The one thing that fixes a cause.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Enter the client secret again (`renova edit NAME --secrets`).
    EditSecret,
    /// Change the account's settings (the redirect URI).
    EditSettings,
    /// Authorize in the browser, the first time.
    Connect,
    /// Authorize in the browser again.
    Authorize,
    /// Ask the provider again now.
    RetryNow,
    /// Use the keychain again (reading the account's entry clears its error).
    RetryKeychain,
    /// Confirm the endpoint `accounts.toml` now names.
    ConfirmEndpoint,
    /// Refresh the token.
    Refresh,
    /// Paste a new static token (`renova edit NAME --secrets`).
    ReplaceToken,
}

/// An account that needs the person: why, and what fixes it (`None`: nothing Renova offers;
/// the explanation says what to look at).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Attention {
    /// Why.
    pub cause: Cause,
    /// What fixes it.
    pub action: Option<Action>,
}

/// The cause of a recorded failure.
fn cause_of(error: &StoredError) -> Cause {
    match error {
        StoredError::Provider(e) => cause_of_provider(e),
        StoredError::Keychain(_) => Cause::Keychain,
        // The old refresh token is spent and the new one was not kept.
        StoredError::RotationLost(_) => Cause::RefreshRefused,
        StoredError::Input(InputError::EndpointChanged(_)) => Cause::EndpointChanged,
        StoredError::Input(_) => Cause::Other,
    }
}

fn cause_of_provider(e: &ProviderError) -> Cause {
    match e.reason {
        Reason::WrongClient => Cause::WrongClient,
        Reason::DeadRefreshToken | Reason::Refused | Reason::CodeRejected => Cause::RefreshRefused,
        Reason::BadRedirect => Cause::BadRedirect,
        Reason::RateLimited => Cause::RateLimited,
        Reason::ProviderFailing => Cause::ProviderFailing,
        Reason::Unreachable => Cause::Unreachable,
        Reason::BadAnswer => Cause::Other,
    }
}

/// Whether an account needs the person at `now`, and why: the last failure recorded in
/// `state.json` (by any process) until a success clears it; else no refresh token (or
/// `tokens_gone`: revoked, and the access token ran out); else a keychain error; else an
/// expired token.
pub(super) fn attention(
    account: &AccountConfig,
    state: &AccountState,
    tokens_gone: bool,
    now: Timestamp,
) -> Option<Attention> {
    let cause = match &state.last_error {
        Some(error) => cause_of(error),
        None if state.status == Status::NeedsAuthorization || tokens_gone => Cause::NotConnected,
        None if state.status == Status::KeychainError => Cause::Keychain,
        // Failing, with the failure unreadable (written by a newer Renova).
        None if state.status == Status::Failing => Cause::Other,
        None if state.expires_at.is_some_and(|e| e <= now) => Cause::Expired,
        None => return None,
    };
    // While the provider asks Renova to wait, no button asks again before then.
    let told_to_wait = cause == Cause::RateLimited
        && account.auto_refresh
        && state.retry_at.is_some_and(|at| at > now);
    let action = match cause {
        Cause::WrongClient => Some(Action::EditSecret),
        Cause::RefreshRefused => Some(Action::Authorize),
        Cause::BadRedirect => Some(Action::EditSettings),
        Cause::NotConnected => Some(Action::Connect),
        Cause::RateLimited if told_to_wait => None,
        Cause::Unreachable | Cause::ProviderFailing | Cause::RateLimited => Some(Action::RetryNow),
        Cause::Keychain => Some(Action::RetryKeychain),
        Cause::EndpointChanged => Some(Action::ConfirmEndpoint),
        Cause::Expired if state.has_refresh_token => Some(Action::Refresh),
        Cause::Expired => Some(Action::Connect),
        Cause::ExpiresSoon | Cause::StaticExpired => Some(Action::ReplaceToken),
        Cause::Other => None,
    };
    Some(Attention { cause, action })
}

/// Whether a static token needs the person: a failure recorded for it (the keychain, an
/// endpoint, a check), else its expiry, near or past.
pub(super) fn of_static(
    state: &AccountState,
    token: Freshness,
    missing: bool,
) -> Option<Attention> {
    if let Some(error) = &state.last_error {
        let cause = cause_of(error);
        let action = match cause {
            Cause::Keychain => Some(Action::RetryKeychain),
            Cause::EndpointChanged => Some(Action::ConfirmEndpoint),
            _ => None,
        };
        return Some(Attention { cause, action });
    }
    let cause = match token {
        _ if missing => Cause::NotConnected,
        Freshness::Expired => Cause::StaticExpired,
        Freshness::Expiring => Cause::ExpiresSoon,
        Freshness::Valid if state.status == Status::KeychainError => Cause::Keychain,
        Freshness::Valid => return None,
    };
    let action = match cause {
        Cause::Keychain => Some(Action::RetryKeychain),
        _ => Some(Action::ReplaceToken),
    };
    Some(Attention { cause, action })
}
