//! Postman environment sync (DESIGN §8): after each new access token of an account that has a
//! Postman environment, the token is written into one variable of that environment through
//! Postman's public API — created as type `secret` when missing, its value replaced when
//! present, other variables untouched. The API key is a secret with its own keychain entry and
//! is sent only in the `X-API-Key` header, only to the Postman API. A failed sync never blocks
//! or undoes a refresh: it is recorded, shown, audited and retried with backoff.

use std::time::Duration;

use jiff::Timestamp;
use reqwest::Method;
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use url::Url;
use zeroize::Zeroizing;

use crate::core::clock;
use crate::core::config::AccountConfig;
use crate::core::error::{Error, Result};
use crate::core::expiry;
use crate::core::http::{self, MAX_BODY, checked_url};
use crate::core::provider::{ErrorBody, redact};
use crate::core::renova::Renova;
use crate::core::secrets::Secrets;
use crate::core::state::State;

/// The keychain user under which the Postman API key is stored (service `renova`).
pub const KEY_USER: &str = "postman-api-key";

/// The variable written when the account names none.
pub const DEFAULT_VARIABLE: &str = "rd_access_token";

/// Postman's API.
pub const DEFAULT_API_URL: &str = "https://api.getpostman.com";

/// Environment variable that points Renova at another Postman API (tests, proxies).
pub const API_URL_ENV: &str = "RENOVA_POSTMAN_API_URL";

/// What went wrong talking to Postman.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
}

impl PostmanError {
    fn new(kind: PostmanErrorKind, status: Option<u16>, message: Option<String>) -> Self {
        Self {
            kind,
            status,
            message,
            retry_after: None,
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

/// The Postman API base URL from the environment (`RENOVA_POSTMAN_API_URL`) or the default.
pub fn api_url_from_env() -> String {
    std::env::var(API_URL_ENV).unwrap_or_else(|_| DEFAULT_API_URL.to_owned())
}

/// Whether an account syncs to Postman.
pub fn target(account: &AccountConfig) -> Option<(&str, &str)> {
    let env = account.postman_env.as_deref()?;
    Some((
        env,
        account.postman_var.as_deref().unwrap_or(DEFAULT_VARIABLE),
    ))
}

impl Renova {
    /// The Postman API base URL, `https` enforced except for loopback.
    pub fn postman_api_url(&self) -> Result<Url> {
        Ok(checked_url(API_URL_ENV, &self.postman_api)?)
    }

    /// Stores the Postman API key (its own keychain entry).
    pub async fn set_postman_key(&self, key: &SecretString) -> Result<()> {
        let value = Zeroizing::new(key.expose_secret().as_bytes().to_vec());
        self.keychain.write_user(KEY_USER, value).await?;
        Ok(())
    }

    /// Deletes the Postman API key.
    pub async fn remove_postman_key(&self) -> Result<()> {
        self.keychain.delete_user(KEY_USER).await?;
        Ok(())
    }

    /// The stored Postman API key, if any.
    pub async fn postman_key(&self) -> Result<Option<SecretString>> {
        let raw = self.keychain.read_user(KEY_USER).await?;
        Ok(raw
            .and_then(|b| String::from_utf8(b.to_vec()).ok())
            .map(SecretString::from))
    }

    /// One call to Postman's API. Postman's messages are kept (state.json, the card), so the key
    /// and every secret in `sent` (what the body carries) are cut out of them.
    /// Whether a Postman API key is stored.
    pub async fn has_postman_key(&self) -> Result<bool> {
        Ok(self.postman_key().await?.is_some())
    }

    async fn postman_call(
        &self,
        key: &SecretString,
        method: Method,
        path: &str,
        body: Option<&Value>,
        sent: &[&str],
    ) -> std::result::Result<Value, PostmanError> {
        let unavailable =
            |m: String| PostmanError::new(PostmanErrorKind::Unavailable, None, Some(m));
        let base = self
            .postman_api_url()
            .map_err(|e| unavailable(e.to_string()))?;
        let url = http::join(&base, path);
        let client = self.http.client().map_err(|e| unavailable(e.to_string()))?;
        let mut request = client
            .request(method, url)
            .header("X-API-Key", key.expose_secret())
            .header(reqwest::header::ACCEPT, "application/json");
        if let Some(b) = body {
            request = request.json(b);
        }
        let response = request
            .send()
            .await
            .map_err(|e| unavailable(http::transport_error(&e).to_string()))?;
        let status = response.status();
        if status.is_redirection() {
            return Err(unavailable(format!("redirect ({status}) not followed")));
        }
        let retry_after = http::retry_after(&response, self.now()).map(|d| d.as_secs());
        let bytes = http::read_body(response, MAX_BODY)
            .await
            .map_err(|e| unavailable(e.to_string()))?;
        let secrets: Vec<&str> = std::iter::once(key.expose_secret())
            .chain(sent.iter().copied())
            .collect();
        if !status.is_success() {
            let parsed = ErrorBody::parse(&bytes);
            let message = parsed.message.map(|m| redact(&m, &secrets));
            let kind = match status.as_u16() {
                401 | 403 => PostmanErrorKind::InvalidKey,
                404 => PostmanErrorKind::NotFound,
                429 => PostmanErrorKind::RateLimited,
                _ => PostmanErrorKind::Unavailable,
            };
            return Err(PostmanError {
                retry_after,
                ..PostmanError::new(kind, Some(status.as_u16()), message)
            });
        }
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(Value::Null);
        }
        serde_json::from_slice(&bytes).map_err(|_| {
            PostmanError::new(
                PostmanErrorKind::Malformed,
                Some(status.as_u16()),
                Some("the answer is not JSON".to_owned()),
            )
        })
    }

    /// Whose Postman account a key belongs to (`GET /me`): the full name, else the user name.
    pub async fn postman_whoami(
        &self,
        key: &SecretString,
    ) -> std::result::Result<String, PostmanError> {
        let me = self
            .postman_call(key, Method::GET, "/me", None, &[])
            .await?;
        let user = me.get("user").unwrap_or(&me);
        ["fullName", "username", "email"]
            .iter()
            .find_map(|k| {
                user.get(k)
                    .and_then(Value::as_str)
                    .filter(|s| !s.is_empty())
            })
            .map(str::to_owned)
            .ok_or_else(|| {
                PostmanError::new(
                    PostmanErrorKind::Malformed,
                    None,
                    Some("the answer names no user".to_owned()),
                )
            })
    }

    /// Writes `token` into the account's Postman variable: replaced if it exists, else added
    /// as a `secret` variable. Other variables are not touched.
    pub async fn push_to_postman(
        &self,
        account: &AccountConfig,
        token: &SecretString,
    ) -> std::result::Result<(), PostmanError> {
        let Some((env, variable)) = target(account) else {
            return Ok(());
        };
        let key = match self.postman_key().await {
            Ok(Some(k)) => k,
            Ok(None) => return Err(PostmanError::new(PostmanErrorKind::NoKey, None, None)),
            Err(e) => {
                return Err(PostmanError::new(
                    PostmanErrorKind::Unavailable,
                    None,
                    Some(e.to_string()),
                ));
            }
        };
        // Postman could quote the token back in an error.
        let sent = [token.expose_secret()];
        let path = format!("/environments/{env}");
        let current = self
            .postman_call(&key, Method::GET, &path, None, &sent)
            .await?;
        let values = current
            .get("environment")
            .and_then(|e| e.get("values"))
            .and_then(Value::as_array)
            .ok_or_else(|| {
                PostmanError::new(
                    PostmanErrorKind::Malformed,
                    None,
                    Some("the environment has no variable list".to_owned()),
                )
            })?;
        let index = values
            .iter()
            .position(|v| v.get("key").and_then(Value::as_str) == Some(variable));
        // One kind of operation per call (Postman's rule): replace the value, or add the variable.
        let patch = match index {
            Some(i) => {
                json!([{ "op": "replace", "path": format!("/values/{i}/value"), "value": token.expose_secret() }])
            }
            None => json!([{
                "op": "add",
                "path": format!("/values/{}", values.len()),
                "value": { "key": variable, "value": token.expose_secret(), "type": "secret", "enabled": true }
            }]),
        };
        self.postman_call(&key, Method::PATCH, &path, Some(&patch), &sent)
            .await?;
        Ok(())
    }

    /// After a new access token: syncs it to Postman if the account asks for it, and records
    /// the outcome (state, audit). Never fails the caller; returns the sync error, if any.
    pub async fn sync_after_new_token(
        &self,
        account: &AccountConfig,
        secrets: &Secrets,
    ) -> Option<PostmanError> {
        target(account)?;
        let token = secrets.access_token.as_ref()?;
        let result = self.push_to_postman(account, token).await;
        let now = self.now();
        let outcome = match &result {
            Ok(()) => "ok",
            Err(e) if e.is_transient() => "transient",
            Err(_) => "failed",
        };
        let error = result.as_ref().err().cloned();
        let r = State::update_account(&self.paths, &account.id, |a| match &error {
            None => {
                a.postman_synced_at = Some(now);
                a.postman_error = None;
                a.postman_failures = 0;
                a.postman_retry_at = None;
            }
            Some(e) => {
                let hint = e.retry_after.map(Duration::from_secs);
                let delay = expiry::retry_delay(a.postman_failures, expiry::random_unit(), hint);
                a.postman_failures = a.postman_failures.saturating_add(1);
                a.postman_retry_at = Some(clock::add(now, delay));
                a.postman_error = Some(e.clone());
            }
        });
        if let Err(e) = r {
            tracing::warn!("could not update state.json: {e}");
        }
        self.audit(&self.audit_entry(account.id, "postman_sync", outcome));
        result.err()
    }

    /// Syncs accounts whose last sync failed and whose retry time has come (the window's tick
    /// and `refresh --due`). Returns how many were attempted.
    pub async fn retry_postman_syncs(&self, now: Timestamp) -> Result<usize> {
        let config = self.config()?;
        let state = State::load(&self.paths);
        let mut attempted = 0;
        for account in config.visible().filter(|a| target(a).is_some()) {
            if !state.get(&account.id).postman_retry_due(now) {
                continue;
            }
            let entry = match self.keychain.read(&account.id).await {
                Ok(Some(e)) => e,
                _ => continue,
            };
            if entry.secrets.valid_access_token(now).is_some() {
                attempted += 1;
                self.sync_after_new_token(account, &entry.secrets).await;
            }
        }
        Ok(attempted)
    }

    /// Syncs one account now, if it has a Postman target and a valid token (after the user set
    /// up sync, or a manual retry).
    pub async fn sync_postman_now(&self, name: &str) -> Result<Option<PostmanError>> {
        let config = self.config()?;
        let account = config.get(name)?.clone();
        if target(&account).is_none() {
            return Ok(None);
        }
        let entry = self.read_entry(&account).await?;
        if entry.secrets.valid_access_token(self.now()).is_none() {
            return Ok(None);
        }
        Ok(self.sync_after_new_token(&account, &entry.secrets).await)
    }
}

/// A Postman failure as a core error (for `renova postman-key` and the window's Test button).
impl From<PostmanError> for Error {
    fn from(e: PostmanError) -> Self {
        Error::Postman(e)
    }
}
