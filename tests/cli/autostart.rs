//! The login item cannot be injected through Renova's own path: the `Exec=` key is quoted and
//! escaped as the Desktop Entry Specification says, a path that cannot be written safely (a
//! line break, a control character, a `%`, which GLib cannot launch even escaped) is refused, `desktop-file-validate` accepts every entry, and GLib's own
//! launcher (`Gio.DesktopAppInfo`, as GNOME and other desktops start login items) runs exactly
//! this binary with `agent`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use crate::support::*;

/// Debian's Python, which has GLib's bindings (python3-gi).
const PYTHON: &str = "/usr/bin/python3";

/// `renova agent --install`, run from a copy of the binary at `dir/renova`.
fn install_from(env: &Env, dir: &Path) -> Run {
    std::fs::create_dir_all(dir).unwrap();
    let copy = dir.join("renova");
    std::fs::copy(renova_bin(), &copy).unwrap();
    // Another test's thread may fork while the copy's file was still open for writing: its
    // child holds that descriptor until it execs, and running the copy meanwhile fails with
    // "text file busy". That passes in milliseconds.
    for _ in 0..100 {
        let mut cmd = Command::new(&copy);
        env.apply_env(&mut cmd);
        match cmd.args(["agent", "--install"]).output() {
            Err(e) if e.kind() == std::io::ErrorKind::ExecutableFileBusy => {
                std::thread::sleep(Duration::from_millis(20));
            }
            out => return Run::from(out.unwrap()),
        }
    }
    panic!("{} stayed busy for 2 s", copy.display())
}

fn validate(entry: &Path) {
    let out = Command::new("desktop-file-validate")
        .arg(entry)
        .output()
        .expect("desktop-file-validate is not installed: run scripts/test (desktop-file-utils)");
    assert!(
        out.status.success() && out.stdout.is_empty(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Launches `entry` with GLib's launcher; the program it ran writes its argv to `marker`.
fn launch_with_glib(entry: &Path, marker: &Path) -> Vec<String> {
    let script = "import sys, gi\n\
                  gi.require_version('Gio', '2.0')\n\
                  from gi.repository import Gio\n\
                  app = Gio.DesktopAppInfo.new_from_filename(sys.argv[1])\n\
                  assert app is not None, 'GLib could not read the entry'\n\
                  assert app.launch([], None)\n";
    let out = Command::new(PYTHON)
        .args(["-c", script])
        .arg(entry)
        .output()
        .expect("/usr/bin/python3 is missing: run scripts/test (python3-gi)");
    assert!(
        out.status.success(),
        "GLib's launcher failed (python3-gi installed? scripts/test installs it): {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Ok(text) = std::fs::read_to_string(marker)
            && text.ends_with("\n.\n")
        {
            return text
                .lines()
                .filter(|l| *l != ".")
                .map(str::to_owned)
                .collect();
        }
        assert!(Instant::now() < deadline, "the launched program never ran");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn the_login_item_runs_exactly_this_binary_whatever_its_folder_is_called() {
    for name in [
        "with space",
        "with \"quote\"",
        "with 'single'",
        "$HOME and `id`",
        "back\\slash",
        "ação",
    ] {
        let env = Env::new();
        let dir = env.dir("home").join("apps").join(name);
        let run = install_from(&env, &dir);
        assert_eq!(run.code, Some(0), "{name}: {}", run.stderr);
        let entry = env.dir("config").join("autostart/renova-agent.desktop");
        validate(&entry);
        // The program at that path is now a stand-in that writes down how it was started.
        let marker = env.dir("home").join("launched");
        let stand_in = dir.join("renova");
        std::fs::remove_file(&stand_in).unwrap();
        std::fs::write(
            &stand_in,
            format!(
                "#!/bin/sh\nprintf '%s\\n' \"$0\" \"$@\" . > '{}'\n",
                marker.display()
            ),
        )
        .unwrap();
        let mut perms = std::fs::metadata(&stand_in).unwrap().permissions();
        std::os::unix::fs::PermissionsExt::set_mode(&mut perms, 0o755);
        std::fs::set_permissions(&stand_in, perms).unwrap();
        let argv = launch_with_glib(&entry, &marker);
        assert_eq!(
            argv,
            [stand_in.display().to_string(), "agent".to_owned()],
            "{name}: {}",
            std::fs::read_to_string(&entry).unwrap()
        );
    }
}

#[test]
fn a_folder_name_with_a_line_break_or_a_percent_is_refused_and_nothing_is_written() {
    for name in [
        "x\nExec=/bin/touch /tmp/renova-pwned\n",
        "tab\there",
        "bell\u{7}",
        "field %u",
        "100%",
    ] {
        let env = Env::new();
        let dir: PathBuf = env.dir("home").join(name);
        let run = install_from(&env, &dir);
        assert_eq!(run.code, Some(2), "{name:?}: {}", run.stderr);
        assert!(
            run.stderr.contains("cannot hold safely") && run.stderr.contains("~/.local/bin"),
            "{name:?}: {}",
            run.stderr
        );
        assert!(
            !env.dir("config")
                .join("autostart/renova-agent.desktop")
                .exists(),
            "{name:?}: an entry was written"
        );
    }
}
