//! Expiry decisions, as pure functions of `now`: how fresh a token is, when to
//! refresh it, whether `renova token` may print the stored one, and how long to wait after a
//! failure. Nothing here reads the clock or does I/O.

use std::time::Duration;

use jiff::Timestamp;

use crate::core::clock::seconds_until;
use crate::core::secrets::Secrets;

/// A token obtained this recently is not refreshed again by `renova token`.
pub(crate) const RECENT: Duration = Duration::from_secs(60);

/// First retry delay after a transient failure.
pub(crate) const BACKOFF_START: Duration = Duration::from_secs(5);

/// Longest backoff Renova picks by itself.
pub(crate) const BACKOFF_CAP: Duration = Duration::from_secs(300);

/// Longest wait, even when the provider asks for more.
pub(crate) const RETRY_CAP: Duration = Duration::from_secs(24 * 3600);

/// The longest `expires_in` Renova believes (one year).
pub(crate) const MAX_LIFETIME: Duration = Duration::from_secs(365 * 24 * 3600);

/// An `expires_in` Renova believes, as a lifetime: at least a second, at most a year. Provider
/// answers and pasted answers obey the same bounds.
pub(crate) fn believable_lifetime(seconds: f64) -> Option<Duration> {
    (seconds >= 1.0 && seconds <= MAX_LIFETIME.as_secs_f64())
        .then(|| Duration::from_secs(seconds as u64))
}

/// How an access token stands at a moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Freshness {
    /// More than the lead time left.
    Valid,
    /// Valid, but within the lead time: due for refresh.
    Expiring,
    /// Past its expiry (or never obtained).
    Expired,
}

/// The token's lifetime, when both ends are known and sane.
pub(crate) fn lifetime(
    expires_at: Option<Timestamp>,
    obtained_at: Option<Timestamp>,
) -> Option<Duration> {
    let (e, o) = (expires_at?, obtained_at?);
    let secs = e.as_second() - o.as_second();
    (secs > 0).then(|| Duration::from_secs(secs.unsigned_abs()))
}

/// `min(configured, ½ × lifetime)`: short-lived tokens never refresh in a loop.
pub(crate) fn effective(configured: Duration, lifetime: Option<Duration>) -> Duration {
    match lifetime {
        Some(l) => configured.min(l / 2),
        None => configured,
    }
}

/// How fresh a token expiring at `expires_at` is at `now`, for a configured lead time.
pub(crate) fn freshness(
    expires_at: Option<Timestamp>,
    obtained_at: Option<Timestamp>,
    lead: Duration,
    now: Timestamp,
) -> Freshness {
    let Some(exp) = expires_at else {
        return Freshness::Expired;
    };
    let left = seconds_until(now, exp);
    if left <= 0 {
        Freshness::Expired
    } else if left.unsigned_abs() <= effective(lead, lifetime(expires_at, obtained_at)).as_secs() {
        Freshness::Expiring
    } else {
        Freshness::Valid
    }
}

/// When a token becomes due for refresh (expiry minus the effective lead time).
pub(crate) fn due_at(
    expires_at: Timestamp,
    obtained_at: Option<Timestamp>,
    lead: Duration,
) -> Timestamp {
    let lead = effective(lead, lifetime(Some(expires_at), obtained_at));
    let lead = i64::try_from(lead.as_secs()).unwrap_or(i64::MAX);
    Timestamp::from_second(expires_at.as_second().saturating_sub(lead)).unwrap_or(Timestamp::MIN)
}

/// What `renova token` (or a copy) should do with the stored token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TokenDecision {
    /// It is valid for at least the minimum: print it, no network.
    UseStored,
    /// It is valid but shorter than the minimum, and was obtained under a minute ago: the
    /// provider issues short tokens. Print it with a warning rather than refresh again.
    UseStoredShort,
    /// Refresh first.
    Refresh,
}

/// Decides for `renova token --min-valid` (README, "`renova token` rules").
pub(crate) fn decide_token(
    secrets: &Secrets,
    min_valid: Duration,
    now: Timestamp,
) -> TokenDecision {
    let Some(exp) = secrets
        .expires_at
        .filter(|_| secrets.access_token.is_some())
    else {
        return TokenDecision::Refresh;
    };
    let left = seconds_until(now, exp);
    if left <= 0 {
        return TokenDecision::Refresh;
    }
    if left.unsigned_abs() >= min_valid.as_secs() {
        return TokenDecision::UseStored;
    }
    let recent = secrets
        .obtained_at
        .is_some_and(|o| seconds_until(o, now) < RECENT.as_secs() as i64);
    if recent {
        TokenDecision::UseStoredShort
    } else {
        TokenDecision::Refresh
    }
}

/// Delay before retry number `attempt` (0-based) after a transient failure: 5 s doubling to
/// 5 min, ±20 % jitter (`jitter` in `[0, 1)`), never less than what the provider asked for,
/// never more than 24 h.
pub(crate) fn retry_delay(attempt: u32, jitter: f64, provider_hint: Option<Duration>) -> Duration {
    let base = BACKOFF_START
        .saturating_mul(2u32.saturating_pow(attempt.min(16)))
        .min(BACKOFF_CAP);
    let factor = 0.8 + 0.4 * jitter.clamp(0.0, 1.0);
    let jittered = base.mul_f64(factor);
    jittered
        .max(provider_hint.unwrap_or_default())
        .min(RETRY_CAP)
}

/// A number in `[0, 1)` from the OS's randomness, for jitter.
pub(crate) fn random_unit() -> f64 {
    let mut b = [0u8; 8];
    if getrandom::fill(&mut b).is_err() {
        return 0.5;
    }
    (u64::from_le_bytes(b) >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    fn secrets(obtained: &str, expires: &str) -> Secrets {
        Secrets {
            access_token: Some("fake-at".into()),
            obtained_at: Some(at(obtained)),
            expires_at: Some(at(expires)),
            ..Secrets::default()
        }
    }

    const MIN: Duration = Duration::from_secs(60);

    #[test]
    fn freshness_uses_the_effective_lead() {
        let o = Some(at("2026-11-26T00:00:00Z"));
        let e = Some(at("2026-11-27T00:00:00Z"));
        let lead = 10 * MIN;
        assert_eq!(
            freshness(e, o, lead, at("2026-11-26T23:49:59Z")),
            Freshness::Valid
        );
        assert_eq!(
            freshness(e, o, lead, at("2026-11-26T23:50:00Z")),
            Freshness::Expiring
        );
        assert_eq!(
            freshness(e, o, lead, at("2026-11-27T00:00:00Z")),
            Freshness::Expired
        );
        assert_eq!(
            freshness(None, o, lead, at("2026-11-26T00:00:00Z")),
            Freshness::Expired
        );
        // A 2-minute token: lead halves to 1 minute.
        let o = Some(at("2026-11-26T00:00:00Z"));
        let e = Some(at("2026-11-26T00:02:00Z"));
        assert_eq!(
            freshness(e, o, lead, at("2026-11-26T00:00:59Z")),
            Freshness::Valid
        );
        assert_eq!(
            freshness(e, o, lead, at("2026-11-26T00:01:00Z")),
            Freshness::Expiring
        );
    }

    #[test]
    fn due_at_is_expiry_minus_effective_lead() {
        let e = at("2026-11-27T00:00:00Z");
        assert_eq!(
            due_at(e, Some(at("2026-11-26T00:00:00Z")), 10 * MIN),
            at("2026-11-26T23:50:00Z")
        );
        assert_eq!(
            due_at(e, Some(at("2026-11-26T23:58:00Z")), 10 * MIN),
            at("2026-11-26T23:59:00Z")
        );
    }

    #[test]
    fn token_decisions() {
        use TokenDecision::{Refresh, UseStored, UseStoredShort};
        let day = secrets("2026-11-26T00:00:00Z", "2026-11-27T00:00:00Z");
        // Expired is always refreshed, however recent.
        let short = secrets("2026-11-26T00:00:00Z", "2026-11-26T00:00:10Z");
        let empty = Secrets::default();
        let cases = [
            (&day, 5 * MIN, "2026-11-26T12:00:00Z", UseStored),
            (&day, 5 * MIN, "2026-11-26T23:55:00Z", UseStored),
            (&day, 5 * MIN, "2026-11-26T23:55:01Z", Refresh),
            (&day, 5 * MIN, "2026-11-27T00:00:00Z", Refresh),
            (&day, 25 * 60 * MIN, "2026-11-26T00:00:30Z", UseStoredShort),
            (&day, 25 * 60 * MIN, "2026-11-26T00:01:00Z", Refresh),
            (&short, 5 * MIN, "2026-11-26T00:00:20Z", Refresh),
            (&empty, MIN, "2026-11-26T00:00:00Z", Refresh),
        ];
        for (s, min_valid, now, expected) in cases {
            assert_eq!(decide_token(s, min_valid, at(now)), expected, "{now}");
        }
    }

    #[test]
    fn backoff_doubles_caps_and_honours_the_provider() {
        assert_eq!(retry_delay(0, 0.5, None), Duration::from_secs(5));
        assert_eq!(retry_delay(1, 0.5, None), Duration::from_secs(10));
        assert_eq!(retry_delay(10, 0.5, None), Duration::from_secs(300));
        assert!(retry_delay(0, 0.0, None) >= Duration::from_secs(4));
        assert!(retry_delay(0, 0.999, None) <= Duration::from_secs(6));
        assert_eq!(
            retry_delay(0, 0.5, Some(Duration::from_secs(20745))),
            Duration::from_secs(20745)
        );
        assert_eq!(
            retry_delay(0, 0.5, Some(Duration::from_secs(10 * 86400))),
            RETRY_CAP
        );
        let r = random_unit();
        assert!((0.0..1.0).contains(&r));
    }
}
