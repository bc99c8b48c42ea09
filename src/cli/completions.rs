//! `renova completions SHELL`.

use clap::CommandFactory;

use crate::cli::{Cli, CompletionsArgs, Out};

/// Runs the command.
pub(super) fn run(args: &CompletionsArgs, _out: &Out) -> u8 {
    let mut cmd = Cli::command();
    clap_complete::generate(args.shell, &mut cmd, "renova", &mut std::io::stdout());
    0
}
