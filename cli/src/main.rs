//! `custos`: the Custos command-line client.
//!
//! [`cli`] holds the clap types (typed arguments, with the accepted values in `--help`);
//! [`commands`] has one module per command group, each returning a report that prints as text
//! or, with `--json`, as JSON.

mod cli;
mod commands;

use std::process::ExitCode;

use clap::{error::ErrorKind, CommandFactory, Parser};

#[tokio::main]
async fn main() -> ExitCode {
	let cli = cli::Cli::parse();
	if let Err(reason) = cli.check_stdin() {
		cli::Cli::command().error(ErrorKind::ArgumentConflict, reason).exit();
	}
	match commands::run(cli).await {
		Ok(()) => ExitCode::SUCCESS,
		Err(e) => {
			eprintln!("error: {e}");
			ExitCode::FAILURE
		},
	}
}
