//! The platform's keychain store (Secret Service on Linux, Keychain on macOS, Credential
//! Manager on Windows), and how its failures are told apart: no D-Bus session, no Secret
//! Service, locked, or something else. Runs on the keychain thread only.

use std::sync::Arc;

use keyring_core::CredentialStore;

use crate::core::keychain::error::KeychainError;
use crate::core::secrets::EntryFormatError;

#[cfg(all(
    unix,
    not(any(target_os = "macos", target_os = "ios", target_os = "android"))
))]
pub(super) fn open_system() -> Result<Arc<CredentialStore>, KeychainError> {
    if let Some(missing) = missing_session_bus() {
        return Err(KeychainError::NoSession { detail: missing });
    }
    let store = zbus_secret_service_keyring_store::Store::new().map_err(classify)?;
    Ok(store)
}

#[cfg(target_os = "macos")]
pub(super) fn open_system() -> Result<Arc<CredentialStore>, KeychainError> {
    let store = apple_native_keyring_store::keychain::Store::new().map_err(classify)?;
    Ok(store)
}

#[cfg(target_os = "windows")]
pub(super) fn open_system() -> Result<Arc<CredentialStore>, KeychainError> {
    let store = windows_native_keyring_store::Store::new().map_err(classify)?;
    Ok(store)
}

#[cfg(not(any(
    all(
        unix,
        not(any(target_os = "macos", target_os = "ios", target_os = "android"))
    ),
    target_os = "macos",
    target_os = "windows"
)))]
pub(super) fn open_system() -> Result<Arc<CredentialStore>, KeychainError> {
    Err(KeychainError::Failed {
        detail: "no supported keychain on this platform".to_owned(),
    })
}

/// On Linux, says why there is no session bus, before zbus tries (its error is less clear).
#[cfg(all(
    unix,
    not(any(target_os = "macos", target_os = "ios", target_os = "android"))
))]
fn missing_session_bus() -> Option<String> {
    if let Some(address) = std::env::var("DBUS_SESSION_BUS_ADDRESS")
        .ok()
        .filter(|a| !a.is_empty())
    {
        // Over ssh or `sudo -E` the variable often points at a socket that is gone.
        return unix_socket_of(&address).filter(|p| !p.exists()).map(|p| {
            format!(
                "DBUS_SESSION_BUS_ADDRESS points at {}, which does not exist",
                p.display()
            )
        });
    }
    let runtime = std::env::var_os("XDG_RUNTIME_DIR")
        .map(std::path::PathBuf::from)
        .filter(|p| p.is_absolute());
    match runtime {
        Some(dir) if dir.join("bus").exists() => None,
        Some(dir) => Some(format!(
            "DBUS_SESSION_BUS_ADDRESS is not set and {} does not exist",
            dir.join("bus").display()
        )),
        None => Some("DBUS_SESSION_BUS_ADDRESS and XDG_RUNTIME_DIR are not set".to_owned()),
    }
}

/// The socket path of a `unix:path=…` D-Bus address (other transports are not checked).
#[cfg(all(
    unix,
    not(any(target_os = "macos", target_os = "ios", target_os = "android"))
))]
fn unix_socket_of(address: &str) -> Option<std::path::PathBuf> {
    let first = address.split(';').next()?;
    let params = first.strip_prefix("unix:")?;
    params
        .split(',')
        .find_map(|kv| kv.strip_prefix("path="))
        .map(std::path::PathBuf::from)
}

/// Whether the entry `service`/`user` can be read without unlocking: `Locked` (and no D-Bus
/// call that could raise a prompt — only `SearchItems`, which never does) when it is locked.
/// A missing entry is not locked.
#[cfg(all(
    unix,
    not(any(target_os = "macos", target_os = "ios", target_os = "android"))
))]
pub(super) fn unlocked(service: &str, user: &str) -> Result<(), KeychainError> {
    use secret_service::EncryptionType;
    use secret_service::blocking::SecretService;
    if let Some(missing) = missing_session_bus() {
        return Err(KeychainError::NoSession { detail: missing });
    }
    let failed = |e: secret_service::Error| classify_platform(&e.to_string());
    let ss = SecretService::connect(EncryptionType::Plain).map_err(failed)?;
    let attributes = std::collections::HashMap::from([("service", service), ("username", user)]);
    let found = ss.search_items(attributes).map_err(failed)?;
    if found.locked.is_empty() {
        Ok(())
    } else {
        Err(KeychainError::Locked {
            detail: "the keychain is locked, and Renova does not unlock it for this".to_owned(),
        })
    }
}

/// On macOS and Windows an entry is not locked on its own: read it.
#[cfg(not(all(
    unix,
    not(any(target_os = "macos", target_os = "ios", target_os = "android"))
)))]
pub(super) fn unlocked(_service: &str, _user: &str) -> Result<(), KeychainError> {
    Ok(())
}

/// Whether the keychain can show an unlock prompt to the user.
pub(super) fn prompt_possible() -> bool {
    if cfg!(target_os = "macos") {
        return true;
    }
    if cfg!(target_os = "windows") {
        return false;
    }
    ["DISPLAY", "WAYLAND_DISPLAY"]
        .iter()
        .any(|v| std::env::var_os(v).is_some_and(|s| !s.is_empty()))
}

/// The store's name for people: "Secret Service store, https://crates.io/…" → "Secret Service
/// store".
pub(super) fn plain_vendor(vendor: &str) -> String {
    vendor
        .split(", http")
        .next()
        .unwrap_or(vendor)
        .trim()
        .to_owned()
}

/// Maps a store error to what the user needs to know. Never formats the error with `Debug`
/// (some variants carry the secret bytes).
pub(super) fn classify(e: keyring_core::Error) -> KeychainError {
    use keyring_core::Error as E;
    match e {
        E::NoStorageAccess(inner) => KeychainError::Locked {
            detail: inner.to_string(),
        },
        E::PlatformFailure(inner) => classify_platform(&error_chain(inner.as_ref())),
        E::BadEncoding(_) | E::BadDataFormat(..) => {
            KeychainError::Corrupt(EntryFormatError::Shape { line: 1, column: 1 })
        }
        E::NoDefaultStore => KeychainError::NoSession {
            detail: "no keychain store is available".to_owned(),
        },
        E::TooLong(what, limit) => KeychainError::Failed {
            detail: format!("{what} is longer than the keychain's limit of {limit}"),
        },
        E::Ambiguous(items) => KeychainError::Failed {
            detail: format!(
                "{} keychain items match service `renova` and this account; remove the extra ones",
                items.len()
            ),
        },
        E::NoEntry => KeychainError::Failed {
            detail: "no such entry".to_owned(),
        },
        other => KeychainError::Failed {
            detail: other.to_string(),
        },
    }
}

fn error_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

fn classify_platform(text: &str) -> KeychainError {
    let detail = text.to_owned();
    let t = text.to_ascii_lowercase();
    if t.contains("no secret service provider or dbus session found") {
        // secret-service says this for both; tell them apart by the bus socket.
        #[cfg(all(
            unix,
            not(any(target_os = "macos", target_os = "ios", target_os = "android"))
        ))]
        if let Some(missing) = missing_session_bus() {
            return KeychainError::NoSession { detail: missing };
        }
        return KeychainError::NoService { detail };
    }
    if t.contains("org.freedesktop.secrets")
        || t.contains("serviceunknown")
        || t.contains("name has no owner")
    {
        KeychainError::NoService { detail }
    } else if t.contains("no such file")
        || t.contains("connection refused")
        || t.contains("address")
        || t.contains("/bus")
    {
        KeychainError::NoSession { detail }
    } else if t.contains("locked") || t.contains("prompt") {
        KeychainError::Locked { detail }
    } else {
        KeychainError::Failed { detail }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn platform_errors_name_the_missing_part() {
        assert!(matches!(
            classify_platform(
                "zbus error: org.freedesktop.DBus.Error.ServiceUnknown: The name org.freedesktop.secrets was not provided by any .service files"
            ),
            KeychainError::NoService { .. }
        ));
        assert!(matches!(
            classify_platform("zbus error: I/O error: No such file or directory (os error 2)"),
            KeychainError::NoSession { .. }
        ));
    }
}
