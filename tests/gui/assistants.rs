//! AI assistants in the window: the Edit dialog chooses what they may do with an account,
//! the card says which assistant last used it, and Settings lists the shared accounts and
//! copies the line that connects Claude Code.

use std::time::Duration;

use renova::Config;

use crate::harness::Builder;

const HOUR: Duration = Duration::from_secs(3600);

#[test]
fn the_edit_dialog_shares_an_account_and_the_card_and_settings_show_it() {
    let b = Builder::new();
    b.seed("loja", Some(("fake-at", HOUR)), false);
    b.edit_first_account(|a| a.assistants = renova::Assistants::Call);
    // As `renova mcp` records a use.
    let config = Config::load(&b.paths).unwrap();
    let id = config.accounts[0].id.to_string();
    let state_file = b.paths.state_file();
    let mut state: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&state_file).unwrap()).unwrap();
    state["accounts"][&id]["assistant_use"] = serde_json::json!({
        "at": renova::Clock::now(&*b.clock).to_string(),
        "client": "Claude Code 2.1.0",
        "what": "GET api.rd.services/platform/contacts",
    });
    std::fs::write(&state_file, state.to_string()).unwrap();
    let mut ui = b.open();
    ui.until_text("Last used by an AI assistant: Claude Code 2.1.0");
    ui.until_text("(GET api.rd.services/platform/contacts)");
    // Settings: the shared accounts, and the Claude Code line to copy.
    ui.open_settings();
    ui.until_text("Shared through `renova mcp`: loja");
    ui.until_text("claude mcp add renova -- renova mcp");
    ui.click("Copy the command");
    ui.until_copied("claude mcp add renova -- renova mcp");
    ui.click("Close");
    // The Edit dialog: requests and the token.
    ui.card_menu("Edit…");
    ui.until_label("AI assistants");
    ui.choose("Requests, and reading the token");
    ui.type_into(
        "Where its token may go (origins, comma-separated)",
        "https://api.rd.services, HTTPS://Example.com:443/",
    );
    ui.click("Save");
    ui.until_text("Saved loja");
    let account = Config::load(ui.renova.profile().paths())
        .unwrap()
        .find("loja")
        .unwrap()
        .clone();
    assert_eq!(account.assistants, renova::Assistants::Token);
    assert_eq!(
        account.assistant_origins,
        ["https://api.rd.services", "https://example.com"]
    );
}
