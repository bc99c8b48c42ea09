//! The "Authorize in browser" dialog: the redirect URI to register (with a copy button and the
//! one-hour note), the address being opened (copy, open again), what arrived so far, and a
//! field to paste the redirected address or the code when the app's callback is a website.

use crate::gui::view::modal::Part;
use std::sync::Arc;

use egui::RichText;

use zeroize::Zeroizing;

use crate::core::account::AccountId;
use crate::core::callback::WaitProblem;
use crate::core::error::Error;
use crate::gui::action::Action;
use crate::gui::style;
use crate::i18n::{Lang, Surface, T, explain_for};

/// An authorization shown in the window.
pub struct AuthorizeState {
    /// The account.
    pub id: AccountId,
    /// Its name.
    pub name: String,
    /// The address, once the listener is up.
    pub url: Option<String>,
    /// The redirect URI to register.
    pub redirect_uri: Option<String>,
    /// Whether a listener on this machine waits.
    pub listens: bool,
    /// The paste field.
    pub paste: String,
    /// The paste field has been given the cursor once (when the address appeared).
    paste_focused: bool,
    /// The last non-fatal problem.
    pub problem: Option<WaitProblem>,
    /// The failure that ended it.
    pub error: Option<Arc<Error>>,
}

impl AuthorizeState {
    /// A dialog waiting for the worker to start the listener.
    pub fn new(id: AccountId, name: &str) -> Self {
        Self {
            id,
            name: name.to_owned(),
            url: None,
            redirect_uri: None,
            listens: false,
            paste: String::new(),
            paste_focused: false,
            problem: None,
            error: None,
        }
    }

    /// Draws the dialog.
    pub(crate) fn show(&mut self, ctx: &egui::Context, lang: Lang, actions: &mut Vec<Action>) {
        let mut outcome = None;
        let title = T::AuthTitle.fill(lang, &[("name", &self.name)]);
        let modal = crate::gui::view::modal::modal(
            ctx,
            (egui::Id::unique("authorize"), &title),
            520.0,
            false,
            |ui, part| {
                if part == Part::Footer {
                    let close = if self.error.is_some() {
                        T::Close
                    } else {
                        T::Cancel
                    };
                    if ui.button(close.tr(lang)).clicked() {
                        outcome = Some(Action::CloseAuthorize);
                    }
                    return;
                }
                ui.heading(&title);
                ui.add_space(6.0);
                if let Some(uri) = &self.redirect_uri {
                    ui.label(T::AuthRegister.tr(lang));
                    ui.horizontal(|ui| {
                        ui.label(RichText::new(uri).monospace().strong());
                        if ui.small_button(T::AuthCopyRedirect.tr(lang)).clicked() {
                            // Not a secret: the exact string to register with the provider.
                            ui.ctx().copy_text(uri.clone());
                        }
                    });
                    ui.add_space(6.0);
                }
                match self.url.clone() {
                    None if self.error.is_none() => listening(ui, lang),
                    None => {}
                    Some(url) => outcome = self.address(ui, &url, lang),
                }
                self.troubles(ui, lang);
                ui.add_space(8.0);
            },
        );
        if modal.should_close() && outcome.is_none() {
            outcome = Some(Action::CloseAuthorize);
        }
        actions.extend(outcome);
    }

    /// The address being opened (open again, copy) and, while waiting, the paste field.
    fn address(&mut self, ui: &mut egui::Ui, url: &str, lang: Lang) -> Option<Action> {
        let mut outcome = None;
        ui.label(T::AuthOpen.fill(lang, &[("name", &self.name)]));
        ui.add(egui::Label::new(RichText::new(url).monospace().small()).wrap());
        ui.horizontal(|ui| {
            if ui.button(T::AuthOpenAgain.tr(lang)).clicked() {
                outcome = Some(Action::OpenUrl(url.to_owned()));
            }
            if ui.button(T::AuthCopyUrl.tr(lang)).clicked() {
                // The address carries no secret (a one-time state, no code).
                ui.ctx().copy_text(url.to_owned());
            }
        });
        if self.error.is_some() {
            return outcome;
        }
        ui.add_space(6.0);
        if self.listens {
            listening(ui, lang);
        }
        let label = ui.label(T::AuthPasteLabel.tr(lang));
        ui.horizontal(|ui| {
            let field = ui
                .add(egui::TextEdit::singleline(&mut self.paste).desired_width(400.0))
                .labelled_by(label.id);
            // The next step is pasting: the cursor waits in the field.
            if !std::mem::replace(&mut self.paste_focused, true) {
                field.request_focus();
            }
            let enter = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            if (ui.button(T::AuthSubmit.tr(lang)).clicked() || enter)
                && !self.paste.trim().is_empty()
            {
                self.problem = None;
                let text = Zeroizing::new(std::mem::take(&mut self.paste));
                outcome = Some(Action::AuthorizePaste(self.id, text));
            }
        });
        outcome
    }

    /// What went wrong so far: a problem that leaves the wait on, or the failure that ended
    /// it.
    fn troubles(&self, ui: &mut egui::Ui, lang: Lang) {
        if let Some(p) = &self.problem {
            let text = match p {
                WaitProblem::WrongState => T::AuthWrongState,
                WaitProblem::BadPaste => T::AuthBadPaste,
                WaitProblem::PastedWrongState => T::AuthPastedWrongState,
            };
            ui.label(RichText::new(text.tr(lang)).color(style::readable(ui, style::AMBER)));
        }
        if let Some(e) = &self.error {
            let e = explain_for(Surface::Window, e, lang, &self.name);
            ui.label(
                RichText::new(&e.what)
                    .color(style::readable(ui, style::RED))
                    .strong(),
            );
            ui.label(&e.fix);
        }
    }
}

/// "Waiting for the browser…" with a spinner.
fn listening(ui: &mut egui::Ui, lang: Lang) {
    ui.horizontal(|ui| {
        ui.spinner();
        ui.label(T::AuthListening.tr(lang));
    });
}
