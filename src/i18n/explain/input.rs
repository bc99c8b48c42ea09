//! Input errors, worded for the command line or the window.

use crate::core::error::InputError;
use crate::core::input::{EndpointChange, Setting};
use crate::i18n::explain::{Explanation, Say, Surface};
use crate::i18n::{E, Lang, T};

/// How a message names a setting: the command line's flag (the window's fields carry the same
/// words), or the variable that sets Postman's API address.
pub(super) fn flag(setting: Setting) -> &'static str {
    match setting {
        Setting::Provider => "--provider",
        Setting::BaseUrl => "--base-url",
        Setting::TokenUrl => "--token-url",
        Setting::AuthorizeUrl => "--authorize-url",
        Setting::RevokeUrl => "--revoke-url",
        Setting::CheckUrl => "--check-url",
        Setting::RedirectUri => "--redirect-uri",
        Setting::AssistantOrigin => "--assistant-origins",
        Setting::PostmanApiUrl => "RENOVA_POSTMAN_API_URL",
    }
}

/// What was wrong with a static token given, or how it was to be handed out.
fn static_token(e: &InputError, s: Say) -> Explanation {
    match e {
        InputError::HeaderNotTaken(parameter) => s.say(
            E::ErrHeaderNotTaken,
            E::ErrHeaderNotTakenFix,
            &[("parameter", parameter)],
        ),
        InputError::TokenAlreadyExpired(at) => s.say(
            E::ErrTokenAlreadyExpired,
            E::ErrTokenAlreadyExpiredFix,
            &[("when", &crate::i18n::time::full_date_time(*at, s.lang))],
        ),
        InputError::ExpiryNotForThis => {
            s.say(E::ErrExpiryNotForThis, E::ErrExpiryNotForThisFix, &[])
        }
        _ => s.say(E::ErrBlankToken, E::ErrBlankTokenFix, &[]),
    }
}

pub(super) fn explain_input(e: &InputError, lang: Lang, surface: Surface) -> Explanation {
    let s = Say { lang, surface };
    match e {
        InputError::BadName(name) => s.say(E::ErrBadName, E::ErrBadNameFix, &[("name", name)]),
        InputError::NameTaken(name) => {
            s.say(E::ErrNameTaken, E::ErrNameTakenFix, &[("name", name)])
        }
        InputError::BlankClientSecret => s.say(E::ErrBlankSecret, E::ErrBlankSecretFix, &[]),
        InputError::BadToken => s.say(E::ErrBadToken, E::ErrBadTokenFix, &[]),
        InputError::BadClientId => s.say(E::ErrBadClientId, E::ErrBadClientIdFix, &[]),
        InputError::HeaderNotTaken(_)
        | InputError::BlankToken
        | InputError::TokenAlreadyExpired(_)
        | InputError::ExpiryNotForThis => static_token(e, s),
        InputError::BadUrl { field, value, why } => s.say(
            E::ErrBadUrl,
            E::ErrBadUrlFix,
            &[("field", flag(*field)), ("value", value), ("why", why)],
        ),
        InputError::StdinTooLarge => s.say(E::ErrStdinTooLarge, E::ErrStdinTooLargeFix, &[]),
        InputError::StdinNotText => s.say(E::ErrStdinNotText, E::ErrStdinNotTextFix, &[]),
        InputError::StdinSilent => s.say(E::ErrStdinSilent, E::ErrStdinSilentFix, &[]),
        InputError::BadDuration(v) => {
            s.say(E::ErrBadDuration, E::ErrBadDurationFix, &[("value", v)])
        }
        InputError::MissingEndpoint { field, name } => s.say(
            E::ErrMissingEndpoint,
            E::ErrMissingEndpointFix,
            &[("field", flag(*field)), ("name", name)],
        ),
        InputError::OAuthOnly { provider } => s.say(
            E::ErrOAuthOnly,
            E::ErrOAuthOnlyFix,
            &[("provider", provider)],
        ),
        InputError::PortNotLocal(uri) => {
            s.say(E::ErrPortNotLocal, E::ErrPortNotLocalFix, &[("uri", uri)])
        }
        InputError::BadPostmanKey => s.say(E::ErrPostmanNoKey, E::ErrPostmanNoKeyFix, &[]),
        InputError::UnsafeOwnPath(path) => s.say(
            E::ErrUnsafeOwnPath,
            E::ErrUnsafeOwnPathFix,
            &[("path", path)],
        ),
        InputError::BadPostmanEnv(v) => {
            s.say(E::ErrBadPostmanEnv, E::ErrBadPostmanEnvFix, &[("value", v)])
        }
        InputError::EndpointChanged(change) => {
            let EndpointChange {
                name,
                url,
                known,
                setting,
                value,
                ..
            } = change.as_ref();
            let known = known.as_deref().unwrap_or(T::EndpointNoneKnown.tr(lang));
            s.say(
                E::ErrEndpointChanged,
                E::ErrEndpointChangedFix,
                &[
                    ("name", name),
                    ("url", url),
                    ("known", known),
                    ("flag", flag(*setting)),
                    ("value", value),
                ],
            )
        }
    }
}
