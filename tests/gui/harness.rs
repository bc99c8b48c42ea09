//! Builds the app for a test and steps it until something shows up.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{Duration, Instant};

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use jiff::Timestamp;
use renova::core::accounts::{AccountSettings, GivenSecrets};
use renova::core::clock::Clock;
use renova::core::keychain::Keychain;
use renova::core::paths::Paths;
use renova::core::renova::Renova;
use renova::gui::app::{Ports, RenovaApp};
use renova::gui::clipboard::{ClipboardHandle, RecordingClipboard};
use renova::gui::desktop::RecordingDesktop;
use renova::gui::prefs::{Prefs, ThemeChoice};
use renova::i18n::Lang;

/// A clock the test moves.
pub struct TestClock(AtomicI64);

impl TestClock {
    pub fn at(t: &str) -> Arc<Self> {
        Arc::new(Self(AtomicI64::new(
            t.parse::<Timestamp>().unwrap().as_second(),
        )))
    }

    pub fn set(&self, t: Timestamp) {
        self.0.store(t.as_second(), Ordering::SeqCst);
    }

    pub fn advance(&self, d: Duration) {
        self.0.fetch_add(d.as_secs() as i64, Ordering::SeqCst);
    }
}

impl Clock for TestClock {
    fn now(&self) -> Timestamp {
        Timestamp::from_second(self.0.load(Ordering::SeqCst)).unwrap()
    }
}

/// Everything a UI test holds.
pub struct Ui {
    pub harness: Harness<'static, RenovaApp>,
    pub clipboard: RecordingClipboard,
    pub desktop: RecordingDesktop,
    pub renova: Renova,
    pub clock: Arc<TestClock>,
    pub dir: tempfile::TempDir,
}

pub fn core(paths: Paths, keychain: Keychain, clock: Arc<TestClock>, postman_api: &str) -> Renova {
    Renova::new(paths, keychain)
        .with_clock(clock)
        .with_postman_api(postman_api)
}

/// Adds an account before the window opens; `token` gives it an access token valid for that long.
pub fn seed(
    renova: &Renova,
    name: &str,
    base_url: &str,
    token: Option<(&str, Duration)>,
    auto: bool,
) {
    let now = renova.now();
    let settings = AccountSettings {
        client_id: Some(crate::support::CLIENT_ID.to_owned()),
        base_url: Some(base_url.to_owned()),
        auto_refresh: Some(auto),
        ..AccountSettings::default()
    };
    let given = GivenSecrets {
        client_secret: Some(crate::support::CLIENT_SECRET.into()),
        refresh_token: Some(crate::support::REFRESH_TOKEN.into()),
        access_token: token.map(|(t, d)| (t.into(), renova::core::clock::add(now, d))),
    };
    block_on(renova.add(name, &settings, given)).unwrap();
}

/// Runs a future to completion on its own thread (tests may already be inside a runtime).
pub fn block_on<F: std::future::Future + Send>(f: F) -> F::Output
where
    F::Output: Send,
{
    std::thread::scope(|s| {
        s.spawn(|| {
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap()
                .block_on(f)
        })
        .join()
        .unwrap()
    })
}

pub struct Builder {
    pub clock: Arc<TestClock>,
    pub keychain: Keychain,
    pub dir: tempfile::TempDir,
    pub paths: Paths,
    pub lang: Lang,
    pub postman_api: String,
}

impl Builder {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let paths = Paths::under(dir.path());
        Self {
            clock: TestClock::at("2026-11-26T12:00:00Z"),
            keychain: Keychain::in_memory(),
            dir,
            paths,
            lang: Lang::En,
            // Nothing listens there: no test talks to the real Postman by accident.
            postman_api: "http://127.0.0.1:9".to_owned(),
        }
    }

    pub fn renova(&self) -> Renova {
        core(
            self.paths.clone(),
            self.keychain.clone(),
            self.clock.clone(),
            &self.postman_api,
        )
    }

    pub fn open(self) -> Ui {
        let clipboard = RecordingClipboard::default();
        let desktop = RecordingDesktop::default();
        let renova = self.renova();
        let ports = Ports {
            renova: renova.clone(),
            clipboard: ClipboardHandle::spawn(Box::new(clipboard.clone())),
            desktop: Arc::new(desktop.clone()),
            clock: self.clock.clone(),
            demo: None,
            instance: None,
        };
        let prefs = Prefs {
            lang: Some(self.lang),
            theme: ThemeChoice::Light,
        };
        let app = RenovaApp::detached(ports, prefs);
        let harness = Harness::builder()
            .with_size([760.0, 1000.0])
            .build_ui_state(|ui, app: &mut RenovaApp| app.show(ui), app);
        Ui {
            harness,
            clipboard,
            desktop,
            renova,
            clock: self.clock,
            dir: self.dir,
        }
    }
}

impl Ui {
    /// Steps the UI (with real time passing for the worker) until `cond` holds.
    pub fn until(&mut self, what: &str, cond: impl Fn(&Harness<'static, RenovaApp>) -> bool) {
        self.until_within(what, Duration::from_secs(10), cond);
    }

    pub fn until_within(
        &mut self,
        what: &str,
        limit: Duration,
        cond: impl Fn(&Harness<'static, RenovaApp>) -> bool,
    ) {
        let deadline = Instant::now() + limit;
        loop {
            self.harness.step();
            self.assert_no_token_in_copy_text();
            if cond(&self.harness) {
                return;
            }
            assert!(Instant::now() < deadline, "timed out waiting for {what}");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Steps until a widget or text with exactly this label is on screen.
    pub fn until_label(&mut self, label: &str) {
        let l = label.to_owned();
        self.until(&format!("“{label}”"), move |h| {
            h.query_all_by_label(&l).next().is_some()
        });
    }

    /// Steps until some text containing this is on screen.
    pub fn until_text(&mut self, part: &str) {
        let p = part.to_owned();
        self.until(&format!("text containing “{part}”"), move |h| {
            h.query_all_by_label_contains(&p).next().is_some()
        });
    }

    /// egui's own clipboard command has no sensitivity flag: a token must never go through it.
    pub fn assert_no_token_in_copy_text(&self) {
        for command in &self.harness.output().platform_output.commands {
            if let egui::OutputCommand::CopyText(text) = command {
                assert!(
                    !text.contains("fake"),
                    "a token went through ctx.copy_text: {text}"
                );
            }
        }
    }

    pub fn copied(&self) -> Vec<String> {
        self.clipboard.history.lock().unwrap().clone()
    }
}
