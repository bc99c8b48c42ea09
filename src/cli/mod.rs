//! The command line (README, "The command line"): argument parsing, then one file per command, each a thin
//! call into the core. Secrets never come as arguments: they come on standard input (or a
//! hidden prompt). Errors are explained in the user's language and mapped to exit codes.

mod add;
mod agent;
mod authorize;
mod check;
mod completions;
mod doctor;
mod edit;
mod endpoint;
mod expiry;
mod help;
mod input;
mod list;
mod output;
mod postman_key;
mod refresh;
mod remove;
mod revoke;
mod run;
mod token;

use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::core::accounts::AccountSettings;
use crate::core::config::{ClientAuth, ProviderKind};
use crate::core::error::Error;
use crate::core::renova::Renova;
use crate::i18n::{E, Lang, T};
pub(crate) use expiry::ExpiryFlags;

pub(crate) use output::Out;

/// Keeps OAuth access tokens alive: secrets in the OS keychain, a live countdown, refresh by
/// click or on its own, copy or print for scripts.
#[derive(Debug, Parser)]
#[command(
    name = "renova",
    version,
    about = "Keeps OAuth access tokens alive (RD Station Marketing, RD Station CRM, any OAuth 2.0 provider), secrets in the OS keychain.",
    long_about = None,
    after_help = "Exit codes: 0 ok · 1 other error · 2 usage · 3 authorize again · 4 provider unreachable or failing · 5 keychain unavailable or locked · 6 no such account.\n\nExample (the token never appears in a command line):\n  curl -H @<(renova token loja --format header) \"$URL\""
)]
pub struct Cli {
    /// Open the window on a built-in demo provider (no keychain, your accounts untouched).
    #[arg(long)]
    pub demo: bool,
    /// What to do; with none, the window opens.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Add an account. Standard input: line 1 the client secret, line 2 the refresh token
    /// (blank or absent: authorize later).
    Add(AddArgs),
    /// Change an account's settings; --secrets reads new secrets from standard input.
    Edit(EditArgs),
    /// Get tokens by authorizing in the browser (RD Station's authorization dialog).
    #[command(long_about = help::AUTHORIZE)]
    Authorize(AuthorizeArgs),
    /// List accounts and their token state (no keychain access; works while it is locked).
    List(ListArgs),
    /// Print a valid access token, refreshing only when needed.
    Token(TokenArgs),
    /// Refresh now (NAME), or every account within its lead time (--due, for a timer).
    Refresh(RefreshArgs),
    /// Ask the provider which account the token belongs to.
    Check(NameArg),
    /// Revoke the tokens at the provider and delete both stored tokens.
    Revoke(NameArg),
    /// Delete an account and its keychain entry.
    Remove(NameArg),
    /// Diagnose the keychain, the settings and every account.
    Doctor(DoctorArgs),
    /// Store the Postman API key (standard input or a hidden prompt) and show whose it is.
    PostmanKey(PostmanKeyArgs),
    /// Keep tokens fresh in the background (no window), with a tray icon where there is one.
    Agent(AgentArgs),
    /// The local token endpoint (served by the agent on 127.0.0.1): on, off, status, key.
    #[command(subcommand)]
    Endpoint(EndpointCommand),
    /// Run a command with a valid token in its environment (ACCESS_TOKEN by default), never
    /// in its arguments; exits with the command's exit code.
    Run(RunArgs),
    /// Let AI assistants use shared accounts without seeing their tokens: an MCP server on
    /// standard input and output, for an MCP client to start.
    #[command(long_about = help::MCP)]
    Mcp,
    /// Print a shell completion script.
    Completions(CompletionsArgs),
}

/// An account name.
#[derive(Debug, Args)]
pub struct NameArg {
    /// Account name.
    pub name: String,
}

/// Provider choice on the command line.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ProviderArg {
    /// RD Station Marketing.
    Rdstation,
    /// RD Station CRM v2.
    RdstationCrm,
    /// Any OAuth 2.0 provider.
    Oauth2,
    /// A static token (no refresh), sent as Bearer; read from standard input.
    Static,
    /// RD Station CRM v1: a static instance token, sent as `?token=`.
    #[value(name = "rdstation-crm-v1")]
    RdstationCrmV1,
    /// RD Station Conversas API v2: a static JWT, sent as Bearer.
    #[value(name = "rdstation-conversas")]
    RdstationConversas,
}

impl From<ProviderArg> for ProviderKind {
    fn from(p: ProviderArg) -> Self {
        match p {
            ProviderArg::Rdstation => ProviderKind::RdStation,
            ProviderArg::RdstationCrm => ProviderKind::RdStationCrm,
            ProviderArg::Oauth2 => ProviderKind::OAuth2,
            ProviderArg::Static => ProviderKind::Static,
            ProviderArg::RdstationCrmV1 => ProviderKind::RdStationCrmV1,
            ProviderArg::RdstationConversas => ProviderKind::RdStationConversas,
        }
    }
}

/// Client authentication on the command line.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ClientAuthArg {
    /// client_id and client_secret in the form body.
    Body,
    /// HTTP Basic.
    Basic,
    /// Public client, no secret.
    None,
}

impl From<ClientAuthArg> for ClientAuth {
    fn from(c: ClientAuthArg) -> Self {
        match c {
            ClientAuthArg::Body => ClientAuth::Body,
            ClientAuthArg::Basic => ClientAuth::Basic,
            ClientAuthArg::None => ClientAuth::None,
        }
    }
}

/// Flags shared by `add` and `edit`.
#[derive(Debug, Args)]
pub struct ProviderFlags {
    /// Provider of the account.
    #[arg(long, value_enum)]
    pub provider: Option<ProviderArg>,
    /// Base URL of the provider's API (default https://api.rd.services; RD Station CRM v1
    /// https://crm.rdstation.com/api/v1; RD Station Conversas https://api.tallos.com.br/v2).
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// Token endpoint (oauth2).
    #[arg(long, value_name = "URL")]
    pub token_url: Option<String>,
    /// Authorization endpoint (oauth2).
    #[arg(long, value_name = "URL")]
    pub authorize_url: Option<String>,
    /// Revocation endpoint, RFC 7009 (oauth2).
    #[arg(long, value_name = "URL")]
    pub revoke_url: Option<String>,
    /// Endpoint that names the account (oauth2).
    #[arg(long, value_name = "URL")]
    pub check_url: Option<String>,
    /// Redirect URI registered with the provider (default http://127.0.0.1:8787/callback).
    #[arg(long, value_name = "URI")]
    pub redirect_uri: Option<String>,
    /// Client authentication at the token endpoint (oauth2).
    #[arg(long, value_enum)]
    pub client_auth: Option<ClientAuthArg>,
    /// Scope to request (oauth2; repeat for several).
    #[arg(long = "scope", value_name = "S")]
    pub scopes: Vec<String>,
}

impl ProviderFlags {
    fn settings(&self) -> AccountSettings {
        AccountSettings {
            provider: self.provider.map(Into::into),
            base_url: self.base_url.clone(),
            token_url: self.token_url.clone(),
            authorize_url: self.authorize_url.clone(),
            revoke_url: self.revoke_url.clone(),
            check_url: self.check_url.clone(),
            redirect_uri: self.redirect_uri.clone(),
            client_auth: self.client_auth.map(Into::into),
            scopes: (!self.scopes.is_empty()).then(|| self.scopes.clone()),
            ..AccountSettings::default()
        }
    }
}

/// `renova add`.
#[derive(Debug, Args)]
pub struct AddArgs {
    /// Account name: lowercase letters, digits, “.”, “_”, “-”.
    pub name: String,
    /// OAuth client id (not secret; not for a static token).
    #[arg(long, value_name = "ID")]
    pub client_id: Option<String>,
    #[command(flatten)]
    /// When a static token expires.
    pub expiry: ExpiryFlags,
    #[command(flatten)]
    /// Provider settings.
    pub flags: ProviderFlags,
    /// Do not refresh this account on its own.
    #[arg(long)]
    pub no_auto_refresh: bool,
}

/// `renova edit`.
#[derive(Debug, Args)]
pub struct EditArgs {
    /// Account name.
    pub name: String,
    /// New OAuth client id.
    #[arg(long, value_name = "ID")]
    pub client_id: Option<String>,
    #[command(flatten)]
    /// Provider settings.
    pub flags: ProviderFlags,
    /// New name.
    #[arg(long, value_name = "NEW")]
    pub rename: Option<String>,
    /// Read new secrets from standard input (line 1 client secret, line 2 refresh token;
    /// a blank line keeps what is stored). For a static token: the new token.
    #[arg(long)]
    pub secrets: bool,
    #[command(flatten)]
    /// When a new static token expires (with --secrets).
    pub expiry: ExpiryFlags,
    /// Refresh this account on its own.
    #[arg(long, conflicts_with = "no_auto_refresh")]
    pub auto_refresh: bool,
    /// Do not refresh this account on its own.
    #[arg(long)]
    pub no_auto_refresh: bool,
    /// Refresh this long before expiry (e.g. 10m).
    #[arg(long, value_name = "DURATION", value_parser = parse_duration_arg)]
    pub lead_time: Option<Duration>,
    /// Send each new access token to this Postman environment (its id).
    #[arg(long, value_name = "ID", conflicts_with = "no_postman")]
    pub postman_env: Option<String>,
    /// The Postman variable to write (default rd_access_token).
    #[arg(long, value_name = "NAME", conflicts_with = "no_postman")]
    pub postman_var: Option<String>,
    /// Stop sending tokens to Postman.
    #[arg(long)]
    pub no_postman: bool,
    /// Keep syncing although the Postman environment is in a workspace others can see (your
    /// teammates will see the token); remembered for this account.
    #[arg(long, conflicts_with = "no_postman")]
    pub postman_shared_ok: bool,
    /// What AI assistants may do with it through `renova mcp`: off (default: they do not see
    /// it), call (requests through Renova with its token), token (also read the token).
    #[arg(long, value_enum, value_name = "off|call|token")]
    pub assistants: Option<AssistantsArg>,
    /// Origins assistants may send its token to, comma-separated (default: the provider's
    /// API, https://api.rd.services for RD; none for oauth2). An empty value restores it.
    #[arg(long, value_name = "ORIGINS")]
    pub assistant_origins: Option<String>,
}

/// `--assistants`.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum AssistantsArg {
    /// Not shared.
    Off,
    /// Requests through Renova.
    Call,
    /// Requests, and the token itself.
    Token,
}

/// `renova authorize`.
#[derive(Debug, Args)]
pub struct AuthorizeArgs {
    /// Account name.
    pub name: String,
    /// Only print the address to open; do not start a browser.
    #[arg(long)]
    pub no_browser: bool,
    /// Port of the listener on 127.0.0.1 (default 8787).
    #[arg(long, value_name = "N")]
    pub port: Option<u16>,
}

/// `renova list`.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// Machine-readable output.
    #[arg(long)]
    pub json: bool,
}

/// Output form of `renova token`.
#[derive(Debug, Clone, Copy, ValueEnum, Default, PartialEq, Eq)]
pub enum TokenFormat {
    /// The token alone.
    #[default]
    Raw,
    /// `Authorization: Bearer …`.
    Header,
    /// A curl command line.
    Curl,
    /// `{"Authorization": "Bearer …"}`, for clients that run a command to get headers (such
    /// as Claude Code's `headersHelper`).
    HeadersJson,
}

/// `renova token`.
#[derive(Debug, Args)]
pub struct TokenArgs {
    /// Account name.
    pub name: String,
    /// What to print.
    #[arg(long, value_enum, default_value_t)]
    pub format: TokenFormat,
    /// Refresh first unless the token stays valid this long (90s, 15m, 25h).
    #[arg(long, value_name = "DURATION", default_value = "5m", value_parser = parse_duration_arg)]
    pub min_valid: Duration,
}

/// `renova endpoint …`.
#[derive(Debug, Subcommand)]
pub enum EndpointCommand {
    /// Turn it on (the agent serves it while it runs).
    On {
        /// The port on 127.0.0.1 (8788 by default).
        #[arg(long)]
        port: Option<u16>,
    },
    /// Turn it off.
    Off,
    /// Whether it is on, where, and whether an agent serves it now.
    Status,
    /// Print the key callers send as `Authorization: Bearer KEY` (made on first use).
    Key {
        /// Replace it: the old key stops working.
        #[arg(long)]
        rotate: bool,
    },
}

/// `renova run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// Account whose token goes in the variable (ACCESS_TOKEN, or the one --env names).
    pub name: Option<String>,
    /// VAR: the variable for NAME's token; VAR=NAME: another account's token (repeatable).
    #[arg(long = "env", value_name = "VAR[=NAME]")]
    pub env: Vec<String>,
    /// Refresh first unless each token stays valid this long (90s, 15m, 25h).
    #[arg(long, value_name = "DURATION", default_value = "5m", value_parser = parse_duration_arg)]
    pub min_valid: Duration,
    /// The command and its arguments, after `--`.
    #[arg(last = true, required = true, value_name = "CMD")]
    pub command: Vec<std::ffi::OsString>,
}

/// `renova refresh`.
#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("which").required(true).args(["name", "due"])))]
pub struct RefreshArgs {
    /// Account name.
    pub name: Option<String>,
    /// Refresh every account within its lead time.
    #[arg(long)]
    pub due: bool,
}

/// `renova doctor`.
#[derive(Debug, Args)]
pub struct DoctorArgs {
    /// Also mend what can be mended safely (delete keychain entries that belong to no account).
    #[arg(long)]
    pub fix: bool,
}

/// `renova agent`.
#[derive(Debug, Args)]
#[group(multiple = false)]
pub struct AgentArgs {
    /// Exit 0 if an agent is running, 1 if none is.
    #[arg(long)]
    pub status: bool,
    /// Start the agent at login from now on (an XDG autostart entry on Linux).
    #[arg(long)]
    pub install: bool,
    /// Stop starting the agent at login.
    #[arg(long)]
    pub uninstall: bool,
}

/// `renova postman-key`.
#[derive(Debug, Args)]
pub struct PostmanKeyArgs {
    /// Delete the stored key instead.
    #[arg(long)]
    pub remove: bool,
}

/// `renova completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// Shell.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

fn parse_duration_arg(s: &str) -> Result<Duration, String> {
    let lang = Lang::from_system();
    crate::core::clock::parse_duration(s).ok_or_else(|| {
        format!(
            "{} — {}",
            E::ErrBadDuration.fill(lang, &[("value", s)]),
            E::ErrBadDurationFix.tr(lang)
        )
    })
}

/// Runs a command and returns the process exit code.
pub async fn run(command: Command, lang: Lang) -> u8 {
    let out = Out::new(lang);
    if let Command::Completions(args) = &command {
        return completions::run(args, &out);
    }
    let renova =
        match Renova::from_env().map(|r| r.with_callback_pages(crate::i18n::callback::page)) {
            Ok(r) => r,
            Err(e) => return out.fail(&e, ""),
        };
    let waiting = out;
    let renova = renova.on_keychain_wait(move || waiting.note(T::WaitingForKeychain.tr(lang)));
    // Finish interrupted removals where it cannot slow a script down (never in `token`).
    let finishes_removals = match &command {
        Command::Add(_) | Command::Remove(_) | Command::Doctor(_) => true,
        Command::Refresh(r) => r.due,
        _ => false,
    };
    if finishes_removals {
        renova.accounts().finish_pending_removals().await;
    }
    let (name, result): (String, Result<(), Error>) = match command {
        Command::Add(a) => (a.name.clone(), add::run(&renova, &a, &out).await),
        Command::Edit(a) => (a.name.clone(), edit::run(&renova, &a, &out).await),
        Command::Authorize(a) => (a.name.clone(), authorize::run(&renova, &a, &out).await),
        Command::List(a) => (String::new(), list::run(&renova, &a, &out)),
        Command::Token(a) => (a.name.clone(), token::run(&renova, &a, &out).await),
        Command::Refresh(a) => (
            a.name.clone().unwrap_or_default(),
            refresh::run(&renova, &a, &out).await,
        ),
        Command::Check(a) => (a.name.clone(), check::run(&renova, &a.name, &out).await),
        Command::Revoke(a) => (a.name.clone(), revoke::run(&renova, &a.name, &out).await),
        Command::Remove(a) => (a.name.clone(), remove::run(&renova, &a.name, &out).await),
        Command::Doctor(a) => return doctor::run(&renova, &a, &out).await,
        Command::Agent(a) => return agent::run(renova, &a, &out).await,
        Command::Run(a) => return run::run(&renova, &a, &out).await,
        Command::Endpoint(c) => return endpoint::run(&renova, &c, &out).await,
        Command::PostmanKey(a) => (String::new(), postman_key::run(&renova, &a, &out).await),
        Command::Mcp => {
            return crate::mcp::serve(
                renova,
                lang,
                std::sync::Arc::new(crate::platform::desktop::SystemDesktop::default()),
            )
            .await;
        }
        Command::Completions(_) => return 0,
    };
    match result {
        Ok(()) => 0,
        Err(e) => out.fail(&e, &name),
    }
}
