//! The agent's loop. Each pass reads `accounts.toml` and `state.json`, refreshes what the
//! core's status rule says is due (the same rule, lead times and backoff as the window; a
//! refresh syncs Postman itself, and failed syncs are retried on their own backoff), shows
//! the one notification of a permanent failure, and
//! clears the clipboard of a copy whose time is up. Then it sleeps until the next due moment,
//! a change of those files, a signal or a tray click — at most 60 s, so that a suspend and
//! resume (a jump of the wall clock) is noticed.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use jiff::Timestamp;
use tokio::sync::mpsc;

use crate::core::account::AccountId;
use crate::core::clock::{self, seconds_until};
use crate::core::config::AccountConfig;
use crate::core::error::{Error, Result};
use crate::core::renova::Renova;
use crate::core::token_format::{self, TokenFormat};
use crate::i18n::{Lang, T};
use crate::platform::clipboard::{ClipboardHandle, CopyHash};
use crate::platform::desktop::{Desktop, notify_needs_authorization};

/// The longest the agent sleeps: a wall clock that jumped (suspend, resume) is noticed by then.
pub const MAX_SLEEP: Duration = Duration::from_secs(60);

/// The shortest: nothing is asked again at once.
const MIN_SLEEP: Duration = Duration::from_secs(1);

/// What wakes the agent besides time.
#[derive(Debug)]
pub enum Wake {
    /// `accounts.toml` or `state.json` changed.
    FilesChanged,
    /// The tray asked to copy an account's token.
    Copy(AccountId),
    /// The tray asked to refresh every account now.
    RefreshAll,
    /// The tray asked for the window.
    OpenWindow,
    /// Stop (a signal, or the tray's Quit).
    Quit,
}

/// The running agent.
pub struct Agent {
    renova: Renova,
    desktop: Arc<dyn Desktop>,
    clipboard: ClipboardHandle,
    lang: Lang,
    /// What the agent copied and when (monotonic) to clear it.
    copied: Mutex<Option<(CopyHash, Duration)>>,
    /// Called after each pass with the accounts as they now stand (the tray redraws).
    on_pass: Box<dyn Fn() + Send + Sync>,
}

impl Agent {
    /// An agent over this core, desktop and clipboard.
    pub fn new(
        renova: Renova,
        desktop: Arc<dyn Desktop>,
        clipboard: ClipboardHandle,
        lang: Lang,
    ) -> Self {
        Self {
            renova,
            desktop,
            clipboard,
            lang,
            copied: Mutex::new(None),
            on_pass: Box::new(|| {}),
        }
    }

    /// Calls `f` after every pass (the tray redraws its menu).
    pub fn on_pass(mut self, f: impl Fn() + Send + Sync + 'static) -> Self {
        self.on_pass = Box::new(f);
        self
    }

    /// The core it runs on.
    pub fn renova(&self) -> &Renova {
        &self.renova
    }

    /// Runs until `Wake::Quit`, then clears the clipboard if it still holds the agent's copy.
    pub async fn run(&self, mut wakes: mpsc::UnboundedReceiver<Wake>) {
        let mut endpoint = EndpointSlot::default();
        loop {
            let sleep = self.pass().await;
            endpoint.follow(&self.renova).await;
            (self.on_pass)();
            let wake = tokio::select! {
                () = tokio::time::sleep(sleep) => None,
                wake = wakes.recv() => Some(wake.unwrap_or(Wake::Quit)),
            };
            match wake {
                None | Some(Wake::FilesChanged) => {}
                Some(Wake::Copy(id)) => self.copy(&id).await,
                Some(Wake::RefreshAll) => self.refresh_all().await,
                Some(Wake::OpenWindow) => open_window(),
                Some(Wake::Quit) => break,
            }
        }
        self.clear_clipboard(true).await;
    }

    /// One pass: due refreshes, notifications, the clipboard. Returns how long to sleep.
    async fn pass(&self) -> Duration {
        self.clear_clipboard(false).await;
        let now = self.renova.now();
        let Ok(rows) = self.renova.list(now) else {
            // An unreadable accounts.toml: the window and `doctor` say why; look again later.
            return MAX_SLEEP;
        };
        let notifications = self.renova.config().is_ok_and(|c| c.defaults.notifications);
        for row in &rows {
            if row.status.due
                && let Err(e) = self.renova.refresh_if_due(&row.account).await
            {
                tracing::info!("automatic refresh of `{}` failed: {e}", row.account.name);
            }
        }
        if rows.iter().any(|r| r.state.postman_retry_due(now))
            && let Err(e) = self.renova.retry_postman_syncs().await
        {
            tracing::info!("Postman syncs not retried: {e}");
        }
        // Decide again from the files: the refreshes changed them.
        let now = self.renova.now();
        let rows = self.renova.list(now).unwrap_or_default();
        for row in rows.iter().filter(|r| r.status.should_notify) {
            notify_needs_authorization(
                &self.renova,
                &self.desktop,
                (&row.account, notifications),
                now,
                self.lang,
            );
        }
        let next = rows
            .iter()
            .flat_map(|r| {
                let postman = r.state.postman_error.as_ref().and(r.state.postman_retry_at);
                [r.status.next_due, postman]
            })
            .flatten()
            .min();
        self.sleep_until(next, now)
    }

    /// How long to sleep for the next due moment, the clipboard's clear, and `MAX_SLEEP`.
    fn sleep_until(&self, next: Option<Timestamp>, now: Timestamp) -> Duration {
        let until_due = next.map_or(MAX_SLEEP, |at| {
            Duration::from_secs(seconds_until(now, at).max(0).unsigned_abs())
        });
        let until_clear = self
            .copied
            .lock()
            .ok()
            .and_then(|c| c.map(|(_, at)| at.saturating_sub(self.renova.elapsed())))
            .unwrap_or(MAX_SLEEP);
        until_due.min(until_clear).clamp(MIN_SLEEP, MAX_SLEEP)
    }

    /// The tray's "Refresh all now".
    async fn refresh_all(&self) {
        let Ok(config) = self.renova.config() else {
            return;
        };
        for account in config.visible() {
            if let Err(e) = self.renova.refresh(account).await {
                tracing::info!("refresh of `{}` failed: {e}", account.name);
            }
        }
    }

    /// The tray's "Copy token": the refresh-on-copy rule, the clipboard's sensitivity hint,
    /// and the clear timer. A failure is a notification (there is no window to show it in).
    async fn copy(&self, id: &AccountId) {
        let Some(account) = self.renova.config().ok().and_then(|c| c.by_id(id).cloned()) else {
            return;
        };
        match self.copy_token(&account).await {
            Ok(hash) => {
                let clear_after = self
                    .renova
                    .config()
                    .map_or(Duration::from_secs(60), |c| c.defaults.clipboard_clear.0);
                if let Ok(mut c) = self.copied.lock() {
                    *c = Some((hash, self.renova.elapsed() + clear_after));
                }
            }
            Err(e) => {
                let e = crate::i18n::explain(&e, self.lang, &account.name);
                let desktop = self.desktop.clone();
                let summary = T::TrayCopyFailed.fill(self.lang, &[("name", &account.name)]);
                tokio::task::spawn_blocking(move || desktop.notify(&summary, &e.line()));
            }
        }
    }

    async fn copy_token(&self, account: &AccountConfig) -> Result<CopyHash> {
        let outcome = self.renova.token_to_copy(account).await?;
        let text = token_format::render(TokenFormat::Raw, &outcome)?;
        self.clipboard.set(text).await.map_err(|e| {
            Error::io(
                "copying to the clipboard",
                "clipboard",
                std::io::Error::other(e),
            )
        })
    }

    /// Clears the clipboard if it still holds the agent's copy and its time is up (or `now`).
    async fn clear_clipboard(&self, now: bool) {
        let elapsed = self.renova.elapsed();
        let due = self
            .copied
            .lock()
            .ok()
            .and_then(|mut c| c.take_if(|(_, at)| now || elapsed >= *at));
        if let Some((hash, _)) = due {
            self.clipboard.clear_if(hash).await;
        }
    }
}

/// Starts the window, or brings the running one forward (its single-instance check does).
fn open_window() {
    let started = std::env::current_exe().and_then(|exe| {
        tokio::process::Command::new(exe)
            .stdin(std::process::Stdio::null())
            .spawn()
            .map(drop)
    });
    if let Err(e) = started {
        tracing::warn!("could not start the window: {e}");
    }
}

/// Time left on an account's token, as the tray's menu shows it (`HH:MM:SS`, or `—`).
pub fn time_left(expires_at: Option<Timestamp>, now: Timestamp) -> String {
    match expires_at {
        Some(at) if at > now => clock::countdown(seconds_until(now, at)),
        _ => "—".to_owned(),
    }
}

/// The local token endpoint as `accounts.toml` wants it: started, moved to another port, or
/// stopped after each pass (a change of the file wakes the agent).
#[derive(Default)]
struct EndpointSlot {
    server: Option<super::endpoint::Server>,
    /// The port that could not be listened on (said once, tried again each pass).
    refused: Option<u16>,
}

impl EndpointSlot {
    async fn follow(&mut self, renova: &Renova) {
        let wanted = renova
            .config()
            .ok()
            .map(|c| c.endpoint)
            .filter(|e| e.enabled)
            .map(|e| e.port());
        if self.server.as_ref().map(|s| s.port) == wanted {
            return;
        }
        self.server = None;
        let Some(port) = wanted else {
            self.refused = None;
            return;
        };
        match super::endpoint::start(renova.clone(), port).await {
            Ok(server) => {
                tracing::info!("serving tokens on http://127.0.0.1:{port}");
                self.server = Some(server);
                self.refused = None;
            }
            Err(e) if self.refused != Some(port) => {
                tracing::error!("the token endpoint cannot listen on 127.0.0.1:{port}: {e}");
                self.refused = Some(port);
            }
            Err(_) => {}
        }
    }
}
