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

/// The one notification of an incident (the automatic pass claimed it in `state.json`, so one
/// process shows it): the account's cause in a sentence and the button that fixes it, in
/// `lang`, shown off the calling thread.
pub(crate) fn notify_attention(
    desktop: &Arc<dyn Desktop>,
    row: &crate::core::renova::AccountSummary,
    now: jiff::Timestamp,
    lang: crate::i18n::Lang,
) {
    use crate::core::status::Action;
    use crate::i18n::attention::{action_label, trouble};
    use crate::i18n::{Surface, T};
    let name = row.account.name.as_str();
    let Some(said) = trouble(
        &row.account,
        &row.state,
        &row.status,
        now,
        lang,
        Surface::Window,
    ) else {
        return;
    };
    let title = match said.action {
        Some(Action::Authorize | Action::Connect) => T::NotifyNeedsAuthTitle,
        _ => T::NotifyAttentionTitle,
    };
    let summary = title.fill(lang, &[("name", name)]);
    let mut body = said.sentence;
    if let Some(action) = said.action {
        body.push(' ');
        body.push_str(&T::NotifyOpenAndClick.fill(lang, &[("action", action_label(action, lang))]));
    }
    let desktop = desktop.clone();
    tokio::task::spawn_blocking(move || desktop.notify(&summary, &body));
}

/// The real desktop: notify-rust and the `webbrowser` crate (which honours `$BROWSER`).
#[derive(Debug, Default)]
pub(crate) struct SystemDesktop;

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
