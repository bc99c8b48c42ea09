//! The desktop around the window, behind a port so tests can record what happened:
//! notifications (a missing notification service is logged, never fatal) and opening a URL in
//! the browser (for authorization).

use std::sync::{Arc, Mutex};

/// What the window asks of the desktop.
pub trait Desktop: Send + Sync {
    /// Shows a notification (may block briefly: call it off the UI thread).
    fn notify(&self, summary: &str, body: &str);
    /// Opens a URL in the user's browser (may block briefly: call it off the UI thread).
    fn open_url(&self, url: &str) -> Result<(), String>;
}

/// The one notification of an incident ("NAME needs you", in `lang`), shown off the calling
/// thread, if this process wins the incident's claim in `state.json` (the window and the agent
/// both ask; one shows it) and notifications are `enabled`.
pub fn notify_needs_authorization(
    renova: &crate::core::renova::Renova,
    desktop: &Arc<dyn Desktop>,
    (account, enabled): (&crate::core::config::AccountConfig, bool),
    now: jiff::Timestamp,
    lang: crate::i18n::Lang,
) {
    use crate::i18n::T;
    if !renova.claim_notification(account, now).unwrap_or(false) || !enabled {
        return;
    }
    let summary = T::NotifyNeedsAuthTitle.fill(lang, &[("name", &account.name)]);
    let body = T::NotifyNeedsAuthBody.fill(lang, &[("name", &account.name)]);
    let desktop = desktop.clone();
    tokio::task::spawn_blocking(move || desktop.notify(&summary, &body));
}

/// The real desktop: notify-rust and the `webbrowser` crate (which honours `$BROWSER`).
#[derive(Debug, Default)]
pub struct SystemDesktop;

impl Desktop for SystemDesktop {
    fn notify(&self, summary: &str, body: &str) {
        let shown = notify_rust::Notification::new()
            .appname("Renova")
            .summary(summary)
            .body(body)
            .icon("renova")
            .show();
        if let Err(e) = shown {
            tracing::warn!("could not show a desktop notification: {e}");
        }
    }

    fn open_url(&self, url: &str) -> Result<(), String> {
        webbrowser::open(url).map_err(|e| e.to_string())
    }
}

/// Records notifications and opened URLs (tests).
#[derive(Debug, Default, Clone)]
pub struct RecordingDesktop {
    /// `(summary, body)` of each notification.
    pub shown: Arc<Mutex<Vec<(String, String)>>>,
    /// Each URL opened.
    pub opened: Arc<Mutex<Vec<String>>>,
}

impl Desktop for RecordingDesktop {
    fn notify(&self, summary: &str, body: &str) {
        if let Ok(mut s) = self.shown.lock() {
            s.push((summary.to_owned(), body.to_owned()));
        }
    }

    fn open_url(&self, url: &str) -> Result<(), String> {
        if let Ok(mut o) = self.opened.lock() {
            o.push(url.to_owned());
        }
        Ok(())
    }
}
