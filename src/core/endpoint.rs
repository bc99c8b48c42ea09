//! The local token endpoint's key: 256 random bits in the keychain (user `endpoint-key`),
//! never in a file. Created on first use; a rotation replaces it and bumps `[endpoint]
//! key_rev` in `accounts.toml`, so the agent serving the endpoint reads the new one.

use secrecy::{ExposeSecret, SecretString};
use zeroize::Zeroizing;

use crate::core::config::{Config, ConfigError};
use crate::core::error::{Error, Result};
use crate::core::store::Store;

/// The keychain user of the endpoint key.
pub const KEY_USER: &str = "endpoint-key";

/// The stored key, if any.
pub async fn key(store: &Store) -> Result<Option<SecretString>> {
    let raw = store.keychain().read_user(KEY_USER).await?;
    Ok(raw
        .and_then(|b| String::from_utf8(b.to_vec()).ok())
        .filter(|k| !k.is_empty())
        .map(SecretString::from))
}

/// The stored key, made first when there is none.
pub async fn key_or_new(store: &Store) -> Result<SecretString> {
    match key(store).await? {
        Some(k) => Ok(k),
        None => rotate(store).await,
    }
}

/// A new key, stored (replacing the old one), with `key_rev` bumped.
pub async fn rotate(store: &Store) -> Result<SecretString> {
    let mut bytes = Zeroizing::new([0u8; 32]);
    getrandom::fill(bytes.as_mut_slice()).map_err(|e| {
        Error::io(
            "making the endpoint key",
            "getrandom",
            std::io::Error::other(e.to_string()),
        )
    })?;
    let key: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    let key = SecretString::from(key);
    let value = Zeroizing::new(key.expose_secret().as_bytes().to_vec());
    store.keychain().write_user(KEY_USER, value).await?;
    Config::update(store.paths(), |c| {
        c.endpoint.key_rev += 1;
        Ok::<_, ConfigError>(())
    })?;
    Ok(key)
}

/// Constant-time comparison of a presented key with the stored one.
pub fn same_key(presented: &str, stored: &SecretString) -> bool {
    let (a, b) = (presented.as_bytes(), stored.expose_secret().as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
