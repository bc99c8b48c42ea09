//! A real X server for window tests: `xvfb-run` around a shell script that drives the real
//! binary with `xdotool`, `xclip` and `import`.

use std::process::Command;

use crate::support::Env;

pub fn need_xvfb() {
    for (bin, package) in [
        ("xvfb-run", "xvfb"),
        ("xauth", "xauth"),
        ("import", "imagemagick"),
        ("xdotool", "xdotool"),
        ("xclip", "xclip"),
    ] {
        let found = std::env::var_os("PATH")
            .is_some_and(|p| std::env::split_paths(&p).any(|d| d.join(bin).is_file()));
        assert!(
            found,
            "`{bin}` is not installed: the window tests need it (run scripts/test, which installs it, or apt-get install {package})"
        );
    }
}

/// Runs a shell script inside `xvfb-run` (1024×768) with the profile's environment: `$RENOVA`
/// is the binary under test and `$OUT` the profile's home, where the script leaves its files.
pub fn in_xvfb(env: &Env, script: &str) -> std::process::Output {
    need_xvfb();
    std::fs::create_dir_all(env.dir("home")).unwrap();
    let mut cmd = Command::new("xvfb-run");
    env.apply_env(&mut cmd);
    cmd.env("RENOVA", assert_cmd::cargo::cargo_bin!("renova"))
        .env("OUT", env.dir("home"))
        .args(["-a", "-s", "-screen 0 1024x768x24", "sh", "-c", script]);
    cmd.output().unwrap()
}

pub fn colours(png: &std::path::Path) -> usize {
    let out = Command::new("identify")
        .args(["-format", "%k"])
        .arg(png)
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout)
        .trim()
        .parse()
        .unwrap_or(0)
}
