//! Where Renova keeps its files (the table in README "Where data lives"). Follows the XDG
//! variables on Linux, so tests and users can isolate a profile with `XDG_CONFIG_HOME` /
//! `XDG_STATE_HOME`.

use std::path::{Path, PathBuf};

use crate::core::account::AccountId;
use crate::core::files::{IoError, tighten_dir};

/// A folder of Renova's that group or others could use, made private (0700).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tightened {
    /// The folder.
    pub dir: PathBuf,
    /// Its mode before (e.g. `0o755`).
    pub was: u32,
}

/// The folders Renova reads and writes.
#[derive(Debug, Clone)]
pub struct Paths {
    /// `accounts.toml` lives here (`$XDG_CONFIG_HOME/renova`).
    pub config_dir: PathBuf,
    /// `state.json`, `audit.jsonl` and the lock files live here (`$XDG_STATE_HOME/renova`).
    pub state_dir: PathBuf,
}

impl Paths {
    /// The platform's folders for Renova.
    pub fn from_env() -> Result<Self, IoError> {
        let dirs = directories::ProjectDirs::from("app", "renova", "Renova").ok_or_else(|| {
            IoError::new(
                "finding the home folder",
                PathBuf::new(),
                std::io::Error::new(std::io::ErrorKind::NotFound, "no home folder"),
            )
        })?;
        let state_dir = dirs
            .state_dir()
            .unwrap_or_else(|| dirs.data_local_dir())
            .to_path_buf();
        Ok(Self {
            config_dir: dirs.config_dir().to_path_buf(),
            state_dir,
        })
    }

    /// Folders under one root, for tests.
    pub fn under(root: &Path) -> Self {
        Self {
            config_dir: root.join("config"),
            state_dir: root.join("state"),
        }
    }

    /// Makes Renova's existing folders private (0700) where group or others could use them
    /// (made by an older Renova, a backup restore, a dotfiles manager). What could not be
    /// changed is logged; `doctor` reports the folders as they are.
    pub fn tighten(&self) -> Vec<Tightened> {
        [&self.config_dir, &self.state_dir, &self.locks_dir()]
            .into_iter()
            .filter_map(|dir| match tighten_dir(dir) {
                Ok(was) => was.map(|was| Tightened {
                    dir: dir.to_path_buf(),
                    was,
                }),
                Err(e) => {
                    tracing::warn!("{e}");
                    None
                }
            })
            .collect()
    }

    /// Folders of Renova's that group or others can still use, with their modes.
    pub fn loose(&self) -> Vec<Tightened> {
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            [&self.config_dir, &self.state_dir, &self.locks_dir()]
                .into_iter()
                .filter_map(|dir| {
                    let mode = std::fs::metadata(dir).ok()?.permissions().mode() & 0o7777;
                    (mode & 0o077 != 0).then(|| Tightened {
                        dir: dir.to_path_buf(),
                        was: mode,
                    })
                })
                .collect()
        }
        #[cfg(not(unix))]
        Vec::new()
    }

    /// `accounts.toml`.
    pub fn accounts_file(&self) -> PathBuf {
        self.config_dir.join("accounts.toml")
    }

    /// `state.json`.
    pub fn state_file(&self) -> PathBuf {
        self.state_dir.join("state.json")
    }

    /// `audit.jsonl`.
    pub fn audit_file(&self) -> PathBuf {
        self.state_dir.join("audit.jsonl")
    }

    /// The folder of per-account lock files.
    pub fn locks_dir(&self) -> PathBuf {
        self.state_dir.join("locks")
    }

    /// The lock taken around every change of `accounts.toml` and `state.json`.
    pub fn config_lock(&self) -> PathBuf {
        self.state_dir.join("config.lock")
    }

    /// The lock taken around every change of one account's keychain entry.
    pub fn account_lock(&self, id: &AccountId) -> PathBuf {
        self.locks_dir().join(format!("{id}.lock"))
    }
}
