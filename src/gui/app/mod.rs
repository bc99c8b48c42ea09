//! [`RenovaApp`]: the eframe app. It owns the UI state, renders the worker's latest snapshot,
//! applies the worker's events in one place ([`RenovaApp::apply`]) and turns every action the
//! views report into UI-state changes and worker commands in one place
//! ([`RenovaApp::run_action`]).

mod events;
mod repaint;

use std::path::PathBuf;
use std::sync::mpsc::Receiver;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use jiff::Timestamp;

use crate::agent::control::AgentControl;
use crate::core::account::AccountId;
use crate::core::clock::{self, Clock};
use crate::core::config::AccountConfig;
use crate::core::renova::Renova;
use crate::gui::action::{Action, Confirm};
use crate::gui::authorize::AuthorizeState;
use crate::gui::demo::Demo;
use crate::gui::dialog::DialogState;
use crate::gui::instance::InstanceGuard;
use crate::gui::message::Command;
use crate::gui::prefs::{Prefs, ThemeChoice};
use crate::gui::settings::SettingsState;
use crate::gui::shortcuts;
use crate::gui::snapshot::Snapshot;
use crate::gui::style;
use crate::gui::toast::Toast;
use crate::gui::ui_state::UiState;
use crate::gui::view::{self, ViewContext};
use crate::gui::worker::Worker;
use crate::i18n::Lang;
use crate::platform::clipboard::ClipboardHandle;
use crate::platform::desktop::Desktop;

/// How long a saved account stays outlined.
const HIGHLIGHT: jiff::SignedDuration = jiff::SignedDuration::from_secs(3);

/// Everything the app talks to, so tests can give it fakes.
pub struct Ports {
    /// The core (real folders and keychain, or the demo's).
    pub renova: Renova,
    /// The clipboard.
    pub clipboard: ClipboardHandle,
    /// Desktop notifications.
    pub desktop: Arc<dyn Desktop>,
    /// The time shown in countdowns.
    pub clock: Arc<dyn Clock>,
    /// The demo provider, kept alive while the window is open.
    pub demo: Option<Demo>,
    /// The single-instance lock and its focus requests.
    pub instance: Option<InstanceGuard>,
    /// The background agent of this profile (none in the demo).
    pub agent: Option<Arc<dyn AgentControl>>,
}

/// The eframe app.
pub struct RenovaApp {
    ctx_slot: Arc<OnceLock<egui::Context>>,
    /// The worker.
    pub worker: Worker,
    /// The clock of countdowns.
    pub clock: Arc<dyn Clock>,
    /// The worker's latest snapshot.
    pub snapshot: Arc<Snapshot>,
    /// What the window remembers.
    pub prefs: Prefs,
    /// The window's own state.
    pub ui: UiState,
    demo: Option<Demo>,
    instance: Option<InstanceGuard>,
    focus_requests: Option<Receiver<()>>,
    first_frame_log: Option<PathBuf>,
    applied_theme: Option<ThemeChoice>,
    /// A signal asked the window to close.
    closing: bool,
}

impl RenovaApp {
    /// Creates the app from eframe's creation context.
    pub fn new(cc: &eframe::CreationContext<'_>, ports: Ports) -> Self {
        let prefs: Prefs = cc
            .storage
            .and_then(|s| eframe::get_value(s, eframe::APP_KEY))
            .unwrap_or_default();
        let app = Self::detached(ports, prefs);
        app.attach(&cc.egui_ctx);
        // The real window (not a test harness) closes the normal way on a signal.
        app.worker.send(Command::QuitOnSignals);
        app
    }

    /// Creates the app before its egui context exists (egui_kittest builds the context after
    /// the state); the context is attached on the first frame.
    pub fn detached(ports: Ports, prefs: Prefs) -> Self {
        let lang = prefs.lang.unwrap_or_else(Lang::from_system);
        let ctx_slot: Arc<OnceLock<egui::Context>> = Arc::new(OnceLock::new());
        let waker_slot = ctx_slot.clone();
        let worker = Worker::start(
            ports.renova,
            ports.clipboard,
            ports.desktop,
            ports.agent,
            lang,
            Arc::new(move || {
                if let Some(ctx) = waker_slot.get() {
                    ctx.request_repaint();
                }
            }),
        );
        let mut instance = ports.instance;
        let focus_slot = ctx_slot.clone();
        let focus_requests = instance.as_mut().and_then(|i| {
            i.listen(Box::new(move || {
                if let Some(ctx) = focus_slot.get() {
                    ctx.request_repaint();
                }
            }))
        });
        Self {
            ctx_slot,
            worker,
            clock: ports.clock,
            snapshot: Arc::new(Snapshot::default()),
            prefs,
            ui: UiState::default(),
            demo: ports.demo,
            instance,
            focus_requests,
            first_frame_log: std::env::var_os("RENOVA_FIRST_FRAME_LOG").map(PathBuf::from),
            applied_theme: None,
            closing: false,
        }
    }

    /// Binds the app to its egui context (style, wake-ups); idempotent.
    fn attach(&self, ctx: &egui::Context) {
        if self.ctx_slot.get().is_none() && self.ctx_slot.set(ctx.clone()).is_ok() {
            style::install(ctx);
        }
    }

    /// The language in use.
    pub fn lang(&self) -> Lang {
        self.prefs.lang.unwrap_or_else(Lang::from_system)
    }

    /// Changes the language (Settings).
    pub fn set_lang(&mut self, lang: Lang) {
        self.prefs.lang = Some(lang);
        self.worker.send(Command::SetLanguage(lang));
    }

    fn toast(&mut self, toast: Toast, now: Timestamp) {
        let until = match &toast {
            Toast::Copied(_, _, clear_at, _) => *clear_at,
            Toast::Failed(..) => clock::add(now, Duration::from_secs(8)),
            _ => clock::add(now, Duration::from_secs(4)),
        };
        self.ui.toast = Some((toast, until));
    }

    fn name_of(&self, id: &AccountId) -> String {
        self.snapshot
            .account(id)
            .map(|a| a.name.clone())
            .unwrap_or_default()
    }

    fn drain_events(&mut self, ctx: &egui::Context) {
        while let Some(event) = self.worker.try_recv() {
            self.apply(event);
        }
        if let Some(rx) = &self.focus_requests {
            while rx.try_recv().is_ok() {
                ctx.send_viewport_cmd(egui::ViewportCommand::Minimized(false));
                ctx.send_viewport_cmd(egui::ViewportCommand::Visible(true));
                ctx.send_viewport_cmd(egui::ViewportCommand::Focus);
                ctx.send_viewport_cmd(egui::ViewportCommand::RequestUserAttention(
                    egui::UserAttentionType::Informational,
                ));
            }
        }
    }

    /// Opens the edit dialog of an account still there, as `open` makes it.
    fn open_dialog(&mut self, id: AccountId, open: fn(&AccountConfig) -> DialogState) {
        if let Some(account) = self.snapshot.account(&id) {
            self.ui.dialog = Some(open(account));
        }
    }

    /// Carries out one action: the one place where clicks become worker commands.
    pub fn run_action(&mut self, action: Action) {
        let now = self.clock.now();
        let worker = &self.worker;
        match action {
            Action::Refresh(id) => worker.send(Command::Refresh(id)),
            Action::Copy(id, format) => worker.send(Command::Copy(id, format)),
            Action::Check(id) => worker.send(Command::Check(id)),
            Action::SetBackground(on) => worker.send(Command::SetBackground(on)),
            Action::ConfirmEndpoint(id, kind, url) => {
                worker.send(Command::ConfirmEndpoint(id, kind, url));
            }
            Action::Authorize(id) => {
                let name = self.name_of(&id);
                self.ui.authorize = Some(AuthorizeState::new(id, &name));
                self.worker.send(Command::Authorize(id));
            }
            Action::OpenAdd => self.ui.dialog = Some(DialogState::add()),
            Action::OpenEdit(id) => self.open_dialog(id, DialogState::edit),
            Action::ReplaceToken(id) => self.open_dialog(id, DialogState::replace_token),
            Action::Save(draft) => worker.send(Command::Save(draft)),
            Action::CloseDialog => self.ui.dialog = None,
            Action::Ask(question) => self.ui.confirm = Some(question),
            Action::Answer(question, yes) => {
                self.ui.confirm = None;
                if yes {
                    let command = match question {
                        Confirm::Remove(id) => Command::Remove(id),
                        Confirm::Revoke(id) => Command::Revoke(id),
                        Confirm::ForgetEverything => {
                            self.ui.settings = None;
                            Command::ForgetEverything
                        }
                    };
                    self.worker.send(command);
                }
            }
            Action::OpenSettings => {
                self.ui.settings = Some(SettingsState::new(&self.snapshot.defaults()));
                worker.send(Command::QueryPostmanKey);
                worker.send(Command::CheckEndpointPort);
            }
            Action::CloseSettings => self.ui.settings = None,
            Action::SaveDefaults(defaults) => {
                worker.send(Command::SaveDefaults(defaults));
                self.ui.settings = None;
                self.toast(Toast::SettingsSaved, now);
            }
            Action::SetLanguage(lang) => self.set_lang(lang),
            Action::SetTheme(theme) => self.prefs.theme = theme,
            Action::TestPostmanKey(key) => worker.send(Command::SetPostmanKey(key)),
            Action::RemovePostmanKey => worker.send(Command::RemovePostmanKey),
            Action::AuthorizePaste(id, text) => worker.send(Command::AuthorizePaste(id, text)),
            Action::OpenUrl(url) => worker.send(Command::OpenUrl(url)),
            Action::CloseAuthorize => {
                if let Some(auth) = self.ui.authorize.take()
                    && auth.error.is_none()
                {
                    self.worker.send(Command::CancelAuthorize(auth.id));
                }
            }
            Action::RetryKeychain => worker.send(Command::RetryKeychain),
            Action::StartDemo => worker.send(Command::StartDemo),
            Action::FocusFilter => self.ui.focus_filter = true,
            Action::SetEndpoint(on) => worker.send(Command::SetEndpoint(on)),
            Action::CopyEndpointKey => worker.send(Command::CopyEndpointKey),
            Action::CopyPostmanScript => worker.send(Command::CopyPostmanScript),
            Action::CopyMcpSetup => worker.send(Command::CopyMcpSetup),
            Action::CheckEndpointPort => worker.send(Command::CheckEndpointPort),
            Action::CheckPostmanSharing(env) => worker.send(Command::CheckPostmanSharing(env)),
            Action::SetOrder(order) => self.prefs.order = order,
            Action::SetCompact(compact) => self.prefs.compact = compact,
        }
    }

    /// Draws the whole window, then carries out what was clicked.
    pub fn show(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        self.attach(&ctx);
        self.drain_events(&ctx);
        if self.closing {
            // eframe then calls `on_exit`, which clears the clipboard.
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
        }
        if self.applied_theme != Some(self.prefs.theme) {
            ctx.set_theme(self.prefs.theme.preference());
            self.applied_theme = Some(self.prefs.theme);
        }
        let now = self.clock.now();
        tracing::trace!("frame at {now}");
        let lang = self.lang();
        if self
            .ui
            .toast
            .as_ref()
            .is_some_and(|(_, until)| *until <= now)
        {
            self.ui.toast = None;
        }
        let mut actions = Vec::new();
        if !self.ui.modal_open() {
            actions.extend(shortcuts::pressed(
                &ctx,
                self.snapshot.config_error.is_some(),
            ));
        }
        let cx = ViewContext {
            snapshot: &self.snapshot,
            lang,
            now,
            read_only: self.snapshot.config_error.is_some(),
            demo: self.demo.is_some(),
            highlight: self
                .ui
                .highlight
                .filter(|(_, until)| *until > now)
                .map(|(id, _)| id),
            seconds: focused(&ctx),
        };
        egui::Panel::top("top")
            .frame(egui::Frame::new().inner_margin(egui::Margin::symmetric(16, 10)))
            .show(ui, |ui| {
                let filter = (&mut self.ui.filter, &mut self.ui.focus_filter);
                view::top_bar::top_bar(ui, cx, filter, &mut actions);
            });
        if let Some((toast, _)) = &self.ui.toast {
            egui::Panel::bottom("toast")
                .frame(egui::Frame::new().inner_margin(egui::Margin::symmetric(16, 8)))
                .show(ui, |ui| toast.show(ui, lang, now));
        }
        egui::CentralPanel::default()
            .frame(egui::Frame::new().inner_margin(egui::Margin::symmetric(16, 8)))
            .show(ui, |ui| {
                view::banners::banners(ui, cx, &mut actions);
                let mut list = view::account_list::ListView {
                    filter: &self.ui.filter,
                    order: self.prefs.order,
                    compact: self.prefs.compact,
                    heights: &mut self.ui.card_heights,
                    scroll_to: &mut self.ui.scroll_to,
                };
                view::account_list::account_list(ui, cx, &mut list, &mut actions);
            });
        self.dialogs(&ctx, lang, &mut actions);
        for action in actions {
            self.run_action(action);
        }
        self.schedule_repaint(&ctx, now);
    }

    /// The dialog, the authorization, Settings and a confirmation, whichever are open (the
    /// confirmation on top).
    fn dialogs(&mut self, ctx: &egui::Context, lang: Lang, actions: &mut Vec<Action>) {
        if let Some(dialog) = self.ui.dialog.as_mut() {
            dialog.show(ctx, &self.snapshot, lang, actions);
        }
        if let Some(auth) = self.ui.authorize.as_mut() {
            auth.show(ctx, lang, actions);
        }
        if let Some(settings) = self.ui.settings.as_mut() {
            let background = self.snapshot.background;
            let endpoint = (self.demo.is_none())
                .then(|| self.snapshot.config.as_ref().map(|c| c.endpoint.clone()))
                .flatten();
            let shared: Vec<String> = self
                .snapshot
                .config
                .as_ref()
                .map(|c| {
                    c.visible()
                        .filter(|a| a.assistants.shared())
                        .map(|a| a.name.clone())
                        .collect()
                })
                .unwrap_or_default();
            settings.show(
                ctx,
                (self.prefs.theme, background, endpoint, &shared),
                lang,
                actions,
            );
        }
        if let Some(question) = self.ui.confirm {
            let name = match question {
                Confirm::Remove(id) | Confirm::Revoke(id) => self.name_of(&id),
                Confirm::ForgetEverything => String::new(),
            };
            view::confirm::confirm(ctx, question, &name, lang, actions);
        }
    }

    /// What happens when the window closes: the clipboard is cleared if it still holds what
    /// Renova copied, and the single-instance lock is released.
    pub fn quit(&mut self) {
        self.worker.clear_clipboard_at_exit();
        self.instance = None;
    }

    fn log_first_frame(&mut self) {
        if let Some(path) = self.first_frame_log.take() {
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos())
                .unwrap_or_default();
            if let Err(e) = std::fs::write(&path, format!("{now}\n")) {
                tracing::warn!("could not write {}: {e}", path.display());
            }
        }
    }
}

/// However the window ends (also unwinding after a lost window-system connection), the
/// clipboard is cleared if it still holds what Renova copied.
impl Drop for RenovaApp {
    fn drop(&mut self) {
        self.quit();
    }
}

impl eframe::App for RenovaApp {
    /// The window's background is the clear colour itself: panels paint no fill of their own,
    /// which saves a full-window layer per frame (on software GL that is most of the idle cost).
    fn clear_color(&self, visuals: &egui::Visuals) -> [f32; 4] {
        visuals.panel_fill.to_normalized_gamma_f32()
    }

    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        // The window's node, named for a screen reader (the title bar is the desktop's).
        ui.ctx()
            .accesskit_node_builder(egui::accesskit_root_id(), |n| n.set_label("Renova"));
        self.show(ui);
        focus_ring(ui.ctx());
        self.log_first_frame();
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, eframe::APP_KEY, &self.prefs);
    }

    #[cfg(feature = "glow")]
    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        self.quit();
    }

    #[cfg(not(feature = "glow"))]
    fn on_exit(&mut self) {
        self.quit();
    }
}

/// Whether the window has the keyboard focus (unknown: yes, so nothing goes stale unseen).
fn focused(ctx: &egui::Context) -> bool {
    ctx.input(|i| i.viewport().focused != Some(false))
}

/// A ring around the control with the keyboard focus, whatever it is (egui draws none for a
/// checkbox or a section's header). Text fields draw their own; a card draws its outline.
fn focus_ring(ctx: &egui::Context) {
    let Some(id) = ctx.memory(|m| m.focused()) else {
        return;
    };
    let Some(response) = ctx.read_response(id) else {
        return;
    };
    if !response.sense.senses_click() || response.sense.senses_drag() {
        return;
    }
    let layer = egui::LayerId::new(egui::Order::Tooltip, egui::Id::unique("focus-ring"));
    ctx.layer_painter(layer).rect_stroke(
        response.rect.expand(2.0),
        4.0,
        egui::Stroke::new(2.0, crate::gui::style::ACCENT),
        egui::StrokeKind::Outside,
    );
}
