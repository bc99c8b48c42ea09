//! The banners above the cards: the demo's, the keychain's (failed, with Retry; or waiting for
//! an unlock), and read-only mode's.

use egui::{RichText, Ui};

use crate::core::error::Error;
use crate::gui::action::Action;
use crate::gui::snapshot::KeychainHealth;
use crate::gui::style;
use crate::gui::view::ViewContext;
use crate::i18n::{Surface, T, explain_for};

/// Draws whichever banners apply.
pub(crate) fn banners(ui: &mut Ui, cx: ViewContext<'_>, actions: &mut Vec<Action>) {
    let lang = cx.lang;
    if cx.demo {
        style::banner_frame(style::PURPLE).show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.label(T::DemoBanner.tr(lang));
        });
        ui.add_space(6.0);
    }
    match &cx.snapshot.keychain {
        KeychainHealth::Failed(k) => {
            let e = explain_for(Surface::Window, &Error::Keychain(k.clone()), lang, "");
            style::banner_frame(style::RED).show(ui, |ui| {
                ui.set_width(ui.available_width());
                ui.horizontal(|ui| {
                    ui.vertical(|ui| {
                        ui.set_width(ui.available_width() - 110.0);
                        ui.label(
                            RichText::new(&e.what)
                                .strong()
                                .color(style::readable(ui, style::RED)),
                        );
                        ui.label(&e.fix);
                    });
                    if ui.button(T::Retry.tr(lang)).clicked() {
                        actions.push(Action::RetryKeychain);
                    }
                });
            });
            ui.add_space(6.0);
        }
        KeychainHealth::Waiting => {
            style::banner_frame(style::AMBER).show(ui, |ui| {
                ui.set_width(ui.available_width());
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.label(T::KeychainWaiting.tr(lang));
                });
            });
            ui.add_space(6.0);
        }
        KeychainHealth::Ok | KeychainHealth::Unknown => {}
    }
    if let Some(err) = &cx.snapshot.config_error {
        let e = explain_for(Surface::Window, err, lang, "");
        style::banner_frame(style::AMBER).show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.horizontal(|ui| {
                style::pill(ui, T::ReadOnly.tr(lang), style::AMBER);
                ui.label(RichText::new(&e.what).strong());
            });
            ui.label(&e.fix);
        });
        ui.add_space(6.0);
    }
}
