//! What went wrong on the way to a server and back. A leaf type: the provider and Postman
//! clients turn it into their own errors without losing its kind, and nothing in it is secret
//! (server texts are redacted before they get here).

use std::time::Duration;

use serde::{Deserialize, Serialize};

/// The kind of HTTP failure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HttpErrorKind {
    /// The HTTPS client could not be set up.
    Setup(String),
    /// A 3xx: never followed. Carries the target host, if any.
    Redirect(Option<String>),
    /// No answer within the time limit.
    Timeout,
    /// Could not connect.
    Connect(String),
    /// The connection failed some other way.
    Network(String),
    /// The answer was larger than 1 MiB.
    TooLarge,
    /// 400, 401 or 403: the server refused what was sent.
    Refused,
    /// 404.
    NotFound,
    /// 429.
    RateLimited,
    /// 5xx.
    Server,
    /// Any other status that is not a success.
    UnexpectedStatus,
}

/// A failed HTTP call, with what the server said about it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[error("{kind:?} (HTTP {status:?}): {error_type:?} {message:?}")]
pub struct HttpError {
    /// What kind of failure.
    pub kind: HttpErrorKind,
    /// HTTP status, when an answer came.
    pub status: Option<u16>,
    /// The server's `error_type` (or RFC 6749 `error`), redacted.
    pub error_type: Option<String>,
    /// The server's message, or a short plain-text excerpt of a non-JSON answer, redacted.
    pub message: Option<String>,
    /// How long the server asked us to wait (`Retry-After`, RD's `remaining_time`).
    pub retry_after: Option<Duration>,
}

impl HttpError {
    /// An error of this kind with nothing else known.
    pub fn new(kind: HttpErrorKind) -> Self {
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

    /// The kind a non-success status belongs to.
    pub fn kind_of_status(status: u16) -> HttpErrorKind {
        match status {
            400 | 401 | 403 => HttpErrorKind::Refused,
            404 => HttpErrorKind::NotFound,
            429 => HttpErrorKind::RateLimited,
            500..=599 => HttpErrorKind::Server,
            _ => HttpErrorKind::UnexpectedStatus,
        }
    }
}
