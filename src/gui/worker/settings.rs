//! The operations behind Settings and the banners: the keychain's Retry, the shared defaults,
//! "Forget everything", the Postman API key, the demo, opening a URL.

use std::sync::Arc;

use secrecy::SecretString;
use zeroize::Zeroizing;

use crate::core::config::Defaults;
use crate::core::error::Error;
use crate::core::postman::PostmanErrorKind;
use crate::gui::message::Event;
use crate::gui::worker::shared::Shared;

impl Shared {
    /// The banner's Retry: prove the keychain usable again.
    pub(super) async fn retry_keychain(&self) {
        let r = self.renova.probe_keychain().await.map_err(Error::from);
        self.observe(&r);
        self.publish();
    }

    /// Saves the `[defaults]` of `accounts.toml`.
    pub(super) fn save_defaults(&self, defaults: &Defaults) {
        if let Err(e) = self.renova.save_defaults(defaults) {
            self.send(Event::SaveFailed(Arc::new(e)));
        }
        self.publish();
    }

    /// Removes every account.
    pub(super) async fn forget_everything(&self) {
        let r = self.renova.forget_everything().await;
        self.observe(&r);
        if let Err(e) = r {
            self.send(Event::SaveFailed(Arc::new(e)));
        }
        self.publish();
    }

    /// Checks a Postman API key with Postman, and stores it unless Postman refuses it.
    pub(super) async fn set_postman_key(&self, key: Zeroizing<String>) {
        let key = SecretString::from(key.as_str().trim().to_owned());
        let checked = self.renova.postman_whoami(&key).await;
        let result = match checked {
            Err(e) if e.kind == PostmanErrorKind::InvalidKey => Err(Arc::new(e.into())),
            other => match self.renova.set_postman_key(&key).await {
                Ok(()) => other.map_err(|e| Arc::new(e.into())),
                Err(e) => Err(Arc::new(e)),
            },
        };
        self.send(Event::PostmanKey(result));
        self.query_postman_key().await;
        // Accounts waiting for a key can be synced now.
        if let Err(e) = self.renova.retry_postman_syncs().await {
            tracing::debug!("no Postman retry now: {e}");
        }
        self.publish();
    }

    /// Says whether a Postman API key is stored.
    pub(super) async fn query_postman_key(&self) {
        let stored = self.renova.postman_key().await.ok().map(|k| k.is_some());
        self.send(Event::PostmanKeyStored(stored));
    }

    /// Deletes the stored Postman API key.
    pub(super) async fn remove_postman_key(&self) {
        if let Err(e) = self.renova.remove_postman_key().await {
            tracing::warn!("could not remove the Postman API key: {e}");
        }
        self.query_postman_key().await;
    }

    /// The Settings switch: start at login and the agent itself, on or off.
    pub(super) async fn set_background(&self, on: bool) {
        let Some(agent) = self.agent.clone() else {
            return;
        };
        if let Err(e) = agent.set(on) {
            self.send(Event::SaveFailed(Arc::new(e)));
        }
        // The agent takes a moment to start (or stop): look until it has.
        for _ in 0..20 {
            if agent.status().running == on {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        self.look_at_agent();
        self.publish();
    }

    /// Starts `renova --demo` as a process of its own.
    pub(super) fn start_demo(&self) {
        // tokio reaps the child when it exits, so no zombie is left behind.
        let spawned = std::env::current_exe().and_then(|exe| {
            tokio::process::Command::new(exe)
                .arg("--demo")
                .spawn()
                .map(drop)
        });
        if let Err(e) = spawned {
            tracing::warn!("could not start the demo: {e}");
        }
    }

    /// Waits for SIGTERM, SIGINT or SIGHUP (Ctrl+C elsewhere), then asks the window to close
    /// the normal way. A window that draws no frames (hidden on Wayland, stuck) never gets to
    /// close itself: 5 s later, or at a second signal, the worker clears the clipboard of what
    /// Renova copied and ends the process.
    pub(super) async fn quit_on_signals(&self) {
        let Some(mut signals) = crate::platform::signals::Signals::watch() else {
            return;
        };
        signals.next().await;
        self.send(Event::Quit);
        tokio::select! {
            () = tokio::time::sleep(std::time::Duration::from_secs(5)) => {}
            () = signals.next() => {}
        }
        tracing::warn!(
            "the window did not close after a signal: clearing the clipboard and exiting"
        );
        let copied = self.copied.lock().ok().and_then(|mut c| c.take());
        if let Some((hash, _)) = copied {
            self.clipboard.clear_if(hash).await;
        }
        std::process::exit(0);
    }

    /// Opens a URL in the browser.
    pub(super) async fn open_url(&self, url: String) {
        let desktop = self.desktop.clone();
        match tokio::task::spawn_blocking(move || desktop.open_url(&url)).await {
            Ok(Ok(())) => {}
            Ok(Err(e)) => tracing::warn!("could not open the browser: {e}"),
            Err(e) => tracing::warn!("could not open the browser: {e}"),
        }
    }
}
