//! Settings: language and theme (the window's own, kept in eframe storage) and the
//! `[defaults]` of `accounts.toml` (shared with the CLI). "Forget everything" asks first.

use egui::RichText;

use crate::agent::control::Background;
use crate::core::config::Switch;
use crate::core::config::{Defaults, EndpointSettings, TextDuration};
use crate::gui::action::{Action, Confirm};
use crate::gui::prefs::ThemeChoice;
use crate::gui::style;
use crate::gui::view::duration_field::DurationField;
use crate::gui::view::endpoint_settings::{agent_stopped, endpoint_section};
use crate::gui::view::modal::Part;
use crate::i18n::{Lang, T};

/// The settings being edited.
pub struct SettingsState {
    base: Defaults,
    lead: DurationField,
    copy_min: DurationField,
    clipboard: DurationField,
    notifications: bool,
    postman_key: zeroize::Zeroizing<String>,
    /// What the last key check said (set by the app).
    pub postman_result: Option<Result<String, std::sync::Arc<crate::core::error::Error>>>,
    /// Waiting for the key check.
    pub postman_checking: bool,
    /// Whether a key is stored (set by the app; `None` until known).
    pub postman_stored: Option<bool>,
    /// Who answered on the endpoint's port when last asked (set by the app).
    pub endpoint_holder: Option<(u16, crate::core::endpoint::probe::Holder)>,
}

impl SettingsState {
    /// Settings showing `defaults`.
    pub fn new(defaults: &Defaults) -> Self {
        Self {
            base: defaults.clone(),
            lead: DurationField::new(defaults.lead_time.0),
            copy_min: DurationField::new(defaults.copy_min_valid.0),
            clipboard: DurationField::new(defaults.clipboard_clear.0),
            notifications: defaults.notifications,
            postman_key: zeroize::Zeroizing::new(String::new()),
            postman_result: None,
            postman_checking: false,
            postman_stored: None,
            endpoint_holder: None,
        }
    }

    /// The defaults as edited (every field holds a valid duration).
    fn edited(&self) -> Defaults {
        Defaults {
            lead_time: TextDuration(self.lead.duration()),
            copy_min_valid: TextDuration(self.copy_min.duration()),
            clipboard_clear: TextDuration(self.clipboard.duration()),
            notifications: self.notifications,
            static_warning: self.base.static_warning,
            extra: self.base.extra.clone(),
        }
    }

    /// Draws the settings. Language and theme change at once; the shared defaults on Save.
    pub(crate) fn show(
        &mut self,
        ctx: &egui::Context,
        (theme_now, background, endpoint, shared): (
            ThemeChoice,
            Option<Background>,
            Option<EndpointSettings>,
            &[String],
        ),
        lang: Lang,
        actions: &mut Vec<Action>,
    ) {
        let mut lang_choice = lang;
        let mut theme = theme_now;
        let mut outcome = None;
        let id = (egui::Id::unique("settings"), T::Settings.tr(lang));
        let modal = crate::gui::view::modal::modal(ctx, id, 440.0, false, |ui, part| {
            if part == Part::Footer {
                ui.add_space(8.0);
                outcome = self.buttons(ui, lang).or(outcome.take());
                return;
            }
            ui.heading(T::Settings.tr(lang));
            ui.add_space(8.0);
            looks(ui, (&mut lang_choice, &mut theme), lang);
            ui.add_space(10.0);
            self.defaults(ui, lang);
            if let Some(bg) = background {
                background_section(ui, bg, lang, actions);
            }
            if let Some(endpoint) = &endpoint {
                let bg = background.unwrap_or_default();
                let holder = self.endpoint_holder.as_ref();
                endpoint_section(ui, endpoint, (bg, holder), lang, actions);
                crate::gui::view::endpoint_settings::assistants_section(ui, shared, lang, actions);
            }
            ui.add_space(10.0);
            outcome = self.postman(ui, lang);
        });
        if modal.should_close() && outcome.is_none() {
            outcome = Some(Action::CloseSettings);
        }
        if lang_choice != lang {
            actions.push(Action::SetLanguage(lang_choice));
        }
        if theme != theme_now {
            actions.push(Action::SetTheme(theme));
        }
        actions.extend(outcome);
    }

    /// The shared `[defaults]`: lead time, copy minimum, clipboard clear, notifications.
    fn defaults(&mut self, ui: &mut egui::Ui, lang: Lang) {
        ui.label(RichText::new(T::SettingsDefaults.tr(lang)).strong());
        egui::Grid::new("defaults-grid")
            .num_columns(2)
            .spacing([12.0, 8.0])
            .show(ui, |ui| {
                for (label, value) in [
                    (T::SettingsLead, &mut self.lead),
                    (T::SettingsCopyMin, &mut self.copy_min),
                    (T::SettingsClipboard, &mut self.clipboard),
                ] {
                    let shown = ui.label(label.tr(lang));
                    value.show(ui, (shown.id, label.tr(lang)), lang);
                    ui.end_row();
                }
            });
        ui.checkbox(&mut self.notifications, T::SettingsNotifications.tr(lang));
    }

    /// The Postman API key: Test (which stores it unless Postman refuses it), whether one
    /// is stored, whose it is.
    fn postman(&mut self, ui: &mut egui::Ui, lang: Lang) -> Option<Action> {
        let mut outcome = None;
        ui.label(RichText::new(T::SettingsPostman.tr(lang)).strong());
        let label = ui.label(T::SettingsPostmanKey.tr(lang));
        ui.horizontal(|ui| {
            let key: &mut String = &mut self.postman_key;
            ui.add(
                egui::TextEdit::singleline(key)
                    .password(true)
                    .hint_text(T::SettingsPostmanKeyHint.tr(lang))
                    .desired_width(280.0),
            )
            .labelled_by(label.id);
            let can = !self.postman_checking && !self.postman_key.trim().is_empty();
            if ui
                .add_enabled(can, egui::Button::new(T::PostmanTest.tr(lang)))
                .clicked()
            {
                self.postman_checking = true;
                self.postman_result = None;
                outcome = Some(Action::TestPostmanKey(std::mem::take(
                    &mut self.postman_key,
                )));
            }
            if self.postman_checking {
                ui.spinner();
            }
        });
        match (&self.postman_result, self.postman_stored) {
            (None, Some(true)) => {
                ui.horizontal(|ui| {
                    ui.label(
                        RichText::new(T::PostmanKeyIsStored.tr(lang))
                            .color(style::readable(ui, style::GREEN))
                            .small(),
                    );
                    if ui.small_button(T::PostmanRemoveKey.tr(lang)).clicked() {
                        outcome = Some(Action::RemovePostmanKey);
                    }
                });
            }
            (None, Some(false)) => {
                ui.label(RichText::new(T::PostmanKeyWhere.tr(lang)).weak().small());
            }
            _ => {}
        }
        match &self.postman_result {
            Some(Ok(user)) => {
                ui.label(
                    RichText::new(T::PostmanBelongs.fill(lang, &[("user", user)]))
                        .color(style::readable(ui, style::GREEN)),
                );
            }
            Some(Err(e)) => {
                let e = crate::i18n::explain_for(crate::i18n::Surface::Window, e, lang, "");
                ui.label(RichText::new(e.line()).color(style::readable(ui, style::RED)));
            }
            None => {}
        }
        outcome
    }

    /// Save, Close, and Forget everything.
    fn buttons(&mut self, ui: &mut egui::Ui, lang: Lang) -> Option<Action> {
        let mut outcome = None;
        ui.horizontal(|ui| {
            if ui
                .add(
                    egui::Button::new(
                        RichText::new(T::Save.tr(lang))
                            .strong()
                            .color(egui::Color32::WHITE),
                    )
                    .fill(style::ACCENT_FILL),
                )
                .clicked()
            {
                outcome = Some(Action::SaveDefaults(self.edited()));
            }
            if ui.button(T::Close.tr(lang)).clicked() {
                outcome = Some(Action::CloseSettings);
            }
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if ui
                    .button(
                        RichText::new(T::ForgetEverything.tr(lang))
                            .color(style::readable(ui, style::RED)),
                    )
                    .clicked()
                {
                    outcome = Some(Action::Ask(Confirm::ForgetEverything));
                }
            });
        });
        outcome
    }
}

/// Language, theme, and what the text size and shortcut keys are.
fn looks(ui: &mut egui::Ui, (lang_choice, theme): (&mut Lang, &mut ThemeChoice), lang: Lang) {
    egui::Grid::new("settings-grid")
        .num_columns(2)
        .spacing([12.0, 8.0])
        .show(ui, |ui| {
            let label = ui.label(T::SettingsLanguage.tr(lang));
            egui::ComboBox::from_id_salt("language")
                .selected_text(lang_choice.native_name())
                .show_ui(ui, |ui| {
                    for l in Lang::ALL {
                        ui.selectable_value(lang_choice, l, l.native_name());
                    }
                })
                .response
                .labelled_by(label.id);
            ui.end_row();
            ui.label(T::SettingsTheme.tr(lang));
            ui.horizontal(|ui| {
                for (choice, text) in [
                    (ThemeChoice::System, T::ThemeSystem),
                    (ThemeChoice::Light, T::ThemeLight),
                    (ThemeChoice::Dark, T::ThemeDark),
                ] {
                    ui.selectable_value(theme, choice, text.tr(lang));
                }
            });
            ui.end_row();
            for (what, hint) in [
                (T::SettingsTextSize, T::SettingsTextSizeHint),
                (T::SettingsKeys, T::SettingsKeysHint),
            ] {
                ui.label(what.tr(lang));
                ui.add(
                    egui::Label::new(RichText::new(hint.tr(lang)).color(style::weak(ui))).wrap(),
                );
                ui.end_row();
            }
        });
}

/// "Keep tokens fresh when Renova is closed", and whether the agent runs now.
fn background_section(ui: &mut egui::Ui, bg: Background, lang: Lang, actions: &mut Vec<Action>) {
    ui.add_space(10.0);
    ui.label(RichText::new(T::SettingsBackgroundTitle.tr(lang)).strong());
    let mut on = bg.at_login;
    if ui
        .checkbox(&mut on, T::SettingsBackground.tr(lang))
        .on_hover_text(T::SettingsBackgroundHint.tr(lang))
        .changed()
    {
        actions.push(Action::SetBackground(Switch::from_on(on)));
    }
    match (bg.running, bg.at_login) {
        (true, _) => {
            let text = RichText::new(T::BackgroundRunning.tr(lang));
            ui.label(text.color(style::GREEN).small());
        }
        // On, yet not running: stopped from the tray, or ended. Say so, and offer the fix.
        (false, true) => agent_stopped(ui, T::BackgroundWasStopped, lang, actions),
        (false, false) => {
            let text = RichText::new(T::BackgroundStopped.tr(lang));
            ui.label(text.color(ui.visuals().weak_text_color()).small());
        }
    }
}
