//! Input errors, worded for the command line or the window.

use crate::core::error::InputError;
use crate::i18n::explain::{Explanation, Surface, ex};
use crate::i18n::{Lang, T};

pub(super) fn explain_input(e: &InputError, lang: Lang, surface: Surface) -> Explanation {
    match e {
        InputError::BadName(name) => ex(
            lang,
            surface,
            T::ErrBadName,
            T::ErrBadNameFix,
            &[("name", name)],
        ),
        InputError::NameTaken(name) => ex(
            lang,
            surface,
            T::ErrNameTaken,
            T::ErrNameTakenFix,
            &[("name", name)],
        ),
        InputError::BlankClientSecret => {
            ex(lang, surface, T::ErrBlankSecret, T::ErrBlankSecretFix, &[])
        }
        InputError::BadClientId => ex(lang, surface, T::ErrBadClientId, T::ErrBadClientIdFix, &[]),
        InputError::BadUrl { field, value, why } => ex(
            lang,
            surface,
            T::ErrBadUrl,
            T::ErrBadUrlFix,
            &[("field", field), ("value", value), ("why", why)],
        ),
        InputError::StdinTooLarge => ex(
            lang,
            surface,
            T::ErrStdinTooLarge,
            T::ErrStdinTooLargeFix,
            &[],
        ),
        InputError::StdinNotText => ex(
            lang,
            surface,
            T::ErrStdinNotText,
            T::ErrStdinNotTextFix,
            &[],
        ),
        InputError::StdinSilent => ex(lang, surface, T::ErrStdinSilent, T::ErrStdinSilentFix, &[]),
        InputError::BadDuration(v) => ex(
            lang,
            surface,
            T::ErrBadDuration,
            T::ErrBadDurationFix,
            &[("value", v)],
        ),
        InputError::MissingEndpoint { field, name } => ex(
            lang,
            surface,
            T::ErrMissingEndpoint,
            T::ErrMissingEndpointFix,
            &[("field", field), ("name", name)],
        ),
        InputError::OAuthOnly { provider } => ex(
            lang,
            surface,
            T::ErrOAuthOnly,
            T::ErrOAuthOnlyFix,
            &[("provider", provider)],
        ),
        InputError::PortNotLocal(uri) => ex(
            lang,
            surface,
            T::ErrPortNotLocal,
            T::ErrPortNotLocalFix,
            &[("uri", uri)],
        ),
        InputError::BadPostmanKey => ex(
            lang,
            surface,
            T::ErrPostmanNoKey,
            T::ErrPostmanNoKeyFix,
            &[],
        ),
        InputError::BadPostmanEnv(v) => ex(
            lang,
            surface,
            T::ErrBadPostmanEnv,
            T::ErrBadPostmanEnvFix,
            &[("value", v)],
        ),
    }
}
