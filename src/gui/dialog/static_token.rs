//! A static token's one field: pasted masked, with a show toggle; its expiry read from the
//! token as it is pasted (a JWT's `exp`), or "does not expire".

use egui::RichText;

use crate::core::config::AccountConfig;
use crate::gui::dialog::form::secret_field;
use crate::gui::dialog::{DialogState, Field};
use crate::i18n::{Lang, T};

impl DialogState {
    /// The edit dialog of a static token, its Token field focused to paste a new one (the
    /// card's Replace token).
    pub fn replace_token(account: &AccountConfig) -> Self {
        let mut d = Self::edit(account);
        d.focus_first = false;
        d.focus_token = true;
        d
    }

    /// A static token (masked, with a show toggle), and when it expires: a JWT's `exp`, read
    /// as it is pasted (never shown or kept), else "does not expire".
    pub(super) fn static_field(&mut self, ui: &mut egui::Ui, lang: Lang) {
        let editing = self.draft.editing.is_some();
        let label = ui.label(T::FieldStaticToken.tr(lang));
        ui.horizontal(|ui| {
            let hint = if editing {
                T::FieldReplaceHint.tr(lang)
            } else {
                T::FieldStaticHint.tr(lang)
            };
            let what = (label.id, T::FieldStaticToken.tr(lang));
            let token = &mut self.draft.static_token;
            let field = secret_field(ui, token, &mut self.show_token, hint, lang, what);
            if std::mem::take(&mut self.focus_token) {
                field.request_focus();
            }
        });
        let typed = crate::core::pasted::clean_pasted(&self.draft.static_token);
        if !typed.is_empty() {
            let said = match crate::core::secrets::jwt_exp(typed) {
                Some(at) => T::StaticExpiresFromJwt.fill(
                    lang,
                    &[("when", &crate::i18n::time::full_date_time(at, lang))],
                ),
                None => T::StaticNoExpiry.tr(lang).to_owned(),
            };
            ui.label(RichText::new(said).weak().small());
        }
        self.field_errors(ui, Field::StaticToken, lang);
        self.field_errors(ui, Field::RefreshToken, lang);
    }
}
