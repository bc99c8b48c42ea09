//! Exclusive locks between Renova processes (and tasks of one process): one file per account
//! under `locks/`, plus `config.lock`. The lock file holds the holder's pid so a waiter that
//! gives up can name it. Files are never deleted (deleting a lock file races with its users).

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::core::files::{IoError, create_private_dir, private_file};

/// How long a waiter waits for an account before giving up (`RENOVA_LOCK_WAIT` changes it).
pub(crate) const ACCOUNT_WAIT: Duration = Duration::from_secs(45);

/// How long a waiter waits for `config.lock` (held only for a read-modify-write).
pub(crate) const CONFIG_WAIT: Duration = Duration::from_secs(20);

/// A held lock; released when dropped.
#[derive(Debug)]
pub(crate) struct LockGuard {
    file: File,
}

impl Drop for LockGuard {
    fn drop(&mut self) {
        // Closing the file releases the lock anyway; unlocking first only makes it sooner.
        if let Err(e) = self.file.unlock() {
            tracing::debug!("could not unlock a lock file: {e}");
        }
    }
}

/// Who holds a lock, when a waiter gives up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Held {
    /// The holder's process id, when it wrote one.
    pub pid: Option<u32>,
}

fn open_lock_file(path: &Path) -> Result<File, IoError> {
    if let Some(dir) = path.parent() {
        create_private_dir(dir)?;
    }
    private_file(
        OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false),
    )
    .open(path)
    .map_err(|e| IoError::new("opening a lock file", path, e))
}

fn stamp_pid(file: &mut File) {
    // Best effort: the pid only helps a waiter's message.
    let stamped = file
        .set_len(0)
        .and_then(|()| file.rewind())
        .and_then(|()| write!(file, "{}", std::process::id()))
        .and_then(|()| file.flush());
    if let Err(e) = stamped {
        tracing::debug!("could not write the pid into a lock file: {e}");
    }
}

fn read_pid(path: &Path) -> Option<u32> {
    let mut s = String::new();
    File::open(path).ok()?.read_to_string(&mut s).ok()?;
    s.trim().parse().ok()
}

/// One wait for a lock, shared by the async and the blocking takers.
struct Waiter {
    file: File,
    path: PathBuf,
    start: Instant,
    wait: Duration,
}

impl Waiter {
    fn new(path: &Path, wait: Duration) -> Result<Self, LockWaitError> {
        Ok(Self {
            file: open_lock_file(path).map_err(LockWaitError::Io)?,
            path: path.to_owned(),
            start: Instant::now(),
            wait,
        })
    }

    /// `Ok(None)`: taken. `Ok(Some(pause))`: held elsewhere, try again after `pause`.
    fn attempt(&self) -> Result<Option<Duration>, LockWaitError> {
        match self.file.try_lock() {
            Ok(()) => Ok(None),
            Err(std::fs::TryLockError::WouldBlock) => {
                let waited = self.start.elapsed();
                if waited >= self.wait {
                    return Err(LockWaitError::TimedOut(Held {
                        pid: read_pid(&self.path),
                    }));
                }
                // Short pauses at first (most holds last milliseconds), then calmer ones.
                let pause = if waited < Duration::from_millis(500) {
                    10
                } else {
                    50
                };
                Ok(Some(Duration::from_millis(pause)))
            }
            Err(std::fs::TryLockError::Error(e)) => {
                Err(LockWaitError::Io(IoError::new("locking", &self.path, e)))
            }
        }
    }

    fn into_guard(mut self) -> LockGuard {
        stamp_pid(&mut self.file);
        LockGuard { file: self.file }
    }
}

/// Takes the lock at `path`, waiting up to `wait`. For async callers.
pub(crate) async fn lock_async(path: PathBuf, wait: Duration) -> Result<LockGuard, LockWaitError> {
    let waiter = Waiter::new(&path, wait)?;
    while let Some(pause) = waiter.attempt()? {
        tokio::time::sleep(pause).await;
    }
    Ok(waiter.into_guard())
}

/// Takes the lock at `path`, waiting up to `wait`. For short synchronous critical sections.
pub(crate) fn lock_blocking(path: &Path, wait: Duration) -> Result<LockGuard, LockWaitError> {
    let waiter = Waiter::new(path, wait)?;
    while let Some(pause) = waiter.attempt()? {
        std::thread::sleep(pause);
    }
    Ok(waiter.into_guard())
}

/// Why a lock was not taken.
#[derive(Debug)]
pub(crate) enum LockWaitError {
    /// Someone else held it for the whole wait.
    TimedOut(Held),
    /// The lock file could not be used.
    Io(IoError),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn second_taker_waits_and_names_the_holder() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("locks").join("a.lock");
        let held = lock_async(path.clone(), Duration::from_secs(1))
            .await
            .unwrap();
        match lock_async(path.clone(), Duration::from_millis(100)).await {
            Err(LockWaitError::TimedOut(Held { pid })) => {
                assert_eq!(pid, Some(std::process::id()));
            }
            other => panic!("expected a timeout, got {other:?}"),
        }
        drop(held);
        lock_async(path, Duration::from_millis(100)).await.unwrap();
    }
}
