//! What went wrong talking to a provider, in the terms the user needs: refused (authorize
//! again), rate limited, down, or an answer Renova could not use. A leaf type, kept in
//! `state.json` until the next success.
//!
//! **The one place that reads a provider's error codes.** [`classify`] turns what a provider
//! answered (its status, `error_type` or RFC 6749 `error`, and message) into a typed
//! [`Reason`], once, when the error is made; everything above (the card, the CLI's
//! explanation and exit code, `revoke`, the tray, the endpoint, notifications) reads the
//! reason and never the codes.

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

/// Why a provider call failed, in the terms of what fixes it: the one classification of a
/// provider's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// The provider refused the app's client ID or client secret (`ACCESS_DENIED`,
    /// `invalid_client`, `unauthorized_client`).
    WrongClient,
    /// The refresh token no longer works: revoked, expired, the app removed from the account
    /// (`INVALID_REFRESH_TOKEN`, `invalid_grant` on a refresh, `UNAUTHORIZED`, `invalid_token`).
    DeadRefreshToken,
    /// The redirect URI is not one the app registered.
    BadRedirect,
    /// The authorization code expired or was already used (`EXPIRED_CODE_GRANT`,
    /// `invalid_grant` on a code exchange).
    CodeRejected,
    /// Refused for another reason (a missing field, a scope, a bare 401).
    Refused,
    /// Too many requests: the provider asked to wait (429).
    RateLimited,
    /// The provider answered with an error of its own (5xx).
    ProviderFailing,
    /// No answer came: a timeout, a refused connection, a network failure.
    Unreachable,
    /// An answer Renova could not use: malformed, too large, without `access_token`, with an
    /// unusable `expires_in`, a redirect, an unexpected status.
    BadAnswer,
}

impl Reason {
    /// Permanent reasons need the person (authorize again, fix the secret); the others may
    /// pass by themselves and are retried.
    pub fn is_permanent(self) -> bool {
        matches!(
            self,
            Reason::WrongClient
                | Reason::DeadRefreshToken
                | Reason::BadRedirect
                | Reason::CodeRejected
                | Reason::Refused
        )
    }
}

/// What Renova asked when the provider failed: the same code means different things on a
/// refresh and on a code exchange (RFC 6749's `invalid_grant`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Asked {
    /// A refresh with the stored refresh token.
    Refresh,
    /// An authorization-code exchange.
    Code,
    /// A call made with the access token (check, revoke).
    Api,
}

/// The one classification of a provider's answer (see the module's documentation).
pub(crate) fn classify(
    kind: &ProviderErrorKind,
    error_type: Option<&str>,
    message: Option<&str>,
    asked: Asked,
) -> Reason {
    match kind {
        ProviderErrorKind::Rejected => refusal(error_type, message, asked),
        ProviderErrorKind::RateLimited => Reason::RateLimited,
        ProviderErrorKind::Server => Reason::ProviderFailing,
        ProviderErrorKind::Timeout
        | ProviderErrorKind::Connect(_)
        | ProviderErrorKind::Network(_) => Reason::Unreachable,
        ProviderErrorKind::UnexpectedStatus
        | ProviderErrorKind::Redirect(_)
        | ProviderErrorKind::Malformed(_)
        | ProviderErrorKind::TooLarge
        | ProviderErrorKind::MissingAccessToken
        | ProviderErrorKind::BadExpiry(_) => Reason::BadAnswer,
    }
}

/// A 400/401/403: RD Station's `error_type`s (as its developer documentation lists them) and
/// RFC 6749's `error` codes.
fn refusal(error_type: Option<&str>, message: Option<&str>, asked: Asked) -> Reason {
    let code = error_type.unwrap_or_default();
    let about_redirect = message.is_some_and(|m| m.contains("redirect_uri"));
    match code {
        "ACCESS_DENIED" | "invalid_request" if about_redirect => Reason::BadRedirect,
        "redirect_uri_mismatch" => Reason::BadRedirect,
        "ACCESS_DENIED" | "invalid_client" | "unauthorized_client" => Reason::WrongClient,
        "INVALID_REFRESH_TOKEN" | "UNAUTHORIZED" | "invalid_token" | "expired_token" => {
            Reason::DeadRefreshToken
        }
        "EXPIRED_CODE_GRANT" => Reason::CodeRejected,
        "invalid_grant" if asked == Asked::Code => Reason::CodeRejected,
        "invalid_grant" => Reason::DeadRefreshToken,
        _ => Reason::Refused,
    }
}

/// A failed provider call, with what the provider said about it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, serde::Serialize, serde::Deserialize)]
#[serde(from = "ProviderErrorRecord")]
pub struct ProviderError {
    /// What kind of failure.
    pub kind: ProviderErrorKind,
    /// Why, in the terms of what fixes it ([`classify`]).
    pub reason: Reason,
    /// HTTP status, when an answer came.
    pub status: Option<u16>,
    /// The provider's `error_type` (or RFC 6749 `error`).
    pub error_type: Option<String>,
    /// The provider's message, or a short plain-text excerpt of a non-JSON answer.
    pub message: Option<String>,
    /// How long the provider asked us to wait.
    pub retry_after: Option<Duration>,
}

/// A [`ProviderError`] as `state.json` keeps it; one written before Renova stored the reason
/// (a refresh's failure) is classified when read.
#[derive(serde::Deserialize)]
struct ProviderErrorRecord {
    kind: ProviderErrorKind,
    #[serde(default)]
    reason: Option<Reason>,
    status: Option<u16>,
    error_type: Option<String>,
    message: Option<String>,
    retry_after: Option<Duration>,
}

impl From<ProviderErrorRecord> for ProviderError {
    fn from(r: ProviderErrorRecord) -> Self {
        let reason = r.reason.unwrap_or_else(|| {
            classify(
                &r.kind,
                r.error_type.as_deref(),
                r.message.as_deref(),
                Asked::Refresh,
            )
        });
        Self {
            kind: r.kind,
            reason,
            status: r.status,
            error_type: r.error_type,
            message: r.message,
            retry_after: r.retry_after,
        }
    }
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
    /// An error of this kind with nothing else known (no provider code to read).
    pub fn new(kind: ProviderErrorKind) -> Self {
        Self {
            reason: classify(&kind, None, None, Asked::Refresh),
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
        self.reason.is_permanent()
    }

    /// A failed HTTP call to the provider, classified for what was `asked`.
    pub fn from_http(e: HttpError, asked: Asked) -> Self {
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
            reason: classify(&kind, e.error_type.as_deref(), e.message.as_deref(), asked),
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
    use crate::core::http::redact::Redactor;
    use crate::core::http::status_error;

    /// The reason for an answer with this status and body, as Renova reads a real one.
    fn reason(status: u16, body: &str, asked: Asked) -> Reason {
        let e = status_error(status, body.as_bytes(), None, &Redactor::default());
        ProviderError::from_http(e, asked).reason
    }

    #[test]
    fn refused_is_permanent_and_the_rest_is_not() {
        for s in [400, 401, 403] {
            let e = HttpError::new(HttpError::kind_of_status(s)).status(s);
            assert!(
                ProviderError::from_http(e, Asked::Refresh).is_permanent(),
                "{s}"
            );
        }
        for s in [404, 429, 500, 502, 503] {
            let e = HttpError::new(HttpError::kind_of_status(s)).status(s);
            assert!(
                !ProviderError::from_http(e, Asked::Refresh).is_permanent(),
                "{s}"
            );
        }
    }

    /// Every error body RD Station documents (the exact bodies, from its developer documentation),
    /// read as Renova reads it.
    #[test]
    fn every_rd_station_error_body_has_its_reason() {
        use Asked::{Api, Code, Refresh};
        let cases = [
            (
                401,
                r#"{"error_type":"ACCESS_DENIED","error_message":"Wrong credentials provided."}"#,
                Refresh,
                Reason::WrongClient,
            ),
            (
                401,
                r#"{"error_type":"INVALID_REFRESH_TOKEN","error_message":"The provided refresh token is invalid or was revoked."}"#,
                Refresh,
                Reason::DeadRefreshToken,
            ),
            (
                401,
                r#"{"error_type":"EXPIRED_CODE_GRANT","error_message":"The authorization code grant has expired."}"#,
                Code,
                Reason::CodeRejected,
            ),
            (
                401,
                r#"{"error_type":"ACCESS_DENIED","error_message":"O parâmetro redirect_uri não contém um valor válido."}"#,
                Code,
                Reason::BadRedirect,
            ),
            (
                401,
                r#"{"errors":{"error_type":"UNAUTHORIZED","error_message":"Invalid token."}}"#,
                Api,
                Reason::DeadRefreshToken,
            ),
            (
                401,
                r#"{"error_type":"UNAUTHORIZED","error_message":"Invalid token."}"#,
                Refresh,
                Reason::DeadRefreshToken,
            ),
            (
                401,
                r#"{"error":"invalid_token","error_description":"The access token is invalid or has expired"}"#,
                Api,
                Reason::DeadRefreshToken,
            ),
            (
                400,
                r#"{"errors":[{"error_type":"CANNOT_BE_NULL","error_message":"Cannot be null.","path":"body.client_secret"}]}"#,
                Refresh,
                Reason::Refused,
            ),
            (
                429,
                r#"{"errors":{"error_type":"RATE_LIMIT_EXCEDDED","error_message":"API usage limit exceeded"}}"#,
                Refresh,
                Reason::RateLimited,
            ),
            (
                429,
                r#"{"error":"'lead_limiter' rate limit exceeded for 86400 second(s) window","max":24,"usage":55,"remaining_time":20745}"#,
                Refresh,
                Reason::RateLimited,
            ),
            (
                429,
                r#"{"message":"API rate limit exceeded"}"#,
                Refresh,
                Reason::RateLimited,
            ),
            (401, "", Refresh, Reason::Refused),
            (
                502,
                "<html><body>Bad gateway</body></html>",
                Refresh,
                Reason::ProviderFailing,
            ),
            (
                503,
                r#"{"error_type":"SERVICE_UNAVAILABLE"}"#,
                Refresh,
                Reason::ProviderFailing,
            ),
        ];
        for (status, body, asked, want) in cases {
            assert_eq!(reason(status, body, asked), want, "{status} {body}");
        }
    }

    /// Every error code of RFC 6749 §5.2 (and RFC 6750's `invalid_token`), on a refresh and on
    /// a code exchange.
    #[test]
    fn every_rfc_6749_error_code_has_its_reason() {
        let cases = [
            ("invalid_request", Reason::Refused, Reason::Refused),
            ("invalid_client", Reason::WrongClient, Reason::WrongClient),
            (
                "invalid_grant",
                Reason::DeadRefreshToken,
                Reason::CodeRejected,
            ),
            (
                "unauthorized_client",
                Reason::WrongClient,
                Reason::WrongClient,
            ),
            ("unsupported_grant_type", Reason::Refused, Reason::Refused),
            ("invalid_scope", Reason::Refused, Reason::Refused),
            (
                "invalid_token",
                Reason::DeadRefreshToken,
                Reason::DeadRefreshToken,
            ),
        ];
        for (code, on_refresh, on_code) in cases {
            let body = format!(r#"{{"error":"{code}","error_description":"said by the server"}}"#);
            assert_eq!(reason(400, &body, Asked::Refresh), on_refresh, "{code}");
            assert_eq!(reason(400, &body, Asked::Code), on_code, "{code}");
        }
        let redirect =
            r#"{"error":"invalid_request","error_description":"redirect_uri does not match"}"#;
        assert_eq!(reason(400, redirect, Asked::Code), Reason::BadRedirect);
    }

    #[test]
    fn transport_failures_are_unreachable_and_odd_answers_bad() {
        for kind in [
            HttpErrorKind::Timeout,
            HttpErrorKind::Connect("refused".into()),
            HttpErrorKind::Network("reset".into()),
        ] {
            let e = ProviderError::from_http(HttpError::new(kind), Asked::Refresh);
            assert_eq!(e.reason, Reason::Unreachable);
        }
        for kind in [
            HttpErrorKind::TooLarge,
            HttpErrorKind::Redirect(None),
            HttpErrorKind::UnexpectedStatus,
        ] {
            let e = ProviderError::from_http(HttpError::new(kind), Asked::Refresh);
            assert_eq!(e.reason, Reason::BadAnswer);
        }
    }

    #[test]
    fn a_failure_stored_before_reasons_existed_is_classified_when_read() {
        let old = r#"{"kind":"rejected","status":401,"error_type":"INVALID_REFRESH_TOKEN","message":"x","retry_after":null}"#;
        let e: ProviderError = serde_json::from_str(old).unwrap();
        assert_eq!(e.reason, Reason::DeadRefreshToken);
        let round: ProviderError =
            serde_json::from_str(&serde_json::to_string(&e).unwrap()).unwrap();
        assert_eq!(round, e);
    }
}
