//! The real window under Xvfb: it starts, stays up, draws, a second `renova` brings the first
//! window forward instead of opening another, and a signal closes it the normal way.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs, dead_code)]

mod support;

use std::time::Duration;

use support::Env;
use support::crm::Rotating;
use support::xvfb::{colours, in_xvfb};

#[test]
fn the_demo_window_stays_up_and_draws() {
    let env = Env::without_keyring();
    let out = in_xvfb(
        &env,
        r#"
        mkdir -p "$OUT/tmp"
        TMPDIR="$OUT/tmp" "$RENOVA" --demo & pid=$!
        sleep 5
        kill -0 $pid || { echo "the window exited early"; exit 11; }
        import -window root "$OUT/demo.png" || exit 12
        kill $pid; wait $pid
        exit 0
        "#,
    );
    assert!(
        out.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let n = colours(&env.dir("home").join("demo.png"));
    assert!(n > 10, "the screenshot has {n} colours: nothing was drawn");
    // The demo touched no keychain, no account list and no audit log, and `kill` (SIGTERM)
    // closed it the normal way: its temporary folder is gone.
    assert!(!env.accounts_file().exists());
    assert!(!env.audit_file().exists());
    let left: Vec<_> = std::fs::read_dir(env.dir("home").join("tmp"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert!(left.is_empty(), "the demo left {left:?} behind");
}

#[test]
fn a_second_renova_brings_the_first_window_forward() {
    let env = Env::new();
    let out = in_xvfb(
        &env,
        r#"
        "$RENOVA" & first=$!
        sleep 3
        kill -0 $first || { echo "the first window exited"; exit 11; }
        timeout 10 "$RENOVA" > "$OUT/second.out" 2>&1; code=$?
        kill -0 $first || { echo "the first window exited after the second start"; exit 12; }
        kill $first; wait $first
        exit $code
        "#,
    );
    let second = std::fs::read_to_string(env.dir("home").join("second.out")).unwrap_or_default();
    assert!(
        out.status.success(),
        "second exit: {:?}\n{second}\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(second.contains("already open"), "{second}");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_windows_automatic_refresh_racing_the_cli_keeps_a_working_refresh_token() {
    // 4-second tokens: the window refreshes on its own as well as when the CLI does.
    let rotating = Rotating::new(support::REFRESH_TOKEN, Duration::from_millis(200)).expiring_in(4);
    let env = Env::with_rd().await;
    // Five refreshes come from the CLI; the window makes at least one.
    rotating.mount(env.rd(), 6..).await;
    env.add_crm(Some(&env.rd().uri()));
    // The window refreshes on its own (short tokens) while the CLI refreshes too.
    let out = in_xvfb(
        &env,
        r#"
        "$RENOVA" & gui=$!
        for i in 1 2 3 4; do "$RENOVA" refresh crm || exit 20; sleep 0.3; done
        sleep 3
        kill -0 $gui || exit 21
        kill $gui; wait $gui
        "$RENOVA" refresh crm || exit 22
        exit 0
        "#,
    );
    assert!(
        out.status.success(),
        "{:?}\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(rotating.refused(), 0, "nobody used a dead refresh token");
    // Five refreshes came from the CLI; 4-second tokens make the window refresh on its own too.
    assert!(rotating.issued() >= 6, "issued {}", rotating.issued());
    let entry = env.entry(&env.account_id("crm"));
    assert_eq!(entry["refresh_token"], rotating.current());
}

#[tokio::test(flavor = "multi_thread")]
async fn sigterm_closes_the_window_the_normal_way_and_clears_the_clipboard() {
    let env = Env::with_rd().await;
    support::rd::mount_refresh(env.rd(), support::rd::issued("fake-access-sigterm"), 1).await;
    env.add_rd("loja");
    env.renova().args(["token", "loja"]).assert().success();
    let out = in_xvfb(
        &env,
        r#"
        "$RENOVA" & app=$!
        win=$(timeout 20 xdotool search --sync --onlyvisible --pid $app | head -1)
        [ -n "$win" ] || { echo "no window"; exit 11; }
        sleep 2
        # The first card (Tab 6: after Add, Settings and the list's three switches); Enter copies.
        xdotool windowfocus --sync "$win"
        for i in 1 2 3 4 5 6; do xdotool key Tab; sleep 0.3; done
        xdotool key Return
        sleep 1.5
        xclip -selection clipboard -o > "$OUT/copied.txt" 2>/dev/null
        # A clipboard manager takes the copy over, as desktop ones do: it outlives the window.
        xclip -selection clipboard -i < "$OUT/copied.txt" &
        sleep 0.5
        kill -TERM $app; wait $app; echo $? > "$OUT/exit.txt"
        xclip -selection clipboard -o > "$OUT/after.txt" 2>/dev/null
        exit 0
        "#,
    );
    let read = |f: &str| std::fs::read_to_string(env.dir("home").join(f)).unwrap_or_default();
    assert!(
        out.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        read("copied.txt"),
        "fake-access-sigterm",
        "the copy did not happen"
    );
    assert_eq!(
        read("exit.txt").trim(),
        "0",
        "the window did not close the normal way"
    );
    assert_eq!(read("after.txt"), "", "the token stayed on the clipboard");
}

/// Runs `renova agent` under Xvfb while `host` plays a person at the stand-in tray host (on
/// a thread of its own); `settle` later the script reads the X clipboard into
/// `$OUT/clip.txt`, stops the agent (its code in `exit.txt`, its stderr in `agent.err`) and
/// reads the clipboard again into `after.txt` ($OUT is the profile's `home`).
fn agent_with_tray<R: Send>(
    env: &Env,
    settle: Duration,
    host: impl FnOnce() -> R + Send,
) -> (R, std::process::Output) {
    let out_dir = env.dir("home");
    std::fs::create_dir_all(&out_dir).unwrap();
    std::thread::scope(|scope| {
        let xvfb = scope.spawn(|| {
            in_xvfb(
                env,
                r#"
                "$RENOVA" agent 2> "$OUT/agent.err" & agent=$!
                for i in $(seq 300); do [ -f "$OUT/read-now" ] && break; sleep 0.1; done
                sleep 0.5
                xclip -selection clipboard -o > "$OUT/clip.txt" 2>/dev/null
                kill -TERM $agent; wait $agent; echo $? > "$OUT/exit.txt"
                xclip -selection clipboard -o > "$OUT/after.txt" 2>/dev/null
                exit 0
                "#,
            )
        });
        let done = std::thread::scope(|inner| inner.spawn(host).join().unwrap());
        std::thread::sleep(settle);
        std::fs::write(out_dir.join("read-now"), "").unwrap();
        (done, xvfb.join().unwrap())
    })
}

#[tokio::test(flavor = "multi_thread")]
async fn the_tray_lists_every_account_and_copy_token_puts_it_on_the_clipboard() {
    use support::tray::FakeWatcher;
    let env = Env::with_rd().await;
    support::rd::mount_refresh(env.rd(), support::rd::issued("fake-access-tray"), 1).await;
    env.add_rd("loja");
    env.add_with(
        "agencia_sp",
        &["--base-url", &env.rd().uri(), "--no-auto-refresh"],
        &support::secrets(),
    )
    .success();
    env.renova().args(["token", "loja"]).assert().success();
    let watcher = FakeWatcher::start(&env.bus.address).await;
    let rt = tokio::runtime::Handle::current();
    let script = agent_with_tray(&env, Duration::ZERO, || {
        rt.block_on(async {
            let item = watcher.item().await;
            let menu = watcher.menu(&item).await;
            let loja = menu
                .iter()
                .find(|(_, label)| label.contains("loja"))
                .unwrap_or_else(|| panic!("no entry for loja in {menu:?}"))
                .0;
            watcher.click(&item, loja).await;
            let status: String = watcher.property(&item, "Status").await.try_into().unwrap();
            (menu, status)
        })
    });
    let out_dir = env.dir("home");
    let ((menu, status), out) = script;
    let read = |f: &str| std::fs::read_to_string(out_dir.join(f)).unwrap_or_default();
    assert!(out.status.success(), "{}", read("agent.err"));
    let labels: Vec<&str> = menu.iter().map(|(_, l)| l.as_str()).collect();
    assert!(
        labels
            .iter()
            .any(|l| l.starts_with("Copy token · loja (2") && l.ends_with(" left)")),
        "{labels:?}"
    );
    // An underscore is shown as one, not taken for an access key.
    assert!(
        labels.iter().any(|l| l.contains("agencia__sp")),
        "{labels:?}"
    );
    for entry in ["Refresh all now", "Open Renova", "Quit"] {
        assert!(labels.contains(&entry), "{entry} in {labels:?}");
    }
    // agencia_sp has automatic refresh off and no token: nothing is wrong, the icon says so.
    assert_eq!(status, "Active", "{labels:?}");
    assert_eq!(
        read("clip.txt"),
        "fake-access-tray",
        "{}",
        read("agent.err")
    );
    assert_eq!(read("exit.txt").trim(), "0");
    assert_eq!(read("after.txt"), "", "the agent's copy outlived it");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_trays_copy_while_rd_is_down_gives_the_token_that_still_works() {
    use support::tray::FakeWatcher;
    let env = Env::with_rd().await;
    let once = |answer: wiremock::ResponseTemplate| {
        support::rd::refresh()
            .respond_with(answer)
            .up_to_n_times(1)
            .expect(1)
    };
    once(support::rd::issued("fake-access-aging"))
        .mount(env.rd())
        .await;
    let id = env.add_with(
        "loja",
        &["--base-url", &env.rd().uri(), "--no-auto-refresh"],
        &support::secrets(),
    );
    id.success();
    env.renova().args(["token", "loja"]).assert().success();
    // Obtained a day ago: eight minutes left, under the 15-minute copy minimum. The copy's
    // refresh reaches RD, which is down.
    let id = env.account_id("loja");
    env.age_token(&id, Duration::from_secs(480), Duration::from_secs(86_400));
    once(wiremock::ResponseTemplate::new(503).set_body_string("down"))
        .mount(env.rd())
        .await;
    let watcher = FakeWatcher::start(&env.bus.address).await;
    let rt = tokio::runtime::Handle::current();
    // Time for the copy's refresh to fail and the copy to land.
    let ((), out) = agent_with_tray(&env, Duration::from_secs(2), || {
        rt.block_on(async {
            let item = watcher.item().await;
            let menu = watcher.menu(&item).await;
            let loja = menu.iter().find(|(_, l)| l.contains("loja")).unwrap().0;
            watcher.click(&item, loja).await;
        });
    });
    let out_dir = env.dir("home");
    let read = |f: &str| std::fs::read_to_string(out_dir.join(f)).unwrap_or_default();
    assert!(out.status.success(), "{}", read("agent.err"));
    assert_eq!(
        read("clip.txt"),
        "fake-access-aging",
        "{}",
        read("agent.err")
    );
    // The failure is recorded where the window and `renova list` show it.
    assert_eq!(
        env.first_listed()["attention"]["cause"],
        "provider_failing",
        "{}",
        read("agent.err")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn window_and_agent_together_refresh_each_due_token_exactly_once() {
    let env = Env::with_rd().await;
    // Over the whole test, one refresh per due account, whoever makes it.
    support::rd::mount_refresh(env.rd(), support::rd::issued("fake-access-once"), 2).await;
    let first = env.add_rd("loja");
    let second = env.add_rd("agencia");
    let out = in_xvfb(
        &env,
        r#"
        "$RENOVA" agent 2> "$OUT/agent.err" & agent=$!
        "$RENOVA" & window=$!
        sleep 5
        kill -0 $window || { echo "the window exited"; exit 11; }
        kill -TERM $window; wait $window
        kill -TERM $agent; wait $agent; echo $? > "$OUT/agent-exit.txt"
        exit 0
        "#,
    );
    let read = |f: &str| std::fs::read_to_string(env.dir("home").join(f)).unwrap_or_default();
    assert!(
        out.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        read("agent.err")
    );
    assert_eq!(read("agent-exit.txt").trim(), "0");
    for id in [first, second] {
        assert_eq!(env.entry(&id)["access_token"], "fake-access-once");
    }
}

/// Starts a real tray host under Xvfb (`xfce`: Xfce's panel with its Status Tray; `sni`:
/// gtk-sni-tray-standalone with status-notifier-watcher), then `renova agent`; finds the icon
/// by its red dot, left-clicks it, screenshots the menu into `$OUT/menu.png`, chooses the first
/// entry that can be chosen with the keyboard, and reads the X clipboard into `clip.txt`.
fn tray_on_a_real_host(env: &Env, host: &str) -> std::process::Output {
    for (bin, package) in [
        ("xfce4-panel", "xfce4-panel"),
        ("gtk-sni-tray-standalone", "haskell-gtk-sni-tray-utils"),
        (
            "status-notifier-watcher",
            "haskell-status-notifier-item-utils",
        ),
        ("python3", "python3"),
    ] {
        let found = std::env::var_os("PATH")
            .is_some_and(|p| std::env::split_paths(&p).any(|d| d.join(bin).is_file()));
        assert!(
            found,
            "`{bin}` is not installed: the tray tests need a real tray host (run scripts/test, which installs it, or apt-get install {package})"
        );
    }
    let script = r#"
        # Whatever happens, nothing started here outlives the script (it would hold its output).
        trap 'kill $agent $h2 $h1 2>/dev/null' EXIT
        if [ "$HOST" = xfce ]; then
            conf="$XDG_CONFIG_HOME/xfce4/xfconf/xfce-perchannel-xml"
            mkdir -p "$conf"
            cp /etc/xdg/xfce4/panel/default.xml "$conf/xfce4-panel.xml"
            $(ls /usr/lib/*/xfce4/xfconf/xfconfd | head -1) & h1=$!
            sleep 0.5
            xfce4-panel > "$OUT/host.log" 2>&1 & h2=$!
        else
            status-notifier-watcher > "$OUT/host.log" 2>&1 & h1=$!
            sleep 0.5
            gtk-sni-tray-standalone -w >> "$OUT/host.log" 2>&1 & h2=$!
        fi
        "$RENOVA" agent 2> "$OUT/agent.err" & agent=$!
        # The icon, by its red dot, in the top 40 rows of the screen.
        dot() {
            import -window root -crop 1024x40+0+0 +repage -depth 8 txt:- 2>/dev/null | python3 -c '
import re, sys
xs, ys = [], []
for line in sys.stdin:
    m = re.match(r"(\d+),(\d+): \((\d+),(\d+),(\d+)", line)
    if m:
        x, y, r, g, b = map(int, m.groups())
        if r > 170 and g < 100 and b < 100:
            xs.append(x); ys.append(y)
if xs:
    print(sum(xs) // len(xs), sum(ys) // len(ys))'
        }
        at=""
        for i in $(seq 60); do at=$(dot); [ -n "$at" ] && break; sleep 0.5; done
        [ -n "$at" ] || { import -window root "$OUT/no-icon.png"; echo "no icon with a dot"; exit 12; }
        # Let the panel finish laying out, then find it again.
        sleep 1.5; at=$(dot); set -- $at
        import -window root "$OUT/icon.png"
        xdotool mousemove "$1" "$2" click 1; sleep 1.5
        import -window root "$OUT/menu.png"
        convert "$OUT/menu.png" -crop 1024x300+0+40 +repage -format %k info: > "$OUT/menu-colours.txt" 2>/dev/null \
            || /usr/bin/convert "$OUT/menu.png" -crop 1024x300+0+40 +repage -format %k info: > "$OUT/menu-colours.txt"
        xdotool key Down; sleep 0.3; xdotool key Return; sleep 1.5
        xclip -selection clipboard -o > "$OUT/clip.txt" 2>/dev/null
        kill -TERM $agent; wait $agent; echo $? > "$OUT/exit.txt"
        kill $h2 $h1 2>/dev/null
        exit 0
    "#;
    in_xvfb(env, &format!("HOST={host}\n{script}"))
}

async fn loja_and_an_account_not_connected_yet(token: &str) -> Env {
    let env = Env::with_rd().await;
    support::rd::mount_refresh(env.rd(), support::rd::issued(token), 1).await;
    env.add_rd("loja");
    env.renova().args(["token", "loja"]).assert().success();
    env.add_with(
        "nova",
        &["--base-url", &env.rd().uri()],
        &support::secret_only(),
    )
    .success();
    env
}

/// On both hosts: the icon appears with the red dot (nova needs authorization; gtk-sni-tray
/// never shows the attention icon, so the normal icon carries it), a left click opens the menu
/// (both read `ItemIsMenu`), nova is listed first and cannot be chosen, so the first entry the
/// keyboard reaches is loja's Copy, which puts loja's token on the X clipboard.
fn assert_the_tray_works_on(env: &Env, out: &std::process::Output, token: &str) {
    let out_dir = env.dir("home");
    let read = |f: &str| std::fs::read_to_string(out_dir.join(f)).unwrap_or_default();
    assert!(
        out.status.success(),
        "exit {:?}: {}\n{}\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        read("agent.err"),
        read("host.log")
    );
    let menu_colours: usize = read("menu-colours.txt").trim().parse().unwrap_or(0);
    assert!(
        menu_colours > 20,
        "no menu under the icon after a left click ({menu_colours} colours)"
    );
    assert_eq!(read("clip.txt"), token, "{}", read("agent.err"));
    assert_eq!(read("exit.txt").trim(), "0");
}

#[tokio::test(flavor = "multi_thread")]
async fn xfce_panels_tray_shows_the_dot_opens_the_menu_on_a_left_click_and_copies() {
    let env = loja_and_an_account_not_connected_yet("fake-access-xfce").await;
    let out = tray_on_a_real_host(&env, "xfce");
    assert_the_tray_works_on(&env, &out, "fake-access-xfce");
}

#[tokio::test(flavor = "multi_thread")]
async fn gtk_sni_tray_shows_the_dot_opens_the_menu_on_a_left_click_and_copies() {
    let env = loja_and_an_account_not_connected_yet("fake-access-sni").await;
    let out = tray_on_a_real_host(&env, "sni");
    assert_the_tray_works_on(&env, &out, "fake-access-sni");
}

/// What a screen reader reads of the window with twelve accounts, through AT-SPI (the a11y bus
/// switched on as Orca does): every interactive node named, no two buttons with the same name,
/// every card a group named after its account with its state as description and its buttons
/// inside it, the bars' time left within a stated range, the window named.
#[tokio::test(flavor = "multi_thread")]
async fn a_screen_reader_reads_every_control_by_a_distinct_name_inside_its_card() {
    for (path, package) in [
        ("/usr/libexec/at-spi-bus-launcher", "at-spi2-core"),
        (
            "/usr/lib/python3/dist-packages/pyatspi/__init__.py",
            "python3-pyatspi",
        ),
    ] {
        assert!(
            std::path::Path::new(path).exists(),
            "{path} is missing: the screen-reader test needs it (run scripts/test, which installs it, or apt-get install {package})"
        );
    }
    let env = Env::with_rd().await;
    support::rd::mount_refresh(env.rd(), support::rd::issued("fake-access-a11y"), 11).await;
    let names: Vec<String> = (1..=11).map(|i| format!("conta-{i:02}")).collect();
    for name in &names {
        env.add_rd(name);
        env.renova().args(["token", name]).assert().success();
    }
    env.add_with(
        "nova",
        &["--base-url", &env.rd().uri()],
        &support::secret_only(),
    )
    .success();
    std::fs::create_dir_all(env.dir("home")).unwrap();
    std::fs::write(
        env.dir("home").join("dump.py"),
        include_str!("support/a11y_dump.py"),
    )
    .unwrap();
    let out = in_xvfb(
        &env,
        r#"
        trap 'kill $app $bus 2>/dev/null' EXIT
        # GSettings in memory: the launcher keeps IsEnabled there (no dconf in a test).
        GSETTINGS_BACKEND=memory /usr/libexec/at-spi-bus-launcher --launch-immediately 2> "$OUT/bus.err" & bus=$!
        for i in $(seq 50); do
            gdbus call --session --dest org.a11y.Bus --object-path /org/a11y/bus \
                --method org.a11y.Bus.GetAddress > /dev/null 2>&1 && break
            sleep 0.1
        done
        for p in IsEnabled ScreenReaderEnabled; do
            gdbus call --session --dest org.a11y.Bus --object-path /org/a11y/bus \
                --method org.freedesktop.DBus.Properties.Set org.a11y.Status $p "<true>" > /dev/null
        done
        "$RENOVA" 2> "$OUT/window.err" & app=$!
        win=$(timeout 20 xdotool search --sync --onlyvisible --pid $app | head -1)
        [ -n "$win" ] || { echo "no window"; exit 11; }
        xdotool windowsize "$win" 1000 760
        sleep 4
        timeout 60 /usr/bin/python3 "$OUT/dump.py" > "$OUT/tree.json" 2> "$OUT/dump.err"
        "#,
    );
    let read = |f: &str| std::fs::read_to_string(env.dir("home").join(f)).unwrap_or_default();
    assert!(
        out.status.success(),
        "{}\n{}",
        read("window.err"),
        read("dump.err")
    );
    let tree: Vec<serde_json::Value> = serde_json::from_str(&read("tree.json"))
        .unwrap_or_else(|e| panic!("{e}: {}", read("dump.err")));
    let s = |n: &serde_json::Value, k: &str| n[k].as_str().unwrap_or_default().to_owned();
    let interactive = [
        "push button",
        "toggle button",
        "check box",
        "radio button",
        "combo box",
        "text",
        "password text",
        "spin button",
        "menu item",
    ];
    let unnamed: Vec<String> = tree
        .iter()
        .filter(|n| {
            (interactive.contains(&s(n, "role").as_str()) || n["focusable"] == true)
                && s(n, "name").trim().is_empty()
        })
        .map(|n| format!("{} ({})", s(n, "role"), s(n, "desc")))
        .collect();
    assert_eq!(unnamed, Vec::<String>::new(), "unnamed interactive nodes");
    let mut seen = std::collections::BTreeMap::<String, usize>::new();
    for n in tree.iter().filter(|n| s(n, "role").ends_with("button")) {
        *seen.entry(s(n, "name")).or_default() += 1;
    }
    let twice: Vec<&String> = seen
        .iter()
        .filter(|(_, c)| **c > 1)
        .map(|(k, _)| k)
        .collect();
    assert!(twice.is_empty(), "button names read twice: {twice:?}");
    assert!(
        tree.iter()
            .any(|n| s(n, "role") == "frame" && s(n, "name") == "Renova"),
        "the window is not named"
    );
    // The cards on screen: groups named after their accounts, their state described.
    let cards: Vec<&serde_json::Value> = tree
        .iter()
        .filter(|n| names.contains(&s(n, "name")) || s(n, "name") == "nova")
        .filter(|n| !s(n, "desc").is_empty())
        .collect();
    assert!(cards.len() >= 4, "cards read: {}", cards.len());
    assert!(
        cards
            .iter()
            .any(|c| s(c, "name") == "nova" && s(c, "desc").starts_with("not connected yet"))
    );
    // Every button of an account is inside its card's group.
    for n in tree.iter().filter(|n| s(n, "role") == "push button") {
        let name = s(n, "name");
        if let Some(account) = names
            .iter()
            .chain(["nova".to_owned()].iter())
            .find(|a| name.ends_with(&format!(" {a}")) || name.ends_with(&format!(" {a}'s token")))
        {
            assert_eq!(s(n, "group"), *account, "{name} is outside its card");
        }
    }
    // The bars: seconds left within the token's life.
    let bar = tree
        .iter()
        .find(|n| s(n, "role") == "progress bar")
        .expect("a time-left bar");
    assert!(s(bar, "name").starts_with("Time left on "), "{bar}");
    let range: Vec<f64> = serde_json::from_value(bar["value"].clone()).unwrap();
    assert_eq!((range[0], range[2]), (0.0, 86_400.0), "{bar}");
    assert!(range[1] > 80_000.0, "{bar}");
}

/// A copy from the tray is confirmed by a notification naming the account; a second copy's
/// notification replaces the first instead of stacking; neither ends in a command line.
#[tokio::test(flavor = "multi_thread")]
async fn a_tray_copy_is_confirmed_by_one_notification_that_the_next_replaces() {
    use support::tray::{FakeNotifications, FakeWatcher};
    let env = Env::with_rd().await;
    support::rd::mount_refresh(env.rd(), support::rd::issued("fake-access-told"), 1).await;
    env.add_rd("loja");
    env.renova().args(["token", "loja"]).assert().success();
    let desktop = FakeNotifications::start(&env.bus.address).await;
    let watcher = FakeWatcher::start(&env.bus.address).await;
    let rt = tokio::runtime::Handle::current();
    let ((), out) = agent_with_tray(&env, Duration::from_secs(1), || {
        rt.block_on(async {
            let item = watcher.item().await;
            let menu = watcher.menu(&item).await;
            let loja = menu.iter().find(|(_, l)| l.contains("loja")).unwrap().0;
            watcher.click(&item, loja).await;
            until(|| desktop.shown().len() == 1).await;
            // Past the tray's one-copy-a-second limit.
            tokio::time::sleep(Duration::from_millis(1200)).await;
            watcher.click(&item, loja).await;
            until(|| desktop.shown().len() == 2).await;
        });
    });
    let read = |f: &str| std::fs::read_to_string(env.dir("home").join(f)).unwrap_or_default();
    assert!(out.status.success(), "{}", read("agent.err"));
    assert_eq!(read("clip.txt"), "fake-access-told");
    let shown = desktop.shown();
    for (summary, body) in &shown {
        assert_eq!(summary, "loja's token copied — clears in 60 s", "{body}");
        assert!(!body.contains('`') && !body.contains("renova "), "{body}");
    }
    let replaces = desktop.replaces();
    assert_eq!(replaces[0], 0, "the first is new");
    assert_ne!(
        replaces[1], 0,
        "the second replaces the first: {replaces:?}"
    );
}

/// Waits (up to 10 s) for `cond`.
async fn until(cond: impl Fn() -> bool) {
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while !cond() {
        assert!(std::time::Instant::now() < deadline, "timed out");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
