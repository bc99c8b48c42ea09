//! What was wrong with what the user typed or piped in. A leaf: every layer may return it, and
//! it never holds a secret (only names, URLs and flags, which are not secret).

use serde::{Deserialize, Serialize};

use crate::core::secrets::EndpointKind;

/// A setting of an account that names an address (or what moves them all): which one a
/// message or an edit is about. The command line spells them as flags, the window as fields;
/// the core only names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Setting {
    /// The provider (a new one moves every endpoint).
    Provider,
    /// RD Station's base URL.
    BaseUrl,
    /// An `oauth2` token endpoint.
    TokenUrl,
    /// An `oauth2` authorization endpoint.
    AuthorizeUrl,
    /// An `oauth2` revocation endpoint.
    RevokeUrl,
    /// An `oauth2` check endpoint.
    CheckUrl,
    /// The redirect URI registered with the provider.
    RedirectUri,
    /// Postman's API address (`RENOVA_POSTMAN_API_URL`).
    PostmanApiUrl,
    /// An origin AI assistants may send an account's token to.
    AssistantOrigin,
}

/// What was wrong with the user's input (or with a setting Renova found, kept in `state.json`
/// until the user acts).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InputError {
    /// The account name does not match `^[a-z0-9][a-z0-9._-]{0,63}$`.
    BadName(String),
    /// Another account already has this name (ignoring case).
    NameTaken(String),
    /// The client secret is blank but the client authenticates with one.
    BlankClientSecret,
    /// The client id is blank or contains whitespace.
    BadClientId,
    /// A header form asked for a token the provider takes in the query (this parameter).
    HeaderNotTaken(String),
    /// A static credential was added without its token.
    BlankToken,
    /// The static token given had already expired (its JWT `exp`, or the date given).
    TokenAlreadyExpired(jiff::Timestamp),
    /// Both `--expires-at` and `--expires-in`, or an expiry for an account that is not a
    /// static token.
    ExpiryNotForThis,
    /// A refresh or access token has white space or a control character inside.
    BadToken,
    /// A URL is not valid, or is plain `http://` to a host that is not loopback.
    BadUrl {
        /// Which setting.
        field: Setting,
        /// The rejected value (URLs are not secret; a `user:password@` part is cut out).
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
        /// The setting that sets it.
        field: Setting,
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
    /// Renova's own path cannot be written safely into a login item (a newline or another
    /// control character, or bytes that are not UTF-8): the path, printable.
    UnsafeOwnPath(String),
    /// `accounts.toml` names an endpoint that the account's keychain entry was not set up
    /// for: the file was changed by hand or by another program. Nothing is sent there until
    /// the user confirms it.
    EndpointChanged(Box<EndpointChange>),
}

/// An endpoint `accounts.toml` names that the account's keychain entry does not know.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EndpointChange {
    /// The account.
    pub name: String,
    /// Which endpoint.
    pub kind: EndpointKind,
    /// The endpoint `accounts.toml` now names.
    pub url: String,
    /// The one the keychain entry knows, if any.
    pub known: Option<String>,
    /// The setting that sets it.
    pub setting: Setting,
    /// That setting's value in `accounts.toml` (what confirming it keeps), as a URL quoted
    /// for a POSIX shell: the file's text never reaches the terminal as it is.
    pub value: String,
}
