//! The operations behind Settings and the banners: the keychain's Retry, the shared defaults,
//! "Forget everything", the Postman API key, the demo, opening a URL.

use std::sync::Arc;

use secrecy::SecretString;
use zeroize::Zeroizing;

use crate::core::config::Defaults;
use crate::core::config::Switch;
use crate::core::error::Error;
use crate::core::postman::PostmanErrorKind;
use crate::gui::message::Event;
use crate::gui::worker::shared::Shared;

/// The banner's Retry: prove the keychain usable again.
pub(super) async fn retry_keychain(s: &Shared) {
    let r = s
        .renova
        .profile()
        .probe_keychain()
        .await
        .map_err(Error::from);
    s.observe(&r);
    s.publish();
}

/// Saves the `[defaults]` of `accounts.toml`.
pub(super) fn save_defaults(s: &Shared, defaults: &Defaults) {
    if let Err(e) = s.renova.accounts().save_defaults(defaults) {
        s.send(Event::SaveFailed(Arc::new(e)));
    }
    s.publish();
}

/// Removes every account.
pub(super) async fn forget_everything(s: &Shared) {
    let r = s.renova.accounts().forget_everything().await;
    s.observe(&r);
    if let Err(e) = r {
        s.send(Event::SaveFailed(Arc::new(e)));
    }
    s.publish();
}

/// Checks a Postman API key with Postman, and stores it unless Postman refuses it.
pub(super) async fn set_postman_key(s: &Shared, key: Zeroizing<String>) {
    let key = SecretString::from(key.as_str().trim().to_owned());
    let checked = s.renova.postman().whoami(&key).await;
    let result = match checked {
        Err(e) if e.kind == PostmanErrorKind::InvalidKey => Err(Arc::new(e.into())),
        other => match s.renova.postman().set_key(&key).await {
            Ok(()) => other.map_err(|e| Arc::new(e.into())),
            Err(e) => Err(Arc::new(e)),
        },
    };
    s.send(Event::PostmanKey(result));
    query_postman_key(s).await;
    // Accounts waiting for a key can be synced now.
    if let Err(e) = s.renova.postman().retry_syncs().await {
        tracing::debug!("no Postman retry now: {e}");
    }
    s.publish();
}

/// Says whether a Postman API key is stored.
pub(super) async fn query_postman_key(s: &Shared) {
    let stored = s.renova.postman().key().await.ok().map(|k| k.is_some());
    s.send(Event::PostmanKeyStored(stored));
}

/// Deletes the stored Postman API key.
pub(super) async fn remove_postman_key(s: &Shared) {
    if let Err(e) = s.renova.postman().remove_key().await {
        tracing::warn!("could not remove the Postman API key: {e}");
    }
    query_postman_key(s).await;
}

/// The Settings switch: start at login and the agent itself, on or off.
pub(super) async fn set_background(s: &Shared, switch: Switch) {
    let Some(agent) = s.agent.clone() else {
        return;
    };
    if let Err(e) = agent.set(switch) {
        s.send(Event::SaveFailed(Arc::new(e)));
    }
    // The agent takes a moment to start (or stop): look until it has.
    for _ in 0..20 {
        if agent.status().running == switch.is_on() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    s.look_at_agent();
    s.publish();
}

/// Starts `renova --demo` as a process of its own.
pub(super) fn start_demo() {
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
pub(super) async fn quit_on_signals(s: &Shared) {
    let Some(mut signals) = crate::platform::signals::Signals::watch() else {
        return;
    };
    signals.next().await;
    s.send(Event::Quit);
    tokio::select! {
        () = tokio::time::sleep(std::time::Duration::from_secs(5)) => {}
        () = signals.next() => {}
    }
    tracing::warn!("the window did not close after a signal: clearing the clipboard and exiting");
    s.copy.clear_now().await;
    std::process::exit(0);
}

/// Opens a URL in the browser.
pub(super) async fn open_url(s: &Shared, url: String) {
    let desktop = s.desktop.clone();
    match tokio::task::spawn_blocking(move || desktop.open_url(&url)).await {
        Ok(Ok(())) => {}
        Ok(Err(e)) => tracing::warn!("could not open the browser: {e}"),
        Err(e) => tracing::warn!("could not open the browser: {e}"),
    }
}
