//! `renova edit NAME …`: settings, and with `--secrets` new secrets from standard input.

use crate::cli::{EditArgs, Out, input};
use crate::core::accounts::{AccountSettings, GivenSecrets};
use crate::core::error::Result;
use crate::core::renova::Renova;
use crate::i18n::T;

/// Runs the command.
pub async fn run(renova: &Renova, args: &EditArgs, out: &Out) -> Result<()> {
    let auto_refresh = match (args.auto_refresh, args.no_auto_refresh) {
        (true, _) => Some(true),
        (_, true) => Some(false),
        _ => None,
    };
    let settings = AccountSettings {
        client_id: args.client_id.clone(),
        auto_refresh,
        lead_time: args.lead_time,
        ..args.flags.settings()
    };
    let given = if args.secrets {
        let mut s = input::read_secrets(&[T::PromptClientSecret, T::PromptRefreshToken], out.lang)?
            .into_iter();
        Some(GivenSecrets {
            client_secret: s.next().flatten(),
            refresh_token: s.next().flatten(),
            access_token: None,
        })
    } else {
        None
    };
    let account = renova
        .edit(&args.name, args.rename.as_deref(), &settings, given)
        .await?;
    out.note(&T::Edited.fill(out.lang, &[("name", &account.name)]));
    Ok(())
}
