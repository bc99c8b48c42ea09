//! The dialog's field widgets: a masked secret with a Show toggle, the `oauth2` endpoints,
//! and how a provider and an error read in the form.

use egui::{RichText, Ui};
use zeroize::Zeroizing;

use crate::core::config::{ClientAuth, ProviderKind};
use crate::core::error::Error;
use crate::core::postman::Sharing;
use crate::gui::action::Action;
use crate::gui::dialog::{DialogState, Field};
use crate::gui::style;
use crate::i18n::{Explanation, Lang, Surface, T, explain_for, unclear};

impl DialogState {
    /// "Send each new token to Postman", the environment and the variable. Once an environment
    /// is typed (and the field left), Postman is asked whether others can see it; if they can,
    /// the dialog says so, points to the endpoint's pre-request script, and offers "Sync
    /// anyway" (remembered for the account). Returns the question to ask, if any.
    pub(super) fn postman_fields(&mut self, ui: &mut Ui, lang: Lang) -> Option<Action> {
        ui.checkbox(&mut self.postman, T::SendToPostman.tr(lang));
        if !self.postman {
            return None;
        }
        let env_field = ui
            .horizontal(|ui| {
                let l = ui.label(T::FieldPostmanEnv.tr(lang));
                ui.add(
                    egui::TextEdit::singleline(&mut self.postman_env)
                        .hint_text("12345678-abcd-ef01-2345-6789abcdef01")
                        .desired_width(260.0),
                )
                .labelled_by(l.id)
            })
            .inner;
        ui.label(
            RichText::new(T::PostmanEnvWhere.tr(lang))
                .color(style::weak(ui))
                .small(),
        );
        ui.horizontal(|ui| {
            let l = ui.label(T::FieldPostmanVar.tr(lang));
            ui.add(
                egui::TextEdit::singleline(&mut self.postman_var)
                    .hint_text(crate::core::postman::DEFAULT_VARIABLE)
                    .desired_width(180.0),
            )
            .labelled_by(l.id);
        });
        let env = self.postman_env.trim().to_owned();
        let mut ask = None;
        if !env.is_empty()
            && !env_field.has_focus()
            && self.sharing_asked.as_deref() != Some(env.as_str())
        {
            // Another environment than the account's is another answer to give.
            let original = self.draft.original.as_ref();
            if original.and_then(|a| a.postman_env.as_deref()) != Some(env.as_str()) {
                self.postman_shared_ok = false;
            }
            self.sharing_asked = Some(env.clone());
            ask = Some(Action::CheckPostmanSharing(env.clone()));
        }
        let said = match &self.postman_sharing {
            Some((checked, Some(sharing))) if *checked == env => match sharing {
                Sharing::OnlyYou => None,
                Sharing::Shared(workspace) => {
                    Some(T::PostmanSharedDialog.fill(lang, &[("workspace", workspace)]))
                }
                Sharing::Unclear(why, workspace) => {
                    let why = unclear(*why, workspace.as_deref(), lang);
                    Some(T::PostmanUnclearDialog.fill(lang, &[("why", &why)]))
                }
            },
            _ => None,
        };
        if let Some(text) = said {
            ui.label(RichText::new(text).color(style::readable(ui, style::AMBER)));
            ui.checkbox(&mut self.postman_shared_ok, T::PostmanSharedOk.tr(lang));
        }
        ask
    }

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
        ProviderKind::Static => format!("{} ({})", T::ProviderStaticChoice.tr(lang), p.id()),
        ProviderKind::RdStationCrmV1 => format!("RD Station CRM v1 ({})", p.id()),
        ProviderKind::RdStationConversas => format!("RD Station Conversas ({})", p.id()),
    }
}

/// A masked text field with a Show/Hide toggle.
pub(super) fn secret_field(
    ui: &mut Ui,
    value: &mut Zeroizing<String>,
    show: &mut bool,
    hint: &str,
    lang: Lang,
    (label, what): (egui::Id, &str),
) -> egui::Response {
    let toggle_width = 70.0;
    let width = ui.available_width() - toggle_width - 8.0;
    let s: &mut String = value;
    let field = ui
        .add(
            egui::TextEdit::singleline(s)
                .password(!*show)
                .hint_text(hint)
                .desired_width(width),
        )
        .labelled_by(label);
    let (label, name) = if *show {
        (T::Hide, T::A11yHide)
    } else {
        (T::Show, T::A11yShow)
    };
    let toggle = ui.add_sized([toggle_width, 24.0], egui::Button::new(label.tr(lang)));
    let what = what.to_lowercase();
    if crate::gui::view::a11y::named(toggle, &name.fill(lang, &[("what", &what)])).clicked() {
        *show = !*show;
    }
    field
}
