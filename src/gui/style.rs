//! Colours, spacing and the small painted pieces (state chips, provider badges, card frames)
//! that make the window look like one product in light and dark themes.

use egui::{Color32, CornerRadius, Frame, Margin, RichText, Stroke, Ui};

use crate::core::config::ProviderKind;
use crate::core::status::Condition;
use crate::i18n::{Lang, T};

/// Renova's accent (the icon's teal).
pub(crate) const ACCENT: Color32 = Color32::from_rgb(0x12, 0x9e, 0x8a);
/// Valid.
pub(crate) const GREEN: Color32 = Color32::from_rgb(0x22, 0x9a, 0x4f);
/// Expiring soon.
pub(crate) const AMBER: Color32 = Color32::from_rgb(0xd9, 0x8a, 0x00);
/// Expired, needs authorization, errors.
pub(crate) const RED: Color32 = Color32::from_rgb(0xd0, 0x3b, 0x32);
/// Busy (refreshing, checking…).
pub(crate) const BLUE: Color32 = Color32::from_rgb(0x2f, 0x7d, 0xe1);
/// Retrying.
pub(crate) const ORANGE: Color32 = Color32::from_rgb(0xe0, 0x6c, 0x1f);
/// The demo label.
pub(crate) const PURPLE: Color32 = Color32::from_rgb(0x7c, 0x4d, 0xd6);
/// The fill of a main button with white text (the accent, darkened to 4.5:1 against white).
pub(crate) const ACCENT_FILL: Color32 = Color32::from_rgb(0x0b, 0x72, 0x64);
/// The size of egui's small text style (its default, 9 px, is too small to read).
pub(crate) const SMALL_TEXT: f32 = 12.0;
/// The least contrast of text against its background (WCAG AA, normal text).
pub(crate) const MIN_CONTRAST: f32 = 4.5;

/// Sets fonts, spacing and colours once.
pub(crate) fn install(ctx: &egui::Context) {
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
        if let Some(small) = style.text_styles.get_mut(&egui::TextStyle::Small) {
            small.size = SMALL_TEXT;
        }
        let v = &mut style.visuals;
        if v.dark_mode {
            // egui's dark text (grey 140) falls under 4.5:1 on the tinted banners.
            v.widgets.noninteractive.fg_stroke.color = Color32::from_gray(180);
        }
        // egui's weak text is its text colour at 60 %: about 2.7:1 on the dark panel.
        v.weak_text_color = Some(if v.dark_mode {
            Color32::from_gray(150)
        } else {
            Color32::from_gray(90)
        });
        v.selection.bg_fill = ACCENT_FILL;
        v.selection.stroke.color = Color32::WHITE;
        v.hyperlink_color = readable_on(ACCENT, v);
    });
}

/// WCAG's contrast ratio of two opaque colours (1 to 21).
pub(crate) fn contrast(a: Color32, b: Color32) -> f32 {
    fn luminance(c: Color32) -> f32 {
        let lin = |v: u8| {
            let v = f32::from(v) / 255.0;
            if v <= 0.040_45 {
                v / 12.92
            } else {
                ((v + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * lin(c.r()) + 0.7152 * lin(c.g()) + 0.0722 * lin(c.b())
    }
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// A (premultiplied, possibly translucent) colour painted over an opaque one.
pub(crate) fn over(fg: Color32, bg: Color32) -> Color32 {
    let keep = 1.0 - f32::from(fg.a()) / 255.0;
    let mix = |f: u8, b: u8| (f32::from(f) + f32::from(b) * keep).round().min(255.0) as u8;
    Color32::from_rgb(
        mix(fg.r(), bg.r()),
        mix(fg.g(), bg.g()),
        mix(fg.b(), bg.b()),
    )
}

/// The fill of a card's main button (Copy, or the fix), under the theme's button text.
pub(crate) fn main_fill() -> Color32 {
    ACCENT.gamma_multiply(0.35)
}

/// The fill of a pill of a colour.
pub(crate) fn tint(color: Color32) -> Color32 {
    color.gamma_multiply(0.18)
}

/// A state colour made readable as text in these visuals: moved towards white (dark theme) or
/// black (light theme) until it reaches [`MIN_CONTRAST`] on the panel and on its own pill.
pub(crate) fn readable_on(color: Color32, visuals: &egui::Visuals) -> Color32 {
    let bg = visuals.panel_fill;
    let pill = over(tint(color), bg);
    let target = if visuals.dark_mode {
        Color32::WHITE
    } else {
        Color32::BLACK
    };
    (0..=20)
        .map(|step| lerp(color, target, step as f32 / 20.0))
        .find(|c| contrast(*c, bg) >= MIN_CONTRAST && contrast(*c, pill) >= MIN_CONTRAST)
        .unwrap_or(target)
}

fn lerp(a: Color32, b: Color32, t: f32) -> Color32 {
    let mix = |x: u8, y: u8| (f32::from(x) + (f32::from(y) - f32::from(x)) * t).round() as u8;
    Color32::from_rgb(mix(a.r(), b.r()), mix(a.g(), b.g()), mix(a.b(), b.b()))
}

/// [`readable_on`] in this `ui`'s visuals.
pub(crate) fn readable(ui: &Ui, color: Color32) -> Color32 {
    readable_on(color, ui.visuals())
}

/// Secondary text (times, hints), at [`MIN_CONTRAST`].
pub(crate) fn weak(ui: &Ui) -> Color32 {
    ui.visuals().weak_text_color()
}

/// The colour of a card state.
pub(crate) fn condition_color(condition: Condition) -> Color32 {
    match condition {
        Condition::Valid => GREEN,
        Condition::Expiring => AMBER,
        Condition::Expired | Condition::NeedsAuthorization | Condition::KeychainError => RED,
        Condition::Retrying { .. } => ORANGE,
    }
}

/// A small filled pill with text.
pub(crate) fn pill(ui: &mut Ui, text: &str, color: Color32) -> egui::Response {
    Frame::new()
        .fill(tint(color))
        .stroke(Stroke::new(1.0, color.gamma_multiply(0.6)))
        .corner_radius(CornerRadius::same(10))
        .inner_margin(Margin::symmetric(8, 2))
        .show(ui, |ui| {
            let text = RichText::new(text).small().strong();
            ui.label(text.color(readable(ui, color)));
        })
        .response
}

/// The provider's badge.
pub(crate) fn provider_badge(ui: &mut Ui, provider: ProviderKind, lang: Lang) {
    let (text, color) = match provider {
        ProviderKind::RdStation => (T::ProviderRd.tr(lang), Color32::from_rgb(0x1e, 0x88, 0xe5)),
        ProviderKind::RdStationCrm => {
            (T::ProviderCrm.tr(lang), Color32::from_rgb(0x8e, 0x44, 0xad))
        }
        ProviderKind::OAuth2 => (
            T::ProviderOAuth2.tr(lang),
            Color32::from_rgb(0x60, 0x7d, 0x8b),
        ),
        ProviderKind::Static => (
            T::ProviderStatic.tr(lang),
            Color32::from_rgb(0x6d, 0x4c, 0x41),
        ),
        ProviderKind::RdStationCrmV1 => (
            T::ProviderCrmV1.tr(lang),
            Color32::from_rgb(0x8e, 0x44, 0xad),
        ),
        ProviderKind::RdStationConversas => (
            T::ProviderConversas.tr(lang),
            Color32::from_rgb(0x00, 0x89, 0x7b),
        ),
    };
    pill(ui, text, color);
}

/// The frame of an account card.
pub(crate) fn card_frame(ui: &Ui) -> Frame {
    let v = ui.visuals();
    Frame::new()
        .stroke(Stroke::new(1.0, v.widgets.noninteractive.bg_stroke.color))
        .corner_radius(CornerRadius::same(12))
        .inner_margin(Margin::same(14))
}

/// A banner frame in a colour.
pub(crate) fn banner_frame(color: Color32) -> Frame {
    Frame::new()
        .fill(color.gamma_multiply(0.14))
        .stroke(Stroke::new(1.0, color.gamma_multiply(0.7)))
        .corner_radius(CornerRadius::same(8))
        .inner_margin(Margin::symmetric(12, 8))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every text colour the window uses, on every background it is drawn on, in both themes.
    #[test]
    fn every_text_meets_wcag_aa_in_both_themes() {
        let ctx = egui::Context::default();
        install(&ctx);
        let mut failures = Vec::new();
        for theme in [egui::Theme::Dark, egui::Theme::Light] {
            let style = ctx.style_of(theme);
            let v = &style.visuals;
            let panel = v.panel_fill;
            let button = v.widgets.inactive.weak_bg_fill;
            let mut pairs = vec![
                ("text", v.text_color(), panel, MIN_CONTRAST),
                ("weak text", v.weak_text_color(), panel, MIN_CONTRAST),
                ("strong text", v.strong_text_color(), panel, MIN_CONTRAST),
                (
                    "button text",
                    v.widgets.inactive.fg_stroke.color,
                    button,
                    MIN_CONTRAST,
                ),
                (
                    "text field",
                    v.text_color(),
                    v.extreme_bg_color,
                    MIN_CONTRAST,
                ),
                (
                    "main button",
                    v.widgets.inactive.fg_stroke.color,
                    over(main_fill(), panel),
                    MIN_CONTRAST,
                ),
                (
                    "Save (white on accent)",
                    Color32::WHITE,
                    ACCENT_FILL,
                    MIN_CONTRAST,
                ),
                ("confirm (white on red)", Color32::WHITE, RED, MIN_CONTRAST),
                (
                    "selected text",
                    v.selection.stroke.color,
                    v.selection.bg_fill,
                    MIN_CONTRAST,
                ),
                ("link", v.hyperlink_color, panel, MIN_CONTRAST),
                // The title: 22 px bold is large text (3:1).
                ("title", ACCENT, panel, 3.0),
            ];
            for (name, color) in [
                ("green", GREEN),
                ("amber", AMBER),
                ("red", RED),
                ("blue", BLUE),
                ("orange", ORANGE),
                ("purple", PURPLE),
                ("rd badge", Color32::from_rgb(0x1e, 0x88, 0xe5)),
                ("crm badge", Color32::from_rgb(0x8e, 0x44, 0xad)),
                ("oauth badge", Color32::from_rgb(0x60, 0x7d, 0x8b)),
            ] {
                let text = readable_on(color, v);
                pairs.push((name, text, panel, MIN_CONTRAST));
                pairs.push((name, text, over(tint(color), panel), MIN_CONTRAST));
                // Banners draw the theme's text on a tint of their colour.
                let banner = over(banner_frame(color).fill, panel);
                pairs.push((name, v.text_color(), banner, MIN_CONTRAST));
            }
            for (name, fg, bg, least) in pairs {
                let ratio = contrast(fg, bg);
                if ratio < least {
                    failures.push(format!(
                        "{theme:?} {name}: {fg:?} on {bg:?} is {ratio:.2}:1"
                    ));
                }
            }
            for (text_style, font) in &style.text_styles {
                assert!(font.size >= 11.0, "{text_style:?} is {} px", font.size);
            }
        }
        assert!(failures.is_empty(), "{failures:#?}");
    }

    #[test]
    fn contrast_matches_wcag_examples() {
        assert!((contrast(Color32::BLACK, Color32::WHITE) - 21.0).abs() < 0.01);
        assert!((contrast(Color32::from_gray(118), Color32::WHITE) - 4.54).abs() < 0.02);
    }
}
