//! The worker's tick, once a second: it notices files changed by the CLI, clears the clipboard
//! when its time is up, and — while no background agent runs — schedules the core's automatic
//! pass (refreshes, Postman retries, the notify-once claim): when the pass said something would
//! be due, when the files changed, or when the wall clock jumped past that moment (a laptop that
//! slept through an expiry refreshes within a second of waking). It shows the notifications the
//! pass hands back.

use std::sync::Arc;

use crate::core::autopass::PassReport;
use crate::gui::message::Event;
use crate::gui::worker::shared::{NextPass, Shared};
use crate::platform::desktop::notify_attention;

/// One tick.
pub(super) async fn tick(shared: &Arc<Shared>) {
    let stamps = shared.renova.profile().file_stamps();
    let files_changed = shared.with_inner(|i| i.stamps != stamps).unwrap_or(false);
    if shared.look_at_agent() || files_changed {
        shared.publish();
    }
    if shared.copy.clear_if_due().await {
        shared.send(Event::ClipboardCleared);
    }
    // A running agent keeps tokens fresh, retries Postman and tells the user: the window
    // leaves that to it (and were both to try, the account's lock and the re-read make one
    // refresh of it).
    if shared.snapshot().agent_runs() {
        return;
    }
    let now = shared.renova.now();
    let due = files_changed
        || shared
            .with_inner(|i| match i.next_pass {
                NextPass::Now => true,
                NextPass::At(at) => at <= now,
                NextPass::Never => false,
            })
            .unwrap_or(true);
    if due {
        let s = shared.clone();
        tokio::spawn(async move {
            if let Some(report) = s.pass.run(s.clone()).await {
                after_pass(&s, &report);
            }
        });
    }
}

/// Remembers when the pass is next due, shows its notifications, and publishes what it
/// changed.
fn after_pass(shared: &Shared, report: &PassReport) {
    shared.with_inner(|i| {
        i.next_pass = report.next_due.map_or(NextPass::Never, NextPass::At);
    });
    let lang = shared.with_inner(|i| i.lang).unwrap_or_default();
    for row in &report.to_notify {
        notify_attention(&shared.desktop, row, shared.renova.now(), lang);
    }
    if report.postman_synced > 0 {
        shared.publish();
    }
}
