//! `renova agent [--status | --install | --uninstall]`: the background agent in the foreground
//! of this process until SIGTERM, SIGINT or SIGHUP; whether one runs; start at login on or off.

use std::sync::Arc;

use tokio::sync::mpsc;

use crate::agent::instance::Presence;
use crate::agent::instance::{self, Claim};
use crate::agent::{Agent, Wake, autostart, watch};
use crate::cli::{AgentArgs, Out};
use crate::core::renova::Renova;
use crate::i18n::T;
use crate::platform::clipboard::{ClipboardHandle, SystemClipboard};
use crate::platform::desktop::SystemDesktop;
use crate::platform::signals::Signals;

/// A pid as a person reads it (`?` when the agent did not write one).
fn pid(pid: Option<u32>) -> String {
    pid.map_or_else(|| "?".to_owned(), |p| p.to_string())
}

/// Runs the command; returns the exit code.
pub(super) async fn run(renova: Renova, args: &AgentArgs, out: &Out) -> u8 {
    let lang = out.lang;
    if args.status {
        return status(&renova, out);
    }
    if args.install || args.uninstall {
        return login_item(args, out);
    }
    let _one_agent =
        match instance::claim(renova.profile().paths(), std::time::Duration::from_secs(1)) {
            Ok(Claim::First(guard)) => guard,
            Ok(Claim::Running(p)) => {
                out.warn(&T::AgentAlreadyRunning.fill(lang, &[("pid", &pid(p))]));
                return 0;
            }
            Err(e) => return out.fail(&e, ""),
        };
    let (wake, wakes) = mpsc::unbounded_channel();
    let _watcher = watch_files(&renova, &wake, out);
    if let Some(mut signals) = Signals::watch() {
        let wake = wake.clone();
        tokio::spawn(async move {
            signals.next().await;
            // The agent may be ending already.
            let _ignored = wake.send(Wake::Quit);
        });
    }
    let count = renova.config().map_or(0, |c| c.visible().count());
    out.note(&T::AgentStarted.fill(lang, &[("count", &count.to_string())]));
    let agent = Agent::new(
        renova.clone(),
        Arc::new(SystemDesktop::default()),
        ClipboardHandle::spawn(Box::new(SystemClipboard::default())),
        lang,
    );
    let agent = with_tray(agent, &renova, &wake, out).await;
    agent.run(wakes).await;
    0
}

/// `--status`: 0 while an agent runs, 1 when none does.
fn status(renova: &Renova, out: &Out) -> u8 {
    let lang = out.lang;
    match instance::running(renova.profile().paths()) {
        Ok(Presence::Running(p)) => {
            out.note(&T::AgentRunning.fill(lang, &[("pid", &pid(p))]));
            0
        }
        Ok(Presence::Absent) => {
            out.note(T::AgentNotRunning.tr(lang));
            1
        }
        Err(e) => out.fail(&e, ""),
    }
}

/// `--install` / `--uninstall`: start at login, on or off.
fn login_item(args: &AgentArgs, out: &Out) -> u8 {
    let lang = out.lang;
    let done = if args.install {
        autostart::install()
    } else {
        autostart::uninstall()
    };
    match done {
        Ok(path) if args.install => {
            let path = path.display().to_string();
            out.note(&T::AgentInstalled.fill(lang, &[("path", &path)]));
            0
        }
        Ok(_) => {
            out.note(T::AgentUninstalled.tr(lang));
            0
        }
        Err(e) => out.fail(&e, ""),
    }
}

/// Wakes the agent when `accounts.toml` or `state.json` change; keep the watcher alive.
fn watch_files(
    renova: &Renova,
    wake: &mpsc::UnboundedSender<Wake>,
    out: &Out,
) -> Option<notify::RecommendedWatcher> {
    match watch::watch(renova.profile().paths()) {
        Ok((watcher, mut changes)) => {
            let wake = wake.clone();
            tokio::spawn(async move {
                while changes.recv().await.is_some() {
                    if wake.send(Wake::FilesChanged).is_err() {
                        break;
                    }
                }
            });
            Some(watcher)
        }
        Err(e) => {
            let why = e.to_string();
            out.note(&T::AgentNoWatch.fill(out.lang, &[("why", &why)]));
            None
        }
    }
}

/// The tray icon where a StatusNotifier host can show it (Linux): it redraws after every
/// pass of the agent.
async fn with_tray(
    agent: Agent,
    renova: &Renova,
    wake: &mpsc::UnboundedSender<Wake>,
    out: &Out,
) -> Agent {
    let lang = out.lang;
    #[cfg(target_os = "linux")]
    {
        let told = *out;
        let no_tray = move || told.note(T::AgentNoTray.tr(lang));
        match crate::agent::tray::spawn(renova.clone(), lang, wake.clone(), no_tray).await {
            Ok(tray) => {
                let changed = Arc::new(tokio::sync::Notify::new());
                let notify = changed.clone();
                tokio::spawn(async move {
                    loop {
                        changed.notified().await;
                        tray.refresh().await;
                    }
                });
                return agent.on_pass(move || notify.notify_one());
            }
            Err(e) => tracing::debug!("no tray: {e}"),
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = (renova, wake);
    out.note(T::AgentNoTray.tr(lang));
    agent
}
