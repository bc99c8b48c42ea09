//! The status rule at fixed times.

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
    let next = |state: &AccountState, now: &str| of(&a, &defaults(600), state, at(now)).next_due;
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

fn provider_failure(reason: crate::core::provider::Reason) -> StoredError {
    use crate::core::provider::{ProviderError, ProviderErrorKind};
    let kind = match reason {
        crate::core::provider::Reason::ProviderFailing => ProviderErrorKind::Server,
        crate::core::provider::Reason::RateLimited => ProviderErrorKind::RateLimited,
        crate::core::provider::Reason::Unreachable => ProviderErrorKind::Timeout,
        _ => ProviderErrorKind::Rejected,
    };
    StoredError::Provider(ProviderError {
        reason,
        ..ProviderError::new(kind)
    })
}

#[test]
fn attention_has_one_cause_and_one_action() {
    use crate::core::provider::Reason;
    let now = "2026-11-26T12:00:00Z";
    assert_eq!(status(&mirror(), now).attention, None);
    let with = |error: StoredError, state: Status| AccountState {
        status: state,
        last_error: Some(error),
        ..mirror()
    };
    let cases = [
        (
            Reason::WrongClient,
            Status::NeedsAuthorization,
            Cause::WrongClient,
            Some(Action::EditSecret),
        ),
        (
            Reason::DeadRefreshToken,
            Status::NeedsAuthorization,
            Cause::RefreshRefused,
            Some(Action::Authorize),
        ),
        (
            Reason::Refused,
            Status::NeedsAuthorization,
            Cause::RefreshRefused,
            Some(Action::Authorize),
        ),
        (
            Reason::ProviderFailing,
            Status::Failing,
            Cause::ProviderFailing,
            Some(Action::RetryNow),
        ),
        (
            Reason::Unreachable,
            Status::Failing,
            Cause::Unreachable,
            Some(Action::RetryNow),
        ),
        (Reason::BadAnswer, Status::Failing, Cause::Other, None),
    ];
    for (reason, state, cause, action) in cases {
        let a = status(&with(provider_failure(reason), state), now).attention;
        assert_eq!(a, Some(Attention { cause, action }), "{reason:?}");
    }
    // No refresh token yet.
    let never = AccountState {
        status: Status::NeedsAuthorization,
        ..AccountState::default()
    };
    assert_eq!(
        status(&never, now).attention.map(|a| (a.cause, a.action)),
        Some((Cause::NotConnected, Some(Action::Connect)))
    );
    // Expired, nothing recorded.
    let a = status(&mirror(), "2026-11-27T00:00:01Z").attention;
    assert_eq!(a.map(|a| a.cause), Some(Cause::Expired));
    // While RD asks to wait, nothing asks again.
    let limited = AccountState {
        retry_at: Some(at("2026-11-26T12:05:00Z")),
        ..with(provider_failure(Reason::RateLimited), Status::Failing)
    };
    assert_eq!(
        status(&limited, now).attention.map(|a| (a.cause, a.action)),
        Some((Cause::RateLimited, None))
    );
}

#[test]
fn a_failure_that_may_pass_is_tried_again_when_shown_even_with_a_good_token() {
    use crate::core::provider::Reason;
    // A manual refresh failed with a 503 at 12:00; the token still has 12 hours.
    let failing = AccountState {
        status: Status::Failing,
        retry_at: Some(at("2026-11-26T12:00:07Z")),
        last_attempt: Some(at("2026-11-26T12:00:00Z")),
        last_error: Some(provider_failure(Reason::ProviderFailing)),
        ..mirror()
    };
    let before = status(&failing, "2026-11-26T12:00:03Z");
    assert_eq!(before.next_try, Some(at("2026-11-26T12:00:07Z")));
    assert_eq!(before.next_due, Some(at("2026-11-26T12:00:07Z")));
    assert!(!before.due);
    let then = status(&failing, "2026-11-26T12:00:07Z");
    assert!(then.due, "the next try shown is the next try made");
    // A permanent refusal is not tried again on its own.
    let refused = AccountState {
        status: Status::NeedsAuthorization,
        last_error: Some(provider_failure(Reason::WrongClient)),
        ..mirror()
    };
    assert!(!status(&refused, "2026-11-26T12:00:07Z").due);
}

/// A static JWT pasted 2026-11-26 00:00 that dies 2026-12-26 00:00.
fn static_mirror() -> AccountState {
    AccountState {
        expires_at: Some(at("2026-12-26T00:00:00Z")),
        obtained_at: Some(at("2026-11-26T00:00:00Z")),
        rev: 1,
        has_refresh_token: false,
        ..AccountState::default()
    }
}

#[test]
fn a_static_token_is_never_due_and_needs_the_person_from_seven_days_before() {
    let a = AccountConfig::new("conversas", ProviderKind::RdStationConversas, "");
    let d = Defaults::default();
    let st = static_mirror();
    let s = of(&a, &d, &st, at("2026-12-01T00:00:00Z"));
    assert_eq!(s.condition, Condition::Valid);
    assert!(!s.due && s.attention.is_none() && s.copyable && !s.should_notify);
    // The agent wakes when the warning starts.
    assert_eq!(s.next_due, Some(at("2026-12-19T00:00:00Z")));
    let s = of(&a, &d, &st, at("2026-12-19T00:00:01Z"));
    assert_eq!(s.condition, Condition::Expiring);
    let attention = s.attention.unwrap();
    assert_eq!(attention.cause, Cause::ExpiresSoon);
    assert_eq!(attention.action, Some(Action::ReplaceToken));
    assert!(s.should_notify && !s.due && s.copyable);
    assert_eq!(s.next_due, Some(at("2026-12-26T00:00:00Z")));
    // Told once: the claim in state.json ends it.
    let told = AccountState {
        notified_at: Some(at("2026-12-19T00:00:01Z")),
        ..static_mirror()
    };
    assert!(!of(&a, &d, &told, at("2026-12-20T00:00:00Z")).should_notify);
    let s = of(&a, &d, &st, at("2026-12-26T00:00:00Z"));
    assert_eq!(s.condition, Condition::Expired);
    assert_eq!(s.attention.unwrap().cause, Cause::StaticExpired);
    assert!(!s.copyable && !s.due && s.next_due.is_none());
    // `[defaults] static_warning`.
    let two_days = Defaults {
        static_warning: crate::core::config::TextDuration(Duration::from_secs(2 * 86_400)),
        ..Defaults::default()
    };
    assert!(
        of(&a, &two_days, &st, at("2026-12-20T00:00:00Z"))
            .attention
            .is_none()
    );
}

#[test]
fn a_static_token_without_an_expiry_is_valid_for_good() {
    let a = AccountConfig::new("crm1", ProviderKind::RdStationCrmV1, "");
    let st = AccountState {
        expires_at: None,
        ..static_mirror()
    };
    let s = of(&a, &Defaults::default(), &st, at("2030-01-01T00:00:00Z"));
    assert_eq!(s.condition, Condition::Valid);
    assert_eq!(s.seconds_left, None);
    assert!(s.copyable && s.attention.is_none() && !s.due && s.next_due.is_none());
}
