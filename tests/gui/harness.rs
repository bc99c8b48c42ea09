//! Builds the app for a test and steps it until something shows up.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{Duration, Instant};

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use jiff::Timestamp;
use renova::Clock;
use renova::Keychain;
use renova::Lang;
use renova::Paths;
use renova::RecordingAgent;
use renova::RecordingDesktop;
use renova::Renova;
use renova::{AccountConfig, Config, ConfigError, ProviderKind};
use renova::{AccountSettings, GivenSecrets};
use renova::{ClipboardHandle, RecordingClipboard};
use renova::{Ports, RenovaApp};
use renova::{Prefs, ThemeChoice};
use wiremock::MockServer;

use crate::support::{CLIENT_ID, CLIENT_SECRET, REFRESH_TOKEN};

/// Where accounts point when the test has no server: nothing listens there.
pub const NOWHERE: &str = "http://127.0.0.1:9";

/// How long the UI waits for something unless a test says otherwise.
const PATIENCE: Duration = Duration::from_secs(10);

/// A clock the test moves: the wall clock (seconds) and the monotonic one (seconds since the
/// test began). Time passing moves both; setting the wall clock moves only the wall clock.
pub struct TestClock {
    wall: AtomicI64,
    monotonic: AtomicI64,
}

impl TestClock {
    pub fn at(t: &str) -> Arc<Self> {
        Arc::new(Self {
            wall: AtomicI64::new(t.parse::<Timestamp>().unwrap().as_second()),
            monotonic: AtomicI64::new(0),
        })
    }

    /// Sets the wall clock (a laptop waking up, or the user changing the time).
    pub fn set(&self, t: Timestamp) {
        self.wall.store(t.as_second(), Ordering::SeqCst);
    }

    /// Lets time pass.
    pub fn advance(&self, d: Duration) {
        self.wall.fetch_add(d.as_secs() as i64, Ordering::SeqCst);
        self.monotonic
            .fetch_add(d.as_secs() as i64, Ordering::SeqCst);
    }
}

impl Clock for TestClock {
    fn now(&self) -> Timestamp {
        Timestamp::from_second(self.wall.load(Ordering::SeqCst)).unwrap()
    }

    fn elapsed(&self) -> Duration {
        Duration::from_secs(self.monotonic.load(Ordering::SeqCst).unsigned_abs())
    }
}

/// Everything a UI test holds.
pub struct Ui {
    pub harness: Harness<'static, RenovaApp>,
    pub clipboard: RecordingClipboard,
    pub desktop: RecordingDesktop,
    pub renova: Renova,
    /// The keychain the window uses, read as another program would.
    pub keychain: Keychain,
    pub clock: Arc<TestClock>,
    pub dir: tempfile::TempDir,
    pub agent: Arc<RecordingAgent>,
    rd: Option<MockServer>,
}

pub fn core(paths: Paths, keychain: Keychain, clock: Arc<TestClock>, postman_api: &str) -> Renova {
    Renova::new(paths, keychain)
        .with_clock(clock)
        .with_postman_api(postman_api)
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
    /// The window's size (760×1000 unless a test says otherwise).
    pub size: [f32; 2],
    pub postman_api: String,
    /// The background agent as the window sees it (recorded, never started).
    pub agent: Arc<RecordingAgent>,
    rd: Option<MockServer>,
}

impl Builder {
    /// A window with no server: seeded accounts point at [`NOWHERE`].
    pub fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let paths = Paths::under(dir.path());
        Self {
            clock: TestClock::at("2026-11-26T12:00:00Z"),
            keychain: Keychain::in_memory(),
            dir,
            paths,
            lang: Lang::En,
            size: [760.0, 1000.0],
            // Nothing listens there: no test talks to the real Postman by accident.
            postman_api: "http://127.0.0.1:9".to_owned(),
            agent: Arc::new(RecordingAgent::default()),
            rd: None,
        }
    }

    /// A window with its own RD Station ([`Builder::rd`], later [`Ui::rd`]), where nothing is
    /// mounted yet; seeded accounts point at it. Its mocks are verified when the test ends.
    pub async fn with_rd() -> Self {
        Self {
            rd: Some(MockServer::start().await),
            ..Self::new()
        }
    }

    /// This window's RD Station (from [`Builder::with_rd`]).
    pub fn rd(&self) -> &MockServer {
        rd(&self.rd)
    }

    pub fn renova(&self) -> Renova {
        core(
            self.paths.clone(),
            self.keychain.clone(),
            self.clock.clone(),
            &self.postman_api,
        )
    }

    /// Adds the usual fake account `name` before the window opens, against this window's RD
    /// (or [`NOWHERE`]); `token` gives it an access token valid for that long.
    pub fn seed(&self, name: &str, token: Option<(&str, Duration)>, auto_refresh: bool) {
        self.seed_with(name, token, auto_refresh, (CLIENT_SECRET, REFRESH_TOKEN));
    }

    /// [`Builder::seed`] with these client secret and refresh token.
    pub fn seed_with(
        &self,
        name: &str,
        token: Option<(&str, Duration)>,
        auto_refresh: bool,
        (client_secret, refresh_token): (&str, &str),
    ) {
        let renova = self.renova();
        let now = renova.now();
        let base_url = self.rd.as_ref().map_or(NOWHERE.to_owned(), MockServer::uri);
        let settings = AccountSettings {
            client_id: Some(CLIENT_ID.to_owned()),
            base_url: Some(base_url),
            auto_refresh: Some(auto_refresh),
            ..AccountSettings::default()
        };
        let given = GivenSecrets {
            client_secret: Some(client_secret.into()),
            refresh_token: Some(refresh_token.into()),
            access_token: token.map(|(t, d)| {
                (
                    t.into(),
                    Some(now + jiff::SignedDuration::try_from(d).unwrap()),
                )
            }),
        };
        block_on(renova.accounts().add(name, &settings, given)).unwrap();
    }

    /// Adds a static token `name` of `provider` before the window opens (its expiry: the
    /// token's JWT `exp`, else none).
    pub fn seed_static(&self, name: &str, provider: ProviderKind, token: &str) {
        let settings = AccountSettings {
            provider: Some(provider),
            ..AccountSettings::default()
        };
        let given = GivenSecrets {
            access_token: Some((token.into(), None)),
            ..GivenSecrets::default()
        };
        block_on(self.renova().accounts().add(name, &settings, given)).unwrap();
    }

    /// Changes the first account's settings in `accounts.toml` before the window opens.
    pub fn edit_first_account(&self, change: impl FnOnce(&mut AccountConfig)) {
        Config::update(&self.paths, |c| {
            change(&mut c.accounts[0]);
            Ok::<_, ConfigError>(())
        })
        .unwrap();
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
            agent: Some(self.agent.clone()),
        };
        let prefs = Prefs {
            lang: Some(self.lang),
            theme: ThemeChoice::Light,
            ..Prefs::default()
        };
        let app = RenovaApp::detached(ports, prefs);
        let harness = Harness::builder()
            .with_size(self.size)
            .build_ui_state(|ui, app: &mut RenovaApp| app.show(ui), app);
        Ui {
            harness,
            clipboard,
            desktop,
            renova,
            keychain: self.keychain,
            clock: self.clock,
            dir: self.dir,
            agent: self.agent,
            rd: self.rd,
        }
    }
}

/// A window with one account `loja` (automatic refresh on, nowhere to refresh) holding `token`
/// for `valid_for`, once the card shows.
pub fn window_with(token: &str, valid_for: Duration) -> Ui {
    let b = Builder::new();
    b.seed("loja", Some((token, valid_for)), true);
    let mut ui = b.open();
    ui.until_label("loja");
    ui
}

fn rd(server: &Option<MockServer>) -> &MockServer {
    server
        .as_ref()
        .expect("this window has no RD server: build it with Builder::with_rd()")
}

/// egui's own clipboard command has no sensitivity flag: a token must never go through it.
fn assert_no_token_in_copy_text(harness: &Harness<'static, RenovaApp>) {
    for command in &harness.output().platform_output.commands {
        if let egui::OutputCommand::CopyText(text) = command {
            assert!(
                !text.contains("fake"),
                "a token went through ctx.copy_text: {text}"
            );
        }
    }
}

/// Steps `harness` (with real time passing for the worker) until the async `cond` holds.
async fn step_until<F, Fut>(
    harness: &mut Harness<'static, RenovaApp>,
    what: &str,
    limit: Duration,
    cond: F,
) where
    F: Fn() -> Fut,
    Fut: Future<Output = bool>,
{
    let deadline = Instant::now() + limit;
    loop {
        harness.step();
        assert_no_token_in_copy_text(harness);
        if cond().await {
            return;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// How many requests `server` received.
async fn requests(server: &MockServer) -> usize {
    server
        .received_requests()
        .await
        .expect("wiremock records requests")
        .len()
}

impl Ui {
    /// This window's RD Station (from [`Builder::with_rd`]).
    pub fn rd(&self) -> &MockServer {
        rd(&self.rd)
    }

    /// How many requests this window's RD received so far.
    pub async fn received(&self) -> usize {
        requests(self.rd()).await
    }

    /// Steps the UI (with real time passing for the worker) until `cond` holds.
    pub fn until(&mut self, what: &str, cond: impl Fn(&Harness<'static, RenovaApp>) -> bool) {
        self.until_within(what, PATIENCE, cond);
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

    /// Steps the UI until the async `cond` holds (something outside the window: a server, a
    /// file).
    pub async fn until_async<F, Fut>(&mut self, what: &str, cond: F)
    where
        F: Fn() -> Fut,
        Fut: Future<Output = bool>,
    {
        step_until(&mut self.harness, what, PATIENCE, cond).await;
    }

    /// Steps the UI until this window's RD has received `n` requests in all.
    pub async fn until_received(&mut self, n: usize) {
        let server = rd(&self.rd);
        step_until(
            &mut self.harness,
            &format!("{n} requests at RD"),
            PATIENCE,
            || async move { requests(server).await >= n },
        )
        .await;
    }

    /// Lets `time` of real time pass (the window's clock stands still), then draws a frame: for
    /// checking that nothing happens.
    pub fn idle(&mut self, time: Duration) {
        std::thread::sleep(time);
        self.harness.step();
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

    /// Steps until `text` is in the recording clipboard's history.
    pub fn until_copied(&mut self, text: &str) {
        let history = self.clipboard.history.clone();
        let t = text.to_owned();
        self.until(&format!("“{text}” on the clipboard"), move |_| {
            history.lock().unwrap().contains(&t)
        });
    }

    /// Clicks the button with this label.
    pub fn click(&self, button: &str) {
        self.harness
            .get_by_role_and_label(Role::Button, button)
            .click();
    }

    /// Waits for a widget with this label (a menu entry, a link), then clicks it.
    pub fn choose(&mut self, label: &str) {
        self.until_label(label);
        self.harness.get_by_label(label).click();
    }

    /// Opens loja's "…" menu (named "Actions for loja") and chooses `entry`.
    pub fn card_menu(&mut self, entry: &str) {
        self.harness.get_by_label("Actions for loja").click();
        self.choose(entry);
    }

    /// Opens Settings (in English).
    pub fn open_settings(&mut self) {
        self.click("Settings");
        self.until_label("Language");
    }

    /// Opens the Add dialog from the empty window.
    pub fn open_add_dialog(&mut self) {
        self.until_label("No accounts yet");
        self.harness
            .get_all_by_role_and_label(Role::Button, "+ Add account")
            .next()
            .unwrap()
            .click();
        self.until_label("Client secret");
    }

    /// Types `text` into the field with this label.
    pub fn type_into(&mut self, label: &str, text: &str) {
        let field = self.harness.get_by_label(label);
        field.focus();
        field.type_text(text);
        self.harness.step();
    }

    /// Clicks loja's Copy button and waits for the toast.
    pub fn copy_token(&mut self) {
        self.click("Copy token of loja");
        self.until_text("loja's token copied");
    }

    /// Closes the window as eframe does: `App::on_exit`.
    pub fn quit(&mut self) {
        use eframe::App as _;
        let app = self.harness.state_mut();
        #[cfg(feature = "glow")]
        app.on_exit(None);
        #[cfg(not(feature = "glow"))]
        app.on_exit();
    }

    /// egui's own clipboard command has no sensitivity flag: a token must never go through it.
    pub fn assert_no_token_in_copy_text(&self) {
        assert_no_token_in_copy_text(&self.harness);
    }

    pub fn copied(&self) -> Vec<String> {
        self.clipboard.history.lock().unwrap().clone()
    }

    /// What the recording clipboard holds now.
    pub fn clipboard_now(&self) -> Option<String> {
        self.clipboard.current.lock().unwrap().clone()
    }
}
