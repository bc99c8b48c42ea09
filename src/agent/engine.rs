//! The agent's loop. Each turn runs the core's automatic pass (the one the window runs when
//! no agent does: due refreshes, Postman retries, the notify-once claim), shows the
//! notifications it hands back, and clears the clipboard of a copy whose time is up. Then it
//! sleeps until the next due moment, a change of the files, a signal or a tray click — at
//! most 60 s, so that a suspend and resume (a jump of the wall clock) is noticed.

use std::sync::Arc;
use std::time::Duration;

use jiff::Timestamp;
use tokio::sync::mpsc;

use crate::core::account::AccountId;
use crate::core::autopass::{AutoPass, Unobserved};
use crate::core::clock::{self, seconds_until};
use crate::core::renova::Renova;
use crate::core::throttle::{COPY_EVERY, REFRESH_ALL_EVERY, Throttle};
use crate::core::token_format::TokenFormat;
use crate::i18n::attention::copied_fallback;
use crate::i18n::{Lang, Surface, T, explain_for};
use crate::platform::clipboard::ClipboardHandle;
use crate::platform::copy::TimedCopy;
use crate::platform::desktop::{Desktop, notify_attention};

/// The longest the agent sleeps: a wall clock that jumped (suspend, resume) is noticed by then.
pub(crate) const MAX_SLEEP: Duration = Duration::from_secs(60);

/// The shortest: nothing is asked again at once.
const MIN_SLEEP: Duration = Duration::from_secs(1);

/// What wakes the agent besides time.
#[derive(Debug)]
pub(crate) enum Wake {
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

/// What wake-ups asked for while work ran.
#[derive(Debug, Default)]
struct Asked {
    /// The tray's Refresh all, to run after the pass.
    refresh_all: bool,
    /// Stop.
    quit: bool,
}

/// The running agent.
pub(crate) struct Agent {
    renova: Renova,
    /// The core's automatic pass: what is due, with the window's guards.
    pass: AutoPass,
    /// The tray's copies, cleared on time and at exit.
    copy: TimedCopy,
    desktop: Arc<dyn Desktop>,
    lang: Lang,
    /// Called after each pass with the accounts as they now stand (the tray redraws).
    on_pass: Box<dyn Fn() + Send + Sync>,
    /// The tray's menu can be called by any process of the user's: "Refresh all now" runs at
    /// most once per 30 s and "Copy token" once per second, whoever clicks.
    limits: std::sync::Mutex<TrayLimits>,
}

/// The spacing of the tray's actions.
struct TrayLimits {
    refresh_all: Throttle,
    copy: Throttle,
}

impl Agent {
    /// An agent over this core, desktop and clipboard.
    pub(crate) fn new(
        renova: Renova,
        desktop: Arc<dyn Desktop>,
        clipboard: ClipboardHandle,
        lang: Lang,
    ) -> Self {
        Self {
            pass: AutoPass::new(renova.clone()),
            copy: TimedCopy::new(renova.clone(), clipboard),
            renova,
            desktop,
            lang,
            on_pass: Box::new(|| {}),
            limits: std::sync::Mutex::new(TrayLimits {
                refresh_all: Throttle::new(REFRESH_ALL_EVERY),
                copy: Throttle::new(COPY_EVERY),
            }),
        }
    }

    /// Calls `f` after every pass (the tray redraws its menu).
    pub(crate) fn on_pass(mut self, f: impl Fn() + Send + Sync + 'static) -> Self {
        self.on_pass = Box::new(f);
        self
    }

    /// Runs until `Wake::Quit`, then clears the clipboard if it still holds the agent's copy.
    /// The endpoint is served before each pass, and a pass (or the tray's Refresh all) runs
    /// while wake-ups are still answered: a Quit in the middle of thousands of due accounts
    /// stops it within a second ([`crate::core::renova::Profile::stop_work`]).
    pub(crate) async fn run(&self, mut wakes: mpsc::UnboundedReceiver<Wake>) {
        let mut endpoint = EndpointSlot::default();
        let mut asked = Asked::default();
        loop {
            endpoint.follow(&self.renova).await;
            let sleep = self.answering(self.pass(), &mut wakes, &mut asked).await;
            endpoint.follow(&self.renova).await;
            (self.on_pass)();
            if asked.quit {
                break;
            }
            if std::mem::take(&mut asked.refresh_all) {
                self.answering(self.refresh_all(), &mut wakes, &mut asked)
                    .await;
                continue;
            }
            let wake = tokio::select! {
                () = tokio::time::sleep(sleep) => continue,
                wake = wakes.recv() => wake.unwrap_or(Wake::Quit),
            };
            self.answer(wake, &mut asked).await;
            if asked.quit {
                break;
            }
        }
        self.copy.clear_now().await;
    }

    /// Runs `work` to its end while answering wake-ups: a copy or the window at once, a
    /// Refresh all after it, a Quit by stopping the work (it then ends within a second).
    async fn answering<F: std::future::Future>(
        &self,
        work: F,
        wakes: &mut mpsc::UnboundedReceiver<Wake>,
        asked: &mut Asked,
    ) -> F::Output {
        tokio::pin!(work);
        loop {
            tokio::select! {
                out = &mut work => return out,
                wake = wakes.recv(), if !asked.quit => {
                    self.answer(wake.unwrap_or(Wake::Quit), asked).await;
                }
            }
        }
    }

    /// Answers one wake-up.
    async fn answer(&self, wake: Wake, asked: &mut Asked) {
        match wake {
            Wake::FilesChanged => {}
            Wake::Copy(id) if self.allowed(|l| &mut l.copy) => self.copy(&id).await,
            Wake::RefreshAll if self.allowed(|l| &mut l.refresh_all) => asked.refresh_all = true,
            Wake::Copy(_) | Wake::RefreshAll => {
                tracing::info!("a tray action asked for again too soon was let go: {wake:?}");
            }
            Wake::OpenWindow => open_window(),
            Wake::Quit => {
                asked.quit = true;
                self.renova.profile().stop_work();
            }
        }
    }

    /// Whether the tray action `which` may run now (and, if so, its period starts again).
    fn allowed(&self, which: impl FnOnce(&mut TrayLimits) -> &mut Throttle) -> bool {
        let now = self.renova.elapsed();
        self.limits
            .lock()
            .map_or(true, |mut limits| which(&mut limits).allow(now))
    }

    /// One pass of the core's (due refreshes, Postman retries, the notify-once claim), the
    /// notifications it hands back, and the clipboard. Returns how long to sleep.
    async fn pass(&self) -> Duration {
        self.copy.clear_if_due().await;
        let report = self
            .pass
            .run(Arc::new(Unobserved))
            .await
            .unwrap_or_default();
        let now = self.renova.now();
        for row in &report.to_notify {
            notify_attention(&self.desktop, row, now, self.lang);
        }
        let until_due = report.next_due.map_or(MAX_SLEEP, |at| {
            Duration::from_secs(seconds_until(now, at).max(0).unsigned_abs())
        });
        let until_clear = self.copy.until_clear().unwrap_or(MAX_SLEEP);
        until_due.min(until_clear).clamp(MIN_SLEEP, MAX_SLEEP)
    }

    /// The tray's "Refresh all now".
    async fn refresh_all(&self) {
        let Ok(rows) = self.renova.list(self.renova.now()) else {
            return;
        };
        // A static token is replaced by hand, never refreshed.
        for row in rows.iter().filter(|r| r.status.refreshable) {
            let account = &row.account;
            if self.renova.profile().stopping() {
                break;
            }
            let result = self.renova.refresh(account).await;
            self.pass.note(&result);
            if let Err(e) = result {
                tracing::info!("refresh of `{}` failed: {e}", account.name);
            }
        }
    }

    /// The tray's "Copy token": the core's timed copy, confirmed by a notification naming the
    /// account (each one replacing the last). A failure is a notification too, worded for
    /// people who use the window (there is no window to show it in).
    async fn copy(&self, id: &AccountId) {
        let Some(account) = self.renova.config().ok().and_then(|c| c.by_id(id).cloned()) else {
            return;
        };
        let result = self.copy.token(&account, TokenFormat::Raw).await;
        self.pass.note(&result);
        let desktop = self.desktop.clone();
        let lang = self.lang;
        match result {
            Ok(copied) => {
                let now = self.renova.now();
                let seconds = seconds_until(now, copied.clear_at).max(0);
                let summary = T::TrayCopied.fill(
                    lang,
                    &[("name", &account.name), ("seconds", &seconds.to_string())],
                );
                let body = copied
                    .fallback_until
                    .map(|until| copied_fallback(until, now, lang))
                    .unwrap_or_default();
                tokio::task::spawn_blocking(move || {
                    desktop.notify_replacing("tray-copy", &summary, &body);
                });
            }
            Err(e) => {
                let e = explain_for(Surface::Window, &e, lang, &account.name);
                let summary = T::TrayCopyFailed.fill(lang, &[("name", &account.name)]);
                tokio::task::spawn_blocking(move || {
                    desktop.notify_replacing("tray-copy", &summary, &e.line());
                });
            }
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
pub(crate) fn time_left(expires_at: Option<Timestamp>, now: Timestamp) -> String {
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
        if let Some(server) = self.server.as_ref().filter(|s| Some(s.port) == wanted) {
            server.warm().await;
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
