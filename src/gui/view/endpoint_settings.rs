//! Settings' token endpoint: the switch, the key (masked, with Copy key), "Copy Postman
//! pre-request script", and who holds the port (checked when Settings opens, and again on
//! "Check the port"). The key itself never reaches the window: Copy goes through the worker.

use egui::{RichText, Ui};

use crate::agent::control::Background;
use crate::core::config::EndpointSettings;
use crate::core::config::Switch;
use crate::core::endpoint::probe::Holder;
use crate::gui::action::Action;
use crate::gui::style;
use crate::i18n::{Lang, T};

/// Draws the section; `bg`: whether an agent serves it now, and should; `holder`: who
/// answered on which port when last asked.
pub(crate) fn endpoint_section(
    ui: &mut Ui,
    settings: &EndpointSettings,
    (bg, holder): (Background, Option<&(u16, Holder)>),
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
        actions.push(Action::SetEndpoint(Switch::from_on(on)));
    }
    if !settings.enabled {
        return;
    }
    ui.horizontal(|ui| {
        ui.label(T::SettingsEndpointKey.tr(lang));
        let masked = ui.label(RichText::new("••••••••••••••••").monospace());
        let hidden = T::A11yHidden.fill(lang, &[("what", T::SettingsEndpointKey.tr(lang))]);
        crate::gui::view::a11y::named(masked, &hidden);
        if ui.button(T::SettingsEndpointCopyKey.tr(lang)).clicked() {
            actions.push(Action::CopyEndpointKey);
        }
    });
    if ui.button(T::SettingsEndpointCopyScript.tr(lang)).clicked() {
        actions.push(Action::CopyPostmanScript);
    }
    match (bg.running, bg.at_login) {
        (true, _) => {}
        (false, true) => {
            let what = T::SettingsEndpointAgentStopped;
            agent_stopped(ui, what, lang, actions);
        }
        (false, false) => {
            ui.label(
                RichText::new(T::SettingsEndpointNoAgent.tr(lang))
                    .color(style::readable(ui, style::AMBER)),
            );
        }
    }
    let port = settings.port();
    let said = holder
        .filter(|(p, _)| *p == port)
        .and_then(|(_, h)| said_of(h, port, lang));
    if let Some((text, color)) = said {
        ui.label(RichText::new(text).color(style::readable(ui, color)));
    }
    if ui.button(T::SettingsEndpointCheck.tr(lang)).clicked() {
        actions.push(Action::CheckEndpointPort);
    }
}

/// What the window says of who holds the port (nothing when nobody does: the agent's line
/// covers that).
fn said_of(holder: &Holder, port: u16, lang: Lang) -> Option<(String, egui::Color32)> {
    let port = port.to_string();
    Some(match holder {
        Holder::Nobody => return None,
        Holder::Renova => (
            T::SettingsEndpointVerified.tr(lang).to_owned(),
            style::GREEN,
        ),
        Holder::Other(answer) => (
            T::SettingsEndpointSquatted.fill(lang, &[("port", &port), ("answer", answer)]),
            style::RED,
        ),
        Holder::Unverified(_) => (
            T::SettingsEndpointUnverified.fill(lang, &[("port", &port)]),
            style::AMBER,
        ),
        Holder::NotReady => (
            T::SettingsEndpointNotReady.tr(lang).to_owned(),
            style::AMBER,
        ),
    })
}

/// AI assistants: which accounts are shared with them (each account's Edit chooses), and the
/// one line that connects Claude Code.
pub(crate) fn assistants_section(
    ui: &mut Ui,
    shared: &[String],
    lang: Lang,
    actions: &mut Vec<Action>,
) {
    ui.add_space(10.0);
    ui.label(RichText::new(T::FieldAssistants.tr(lang)).strong());
    let text = if shared.is_empty() {
        T::SettingsAssistantsNone.tr(lang).to_owned()
    } else {
        T::SettingsAssistantsShared.fill(lang, &[("names", &shared.join(", "))])
    };
    ui.label(RichText::new(text).small());
    ui.horizontal(|ui| {
        ui.label(
            RichText::new(crate::core::assistants::CLAUDE_CODE_SETUP)
                .monospace()
                .small(),
        );
        if ui.small_button(T::SettingsCopyMcpSetup.tr(lang)).clicked() {
            actions.push(Action::CopyMcpSetup);
        }
    });
}

/// The agent that should run does not: what that means (`what`), and **Start it now**.
pub(crate) fn agent_stopped(ui: &mut Ui, what: T, lang: Lang, actions: &mut Vec<Action>) {
    ui.label(RichText::new(what.tr(lang)).color(style::readable(ui, style::AMBER)));
    if ui.button(T::BackgroundStartNow.tr(lang)).clicked() {
        actions.push(Action::SetBackground(Switch::On));
    }
}
