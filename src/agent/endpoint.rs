//! The local token endpoint, served by the agent on 127.0.0.1 only:
//! `GET /v1/token/<name>[?min_valid=15m]` with `Authorization: Bearer <key>` answers the
//! account's token as JSON, by the same rules as `renova token` (refreshed when needed, one
//! refresh for many callers: the account's lock and re-read). 401 for a wrong or missing key,
//! 404 for an unknown account, 409 when it needs authorization, 503 with `Retry-After` when
//! the provider fails and no token is valid, 403 for a `Host` that is not this address (DNS
//! rebinding), 405 for any method but GET. No CORS headers, so no web page can read a token.
//! `GET /v1/hello?nonce=HEX` needs no key and answers an HMAC of the nonce under it, so
//! `renova endpoint status` can tell this agent from another program holding the port.
//! The HTTP rules (head size and time, the connection limit, `Host`, path, then method) are
//! the loopback servers' ([`crate::core::http::serve`]); the status of a failure is its
//! class's ([`crate::core::error::FailureClass`]).
//!
//! **Nothing that arrives over the socket makes a keychain call that can prompt.** The key is
//! held in memory. The agent's own loop reads it ([`Server::warm`]) when the endpoint starts
//! and when `key_rev` changes; a caller's request reads it only when none is held for the
//! current `key_rev`, at most once a minute — and every one of these reads is one that never
//! unlocks the keychain. `/v1/hello` answers only from the key in memory, else 503
//! `not_ready`. Wrong keys are recorded in the audit log, one line a minute at most, counted.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, Instant};

use hyper::Method;
use secrecy::{ExposeSecret, SecretString};
use tokio::net::TcpListener;
use tokio::sync::Mutex;

use crate::core::clock::{parse_duration, seconds_until};
use crate::core::config::TokenPlacement;
use crate::core::endpoint::{nonce_ok, proof, same_key};
use crate::core::error::{Error, FailureClass};
use crate::core::http::serve::{
    self, Answer, Handler, Limits, PathMatch, Refusal, Request, Route, Site,
};
use crate::core::renova::Renova;
use crate::i18n::{Lang, explain};

/// `renova token`'s default.
const DEFAULT_MIN_VALID: Duration = Duration::from_secs(300);

/// `Retry-After` when nothing says when the provider will be tried again.
const RETRY_AFTER: i64 = 30;

/// The first route (`/v1/hello`); the second is `/v1/token/<name>`.
const HELLO: usize = 0;

/// How often a caller's request may make the agent read the key when it holds none.
const KEY_READ_SPACING: Duration = Duration::from_secs(60);

/// How often a wrong key is written to the audit log (with the count since the last line).
const REFUSALS_LOGGED_EVERY: Duration = Duration::from_secs(60);

/// A running endpoint; dropping it stops it.
pub struct Server {
    /// The port it listens on.
    pub port: u16,
    endpoint: Arc<Endpoint>,
    _server: serve::Server,
}

impl Server {
    /// The agent's loop, after each pass: reads the key into memory when none is held for the
    /// current `key_rev` (never unlocking the keychain), and writes the wrong keys counted
    /// since the last audit line once a minute has passed.
    pub(crate) async fn warm(&self) {
        let _ = self.endpoint.key_for_caller().await;
        self.endpoint.log_refusals();
    }
}

/// The key as the agent holds it.
#[derive(Default)]
struct KeyCache {
    /// The key, with the `key_rev` it was read at (`None`: no key made yet).
    held: Option<(u64, Option<SecretString>)>,
    /// The last read, with the `key_rev` it was for.
    last_read: Option<(u64, Instant)>,
}

/// Wrong keys since the last audit line, and when that line was written.
#[derive(Default)]
struct Refusals {
    count: u32,
    logged: Option<Instant>,
}

/// Starts serving on 127.0.0.1:`port`.
pub async fn start(renova: Renova, port: u16) -> std::io::Result<Server> {
    let listener = Arc::new(TcpListener::bind(("127.0.0.1", port)).await?);
    let site = Site {
        hosts: vec![format!("127.0.0.1:{port}"), format!("localhost:{port}")],
        routes: vec![
            Route {
                path: PathMatch::Exact("/v1/hello".to_owned()),
                methods: vec![Method::GET],
            },
            Route {
                path: PathMatch::Segment("/v1/token/".to_owned()),
                methods: vec![Method::GET],
            },
        ],
    };
    let endpoint = Arc::new(Endpoint {
        renova,
        port,
        keys: Mutex::new(KeyCache::default()),
        refusals: std::sync::Mutex::new(Refusals::default()),
    });
    let handler: Arc<dyn Handler> = endpoint.clone();
    let server = serve::serve(vec![listener], site, Limits::default(), &handler);
    let server = Server {
        port,
        endpoint,
        _server: server,
    };
    server.warm().await;
    Ok(server)
}

/// The endpoint's answers.
struct Endpoint {
    renova: Renova,
    port: u16,
    keys: Mutex<KeyCache>,
    refusals: std::sync::Mutex<Refusals>,
}

/// The key is not in memory (the keychain is locked, or could not be read yet).
fn not_ready() -> Answer {
    json_error(
        503,
        "not_ready",
        "Renova's agent has not read its key yet (is the keychain locked?).",
    )
    .with("retry-after", KEY_READ_SPACING.as_secs().to_string())
}

fn json_error(status: u16, error: &str, reason: &str) -> Answer {
    let body = serde_json::json!({"error": error, "reason": reason}).to_string();
    Answer::new(status, "application/json", body)
}

impl Handler for Endpoint {
    fn answer(&self, request: Request) -> Pin<Box<dyn Future<Output = Answer> + Send + '_>> {
        Box::pin(async move {
            match request.route {
                HELLO => self.hello(&request).await,
                _ => self.token(&request).await,
            }
        })
    }

    fn refused(&self, refusal: Refusal) -> Answer {
        let (error, reason) = match refusal {
            Refusal::BadHost => ("bad_request", "Send one Host: 127.0.0.1 with this port."),
            Refusal::ForeignHost => ("forbidden_host", "Only 127.0.0.1 with this port is served."),
            Refusal::NotFound => ("not_found", "Ask for /v1/token/<account name>."),
            Refusal::MethodNotAllowed => ("method_not_allowed", "Only GET is served."),
        };
        json_error(refusal.status(), error, reason)
    }
}

/// A query parameter, decoded.
fn query(request: &Request, name: &str) -> Option<String> {
    url::form_urlencoded::parse(request.query.as_deref().unwrap_or_default().as_bytes())
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

impl Endpoint {
    async fn token(&self, request: &Request) -> Answer {
        let name = request.path.strip_prefix("/v1/token/").unwrap_or_default();
        match self.authorized(request).await {
            Some(true) => {}
            Some(false) => {
                self.refused();
                return json_error(
                    401,
                    "unauthorized",
                    "Send Authorization: Bearer <the key from `renova endpoint key`>.",
                )
                .with("www-authenticate", "Bearer");
            }
            // No key in memory (a locked keychain): say so, not "wrong key", and no more than
            // that to a caller not yet known.
            None => return not_ready(),
        }
        let min_valid = match query(request, "min_valid") {
            None => DEFAULT_MIN_VALID,
            Some(v) => match parse_duration(&v) {
                Some(d) => d,
                None => {
                    return json_error(400, "bad_min_valid", "min_valid is a duration like 15m.");
                }
            },
        };
        let renova = &self.renova;
        let account = match renova.account(name) {
            Ok(a) => a,
            Err(e) => return failure(&e, name, None),
        };
        match renova.token(&account, min_valid).await {
            Ok(outcome) => {
                let user_agent = request.user_agent.as_deref().unwrap_or_default();
                renova
                    .endpoint()
                    .audit_served(&account, &outcome.token, user_agent);
                let expires_in = outcome
                    .expires_at
                    .map(|at| seconds_until(renova.now(), at).max(0));
                let mut body = serde_json::json!({
                    "access_token": outcome.token.expose_secret(),
                    "token_type": "Bearer",
                    "expires_at": outcome.expires_at.map(|at| at.to_string()),
                    "expires_in": expires_in,
                    "account": account.name,
                });
                // RD Station CRM v1 takes its token in the query, not as Bearer.
                if let TokenPlacement::Query(parameter) = outcome.placement {
                    body["token_type"] = "query".into();
                    body["query_parameter"] = parameter.into();
                }
                let body = body.to_string();
                Answer::new(200, "application/json", body)
            }
            Err(e) => {
                // When the pass tries the provider again: the core's status says.
                let next = renova
                    .list(renova.now())
                    .ok()
                    .and_then(|rows| rows.into_iter().find(|r| r.account.id == account.id))
                    .and_then(|r| r.status.next_try)
                    .map(|t| seconds_until(renova.now(), t))
                    .filter(|s| *s > 0);
                failure(&e, name, next)
            }
        }
    }

    /// The presented key against the one in memory (`None`: no key in memory, even after a
    /// read this request may make). The scheme is case-insensitive (RFC 7235).
    async fn authorized(&self, request: &Request) -> Option<bool> {
        let presented = request
            .authorization
            .as_deref()
            .and_then(|a| a.split_once(' '))
            .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
            .map(|(_, key)| zeroize::Zeroizing::new(key.trim().to_owned()));
        let held = self.key_for_caller().await?;
        Some(presented.is_some_and(|p| held.as_ref().is_some_and(|k| same_key(&p, k))))
    }

    /// The `key_rev` `accounts.toml` says now.
    fn key_rev(&self) -> u64 {
        self.renova
            .config()
            .map(|c| c.endpoint.key_rev)
            .unwrap_or(u64::MAX)
    }

    /// The key held in memory for the current `key_rev` (`Some(None)`: no key was made yet);
    /// `None` when none is held. Never reads the keychain.
    async fn key_in_memory(&self) -> Option<Option<SecretString>> {
        let rev = self.key_rev();
        let cache = self.keys.lock().await;
        cache
            .held
            .as_ref()
            .filter(|(seen, _)| *seen == rev)
            .map(|(_, k)| k.clone())
    }

    /// The key in memory, else one read of it — the first since `key_rev` changed, or a
    /// minute after the last — that never unlocks the keychain.
    async fn key_for_caller(&self) -> Option<Option<SecretString>> {
        let rev = self.key_rev();
        let mut cache = self.keys.lock().await;
        if let Some((_, key)) = cache.held.as_ref().filter(|(seen, _)| *seen == rev) {
            return Some(key.clone());
        }
        let spaced = cache
            .last_read
            .is_some_and(|(seen, at)| seen == rev && at.elapsed() < KEY_READ_SPACING);
        if spaced {
            return None;
        }
        cache.last_read = Some((rev, Instant::now()));
        match self.renova.endpoint().stored_key_unlocked().await {
            Ok(key) => {
                cache.held = Some((rev, key.clone()));
                Some(key)
            }
            Err(e) => {
                tracing::warn!("the endpoint key is not read yet: {e}");
                None
            }
        }
    }

    /// Counts a wrong key; the count reaches the audit log once a minute.
    fn refused(&self) {
        if let Ok(mut r) = self.refusals.lock() {
            r.count = r.count.saturating_add(1);
        }
        self.log_refusals();
    }

    /// Writes the wrong keys counted since the last line, when a minute has passed since it.
    fn log_refusals(&self) {
        let Ok(mut r) = self.refusals.lock() else {
            return;
        };
        let due = r
            .logged
            .is_none_or(|at| at.elapsed() >= REFUSALS_LOGGED_EVERY);
        if r.count > 0 && due {
            self.renova.endpoint().audit_refused_keys(r.count);
            r.count = 0;
            r.logged = Some(Instant::now());
        }
    }

    /// `GET /v1/hello?nonce=HEX`, no key needed: proves that this is Renova holding the key
    /// (an HMAC of the nonce under it), so a caller can check the port before sending the key.
    async fn hello(&self, request: &Request) -> Answer {
        let Some(nonce) = query(request, "nonce").filter(|n| nonce_ok(n)) else {
            return json_error(400, "bad_nonce", "nonce is 16 to 64 hex digits.");
        };
        // Only from memory: a request for a proof never makes the agent read the keychain.
        match self.key_in_memory().await {
            Some(Some(key)) => match proof(&key, self.port, &nonce) {
                Some(proof) => {
                    let body = serde_json::json!({
                        "service": "renova",
                        "version": env!("CARGO_PKG_VERSION"),
                        "proof": proof,
                    });
                    Answer::new(200, "application/json", body.to_string())
                }
                None => json_error(500, "failed", "The proof could not be made."),
            },
            Some(None) => json_error(503, "no_key", "The endpoint has no key yet."),
            None => not_ready(),
        }
    }
}

/// The answer for a failure: its class's status and word. `retry_in`: seconds until the
/// account's next try, when the core has one ahead (a caller is told at most an hour), else 30.
fn failure(e: &Error, name: &str, retry_in: Option<i64>) -> Answer {
    let class = e.class();
    let reason = explain(e, Lang::En, name).line();
    let answer = json_error(class.http_status(), class.code(), &reason);
    match class {
        FailureClass::Unavailable | FailureClass::Keychain => {
            let wait = retry_in.unwrap_or(RETRY_AFTER).clamp(1, 3600);
            answer.with("retry-after", wait.to_string())
        }
        _ => answer,
    }
}
