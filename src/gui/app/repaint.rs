//! When the window draws again: at the precision it shows, and only while something on
//! screen changes with time.

use std::time::Duration;

use jiff::Timestamp;

use crate::core::clock;
use crate::gui::app::{RenovaApp, focused};

impl RenovaApp {
    /// Repaints at the precision shown, and only while something on screen changes with
    /// time: each second while the window has the focus, each minute while it has not, never
    /// while it is minimized or hidden.
    pub(super) fn schedule_repaint(&self, ctx: &egui::Context, now: Timestamp) {
        let hidden = ctx
            .input(|i| i.viewport().minimized == Some(true) || i.viewport().occluded == Some(true));
        if hidden {
            return;
        }
        let ticking = self.ui.toast.is_some()
            || self.snapshot.accounts().iter().any(|a| {
                let mirror = self.snapshot.state.get(&a.id);
                mirror.expires_at.is_some() || mirror.retry_at.is_some_and(|t| t > now)
            });
        if ticking {
            // Wake just after the next whole second (or minute), when the countdown changes.
            let into_second = u64::try_from(now.subsec_nanosecond())
                .unwrap_or(0)
                .min(999_999_999);
            let mut wait = 1_000_000_000 - into_second + 5_000_000;
            // Seconds show only for a countdown under two days (a static token's weeks read
            // to the minute); a toast counts its seconds down even without the focus.
            let seconds_shown = self.snapshot.accounts().iter().any(|a| {
                let mirror = self.snapshot.state.get(&a.id);
                mirror
                    .expires_at
                    .is_some_and(|e| clock::seconds_until(now, e) < clock::DAYS_AWAY)
                    || mirror.retry_at.is_some_and(|t| t > now)
            });
            if (!focused(ctx) || !seconds_shown) && self.ui.toast.is_none() {
                let into_minute = now.as_second().rem_euclid(60).unsigned_abs();
                wait += (59 - into_minute) * 1_000_000_000;
            }
            ctx.request_repaint_after(Duration::from_nanos(wait));
        }
    }
}
