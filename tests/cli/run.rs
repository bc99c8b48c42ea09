//! `renova run`: the token reaches the command in its environment and in no process's
//! arguments, the command's exit code and signals pass through, and a missing command is 127.

use std::time::{Duration, Instant};

use crate::support::{Env, Run, rd};

const TOKEN: &str = "fake-access-run-3141";

async fn env_with_token() -> Env {
    let env = Env::with_rd().await;
    rd::mount_refresh(env.rd(), rd::issued(TOKEN), 1).await;
    env.add_rd("loja");
    env
}

#[tokio::test(flavor = "multi_thread")]
async fn the_command_sees_the_token_in_its_environment_and_its_exit_code_passes_through() {
    let env = env_with_token().await;
    let out = env.dir("home");
    std::fs::create_dir_all(&out).unwrap();
    let script = format!(
        r#"printf %s "$ACCESS_TOKEN" > {o}/seen; tr '\0' ' ' < /proc/$$/cmdline > {o}/child-argv; tr '\0' ' ' < /proc/$PPID/cmdline > {o}/renova-argv; exit 7"#,
        o = out.display()
    );
    let run = env.run(&["run", "loja", "--", "sh", "-c", &script]);
    assert_eq!(run.code, Some(7), "{}", run.stderr);
    assert_eq!(run.stdout, "", "Renova's own messages go to stderr");
    let read = |f: &str| std::fs::read_to_string(out.join(f)).unwrap();
    assert_eq!(read("seen"), TOKEN);
    for argv in ["child-argv", "renova-argv"] {
        let text = read(argv);
        assert!(
            text.contains("sh") || text.contains("renova"),
            "{argv}: {text}"
        );
        assert!(!text.contains(TOKEN), "{argv} holds the token: {text}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn several_accounts_each_in_its_own_variable() {
    let env = env_with_token().await;
    let run = env.run(&[
        "run",
        "--env",
        "RD_TOKEN=loja",
        "--env",
        "AGAIN=loja",
        "--",
        "sh",
        "-c",
        r#"test "$RD_TOKEN" = "$AGAIN" && test -n "$RD_TOKEN" && test -z "$ACCESS_TOKEN""#,
    ]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_missing_command_is_127_and_a_usage_mistake_is_2() {
    let env = env_with_token().await;
    let run = env.run(&["run", "loja", "--", "no-such-command-renova-test"]);
    assert_eq!(run.code, Some(127), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("no-such-command-renova-test: command not found"),
        "{}",
        run.stderr
    );
    let run = env.run(&["run", "--env", "1BAD=loja", "--", "true"]);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(
        run.stderr.contains("is not a variable name"),
        "{}",
        run.stderr
    );
    let run = env.run(&["run", "--", "true"]);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    // RD was asked once, for the missing command's token; never for the mistakes.
}

/// A token in a variable that the loader or the shell reads before the command would be loaded,
/// run or printed (the previous release let `--env LD_PRELOAD=loja` make ld.so print the token
/// on stderr); such names are refused before any token is fetched, and the command never runs.
#[tokio::test(flavor = "multi_thread")]
async fn a_variable_the_loader_or_the_shell_reads_is_refused_before_any_token_is_fetched() {
    let env = Env::with_rd().await;
    rd::mount_refresh(env.rd(), rd::issued(TOKEN), 0).await;
    env.add_rd("loja");
    let out = env.dir("home");
    std::fs::create_dir_all(&out).unwrap();
    let marker = out.join("ran");
    let script = format!("touch {}", marker.display());
    for var in [
        "LD_PRELOAD",
        "LD_LIBRARY_PATH",
        "ld_audit",
        "DYLD_INSERT_LIBRARIES",
        "BASH_ENV",
        "ENV",
        "PS4",
        "PROMPT_COMMAND",
        "IFS",
        "PATH",
        "HOME",
    ] {
        for form in [
            vec!["run".to_owned(), "--env".into(), format!("{var}=loja")],
            vec!["run".to_owned(), "loja".into(), "--env".into(), var.into()],
        ] {
            let mut argv = form.clone();
            argv.extend(["--", "sh", "-c", &script].map(str::to_owned));
            let argv: Vec<&str> = argv.iter().map(String::as_str).collect();
            let run = env.run(&argv);
            assert_eq!(run.code, Some(2), "{form:?}: {}", run.stderr);
            assert!(
                run.stderr.contains(var) && run.stderr.contains("ACCESS_TOKEN"),
                "{form:?} does not say which name and what to use instead: {}",
                run.stderr
            );
            assert!(!run.stderr.contains(TOKEN) && !run.stdout.contains(TOKEN));
            assert!(!marker.exists(), "{form:?} ran the command");
        }
    }
    let run = Run::of(env.renova().env("LANG", "pt_BR.UTF-8").args([
        "run",
        "--env",
        "LD_PRELOAD=loja",
        "--",
        "true",
    ]));
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(run.stderr.contains("use outra variável"), "{}", run.stderr);
}

#[tokio::test(flavor = "multi_thread")]
async fn sigterm_and_sigint_are_passed_on_to_the_command() {
    use rustix::process::Signal;
    for (signal, name) in [(Signal::TERM, "TERM"), (Signal::INT, "INT")] {
        let env = env_with_token().await;
        let out = env.dir("home");
        std::fs::create_dir_all(&out).unwrap();
        let script = format!(
            r#"trap 'echo {name} > {o}/got; exit 3' {name}; echo ready > {o}/ready; while :; do sleep 0.1; done"#,
            o = out.display()
        );
        let mut child = env
            .renova_std()
            .args(["run", "loja", "--", "sh", "-c", &script])
            .stdin(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(20);
        while !out.join("ready").exists() {
            assert!(Instant::now() < deadline, "the command never started");
            std::thread::sleep(Duration::from_millis(50));
        }
        let pid = rustix::process::Pid::from_child(&child);
        rustix::process::kill_process(pid, signal).unwrap();
        let status = child.wait().unwrap();
        assert_eq!(status.code(), Some(3), "{name}");
        assert_eq!(
            std::fs::read_to_string(out.join("got")).unwrap().trim(),
            name
        );
    }
}
