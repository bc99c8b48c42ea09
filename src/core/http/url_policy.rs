//! The URL policy for every address Renova sends secrets to: `https://`, or plain `http://` to
//! this machine's loopback only; no `user:password@` part. Also joining a base URL with an API
//! path.

use url::Url;

use crate::core::input::{InputError, Setting};

/// Whether a host is this machine's loopback interface.
pub(crate) fn is_loopback_host(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

/// Parses a URL from the user and applies the policy: `https://`, or `http://` to loopback.
pub(crate) fn checked_url(field: Setting, value: &str) -> Result<Url, InputError> {
    let bad = |why: &str| InputError::BadUrl {
        field,
        value: without_userinfo(value),
        why: why.to_owned(),
    };
    let url = Url::parse(value.trim()).map_err(|e| bad(&e.to_string()))?;
    if url.host().is_none() {
        return Err(bad("it has no host"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(bad("it must not carry a user name or password"));
    }
    match url.scheme() {
        "https" => Ok(url),
        "http" if is_loopback_host(&url) => Ok(url),
        "http" => Err(bad(
            "plain http is allowed only for 127.0.0.1, ::1 and localhost; use https",
        )),
        _ => Err(bad("only https (or http to this machine) is allowed")),
    }
}

/// A URL's origin as the web writes it: `https://host`, with `:port` only when it is not the
/// scheme's default.
pub(crate) fn origin_of(url: &Url) -> String {
    url.origin().ascii_serialization()
}

/// An origin the person allows (`https://api.rd.services`): the URL policy, and nothing after
/// the host and port but an optional `/`. Returned as [`origin_of`] writes it.
pub(crate) fn checked_origin(value: &str) -> Result<String, InputError> {
    let url = checked_url(Setting::AssistantOrigin, value)?;
    if url.path() != "/" || url.query().is_some() || url.fragment().is_some() {
        return Err(InputError::BadUrl {
            field: Setting::AssistantOrigin,
            value: without_userinfo(value),
            why: "an origin is only the scheme, the host and the port, such as https://api.rd.services"
                .to_owned(),
        });
    }
    Ok(origin_of(&url))
}

/// `value` for an error message: a `user:password@` part is replaced by `…@`, so a password
/// typed into a URL is never repeated on screen or in a log.
fn without_userinfo(value: &str) -> String {
    let value = value.trim();
    let Some(start) = value.find("://").map(|i| i + 3) else {
        return value.to_owned();
    };
    let authority_end = value[start..]
        .find(['/', '?', '#'])
        .map_or(value.len(), |i| start + i);
    match value[start..authority_end].rfind('@') {
        Some(at) => format!("{}…{}", &value[..start], &value[start + at..]),
        None => value.to_owned(),
    }
}

/// Joins a base URL (which may have a path) and an absolute API path.
pub(crate) fn join(base: &Url, path: &str) -> Url {
    let mut url = base.clone();
    let joined = format!(
        "{}/{}",
        base.path().trim_end_matches('/'),
        path.trim_start_matches('/')
    );
    url.set_path(&joined);
    url.set_query(None);
    url
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_policy() {
        assert!(checked_url(Setting::BaseUrl, "https://api.rd.services").is_ok());
        assert!(checked_url(Setting::BaseUrl, "http://127.0.0.1:8080").is_ok());
        assert!(checked_url(Setting::BaseUrl, "http://[::1]:8080").is_ok());
        assert!(checked_url(Setting::BaseUrl, "http://localhost").is_ok());
        assert!(checked_url(Setting::BaseUrl, "http://api.rd.services").is_err());
        assert!(checked_url(Setting::BaseUrl, "http://127.0.0.1.evil.com").is_err());
        assert!(checked_url(Setting::BaseUrl, "ftp://x").is_err());
        assert!(checked_url(Setting::BaseUrl, "not a url").is_err());
        assert!(checked_url(Setting::BaseUrl, "https://user:pw@host").is_err());
        // The password is not repeated in the error.
        let e = checked_url(Setting::BaseUrl, "http://me:fake-pw@api.rd.services/x@y").unwrap_err();
        let InputError::BadUrl { value, .. } = e else {
            panic!("not BadUrl")
        };
        assert_eq!(value, "http://…@api.rd.services/x@y");
        assert_eq!(without_userinfo("not a url"), "not a url");
    }

    #[test]
    fn join_keeps_base_path() {
        let base = Url::parse("http://127.0.0.1:9/prefix/").unwrap();
        assert_eq!(
            join(&base, "/auth/token").as_str(),
            "http://127.0.0.1:9/prefix/auth/token"
        );
        let base = Url::parse("https://api.rd.services").unwrap();
        assert_eq!(
            join(&base, "/auth/token").as_str(),
            "https://api.rd.services/auth/token"
        );
    }
}
