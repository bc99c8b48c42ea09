//! What went wrong talking to Postman's API. A leaf type, kept in `state.json` until the next
//! successful sync. A transport failure keeps its kind (`cause`), so it is explained in the
//! user's language rather than as a string.

use serde::{Deserialize, Serialize};

use crate::core::http::error::{HttpError, HttpErrorKind};

/// What went wrong talking to Postman.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PostmanErrorKind {
    /// No API key is stored.
    NoKey,
    /// 401/403: the API key is wrong or revoked.
    InvalidKey,
    /// 404: no environment with this id (or not visible to this key).
    NotFound,
    /// 429.
    RateLimited,
    /// 5xx, timeouts, connection failures.
    Unavailable,
    /// An answer that could not be understood.
    Malformed,
    /// The environment is in a workspace others can see (its name is the message), and the
    /// person has not accepted that: nothing was written.
    SharedWorkspace,
    /// Postman's answers do not say who sees the environment (the workspace concerned, if
    /// any, is the message), and the person has not accepted that: nothing was written.
    SharingUnclear(Unclear),
}

/// A failed Postman call, with Postman's own words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("Postman: {kind:?} {status:?} {message:?}")]
pub struct PostmanError {
    /// What kind.
    pub kind: PostmanErrorKind,
    /// HTTP status, if an answer came.
    pub status: Option<u16>,
    /// Postman's message (or a short description of the failure), redacted.
    pub message: Option<String>,
    /// Seconds Postman asked to wait.
    pub retry_after: Option<u64>,
    /// The transport failure behind `Unavailable` (no answer, a redirect, too large…).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cause: Option<HttpErrorKind>,
}

impl PostmanError {
    /// An error of this kind.
    pub fn new(kind: PostmanErrorKind, status: Option<u16>, message: Option<String>) -> Self {
        Self {
            kind,
            status,
            message,
            retry_after: None,
            cause: None,
        }
    }

    /// Whether waiting may help (rate limit, outage).
    pub fn is_transient(&self) -> bool {
        matches!(
            self.kind,
            PostmanErrorKind::RateLimited
                | PostmanErrorKind::Unavailable
                | PostmanErrorKind::Malformed
        )
    }
}

impl From<HttpError> for PostmanError {
    fn from(e: HttpError) -> Self {
        let kind = match (&e.kind, e.status) {
            (HttpErrorKind::Refused, Some(401 | 403)) => PostmanErrorKind::InvalidKey,
            (HttpErrorKind::NotFound, _) => PostmanErrorKind::NotFound,
            (HttpErrorKind::RateLimited, _) => PostmanErrorKind::RateLimited,
            _ => PostmanErrorKind::Unavailable,
        };
        let cause = match e.kind {
            HttpErrorKind::Refused
            | HttpErrorKind::NotFound
            | HttpErrorKind::RateLimited
            | HttpErrorKind::Server
            | HttpErrorKind::UnexpectedStatus => None,
            transport => Some(transport),
        };
        Self {
            kind,
            status: e.status,
            message: e.message,
            retry_after: e.retry_after.map(|d| d.as_secs()),
            cause,
        }
    }
}

/// Why Renova cannot tell who sees an environment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unclear {
    /// `GET /workspaces` listed no workspaces.
    NoWorkspaceList,
    /// A workspace in the list has no id, so it cannot be asked what it holds.
    EntryWithoutId,
    /// A workspace's details list no environments.
    NoEnvironmentList,
    /// A workspace that holds the environment says two things (`visibility` only-me with
    /// `type` team), or neither.
    Contradictory,
    /// No workspace the key can see lists the environment.
    NotListed,
}
