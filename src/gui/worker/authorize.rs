//! Authorizing in the browser from the window: the wait runs on its own task (up to ten
//! minutes); pastes from the dialog reach it through a channel; Cancel aborts it.

use std::sync::Arc;

use tokio::sync::mpsc;
use zeroize::Zeroizing;

use crate::core::account::AccountId;
use crate::gui::message::Event;
use crate::gui::snapshot::Busy;
use crate::gui::worker::settings;
use crate::gui::worker::shared::Shared;

/// Starts an authorization on its own task.
pub(super) fn authorize(s: &Arc<Shared>, id: AccountId) {
    let Some(account) = s.start(id, Busy::Authorizing) else {
        return;
    };
    let (tx, mut pasted) = mpsc::unbounded_channel();
    let me = s.clone();
    let task = tokio::spawn(async move {
        let result = async {
            let session = me.renova.accounts().begin_authorize(&account, None).await?;
            let url = session.url.to_string();
            settings::open_url(&me, url.clone()).await;
            me.send(Event::AuthorizeStarted {
                id,
                url,
                redirect_uri: session.redirect_uri.clone(),
                listens: session.listens(),
            });
            let reporter = me.clone();
            let problem = move |p| reporter.send(Event::AuthorizeProblem(id, p));
            let code = session.wait(&mut pasted, &problem).await?;
            me.renova.accounts().finish_authorize(&session, &code).await
        }
        .await;
        if let Ok(mut map) = me.authorizing.lock() {
            map.remove(&id);
        }
        me.observe(&result);
        match result {
            Ok(_) => me.send(Event::Authorized {
                id,
                name: account.name.clone(),
            }),
            Err(e) => me.send(Event::AuthorizeFailed(id, Arc::new(e))),
        }
        me.end(id);
    });
    if let Ok(mut map) = s.authorizing.lock() {
        map.insert(id, (tx, task.abort_handle()));
    }
}

/// A redirected address (or code) pasted into the dialog.
pub(super) fn authorize_paste(s: &Shared, id: AccountId, mut text: Zeroizing<String>) {
    if let Ok(map) = s.authorizing.lock()
        && let Some((tx, _)) = map.get(&id)
        && tx.send(std::mem::take(&mut *text)).is_err()
    {
        tracing::debug!("the authorization ended before the paste arrived");
    }
}

/// Stops waiting for the browser.
pub(super) fn cancel_authorize(s: &Shared, id: AccountId) {
    if let Some((_, abort)) = s.authorizing.lock().ok().and_then(|mut m| m.remove(&id)) {
        abort.abort();
    }
    s.end(id);
}
