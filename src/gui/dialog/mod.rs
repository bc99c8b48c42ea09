//! The add/edit dialog. Secrets are masked with a show toggle; pasting RD's JSON answer
//! (`{"access_token", "expires_in", "refresh_token"}`) into any field fills the token fields;
//! a pasted `Bearer …` and whitespace are cleaned on save. Errors show inline, under their
//! field, and nothing is sent to the worker until the input is valid.

mod form;
mod sections;
mod static_token;
mod validation;

use std::sync::Arc;
use std::time::Duration;

use egui::RichText;
use zeroize::Zeroizing;

use crate::core::config::{AccountConfig, Assistants, ClientAuth, ProviderKind};
use crate::core::error::Error;
use crate::core::pasted::{PastedAnswer, parse_rd_answer};
use crate::core::postman::Sharing;
use crate::gui::action::Action;
use crate::gui::draft::Draft;
use crate::gui::snapshot::Snapshot;
use crate::gui::style;
use crate::i18n::{Lang, T};
use form::{error_line, provider_name, secret_field};

use crate::gui::view::modal::Part;
pub(crate) use validation::{Field, FieldError, field_of};

/// What a JSON answer pasted into the dialog gave.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pasted {
    /// Both tokens; the access token lives this long.
    Tokens(Duration),
    /// Only the refresh token was usable (an `expires_in` outside 1 s to a year).
    RefreshOnly,
}

/// The dialog's state.
pub struct DialogState {
    /// What is typed.
    pub draft: Draft,
    /// Show the client secret.
    pub show_secret: bool,
    /// Show the refresh token.
    pub show_refresh: bool,
    /// Show the static token.
    pub show_token: bool,
    /// Put the cursor in the static token's field on the next frame (Replace token).
    focus_token: bool,
    /// The Advanced section is open.
    pub advanced: bool,
    /// Inline errors, explained when drawn (the language may change).
    pub errors: Vec<FieldError>,
    /// Waiting for the worker.
    pub saving: bool,
    /// A JSON answer was pasted, and what of it was usable.
    pub pasted: Option<Pasted>,
    /// Put the cursor in the first field on the next frame.
    focus_first: bool,
    /// The offered name was taken: the focus goes on to the next field, not back to the top.
    focus_after_offer: bool,
    /// Save was pressed once: every field's errors show from then on.
    tried: bool,
    /// The fields typed in: their errors show as they are typed.
    touched: Vec<Field>,
    /// The redirect URI (Advanced).
    pub redirect_uri: String,
    /// `oauth2` endpoints, scopes and client authentication.
    pub oauth: OAuthFields,
    /// Send each new token to Postman.
    pub postman: bool,
    /// The Postman environment id.
    pub postman_env: String,
    /// The Postman variable.
    pub postman_var: String,
    /// What Postman said about the environment: `(environment, workspace others can see)`.
    pub postman_sharing: Option<(String, Option<Sharing>)>,
    /// The environment last asked about.
    sharing_asked: Option<String>,
    /// "Sync anyway": the person accepts that others see the token.
    pub postman_shared_ok: bool,
    /// What AI assistants may do with the account.
    pub assistants: Assistants,
    /// Where they may send its token, comma-separated (blank: the provider's API).
    pub assistant_origins: String,
}

/// The fields only an `oauth2` account has.
#[derive(Debug, Clone, Default)]
pub struct OAuthFields {
    /// Token endpoint (required).
    pub token_url: String,
    /// Authorization endpoint.
    pub authorize_url: String,
    /// Revocation endpoint (RFC 7009).
    pub revoke_url: String,
    /// An endpoint that names the account.
    pub check_url: String,
    /// Scopes, space-separated.
    pub scopes: String,
    /// Client authentication.
    pub client_auth: ClientAuth,
}

impl DialogState {
    /// A blank "Add account" dialog.
    pub fn add() -> Self {
        Self {
            draft: Draft {
                auto_refresh: true,
                ..Draft::default()
            },
            show_secret: false,
            show_refresh: false,
            show_token: false,
            focus_token: false,
            advanced: false,
            errors: Vec::new(),
            saving: false,
            pasted: None,
            focus_first: true,
            focus_after_offer: false,
            tried: false,
            touched: Vec::new(),
            redirect_uri: String::new(),
            oauth: OAuthFields::default(),
            postman: false,
            postman_env: String::new(),
            postman_var: String::new(),
            postman_sharing: None,
            sharing_asked: None,
            postman_shared_ok: false,
            assistants: Assistants::Off,
            assistant_origins: String::new(),
        }
    }

    /// An "Edit" dialog for an account (secrets blank: keep the stored ones).
    pub fn edit(account: &AccountConfig) -> Self {
        let mut d = Self::add();
        d.draft.editing = Some(account.id);
        d.draft.original = Some(account.clone());
        d.draft.name = account.name.clone();
        d.draft.provider = account.provider;
        d.draft.client_id = account.client_id.clone();
        d.draft.base_url = account.base_url.clone().unwrap_or_default();
        d.draft.auto_refresh = account.auto_refresh;
        d.redirect_uri = account.redirect_uri.clone().unwrap_or_default();
        d.postman = account.postman_env.is_some();
        d.postman_env = account.postman_env.clone().unwrap_or_default();
        d.postman_var = account.postman_var.clone().unwrap_or_default();
        d.postman_shared_ok = account.postman_shared_ok;
        d.assistants = account.assistants;
        d.assistant_origins = account.assistant_origins.join(", ");
        d.oauth = OAuthFields {
            token_url: account.token_url.clone().unwrap_or_default(),
            authorize_url: account.authorize_url.clone().unwrap_or_default(),
            revoke_url: account.revoke_url.clone().unwrap_or_default(),
            check_url: account.check_url.clone().unwrap_or_default(),
            scopes: account.scopes.join(" "),
            client_auth: account.client_auth.unwrap_or_default(),
        };
        d.advanced = account.base_url.is_some() || account.redirect_uri.is_some();
        d
    }

    /// The worker refused the input (e.g. a name taken meanwhile): show it inline.
    pub fn failed(&mut self, error: &Arc<Error>) {
        self.saving = false;
        self.errors = vec![(field_of(error), error.clone())];
    }

    fn field_errors(&self, ui: &mut egui::Ui, field: Field, lang: Lang) {
        for (_, e) in self.errors.iter().filter(|(f, _)| *f == Some(field)) {
            ui.label(
                RichText::new(error_line(e, lang))
                    .color(style::readable(ui, style::RED))
                    .small(),
            );
        }
    }

    /// A JSON answer pasted into any field fills the token fields; the field keeps its text.
    fn take_pasted_json(&mut self, before: &Draft) {
        let fields: [(&mut String, &str); 3] = [
            (&mut self.draft.name, &before.name),
            (&mut self.draft.client_id, &before.client_id),
            (&mut self.draft.base_url, &before.base_url),
        ];
        let mut found = None;
        for (now, was) in fields {
            if *now != was
                && let Some(parsed) = parse_rd_answer(now)
            {
                now.clear();
                now.push_str(was);
                found = Some(parsed);
            }
        }
        for (now, was) in [
            (&mut self.draft.client_secret, &before.client_secret),
            (&mut self.draft.refresh_token, &before.refresh_token),
        ] {
            if now.as_str() != was.as_str()
                && let Some(parsed) = parse_rd_answer(now)
            {
                *now = was.clone();
                found = Some(parsed);
            }
        }
        self.apply_answer(found);
    }

    fn apply_answer(&mut self, answer: Option<PastedAnswer>) {
        let Some(PastedAnswer {
            refresh_token: refresh,
            access_token: access,
        }) = answer
        else {
            return;
        };
        if let Some(r) = refresh {
            self.draft.refresh_token = Zeroizing::new(r);
            self.show_refresh = false;
        }
        self.pasted = Some(match &access {
            Some((_, life)) => Pasted::Tokens(*life),
            None => Pasted::RefreshOnly,
        });
        self.draft.access_token = access.map(|(a, life)| (Zeroizing::new(a), life));
    }

    /// Draws the dialog; pushes `Save` with valid input, or `CloseDialog`.
    pub(crate) fn show(
        &mut self,
        ctx: &egui::Context,
        snapshot: &Snapshot,
        lang: Lang,
        actions: &mut Vec<Action>,
    ) {
        self.take_answer_pastes(ctx);
        let before = self.draft.clone();
        // Enter in a text field saves (egui has just taken the field's focus away for it).
        let enter = ctx.memory(|m| m.focused()).is_some_and(|id| {
            egui::text_edit::TextEditState::load(ctx, id).is_some()
                && ctx.input(|i| i.key_pressed(egui::Key::Enter))
        });
        let mut outcome = None;
        let mut asks = Vec::new();
        let title = self.title(&before, lang);
        let modal = crate::gui::view::modal::modal(
            ctx,
            (egui::Id::unique("account-dialog"), &title),
            460.0,
            false,
            |ui, part| {
                if part == Part::Footer {
                    ui.add_space(8.0);
                    outcome = self.buttons(ui, snapshot, enter, lang);
                    return;
                }
                self.account_fields(ui, &before, lang);
                if self.draft.provider.is_static() {
                    // No refresh: no client, no automatic refresh, nothing new to send to
                    // Postman after one.
                    self.static_field(ui, lang);
                } else {
                    self.secret_fields(ui, lang);
                    ui.checkbox(&mut self.draft.auto_refresh, T::FieldAutoRefresh.tr(lang));
                    if let Some(ask) = self.postman_fields(ui, lang) {
                        asks.push(ask);
                    }
                }
                // After Advanced: the keyboard path through the fields people had stays the same.
                self.advanced_fields(ui, lang);
                self.assistant_fields(ui, lang);
                for (_, e) in self.errors.iter().filter(|(f, _)| f.is_none()) {
                    ui.label(
                        RichText::new(error_line(e, lang)).color(style::readable(ui, style::RED)),
                    );
                }
            },
        );
        self.take_pasted_json(&before);
        if self.check_as_typed(&before, snapshot) {
            // Lay the dialog out again with its errors before anyone clicks where a button
            // was.
            ctx.request_discard("the dialog's errors changed");
        }
        if modal.should_close() && outcome.is_none() {
            outcome = Some(Action::CloseDialog);
        }
        actions.extend(asks);
        actions.extend(outcome);
    }

    /// A paste of RD's JSON answer anywhere in the dialog fills the token fields; the focused
    /// field never receives it.
    fn take_answer_pastes(&mut self, ctx: &egui::Context) {
        let pasted: Vec<String> = ctx.input_mut(|i| {
            let mut taken = Vec::new();
            i.events.retain(|e| match e {
                egui::Event::Paste(text) if parse_rd_answer(text).is_some() => {
                    taken.push(text.clone());
                    false
                }
                _ => true,
            });
            taken
        });
        for text in pasted {
            self.apply_answer(parse_rd_answer(&text));
        }
    }

    /// "Add an account", or "Edit loja" (the name as it was before this frame's typing).
    fn title(&self, before: &Draft, lang: Lang) -> String {
        match self.draft.editing {
            Some(_) => T::DialogEditTitle.fill(lang, &[("name", &before.name)]),
            None => T::DialogAddTitle.tr(lang).to_owned(),
        }
    }

    /// The title, then the name (with a better one offered), the provider (with `oauth2`'s
    /// fields) and the client ID.
    fn account_fields(&mut self, ui: &mut egui::Ui, before: &Draft, lang: Lang) {
        ui.heading(self.title(before, lang));
        ui.add_space(8.0);
        let label = ui.label(T::FieldName.tr(lang));
        let name = ui
            .add(
                egui::TextEdit::singleline(&mut self.draft.name)
                    .hint_text(T::FieldNameHint.tr(lang))
                    .desired_width(f32::INFINITY),
            )
            .labelled_by(label.id);
        if std::mem::take(&mut self.focus_first) {
            name.request_focus();
        }
        self.field_errors(ui, Field::Name, lang);
        if let Some(better) = self.name_offer() {
            let offer = T::UseName.fill(lang, &[("name", &better)]);
            if ui.button(offer).clicked() {
                self.draft.name = better;
                self.focus_after_offer = true;
            }
        }
        let label = ui.label(T::FieldProvider.tr(lang));
        let provider = egui::ComboBox::from_id_salt("provider")
            .selected_text(provider_name(self.draft.provider, lang))
            .show_ui(ui, |ui| {
                for p in ProviderKind::ALL {
                    ui.selectable_value(&mut self.draft.provider, p, provider_name(p, lang));
                }
            })
            .response
            .labelled_by(label.id);
        // The button that was clicked is gone: Tab continues from where it was.
        if std::mem::take(&mut self.focus_after_offer) {
            provider.request_focus();
        }
        if self.draft.provider == ProviderKind::OAuth2 {
            self.oauth_fields(ui, lang);
        }
        if self.draft.provider.is_static() {
            return;
        }
        let label = ui.label(T::FieldClientId.tr(lang));
        ui.add(egui::TextEdit::singleline(&mut self.draft.client_id).desired_width(f32::INFINITY))
            .labelled_by(label.id);
        self.field_errors(ui, Field::ClientId, lang);
    }

    /// The client secret and the refresh token (masked, with a show toggle), and what a
    /// pasted JSON answer gave.
    fn secret_fields(&mut self, ui: &mut egui::Ui, lang: Lang) {
        let editing = self.draft.editing.is_some();
        let keep = T::FieldKeepHint.tr(lang);
        let label = ui.label(T::FieldClientSecret.tr(lang));
        ui.horizontal(|ui| {
            let hint = if editing { keep } else { "" };
            let secret = &mut self.draft.client_secret;
            let what = (label.id, T::FieldClientSecret.tr(lang));
            secret_field(ui, secret, &mut self.show_secret, hint, lang, what);
        });
        self.field_errors(ui, Field::ClientSecret, lang);
        let label = ui.label(T::FieldRefreshToken.tr(lang));
        ui.horizontal(|ui| {
            let hint = if editing {
                keep
            } else {
                T::FieldRefreshHint.tr(lang)
            };
            let token = &mut self.draft.refresh_token;
            let what = (label.id, T::FieldRefreshToken.tr(lang));
            secret_field(ui, token, &mut self.show_refresh, hint, lang, what);
        });
        if let Some(pasted) = self.pasted {
            let text = match pasted {
                Pasted::Tokens(life) => {
                    T::PastedJson.fill(lang, &[("time", &crate::i18n::time::duration(life, lang))])
                }
                Pasted::RefreshOnly => T::PastedJsonRefreshOnly.tr(lang).to_owned(),
            };
            ui.label(
                RichText::new(text)
                    .color(style::readable(ui, style::GREEN))
                    .small(),
            );
        } else if !editing {
            ui.label(RichText::new(T::FieldOptionalHint.tr(lang)).weak().small());
        }
        self.field_errors(ui, Field::RefreshToken, lang);
    }

    /// "Advanced": the base URL and the redirect URI.
    /// Save (and "Save and authorize" for an account without a token), and Cancel: the
    /// action they ask for, once the input is valid.
    fn buttons(
        &mut self,
        ui: &mut egui::Ui,
        snapshot: &Snapshot,
        enter: bool,
        lang: Lang,
    ) -> Option<Action> {
        let mut outcome = None;
        ui.horizontal(|ui| {
            let label = if self.saving { T::Saving } else { T::Save };
            let save = ui.add_enabled(
                !self.saving,
                egui::Button::new(
                    RichText::new(label.tr(lang))
                        .strong()
                        .color(egui::Color32::WHITE),
                )
                .fill(style::ACCENT_FILL),
            );
            // Without a refresh token, the natural next step is the browser.
            let no_token = self.draft.editing.is_none()
                && !self.draft.provider.is_static()
                && self.draft.refresh_token.trim().is_empty()
                && self.draft.access_token.is_none();
            let and_authorize = no_token
                && ui
                    .add_enabled(
                        !self.saving,
                        egui::Button::new(T::AuthSaveAndAuthorize.tr(lang)),
                    )
                    .clicked();
            if save.clicked() || and_authorize || (enter && !self.saving) {
                self.fill_settings();
                self.draft.authorize_after = and_authorize;
                self.tried = true;
                self.errors = self.validate(snapshot);
                if self.errors.is_empty() {
                    self.saving = true;
                    outcome = Some(Action::Save(Box::new(self.draft.clone())));
                }
            }
            if ui.button(T::Cancel.tr(lang)).clicked() {
                outcome = Some(Action::CloseDialog);
            }
        });
        outcome
    }

    /// Puts what the dialog's own fields hold (redirect URI, Postman, `oauth2`) into the
    /// draft's settings.
    fn fill_settings(&mut self) {
        let settings = &mut self.draft.settings;
        settings.redirect_uri = Some(self.redirect_uri.trim().to_owned());
        settings.postman_env = Some(if self.postman {
            self.postman_env.trim().to_owned()
        } else {
            String::new()
        });
        settings.postman_var = Some(self.postman_var.trim().to_owned());
        settings.postman_shared_ok = Some(self.postman_shared_ok).filter(|_| self.postman);
        settings.assistants = Some(self.assistants);
        settings.assistant_origins = Some(vec![self.assistant_origins.clone()]);
        if self.draft.provider == ProviderKind::OAuth2 {
            let o = &self.oauth;
            settings.token_url = Some(o.token_url.trim().to_owned());
            settings.authorize_url = Some(o.authorize_url.trim().to_owned());
            settings.revoke_url = Some(o.revoke_url.trim().to_owned());
            settings.check_url = Some(o.check_url.trim().to_owned());
            settings.scopes = Some(vec![o.scopes.clone()]);
            settings.client_auth = Some(o.client_auth);
        }
    }
}
