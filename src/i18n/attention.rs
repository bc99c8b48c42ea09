//! The core's status in words: the state word every surface shows (the card's chip, `renova
//! list`, the tray's menu), the label of the action that fixes a cause, and what a card says
//! about a problem (one plain sentence, and the technical story for "Details"). The core
//! decides the cause and the action ([`crate::core::status`]); this only words them.

use std::time::Duration;

use jiff::Timestamp;

use crate::core::clock::seconds_until;
use crate::core::config::{AccountConfig, ProviderKind};
use crate::core::error::{AuthReason, Error};
use crate::core::state::AccountState;
use crate::core::status::{AccountStatus, Action, Cause, Condition};
use crate::i18n::time::{date_time, duration, full_date_time};
use crate::i18n::{Lang, Surface, T, explain_for};

/// The state word of an account: its cause when it needs attention, else its condition.
pub(crate) fn state_text(status: &AccountStatus, lang: Lang, now: Timestamp) -> String {
    if let Condition::Retrying { at, .. } = status.condition {
        let seconds = seconds_until(now, at).max(0).to_string();
        return T::StateRetrying.fill(lang, &[("seconds", &seconds)]);
    }
    let word = match status.attention.map(|a| a.cause) {
        Some(Cause::WrongClient) => T::StateSecretRefused,
        Some(Cause::RefreshRefused) => T::StateNeedsAuth,
        Some(Cause::BadRedirect) => T::StateRedirectRefused,
        Some(Cause::NotConnected) => T::StateNotConnected,
        Some(Cause::Unreachable | Cause::ProviderFailing | Cause::RateLimited) => {
            T::StateRefreshFailed
        }
        Some(Cause::Keychain) => T::StateKeychainError,
        Some(Cause::EndpointChanged) => T::StateEndpointChanged,
        Some(Cause::Expired | Cause::StaticExpired) => T::StateExpired,
        Some(Cause::ExpiresSoon) => T::StateExpiresSoon,
        Some(Cause::Other) | None => match status.condition {
            Condition::Valid | Condition::Retrying { .. } => T::StateValid,
            Condition::Expiring => T::StateExpiring,
            Condition::Expired => T::StateExpired,
            Condition::NeedsAuthorization => T::StateNeedsAuth,
            Condition::KeychainError => T::StateKeychainError,
        },
    };
    word.tr(lang).to_owned()
}

/// What a copy says when the refresh before it failed and the token copied is the stored one,
/// which works until `until` (the window's toast and the tray's notification).
pub(crate) fn copied_fallback(until: Timestamp, now: Timestamp, lang: Lang) -> String {
    let left = Duration::from_secs(seconds_until(now, until).max(0).unsigned_abs());
    T::ToastCopiedFallback.fill(lang, &[("left", &duration(left, lang))])
}

/// The label of the button (or menu item) that carries out an action.
pub(crate) fn action_label(action: Action, lang: Lang) -> &'static str {
    match action {
        Action::EditSecret => T::FixEditSecret,
        Action::EditSettings => T::MenuEdit,
        Action::Connect => T::AuthInBrowser,
        Action::Authorize => T::FixAuthorize,
        Action::RetryNow => T::FixRetryNow,
        Action::RetryKeychain => T::FixRetryKeychain,
        Action::ConfirmEndpoint => T::ConfirmEndpoint,
        Action::Refresh => T::Refresh,
        Action::ReplaceToken => T::FixReplaceToken,
    }
    .tr(lang)
}

/// What a card says about a problem.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Trouble {
    /// The cause (the core's).
    pub cause: Cause,
    /// The action that fixes it (the core's).
    pub action: Option<Action>,
    /// One plain sentence (no HTTP codes, no provider jargon), plus how long the current
    /// token still works when it does.
    pub sentence: String,
    /// The technical story for "Details": what happened, with the status and the provider's
    /// own words quoted, and what to do.
    pub details: Option<String>,
}

/// The provider as a sentence names it.
fn provider(account: &AccountConfig, lang: Lang) -> &'static str {
    match account.provider {
        ProviderKind::RdStation
        | ProviderKind::RdStationCrm
        | ProviderKind::RdStationCrmV1
        | ProviderKind::RdStationConversas => "RD Station",
        ProviderKind::OAuth2 | ProviderKind::Static => T::TheProvider.tr(lang),
    }
}

/// The account's trouble, if the core says it needs attention: one sentence for its cause
/// (with the next automatic try, and how long the token still works), and the details, with
/// fixes worded for `surface` (buttons in the window, commands on the command line).
pub(crate) fn trouble(
    account: &AccountConfig,
    mirror: &AccountState,
    status: &AccountStatus,
    now: Timestamp,
    lang: Lang,
    surface: Surface,
) -> Option<Trouble> {
    let attention = status.attention?;
    let name = &account.name;
    let error = match &mirror.last_error {
        Some(stored) => stored.to_error(name),
        None => Error::NeedsAuthorization {
            name: name.clone(),
            reason: AuthReason::NoRefreshToken,
        },
    };
    let p = [("provider", provider(account, lang))];
    let explained = explain_for(surface, &error, lang, name);
    let mut sentence = match attention.cause {
        Cause::WrongClient => T::CauseWrongClient.fill(lang, &p),
        Cause::RefreshRefused => T::CauseRefreshRefused.fill(lang, &p),
        Cause::NotConnected if account.provider.is_static() => {
            T::CauseStaticMissing.tr(lang).to_owned()
        }
        Cause::NotConnected => T::CauseNoRefreshToken.fill(lang, &p),
        Cause::Unreachable => T::CauseUnreachable.fill(lang, &p),
        Cause::ProviderFailing => T::CauseProviderFailing.fill(lang, &p),
        Cause::RateLimited => T::CauseRateLimited.fill(lang, &p),
        Cause::Keychain => explained.what.clone(),
        Cause::Expired if account.auto_refresh => T::CauseExpiredRefreshing.tr(lang).to_owned(),
        Cause::Expired => T::CauseExpiredManual.tr(lang).to_owned(),
        Cause::ExpiresSoon | Cause::StaticExpired => {
            let when = mirror
                .expires_at
                .map(|at| full_date_time(at, lang))
                .unwrap_or_default();
            let text = match attention.cause {
                Cause::ExpiresSoon => T::CauseStaticExpiresSoon,
                _ => T::CauseStaticExpired,
            };
            return Some(Trouble {
                cause: attention.cause,
                action: attention.action,
                sentence: text.fill(lang, &[("when", &when)]),
                details: None,
            });
        }
        Cause::BadRedirect | Cause::EndpointChanged | Cause::Other => explained.line(),
    };
    if attention.cause.is_transient()
        && let Some(at) = status.next_try.filter(|_| account.auto_refresh)
    {
        sentence.push(' ');
        sentence.push_str(&T::CauseNextTry.fill(lang, &[("time", &date_time(at, now, lang))]));
    }
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
    let told_whole = matches!(
        attention.cause,
        Cause::BadRedirect | Cause::EndpointChanged | Cause::Other | Cause::Expired
    );
    let details = (!told_whole).then(|| explained.line());
    Some(Trouble {
        cause: attention.cause,
        action: attention.action,
        sentence,
        details,
    })
}
