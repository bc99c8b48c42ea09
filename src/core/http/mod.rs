//! HTTP to providers and Postman, through one request path ([`Call::send`]): rustls only;
//! redirects never followed (a 307/308 would send the secrets again to another host); a proxy
//! only for `https` and never for loopback ([`proxy`]); 10 s to connect, 20 s in all; answers
//! over 1 MiB refused without being read whole; `Retry-After` read; a non-success status
//! classified and its body's texts redacted of every secret the request carried, before
//! anything shortens them.

pub(crate) mod error;
pub(crate) mod error_body;
pub(crate) mod proxy;
pub(crate) mod redact;
pub(crate) mod serve;
mod url_policy;

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use jiff::Timestamp;
use reqwest::{Method, Response};
use url::Url;

use crate::core::config::TokenPlacement;

pub(crate) use error::{HttpError, HttpErrorKind};
use error_body::ErrorBody;
use proxy::ProxySetting;
use redact::Redactor;
pub(crate) use url_policy::{checked_origin, checked_url, is_loopback_host, join, origin_of};

/// The largest answer Renova reads.
pub(crate) const MAX_BODY: usize = 1024 * 1024;

/// Time to establish a connection.
pub(crate) const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Time for a whole request, answer included.
pub(crate) const TOTAL_TIMEOUT: Duration = Duration::from_secs(20);

/// The HTTP client every call goes through. Built on first use: loading the system's root
/// certificates costs milliseconds that `renova token` with a cached token should not pay.
#[derive(Debug, Clone, Default)]
pub(crate) struct Http {
    client: Arc<OnceLock<Result<reqwest::Client, String>>>,
}

impl Http {
    /// A client with Renova's limits (built lazily).
    pub(crate) fn new() -> Self {
        Self::default()
    }

    /// The underlying client. `RENOVA_HTTP_TIMEOUT` (e.g. `5s`) shortens the total timeout for
    /// slow-network diagnosis and tests; it never lengthens it past 20 s.
    fn client(&self) -> Result<&reqwest::Client, HttpError> {
        let built = self.client.get_or_init(|| {
            let total = std::env::var("RENOVA_HTTP_TIMEOUT")
                .ok()
                .and_then(|s| crate::core::clock::parse_duration(&s))
                .map_or(TOTAL_TIMEOUT, |d| d.min(TOTAL_TIMEOUT));
            let mut builder = reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .connect_timeout(CONNECT_TIMEOUT.min(total))
                .timeout(total)
                .user_agent(concat!("renova/", env!("CARGO_PKG_VERSION")))
                // Not the system's proxies: only ours, which never take loopback.
                .no_proxy();
            if let Some(proxy) = ProxySetting::from_env()? {
                builder = builder.proxy(proxy.to_reqwest()?);
            }
            builder.build().map_err(|e| e.to_string())
        });
        built
            .as_ref()
            .map_err(|e| HttpError::new(HttpErrorKind::Setup(e.clone())))
    }

    /// Starts a request that asks for JSON.
    pub(crate) fn request(&self, method: Method, url: Url) -> Call {
        let builder = self.client().map(|c| {
            c.request(method, url)
                .header(reqwest::header::ACCEPT, "application/json")
        });
        Call {
            builder,
            redactor: Redactor::default(),
        }
    }
}

impl Http {
    /// Starts a request as a caller writes it: no `Accept` of Renova's (an assistant's
    /// request through `renova mcp`).
    pub(crate) fn request_as_given(&self, method: Method, url: Url) -> Call {
        Call {
            builder: self.client().map(|c| c.request(method, url)),
            redactor: Redactor::default(),
        }
    }
}

/// One request being built. Every method that puts a secret into it also tells the redactor,
/// so the secret never comes back in an error text. Its `Debug` shows neither headers nor body.
pub(crate) struct Call {
    builder: Result<reqwest::RequestBuilder, HttpError>,
    redactor: Redactor,
}

impl std::fmt::Debug for Call {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Call")
            .field("ready", &self.builder.is_ok())
            .field("redactor", &self.redactor)
            .finish_non_exhaustive()
    }
}

impl Call {
    fn map(mut self, f: impl FnOnce(reqwest::RequestBuilder) -> reqwest::RequestBuilder) -> Self {
        self.builder = self.builder.map(f);
        self
    }

    /// A JSON body. Name the secrets it carries with [`Call::redacting`].
    pub(crate) fn json<T: serde::Serialize + ?Sized>(self, body: &T) -> Self {
        self.map(|b| b.json(body))
    }

    /// A form body. Name the secrets it carries with [`Call::redacting`].
    pub(crate) fn form<T: serde::Serialize + ?Sized>(self, form: &T) -> Self {
        self.map(|b| b.form(form))
    }

    /// `Authorization: Bearer <token>`.
    pub(crate) fn bearer(mut self, token: &str) -> Self {
        self.redactor.add(token);
        self.map(|b| b.bearer_auth(token))
    }

    /// The token where the provider takes it: `Authorization: Bearer`, or a query parameter
    /// (RD Station CRM v1's `?token=`), redacted from every error text either way.
    pub(crate) fn token(mut self, placement: TokenPlacement, token: &str) -> Self {
        match placement {
            TokenPlacement::Bearer => self.bearer(token),
            TokenPlacement::Query(name) => {
                self.redactor.add(token);
                self.map(|b| b.query(&[(name, token)]))
            }
        }
    }

    /// A header whose value is a secret (an API key, `Basic …`), marked sensitive so no
    /// `Debug` of the request or of HTTP/2's header table shows it.
    pub(crate) fn secret_header(mut self, name: &'static str, value: &str) -> Self {
        self.redactor.add(value);
        match reqwest::header::HeaderValue::from_str(value) {
            Ok(mut v) => {
                v.set_sensitive(true);
                self.map(|b| b.header(name, v))
            }
            Err(_) => {
                self.builder = Err(HttpError::new(HttpErrorKind::Setup(format!(
                    "the {name} header has characters HTTP does not allow"
                ))));
                self
            }
        }
    }

    /// An ordinary header, as the caller gave it (checked by whoever took it).
    pub(crate) fn header(
        self,
        name: reqwest::header::HeaderName,
        value: reqwest::header::HeaderValue,
    ) -> Self {
        self.map(|b| b.header(name, value))
    }

    /// A body, as the caller gave it.
    pub(crate) fn body(self, body: Vec<u8>) -> Self {
        self.map(|b| b.body(body))
    }

    /// Sends the request and gives whatever status comes back, with its headers and at most
    /// `limit` bytes of its body (`cut` says whether there was more). Redirects are not
    /// followed: a 3xx comes back as it is.
    pub(crate) async fn exchange(self, limit: usize) -> Result<Exchanged, HttpError> {
        let mut response = self.builder?.send().await.map_err(transport_error)?;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let url = response.url().clone();
        let mut body = Vec::new();
        let mut cut = false;
        loop {
            match response.chunk().await {
                Ok(Some(chunk)) => {
                    let room = limit - body.len();
                    if chunk.len() > room {
                        body.extend_from_slice(&chunk[..room]);
                        cut = true;
                        break;
                    }
                    body.extend_from_slice(&chunk);
                }
                Ok(None) => break,
                Err(e) => return Err(transport_error(e).status(status)),
            }
        }
        Ok(Exchanged {
            status,
            headers,
            url,
            body,
            cut,
        })
    }

    /// Secrets the body carries, to be cut out of whatever comes back.
    pub(crate) fn redacting(mut self, secrets: &[&str]) -> Self {
        for s in secrets {
            self.redactor.add(s);
        }
        self
    }

    /// A client's credentials, wherever the request carries them: also cut out as Basic auth's
    /// base64 of `id:secret`.
    pub(crate) fn redacting_client(mut self, id: &str, secret: Option<&str>) -> Self {
        if let Some(secret) = secret {
            self.redactor.add(secret);
            self.redactor.add_basic(id, secret);
        }
        self
    }

    /// Sends the request: refuses redirects and answers over 1 MiB, reads `Retry-After` (dates
    /// against `now`), and turns a non-success status into an [`HttpError`] whose texts are
    /// already redacted.
    pub(crate) async fn send(self, now: Timestamp) -> Result<Answer, HttpError> {
        let response = self.builder?.send().await.map_err(transport_error)?;
        let status = response.status();
        if status.is_redirection() {
            return Err(redirect_error(&response));
        }
        let retry_after = retry_after(&response, now);
        let body = read_body(response, MAX_BODY).await?;
        if !status.is_success() {
            return Err(status_error(
                status.as_u16(),
                &body,
                retry_after,
                &self.redactor,
            ));
        }
        Ok(Answer {
            status: status.as_u16(),
            body,
            redactor: self.redactor,
        })
    }
}

/// A success answer. Its `Debug` shows the status and the body's length, never the body
/// (it holds the tokens).
pub(crate) struct Answer {
    /// The HTTP status (2xx).
    pub status: u16,
    /// The body, at most 1 MiB.
    pub body: Vec<u8>,
    redactor: Redactor,
}

impl std::fmt::Debug for Answer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Answer")
            .field("status", &self.status)
            .field("body_len", &self.body.len())
            .finish_non_exhaustive()
    }
}

impl Answer {
    /// `text` (taken from this answer) with the request's secrets cut out and control
    /// characters gone, for showing or keeping it.
    pub(crate) fn clean(&self, text: &str) -> String {
        self.redactor.clean(text)
    }
}

/// Any answer, as [`Call::exchange`] read it. Its `Debug` shows neither headers nor body.
pub(crate) struct Exchanged {
    /// The HTTP status.
    pub status: u16,
    /// The headers.
    pub headers: reqwest::header::HeaderMap,
    /// The URL that answered.
    pub url: Url,
    /// The body, cut at the limit.
    pub body: Vec<u8>,
    /// Whether the body was longer than the limit.
    pub cut: bool,
}

impl std::fmt::Debug for Exchanged {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Exchanged")
            .field("status", &self.status)
            .field("body_len", &self.body.len())
            .field("cut", &self.cut)
            .finish_non_exhaustive()
    }
}

/// Classifies a non-success answer and reads what it says.
pub(crate) fn status_error(
    status: u16,
    body: &[u8],
    retry_after: Option<Duration>,
    redactor: &Redactor,
) -> HttpError {
    let parsed = ErrorBody::parse(body, redactor);
    let retry_after = match (retry_after, parsed.remaining_time) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    };
    HttpError {
        kind: HttpError::kind_of_status(status),
        status: Some(status),
        error_type: parsed.error_type,
        message: parsed.message,
        retry_after,
    }
}

fn redirect_error(response: &Response) -> HttpError {
    let to = response
        .headers()
        .get(reqwest::header::LOCATION)
        .and_then(|l| l.to_str().ok())
        .and_then(|l| response.url().join(l).ok())
        .and_then(|u| u.host_str().map(str::to_owned));
    HttpError::new(HttpErrorKind::Redirect(to)).status(response.status().as_u16())
}

/// Maps a transport failure to what the user needs to hear. The URL is dropped first: it may
/// carry a token in its query (RD Station CRM v1), and reqwest names it in its text.
fn transport_error(e: reqwest::Error) -> HttpError {
    let e = &e.without_url();
    let kind = if e.is_timeout() {
        HttpErrorKind::Timeout
    } else if e.is_connect() {
        HttpErrorKind::Connect(root_cause(e))
    } else if e.is_body() || e.is_decode() {
        HttpErrorKind::Network(format!(
            "the connection broke during the answer ({})",
            root_cause(e)
        ))
    } else {
        HttpErrorKind::Network(root_cause(e))
    };
    HttpError::new(kind)
}

fn root_cause(e: &(dyn std::error::Error + 'static)) -> String {
    let mut last = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        last = s.to_string();
        source = s.source();
    }
    last
}

/// Reads an answer's body, refusing more than `limit` bytes (by `Content-Length` before
/// reading, and while reading when the length is not announced).
async fn read_body(mut response: Response, limit: usize) -> Result<Vec<u8>, HttpError> {
    let status = response.status().as_u16();
    let too_large = || HttpError::new(HttpErrorKind::TooLarge).status(status);
    if response.content_length().is_some_and(|n| n > limit as u64) {
        return Err(too_large());
    }
    let mut body = Vec::new();
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                if body.len() + chunk.len() > limit {
                    return Err(too_large());
                }
                body.extend_from_slice(&chunk);
            }
            Ok(None) => return Ok(body),
            Err(e) => return Err(transport_error(e).status(status)),
        }
    }
}

/// How long to wait, from a `Retry-After` header (seconds or an HTTP date).
fn retry_after(response: &Response, now: Timestamp) -> Option<Duration> {
    let value = response
        .headers()
        .get(reqwest::header::RETRY_AFTER)?
        .to_str()
        .ok()?;
    parse_retry_after(value, now)
}

fn parse_retry_after(value: &str, now: Timestamp) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let when = jiff::fmt::rfc2822::parse(value).ok()?.timestamp();
    let secs = when.as_second() - now.as_second();
    Some(Duration::from_secs(secs.max(0).unsigned_abs()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_and_an_answer_never_show_their_secrets_in_debug() {
        let url = Url::parse("https://api.example.test/auth/token").unwrap();
        let call = Http::new()
            .request(Method::POST, url)
            .json(&serde_json::json!({"client_secret": "fake-debug-secret"}))
            .redacting(&["fake-debug-secret"])
            .bearer("fake-debug-bearer")
            .secret_header("X-Api-Key", "fake-debug-key");
        let shown = format!("{call:?} {call:#?}");
        for secret in ["fake-debug-secret", "fake-debug-bearer", "fake-debug-key"] {
            assert!(!shown.contains(secret), "{shown}");
        }
        let answer = Answer {
            status: 200,
            body: br#"{"access_token":"fake-debug-access"}"#.to_vec(),
            redactor: Redactor::default(),
        };
        let shown = format!("{answer:?}");
        assert!(!shown.contains("fake-debug-access"), "{shown}");
        // Not as bytes either.
        assert!(!shown.contains(&format!("{:?}", answer.body)), "{shown}");
        assert!(shown.contains("200"), "{shown}");
    }

    #[test]
    fn status_classification() {
        for s in [400, 401, 403] {
            assert_eq!(
                status_error(s, b"{}", None, &Redactor::default()).kind,
                HttpErrorKind::Refused
            );
        }
        for (s, kind) in [
            (404, HttpErrorKind::NotFound),
            (429, HttpErrorKind::RateLimited),
            (500, HttpErrorKind::Server),
            (503, HttpErrorKind::Server),
            (418, HttpErrorKind::UnexpectedStatus),
        ] {
            assert_eq!(
                status_error(s, b"{}", None, &Redactor::default()).kind,
                kind
            );
        }
        let e = status_error(
            429,
            br#"{"error":"x","remaining_time":30}"#,
            Some(Duration::from_secs(10)),
            &Redactor::default(),
        );
        assert_eq!(e.retry_after, Some(Duration::from_secs(30)));
    }

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        let now: jiff::Timestamp = "2026-11-26T12:00:00Z".parse().unwrap();
        assert_eq!(
            parse_retry_after("120", now),
            Some(Duration::from_secs(120))
        );
        assert_eq!(
            parse_retry_after("Thu, 26 Nov 2026 12:01:00 GMT", now),
            Some(Duration::from_secs(60))
        );
        assert_eq!(parse_retry_after("soon", now), None);
    }
}
