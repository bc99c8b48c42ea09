//! One agent per user: the running agent holds `agent.lock` in the private state folder (with
//! its pid in it). A second agent, and `renova agent --status`, find it taken.

use std::time::Duration;

use crate::core::error::{Error, Result};
use crate::core::lock::{self, LockGuard, LockWaitError};
use crate::core::paths::Paths;

/// Whether this process may be the agent.
pub(crate) enum Claim {
    /// It is: hold the guard for as long as it runs.
    First(LockGuard),
    /// Another agent runs (its pid, when it wrote one).
    Running(Option<u32>),
}

fn lock_path(paths: &Paths) -> std::path::PathBuf {
    paths.state_dir.join("agent.lock")
}

/// Becomes the agent, or finds the one that runs. `wait` covers a look by `--status` or the
/// window, which holds the lock for an instant.
pub(crate) fn claim(paths: &Paths, wait: Duration) -> Result<Claim> {
    match lock::lock_blocking(&lock_path(paths), wait) {
        Ok(guard) => Ok(Claim::First(guard)),
        Err(LockWaitError::TimedOut(held)) => Ok(Claim::Running(held.pid)),
        Err(LockWaitError::Io(e)) => Err(Error::Io(e)),
    }
}

/// Whether an agent runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Presence {
    /// None runs.
    Absent,
    /// One runs (its pid, when it wrote one).
    Running(Option<u32>),
}

/// Whether an agent runs now, without becoming one.
pub(crate) fn running(paths: &Paths) -> Result<Presence> {
    Ok(match claim(paths, Duration::ZERO)? {
        Claim::First(_released) => Presence::Absent,
        Claim::Running(pid) => Presence::Running(pid),
    })
}
