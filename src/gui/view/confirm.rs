//! The question asked before something destructive (remove, revoke, forget everything).

use egui::RichText;

use crate::gui::action::{Action, Confirm};
use crate::gui::style;
use crate::i18n::{Lang, T};

/// Draws the question; pushes the answer when there is one.
pub(crate) fn confirm(
    ctx: &egui::Context,
    what: Confirm,
    name: &str,
    lang: Lang,
    actions: &mut Vec<Action>,
) {
    let (title, body, button) = match what {
        Confirm::Remove(_) => (T::ConfirmRemoveTitle, T::ConfirmRemoveBody, T::Remove),
        Confirm::Revoke(_) => (T::ConfirmRevokeTitle, T::ConfirmRevokeBody, T::Revoke),
        Confirm::ForgetEverything => (T::ConfirmForgetTitle, T::ConfirmForgetBody, T::Forget),
    };
    let mut answer = None;
    let title = title.fill(lang, &[("name", name)]);
    let id = (egui::Id::unique("confirm"), title.as_str());
    let modal = crate::gui::view::modal::modal(ctx, id, 420.0, true, |ui, part| {
        if part == crate::gui::view::modal::Part::Body {
            ui.heading(&title);
            ui.add_space(6.0);
            ui.label(body.tr(lang));
            ui.add_space(10.0);
            return;
        }
        ui.horizontal(|ui| {
            let go = egui::Button::new(
                RichText::new(button.tr(lang))
                    .strong()
                    .color(egui::Color32::WHITE),
            )
            .fill(style::RED);
            if ui.add(go).clicked() {
                answer = Some(true);
            }
            if ui.button(T::Cancel.tr(lang)).clicked() {
                answer = Some(false);
            }
        });
    });
    if modal.should_close() && answer.is_none() {
        answer = Some(false);
    }
    if let Some(yes) = answer {
        actions.push(Action::Answer(what, yes));
    }
}
