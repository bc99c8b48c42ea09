//! HTTP for talking to providers: rustls only, redirects never followed (a 307/308 would send
//! the secrets again to another host), 10 s to connect, 20 s in all, answers over 1 MiB refused
//! without being read whole. Also the URL policy: `https`, or plain `http` to loopback only.

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use reqwest::Response;
use url::Url;

use crate::core::error::InputError;
use crate::core::provider::{ProviderError, ProviderErrorKind};

/// The largest answer Renova reads.
pub const MAX_BODY: usize = 1024 * 1024;

/// Time to establish a connection.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Time for a whole request, answer included.
pub const TOTAL_TIMEOUT: Duration = Duration::from_secs(20);

/// The HTTP client every provider call goes through. Built on first use: loading the
/// system's root certificates costs milliseconds that `renova token` with a cached token
/// should not pay.
#[derive(Debug, Clone, Default)]
pub struct Http {
    client: Arc<OnceLock<Result<reqwest::Client, String>>>,
}

impl Http {
    /// A client with Renova's limits (built lazily).
    pub fn new() -> Self {
        Self::default()
    }

    /// The underlying client. `RENOVA_HTTP_TIMEOUT` (e.g. `5s`) shortens the total timeout for
    /// slow-network diagnosis and tests; it never lengthens it past 20 s.
    pub fn client(&self) -> Result<&reqwest::Client, ProviderError> {
        let built = self.client.get_or_init(|| {
            let total = std::env::var("RENOVA_HTTP_TIMEOUT")
                .ok()
                .and_then(|s| crate::core::clock::parse_duration(&s))
                .map_or(TOTAL_TIMEOUT, |d| d.min(TOTAL_TIMEOUT));
            reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .connect_timeout(CONNECT_TIMEOUT.min(total))
                .timeout(total)
                .user_agent(concat!("renova/", env!("CARGO_PKG_VERSION")))
                .build()
                .map_err(|e| e.to_string())
        });
        built.as_ref().map_err(|e| {
            ProviderError::new(ProviderErrorKind::Network(format!(
                "cannot set up HTTPS: {e}"
            )))
        })
    }
}

/// Maps a transport failure to what the user needs to hear.
pub fn transport_error(e: &reqwest::Error) -> ProviderError {
    let kind = if e.is_timeout() {
        ProviderErrorKind::Timeout
    } else if e.is_connect() {
        ProviderErrorKind::Connect(root_cause(e))
    } else if e.is_body() || e.is_decode() {
        ProviderErrorKind::Network(format!(
            "the connection broke during the answer ({})",
            root_cause(e)
        ))
    } else {
        ProviderErrorKind::Network(root_cause(e))
    };
    ProviderError::new(kind)
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
pub async fn read_body(mut response: Response, limit: usize) -> Result<Vec<u8>, ProviderError> {
    let status = response.status().as_u16();
    let too_large = || ProviderError::new(ProviderErrorKind::TooLarge).status(status);
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
            Err(e) => return Err(transport_error(&e).status(status)),
        }
    }
}

/// Seconds to wait from a `Retry-After` header (seconds or an HTTP date).
pub fn retry_after(response: &Response, now: jiff::Timestamp) -> Option<Duration> {
    let value = response
        .headers()
        .get(reqwest::header::RETRY_AFTER)?
        .to_str()
        .ok()?;
    parse_retry_after(value, now)
}

fn parse_retry_after(value: &str, now: jiff::Timestamp) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let when = jiff::fmt::rfc2822::parse(value).ok()?.timestamp();
    let secs = when.as_second() - now.as_second();
    Some(Duration::from_secs(secs.max(0).unsigned_abs()))
}

/// Whether a host is this machine's loopback interface.
pub fn is_loopback_host(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

/// Parses a URL from the user and applies the policy: `https://`, or `http://` to loopback.
pub fn checked_url(field: &str, value: &str) -> Result<Url, InputError> {
    let bad = |why: &str| InputError::BadUrl {
        field: field.to_owned(),
        value: without_userinfo(value),
        why: why.to_owned(),
    };
    let url = Url::parse(value.trim()).map_err(|e| bad(&e.to_string()))?;
    if url.host().is_none() {
        return Err(bad("it has no host"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(bad("it must not carry a user name or password"));
    }
    match url.scheme() {
        "https" => Ok(url),
        "http" if is_loopback_host(&url) => Ok(url),
        "http" => Err(bad(
            "plain http is allowed only for 127.0.0.1, ::1 and localhost; use https",
        )),
        _ => Err(bad("only https (or http to this machine) is allowed")),
    }
}

/// `value` for an error message: a `user:password@` part is replaced by `…@`, so a password
/// typed into a URL is never repeated on screen or in a log.
fn without_userinfo(value: &str) -> String {
    let value = value.trim();
    let Some(start) = value.find("://").map(|i| i + 3) else {
        return value.to_owned();
    };
    let authority_end = value[start..]
        .find(['/', '?', '#'])
        .map_or(value.len(), |i| start + i);
    match value[start..authority_end].rfind('@') {
        Some(at) => format!("{}…{}", &value[..start], &value[start + at..]),
        None => value.to_owned(),
    }
}

/// Joins a base URL (which may have a path) and an absolute API path.
pub fn join(base: &Url, path: &str) -> Url {
    let mut url = base.clone();
    let joined = format!(
        "{}/{}",
        base.path().trim_end_matches('/'),
        path.trim_start_matches('/')
    );
    url.set_path(&joined);
    url.set_query(None);
    url
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_policy() {
        assert!(checked_url("--base-url", "https://api.rd.services").is_ok());
        assert!(checked_url("--base-url", "http://127.0.0.1:8080").is_ok());
        assert!(checked_url("--base-url", "http://[::1]:8080").is_ok());
        assert!(checked_url("--base-url", "http://localhost").is_ok());
        assert!(checked_url("--base-url", "http://api.rd.services").is_err());
        assert!(checked_url("--base-url", "http://127.0.0.1.evil.com").is_err());
        assert!(checked_url("--base-url", "ftp://x").is_err());
        assert!(checked_url("--base-url", "not a url").is_err());
        assert!(checked_url("--base-url", "https://user:pw@host").is_err());
        // The password is not repeated in the error.
        let e = checked_url("--base-url", "http://me:fake-pw@api.rd.services/x@y").unwrap_err();
        let InputError::BadUrl { value, .. } = e else {
            panic!("not BadUrl")
        };
        assert_eq!(value, "http://…@api.rd.services/x@y");
        assert_eq!(without_userinfo("not a url"), "not a url");
    }

    #[test]
    fn join_keeps_base_path() {
        let base = Url::parse("http://127.0.0.1:9/prefix/").unwrap();
        assert_eq!(
            join(&base, "/auth/token").as_str(),
            "http://127.0.0.1:9/prefix/auth/token"
        );
        let base = Url::parse("https://api.rd.services").unwrap();
        assert_eq!(
            join(&base, "/auth/token").as_str(),
            "https://api.rd.services/auth/token"
        );
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
