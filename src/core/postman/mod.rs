//! Postman's public API, as far as Renova uses it: whose key is this (`GET /me`), and write one
//! variable of an environment (read it, then one PATCH that replaces the variable's value or
//! adds it as type `secret`; other variables untouched). The API key is sent only in the
//! `X-API-Key` header, only to the Postman API.

pub(crate) mod error;
pub(crate) mod sharing;

use jiff::Timestamp;
use reqwest::Method;
use secrecy::{ExposeSecret, SecretString};
use serde_json::{Value, json};
use url::Url;

use crate::core::config::AccountConfig;
use crate::core::http::{self, Http, checked_url};
use crate::core::input::InputError;
use crate::core::input::Setting;
pub(crate) use error::{PostmanError, PostmanErrorKind, Unclear};
pub(crate) use sharing::Sharing;
use sharing::Verdict;

/// The keychain user under which the Postman API key is stored (service `renova`).
pub(crate) const KEY_USER: &str = "postman-api-key";

/// The variable written when the account names none.
pub(crate) const DEFAULT_VARIABLE: &str = "rd_access_token";

/// Postman's API.
pub(crate) const DEFAULT_API_URL: &str = "https://api.getpostman.com";

/// Environment variable that points Renova at another Postman API (tests, proxies).
pub(crate) const API_URL_ENV: &str = "RENOVA_POSTMAN_API_URL";

/// Where an account's token goes: `(environment id, variable)`, if it syncs at all.
pub(crate) fn target(account: &AccountConfig) -> Option<(&str, &str)> {
    let env = account.postman_env.as_deref()?;
    Some((
        env,
        account.postman_var.as_deref().unwrap_or(DEFAULT_VARIABLE),
    ))
}

/// How many times a write is tried while the environment keeps changing.
const MAX_ATTEMPTS: usize = 3;

/// Where `variable` is in an environment's variables.
fn position(values: &[Value], variable: &str) -> Option<usize> {
    values
        .iter()
        .position(|v| v.get("key").and_then(Value::as_str) == Some(variable))
}

/// An answer that could not be understood.
fn malformed(what: &str) -> PostmanError {
    PostmanError::new(PostmanErrorKind::Malformed, None, Some(what.to_owned()))
}

/// A client of Postman's API.
#[derive(Debug, Clone)]
pub(crate) struct PostmanApi {
    http: Http,
    base: String,
}

impl PostmanApi {
    /// A client of the API at `base`.
    pub(crate) fn new(http: Http, base: impl Into<String>) -> Self {
        Self {
            http,
            base: base.into(),
        }
    }

    /// A client of the API named by `RENOVA_POSTMAN_API_URL`, else the public one.
    pub(crate) fn from_env(http: Http) -> Self {
        Self::new(
            http,
            std::env::var(API_URL_ENV).unwrap_or_else(|_| DEFAULT_API_URL.to_owned()),
        )
    }

    /// The API's base URL, `https` enforced except for loopback.
    pub(crate) fn url(&self) -> Result<Url, InputError> {
        checked_url(Setting::PostmanApiUrl, &self.base)
    }

    /// One call. Postman's messages are kept (`state.json`, the card), so the key and every
    /// secret in `sent` (what the body carries) are cut out of them.
    async fn call(
        &self,
        key: &SecretString,
        method: Method,
        path: &str,
        body: Option<&Value>,
        sent: &[&str],
        now: Timestamp,
    ) -> Result<Value, PostmanError> {
        let base = self.url().map_err(|e| {
            let why = match e {
                InputError::BadUrl { why, .. } => why,
                other => format!("{other:?}"),
            };
            PostmanError::new(
                PostmanErrorKind::Unavailable,
                None,
                Some(format!("{API_URL_ENV}: {why}")),
            )
        })?;
        let mut call = self
            .http
            .request(method, http::join(&base, path))
            .secret_header("x-api-key", key.expose_secret())
            .redacting(sent);
        if let Some(b) = body {
            call = call.json(b);
        }
        let answer = call.send(now).await?;
        if answer.body.iter().all(u8::is_ascii_whitespace) {
            return Ok(Value::Null);
        }
        serde_json::from_slice(&answer.body).map_err(|_| {
            PostmanError::new(
                PostmanErrorKind::Malformed,
                Some(answer.status),
                Some("the answer is not JSON".to_owned()),
            )
        })
    }

    /// Whose Postman account a key belongs to (`GET /me`): the full name, else the user name,
    /// made plain (no control characters, no key) and at most 100 characters.
    pub(crate) async fn whoami(
        &self,
        key: &SecretString,
        now: Timestamp,
    ) -> Result<String, PostmanError> {
        let me = self.call(key, Method::GET, "/me", None, &[], now).await?;
        let user = me.get("user").unwrap_or(&me);
        ["fullName", "username", "email"]
            .iter()
            .find_map(|k| {
                user.get(k)
                    .and_then(Value::as_str)
                    .filter(|s| !s.is_empty())
            })
            .map(|name| {
                crate::core::http::redact::redact(name, &[key.expose_secret()])
                    .chars()
                    .take(100)
                    .collect()
            })
            .ok_or_else(|| malformed("the answer names no user"))
    }

    /// Who can see environment `env`: every workspace the key can list is asked what it
    /// holds (Postman names no workspace on an environment), and the answers are judged by
    /// [`sharing`], failing closed.
    pub(crate) async fn sharing(
        &self,
        key: &SecretString,
        env: &str,
        now: Timestamp,
    ) -> Result<Sharing, PostmanError> {
        let list = self
            .call(key, Method::GET, "/workspaces", None, &[], now)
            .await?;
        let Some(workspaces) = list.get("workspaces").and_then(Value::as_array) else {
            return Ok(Sharing::Unclear(Unclear::NoWorkspaceList, None));
        };
        let mut verdict = Verdict::default();
        for workspace in workspaces {
            let id = workspace.get("id").and_then(Value::as_str).filter(|id| {
                !id.is_empty() && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            });
            let Some(id) = id else {
                verdict.unclear(Unclear::EntryWithoutId, None);
                continue;
            };
            let name = sharing::name_of(workspace, id);
            let path = format!("/workspaces/{id}");
            let detail = self.call(key, Method::GET, &path, None, &[], now).await?;
            match sharing::lists(&detail, env) {
                Err(why) => verdict.unclear(why, Some(name)),
                Ok(false) => {}
                Ok(true) => {
                    if let Some(settled) = verdict.listed_in(sharing::seen_by(workspace), name) {
                        return Ok(settled);
                    }
                }
            }
        }
        Ok(verdict.end())
    }

    /// Writes `token` into `variable` of environment `env`: replaced if it exists, else added
    /// as a `secret` variable. Other variables are not touched.
    ///
    /// Postman's PATCH addresses a variable by its position, and cannot be made conditional.
    /// So the position is read twice in a row and must agree (someone editing the environment
    /// in between makes Renova read again), and read once more after the write: if another
    /// variable had taken the position after all, its value from the look is put back and the
    /// write is tried again. (A variable created in that very instant cannot be given back a
    /// value Renova never saw: Postman offers no way to close that last window.)
    pub(crate) async fn push(
        &self,
        key: &SecretString,
        (env, variable): (&str, &str),
        token: &SecretString,
        now: Timestamp,
    ) -> Result<(), PostmanError> {
        // Postman could quote the token back in an error.
        let sent = [token.expose_secret()];
        let path = format!("/environments/{env}");
        let mut values = self.values(key, &path, &sent, now).await?;
        for _ in 0..MAX_ATTEMPTS {
            let again = self.values(key, &path, &sent, now).await?;
            let index = position(&values, variable);
            if index != position(&again, variable) || values.len() != again.len() {
                // It moved while Renova looked: look again.
                values = again;
                continue;
            }
            // One kind of operation per call (Postman's rule): replace the value, or add it.
            let patch = match index {
                Some(i) => {
                    json!([{ "op": "replace", "path": format!("/values/{i}/value"), "value": token.expose_secret() }])
                }
                None => json!([{
                    "op": "add",
                    "path": format!("/values/{}", again.len()),
                    "value": { "key": variable, "value": token.expose_secret(), "type": "secret", "enabled": true }
                }]),
            };
            self.call(key, Method::PATCH, &path, Some(&patch), &sent, now)
                .await?;
            let Some(i) = index else {
                return Ok(());
            };
            let after = self.values(key, &path, &sent, now).await?;
            let landed = after
                .get(i)
                .and_then(|v| v.get("key"))
                .and_then(Value::as_str);
            if landed == Some(variable) {
                return Ok(());
            }
            // Another variable took the position between the look and the write: give it its
            // value back, then try again where the variable is now.
            if let Some(other) = landed
                && let Some(old) = again
                    .iter()
                    .find(|v| v.get("key").and_then(Value::as_str) == Some(other))
                    .and_then(|v| v.get("value"))
            {
                let restore = json!([{ "op": "replace", "path": format!("/values/{i}/value"), "value": old }]);
                // The neighbour's value may be a secret too: never quoted back.
                let old_text = old.as_str().unwrap_or_default().to_owned();
                let sent_too = [token.expose_secret(), old_text.as_str()];
                self.call(key, Method::PATCH, &path, Some(&restore), &sent_too, now)
                    .await?;
            }
            values = after;
        }
        Err(PostmanError::new(
            PostmanErrorKind::Unavailable,
            None,
            Some("the environment kept changing while Renova wrote to it".to_owned()),
        ))
    }

    /// The environment's variables.
    async fn values(
        &self,
        key: &SecretString,
        path: &str,
        sent: &[&str],
        now: Timestamp,
    ) -> Result<Vec<Value>, PostmanError> {
        let current = self.call(key, Method::GET, path, None, sent, now).await?;
        current
            .get("environment")
            .and_then(|e| e.get("values"))
            .and_then(Value::as_array)
            .cloned()
            .ok_or_else(|| malformed("the environment has no variable list"))
    }
}
