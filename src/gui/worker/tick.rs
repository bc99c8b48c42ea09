//! The worker's tick, once a second: it notices files changed by the CLI, clears the clipboard
//! when its time is up, retries failed Postman syncs, refreshes the accounts the status rule
//! says are due (comparing wall-clock time, so a laptop that slept through an expiry refreshes
//! within a second of waking), and notifies once per account that needs the user.

use std::sync::Arc;
use std::sync::atomic::Ordering;

use crate::gui::message::Event;
use crate::gui::worker::shared::Shared;
use crate::platform::desktop::notify_needs_authorization;

impl Shared {
    pub(super) async fn tick(self: Arc<Self>) {
        let stamps = self.stamps();
        let files_changed = self.with_inner(|i| i.stamps != stamps).unwrap_or(false);
        if self.look_at_agent() || files_changed {
            self.publish();
        }
        let now = self.renova.now();
        self.clear_clipboard_if_due().await;
        let snapshot = self.snapshot();
        // While the keychain fails or waits for its password, automatic work would only pile
        // up prompts: it resumes after Retry or any successful call.
        let keychain_usable = snapshot.keychain.usable();
        // A running agent keeps tokens fresh, retries Postman and tells the user: the window leaves that to it
        // (and were both to try, the account's lock and the re-read make one refresh of it).
        if snapshot.agent_runs() {
            return;
        }
        let postman_due = snapshot
            .accounts()
            .iter()
            .any(|a| snapshot.state.get(&a.id).postman_retry_due(now));
        if postman_due && keychain_usable && !self.postman_retrying.swap(true, Ordering::SeqCst) {
            let s = self.clone();
            tokio::spawn(async move {
                if let Ok(n) = s.renova.retry_postman_syncs().await
                    && n > 0
                {
                    s.publish();
                }
                s.postman_retrying.store(false, Ordering::SeqCst);
            });
        }
        let notify = snapshot
            .config
            .as_ref()
            .is_some_and(|c| c.defaults.notifications);
        let lang = self.with_inner(|i| i.lang).unwrap_or_default();
        for account in snapshot.accounts() {
            let status = snapshot.status(account, now);
            if keychain_usable && status.due && !snapshot.busy.contains_key(&account.id) {
                let s = self.clone();
                let id = account.id;
                tokio::spawn(async move { s.refresh(id, false).await });
            }
            if status.should_notify {
                let (renova, desktop) = (&self.renova, &self.desktop);
                notify_needs_authorization(renova, desktop, (account, notify), now, lang);
            }
        }
    }

    /// The clipboard's time is up: clear it if it still holds what Renova copied.
    async fn clear_clipboard_if_due(&self) {
        let elapsed = self.renova.elapsed();
        let due = self
            .copied
            .lock()
            .ok()
            .and_then(|mut c| c.take_if(|(_, deadline)| elapsed >= *deadline));
        if let Some((hash, _)) = due
            && self.clipboard.clear_if(hash).await
        {
            self.send(Event::ClipboardCleared);
        }
    }
}
