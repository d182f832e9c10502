//! `custos-load`: drives a running local testnet (`./scripts/testnet.sh --short-delay`, best as
//! a release build: `CUSTOS_PROFILE=release`) and prints what it measured.
//!
//! - `custos-load run`: many owners escrowing at once (n = 5, t = 3, on-chain and
//!   custodian-held) while recoveries run, with a progress line; then sustained escrows per
//!   second, the most escrows in one block, inclusion and finality latency (p50/p95), failed or
//!   lost operations, and each node's resident memory and database size before and after.
//! - `custos-load import-cost`: for each call found in a range of blocks, the time the node
//!   takes to execute (import) the block holding most of them, per call, beside the call's
//!   benchmarked weight.

mod import_cost;
mod run;

use clap::{Parser, Subcommand};

/// Load a running local testnet and measure it.
#[derive(Parser)]
struct Args {
	#[command(subcommand)]
	command: Command,
}

#[derive(Subcommand)]
enum Command {
	/// Many owners escrowing and recoveries running at once; throughput, latency, node cost.
	Run(run::RunArgs),
	/// Import time per call, measured on the node, beside each call's weight.
	ImportCost(import_cost::ImportCostArgs),
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
	match Args::parse().command {
		Command::Run(args) => run::run(args).await,
		Command::ImportCost(args) => import_cost::run(args).await,
	}
}
