//! `renova postman-key [--remove]`: the Postman API key, read from standard input (or a hidden
//! prompt) into its own keychain entry, checked against Postman's `GET /me`.

use crate::cli::{Out, PostmanKeyArgs, input};
use crate::core::error::{InputError, Result};
use crate::core::postman::{PostmanError, PostmanErrorKind};
use crate::core::renova::Renova;
use crate::i18n::{Lang, T};

/// Runs the command.
pub(super) async fn run(renova: &Renova, args: &PostmanKeyArgs, out: &Out) -> Result<()> {
    if args.remove {
        renova.postman().remove_key().await?;
        out.note(T::PostmanKeyRemoved.tr(out.lang));
        return Ok(());
    }
    // Refuse a Postman API URL that breaks the policy before the key goes anywhere.
    renova.postman().api_url()?;
    let key = input::read_secrets(&[T::PromptPostmanKey], out.lang)?
        .into_iter()
        .next()
        .flatten()
        .ok_or(InputError::BadPostmanKey)?;
    // A key Postman refuses is not stored; one that cannot be checked now is.
    match renova.postman().whoami(&key).await {
        Ok(user) => {
            renova.postman().set_key(&key).await?;
            out.note(&T::PostmanKeyStored.fill(out.lang, &[("user", &user)]));
            Ok(())
        }
        Err(e) if e.kind == PostmanErrorKind::InvalidKey => Err(e.into()),
        Err(e) => {
            renova.postman().set_key(&key).await?;
            let reason = crate::i18n::explain(&e.into(), out.lang, "").what;
            out.warn(&T::PostmanKeyStoredUnchecked.fill(out.lang, &[("reason", &reason)]));
            Ok(())
        }
    }
}

/// "Postman: not updated — reason", for a sync that failed after a successful refresh.
pub(super) fn not_updated(e: &PostmanError, lang: Lang) -> String {
    let reason = crate::i18n::explain(&e.clone().into(), lang, "");
    T::PostmanNotUpdated.fill(lang, &[("reason", &reason.line())])
}
