//! The real window under a headless Wayland compositor (sway, wlroots' headless backend): it
//! opens, Copy sets a clipboard that `wl-paste` reads, the clear empties it, and Ctrl+V pastes
//! what `wl-copy` put into the authorization dialog. Keys come from `wtype` (the
//! virtual-keyboard protocol), screenshots from `grim`.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs, dead_code)]

mod support;

use support::wayland::in_sway;
use support::xvfb::colours;
use support::{Env, rd};

/// Starts the window, waits for sway to map it, and defines `k KEY` (a key, then a pause).
const START: &str = r#"
    # Nothing started here outlives the script (it would hold the script's output open).
    trap 'kill $kb $app 2>/dev/null' EXIT
    k() { wtype -k "$1"; sleep 0.35; }
    # A keyboard that stays (headless sway has none): each wtype's own comes and goes too
    # fast for the window to take the keyboard focus from it.
    wtype -s 600000 & kb=$!
    sleep 0.5
    "$RENOVA" 2> "$OUT/window.err" & app=$!
    for i in $(seq 100); do
        swaymsg -t get_tree | grep -q "\"pid\": $app," && break
        sleep 0.2
    done
    swaymsg -t get_tree > "$OUT/tree.json"
    grep -q "\"pid\": $app," "$OUT/tree.json" || { echo "no window"; exit 11; }
    sleep 2
"#;

fn run(env: &Env, steps: &str) -> String {
    let out = in_sway(env, &format!("{START}{steps}"));
    let read = |f: &str| std::fs::read_to_string(env.dir("home").join(f)).unwrap_or_default();
    assert!(
        out.status.success(),
        "exit {:?}\n{}\n{}\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        read("window.err"),
        read("sway.log")
    );
    read("window.err")
}

#[tokio::test(flavor = "multi_thread")]
async fn the_window_opens_copies_to_the_wayland_clipboard_and_clears_it() {
    let env = Env::with_rd().await;
    rd::mount_refresh(env.rd(), rd::issued("fake-access-wayland"), 1).await;
    env.add_rd("loja");
    env.renova().args(["token", "loja"]).assert().success();
    // A short clear, so the test sees it happen.
    let config = env.dir("config").join("renova/accounts.toml");
    let toml: String = std::fs::read_to_string(&config)
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with("clipboard_clear"))
        .map(|l| format!("{l}\n"))
        .collect();
    let toml = if toml.contains("[defaults]\n") {
        toml.replacen("[defaults]\n", "[defaults]\nclipboard_clear = \"4s\"\n", 1)
    } else {
        format!("[defaults]\nclipboard_clear = \"4s\"\n\n{toml}")
    };
    std::fs::write(&config, toml).unwrap();
    assert!(
        env.run(&["list"]).code == Some(0),
        "accounts.toml still reads"
    );
    // Tab 6 is the card: Enter copies its token.
    let err = run(
        &env,
        r#"
        grim "$OUT/wayland.png"
        for i in 1 2 3 4 5 6; do k Tab; done
        k Return; sleep 1
        wl-paste -n > "$OUT/copied.txt" 2>/dev/null
        sleep 6
        wl-paste -n > "$OUT/after.txt" 2>/dev/null
        kill $app; wait $app
        "#,
    );
    let read = |f: &str| std::fs::read_to_string(env.dir("home").join(f)).unwrap_or_default();
    assert!(
        read("tree.json").contains("\"app_id\": \"renova\""),
        "{}",
        read("tree.json")
    );
    assert!(
        colours(&env.dir("home").join("wayland.png")) > 50,
        "the window drew nothing"
    );
    assert_eq!(read("copied.txt"), "fake-access-wayland", "{err}");
    assert_eq!(read("after.txt"), "", "the clear left the token: {err}");
}

#[tokio::test(flavor = "multi_thread")]
async fn ctrl_v_pastes_what_wl_copy_put_into_the_authorization_dialog() {
    let env = Env::with_nova_awaiting_code("fake-code-wayland").await;
    // Tab 8 is the card's "Authorize in browser", as under X11.
    run(
        &env,
        r#"
        # wl-copy stays to serve the clipboard: not on the script's output.
        printf '%s' 'fake-code-wayland' | wl-copy > /dev/null 2>&1
        for i in 1 2 3 4 5 6 7 8; do k Tab; done
        k Return; sleep 1.5
        wtype -M ctrl -k v -m ctrl; sleep 0.35
        k Return
        sleep 3
        kill $app; wait $app
        "#,
    );
    env.assert_nova_got_the_codes_tokens();
}
