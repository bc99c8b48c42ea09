//! [`RenovaApp::apply`]: the one place where the worker's events change what the window shows.

use crate::gui::app::{HIGHLIGHT, RenovaApp};
use crate::gui::authorize::AuthorizeState;
use crate::gui::message::Event;
use crate::gui::toast::Toast;

impl RenovaApp {
    /// Applies one event from the worker.
    pub fn apply(&mut self, event: Event) {
        let now = self.clock.now();
        match event {
            Event::Snapshot(s) => self.snapshot = s,
            Event::Copied {
                id,
                format,
                clear_at,
                fallback_until,
            } => {
                let name = self.name_of(&id);
                self.toast(Toast::Copied(name, format, clear_at, fallback_until), now);
            }
            Event::ClipboardCleared => self.toast(Toast::Cleared, now),
            Event::PostmanSharing(env, workspace) => {
                if let Some(dialog) = self.ui.dialog.as_mut() {
                    dialog.postman_sharing = Some((env, workspace));
                }
            }
            Event::EndpointHolder(port, holder) => {
                if let Some(settings) = self.ui.settings.as_mut() {
                    settings.endpoint_holder = Some((port, holder));
                }
            }
            Event::OtherCopied(clear_at) => self.toast(Toast::OtherCopied(clear_at), now),
            Event::Failed { id, error, on_card } => {
                let name = self.name_of(&id);
                // A refresh's failure stays on the card, with its fix.
                let toast = if on_card {
                    Toast::SeeCard(name)
                } else {
                    Toast::Failed(name, error)
                };
                self.toast(toast, now);
            }
            Event::Saved { id, name } => {
                self.ui.dialog = None;
                self.ui.highlight = Some((id, now + HIGHLIGHT));
                self.ui.scroll_to = Some(id);
                self.toast(Toast::Saved(name), now);
            }
            Event::Connected { name, provider } => {
                self.toast(Toast::Connected(name, provider), now);
            }
            Event::SaveFailed(error) => match self.ui.dialog.as_mut() {
                Some(dialog) => dialog.failed(&error),
                None => self.toast(Toast::Failed(String::new(), error), now),
            },
            Event::Checked { id, name } => {
                let account = self.name_of(&id);
                self.toast(Toast::Checked(account, name), now);
            }
            Event::Removed(name) => self.toast(Toast::Removed(name), now),
            Event::Quit => self.closing = true,
            Event::AuthorizeStarted {
                id,
                url,
                redirect_uri,
                listens,
                ..
            } => {
                let name = self.name_of(&id);
                let dialog = self
                    .ui
                    .authorize
                    .get_or_insert_with(|| AuthorizeState::new(id, &name));
                if dialog.id == id {
                    dialog.url = Some(url);
                    dialog.redirect_uri = Some(redirect_uri);
                    dialog.listens = listens;
                }
            }
            Event::AuthorizeProblem(id, problem) => {
                if let Some(d) = self.ui.authorize.as_mut().filter(|d| d.id == id) {
                    d.problem = Some(problem);
                }
            }
            Event::Authorized { id, name } => {
                if self.ui.authorize.as_ref().is_some_and(|d| d.id == id) {
                    self.ui.authorize = None;
                }
                self.toast(Toast::Authorized(name), now);
            }
            Event::PostmanKey(result) => {
                if let Some(settings) = self.ui.settings.as_mut() {
                    settings.postman_checking = false;
                    settings.postman_result = Some(result);
                }
            }
            Event::PostmanKeyStored(stored) => {
                if let Some(settings) = self.ui.settings.as_mut() {
                    settings.postman_stored = stored;
                }
            }
            Event::AuthorizeFailed(id, error) => {
                match self.ui.authorize.as_mut().filter(|d| d.id == id) {
                    Some(d) => d.error = Some(error),
                    None => {
                        let name = self.name_of(&id);
                        self.toast(Toast::Failed(name, error), now);
                    }
                }
            }
        }
    }
}
