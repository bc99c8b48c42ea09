//! What a card says when something is wrong: one cause, one plain sentence, one button that
//! fixes it, and the technical story (HTTP status, the provider's own words) kept for a
//! "Details" expander. The failure stays until a refresh succeeds (`state.json` clears it), so
//! the card and `renova list` agree. Pure: tested without a window.

use std::time::Duration;

use jiff::Timestamp;

use crate::core::clock::seconds_until;
use crate::core::config::{AccountConfig, ProviderKind};
use crate::core::error::{AuthReason, Error};
use crate::core::provider::{ProviderError, ProviderErrorKind};
use crate::core::state::{AccountState, Status, StoredError};
use crate::i18n::time::{date_time, duration};
use crate::i18n::{Lang, Surface, T, explain_for};

/// Why an account needs attention.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cause {
    /// The provider refused the client ID or secret.
    WrongClient,
    /// The refresh token is refused (revoked, expired, the app removed).
    RefreshRefused,
    /// There is no refresh token yet.
    NoRefreshToken,
    /// The provider could not be reached, failed, or asked to wait.
    Unavailable,
    /// The keychain could not be used.
    Keychain,
    /// Anything else (a setting, an answer Renova could not use).
    Other,
}

/// The one button that fixes a cause.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fix {
    /// Open the edit dialog at the secret.
    EditSecret,
    /// Authorize in the browser, the first time.
    Connect,
    /// Authorize in the browser again.
    Authorize,
    /// Refresh now.
    RetryNow,
    /// Try the keychain again (a refresh reads the account's entry).
    RetryKeychain,
}

impl Fix {
    /// The button's text.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Fix::EditSecret => T::FixEditSecret,
            Fix::Connect => T::AuthInBrowser,
            Fix::Authorize => T::FixAuthorize,
            Fix::RetryNow => T::FixRetryNow,
            Fix::RetryKeychain => T::FixRetryKeychain,
        }
        .tr(lang)
    }
}

/// What the card says about a problem.
#[derive(Debug, Clone, PartialEq)]
pub struct Trouble {
    /// The cause.
    pub cause: Cause,
    /// One plain sentence (no HTTP codes, no provider jargon), plus how long the current
    /// token still works when it does.
    pub sentence: String,
    /// The button, if one fixes it.
    pub fix: Option<Fix>,
    /// The technical story for "Details": what happened, with the status and the provider's
    /// own words quoted, and what to do.
    pub details: Option<String>,
}

/// The provider as a sentence names it.
fn provider(account: &AccountConfig, lang: Lang) -> &'static str {
    match account.provider {
        ProviderKind::RdStation | ProviderKind::RdStationCrm => "RD Station",
        ProviderKind::OAuth2 => T::TheProvider.tr(lang),
    }
}

fn cause_of_provider(e: &ProviderError) -> Cause {
    let error_type = e.error_type.as_deref().unwrap_or_default();
    let message = e.message.as_deref().unwrap_or_default();
    match e.kind {
        ProviderErrorKind::Rejected => match error_type {
            "ACCESS_DENIED" if message.contains("redirect_uri") => Cause::Other,
            "ACCESS_DENIED" | "invalid_client" | "unauthorized_client" => Cause::WrongClient,
            _ => Cause::RefreshRefused,
        },
        ProviderErrorKind::RateLimited
        | ProviderErrorKind::Server
        | ProviderErrorKind::Timeout
        | ProviderErrorKind::Connect(_)
        | ProviderErrorKind::Network(_) => Cause::Unavailable,
        _ => Cause::Other,
    }
}

/// The account's trouble, if any: the last failure recorded in `state.json` (by this window,
/// the CLI or the agent), or a missing refresh token.
pub fn trouble(
    account: &AccountConfig,
    mirror: &AccountState,
    now: Timestamp,
    lang: Lang,
) -> Option<Trouble> {
    let name = &account.name;
    let (cause, error) = match &mirror.last_error {
        Some(stored) => {
            let cause = match stored {
                StoredError::Provider(e) => cause_of_provider(e),
                StoredError::Keychain(_) => Cause::Keychain,
                // The old refresh token is spent and the new one was not kept.
                StoredError::RotationLost(_) => Cause::RefreshRefused,
                StoredError::Input(_) => Cause::Other,
            };
            (cause, stored.to_error(name))
        }
        None if mirror.status == Status::NeedsAuthorization => (
            Cause::NoRefreshToken,
            Error::NeedsAuthorization {
                name: name.clone(),
                reason: AuthReason::NoRefreshToken,
            },
        ),
        None => return None,
    };
    let p = [("provider", provider(account, lang))];
    let explained = explain_for(Surface::Window, &error, lang, name);
    let (mut sentence, fix) = match cause {
        Cause::WrongClient => (T::CauseWrongClient.fill(lang, &p), Some(Fix::EditSecret)),
        Cause::RefreshRefused => (T::CauseRefreshRefused.fill(lang, &p), Some(Fix::Authorize)),
        Cause::NoRefreshToken => (T::CauseNoRefreshToken.fill(lang, &p), Some(Fix::Connect)),
        Cause::Unavailable => {
            let limited = matches!(
                &mirror.last_error,
                Some(StoredError::Provider(ProviderError {
                    kind: ProviderErrorKind::RateLimited,
                    ..
                }))
            );
            let what = if limited {
                T::CauseRateLimited
            } else {
                T::CauseUnreachable
            };
            let mut s = what.fill(lang, &p);
            let wait = mirror.retry_at.filter(|at| *at > now);
            if account.auto_refresh
                && let Some(at) = wait
            {
                s.push(' ');
                s.push_str(&T::CauseNextTry.fill(lang, &[("time", &date_time(at, now, lang))]));
            }
            // The provider asked to wait: no button to ask again before then.
            let fix = (!(limited && wait.is_some())).then_some(Fix::RetryNow);
            (s, fix)
        }
        Cause::Keychain => (explained.what.clone(), Some(Fix::RetryKeychain)),
        Cause::Other => (explained.line(), None),
    };
    if let Some(exp) = mirror.expires_at
        && exp > now
    {
        let left = Duration::from_secs(seconds_until(now, exp).unsigned_abs());
        sentence.push(' ');
        sentence.push_str(&T::CauseStillValid.fill(lang, &[("left", &duration(left, lang))]));
    }
    if let Some(first) = sentence.chars().next() {
        sentence.replace_range(..first.len_utf8(), &first.to_uppercase().to_string());
    }
    let details = (cause != Cause::Other).then(|| explained.line());
    Some(Trouble {
        cause,
        sentence,
        fix,
        details,
    })
}
