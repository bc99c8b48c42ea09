//! `renova doctor`: checks each part Renova depends on and says, in plain words, what works
//! and what does not. Exit 0 only when all is well (5 when the keychain is the problem).

use crate::cli::{DoctorArgs, Out};
use crate::core::config::Config;
use crate::core::error::Error;
use crate::core::keychain::KeychainError;
use crate::core::renova::Renova;
use crate::i18n::{Surface, T, attention, explain};

struct Report<'a> {
    out: &'a Out,
    problems: usize,
    keychain_problem: bool,
    write_failed: bool,
}

impl Report<'_> {
    fn line(&mut self, text: &str) {
        if self.out.line(text).is_err() {
            self.write_failed = true;
        }
    }

    fn ok(&mut self, what: &str, detail: &str) {
        let text = format!("[{}] {what}: {detail}", T::DoctorOk.tr(self.out.lang));
        self.line(&text);
    }

    fn info(&mut self, what: &str, detail: &str) {
        self.line(&format!("[-] {what}: {detail}"));
    }

    /// A problem the core already put in words (an account that needs the person).
    fn flag(&mut self, what: &str, detail: &str) {
        self.problems += 1;
        let text = format!("[{}] {what}: {detail}", T::DoctorProblem.tr(self.out.lang));
        self.line(&text);
    }

    fn problem(&mut self, what: &str, err: &Error, name: &str) {
        self.problems += 1;
        let e = explain(err, self.out.lang, name);
        let text = format!(
            "[{}] {what}: {}",
            T::DoctorProblem.tr(self.out.lang),
            e.what
        );
        self.line(&text);
        if !e.fix.is_empty() {
            self.line(&format!("    → {}", e.fix));
        }
    }
}

/// Keychain entries no account of this profile uses. Those an interrupted `add` of this
/// profile left are a problem, deleted with `--fix`; others (another profile's) are only named.
async fn orphans(renova: &Renova, fix: bool, r: &mut Report<'_>) {
    let lang = r.out.lang;
    let what = T::DoctorOrphans.tr(lang);
    let found = match renova.accounts().orphaned_entries().await {
        Ok(found) => found,
        Err(e) => return r.problem(what, &e, ""),
    };
    if !found.unknown.is_empty() {
        let users = found.unknown.join(", ");
        r.info(
            T::DoctorOtherEntries.tr(lang),
            &T::DoctorOtherEntriesFound.fill(lang, &[("users", &users)]),
        );
    }
    if found.interrupted.is_empty() {
        return r.ok(what, T::DoctorOrphansNone.tr(lang));
    }
    let listed = found
        .interrupted
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    if !fix {
        r.problems += 1;
        let text = T::DoctorOrphansFound.fill(lang, &[("users", &listed)]);
        r.line(&format!("[{}] {what}: {text}", T::DoctorProblem.tr(lang)));
        r.line(&format!("    → {}", T::DoctorOrphansFix.tr(lang)));
        return;
    }
    for id in &found.interrupted {
        if let Err(e) = renova.accounts().remove_orphaned_entry(id).await {
            return r.problem(what, &e, "");
        }
    }
    r.ok(
        what,
        &T::DoctorOrphansRemoved.fill(lang, &[("users", &listed)]),
    );
}

/// Renova's folders: made private at start if they were not; any still open to others.
fn folders(renova: &Renova, r: &mut Report<'_>) {
    let lang = r.out.lang;
    let what = T::DoctorFolders.tr(lang);
    for t in renova.profile().tightened_folders() {
        let text = T::DoctorFoldersTightened.fill(
            lang,
            &[
                ("dir", &t.dir.display().to_string()),
                ("was", &format!("{:04o}", t.was)),
            ],
        );
        r.ok(what, &text);
    }
    let loose = renova.profile().paths().loose();
    for l in &loose {
        r.problems += 1;
        let dir = l.dir.display().to_string();
        let text =
            T::DoctorFoldersLoose.fill(lang, &[("dir", &dir), ("mode", &format!("{:04o}", l.was))]);
        r.line(&format!("[{}] {what}: {text}", T::DoctorProblem.tr(lang)));
        r.line(&format!(
            "    → {}",
            T::DoctorFoldersLooseFix.fill(lang, &[("dir", &dir)])
        ));
    }
    if loose.is_empty() && renova.profile().tightened_folders().is_empty() {
        r.ok(what, T::DoctorFoldersPrivate.tr(lang));
    }
}

/// Runs the command.
pub(crate) async fn run(renova: &Renova, args: &DoctorArgs, out: &Out) -> u8 {
    let mut r = Report {
        out,
        problems: 0,
        keychain_problem: false,
        write_failed: false,
    };
    keychain(renova, &mut r).await;
    let config = files(renova, &mut r);
    folders(renova, &mut r);
    proxy(&mut r);
    display(&mut r);
    if let Some(config) = config {
        accounts(renova, &config, &mut r).await;
    }
    if !r.keychain_problem {
        orphans(renova, args.fix, &mut r).await;
    }
    let lang = out.lang;
    if r.problems == 0 {
        r.line(T::DoctorAllWell.tr(lang));
    } else {
        let text = T::DoctorSomeProblems.fill(lang, &[("count", &r.problems.to_string())]);
        r.line(&text);
    }
    match (r.problems, r.keychain_problem, r.write_failed) {
        (_, true, _) => 5,
        (0, false, false) => 0,
        _ => 1,
    }
}

/// The session bus (on Linux) and the keychain behind it.
async fn keychain(renova: &Renova, r: &mut Report<'_>) {
    let lang = r.out.lang;
    let probe = renova.profile().probe_keychain().await;
    if cfg!(all(unix, not(target_os = "macos"))) {
        let address = std::env::var("DBUS_SESSION_BUS_ADDRESS")
            .ok()
            .filter(|a| !a.is_empty());
        match (&probe, address) {
            (Err(e @ KeychainError::NoSession { .. }), _) => {
                r.problem(T::DoctorDbus.tr(lang), &Error::Keychain(e.clone()), "");
            }
            (_, Some(a)) => r.ok(
                T::DoctorDbus.tr(lang),
                &T::DoctorDbusFound.fill(lang, &[("address", &a)]),
            ),
            (_, None) => {
                let runtime = std::env::var("XDG_RUNTIME_DIR").unwrap_or_default();
                let bus = std::path::Path::new(&runtime).join("bus");
                r.ok(
                    T::DoctorDbus.tr(lang),
                    &T::DoctorDbusFound.fill(lang, &[("address", &bus.display().to_string())]),
                );
            }
        }
    }
    match &probe {
        Ok(h) => r.ok(
            T::DoctorKeychain.tr(lang),
            &T::DoctorKeychainOk.fill(lang, &[("vendor", &h.vendor)]),
        ),
        Err(e @ KeychainError::NoSession { .. }) => {
            r.keychain_problem = true;
            // On Linux the D-Bus line above already reported it.
            if !cfg!(all(unix, not(target_os = "macos"))) {
                r.problem(T::DoctorKeychain.tr(lang), &Error::Keychain(e.clone()), "");
            }
        }
        Err(e) => {
            r.keychain_problem = true;
            r.problem(T::DoctorKeychain.tr(lang), &Error::Keychain(e.clone()), "");
        }
    }
}

/// `accounts.toml` (returned when it reads) and `state.json`.
fn files(renova: &Renova, r: &mut Report<'_>) -> Option<Config> {
    let lang = r.out.lang;
    let path = renova.profile().paths().accounts_file();
    let config = match renova.config() {
        Ok(c) => {
            let shown = path.display().to_string();
            let text = if path.exists() {
                let count = c.visible().count().to_string();
                T::DoctorConfigOk.fill(lang, &[("path", &shown), ("count", &count)])
            } else {
                T::DoctorConfigMissing.fill(lang, &[("path", &shown)])
            };
            r.ok(T::DoctorConfig.tr(lang), &text);
            Some(c)
        }
        Err(e) => {
            r.problem(T::DoctorConfig.tr(lang), &e, "");
            None
        }
    };
    match renova.profile().check_state_file() {
        Ok(()) => r.ok(
            T::DoctorState.tr(lang),
            &renova.profile().paths().state_dir.display().to_string(),
        ),
        Err(e) => r.problem(T::DoctorState.tr(lang), &e, ""),
    }
    config
}

/// The proxy Renova would use.
fn proxy(r: &mut Report<'_>) {
    let lang = r.out.lang;
    match crate::core::http::proxy::ProxySetting::from_env() {
        Ok(None) => r.ok(T::DoctorProxy.tr(lang), T::DoctorProxyNone.tr(lang)),
        Ok(Some(p)) => r.ok(
            T::DoctorProxy.tr(lang),
            &T::DoctorProxyUsed.fill(
                lang,
                &[
                    ("proxy", &p.shown()),
                    ("var", p.from),
                    ("direct", &p.no_proxy),
                ],
            ),
        ),
        Err(detail) => {
            r.problems += 1;
            r.line(&format!(
                "[{}] {}: {}",
                T::DoctorProblem.tr(lang),
                T::DoctorProxy.tr(lang),
                T::DoctorProxyBad.fill(lang, &[("detail", &detail)])
            ));
            r.line(&format!("    → {}", T::DoctorProxyBadFix.tr(lang)));
        }
    }
}

/// The display the window would open on.
fn display(r: &mut Report<'_>) {
    let lang = r.out.lang;
    let display = ["DISPLAY", "WAYLAND_DISPLAY"].iter().find_map(|v| {
        std::env::var(v)
            .ok()
            .filter(|s| !s.is_empty())
            .map(|s| format!("{v}={s}"))
    });
    match display {
        Some(d) => r.ok(T::DoctorDisplay.tr(lang), &d),
        None if cfg!(all(unix, not(target_os = "macos"))) => {
            r.info(T::DoctorDisplay.tr(lang), T::DoctorDisplayNone.tr(lang));
        }
        None => {}
    }
}

/// Each account: its state in the core's words, its keychain entry, its last failure.
async fn accounts(renova: &Renova, config: &Config, r: &mut Report<'_>) {
    let lang = r.out.lang;
    let now = renova.now();
    let summaries = renova.list(now).unwrap_or_default();
    for account in config.visible() {
        let label = T::DoctorAccount.fill(lang, &[("name", &account.name)]);
        let row = summaries.iter().find(|s| s.account.id == account.id);
        let state = row.map_or_else(
            || "-".to_owned(),
            |s| attention::state_text(&s.status, lang, now),
        );
        if r.keychain_problem {
            // The mirror still tells the state; the entry cannot be checked.
            let text = T::DoctorAccountUnchecked.fill(lang, &[("state", &state)]);
            r.info(&label, &text);
            continue;
        }
        if let Err(e) = renova.accounts().check_entry(account).await {
            r.problem(&label, &e, &account.name);
            continue;
        }
        // The core's attention, as the window's summary and the tray count it.
        let trouble = row.and_then(|s| {
            attention::trouble(account, &s.state, &s.status, now, lang, Surface::Cli)
        });
        let Some(trouble) = trouble else {
            r.ok(&label, &T::DoctorAccountOk.fill(lang, &[("state", &state)]));
            continue;
        };
        r.flag(&label, &format!("{state} — {}", trouble.sentence));
        // The last refresh failed (by the window, a timer or a command): say why and when.
        let why = row.and_then(|s| crate::cli::list::last_failure(s, lang));
        if let Some(line) = why.or(trouble.details) {
            r.line(&format!("    → {line}"));
        }
    }
}
