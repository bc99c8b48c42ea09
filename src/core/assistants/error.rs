//! Why an AI assistant's call through `renova mcp` was refused before or after it reached the
//! API. Each carries what a person needs to allow it, if they want to.

use crate::core::http::error::HttpErrorKind;

/// An assistant's call refused by Renova's rules (not by the API: its answers, errors
/// included, go back to the assistant as they are).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AssistantError {
    /// No account of that name is shared with assistants (unknown, or set to `off`: the two
    /// are one answer, so an assistant learns nothing of accounts it may not use).
    #[error("no account named `{name}` is shared with assistants")]
    NotShared {
        /// The name the assistant gave.
        name: String,
    },
    /// `get_token` on an account shared for calls only.
    #[error("`{name}` is shared for requests only, not its token")]
    TokenNotAllowed {
        /// The account.
        name: String,
    },
    /// The account has no origin assistants may send its token to (a generic OAuth 2.0
    /// provider, until the person names one).
    #[error("`{name}` has no origin assistants may call")]
    NoOrigins {
        /// The account.
        name: String,
    },
    /// The URL's origin is not one the person allowed for the account.
    #[error("origin {origin} is not allowed for `{name}`")]
    OriginNotAllowed {
        /// The account.
        name: String,
        /// The origin asked for.
        origin: String,
    },
    /// Not an absolute `https://` URL (or `http://` to this machine).
    #[error("not a URL Renova sends a token to: {why}")]
    BadUrl {
        /// What is wrong with it.
        why: String,
    },
    /// A method other than GET, HEAD, POST, PUT, PATCH, DELETE and OPTIONS.
    #[error("method {0} is not allowed")]
    BadMethod(String),
    /// A header Renova sets itself or never forwards (`Authorization`, `Cookie`…).
    #[error("the {0} header is Renova's to set")]
    HeaderRefused(String),
    /// A header name or value HTTP does not allow.
    #[error("the {0} header is not valid HTTP")]
    BadHeader(String),
    /// The API answered with a redirect to another origin, which Renova does not follow
    /// (the token would go with it).
    #[error("`{name}`'s API redirected to {origin}, another origin")]
    Redirected {
        /// The account.
        name: String,
        /// Where the redirect pointed.
        origin: String,
    },
    /// The API could not be reached, or broke off its answer.
    #[error("{origin} could not be reached: {cause:?}")]
    Unreachable {
        /// The origin called.
        origin: String,
        /// What went wrong.
        cause: HttpErrorKind,
    },
}
