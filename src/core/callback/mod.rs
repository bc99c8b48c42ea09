//! The loopback listener a browser comes back to after an authorization, and the paste
//! fallback. The listener is bound before the URL is shown; only `GET <callback path>` with the
//! right `state` counts (other paths 404, a wrong or missing `state` 400 and reported, both keep
//! waiting); 5 s to read a request, 8 KiB of headers, loopback `Host` only; the answer page is
//! `no-store` and `no-referrer`. A pasted redirected URL (its `state` must match) or bare code
//! works too, for apps whose registered callback is a real website.

pub mod error;

use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use secrecy::SecretString;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Semaphore, mpsc};
use tokio::task::JoinSet;
use url::Url;

use crate::core::error::{Error, Result};
use crate::core::files::IoError;
use crate::core::http::redact::plain;
use crate::core::http::serve::accept_each;
pub use error::{AuthorizeError, WaitProblem};

/// The loopback port used when the account has no redirect URI of its own.
pub const DEFAULT_PORT: u16 = 8787;

/// How long Renova waits for the browser (or a paste).
pub const WAIT: Duration = Duration::from_secs(600);

/// Connections served at once.
pub const MAX_CONNECTIONS: usize = 32;

/// Time to read one request on the listener.
pub const READ_TIMEOUT: Duration = Duration::from_secs(5);

/// Largest request head the listener reads.
pub const HEADER_LIMIT: usize = 8 * 1024;

/// The default redirect URI for a port.
pub fn default_redirect_uri(port: u16) -> String {
    format!("http://127.0.0.1:{port}/callback")
}

/// What the listener or a paste produced.
enum Arrival {
    Code(SecretString),
    Problem(WaitProblem),
    Denied(AuthorizeError),
}

/// Waits for the code of the authorization whose `state` is given: from the browser (when a
/// listener waits), or from `pasted` (lines of text; a closed channel does not cancel the
/// wait). Problems are reported through `on_problem`. Ten minutes at most.
pub async fn wait_for_code(
    listener: Option<&CallbackListener>,
    state: &str,
    pasted: &mut mpsc::UnboundedReceiver<String>,
    on_problem: &(dyn Fn(WaitProblem) + Send + Sync),
) -> Result<SecretString> {
    let deadline = tokio::time::Instant::now() + WAIT;
    let mut paste_open = true;
    let (tx, mut served) = mpsc::channel(MAX_CONNECTIONS);
    // Serving stops when the wait ends: the set aborts its tasks when dropped.
    let _serving = listener.map(|l| l.serve(state, &tx));
    loop {
        let arrival = tokio::select! {
            Some(a) = served.recv() => a,
            line = pasted.recv(), if paste_open => match line {
                Some(text) => parse_pasted(&text, state),
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
            return Arrival::Denied(denied(&error, get("error_description").as_deref()));
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

/// Longest text kept from what a callback says about a refusal, in characters.
const SAID_CHARS: usize = 200;

/// A refusal as the callback (or a pasted address) reports it: anyone can send the browser
/// there, so its words are made plain and kept short before they are shown.
fn denied(error: &str, description: Option<&str>) -> AuthorizeError {
    let said = |t: &str| plain(t).chars().take(SAID_CHARS).collect::<String>();
    AuthorizeError::Denied {
        error: said(error),
        description: description.map(said),
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
/// The listener(s) on the redirect URI's port.
pub struct CallbackListener {
    sockets: Vec<Arc<TcpListener>>,
    route: Arc<Route>,
}

/// What a request must name to count: the callback path, and a `Host` that is one of the
/// addresses bound (or the redirect URI's own host name).
struct Route {
    path: String,
    hosts: Vec<String>,
}

impl CallbackListener {
    /// Binds the redirect URI's port on 127.0.0.1 (and ::1 for `localhost`), before the URL
    /// is shown to anyone. For `localhost`, ::1 taken by another program is an error (the
    /// browser may go there); ::1 missing altogether (IPv6 off) is not.
    pub async fn bind(redirect: &Url) -> Result<Self> {
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
        let mut hosts = Vec::new();
        for (i, addr) in addrs.iter().enumerate() {
            match TcpListener::bind(addr).await {
                Ok(l) => {
                    sockets.push(Arc::new(l));
                    hosts.push(addr.to_string());
                }
                Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => {
                    return Err(Error::Authorize(AuthorizeError::PortInUse {
                        host: addr.ip().to_string(),
                        port,
                    }));
                }
                Err(e) if i > 0 => {
                    tracing::debug!("no IPv6 loopback for the callback ({e}); 127.0.0.1 serves");
                }
                Err(e) => {
                    return Err(
                        IoError::new("listening for the browser", addr.to_string(), e).into(),
                    );
                }
            }
        }
        if let Some(name) = redirect.host_str().filter(|_| localhost) {
            hosts.push(format!("{}:{port}", name.to_ascii_lowercase()));
        }
        if port == 80 {
            let bare: Vec<String> = hosts
                .iter()
                .filter_map(|h| h.strip_suffix(":80").map(str::to_owned))
                .collect();
            hosts.extend(bare);
        }
        let path = if redirect.path().is_empty() {
            "/".to_owned()
        } else {
            redirect.path().to_owned()
        };
        Ok(Self {
            sockets,
            route: Arc::new(Route { path, hosts }),
        })
    }

    /// Serves every socket until the returned set is dropped: each connection on a task of
    /// its own (at most [`MAX_CONNECTIONS`] at once), each with its own [`READ_TIMEOUT`], so
    /// idle connections (a browser's preconnections) cannot hold up the real callback. What
    /// a request says goes to `arrivals`.
    fn serve(&self, state: &str, arrivals: &mpsc::Sender<Arrival>) -> JoinSet<()> {
        let slots = Arc::new(Semaphore::new(MAX_CONNECTIONS));
        let state: Arc<str> = Arc::from(state);
        let mut set = JoinSet::new();
        for socket in &self.sockets {
            let (socket, route, state, arrivals, slots) = (
                socket.clone(),
                self.route.clone(),
                state.clone(),
                arrivals.clone(),
                slots.clone(),
            );
            set.spawn(async move {
                accept_each(&socket, slots, "callback", |stream| {
                    let (route, state, arrivals) = (route.clone(), state.clone(), arrivals.clone());
                    async move {
                        // A request that says nothing (or takes over 5 s) is dropped.
                        let served =
                            tokio::time::timeout(READ_TIMEOUT, answer(stream, &route, &state));
                        if let Ok(Some(arrival)) = served.await
                            && arrivals.send(arrival).await.is_err()
                        {
                            tracing::debug!("a callback came after the wait ended");
                        }
                    }
                })
                .await;
            });
        }
        set
    }
}

/// Answers one request; `None` when it did not concern this authorization.
async fn answer(mut stream: TcpStream, route: &Route, state: &str) -> Option<Arrival> {
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
    if !host.is_some_and(|h| route.hosts.contains(&h)) {
        respond(&mut stream, 400, Page::Bad).await;
        return None;
    }
    let Ok(url) = Url::parse(&format!("http://127.0.0.1{target}")) else {
        respond(&mut stream, 400, Page::Bad).await;
        return None;
    };
    if url.path() != route.path {
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
        return Some(Arrival::Denied(denied(
            &error,
            get("error_description").as_deref(),
        )));
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
    // The browser may already have gone; nothing is waiting for this answer but it.
    if let Err(e) = stream.write_all(answer.as_bytes()).await {
        tracing::debug!("the browser did not take the answer: {e}");
    }
    if let Err(e) = stream.shutdown().await {
        tracing::debug!("closing the browser's connection: {e}");
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
