//! Providers: how each one (RD Station Marketing, RD Station CRM v2, any RFC 6749 server) is
//! asked for tokens, what its endpoints are, and how its answers and failures read. Everything
//! here takes the account and an [`Http`](crate::core::http::Http); nothing here stores
//! anything.

mod api;
pub(crate) mod error;
pub(crate) mod grant;
pub(crate) mod pkce;
mod token;

use std::time::Duration;

use url::Url;

use crate::core::config::{AccountConfig, ProviderKind};
use crate::core::http;
use crate::core::input::{InputError, Setting};
pub(crate) use crate::core::secrets::EndpointKind;
use crate::core::secrets::Endpoints;
pub(crate) use error::{ProviderError, ProviderErrorKind, Reason};
pub(crate) use grant::{ExpirySource, GrantError};
pub(crate) use pkce::Pkce;

/// RD Station's API host.
pub(crate) const RD_BASE_URL: &str = "https://api.rd.services";

/// RD Station CRM v1's API (a static instance token as `?token=`).
pub(crate) const CRM_V1_BASE_URL: &str = "https://crm.rdstation.com/api/v1";

/// RD Station Conversas' API v2 (a static JWT as Bearer).
pub(crate) const CONVERSAS_BASE_URL: &str = "https://api.tallos.com.br/v2";

/// The token endpoint of a static token without an API address: Renova sends it nowhere
/// itself (a program, or an assistant's request to an origin the person named, does).
pub(crate) const STATIC_NOWHERE: &str = "urn:renova:static-token";

/// One account's provider: its endpoints and how to talk to them.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Provider<'a> {
    account: &'a AccountConfig,
}

impl<'a> Provider<'a> {
    /// The provider of this account.
    pub(crate) fn of(account: &'a AccountConfig) -> Self {
        Self { account }
    }

    /// Which provider.
    pub(crate) fn kind(&self) -> ProviderKind {
        self.account.provider
    }

    /// The base URL of the provider's API (its default, or `--base-url`). A static token
    /// of no named provider has one only when the person gave it.
    pub(crate) fn base_url(&self) -> Result<Url, InputError> {
        let default = match self.kind() {
            ProviderKind::RdStationCrmV1 => CRM_V1_BASE_URL,
            ProviderKind::RdStationConversas => CONVERSAS_BASE_URL,
            ProviderKind::Static => {
                return self.configured(Setting::BaseUrl, self.account.base_url.as_ref());
            }
            _ => RD_BASE_URL,
        };
        let base = self.account.base_url.as_deref().unwrap_or(default);
        http::checked_url(Setting::BaseUrl, base)
    }

    fn configured(&self, field: Setting, value: Option<&String>) -> Result<Url, InputError> {
        match value {
            Some(v) => http::checked_url(field, v),
            None => Err(InputError::MissingEndpoint {
                field,
                name: self.account.name.clone(),
            }),
        }
    }

    /// The token endpoint.
    pub(crate) fn token_url(&self) -> Result<Url, InputError> {
        match self.kind() {
            ProviderKind::RdStation => Ok(http::join(&self.base_url()?, "/auth/token")),
            ProviderKind::RdStationCrm => Ok(http::join(&self.base_url()?, "/oauth2/token")),
            ProviderKind::OAuth2 => {
                self.configured(Setting::TokenUrl, self.account.token_url.as_ref())
            }
            // A static token goes to its API; the entry binds that address.
            ProviderKind::Static if self.account.base_url.is_none() => Url::parse(STATIC_NOWHERE)
                .map_err(|_| InputError::MissingEndpoint {
                    field: Setting::BaseUrl,
                    name: self.account.name.clone(),
                }),
            ProviderKind::Static
            | ProviderKind::RdStationCrmV1
            | ProviderKind::RdStationConversas => self.base_url(),
        }
    }

    /// The authorization URL the user's browser opens.
    pub(crate) fn authorize_url(
        &self,
        redirect_uri: &str,
        state: &str,
        pkce: Option<&Pkce>,
    ) -> Result<Url, InputError> {
        let id = self.account.client_id.as_str();
        let mut url = match self.kind() {
            ProviderKind::RdStation => http::join(&self.base_url()?, "/auth/dialog"),
            ProviderKind::RdStationCrm => http::join(&self.base_url()?, "/oauth2/authorize"),
            ProviderKind::OAuth2 => {
                self.configured(Setting::AuthorizeUrl, self.account.authorize_url.as_ref())?
            }
            ProviderKind::Static
            | ProviderKind::RdStationCrmV1
            | ProviderKind::RdStationConversas => {
                return Err(InputError::MissingEndpoint {
                    field: Setting::AuthorizeUrl,
                    name: self.account.name.clone(),
                });
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
    pub(crate) fn uses_pkce(&self) -> bool {
        self.kind() == ProviderKind::OAuth2
    }

    /// The endpoint that names the account, if the provider has one.
    pub(crate) fn check_url(&self) -> Result<Option<Url>, InputError> {
        match self.kind() {
            ProviderKind::RdStation => Ok(Some(http::join(
                &self.base_url()?,
                "/marketing/account_info",
            ))),
            ProviderKind::RdStationCrmV1 => Ok(Some(http::join(&self.base_url()?, "/token/check"))),
            ProviderKind::RdStationCrm
            | ProviderKind::Static
            | ProviderKind::RdStationConversas => Ok(None),
            ProviderKind::OAuth2 => match &self.account.check_url {
                Some(u) => http::checked_url(Setting::CheckUrl, u).map(Some),
                None => Ok(None),
            },
        }
    }

    /// The revocation endpoint, if the provider has one.
    pub(crate) fn revoke_url(&self) -> Result<Option<Url>, InputError> {
        match self.kind() {
            ProviderKind::RdStation => Ok(Some(http::join(&self.base_url()?, "/auth/revoke"))),
            ProviderKind::RdStationCrm
            | ProviderKind::Static
            | ProviderKind::RdStationCrmV1
            | ProviderKind::RdStationConversas => Ok(None),
            ProviderKind::OAuth2 => match &self.account.revoke_url {
                Some(u) => http::checked_url(Setting::RevokeUrl, u).map(Some),
                None => Ok(None),
            },
        }
    }

    /// Every endpoint this account's secrets and tokens go to, each checked against the URL
    /// policy.
    pub(crate) fn endpoints(&self) -> Result<Endpoints, InputError> {
        Ok(Endpoints {
            token: self.token_url()?.into(),
            revoke: self.revoke_url()?.map(Into::into),
            check: self.check_url()?.map(Into::into),
        })
    }

    /// The setting that sets an endpoint, with its current value as a command line
    /// takes it: the URL as parsed (never the file's raw text), quoted for a POSIX shell when
    /// it needs to be. For RD's providers every endpoint follows `--base-url`.
    pub(crate) fn setting_of(&self, kind: EndpointKind) -> (Setting, String) {
        let (flag, url) = match (self.kind(), kind) {
            (ProviderKind::RdStation | ProviderKind::RdStationCrm, _) => {
                (Setting::BaseUrl, self.base_url().ok())
            }

            (ProviderKind::OAuth2, EndpointKind::Token) => {
                (Setting::TokenUrl, self.token_url().ok())
            }
            (ProviderKind::OAuth2, EndpointKind::Revoke) => {
                (Setting::RevokeUrl, self.revoke_url().ok().flatten())
            }
            (ProviderKind::OAuth2, EndpointKind::Check) => {
                (Setting::CheckUrl, self.check_url().ok().flatten())
            }
            (
                ProviderKind::Static
                | ProviderKind::RdStationCrmV1
                | ProviderKind::RdStationConversas,
                _,
            ) => (Setting::BaseUrl, self.base_url().ok()),
        };
        (
            flag,
            url.map_or_else(String::new, |u| shell_word(&plain_url(&u))),
        )
    }

    /// The endpoints an edit of `setting` sets for this provider: all of them for a new
    /// provider, and for the base URL with RD's providers.
    pub(crate) fn endpoints_set_by(&self, setting: Setting) -> Vec<EndpointKind> {
        match (self.kind(), setting) {
            (_, Setting::Provider) => EndpointKind::ALL.to_vec(),
            (ProviderKind::RdStation | ProviderKind::RdStationCrm, Setting::BaseUrl) => {
                EndpointKind::ALL.to_vec()
            }
            (kind, Setting::BaseUrl) if kind.is_static() => EndpointKind::ALL.to_vec(),
            (ProviderKind::OAuth2, Setting::TokenUrl) => vec![EndpointKind::Token],
            (ProviderKind::OAuth2, Setting::RevokeUrl) => vec![EndpointKind::Revoke],
            (ProviderKind::OAuth2, Setting::CheckUrl) => vec![EndpointKind::Check],
            _ => Vec::new(),
        }
    }

    /// The origin of the provider's API, where AI assistants may send the token unless the
    /// person names others: RD's base URL for RD Station's products (and a static token's
    /// base URL when it has one); none for a generic `oauth2` provider (its API is not where
    /// its token endpoint is).
    pub(crate) fn api_origin(&self) -> Option<String> {
        match self.kind() {
            ProviderKind::OAuth2 => None,
            _ => self.base_url().ok().map(|b| http::origin_of(&b)),
        }
    }

    /// A URL worth calling with the token, for the curl line: the check endpoint, or the API.
    pub(crate) fn example_url(&self) -> Option<Url> {
        if let Ok(Some(url)) = self.check_url() {
            return Some(url);
        }
        match self.kind() {
            ProviderKind::RdStationCrm => self.base_url().ok().map(|b| http::join(&b, "/crm/v2/")),
            kind if kind.is_static() => self.base_url().ok(),
            _ => self
                .token_url()
                .ok()
                .and_then(|u| Url::parse(&u.origin().ascii_serialization()).ok()),
        }
    }

    /// The documented access-token lifetime, used when an answer omits `expires_in`.
    pub(crate) fn default_lifetime(&self) -> Duration {
        match self.kind() {
            ProviderKind::RdStation => Duration::from_secs(86_400),
            ProviderKind::RdStationCrm => Duration::from_secs(7_200),
            _ => Duration::from_secs(3_600),
        }
    }

    /// The default lead time: 10 minutes, 5 for CRM as RD recommends.
    pub(crate) fn default_lead(&self) -> Duration {
        match self.kind() {
            ProviderKind::RdStationCrm => Duration::from_secs(300),
            _ => Duration::from_secs(600),
        }
    }

    /// Whether a refresh may return a new refresh token that kills the old one (CRM always
    /// does; RFC 6749 providers may). RD Marketing's refresh token is stable: an odd answer
    /// from it never replaces the stored one.
    pub(crate) fn may_rotate(&self) -> bool {
        self.kind() != ProviderKind::RdStation
    }
}

/// A URL as a person writes it: without the `/` the parser adds to a bare host.
fn plain_url(url: &Url) -> String {
    let text = url.to_string();
    match text.strip_suffix('/') {
        Some(bare) if url.path() == "/" && url.query().is_none() => bare.to_owned(),
        _ => text,
    }
}

/// `text` as one word for a POSIX shell: as it is when it holds only characters no shell
/// treats specially, else in single quotes.
fn shell_word(text: &str) -> String {
    let safe = |c: char| c.is_ascii_alphanumeric() || ":/._~%-=?&+@,#".contains(c);
    if !text.is_empty() && text.chars().all(safe) {
        text.to_owned()
    } else {
        format!("'{}'", text.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rd() -> AccountConfig {
        AccountConfig::new("loja", ProviderKind::RdStation, "fake-client-id")
    }

    #[test]
    fn the_confirming_value_is_a_parsed_url_quoted_for_the_shell() {
        let mut acct = rd();
        assert_eq!(
            Provider::of(&acct).setting_of(EndpointKind::Token),
            (Setting::BaseUrl, "https://api.rd.services".to_owned())
        );
        acct.base_url = Some("https://evil.test/a;$(id)\u{1b}[31m".to_owned());
        let (_, value) = Provider::of(&acct).setting_of(EndpointKind::Token);
        assert_eq!(value, "'https://evil.test/a;$(id)%1B[31m'");
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
}
