//! `renova add NAME --client-id ID`: secrets from standard input, keychain first. A static
//! token (`--provider static`, `rdstation-crm-v1`, `rdstation-conversas`) is the one secret
//! read.

use crate::cli::{AddArgs, Out, input};
use crate::core::accounts::{AccountSettings, GivenSecrets};
use crate::core::error::InputError;
use crate::core::error::Result;
use crate::core::renova::Renova;
use crate::i18n::T;
use crate::i18n::time::{duration, full_date_time};

/// Runs the command.
pub(super) async fn run(renova: &Renova, args: &AddArgs, out: &Out) -> Result<()> {
    let settings = AccountSettings {
        client_id: args.client_id.clone(),
        auto_refresh: Some(!args.no_auto_refresh),
        ..args.flags.settings()
    };
    let is_static = settings.provider.is_some_and(|p| p.is_static());
    let expires = args.expiry.at(renova.now(), is_static)?;
    if is_static {
        return add_static(renova, args, &settings, expires, out).await;
    }
    if args.client_id.is_none() {
        return Err(InputError::BadClientId.into());
    }
    let mut secrets =
        input::read_secrets(&[T::PromptClientSecret, T::PromptRefreshToken], out.lang)?.into_iter();
    let given = GivenSecrets {
        client_secret: secrets.next().flatten(),
        refresh_token: secrets.next().flatten(),
        access_token: None,
    };
    let has_refresh = given.refresh_token.is_some();
    let account = renova.accounts().add(&args.name, &settings, given).await?;
    let name = account.name.as_str();
    out.note(&T::Added.fill(
        out.lang,
        &[("name", name), ("provider", account.provider.id())],
    ));
    if has_refresh {
        out.note(&T::AddedNext.fill(out.lang, &[("name", name)]));
    } else {
        out.note(&T::AddedNeedsAuth.fill(out.lang, &[("name", name)]));
    }
    Ok(())
}

/// A static token: the one line read, its expiry the date given, else its JWT's, else none.
async fn add_static(
    renova: &Renova,
    args: &AddArgs,
    settings: &AccountSettings,
    expires: Option<jiff::Timestamp>,
    out: &Out,
) -> Result<()> {
    let token = input::read_secrets(&[T::PromptStaticToken], out.lang)?
        .into_iter()
        .next()
        .flatten();
    let given = GivenSecrets {
        access_token: token.map(|t| (t, expires)),
        ..GivenSecrets::default()
    };
    let account = renova.accounts().add(&args.name, settings, given).await?;
    let name = account.name.as_str();
    out.note(&T::Added.fill(
        out.lang,
        &[("name", name), ("provider", account.provider.id())],
    ));
    say_expiry(renova, &account, out)
}

/// When a static token just stored expires, as the status rule sees it: in how long, whether
/// that is already inside the warning, or that it does not.
pub(super) fn say_expiry(
    renova: &Renova,
    account: &crate::core::config::AccountConfig,
    out: &Out,
) -> Result<()> {
    let now = renova.now();
    let rows = renova.list(now)?;
    let Some(row) = rows.iter().find(|r| r.account.id == account.id) else {
        return Ok(());
    };
    // A static token's lead time is `[defaults] static_warning`.
    let warning = row.status.lead;
    let when = row.state.expires_at.map(|at| full_date_time(at, out.lang));
    let args = [
        ("name", account.name.as_str()),
        ("when", when.as_deref().unwrap_or_default()),
        ("warning", &duration(warning, out.lang)),
    ];
    out.note(&match (when.is_some(), row.status.attention.is_some()) {
        (false, _) => T::AddedStaticNoExpiry.fill(out.lang, &args),
        (true, true) => T::AddedStaticExpiresSoon.fill(out.lang, &args),
        (true, false) => T::AddedStaticExpires.fill(out.lang, &args),
    });
    Ok(())
}
