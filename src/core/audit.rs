//! `audit.jsonl`: one line per state change (refresh, authorize, revoke, edit, remove), with
//! 8-hex fingerprints of the tokens involved so a user can tell which token was live when.
//! Never a token, never the client secret or its fingerprint. Rotated at 1 MiB.

use std::io::Write;

use jiff::Timestamp;
use secrecy::SecretString;
use serde::Serialize;

use crate::core::account::AccountId;
use crate::core::config::lock_config;
use crate::core::files::{create_private_dir, private_file};
use crate::core::paths::Paths;
use crate::core::secrets::fingerprint;

/// Rotate when the log passes this size.
pub(crate) const ROTATE_AT: u64 = 1024 * 1024;

/// What was done to an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum AuditAction {
    /// `renova add`.
    Add,
    /// An edit of the settings.
    Edit,
    /// New secrets given.
    EditSecrets,
    /// The endpoints `accounts.toml` names were bound into the entry.
    ConfirmEndpoints,
    /// The account and its entry were removed.
    Remove,
    /// An entry an interrupted `add` left was removed.
    RemoveOrphan,
    /// A refresh.
    Refresh,
    /// A rotated refresh token could not be stored.
    RotationLost,
    /// An authorization in the browser.
    Authorize,
    /// A revoke at the provider.
    Revoke,
    /// The token sent to Postman.
    PostmanSync,
    /// The token served by the local endpoint.
    Serve,
    /// Requests to the local endpoint with a wrong key (one line a minute at most, counted).
    EndpointKeyRefused,
    /// A tool call of an AI assistant through `renova mcp` (`tool` says which).
    Assistant,
}

/// How it ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum AuditOutcome {
    /// Done.
    Ok,
    /// Done, and the provider rotated the refresh token.
    OkRotated,
    /// The provider refused (the person must act).
    Rejected,
    /// A failure that may pass (the provider or Postman down, the network).
    Transient,
    /// Refused (a wrong key).
    Refused,
    /// Failed for a reason that will not pass by itself (Postman refused the key, the
    /// environment is gone).
    Failed,
    /// The keychain failed.
    KeychainError,
    /// Revoked a refresh token the provider already called invalid.
    AlreadyInvalid,
}

/// One line of the audit log.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct AuditEntry {
    /// When.
    pub time: Timestamp,
    /// Which account (none for what concerns no account).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account: Option<AccountId>,
    /// What was done.
    pub action: AuditAction,
    /// How it ended.
    pub outcome: AuditOutcome,
    /// Fingerprint of the access token involved.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub access_fp: Option<String>,
    /// Fingerprint of the refresh token involved.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh_fp: Option<String>,
    /// Who asked (the endpoint's caller's `User-Agent`, made plain and cut at 120 characters).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client: Option<String>,
    /// How many times it happened since the last such line.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub count: Option<u32>,
    /// What an assistant called, when it did.
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub call: Option<AuditCall>,
}

/// An assistant's tool call: the tool, and for an HTTP request its method, origin, path (no
/// query string) and the answer's status.
#[derive(Debug, Clone, Default, Serialize)]
pub(crate) struct AuditCall {
    /// `list_accounts`, `http_request` or `get_token`.
    pub tool: &'static str,
    /// The HTTP method.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    /// The origin called.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub origin: Option<String>,
    /// The path, without the query.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// The answer's HTTP status.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// Why Renova refused the call, in a word (`origin_not_allowed`…).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refused: Option<&'static str>,
}

impl AuditEntry {
    /// An entry without fingerprints.
    pub(crate) fn new(
        time: Timestamp,
        account: AccountId,
        action: AuditAction,
        outcome: AuditOutcome,
    ) -> Self {
        Self {
            time,
            account: Some(account),
            action,
            outcome,
            access_fp: None,
            refresh_fp: None,
            client: None,
            count: None,
            call: None,
        }
    }

    /// An entry about no account in particular, counted (`n` times since the last one).
    pub(crate) fn counted(
        time: Timestamp,
        action: AuditAction,
        outcome: AuditOutcome,
        n: u32,
    ) -> Self {
        Self {
            time,
            account: None,
            action,
            outcome,
            access_fp: None,
            refresh_fp: None,
            client: None,
            count: Some(n),
            call: None,
        }
    }

    /// An assistant's call, about `account` if it named one that is shared.
    pub(crate) fn assistant(
        time: Timestamp,
        account: Option<AccountId>,
        outcome: AuditOutcome,
        call: AuditCall,
    ) -> Self {
        Self {
            time,
            account,
            action: AuditAction::Assistant,
            outcome,
            access_fp: None,
            refresh_fp: None,
            client: None,
            count: None,
            call: Some(call),
        }
    }

    /// Adds who asked.
    pub(crate) fn client(mut self, client: &str) -> Self {
        let plain: String = client
            .chars()
            .filter(|c| !c.is_control())
            .take(120)
            .collect();
        self.client = Some(plain);
        self
    }

    /// Adds fingerprints of the tokens.
    pub(crate) fn tokens(
        mut self,
        access: Option<&SecretString>,
        refresh: Option<&SecretString>,
    ) -> Self {
        self.access_fp = access.map(fingerprint);
        self.refresh_fp = refresh.map(fingerprint);
        self
    }
}

/// Appends an entry. Failures are logged, never fatal: the audit log must not stop a refresh.
pub(crate) fn record(paths: &Paths, entry: &AuditEntry) {
    if let Err(e) = try_record(paths, entry) {
        tracing::warn!("could not write the audit log: {e}");
    }
}

fn try_record(paths: &Paths, entry: &AuditEntry) -> std::io::Result<()> {
    let path = paths.audit_file();
    create_private_dir(&paths.state_dir).map_err(std::io::Error::other)?;
    if std::fs::metadata(&path).is_ok_and(|m| m.len() >= ROTATE_AT) {
        // Rotate under the lock so two processes do not both rotate.
        let _guard = lock_config(paths).map_err(std::io::Error::other)?;
        if std::fs::metadata(&path).is_ok_and(|m| m.len() >= ROTATE_AT) {
            std::fs::rename(&path, path.with_extension("jsonl.1"))?;
        }
    }
    let mut line = serde_json::to_vec(entry).map_err(std::io::Error::other)?;
    line.push(b'\n');
    // One write per line: appends of a few hundred bytes do not interleave.
    private_file(std::fs::OpenOptions::new().append(true).create(true))
        .open(&path)?
        .write_all(&line)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_have_fingerprints_not_tokens_and_rotate() {
        let dir = tempfile::tempdir().unwrap();
        let paths = Paths::under(dir.path());
        let id = AccountId::new_random();
        let access: SecretString = "fake-access-token".into();
        let e = AuditEntry::new(
            Timestamp::UNIX_EPOCH,
            id,
            AuditAction::Refresh,
            AuditOutcome::Ok,
        )
        .tokens(Some(&access), None);
        record(&paths, &e);
        let text = std::fs::read_to_string(paths.audit_file()).unwrap();
        assert!(!text.contains("fake-access-token"));
        assert!(text.contains(&fingerprint(&access)));
        assert!(text.ends_with('\n'));
        std::fs::write(paths.audit_file(), vec![b'x'; ROTATE_AT as usize]).unwrap();
        record(&paths, &e);
        assert!(paths.audit_file().with_extension("jsonl.1").exists());
        assert_eq!(
            std::fs::read_to_string(paths.audit_file())
                .unwrap()
                .lines()
                .count(),
            1
        );
    }
}
