//! The calls made with an access token: *check* (whose account is this?) and *revoke*
//! (RFC 7009; RD's `/auth/revoke`, which also takes the access token as Bearer).

use jiff::Timestamp;
use reqwest::Method;
use secrecy::{ExposeSecret, SecretString};
use serde_json::Value;

use crate::core::config::ProviderKind;
use crate::core::http::Http;
use crate::core::provider::Provider;
use crate::core::provider::error::{Asked, ProviderError, ProviderErrorKind};
use crate::core::secrets::Secrets;

/// The fields an identity answer may name the account in, most telling first.
const NAME_FIELDS: [&str; 7] = [
    "name",
    "account_name",
    "email",
    "login",
    "username",
    "preferred_username",
    "sub",
];

impl Provider<'_> {
    /// Calls the check endpoint with an access token; returns the account's name.
    pub(crate) async fn check(
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
        let answer = http
            .request(Method::GET, url)
            .token(self.kind().placement(), access_token.expose_secret())
            .send(now)
            .await
            .map_err(|e| ProviderError::from_http(e, Asked::Api))?;
        let malformed = |what: &str| {
            ProviderError::new(ProviderErrorKind::Malformed(what.to_owned())).status(answer.status)
        };
        let value: Value = serde_json::from_slice(&answer.body)
            .map_err(|_| malformed("the answer is not JSON"))?;
        NAME_FIELDS
            .iter()
            .find_map(|k| value.get(k).and_then(Value::as_str))
            .map(|s| answer.clean(s))
            .ok_or_else(|| malformed("the answer has no name"))
    }

    /// Revokes the refresh token at the provider (RD also takes the access token as Bearer).
    pub(crate) async fn revoke(
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
        let mut call = http
            .request(Method::POST, url)
            .redacting(&[refresh_token.expose_secret()])
            .redacting_client(&self.account.client_id, client_secret);
        match self.kind() {
            ProviderKind::OAuth2 => {
                let auth = self.account.client_auth.unwrap_or_default();
                call = self.client_auth(call, auth, client_secret, &mut form);
            }
            _ => {
                if let Some(at) = access_token {
                    call = call.bearer(at.expose_secret());
                }
            }
        }
        call.form(&form)
            .send(now)
            .await
            .map_err(|e| ProviderError::from_http(e, Asked::Api))?;
        Ok(())
    }
}
