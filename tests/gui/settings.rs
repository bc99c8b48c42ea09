//! Settings: language switch, shared defaults, background, the token endpoint and who holds
//! its port.

use egui::accesskit::Role;
use egui_kittest::kittest::Queryable;
use renova::{Config, Switch};
use std::time::Duration;

use renova::AgentControl;

use crate::harness::{Builder, window_with};
use crate::support::{dead_port, squatter};

const HOUR: Duration = Duration::from_secs(3600);

#[test]
fn switching_to_portuguese_translates_the_window() {
    let mut ui = window_with("fake-at", HOUR);
    assert!(
        ui.harness
            .query_by_role_and_label(Role::Button, "Copy token of loja")
            .is_some()
    );
    ui.open_settings();
    ui.harness.get_by_label("Language").click();
    ui.choose("Português (Brasil)");
    ui.until_label("Idioma");
    ui.click("Fechar");
    ui.until("the card in Portuguese", |h| {
        h.query_by_role_and_label(Role::Button, "Copiar token de loja")
            .is_some()
    });
    assert!(ui.harness.query_by_label("válido").is_some());
    assert!(
        ui.harness
            .query_all_by_role_and_label(Role::Button, "+ Adicionar conta")
            .next()
            .is_some()
    );
}

#[test]
fn defaults_are_saved_to_accounts_toml_for_the_cli() {
    let mut ui = Builder::new().open();
    ui.until_label("No accounts yet");
    ui.open_settings();
    ui.until_label("Clear the clipboard after");
    // A number and a unit: 1 minute becomes 30 seconds.
    ui.harness
        .get_by_label("Clear the clipboard after")
        .set_value_accesskit(30.0);
    ui.harness.step();
    ui.harness
        .get_by_label("Unit of Clear the clipboard after")
        .click();
    ui.choose("seconds");
    ui.harness.step();
    ui.click("Save");
    ui.until_text("Settings saved");
    let renova = ui.renova.clone();
    ui.until("accounts.toml updated", move |_| {
        Config::load(renova.profile().paths())
            .unwrap()
            .defaults
            .clipboard_clear
            .0
            == Duration::from_secs(30)
    });
}

#[test]
fn forget_everything_asks_then_removes_every_account() {
    let b = Builder::new();
    b.seed("loja-1", Some(("fake-at", HOUR)), true);
    b.seed("loja-2", Some(("fake-at", HOUR)), true);
    let mut ui = b.open();
    ui.until_label("loja-2");
    ui.open_settings();
    ui.choose("Forget everything…");
    ui.until_text("Forget everything?");
    ui.click("Forget everything");
    ui.until_label("No accounts yet");
    assert!(
        Config::load(ui.renova.profile().paths())
            .unwrap()
            .visible()
            .next()
            .is_none()
    );
}

#[test]
fn the_background_switch_starts_the_agent_and_the_window_says_so() {
    let mut ui = Builder::new().open();
    ui.until_label("No accounts yet");
    assert!(ui.harness.query_by_label("background on").is_none());
    ui.open_settings();
    ui.until_text("No background agent is running");
    ui.harness
        .get_by_label("Keep tokens fresh when Renova is closed (start at login)")
        .click();
    ui.until_text("The background agent is running");
    let now = ui.agent.status();
    assert!(now.running && now.at_login, "{now:?}");
    ui.click("Close");
    ui.until_label("background on");
}

#[test]
fn the_endpoint_switch_makes_a_key_and_copies_it_and_the_postman_script() {
    let mut ui = Builder::new().open();
    ui.until_label("No accounts yet");
    ui.open_settings();
    ui.harness
        .get_by_label("Serve tokens to programs on this computer (http://127.0.0.1:8788)")
        .click();
    ui.until_label("Copy key");
    let config = renova::Config::load(ui.renova.profile().paths()).unwrap();
    assert!(config.endpoint.enabled);
    // The key is made, in the keychain only; the window shows it masked and copies it.
    let key = crate::harness::block_on(ui.renova.endpoint().stored_key())
        .unwrap()
        .expect("a key");
    use secrecy::ExposeSecret;
    let key = key.expose_secret().to_owned();
    assert!(
        ui.harness
            .query_all_by_label_contains(&key[..8])
            .next()
            .is_none()
    );
    ui.click("Copy key");
    ui.until_copied(&key);
    ui.until_text("Endpoint key copied — clipboard clears in 60 s");
    ui.click("Copy Postman pre-request script");
    ui.until_text("Postman pre-request script copied");
    let script = ui.copied().last().cloned().unwrap();
    assert!(
        script.contains("http://127.0.0.1:8788/v1/token/"),
        "{script}"
    );
    assert!(!script.contains(&key), "the script carries no key");
}

/// Turns the endpoint on at `port` (with a key) before the window opens.
fn endpoint_on(b: &Builder, port: u16) -> renova::Renova {
    let renova = b.renova();
    renova.endpoint().set(Switch::On, Some(port)).unwrap();
    crate::harness::block_on(renova.endpoint().key()).unwrap();
    renova
}

#[test]
fn settings_says_when_another_program_holds_the_endpoints_port() {
    let (port, answered) = squatter("HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n");
    let b = Builder::new();
    endpoint_on(&b, port);
    let mut ui = b.open();
    ui.until_label("No accounts yet");
    ui.open_settings();
    ui.until_text(&format!(
        "Another program holds port {port}, not Renova (it answered “HTTP/1.1 404 Not Found”)"
    ));
    let heard = answered.join().unwrap();
    assert!(
        heard.starts_with("GET /v1/hello?nonce=") && !heard.contains("Authorization"),
        "{heard}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn settings_says_when_renovas_agent_answers_on_the_port() {
    let b = Builder::new();
    let port = dead_port();
    let renova = endpoint_on(&b, port);
    // The agent's endpoint, served in this process on the same store.
    let _server = renova::serve_endpoint(renova, port).await.unwrap();
    let mut ui = b.open();
    ui.until_label("No accounts yet");
    ui.open_settings();
    ui.until_text("Renova's agent answers on this port (checked without sending the key).");
    ui.click("Check the port");
    ui.until_text("Renova's agent answers on this port");
}

/// Settings open in an empty 480×360 window, laid out.
fn settings_in_a_small_window() -> crate::harness::Ui {
    let mut b = Builder::new();
    b.size = [480.0, 360.0];
    let mut ui = b.open();
    ui.until_label("No accounts yet");
    ui.open_settings();
    ui.harness.run_steps(5);
    ui
}

#[test]
fn settings_grow_again_when_the_window_grows_after_shrinking() {
    let mut ui = settings_in_a_small_window();
    let height = |ui: &crate::harness::Ui| {
        ui.harness
            .ctx
            .memory(|m| m.area_rect(egui::Id::unique("settings")))
            .expect("the Settings dialog is open")
            .height()
    };
    let small = height(&ui);
    ui.harness.set_size(egui::vec2(760.0, 640.0));
    ui.harness.run_steps(5);
    let big = height(&ui);
    // Scrolling in both sizes: 360 − 64 then 640 − 64 px of room, plus the frame.
    assert!(
        big >= small + 250.0,
        "the dialog stayed {small} px, then {big} px"
    );
}

/// A fixed footer: in a 480×360 window, Settings' Save, Close and Forget everything are on
/// screen without scrolling, the body scrolling above them.
#[test]
fn settings_buttons_stay_in_view_in_a_small_window() {
    let ui = settings_in_a_small_window();
    for button in ["Save", "Close", "Forget everything…"] {
        let rect = ui
            .harness
            .get_by_role_and_label(Role::Button, button)
            .rect();
        assert!(
            rect.max.y <= 360.0 && rect.min.y >= 0.0,
            "{button} is off screen at {rect:?}"
        );
    }
}

/// The switch is on but the agent was stopped (tray Quit, or killed): Settings says so, and
/// Start it now starts it; the endpoint section points at the same fix.
#[test]
fn a_stopped_agent_is_said_with_start_it_now() {
    let mut ui = Builder::new().open();
    ui.until_label("No accounts yet");
    *ui.agent.state.lock().unwrap() = renova::Background {
        running: false,
        at_login: true,
    };
    ui.open_settings();
    ui.harness
        .get_by_label("Serve tokens to programs on this computer (http://127.0.0.1:8788)")
        .click();
    ui.until_text("The background agent was stopped");
    ui.until_text("Nothing answers on this port: the background agent that serves it was stopped.");
    assert!(
        ui.harness
            .query_all_by_label_contains("No background agent is running")
            .next()
            .is_none()
    );
    ui.harness
        .get_all_by_role_and_label(Role::Button, "Start it now")
        .next()
        .unwrap()
        .click();
    ui.until_text("The background agent is running");
    assert!(ui.agent.status().running);
}

/// Every dialog is a named dialog for a screen reader: Settings, Add an account, a question.
#[test]
fn dialogs_are_named_for_a_screen_reader() {
    use egui_kittest::kittest::NodeT as _;
    let b = Builder::new();
    b.seed("loja", Some(("fake-at", HOUR)), true);
    let mut ui = b.open();
    ui.until_label("loja");
    ui.open_settings();
    ui.until("the Settings dialog", |h| {
        h.query_by_role_and_label(Role::Dialog, "Settings")
            .is_some()
    });
    ui.click("Close");
    ui.card_menu("Remove…");
    ui.until("the question", |h| {
        h.query_all_by_role(Role::Dialog).any(|d| {
            d.accesskit_node()
                .label()
                .is_some_and(|l| l.contains("loja"))
        })
    });
}
