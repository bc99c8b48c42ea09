//! The loopback listener a browser comes back to after an authorization, and the paste
//! fallback. The listener is bound before the URL is shown; only `GET <callback path>` with the
//! right `state` counts (a wrong or missing `state` is 400 and reported; both keep waiting).
//! The HTTP rules (5 s and 8 KiB for a request head, the connection limit, a `Host` that is an
//! address bound, then the path, then the method) are the loopback servers'
//! ([`crate::core::http::serve`]). The answer page is `no-store` and `no-referrer`; its words
//! come from the front-end ([`PageText`]). A pasted redirected URL (its `state` must match) or
//! bare code works too, for apps whose registered callback is a real website.

pub(crate) mod error;

use std::future::Future;
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr};
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use hyper::Method;
use secrecy::SecretString;
use tokio::net::TcpListener;
use tokio::sync::mpsc;
use url::Url;

use crate::core::error::{Error, Result};
use crate::core::files::IoError;
use crate::core::http::redact::plain;
use crate::core::http::serve::{
    self, Answer, Handler, Limits, PathMatch, Refusal, Request, Route, Site,
};
pub(crate) use error::{AuthorizeError, WaitProblem};

/// The loopback port used when the account has no redirect URI of its own.
pub(crate) const DEFAULT_PORT: u16 = 8787;

/// How long Renova waits for the browser (or a paste).
pub(crate) const WAIT: Duration = Duration::from_secs(600);

/// The page a browser is shown, by what happened; its words are the front-end's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    /// The code arrived.
    Done,
    /// The provider (or the person) refused.
    Denied,
    /// Not this authorization's `state`.
    WrongState,
    /// Another path.
    NotFound,
    /// Another method.
    NotAllowed,
    /// Anything else wrong with the request.
    Bad,
}

/// Words a page in HTML (the front-end's, in its languages).
pub(crate) type PageText = fn(Page) -> String;

/// A page with no words of its own, for a core made without a front-end (tests).
pub(crate) fn untitled_page(_: Page) -> String {
    "<!doctype html><title>Renova</title>".to_owned()
}

/// The default redirect URI for a port.
pub(crate) fn default_redirect_uri(port: u16) -> String {
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
pub(crate) async fn wait_for_code(
    listener: Option<&CallbackListener>,
    state: &str,
    pasted: &mut mpsc::UnboundedReceiver<String>,
    on_problem: &(dyn Fn(WaitProblem) + Send + Sync),
) -> Result<SecretString> {
    let deadline = tokio::time::Instant::now() + WAIT;
    let mut paste_open = true;
    let (tx, mut served) = mpsc::channel(Limits::default().max_connections);
    // Serving stops a moment after the wait ends, so the browser still gets its page.
    let _serving = Linger(listener.map(|l| l.serve(state, &tx)));
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

/// A server kept up for [`LINGER`] after it is dropped: the request that ended the wait still
/// gets its answer written.
struct Linger(Option<serve::Server>);

/// How long the callback keeps answering after the wait ended.
const LINGER: Duration = Duration::from_secs(2);

impl Drop for Linger {
    fn drop(&mut self) {
        if let Some(server) = self.0.take()
            && let Ok(runtime) = tokio::runtime::Handle::try_current()
        {
            runtime.spawn(async move {
                tokio::time::sleep(LINGER).await;
                drop(server);
            });
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
pub(crate) struct CallbackListener {
    sockets: Vec<Arc<TcpListener>>,
    path: String,
    hosts: Vec<String>,
    pages: PageText,
}

impl CallbackListener {
    /// Binds the redirect URI's port on 127.0.0.1 (and ::1 for `localhost`), before the URL
    /// is shown to anyone. For `localhost`, ::1 taken by another program is an error (the
    /// browser may go there); ::1 missing altogether (IPv6 off) is not.
    pub(crate) async fn bind(redirect: &Url, pages: PageText) -> Result<Self> {
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
            path,
            hosts,
            pages,
        })
    }

    /// Serves every socket until the returned server is dropped; what a request says goes to
    /// `arrivals`.
    fn serve(&self, state: &str, arrivals: &mpsc::Sender<Arrival>) -> serve::Server {
        let site = Site {
            hosts: self.hosts.clone(),
            routes: vec![Route {
                path: PathMatch::Exact(self.path.clone()),
                methods: vec![Method::GET],
            }],
        };
        let callback = Callback {
            state: state.to_owned(),
            arrivals: arrivals.clone(),
            pages: self.pages,
        };
        let handler: Arc<dyn Handler> = Arc::new(callback);
        serve::serve(self.sockets.clone(), site, Limits::default(), &handler)
    }
}

/// The callback's answers: a code, a refusal or a wrong `state` is an [`Arrival`] for the
/// wait, and a page for the browser.
struct Callback {
    state: String,
    arrivals: mpsc::Sender<Arrival>,
    pages: PageText,
}

impl Callback {
    fn page(&self, status: u16, page: Page) -> Answer {
        Answer::new(status, "text/html; charset=utf-8", (self.pages)(page))
            .with("referrer-policy", "no-referrer")
            .with(
                "content-security-policy",
                "default-src 'none'; style-src 'unsafe-inline'",
            )
    }

    /// What the request says, and the page it gets.
    fn read(&self, request: &Request) -> (Option<Arrival>, Answer) {
        let get = |k: &str| {
            url::form_urlencoded::parse(request.query.as_deref().unwrap_or_default().as_bytes())
                .find(|(n, _)| n == k)
                .map(|(_, v)| v.into_owned())
        };
        if !get("state").is_some_and(|s| same(&s, &self.state)) {
            let problem = Arrival::Problem(WaitProblem::WrongState);
            return (Some(problem), self.page(400, Page::WrongState));
        }
        if let Some(error) = get("error") {
            let refused = Arrival::Denied(denied(&error, get("error_description").as_deref()));
            return (Some(refused), self.page(200, Page::Denied));
        }
        match get("code").filter(|c| !c.is_empty()) {
            Some(code) => (Some(Arrival::Code(code.into())), self.page(200, Page::Done)),
            None => (
                Some(Arrival::Problem(WaitProblem::WrongState)),
                self.page(400, Page::Bad),
            ),
        }
    }
}

impl Handler for Callback {
    fn answer(&self, request: Request) -> Pin<Box<dyn Future<Output = Answer> + Send + '_>> {
        Box::pin(async move {
            let (arrival, answer) = self.read(&request);
            if let Some(arrival) = arrival
                && self.arrivals.send(arrival).await.is_err()
            {
                tracing::debug!("a callback came after the wait ended");
            }
            answer
        })
    }

    fn refused(&self, refusal: Refusal) -> Answer {
        let page = match refusal {
            Refusal::NotFound => Page::NotFound,
            Refusal::MethodNotAllowed => Page::NotAllowed,
            Refusal::BadHost | Refusal::ForeignHost => Page::Bad,
        };
        self.page(refusal.status(), page)
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
