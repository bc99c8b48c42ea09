//! The operations behind Settings' token endpoint: turning it on or off, copying its key (a
//! secret: through the clipboard port with its hint and clear timer), the Postman pre-request
//! script, and checking who holds the port (without sending the key).

use std::sync::Arc;

use secrecy::ExposeSecret;
use zeroize::Zeroizing;

use crate::agent::probe::who_holds;
use crate::core::clock;
use crate::core::error::Error;
use crate::gui::message::Event;
use crate::gui::worker::shared::Shared;

impl Shared {
    /// Asks who holds the endpoint's port, when it is on and has a key; says nothing otherwise.
    pub(super) async fn check_endpoint_port(&self) {
        let Some(port) = self
            .snapshot()
            .config
            .as_ref()
            .filter(|c| c.endpoint.enabled)
            .map(|c| c.endpoint.port())
        else {
            return;
        };
        match self.renova.stored_endpoint_key().await {
            Ok(Some(key)) => {
                let holder = who_holds(port, &key).await;
                self.send(Event::EndpointHolder(port, holder));
            }
            Ok(None) => {}
            Err(e) => tracing::debug!("the endpoint key cannot be read to check the port: {e}"),
        }
    }

    /// Turns the endpoint on (making its key) or off.
    pub(super) async fn set_endpoint(&self, on: bool) {
        let result = match self.renova.set_endpoint(on, None) {
            Ok(_) if on => self.renova.endpoint_key().await.map(drop),
            other => other.map(drop),
        };
        if let Err(e) = result {
            self.send(Event::SaveFailed(Arc::new(e)));
        }
        self.publish();
    }

    /// Copies the endpoint key, cleared like a token.
    pub(super) async fn copy_endpoint_key(&self) {
        let key = match self.renova.endpoint_key().await {
            Ok(k) => k,
            Err(e) => return self.send(Event::SaveFailed(Arc::new(e))),
        };
        let text = Zeroizing::new(key.expose_secret().to_owned());
        match self.clipboard.set(text).await {
            Ok(hash) => {
                let clear_after = self.snapshot().defaults().clipboard_clear.0;
                if let Ok(mut c) = self.copied.lock() {
                    *c = Some((hash, self.renova.elapsed() + clear_after));
                }
                let clear_at = clock::add(self.renova.now(), clear_after);
                self.send(Event::OtherCopied(Some(clear_at)));
            }
            Err(e) => self.send(Event::SaveFailed(Arc::new(clipboard_error(e)))),
        }
    }

    /// Copies the Postman pre-request script (no secret in it).
    pub(super) async fn copy_postman_script(&self) {
        let text = Zeroizing::new(self.renova.endpoint_postman_script());
        match self.clipboard.set(text).await {
            Ok(_) => self.send(Event::OtherCopied(None)),
            Err(e) => self.send(Event::SaveFailed(Arc::new(clipboard_error(e)))),
        }
    }
}

fn clipboard_error(e: impl std::fmt::Display) -> Error {
    Error::io(
        "copying to the clipboard",
        "clipboard",
        std::io::Error::other(e.to_string()),
    )
}
