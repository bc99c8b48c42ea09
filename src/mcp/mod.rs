//! `renova mcp`: an MCP server on stdio (rmcp) through which AI assistants use the accounts a
//! person shared with them, without seeing their tokens. It only renders the core's
//! [`Broker`]: which accounts are shared, the request made with the token, the token where
//! allowed, the audit, and the first use of a day told as a desktop notification. Logs go to
//! stderr; stdout carries the protocol only.

mod tools;

use std::sync::Arc;

use rmcp::model::{
    CallToolRequestParams, CallToolResponse, CallToolResult, ContentBlock, Implementation,
    InitializeRequestParams, InitializeResult, ListToolsResult, PaginatedRequestParams,
    ServerCapabilities, ServerConfig,
};
use rmcp::service::RequestContext;
use rmcp::{ErrorData, RoleServer, ServerHandler, ServiceExt};
use secrecy::ExposeSecret;
use serde_json::{Map, Value, json};

use crate::core::assistants::Request;
use crate::core::config::Assistants;
use crate::core::error::Error;
use crate::core::renova::{Broker, FirstUse, Renova};
use crate::i18n::{Lang, Surface, T, explain_for};
use crate::platform::desktop::Desktop;

/// What the server tells a client about itself when it connects.
const INSTRUCTIONS: &str = "Renova holds API credentials (RD Station Marketing, RD Station CRM, \
other OAuth 2.0 APIs) for the person. Call list_accounts to see which accounts they shared, \
then http_request to call an account's API: Renova adds a valid token itself. Never ask the \
person for a token or a secret.";

/// The server: the broker, the person's language, and where notifications go.
#[derive(Clone)]
struct Server {
    broker: Arc<Broker>,
    renova: Renova,
    lang: Lang,
    desktop: Arc<dyn Desktop>,
    /// Tool calls still running: when the client goes, they finish (and are audited) before
    /// the process ends.
    running: Arc<Running>,
}

/// A count of the tool calls running, and a wake-up when it reaches zero.
#[derive(Default)]
struct Running {
    count: std::sync::atomic::AtomicUsize,
    idle: tokio::sync::Notify,
}

/// One running tool call; dropping it (done or cancelled) counts it out.
struct Call(Arc<Running>);

impl Running {
    fn enter(self: &Arc<Self>) -> Call {
        self.count.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        Call(self.clone())
    }

    /// Waits until no call runs.
    async fn idle(&self) {
        loop {
            let notified = self.idle.notified();
            if self.count.load(std::sync::atomic::Ordering::SeqCst) == 0 {
                return;
            }
            notified.await;
        }
    }
}

impl Drop for Call {
    fn drop(&mut self) {
        if self
            .0
            .count
            .fetch_sub(1, std::sync::atomic::Ordering::SeqCst)
            == 1
        {
            self.0.idle.notify_waiters();
        }
    }
}

/// How long calls still running may take once the client has gone (the HTTP timeout, and a
/// margin).
const FINISH_FOR: std::time::Duration = std::time::Duration::from_secs(25);

/// Serves MCP on stdin/stdout until the client closes stdin. Returns the exit code.
pub(crate) async fn serve(renova: Renova, lang: Lang, desktop: Arc<dyn Desktop>) -> u8 {
    let server = Server {
        broker: Broker::new(renova.clone()),
        renova,
        lang,
        desktop,
        running: Arc::default(),
    };
    let calls = server.running.clone();
    let running = match server.serve(rmcp::transport::stdio()).await {
        Ok(r) => r,
        Err(e) => {
            tracing::error!("the MCP session did not start: {e}");
            return 1;
        }
    };
    let ended = running.waiting().await;
    if tokio::time::timeout(FINISH_FOR, calls.idle())
        .await
        .is_err()
    {
        tracing::warn!("tool calls still running after the client left were abandoned");
    }
    match ended {
        Ok(reason) => {
            tracing::info!("the MCP session ended: {reason:?}");
            0
        }
        Err(e) => {
            tracing::error!("the MCP session failed: {e}");
            1
        }
    }
}

impl ServerHandler for Server {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(ServerCapabilities::builder().enable_tools().build())
            .with_server_info(Implementation::new("renova", env!("CARGO_PKG_VERSION")))
            .with_instructions(INSTRUCTIONS)
    }

    async fn initialize(
        &self,
        request: InitializeRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<InitializeResult, ErrorData> {
        self.broker
            .set_client(&request.client_info.name, &request.client_info.version);
        context.peer.set_peer_info(request.clone());
        self.negotiate_initialize(&request)
    }

    async fn list_tools(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListToolsResult, ErrorData> {
        Ok(ListToolsResult::with_all_items(tools::all()))
    }

    async fn call_tool(
        &self,
        request: CallToolRequestParams,
        _context: RequestContext<RoleServer>,
    ) -> Result<CallToolResponse, ErrorData> {
        let _call = self.running.enter();
        let args = request.arguments.unwrap_or_default();
        let result = match request.name.as_ref() {
            tools::LIST => self.list(),
            tools::REQUEST => self.request(&args).await,
            tools::TOKEN => self.token(&args).await,
            other => {
                return Err(ErrorData::invalid_params(
                    format!("there is no tool named {other}"),
                    None,
                ));
            }
        };
        Ok(result.into())
    }
}

impl Server {
    fn list(&self) -> CallToolResult {
        let rows = match self.broker.list() {
            Ok(rows) => rows,
            Err(e) => return self.failure(&e, ""),
        };
        let now = self.renova.now();
        let accounts: Vec<Value> = rows
            .iter()
            .map(|listed| {
                let row = &listed.row;
                // The person's words for it, never the provider's (which an assistant could
                // take for instructions).
                let attention = row.status.attention.map(|a| {
                    let said = crate::i18n::attention::trouble(
                        &row.account,
                        &row.state,
                        &row.status,
                        now,
                        self.lang,
                        Surface::Cli,
                    );
                    json!({
                        "cause": a.cause,
                        "action": a.action,
                        "says": said.map(|t| t.sentence),
                        "who_acts": T::McpPersonActs.tr(self.lang),
                    })
                });
                json!({
                    "name": row.account.name,
                    "provider": row.account.provider.id(),
                    "state": row.status.condition.as_str(),
                    "state_text": crate::i18n::attention::state_text(&row.status, self.lang, now),
                    "attention": attention,
                    "expires_at": row.state.expires_at.map(|t| t.to_string()),
                    "seconds_left": row.status.seconds_left,
                    "allowed_origins": listed.origins,
                    "get_token_allowed": row.account.assistants == Assistants::Token,
                })
            })
            .collect();
        CallToolResult::structured(json!({ "accounts": accounts }))
    }

    async fn request(&self, args: &Map<String, Value>) -> CallToolResult {
        // A body or headers of the wrong shape are refused, never dropped: a PUT sent with an
        // empty body instead of the one meant can wipe data.
        let wrong = |what: &str| {
            CallToolResult::error(vec![ContentBlock::text(
                T::McpBadArgument.fill(self.lang, &[("what", what)]),
            )])
        };
        if args
            .get("body")
            .is_some_and(|b| !b.is_string() && !b.is_null())
        {
            return wrong("body");
        }
        if args
            .get("headers")
            .is_some_and(|h| !h.is_object() && !h.is_null())
        {
            return wrong("headers");
        }
        let text = |k: &str| args.get(k).and_then(Value::as_str).unwrap_or_default();
        let headers = args
            .get("headers")
            .and_then(Value::as_object)
            .map(|h| {
                h.iter()
                    .map(|(k, v)| {
                        let v = v.as_str().map_or_else(|| v.to_string(), str::to_owned);
                        (k.clone(), v)
                    })
                    .collect()
            })
            .unwrap_or_default();
        let req = Request {
            account: text("account").to_owned(),
            method: text("method").to_owned(),
            url: text("url").to_owned(),
            headers,
            body: args.get("body").and_then(Value::as_str).map(str::to_owned),
        };
        match self.broker.http_request(&req).await {
            Ok(used) => {
                self.tell(used.first_use).await;
                let r = used.answer;
                let headers: Map<String, Value> = r
                    .headers
                    .iter()
                    .map(|(k, v)| (k.clone(), Value::String(v.clone())))
                    .collect();
                let mut out = json!({
                    "status": r.status,
                    "content_type": r.content_type,
                    "headers": headers,
                    "body": r.body,
                    "truncated": r.cut,
                });
                if r.redacted {
                    out["note"] = json!(T::McpRedacted.tr(self.lang));
                }
                if r.cut {
                    out["truncated_note"] = json!(T::McpTruncated.tr(self.lang));
                }
                if r.withheld {
                    out["withheld_note"] = json!(T::McpWithheld.tr(self.lang));
                }
                CallToolResult::structured(out)
            }
            Err(e) => self.failure(&e, &req.account),
        }
    }

    async fn token(&self, args: &Map<String, Value>) -> CallToolResult {
        let name = args
            .get("account")
            .and_then(Value::as_str)
            .unwrap_or_default();
        match self.broker.token_for(name).await {
            Ok(used) => {
                self.tell(used.first_use).await;
                let (token, expires_at) = used.answer;
                CallToolResult::structured(json!({
                    "access_token": token.expose_secret(),
                    "expires_at": expires_at.map(|at| at.to_string()),
                }))
            }
            Err(e) => self.failure(&e, name),
        }
    }

    /// A tool error: the core's cause and the one thing to do, in the person's language.
    fn failure(&self, e: &Error, name: &str) -> CallToolResult {
        let said = explain_for(Surface::Cli, e, self.lang, name);
        CallToolResult::error(vec![ContentBlock::text(said.line())])
    }

    /// The first use of an account by a client today, as a desktop notification.
    async fn tell(&self, first: Option<FirstUse>) {
        let Some(first) = first else {
            return;
        };
        let summary = T::McpFirstUse.fill(
            self.lang,
            &[
                ("client", &first.client),
                ("name", &first.account),
                ("what", &first.what),
            ],
        );
        let body = T::McpFirstUseBody.tr(self.lang).to_owned();
        let desktop = self.desktop.clone();
        // Awaited (it happens once a day per client and account): a session that ends right
        // after this call must not take the notification with it.
        let _ = tokio::task::spawn_blocking(move || desktop.notify(&summary, &body)).await;
    }
}
