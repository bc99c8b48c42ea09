//! The dialog's field widgets: a masked secret with a Show toggle, the `oauth2` endpoints,
//! and how a provider and an error read in the form.

use egui::Ui;
use zeroize::Zeroizing;

use crate::core::config::{ClientAuth, ProviderKind};
use crate::core::error::Error;
use crate::gui::dialog::{DialogState, Field};
use crate::i18n::{Explanation, Lang, Surface, T, explain_for};

impl DialogState {
    pub(super) fn oauth_fields(&mut self, ui: &mut Ui, lang: Lang) {
        let o = &mut self.oauth;
        for (label, value, hint) in [
            (
                T::FieldTokenUrl,
                &mut o.token_url,
                "https://provider.example/oauth/token",
            ),
            (
                T::FieldAuthorizeUrl,
                &mut o.authorize_url,
                "https://provider.example/oauth/authorize",
            ),
            (T::FieldRevokeUrl, &mut o.revoke_url, ""),
            (T::FieldCheckUrl, &mut o.check_url, ""),
            (T::FieldScopes, &mut o.scopes, "read write"),
        ] {
            let l = ui.label(label.tr(lang));
            ui.add(
                egui::TextEdit::singleline(value)
                    .hint_text(hint)
                    .desired_width(f32::INFINITY),
            )
            .labelled_by(l.id);
        }
        let l = ui.label(T::FieldClientAuth.tr(lang));
        ui.horizontal(|ui| {
            ui.selectable_value(
                &mut o.client_auth,
                ClientAuth::Body,
                T::ClientAuthBody.tr(lang),
            );
            ui.selectable_value(
                &mut o.client_auth,
                ClientAuth::Basic,
                T::ClientAuthBasic.tr(lang),
            );
            ui.selectable_value(
                &mut o.client_auth,
                ClientAuth::None,
                T::ClientAuthNone.tr(lang),
            );
        })
        .response
        .labelled_by(l.id);
        self.field_errors(ui, Field::BaseUrl, lang);
    }
}

/// An error as one line: what — fix.
pub(super) fn error_line(e: &Error, lang: Lang) -> String {
    let Explanation { what, fix } = explain_for(Surface::Window, e, lang, "");
    if fix.is_empty() {
        what
    } else {
        format!("{what} — {fix}")
    }
}

/// A provider as the picker names it.
pub(super) fn provider_name(p: ProviderKind, lang: Lang) -> String {
    match p {
        ProviderKind::RdStation => format!("RD Station Marketing ({})", p.id()),
        ProviderKind::RdStationCrm => format!("RD Station CRM ({})", p.id()),
        ProviderKind::OAuth2 => format!("{} ({})", T::ProviderOAuth2.tr(lang), p.id()),
    }
}

/// A masked text field with a Show/Hide toggle.
pub(super) fn secret_field(
    ui: &mut Ui,
    value: &mut Zeroizing<String>,
    show: &mut bool,
    hint: &str,
    lang: Lang,
    label: egui::Id,
) {
    let toggle_width = 70.0;
    let width = ui.available_width() - toggle_width - 8.0;
    let s: &mut String = value;
    ui.add(
        egui::TextEdit::singleline(s)
            .password(!*show)
            .hint_text(hint)
            .desired_width(width),
    )
    .labelled_by(label);
    let label = if *show { T::Hide } else { T::Show };
    if ui
        .add_sized([toggle_width, 24.0], egui::Button::new(label.tr(lang)))
        .clicked()
    {
        *show = !*show;
    }
}
