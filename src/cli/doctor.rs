//! `renova doctor`: checks each part Renova depends on and says, in plain words, what works
//! and what does not. Exit 0 only when all is well (5 when the keychain is the problem).

use crate::cli::Out;
use crate::cli::list::condition_text;
use crate::core::config::Config;
use crate::core::error::Error;
use crate::core::renova::Renova;
use crate::core::state::State;
use crate::i18n::{T, explain};

struct Check {
    problems: usize,
    keychain_problem: bool,
}

impl Check {
    fn ok(&self, out: &Out, what: &str, detail: &str) {
        out.line(&format!("[{}] {what}: {detail}", T::DoctorOk.tr(out.lang)));
    }

    fn problem(&mut self, out: &Out, what: &str, err: &Error, name: &str) {
        self.problems += 1;
        let e = explain(err, out.lang, name);
        out.line(&format!(
            "[{}] {what}: {}",
            T::DoctorProblem.tr(out.lang),
            e.what
        ));
        if !e.fix.is_empty() {
            out.line(&format!("    → {}", e.fix));
        }
    }
}

/// Runs the command.
pub async fn run(renova: &Renova, out: &Out) -> u8 {
    let lang = out.lang;
    let mut check = Check {
        problems: 0,
        keychain_problem: false,
    };

    if cfg!(all(unix, not(target_os = "macos"))) {
        match std::env::var("DBUS_SESSION_BUS_ADDRESS") {
            Ok(a) if !a.is_empty() => check.ok(
                out,
                T::DoctorDbus.tr(lang),
                &T::DoctorDbusFound.fill(lang, &[("address", &a)]),
            ),
            _ => {
                let runtime = std::env::var("XDG_RUNTIME_DIR").unwrap_or_default();
                let bus = std::path::Path::new(&runtime).join("bus");
                if !runtime.is_empty() && bus.exists() {
                    check.ok(
                        out,
                        T::DoctorDbus.tr(lang),
                        &T::DoctorDbusFound.fill(lang, &[("address", &bus.display().to_string())]),
                    );
                }
            }
        }
    }

    match renova.keychain.probe().await {
        Ok(h) => check.ok(
            out,
            T::DoctorKeychain.tr(lang),
            &T::DoctorKeychainOk.fill(lang, &[("vendor", &h.vendor)]),
        ),
        Err(e) => {
            check.keychain_problem = true;
            check.problem(out, T::DoctorKeychain.tr(lang), &Error::Keychain(e), "");
        }
    }

    let path = renova.paths.accounts_file();
    let config = match Config::load(&renova.paths) {
        Ok(c) => {
            let shown = path.display().to_string();
            let text = if path.exists() {
                T::DoctorConfigOk.fill(
                    lang,
                    &[
                        ("path", &shown),
                        ("count", &c.visible().count().to_string()),
                    ],
                )
            } else {
                T::DoctorConfigMissing.fill(lang, &[("path", &shown)])
            };
            check.ok(out, T::DoctorConfig.tr(lang), &text);
            Some(c)
        }
        Err(e) => {
            check.problem(out, T::DoctorConfig.tr(lang), &e, "");
            None
        }
    };

    let state_dir = &renova.paths.state_dir;
    match State::update(&renova.paths, |_| ()) {
        Ok(()) => check.ok(
            out,
            T::DoctorState.tr(lang),
            &state_dir.display().to_string(),
        ),
        Err(e) => check.problem(out, T::DoctorState.tr(lang), &e, ""),
    }

    let display = ["DISPLAY", "WAYLAND_DISPLAY"].iter().find_map(|v| {
        std::env::var(v)
            .ok()
            .filter(|s| !s.is_empty())
            .map(|s| format!("{v}={s}"))
    });
    match display {
        Some(d) => check.ok(out, T::DoctorDisplay.tr(lang), &d),
        None if cfg!(all(unix, not(target_os = "macos"))) => {
            out.line(&format!(
                "[-] {}: {}",
                T::DoctorDisplay.tr(lang),
                T::DoctorDisplayNone.tr(lang)
            ));
        }
        None => {}
    }

    if let Some(config) = config {
        let now = renova.now();
        let summaries = renova.list(now).unwrap_or_default();
        for account in config.visible() {
            let label = T::DoctorAccount.fill(lang, &[("name", &account.name)]);
            if check.keychain_problem {
                continue;
            }
            match renova.read_entry(account).await {
                Ok(_) => {
                    let state = summaries
                        .iter()
                        .find(|s| s.account.id == account.id)
                        .map_or("-", |s| condition_text(s.condition, lang));
                    check.ok(
                        out,
                        &label,
                        &T::DoctorAccountOk.fill(lang, &[("state", state)]),
                    );
                }
                Err(e) => check.problem(out, &label, &e, &account.name),
            }
        }
    }

    if check.problems == 0 {
        out.line(T::DoctorAllWell.tr(lang));
        0
    } else {
        out.line(&T::DoctorSomeProblems.fill(lang, &[("count", &check.problems.to_string())]));
        if check.keychain_problem { 5 } else { 1 }
    }
}
