//! One command, one operation: the worker's dispatcher.

use std::sync::Arc;

use crate::gui::message::{Command, Event};
use crate::gui::worker::shared::Shared;

impl Shared {
    /// Runs one command (on its own task).
    pub(super) async fn handle(self: Arc<Self>, command: Command) {
        match command {
            Command::RetryKeychain => self.retry_keychain().await,
            Command::Refresh(id) => self.refresh(id, true).await,
            Command::Copy(id, format) => self.copy(id, format).await,
            Command::Check(id) => self.check(id).await,
            Command::ConfirmEndpoint(id, kind, url) => {
                self.confirm_endpoint(id, kind, &url).await;
            }
            Command::Revoke(id) => self.revoke(id).await,
            Command::Remove(id) => self.remove(id).await,
            Command::Save(draft) => self.save(*draft).await,
            Command::SaveDefaults(defaults) => self.save_defaults(&defaults),
            Command::ForgetEverything => self.forget_everything().await,
            Command::SetLanguage(lang) => {
                self.with_inner(|i| i.lang = lang);
            }
            Command::Authorize(id) => self.authorize(id),
            Command::AuthorizePaste(id, text) => self.authorize_paste(id, text),
            Command::CancelAuthorize(id) => self.cancel_authorize(id),
            Command::OpenUrl(url) => self.open_url(url).await,
            Command::SetPostmanKey(key) => self.set_postman_key(key).await,
            Command::QueryPostmanKey => self.query_postman_key().await,
            Command::RemovePostmanKey => self.remove_postman_key().await,
            Command::StartDemo => self.start_demo(),
            Command::SetBackground(on) => self.set_background(on).await,
            Command::SetEndpoint(on) => self.set_endpoint(on).await,
            Command::CopyEndpointKey => self.copy_endpoint_key().await,
            Command::CopyPostmanScript => self.copy_postman_script().await,
            Command::CheckEndpointPort => self.check_endpoint_port().await,
            Command::CheckPostmanSharing(env) => {
                let shared = self.renova.postman_workspace_of(&env).await;
                let shared = shared.unwrap_or_else(|e| {
                    tracing::debug!("could not ask Postman about the workspace: {e}");
                    None
                });
                self.send(Event::PostmanSharing(env, shared));
            }
            Command::QuitOnSignals => self.quit_on_signals().await,
        }
    }
}
