//! [`Broker`]: what `renova mcp` asks of the core. It lists the accounts shared with AI
//! assistants, makes HTTP requests with their tokens, hands a token over where the person
//! allowed it, and records every call (audit log, the account's last use, and whether this
//! client is new for the account today, which the front end tells the person of).

use std::collections::HashMap;
use std::sync::Arc;

use jiff::Timestamp;
use secrecy::SecretString;
use tokio::sync::Mutex;

use crate::core::account::AccountId;
use crate::core::assistants::{
    self, AssistantError, Checked, KnownSecrets, MIN_VALID, Request, Response,
};
use crate::core::audit::{AuditCall, AuditEntry, AuditOutcome};
use crate::core::config::{AccountConfig, Assistants, Config};
use crate::core::error::{Error, Result};
use crate::core::renova::{AccountSummary, Renova};
use crate::core::state::{AssistantUse, State};

/// A token handed to assistants: the entry `rev` it was read at, and when it expires.
type Held = (u64, SecretString, Option<Timestamp>);

/// The longest client name kept (in `state.json` and the audit log).
const CLIENT_CHARS: usize = 80;

/// A use the front end should tell the person of: the first by this client of this account
/// today.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FirstUse {
    /// The client, as it named itself.
    pub(crate) client: String,
    /// The account's name.
    pub(crate) account: String,
    /// What it did (`GET api.rd.services/platform/contacts`, `get_token`).
    pub(crate) what: String,
}

/// An answer, and whether this use is the client's first of the account today.
#[derive(Debug)]
pub(crate) struct Used<T> {
    /// The answer.
    pub(crate) answer: T,
    /// Set on the first use of the account by this client today.
    pub(crate) first_use: Option<FirstUse>,
}

/// What an account looks like to an assistant: its row of `renova list` (never a secret),
/// and where its token may go.
#[derive(Debug, Clone)]
pub(crate) struct Listed {
    /// The account, its mirror and its status.
    pub(crate) row: AccountSummary,
    /// Where its token may go.
    pub(crate) origins: Vec<String>,
}

/// One assistant session's broker (one per `renova mcp` process).
pub(crate) struct Broker {
    renova: Renova,
    known: KnownSecrets,
    /// Tokens already read, with the entry `rev` they were read at.
    tokens: Mutex<HashMap<AccountId, Held>>,
    /// When this session last wrote an account's use to `state.json`: again only a minute
    /// later (or on another day), so a burst of calls costs one write, not one each.
    recorded: std::sync::Mutex<HashMap<AccountId, Timestamp>>,
    /// The client's name and version, and its name alone.
    client: std::sync::Mutex<(String, String)>,
}

impl std::fmt::Debug for Broker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Broker").finish_non_exhaustive()
    }
}

impl Broker {
    /// A broker over this core.
    pub(crate) fn new(renova: Renova) -> Arc<Self> {
        Arc::new(Self {
            renova,
            known: KnownSecrets::default(),
            tokens: Mutex::new(HashMap::new()),
            recorded: std::sync::Mutex::new(HashMap::new()),
            client: std::sync::Mutex::new((
                "unknown client".to_owned(),
                "unknown client".to_owned(),
            )),
        })
    }

    /// Names the client (from MCP's `initialize`: its name and version), made plain.
    pub(crate) fn set_client(&self, name: &str, version: &str) {
        let plain = |text: String| -> String {
            let text: String = text
                .chars()
                .map(|c| if c.is_control() { ' ' } else { c })
                .take(CLIENT_CHARS)
                .collect();
            text.trim().to_owned()
        };
        if let Ok(mut c) = self.client.lock() {
            *c = (plain(format!("{name} {version}")), plain(name.to_owned()));
        }
    }

    /// The client's name and version.
    pub(crate) fn client(&self) -> String {
        self.client
            .lock()
            .map(|c| c.0.clone())
            .unwrap_or_else(|_| "unknown client".to_owned())
    }

    /// The client's name alone (for the notification).
    fn client_name(&self) -> String {
        self.client
            .lock()
            .map(|c| c.1.clone())
            .unwrap_or_else(|_| "unknown client".to_owned())
    }

    /// The accounts shared with assistants, with their status: never a secret.
    pub(crate) fn list(&self) -> Result<Vec<Listed>> {
        let rows = self.renova.list(self.renova.now())?;
        self.audit(None, AuditOutcome::Ok, call("list_accounts"));
        Ok(rows
            .into_iter()
            .filter(|row| row.account.assistants.shared() && !row.account.pending_delete)
            .map(|row| Listed {
                origins: assistants::origins(&row.account),
                row,
            })
            .collect())
    }

    /// `http_request`: the request sent with the account's token, the answer cleaned.
    pub(crate) async fn http_request(&self, req: &Request) -> Result<Used<Response>> {
        const TOOL: &str = "http_request";
        let started = std::time::Instant::now();
        // One read of each file for the whole call.
        let (config, state) = (self.renova.config()?, self.renova.state());
        let account = self.shared(&config, &req.account, TOOL)?;
        let refuse = |e| self.refused(&account, TOOL, e);
        let checked = assistants::check(&account, req).map_err(refuse)?;
        let rev = state.get(&account.id).rev;
        let (token, _) = self.token(&account, rev).await.map_err(refuse)?;
        let token_at = started.elapsed();
        let known = self.known.redactor(&self.renova.cx, &config, &state).await;
        let mut audit = call_of(TOOL, &checked);
        // If this call is dropped on the way (the session ends while the API is slow), the
        // request may have reached the API: the guard writes its audit line all the same.
        let guard = InFlight {
            broker: self,
            account: account.id,
            call: Some(audit.clone()),
            token: token.clone(),
        };
        let body = req.body.as_deref();
        let sent =
            assistants::send(&self.renova.cx, &account, &checked, body, &token, &known).await;
        guard.done();
        let answer = sent.map_err(refuse)?;
        let sent_at = started.elapsed();
        audit.status = Some(answer.status);
        let first_use = self.used(&account, audit, &token, checked.summary());
        tracing::debug!(
            "http_request: token after {token_at:?}, answer after {sent_at:?}, recorded after {:?}",
            started.elapsed()
        );
        Ok(Used { answer, first_use })
    }

    /// `get_token`: the token itself, for an account shared at `token`.
    pub(crate) async fn token_for(
        &self,
        name: &str,
    ) -> Result<Used<(SecretString, Option<Timestamp>)>> {
        const TOOL: &str = "get_token";
        let (config, state) = (self.renova.config()?, self.renova.state());
        let account = self.shared(&config, name, TOOL)?;
        let refuse = |e| self.refused(&account, TOOL, e);
        if account.assistants != Assistants::Token {
            let name = account.name.clone();
            return Err(refuse(AssistantError::TokenNotAllowed { name }.into()));
        }
        let (token, expires_at) = self
            .token(&account, state.get(&account.id).rev)
            .await
            .map_err(refuse)?;
        let first_use = self.used(&account, call(TOOL), &token, TOOL.into());
        Ok(Used {
            answer: (token, expires_at),
            first_use,
        })
    }

    /// The shared account of that name; a refusal is audited without an account.
    fn shared(&self, config: &Config, name: &str, tool: &'static str) -> Result<AccountConfig> {
        assistants::shared(config, name).inspect_err(|e| {
            let mut c = call(tool);
            c.refused = Some(refusal_word(e));
            self.audit(None, AuditOutcome::Refused, c);
        })
    }

    /// A token with at least 5 minutes left: the one read before if its entry has not
    /// changed since, else by `renova token`'s rules.
    async fn token(
        &self,
        account: &AccountConfig,
        rev: u64,
    ) -> Result<(SecretString, Option<Timestamp>)> {
        let now = self.renova.now();
        let mut tokens = self.tokens.lock().await;
        if let Some((_, token, expires_at)) = tokens.get(&account.id).filter(|(seen, _, at)| {
            *seen == rev
                && at
                    .is_none_or(|at| at.as_second() - now.as_second() >= MIN_VALID.as_secs() as i64)
        }) {
            return Ok((token.clone(), *expires_at));
        }
        drop(tokens);
        // Kept under the `rev` read before the fetch: if another process refreshes meanwhile,
        // the next call reads the entry again rather than trusting an older token.
        let (token, expires_at) = assistants::token(&self.renova.cx, account).await?;
        tokens = self.tokens.lock().await;
        tokens.insert(account.id, (rev, token.clone(), expires_at));
        Ok((token, expires_at))
    }

    /// Records a call that reached the account: the audit line, the account's last use,
    /// and whether this client is new for it today.
    fn used(
        &self,
        account: &AccountConfig,
        c: AuditCall,
        token: &SecretString,
        what: String,
    ) -> Option<FirstUse> {
        let client = self.client();
        let mut entry =
            AuditEntry::assistant(self.renova.now(), Some(account.id), AuditOutcome::Ok, c)
                .client(&client)
                .tokens(Some(token), None);
        entry.account = Some(account.id);
        self.renova.cx.store.audit(&entry);
        let now = self.renova.now();
        if !self.due_to_record(account.id, now) {
            return None;
        }
        let use_ = AssistantUse {
            at: now,
            client: client.clone(),
            what: what.clone(),
        };
        let first = State::record_assistant_use(self.renova.cx.store.paths(), &account.id, use_)
            .unwrap_or(false);
        first.then(|| FirstUse {
            client: self.client_name(),
            account: account.name.clone(),
            what,
        })
    }

    /// Whether this use goes to `state.json`: the first of this session for the account, or
    /// the first for a minute, or the first of a new day (whose notification it claims).
    fn due_to_record(&self, id: AccountId, now: Timestamp) -> bool {
        let Ok(mut recorded) = self.recorded.lock() else {
            return true;
        };
        let day = |t: Timestamp| t.as_second().div_euclid(86_400);
        let due = recorded
            .get(&id)
            .is_none_or(|last| now.as_second() - last.as_second() >= 60 || day(*last) != day(now));
        if due {
            recorded.insert(id, now);
        }
        due
    }

    /// Audits a refused or failed call on a shared account, and gives the error back.
    fn refused(&self, account: &AccountConfig, tool: &'static str, e: Error) -> Error {
        let mut c = call(tool);
        c.refused = Some(refusal_word(&e));
        self.audit(Some(account.id), AuditOutcome::Refused, c);
        e
    }

    fn audit(&self, account: Option<AccountId>, outcome: AuditOutcome, c: AuditCall) {
        let entry =
            AuditEntry::assistant(self.renova.now(), account, outcome, c).client(&self.client());
        self.renova.cx.store.audit(&entry);
    }
}

/// A request on its way to the API: dropped before [`InFlight::done`], it writes the call's
/// audit line as interrupted.
struct InFlight<'a> {
    broker: &'a Broker,
    account: AccountId,
    call: Option<AuditCall>,
    token: SecretString,
}

impl InFlight<'_> {
    fn done(mut self) {
        self.call = None;
    }
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        if let Some(mut c) = self.call.take() {
            c.refused = Some("interrupted");
            let entry = AuditEntry::assistant(
                self.broker.renova.now(),
                Some(self.account),
                AuditOutcome::Transient,
                c,
            )
            .client(&self.broker.client())
            .tokens(Some(&self.token), None);
            self.broker.renova.cx.store.audit(&entry);
        }
    }
}

fn call(tool: &'static str) -> AuditCall {
    AuditCall {
        tool,
        ..AuditCall::default()
    }
}

fn call_of(tool: &'static str, checked: &Checked) -> AuditCall {
    AuditCall {
        tool,
        method: Some(checked.method().to_owned()),
        origin: Some(checked.origin.clone()),
        path: Some(checked.path().to_owned()),
        ..AuditCall::default()
    }
}

/// A word for the audit log: why Renova refused or could not make the call.
fn refusal_word(e: &Error) -> &'static str {
    match e {
        Error::Assistant(a) => match a {
            AssistantError::NotShared { .. } => "not_shared",
            AssistantError::TokenNotAllowed { .. } => "token_not_allowed",
            AssistantError::NoOrigins { .. } => "no_origins",
            AssistantError::OriginNotAllowed { .. } => "origin_not_allowed",
            AssistantError::BadUrl { .. } => "bad_url",
            AssistantError::BadMethod(_) => "bad_method",
            AssistantError::HeaderRefused(_) => "header_refused",
            AssistantError::BadHeader(_) => "bad_header",
            AssistantError::Redirected { .. } => "redirected",
            AssistantError::Unreachable { .. } => "unreachable",
        },
        other => other.class().code(),
    }
}
