//! The operations behind Settings' token endpoint: turning it on or off, copying its key (a
//! secret: through the clipboard port with its hint and clear timer), the Postman pre-request
//! script, and checking who holds the port (without sending the key).

use std::sync::Arc;

use secrecy::ExposeSecret;
use zeroize::Zeroizing;

use crate::core::config::Switch;
use crate::core::endpoint::probe::who_holds;
use crate::gui::message::Event;
use crate::gui::worker::shared::Shared;

/// Asks who holds the endpoint's port, when it is on and has a key; says nothing otherwise.
pub(super) async fn check_endpoint_port(s: &Shared) {
    let Some(port) = s
        .snapshot()
        .config
        .as_ref()
        .filter(|c| c.endpoint.enabled)
        .map(|c| c.endpoint.port())
    else {
        return;
    };
    match s.renova.endpoint().stored_key().await {
        Ok(Some(key)) => {
            let holder = who_holds(port, &key).await;
            s.send(Event::EndpointHolder(port, holder));
        }
        Ok(None) => {}
        Err(e) => tracing::debug!("the endpoint key cannot be read to check the port: {e}"),
    }
}

/// Turns the endpoint on (making its key) or off.
pub(super) async fn set_endpoint(s: &Shared, switch: Switch) {
    let result = match s.renova.endpoint().set(switch, None) {
        Ok(_) if switch.is_on() => s.renova.endpoint().key().await.map(drop),
        other => other.map(drop),
    };
    if let Err(e) = result {
        s.send(Event::SaveFailed(Arc::new(e)));
    }
    s.publish();
}

/// Copies the endpoint key, cleared like a token.
pub(super) async fn copy_endpoint_key(s: &Shared) {
    let key = match s.renova.endpoint().key().await {
        Ok(k) => k,
        Err(e) => return s.send(Event::SaveFailed(Arc::new(e))),
    };
    let text = Zeroizing::new(key.expose_secret().to_owned());
    match s.copy.secret(text).await {
        Ok(copied) => s.send(Event::OtherCopied(Some(copied.clear_at))),
        Err(e) => s.send(Event::SaveFailed(Arc::new(e))),
    }
}

/// Copies the Postman pre-request script (no secret in it).
pub(super) async fn copy_mcp_setup(s: &Shared) {
    let text = Zeroizing::new(crate::core::assistants::CLAUDE_CODE_SETUP.to_owned());
    match s.copy.plain(text).await {
        Ok(()) => s.send(Event::OtherCopied(None)),
        Err(e) => s.send(Event::SaveFailed(Arc::new(e))),
    }
}

pub(super) async fn copy_postman_script(s: &Shared) {
    let text = Zeroizing::new(s.renova.endpoint().postman_script());
    match s.copy.plain(text).await {
        Ok(()) => s.send(Event::OtherCopied(None)),
        Err(e) => s.send(Event::SaveFailed(Arc::new(e))),
    }
}
