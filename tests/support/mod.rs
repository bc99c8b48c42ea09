//! Real parts for integration tests: a private D-Bus session with gnome-keyring in it (the
//! real Secret Service), isolated XDG folders, the real `renova` binary, and helpers to read
//! the keychain with a second client (`secret-tool`). Nothing here fakes the keychain.

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use tempfile::TempDir;

pub mod faulty;

/// Obviously fake credentials used across tests.
pub const CLIENT_ID: &str = "fake-client-id-0000";
/// A fake client secret.
pub const CLIENT_SECRET: &str = "fake-client-secret-1111";
/// A fake refresh token.
pub const REFRESH_TOKEN: &str = "fake-refresh-token-2222";

fn need(bin: &str, package: &str) -> PathBuf {
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|p| p.join(bin))
            .find(|p| p.is_file())
    });
    found.unwrap_or_else(|| {
        panic!(
            "`{bin}` is not installed: these tests need a real Secret Service. \
             Install dbus and gnome-keyring (and libsecret-tools): \
             apt-get install -y dbus gnome-keyring libsecret-tools  (package {package}), \
             or run .ci/run"
        )
    })
}

const BUS_CONFIG: &str = r#"<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir=@DIR@</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"#;

/// A private D-Bus session bus, with no service activation: only what the test starts runs.
pub struct Bus {
    child: Child,
    /// `DBUS_SESSION_BUS_ADDRESS` of this bus.
    pub address: String,
}

impl Bus {
    /// Starts a bus whose socket lives in `dir`.
    pub fn start(dir: &Path) -> Self {
        let daemon = need("dbus-daemon", "dbus");
        let config = dir.join("bus.conf");
        std::fs::write(
            &config,
            BUS_CONFIG.replace("@DIR@", &dir.display().to_string()),
        )
        .unwrap();
        let mut child = Command::new(daemon)
            .arg(format!("--config-file={}", config.display()))
            .args(["--nofork", "--print-address=1"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start dbus-daemon");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .expect("read the bus address");
        assert!(!line.trim().is_empty(), "dbus-daemon printed no address");
        Self {
            child,
            address: line.trim().to_owned(),
        }
    }
}

impl Drop for Bus {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A test profile: its own D-Bus session with gnome-keyring (password `test`), its own XDG
/// folders, and the `renova` binary pointed at them.
pub struct Env {
    /// Root of every folder of this profile.
    pub root: TempDir,
    /// The session bus.
    pub bus: Bus,
    keyring: Option<Child>,
}

impl Env {
    /// A fresh profile with an unlocked keyring.
    pub fn new() -> Self {
        need("gnome-keyring-daemon", "gnome-keyring");
        need("secret-tool", "libsecret-tools");
        let root = tempfile::Builder::new()
            .prefix("renova-test")
            .tempdir()
            .unwrap();
        for d in ["config", "state", "data", "runtime", "cache"] {
            std::fs::create_dir_all(root.path().join(d)).unwrap();
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(
                root.path().join("runtime"),
                std::fs::Permissions::from_mode(0o700),
            )
            .unwrap();
        }
        let bus = Bus::start(root.path());
        let mut env = Self {
            root,
            bus,
            keyring: None,
        };
        env.start_keyring();
        env
    }

    /// A profile whose bus has no Secret Service at all.
    pub fn without_keyring() -> Self {
        let root = tempfile::Builder::new()
            .prefix("renova-test")
            .tempdir()
            .unwrap();
        for d in ["config", "state", "data", "runtime", "cache"] {
            std::fs::create_dir_all(root.path().join(d)).unwrap();
        }
        let bus = Bus::start(root.path());
        Self {
            root,
            bus,
            keyring: None,
        }
    }

    /// A folder of the profile.
    pub fn dir(&self, name: &str) -> PathBuf {
        self.root.path().join(name)
    }

    fn apply_env(&self, cmd: &mut Command) {
        cmd.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.dir("home"))
            .env("DBUS_SESSION_BUS_ADDRESS", &self.bus.address)
            .env("XDG_CONFIG_HOME", self.dir("config"))
            .env("XDG_STATE_HOME", self.dir("state"))
            .env("XDG_DATA_HOME", self.dir("data"))
            .env("XDG_RUNTIME_DIR", self.dir("runtime"))
            .env("XDG_CACHE_HOME", self.dir("cache"))
            .env("LANG", "C.UTF-8");
    }

    /// Starts gnome-keyring on this profile's bus, unlocked with password `test`, and waits
    /// until it owns `org.freedesktop.secrets`.
    pub fn start_keyring(&mut self) {
        let daemon = need("gnome-keyring-daemon", "gnome-keyring");
        let mut cmd = Command::new(daemon);
        self.apply_env(&mut cmd);
        let mut child = cmd
            .args(["--foreground", "--unlock", "--components=secrets"])
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start gnome-keyring-daemon");
        {
            let mut stdin = child.stdin.take().unwrap();
            stdin.write_all(b"test").unwrap();
        }
        self.keyring = Some(child);
        let deadline = Instant::now() + Duration::from_secs(10);
        while !self.has_secret_service() {
            assert!(
                Instant::now() < deadline,
                "gnome-keyring-daemon did not come up on the test bus"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        // The first write creates the login collection; make sure it exists and is default.
        self.secret_tool_store("renova-test-warmup", "warmup");
        self.secret_tool_clear("renova-test-warmup");
    }

    /// Kills the keyring daemon (the bus stays: "no Secret Service").
    pub fn kill_keyring(&mut self) {
        if let Some(mut c) = self.keyring.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
        let deadline = Instant::now() + Duration::from_secs(5);
        while self.has_secret_service() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Stops (SIGSTOP) or resumes (SIGCONT) the keyring daemon: a keychain that hangs.
    pub fn freeze_keyring(&self, frozen: bool) {
        let pid = self.keyring.as_ref().expect("keyring running").id();
        let sig = if frozen { "-STOP" } else { "-CONT" };
        let ok = Command::new("kill")
            .args([sig, &pid.to_string()])
            .status()
            .unwrap();
        assert!(ok.success());
    }

    /// Locks the login collection (nothing can prompt: no display).
    pub fn lock_keyring(&self) {
        let out = self.dbus_send(&[
            "--dest=org.freedesktop.secrets",
            "/org/freedesktop/secrets",
            "org.freedesktop.Secret.Service.Lock",
            "array:objpath:/org/freedesktop/secrets/collection/login",
        ]);
        assert!(
            out.status.success(),
            "lock failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    fn dbus_send(&self, args: &[&str]) -> Output {
        let mut cmd = Command::new(need("dbus-send", "dbus"));
        self.apply_env(&mut cmd);
        cmd.args(["--session", "--print-reply"])
            .args(args)
            .output()
            .unwrap()
    }

    fn has_secret_service(&self) -> bool {
        let out = self.dbus_send(&[
            "--dest=org.freedesktop.DBus",
            "/org/freedesktop/DBus",
            "org.freedesktop.DBus.NameHasOwner",
            "string:org.freedesktop.secrets",
        ]);
        String::from_utf8_lossy(&out.stdout).contains("boolean true")
    }

    /// The `renova` binary with this profile's environment (no DISPLAY).
    pub fn renova(&self) -> assert_cmd::Command {
        let mut std_cmd = Command::new(assert_cmd::cargo::cargo_bin!("renova"));
        self.apply_env(&mut std_cmd);
        let mut cmd = assert_cmd::Command::from_std(std_cmd);
        cmd.timeout(Duration::from_secs(120));
        cmd
    }

    /// A plain `std` command for the binary (for concurrent runs).
    pub fn renova_std(&self) -> Command {
        let mut cmd = Command::new(assert_cmd::cargo::cargo_bin!("renova"));
        self.apply_env(&mut cmd);
        cmd
    }

    /// `renova add NAME --client-id … --base-url BASE` with the fake secrets.
    pub fn add(&self, name: &str, base_url: &str) -> String {
        self.renova()
            .args([
                "add",
                name,
                "--client-id",
                CLIENT_ID,
                "--base-url",
                base_url,
            ])
            .write_stdin(format!("{CLIENT_SECRET}\n{REFRESH_TOKEN}\n"))
            .assert()
            .success();
        self.account_id(name)
    }

    /// The id of an account, from `accounts.toml`.
    pub fn account_id(&self, name: &str) -> String {
        let text = std::fs::read_to_string(self.accounts_file()).unwrap();
        let config: toml::Table = toml::from_str(&text).unwrap();
        config["account"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["name"].as_str() == Some(name))
            .unwrap_or_else(|| panic!("no account {name} in {text}"))["id"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    /// `accounts.toml`.
    pub fn accounts_file(&self) -> PathBuf {
        self.dir("config").join("renova").join("accounts.toml")
    }

    /// `state.json`.
    pub fn state_file(&self) -> PathBuf {
        self.dir("state").join("renova").join("state.json")
    }

    /// The keychain entry of an account, read by a second client (`secret-tool`).
    pub fn lookup(&self, id: &str) -> Option<String> {
        let mut cmd = Command::new(need("secret-tool", "libsecret-tools"));
        self.apply_env(&mut cmd);
        let out = cmd
            .args(["lookup", "service", "renova", "username", id])
            .output()
            .unwrap();
        out.status
            .success()
            .then(|| String::from_utf8(out.stdout).unwrap())
            .filter(|s| !s.is_empty())
    }

    /// The keychain entry as JSON.
    pub fn entry(&self, id: &str) -> serde_json::Value {
        serde_json::from_str(&self.lookup(id).expect("entry present")).unwrap()
    }

    /// Stores a value with `secret-tool` (as another app would).
    pub fn secret_tool_store(&self, user: &str, value: &str) {
        let mut cmd = Command::new(need("secret-tool", "libsecret-tools"));
        self.apply_env(&mut cmd);
        let mut child = cmd
            .args([
                "store",
                "--label=test",
                "service",
                "renova",
                "username",
                user,
            ])
            .stdin(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(value.as_bytes())
            .unwrap();
        assert!(child.wait().unwrap().success(), "secret-tool store failed");
    }

    /// Deletes a value with `secret-tool`.
    pub fn secret_tool_clear(&self, user: &str) {
        let mut cmd = Command::new(need("secret-tool", "libsecret-tools"));
        self.apply_env(&mut cmd);
        let _ = cmd
            .args(["clear", "service", "renova", "username", user])
            .status();
    }

    /// Every file under the profile's config and state folders, as text.
    pub fn all_profile_text(&self) -> Vec<(PathBuf, String)> {
        let mut out = Vec::new();
        for d in ["config", "state", "cache", "home"] {
            walk(&self.dir(d), &mut out);
        }
        out
    }
}

fn walk(dir: &Path, out: &mut Vec<(PathBuf, String)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            walk(&p, out);
        } else if let Ok(bytes) = std::fs::read(&p) {
            out.push((p, String::from_utf8_lossy(&bytes).into_owned()));
        }
    }
}

impl Drop for Env {
    fn drop(&mut self) {
        if let Some(mut c) = self.keyring.take() {
            let _ = Command::new("kill")
                .args(["-CONT", &c.id().to_string()])
                .status();
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

/// An RD token answer.
pub fn rd_tokens(access: &str, expires_in: i64, refresh: &str) -> serde_json::Value {
    serde_json::json!({"access_token": access, "expires_in": expires_in, "refresh_token": refresh})
}

/// A loopback port nothing listens on.
pub fn dead_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().port()
}

/// Text of a command's stderr.
pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Text of a command's stdout.
pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}
