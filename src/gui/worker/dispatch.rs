//! One command, one operation: the worker's dispatcher.

use std::sync::Arc;

use crate::gui::message::{Command, Event};
use crate::gui::worker::shared::Shared;
use crate::gui::worker::{accounts, authorize, endpoint, settings};

/// Runs one command (on its own task).
pub(super) async fn handle(s: Arc<Shared>, command: Command) {
    match command {
        Command::RetryKeychain => settings::retry_keychain(&s).await,
        Command::Refresh(id) => accounts::refresh(s, id).await,
        Command::Copy(id, format) => accounts::copy(s, id, format).await,
        Command::Check(id) => accounts::check(s, id).await,
        Command::ConfirmEndpoint(id, kind, url) => {
            accounts::confirm_endpoint(s, id, kind, &url).await;
        }
        Command::Revoke(id) => accounts::revoke(s, id).await,
        Command::Remove(id) => accounts::remove(s, id).await,
        Command::Save(draft) => accounts::save(s, *draft).await,
        Command::SaveDefaults(defaults) => settings::save_defaults(&s, &defaults),
        Command::ForgetEverything => settings::forget_everything(&s).await,
        Command::SetLanguage(lang) => {
            s.with_inner(|i| i.lang = lang);
        }
        Command::Authorize(id) => authorize::authorize(&s, id),
        Command::AuthorizePaste(id, text) => authorize::authorize_paste(&s, id, text),
        Command::CancelAuthorize(id) => authorize::cancel_authorize(&s, id),
        Command::OpenUrl(url) => settings::open_url(&s, url).await,
        Command::SetPostmanKey(key) => settings::set_postman_key(&s, key).await,
        Command::QueryPostmanKey => settings::query_postman_key(&s).await,
        Command::RemovePostmanKey => settings::remove_postman_key(&s).await,
        Command::StartDemo => settings::start_demo(),
        Command::SetBackground(on) => settings::set_background(&s, on).await,
        Command::SetEndpoint(on) => endpoint::set_endpoint(&s, on).await,
        Command::CopyEndpointKey => endpoint::copy_endpoint_key(&s).await,
        Command::CopyPostmanScript => endpoint::copy_postman_script(&s).await,
        Command::CopyMcpSetup => endpoint::copy_mcp_setup(&s).await,
        Command::CheckEndpointPort => endpoint::check_endpoint_port(&s).await,
        Command::CheckPostmanSharing(env) => {
            let shared = s.renova.postman().sharing_of(&env).await;
            let shared = shared.unwrap_or_else(|e| {
                tracing::debug!("could not ask Postman about the workspace: {e}");
                None
            });
            s.send(Event::PostmanSharing(env, shared));
        }
        Command::QuitOnSignals => settings::quit_on_signals(&s).await,
    }
}
