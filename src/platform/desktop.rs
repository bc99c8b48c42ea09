//! The desktop around the window, behind a port so tests can record what happened:
//! notifications (a missing notification service is logged, never fatal) and opening a URL in
//! the browser (for authorization).

use std::sync::{Arc, Mutex};

/// What the window asks of the desktop.
pub trait Desktop: Send + Sync {
    /// Shows a notification (may block briefly: call it off the UI thread).
    fn notify(&self, summary: &str, body: &str);
    /// Shows a notification that takes the place of the last one shown with the same `tag`
    /// (a confirmation repeated is not stacked). By default, a new one.
    fn notify_replacing(&self, tag: &'static str, summary: &str, body: &str) {
        let _ = tag;
        self.notify(summary, body);
    }
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
    use crate::core::status::{Action, Cause};
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
    // Sentences that quote the provider or a setting stay in the window: a notification
    // carries only Renova's own words.
    let mut body = match said.cause {
        Cause::BadRedirect | Cause::EndpointChanged | Cause::Other => {
            T::NotifySeeWindow.tr(lang).to_owned()
        }
        _ => said.sentence,
    };
    if let Some(action) = said.action {
        body.push(' ');
        body.push_str(&T::NotifyOpenAndClick.fill(lang, &[("action", action_label(action, lang))]));
    }
    let desktop = desktop.clone();
    tokio::task::spawn_blocking(move || desktop.notify(&summary, &body));
}

/// The real desktop: notify-rust and the `webbrowser` crate (which honours `$BROWSER`).
#[derive(Debug, Default)]
pub(crate) struct SystemDesktop {
    /// The notification server's id of the last notification shown with each tag.
    shown: Mutex<std::collections::HashMap<&'static str, u32>>,
}

impl SystemDesktop {
    /// The notification, shown in place of the one with `replaces` (its id) if there is one;
    /// the id it got.
    fn show(&self, summary: &str, body: &str, replaces: Option<u32>) -> Option<u32> {
        // A server that advertises body markup reads `<a href=…>` as a link: plain text only.
        let markup = notify_capabilities().iter().any(|c| c == "body-markup");
        let body = if markup {
            markup_escaped(body)
        } else {
            body.to_owned()
        };
        let mut notification = notify_rust::Notification::new();
        notification
            .appname("Renova")
            .summary(summary)
            .body(&body)
            .icon("renova");
        if let Some(id) = replaces {
            notification.id(id);
        }
        match notification.show() {
            Ok(handle) => Some(handle.id()),
            Err(e) => {
                tracing::warn!("could not show a desktop notification: {e}");
                None
            }
        }
    }
}

impl Desktop for SystemDesktop {
    fn notify(&self, summary: &str, body: &str) {
        self.show(summary, body, None);
    }

    fn notify_replacing(&self, tag: &'static str, summary: &str, body: &str) {
        let replaces = self.shown.lock().ok().and_then(|s| s.get(tag).copied());
        if let Some(id) = self.show(summary, body, replaces)
            && let Ok(mut shown) = self.shown.lock()
        {
            shown.insert(tag, id);
        }
    }

    fn open_url(&self, url: &str) -> Result<(), String> {
        webbrowser::open(url).map_err(|e| e.to_string())
    }
}

/// What the notification server says it can do (none known: nothing).
fn notify_capabilities() -> Vec<String> {
    #[cfg(all(unix, not(target_os = "macos")))]
    {
        notify_rust::get_capabilities().unwrap_or_default()
    }
    #[cfg(not(all(unix, not(target_os = "macos"))))]
    {
        Vec::new()
    }
}

/// `text` as the notification specification's body markup shows it literally: `&`, `<` and
/// `>` as entities.
pub(crate) fn markup_escaped(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
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

#[cfg(test)]
mod tests {
    #[test]
    fn markup_is_escaped() {
        assert_eq!(
            super::markup_escaped(r#"<a href="https://evil.example/">x</a> & <b>"#),
            r#"&lt;a href="https://evil.example/"&gt;x&lt;/a&gt; &amp; &lt;b&gt;"#
        );
    }
}
