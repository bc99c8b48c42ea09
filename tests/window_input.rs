//! The real window under Xvfb, used the way a person does: Ctrl+V from the system clipboard
//! into the add dialog and the authorization dialog, Tab in reading order with the focus kept
//! on Copy, and a window destroyed from outside (a lost X connection) without a panic.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs, dead_code)]

mod support;

use support::xvfb::in_xvfb;
use support::{CLIENT_ID, CLIENT_SECRET, Env, rd};

/// Starts the window, waits for it, and defines `k KEY` (a key, then a pause).
const START: &str = r#"
    k() { xdotool key "$1"; sleep 0.35; }
    "$RENOVA" 2> "$OUT/window.err" & app=$!
    win=$(timeout 20 xdotool search --sync --onlyvisible --pid $app | head -1)
    [ -n "$win" ] || { echo "no window"; exit 11; }
    sleep 2
    xdotool windowfocus --sync "$win"
"#;

fn run(env: &Env, steps: &str) -> String {
    let out = in_xvfb(env, &format!("{START}{steps}"));
    let read = |f: &str| std::fs::read_to_string(env.dir("home").join(f)).unwrap_or_default();
    assert!(
        out.status.success(),
        "exit {:?}\n{}\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        read("window.err")
    );
    read("window.err")
}

#[tokio::test(flavor = "multi_thread")]
async fn ctrl_v_pastes_rds_json_answer_into_the_add_dialog_and_enter_saves() {
    let env = Env::with_rd().await;
    // Saving tries the new credentials once, with the pasted refresh token.
    rd::refresh_of("fake-refresh-pasted")
        .respond_with(rd::tokens(
            "fake-access-from-rd",
            86_400,
            "fake-refresh-pasted",
        ))
        .expect(1)
        .mount(env.rd())
        .await;
    let answer = r#"{"access_token":"fake-access-pasted","expires_in":86400,"refresh_token":"fake-refresh-pasted"}"#;
    let steps = format!(
        r#"
        printf '%s' '{answer}' | xclip -selection clipboard -i
        k ctrl+n
        xdotool type --delay 20 loja; k Tab; k Tab
        xdotool type --delay 20 '{CLIENT_ID}'; k Tab
        xdotool type --delay 20 '{CLIENT_SECRET}'; k Tab; k Tab
        k ctrl+v
        k Tab; k Tab; k Tab; k Tab; k space; k Tab
        xdotool type --delay 10 '{rd}'
        k Return

        sleep 3
        kill $app; wait $app
        "#,
        rd = env.rd().uri()
    );
    run(&env, &steps);
    let entry = env.entry(&env.account_id("loja"));
    assert_eq!(entry["refresh_token"], "fake-refresh-pasted", "{entry}");
    assert_eq!(entry["access_token"], "fake-access-from-rd", "{entry}");
}

#[tokio::test(flavor = "multi_thread")]
async fn ctrl_v_pastes_the_code_into_the_authorization_dialog() {
    let env = Env::with_nova_awaiting_code("fake-code-pasted").await;
    // Tab 8 is the card's "Authorize in browser" (Add, Settings, the order and compact
    // switches, the card, its … menu, then its fix).
    run(
        &env,
        r#"
        printf '%s' 'fake-code-pasted' | xclip -selection clipboard -i
        for i in 1 2 3 4 5 6 7 8; do k Tab; done
        k Return; sleep 1.5
        k ctrl+v; k Return
        sleep 3
        kill $app; wait $app
        "#,
    );
    env.assert_nova_got_the_codes_tokens();
}

async fn one_valid_account(token: &str) -> Env {
    let env = Env::with_rd().await;
    rd::mount_refresh(env.rd(), rd::issued(token), 1).await;
    env.add_rd("loja");
    env.renova().args(["token", "loja"]).assert().success();
    env
}

#[tokio::test(flavor = "multi_thread")]
async fn tab_goes_in_reading_order_and_copy_keeps_the_focus() {
    let env = one_valid_account("fake-access-tab").await;
    // Tab 6 is the card (Enter copies); Tab 8 is its Copy button.
    run(
        &env,
        r#"
        clip() { xclip -selection clipboard -o 2>/dev/null > "$OUT/$1"; printf other | xclip -selection clipboard -i; }
        for i in 1 2 3 4 5 6; do k Tab; done
        k Return; sleep 1; clip card.txt
        k Tab; k Tab; k Return; sleep 1; clip copy.txt
        k Return; sleep 1; clip again.txt
        kill $app; wait $app
        "#,
    );
    for file in ["card.txt", "copy.txt", "again.txt"] {
        let got = std::fs::read_to_string(env.dir("home").join(file)).unwrap_or_default();
        assert_eq!(got, "fake-access-tab", "{file}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_window_destroyed_from_outside_exits_without_a_panic_and_clears_the_clipboard() {
    let env = one_valid_account("fake-access-gone").await;
    let said = run(
        &env,
        r#"
        for i in 1 2 3 4 5 6; do k Tab; done
        k Return; sleep 1
        xclip -selection clipboard -o > "$OUT/copied.txt" 2>/dev/null
        # A clipboard manager takes the copy over; then the window is destroyed from outside.
        xclip -selection clipboard -i < "$OUT/copied.txt" & sleep 0.5
        xdotool windowclose "$win"
        wait $app; echo $? > "$OUT/exit.txt"
        xclip -selection clipboard -o > "$OUT/after.txt" 2>/dev/null
        exit 0
        "#,
    );
    let read = |f: &str| std::fs::read_to_string(env.dir("home").join(f)).unwrap_or_default();
    assert_eq!(read("copied.txt"), "fake-access-gone");
    assert!(
        !said.contains("panicked at") || said.contains("the window system failed"),
        "{said}"
    );
    assert!(!said.contains("stack backtrace"), "{said}");
    assert!(
        said.contains("The window system closed Renova's window"),
        "{said}"
    );
    assert_eq!(read("exit.txt").trim(), "1", "{said}");
    assert_eq!(read("after.txt"), "", "the token stayed on the clipboard");
}
