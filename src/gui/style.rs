//! Colours, spacing and the small painted pieces (state chips, provider badges, card frames)
//! that make the window look like one product in light and dark themes.

use egui::{Color32, CornerRadius, Frame, Margin, RichText, Stroke, Ui};

use crate::core::config::ProviderKind;
use crate::gui::snapshot::CardState;
use crate::i18n::{Lang, T};

/// Renova's accent (the icon's teal).
pub const ACCENT: Color32 = Color32::from_rgb(0x12, 0x9e, 0x8a);
/// Valid.
pub const GREEN: Color32 = Color32::from_rgb(0x22, 0x9a, 0x4f);
/// Expiring soon.
pub const AMBER: Color32 = Color32::from_rgb(0xd9, 0x8a, 0x00);
/// Expired, needs authorization, errors.
pub const RED: Color32 = Color32::from_rgb(0xd0, 0x3b, 0x32);
/// Busy (refreshing, checking…).
pub const BLUE: Color32 = Color32::from_rgb(0x2f, 0x7d, 0xe1);
/// Retrying.
pub const ORANGE: Color32 = Color32::from_rgb(0xe0, 0x6c, 0x1f);
/// The demo label.
pub const PURPLE: Color32 = Color32::from_rgb(0x7c, 0x4d, 0xd6);

/// Sets fonts, spacing and colours once.
pub fn install(ctx: &egui::Context) {
    // The proportional font (Ubuntu) lacks the few symbols the cards use (… ▾ ↻); the bundled
    // monospace font (Hack) has them, so it is the fallback, at no extra size.
    let mut fonts = egui::FontDefinitions::default();
    if let Some(family) = fonts.families.get_mut(&egui::FontFamily::Proportional) {
        family.push("Hack".to_owned());
    }
    ctx.set_fonts(fonts);
    ctx.all_styles_mut(|style| {
        style.spacing.item_spacing = egui::vec2(8.0, 6.0);
        style.spacing.button_padding = egui::vec2(10.0, 5.0);
        style.spacing.interact_size.y = 26.0;
        style.visuals.selection.bg_fill = ACCENT;
        style.visuals.hyperlink_color = ACCENT;
    });
}

/// The colour of a card state.
pub fn state_color(state: &CardState) -> Color32 {
    match state {
        CardState::Valid => GREEN,
        CardState::Expiring => AMBER,
        CardState::Expired | CardState::NeedsAuthorization | CardState::KeychainError => RED,
        CardState::Busy(_) => BLUE,
        CardState::Retrying(_) => ORANGE,
    }
}

/// A small filled pill with text.
pub fn pill(ui: &mut Ui, text: &str, color: Color32) -> egui::Response {
    Frame::new()
        .fill(color.gamma_multiply(0.18))
        .stroke(Stroke::new(1.0, color.gamma_multiply(0.6)))
        .corner_radius(CornerRadius::same(10))
        .inner_margin(Margin::symmetric(8, 2))
        .show(ui, |ui| {
            ui.label(RichText::new(text).small().strong().color(color));
        })
        .response
}

/// The provider's badge.
pub fn provider_badge(ui: &mut Ui, provider: ProviderKind, lang: Lang) {
    let (text, color) = match provider {
        ProviderKind::RdStation => (T::ProviderRd.tr(lang), Color32::from_rgb(0x1e, 0x88, 0xe5)),
        ProviderKind::RdStationCrm => {
            (T::ProviderCrm.tr(lang), Color32::from_rgb(0x8e, 0x44, 0xad))
        }
        ProviderKind::OAuth2 => (
            T::ProviderOAuth2.tr(lang),
            Color32::from_rgb(0x60, 0x7d, 0x8b),
        ),
    };
    pill(ui, text, color);
}

/// The frame of an account card.
pub fn card_frame(ui: &Ui) -> Frame {
    let v = ui.visuals();
    Frame::new()
        .stroke(Stroke::new(1.0, v.widgets.noninteractive.bg_stroke.color))
        .corner_radius(CornerRadius::same(12))
        .inner_margin(Margin::same(14))
}

/// A banner frame in a colour.
pub fn banner_frame(color: Color32) -> Frame {
    Frame::new()
        .fill(color.gamma_multiply(0.14))
        .stroke(Stroke::new(1.0, color.gamma_multiply(0.7)))
        .corner_radius(CornerRadius::same(8))
        .inner_margin(Margin::symmetric(12, 8))
}
