//! [`Postman`]: the Postman API key and the sync of tokens into Postman environments.

use secrecy::SecretString;

use crate::core::config::AccountConfig;
use crate::core::error::Result;
use crate::core::input::InputError;
use crate::core::postman::{PostmanError, Sharing};
use crate::core::renova::Renova;
use crate::core::sync;

/// Postman: see the module.
pub struct Postman<'a> {
    pub(super) r: &'a Renova,
}

impl<'a> Postman<'a> {
    /// The Postman API's base URL, `https` enforced except for loopback.
    pub fn api_url(&self) -> Result<url::Url, InputError> {
        self.r.cx.postman.url()
    }

    /// Whose Postman account a key belongs to.
    pub async fn whoami(&self, key: &SecretString) -> Result<String, PostmanError> {
        self.r.cx.postman.whoami(key, self.r.now()).await
    }

    /// Stores the Postman API key.
    pub async fn set_key(&self, key: &SecretString) -> Result<()> {
        sync::set_key(&self.r.cx.store, key).await
    }

    /// Deletes the Postman API key.
    pub async fn remove_key(&self) -> Result<()> {
        sync::remove_key(&self.r.cx.store).await
    }

    /// The stored Postman API key, if any.
    pub async fn key(&self) -> Result<Option<SecretString>> {
        sync::key(&self.r.cx.store).await
    }

    /// Syncs accounts whose last Postman sync failed and whose retry time has come.
    pub async fn retry_syncs(&self) -> Result<usize> {
        sync::retry_failed(&self.r.cx, self.r.now()).await
    }

    /// Who would see this account's synced token, when the person has not accepted it
    /// already (`None`: accepted, or no Postman environment).
    pub async fn shared_with(&self, account: &AccountConfig) -> Result<Option<Sharing>> {
        match crate::core::postman::target(account) {
            Some((env, _)) if !account.postman_shared_ok => self.sharing_of(env).await,
            _ => Ok(None),
        }
    }

    /// Who can see Postman environment `env` (`None` without a stored Postman key).
    pub async fn sharing_of(&self, env: &str) -> Result<Option<Sharing>> {
        let Some(key) = self.key().await? else {
            return Ok(None);
        };
        self.r
            .cx
            .postman
            .sharing(&key, env, self.r.now())
            .await
            .map(Some)
            .map_err(crate::core::error::Error::Postman)
    }

    /// Syncs one account to Postman now, if it has a target and a valid token.
    pub async fn sync_now(&self, account: &AccountConfig) -> Result<Option<PostmanError>> {
        sync::push_now(&self.r.cx, account).await
    }
}
