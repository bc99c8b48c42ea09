//! [`Profile`]: the profile's folders, files and keychain, as `doctor`, the single-instance
//! locks and the file watchers see them. Nothing here reads or writes an account.

use crate::core::error::Result;
use crate::core::keychain::{Health, KeychainError};
use crate::core::paths::{Paths, Tightened};
use crate::core::renova::Renova;
use crate::core::state::State;

/// Profile: see the module.
pub struct Profile<'a> {
    pub(super) r: &'a Renova,
}

impl<'a> Profile<'a> {
    /// Where files live.
    pub fn paths(&self) -> &'a Paths {
        self.r.cx.store.paths()
    }

    /// When `accounts.toml` and `state.json` last changed: a new stamp means another process
    /// (the CLI, the agent) changed an account.
    pub fn file_stamps(&self) -> [Option<std::time::SystemTime>; 2] {
        let paths = self.r.cx.store.paths();
        let mtime = |p: std::path::PathBuf| std::fs::metadata(p).and_then(|m| m.modified()).ok();
        [mtime(paths.accounts_file()), mtime(paths.state_file())]
    }

    /// Folders that group or others could use and that this process made private at start.
    pub fn tightened_folders(&self) -> &'a [Tightened] {
        &self.r.tightened
    }

    /// Proves `state.json` can be read and written (for `doctor`).
    pub fn check_state_file(&self) -> Result<()> {
        State::update(self.r.cx.store.paths(), |_| ())?;
        Ok(())
    }

    /// Proves the keychain reachable, unlocked and writable.
    pub async fn probe_keychain(&self) -> Result<Health, KeychainError> {
        self.r.cx.store.keychain().probe().await
    }

    /// Whether a keychain call may raise an unlock prompt (a desktop session is there).
    pub fn keychain_may_prompt(&self) -> bool {
        self.r.cx.store.keychain().can_prompt()
    }

    /// Stops this process's work (a signal, Quit): nothing new starts, lock waits end, and a
    /// provider request still waiting for its answer is abandoned; answers already received
    /// are stored.
    pub fn stop_work(&self) {
        self.r.cx.store.stopping().stop();
    }

    /// Whether [`Profile::stop_work`] was called.
    pub fn stopping(&self) -> bool {
        self.r.cx.store.stopping().is_set()
    }
}
