//! The token request: a refresh, or an authorization-code exchange. RD Station Marketing takes
//! a JSON body; RD Station CRM and RFC 6749 servers take a form, with the client authenticated
//! in the body, by HTTP Basic, or not at all (a public client).

use base64::Engine;
use jiff::Timestamp;
use reqwest::Method;
use secrecy::{ExposeSecret, SecretString};

use crate::core::config::{ClientAuth, ProviderKind};
use crate::core::http::{Call, Http};
use crate::core::provider::Provider;
use crate::core::provider::error::{Asked, ProviderError, ProviderErrorKind};
use crate::core::provider::grant::{Grant, GrantError, parse_grant};
use crate::core::secrets::Secrets;

/// What a token request asks for.
enum GrantRequest<'a> {
    Refresh(&'a SecretString),
    Code {
        code: &'a SecretString,
        redirect_uri: &'a str,
        verifier: Option<&'a SecretString>,
    },
}

impl Provider<'_> {
    /// Asks for a new access token with the stored refresh token.
    pub(crate) async fn refresh(
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
    pub(crate) async fn exchange_code(
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
        // Callers check the endpoints first (`binding::verified`: the URL policy and the
        // entry's endpoints), so this cannot fail; were it to, nothing is sent.
        let url = self.token_url().map_err(|_| {
            ProviderError::new(ProviderErrorKind::Malformed(
                "the token URL is not accepted".to_owned(),
            ))
        })?;
        let client_secret = secrets.client_secret.as_ref().map(|s| s.expose_secret());
        let mut sent: Vec<&str> = Vec::new();
        match request {
            GrantRequest::Refresh(rt) => sent.push(rt.expose_secret()),
            GrantRequest::Code { code, verifier, .. } => {
                sent.push(code.expose_secret());
                sent.extend(verifier.iter().map(|v| v.expose_secret()));
            }
        }
        let call = http
            .request(Method::POST, url)
            .redacting(&sent)
            .redacting_client(&self.account.client_id, client_secret);
        let call = match self.kind() {
            ProviderKind::RdStation => self.rd_json_body(call, client_secret, request),
            _ => self.form_body(call, client_secret, request),
        };
        let asked = match request {
            GrantRequest::Refresh(_) => Asked::Refresh,
            GrantRequest::Code { .. } => Asked::Code,
        };
        let answer = call
            .send(sent_at)
            .await
            .map_err(|e| ProviderError::from_http(e, asked))?;
        parse_grant(&answer.body, sent_at, self.default_lifetime()).map_err(|e| GrantError {
            error: e.error.status(answer.status),
            refresh_token: e.refresh_token,
        })
    }

    fn rd_json_body(
        &self,
        call: Call,
        client_secret: Option<&str>,
        request: &GrantRequest<'_>,
    ) -> Call {
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
        call.json(&Body {
            client_id: &self.account.client_id,
            client_secret: client_secret.unwrap_or_default(),
            refresh_token,
            code,
        })
    }

    fn form_body(
        &self,
        call: Call,
        client_secret: Option<&str>,
        request: &GrantRequest<'_>,
    ) -> Call {
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
        let call = self.client_auth(call, auth, client_secret, &mut form);
        call.form(&form)
    }

    /// Adds client authentication (RFC 6749 §2.3.1) to a form request.
    pub(super) fn client_auth<'f>(
        &'f self,
        call: Call,
        auth: ClientAuth,
        client_secret: Option<&'f str>,
        form: &mut Vec<(&'f str, &'f str)>,
    ) -> Call {
        let id = self.account.client_id.as_str();
        match auth {
            ClientAuth::Body => {
                form.push(("client_id", id));
                form.push(("client_secret", client_secret.unwrap_or_default()));
                call
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
                let header = zeroize::Zeroizing::new(format!("Basic {}", b64.as_str()));
                call.secret_header("authorization", &header)
            }
            ClientAuth::None => {
                form.push(("client_id", id));
                call
            }
        }
    }
}
