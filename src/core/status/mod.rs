//! The one status rule. From an account's settings, its `[defaults]`, its `state.json` mirror
//! and `now`, it decides what the account's condition is, whether it needs the person and why
//! ([`attention`]), whether it is due for automatic refresh and when it next will be, and
//! which lead time applies. `renova list`, `doctor`, the automatic pass, the tray, the endpoint
//! and the window all ask here; nothing else decides these things.

mod attention;

use std::time::Duration;

use jiff::Timestamp;

use crate::core::clock::{self, seconds_until};
use crate::core::config::{AccountConfig, Defaults, ProviderKind};
use crate::core::expiry::{self, Freshness};
use crate::core::provider::Reason;
use crate::core::state::{AccountState, Status, StoredError};
pub(crate) use attention::{Action, Attention, Cause};

/// How long a CRM refresh token may sit unused before Renova warns (it dies at 14 days).
pub(crate) const CRM_IDLE_WARNING: Duration = Duration::from_secs(10 * 86_400);

/// Automatic refreshes of one account are at least this far apart.
pub(crate) const MIN_AUTOMATIC_SPACING: Duration = Duration::from_secs(30);

/// The account's lead time: its own, else `[defaults]`. (An RD Station CRM account gets RD's
/// recommended 5 minutes as its own when it is added.)
pub(crate) fn lead_time(defaults: &Defaults, account: &AccountConfig) -> Duration {
    account.lead_time.map_or(defaults.lead_time.0, |d| d.0)
}

/// How long a copied token must stay valid, else it is refreshed first: the account's own
/// minimum, else `[defaults]`, halved for short-lived tokens like the lead time.
pub(crate) fn copy_minimum(
    defaults: &Defaults,
    account: &AccountConfig,
    state: &AccountState,
) -> Duration {
    let configured = account
        .copy_min_valid
        .map_or(defaults.copy_min_valid.0, |d| d.0);
    expiry::effective(
        configured,
        expiry::lifetime(state.expires_at, state.obtained_at),
    )
}

/// What an account needs, in one word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Condition {
    /// More than the lead time left.
    Valid,
    /// Within the lead time.
    Expiring,
    /// Expired, or never obtained.
    Expired,
    /// A transient failure; the next automatic attempt is at `at`.
    Retrying {
        /// When automatic refresh tries again.
        at: Timestamp,
        /// How the stored token stands meanwhile.
        token: Freshness,
    },
    /// Needs the user to authorize again.
    NeedsAuthorization,
    /// The keychain failed the last time this account was used.
    KeychainError,
}

impl Condition {
    /// The condition as `renova list` reports it: a retrying account by its token's freshness.
    pub fn for_list(self) -> Self {
        match self {
            Condition::Retrying { token, .. } => match token {
                Freshness::Valid => Condition::Valid,
                Freshness::Expiring => Condition::Expiring,
                Freshness::Expired => Condition::Expired,
            },
            other => other,
        }
    }

    /// The word used in `renova list --json`.
    pub fn as_str(self) -> &'static str {
        match self.for_list() {
            Condition::Valid | Condition::Retrying { .. } => "valid",
            Condition::Expiring => "expiring",
            Condition::Expired => "expired",
            Condition::NeedsAuthorization => "needs_authorization",
            Condition::KeychainError => "keychain_error",
        }
    }
}

/// An account at a moment.
#[derive(Debug, Clone, PartialEq)]
pub struct AccountStatus {
    /// Its condition.
    pub condition: Condition,
    /// Seconds until the stored token expires (negative when past), if known.
    pub seconds_left: Option<i64>,
    /// Fraction of the token's life remaining, 0–1 (the window's draining bar).
    pub fraction: f32,
    /// The lead time that applies.
    pub lead: Duration,
    /// Automatic refresh should run now.
    pub due: bool,
    /// RD Station CRM: the refresh token has not been used for more than 10 days.
    pub refresh_token_ageing: bool,
    /// It needs the user and has not been notified of it yet.
    pub should_notify: bool,
    /// Whether it needs the person, why, and what fixes it.
    pub attention: Option<Attention>,
    /// After a failure that may pass: when the automatic pass asks the provider again (what
    /// the card, `list` and the endpoint's `Retry-After` say).
    pub next_try: Option<Timestamp>,
    /// A token can be handed out now, or after a refresh: the stored one still works, or
    /// there is a refresh token and nothing that stops a refresh. The window offers Copy and
    /// the tray its Copy entry only then.
    pub copyable: bool,
    /// A static token with no expiry: it does not expire (every surface says so where a
    /// countdown would be).
    pub never_expires: bool,
    /// A refresh can get a new token (not a static token: that is replaced by hand). The
    /// window offers Refresh, and the tray's Refresh all asks, only then.
    pub refreshable: bool,
    /// When automatic refresh is next due (`now` when it is), or `None` when it never will be
    /// on its own (automatic refresh off, authorization needed, being removed). What the
    /// background agent sleeps until.
    pub next_due: Option<Timestamp>,
}

impl AccountStatus {
    /// Where the account goes in a list ordered by attention (the window's, the tray's menu):
    /// those that need the person first, then the least time left (no token: last). Callers
    /// break ties by name ([`crate::core::account::fold`]).
    pub(crate) fn attention_rank(&self) -> (bool, i64) {
        (
            self.attention.is_none(),
            self.seconds_left.unwrap_or(i64::MAX),
        )
    }
}

/// Whether the last refresh failed in a way that passes by itself (the network, the provider
/// down, the provider asking to wait): such a failure is tried again when its backoff ends,
/// even while the stored token is still good, so the account does not stay marked until its
/// lead time. An answer Renova could not use is not: asking again would get the same.
pub(crate) fn retry_pending(state: &AccountState) -> bool {
    state.status == Status::Failing
        && matches!(
            &state.last_error,
            Some(StoredError::Provider(e))
                if matches!(e.reason, Reason::Unreachable | Reason::ProviderFailing | Reason::RateLimited)
        )
}

/// The status of `account` at `now`, from its mirror alone (no keychain).
pub(crate) fn of(
    account: &AccountConfig,
    defaults: &Defaults,
    state: &AccountState,
    now: Timestamp,
) -> AccountStatus {
    if account.provider.is_static() {
        return of_static(account, defaults, state, now);
    }
    let lead = lead_time(defaults, account);
    let seconds_left = state.expires_at.map(|e| seconds_until(now, e));
    let token = expiry::freshness(state.expires_at, state.obtained_at, lead, now);
    // A refresh token deleted by a revoke, with no valid access token left.
    let tokens_gone = state.rev > 0 && !state.has_refresh_token && token == Freshness::Expired;
    let condition = condition(account, state, token, tokens_gone, now);
    let (due, next_due) = schedule(account, state, (condition, token, lead), now);
    let refresh_token_ageing = account.provider == ProviderKind::RdStationCrm
        && state.has_refresh_token
        && state
            .refresh_token_used_at
            .is_some_and(|t| seconds_until(t, now) > CRM_IDLE_WARNING.as_secs() as i64);
    let next_try = match condition {
        Condition::Retrying { .. } => next_due,
        _ => None,
    };
    let attention = attention::attention(account, state, tokens_gone, now);
    let copyable = seconds_left.is_some_and(|s| s > 0)
        || (state.has_refresh_token && !attention.is_some_and(|a| a.cause.blocks_refresh()));
    AccountStatus {
        attention,
        copyable,
        never_expires: false,
        refreshable: true,
        next_try,
        condition,
        seconds_left,
        fraction: fraction_left(state, seconds_left),
        lead,
        due,
        refresh_token_ageing,
        should_notify: state.status == Status::NeedsAuthorization && state.notified_at.is_none(),
        next_due,
    }
}

/// The status of a static token: never refreshed, so never due; valid until `[defaults]
/// static_warning` before its expiry (a JWT's `exp`, or the date the person gave), then
/// expiring, then expired, each with the person's one fix: Replace token. Without an expiry
/// it is valid for good. The agent wakes when the warning starts (and at the expiry, to
/// redraw): the one notification is claimed when the warning starts, or at the expiry if no
/// process ran before then; a new token pasted starts a new incident.
fn of_static(
    account: &AccountConfig,
    defaults: &Defaults,
    state: &AccountState,
    now: Timestamp,
) -> AccountStatus {
    let warning = defaults.static_warning.0;
    let seconds_left = state.expires_at.map(|e| seconds_until(now, e));
    let token = match seconds_left {
        Some(left) if left <= 0 => Freshness::Expired,
        Some(left) if left.unsigned_abs() <= warning.as_secs() => Freshness::Expiring,
        _ => Freshness::Valid,
    };
    // No entry (deleted behind Renova's back): nothing to hand out until a new one is pasted.
    let missing = state.status == Status::NeedsAuthorization;
    let condition = match state.status {
        Status::KeychainError => Condition::KeychainError,
        Status::NeedsAuthorization => Condition::NeedsAuthorization,
        _ => match token {
            Freshness::Valid => Condition::Valid,
            Freshness::Expiring => Condition::Expiring,
            Freshness::Expired => Condition::Expired,
        },
    };
    let attention = attention::of_static(state, token, missing);
    let warn_at = state.expires_at.map(|e| clock::sub(e, warning));
    let next_due = [warn_at, state.expires_at]
        .into_iter()
        .flatten()
        .find(|at| *at > now);
    AccountStatus {
        condition,
        seconds_left,
        fraction: fraction_left(state, seconds_left),
        lead: warning,
        due: false,
        refresh_token_ageing: false,
        should_notify: attention.is_some_and(|a| a.cause.replaced_by_hand())
            && state.notified_at.is_none()
            && !account.pending_delete,
        attention,
        next_try: None,
        copyable: token != Freshness::Expired && !missing,
        never_expires: state.expires_at.is_none() && !missing,
        refreshable: false,
        next_due,
    }
}

/// The fraction of the token's life remaining, 0–1 (the window's draining bar).
fn fraction_left(state: &AccountState, seconds_left: Option<i64>) -> f32 {
    match (
        expiry::lifetime(state.expires_at, state.obtained_at),
        seconds_left,
    ) {
        (Some(life), Some(left)) if left > 0 => {
            (left as f64 / life.as_secs_f64()).clamp(0.0, 1.0) as f32
        }
        _ => 0.0,
    }
}

/// Never more than one automatic attempt per account every 30 s, whatever `expires_in` or the
/// backoff say: the backoff's first steps (5, 10, 20 s) become 30 s. (A refresh the person
/// asks for is not held back.) `None`: no automatic attempt yet.
fn spaced(state: &AccountState) -> Option<Timestamp> {
    state
        .last_auto_attempt
        .map(|t| clock::add(t, MIN_AUTOMATIC_SPACING))
}

/// The account's condition: what the person last has to do, else the backoff, else the
/// token's freshness.
fn condition(
    account: &AccountConfig,
    state: &AccountState,
    token: Freshness,
    tokens_gone: bool,
    now: Timestamp,
) -> Condition {
    let spaced = spaced(state);
    let retry_at = state
        .retry_at
        .map(|at| spaced.map_or(at, |s| at.max(s)))
        .filter(|at| *at > now && state.status == Status::Failing && account.auto_refresh);
    match (state.status, retry_at) {
        (Status::NeedsAuthorization, _) => Condition::NeedsAuthorization,
        (Status::KeychainError, _) => Condition::KeychainError,
        _ if tokens_gone => Condition::NeedsAuthorization,
        (_, Some(at)) => Condition::Retrying { at, token },
        _ => match token {
            Freshness::Valid => Condition::Valid,
            Freshness::Expiring => Condition::Expiring,
            Freshness::Expired => Condition::Expired,
        },
    }
}

/// Whether automatic refresh is due now, and when it next will be (`None`: never on its
/// own).
fn schedule(
    account: &AccountConfig,
    state: &AccountState,
    (condition, token, lead): (Condition, Freshness, Duration),
    now: Timestamp,
) -> (bool, Option<Timestamp>) {
    let transient_failure = retry_pending(state);
    let spaced = spaced(state);
    // A revoke deleted the refresh token: there is nothing to refresh with, whatever the
    // access token's freshness.
    let revoked = state.rev > 0 && !state.has_refresh_token;
    let never = !account.auto_refresh
        || account.pending_delete
        || revoked
        || condition == Condition::NeedsAuthorization;
    let tried_just_now = spaced.is_some_and(|s| s > now);
    let due = !never
        && (token != Freshness::Valid || transient_failure)
        && !tried_just_now
        && !matches!(condition, Condition::Retrying { .. });
    let next_due = if due {
        Some(now)
    } else if never {
        None
    } else {
        let at = match (condition, state.expires_at) {
            (Condition::Retrying { at, .. }, _) => at,
            _ if transient_failure => now,
            (_, Some(expires_at)) => expiry::due_at(expires_at, state.obtained_at, lead),
            (_, None) => now,
        };
        Some(spaced.map_or(at, |s| at.max(s)).max(now))
    };
    (due, next_due)
}

#[cfg(test)]
pub(crate) mod tests;
