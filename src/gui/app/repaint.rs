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
        // Something counts down (`ticking`), and whether in seconds: a countdown under two
        // days, or a retry (a static token's weeks read to the minute).
        let (mut ticking, mut seconds_shown) = (self.ui.toast.is_some(), false);
        for a in self.snapshot.accounts() {
            let mirror = self.snapshot.state.get(&a.id);
            let retrying = mirror.retry_at.is_some_and(|t| t > now);
            ticking |= mirror.expires_at.is_some() || retrying;
            seconds_shown |= retrying
                || mirror
                    .expires_at
                    .is_some_and(|e| clock::seconds_until(now, e) < clock::DAYS_AWAY);
        }
        if ticking {
            // Wake just after the next whole second (or minute), when the countdown changes.
            let into_second = u64::try_from(now.subsec_nanosecond())
                .unwrap_or(0)
                .min(999_999_999);
            let mut wait = 1_000_000_000 - into_second + 5_000_000;
            // A toast counts its seconds down even without the focus.
            if (!focused(ctx) || !seconds_shown) && self.ui.toast.is_none() {
                let into_minute = now.as_second().rem_euclid(60).unsigned_abs();
                wait += (59 - into_minute) * 1_000_000_000;
            }
            ctx.request_repaint_after(Duration::from_nanos(wait));
        }
    }
}
