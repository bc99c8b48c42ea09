//! Wakes the agent when `accounts.toml` or `state.json` change (a window, a command or a hand
//! edit), through the OS's file notifications: no polling.

use std::path::Path;

use notify::{RecursiveMode, Watcher};
use tokio::sync::mpsc;

use crate::core::files::create_private_dir;
use crate::core::paths::Paths;

/// The files whose changes matter.
const WATCHED: [&str; 2] = ["accounts.toml", "state.json"];

/// Watches Renova's two folders; every change of a watched file sends `()` on the returned
/// channel. The watcher must be kept alive for as long as the channel is read.
pub(crate) fn watch(
    paths: &Paths,
) -> notify::Result<(notify::RecommendedWatcher, mpsc::UnboundedReceiver<()>)> {
    let (tx, rx) = mpsc::unbounded_channel();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        let Ok(event) = event else { return };
        let relevant = !event.kind.is_access()
            && event.paths.iter().any(|p| {
                p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| WATCHED.contains(&n))
            });
        if relevant {
            // The agent may be ending: nobody to tell.
            let _ignored = tx.send(());
        }
    })?;
    for dir in [&paths.config_dir, &paths.state_dir] {
        if let Err(e) = create_private_dir(dir) {
            tracing::warn!("{e}");
        }
        watcher.watch(Path::new(dir), RecursiveMode::NonRecursive)?;
    }
    Ok((watcher, rx))
}
