//! Desktop notifications, behind a port so tests can record them. A missing notification
//! service is logged, never fatal.

use std::sync::{Arc, Mutex};

/// Something that can tell the user about an account that needs attention.
pub trait Notifier: Send + Sync {
    /// Shows a notification (may block briefly: call it off the UI thread).
    fn notify(&self, summary: &str, body: &str);
}

/// Notifications through the desktop's notification service (notify-rust).
#[derive(Debug, Default)]
pub struct DesktopNotifier;

impl Notifier for DesktopNotifier {
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
}

/// Records notifications (tests).
#[derive(Debug, Default, Clone)]
pub struct RecordingNotifier {
    /// `(summary, body)` of each notification.
    pub shown: Arc<Mutex<Vec<(String, String)>>>,
}

impl Notifier for RecordingNotifier {
    fn notify(&self, summary: &str, body: &str) {
        if let Ok(mut s) = self.shown.lock() {
            s.push((summary.to_owned(), body.to_owned()));
        }
    }
}
