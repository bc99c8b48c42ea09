//! The core's error: each module's own error, gathered. Each variant keeps what a front-end
//! needs to explain the failure in the user's language (`crate::i18n::explain`) and to pick
//! the CLI exit code. Nothing here ever holds a secret: server texts are redacted in the HTTP
//! layer before they get here. No module below this one returns it.

use crate::core::assistants::error::AssistantError;
use crate::core::callback::error::AuthorizeError;
use crate::core::config::ConfigError;
use crate::core::files::IoError;
pub(crate) use crate::core::input::InputError;
use crate::core::keychain::error::KeychainError;
use crate::core::postman::error::{PostmanError, PostmanErrorKind};
use crate::core::provider::error::ProviderError;

/// Why an account cannot get a token until the user authorizes it again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthReason {
    /// The account has no refresh token (added without one, or revoked).
    NoRefreshToken,
    /// The account is configured but its keychain entry is gone.
    MissingEntry,
    /// A static token's keychain entry is gone: it is pasted again.
    MissingStaticToken,
}

/// Every failure the core can report.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The user's input was rejected before anything was stored.
    #[error("invalid input: {0:?}")]
    Input(InputError),
    /// No account has this name.
    #[error("no account named `{0}`")]
    NoSuchAccount(String),
    /// The account must be authorized again before it can give a token.
    #[error("account `{name}` needs authorization ({reason:?})")]
    NeedsAuthorization {
        /// Account name.
        name: String,
        /// Why.
        reason: AuthReason,
    },
    /// A static token expired: only the person can paste a new one.
    #[error("the token of `{name}` expired on {at}")]
    StaticExpired {
        /// Account name.
        name: String,
        /// When it expired.
        at: jiff::Timestamp,
    },
    /// The provider refused a static token (its text already redacted).
    #[error("the token of `{name}` was refused: {said}")]
    StaticRefused {
        /// Account name.
        name: String,
        /// What the provider said.
        said: String,
    },
    /// The provider refused or could not be reached.
    #[error("{0}")]
    Provider(#[from] ProviderError),
    /// The OS keychain could not be used.
    #[error("{0}")]
    Keychain(#[from] KeychainError),
    /// A rotated refresh token could not be stored: the old one is dead, the new one is lost.
    #[error("the new refresh token of `{name}` could not be stored: {source}")]
    RotationLost {
        /// Account name.
        name: String,
        /// The keychain failure.
        source: KeychainError,
    },
    /// `accounts.toml` cannot be read or written.
    #[error("{0}")]
    Config(#[from] ConfigError),
    /// Another Renova process held the account for too long.
    #[error("account `{name}` is busy (held by pid {pid:?})")]
    Busy {
        /// Account name.
        name: String,
        /// Process id of the holder, when known.
        pid: Option<u32>,
    },
    /// The provider of this account does not offer the operation.
    #[error("`{operation}` is not available for provider {provider}")]
    Unsupported {
        /// The operation, e.g. `check`.
        operation: &'static str,
        /// The provider id.
        provider: &'static str,
    },
    /// Postman's API refused or failed (only fatal for Postman's own commands).
    #[error("{0}")]
    Postman(#[from] PostmanError),
    /// Authorizing in the browser did not complete.
    #[error("{0}")]
    Authorize(#[from] AuthorizeError),
    /// A file, folder or other OS resource could not be used.
    #[error("{0}")]
    Io(#[from] IoError),
    /// Renova was stopping: the operation was left before anything was received or stored.
    #[error("interrupted: Renova is stopping")]
    Interrupted,
    /// An AI assistant's call was refused by the person's rules for the account.
    #[error("{0}")]
    Assistant(#[from] AssistantError),
}

/// What kind of failure an error is, for whoever is told: the one place that picks the CLI's
/// exit code (README, "Exit codes") and the token endpoint's HTTP status for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailureClass {
    /// The input or the operation is wrong (bad flags, bad input, unsupported).
    Usage,
    /// The account must be authorized again (or its secret fixed).
    NeedsAuthorization,
    /// The provider (or Postman) is unreachable or failing for now.
    Unavailable,
    /// The keychain is unavailable or locked, or a rotated token could not be stored.
    Keychain,
    /// No account has that name.
    NoSuchAccount,
    /// A stored account's settings need the person: an endpoint changed and awaits
    /// confirmation, or one the account needs is missing or invalid.
    Settings,
    /// Anything else.
    Other,
}

impl FailureClass {
    /// The CLI's exit code.
    pub fn exit_code(self) -> u8 {
        match self {
            FailureClass::Other => 1,
            FailureClass::Usage | FailureClass::Settings => 2,
            FailureClass::NeedsAuthorization => 3,
            FailureClass::Unavailable => 4,
            FailureClass::Keychain => 5,
            FailureClass::NoSuchAccount => 6,
        }
    }

    /// The token endpoint's HTTP status.
    pub fn http_status(self) -> u16 {
        match self {
            FailureClass::Usage => 400,
            FailureClass::NoSuchAccount => 404,
            FailureClass::NeedsAuthorization | FailureClass::Settings => 409,
            FailureClass::Unavailable | FailureClass::Keychain => 503,
            FailureClass::Other => 500,
        }
    }

    /// The word a program reads in the endpoint's JSON `error`.
    pub fn code(self) -> &'static str {
        match self {
            FailureClass::Usage => "bad_request",
            FailureClass::NoSuchAccount => "no_such_account",
            FailureClass::NeedsAuthorization => "needs_authorization",
            FailureClass::Settings => "needs_attention",
            FailureClass::Unavailable | FailureClass::Keychain => "unavailable",
            FailureClass::Other => "failed",
        }
    }
}

impl Error {
    /// What kind of failure this is.
    pub fn class(&self) -> FailureClass {
        match self {
            Error::Input(
                InputError::EndpointChanged(_)
                | InputError::MissingEndpoint { .. }
                | InputError::OAuthOnly { .. }
                | InputError::BadUrl { .. },
            ) => FailureClass::Settings,
            Error::Input(_) | Error::Unsupported { .. } => FailureClass::Usage,
            Error::Assistant(AssistantError::NotShared { .. }) => FailureClass::NoSuchAccount,
            Error::Assistant(AssistantError::Unreachable { .. }) => FailureClass::Unavailable,
            Error::Assistant(_) => FailureClass::Usage,
            Error::NeedsAuthorization { .. }
            | Error::StaticExpired { .. }
            | Error::StaticRefused { .. } => FailureClass::NeedsAuthorization,
            Error::Provider(p) if p.is_permanent() => FailureClass::NeedsAuthorization,
            Error::Provider(_) => FailureClass::Unavailable,
            Error::Keychain(KeychainError::Corrupt { .. }) => FailureClass::Other,
            Error::Keychain(_) | Error::RotationLost { .. } => FailureClass::Keychain,
            Error::NoSuchAccount(_) => FailureClass::NoSuchAccount,
            Error::Authorize(AuthorizeError::Denied { .. }) => FailureClass::NeedsAuthorization,
            Error::Postman(p) if p.kind == PostmanErrorKind::NoKey => FailureClass::Usage,
            Error::Postman(p) if p.is_transient() => FailureClass::Unavailable,
            Error::Postman(_) => FailureClass::Other,
            Error::Config(_)
            | Error::Busy { .. }
            | Error::Io(_)
            | Error::Authorize(_)
            | Error::Interrupted => FailureClass::Other,
        }
    }

    /// Whether a refresh or copy that failed with this error left it on the account in
    /// `state.json`, where the account's card shows it with its fix (the window then only
    /// points there); otherwise only the one who asked hears of it.
    pub fn stays_on_account(&self) -> bool {
        match self {
            Error::Provider(_)
            | Error::Keychain(_)
            | Error::RotationLost { .. }
            | Error::NeedsAuthorization { .. } => true,
            Error::Input(_) => self.class() == FailureClass::Settings,
            _ => false,
        }
    }

    /// The CLI exit code (README, "Exit codes").
    pub fn exit_code(&self) -> u8 {
        self.class().exit_code()
    }

    /// Shorthand for an I/O error on one of Renova's files or resources.
    pub fn io(
        what: &'static str,
        path: impl Into<std::path::PathBuf>,
        source: std::io::Error,
    ) -> Self {
        Error::Io(IoError::new(what, path, source))
    }
}

impl From<InputError> for Error {
    fn from(e: InputError) -> Self {
        Error::Input(e)
    }
}

/// The core's result type.
pub(crate) type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::input::{EndpointChange, Setting};
    use crate::core::provider::error::ProviderErrorKind;
    use crate::core::secrets::EndpointKind;

    #[test]
    fn what_a_refresh_leaves_on_the_account_the_window_points_to() {
        let on_account = [
            Error::Provider(ProviderError::new(ProviderErrorKind::Timeout)),
            Error::Keychain(KeychainError::Locked {
                detail: "locked".into(),
            }),
            Error::NeedsAuthorization {
                name: "loja".into(),
                reason: AuthReason::NoRefreshToken,
            },
            Error::Input(InputError::EndpointChanged(Box::new(EndpointChange {
                name: "loja".into(),
                kind: EndpointKind::Token,
                url: "https://elsewhere.example/token".into(),
                known: None,
                setting: Setting::BaseUrl,
                value: "https://elsewhere.example".into(),
            }))),
        ];
        for e in &on_account {
            assert!(e.stays_on_account(), "{e:?}");
        }
        let only_told = [
            Error::NoSuchAccount("loja".into()),
            Error::Input(InputError::BadClientId),
            Error::Busy {
                name: "loja".into(),
                pid: None,
            },
        ];
        for e in &only_told {
            assert!(!e.stays_on_account(), "{e:?}");
        }
    }

    #[test]
    fn a_settings_problem_is_409_needs_attention_and_exit_2() {
        let e = Error::Input(InputError::MissingEndpoint {
            field: Setting::AuthorizeUrl,
            name: "loja".into(),
        });
        assert_eq!(e.class(), FailureClass::Settings);
        assert_eq!(e.exit_code(), 2);
        assert_eq!(e.class().http_status(), 409);
        assert_eq!(e.class().code(), "needs_attention");
        assert_eq!(
            Error::Input(InputError::BadClientId).class().http_status(),
            400
        );
    }
}
