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

/// `accounts.toml` and `state.json` replaced by a link to `/dev/zero`, a FIFO or a 17 MiB
/// file: read with a 16 MiB cap and without following the link, refused with what to do, and
/// left as they are (the previous release read `/dev/zero` until memory ran out).
#[tokio::test]
async fn a_planted_link_pipe_or_huge_file_is_refused_and_left_as_it_is() {
    let env = Env::with_rd().await;
    rd::mount_refresh(env.rd(), rd::issued("fake-access-files"), 0..).await;
    env.add_rd("loja");
    let accounts = env.accounts_file();
    let real = std::fs::read(&accounts).unwrap();
    std::fs::create_dir_all(env.dir("home")).unwrap();
    let huge = env.dir("home").join("huge.toml");
    std::fs::write(&huge, vec![b'#'; 17 * 1024 * 1024]).unwrap();
    let fifo = env.dir("home").join("fifo");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    for (what, plant, why) in [
        (
            "a link to /dev/zero",
            Some(Path::new("/dev/zero")),
            "a symbolic link stands in its place",
        ),
        (
            "a link to a FIFO",
            Some(fifo.as_path()),
            "a symbolic link stands in its place",
        ),
        ("a 17 MiB file", None, "larger than 16 MiB"),
    ] {
        std::fs::remove_file(&accounts).unwrap();
        match plant {
            Some(target) => std::os::unix::fs::symlink(target, &accounts).unwrap(),
            None => std::fs::copy(&huge, &accounts).map(|_| ()).unwrap(),
        }
        for args in [&["list"][..], &["token", "loja"]] {
            let run = env.run(args);
            assert_eq!(run.code, Some(1), "{what}, {args:?}: {}", run.stderr);
            assert!(run.stderr.contains(why), "{what}, {args:?}: {}", run.stderr);
            assert!(run.stderr.contains("left it as it is"), "{}", run.stderr);
        }
        let meta = std::fs::symlink_metadata(&accounts).unwrap();
        assert_eq!(
            meta.file_type().is_symlink(),
            plant.is_some(),
            "{what}: changed"
        );
        std::fs::remove_file(&accounts).unwrap();
        std::fs::write(&accounts, &real).unwrap();
    }

    // state.json is only a mirror: Renova works without it, says so, and never writes over it.
    let state = env.state_file();
    std::fs::remove_file(&state).ok();
    std::os::unix::fs::symlink("/dev/zero", &state).unwrap();
    let run = env.run(&["token", "loja"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(run.stdout.trim(), "fake-access-files");
    let doctor = env.run(&["doctor"]);
    assert_eq!(doctor.code, Some(1), "{}", doctor.stdout);
    assert!(
        doctor
            .stdout
            .contains("a symbolic link stands in its place"),
        "{}",
        doctor.stdout
    );
    assert!(
        std::fs::symlink_metadata(&state)
            .unwrap()
            .file_type()
            .is_symlink()
    );
}
