//! Renova's two small loopback servers (the browser's authorization callback and the local
//! token endpoint) on hyper's HTTP/1.1 server, with one set of rules, in this order:
//!
//! 1. hyper reads the request head: at most [`Limits::max_head`] bytes (else 431) within
//!    [`Limits::head_timeout`] (else the connection is closed); a malformed head, an obsolete
//!    continuation line or a method that is not a token is 400;
//! 2. exactly one `Host`, one of the site's (missing or repeated: 400; another: 403);
//! 3. the path is one of the site's routes (else 404);
//! 4. the method is one the route takes (else 405 with `Allow`);
//! 5. the site's handler answers.
//!
//! Every answer says `Cache-Control: no-store`, `X-Content-Type-Options: nosniff` and
//! `Connection: close`: one request per connection. At most [`Limits::max_connections`] are
//! open at once; when a new one arrives at the limit, the oldest that has not yet sent its
//! request head is closed to make room, so connections held open idle (or fed a byte at a
//! time) cannot keep a real caller out.

use std::collections::BTreeMap;
use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bytes::Buf;
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::header::{HOST, HeaderName, HeaderValue};
use hyper::{Method, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::sync::Notify;
use tokio::task::{AbortHandle, JoinSet};
use zeroize::Zeroizing;

/// The limits of one server.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    /// Connections open at once.
    pub max_connections: usize,
    /// Time to receive a whole request head.
    pub head_timeout: Duration,
    /// Largest request head.
    pub max_head: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_connections: 32,
            head_timeout: Duration::from_secs(5),
            max_head: 8 * 1024,
        }
    }
}

/// How a route's path is matched.
#[derive(Debug, Clone)]
pub(crate) enum PathMatch {
    /// Exactly this path.
    Exact(String),
    /// This prefix followed by one segment (no further `/`), e.g. `/v1/token/` + a name.
    Segment(String),
}

impl PathMatch {
    fn matches(&self, path: &str) -> bool {
        match self {
            PathMatch::Exact(p) => path == p,
            PathMatch::Segment(prefix) => path
                .strip_prefix(prefix.as_str())
                .is_some_and(|rest| !rest.is_empty() && !rest.contains('/')),
        }
    }
}

/// One route of a site.
#[derive(Debug, Clone)]
pub(crate) struct Route {
    /// Its path.
    pub path: PathMatch,
    /// The methods it takes.
    pub methods: Vec<Method>,
}

/// What a server serves: the `Host` values it answers to (lower case, with the port), and its
/// routes, in order.
#[derive(Debug, Clone)]
pub(crate) struct Site {
    /// Accepted `Host` values.
    pub hosts: Vec<String>,
    /// The routes.
    pub routes: Vec<Route>,
}

/// Why a request was turned away before its handler saw it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// No `Host`, or more than one (400).
    BadHost,
    /// A `Host` this server does not serve (403).
    ForeignHost,
    /// A path no route has (404).
    NotFound,
    /// A method the route does not take (405).
    MethodNotAllowed,
}

impl Refusal {
    /// Its HTTP status.
    pub(crate) fn status(self) -> u16 {
        match self {
            Refusal::BadHost => 400,
            Refusal::ForeignHost => 403,
            Refusal::NotFound => 404,
            Refusal::MethodNotAllowed => 405,
        }
    }
}

/// A request a route took. Its `Debug` shows the route and the path only: the query and the
/// `Authorization` header may hold secrets (an authorization code, the endpoint key).
pub(crate) struct Request {
    /// Which route (its index in [`Site::routes`]).
    pub route: usize,
    /// The path.
    pub path: String,
    /// The query string, if any (undecoded).
    pub query: Option<String>,
    /// `Authorization`, if sent (a secret: never logged).
    pub authorization: Option<Zeroizing<String>>,
    /// `User-Agent`, if sent.
    pub user_agent: Option<String>,
}

impl std::fmt::Debug for Request {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Request")
            .field("route", &self.route)
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

/// An answer. Its body may hold a secret (a token): it is zeroed when dropped, and its `Debug`
/// shows the status and the headers' names only.
pub(crate) struct Answer {
    /// The status.
    pub status: u16,
    /// `Content-Type`.
    pub content_type: &'static str,
    /// Other headers.
    pub headers: Vec<(&'static str, String)>,
    /// The body.
    pub body: Zeroizing<Vec<u8>>,
}

impl std::fmt::Debug for Answer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names: Vec<&str> = self.headers.iter().map(|(n, _)| *n).collect();
        f.debug_struct("Answer")
            .field("status", &self.status)
            .field("content_type", &self.content_type)
            .field("headers", &names)
            .finish_non_exhaustive()
    }
}

impl Answer {
    /// An answer with this status, type and body.
    pub(crate) fn new(status: u16, content_type: &'static str, body: impl Into<Vec<u8>>) -> Self {
        Self {
            status,
            content_type,
            headers: Vec::new(),
            body: Zeroizing::new(body.into()),
        }
    }

    /// Adds a header.
    pub(crate) fn with(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }
}

/// What a site does with requests: answers those its routes took, and words the refusals.
pub(crate) trait Handler: Send + Sync + 'static {
    /// Answers a request a route took.
    fn answer(&self, request: Request) -> Pin<Box<dyn Future<Output = Answer> + Send + '_>>;
    /// The answer to a request turned away (the status is the refusal's).
    fn refused(&self, refusal: Refusal) -> Answer;
}

/// A running server; dropping it stops it (and every connection it holds).
pub(crate) struct Server {
    tasks: JoinSet<()>,
}

impl Drop for Server {
    fn drop(&mut self) {
        self.tasks.abort_all();
    }
}

/// The connections open now, and a signal when one ends.
#[derive(Default)]
struct Table {
    connections: Mutex<Connections>,
    freed: Notify,
}

/// The connections open now: when each was accepted, whether its request head has arrived,
/// and how to close it.
#[derive(Default)]
struct Connections {
    next: u64,
    open: BTreeMap<u64, Slot>,
}

struct Slot {
    accepted: Instant,
    head_read: bool,
    abort: AbortHandle,
}

impl Connections {
    /// Makes room for one more: closes the oldest connection still waiting for its head.
    /// `false` when every slot is serving a request.
    fn make_room(&mut self, limit: usize) -> bool {
        if self.open.len() < limit {
            return true;
        }
        let oldest_idle = self
            .open
            .iter()
            .filter(|(_, s)| !s.head_read)
            .min_by_key(|(_, s)| s.accepted)
            .map(|(id, _)| *id);
        match oldest_idle.and_then(|id| self.open.remove(&id)) {
            Some(slot) => {
                slot.abort.abort();
                true
            }
            None => false,
        }
    }
}

/// Serves `site` on every listener with `handler`, within `limits`.
pub(crate) fn serve(
    listeners: Vec<Arc<TcpListener>>,
    site: Site,
    limits: Limits,
    handler: &Arc<dyn Handler>,
) -> Server {
    let site = Arc::new(site);
    let table = Arc::new(Table::default());
    let mut tasks = JoinSet::new();
    for listener in listeners {
        let (site, handler, table) = (site.clone(), handler.clone(), table.clone());
        tasks.spawn(accept_loop(listener, site, limits, handler, table));
    }
    Server { tasks }
}

async fn accept_loop(
    listener: Arc<TcpListener>,
    site: Arc<Site>,
    limits: Limits,
    handler: Arc<dyn Handler>,
    table: Arc<Table>,
) {
    let mut running = JoinSet::new();
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(e) => {
                    // Out of file descriptors, say: wait a moment rather than spin.
                    tracing::debug!("accepting a connection: {e}");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            // Reap the connections that ended.
            Some(_) = running.join_next(), if !running.is_empty() => continue,
        };
        let mut stream = Some(stream);
        while let Some(waiting) = stream.take() {
            // Asked for before looking, so a connection that ends meanwhile is not missed.
            let freed = table.freed.notified();
            {
                let Ok(mut open) = table.connections.lock() else {
                    return;
                };
                if open.make_room(limits.max_connections) {
                    open.next += 1;
                    let id = open.next;
                    let (site, handler, table) = (site.clone(), handler.clone(), table.clone());
                    let abort = running.spawn(async move {
                        serve_connection(waiting, id, &site, limits, handler, &table).await;
                        if let Ok(mut open) = table.connections.lock() {
                            open.open.remove(&id);
                        }
                        table.freed.notify_waiters();
                    });
                    let slot = Slot {
                        accepted: Instant::now(),
                        head_read: false,
                        abort,
                    };
                    open.open.insert(id, slot);
                    continue;
                }
            }
            // Every slot is serving a real request: this caller waits for one, as it would
            // in the listen queue.
            freed.await;
            stream = Some(waiting);
        }
    }
}

async fn serve_connection(
    stream: tokio::net::TcpStream,
    id: u64,
    site: &Arc<Site>,
    limits: Limits,
    handler: Arc<dyn Handler>,
    table: &Arc<Table>,
) {
    let service = hyper::service::service_fn(move |request: hyper::Request<Incoming>| {
        // The head has arrived: this connection is a caller, no longer idle.
        if let Ok(mut open) = table.connections.lock()
            && let Some(slot) = open.open.get_mut(&id)
        {
            slot.head_read = true;
        }
        let (site, handler) = (site.clone(), handler.clone());
        async move {
            let answer = match route(&site, &request) {
                // On a task of its own: a server stopped, or a caller gone, never cuts a
                // handler short (a refresh that rotated a token still stores it).
                Ok(index) => {
                    let request = request_of(&request, index);
                    let work = tokio::spawn(async move { handler.answer(request).await });
                    work.await.unwrap_or_else(|_| {
                        Answer::new(500, "text/plain; charset=utf-8", "internal error")
                    })
                }
                Err((refusal, allow)) => {
                    let refused = handler.refused(refusal);
                    match allow {
                        Some(methods) => refused.with("allow", methods),
                        None => refused,
                    }
                }
            };
            Ok::<_, Infallible>(to_response(answer))
        }
    });
    let served = hyper::server::conn::http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(limits.head_timeout)
        .max_buf_size(limits.max_head.max(8192))
        .max_header_size(limits.max_head)
        .keep_alive(false)
        .title_case_headers(true)
        .serve_connection(TokioIo::new(stream), service)
        .await;
    if let Err(e) = served {
        tracing::debug!("a loopback connection ended: {e}");
    }
}

/// Rules 2–4: the `Host`, then the path, then the method. A method refused comes with the
/// route's `Allow`.
fn route(
    site: &Site,
    request: &hyper::Request<Incoming>,
) -> Result<usize, (Refusal, Option<String>)> {
    let refuse = |r: Refusal| (r, None);
    let mut hosts = request.headers().get_all(HOST).iter();
    let host = match (hosts.next(), hosts.next()) {
        (Some(h), None) => h.to_str().map_err(|_| refuse(Refusal::BadHost))?,
        _ => return Err(refuse(Refusal::BadHost)),
    };
    if !site
        .hosts
        .iter()
        .any(|h| h.eq_ignore_ascii_case(host.trim()))
    {
        return Err(refuse(Refusal::ForeignHost));
    }
    let path = request.uri().path();
    let (index, route) = site
        .routes
        .iter()
        .enumerate()
        .find(|(_, r)| r.path.matches(path))
        .ok_or(refuse(Refusal::NotFound))?;
    if !route.methods.contains(request.method()) {
        let allow: Vec<&str> = route.methods.iter().map(Method::as_str).collect();
        return Err((Refusal::MethodNotAllowed, Some(allow.join(", "))));
    }
    Ok(index)
}

fn request_of(request: &hyper::Request<Incoming>, route: usize) -> Request {
    let header = |name: &str| {
        request
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    Request {
        route,
        path: request.uri().path().to_owned(),
        query: request.uri().query().map(str::to_owned),
        authorization: header("authorization").map(Zeroizing::new),
        user_agent: header("user-agent"),
    }
}

/// A body that zeroes its bytes when dropped.
struct SecretBody(Zeroizing<Vec<u8>>, usize);

impl Buf for SecretBody {
    fn remaining(&self) -> usize {
        self.0.len() - self.1
    }

    fn chunk(&self) -> &[u8] {
        &self.0[self.1..]
    }

    fn advance(&mut self, n: usize) {
        self.1 = (self.1 + n).min(self.0.len());
    }
}

fn to_response(answer: Answer) -> Response<Full<SecretBody>> {
    let mut response = Response::new(Full::new(SecretBody(answer.body, 0)));
    *response.status_mut() =
        StatusCode::from_u16(answer.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let headers = response.headers_mut();
    let fixed = [
        ("content-type", answer.content_type),
        ("cache-control", "no-store"),
        ("x-content-type-options", "nosniff"),
        ("connection", "close"),
    ];
    for (name, value) in fixed {
        headers.insert(name, HeaderValue::from_static(value));
    }
    for (name, value) in answer.headers {
        match (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(&value),
        ) {
            (Ok(n), Ok(v)) => {
                headers.append(n, v);
            }
            _ => tracing::warn!("a {name} header had characters HTTP does not allow"),
        }
    }
    response
}
