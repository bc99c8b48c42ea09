//! The dialog's folded sections: what AI assistants may do with the account, and the
//! advanced settings (base URL, redirect URI).

use egui::RichText;

use super::DialogState;
use crate::core::config::{Assistants, ProviderKind};
use crate::gui::dialog::Field;
use crate::i18n::{Lang, T};

impl DialogState {
    /// What AI assistants may do with the account (`renova mcp`), and where its token may go.
    pub(super) fn assistant_fields(&mut self, ui: &mut egui::Ui, lang: Lang) {
        egui::CollapsingHeader::new(T::FieldAssistants.tr(lang))
            .default_open(self.assistants.shared())
            .show(ui, |ui| {
                for (value, text) in [
                    (Assistants::Off, T::AssistantsOff),
                    (Assistants::Call, T::AssistantsCall),
                    (Assistants::Token, T::AssistantsToken),
                ] {
                    ui.radio_value(&mut self.assistants, value, text.tr(lang));
                }
                if self.assistants.shared() {
                    let label = ui.label(T::FieldAssistantOrigins.tr(lang));
                    let default = match self.draft.provider {
                        ProviderKind::OAuth2 => "https://api.example.com".to_owned(),
                        _ => {
                            let base = self.draft.base_url.trim();
                            if base.is_empty() {
                                crate::core::provider::RD_BASE_URL.to_owned()
                            } else {
                                base.to_owned()
                            }
                        }
                    };
                    ui.add(
                        egui::TextEdit::singleline(&mut self.assistant_origins)
                            .hint_text(default)
                            .desired_width(f32::INFINITY),
                    )
                    .labelled_by(label.id);
                    ui.label(RichText::new(T::AssistantsHint.tr(lang)).small().weak());
                }
            });
    }

    pub(super) fn advanced_fields(&mut self, ui: &mut egui::Ui, lang: Lang) {
        egui::CollapsingHeader::new(T::Advanced.tr(lang))
            .default_open(self.advanced)
            .show(ui, |ui| {
                let label = ui.label(T::FieldBaseUrl.tr(lang));
                ui.add(
                    egui::TextEdit::singleline(&mut self.draft.base_url)
                        .hint_text(crate::core::provider::RD_BASE_URL)
                        .desired_width(f32::INFINITY),
                )
                .labelled_by(label.id);
                self.field_errors(ui, Field::BaseUrl, lang);
                let label = ui.label(T::FieldRedirectUri.tr(lang));
                let default = crate::core::callback::default_redirect_uri(
                    crate::core::callback::DEFAULT_PORT,
                );
                ui.add(
                    egui::TextEdit::singleline(&mut self.redirect_uri)
                        .hint_text(default)
                        .desired_width(f32::INFINITY),
                )
                .labelled_by(label.id);
            });
    }
}
