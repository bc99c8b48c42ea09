//! One account's card: name, provider badge and account name; the state chip and the … menu;
//! the countdown with expiry and last-refresh times; the one button that fixes a problem, then
//! Copy (▾ for other forms) while the token still works, and Refresh; the trouble's sentence
//! with its Details; Postman's sync line; the draining bar. The card itself takes focus (Tab)
//! and copies on Enter. Rows lay out in reading order and wrap instead of overlapping.

use std::time::Duration;

use egui::{Key, RichText, Sense, Stroke, Ui, UiBuilder};

use crate::core::clock::seconds_until;
use crate::core::config::AccountConfig;
use crate::core::error::{Error, InputError};
use crate::core::expiry;
use crate::core::postman::target;
use crate::core::secrets::EndpointKind;
use crate::core::state::{AccountState, StoredError};
use crate::core::status::AccountStatus;
use crate::core::token_format::TokenFormat;
use crate::gui::action::Action;
use crate::gui::snapshot::Busy;
use crate::gui::style;
use crate::gui::view::ViewContext;
use crate::gui::view::a11y::named;
use crate::gui::view::card_buttons::{buttons, card_menu};
use crate::gui::view::row::split_row;
use crate::i18n::attention::{self, Trouble};
use crate::i18n::time::{date_time, duration};
use crate::i18n::{Lang, Surface, T, explain_for};

/// The chip's word: what is in flight, else the core's status in words.
pub(super) fn state_text(look: &Look, lang: Lang, now: jiff::Timestamp) -> String {
    match look.busy {
        Some(b) => match b {
            Busy::Refreshing => T::StateRefreshing,
            Busy::Copying => T::StateCopying,
            Busy::Checking => T::StateChecking,
            Busy::Revoking => T::StateRevoking,
            Busy::Removing => T::StateRemoving,
            Busy::Authorizing => T::StateAuthorizing,
            Busy::Confirming => T::StateConfirming,
        }
        .tr(lang)
        .to_owned(),
        None => attention::state_text(&look.status, lang, now),
    }
}

/// Everything a card shows, worked out before drawing.
pub(super) struct Look {
    pub(super) status: AccountStatus,
    pub(super) trouble: Option<Trouble>,
    pub(super) color: egui::Color32,
    /// What is in flight.
    pub(super) busy: Option<Busy>,
}

pub(super) fn look(cx: ViewContext<'_>, account: &AccountConfig, mirror: &AccountState) -> Look {
    let now = cx.now;
    let status = cx.snapshot.status(account, now);
    let busy = cx.snapshot.busy.get(&account.id).copied();
    let trouble = attention::trouble(account, mirror, &status, now, cx.lang, Surface::Window);
    let color = match status.attention.map(|a| a.cause) {
        Some(cause) if cause.can_wait() => style::AMBER,
        Some(_) => style::RED,
        None if busy.is_some() => style::BLUE,
        None => style::condition_color(status.condition),
    };
    Look {
        busy,
        status,
        trouble,
        color,
    }
}

/// Draws one card, at least `min_height` tall (the tallest card of its row, so that a row's
/// cards align); returns the height its content needs.
pub(crate) fn card(
    ui: &mut Ui,
    (cx, min_height): (ViewContext<'_>, f32),
    account: &AccountConfig,
    actions: &mut Vec<Action>,
) -> f32 {
    let id = account.id;
    let mirror = cx.snapshot.state.get(&id);
    let look = look(cx, account, &mirror);
    // The card itself is the first stop of Tab within it; Enter copies.
    let rect_id = egui::Id::unique(("card-rect", id));
    let last = ui.ctx().data(|d| d.get_temp::<egui::Rect>(rect_id));
    let size = last.map_or(egui::vec2(ui.available_width(), 100.0), |r| r.size());
    let focus_rect = egui::Rect::from_min_size(ui.cursor().min, size);
    let focus = ui.interact(
        focus_rect,
        rect_id.with("focus"),
        Sense::focusable_noninteractive(),
    );
    // The card is a group named after its account, its state in the description, and its
    // controls inside it.
    focus.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Group, true, &account.name));
    let state = state_text(&look, cx.lang, cx.now);
    let state = match look.status.seconds_left.filter(|s| *s > 0) {
        Some(left) => {
            let left = cx.countdown(left);
            T::A11yCardState.fill(cx.lang, &[("state", &state), ("left", &left)])
        }
        // What the card shows where a countdown would be.
        None if look.status.never_expires => format!("{state}, {}", T::NeverExpires.tr(cx.lang)),
        None => state,
    };
    ui.ctx()
        .accesskit_node_builder(focus.id, |node| node.set_description(state));
    if focus.has_focus()
        && look.status.copyable
        && !cx.read_only
        && ui.input(|i| i.key_pressed(Key::Enter))
    {
        actions.push(Action::Copy(id, TokenFormat::Raw));
    }
    let highlighted = cx.highlight == Some(id);
    let mut frame = style::card_frame(ui);
    if highlighted || focus.has_focus() {
        frame = frame.stroke(Stroke::new(2.0, style::ACCENT));
    }
    let margins = frame.total_margin().sum().y;
    let shown = frame.show(ui, |ui| {
        ui.set_width(ui.available_width());
        let inside = UiBuilder::new().accessibility_parent(focus.id);
        let drawn = ui.push_id(id, |ui| {
            ui.scope_builder(inside, |ui| body(ui, cx, account, &mirror, &look, actions))
        });
        let needed = drawn.inner.response.rect.height();
        // Grown to the row's height: the space goes below the content.
        let short = min_height - margins - needed - ui.spacing().item_spacing.y;
        if short > 0.0 {
            ui.add_space(short);
        }
        needed
    });
    let rect = shown.response.rect;
    ui.ctx().data_mut(|d| d.insert_temp(rect_id, rect));
    shown.inner + margins
}

/// What one card draws from.
struct Card<'a> {
    cx: ViewContext<'a>,
    account: &'a AccountConfig,
    mirror: &'a AccountState,
    look: &'a Look,
}

fn body(
    ui: &mut Ui,
    cx: ViewContext<'_>,
    account: &AccountConfig,
    mirror: &AccountState,
    look: &Look,
    actions: &mut Vec<Action>,
) {
    let card = Card {
        cx,
        account,
        mirror,
        look,
    };
    card.head(ui, actions);
    card.main(ui, actions);
    card.below(ui, actions);
}

impl Card<'_> {
    /// Nothing is in flight and the window may change things.
    fn can_act(&self) -> bool {
        self.look.busy.is_none() && !self.cx.read_only
    }

    /// The name, the provider badge and RD's account name; the state chip and the … menu.
    fn head(&self, ui: &mut Ui, actions: &mut Vec<Action>) {
        let (cx, account, look) = (self.cx, self.account, self.look);
        split_row(
            ui,
            ui.scope_id().with("head"),
            |ui| {
                ui.label(RichText::new(&account.name).size(17.0).strong());
                style::provider_badge(ui, account.provider, cx.lang);
                if let Some(rd_name) = &self.mirror.account_name {
                    ui.label(RichText::new(rd_name).color(style::weak(ui)));
                }
            },
            |ui| {
                if look.busy.is_some() {
                    ui.spinner();
                }
                let state = state_text(look, cx.lang, cx.now);
                style::pill(ui, &state, look.color);
                let off = look.busy.is_some() || cx.read_only;
                card_menu(ui, (account.id, &account.name), off, cx.lang, actions);
            },
        );
    }

    /// The countdown with its times, then the buttons.
    fn main(&self, ui: &mut Ui, actions: &mut Vec<Action>) {
        let (cx, look) = (self.cx, self.look);
        split_row(
            ui,
            ui.scope_id().with("main"),
            |ui| {
                let left = look.status.seconds_left.unwrap_or(0);
                let shade = if left > 0 {
                    ui.visuals().strong_text_color()
                } else {
                    style::readable(ui, style::RED)
                };
                let never = look.status.never_expires;
                let text = if never {
                    RichText::new(T::NeverExpires.tr(cx.lang))
                        .size(22.0)
                        .color(ui.visuals().strong_text_color())
                } else {
                    RichText::new(cx.countdown(left))
                        .monospace()
                        .size(28.0)
                        .color(shade)
                };
                ui.label(text);
                let refreshable = look.status.refreshable;
                ui.vertical(|ui| {
                    times(
                        ui,
                        (self.account, refreshable),
                        self.mirror,
                        cx.lang,
                        cx.now,
                    );
                });
            },
            |ui| {
                let account = self.account;
                buttons(
                    ui,
                    account,
                    look,
                    self.can_act(),
                    cx.read_only,
                    cx.lang,
                    actions,
                );
            },
        );
    }

    /// Under the buttons: the trouble's sentence and Details, Confirm for an endpoint
    /// changed elsewhere, Postman's line, the CRM warning, the draining bar.
    fn below(&self, ui: &mut Ui, actions: &mut Vec<Action>) {
        let (lang, now, look, mirror) = (self.cx.lang, self.cx.now, self.look, self.mirror);
        if look.trouble.is_none() {
            // The line a problem's sentence takes, kept: a card does not shrink or grow under
            // the pointer when a retry comes and goes (space, not an empty label a screen
            // reader would stop on).
            ui.add_space(
                ui.text_style_height(&egui::TextStyle::Body) + ui.spacing().item_spacing.y,
            );
        }
        if let Some(t) = &look.trouble {
            ui.label(RichText::new(&t.sentence).color(style::readable(ui, look.color)));
            if let Some(details) = &t.details {
                let shown = egui::CollapsingHeader::new(T::Details.tr(lang))
                    .id_salt("details")
                    .show(ui, |ui| {
                        ui.label(RichText::new(details).color(style::weak(ui)));
                    });
                let name = &self.account.name;
                named(
                    shown.header_response,
                    &T::A11yDetails.fill(lang, &[("name", name)]),
                );
            }
        }
        if let Some((kind, url)) = endpoint_changed(mirror) {
            let confirm = egui::Button::new(T::ConfirmEndpoint.tr(lang));
            if ui
                .add_enabled(!self.cx.read_only, confirm)
                .on_hover_text(T::ConfirmEndpointHint.fill(lang, &[("url", url)]))
                .clicked()
                && self.can_act()
            {
                let id = self.account.id;
                actions.push(Action::ConfirmEndpoint(id, kind, url.to_owned()));
            }
        }
        postman_line(ui, self.account, mirror, lang, now);
        assistant_line(ui, self.account, mirror, lang, now);
        if look.status.refresh_token_ageing {
            let days = mirror
                .refresh_token_used_at
                .map_or(0, |t| seconds_until(t, now) / 86_400);
            ui.label(
                RichText::new(T::CrmIdleShort.fill(lang, &[("days", &days.to_string())]))
                    .color(style::readable(ui, style::AMBER)),
            );
        }
        if look.status.fraction > 0.0 {
            let bar = ui.add(
                egui::ProgressBar::new(look.status.fraction)
                    .desired_height(4.0)
                    .fill(look.color)
                    .corner_radius(2),
            );
            self.describe_bar(&bar);
        }
    }

    /// The draining bar as a screen reader reads it: the token's time left, in seconds,
    /// within its lifetime, and the same in words.
    fn describe_bar(&self, bar: &egui::Response) {
        let (lang, mirror) = (self.cx.lang, self.mirror);
        let life = expiry::lifetime(mirror.expires_at, mirror.obtained_at);
        let left = self.look.status.seconds_left.unwrap_or(0).max(0);
        let Some(life) = life else { return };
        let name = T::A11yTimeLeft.fill(lang, &[("name", &self.account.name)]);
        let words = T::A11yLeftValue.fill(
            lang,
            &[
                (
                    "left",
                    &duration(Duration::from_secs(left.unsigned_abs()), lang),
                ),
                ("life", &duration(life, lang)),
            ],
        );
        bar.ctx.accesskit_node_builder(bar.id, |node| {
            node.set_label(name);
            node.set_min_numeric_value(0.0);
            node.set_max_numeric_value(life.as_secs_f64());
            node.set_numeric_value(left as f64);
            node.set_value(words);
        });
    }
}

/// "expires 14:02 · automatic refresh off" and "last refresh 13:02".
fn times(
    ui: &mut Ui,
    (account, refreshable): (&AccountConfig, bool),
    mirror: &AccountState,
    lang: Lang,
    now: jiff::Timestamp,
) {
    let weak = style::weak(ui);
    let mut first = match mirror.expires_at {
        Some(exp) => T::ExpiresAt.fill(lang, &[("time", &date_time(exp, now, lang))]),
        None => String::new(),
    };
    if !account.auto_refresh && refreshable {
        if !first.is_empty() {
            first.push_str(" · ");
        }
        first.push_str(T::AutoRefreshOff.tr(lang));
    }
    if !first.is_empty() {
        ui.label(RichText::new(first).small().color(weak));
    }
    let last = match (mirror.last_refresh, mirror.obtained_at) {
        // A static token is never refreshed: when it was pasted is what there is to say.
        (_, Some(t)) if !refreshable => {
            T::TokenPasted.fill(lang, &[("time", &date_time(t, now, lang))])
        }
        (Some(t), _) => T::LastRefresh.fill(lang, &[("time", &date_time(t, now, lang))]),
        (None, _) => T::NotRefreshedYet.tr(lang).to_owned(),
    };
    ui.label(RichText::new(last).small().color(weak));
}

/// The endpoint and address that the last attempt refused because `accounts.toml` names an
/// endpoint the keychain entry was not set up for (the card then offers Confirm).
fn endpoint_changed(mirror: &AccountState) -> Option<(EndpointKind, &str)> {
    match &mirror.last_error {
        Some(StoredError::Input(InputError::EndpointChanged(change))) => {
            Some((change.kind, change.url.as_str()))
        }
        _ => None,
    }
}

/// "Postman updated 14:02", or why it was not.
/// Which AI assistant last used the account through `renova mcp`, when, and for what.
fn assistant_line(
    ui: &mut Ui,
    account: &AccountConfig,
    mirror: &AccountState,
    lang: Lang,
    now: jiff::Timestamp,
) {
    let Some(used) = mirror
        .assistant_use
        .as_ref()
        .filter(|_| account.assistants.shared())
    else {
        return;
    };
    let text = T::AssistantLastUse.fill(
        lang,
        &[
            ("client", &used.client),
            ("time", &date_time(used.at, now, lang)),
            ("what", &used.what),
        ],
    );
    ui.label(RichText::new(text).small().color(style::weak(ui)));
}

fn postman_line(
    ui: &mut Ui,
    account: &AccountConfig,
    mirror: &AccountState,
    lang: Lang,
    now: jiff::Timestamp,
) {
    if target(account).is_none() {
        return;
    }
    match (&mirror.postman_error, mirror.postman_synced_at) {
        (Some(e), _) => {
            let e = explain_for(
                Surface::Window,
                &Error::Postman(e.clone()),
                lang,
                &account.name,
            );
            let text = T::PostmanNotUpdated.fill(lang, &[("reason", &e.line())]);
            ui.label(RichText::new(text).color(style::readable(ui, style::AMBER)));
        }
        (None, Some(t)) => {
            let text = T::PostmanUpdated.fill(lang, &[("time", &date_time(t, now, lang))]);
            ui.label(RichText::new(text).small().color(style::weak(ui)));
        }
        (None, None) => {}
    }
}
