//! `renova add NAME --client-id ID`: secrets from standard input, keychain first.

use crate::cli::{AddArgs, Out, input};
use crate::core::accounts::{AccountSettings, GivenSecrets};
use crate::core::error::Result;
use crate::core::renova::Renova;
use crate::i18n::T;

/// Runs the command.
pub(super) async fn run(renova: &Renova, args: &AddArgs, out: &Out) -> Result<()> {
    let settings = AccountSettings {
        client_id: Some(args.client_id.clone()),
        auto_refresh: Some(!args.no_auto_refresh),
        ..args.flags.settings()
    };
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
