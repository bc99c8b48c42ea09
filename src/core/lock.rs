//! Exclusive locks between Renova processes (and tasks of one process): one file per account
//! under `locks/`, plus `config.lock`. The lock file holds the holder's pid so a waiter that
//! gives up can name it. Files are never deleted (deleting a lock file races with its users).

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::core::error::{Error, Result};

/// How long a waiter waits for an account before giving up (DESIGN §5).
pub const ACCOUNT_WAIT: Duration = Duration::from_secs(45);

/// How long a waiter waits for `config.lock` (held only for a read-modify-write).
pub const CONFIG_WAIT: Duration = Duration::from_secs(20);

/// A held lock; released when dropped.
#[derive(Debug)]
pub struct LockGuard {
    file: File,
}

impl Drop for LockGuard {
    fn drop(&mut self) {
        let _ = self.file.unlock();
    }
}

/// Who holds a lock, when a waiter gives up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Held {
    /// The holder's process id, when it wrote one.
    pub pid: Option<u32>,
}

fn open_lock_file(path: &Path) -> Result<File> {
    if let Some(dir) = path.parent() {
        create_private_dir(dir)?;
    }
    let mut options = OpenOptions::new();
    options.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options
        .open(path)
        .map_err(|e| Error::io("opening a lock file", path, e))
}

/// Creates a folder (and parents) readable only by the user.
pub fn create_private_dir(dir: &Path) -> Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder
        .create(dir)
        .map_err(|e| Error::io("creating a folder", dir, e))
}

fn try_once(file: &File) -> std::io::Result<bool> {
    match file.try_lock() {
        Ok(()) => Ok(true),
        Err(std::fs::TryLockError::WouldBlock) => Ok(false),
        Err(std::fs::TryLockError::Error(e)) => Err(e),
    }
}

fn stamp_pid(file: &mut File) {
    // Best effort: the pid only helps a waiter's message.
    let _ = file.set_len(0);
    let _ = file.rewind();
    let _ = write!(file, "{}", std::process::id());
    let _ = file.flush();
}

fn read_pid(path: &Path) -> Option<u32> {
    let mut s = String::new();
    File::open(path).ok()?.read_to_string(&mut s).ok()?;
    s.trim().parse().ok()
}

fn backoff(waited: Duration) -> Duration {
    if waited < Duration::from_millis(500) {
        Duration::from_millis(10)
    } else {
        Duration::from_millis(50)
    }
}

/// Takes the lock at `path`, waiting up to `wait`. For async callers.
pub async fn lock_async(
    path: PathBuf,
    wait: Duration,
) -> std::result::Result<LockGuard, LockWaitError> {
    let mut file = open_lock_file(&path).map_err(LockWaitError::Io)?;
    let start = Instant::now();
    loop {
        match try_once(&file) {
            Ok(true) => {
                stamp_pid(&mut file);
                return Ok(LockGuard { file });
            }
            Ok(false) if start.elapsed() < wait => {
                tokio::time::sleep(backoff(start.elapsed())).await;
            }
            Ok(false) => {
                return Err(LockWaitError::TimedOut(Held {
                    pid: read_pid(&path),
                }));
            }
            Err(e) => return Err(LockWaitError::Io(Error::io("locking", &path, e))),
        }
    }
}

/// Takes the lock at `path`, waiting up to `wait`. For short synchronous critical sections.
pub fn lock_blocking(path: &Path, wait: Duration) -> std::result::Result<LockGuard, LockWaitError> {
    let mut file = open_lock_file(path).map_err(LockWaitError::Io)?;
    let start = Instant::now();
    loop {
        match try_once(&file) {
            Ok(true) => {
                stamp_pid(&mut file);
                return Ok(LockGuard { file });
            }
            Ok(false) if start.elapsed() < wait => std::thread::sleep(backoff(start.elapsed())),
            Ok(false) => {
                return Err(LockWaitError::TimedOut(Held {
                    pid: read_pid(path),
                }));
            }
            Err(e) => return Err(LockWaitError::Io(Error::io("locking", path, e))),
        }
    }
}

/// Why a lock was not taken.
#[derive(Debug)]
pub enum LockWaitError {
    /// Someone else held it for the whole wait.
    TimedOut(Held),
    /// The lock file could not be used.
    Io(Error),
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
