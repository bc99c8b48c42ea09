//! Settings' token endpoint: the switch, the key (masked, with Copy key), and "Copy Postman
//! pre-request script". The key itself never reaches the window: Copy goes through the worker.

use egui::{RichText, Ui};

use crate::core::config::EndpointSettings;
use crate::gui::action::Action;
use crate::gui::style;
use crate::i18n::{Lang, T};

/// Draws the section; `agent_runs`: whether an agent serves it now.
pub fn endpoint_section(
    ui: &mut Ui,
    settings: &EndpointSettings,
    agent_runs: bool,
    lang: Lang,
    actions: &mut Vec<Action>,
) {
    ui.add_space(10.0);
    ui.label(RichText::new(T::SettingsEndpointTitle.tr(lang)).strong());
    let url = format!("http://127.0.0.1:{}", settings.port());
    let mut on = settings.enabled;
    if ui
        .checkbox(&mut on, T::SettingsEndpoint.fill(lang, &[("url", &url)]))
        .on_hover_text(T::SettingsEndpointHint.tr(lang))
        .changed()
    {
        actions.push(Action::SetEndpoint(on));
    }
    if !settings.enabled {
        return;
    }
    ui.horizontal(|ui| {
        ui.label(T::SettingsEndpointKey.tr(lang));
        ui.label(RichText::new("••••••••••••••••").monospace());
        if ui.button(T::SettingsEndpointCopyKey.tr(lang)).clicked() {
            actions.push(Action::CopyEndpointKey);
        }
    });
    if ui.button(T::SettingsEndpointCopyScript.tr(lang)).clicked() {
        actions.push(Action::CopyPostmanScript);
    }
    if !agent_runs {
        ui.label(
            RichText::new(T::SettingsEndpointNoAgent.tr(lang))
                .color(style::readable(ui, style::AMBER)),
        );
    }
}
