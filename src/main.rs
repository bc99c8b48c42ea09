//! `renova`: parses the command line, then runs a command or opens the window.

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use renova::Cli;
use renova::Lang;

fn main() -> ExitCode {
    init_logging();
    renova::no_core_dumps();
    let cli = Cli::parse();
    let lang = Lang::from_system();
    let Some(command) = cli.command else {
        let window = if cli.demo {
            renova::Window::Demo
        } else {
            renova::Window::Accounts
        };
        return ExitCode::from(renova::run_window(window));
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            let detail = e.to_string();
            let text = renova::E::ErrCannotStart.fill(lang, &[("detail", &detail)]);
            let _ = writeln!(std::io::stderr(), "renova: {text}");
            return ExitCode::from(1);
        }
    };
    let code = runtime.block_on(renova::run_command(command, lang));
    let _ = std::io::stdout().flush();
    // Do not wait for a keychain call that timed out and may never return.
    runtime.shutdown_background();
    ExitCode::from(code)
}

/// Logs go to stderr, quiet by default; `RENOVA_LOG=debug` (or `renova=trace`, `info,zbus=off`…)
/// shows more. Secrets are wrapped types that print as `[REDACTED]`, so no log line can carry
/// one.
fn init_logging() {
    use tracing_subscriber::layer::SubscriberExt as _;
    use tracing_subscriber::util::SubscriberInitExt as _;
    // By default only Renova's own warnings, and other crates' errors (the windowing stack
    // warns about harmless things like a missing accessibility bus). Libraries that see request
    // bytes (HTTP, TLS, D-Bus) never log below error, whatever RENOVA_LOG asks: their trace
    // output can contain headers and message bodies. MCP's SDK logs whole tool results (a
    // get_token answer holds the token) below warn.
    let wanted = std::env::var("RENOVA_LOG").unwrap_or_else(|_| "error,renova=warn".to_owned());
    let caps = "hyper=error,hyper_util=error,reqwest=error,rustls=error,h2=error,zbus=error,secret_service=error,rmcp=warn";
    let targets: tracing_subscriber::filter::Targets =
        format!("{wanted},{caps}").parse().unwrap_or_else(|_| {
            tracing_subscriber::filter::Targets::new().with_default(tracing::Level::ERROR)
        });
    let _ = tracing_subscriber::registry()
        .with(
            tracing_subscriber::fmt::layer()
                .with_writer(std::io::stderr)
                .with_target(false)
                .without_time(),
        )
        .with(targets)
        .try_init();
}
