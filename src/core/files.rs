//! Renova's own files and folders: folders readable only by the user, files written atomically
//! (a temporary file beside the target, synced, then renamed over it), and the error that says
//! which path failed and what Renova was doing with it.

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
pub fn create_private_dir(dir: &Path) -> Result<(), IoError> {
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

/// Writes a file readable only by the user, atomically. Callers hold the lock that makes the
/// temporary name theirs.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), IoError> {
    use std::io::Write;
    let dir = path.parent().unwrap_or_else(|| Path::new("."));
    create_private_dir(dir)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.tmp"));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let write = || -> std::io::Result<()> {
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
