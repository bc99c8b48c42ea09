//! Turns a core [`Error`] into two sentences in the user's language: what happened (with the
//! provider's own `error_type`/`error_message` when there is one) and what to do.

mod input;
mod remote;

use crate::core::error::{AuthReason, Error};
use crate::i18n::{Lang, T};
use input::explain_input;
pub use remote::{explain_keychain, explain_postman, explain_provider};

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::keychain::KeychainError;
    use crate::core::provider::{ProviderError, ProviderErrorKind};

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
