//! `accounts.toml`: the non-secret half of every account, and the `[defaults]` both the window
//! and the CLI obey. Every change is a read-modify-write under `config.lock`, so
//! the GUI and the CLI never lose each other's edits. A file that does not parse is never
//! overwritten: Renova goes read-only until the user fixes it.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::core::account::AccountId;
use crate::core::clock::{format_duration, parse_duration};
pub(crate) use crate::core::files::Refusal;
use crate::core::files::{IoError, MAX_READ, read_capped, write_atomic};
use crate::core::lock::{self, LockWaitError};
use crate::core::paths::Paths;
pub use provider_kind::ProviderKind;
pub(crate) use provider_kind::TokenPlacement;

mod provider_kind;

/// How an `oauth2` client proves who it is at the token endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum ClientAuth {
    /// `client_id` and `client_secret` in the form body.
    #[default]
    Body,
    /// HTTP Basic authentication.
    Basic,
    /// A public client: no secret.
    None,
}

/// What AI assistants may do with an account through `renova mcp`. Until the person says
/// otherwise, nothing: the account does not exist for them.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default,
)]
#[serde(rename_all = "lowercase")]
pub enum Assistants {
    /// Not shared: invisible to assistants.
    #[default]
    Off,
    /// Assistants may make HTTP requests through Renova with the account's token.
    Call,
    /// They may also read the raw access token.
    Token,
}

impl Assistants {
    /// Whether assistants see the account at all.
    pub fn shared(self) -> bool {
        self != Assistants::Off
    }
}

fn is_off(a: &Assistants) -> bool {
    !a.shared()
}

/// A duration written as text (`10m`, `90s`) in `accounts.toml`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextDuration(pub Duration);

impl Serialize for TextDuration {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(&format_duration(self.0))
    }
}

impl<'de> Deserialize<'de> for TextDuration {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        parse_duration(&s)
            .map(TextDuration)
            .ok_or_else(|| serde::de::Error::custom(format!("`{s}` is not a duration like 15m")))
    }
}

/// The `[defaults]` table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Defaults {
    /// Refresh when this little time is left (halved for short-lived tokens).
    pub lead_time: TextDuration,
    /// Copying a token with less than this left refreshes it first.
    pub copy_min_valid: TextDuration,
    /// The clipboard is cleared this long after a copy.
    pub clipboard_clear: TextDuration,
    /// Desktop notifications when an account needs attention.
    pub notifications: bool,
    /// A static token that expires gets attention this long before it does.
    pub static_warning: TextDuration,
    /// Keys written by a newer Renova, kept as they are.
    #[serde(flatten)]
    pub extra: toml::Table,
}

impl Default for Defaults {
    fn default() -> Self {
        Self {
            lead_time: TextDuration(Duration::from_secs(600)),
            copy_min_valid: TextDuration(Duration::from_secs(900)),
            clipboard_clear: TextDuration(Duration::from_secs(60)),
            notifications: true,
            static_warning: TextDuration(Duration::from_secs(7 * 86_400)),
            extra: toml::Table::new(),
        }
    }
}

fn yes() -> bool {
    true
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// One `[[account]]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccountConfig {
    /// Permanent id; the keychain entry's user name.
    pub id: AccountId,
    /// The name commands take.
    pub name: String,
    /// Which provider.
    #[serde(default)]
    pub provider: ProviderKind,
    /// The OAuth client id (not secret; empty for a static token).
    #[serde(default)]
    pub client_id: String,
    /// Overrides `https://api.rd.services` (RD providers).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_url: Option<String>,
    /// Token endpoint (`oauth2`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_url: Option<String>,
    /// Authorization endpoint (`oauth2`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authorize_url: Option<String>,
    /// Revocation endpoint, RFC 7009 (`oauth2`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revoke_url: Option<String>,
    /// An endpoint that answers with the account's identity (`oauth2`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub check_url: Option<String>,
    /// The exact redirect URI registered with the provider.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redirect_uri: Option<String>,
    /// Client authentication at the token endpoint (`oauth2`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_auth: Option<ClientAuth>,
    /// Scopes requested on authorize (`oauth2`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub scopes: Vec<String>,
    /// Refresh on its own before expiry.
    #[serde(default = "yes")]
    pub auto_refresh: bool,
    /// Per-account override of `[defaults] lead_time`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lead_time: Option<TextDuration>,
    /// Per-account override of `[defaults] copy_min_valid`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub copy_min_valid: Option<TextDuration>,
    /// Postman environment to keep in sync.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postman_env: Option<String>,
    /// Postman variable name (default `rd_access_token`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postman_var: Option<String>,
    /// The person accepted that the environment is in a workspace others can see.
    #[serde(default, skip_serializing_if = "is_false")]
    pub postman_shared_ok: bool,
    /// What AI assistants may do with it (`renova mcp`); off by default.
    #[serde(default, skip_serializing_if = "is_off")]
    pub assistants: Assistants,
    /// The origins (`https://host[:port]`) assistants may send its token to; empty: the
    /// provider's API origin (none for `oauth2`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub assistant_origins: Vec<String>,
    /// Removal started but not finished; retried at start.
    #[serde(default, skip_serializing_if = "is_false")]
    pub pending_delete: bool,
    /// Keys written by a newer Renova, kept as they are.
    #[serde(flatten)]
    pub extra: toml::Table,
}

impl AccountConfig {
    /// A new account with defaults for everything optional.
    pub fn new(name: &str, provider: ProviderKind, client_id: &str) -> Self {
        Self {
            id: AccountId::new_random(),
            name: name.to_owned(),
            provider,
            client_id: client_id.to_owned(),
            base_url: None,
            token_url: None,
            authorize_url: None,
            revoke_url: None,
            check_url: None,
            redirect_uri: None,
            client_auth: None,
            scopes: Vec::new(),
            auto_refresh: true,
            lead_time: None,
            copy_min_valid: None,
            postman_env: None,
            postman_var: None,
            postman_shared_ok: false,
            assistants: Assistants::Off,
            assistant_origins: Vec::new(),
            pending_delete: false,
            extra: toml::Table::new(),
        }
    }

    /// Whether this account's client authenticates with a secret.
    pub fn needs_client_secret(&self) -> bool {
        !self.provider.is_static() && self.client_auth != Some(ClientAuth::None)
    }
}

/// A switch a person turns: the local endpoint, the background agent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Switch {
    /// Turned on.
    On,
    /// Turned off.
    Off,
}

impl Switch {
    /// On when `on`.
    pub fn from_on(on: bool) -> Self {
        if on { Switch::On } else { Switch::Off }
    }

    /// Whether it is on.
    pub fn is_on(self) -> bool {
        self == Switch::On
    }
}

/// The `[endpoint]` table: the local token endpoint, off by default. Its key lives in the
/// keychain; `key_rev` changes when it is rotated, so the agent re-reads it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct EndpointSettings {
    /// Served by the agent on 127.0.0.1.
    pub enabled: bool,
    /// The port (8788 when absent).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
    /// Bumped by each key rotation.
    pub key_rev: u64,
}

impl EndpointSettings {
    /// The default port.
    pub const DEFAULT_PORT: u16 = 8788;

    /// The port it listens on.
    pub fn port(&self) -> u16 {
        self.port.unwrap_or(Self::DEFAULT_PORT)
    }

    fn is_off_and_default(&self) -> bool {
        *self == Self::default()
    }
}

/// The whole file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Config {
    /// Format version; this Renova writes 1.
    pub version: u32,
    /// Defaults for every account.
    #[serde(default)]
    pub defaults: Defaults,
    /// The local token endpoint (`renova endpoint on`), served by the agent.
    #[serde(default, skip_serializing_if = "EndpointSettings::is_off_and_default")]
    pub endpoint: EndpointSettings,
    /// The accounts, in the order they were added.
    #[serde(default, rename = "account", skip_serializing_if = "Vec::is_empty")]
    pub accounts: Vec<AccountConfig>,
    /// Keys written by a newer Renova, kept as they are.
    #[serde(flatten)]
    pub extra: toml::Table,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            version: 1,
            defaults: Defaults::default(),
            endpoint: EndpointSettings::default(),
            accounts: Vec::new(),
            extra: toml::Table::new(),
        }
    }
}

/// Why `accounts.toml` cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// It does not parse; Renova will not overwrite it.
    #[error("{path} cannot be read: {message}")]
    Invalid {
        /// The file.
        path: PathBuf,
        /// The parser's message (the file holds no secrets).
        message: String,
    },
    /// It was written by a newer Renova.
    #[error("{path} has format version {version}, newer than this Renova")]
    NewerVersion {
        /// The file.
        path: PathBuf,
        /// Its version.
        version: u32,
    },
    /// Another process kept `config.lock` too long.
    #[error("the settings are busy (config.lock held by pid {pid:?})")]
    Busy {
        /// The holder.
        pid: Option<u32>,
    },
    /// The file was not read, and is left as it is: a symbolic link in its place, not a
    /// regular file, or larger than 16 MiB.
    #[error("{path} was not read ({refusal:?})")]
    Refused {
        /// The file.
        path: PathBuf,
        /// Why.
        refusal: Refusal,
    },
    /// The file (or its folder, or the lock) could not be read or written.
    #[error("{0}")]
    Io(#[from] IoError),
}

/// Reads one of Renova's own files as text, capped and without following a link (`None`:
/// there is none).
pub(crate) fn read_own(path: &Path, what: &'static str) -> Result<Option<Vec<u8>>, ConfigError> {
    match read_capped(path, MAX_READ) {
        Ok(Ok(bytes)) => Ok(Some(bytes)),
        Ok(Err(refusal)) => Err(ConfigError::Refused {
            path: path.to_owned(),
            refusal,
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(IoError::new(what, path, e).into()),
    }
}

impl Config {
    /// Reads `accounts.toml`; a missing file is an empty configuration.
    pub fn load(paths: &Paths) -> Result<Self, ConfigError> {
        let path = paths.accounts_file();
        let Some(bytes) = read_own(&path, "reading the account list")? else {
            return Ok(Self::default());
        };
        let text = String::from_utf8(bytes).map_err(|_| ConfigError::Invalid {
            path: path.clone(),
            message: "not UTF-8 text".to_owned(),
        })?;
        Self::parse(&text, &path)
    }

    fn parse(text: &str, path: &Path) -> Result<Self, ConfigError> {
        #[derive(Deserialize)]
        struct Version {
            version: Option<u32>,
        }
        if let Ok(Version {
            version: Some(version),
        }) = toml::from_str::<Version>(text)
            && version > 1
        {
            return Err(ConfigError::NewerVersion {
                path: path.to_owned(),
                version,
            });
        }
        toml::from_str(text).map_err(|e| ConfigError::Invalid {
            path: path.to_owned(),
            message: e.to_string().trim().to_owned(),
        })
    }

    /// The account with this name (ignoring case), skipping half-removed ones.
    pub fn find(&self, name: &str) -> Option<&AccountConfig> {
        self.accounts
            .iter()
            .find(|a| !a.pending_delete && a.name.eq_ignore_ascii_case(name))
    }

    /// The account with this id.
    pub fn by_id(&self, id: &AccountId) -> Option<&AccountConfig> {
        self.accounts.iter().find(|a| &a.id == id)
    }

    /// The accounts users see (not half-removed).
    pub fn visible(&self) -> impl Iterator<Item = &AccountConfig> {
        self.accounts.iter().filter(|a| !a.pending_delete)
    }

    /// The file's text.
    pub fn to_toml(&self) -> String {
        let body = toml::to_string(self).unwrap_or_default();
        format!(
            "# Renova accounts. No secrets here: they live in the OS keychain.\n\
             # Edit with `renova edit` or the window; hand edits are kept.\n\n{body}"
        )
    }

    /// Read-modify-write under `config.lock`: re-reads the file, applies `change`, writes it
    /// atomically. If `change` fails nothing is written.
    pub fn update<T, E: From<ConfigError>>(
        paths: &Paths,
        change: impl FnOnce(&mut Config) -> Result<T, E>,
    ) -> Result<T, E> {
        let _guard = lock_config(paths)?;
        let mut config = Self::load(paths)?;
        let out = change(&mut config)?;
        write_atomic(&paths.accounts_file(), config.to_toml().as_bytes())
            .map_err(ConfigError::from)?;
        Ok(out)
    }
}

/// Takes `config.lock` (around any change of `accounts.toml` or `state.json`).
pub(crate) fn lock_config(paths: &Paths) -> Result<lock::LockGuard, ConfigError> {
    lock::lock_blocking(&paths.config_lock(), lock::CONFIG_WAIT).map_err(|e| match e {
        LockWaitError::TimedOut(held) => ConfigError::Busy { pid: held.pid },
        LockWaitError::Io(e) => ConfigError::Io(e),
    })
}

#[cfg(test)]
mod tests;
