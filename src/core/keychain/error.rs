//! Why the keychain could not be used. A leaf type: `state.json` keeps the last one, and the
//! texts (`crate::i18n`) name the missing part and the fix.

use crate::core::secrets::EntryFormatError;

/// Why the keychain could not be used. The texts name the missing part.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KeychainError {
    /// No D-Bus session bus to talk to (Linux).
    #[error("no D-Bus session bus ({detail})")]
    NoSession {
        /// What the platform said.
        detail: String,
    },
    /// A D-Bus session runs, but nothing provides the Secret Service there.
    #[error("no Secret Service (org.freedesktop.secrets) on the D-Bus session ({detail})")]
    NoService {
        /// What the platform said.
        detail: String,
    },
    /// The keychain is locked and could not be unlocked.
    #[error("the keychain is locked ({detail})")]
    Locked {
        /// What the platform said.
        detail: String,
    },
    /// The keychain did not answer in time.
    #[error("the keychain did not answer within {seconds} s")]
    Timeout {
        /// How long Renova waited.
        seconds: u64,
    },
    /// The entry exists but is not a Renova entry Renova can read. It is left untouched.
    #[error("the keychain entry is not readable: {0}")]
    Corrupt(EntryFormatError),
    /// Any other failure of the keychain.
    #[error("the keychain failed: {detail}")]
    Failed {
        /// What the platform said.
        detail: String,
    },
}
