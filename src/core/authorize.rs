//! Authorization in the browser (RD Station steps 2–3, and the same for CRM and `oauth2`):
//! the loopback listener is bound before the URL is shown; only `GET <callback path>` with the
//! right `state` counts (other paths 404, a wrong or missing `state` 400 and reported, both keep
//! waiting); 5 s to read a request, 8 KiB of headers, loopback `Host` only; the answer page is
//! `no-store` and `no-referrer`. A pasted redirected URL (its `state` must match) or bare code
//! works too, for apps whose registered callback is a real website. Ten minutes, then it stops.

use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr};
use std::time::Duration;

use jiff::Timestamp;
use secrecy::SecretString;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use url::Url;

use crate::core::config::{AccountConfig, Config};
use crate::core::error::{AuthReason, Error, InputError, Result};
use crate::core::http::{checked_url, is_loopback_host};
use crate::core::provider::{GrantError, Pkce, Provider};
use crate::core::renova::Renova;
use crate::core::secrets::Secrets;
use crate::core::state::Status;

/// The loopback port used when the account has no redirect URI of its own.
pub const DEFAULT_PORT: u16 = 8787;

/// How long Renova waits for the browser (or a paste).
pub const WAIT: Duration = Duration::from_secs(600);

/// Time to read one request on the listener.
pub const READ_TIMEOUT: Duration = Duration::from_secs(5);

/// Largest request head the listener reads.
pub const HEADER_LIMIT: usize = 8 * 1024;

/// The default redirect URI for a port.
pub fn default_redirect_uri(port: u16) -> String {
    format!("http://127.0.0.1:{port}/callback")
}

/// Why an authorization did not complete.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AuthorizeError {
    /// The loopback port is taken by another program.
    #[error("port {port} on {host} is already in use")]
    PortInUse {
        /// The host the listener tried.
        host: String,
        /// The port.
        port: u16,
    },
    /// The provider (or the user) refused the authorization.
    #[error("the authorization was refused: {error}")]
    Denied {
        /// The `error` of the callback.
        error: String,
        /// Its `error_description`, if any.
        description: Option<String>,
    },
    /// Nothing came within ten minutes.
    #[error("no authorization arrived within 10 minutes")]
    TimedOut,
}

/// A problem seen while waiting, reported but not fatal (Renova keeps waiting).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WaitProblem {
    /// A callback arrived with a wrong or missing `state` (not from this authorization).
    WrongState,
    /// A pasted text was neither a redirected URL nor a code.
    BadPaste,
    /// A pasted URL carried another authorization's `state`.
    PastedWrongState,
}

/// What the listener or a paste produced.
enum Arrival {
    Code(SecretString),
    Problem(WaitProblem),
    Denied(AuthorizeError),
}

/// One authorization in progress.
pub struct Authorization {
    /// The account being authorized.
    pub account: AccountConfig,
    /// The URL to open in the browser.
    pub url: Url,
    /// The exact redirect URI (register it with the provider).
    pub redirect_uri: String,
    state: String,
    pkce: Option<Pkce>,
    listener: Option<CallbackListener>,
}

impl std::fmt::Debug for Authorization {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Authorization")
            .field("account", &self.account.name)
            .field("redirect_uri", &self.redirect_uri)
            .finish_non_exhaustive()
    }
}

impl Authorization {
    /// Whether a loopback listener waits for the browser (else only a paste can finish).
    pub fn listens(&self) -> bool {
        self.listener.is_some()
    }

    /// Waits for the code: from the browser, or from `pasted` (lines of text; a closed
    /// channel does not cancel the wait). Problems are reported through `on_problem`.
    pub async fn wait_for_code(
        &mut self,
        pasted: &mut mpsc::UnboundedReceiver<String>,
        on_problem: &(dyn Fn(WaitProblem) + Send + Sync),
    ) -> Result<SecretString> {
        let deadline = tokio::time::Instant::now() + WAIT;
        let mut paste_open = true;
        loop {
            let arrival = tokio::select! {
                a = accept(self.listener.as_ref(), &self.state) => a,
                line = pasted.recv(), if paste_open => match line {
                    Some(text) => parse_pasted(&text, &self.state),
                    None => {
                        paste_open = false;
                        continue;
                    }
                },
                () = tokio::time::sleep_until(deadline) => {
                    return Err(Error::Authorize(AuthorizeError::TimedOut));
                }
            };
            match arrival {
                Arrival::Code(code) => return Ok(code),
                Arrival::Problem(p) => on_problem(p),
                Arrival::Denied(e) => return Err(Error::Authorize(e)),
            }
        }
    }
}

/// Reads a pasted redirected URL (`…?code=…&state=…`) or a bare code.
fn parse_pasted(text: &str, expected_state: &str) -> Arrival {
    let text = text.trim();
    if text.is_empty() {
        return Arrival::Problem(WaitProblem::BadPaste);
    }
    if let Ok(url) = Url::parse(text) {
        let get = |k: &str| {
            url.query_pairs()
                .find(|(n, _)| n == k)
                .map(|(_, v)| v.into_owned())
        };
        if let Some(state) = get("state")
            && !same(&state, expected_state)
        {
            return Arrival::Problem(WaitProblem::PastedWrongState);
        }
        if let Some(error) = get("error") {
            return Arrival::Denied(AuthorizeError::Denied {
                error,
                description: get("error_description"),
            });
        }
        return match get("code").filter(|c| !c.is_empty()) {
            Some(code) => Arrival::Code(code.into()),
            None => Arrival::Problem(WaitProblem::BadPaste),
        };
    }
    let looks_like_code = text.len() <= 2048
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-._~+/=".contains(c));
    if looks_like_code {
        Arrival::Code(text.to_owned().into())
    } else {
        Arrival::Problem(WaitProblem::BadPaste)
    }
}

/// Compares without an early exit (the state is a one-time secret of this authorization).
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// The listener(s) on the redirect URI's port.
struct CallbackListener {
    sockets: Vec<TcpListener>,
    path: String,
    hosts: Vec<String>,
}

impl CallbackListener {
    async fn bind(redirect: &Url) -> Result<Self> {
        let port = redirect.port_or_known_default().unwrap_or(80);
        let localhost = matches!(redirect.host(), Some(url::Host::Domain(d)) if d.eq_ignore_ascii_case("localhost"));
        let mut addrs: Vec<SocketAddr> = match redirect.host() {
            Some(url::Host::Ipv6(_)) => vec![SocketAddr::from((Ipv6Addr::LOCALHOST, port))],
            _ => vec![SocketAddr::from((Ipv4Addr::LOCALHOST, port))],
        };
        if localhost {
            addrs.push(SocketAddr::from((Ipv6Addr::LOCALHOST, port)));
        }
        let mut sockets = Vec::new();
        for (i, addr) in addrs.iter().enumerate() {
            match TcpListener::bind(addr).await {
                Ok(l) => sockets.push(l),
                // ::1 may be missing (IPv6 off); 127.0.0.1 is what the browser tries first.
                Err(_) if i > 0 => {}
                Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => {
                    return Err(Error::Authorize(AuthorizeError::PortInUse {
                        host: addr.ip().to_string(),
                        port,
                    }));
                }
                Err(e) => return Err(Error::io("listening for the browser", addr.to_string(), e)),
            }
        }
        let hosts = [
            "127.0.0.1".to_owned(),
            "localhost".to_owned(),
            "[::1]".to_owned(),
        ]
        .iter()
        .flat_map(|h| [format!("{h}:{port}"), h.clone()])
        .map(|h| h.to_ascii_lowercase())
        .collect();
        let path = if redirect.path().is_empty() {
            "/".to_owned()
        } else {
            redirect.path().to_owned()
        };
        Ok(Self {
            sockets,
            path,
            hosts,
        })
    }
}

/// Accepts connections until one of them says something (a code, a refusal, a problem).
async fn accept(listener: Option<&CallbackListener>, state: &str) -> Arrival {
    let Some(listener) = listener else {
        return std::future::pending().await;
    };
    loop {
        let accepted = match listener.sockets.as_slice() {
            [a] => a.accept().await,
            [a, b, ..] => tokio::select! {
                r = a.accept() => r,
                r = b.accept() => r,
            },
            [] => return std::future::pending().await,
        };
        let Ok((stream, _)) = accepted else { continue };
        // A request that says nothing (or takes over 5 s) is dropped; keep listening.
        if let Ok(Some(arrival)) =
            tokio::time::timeout(READ_TIMEOUT, serve(stream, listener, state)).await
        {
            return arrival;
        }
    }
}

/// Serves one request; `None` when it did not concern this authorization.
async fn serve(mut stream: TcpStream, listener: &CallbackListener, state: &str) -> Option<Arrival> {
    let mut head = Vec::with_capacity(1024);
    let mut buf = [0u8; 1024];
    loop {
        let n = stream.read(&mut buf).await.ok()?;
        if n == 0 {
            return None;
        }
        head.extend_from_slice(&buf[..n]);
        if head.windows(4).any(|w| w == b"\r\n\r\n") {
            break;
        }
        if head.len() > HEADER_LIMIT {
            respond(&mut stream, 431, Page::Bad).await;
            return None;
        }
    }
    let text = String::from_utf8_lossy(&head);
    let mut lines = text.split("\r\n");
    let mut request = lines.next().unwrap_or_default().split(' ');
    let (method, target) = (
        request.next().unwrap_or_default(),
        request.next().unwrap_or_default(),
    );
    let host = lines
        .take_while(|l| !l.is_empty())
        .find_map(|l| {
            l.split_once(':')
                .filter(|(k, _)| k.trim().eq_ignore_ascii_case("host"))
        })
        .map(|(_, v)| v.trim().to_ascii_lowercase());
    if !host.is_some_and(|h| listener.hosts.contains(&h)) {
        respond(&mut stream, 400, Page::Bad).await;
        return None;
    }
    let Ok(url) = Url::parse(&format!("http://127.0.0.1{target}")) else {
        respond(&mut stream, 400, Page::Bad).await;
        return None;
    };
    if url.path() != listener.path {
        respond(&mut stream, 404, Page::NotFound).await;
        return None;
    }
    if method != "GET" {
        respond(&mut stream, 405, Page::Bad).await;
        return None;
    }
    let get = |k: &str| {
        url.query_pairs()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.into_owned())
    };
    if !get("state").is_some_and(|s| same(&s, state)) {
        respond(&mut stream, 400, Page::WrongState).await;
        return Some(Arrival::Problem(WaitProblem::WrongState));
    }
    if let Some(error) = get("error") {
        respond(&mut stream, 200, Page::Denied).await;
        return Some(Arrival::Denied(AuthorizeError::Denied {
            error,
            description: get("error_description"),
        }));
    }
    match get("code").filter(|c| !c.is_empty()) {
        Some(code) => {
            respond(&mut stream, 200, Page::Done).await;
            Some(Arrival::Code(code.into()))
        }
        None => {
            respond(&mut stream, 400, Page::Bad).await;
            Some(Arrival::Problem(WaitProblem::WrongState))
        }
    }
}

#[derive(Clone, Copy)]
enum Page {
    Done,
    Denied,
    WrongState,
    NotFound,
    Bad,
}

async fn respond(stream: &mut TcpStream, status: u16, page: Page) {
    let (reason, en, pt) = match (status, page) {
        (_, Page::Done) => (
            "OK",
            "Renova received the authorization. You can close this tab.",
            "O Renova recebeu a autorização. Pode fechar esta aba.",
        ),
        (_, Page::Denied) => (
            "OK",
            "The authorization was refused. Go back to Renova to try again.",
            "A autorização foi recusada. Volte ao Renova para tentar de novo.",
        ),
        (_, Page::WrongState) => (
            "Bad Request",
            "This link does not belong to the authorization Renova is waiting for. Start again from Renova.",
            "Este link não pertence à autorização que o Renova está esperando. Comece de novo pelo Renova.",
        ),
        (_, Page::NotFound) => ("Not Found", "Not found.", "Não encontrado."),
        (405, Page::Bad) => ("Method Not Allowed", "Not allowed.", "Não permitido."),
        (431, Page::Bad) => (
            "Request Header Fields Too Large",
            "Request too large.",
            "Requisição grande demais.",
        ),
        (_, Page::Bad) => ("Bad Request", "Bad request.", "Requisição inválida."),
    };
    let body = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Renova</title>\
         <style>body{{font-family:sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;color:#123}}\
         h1{{color:#0b6e70;font-size:1.4rem}}</style></head><body><h1>Renova</h1><p>{en}</p>\
         <p lang=\"pt-BR\">{pt}</p></body></html>"
    );
    let answer = format!(
        "HTTP/1.1 {status} {reason}\r\ncontent-type: text/html; charset=utf-8\r\ncontent-length: {}\r\n\
         cache-control: no-store\r\nreferrer-policy: no-referrer\r\nx-content-type-options: nosniff\r\n\
         content-security-policy: default-src 'none'; style-src 'unsafe-inline'\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = stream.write_all(answer.as_bytes()).await;
    let _ = stream.shutdown().await;
}

impl Renova {
    /// Starts authorizing `name`: binds the loopback listener (when the redirect URI is on this
    /// machine) before making the URL. `port` overrides the port of a loopback redirect URI.
    pub async fn begin_authorize(&self, name: &str, port: Option<u16>) -> Result<Authorization> {
        let config = self.config()?;
        let account = config.get(name)?.clone();
        let provider = Provider::of(&account);
        let mut redirect = match &account.redirect_uri {
            Some(uri) => checked_url("--redirect-uri", uri)?,
            None => checked_url(
                "--redirect-uri",
                &default_redirect_uri(port.unwrap_or(DEFAULT_PORT)),
            )?,
        };
        let local = redirect.scheme() == "http" && is_loopback_host(&redirect);
        if let Some(p) = port {
            if !local {
                return Err(InputError::PortNotLocal(redirect.to_string()).into());
            }
            let _ = redirect.set_port(Some(p));
        }
        let listener = if local {
            Some(CallbackListener::bind(&redirect).await?)
        } else {
            None
        };
        let mut state_bytes = [0u8; 16];
        getrandom::fill(&mut state_bytes).map_err(|e| {
            Error::io(
                "making a random state",
                "getrandom",
                std::io::Error::other(e),
            )
        })?;
        let state = hex::encode(state_bytes);
        let pkce = if provider.uses_pkce() {
            Some(Pkce::generate().map_err(|e| {
                Error::io(
                    "making a PKCE verifier",
                    "getrandom",
                    std::io::Error::other(e),
                )
            })?)
        } else {
            None
        };
        let redirect_uri = redirect.to_string();
        let url = provider.authorize_url(&redirect_uri, &state, pkce.as_ref())?;
        Ok(Authorization {
            account,
            url,
            redirect_uri,
            state,
            pkce,
            listener,
        })
    }

    /// Exchanges the code and stores the tokens (under the account's lock, like a refresh);
    /// records the redirect URI used with the account. Returns when the token expires.
    pub async fn finish_authorize(
        &self,
        session: &Authorization,
        code: &SecretString,
    ) -> Result<Timestamp> {
        let account = &session.account;
        let _guard = self.lock(account).await?;
        let entry = match self.keychain.read(&account.id).await? {
            Some(e) => e,
            None => {
                return Err(Error::NeedsAuthorization {
                    name: account.name.clone(),
                    reason: AuthReason::MissingEntry,
                });
            }
        };
        let provider = Provider::of(account);
        let sent_at = self.now();
        let verifier = session.pkce.as_ref().map(|p| &p.verifier);
        let grant = provider
            .exchange_code(
                &self.http,
                &entry.secrets,
                code,
                &session.redirect_uri,
                verifier,
                sent_at,
            )
            .await;
        let grant = match grant {
            Ok(g) => g,
            Err(GrantError { error, .. }) => {
                self.audit(&self.audit_entry(
                    account.id,
                    "authorize",
                    if error.is_permanent() {
                        "rejected"
                    } else {
                        "transient"
                    },
                ));
                return Err(error.into());
            }
        };
        let new = Secrets {
            client_secret: entry.secrets.client_secret.clone(),
            refresh_token: grant
                .refresh_token
                .clone()
                .or(entry.secrets.refresh_token.clone()),
            access_token: Some(grant.access_token),
            expires_at: Some(grant.expires_at),
            obtained_at: Some(sent_at),
            rev: entry.secrets.rev + 1,
        };
        if let Err(e) = self.write_with_retry(&account.id, &new).await {
            self.audit(&self.audit_entry(account.id, "authorize", "keychain_error"));
            return Err(if grant.refresh_token.is_some() {
                Error::RotationLost {
                    name: account.name.clone(),
                    source: e,
                }
            } else {
                e.into()
            });
        }
        let uri = session.redirect_uri.clone();
        let id = account.id;
        if let Err(e) = Config::update(&self.paths, |c| {
            if let Some(a) = c.accounts.iter_mut().find(|a| a.id == id) {
                a.redirect_uri = Some(uri);
            }
            Ok(())
        }) {
            tracing::warn!("could not record the redirect URI: {e}");
        }
        let now = self.now();
        self.mirror(&id, &new, |a| {
            a.status = Status::Ok;
            a.last_refresh = Some(now);
            a.last_attempt = Some(now);
            a.clear_error();
            a.notified_at = None;
            a.failures = 0;
            a.retry_at = None;
            a.refresh_token_used_at = Some(now);
        });
        self.audit(
            &self
                .audit_entry(id, "authorize", "ok")
                .tokens(new.access_token.as_ref(), new.refresh_token.as_ref()),
        );
        drop(_guard);
        self.sync_after_new_token(account, &new).await;
        Ok(grant.expires_at)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::ExposeSecret;

    #[test]
    fn pasted_urls_and_codes() {
        let state = "a1b2c3d4e5f60718293a4b5c6d7e8f90";
        let ok = format!("https://example.com/cb?code=fake-code-123&state={state}");
        assert!(
            matches!(parse_pasted(&ok, state), Arrival::Code(c) if c.expose_secret() == "fake-code-123")
        );
        let no_state = "https://example.com/cb?code=fake-code-123";
        assert!(matches!(parse_pasted(no_state, state), Arrival::Code(_)));
        let wrong = "https://example.com/cb?code=fake-code-123&state=other";
        assert!(matches!(
            parse_pasted(wrong, state),
            Arrival::Problem(WaitProblem::PastedWrongState)
        ));
        assert!(
            matches!(parse_pasted("  fake-code-456 \n", state), Arrival::Code(c) if c.expose_secret() == "fake-code-456")
        );
        assert!(matches!(
            parse_pasted("not a code at all", state),
            Arrival::Problem(WaitProblem::BadPaste)
        ));
        let denied = format!("https://example.com/cb?error=access_denied&state={state}");
        assert!(matches!(parse_pasted(&denied, state), Arrival::Denied(_)));
    }

    #[test]
    fn state_comparison() {
        assert!(same("abc", "abc"));
        assert!(!same("abc", "abd"));
        assert!(!same("abc", "abcd"));
    }
}
