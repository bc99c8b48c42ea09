//! Providers (DESIGN §4): how each one is asked for tokens, how its answers and its many error
//! shapes are read, and which failures are permanent (authorize again) or transient (retry).
//! Every message that comes back from a provider is redacted of the secrets that were sent.

use std::time::Duration;

use base64::Engine;
use jiff::Timestamp;
use reqwest::{RequestBuilder, Response, StatusCode};
use secrecy::{ExposeSecret, SecretString};
use serde_json::Value;
use url::Url;
use zeroize::Zeroizing;

use crate::core::clock;
use crate::core::config::{AccountConfig, ClientAuth, ProviderKind};
use crate::core::error::{Error, InputError};
use crate::core::http::{self, Http, MAX_BODY};
use crate::core::secrets::Secrets;

/// RD Station's API host.
pub const RD_BASE_URL: &str = "https://api.rd.services";

/// The longest `expires_in` Renova believes (one year).
pub const MAX_LIFETIME: Duration = Duration::from_secs(365 * 24 * 3600);

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

/// A failed provider call, with what the provider said about it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, serde::Serialize, serde::Deserialize)]
pub struct ProviderError {
    /// What kind of failure.
    pub kind: ProviderErrorKind,
    /// HTTP status, when an answer came.
    pub status: Option<u16>,
    /// The provider's `error_type` (or RFC 6749 `error`).
    pub error_type: Option<String>,
    /// The provider's message, or a short plain-text excerpt of a non-JSON answer.
    pub message: Option<String>,
    /// How long the provider asked us to wait.
    pub retry_after: Option<Duration>,
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
    /// An error of this kind with nothing else known.
    pub fn new(kind: ProviderErrorKind) -> Self {
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

    /// Permanent failures need the user (authorize again); the rest may pass by themselves.
    pub fn is_permanent(&self) -> bool {
        self.kind == ProviderErrorKind::Rejected
    }

    fn redacted(mut self, secrets: &[&str]) -> Self {
        self.message = self.message.map(|m| redact(&m, secrets));
        self.error_type = self.error_type.map(|m| redact(&m, secrets));
        self
    }
}

/// Replaces every occurrence of a secret in provider-supplied text: as sent, percent-encoded
/// (a form body echoed back) and JSON-escaped (a JSON body echoed back).
pub fn redact(text: &str, secrets: &[&str]) -> String {
    let mut out = text.to_owned();
    for s in secrets.iter().filter(|s| s.len() >= 4) {
        let encoded: Zeroizing<String> =
            Zeroizing::new(url::form_urlencoded::byte_serialize(s.as_bytes()).collect());
        let escaped = Zeroizing::new(serde_json::to_string(s).unwrap_or_default());
        let escaped = escaped
            .get(1..escaped.len().saturating_sub(1))
            .unwrap_or("");
        for form in [*s, encoded.as_str(), escaped] {
            if form.len() >= 4 {
                out = out.replace(form, "[redacted]");
            }
        }
    }
    out
}

/// A provider's error body, read from any of the shapes RD and RFC 6749 servers send.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ErrorBody {
    /// `error_type` / `error`.
    pub error_type: Option<String>,
    /// `error_message` / `error_description` / `message`, or a plain-text excerpt.
    pub message: Option<String>,
    /// RD's `remaining_time` on rate limits.
    pub remaining_time: Option<Duration>,
}

impl ErrorBody {
    /// Reads an error body: JSON in any known shape, or a plain-text excerpt of anything else.
    pub fn parse(body: &[u8]) -> Self {
        match serde_json::from_slice::<Value>(body) {
            Ok(v) => {
                let mut out = Self::from_json(&v).unwrap_or_default();
                out.remaining_time = v
                    .get("remaining_time")
                    .and_then(Value::as_u64)
                    .map(Duration::from_secs);
                out
            }
            Err(_) => Self {
                message: excerpt(body),
                ..Self::default()
            },
        }
    }

    fn from_json(v: &Value) -> Option<Self> {
        let obj = v.as_object()?;
        let text = |k: &str| obj.get(k).and_then(Value::as_str).map(str::to_owned);
        // Postman: {"error": {"name": "AuthenticationError", "message": "…"}}.
        if let (Some(name), Some(message)) = (text("name"), text("message")) {
            return Some(Self {
                error_type: Some(name),
                message: Some(message),
                remaining_time: None,
            });
        }
        if obj.contains_key("error_type") || obj.contains_key("error_message") {
            let mut message = text("error_message");
            if let (Some(m), Some(path)) = (&message, text("path")) {
                message = Some(format!("{m} ({path})"));
            }
            return Some(Self {
                error_type: text("error_type"),
                message,
                remaining_time: None,
            });
        }
        match obj.get("errors") {
            Some(Value::Object(_)) => return Self::from_json(&obj["errors"]),
            Some(Value::Array(items)) => {
                let parsed: Vec<Self> = items.iter().filter_map(Self::from_json).collect();
                let first = parsed.first()?.clone();
                let messages: Vec<String> =
                    parsed.iter().filter_map(|p| p.message.clone()).collect();
                return Some(Self {
                    error_type: first.error_type,
                    message: (!messages.is_empty()).then(|| messages.join("; ")),
                    remaining_time: None,
                });
            }
            _ => {}
        }
        match obj.get("error") {
            Some(Value::String(e)) => {
                return Some(Self {
                    error_type: Some(e.clone()),
                    message: text("error_description").or_else(|| text("message")),
                    remaining_time: None,
                });
            }
            Some(inner @ Value::Object(_)) => return Self::from_json(inner),
            _ => {}
        }
        text("message").map(|m| Self {
            error_type: None,
            message: Some(m),
            remaining_time: None,
        })
    }
}

/// A short plain-text line from a non-JSON answer (an HTML proxy page, say): the `<title>`
/// if there is one, else the text without tags, at most 120 characters.
pub fn excerpt(body: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(body);
    let lower = text.to_ascii_lowercase();
    let source = match (lower.find("<title>"), lower.find("</title>")) {
        (Some(a), Some(b)) if b > a + 7 => text[a + 7..b].to_owned(),
        _ => strip_tags(&text),
    };
    let plain: String = source
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .filter(|c| !c.is_control())
        .collect();
    if plain.is_empty() {
        return None;
    }
    let mut cut: String = plain.chars().take(120).collect();
    if plain.chars().count() > 120 {
        cut.push('…');
    }
    Some(cut)
}

fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// Where an access token's expiry came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExpirySource {
    /// The answer's `expires_in`.
    ExpiresIn,
    /// The JWT's `exp` claim (the answer had no usable `expires_in`).
    Jwt,
    /// The provider's documented lifetime (the answer had no `expires_in` at all).
    ProviderDefault,
}

/// Tokens a provider issued.
#[derive(Debug, Clone)]
pub struct Grant {
    /// The new access token.
    pub access_token: SecretString,
    /// A refresh token, if the answer carried one (new or the same).
    pub refresh_token: Option<SecretString>,
    /// When the access token expires.
    pub expires_at: Timestamp,
    /// How `expires_at` was found.
    pub expiry_source: ExpirySource,
}

/// A failed token request. When the answer carried a refresh token that is unusable as a
/// whole (no access token, bad expiry), the refresh token is kept here so the caller can still
/// store it: a rotating provider has already killed the old one.
#[derive(Debug, Clone)]
pub struct GrantError {
    /// What went wrong.
    pub error: ProviderError,
    /// A refresh token found in an otherwise unusable success answer.
    pub refresh_token: Option<SecretString>,
}

impl From<ProviderError> for GrantError {
    fn from(error: ProviderError) -> Self {
        Self {
            error,
            refresh_token: None,
        }
    }
}

/// PKCE (RFC 7636) values for one authorization.
#[derive(Debug, Clone)]
pub struct Pkce {
    /// The verifier, sent with the code exchange.
    pub verifier: SecretString,
    /// `BASE64URL(SHA256(verifier))`, sent on authorize.
    pub challenge: String,
}

impl Pkce {
    /// A fresh verifier (32 random bytes, 43 characters) and its S256 challenge.
    pub fn generate() -> Result<Self, getrandom::Error> {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes)?;
        let verifier = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
        let challenge = Self::challenge_of(&verifier);
        Ok(Self {
            verifier: verifier.into(),
            challenge,
        })
    }

    /// The S256 challenge of a verifier.
    pub fn challenge_of(verifier: &str) -> String {
        use sha2::{Digest, Sha256};
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
    }
}

/// One account's provider: its endpoints and how to talk to them.
#[derive(Debug, Clone, Copy)]
pub struct Provider<'a> {
    account: &'a AccountConfig,
}

/// What a token request asks for.
enum GrantRequest<'a> {
    Refresh(&'a SecretString),
    Code {
        code: &'a SecretString,
        redirect_uri: &'a str,
        verifier: Option<&'a SecretString>,
    },
}

impl<'a> Provider<'a> {
    /// The provider of this account.
    pub fn of(account: &'a AccountConfig) -> Self {
        Self { account }
    }

    /// Which provider.
    pub fn kind(&self) -> ProviderKind {
        self.account.provider
    }

    /// The base URL of RD's API (default or `--base-url`).
    pub fn base_url(&self) -> Result<Url, Error> {
        let base = self.account.base_url.as_deref().unwrap_or(RD_BASE_URL);
        Ok(http::checked_url("--base-url", base)?)
    }

    fn configured(&self, field: &str, value: Option<&String>) -> Result<Url, Error> {
        match value {
            Some(v) => Ok(http::checked_url(field, v)?),
            None => Err(InputError::MissingEndpoint {
                field: field.to_owned(),
                name: self.account.name.clone(),
            }
            .into()),
        }
    }

    /// The token endpoint.
    pub fn token_url(&self) -> Result<Url, Error> {
        match self.kind() {
            ProviderKind::RdStation => Ok(http::join(&self.base_url()?, "/auth/token")),
            ProviderKind::RdStationCrm => Ok(http::join(&self.base_url()?, "/oauth2/token")),
            ProviderKind::OAuth2 => self.configured("--token-url", self.account.token_url.as_ref()),
        }
    }

    /// The authorization URL the user's browser opens.
    pub fn authorize_url(
        &self,
        redirect_uri: &str,
        state: &str,
        pkce: Option<&Pkce>,
    ) -> Result<Url, Error> {
        let id = self.account.client_id.as_str();
        let mut url = match self.kind() {
            ProviderKind::RdStation => http::join(&self.base_url()?, "/auth/dialog"),
            ProviderKind::RdStationCrm => http::join(&self.base_url()?, "/oauth2/authorize"),
            ProviderKind::OAuth2 => {
                self.configured("--authorize-url", self.account.authorize_url.as_ref())?
            }
        };
        {
            let mut q = url.query_pairs_mut();
            if self.kind() != ProviderKind::RdStation {
                q.append_pair("response_type", "code");
            }
            q.append_pair("client_id", id);
            q.append_pair("redirect_uri", redirect_uri);
            if self.kind() == ProviderKind::OAuth2 && !self.account.scopes.is_empty() {
                q.append_pair("scope", &self.account.scopes.join(" "));
            }
            q.append_pair("state", state);
            if let Some(p) = pkce {
                q.append_pair("code_challenge", &p.challenge);
                q.append_pair("code_challenge_method", "S256");
            }
        }
        Ok(url)
    }

    /// Whether authorize uses PKCE (only `oauth2`; RD does not document it).
    pub fn uses_pkce(&self) -> bool {
        self.kind() == ProviderKind::OAuth2
    }

    /// The endpoint that names the account, if the provider has one.
    pub fn check_url(&self) -> Result<Option<Url>, Error> {
        match self.kind() {
            ProviderKind::RdStation => Ok(Some(http::join(
                &self.base_url()?,
                "/marketing/account_info",
            ))),
            ProviderKind::RdStationCrm => Ok(None),
            ProviderKind::OAuth2 => match &self.account.check_url {
                Some(u) => Ok(Some(http::checked_url("--check-url", u)?)),
                None => Ok(None),
            },
        }
    }

    /// The revocation endpoint, if the provider has one.
    pub fn revoke_url(&self) -> Result<Option<Url>, Error> {
        match self.kind() {
            ProviderKind::RdStation => Ok(Some(http::join(&self.base_url()?, "/auth/revoke"))),
            ProviderKind::RdStationCrm => Ok(None),
            ProviderKind::OAuth2 => match &self.account.revoke_url {
                Some(u) => Ok(Some(http::checked_url("--revoke-url", u)?)),
                None => Ok(None),
            },
        }
    }

    /// A URL worth calling with the token, for the curl line: the check endpoint, or the API.
    pub fn example_url(&self) -> Option<Url> {
        if let Ok(Some(url)) = self.check_url() {
            return Some(url);
        }
        match self.kind() {
            ProviderKind::RdStationCrm => self.base_url().ok().map(|b| http::join(&b, "/crm/v2/")),
            _ => self
                .token_url()
                .ok()
                .and_then(|u| Url::parse(&u.origin().ascii_serialization()).ok()),
        }
    }

    /// The documented access-token lifetime, used when an answer omits `expires_in`.
    pub fn default_lifetime(&self) -> Duration {
        match self.kind() {
            ProviderKind::RdStation => Duration::from_secs(86_400),
            ProviderKind::RdStationCrm => Duration::from_secs(7_200),
            ProviderKind::OAuth2 => Duration::from_secs(3_600),
        }
    }

    /// The default lead time (DESIGN §5): 10 minutes, 5 for CRM as RD recommends.
    pub fn default_lead(&self) -> Duration {
        match self.kind() {
            ProviderKind::RdStationCrm => Duration::from_secs(300),
            _ => Duration::from_secs(600),
        }
    }

    /// Whether a refresh may return a new refresh token that kills the old one (CRM always
    /// does; RFC 6749 providers may). RD Marketing's refresh token is stable: an odd answer
    /// from it never replaces the stored one.
    pub fn may_rotate(&self) -> bool {
        self.kind() != ProviderKind::RdStation
    }

    /// Whether every refresh returns a new refresh token and kills the old one.
    pub fn rotates(&self) -> bool {
        self.kind() == ProviderKind::RdStationCrm
    }

    /// Asks for a new access token with the stored refresh token.
    pub async fn refresh(
        &self,
        http: &Http,
        secrets: &Secrets,
        refresh_token: &SecretString,
        sent_at: Timestamp,
    ) -> Result<Grant, GrantError> {
        self.token_request(
            http,
            secrets,
            &GrantRequest::Refresh(refresh_token),
            sent_at,
        )
        .await
    }

    /// Exchanges an authorization code for tokens.
    pub async fn exchange_code(
        &self,
        http: &Http,
        secrets: &Secrets,
        code: &SecretString,
        redirect_uri: &str,
        verifier: Option<&SecretString>,
        sent_at: Timestamp,
    ) -> Result<Grant, GrantError> {
        let request = GrantRequest::Code {
            code,
            redirect_uri,
            verifier,
        };
        self.token_request(http, secrets, &request, sent_at).await
    }

    async fn token_request(
        &self,
        http: &Http,
        secrets: &Secrets,
        request: &GrantRequest<'_>,
        sent_at: Timestamp,
    ) -> Result<Grant, GrantError> {
        let url = self
            .token_url()
            .map_err(|e| ProviderError::new(ProviderErrorKind::Malformed(e.to_string())))?;
        let client_secret = secrets.client_secret.as_ref().map(|s| s.expose_secret());
        let mut sent: Vec<&str> = client_secret.into_iter().collect();
        match request {
            GrantRequest::Refresh(rt) => sent.push(rt.expose_secret()),
            GrantRequest::Code { code, verifier, .. } => {
                sent.push(code.expose_secret());
                sent.extend(verifier.iter().map(|v| v.expose_secret()));
            }
        }
        let builder = http
            .client()?
            .post(url)
            .header(reqwest::header::ACCEPT, "application/json");
        let builder = match self.kind() {
            ProviderKind::RdStation => self.rd_json_body(builder, client_secret, request),
            ProviderKind::RdStationCrm | ProviderKind::OAuth2 => {
                self.form_body(builder, client_secret, request)
            }
        };
        let response = builder
            .send()
            .await
            .map_err(|e| http::transport_error(&e))?;
        let result = self.read_grant(response, sent_at).await;
        result.map_err(|mut e| {
            e.error = e.error.redacted(&sent);
            e
        })
    }

    fn rd_json_body(
        &self,
        builder: RequestBuilder,
        client_secret: Option<&str>,
        request: &GrantRequest<'_>,
    ) -> RequestBuilder {
        #[derive(serde::Serialize)]
        struct Body<'b> {
            client_id: &'b str,
            client_secret: &'b str,
            #[serde(skip_serializing_if = "Option::is_none")]
            refresh_token: Option<&'b str>,
            #[serde(skip_serializing_if = "Option::is_none")]
            code: Option<&'b str>,
        }
        let (refresh_token, code) = match request {
            GrantRequest::Refresh(rt) => (Some(rt.expose_secret()), None),
            GrantRequest::Code { code, .. } => (None, Some(code.expose_secret())),
        };
        builder.json(&Body {
            client_id: &self.account.client_id,
            client_secret: client_secret.unwrap_or_default(),
            refresh_token,
            code,
        })
    }

    fn form_body(
        &self,
        builder: RequestBuilder,
        client_secret: Option<&str>,
        request: &GrantRequest<'_>,
    ) -> RequestBuilder {
        let mut form: Vec<(&str, &str)> = Vec::new();
        match request {
            GrantRequest::Refresh(rt) => {
                form.push(("grant_type", "refresh_token"));
                form.push(("refresh_token", rt.expose_secret()));
            }
            GrantRequest::Code {
                code,
                redirect_uri,
                verifier,
            } => {
                form.push(("grant_type", "authorization_code"));
                form.push(("code", code.expose_secret()));
                form.push(("redirect_uri", redirect_uri));
                if let Some(v) = verifier {
                    form.push(("code_verifier", v.expose_secret()));
                }
            }
        }
        let auth = match self.kind() {
            ProviderKind::OAuth2 => self.account.client_auth.unwrap_or_default(),
            _ => ClientAuth::Body,
        };
        let builder = self.client_auth(builder, auth, client_secret, &mut form);
        builder.form(&form)
    }

    /// Adds client authentication (RFC 6749 §2.3.1) to a form request.
    fn client_auth<'f>(
        &'f self,
        builder: RequestBuilder,
        auth: ClientAuth,
        client_secret: Option<&'f str>,
        form: &mut Vec<(&'f str, &'f str)>,
    ) -> RequestBuilder {
        let id = self.account.client_id.as_str();
        match auth {
            ClientAuth::Body => {
                form.push(("client_id", id));
                form.push(("client_secret", client_secret.unwrap_or_default()));
                builder
            }
            ClientAuth::Basic => {
                let enc = |s: &str| {
                    url::form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>()
                };
                let pair = zeroize::Zeroizing::new(format!(
                    "{}:{}",
                    enc(id),
                    enc(client_secret.unwrap_or_default())
                ));
                let b64 = zeroize::Zeroizing::new(
                    base64::engine::general_purpose::STANDARD.encode(pair.as_bytes()),
                );
                builder.header(
                    reqwest::header::AUTHORIZATION,
                    format!("Basic {}", b64.as_str()),
                )
            }
            ClientAuth::None => {
                form.push(("client_id", id));
                builder
            }
        }
    }

    async fn read_grant(
        &self,
        response: Response,
        sent_at: Timestamp,
    ) -> Result<Grant, GrantError> {
        let status = response.status();
        if status.is_redirection() {
            return Err(redirect_error(&response).into());
        }
        let retry_after = http::retry_after(&response, sent_at);
        let body = http::read_body(response, MAX_BODY).await?;
        if !status.is_success() {
            return Err(status_error(status, &body, retry_after).into());
        }
        self.parse_grant(&body, sent_at).map_err(|e| GrantError {
            error: e.error.status(status.as_u16()),
            refresh_token: e.refresh_token,
        })
    }

    /// Reads a successful token answer.
    pub fn parse_grant(&self, body: &[u8], sent_at: Timestamp) -> Result<Grant, GrantError> {
        let malformed = |what: &str| {
            GrantError::from(ProviderError::new(ProviderErrorKind::Malformed(
                what.to_owned(),
            )))
        };
        if body.iter().all(u8::is_ascii_whitespace) {
            return Err(malformed("the answer is empty"));
        }
        if std::str::from_utf8(body).is_err() {
            return Err(malformed("the answer is not valid UTF-8"));
        }
        let value: Value =
            serde_json::from_slice(body).map_err(|_| malformed("the answer is not JSON"))?;
        let Some(obj) = value.as_object() else {
            return Err(malformed("the answer is not a JSON object"));
        };
        let refresh_token = match obj.get("refresh_token") {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) if s.trim().is_empty() => None,
            Some(Value::String(s)) => Some(SecretString::from(s.trim().to_owned())),
            Some(_) => return Err(malformed("refresh_token is not a string")),
        };
        let keep_refresh = |error: ProviderError| GrantError {
            error,
            refresh_token: refresh_token.clone(),
        };
        let access_token = match obj.get("access_token") {
            Some(Value::String(s)) if !s.trim().is_empty() => {
                SecretString::from(s.trim().to_owned())
            }
            None | Some(Value::Null) => {
                return Err(keep_refresh(ProviderError::new(
                    ProviderErrorKind::MissingAccessToken,
                )));
            }
            Some(Value::String(_)) => {
                return Err(keep_refresh(ProviderError::new(
                    ProviderErrorKind::MissingAccessToken,
                )));
            }
            Some(_) => {
                return Err(keep_refresh(ProviderError::new(
                    ProviderErrorKind::Malformed("access_token is not a string".to_owned()),
                )));
            }
        };
        let (expires_at, expiry_source) = self
            .expiry(obj.get("expires_in"), &access_token, sent_at)
            .map_err(keep_refresh)?;
        Ok(Grant {
            access_token,
            refresh_token,
            expires_at,
            expiry_source,
        })
    }

    /// `sent_at + expires_in`; else the JWT `exp`; else, when `expires_in` is absent, the
    /// provider's documented lifetime. A present but unusable `expires_in` with no JWT `exp`
    /// is an error.
    fn expiry(
        &self,
        expires_in: Option<&Value>,
        access_token: &SecretString,
        sent_at: Timestamp,
    ) -> Result<(Timestamp, ExpirySource), ProviderError> {
        let seconds = match expires_in {
            None | Some(Value::Null) => None,
            Some(Value::Number(n)) => Some(n.as_f64().unwrap_or(f64::NAN)),
            Some(Value::String(s)) => Some(s.trim().parse::<f64>().unwrap_or(f64::NAN)),
            Some(_) => Some(f64::NAN),
        };
        if let Some(s) = seconds
            && s >= 1.0
            && s <= MAX_LIFETIME.as_secs_f64()
        {
            return Ok((
                clock::add(sent_at, Duration::from_secs(s as u64)),
                ExpirySource::ExpiresIn,
            ));
        }
        if let Some(exp) = jwt_exp(access_token.expose_secret())
            && exp > sent_at
            && exp <= clock::add(sent_at, MAX_LIFETIME)
        {
            return Ok((exp, ExpirySource::Jwt));
        }
        match seconds {
            None => Ok((
                clock::add(sent_at, self.default_lifetime()),
                ExpirySource::ProviderDefault,
            )),
            Some(s) => {
                let shown = match expires_in {
                    Some(Value::Number(n)) => n.to_string(),
                    Some(Value::String(_)) => "a string that is not a number".to_owned(),
                    _ => "not a number".to_owned(),
                };
                let _ = s;
                Err(ProviderError::new(ProviderErrorKind::BadExpiry(format!(
                    "expires_in = {shown}"
                ))))
            }
        }
    }

    /// Calls the check endpoint with an access token; returns the account's name.
    pub async fn check(
        &self,
        http: &Http,
        access_token: &SecretString,
        now: Timestamp,
    ) -> Result<String, ProviderError> {
        let Ok(Some(url)) = self.check_url() else {
            return Err(ProviderError::new(ProviderErrorKind::Malformed(
                "no check endpoint".to_owned(),
            )));
        };
        let response = http
            .client()?
            .get(url)
            .bearer_auth(access_token.expose_secret())
            .header(reqwest::header::ACCEPT, "application/json")
            .send()
            .await
            .map_err(|e| http::transport_error(&e))?;
        let status = response.status();
        if status.is_redirection() {
            return Err(redirect_error(&response));
        }
        let retry_after = http::retry_after(&response, now);
        let body = http::read_body(response, MAX_BODY).await?;
        let secrets = [access_token.expose_secret()];
        if !status.is_success() {
            return Err(status_error(status, &body, retry_after).redacted(&secrets));
        }
        let value: Value = serde_json::from_slice(&body).map_err(|_| {
            ProviderError::new(ProviderErrorKind::Malformed(
                "the answer is not JSON".to_owned(),
            ))
            .status(status.as_u16())
        })?;
        let name = [
            "name",
            "account_name",
            "email",
            "login",
            "username",
            "preferred_username",
            "sub",
        ]
        .iter()
        .find_map(|k| value.get(k).and_then(Value::as_str))
        .map(|s| redact(s, &secrets));
        name.ok_or_else(|| {
            ProviderError::new(ProviderErrorKind::Malformed(
                "the answer has no name".to_owned(),
            ))
            .status(status.as_u16())
        })
    }

    /// Revokes the refresh token at the provider (RD also takes the access token as Bearer).
    pub async fn revoke(
        &self,
        http: &Http,
        secrets: &Secrets,
        refresh_token: &SecretString,
        access_token: Option<&SecretString>,
        now: Timestamp,
    ) -> Result<(), ProviderError> {
        let Ok(Some(url)) = self.revoke_url() else {
            return Err(ProviderError::new(ProviderErrorKind::Malformed(
                "no revoke endpoint".to_owned(),
            )));
        };
        let client_secret = secrets.client_secret.as_ref().map(|s| s.expose_secret());
        let mut form: Vec<(&str, &str)> = vec![
            ("token", refresh_token.expose_secret()),
            ("token_type_hint", "refresh_token"),
        ];
        let mut builder = http
            .client()?
            .post(url)
            .header(reqwest::header::ACCEPT, "application/json");
        match self.kind() {
            ProviderKind::OAuth2 => {
                let auth = self.account.client_auth.unwrap_or_default();
                builder = self.client_auth(builder, auth, client_secret, &mut form);
            }
            _ => {
                if let Some(at) = access_token {
                    builder = builder.bearer_auth(at.expose_secret());
                }
            }
        }
        let response = builder
            .form(&form)
            .send()
            .await
            .map_err(|e| http::transport_error(&e))?;
        let status = response.status();
        if status.is_redirection() {
            return Err(redirect_error(&response));
        }
        let retry_after = http::retry_after(&response, now);
        let body = http::read_body(response, MAX_BODY).await?;
        if status.is_success() {
            return Ok(());
        }
        let mut sent: Vec<&str> = vec![refresh_token.expose_secret()];
        sent.extend(access_token.map(|t| t.expose_secret()));
        sent.extend(client_secret);
        Err(status_error(status, &body, retry_after).redacted(&sent))
    }
}

fn redirect_error(response: &Response) -> ProviderError {
    let to = response
        .headers()
        .get(reqwest::header::LOCATION)
        .and_then(|l| l.to_str().ok())
        .and_then(|l| response.url().join(l).ok())
        .and_then(|u| u.host_str().map(str::to_owned));
    ProviderError::new(ProviderErrorKind::Redirect(to)).status(response.status().as_u16())
}

/// Classifies a non-success answer (DESIGN §4).
fn status_error(status: StatusCode, body: &[u8], retry_after: Option<Duration>) -> ProviderError {
    let parsed = ErrorBody::parse(body);
    let kind = match status.as_u16() {
        400 | 401 | 403 => ProviderErrorKind::Rejected,
        429 => ProviderErrorKind::RateLimited,
        500..=599 => ProviderErrorKind::Server,
        _ => ProviderErrorKind::UnexpectedStatus,
    };
    let retry_after = match (retry_after, parsed.remaining_time) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    };
    ProviderError {
        kind,
        status: Some(status.as_u16()),
        error_type: parsed.error_type,
        message: parsed.message,
        retry_after,
    }
}

/// The `exp` claim of a JWT, read without verifying it (a fallback only).
pub fn jwt_exp(token: &str) -> Option<Timestamp> {
    let payload = token.split('.').nth(1)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .ok()?;
    let claims: Value = serde_json::from_slice(&bytes).ok()?;
    let exp = claims.get("exp")?.as_i64()?;
    Timestamp::from_second(exp).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rd() -> AccountConfig {
        AccountConfig::new("loja", ProviderKind::RdStation, "fake-client-id")
    }

    fn t0() -> Timestamp {
        "2026-11-26T12:00:00Z".parse().unwrap()
    }

    #[test]
    fn every_rd_error_shape_is_read() {
        let cases: &[(&str, Option<&str>, Option<&str>)] = &[
            (
                r#"{"error_type":"ACCESS_DENIED","error_message":"Wrong credentials provided."}"#,
                Some("ACCESS_DENIED"),
                Some("Wrong credentials provided."),
            ),
            (
                r#"{"error_type":"INVALID_REFRESH_TOKEN","error_message":"The provided refresh token is invalid or was revoked."}"#,
                Some("INVALID_REFRESH_TOKEN"),
                Some("The provided refresh token is invalid or was revoked."),
            ),
            (
                r#"{"errors":{"error_type":"UNAUTHORIZED","error_message":"Invalid token."}}"#,
                Some("UNAUTHORIZED"),
                Some("Invalid token."),
            ),
            (
                r#"{"errors":[{"error_type":"CANNOT_BE_NULL","error_message":"Cannot be null.","path":"body.client_secret"}]}"#,
                Some("CANNOT_BE_NULL"),
                Some("Cannot be null. (body.client_secret)"),
            ),
            (
                r#"{"error":"invalid_token","error_description":"The access token is invalid or has expired"}"#,
                Some("invalid_token"),
                Some("The access token is invalid or has expired"),
            ),
            (
                r#"{"errors":{"error_type":"RATE_LIMIT_EXCEDDED","error_message":"API usage limit exceeded"}}"#,
                Some("RATE_LIMIT_EXCEDDED"),
                Some("API usage limit exceeded"),
            ),
            (
                r#"{"error":"'lead_limiter' rate limit exceeded for 86400 second(s) period for plan LIGHT","max":24,"usage":55,"remaining_time":20745}"#,
                Some(
                    "'lead_limiter' rate limit exceeded for 86400 second(s) period for plan LIGHT",
                ),
                None,
            ),
            (
                r#"{"message":"API rate limit exceeded"}"#,
                None,
                Some("API rate limit exceeded"),
            ),
        ];
        for (body, ty, msg) in cases {
            let p = ErrorBody::parse(body.as_bytes());
            assert_eq!(p.error_type.as_deref(), *ty, "{body}");
            assert_eq!(p.message.as_deref(), *msg, "{body}");
        }
        let p = ErrorBody::parse(br#"{"error":"x","max":24,"usage":55,"remaining_time":20745}"#);
        assert_eq!(p.remaining_time, Some(Duration::from_secs(20745)));
    }

    #[test]
    fn html_becomes_one_plain_line() {
        let html = b"<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1><hr><center>nginx</center></body></html>";
        let p = ErrorBody::parse(html);
        assert_eq!(p.message.as_deref(), Some("502 Bad Gateway"));
        let p = ErrorBody::parse(
            b"<html><body><p>Upstream   error\n\n</p><script>x</script></body></html>",
        );
        let m = p.message.unwrap();
        assert!(!m.contains('<') && !m.contains('\n'), "{m}");
        let long = "word ".repeat(100);
        assert!(excerpt(long.as_bytes()).unwrap().chars().count() <= 121);
        assert_eq!(excerpt(b"   "), None);
    }

    #[test]
    fn status_classification() {
        for s in [400, 401, 403] {
            assert!(status_error(StatusCode::from_u16(s).unwrap(), b"{}", None).is_permanent());
        }
        for s in [404, 429, 500, 502, 503] {
            assert!(!status_error(StatusCode::from_u16(s).unwrap(), b"{}", None).is_permanent());
        }
        let e = status_error(
            StatusCode::TOO_MANY_REQUESTS,
            br#"{"error":"x","remaining_time":30}"#,
            Some(Duration::from_secs(10)),
        );
        assert_eq!(e.retry_after, Some(Duration::from_secs(30)));
    }

    #[test]
    fn grants_are_parsed_with_expiry_from_send_time() {
        let acct = rd();
        let p = Provider::of(&acct);
        let g = p
            .parse_grant(
                br#"{"access_token":"fake-at","expires_in":86400,"refresh_token":"fake-rt"}"#,
                t0(),
            )
            .unwrap();
        assert_eq!(
            g.expires_at,
            "2026-11-27T12:00:00Z".parse::<Timestamp>().unwrap()
        );
        assert_eq!(g.refresh_token.unwrap().expose_secret(), "fake-rt");
        assert_eq!(g.expiry_source, ExpirySource::ExpiresIn);
        let g = p
            .parse_grant(br#"{"access_token":"fake-at","expires_in":"7200"}"#, t0())
            .unwrap();
        assert_eq!(g.expires_at.as_second() - t0().as_second(), 7200);
        assert!(g.refresh_token.is_none());
    }

    #[test]
    fn unusable_grants_are_errors_that_keep_the_refresh_token() {
        let acct = rd();
        let p = Provider::of(&acct);
        for bad in ["0", "-1", "1000000000000", "\"soon\"", "true"] {
            let body = format!(
                r#"{{"access_token":"fake-at","expires_in":{bad},"refresh_token":"fake-rt2"}}"#
            );
            let e = p.parse_grant(body.as_bytes(), t0()).unwrap_err();
            assert!(
                matches!(e.error.kind, ProviderErrorKind::BadExpiry(_)),
                "{bad}: {:?}",
                e.error
            );
            assert_eq!(e.refresh_token.unwrap().expose_secret(), "fake-rt2");
            assert!(!e.error.is_permanent());
        }
        let e = p
            .parse_grant(br#"{"refresh_token":"fake-rt2"}"#, t0())
            .unwrap_err();
        assert_eq!(e.error.kind, ProviderErrorKind::MissingAccessToken);
        assert!(e.refresh_token.is_some());
        for body in [
            &b""[..],
            b"  ",
            b"not json",
            b"[1,2]",
            b"{\"access_token\":42}",
            b"\xff\xfe",
        ] {
            let e = p.parse_grant(body, t0()).unwrap_err();
            assert!(!e.error.is_permanent());
            let shown = e.error.to_string();
            assert!(!shown.contains("fake"), "{shown}");
        }
    }

    #[test]
    fn missing_expires_in_falls_back_to_jwt_then_provider_lifetime() {
        let acct = rd();
        let p = Provider::of(&acct);
        let exp = t0().as_second() + 3600;
        let claims = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(format!(r#"{{"exp":{exp},"iat":1}}"#));
        let jwt = format!("eyJhbGciOiJSUzI1NiJ9.{claims}.c2ln");
        let body = format!(r#"{{"access_token":"{jwt}","expires_in":0}}"#);
        let g = p.parse_grant(body.as_bytes(), t0()).unwrap();
        assert_eq!(g.expires_at.as_second(), exp);
        assert_eq!(g.expiry_source, ExpirySource::Jwt);
        let g = p
            .parse_grant(br#"{"access_token":"opaque"}"#, t0())
            .unwrap();
        assert_eq!(g.expiry_source, ExpirySource::ProviderDefault);
        assert_eq!(g.expires_at.as_second() - t0().as_second(), 86_400);
    }

    #[test]
    fn authorize_urls() {
        let acct = rd();
        let u = Provider::of(&acct)
            .authorize_url("http://127.0.0.1:8787/callback", "st", None)
            .unwrap();
        assert_eq!(
            u.as_str(),
            "https://api.rd.services/auth/dialog?client_id=fake-client-id&redirect_uri=http%3A%2F%2F127.0.0.1%3A8787%2Fcallback&state=st"
        );
        let mut crm = rd();
        crm.provider = ProviderKind::RdStationCrm;
        let u = Provider::of(&crm)
            .authorize_url("http://x/cb", "st", None)
            .unwrap();
        assert!(
            u.as_str().starts_with(
                "https://api.rd.services/oauth2/authorize?response_type=code&client_id="
            )
        );
    }

    #[test]
    fn pkce_challenge_matches_rfc7636_example() {
        assert_eq!(
            Pkce::challenge_of("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
        let p = Pkce::generate().unwrap();
        assert_eq!(p.verifier.expose_secret().len(), 43);
    }

    #[test]
    fn redaction() {
        assert_eq!(
            redact("echo fake-secret-1 back", &["fake-secret-1"]),
            "echo [redacted] back"
        );
        assert_eq!(redact("abc", &["a"]), "abc");
        // Echoed back from a form body or inside a JSON string.
        assert_eq!(
            redact("got refresh_token=fake%2Frt+1%3D", &["fake/rt 1="]),
            "got refresh_token=[redacted]"
        );
        assert_eq!(
            redact(r#"{"code":"fake\"code\\x"}"#, &["fake\"code\\x"]),
            r#"{"code":"[redacted]"}"#
        );
    }
}
