//! What went wrong talking to a provider, in the terms the user needs: refused (authorize
//! again), rate limited, down, or an answer Renova could not use. A leaf type, kept in
//! `state.json` until the next success.

use std::time::Duration;

use crate::core::http::error::{HttpError, HttpErrorKind};

/// What went wrong talking to a provider.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProviderErrorKind {
    /// 400/401/403 from the token endpoint (or 401 after a refresh on an API call): the
    /// credentials are wrong, revoked or expired. Permanent.
    Rejected,
    /// 429.
    RateLimited,
    /// 5xx.
    Server,
    /// Any other status.
    UnexpectedStatus,
    /// A 3xx: never followed. Carries the target host, if any.
    Redirect(Option<String>),
    /// No answer within the time limit.
    Timeout,
    /// Could not connect.
    Connect(String),
    /// The connection failed some other way.
    Network(String),
    /// The answer could not be understood (says what was wrong, never the content).
    Malformed(String),
    /// The answer was larger than 1 MiB.
    TooLarge,
    /// A success answer without `access_token`.
    MissingAccessToken,
    /// `expires_in` was zero, negative or more than a year, with no usable fallback.
    BadExpiry(String),
}

/// A failed provider call, with what the provider said about it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, serde::Serialize, serde::Deserialize)]
pub struct ProviderError {
    /// What kind of failure.
    pub kind: ProviderErrorKind,
    /// HTTP status, when an answer came.
    pub status: Option<u16>,
    /// The provider's `error_type` (or RFC 6749 `error`).
    pub error_type: Option<String>,
    /// The provider's message, or a short plain-text excerpt of a non-JSON answer.
    pub message: Option<String>,
    /// How long the provider asked us to wait.
    pub retry_after: Option<Duration>,
}

impl std::fmt::Display for ProviderError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.kind {
            ProviderErrorKind::Rejected => write!(f, "the provider refused the request")?,
            ProviderErrorKind::RateLimited => write!(f, "rate limited by the provider")?,
            ProviderErrorKind::Server => write!(f, "the provider had an internal error")?,
            ProviderErrorKind::UnexpectedStatus => {
                write!(f, "unexpected answer from the provider")?
            }
            ProviderErrorKind::Redirect(to) => write!(
                f,
                "the provider answered with a redirect{} (never followed)",
                to.as_deref()
                    .map(|h| format!(" to {h}"))
                    .unwrap_or_default()
            )?,
            ProviderErrorKind::Timeout => write!(f, "the provider did not answer in time")?,
            ProviderErrorKind::Connect(e) => write!(f, "could not connect to the provider: {e}")?,
            ProviderErrorKind::Network(e) => write!(f, "network error: {e}")?,
            ProviderErrorKind::Malformed(what) => {
                write!(f, "the provider's answer is malformed: {what}")?
            }
            ProviderErrorKind::TooLarge => write!(f, "the provider's answer is larger than 1 MiB")?,
            ProviderErrorKind::MissingAccessToken => {
                write!(f, "the provider's answer has no access_token")?;
            }
            ProviderErrorKind::BadExpiry(v) => {
                write!(f, "the provider's expires_in is unusable ({v})")?
            }
        }
        if let Some(s) = self.status {
            write!(f, " [HTTP {s}]")?;
        }
        match (&self.error_type, &self.message) {
            (Some(t), Some(m)) => write!(f, ": {t}: {m}"),
            (Some(t), None) => write!(f, ": {t}"),
            (None, Some(m)) => write!(f, ": {m}"),
            (None, None) => Ok(()),
        }
    }
}

impl ProviderError {
    /// An error of this kind with nothing else known.
    pub fn new(kind: ProviderErrorKind) -> Self {
        Self {
            kind,
            status: None,
            error_type: None,
            message: None,
            retry_after: None,
        }
    }

    /// Adds the HTTP status.
    pub fn status(mut self, status: u16) -> Self {
        self.status = Some(status);
        self
    }

    /// Permanent failures need the user (authorize again); the rest may pass by themselves.
    pub fn is_permanent(&self) -> bool {
        self.kind == ProviderErrorKind::Rejected
    }
}

impl From<HttpError> for ProviderError {
    fn from(e: HttpError) -> Self {
        let kind = match e.kind {
            HttpErrorKind::Setup(why) => {
                ProviderErrorKind::Network(format!("cannot set up HTTPS: {why}"))
            }
            HttpErrorKind::Redirect(to) => ProviderErrorKind::Redirect(to),
            HttpErrorKind::Timeout => ProviderErrorKind::Timeout,
            HttpErrorKind::Connect(d) => ProviderErrorKind::Connect(d),
            HttpErrorKind::Network(d) => ProviderErrorKind::Network(d),
            HttpErrorKind::TooLarge => ProviderErrorKind::TooLarge,
            // 400/401/403 from a provider: the credentials are wrong, revoked or expired.
            HttpErrorKind::Refused => ProviderErrorKind::Rejected,
            HttpErrorKind::RateLimited => ProviderErrorKind::RateLimited,
            HttpErrorKind::Server => ProviderErrorKind::Server,
            HttpErrorKind::NotFound | HttpErrorKind::UnexpectedStatus => {
                ProviderErrorKind::UnexpectedStatus
            }
        };
        Self {
            kind,
            status: e.status,
            error_type: e.error_type,
            message: e.message,
            retry_after: e.retry_after,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refused_is_permanent_and_the_rest_is_not() {
        for s in [400, 401, 403] {
            let e = ProviderError::from(HttpError::new(HttpError::kind_of_status(s)).status(s));
            assert!(e.is_permanent(), "{s}");
        }
        for s in [404, 429, 500, 502, 503] {
            let e = ProviderError::from(HttpError::new(HttpError::kind_of_status(s)).status(s));
            assert!(!e.is_permanent(), "{s}");
        }
    }
}
