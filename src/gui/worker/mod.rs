//! The window's worker: a tokio runtime on a named side thread. The UI sends
//! [`Command`](crate::gui::message::Command)s and never waits; the worker does the keychain and
//! network work through the core, then sends [`Event`]s back and wakes the UI. It also ticks
//! once a second ([`tick`]).
//!
//! - [`shared`]: what the worker's tasks share, and how a new snapshot is published;
//! - [`dispatch`]: one command, one operation;
//! - [`accounts`], [`authorize`], [`settings`], [`endpoint`]: the operations, each a function
//!   of the shared state;
//! - [`tick`]: file changes, the clipboard's clear time, and scheduling the core's automatic
//!   pass (when no agent runs).

mod accounts;
mod authorize;
mod dispatch;
mod endpoint;
mod settings;
mod shared;
mod tick;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::mpsc;

use crate::agent::control::AgentControl;
use crate::core::renova::Renova;
use crate::gui::message::{Command, Event};
use crate::gui::snapshot::KeychainHealth;
use crate::i18n::Lang;
use crate::platform::clipboard::ClipboardHandle;
use crate::platform::copy::TimedCopy;
use crate::platform::desktop::Desktop;
use shared::Shared;

/// Wakes the UI (in app: `ctx.request_repaint()`).
pub(crate) type Waker = Arc<dyn Fn() + Send + Sync>;

/// The UI's handle to the worker.
pub struct Worker {
    commands: mpsc::UnboundedSender<Command>,
    events: std::sync::mpsc::Receiver<Event>,
    /// The copy of a token, shared with the worker: the UI thread clears it at exit.
    copy: TimedCopy,
    _thread: Option<std::thread::JoinHandle<()>>,
}

impl Worker {
    /// Starts the worker thread.
    pub fn start(
        renova: Renova,
        clipboard: ClipboardHandle,
        desktop: Arc<dyn Desktop>,
        agent: Option<Arc<dyn AgentControl>>,
        lang: Lang,
        waker: Waker,
    ) -> Self {
        let (cmd_tx, cmd_rx) = mpsc::unbounded_channel();
        let (ev_tx, ev_rx) = std::sync::mpsc::channel();
        // The keychain says when it may be waiting for a password; the banner shows it.
        let waiting: Arc<Mutex<Option<Arc<Shared>>>> = Arc::new(Mutex::new(None));
        let notice = waiting.clone();
        let renova = renova.on_keychain_wait(move || {
            if let Ok(guard) = notice.lock()
                && let Some(shared) = guard.as_ref()
            {
                shared.pass.keychain_waiting();
                shared.set_keychain(KeychainHealth::Waiting);
                shared.publish();
            }
        });
        let copy = TimedCopy::new(renova.clone(), clipboard);
        let shared = Arc::new(Shared::new(
            renova,
            (ev_tx, waker),
            copy.clone(),
            (desktop, agent),
            lang,
        ));
        if let Ok(mut w) = waiting.lock() {
            *w = Some(shared.clone());
        }
        let thread = std::thread::Builder::new()
            .name("renova-worker".to_owned())
            .spawn(move || {
                let runtime = match tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                {
                    Ok(rt) => rt,
                    Err(e) => {
                        tracing::error!("cannot start the worker runtime: {e}");
                        return;
                    }
                };
                runtime.block_on(run(shared, cmd_rx));
                runtime.shutdown_background();
            });
        let thread = thread
            .inspect_err(|e| tracing::error!("cannot start the worker thread: {e}"))
            .ok();
        Self {
            commands: cmd_tx,
            events: ev_rx,
            copy,
            _thread: thread,
        }
    }

    /// Sends a command (never blocks).
    pub fn send(&self, command: Command) {
        if self.commands.send(command).is_err() {
            tracing::error!("the worker has stopped");
        }
    }

    /// The next event, if one is waiting.
    pub fn try_recv(&self) -> Option<Event> {
        self.events.try_recv().ok()
    }

    /// At exit: clears the clipboard if it still holds what Renova copied (waits ≤ 1 s). A
    /// second call (the app dropped after `on_exit`) does nothing.
    pub fn clear_clipboard_at_exit(&self) {
        self.copy.clear_now_blocking(Duration::from_secs(1));
    }
}

/// The worker's loop: start-up, then commands as they come and a tick every second.
async fn run(shared: Arc<Shared>, mut commands: mpsc::UnboundedReceiver<Command>) {
    shared.renova.accounts().finish_pending_removals().await;
    shared.publish();
    shared::startup_keychain_check(&shared).await;
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    loop {
        tokio::select! {
            command = commands.recv() => {
                let Some(command) = command else { break };
                let s = shared.clone();
                tokio::spawn(async move { dispatch::handle(s, command).await });
            }
            _ = tick.tick() => tick::tick(&shared).await,
        }
    }
}
