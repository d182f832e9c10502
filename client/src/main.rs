//! `custos`: the Custos command-line client.

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use custos_client::{chain_info::ChainInfo, ChainClient, DEFAULT_URL};

/// Custos client: talk to a Custos chain over JSON-RPC.
///
/// Output is for people by default; add --json for a single JSON document on stdout that
/// scripts can parse. Errors go to stderr and the exit code is non-zero.
#[derive(Parser)]
#[command(name = "custos", version, after_help = AFTER_HELP)]
struct Cli {
	/// WebSocket JSON-RPC endpoint of a custos-node.
	#[arg(long, global = true, env = "CUSTOS_URL", default_value = DEFAULT_URL)]
	url: String,

	/// Print machine-readable JSON instead of text.
	#[arg(long, global = true)]
	json: bool,

	#[command(subcommand)]
	command: Command,
}

const AFTER_HELP: &str = "\
Examples:
  ./scripts/dev.sh                       # in another terminal: a dev chain on :9944
  custos chain info                      # what the node at ws://127.0.0.1:9944 reports
  custos chain info --url ws://127.0.0.1:9945 --json";

#[derive(Subcommand)]
enum Command {
	/// The chain itself.
	#[command(subcommand)]
	Chain(ChainCommand),
}

#[derive(Subcommand)]
enum ChainCommand {
	/// Chain name, genesis hash, runtime version, best and finalized block.
	Info,
}

#[tokio::main]
async fn main() -> ExitCode {
	let cli = Cli::parse();
	match run(cli).await {
		Ok(()) => ExitCode::SUCCESS,
		Err(e) => {
			eprintln!("error: {e}");
			ExitCode::FAILURE
		},
	}
}

async fn run(cli: Cli) -> anyhow::Result<()> {
	match cli.command {
		Command::Chain(ChainCommand::Info) => {
			let client = ChainClient::connect(&cli.url).await?;
			let info = ChainInfo::fetch(&client).await?;
			if cli.json {
				println!("{}", serde_json::to_string_pretty(&info)?);
			} else {
				println!("{info}");
			}
		},
	}
	Ok(())
}
