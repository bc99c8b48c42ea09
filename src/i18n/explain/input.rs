//! Input errors, worded for the command line or the window.

use crate::core::error::InputError;
use crate::core::input::{EndpointChange, Setting};
use crate::i18n::explain::{Explanation, Say, Surface};
use crate::i18n::{Lang, T};

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
        Setting::PostmanApiUrl => "RENOVA_POSTMAN_API_URL",
    }
}

pub(super) fn explain_input(e: &InputError, lang: Lang, surface: Surface) -> Explanation {
    let s = Say { lang, surface };
    match e {
        InputError::BadName(name) => s.say(T::ErrBadName, T::ErrBadNameFix, &[("name", name)]),
        InputError::NameTaken(name) => {
            s.say(T::ErrNameTaken, T::ErrNameTakenFix, &[("name", name)])
        }
        InputError::BlankClientSecret => s.say(T::ErrBlankSecret, T::ErrBlankSecretFix, &[]),
        InputError::BadToken => s.say(T::ErrBadToken, T::ErrBadTokenFix, &[]),
        InputError::BadClientId => s.say(T::ErrBadClientId, T::ErrBadClientIdFix, &[]),
        InputError::BadUrl { field, value, why } => s.say(
            T::ErrBadUrl,
            T::ErrBadUrlFix,
            &[("field", flag(*field)), ("value", value), ("why", why)],
        ),
        InputError::StdinTooLarge => s.say(T::ErrStdinTooLarge, T::ErrStdinTooLargeFix, &[]),
        InputError::StdinNotText => s.say(T::ErrStdinNotText, T::ErrStdinNotTextFix, &[]),
        InputError::StdinSilent => s.say(T::ErrStdinSilent, T::ErrStdinSilentFix, &[]),
        InputError::BadDuration(v) => {
            s.say(T::ErrBadDuration, T::ErrBadDurationFix, &[("value", v)])
        }
        InputError::MissingEndpoint { field, name } => s.say(
            T::ErrMissingEndpoint,
            T::ErrMissingEndpointFix,
            &[("field", flag(*field)), ("name", name)],
        ),
        InputError::OAuthOnly { provider } => s.say(
            T::ErrOAuthOnly,
            T::ErrOAuthOnlyFix,
            &[("provider", provider)],
        ),
        InputError::PortNotLocal(uri) => {
            s.say(T::ErrPortNotLocal, T::ErrPortNotLocalFix, &[("uri", uri)])
        }
        InputError::BadPostmanKey => s.say(T::ErrPostmanNoKey, T::ErrPostmanNoKeyFix, &[]),
        InputError::BadPostmanEnv(v) => {
            s.say(T::ErrBadPostmanEnv, T::ErrBadPostmanEnvFix, &[("value", v)])
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
                T::ErrEndpointChanged,
                T::ErrEndpointChangedFix,
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
