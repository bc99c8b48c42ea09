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
            match crate::core::secrets::jwt_exp(typed) {
                Some(at) => {
                    let when = crate::i18n::time::full_date_time(at, lang);
                    let said = T::StaticExpiresFromJwt.fill(lang, &[("when", &when)]);
                    ui.label(RichText::new(said).weak().small());
                    self.draft.static_expires_in_days = None;
                }
                // Nothing in the token says when it dies: the person may.
                None => self.expiry_field(ui, lang),
            }
        }
        self.field_errors(ui, Field::StaticToken, lang);
        self.field_errors(ui, Field::RefreshToken, lang);
    }

    /// "It expires in [90] days", off by default ("does not expire").
    fn expiry_field(&mut self, ui: &mut egui::Ui, lang: Lang) {
        let mut expires = self.draft.static_expires_in_days.is_some();
        ui.horizontal(|ui| {
            ui.checkbox(&mut expires, T::StaticExpiresIn.tr(lang));
            let mut days = self.draft.static_expires_in_days.unwrap_or(90);
            let field = ui.add_enabled(
                expires,
                egui::DragValue::new(&mut days).range(1..=3650).speed(1),
            );
            crate::gui::view::a11y::named(field, T::StaticExpiryDays.tr(lang));
            ui.label(T::StaticDays.tr(lang));
            self.draft.static_expires_in_days = expires.then_some(days);
        });
        if !expires {
            ui.label(RichText::new(T::StaticNoExpiry.tr(lang)).weak().small());
        }
    }
}
