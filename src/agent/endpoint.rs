//! The local token endpoint, served by the agent on 127.0.0.1 only:
//! `GET /v1/token/<name>[?min_valid=15m]` with `Authorization: Bearer <key>` answers the
//! account's token as JSON, by the same rules as `renova token` (refreshed when needed, one
//! refresh for many callers: the account's lock and re-read). 401 for a wrong or missing key,
//! 404 for an unknown account, 409 when it needs authorization, 503 with `Retry-After` when
//! the provider fails and no token is valid, 403 for a `Host` that is not this address (DNS
//! rebinding), 405 for any method but GET. No CORS headers, so no web page can read a token.
//! `GET /v1/hello?nonce=HEX` needs no key and answers an HMAC of the nonce under it, so
//! `renova endpoint status` can tell this agent from another program holding the port.
//! Headers are bounded (8 KiB, 5 s), connections are served concurrently (at most 32).

use std::sync::Arc;
use std::time::Duration;

use secrecy::{ExposeSecret, SecretString};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Mutex, Semaphore};
use tokio::task::JoinHandle;

use crate::core::clock::{parse_duration, seconds_until};
use crate::core::endpoint::{nonce_ok, proof, same_key};
use crate::core::error::Error;
use crate::core::http::serve::accept_each;
use crate::core::renova::Renova;
use crate::i18n::{Lang, explain};

const HEADER_LIMIT: usize = 8 * 1024;
const READ_TIMEOUT: Duration = Duration::from_secs(5);
const MAX_CONNECTIONS: usize = 32;
/// `renova token`'s default.
const DEFAULT_MIN_VALID: Duration = Duration::from_secs(300);

/// A running endpoint; dropping it stops it.
pub struct Server {
    /// The port it listens on.
    pub port: u16,
    task: JoinHandle<()>,
}

impl Drop for Server {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// The key as last read, with the `key_rev` it was read at.
type KeyCache = Arc<Mutex<Option<(u64, Option<SecretString>)>>>;

/// Starts serving on 127.0.0.1:`port`.
pub async fn start(renova: Renova, port: u16) -> std::io::Result<Server> {
    let listener = TcpListener::bind(("127.0.0.1", port)).await?;
    let keys: KeyCache = Arc::new(Mutex::new(None));
    let slots = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    let task = tokio::spawn(async move {
        accept_each(&listener, slots, "token endpoint", |stream| {
            let (renova, keys) = (renova.clone(), keys.clone());
            async move { serve(stream, &renova, port, &keys).await }
        })
        .await;
    });
    Ok(Server { port, task })
}

/// What a request said.
struct Request {
    method: String,
    target: String,
    host: Option<String>,
    authorization: Option<String>,
    user_agent: String,
}

async fn read_request(stream: &mut TcpStream) -> Option<Request> {
    let mut head = Vec::with_capacity(1024);
    let mut buf = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        if head.len() > HEADER_LIMIT {
            return None;
        }
        let n = stream.read(&mut buf).await.ok()?;
        if n == 0 {
            return None;
        }
        head.extend_from_slice(&buf[..n]);
    }
    let text = String::from_utf8_lossy(&head);
    let mut lines = text.split("\r\n");
    let mut first = lines.next().unwrap_or_default().split(' ');
    let (method, target) = (first.next()?.to_owned(), first.next()?.to_owned());
    let mut request = Request {
        method,
        target,
        host: None,
        authorization: None,
        user_agent: String::new(),
    };
    for line in lines.take_while(|l| !l.is_empty()) {
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        let value = value.trim().to_owned();
        match name.trim().to_ascii_lowercase().as_str() {
            "host" => request.host = Some(value.to_ascii_lowercase()),
            "authorization" => request.authorization = Some(value),
            "user-agent" => request.user_agent = value,
            _ => {}
        }
    }
    Some(request)
}

/// One answer.
struct Answer {
    status: u16,
    headers: Vec<(&'static str, String)>,
    body: String,
}

impl Answer {
    fn error(status: u16, error: &str, reason: &str) -> Self {
        let body = serde_json::json!({"error": error, "reason": reason}).to_string();
        Self {
            status,
            headers: Vec::new(),
            body,
        }
    }

    fn with(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }
}

async fn serve(mut stream: TcpStream, renova: &Renova, port: u16, keys: &KeyCache) {
    let Ok(Some(request)) = tokio::time::timeout(READ_TIMEOUT, read_request(&mut stream)).await
    else {
        let answer = Answer::error(400, "bad_request", "The request could not be read.");
        write(&mut stream, &answer).await;
        return;
    };
    let answer = answer(&request, renova, port, keys).await;
    write(&mut stream, &answer).await;
}

async fn answer(request: &Request, renova: &Renova, port: u16, keys: &KeyCache) -> Answer {
    let allowed = [format!("127.0.0.1:{port}"), format!("localhost:{port}")];
    if !request.host.as_ref().is_some_and(|h| allowed.contains(h)) {
        return Answer::error(
            403,
            "forbidden_host",
            "Only 127.0.0.1 with this port is served.",
        );
    }
    if request.method != "GET" {
        return Answer::error(405, "method_not_allowed", "Only GET is served.")
            .with("Allow", "GET");
    }
    let Ok(url) = url::Url::parse(&format!("http://127.0.0.1{}", request.target)) else {
        return Answer::error(400, "bad_request", "The address could not be read.");
    };
    if url.path() == "/v1/hello" {
        return hello(&url, renova, port, keys).await;
    }
    let Some(name) = url
        .path()
        .strip_prefix("/v1/token/")
        .filter(|n| !n.contains('/'))
    else {
        return Answer::error(404, "not_found", "Ask for /v1/token/<account name>.");
    };
    match authorized(request, renova, keys).await {
        Ok(true) => {}
        Ok(false) => {
            return Answer::error(
                401,
                "unauthorized",
                "Send Authorization: Bearer <the key from `renova endpoint key`>.",
            )
            .with("WWW-Authenticate", "Bearer");
        }
        // The keychain is locked or gone: say so, not "wrong key", and no more than that to a
        // caller not yet known.
        Err(e) => {
            tracing::warn!("cannot read the endpoint key: {e}");
            return Answer::error(503, "unavailable", "Renova cannot read its keychain now.")
                .with("Retry-After", RETRY_AFTER.to_string());
        }
    }
    let min_valid = match url.query_pairs().find(|(k, _)| k == "min_valid") {
        None => DEFAULT_MIN_VALID,
        Some((_, v)) => match parse_duration(&v) {
            Some(d) => d,
            None => {
                return Answer::error(400, "bad_min_valid", "min_valid is a duration like 15m.");
            }
        },
    };
    let account = match renova.account(name) {
        Ok(a) => a,
        Err(e) => return failure(&e, name, None),
    };
    match renova.token(&account, min_valid).await {
        Ok(outcome) => {
            let expires_in = seconds_until(renova.now(), outcome.expires_at).max(0);
            renova.audit_served(&account, &outcome.token, &request.user_agent);
            let body = serde_json::json!({
                "access_token": outcome.token.expose_secret(),
                "token_type": "Bearer",
                "expires_at": outcome.expires_at.to_string(),
                "expires_in": expires_in,
                "account": account.name,
            })
            .to_string();
            Answer {
                status: 200,
                headers: Vec::new(),
                body,
            }
        }
        Err(e) => {
            // A provider failure: its backoff says when Renova tries again. It is counted from
            // when the request left, so after a slow timeout it may be past already.
            let retry_in = match e {
                Error::Provider(_) => renova
                    .state()
                    .get(&account.id)
                    .retry_at
                    .map(|t| seconds_until(renova.now(), t))
                    .filter(|s| *s > 0),
                _ => None,
            };
            failure(&e, name, retry_in)
        }
    }
}

/// The presented key against the stored one, read again whenever `key_rev` changed. The
/// scheme is case-insensitive (RFC 7235).
async fn authorized(request: &Request, renova: &Renova, keys: &KeyCache) -> Result<bool, Error> {
    let Some(presented) = request
        .authorization
        .as_deref()
        .and_then(|a| a.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, key)| key.trim())
    else {
        return Ok(false);
    };
    Ok(current_key(renova, keys)
        .await?
        .is_some_and(|k| same_key(presented, &k)))
}

/// The stored key, read again whenever `key_rev` changed.
async fn current_key(renova: &Renova, keys: &KeyCache) -> Result<Option<SecretString>, Error> {
    let rev = renova
        .config()
        .map(|c| c.endpoint.key_rev)
        .unwrap_or(u64::MAX);
    let mut cache = keys.lock().await;
    if cache.as_ref().is_none_or(|(seen, _)| *seen != rev) {
        *cache = Some((rev, renova.stored_endpoint_key().await?));
    }
    Ok(cache.as_ref().and_then(|(_, k)| k.clone()))
}

/// `GET /v1/hello?nonce=HEX`, no key needed: proves that this is Renova holding the key (an
/// HMAC of the nonce under it), so a caller can check the port before sending the key there.
async fn hello(url: &url::Url, renova: &Renova, port: u16, keys: &KeyCache) -> Answer {
    let nonce = url
        .query_pairs()
        .find(|(k, _)| k == "nonce")
        .map(|(_, v)| v.into_owned())
        .filter(|n| nonce_ok(n));
    let Some(nonce) = nonce else {
        return Answer::error(400, "bad_nonce", "nonce is 16 to 64 hex digits.");
    };
    match current_key(renova, keys).await {
        Ok(Some(key)) => match proof(&key, port, &nonce) {
            Some(proof) => Answer {
                status: 200,
                headers: Vec::new(),
                body: serde_json::json!({
                    "service": "renova",
                    "version": env!("CARGO_PKG_VERSION"),
                    "proof": proof,
                })
                .to_string(),
            },
            None => Answer::error(500, "failed", "The proof could not be made."),
        },
        Ok(None) => Answer::error(503, "no_key", "The endpoint has no key yet."),
        Err(e) => {
            tracing::warn!("cannot read the endpoint key: {e}");
            Answer::error(503, "unavailable", "Renova cannot read its keychain now.")
                .with("Retry-After", RETRY_AFTER.to_string())
        }
    }
}

/// `Retry-After` when nothing says when the provider will be tried again.
const RETRY_AFTER: i64 = 30;

/// The answer for a failure. `retry_in`: seconds until the account's next try, when a provider
/// failure set a backoff still ahead (a caller is told at most an hour), else 30.
fn failure(e: &Error, name: &str, retry_in: Option<i64>) -> Answer {
    let reason = explain(e, Lang::En, name).line();
    match e.exit_code() {
        3 => Answer::error(409, "needs_authorization", &reason),
        4 | 5 => {
            let wait = retry_in.unwrap_or(RETRY_AFTER).clamp(1, 3600);
            Answer::error(503, "unavailable", &reason).with("Retry-After", wait.to_string())
        }
        6 => Answer::error(404, "no_such_account", &reason),
        _ => Answer::error(500, "failed", &reason),
    }
}

async fn write(stream: &mut TcpStream, answer: &Answer) {
    let reason = match answer.status {
        200 => "OK",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        409 => "Conflict",
        503 => "Service Unavailable",
        _ => "Internal Server Error",
    };
    let mut head = format!(
        "HTTP/1.1 {} {reason}\r\nContent-Type: application/json\r\nCache-Control: no-store\r\nContent-Length: {}\r\nConnection: close\r\n",
        answer.status,
        answer.body.len()
    );
    for (name, value) in &answer.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    let mut bytes = zeroize::Zeroizing::new(head.into_bytes());
    bytes.extend_from_slice(answer.body.as_bytes());
    if let Err(e) = stream.write_all(&bytes).await {
        tracing::debug!("answering an endpoint request: {e}");
    }
    let _ = stream.shutdown().await;
}
