//! Failures of the parts Renova talks to: the provider (quoting its own `error_type` and
//! message), Postman, and the keychain (naming the missing part).

use crate::core::http::HttpErrorKind;
use crate::core::keychain::KeychainError;
use crate::core::postman::{PostmanError, Unclear};
use crate::core::provider::{ProviderError, ProviderErrorKind, Reason};
use crate::i18n::explain::{Explanation, Say, Surface};
use crate::i18n::{E, Lang, T};

/// Explains a provider failure, quoting the provider's own words.
pub(crate) fn explain_provider(
    p: &ProviderError,
    lang: Lang,
    name: &str,
    surface: Surface,
) -> Explanation {
    let s = Say { lang, surface };
    let n = [("name", name)];
    let mut e = match p.reason {
        Reason::WrongClient => s.say(E::ErrAccessDenied, E::ErrAccessDeniedFix, &n),
        Reason::DeadRefreshToken => s.say(E::ErrInvalidRefresh, E::ErrInvalidRefreshFix, &n),
        Reason::BadRedirect => s.say(E::ErrBadRedirect, E::ErrBadRedirectFix, &n),
        Reason::CodeRejected => s.say(E::ErrExpiredCode, E::ErrExpiredCodeFix, &n),
        Reason::Refused => s.say(E::ErrRejected, E::ErrRejectedFix, &n),
        Reason::RateLimited | Reason::ProviderFailing | Reason::Unreachable | Reason::BadAnswer => {
            explain_kind(p, s, name)
        }
    };
    if let Some(status) = p.status {
        e.what.push_str(&format!(" (HTTP {status})"));
    }
    let said = match (p.error_type.as_deref(), p.message.as_deref()) {
        (Some(t), Some(m)) => Some(format!("{t}: {m}")),
        (Some(t), None) => Some(t.to_owned()),
        (None, Some(m)) => Some(m.to_owned()),
        (None, None) => None,
    };
    if let Some(said) = said {
        e.what.push_str(". ");
        e.what
            .push_str(&E::ErrProviderSaid.fill(lang, &[("message", &said)]));
    }
    e
}

/// A failure that may pass, or an answer Renova could not use, told by what happened.
fn explain_kind(p: &ProviderError, s: Say, name: &str) -> Explanation {
    match &p.kind {
        ProviderErrorKind::RateLimited => match p.retry_after {
            Some(d) => s.say(
                E::ErrRateLimited,
                E::ErrRateLimitedFix,
                &[("wait", &crate::core::clock::format_duration(d))],
            ),
            None => s.say(E::ErrRateLimited, E::ErrRateLimitedFixNoWait, &[]),
        },
        ProviderErrorKind::Server => s.say(E::ErrServer, E::ErrTransientFix, &[]),
        ProviderErrorKind::UnexpectedStatus => {
            s.say(E::ErrUnexpectedStatus, E::ErrUnexpectedStatusFix, &[])
        }
        ProviderErrorKind::Redirect(to) => {
            let to = to.as_deref().map(|h| format!(" ({h})")).unwrap_or_default();
            s.say(
                E::ErrRedirect,
                E::ErrRedirectFix,
                &[("to", &to), ("name", name)],
            )
        }
        ProviderErrorKind::Timeout => s.say(E::ErrTimeout, E::ErrNetworkFix, &[]),
        ProviderErrorKind::Connect(d) => s.say(E::ErrConnect, E::ErrNetworkFix, &[("detail", d)]),
        ProviderErrorKind::Network(d) => s.say(E::ErrNetwork, E::ErrNetworkFix, &[("detail", d)]),
        ProviderErrorKind::Malformed(d) => {
            s.say(E::ErrMalformed, E::ErrTransientFix, &[("detail", d)])
        }
        ProviderErrorKind::TooLarge => s.say(E::ErrTooLarge, E::ErrTransientFix, &[]),
        ProviderErrorKind::MissingAccessToken => {
            s.say(E::ErrMissingAccessToken, E::ErrTransientFix, &[])
        }
        ProviderErrorKind::BadExpiry(d) => {
            s.say(E::ErrBadExpiry, E::ErrTransientFix, &[("detail", d)])
        }
        // A refusal is explained by its reason, above.
        ProviderErrorKind::Rejected => s.say(E::ErrRejected, E::ErrRejectedFix, &[("name", name)]),
    }
}

/// Explains a Postman failure, quoting Postman's own words.
pub(crate) fn explain_postman(p: &PostmanError, lang: Lang, surface: Surface) -> Explanation {
    let s = Say { lang, surface };
    use crate::core::postman::PostmanErrorKind as K;
    let (what, fix) = match p.kind {
        K::NoKey => (E::ErrPostmanNoKey, E::ErrPostmanNoKeyFix),
        K::InvalidKey => (E::ErrPostmanInvalidKey, E::ErrPostmanInvalidKeyFix),
        K::NotFound => (E::ErrPostmanNotFound, E::ErrPostmanNotFoundFix),
        K::RateLimited => (E::ErrPostmanRateLimited, E::ErrPostmanRetryFix),
        K::Unavailable => (E::ErrPostmanUnavailable, E::ErrPostmanRetryFix),
        K::Malformed => (E::ErrPostmanMalformed, E::ErrPostmanRetryFix),
        K::SharedWorkspace => {
            let workspace = p.message.as_deref().unwrap_or_default();
            let fix = match surface {
                Surface::Cli => E::ErrPostmanSharedFix,
                Surface::Window => E::WinPostmanSharedFix,
            };
            return s.say(E::ErrPostmanShared, fix, &[("workspace", workspace)]);
        }
        K::SharingUnclear(why) => {
            let why = unclear(why, p.message.as_deref(), lang);
            let fix = match surface {
                Surface::Cli => E::ErrPostmanUnclearFix,
                Surface::Window => E::WinPostmanSharedFix,
            };
            return s.say(E::ErrPostmanUnclear, fix, &[("why", &why)]);
        }
    };
    let mut e = s.say(what, fix, &[]);
    if let Some(cause) = &p.cause {
        e.what.push_str(": ");
        e.what.push_str(&transport_cause(cause, lang));
    } else if let Some(status) = p.status {
        e.what.push_str(&format!(" (HTTP {status})"));
    }
    if let Some(m) = &p.message {
        e.what.push_str(". ");
        e.what
            .push_str(&E::ErrProviderSaid.fill(lang, &[("message", m)]));
    }
    e
}

/// Why Postman's answers do not show who sees an environment, in a few words.
pub(crate) fn unclear(why: Unclear, workspace: Option<&str>, lang: Lang) -> String {
    let text = match why {
        Unclear::NoWorkspaceList => E::UnclearNoWorkspaceList,
        Unclear::EntryWithoutId => E::UnclearEntryWithoutId,
        Unclear::NoEnvironmentList => E::UnclearNoEnvironmentList,
        Unclear::Contradictory => E::UnclearContradictory,
        Unclear::NotListed => E::UnclearNotListed,
    };
    text.fill(lang, &[("workspace", workspace.unwrap_or("?"))])
}

/// Explains why an assistant's call was refused: the cause, and the one thing that allows it.
pub(crate) fn explain_assistant(
    a: &crate::core::assistants::AssistantError,
    lang: Lang,
    surface: Surface,
) -> Explanation {
    use crate::core::assistants::AssistantError as A;
    let s = Say { lang, surface };
    match a {
        A::NotShared { name } => s.say(
            E::ErrAssistNotShared,
            E::ErrAssistNotSharedFix,
            &[("name", name)],
        ),
        A::TokenNotAllowed { name } => s.say(
            E::ErrAssistTokenNotAllowed,
            E::ErrAssistTokenNotAllowedFix,
            &[("name", name)],
        ),
        A::NoOrigins { name } => s.say(
            E::ErrAssistNoOrigins,
            E::ErrAssistNoOriginsFix,
            &[("name", name)],
        ),
        A::OriginNotAllowed { name, origin } => s.say(
            E::ErrAssistOrigin,
            E::ErrAssistOriginFix,
            &[("name", name), ("origin", origin)],
        ),
        A::BadUrl { why } => s.say(E::ErrAssistBadUrl, E::ErrAssistBadUrlFix, &[("why", why)]),
        A::BadMethod(m) => s.say(E::ErrAssistMethod, E::ErrAssistMethodFix, &[("method", m)]),
        A::HeaderRefused(h) => s.say(E::ErrAssistHeader, E::ErrAssistHeaderFix, &[("header", h)]),
        A::BadHeader(h) => s.say(
            E::ErrAssistBadHeader,
            E::ErrAssistBadHeaderFix,
            &[("header", h)],
        ),
        A::Redirected { name, origin } => s.say(
            E::ErrAssistRedirected,
            E::ErrAssistRedirectedFix,
            &[("name", name), ("origin", origin)],
        ),
        A::Unreachable { origin, cause } => s.say(
            E::ErrAssistUnreachable,
            E::ErrAssistUnreachableFix,
            &[("origin", origin), ("cause", &transport_cause(cause, lang))],
        ),
    }
}

/// A transport failure in a few words, for a service other than the provider (Postman).
fn transport_cause(kind: &HttpErrorKind, lang: Lang) -> String {
    match kind {
        HttpErrorKind::Timeout => T::CauseTimeout.tr(lang).to_owned(),
        HttpErrorKind::Connect(d) => T::CauseConnect.fill(lang, &[("detail", d)]),
        HttpErrorKind::Network(d) | HttpErrorKind::Setup(d) => {
            T::CauseNetwork.fill(lang, &[("detail", d)])
        }
        HttpErrorKind::TooLarge => T::CauseTooLarge.tr(lang).to_owned(),
        HttpErrorKind::Redirect(to) => {
            let to = to.as_deref().map(|h| format!(" ({h})")).unwrap_or_default();
            T::CauseRedirect.fill(lang, &[("to", &to)])
        }
        HttpErrorKind::Refused
        | HttpErrorKind::NotFound
        | HttpErrorKind::RateLimited
        | HttpErrorKind::Server
        | HttpErrorKind::UnexpectedStatus => T::CauseServer.tr(lang).to_owned(),
    }
}

/// Explains a keychain failure: which part is missing and how to fix it.
pub(crate) fn explain_keychain(
    k: &KeychainError,
    lang: Lang,
    name: &str,
    surface: Surface,
) -> Explanation {
    let s = Say { lang, surface };
    match k {
        KeychainError::NoSession { .. } => s.say(E::ErrNoSession, E::ErrNoSessionFix, &[]),
        KeychainError::NoService { .. } => s.say(E::ErrNoService, E::ErrNoServiceFix, &[]),
        KeychainError::Locked { .. } => s.say(E::ErrLocked, E::ErrLockedFix, &[]),
        KeychainError::Timeout { seconds } => s.say(
            E::ErrKeychainTimeout,
            E::ErrKeychainTimeoutFix,
            &[("seconds", &seconds.to_string())],
        ),
        KeychainError::Corrupt(detail) => s.say(
            E::ErrCorrupt,
            E::ErrCorruptFix,
            &[("name", name), ("detail", &detail.to_string())],
        ),
        KeychainError::Failed { detail } => s.say(
            E::ErrKeychainFailed,
            E::ErrKeychainFailedFix,
            &[("detail", detail)],
        ),
    }
}
