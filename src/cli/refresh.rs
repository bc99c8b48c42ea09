//! `renova refresh NAME` and `renova refresh --due` (for a systemd/launchd/Task Scheduler
//! timer).

use crate::cli::{Out, RefreshArgs};
use crate::core::clock::{format_duration, seconds_until};
use crate::core::error::{Error, Result};
use crate::core::refresh::{RefreshKind, Refreshed};
use crate::core::renova::Renova;
use crate::i18n::T;

/// Runs the command.
pub(super) async fn run(renova: &Renova, args: &RefreshArgs, out: &Out) -> Result<()> {
    if args.due {
        return due(renova, out).await;
    }
    let name = args.name.as_deref().unwrap_or_default();
    let r = renova.refresh(&renova.account(name)?).await?;
    report(renova, name, &r, out);
    Ok(())
}

async fn due(renova: &Renova, out: &Out) -> Result<()> {
    let results = renova.refresh_due().await?;
    // Postman syncs that failed earlier and whose retry time has come.
    if let Err(e) = renova.postman().retry_syncs().await {
        tracing::warn!("could not retry Postman syncs: {e}");
    }
    if results.is_empty() {
        out.note(T::NothingDue.tr(out.lang));
    }
    let mut first_error: Option<Error> = None;
    for (name, r) in results {
        match r {
            Ok(r) => report(renova, &name, &r, out),
            Err(e) => {
                out.fail(&e, &name);
                first_error.get_or_insert(e);
            }
        }
    }
    match first_error {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

/// Says what a refresh did, on stderr.
pub(super) fn report(renova: &Renova, name: &str, r: &Refreshed, out: &Out) {
    let Some(exp) = r.secrets.expires_at else {
        return;
    };
    let left = seconds_until(renova.now(), exp).max(0).unsigned_abs();
    let until = crate::cli::list::local_time(exp);
    let left = format_duration(std::time::Duration::from_secs(left));
    let text = match r.kind {
        RefreshKind::Refreshed(_) => T::Refreshed,
        RefreshKind::ChangedMeanwhile => T::AlreadyRefreshed,
        RefreshKind::NotNeeded => T::NotDue,
    };
    out.note(&text.fill(
        out.lang,
        &[("name", name), ("until", &until), ("left", &left)],
    ));
    if let Some(e) = &r.postman {
        out.warn(&crate::cli::postman_key::not_updated(e, out.lang));
    }
}
