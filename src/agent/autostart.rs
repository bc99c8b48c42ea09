//! Start at login: `renova agent --install` / `--uninstall`, and the window's Settings. On
//! Linux an XDG autostart entry (`$XDG_CONFIG_HOME/autostart/renova-agent.desktop`); on macOS
//! a LaunchAgent; on Windows the `Run` key of the current user. Both directions are idempotent.

use std::path::PathBuf;

use crate::core::error::{Error, InputError, Result};
use crate::core::files::write_atomic;

/// Where the login item lives (for messages), or the `Run` key's value name on Windows.
pub(crate) fn location() -> Result<PathBuf> {
    let base = directories::BaseDirs::new().ok_or_else(|| {
        Error::io(
            "finding the home folder",
            PathBuf::new(),
            std::io::Error::new(std::io::ErrorKind::NotFound, "no home folder"),
        )
    })?;
    Ok(if cfg!(target_os = "macos") {
        base.home_dir()
            .join("Library/LaunchAgents/app.renova.agent.plist")
    } else if cfg!(windows) {
        PathBuf::from(r"HKCU\Software\Microsoft\Windows\CurrentVersion\Run\Renova agent")
    } else {
        base.config_dir().join("autostart/renova-agent.desktop")
    })
}

/// Whether start at login is on.
pub(crate) fn installed() -> bool {
    if cfg!(windows) {
        return run_key(&["query"]).is_ok();
    }
    location().is_ok_and(|p| p.is_file())
}

/// The running binary, as the login item starts it.
fn exe() -> Result<PathBuf> {
    std::env::current_exe().map_err(|e| Error::io("finding renova's own path", "renova", e))
}

/// `exe` as one quoted argument of a Desktop Entry `Exec=` key, as the Desktop Entry
/// Specification (1.5, "The Exec key") says: inside double quotes, `"`, `` ` ``, `$` and `\`
/// get a backslash; then the value's own string escapes double every backslash. A path with a
/// line break or another control character, or that is not UTF-8, cannot be written safely and
/// is refused; so is one with a `%` (a field code such as `%u` otherwise): the specification's
/// `%%` would do for the key, but GLib (which GNOME and others start login items with) looks
/// for the program under its escaped name, finds nothing, and silently skips the entry.
pub(crate) fn exec_arg(exe: &std::path::Path) -> Result<String, InputError> {
    let unsafe_path = || InputError::UnsafeOwnPath(format!("{:?}", exe.as_os_str()));
    let path = exe.to_str().ok_or_else(unsafe_path)?;
    if path.chars().any(|c| c.is_control() || c == '%') {
        return Err(unsafe_path());
    }
    let mut quoted = String::with_capacity(path.len() + 2);
    quoted.push('"');
    for c in path.chars() {
        match c {
            // `\` + c at the Exec level; the string level doubles that backslash.
            '"' | '`' | '$' => {
                quoted.push_str("\\\\");
                quoted.push(c);
            }
            '\\' => quoted.push_str("\\\\\\\\"),
            c => quoted.push(c),
        }
    }
    quoted.push('"');
    Ok(quoted)
}

/// The XDG autostart entry for `exe` (Desktop Entry 1.5; `desktop-file-validate` accepts it).
pub(crate) fn desktop_entry(exe: &std::path::Path) -> Result<String, InputError> {
    let exec = exec_arg(exe)?;
    Ok(format!(
        "[Desktop Entry]\n\
         Type=Application\n\
         Name=Renova agent\n\
         Name[pt_BR]=Agente do Renova\n\
         Comment=Keeps OAuth access tokens fresh in the background\n\
         Comment[pt_BR]=Mantém os tokens de acesso OAuth renovados em segundo plano\n\
         Exec={exec} agent\n\
         Icon=renova\n\
         Terminal=false\n\
         NoDisplay=true\n\
         X-GNOME-Autostart-enabled=true\n"
    ))
}

/// The LaunchAgent for `exe`.
fn launch_agent(exe: &std::path::Path) -> String {
    let path = exe
        .display()
        .to_string()
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
  <key>Label</key><string>app.renova.agent</string>
  <key>ProgramArguments</key><array><string>{path}</string><string>agent</string></array>
  <key>RunAtLoad</key><true/>
</dict>
</plist>
"#
    )
}

/// `reg ARGS…` on the current user's `Run` key (Windows).
fn run_key(args: &[&str]) -> std::io::Result<()> {
    let mut cmd = std::process::Command::new("reg");
    cmd.arg(args[0])
        .arg(r"HKCU\Software\Microsoft\Windows\CurrentVersion\Run")
        .args(["/v", "Renova agent"])
        .args(&args[1..]);
    let status = cmd.output()?.status;
    if status.success() {
        Ok(())
    } else {
        Err(std::io::Error::other(format!("reg {} failed", args[0])))
    }
}

/// Turns start at login on (again: it rewrites the entry with the current path).
pub(crate) fn install() -> Result<PathBuf> {
    let exe = exe()?;
    let path = location()?;
    if cfg!(windows) {
        let value = format!("\"{}\" agent", exe.display());
        run_key(&["add", "/t", "REG_SZ", "/d", &value, "/f"])
            .map_err(|e| Error::io("adding Renova to the Run key", &path, e))?;
        return Ok(path);
    }
    let text = if cfg!(target_os = "macos") {
        launch_agent(&exe)
    } else {
        desktop_entry(&exe)?
    };
    write_atomic(&path, text.as_bytes())?;
    Ok(path)
}

/// Turns start at login off; nothing to do when it is off.
pub(crate) fn uninstall() -> Result<PathBuf> {
    let path = location()?;
    if cfg!(windows) {
        if installed() {
            run_key(&["delete", "/f"])
                .map_err(|e| Error::io("removing Renova from the Run key", &path, e))?;
        }
        return Ok(path);
    }
    match std::fs::remove_file(&path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            Err(Error::io("removing the login item", &path, e))
        }
        _ => Ok(path),
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    #[test]
    fn the_path_is_quoted_and_escaped_as_the_desktop_entry_spec_says() {
        for (path, exec) in [
            ("/usr/bin/renova", r#""/usr/bin/renova""#),
            ("/opt/my apps/renova", r#""/opt/my apps/renova""#),
            ("/opt/re$nova", r#""/opt/re\\$nova""#),
            ("/opt/a\"b/renova", r#""/opt/a\\"b/renova""#),
            ("/opt/a`b/renova", r#""/opt/a\\`b/renova""#),
            ("/opt/a\\b/renova", r#""/opt/a\\\\b/renova""#),
            ("/opt/ação/renova", r#""/opt/ação/renova""#),
        ] {
            assert_eq!(exec_arg(Path::new(path)).unwrap(), exec, "{path}");
        }
        let entry = desktop_entry(Path::new("/opt/my apps/renova")).unwrap();
        assert!(
            entry.contains("\nExec=\"/opt/my apps/renova\" agent\n"),
            "{entry}"
        );
        assert!(entry.starts_with("[Desktop Entry]\nType=Application\n"));
    }

    #[test]
    fn a_path_with_a_line_break_a_control_character_or_a_percent_is_refused() {
        for path in [
            "/tmp/x\nExec=/bin/evil\n/renova",
            "/tmp/a\rb/renova",
            "/tmp/a\tb",
            "/tmp/\u{7f}",
            "/opt/%u/renova",
            "/opt/100%/renova",
        ] {
            let e = desktop_entry(Path::new(path)).unwrap_err();
            assert!(matches!(e, InputError::UnsafeOwnPath(_)), "{path}");
        }
        #[cfg(unix)]
        {
            use std::os::unix::ffi::OsStrExt;
            let raw = std::ffi::OsStr::from_bytes(b"/tmp/\xff/renova");
            assert!(exec_arg(Path::new(raw)).is_err());
        }
    }
}
