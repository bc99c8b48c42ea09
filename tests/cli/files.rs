//! Renova's files: no symbolic link planted where Renova writes is followed (temporary, lock
//! and audit files), temporary files are created new with mode 0600, and folders open to
//! other users are made private at start, with `doctor` saying so.

use std::os::unix::fs::{PermissionsExt, symlink};
use std::path::Path;

use crate::support::*;

const VICTIM: &str = "a file of the user's that nothing may write to\n";

/// A file outside Renova's folders, and a link to it planted at `at`.
fn plant_link(env: &Env, at: &Path) -> std::path::PathBuf {
    let victim = env.dir("home").join("victim.txt");
    std::fs::create_dir_all(victim.parent().unwrap()).unwrap();
    std::fs::write(&victim, VICTIM).unwrap();
    let _ = std::fs::remove_file(at);
    symlink(&victim, at).unwrap();
    victim
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o7777
}

#[tokio::test]
async fn links_planted_at_the_temporary_names_are_never_written_through() {
    let env = Env::with_rd().await;
    rd::mount_refresh(env.rd(), rd::issued("fake-access-links"), 1).await;
    env.add_rd("loja");
    let state_dir = env.state_file().parent().unwrap().to_path_buf();
    let config_dir = env.accounts_file().parent().unwrap().to_path_buf();
    let victim = plant_link(&env, &state_dir.join(".state.json.tmp"));
    env.renova().args(["refresh", "loja"]).assert().success();
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), VICTIM);
    assert!(
        !std::fs::symlink_metadata(env.state_file())
            .unwrap()
            .is_symlink()
    );
    assert_eq!(mode(&env.state_file()), 0o600);
    assert!(env.state()["accounts"].is_object());

    let victim = plant_link(&env, &config_dir.join(".accounts.toml.tmp"));
    env.renova()
        .args(["edit", "loja", "--no-auto-refresh"])
        .assert()
        .success();
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), VICTIM);
    assert!(env.accounts_toml().contains("auto_refresh = false"));
    assert_eq!(mode(&env.accounts_file()), 0o600);
}

#[tokio::test]
async fn a_lock_or_audit_file_replaced_by_a_link_is_refused_not_followed() {
    let env = Env::with_rd().await;
    rd::mount_refresh(env.rd(), rd::issued("fake-access-audit"), 1).await;
    let id = env.add_rd("loja");
    // The audit log: the refresh succeeds, the line is not appended to the link's target.
    let victim = plant_link(&env, &env.audit_file());
    env.renova().args(["refresh", "loja"]).assert().success();
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), VICTIM);
    // The account's lock: nothing is stamped into the target, and the refresh says why it
    // cannot lock (exit 1), touching nothing.
    let lock = env
        .state_file()
        .parent()
        .unwrap()
        .join("locks")
        .join(format!("{id}.lock"));
    let victim = plant_link(&env, &lock);
    let entry = env.lookup(&id);
    let run = env.run(&["refresh", "loja"]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(run.stderr.contains("lock"), "{}", run.stderr);
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), VICTIM);
    assert_eq!(env.lookup(&id), entry);
}

#[test]
fn folders_open_to_other_users_are_made_private_and_doctor_says_so() {
    let env = Env::new();
    env.add("loja", "http://127.0.0.1:9");
    let config_dir = env.accounts_file().parent().unwrap().to_path_buf();
    let state_dir = env.state_file().parent().unwrap().to_path_buf();
    for dir in [&config_dir, &state_dir] {
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let run = env.run(&["doctor"]);
    for dir in [&config_dir, &state_dir] {
        let said = format!("{} was 0755, open to other users; now 0700", dir.display());
        assert!(run.stdout.contains(&said), "{said} in:\n{}", run.stdout);
        assert_eq!(mode(dir), 0o700, "{}", dir.display());
    }
    // Next time all is private, and doctor says that.
    let run = env.run(&["doctor"]);
    assert!(
        run.stdout
            .contains("only you can open Renova's folders (0700)"),
        "{}",
        run.stdout
    );
}
