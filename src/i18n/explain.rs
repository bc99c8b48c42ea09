//! Turns a core [`Error`] into two sentences in the user's language: what happened (with the
//! provider's own `error_type`/`error_message` when there is one) and what to do.

use crate::core::error::{AuthReason, Error, InputError};
use crate::core::http::HttpErrorKind;
use crate::core::keychain::KeychainError;
use crate::core::provider::{ProviderError, ProviderErrorKind};

use super::{Lang, T};

/// Where the explanation is shown: the fixes differ (a command line, or a menu).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Surface {
    /// The command line: fixes name `renova` commands.
    #[default]
    Cli,
    /// The window: fixes name buttons and menus.
    Window,
}

/// The window's wording of a fix, where it differs from the command line's.
fn window_fix(fix: T) -> T {
    match fix {
        T::ErrNoSuchAccountFix => T::WinNoSuchAccountFix,
        T::ErrNoRefreshTokenFix | T::ErrMissingEntryFix => T::WinNoRefreshTokenFix,
        T::ErrAccessDeniedFix => T::WinAccessDeniedFix,
        T::ErrInvalidRefreshFix => T::WinInvalidRefreshFix,
        T::ErrExpiredCodeFix => T::WinExpiredCodeFix,
        T::ErrRejectedFix => T::WinRejectedFix,
        T::ErrRedirectFix => T::WinRedirectFix,
        T::ErrRotationLostFix => T::WinRotationLostFix,
        T::ErrCorruptFix => T::WinCorruptFix,
        T::ErrUnexpectedStatusFix => T::WinUnexpectedStatusFix,
        T::ErrBlankSecretFix => T::WinBlankSecretFix,
        T::ErrStdinTooLargeFix | T::ErrStdinNotTextFix | T::ErrStdinSilentFix => T::WinStdinFix,
        T::ErrPortInUseFix => T::WinPortInUseFix,
        T::ErrMissingEndpointFix => T::WinMissingEndpointFix,
        T::ErrPostmanNoKeyFix => T::WinPostmanNoKeyFix,
        T::ErrPostmanInvalidKeyFix => T::WinPostmanInvalidKeyFix,
        T::ErrPostmanNotFoundFix => T::WinPostmanNotFoundFix,
        T::ErrOAuthOnlyFix => T::WinOAuthOnlyFix,
        other => other,
    }
}

/// What happened and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explanation {
    /// What happened.
    pub what: String,
    /// What to do.
    pub fix: String,
}

impl Explanation {
    /// "what — fix" on one line (cards, toasts, short notes).
    pub fn line(&self) -> String {
        format!("{} — {}", self.what, self.fix)
    }
}

fn ex(lang: Lang, surface: Surface, what: T, fix: T, args: &[(&str, &str)]) -> Explanation {
    let fix = match surface {
        Surface::Cli => fix,
        Surface::Window => window_fix(fix),
    };
    Explanation {
        what: what.fill(lang, args),
        fix: fix.fill(lang, args),
    }
}

/// Explains an error about account `name` for the command line.
pub fn explain(err: &Error, lang: Lang, name: &str) -> Explanation {
    explain_for(Surface::Cli, err, lang, name)
}

/// Explains an error about account `name` (used in the hints), worded for a surface.
pub fn explain_for(surface: Surface, err: &Error, lang: Lang, name: &str) -> Explanation {
    let n = ("name", name);
    match err {
        Error::Input(e) => explain_input(e, lang, surface),
        Error::NoSuchAccount(a) => ex(
            lang,
            surface,
            T::ErrNoSuchAccount,
            T::ErrNoSuchAccountFix,
            &[("name", a)],
        ),
        Error::NeedsAuthorization { name, reason } => match reason {
            AuthReason::NoRefreshToken => ex(
                lang,
                surface,
                T::ErrNoRefreshToken,
                T::ErrNoRefreshTokenFix,
                &[("name", name)],
            ),
            AuthReason::MissingEntry => ex(
                lang,
                surface,
                T::ErrMissingEntry,
                T::ErrMissingEntryFix,
                &[("name", name)],
            ),
        },
        Error::Provider(p) => explain_provider(p, lang, name, surface),
        Error::Keychain(k) => explain_keychain(k, lang, name, surface),
        Error::RotationLost { name, .. } => ex(
            lang,
            surface,
            T::ErrRotationLost,
            T::ErrRotationLostFix,
            &[("name", name)],
        ),
        Error::Config(c) => {
            use crate::core::config::ConfigError as C;
            match c {
                C::Invalid { path, message } => ex(
                    lang,
                    surface,
                    T::ErrConfigInvalid,
                    T::ErrConfigInvalidFix,
                    &[("path", &path.display().to_string()), ("message", message)],
                ),
                C::NewerVersion { path, version } => ex(
                    lang,
                    surface,
                    T::ErrConfigNewer,
                    T::ErrConfigNewerFix,
                    &[
                        ("path", &path.display().to_string()),
                        ("version", &version.to_string()),
                    ],
                ),
                C::Busy { pid } => ex(
                    lang,
                    surface,
                    T::ErrConfigBusy,
                    T::ErrBusyFix,
                    &[("pid", &pid_text(*pid, lang))],
                ),
                C::Io(e) => explain_io(e, lang, surface),
            }
        }
        Error::Busy { name, pid } => ex(
            lang,
            surface,
            T::ErrBusy,
            T::ErrBusyFix,
            &[("name", name), ("pid", &pid_text(*pid, lang))],
        ),
        Error::Unsupported {
            operation,
            provider,
        } => ex(
            lang,
            surface,
            T::ErrUnsupported,
            T::ErrUnsupportedFix,
            &[("operation", operation), ("provider", provider), n],
        ),
        Error::Postman(p) => explain_postman(p, lang, surface),
        Error::Authorize(a) => {
            use crate::core::callback::AuthorizeError as A;
            match a {
                A::PortInUse { host, port } => ex(
                    lang,
                    surface,
                    T::ErrPortInUse,
                    T::ErrPortInUseFix,
                    &[("host", host), ("port", &port.to_string())],
                ),
                A::Denied { error, description } => {
                    let shown = match description {
                        Some(d) => format!("{error}: {d}"),
                        None => error.clone(),
                    };
                    ex(
                        lang,
                        surface,
                        T::ErrAuthDenied,
                        T::ErrAuthDeniedFix,
                        &[("error", &shown)],
                    )
                }
                A::TimedOut => ex(
                    lang,
                    surface,
                    T::ErrAuthTimedOut,
                    T::ErrAuthTimedOutFix,
                    &[],
                ),
            }
        }
        Error::Io(e) => explain_io(e, lang, surface),
    }
}

fn explain_io(e: &crate::core::files::IoError, lang: Lang, surface: Surface) -> Explanation {
    ex(
        lang,
        surface,
        T::ErrIo,
        T::ErrIoFix,
        &[
            ("path", &e.path.display().to_string()),
            ("what", e.what),
            ("detail", &e.source.to_string()),
        ],
    )
}

fn pid_text(pid: Option<u32>, lang: Lang) -> String {
    pid.map_or_else(|| T::UnknownPid.tr(lang).to_owned(), |p| p.to_string())
}

fn explain_input(e: &InputError, lang: Lang, surface: Surface) -> Explanation {
    match e {
        InputError::BadName(name) => ex(
            lang,
            surface,
            T::ErrBadName,
            T::ErrBadNameFix,
            &[("name", name)],
        ),
        InputError::NameTaken(name) => ex(
            lang,
            surface,
            T::ErrNameTaken,
            T::ErrNameTakenFix,
            &[("name", name)],
        ),
        InputError::BlankClientSecret => {
            ex(lang, surface, T::ErrBlankSecret, T::ErrBlankSecretFix, &[])
        }
        InputError::BadClientId => ex(lang, surface, T::ErrBadClientId, T::ErrBadClientIdFix, &[]),
        InputError::BadUrl { field, value, why } => ex(
            lang,
            surface,
            T::ErrBadUrl,
            T::ErrBadUrlFix,
            &[("field", field), ("value", value), ("why", why)],
        ),
        InputError::StdinTooLarge => ex(
            lang,
            surface,
            T::ErrStdinTooLarge,
            T::ErrStdinTooLargeFix,
            &[],
        ),
        InputError::StdinNotText => ex(
            lang,
            surface,
            T::ErrStdinNotText,
            T::ErrStdinNotTextFix,
            &[],
        ),
        InputError::StdinSilent => ex(lang, surface, T::ErrStdinSilent, T::ErrStdinSilentFix, &[]),
        InputError::BadDuration(v) => ex(
            lang,
            surface,
            T::ErrBadDuration,
            T::ErrBadDurationFix,
            &[("value", v)],
        ),
        InputError::MissingEndpoint { field, name } => ex(
            lang,
            surface,
            T::ErrMissingEndpoint,
            T::ErrMissingEndpointFix,
            &[("field", field), ("name", name)],
        ),
        InputError::OAuthOnly { provider } => ex(
            lang,
            surface,
            T::ErrOAuthOnly,
            T::ErrOAuthOnlyFix,
            &[("provider", provider)],
        ),
        InputError::PortNotLocal(uri) => ex(
            lang,
            surface,
            T::ErrPortNotLocal,
            T::ErrPortNotLocalFix,
            &[("uri", uri)],
        ),
        InputError::BadPostmanKey => ex(
            lang,
            surface,
            T::ErrPostmanNoKey,
            T::ErrPostmanNoKeyFix,
            &[],
        ),
        InputError::BadPostmanEnv(v) => ex(
            lang,
            surface,
            T::ErrBadPostmanEnv,
            T::ErrBadPostmanEnvFix,
            &[("value", v)],
        ),
    }
}

/// Explains a provider failure, quoting the provider's own words.
pub fn explain_provider(
    p: &ProviderError,
    lang: Lang,
    name: &str,
    surface: Surface,
) -> Explanation {
    let n = [("name", name)];
    let error_type = p.error_type.as_deref().unwrap_or_default();
    let message = p.message.as_deref().unwrap_or_default();
    let mut e = match &p.kind {
        ProviderErrorKind::Rejected => {
            if error_type == "ACCESS_DENIED" && message.contains("redirect_uri") {
                ex(lang, surface, T::ErrBadRedirect, T::ErrBadRedirectFix, &n)
            } else {
                match error_type {
                    "ACCESS_DENIED" | "invalid_client" | "unauthorized_client" => {
                        ex(lang, surface, T::ErrAccessDenied, T::ErrAccessDeniedFix, &n)
                    }
                    "INVALID_REFRESH_TOKEN"
                    | "invalid_grant"
                    | "UNAUTHORIZED"
                    | "invalid_token" => ex(
                        lang,
                        surface,
                        T::ErrInvalidRefresh,
                        T::ErrInvalidRefreshFix,
                        &n,
                    ),
                    "EXPIRED_CODE_GRANT" => {
                        ex(lang, surface, T::ErrExpiredCode, T::ErrExpiredCodeFix, &n)
                    }
                    _ => ex(lang, surface, T::ErrRejected, T::ErrRejectedFix, &n),
                }
            }
        }
        ProviderErrorKind::RateLimited => match p.retry_after {
            Some(d) => ex(
                lang,
                surface,
                T::ErrRateLimited,
                T::ErrRateLimitedFix,
                &[("wait", &crate::core::clock::format_duration(d))],
            ),
            None => ex(
                lang,
                surface,
                T::ErrRateLimited,
                T::ErrRateLimitedFixNoWait,
                &[],
            ),
        },
        ProviderErrorKind::Server => ex(lang, surface, T::ErrServer, T::ErrTransientFix, &[]),
        ProviderErrorKind::UnexpectedStatus => ex(
            lang,
            surface,
            T::ErrUnexpectedStatus,
            T::ErrUnexpectedStatusFix,
            &[],
        ),
        ProviderErrorKind::Redirect(to) => {
            let to = to.as_deref().map(|h| format!(" ({h})")).unwrap_or_default();
            ex(
                lang,
                surface,
                T::ErrRedirect,
                T::ErrRedirectFix,
                &[("to", &to), ("name", name)],
            )
        }
        ProviderErrorKind::Timeout => ex(lang, surface, T::ErrTimeout, T::ErrNetworkFix, &[]),
        ProviderErrorKind::Connect(d) => ex(
            lang,
            surface,
            T::ErrConnect,
            T::ErrNetworkFix,
            &[("detail", d)],
        ),
        ProviderErrorKind::Network(d) => ex(
            lang,
            surface,
            T::ErrNetwork,
            T::ErrNetworkFix,
            &[("detail", d)],
        ),
        ProviderErrorKind::Malformed(d) => ex(
            lang,
            surface,
            T::ErrMalformed,
            T::ErrTransientFix,
            &[("detail", d)],
        ),
        ProviderErrorKind::TooLarge => ex(lang, surface, T::ErrTooLarge, T::ErrTransientFix, &[]),
        ProviderErrorKind::MissingAccessToken => ex(
            lang,
            surface,
            T::ErrMissingAccessToken,
            T::ErrTransientFix,
            &[],
        ),
        ProviderErrorKind::BadExpiry(d) => ex(
            lang,
            surface,
            T::ErrBadExpiry,
            T::ErrTransientFix,
            &[("detail", d)],
        ),
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
            .push_str(&T::ErrProviderSaid.fill(lang, &[("message", &said)]));
    }
    e
}

/// Explains a Postman failure, quoting Postman's own words.
pub fn explain_postman(
    p: &crate::core::postman::PostmanError,
    lang: Lang,
    surface: Surface,
) -> Explanation {
    use crate::core::postman::PostmanErrorKind as K;
    let (what, fix) = match p.kind {
        K::NoKey => (T::ErrPostmanNoKey, T::ErrPostmanNoKeyFix),
        K::InvalidKey => (T::ErrPostmanInvalidKey, T::ErrPostmanInvalidKeyFix),
        K::NotFound => (T::ErrPostmanNotFound, T::ErrPostmanNotFoundFix),
        K::RateLimited => (T::ErrPostmanRateLimited, T::ErrPostmanRetryFix),
        K::Unavailable => (T::ErrPostmanUnavailable, T::ErrPostmanRetryFix),
        K::Malformed => (T::ErrPostmanMalformed, T::ErrPostmanRetryFix),
    };
    let mut e = ex(lang, surface, what, fix, &[]);
    if let Some(cause) = &p.cause {
        e.what.push_str(": ");
        e.what.push_str(&transport_cause(cause, lang));
    }
    if let Some(status) = p.status {
        e.what.push_str(&format!(" (HTTP {status})"));
    }
    if let Some(m) = &p.message {
        e.what.push_str(". ");
        e.what
            .push_str(&T::ErrProviderSaid.fill(lang, &[("message", m)]));
    }
    e
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
pub fn explain_keychain(
    k: &KeychainError,
    lang: Lang,
    name: &str,
    surface: Surface,
) -> Explanation {
    match k {
        KeychainError::NoSession { .. } => {
            ex(lang, surface, T::ErrNoSession, T::ErrNoSessionFix, &[])
        }
        KeychainError::NoService { .. } => {
            ex(lang, surface, T::ErrNoService, T::ErrNoServiceFix, &[])
        }
        KeychainError::Locked { .. } => ex(lang, surface, T::ErrLocked, T::ErrLockedFix, &[]),
        KeychainError::Timeout { seconds } => ex(
            lang,
            surface,
            T::ErrKeychainTimeout,
            T::ErrKeychainTimeoutFix,
            &[("seconds", &seconds.to_string())],
        ),
        KeychainError::Corrupt(detail) => ex(
            lang,
            surface,
            T::ErrCorrupt,
            T::ErrCorruptFix,
            &[("name", name), ("detail", &detail.to_string())],
        ),
        KeychainError::Failed { detail } => ex(
            lang,
            surface,
            T::ErrKeychainFailed,
            T::ErrKeychainFailedFix,
            &[("detail", detail)],
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rd_errors_are_explained_in_both_languages() {
        let p = ProviderError {
            kind: ProviderErrorKind::Rejected,
            status: Some(401),
            error_type: Some("ACCESS_DENIED".into()),
            message: Some("Wrong credentials provided.".into()),
            retry_after: None,
        };
        let en = explain(&Error::Provider(p.clone()), Lang::En, "loja");
        assert!(
            en.what
                .contains("ACCESS_DENIED: Wrong credentials provided."),
            "{en:?}"
        );
        assert!(
            en.fix
                .contains("client secret is wrong or the app was removed"),
            "{en:?}"
        );
        let pt = explain(&Error::Provider(p), Lang::PtBr, "loja");
        assert!(pt.fix.contains("client secret está errado"), "{pt:?}");
        let p = ProviderError {
            error_type: Some("INVALID_REFRESH_TOKEN".into()),
            message: None,
            ..ProviderError::new(ProviderErrorKind::Rejected)
        };
        let en = explain(&Error::Provider(p), Lang::En, "loja");
        assert!(en.fix.contains("renova authorize loja"), "{en:?}");
    }

    #[test]
    fn keychain_errors_name_the_missing_part() {
        let en = explain(
            &Error::Keychain(KeychainError::NoService {
                detail: String::new(),
            }),
            Lang::En,
            "x",
        );
        assert!(en.what.contains("org.freedesktop.secrets"));
        assert!(en.fix.contains("gnome-keyring"));
        let pt = explain(
            &Error::Keychain(KeychainError::Locked {
                detail: String::new(),
            }),
            Lang::PtBr,
            "x",
        );
        assert!(pt.what.contains("bloqueado"));
    }
}
