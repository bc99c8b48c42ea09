//! The one error type of the core. Each variant keeps what a front-end needs to explain the
//! failure in the user's language (`crate::i18n::explain`) and to pick the CLI exit code.
//! Nothing here ever holds a secret: provider messages are redacted before they get here.

use std::path::PathBuf;

use crate::core::keychain::KeychainError;
use crate::core::provider::ProviderError;

/// Why an account cannot get a token until the user authorizes it again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthReason {
    /// The account has no refresh token (added without one, or revoked).
    NoRefreshToken,
    /// The account is configured but its keychain entry is gone.
    MissingEntry,
}

/// What was wrong with the user's input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputError {
    /// The account name does not match `^[a-z0-9][a-z0-9._-]{0,63}$`.
    BadName(String),
    /// Another account already has this name (ignoring case).
    NameTaken(String),
    /// The client secret is blank but the client authenticates with one.
    BlankClientSecret,
    /// The client id is blank or contains whitespace.
    BadClientId,
    /// A URL is not valid, or is plain `http://` to a host that is not loopback.
    BadUrl {
        /// Which setting (e.g. `--base-url`).
        field: String,
        /// The rejected value (URLs are not secret).
        value: String,
        /// Why it was rejected.
        why: String,
    },
    /// More than 8 KiB arrived on standard input.
    StdinTooLarge,
    /// Standard input was not UTF-8 text.
    StdinNotText,
    /// Nothing arrived on standard input (not a terminal) within a minute.
    StdinSilent,
    /// A duration like `15m` could not be read.
    BadDuration(String),
    /// An endpoint the operation needs is not configured (e.g. `--authorize-url`).
    MissingEndpoint {
        /// The flag that sets it.
        field: String,
        /// The account.
        name: String,
    },
    /// Endpoint flags given for a provider whose endpoints are fixed.
    OAuthOnly {
        /// The account's provider id.
        provider: String,
    },
    /// `--port` given while the redirect URI is not on this machine.
    PortNotLocal(String),
    /// Not a Postman environment id.
    BadPostmanEnv(String),
    /// No Postman API key was given.
    BadPostmanKey,
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
    Config(#[from] crate::core::config::ConfigError),
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
    Postman(crate::core::postman::PostmanError),
    /// Authorizing in the browser did not complete.
    #[error("{0}")]
    Authorize(crate::core::authorize::AuthorizeError),
    /// A file or folder in Renova's own directories could not be used.
    #[error("{what} ({path}): {source}")]
    Io {
        /// What Renova was doing.
        what: &'static str,
        /// The path involved.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
}

impl Error {
    /// The CLI exit code documented in DESIGN §7.
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Input(_) | Error::Unsupported { .. } => 2,
            Error::NeedsAuthorization { .. } => 3,
            Error::Provider(p) if p.is_permanent() => 3,
            Error::Provider(_) => 4,
            Error::Keychain(KeychainError::Corrupt { .. }) => 1,
            Error::Keychain(_) | Error::RotationLost { .. } => 5,
            Error::NoSuchAccount(_) => 6,
            Error::Authorize(crate::core::authorize::AuthorizeError::Denied { .. }) => 3,
            Error::Postman(p) if p.kind == crate::core::postman::PostmanErrorKind::NoKey => 2,
            Error::Postman(p) if p.is_transient() => 4,
            Error::Postman(_) => 1,
            Error::Config(_) | Error::Busy { .. } | Error::Io { .. } | Error::Authorize(_) => 1,
        }
    }

    /// Shorthand for an I/O error on one of Renova's files.
    pub fn io(what: &'static str, path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            what,
            path: path.into(),
            source,
        }
    }
}

impl From<InputError> for Error {
    fn from(e: InputError) -> Self {
        Error::Input(e)
    }
}

/// The core's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
