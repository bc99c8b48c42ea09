//! Turns a core [`Error`] into two sentences in the user's language: what happened (with the
//! provider's own `error_type`/`error_message` when there is one) and what to do.

use crate::core::error::{AuthReason, Error, InputError};
use crate::core::keychain::KeychainError;
use crate::core::provider::{ProviderError, ProviderErrorKind};

use super::{Lang, T};

/// What happened and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explanation {
    /// What happened.
    pub what: String,
    /// What to do.
    pub fix: String,
}

fn ex(lang: Lang, what: T, fix: T, args: &[(&str, &str)]) -> Explanation {
    Explanation {
        what: what.fill(lang, args),
        fix: fix.fill(lang, args),
    }
}

/// Explains an error about account `name` (used in the hints).
pub fn explain(err: &Error, lang: Lang, name: &str) -> Explanation {
    let n = ("name", name);
    match err {
        Error::Input(e) => explain_input(e, lang),
        Error::NoSuchAccount(a) => ex(
            lang,
            T::ErrNoSuchAccount,
            T::ErrNoSuchAccountFix,
            &[("name", a)],
        ),
        Error::NeedsAuthorization { name, reason } => match reason {
            AuthReason::NoRefreshToken => ex(
                lang,
                T::ErrNoRefreshToken,
                T::ErrNoRefreshTokenFix,
                &[("name", name)],
            ),
            AuthReason::MissingEntry => ex(
                lang,
                T::ErrMissingEntry,
                T::ErrMissingEntryFix,
                &[("name", name)],
            ),
        },
        Error::Provider(p) => explain_provider(p, lang, name),
        Error::Keychain(k) => explain_keychain(k, lang, name),
        Error::RotationLost { name, .. } => ex(
            lang,
            T::ErrRotationLost,
            T::ErrRotationLostFix,
            &[("name", name)],
        ),
        Error::Config(c) => {
            use crate::core::config::ConfigError as C;
            match c {
                C::Invalid { path, message } => ex(
                    lang,
                    T::ErrConfigInvalid,
                    T::ErrConfigInvalidFix,
                    &[("path", &path.display().to_string()), ("message", message)],
                ),
                C::NewerVersion { path, version } => ex(
                    lang,
                    T::ErrConfigNewer,
                    T::ErrConfigNewerFix,
                    &[
                        ("path", &path.display().to_string()),
                        ("version", &version.to_string()),
                    ],
                ),
                C::Busy { pid } => ex(
                    lang,
                    T::ErrConfigBusy,
                    T::ErrBusyFix,
                    &[("pid", &pid_text(*pid, lang))],
                ),
            }
        }
        Error::Busy { name, pid } => ex(
            lang,
            T::ErrBusy,
            T::ErrBusyFix,
            &[("name", name), ("pid", &pid_text(*pid, lang))],
        ),
        Error::Unsupported {
            operation,
            provider,
        } => ex(
            lang,
            T::ErrUnsupported,
            T::ErrUnsupportedFix,
            &[("operation", operation), ("provider", provider), n],
        ),
        Error::Io { what, path, source } => ex(
            lang,
            T::ErrIo,
            T::ErrIoFix,
            &[
                ("path", &path.display().to_string()),
                ("what", what),
                ("detail", &source.to_string()),
            ],
        ),
    }
}

fn pid_text(pid: Option<u32>, lang: Lang) -> String {
    pid.map_or_else(|| T::UnknownPid.tr(lang).to_owned(), |p| p.to_string())
}

fn explain_input(e: &InputError, lang: Lang) -> Explanation {
    match e {
        InputError::BadName(name) => ex(lang, T::ErrBadName, T::ErrBadNameFix, &[("name", name)]),
        InputError::NameTaken(name) => {
            ex(lang, T::ErrNameTaken, T::ErrNameTakenFix, &[("name", name)])
        }
        InputError::BlankClientSecret => ex(lang, T::ErrBlankSecret, T::ErrBlankSecretFix, &[]),
        InputError::BadClientId => ex(lang, T::ErrBadClientId, T::ErrBadClientIdFix, &[]),
        InputError::BadUrl { field, value, why } => ex(
            lang,
            T::ErrBadUrl,
            T::ErrBadUrlFix,
            &[("field", field), ("value", value), ("why", why)],
        ),
        InputError::StdinTooLarge => ex(lang, T::ErrStdinTooLarge, T::ErrStdinTooLargeFix, &[]),
        InputError::StdinNotText => ex(lang, T::ErrStdinNotText, T::ErrStdinNotTextFix, &[]),
        InputError::StdinSilent => ex(lang, T::ErrStdinSilent, T::ErrStdinSilentFix, &[]),
        InputError::BadDuration(v) => ex(
            lang,
            T::ErrBadDuration,
            T::ErrBadDurationFix,
            &[("value", v)],
        ),
        InputError::Other(msg) => Explanation {
            what: msg.clone(),
            fix: String::new(),
        },
    }
}

/// Explains a provider failure, quoting the provider's own words.
pub fn explain_provider(p: &ProviderError, lang: Lang, name: &str) -> Explanation {
    let n = [("name", name)];
    let error_type = p.error_type.as_deref().unwrap_or_default();
    let message = p.message.as_deref().unwrap_or_default();
    let mut e = match &p.kind {
        ProviderErrorKind::Rejected => {
            if error_type == "ACCESS_DENIED" && message.contains("redirect_uri") {
                ex(lang, T::ErrBadRedirect, T::ErrBadRedirectFix, &n)
            } else {
                match error_type {
                    "ACCESS_DENIED" | "invalid_client" | "unauthorized_client" => {
                        ex(lang, T::ErrAccessDenied, T::ErrAccessDeniedFix, &n)
                    }
                    "INVALID_REFRESH_TOKEN"
                    | "invalid_grant"
                    | "UNAUTHORIZED"
                    | "invalid_token" => {
                        ex(lang, T::ErrInvalidRefresh, T::ErrInvalidRefreshFix, &n)
                    }
                    "EXPIRED_CODE_GRANT" => ex(lang, T::ErrExpiredCode, T::ErrExpiredCodeFix, &n),
                    _ => ex(lang, T::ErrRejected, T::ErrRejectedFix, &n),
                }
            }
        }
        ProviderErrorKind::RateLimited => match p.retry_after {
            Some(d) => ex(
                lang,
                T::ErrRateLimited,
                T::ErrRateLimitedFix,
                &[("wait", &crate::core::clock::format_duration(d))],
            ),
            None => ex(lang, T::ErrRateLimited, T::ErrRateLimitedFixNoWait, &[]),
        },
        ProviderErrorKind::Server => ex(lang, T::ErrServer, T::ErrTransientFix, &[]),
        ProviderErrorKind::UnexpectedStatus => {
            ex(lang, T::ErrUnexpectedStatus, T::ErrUnexpectedStatusFix, &[])
        }
        ProviderErrorKind::Redirect(to) => {
            let to = to.as_deref().map(|h| format!(" ({h})")).unwrap_or_default();
            ex(
                lang,
                T::ErrRedirect,
                T::ErrRedirectFix,
                &[("to", &to), ("name", name)],
            )
        }
        ProviderErrorKind::Timeout => ex(lang, T::ErrTimeout, T::ErrNetworkFix, &[]),
        ProviderErrorKind::Connect(d) => {
            ex(lang, T::ErrConnect, T::ErrNetworkFix, &[("detail", d)])
        }
        ProviderErrorKind::Network(d) => {
            ex(lang, T::ErrNetwork, T::ErrNetworkFix, &[("detail", d)])
        }
        ProviderErrorKind::Malformed(d) => {
            ex(lang, T::ErrMalformed, T::ErrTransientFix, &[("detail", d)])
        }
        ProviderErrorKind::TooLarge => ex(lang, T::ErrTooLarge, T::ErrTransientFix, &[]),
        ProviderErrorKind::MissingAccessToken => {
            ex(lang, T::ErrMissingAccessToken, T::ErrTransientFix, &[])
        }
        ProviderErrorKind::BadExpiry(d) => {
            ex(lang, T::ErrBadExpiry, T::ErrTransientFix, &[("detail", d)])
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
            .push_str(&T::ErrProviderSaid.fill(lang, &[("message", &said)]));
    }
    e
}

/// Explains a keychain failure: which part is missing and how to fix it.
pub fn explain_keychain(k: &KeychainError, lang: Lang, name: &str) -> Explanation {
    match k {
        KeychainError::NoSession { .. } => ex(lang, T::ErrNoSession, T::ErrNoSessionFix, &[]),
        KeychainError::NoService { .. } => ex(lang, T::ErrNoService, T::ErrNoServiceFix, &[]),
        KeychainError::Locked { .. } => ex(lang, T::ErrLocked, T::ErrLockedFix, &[]),
        KeychainError::Timeout { seconds } => ex(
            lang,
            T::ErrKeychainTimeout,
            T::ErrKeychainTimeoutFix,
            &[("seconds", &seconds.to_string())],
        ),
        KeychainError::Corrupt(detail) => ex(
            lang,
            T::ErrCorrupt,
            T::ErrCorruptFix,
            &[
                ("name", name),
                ("detail", &detail.to_string()),
                ("id", "ID"),
            ],
        ),
        KeychainError::Failed { detail } => ex(
            lang,
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
