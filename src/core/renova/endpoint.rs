//! [`Endpoint`]: the local token endpoint's switch, port and key, and the record of each
//! token it served.

use secrecy::SecretString;

use crate::core::audit::{self, AuditAction, AuditEntry, AuditOutcome};
use crate::core::config::{AccountConfig, Config, ConfigError, EndpointSettings, Switch};
use crate::core::endpoint;
use crate::core::error::Result;
use crate::core::renova::Renova;

/// Endpoint: see the module.
pub struct Endpoint<'a> {
    pub(super) r: &'a Renova,
}

impl<'a> Endpoint<'a> {
    /// The local endpoint's key (made on first use), for `renova endpoint key`.
    pub async fn key(&self) -> Result<SecretString> {
        endpoint::key_or_new(&self.r.cx.store).await
    }

    /// The stored endpoint key, if one was made.
    pub async fn stored_key(&self) -> Result<Option<SecretString>> {
        endpoint::key(&self.r.cx.store).await
    }

    /// The stored endpoint key, read without ever unlocking the keychain (the agent's read:
    /// nothing a caller sends may raise an unlock prompt).
    pub async fn stored_key_unlocked(&self) -> Result<Option<SecretString>> {
        endpoint::key_unlocked(&self.r.cx.store).await
    }

    /// A new endpoint key; the old one stops working.
    pub async fn rotate_key(&self) -> Result<SecretString> {
        endpoint::rotate(&self.r.cx.store).await
    }

    /// The Postman pre-request script for the endpoint's port.
    pub fn postman_script(&self) -> String {
        let port = self
            .r
            .config()
            .map(|c| c.endpoint.port())
            .unwrap_or(EndpointSettings::DEFAULT_PORT);
        endpoint::postman_script(port)
    }

    /// Turns the local endpoint on (on `port`, or the one it had) or off.
    pub fn set(&self, switch: Switch, port: Option<u16>) -> Result<EndpointSettings> {
        Ok(Config::update(self.r.cx.store.paths(), |c| {
            c.endpoint.enabled = switch.is_on();
            if port.is_some() {
                c.endpoint.port = port;
            }
            Ok::<_, ConfigError>(c.endpoint.clone())
        })?)
    }

    /// Records that `n` requests came with a wrong key since the last such line.
    pub fn audit_refused_keys(&self, n: u32) {
        let entry = AuditEntry::counted(
            self.r.now(),
            AuditAction::EndpointKeyRefused,
            AuditOutcome::Refused,
            n,
        );
        audit::record(self.r.cx.store.paths(), &entry);
    }

    /// Records a token served by the endpoint: time, account, fingerprint, the caller.
    pub fn audit_served(&self, account: &AccountConfig, token: &SecretString, client: &str) {
        let entry = AuditEntry::new(
            self.r.now(),
            account.id,
            AuditAction::Serve,
            AuditOutcome::Ok,
        )
        .tokens(Some(token), None)
        .client(client);
        audit::record(self.r.cx.store.paths(), &entry);
    }
}
