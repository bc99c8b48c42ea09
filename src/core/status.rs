//! The one status rule. From an account's settings, its `[defaults]`, its `state.json` mirror
//! and `now`, it decides what the account's condition is, whether it is due for automatic
//! refresh, and which lead time applies. `renova list`, `doctor`, `refresh --due` and the window
//! all ask here; nothing else decides these things.

use std::time::Duration;

use jiff::Timestamp;

use crate::core::clock::{self, seconds_until};
use crate::core::config::{AccountConfig, Defaults, ProviderKind};
use crate::core::expiry::{self, Freshness};
use crate::core::state::{AccountState, Status};

/// How long a CRM refresh token may sit unused before Renova warns (it dies at 14 days).
pub const CRM_IDLE_WARNING: Duration = Duration::from_secs(10 * 86_400);

/// Automatic refreshes of one account are at least this far apart.
pub const MIN_AUTOMATIC_SPACING: Duration = Duration::from_secs(30);

/// The account's lead time: its own, else `[defaults]`. (An RD Station CRM account gets RD's
/// recommended 5 minutes as its own when it is added.)
pub fn lead_time(defaults: &Defaults, account: &AccountConfig) -> Duration {
    account.lead_time.map_or(defaults.lead_time.0, |d| d.0)
}

/// How long a copied token must stay valid, else it is refreshed first: the account's own
/// minimum, else `[defaults]`, halved for short-lived tokens like the lead time.
pub fn copy_minimum(
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
    /// When automatic refresh is next due (`now` when it is), or `None` when it never will be
    /// on its own (automatic refresh off, authorization needed, being removed). What the
    /// background agent sleeps until.
    pub next_due: Option<Timestamp>,
}

/// The status of `account` at `now`, from its mirror alone (no keychain).
pub fn of(
    account: &AccountConfig,
    defaults: &Defaults,
    state: &AccountState,
    now: Timestamp,
) -> AccountStatus {
    let lead = lead_time(defaults, account);
    let seconds_left = state.expires_at.map(|e| seconds_until(now, e));
    let token = expiry::freshness(state.expires_at, state.obtained_at, lead, now);
    let fraction = match (
        expiry::lifetime(state.expires_at, state.obtained_at),
        seconds_left,
    ) {
        (Some(life), Some(left)) if left > 0 => {
            (left as f64 / life.as_secs_f64()).clamp(0.0, 1.0) as f32
        }
        _ => 0.0,
    };
    // A refresh token deleted by a revoke, with no valid access token left.
    let tokens_gone = state.rev > 0 && !state.has_refresh_token && token == Freshness::Expired;
    // Whatever `expires_in` or the backoff say, never more than one automatic attempt per
    // account every 30 s: the backoff's first steps (5, 10, 20 s) become 30 s. (A refresh
    // the user asks for is not held back.)
    let spaced = state
        .last_auto_attempt
        .map(|t| clock::add(t, MIN_AUTOMATIC_SPACING));
    let retry_at = state
        .retry_at
        .map(|at| spaced.map_or(at, |s| at.max(s)))
        .filter(|at| *at > now && state.status == Status::Failing && account.auto_refresh);
    let condition = match (state.status, retry_at) {
        (Status::NeedsAuthorization, _) => Condition::NeedsAuthorization,
        (Status::KeychainError, _) => Condition::KeychainError,
        _ if tokens_gone => Condition::NeedsAuthorization,
        (_, Some(at)) => Condition::Retrying { at, token },
        _ => match token {
            Freshness::Valid => Condition::Valid,
            Freshness::Expiring => Condition::Expiring,
            Freshness::Expired => Condition::Expired,
        },
    };
    // A revoke deleted the refresh token: there is nothing to refresh with, whatever the
    // access token's freshness.
    let revoked = state.rev > 0 && !state.has_refresh_token;
    let tried_just_now = spaced.is_some_and(|s| s > now);
    let due = account.auto_refresh
        && !account.pending_delete
        && token != Freshness::Valid
        && !revoked
        && !tried_just_now
        && !matches!(
            condition,
            Condition::NeedsAuthorization | Condition::Retrying { .. }
        );
    let next_due = if due {
        Some(now)
    } else if !account.auto_refresh
        || account.pending_delete
        || revoked
        || condition == Condition::NeedsAuthorization
    {
        None
    } else {
        let at = match (condition, state.expires_at) {
            (Condition::Retrying { at, .. }, _) => at,
            (_, Some(expires_at)) => expiry::due_at(expires_at, state.obtained_at, lead),
            (_, None) => now,
        };
        Some(spaced.map_or(at, |s| at.max(s)).max(now))
    };
    let refresh_token_ageing = account.provider == ProviderKind::RdStationCrm
        && state.has_refresh_token
        && state
            .refresh_token_used_at
            .is_some_and(|t| seconds_until(t, now) > CRM_IDLE_WARNING.as_secs() as i64);
    AccountStatus {
        condition,
        seconds_left,
        fraction,
        lead,
        due,
        refresh_token_ageing,
        should_notify: state.status == Status::NeedsAuthorization && state.notified_at.is_none(),
        next_due,
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn at(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    fn account() -> AccountConfig {
        AccountConfig::new("loja", ProviderKind::RdStation, "fake-id")
    }

    /// A token obtained 2026-11-26 00:00 for a day.
    pub(crate) fn mirror() -> AccountState {
        AccountState {
            expires_at: Some(at("2026-11-27T00:00:00Z")),
            obtained_at: Some(at("2026-11-26T00:00:00Z")),
            rev: 2,
            has_refresh_token: true,
            ..AccountState::default()
        }
    }

    fn defaults(lead: u64) -> Defaults {
        Defaults {
            lead_time: crate::core::config::TextDuration(Duration::from_secs(lead)),
            ..Defaults::default()
        }
    }

    fn status(state: &AccountState, now: &str) -> AccountStatus {
        of(&account(), &defaults(600), state, at(now))
    }

    fn due(account: &AccountConfig, state: &AccountState, now: &str) -> bool {
        of(account, &defaults(600), state, at(now)).due
    }

    #[test]
    fn summaries_at_a_fixed_time() {
        let a = account();
        let now = at("2026-11-26T12:00:00Z");
        let st = AccountState {
            expires_at: Some(at("2026-11-26T12:05:00Z")),
            obtained_at: Some(at("2026-11-25T12:05:00Z")),
            rev: 2,
            has_refresh_token: true,
            ..AccountState::default()
        };
        let s = of(&a, &defaults(600), &st, now);
        assert_eq!(s.condition, Condition::Expiring);
        assert_eq!(s.seconds_left, Some(300));
        let s = of(&a, &defaults(60), &st, now);
        assert_eq!(s.condition, Condition::Valid);
        let s = of(&a, &defaults(60), &st, at("2026-11-26T13:00:00Z"));
        assert_eq!(s.condition, Condition::Expired);
        assert_eq!(s.seconds_left, Some(-3300));
        let mut st2 = st;
        st2.status = Status::NeedsAuthorization;
        assert_eq!(
            of(&a, &defaults(60), &st2, now).condition,
            Condition::NeedsAuthorization
        );
        assert_eq!(
            Condition::NeedsAuthorization.as_str(),
            "needs_authorization"
        );
    }

    #[test]
    fn crm_refresh_tokens_unused_for_10_days_are_flagged() {
        let mut a = account();
        a.provider = ProviderKind::RdStationCrm;
        let now = at("2026-11-26T12:00:00Z");
        let st = AccountState {
            has_refresh_token: true,
            refresh_token_used_at: Some(at("2026-11-15T12:00:00Z")),
            ..AccountState::default()
        };
        assert!(of(&a, &defaults(300), &st, now).refresh_token_ageing);
        let st = AccountState {
            refresh_token_used_at: Some(at("2026-11-17T12:00:00Z")),
            ..st
        };
        assert!(!of(&a, &defaults(300), &st, now).refresh_token_ageing);
    }

    #[test]
    fn countdown_and_bar_at_a_fixed_time() {
        let s = status(&mirror(), "2026-11-26T12:00:00Z");
        assert_eq!(s.condition, Condition::Valid);
        assert_eq!(s.seconds_left, Some(43_200));
        assert!((s.fraction - 0.5).abs() < 1e-6);
        let s = status(&mirror(), "2026-11-26T23:55:00Z");
        assert_eq!(s.condition, Condition::Expiring);
        let s = status(&mirror(), "2026-11-27T00:00:01Z");
        assert_eq!(s.condition, Condition::Expired);
        assert_eq!(s.fraction, 0.0);
    }

    #[test]
    fn retry_and_needs_auth_win_over_time() {
        let failing = AccountState {
            status: Status::Failing,
            retry_at: Some(at("2026-11-26T12:00:30Z")),
            ..mirror()
        };
        assert_eq!(
            status(&failing, "2026-11-26T12:00:00Z").condition,
            Condition::Retrying {
                at: at("2026-11-26T12:00:30Z"),
                token: Freshness::Valid
            }
        );
        assert_eq!(
            status(&failing, "2026-11-26T12:00:00Z").condition.as_str(),
            "valid"
        );
        let mut m = mirror();
        m.status = Status::NeedsAuthorization;
        assert_eq!(
            status(&m, "2026-11-26T12:00:00Z").condition,
            Condition::NeedsAuthorization
        );
        assert!(status(&m, "2026-11-26T12:00:00Z").should_notify);
        // Revoked: no refresh token and the access token ran out.
        let revoked = AccountState {
            has_refresh_token: false,
            ..mirror()
        };
        assert_eq!(
            status(&revoked, "2026-11-27T00:00:01Z").condition,
            Condition::NeedsAuthorization
        );
    }

    #[test]
    fn auto_refresh_is_due_within_the_effective_lead_and_not_while_backing_off() {
        let a = account();
        let m = mirror();
        assert!(!due(&a, &m, "2026-11-26T23:49:59Z"));
        assert!(due(&a, &m, "2026-11-26T23:50:00Z"));
        // After a laptop sleeps through the expiry, it is due at once.
        assert!(due(&a, &m, "2026-11-29T08:00:00Z"));
        // Backing off after a transient failure (the provider's Retry-After included).
        let limited = AccountState {
            status: Status::Failing,
            retry_at: Some(at("2026-11-27T05:00:00Z")),
            ..m.clone()
        };
        assert!(!due(&a, &limited, "2026-11-27T04:59:59Z"));
        assert!(due(&a, &limited, "2026-11-27T05:00:00Z"));
        let mut off = a.clone();
        off.auto_refresh = false;
        assert!(!due(&off, &m, "2026-11-29T08:00:00Z"));
        let mut needs = m.clone();
        needs.status = Status::NeedsAuthorization;
        assert!(!due(&a, &needs, "2026-11-29T08:00:00Z"));
        // A 2-minute token refreshes at half its life, not in a loop.
        let short = AccountState {
            expires_at: Some(at("2026-11-26T12:02:00Z")),
            obtained_at: Some(at("2026-11-26T12:00:00Z")),
            ..mirror()
        };
        assert!(!due(&a, &short, "2026-11-26T12:00:59Z"));
        assert!(due(&a, &short, "2026-11-26T12:01:00Z"));
        // Never refreshed: due at once.
        assert!(due(&a, &AccountState::default(), "2026-11-26T12:00:00Z"));
        // Revoked while the access token still had time: nothing to refresh with.
        let revoked = AccountState {
            has_refresh_token: false,
            ..mirror()
        };
        assert!(!due(&a, &revoked, "2026-11-26T23:55:00Z"));
    }

    #[test]
    fn the_next_due_moment_is_what_an_agent_sleeps_until() {
        let a = account();
        let next =
            |state: &AccountState, now: &str| of(&a, &defaults(600), state, at(now)).next_due;
        // A day-long token: due 10 minutes before it expires.
        assert_eq!(
            next(&mirror(), "2026-11-26T12:00:00Z"),
            Some(at("2026-11-26T23:50:00Z"))
        );
        assert_eq!(
            next(&mirror(), "2026-11-26T23:55:00Z"),
            Some(at("2026-11-26T23:55:00Z"))
        );
        // Backing off: at the retry time, and never within 30 s of the last attempt.
        let failing = AccountState {
            status: Status::Failing,
            retry_at: Some(at("2026-11-26T23:56:00Z")),
            last_auto_attempt: Some(at("2026-11-26T23:55:50Z")),
            ..mirror()
        };
        assert_eq!(
            next(&failing, "2026-11-26T23:55:55Z"),
            Some(at("2026-11-26T23:56:20Z"))
        );
        let earlier = AccountState {
            last_auto_attempt: Some(at("2026-11-26T23:55:00Z")),
            ..failing
        };
        assert_eq!(
            next(&earlier, "2026-11-26T23:55:55Z"),
            Some(at("2026-11-26T23:56:00Z"))
        );
        // Nothing on its own: automatic refresh off, authorization needed, revoked.
        let mut off = a.clone();
        off.auto_refresh = false;
        assert_eq!(
            of(&off, &defaults(600), &mirror(), at("2026-11-26T23:55:00Z")).next_due,
            None
        );
        let needs = AccountState {
            status: Status::NeedsAuthorization,
            ..mirror()
        };
        assert_eq!(next(&needs, "2026-11-26T12:00:00Z"), None);
        let revoked = AccountState {
            has_refresh_token: false,
            ..mirror()
        };
        assert_eq!(next(&revoked, "2026-11-26T12:00:00Z"), None);
    }

    #[test]
    fn automatic_refreshes_are_30_s_apart_whatever_expires_in_says() {
        let a = account();
        // A provider answered `expires_in: 1`: expired a second later.
        let one_second = AccountState {
            expires_at: Some(at("2026-11-26T12:00:01Z")),
            obtained_at: Some(at("2026-11-26T12:00:00Z")),
            last_auto_attempt: Some(at("2026-11-26T12:00:00Z")),
            ..mirror()
        };
        assert!(!due(&a, &one_second, "2026-11-26T12:00:02Z"));
        assert!(!due(&a, &one_second, "2026-11-26T12:00:29Z"));
        assert!(due(&a, &one_second, "2026-11-26T12:00:30Z"));
        // A refresh the user asked for does not hold back the automatic one.
        let manual = AccountState {
            last_auto_attempt: None,
            last_attempt: Some(at("2026-11-26T12:00:00Z")),
            ..one_second
        };
        assert!(due(&a, &manual, "2026-11-26T12:00:02Z"));
    }

    #[test]
    fn lead_and_copy_minimum() {
        let mut a = account();
        let d = Defaults::default();
        assert_eq!(lead_time(&d, &a), Duration::from_secs(600));
        a.lead_time = Some(crate::core::config::TextDuration(Duration::from_secs(300)));
        assert_eq!(lead_time(&d, &a), Duration::from_secs(300));
        assert_eq!(copy_minimum(&d, &a, &mirror()), Duration::from_secs(900));
        let short = AccountState {
            expires_at: Some(at("2026-11-26T12:02:00Z")),
            obtained_at: Some(at("2026-11-26T12:00:00Z")),
            ..mirror()
        };
        assert_eq!(copy_minimum(&d, &a, &short), Duration::from_secs(60));
    }
}
