//! `renova edit NAME …`: settings, and with `--secrets` new secrets from standard input.

use crate::cli::{EditArgs, Out, input};
use crate::core::accounts::{AccountSettings, GivenSecrets};
use crate::core::config::Assistants;
use crate::core::error::{InputError, Result};
use crate::core::postman::Sharing;
use crate::core::renova::Renova;
use crate::i18n::{T, unclear};

/// Runs the command.
pub(super) async fn run(renova: &Renova, args: &EditArgs, out: &Out) -> Result<()> {
    let auto_refresh = match (args.auto_refresh, args.no_auto_refresh) {
        (true, _) => Some(true),
        (_, true) => Some(false),
        _ => None,
    };
    let postman_env = if args.no_postman {
        Some(String::new())
    } else {
        args.postman_env.clone()
    };
    let settings = AccountSettings {
        client_id: args.client_id.clone(),
        auto_refresh,
        lead_time: args.lead_time,
        postman_env,
        postman_var: args.postman_var.clone(),
        postman_shared_ok: args.postman_shared_ok.then_some(true),
        assistants: args.assistants.map(|a| match a {
            crate::cli::AssistantsArg::Off => Assistants::Off,
            crate::cli::AssistantsArg::Call => Assistants::Call,
            crate::cli::AssistantsArg::Token => Assistants::Token,
        }),
        assistant_origins: args.assistant_origins.as_ref().map(|o| vec![o.clone()]),
        ..args.flags.settings()
    };
    let current = renova.account(&args.name)?;
    let is_static = settings.provider.unwrap_or(current.provider).is_static();
    let given = given_secrets(renova, args, is_static, out)?;
    let account = renova
        .accounts()
        .edit(&current, args.rename.as_deref(), &settings, given)
        .await?;
    out.note(&T::Edited.fill(out.lang, &[("name", &account.name)]));
    if is_static && args.secrets {
        crate::cli::add::say_expiry(renova, &account, out)?;
    }
    // A workspace others can see: every member reads the variable's shared value.
    if args.postman_env.is_some() {
        match renova.postman().shared_with(&account).await {
            Ok(Some(Sharing::Shared(workspace))) => out.warn(&T::PostmanSharedWarning.fill(
                out.lang,
                &[("workspace", &workspace), ("name", &account.name)],
            )),
            Ok(Some(Sharing::Unclear(why, workspace))) => {
                let why = unclear(why, workspace.as_deref(), out.lang);
                out.warn(
                    &T::PostmanUnclearWarning
                        .fill(out.lang, &[("why", &why), ("name", &account.name)]),
                );
            }
            Ok(Some(Sharing::OnlyYou) | None) => {}
            Err(e) => tracing::debug!("could not ask Postman about the workspace: {e}"),
        }
    }
    // Newly set up for Postman: send the current token right away.
    if args.postman_env.is_some() || args.postman_var.is_some() {
        match renova.postman().sync_now(&account).await {
            Ok(None) => {}
            Ok(Some(e)) => out.warn(&crate::cli::postman_key::not_updated(&e, out.lang)),
            Err(e) => tracing::debug!("no sync now: {e}"),
        }
    }
    Ok(())
}

/// With `--secrets`, the new secrets from standard input: a static token's one line (with the
/// expiry given), else the client secret and the refresh token.
fn given_secrets(
    renova: &Renova,
    args: &EditArgs,
    is_static: bool,
    out: &Out,
) -> Result<Option<GivenSecrets>> {
    let expires = args.expiry.at(renova.now(), is_static)?;
    if expires.is_some() && !args.secrets {
        return Err(InputError::ExpiryNotForThis.into());
    }
    Ok(match (args.secrets, is_static) {
        (true, true) => {
            let token = input::read_secrets(&[T::PromptStaticToken], out.lang)?
                .into_iter()
                .next()
                .flatten();
            Some(GivenSecrets {
                access_token: token.map(|t| (t, expires)),
                ..GivenSecrets::default()
            })
        }
        (true, false) => {
            let prompts = [T::PromptClientSecret, T::PromptRefreshToken];
            let mut s = input::read_secrets(&prompts, out.lang)?.into_iter();
            Some(GivenSecrets {
                client_secret: s.next().flatten(),
                refresh_token: s.next().flatten(),
                access_token: None,
            })
        }
        (false, _) => None,
    })
}
