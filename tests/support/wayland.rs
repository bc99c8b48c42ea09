//! A real Wayland compositor for window tests: sway's headless backend (wlroots, no GPU),
//! with `wl-copy`/`wl-paste` for the clipboard, `wtype` for keys (the virtual-keyboard
//! protocol) and `grim` for screenshots. sway refuses to run as root, so under root it runs as
//! `nobody` (through setpriv), in a runtime folder of its own; the clients reach it by the socket's full path.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::Env;

fn need_wayland() {
    for (bin, package) in [
        ("sway", "sway"),
        ("swaymsg", "sway"),
        ("wl-copy", "wl-clipboard"),
        ("wl-paste", "wl-clipboard"),
        ("wtype", "wtype"),
        ("grim", "grim"),
    ] {
        let found = std::env::var_os("PATH")
            .is_some_and(|p| std::env::split_paths(&p).any(|d| d.join(bin).is_file()));
        assert!(
            found,
            "`{bin}` is not installed: the Wayland tests need it (run scripts/test, which installs it, or apt-get install {package})"
        );
    }
}

/// A headless sway, stopped when dropped.
struct Sway {
    child: Child,
    socket: PathBuf,
    ipc: PathBuf,
}

impl Drop for Sway {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

fn start_sway(env: &Env) -> Sway {
    let dir = env.dir("wayland");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("sway.conf"),
        "output HEADLESS-1 resolution 1024x768\nxwayland disable\n",
    )
    .unwrap();
    let mut cmd = if is_root() {
        let status = Command::new("chown")
            .args(["-R", "nobody"])
            .arg(&dir)
            .status()
            .unwrap();
        assert!(status.success(), "chown nobody {}", dir.display());
        // setpriv executes sway in its place (runuser would stay as its parent, and killing it
        // would leave sway running).
        let mut c = Command::new("setpriv");
        c.args([
            "--reuid=nobody",
            "--regid=nogroup",
            "--clear-groups",
            "--",
            "sway",
        ]);
        c
    } else {
        Command::new("sway")
    };
    let mut sway = Sway {
        child: cmd
            .arg("-c")
            .arg(dir.join("sway.conf"))
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("XDG_RUNTIME_DIR", &dir)
            .env("HOME", &dir)
            .env("WLR_BACKENDS", "headless")
            .env("WLR_LIBINPUT_NO_DEVICES", "1")
            .env("WLR_RENDERER", "pixman")
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(env.dir("home").join("sway.log")).unwrap())
            .spawn()
            .expect("start sway"),
        socket: PathBuf::new(),
        ipc: PathBuf::new(),
    };
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let entries: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap()
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        let named = |pred: &dyn Fn(&str) -> bool| {
            entries
                .iter()
                .find(|p| p.file_name().and_then(|n| n.to_str()).is_some_and(pred))
                .cloned()
        };
        let socket = named(&|n| n.starts_with("wayland-") && !n.ends_with(".lock"));
        let ipc = named(&|n| n.starts_with("sway-ipc."));
        if let (Some(socket), Some(ipc)) = (socket, ipc) {
            sway.socket = socket;
            sway.ipc = ipc;
            return sway;
        }
        assert!(
            Instant::now() < deadline,
            "sway did not start: {}",
            std::fs::read_to_string(env.dir("home").join("sway.log")).unwrap_or_default()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Runs a shell script beside a headless sway with the profile's environment and no X
/// display: `$RENOVA` is the binary under test, `$OUT` the profile's home, `WAYLAND_DISPLAY`
/// and `SWAYSOCK` point at the compositor.
pub fn in_sway(env: &Env, script: &str) -> std::process::Output {
    need_wayland();
    std::fs::create_dir_all(env.dir("home")).unwrap();
    let sway = start_sway(env);
    let mut cmd = Command::new("sh");
    env.apply_env(&mut cmd);
    cmd.env_remove("DISPLAY")
        .env("WAYLAND_DISPLAY", &sway.socket)
        .env("SWAYSOCK", &sway.ipc)
        .env("RENOVA", assert_cmd::cargo::cargo_bin!("renova"))
        .env("OUT", env.dir("home"))
        .args(["-c", script]);
    let out = cmd.output().unwrap();
    drop(sway);
    out
}
