//! The add/edit dialog's content as it travels to the worker: what was typed, and how it
//! becomes the core's settings and secrets (pastes cleaned, RD's `expires_in` turned into an
//! expiry at `now`).

use std::time::Duration;

use jiff::Timestamp;
use secrecy::SecretString;

use crate::core::account::AccountId;
use crate::core::accounts::{AccountSettings, GivenSecrets};
use crate::core::clock;
use crate::core::config::{AccountConfig, ProviderKind};
use crate::core::pasted::clean_pasted;

/// The add/edit dialog's content, as sent to the worker.
#[derive(Clone, Default)]
pub struct Draft {
    /// The account being edited; `None` adds a new one.
    pub editing: Option<AccountId>,
    /// The account as the edit dialog loaded it: only what differs from it is saved.
    pub original: Option<AccountConfig>,
    /// Name.
    pub name: String,
    /// Provider.
    pub provider: ProviderKind,
    /// Client id.
    pub client_id: String,
    /// Client secret (blank when editing: keep the stored one).
    pub client_secret: zeroize::Zeroizing<String>,
    /// Refresh token (blank: authorize later, or keep the stored one).
    pub refresh_token: zeroize::Zeroizing<String>,
    /// An access token pasted from RD's JSON answer, with its lifetime (`expires_in`).
    pub access_token: Option<(zeroize::Zeroizing<String>, Duration)>,
    /// A static token, pasted (blank when editing: keep the stored one).
    pub static_token: zeroize::Zeroizing<String>,
    /// A static token without a JWT `exp`: the days it lives, when the person says it dies.
    pub static_expires_in_days: Option<u32>,
    /// Base URL (RD providers; blank: default).
    pub base_url: String,
    /// Other settings (oauth2 endpoints, scopes…).
    pub settings: AccountSettings,
    /// Automatic refresh.
    pub auto_refresh: bool,
    /// After saving, authorize in the browser.
    pub authorize_after: bool,
}

impl std::fmt::Debug for Draft {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Draft")
            .field("editing", &self.editing)
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

impl Draft {
    /// The core settings of this draft: everything the form shows for a new account, only
    /// what the user changed for an edited one.
    pub fn account_settings(&self) -> AccountSettings {
        let shown = AccountSettings {
            provider: Some(self.provider),
            client_id: Some(self.client_id.trim().to_owned()),
            base_url: Some(self.base_url.trim().to_owned()),
            auto_refresh: Some(self.auto_refresh),
            ..self.settings.clone()
        };
        match &self.original {
            Some(original) => shown.changes_from(original),
            None => shown,
        }
    }

    /// The secrets typed or pasted, cleaned.
    pub fn given_secrets(&self, now: Timestamp) -> GivenSecrets {
        let clean = |s: &str| {
            let c = clean_pasted(s);
            (!c.is_empty()).then(|| SecretString::from(c.to_owned()))
        };
        if self.provider.is_static() {
            return GivenSecrets {
                access_token: clean(&self.static_token).map(|t| {
                    let days = self
                        .static_expires_in_days
                        .map(|d| clock::add(now, Duration::from_secs(u64::from(d) * 86_400)));
                    (t, days)
                }),
                ..GivenSecrets::default()
            };
        }
        GivenSecrets {
            client_secret: clean(&self.client_secret),
            refresh_token: clean(&self.refresh_token),
            access_token: self
                .access_token
                .as_ref()
                .and_then(|(t, life)| Some((clean(t)?, Some(clock::add(now, *life))))),
        }
    }
}
