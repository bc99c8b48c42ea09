//! Turns a core [`Error`] into two sentences in the user's language: what happened (with the
//! provider's own `error_type`/`error_message` when there is one) and what to do.

mod input;
mod remote;

use crate::core::error::{AuthReason, Error};
use crate::i18n::time::full_date_time;
use crate::i18n::{E, Lang, T};
use input::explain_input;
pub(crate) use remote::unclear;
pub(super) use remote::{explain_keychain, explain_postman, explain_provider};

/// Where the explanation is shown: the fixes differ (a command line, or a menu).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum Surface {
    /// The command line: fixes name `renova` commands.
    #[default]
    Cli,
    /// The window: fixes name buttons and menus.
    Window,
}

/// The window's wording of a fix, where it differs from the command line's.
fn window_fix(fix: E) -> E {
    match fix {
        E::ErrNoSuchAccountFix => E::WinNoSuchAccountFix,
        E::ErrNoRefreshTokenFix | E::ErrMissingEntryFix => E::WinNoRefreshTokenFix,
        E::ErrAccessDeniedFix => E::WinAccessDeniedFix,
        E::ErrInvalidRefreshFix => E::WinInvalidRefreshFix,
        E::ErrExpiredCodeFix => E::WinExpiredCodeFix,
        E::ErrRejectedFix => E::WinRejectedFix,
        E::ErrRedirectFix => E::WinRedirectFix,
        E::ErrRotationLostFix => E::WinRotationLostFix,
        E::ErrCorruptFix => E::WinCorruptFix,
        E::ErrUnexpectedStatusFix => E::WinUnexpectedStatusFix,
        E::ErrBlankSecretFix => E::WinBlankSecretFix,
        E::ErrStdinTooLargeFix | E::ErrStdinNotTextFix | E::ErrStdinSilentFix => E::WinStdinFix,
        E::ErrPortInUseFix => E::WinPortInUseFix,
        E::ErrMissingEndpointFix => E::WinMissingEndpointFix,
        E::ErrPostmanNoKeyFix => E::WinPostmanNoKeyFix,
        E::ErrPostmanInvalidKeyFix => E::WinPostmanInvalidKeyFix,
        E::ErrPostmanNotFoundFix => E::WinPostmanNotFoundFix,
        E::ErrOAuthOnlyFix => E::WinOAuthOnlyFix,
        E::ErrEndpointChangedFix => E::WinEndpointChangedFix,
        E::ErrBlankTokenFix => E::WinBlankTokenFix,
        E::ErrStaticExpiredFix => E::WinStaticExpiredFix,
        other => other,
    }
}

/// What happened and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Explanation {
    /// What happened.
    pub what: String,
    /// What to do.
    pub fix: String,
}

impl Explanation {
    /// "what — fix" on one line (cards, toasts, short notes).
    pub(crate) fn line(&self) -> String {
        format!("{} — {}", self.what, self.fix)
    }
}

/// A language and a surface: how every explanation is worded.
#[derive(Debug, Clone, Copy)]
struct Say {
    lang: Lang,
    surface: Surface,
}

impl Say {
    /// "What happened" and "what to do", filled with `args`.
    fn say(self, what: E, fix: E, args: &[(&str, &str)]) -> Explanation {
        let fix = match self.surface {
            Surface::Cli => fix,
            Surface::Window => window_fix(fix),
        };
        Explanation {
            what: what.fill(self.lang, args),
            fix: fix.fill(self.lang, args),
        }
    }
}

/// Explains an error about account `name` for the command line.
pub(crate) fn explain(err: &Error, lang: Lang, name: &str) -> Explanation {
    explain_for(Surface::Cli, err, lang, name)
}

/// Explains an error about account `name` (used in the hints), worded for a surface.
pub(crate) fn explain_for(surface: Surface, err: &Error, lang: Lang, name: &str) -> Explanation {
    let s = Say { lang, surface };
    let n = ("name", name);
    match err {
        Error::Input(e) => explain_input(e, lang, surface),
        Error::NoSuchAccount(a) => {
            s.say(E::ErrNoSuchAccount, E::ErrNoSuchAccountFix, &[("name", a)])
        }
        Error::NeedsAuthorization { name, reason } => match reason {
            AuthReason::NoRefreshToken => s.say(
                E::ErrNoRefreshToken,
                E::ErrNoRefreshTokenFix,
                &[("name", name)],
            ),
            AuthReason::MissingStaticToken => s.say(
                E::ErrMissingEntry,
                E::ErrStaticExpiredFix,
                &[("name", name)],
            ),
            AuthReason::MissingEntry => {
                s.say(E::ErrMissingEntry, E::ErrMissingEntryFix, &[("name", name)])
            }
        },
        Error::StaticExpired { name, at } => s.say(
            E::ErrStaticExpired,
            E::ErrStaticExpiredFix,
            &[("name", name), ("when", &full_date_time(*at, lang))],
        ),
        Error::StaticRefused { name, said } => s.say(
            E::ErrStaticRefused,
            E::ErrStaticExpiredFix,
            &[("name", name), ("said", said)],
        ),
        Error::Provider(p) => explain_provider(p, lang, name, surface),
        Error::Keychain(k) => explain_keychain(k, lang, name, surface),
        Error::RotationLost { name, .. } => {
            s.say(E::ErrRotationLost, E::ErrRotationLostFix, &[("name", name)])
        }
        Error::Config(c) => {
            use crate::core::config::ConfigError as C;
            match c {
                C::Invalid { path, message } => s.say(
                    E::ErrConfigInvalid,
                    E::ErrConfigInvalidFix,
                    &[("path", &path.display().to_string()), ("message", message)],
                ),
                C::NewerVersion { path, version } => s.say(
                    E::ErrConfigNewer,
                    E::ErrConfigNewerFix,
                    &[
                        ("path", &path.display().to_string()),
                        ("version", &version.to_string()),
                    ],
                ),
                C::Busy { pid } => s.say(
                    E::ErrConfigBusy,
                    E::ErrBusyFix,
                    &[("pid", &pid_text(*pid, lang))],
                ),
                C::Refused { path, refusal } => {
                    use crate::core::config::Refusal as R;
                    let why = match refusal {
                        R::Link => E::FileIsLink,
                        R::NotAFile => E::FileNotRegular,
                        R::TooLarge => E::FileTooLarge,
                    };
                    s.say(
                        E::ErrFileRefused,
                        E::ErrFileRefusedFix,
                        &[("path", &path.display().to_string()), ("why", why.tr(lang))],
                    )
                }
                C::Io(e) => explain_io(e, lang, surface),
            }
        }
        Error::Busy { name, pid } => s.say(
            E::ErrBusy,
            E::ErrBusyFix,
            &[("name", name), ("pid", &pid_text(*pid, lang))],
        ),
        Error::Unsupported {
            operation,
            provider,
        } => s.say(
            E::ErrUnsupported,
            E::ErrUnsupportedFix,
            &[("operation", operation), ("provider", provider), n],
        ),
        Error::Postman(p) => explain_postman(p, lang, surface),
        Error::Interrupted => s.say(E::ErrInterrupted, E::ErrInterruptedFix, &[n]),
        Error::Authorize(a) => {
            use crate::core::callback::AuthorizeError as A;
            match a {
                A::PortInUse { host, port } => s.say(
                    E::ErrPortInUse,
                    E::ErrPortInUseFix,
                    &[("host", host), ("port", &port.to_string())],
                ),
                A::Denied { error, description } => {
                    let shown = match description {
                        Some(d) => format!("{error}: {d}"),
                        None => error.clone(),
                    };
                    s.say(E::ErrAuthDenied, E::ErrAuthDeniedFix, &[("error", &shown)])
                }
                A::TimedOut => s.say(E::ErrAuthTimedOut, E::ErrAuthTimedOutFix, &[]),
            }
        }
        Error::Io(e) => explain_io(e, lang, surface),
        Error::Assistant(a) => remote::explain_assistant(a, lang, surface),
    }
}

fn explain_io(e: &crate::core::files::IoError, lang: Lang, surface: Surface) -> Explanation {
    let s = Say { lang, surface };
    s.say(
        E::ErrIo,
        E::ErrIoFix,
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
    use crate::core::provider::{ProviderError, ProviderErrorKind, Reason};

    #[test]
    fn rd_errors_are_explained_in_both_languages() {
        // The reason is the core's; the provider's own code is only quoted, so any word does
        // (RD's real codes are the provider layer's to read, and its tests').
        let p = ProviderError {
            kind: ProviderErrorKind::Rejected,
            reason: Reason::WrongClient,
            status: Some(401),
            error_type: Some("SOME_PROVIDER_CODE".into()),
            message: Some("Wrong credentials provided.".into()),
            retry_after: None,
        };
        let en = explain(&Error::Provider(p.clone()), Lang::En, "loja");
        assert!(
            en.what
                .contains("SOME_PROVIDER_CODE: Wrong credentials provided."),
            "{en:?}"
        );
        assert!(
            en.fix
                .contains("client secret is wrong or the app was removed"),
            "{en:?}"
        );
        let pt = explain(&Error::Provider(p), Lang::PtBr, "loja");
        assert!(
            pt.fix.contains("chave secreta do app está errada"),
            "{pt:?}"
        );
        let p = ProviderError {
            reason: Reason::DeadRefreshToken,
            error_type: Some("ANOTHER_PROVIDER_CODE".into()),
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
