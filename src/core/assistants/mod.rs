//! AI assistants' use of accounts through `renova mcp`: which accounts they see, where a token
//! may go, the request made on their behalf, and what comes back. The assistant names an
//! account and a URL; Renova adds the token, sends the request only to an origin the person
//! allowed, follows no redirect, and cuts every secret it knows out of the answer. The token
//! itself is given only for accounts set to `token`.

pub(crate) mod error;

use std::sync::Arc;
use std::time::Duration;

use jiff::Timestamp;
use reqwest::Method;
use reqwest::header::{HeaderName, HeaderValue};
use secrecy::{ExposeSecret, SecretString};
use tokio::sync::Mutex;
use url::Url;

use crate::core::account::AccountId;
use crate::core::config::{AccountConfig, Config};
use crate::core::context::Context;
use crate::core::error::Result;
use crate::core::http::redact::Redactor;
use crate::core::http::{self, checked_url};
use crate::core::provider::Provider;
use crate::core::refresh;
use crate::core::{endpoint, sync};
pub(crate) use error::AssistantError;

/// The one line that connects Claude Code to Renova (Settings copies it; the README and
/// `renova mcp --help` show it with the other clients').
pub(crate) const CLAUDE_CODE_SETUP: &str = "claude mcp add renova -- renova mcp";

/// A token handed over or used is valid for at least this long (`renova token`'s default).
pub(crate) const MIN_VALID: Duration = Duration::from_secs(300);

/// The most of an answer's body an assistant gets; the rest is cut, with a note.
pub(crate) const MAX_BODY: usize = 1024 * 1024;

/// The methods an assistant may use.
pub(crate) const METHODS: [&str; 7] = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];

/// Headers an assistant may not send: Renova sets the credentials, and never forwards a
/// cookie or another identity; the rest are the connection's own.
const REFUSED_HEADERS: [&str; 13] = [
    "authorization",
    // Renova reads the answer as UTF-8 text to cut secrets out of it: a compressed body
    // would carry them past, so Renova asks for none.
    "accept-encoding",
    "accept-charset",
    "proxy-authorization",
    "cookie",
    "host",
    "content-length",
    "transfer-encoding",
    "connection",
    "upgrade",
    "te",
    "trailer",
    "keep-alive",
];

/// The answer's headers an assistant is shown (no cookies, no server internals).
const SAFE_HEADERS: [&str; 13] = [
    "content-type",
    "content-length",
    "content-language",
    "location",
    "retry-after",
    "etag",
    "last-modified",
    "link",
    "x-ratelimit-limit",
    "x-ratelimit-remaining",
    "x-ratelimit-reset",
    "ratelimit",
    "content-encoding",
];

/// The origins an assistant may send `account`'s token to: the person's list, else the
/// provider's API origin (none for a generic OAuth 2.0 provider).
pub(crate) fn origins(account: &AccountConfig) -> Vec<String> {
    if account.assistant_origins.is_empty() {
        Provider::of(account).api_origin().into_iter().collect()
    } else {
        account.assistant_origins.clone()
    }
}

/// The account named `name`, if it is shared with assistants; an account set to `off` is
/// answered exactly as one that does not exist.
pub(crate) fn shared(config: &Config, name: &str) -> Result<AccountConfig> {
    config
        .visible()
        .find(|a| a.name == name && a.assistants.shared())
        .cloned()
        .ok_or_else(|| {
            AssistantError::NotShared {
                name: name.to_owned(),
            }
            .into()
        })
}

/// What an assistant asks to send.
#[derive(Clone, Default)]
pub(crate) struct Request {
    /// The account's name.
    pub(crate) account: String,
    /// The HTTP method.
    pub(crate) method: String,
    /// The absolute URL.
    pub(crate) url: String,
    /// Headers to send (never credentials).
    pub(crate) headers: Vec<(String, String)>,
    /// The body, as text.
    pub(crate) body: Option<String>,
}

impl std::fmt::Debug for Request {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Request")
            .field("account", &self.account)
            .field("method", &self.method)
            .field("headers", &self.headers.len())
            .field("body", &self.body.as_ref().map(String::len))
            .finish_non_exhaustive()
    }
}

/// A request checked against the account's rules, ready to send.
#[derive(Debug)]
pub(crate) struct Checked {
    method: Method,
    url: Url,
    headers: Vec<(HeaderName, HeaderValue)>,
    /// Its origin, `https://host[:port]`.
    pub(crate) origin: String,
}

impl Checked {
    /// Method, host and path, without the query (which may hold anything): for the audit
    /// log, the window and the notification.
    pub(crate) fn summary(&self) -> String {
        format!(
            "{} {}{}",
            self.method,
            self.url.host_str().unwrap_or_default(),
            self.url.path()
        )
    }

    /// The method.
    pub(crate) fn method(&self) -> &str {
        self.method.as_str()
    }

    /// The path, without the query.
    pub(crate) fn path(&self) -> &str {
        self.url.path()
    }
}

/// Checks the method, the URL's origin and the headers, before any token is read.
pub(crate) fn check(account: &AccountConfig, req: &Request) -> Result<Checked> {
    let method = req.method.trim().to_ascii_uppercase();
    if !METHODS.contains(&method.as_str()) {
        return Err(AssistantError::BadMethod(req.method.chars().take(20).collect()).into());
    }
    let method = Method::from_bytes(method.as_bytes())
        .map_err(|_| AssistantError::BadMethod(method.clone()))?;
    let url =
        checked_url(crate::core::input::Setting::AssistantOrigin, &req.url).map_err(
            |e| match e {
                crate::core::input::InputError::BadUrl { why, .. } => {
                    AssistantError::BadUrl { why }
                }
                other => AssistantError::BadUrl {
                    why: format!("{other:?}"),
                },
            },
        )?;
    let allowed = origins(account);
    if allowed.is_empty() {
        return Err(AssistantError::NoOrigins {
            name: account.name.clone(),
        }
        .into());
    }
    let origin = http::origin_of(&url);
    if !allowed.contains(&origin) {
        return Err(AssistantError::OriginNotAllowed {
            name: account.name.clone(),
            origin,
        }
        .into());
    }
    let mut headers = Vec::with_capacity(req.headers.len());
    for (name, value) in &req.headers {
        let lower = name.trim().to_ascii_lowercase();
        if REFUSED_HEADERS.contains(&lower.as_str()) {
            return Err(AssistantError::HeaderRefused(name.trim().to_owned()).into());
        }
        let bad = || AssistantError::BadHeader(name.chars().take(40).collect());
        let name = HeaderName::from_bytes(lower.as_bytes()).map_err(|_| bad())?;
        let value = HeaderValue::from_str(value).map_err(|_| bad())?;
        headers.push((name, value));
    }
    Ok(Checked {
        method,
        url,
        headers,
        origin,
    })
}

/// What came back from the API, every secret cut out.
#[derive(Debug, Clone)]
pub(crate) struct Response {
    /// The HTTP status.
    pub(crate) status: u16,
    /// Its `Content-Type`.
    pub(crate) content_type: Option<String>,
    /// The headers an assistant may see.
    pub(crate) headers: Vec<(String, String)>,
    /// The body as text (invalid UTF-8 replaced), at most 1 MiB of it.
    pub(crate) body: String,
    /// The body was longer than 1 MiB and was cut there.
    pub(crate) cut: bool,
    /// Something Renova knows as a secret was cut out of the answer.
    pub(crate) redacted: bool,
    /// The body was not text Renova could check for secrets (compressed, UTF-16, binary) and
    /// was withheld.
    pub(crate) withheld: bool,
}

/// Sends a checked request with `token`, and gives the answer with every secret `known`
/// cut out (and the token, in any case).
pub(crate) async fn send(
    cx: &Context,
    account: &AccountConfig,
    checked: &Checked,
    body: Option<&str>,
    token: &SecretString,
    known: &Redactor,
) -> Result<Response> {
    let mut call = cx
        .http
        .request_as_given(checked.method.clone(), checked.url.clone())
        .token(account.provider.placement(), token.expose_secret())
        .header(
            reqwest::header::ACCEPT_ENCODING,
            HeaderValue::from_static("identity"),
        );
    for (name, value) in &checked.headers {
        call = call.header(name.clone(), value.clone());
    }
    if let Some(body) = body {
        call = call.body(body.as_bytes().to_vec());
    }
    let answer = call
        .exchange(MAX_BODY)
        .await
        .map_err(|e| AssistantError::Unreachable {
            origin: checked.origin.clone(),
            cause: e.kind,
        })?;
    if (300..400).contains(&answer.status)
        && let Some(to) = answer
            .headers
            .get(reqwest::header::LOCATION)
            .and_then(|l| l.to_str().ok())
            .and_then(|l| answer.url.join(l).ok())
        && http::origin_of(&to) != checked.origin
    {
        let (origin, _) = known.scrub(&http::origin_of(&to));
        return Err(AssistantError::Redirected {
            name: account.name.clone(),
            origin,
        }
        .into());
    }
    // Only text Renova can read for secrets goes back: a body compressed although none was
    // asked for, or with NUL bytes (UTF-16, binary), is withheld.
    let encoded = answer
        .headers
        .get(reqwest::header::CONTENT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| !v.trim().eq_ignore_ascii_case("identity"));
    let withheld = encoded || answer.body.contains(&0);
    let text = if withheld {
        String::new()
    } else {
        String::from_utf8_lossy(&answer.body).into_owned()
    };
    let this_token = Redactor::of(&[token.expose_secret()]);
    let (body, cut_known) = known.scrub(&text);
    let (body, cut_token) = this_token.scrub(&body);
    let mut headers = Vec::new();
    let mut redacted = cut_known || cut_token;
    for name in SAFE_HEADERS {
        for value in answer.headers.get_all(name) {
            let value = String::from_utf8_lossy(value.as_bytes());
            let (value, cut) = known.scrub(&value);
            let (value, cut_t) = this_token.scrub(&value);
            redacted |= cut || cut_t;
            headers.push((name.to_owned(), value));
        }
    }
    let content_type = headers
        .iter()
        .find(|(n, _)| n == "content-type")
        .map(|(_, v)| v.clone());
    Ok(Response {
        status: answer.status,
        content_type,
        headers,
        body,
        cut: answer.cut,
        redacted,
        withheld,
    })
}

/// The secrets an answer is cleaned of: every account's client secret and tokens, the
/// endpoint's key and the Postman key. Read from the keychain once, and again when an entry
/// changed (`state.json` holds each entry's `rev`) or a minute has passed.
#[derive(Default)]
pub(crate) struct KnownSecrets {
    held: Mutex<Option<Held>>,
}

struct Held {
    key: Vec<(AccountId, u64)>,
    read_at: Duration,
    redactor: Arc<Redactor>,
}

/// How long the secrets read stay trusted without a change in `state.json`.
const KNOWN_FOR: Duration = Duration::from_secs(60);

impl KnownSecrets {
    /// The redactor for every secret Renova holds now.
    pub(crate) async fn redactor(
        &self,
        cx: &Context,
        config: &Config,
        state: &crate::core::state::State,
    ) -> Arc<Redactor> {
        let key: Vec<(AccountId, u64)> = config
            .accounts
            .iter()
            .map(|a| (a.id, state.get(&a.id).rev))
            .collect();
        let now = cx.store.elapsed();
        let mut held = self.held.lock().await;
        if let Some(h) = held
            .as_ref()
            .filter(|h| h.key == key && now.saturating_sub(h.read_at) < KNOWN_FOR)
        {
            return h.redactor.clone();
        }
        let mut r = Redactor::default();
        for account in &config.accounts {
            let Ok(Some(entry)) = cx.store.keychain().read(&account.id).await else {
                continue;
            };
            let s = &entry.secrets;
            for secret in [&s.client_secret, &s.refresh_token, &s.access_token]
                .into_iter()
                .flatten()
            {
                r.add(secret.expose_secret());
            }
            if let Some(secret) = &s.client_secret {
                r.add_basic(&account.client_id, secret.expose_secret());
            }
        }
        for key in [
            endpoint::key(&cx.store).await.ok().flatten(),
            sync::key(&cx.store).await.ok().flatten(),
        ]
        .into_iter()
        .flatten()
        {
            r.add(key.expose_secret());
        }
        let redactor = Arc::new(r);
        *held = Some(Held {
            key,
            read_at: now,
            redactor: redactor.clone(),
        });
        redactor
    }
}

/// A token for an assistant's use: by `renova token`'s rules (at least 5 minutes left, one
/// refresh for many callers), and when it expires (`None`: a static token that does not).
pub(crate) async fn token(
    cx: &Context,
    account: &AccountConfig,
) -> Result<(SecretString, Option<Timestamp>)> {
    let outcome = refresh::token_for(cx, account, MIN_VALID).await?;
    Ok((outcome.token, outcome.expires_at))
}
