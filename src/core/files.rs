//! Renova's own files and folders: folders readable only by the user (existing looser ones
//! tightened), files written atomically (a temporary file beside the target, created new with
//! mode 0600, synced, then renamed over it), no symbolic link followed where Renova creates a
//! file, and the error that says which path failed and what Renova was doing with it.

use std::fs::OpenOptions;
use std::path::{Path, PathBuf};

/// A file, folder or other OS resource that could not be used.
#[derive(Debug, thiserror::Error)]
#[error("{what} ({path}): {source}")]
pub struct IoError {
    /// What Renova was doing ("saving", "locking"…).
    pub what: &'static str,
    /// The path involved (or a short name of the resource).
    pub path: PathBuf,
    /// The OS error.
    pub source: std::io::Error,
}

impl IoError {
    /// An error while doing `what` with `path`.
    pub fn new(what: &'static str, path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Self {
            what,
            path: path.into(),
            source,
        }
    }
}

/// Creates a folder (and parents) readable only by the user.
pub(crate) fn create_private_dir(dir: &Path) -> Result<(), IoError> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder
        .create(dir)
        .map_err(|e| IoError::new("creating a folder", dir, e))
}

/// Private file options: mode 0600 from creation, and no symbolic link followed at the last
/// part of the path (a link planted where Renova keeps a file would send its writes, or the
/// secrets-adjacent metadata, elsewhere: the open fails instead).
pub(crate) fn private_file(options: &mut OpenOptions) -> &mut OpenOptions {
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        let no_follow = rustix::fs::OFlags::NOFOLLOW.bits();
        options
            .mode(0o600)
            .custom_flags(i32::try_from(no_follow).unwrap_or_default());
    }
    options
}

/// Makes an existing folder of Renova's private (0700) when its group or others may use it.
/// Returns the mode it had when it changed it; a folder that does not exist is left alone.
pub(crate) fn tighten_dir(dir: &Path) -> Result<Option<u32>, IoError> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = match std::fs::metadata(dir) {
            Ok(m) if m.is_dir() => m.permissions().mode() & 0o7777,
            _ => return Ok(None),
        };
        if mode & 0o077 == 0 {
            return Ok(None);
        }
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
            .map_err(|e| IoError::new("making a folder private", dir, e))?;
        Ok(Some(mode))
    }
    #[cfg(not(unix))]
    {
        let _unused = dir;
        Ok(None)
    }
}

/// Writes a file readable only by the user, atomically. Callers hold the lock that makes the
/// temporary name theirs; a leftover temporary file is removed first, and the new one is
/// created exclusively (`O_EXCL`), so nothing planted under its name is written through.
pub(crate) fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), IoError> {
    use std::io::Write;
    let dir = path.parent().unwrap_or_else(|| Path::new("."));
    create_private_dir(dir)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.tmp"));
    let mut options = OpenOptions::new();
    private_file(options.write(true).create_new(true));
    let write = || -> std::io::Result<()> {
        // Removes the temporary name itself (a link, not what it points to).
        match std::fs::remove_file(&tmp) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
            _ => {}
        }
        let mut f = options.open(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        drop(f);
        std::fs::rename(&tmp, path)?;
        // Make the rename itself durable; a failure here loses nothing already renamed.
        if let Ok(d) = std::fs::File::open(dir)
            && let Err(e) = d.sync_all()
        {
            tracing::debug!("could not sync {}: {e}", dir.display());
        }
        Ok(())
    };
    write().map_err(|e| {
        // Best effort: a leftover temporary file is overwritten by the next write.
        if let Err(rm) = std::fs::remove_file(&tmp) {
            tracing::debug!("could not remove {}: {rm}", tmp.display());
        }
        IoError::new("saving", path, e)
    })
}

/// The most Renova reads of one of its own files (`accounts.toml`, `state.json`): far more
/// than thousands of accounts take, far less than a planted `/dev/zero` would fill memory with.
pub(crate) const MAX_READ: u64 = 16 * 1024 * 1024;

/// Why a file of Renova's was not read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// A symbolic link stands in its place: Renova reads its files only directly.
    Link,
    /// Not a regular file (a device, a pipe, a folder).
    NotAFile,
    /// Larger than [`MAX_READ`].
    TooLarge,
}

/// Reads the file at `path`, at most `limit` bytes, without following a symbolic link in its
/// place and without blocking on a pipe: `Ok(Err(_))` says why it was refused (and it was
/// left as it is); `Err(_)` is the OS's error (`NotFound` among them).
pub(crate) fn read_capped(path: &Path, limit: u64) -> std::io::Result<Result<Vec<u8>, Refusal>> {
    use std::io::Read;
    let mut options = OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use rustix::fs::OFlags;
        use std::os::unix::fs::OpenOptionsExt;
        let flags = OFlags::NOFOLLOW | OFlags::NONBLOCK;
        options.custom_flags(i32::try_from(flags.bits()).unwrap_or(0));
    }
    #[cfg(not(unix))]
    if std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
        return Ok(Err(Refusal::Link));
    }
    let file = match options.open(path) {
        Ok(f) => f,
        #[cfg(unix)]
        Err(e) if e.raw_os_error() == Some(rustix::io::Errno::LOOP.raw_os_error()) => {
            return Ok(Err(Refusal::Link));
        }
        Err(e) => return Err(e),
    };
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Ok(Err(Refusal::NotAFile));
    }
    if meta.len() > limit {
        return Ok(Err(Refusal::TooLarge));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.take(limit.saturating_add(1)).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Ok(Err(Refusal::TooLarge));
    }
    Ok(Ok(bytes))
}

#[cfg(test)]
mod read_tests {
    use super::*;

    #[test]
    fn a_link_a_device_or_a_large_file_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("accounts.toml");
        std::fs::write(&file, "version = 1\n").unwrap();
        assert_eq!(
            read_capped(&file, 100).unwrap(),
            Ok(b"version = 1\n".to_vec())
        );
        assert_eq!(read_capped(&file, 5).unwrap(), Err(Refusal::TooLarge));
        #[cfg(unix)]
        {
            let link = dir.path().join("state.json");
            std::os::unix::fs::symlink("/dev/zero", &link).unwrap();
            assert_eq!(read_capped(&link, MAX_READ).unwrap(), Err(Refusal::Link));
            assert_eq!(
                read_capped(Path::new("/dev/zero"), MAX_READ).unwrap(),
                Err(Refusal::NotAFile)
            );
            assert_eq!(
                read_capped(dir.path(), MAX_READ).unwrap(),
                Err(Refusal::NotAFile)
            );
        }
        let missing = read_capped(&dir.path().join("none"), 10).unwrap_err();
        assert_eq!(missing.kind(), std::io::ErrorKind::NotFound);
    }
}
