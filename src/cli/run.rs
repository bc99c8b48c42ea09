//! `renova run [NAME] [--env VAR | --env VAR=NAME]… [--min-valid D] -- CMD [ARGS…]`: starts CMD
//! with each token in an environment variable (never in anyone's arguments), forwards SIGTERM,
//! SIGHUP and SIGINT to it, and exits with its exit code (128 + N when signal N ended it; 127
//! when CMD cannot be found, 126 when it cannot be run).

use std::ffi::OsString;
use std::process::ExitStatus;

use secrecy::ExposeSecret;

use crate::cli::{Out, RunArgs};
use crate::core::error::Error;
use crate::core::renova::Renova;
use crate::i18n::T;

/// The variable when none is named.
pub(super) const DEFAULT_VARIABLE: &str = "ACCESS_TOKEN";

/// Which account's token goes in which variable.
fn pairs(args: &RunArgs) -> Result<Vec<(String, String)>, T> {
    let mut pairs = Vec::new();
    let mut own_var = None;
    for flag in &args.env {
        match flag.split_once('=') {
            Some((var, name)) => pairs.push((var.to_owned(), name.to_owned())),
            None if own_var.is_none() => own_var = Some(flag.clone()),
            None => return Err(T::RunTwoVars),
        }
    }
    match (&args.name, own_var) {
        (Some(name), var) => pairs.insert(
            0,
            (
                var.unwrap_or_else(|| DEFAULT_VARIABLE.to_owned()),
                name.clone(),
            ),
        ),
        (None, Some(_)) => return Err(T::RunNoAccount),
        (None, None) if pairs.is_empty() => return Err(T::RunNoAccount),
        (None, None) => {}
    }
    Ok(pairs)
}

fn valid_variable(var: &str) -> bool {
    let mut chars = var.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Variables that the dynamic loader, the shell or the system read before (or instead of) the
/// command: a token there would be loaded as a library path, run as shell code, printed in a
/// trace or error message, or would break how the command is found. Compared without case, as
/// some systems do.
const RESERVED: &[&str] = &[
    "BASH_ENV",
    "BASHOPTS",
    "CDPATH",
    "ENV",
    "GCONV_PATH",
    "GLIBC_TUNABLES",
    "HOME",
    "IFS",
    "NODE_OPTIONS",
    "PATH",
    "PERL5OPT",
    "PROMPT_COMMAND",
    "PS4",
    "PYTHONSTARTUP",
    "SHELLOPTS",
];
/// Prefixes of variables the dynamic loader reads (Linux `LD_`, macOS `DYLD_`).
const RESERVED_PREFIXES: &[&str] = &["LD_", "DYLD_"];

fn reserved_variable(var: &str) -> bool {
    let upper = var.to_ascii_uppercase();
    RESERVED.contains(&upper.as_str()) || RESERVED_PREFIXES.iter().any(|p| upper.starts_with(p))
}

/// Runs the command; returns the process exit code.
pub(super) async fn run(renova: &Renova, args: &RunArgs, out: &Out) -> u8 {
    let lang = out.lang;
    let pairs = match pairs(args) {
        Ok(p) => p,
        Err(t) => return say(out, t.tr(lang), 2),
    };
    if let Some((var, _)) = pairs.iter().find(|(var, _)| !valid_variable(var)) {
        return say(out, &T::RunBadVar.fill(lang, &[("var", var)]), 2);
    }
    if let Some((var, _)) = pairs.iter().find(|(var, _)| reserved_variable(var)) {
        return say(out, &T::RunReservedVar.fill(lang, &[("var", var)]), 2);
    }
    let mut env = Vec::new();
    for (var, name) in &pairs {
        let token = match token(renova, name, args, out).await {
            Ok(t) => t,
            Err(e) => return out.fail(&e, name),
        };
        env.push((var.clone(), token));
    }
    let Some((program, rest)) = args.command.split_first() else {
        return say(out, T::RunNoCommand.tr(lang), 2);
    };
    let mut command = tokio::process::Command::new(program);
    command.args(rest);
    for (var, token) in &env {
        command.env(var, token.expose_secret());
    }
    drop(env);
    let child = match command.spawn() {
        Ok(c) => c,
        Err(e) => return cannot_start(program, &e, out),
    };
    match wait_forwarding_signals(child).await {
        Ok(status) => exit_code(status),
        Err(e) => say(out, &T::RunLost.fill(lang, &[("why", &e.to_string())]), 1),
    }
}

/// "renova: error: …" on stderr; returns `code`.
fn say(out: &Out, text: &str, code: u8) -> u8 {
    out.error(text);
    code
}

async fn token(
    renova: &Renova,
    name: &str,
    args: &RunArgs,
    out: &Out,
) -> Result<secrecy::SecretString, Error> {
    let account = renova.account(name)?;
    let outcome = renova.token(&account, args.min_valid).await?;
    if outcome.shorter_than_asked {
        out.warn(&T::RunShortToken.fill(out.lang, &[("name", name)]));
    }
    Ok(outcome.token)
}

fn cannot_start(program: &OsString, e: &std::io::Error, out: &Out) -> u8 {
    let cmd = program.to_string_lossy();
    if e.kind() == std::io::ErrorKind::NotFound {
        say(out, &T::RunNotFound.fill(out.lang, &[("cmd", &cmd)]), 127)
    } else {
        let why = e.to_string();
        say(
            out,
            &T::RunCannotStart.fill(out.lang, &[("cmd", &cmd), ("why", &why)]),
            126,
        )
    }
}

/// The shell's convention: the child's code, or 128 + the signal that ended it.
fn exit_code(status: ExitStatus) -> u8 {
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(signal) = status.signal() {
            return u8::try_from(128 + signal).unwrap_or(255);
        }
    }
    status
        .code()
        .map_or(1, |c| u8::try_from(c & 0xff).unwrap_or(1))
}

/// Waits for the child; SIGTERM and SIGHUP sent to Renova go on to it, and so does SIGINT
/// unless it came from the terminal (which sends Ctrl+C to the child as well).
async fn wait_forwarding_signals(mut child: tokio::process::Child) -> std::io::Result<ExitStatus> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let pid = child
            .id()
            .and_then(|p| i32::try_from(p).ok())
            .and_then(rustix::process::Pid::from_raw);
        let (Ok(mut term), Ok(mut hup), Ok(mut int)) = (
            signal(SignalKind::terminate()),
            signal(SignalKind::hangup()),
            signal(SignalKind::interrupt()),
        ) else {
            return child.wait().await;
        };
        let forward = |sig: rustix::process::Signal| {
            if let Some(pid) = pid
                && let Err(e) = rustix::process::kill_process(pid, sig)
            {
                tracing::debug!("could not pass the signal on: {e}");
            }
        };
        loop {
            tokio::select! {
                status = child.wait() => return status,
                _ = term.recv() => forward(rustix::process::Signal::TERM),
                _ = hup.recv() => forward(rustix::process::Signal::HUP),
                _ = int.recv() => if !from_the_terminal() {
                    forward(rustix::process::Signal::INT);
                },
            }
        }
    }
    #[cfg(not(unix))]
    child.wait().await
}

/// Whether Renova runs in the terminal's foreground process group: a Ctrl+C there already
/// reached the child, which shares the group.
#[cfg(unix)]
fn from_the_terminal() -> bool {
    rustix::termios::tcgetpgrp(std::io::stdin()).is_ok_and(|fg| fg == rustix::process::getpgrp())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(name: Option<&str>, env: &[&str]) -> RunArgs {
        RunArgs {
            name: name.map(str::to_owned),
            env: env.iter().map(|s| (*s).to_owned()).collect(),
            min_valid: std::time::Duration::from_secs(300),
            command: vec!["true".into()],
        }
    }

    #[test]
    fn which_token_goes_where() {
        assert_eq!(
            pairs(&args(Some("loja"), &[])).unwrap(),
            [("ACCESS_TOKEN".to_owned(), "loja".to_owned())]
        );
        assert_eq!(
            pairs(&args(Some("loja"), &["RD", "CRM=vendas"])).unwrap(),
            [
                ("RD".to_owned(), "loja".to_owned()),
                ("CRM".to_owned(), "vendas".to_owned())
            ]
        );
        assert_eq!(
            pairs(&args(None, &["A=loja", "B=vendas"])).unwrap().len(),
            2
        );
        assert_eq!(pairs(&args(None, &[])), Err(T::RunNoAccount));
        assert_eq!(pairs(&args(None, &["RD"])), Err(T::RunNoAccount));
        assert_eq!(pairs(&args(Some("loja"), &["A", "B"])), Err(T::RunTwoVars));
        assert!(valid_variable("ACCESS_TOKEN") && valid_variable("_x1"));
        assert!(!valid_variable("1X") && !valid_variable("A-B") && !valid_variable(""));
    }

    #[test]
    fn names_the_loader_or_the_shell_read_are_reserved() {
        for var in [
            "LD_PRELOAD",
            "ld_library_path",
            "DYLD_INSERT_LIBRARIES",
            "BASH_ENV",
        ] {
            assert!(reserved_variable(var), "{var}");
        }
        // Without case, as some systems compare (the integration test has the whole list).
        assert!(reserved_variable("Path") && reserved_variable("ps4"));
        for var in [
            "ACCESS_TOKEN",
            "PATHLESS",
            "MY_LD_PRELOAD",
            "ENVIRONMENT",
            "HOMEPAGE",
        ] {
            assert!(!reserved_variable(var), "{var}");
        }
    }
}
