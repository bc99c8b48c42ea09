//! `renova`: parses the command line, then runs a command or opens the window.

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use renova::cli::Cli;
use renova::i18n::Lang;

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging();
    let lang = Lang::from_system();
    let Some(command) = cli.command else {
        return ExitCode::from(renova::gui::run(cli.demo));
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "renova: cannot start: {e}");
            return ExitCode::from(1);
        }
    };
    let code = runtime.block_on(renova::cli::run(command, lang));
    let _ = std::io::stdout().flush();
    // Do not wait for a keychain call that timed out and may never return.
    runtime.shutdown_background();
    ExitCode::from(code)
}

/// Logs go to stderr, quiet by default; `RENOVA_LOG=debug` shows more. Secrets are wrapped
/// types that print as `[REDACTED]`, so no log line can carry one.
fn init_logging() {
    // Libraries that see request bytes (HTTP, TLS, D-Bus) never log below error, whatever
    // RENOVA_LOG asks: their trace output can contain headers and message bodies.
    // By default only Renova's own warnings, and other crates' errors (the windowing stack
    // warns about harmless things like a missing accessibility bus).
    let wanted = std::env::var("RENOVA_LOG").unwrap_or_else(|_| "error,renova=warn".to_owned());
    let filter = tracing_subscriber::EnvFilter::try_new(format!(
        "{wanted},hyper=error,hyper_util=error,reqwest=error,rustls=error,h2=error,zbus=error,secret_service=error"
    ))
    .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(false)
        .without_time()
        .try_init();
}
