//! The window's keyboard shortcuts, read once a frame while no dialog is open: Ctrl+N adds an
//! account, Ctrl+F goes to the filter, Ctrl+, opens the settings (⌘ on macOS). Ctrl+= and
//! Ctrl+- zoom are egui's own.

use egui::{Key, KeyboardShortcut, Modifiers};

use crate::i18n::{Lang, T};

use crate::gui::action::Action;

/// Add an account.
pub(crate) const ADD: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::N);
/// Go to the filter.
pub(crate) const FILTER: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::F);
/// Open the settings.
pub(crate) const SETTINGS: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Comma);

/// The actions of the shortcuts pressed this frame (the keys are consumed).
pub(crate) fn pressed(ctx: &egui::Context, read_only: bool) -> Vec<Action> {
    ctx.input_mut(|i| {
        let mut actions = Vec::new();
        if i.consume_shortcut(&ADD) && !read_only {
            actions.push(Action::OpenAdd);
        }
        if i.consume_shortcut(&FILTER) {
            actions.push(Action::FocusFilter);
        }
        if i.consume_shortcut(&SETTINGS) {
            actions.push(Action::OpenSettings);
        }
        actions
    })
}

/// A shortcut as the hover text shows it, in the window's language ("Ctrl+N",
/// "Ctrl+Vírgula"): egui names keys in English.
pub(crate) fn label(ctx: &egui::Context, shortcut: &KeyboardShortcut, lang: Lang) -> String {
    let text = ctx.format_shortcut(shortcut);
    match text.strip_suffix("Comma") {
        Some(head) => format!("{head}{}", T::KeyComma.tr(lang)),
        None => text,
    }
}
