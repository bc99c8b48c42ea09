//! Real parts for integration tests: a private D-Bus session with gnome-keyring in it (the
//! real Secret Service), isolated XDG folders, the real `renova` binary, and helpers to read
//! the keychain with a second client (`secret-tool`). Nothing here fakes the keychain.

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use tempfile::TempDir;
use wiremock::{MockServer, ResponseTemplate};

pub mod crm;
pub mod echo;
pub mod faulty;
pub mod mcp;
pub mod postman;
pub mod rd;
pub mod tray;
pub mod wayland;
pub mod xvfb;

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
            "`{bin}` is not installed: these tests need a real Secret Service and a second \
             keychain client. Run scripts/test, which installs what is missing, or install \
             the package {package} yourself (apt-get install -y {package})"
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

/// `dbus-monitor` recording method calls on a test's bus.
pub struct BusMonitor {
    child: Child,
    log: PathBuf,
}

impl BusMonitor {
    /// How many calls of `member` it has seen.
    pub fn count(&self, member: &str) -> usize {
        std::fs::read_to_string(&self.log)
            .unwrap_or_default()
            .lines()
            .filter(|l| l.starts_with("method call") && l.contains(&format!("member={member}")))
            .count()
    }

    /// Calls that could raise an unlock prompt: `Unlock`, and `org.freedesktop.Secret.Prompt`'s.
    pub fn prompting_calls(&self) -> usize {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        text.lines()
            .filter(|l| l.starts_with("method call"))
            .filter(|l| {
                l.contains("member=Unlock") || l.contains("interface=org.freedesktop.Secret.Prompt")
            })
            .count()
    }
}

impl Drop for BusMonitor {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A test profile: its own D-Bus session with gnome-keyring (password `test`), its own XDG
/// folders, the `renova` binary pointed at them, and (with [`Env::with_rd`]) its own RD Station
/// played by wiremock.
pub struct Env {
    /// Root of every folder of this profile.
    pub root: TempDir,
    /// The session bus.
    pub bus: Bus,
    keyring: Option<Child>,
    rd: Option<MockServer>,
}

/// Fresh profile folders and a bus whose socket lives among them.
fn profile() -> (TempDir, Bus) {
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
    (root, bus)
}

impl Env {
    /// A fresh profile with an unlocked keyring.
    pub fn new() -> Self {
        need("gnome-keyring-daemon", "gnome-keyring");
        need("secret-tool", "libsecret-tools");
        let mut env = Self::without_keyring();
        env.start_keyring();
        env
    }

    /// A fresh profile with an unlocked keyring and its own RD Station ([`Env::rd`]), where
    /// nothing is mounted yet: mount the answers with [`rd`], then add accounts with
    /// [`Env::add_rd`].
    pub async fn with_rd() -> Self {
        let server = MockServer::start().await;
        let mut env = Self::new();
        env.rd = Some(server);
        env
    }

    /// A profile with account `nova`, not connected yet (a client secret, no tokens), whose RD
    /// exchanges the authorization code `code` once (for the paste-the-code tests).
    pub async fn with_nova_awaiting_code(code: &str) -> Self {
        let env = Self::with_rd().await;
        rd::code_exchange(code)
            .respond_with(rd::tokens("fake-access-code", 86_400, "fake-refresh-code"))
            .expect(1)
            .mount(env.rd())
            .await;
        env.add_with("nova", &["--base-url", &env.rd().uri()], &secret_only())
            .success();
        env
    }

    /// `nova` holds the tokens its code was exchanged for.
    pub fn assert_nova_got_the_codes_tokens(&self) {
        let entry = self.entry(&self.account_id("nova"));
        assert_eq!(entry["refresh_token"], "fake-refresh-code", "{entry}");
        assert_eq!(entry["access_token"], "fake-access-code", "{entry}");
    }

    /// A profile with account `loja` whose RD answers its one refresh (exactly as Renova
    /// sends it) with `answer`.
    pub async fn with_rd_answering(answer: ResponseTemplate) -> Self {
        let env = Self::with_rd().await;
        rd::mount_refresh(env.rd(), answer, 1).await;
        env.add_rd("loja");
        env
    }

    /// A profile whose bus has no Secret Service at all.
    pub fn without_keyring() -> Self {
        let (root, bus) = profile();
        Self {
            root,
            bus,
            keyring: None,
            rd: None,
        }
    }

    /// This profile's RD Station (from [`Env::with_rd`]). Its mocks are verified when the
    /// profile is dropped.
    pub fn rd(&self) -> &MockServer {
        self.rd
            .as_ref()
            .expect("this profile has no RD server: start it with Env::with_rd()")
    }

    /// A folder of the profile.
    pub fn dir(&self, name: &str) -> PathBuf {
        self.root.path().join(name)
    }

    /// Gives `cmd` this profile's environment and nothing else (no DISPLAY).
    pub fn apply_env(&self, cmd: &mut Command) {
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

    /// A program run with this profile's environment.
    fn command(&self, bin: &str, package: &str) -> Command {
        let mut cmd = Command::new(need(bin, package));
        self.apply_env(&mut cmd);
        cmd
    }

    /// Starts gnome-keyring on this profile's bus, unlocked with password `test`, and waits
    /// until it owns `org.freedesktop.secrets`.
    pub fn start_keyring(&mut self) {
        let mut child = self
            .command("gnome-keyring-daemon", "gnome-keyring")
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

    /// Starts recording the calls on this profile's bus that could raise a keychain prompt
    /// (`Unlock`, and anything of `org.freedesktop.Secret.Prompt`), with `SearchItems` for
    /// reference.
    pub fn watch_keychain_calls(&self) -> BusMonitor {
        let log = self.dir("home").join(format!(
            "bus-{}.log",
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos()
        ));
        std::fs::create_dir_all(self.dir("home")).unwrap();
        let child = self
            .command("dbus-monitor", "dbus")
            .arg("--address")
            .arg(&self.bus.address)
            .args([
                "type='method_call',interface='org.freedesktop.Secret.Service',member='Unlock'",
                "type='method_call',interface='org.freedesktop.Secret.Service',member='SearchItems'",
                "type='method_call',interface='org.freedesktop.Secret.Prompt'",
            ])
            .stdout(std::fs::File::create(&log).unwrap())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // dbus-monitor says what it watches first: wait for that.
        let deadline = Instant::now() + Duration::from_secs(5);
        while std::fs::read_to_string(&log).unwrap_or_default().is_empty() {
            assert!(Instant::now() < deadline, "dbus-monitor did not start");
            std::thread::sleep(Duration::from_millis(20));
        }
        BusMonitor { child, log }
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
        self.command("dbus-send", "dbus")
            .args(["--session", "--print-reply"])
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
        let mut cmd = assert_cmd::Command::from_std(self.renova_std());
        cmd.timeout(Duration::from_secs(120));
        cmd
    }

    /// A plain `std` command for the binary (for concurrent runs). `RENOVA_TEST_BIN` names
    /// another build to run the same test against (an earlier release, to compare).
    pub fn renova_std(&self) -> Command {
        let mut cmd = Command::new(renova_bin());
        self.apply_env(&mut cmd);
        cmd
    }

    /// Runs `renova ARGS…` (no stdin) and keeps what it said, whatever its exit code.
    pub fn run(&self, args: &[&str]) -> Run {
        Run::of(self.renova().args(args))
    }

    /// Starts `n` copies of `renova ARGS…` at once, then waits for each and keeps what it said.
    pub fn run_at_once(&self, n: usize, args: &[&str]) -> Vec<Run> {
        let children: Vec<Child> = (0..n)
            .map(|_| spawn(self.renova_std().args(args)))
            .collect();
        children
            .into_iter()
            .map(|child| Run::from(child.wait_with_output().unwrap()))
            .collect()
    }

    /// `renova list --json`, parsed.
    pub fn list_json(&self) -> serde_json::Value {
        let list = self.run(&["list", "--json"]);
        serde_json::from_str(&list.stdout).unwrap()
    }

    /// The first account of `renova list --json`.
    pub fn first_listed(&self) -> serde_json::Value {
        self.list_json()["accounts"][0].clone()
    }

    /// An `oauth2` account whose client authenticates with HTTP Basic at this profile's RD
    /// (`/token`), `stdin` holding its secrets; assert on the result.
    pub fn add_basic_oauth2(&self, name: &str, stdin: &str) -> assert_cmd::assert::Assert {
        let token_url = format!("{}/token", self.rd().uri());
        let flags = [
            "--provider",
            "oauth2",
            "--token-url",
            &token_url,
            "--client-auth",
            "basic",
        ];
        self.add_with(name, &flags, stdin)
    }

    /// `renova add NAME --client-id CLIENT_ID FLAGS…` with `stdin`; assert on the result.
    pub fn add_with(&self, name: &str, flags: &[&str], stdin: &str) -> assert_cmd::assert::Assert {
        self.renova()
            .args(["add", name, "--client-id", CLIENT_ID])
            .args(flags)
            .write_stdin(stdin.to_owned())
            .assert()
    }

    /// `renova add NAME --client-id … --base-url BASE` with the fake secrets; the account's id.
    pub fn add(&self, name: &str, base_url: &str) -> String {
        self.add_with(name, &["--base-url", base_url], &secrets())
            .success();
        self.account_id(name)
    }

    /// The usual fake RD account against this profile's RD ([`Env::with_rd`]); its id.
    pub fn add_rd(&self, name: &str) -> String {
        self.add(name, &self.rd().uri())
    }

    /// An RD Station CRM account `crm` (at `base_url`, or CRM's own address) with the fake
    /// secrets; its id.
    pub fn add_crm(&self, base_url: Option<&str>) -> String {
        let mut flags = vec!["--provider", "rdstation-crm"];
        flags.extend(base_url.map(|b| ["--base-url", b]).into_iter().flatten());
        self.add_with("crm", &flags, &secrets()).success();
        self.account_id("crm")
    }

    /// The id of an account, from `accounts.toml`.
    pub fn account_id(&self, name: &str) -> String {
        let text = self.accounts_toml();
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

    /// The text of `accounts.toml`.
    pub fn accounts_toml(&self) -> String {
        std::fs::read_to_string(self.accounts_file()).unwrap()
    }

    /// `state.json`.
    pub fn state_file(&self) -> PathBuf {
        self.dir("state").join("renova").join("state.json")
    }

    /// `state.json`, parsed.
    pub fn state(&self) -> serde_json::Value {
        serde_json::from_str(&std::fs::read_to_string(self.state_file()).unwrap()).unwrap()
    }

    /// `audit.jsonl`.
    pub fn audit_file(&self) -> PathBuf {
        self.dir("state").join("renova").join("audit.jsonl")
    }

    /// The text of `audit.jsonl`.
    pub fn audit(&self) -> String {
        std::fs::read_to_string(self.audit_file()).unwrap()
    }

    /// `secret-tool` on this profile's bus.
    fn secret_tool(&self) -> Command {
        self.command("secret-tool", "libsecret-tools")
    }

    /// The keychain entry of an account, read by a second client (`secret-tool`).
    pub fn lookup(&self, id: &str) -> Option<String> {
        let out = self
            .secret_tool()
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

    /// How many keychain entries Renova has, counted by `secret-tool`.
    pub fn keychain_entries(&self) -> usize {
        let out = self
            .secret_tool()
            .args(["search", "--all", "service", "renova"])
            .output()
            .unwrap();
        [&out.stdout, &out.stderr]
            .iter()
            .map(|text| {
                String::from_utf8_lossy(text)
                    .matches("attribute.username")
                    .count()
            })
            .sum()
    }

    /// Stores a value with `secret-tool` (as another app would).
    pub fn secret_tool_store(&self, user: &str, value: &str) {
        let mut child = self
            .secret_tool()
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

    /// Ages an account's token as if it had been obtained `lifetime` ago minus `left`: its
    /// keychain entry and its `state.json` mirror both say it has `left` to go.
    pub fn age_token(&self, id: &str, left: std::time::Duration, lifetime: std::time::Duration) {
        let now = jiff::Timestamp::now();
        let expires = now + jiff::SignedDuration::try_from(left).unwrap();
        let obtained = expires - jiff::SignedDuration::try_from(lifetime).unwrap();
        let mut entry = self.entry(id);
        entry["expires_at"] = expires.to_string().into();
        entry["obtained_at"] = obtained.to_string().into();
        self.secret_tool_store(id, &entry.to_string());
        let mut state = self.state();
        let mirror = &mut state["accounts"][id];
        mirror["expires_at"] = expires.to_string().into();
        mirror["obtained_at"] = obtained.to_string().into();
        std::fs::write(self.state_file(), state.to_string()).unwrap();
    }

    /// Deletes a value with `secret-tool`.
    pub fn secret_tool_clear(&self, user: &str) {
        let _ = self
            .secret_tool()
            .args(["clear", "service", "renova", "username", user])
            .status();
    }

    /// Runs `renova token loja` (2 s HTTP timeout) and checks that it failed cleanly: exit
    /// `code`, nothing on stdout, each of `expect` and no secret on stderr, and the keychain
    /// entry byte-identical. Returns stderr.
    pub fn token_fails_with(&self, code: i32, expect: &[&str]) -> String {
        let id = self.account_id("loja");
        let before = self.lookup(&id).unwrap();
        let out = Run::of(
            self.renova()
                .env("RENOVA_HTTP_TIMEOUT", "2s")
                .args(["token", "loja"]),
        );
        let err = out.stderr;
        assert_eq!(out.code, Some(code), "stderr: {err}");
        assert_eq!(out.stdout, "", "a failed refresh prints nothing on stdout");
        for e in expect {
            assert!(err.contains(e), "expected {e:?} in: {err}");
        }
        assert!(
            !err.contains(CLIENT_SECRET) && !err.contains(REFRESH_TOKEN),
            "{err}"
        );
        assert_eq!(
            self.lookup(&id).unwrap(),
            before,
            "the entry changed after a failure"
        );
        err
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

/// The `renova` binary the tests run: `RENOVA_TEST_BIN` when set (another build, to compare),
/// else the one cargo built.
pub fn renova_bin() -> PathBuf {
    std::env::var_os("RENOVA_TEST_BIN").map_or_else(
        || assert_cmd::cargo::cargo_bin!("renova").into(),
        PathBuf::from,
    )
}

/// A client secret and a refresh token that share no six characters with anything else a
/// test or the program writes, so that any six-character piece of them found in output is a
/// leak.
pub const LONE_SECRET: &str = "Sx9kQ2vLw8PzR4tN6bJ3mYc7";
/// See [`LONE_SECRET`].
pub const LONE_REFRESH: &str = "Rk5nT8wQ1zX4vB7mL2pJ9sD6";

/// Every piece of six characters of each of `secrets`.
pub fn pieces(secrets: &[&str]) -> Vec<String> {
    secrets
        .iter()
        .flat_map(|s| {
            let chars: Vec<char> = s.chars().collect();
            chars
                .windows(6)
                .map(|w| w.iter().collect::<String>())
                .collect::<Vec<_>>()
        })
        .collect()
}

/// Fails if `text` (found in `place`) holds a run of `len` characters of any of `secrets`.
pub fn assert_no_run(text: &str, place: &str, secrets: &[&str], len: usize) {
    for secret in secrets {
        let chars: Vec<char> = secret.chars().collect();
        for w in chars.windows(len) {
            let piece: String = w.iter().collect();
            assert!(
                !text.contains(&piece),
                "{len} characters of a secret ({piece}) are in {place}:\n{text}"
            );
        }
    }
}

/// A client secret with the characters encodings change (`/`, `+`, `=`), as in the security
/// review's report.
pub const ODD_SECRET: &str = "fake-cs/evil+SECRET=Zq81Kx";
/// A 32-character refresh token with the same characters.
pub const ODD_REFRESH: &str = "fake-rt/Q7wX9+mN2pL4=vB8kD3hJ6sT";

/// Fails if `text` (found in `place`) holds a six-character piece of any of `secrets`.
pub fn assert_no_piece(text: &str, place: &str, secrets: &[&str]) {
    for piece in pieces(secrets) {
        assert!(
            !text.contains(&piece),
            "a piece of a secret ({piece}) is in {place}:\n{text}"
        );
    }
}

/// The fake client secret and refresh token, as `renova add` reads them from stdin.
pub fn secrets() -> String {
    format!("{CLIENT_SECRET}\n{REFRESH_TOKEN}\n")
}

/// Only the fake client secret on stdin: an account without a refresh token.
pub fn secret_only() -> String {
    format!("{CLIENT_SECRET}\n")
}

/// What a finished command said.
#[derive(Debug)]
pub struct Run {
    /// The exit code (`None` if a signal ended it).
    pub code: Option<i32>,
    /// Its stdout, as text.
    pub stdout: String,
    /// Its stderr, as text.
    pub stderr: String,
}

impl Run {
    /// Runs `cmd` to the end and keeps what it said, whatever its exit code.
    pub fn of(cmd: &mut assert_cmd::Command) -> Self {
        Self::from(cmd.output().unwrap())
    }

    /// Exit code 0.
    pub fn success(&self) -> bool {
        self.code == Some(0)
    }
}

impl From<Output> for Run {
    fn from(out: Output) -> Self {
        Self {
            code: out.status.code(),
            stdout: stdout(&out),
            stderr: stderr(&out),
        }
    }
}

/// Starts `cmd` with stdin, stdout and stderr piped.
pub fn spawn(cmd: &mut Command) -> Child {
    cmd.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Reads a child's stderr until a line holding a URL with `marker` in it shows up; returns the
/// URL and the text so far. The rest of stderr is drained on a thread of its own.
pub fn read_url(child: &mut Child, marker: &str) -> (String, String) {
    let mut reader = BufReader::new(child.stderr.take().unwrap());
    let mut seen = String::new();
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap() == 0 || Instant::now() > deadline {
            panic!("no URL printed; stderr so far:\n{seen}");
        }
        seen.push_str(&line);
        if line.trim_start().starts_with("http") && line.contains(marker) {
            let url = line.trim().to_owned();
            std::thread::Builder::new()
                .name("drain-stderr".to_owned())
                .spawn(move || {
                    let mut rest = String::new();
                    let _ = reader.read_to_string(&mut rest);
                })
                .unwrap();
            return (url, seen);
        }
    }
}

/// A timestamp field of a JSON document (`state.json`, a keychain entry).
pub fn timestamp(value: &serde_json::Value) -> jiff::Timestamp {
    value
        .as_str()
        .unwrap_or_else(|| panic!("not a timestamp: {value}"))
        .parse()
        .unwrap()
}

/// Seconds from `obtained_at` to `expires_at` of a keychain entry: the token's lifetime.
pub fn lifetime(entry: &serde_json::Value) -> i64 {
    timestamp(&entry["expires_at"]).as_second() - timestamp(&entry["obtained_at"]).as_second()
}

/// Seconds from now until a timestamp field.
pub fn seconds_until(value: &serde_json::Value) -> i64 {
    timestamp(value).as_second() - jiff::Timestamp::now().as_second()
}

/// A loopback port nothing listens on.
pub fn dead_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().port()
}

/// Another program holding a loopback port: it answers the first request with `answer` and
/// hands back what it was sent. Returns its port and the request it will have heard.
pub fn squatter(answer: &'static str) -> (u16, std::thread::JoinHandle<String>) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let heard = std::thread::Builder::new()
        .name("squatter".into())
        .spawn(move || {
            use std::io::{Read, Write};
            let (mut stream, _) = listener.accept().unwrap();
            let mut buf = [0u8; 4096];
            let n = stream.read(&mut buf).unwrap();
            stream.write_all(answer.as_bytes()).unwrap();
            String::from_utf8_lossy(&buf[..n]).into_owned()
        })
        .unwrap();
    (port, heard)
}

/// Text of a command's stderr.
pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Text of a command's stdout.
pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}
