//! What `add` and `edit` take, and the checks made before anything is stored: a valid name, a
//! client id without spaces, URLs that follow the policy, endpoint flags only for `oauth2`.

use std::time::Duration;

use jiff::Timestamp;
use secrecy::{ExposeSecret, SecretString};

use crate::core::account::validate_name;
use crate::core::config::{AccountConfig, Assistants, ClientAuth, ProviderKind, TextDuration};
use crate::core::http::{checked_origin, checked_url};
use crate::core::input::{InputError, Setting};
use crate::core::secrets::{jwt_exp, token_is_plain};

/// Settings of an account that `add` takes and `edit` may change. `None` leaves a setting as
/// it is; `Some("")` clears an optional URL.
#[derive(Debug, Clone, Default)]
pub struct AccountSettings {
    /// The provider.
    pub provider: Option<ProviderKind>,
    /// The OAuth client id.
    pub client_id: Option<String>,
    /// RD base URL.
    pub base_url: Option<String>,
    /// `oauth2` token endpoint.
    pub token_url: Option<String>,
    /// `oauth2` authorization endpoint.
    pub authorize_url: Option<String>,
    /// `oauth2` revocation endpoint.
    pub revoke_url: Option<String>,
    /// `oauth2` check endpoint.
    pub check_url: Option<String>,
    /// Redirect URI registered with the provider.
    pub redirect_uri: Option<String>,
    /// `oauth2` client authentication.
    pub client_auth: Option<ClientAuth>,
    /// `oauth2` scopes (replaces the list when given).
    pub scopes: Option<Vec<String>>,
    /// Automatic refresh on or off.
    pub auto_refresh: Option<bool>,
    /// Per-account lead time.
    pub lead_time: Option<Duration>,
    /// Postman environment id (`Some("")` turns sync off).
    pub postman_env: Option<String>,
    /// Postman variable name.
    pub postman_var: Option<String>,
    /// The person accepted that the Postman environment is visible to a team.
    pub postman_shared_ok: Option<bool>,
    /// What AI assistants may do with the account.
    pub assistants: Option<Assistants>,
    /// The origins assistants may send its token to (replaces the list; empty: the
    /// provider's default).
    pub assistant_origins: Option<Vec<String>>,
}

/// Secrets given by the user at `add` or `edit --secrets`, already cleaned.
#[derive(Debug, Clone, Default)]
pub struct GivenSecrets {
    /// The client secret.
    pub client_secret: Option<SecretString>,
    /// The refresh token (absent: the account needs authorization).
    pub refresh_token: Option<SecretString>,
    /// An access token pasted with its expiry (the window's JSON paste), or a static token
    /// with the expiry the person gave (`None`: its JWT `exp`, else it does not expire).
    pub access_token: Option<(SecretString, Option<Timestamp>)>,
}

fn set_url(slot: &mut Option<String>, value: Option<&String>) {
    if let Some(v) = value {
        *slot = (!v.trim().is_empty()).then(|| v.trim().to_owned());
    }
}

impl AccountSettings {
    /// Only what these settings change in `original` (the account as an edit form loaded
    /// it): so the fields a user left alone never overwrite what another process wrote to
    /// them meanwhile.
    pub fn changes_from(&self, original: &AccountConfig) -> AccountSettings {
        let mut after = original.clone();
        self.apply(&mut after);
        let text = |before: &Option<String>, now: &Option<String>| {
            (before != now).then(|| now.clone().unwrap_or_default())
        };
        AccountSettings {
            provider: (after.provider != original.provider).then_some(after.provider),
            client_id: (after.client_id != original.client_id).then(|| after.client_id.clone()),
            base_url: text(&original.base_url, &after.base_url),
            token_url: text(&original.token_url, &after.token_url),
            authorize_url: text(&original.authorize_url, &after.authorize_url),
            revoke_url: text(&original.revoke_url, &after.revoke_url),
            check_url: text(&original.check_url, &after.check_url),
            redirect_uri: text(&original.redirect_uri, &after.redirect_uri),
            client_auth: after
                .client_auth
                .filter(|_| after.client_auth != original.client_auth),
            scopes: (after.scopes != original.scopes).then(|| after.scopes.clone()),
            auto_refresh: (after.auto_refresh != original.auto_refresh)
                .then_some(after.auto_refresh),
            lead_time: after
                .lead_time
                .filter(|_| after.lead_time != original.lead_time)
                .map(|d| d.0),
            postman_env: text(&original.postman_env, &after.postman_env),
            postman_var: text(&original.postman_var, &after.postman_var),
            postman_shared_ok: (after.postman_shared_ok != original.postman_shared_ok)
                .then_some(after.postman_shared_ok),
            assistants: (after.assistants != original.assistants).then_some(after.assistants),
            assistant_origins: (after.assistant_origins != original.assistant_origins)
                .then(|| after.assistant_origins.clone()),
        }
    }

    /// The endpoint settings these settings give (base, token, revoke, check URL): an edit
    /// binds the keychain entry to the endpoints they set, as saved,
    /// which is how a user confirms an endpoint changed elsewhere. Only those: naming one
    /// endpoint confirms no other.
    pub fn endpoint_settings(&self) -> Vec<Setting> {
        [
            (Setting::BaseUrl, &self.base_url),
            (Setting::TokenUrl, &self.token_url),
            (Setting::RevokeUrl, &self.revoke_url),
            (Setting::CheckUrl, &self.check_url),
        ]
        .into_iter()
        .filter_map(|(flag, value)| value.as_ref().map(|_| flag))
        .collect()
    }

    /// Applies these settings to an account.
    pub fn apply(&self, a: &mut AccountConfig) {
        if let Some(p) = self.provider
            && p != a.provider
        {
            a.provider = p;
            // Switching away from oauth2 drops what only oauth2 uses.
            if p != ProviderKind::OAuth2 {
                a.token_url = None;
                a.authorize_url = None;
                a.revoke_url = None;
                a.check_url = None;
                a.client_auth = None;
                a.scopes.clear();
            }
        }
        if let Some(c) = &self.client_id {
            a.client_id = c.trim().to_owned();
        }
        set_url(&mut a.base_url, self.base_url.as_ref());
        set_url(&mut a.token_url, self.token_url.as_ref());
        set_url(&mut a.authorize_url, self.authorize_url.as_ref());
        set_url(&mut a.revoke_url, self.revoke_url.as_ref());
        set_url(&mut a.check_url, self.check_url.as_ref());
        set_url(&mut a.redirect_uri, self.redirect_uri.as_ref());
        let env_before = a.postman_env.clone();
        set_url(&mut a.postman_env, self.postman_env.as_ref());
        set_url(&mut a.postman_var, self.postman_var.as_ref());
        // Another environment is another answer to give.
        if a.postman_env != env_before {
            a.postman_shared_ok = false;
        }
        if self
            .postman_env
            .as_deref()
            .is_some_and(|e| e.trim().is_empty())
        {
            a.postman_var = None;
        }
        if let Some(ok) = self.postman_shared_ok {
            a.postman_shared_ok = ok;
        }
        if let Some(c) = self.client_auth {
            a.client_auth = Some(c);
        }
        if let Some(s) = &self.scopes {
            a.scopes = s
                .iter()
                .flat_map(|s| s.split_whitespace())
                .map(str::to_owned)
                .collect();
        }
        if let Some(r) = self.auto_refresh {
            a.auto_refresh = r;
        }
        if let Some(l) = self.lead_time {
            a.lead_time = Some(TextDuration(l));
        }
        if let Some(x) = self.assistants {
            a.assistants = x;
        }
        if let Some(o) = &self.assistant_origins {
            a.assistant_origins = o
                .iter()
                .flat_map(|o| o.split([',', ' ']))
                .map(str::trim)
                .filter(|o| !o.is_empty())
                .map(|o| checked_origin(o).unwrap_or_else(|_| o.to_owned()))
                .collect();
            a.assistant_origins.dedup();
        }
    }
}

/// Checks an account's settings before anything is stored.
pub(crate) fn validate(a: &AccountConfig) -> std::result::Result<(), InputError> {
    validate_name(&a.name)?;
    if (a.client_id.is_empty() && !a.provider.is_static())
        || a.client_id
            .chars()
            .any(|c| c.is_whitespace() || c.is_control())
    {
        return Err(InputError::BadClientId);
    }
    let urls = [
        (Setting::BaseUrl, &a.base_url),
        (Setting::TokenUrl, &a.token_url),
        (Setting::AuthorizeUrl, &a.authorize_url),
        (Setting::RevokeUrl, &a.revoke_url),
        (Setting::CheckUrl, &a.check_url),
        (Setting::RedirectUri, &a.redirect_uri),
    ];
    for (field, value) in urls {
        if let Some(v) = value {
            checked_url(field, v)?;
        }
    }
    if a.provider == ProviderKind::OAuth2 && a.token_url.is_none() {
        return Err(InputError::MissingEndpoint {
            field: Setting::TokenUrl,
            name: a.name.clone(),
        });
    }
    if a.provider != ProviderKind::OAuth2
        && (a.token_url.is_some()
            || a.authorize_url.is_some()
            || a.revoke_url.is_some()
            || a.check_url.is_some()
            || a.client_auth.is_some()
            || !a.scopes.is_empty())
    {
        return Err(InputError::OAuthOnly {
            provider: a.provider.id().to_owned(),
        });
    }
    if let Some(env) = &a.postman_env
        && !env.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    {
        return Err(InputError::BadPostmanEnv(env.clone()));
    }
    for origin in &a.assistant_origins {
        checked_origin(origin)?;
    }
    Ok(())
}

/// Checks that the secrets given suit the account (a client secret unless it is public; a
/// token for a static one).
pub(crate) fn check_secrets(
    a: &AccountConfig,
    given: &GivenSecrets,
) -> std::result::Result<(), InputError> {
    if a.provider.is_static() && given.access_token.is_none() {
        return Err(InputError::BlankToken);
    }
    if a.needs_client_secret() && given.client_secret.is_none() {
        return Err(InputError::BlankClientSecret);
    }
    let tokens = [
        given.refresh_token.as_ref(),
        given.access_token.as_ref().map(|(t, _)| t),
    ];
    if tokens
        .into_iter()
        .flatten()
        .any(|t| !token_is_plain(t.expose_secret()))
    {
        return Err(InputError::BadToken);
    }
    Ok(())
}

/// When a static token expires: the date the person gave, else its JWT `exp` (read without
/// verifying it), else never. One already past is refused: nothing to keep alive.
fn static_expiry(
    token: &SecretString,
    given: Option<Timestamp>,
    now: Timestamp,
) -> std::result::Result<Option<Timestamp>, InputError> {
    // The earlier of the date given and the token's own: never called valid once dead.
    let expires = match (given, jwt_exp(token.expose_secret())) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    match expires {
        Some(at) if at <= now => Err(InputError::TokenAlreadyExpired(at)),
        other => Ok(other),
    }
}

/// The access token an add or an edit stores, with its expiry: a static token with the date
/// given, else its JWT's `exp`, else none (refused when already past); a pasted OAuth access
/// token only while it still works.
pub(super) fn given_access(
    account: &AccountConfig,
    given: Option<(SecretString, Option<Timestamp>)>,
    now: Timestamp,
) -> std::result::Result<Option<(SecretString, Option<Timestamp>)>, InputError> {
    let Some((token, expires)) = given else {
        return Ok(None);
    };
    if account.provider.is_static() {
        let expires = static_expiry(&token, expires, now)?;
        return Ok(Some((token, expires)));
    }
    Ok(expires.filter(|e| *e > now).map(|e| (token, Some(e))))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn account() -> AccountConfig {
        AccountConfig::new("loja", ProviderKind::RdStation, "fake-id")
    }

    #[test]
    fn validation() {
        assert!(validate(&account()).is_ok());
        let mut a = account();
        a.base_url = Some("http://api.rd.services".into());
        assert!(matches!(validate(&a), Err(InputError::BadUrl { .. })));
        let mut a = account();
        a.client_id = "has space".into();
        assert_eq!(validate(&a), Err(InputError::BadClientId));
        let mut a = account();
        a.token_url = Some("https://x/token".into());
        assert!(validate(&a).is_err());
        let mut a = account();
        a.provider = ProviderKind::OAuth2;
        assert!(validate(&a).is_err());
        a.token_url = Some("https://x/token".into());
        assert!(validate(&a).is_ok());
    }
}
