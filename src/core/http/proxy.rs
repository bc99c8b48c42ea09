//! Which proxy Renova's requests go through. Only `https` requests can be proxied, through
//! `CONNECT`, so TLS stays end to end: `HTTPS_PROXY` (or `ALL_PROXY`) and `NO_PROXY` are
//! honoured as curl does. Loopback (127.0.0.0/8, ::1, localhost) never goes through a proxy,
//! whatever the environment says: a plain-http provider on this machine would otherwise hand
//! the secrets in clear text to whatever listens at the proxy's address.

use url::Url;

/// What is never proxied, added to any `NO_PROXY`.
pub(crate) const LOOPBACK: &str = "127.0.0.0/8, ::1, localhost";

/// The variables that name the proxy for `https`, first match wins.
const PROXY_VARS: [&str; 4] = ["HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"];

/// The variables that name hosts reached directly.
const NO_PROXY_VARS: [&str; 2] = ["NO_PROXY", "no_proxy"];

/// The proxy in use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ProxySetting {
    /// The proxy's URL, as given (it may carry a user and password).
    url: Url,
    /// The variable it came from.
    pub from: &'static str,
    /// The hosts reached directly, loopback included.
    pub no_proxy: String,
}

impl ProxySetting {
    /// The proxy the environment names for `https`, if any; an error if the variable is not a
    /// URL.
    pub(crate) fn from_env() -> Result<Option<Self>, String> {
        let found = PROXY_VARS.iter().find_map(|var| {
            std::env::var(var)
                .ok()
                .filter(|v| !v.trim().is_empty())
                .map(|v| (*var, v))
        });
        let Some((from, value)) = found else {
            return Ok(None);
        };
        // `host:port` alone means an http proxy, as curl reads it.
        let value = value.trim();
        let with_scheme = if value.contains("://") {
            value.to_owned()
        } else {
            format!("http://{value}")
        };
        let url =
            Url::parse(&with_scheme).map_err(|e| format!("{from} is not a proxy URL: {e}"))?;
        let listed = NO_PROXY_VARS
            .iter()
            .find_map(|var| std::env::var(var).ok())
            .unwrap_or_default();
        let no_proxy = match listed.trim() {
            "" => LOOPBACK.to_owned(),
            list => format!("{list}, {LOOPBACK}"),
        };
        Ok(Some(Self {
            url,
            from,
            no_proxy,
        }))
    }

    /// The proxy's address for people: without a user or password.
    pub(crate) fn shown(&self) -> String {
        let mut url = self.url.clone();
        // Only fails for URLs that cannot have a user; then there is none to hide.
        if url
            .set_username("")
            .and_then(|()| url.set_password(None))
            .is_err()
        {
            tracing::debug!("the proxy URL has no user to hide");
        }
        url.as_str().trim_end_matches('/').to_owned()
    }

    /// The proxy for reqwest: `https` requests only, never to `no_proxy`.
    pub(crate) fn to_reqwest(&self) -> Result<reqwest::Proxy, String> {
        let proxy = reqwest::Proxy::https(self.url.as_str())
            .map_err(|e| format!("{} cannot be used as a proxy: {e}", self.from))?;
        Ok(proxy.no_proxy(reqwest::NoProxy::from_string(&self.no_proxy)))
    }
}
