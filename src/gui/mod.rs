//! The window: eframe/egui on the UI thread, a worker on a tokio runtime on a side thread for
//! everything that can wait. The UI thread never blocks: views push [`action::Action`]s, the
//! app turns them into [`message::Command`]s for the worker, the worker answers with
//! [`message::Event`]s carrying a new [`snapshot::Snapshot`], and the window repaints at most
//! once a second while a countdown is visible.

pub(crate) mod action;
pub(crate) mod app;
pub(crate) mod authorize;
pub(crate) mod demo;
pub(crate) mod dialog;
pub(crate) mod draft;
pub(crate) mod instance;
pub(crate) mod list_order;
pub(crate) mod message;
pub(crate) mod prefs;
pub(crate) mod settings;
pub(crate) mod shortcuts;
pub(crate) mod snapshot;
pub(crate) mod style;
pub(crate) mod toast;
pub(crate) mod ui_state;
pub(crate) mod view;
pub(crate) mod worker;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::core::clock::SystemClock;
use crate::core::renova::Renova;
use crate::gui::app::{Ports, RenovaApp};
use crate::i18n::{E, Lang, T};
use crate::platform::clipboard::{ClipboardHandle, SystemClipboard};
use crate::platform::desktop::SystemDesktop;

/// The app id of the window (also the desktop file's `StartupWMClass`).
pub(crate) const APP_ID: &str = "renova";

/// The demo's own app id, so its window settings never mix with the real one's.
pub(crate) const DEMO_APP_ID: &str = "renova-demo";

fn options(app_id: &str, lang: Lang) -> eframe::NativeOptions {
    let mut viewport = egui::ViewportBuilder::default()
        .with_title(if app_id == DEMO_APP_ID {
            T::DemoWindowTitle.tr(lang)
        } else {
            "Renova"
        })
        .with_app_id(app_id)
        .with_inner_size([760.0, 640.0])
        .with_min_inner_size([480.0, 360.0]);
    if let Some(icon) = view::logo::icon() {
        viewport = viewport.with_icon(Arc::new(icon));
    }
    eframe::NativeOptions {
        viewport,
        persist_window: true,
        ..eframe::NativeOptions::default()
    }
}

/// A line for the person on stderr (before or instead of a window).
fn tell(text: &str) {
    use std::io::Write;
    if writeln!(std::io::stderr(), "{text}").is_err() {
        tracing::debug!("stderr is closed");
    }
}

fn has_display() -> bool {
    if cfg!(any(target_os = "macos", target_os = "windows")) {
        return true;
    }
    ["DISPLAY", "WAYLAND_DISPLAY"]
        .iter()
        .any(|v| std::env::var_os(v).is_some_and(|s| !s.is_empty()))
}

/// Which window to open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Window {
    /// The person's accounts (`renova`).
    Accounts,
    /// The built-in demo provider and its sample accounts (`renova --demo`).
    Demo,
}

/// Opens the window. Returns the process exit code.
pub fn run(window: Window) -> u8 {
    let lang = Lang::from_system();
    if !has_display() {
        tell(&format!("renova: {}", T::NoDisplay.tr(lang)));
        return 1;
    }
    if window == Window::Demo {
        return run_demo(lang);
    }
    let renova =
        match Renova::from_env().map(|r| r.with_callback_pages(crate::i18n::callback::page)) {
            Ok(r) => r,
            Err(e) => {
                let text = crate::i18n::explain(&e, lang, "");
                tell(&format!("renova: {} — {}", text.what, text.fix));
                return 1;
            }
        };
    // One window at a time: a second `renova` brings the first to the front and leaves.
    let guard = match instance::claim(renova.profile().paths()) {
        instance::Claim::First(guard) => Some(guard),
        instance::Claim::Unchecked => None,
        instance::Claim::Focused => {
            tell(T::AlreadyRunning.tr(lang));
            return 0;
        }
        instance::Claim::NoAnswer(pid) => {
            let pid = pid.map_or_else(|| "?".to_owned(), |p| p.to_string());
            tell(&T::AlreadyRunningNoAnswer.fill(lang, &[("pid", &pid)]));
            return 1;
        }
    };
    let agent = crate::agent::control::SystemAgent::new(renova.profile().paths().clone());
    let ports = Ports {
        renova,
        clipboard: ClipboardHandle::spawn(Box::new(SystemClipboard::default())),
        desktop: Arc::new(SystemDesktop::default()),
        clock: Arc::new(SystemClock),
        demo: None,
        instance: guard,
        agent: Some(Arc::new(agent)),
    };
    launch(APP_ID, ports, lang)
}

fn run_demo(lang: Lang) -> u8 {
    let demo = match demo::Demo::start() {
        Ok(d) => d,
        Err(e) => {
            let text = crate::i18n::explain(&e, lang, "");
            tell(&format!("renova: {} — {}", text.what, text.fix));
            return 1;
        }
    };
    let ports = Ports {
        renova: demo.renova.clone(),
        clipboard: ClipboardHandle::spawn(Box::new(SystemClipboard::default())),
        desktop: Arc::new(SystemDesktop::default()),
        clock: Arc::new(SystemClock),
        demo: Some(demo),
        instance: None,
        agent: None,
    };
    launch(DEMO_APP_ID, ports, lang)
}

/// Whether a panic comes from the window system's glue (winit, egui-winit): a lost X or
/// Wayland connection, a window destroyed from outside.
fn window_system_panic(info: &std::panic::PanicHookInfo<'_>) -> bool {
    info.location()
        .is_some_and(|l| l.file().contains("/winit-") || l.file().contains("/egui-winit-"))
}

fn launch(app_id: &str, ports: Ports, lang: Lang) -> u8 {
    // A window-system failure is logged in one line instead of a panic message; unwinding then
    // drops the app, which clears the clipboard, and Renova exits with a line for the person.
    // Any other panic is a bug and goes on as one.
    static WINDOW_SYSTEM_FAILED: AtomicBool = AtomicBool::new(false);
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if window_system_panic(info) {
            WINDOW_SYSTEM_FAILED.store(true, Ordering::SeqCst);
            tracing::error!("the window system failed: {info}");
        } else {
            previous(info);
        }
    }));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        eframe::run_native(
            app_id,
            options(app_id, lang),
            Box::new(move |cc| Ok(Box::new(RenovaApp::new(cc, ports)))),
        )
    }));
    let result = match result {
        Ok(result) => result,
        Err(_) if WINDOW_SYSTEM_FAILED.load(Ordering::SeqCst) => {
            tell(&format!("renova: {}", E::WindowLost.tr(lang)));
            return 1;
        }
        Err(payload) => std::panic::resume_unwind(payload),
    };
    match result {
        Ok(()) => 0,
        Err(e) => {
            tell(&format!(
                "renova: {}",
                E::ErrWindowFailed.fill(lang, &[("detail", &e.to_string())])
            ));
            1
        }
    }
}
