//! `custos-load run`: N owners escrowing at once (n = 5, t = 3, half on chain and half
//! custodian-held) and M recoveries running beside them against a local testnet, with a
//! progress line; then sustained escrows per second, the most escrows included in one block,
//! p50/p95 of inclusion and finality latency, failed and lost operations (the command fails
//! unless both are 0), and each node's resident memory and disk before and after.
//!
//! The steps: connect to every node and read the chain's floors and custodians; measure the
//! nodes; fund every account the run uses from the funder in one go; start the owners (each
//! creating its escrows one after another) and the recoveries (each waiting for an escrow of
//! its guardian); once all are done, read every escrow created back from the finalized state;
//! measure the nodes again; print.

mod accounts;
mod funding;
mod ledger;
mod network;
mod node_cost;
mod owners;
mod progress_line;
mod recoveries;
mod report;
mod stats;
mod timeline;
mod verify;

use std::{sync::Arc, time::Instant};

use anyhow::Context;
use custos_client::ChainClient;
use custos_runtime::{BlockNumber, Runtime};
use frame_support::traits::Get;
use sp_core::{sr25519, Pair};
use tokio::{sync::Semaphore, task::JoinHandle};

use self::{
	accounts::Accounts,
	ledger::{FailureKind, Ledger},
	network::Network,
	owners::{OwnerPlan, KDF_AT_ONCE},
	progress_line::ProgressLine,
	recoveries::RecoveryPlan,
	report::{Report, Setup},
};

/// Custodians per escrow (n).
const CUSTODIANS: u32 = 5;
/// Shares that rebuild a key (t).
const THRESHOLD: u32 = 3;
/// Every escrow's passphrase, which the recoveries prove.
const PASSPHRASE: &[u8] = b"correct horse battery staple";
/// Longest recovery delay floor that recoveries are run with: on the `local` chain (600
/// blocks, an hour) they would outlast the run by far.
const MAX_RECOVERY_DELAY: BlockNumber = 20;

/// Many owners escrowing and recoveries running at once; throughput, latency, node cost.
#[derive(clap::Args)]
#[command(after_help = "Needs the local testnet running on this machine with its short recovery \
	delay, best as a release build so that the nodes, not their debug build, are measured:\n\n  \
	CUSTOS_PROFILE=release ./scripts/testnet.sh --short-delay\n\n\
	Every escrow has n = 5 custodians (every one the chain certifies must have its node among \
	--nodes: custodian-held shares are deposited there), threshold 3, one guardian, the \
	passphrase factor, the chain's least Argon2id cost and least delay. Owner i submits through \
	node i modulo the number of nodes. Recovery j runs on an escrow this run created whose \
	guardian is guardian j, once --recoveries-after escrows are done: counted guess and \
	request, approval, collect from every node, the rebuilt key compared with the key escrowed. \
	Failed operations end in an error; lost ones were submitted and never finalized, or created \
	and then missing (or not acknowledged) at the end. The command fails unless both are 0. The \
	progress line goes to stderr (redrawn on a terminal, a line every 10 s otherwise); the \
	summary to stdout.")]
pub struct RunArgs {
	/// JSON-RPC URLs of the testnet's nodes, comma-separated (the first one funds the run).
	#[arg(
		long,
		value_delimiter = ',',
		default_value = custos_client::args::LOCAL_TESTNET_URLS
	)]
	nodes: Vec<String>,
	/// Escrows to create in all; every second one is custodian-held.
	#[arg(long, default_value_t = 1000)]
	escrows: usize,
	/// Owner accounts escrowing at once; each creates its share of the escrows in turn (at
	/// most the chain's limit per owner, 32).
	#[arg(long, default_value_t = 100)]
	owners: usize,
	/// Recoveries to run while escrows are being created, each of an escrow of this run.
	#[arg(long, default_value_t = 10)]
	recoveries: usize,
	/// Escrows to complete before the recoveries start [default: a tenth of --escrows].
	#[arg(long)]
	recoveries_after: Option<usize>,
	/// Dev account that funds the run's accounts (a `//Name` URI: no secret belongs on a
	/// command line).
	#[arg(long, default_value = "//Alice")]
	funder: String,
	/// Print the summary as JSON.
	#[arg(long)]
	json: bool,
}

/// Refuses arguments the run cannot carry out, before anything is sent; returns the funder.
fn check_args(args: &RunArgs) -> anyhow::Result<sr25519::Pair> {
	anyhow::ensure!(!args.nodes.is_empty(), "give at least one node (--nodes)");
	anyhow::ensure!(
		args.escrows > 0 && args.owners > 0,
		"--escrows and --owners must be at least 1"
	);
	anyhow::ensure!(
		args.owners <= args.escrows,
		"{} owners for {} escrows would leave owners idle",
		args.owners,
		args.escrows
	);
	type Limit = <Runtime as pallet_key_escrow::Config>::MaxEscrowsPerOwner;
	let limit = <Limit as Get<u32>>::get() as usize;
	anyhow::ensure!(
		args.escrows.div_ceil(args.owners) <= limit,
		"{} escrows by {} owners is more than the chain's {limit} per owner: give more --owners",
		args.escrows,
		args.owners
	);
	anyhow::ensure!(
		args.recoveries <= args.escrows,
		"{} recoveries need as many escrows",
		args.recoveries
	);
	anyhow::ensure!(
		args.funder.starts_with("//"),
		"--funder takes a dev account URI such as //Alice (no secret belongs on a command line)"
	);
	sr25519::Pair::from_string(&args.funder, None)
		.map_err(|e| anyhow::anyhow!("--funder {}: {e:?}", args.funder))
}

/// Runs `custos-load run`.
pub async fn run(args: RunArgs) -> anyhow::Result<()> {
	let funder = check_args(&args)?;
	let network = Network::connect(&args.nodes).await?;
	anyhow::ensure!(
		args.recoveries == 0 || network.delay <= MAX_RECOVERY_DELAY,
		"this chain's recovery delay floor is {} blocks: recoveries would outlast the run (start \
		 the testnet with --short-delay, or give --recoveries 0)",
		network.delay
	);
	let accounts = Accounts::generate(args.owners, args.recoveries);
	let payees = accounts.payees(args.escrows.div_ceil(args.owners));
	let setup = Setup {
		urls: args.nodes.clone(),
		escrows: args.escrows,
		owners: args.owners,
		recoveries: args.recoveries,
		recoveries_after: args.recoveries_after.unwrap_or(args.escrows / 10).clamp(1, args.escrows),
		funded: payees.len(),
		kdf_memory_kib: network.kdf_memory_kib,
		kdf_iterations: network.kdf_iterations,
		delay: network.delay,
	};
	eprintln!("custos-load run: {}", setup.describe());
	let nodes_before = node_cost::sample(&args.nodes);
	let ledger = Arc::new(Ledger::new());
	let started = Instant::now();

	eprintln!("funding {} accounts from {}", payees.len(), args.funder);
	if let Err(e) = funding::fund(&network.nodes[0], &funder, &payees, &ledger).await {
		report::print_failures(&ledger.records());
		return Err(e);
	}
	let funding = started.elapsed();

	let progress = ProgressLine::start(ledger.clone(), args.escrows, args.recoveries);
	let state_dir = tempfile::tempdir().context("a directory for request files")?;
	let recovery_tasks = spawn_recoveries(&args, &setup, &network, &accounts, &ledger, &state_dir);
	let owner_tasks = spawn_owners(&args, network, &accounts, &ledger);
	settle(owner_tasks, &ledger, "owner").await;
	ledger.creation_over();
	settle(recovery_tasks, &ledger, "recovery").await;
	progress.stop().await;

	// A fresh connection: the run's ones were shared by many tasks, and one may have failed.
	let verified = match ChainClient::connect(&args.nodes[0]).await {
		Ok(client) => verify::verify(&client, &ledger).await,
		Err(e) => Err(e.into()),
	};
	let checked_at = match verified {
		Ok(block) => Some(block),
		Err(e) => {
			let operation = "reading the escrows back at the end".to_string();
			ledger.failure(FailureKind::Failed, operation, format!("{e:#}"));
			None
		},
	};
	let nodes_after = node_cost::sample(&args.nodes);

	let records = ledger.records();
	let report = Report {
		setup: &setup,
		records: &records,
		checked_at,
		nodes_before: &nodes_before,
		nodes_after: &nodes_after,
		funding,
		total: started.elapsed(),
	};
	if args.json {
		println!("{}", serde_json::to_string_pretty(&report.json())?);
	} else {
		report.print();
	}
	let (failed, lost) = report.failures();
	anyhow::ensure!(failed == 0 && lost == 0, "{failed} operations failed and {lost} were lost");
	Ok(())
}

/// Starts every owner: owner `i` creates the run's escrows `i`, `i + owners`, ... so that the
/// first escrows done cover both modes and every guardian.
fn spawn_owners(
	args: &RunArgs,
	network: Network,
	accounts: &Accounts,
	ledger: &Arc<Ledger>,
) -> Vec<JoinHandle<()>> {
	let plan = Arc::new(OwnerPlan {
		nodes: network.nodes,
		custodian_nodes: network.custodian_nodes,
		guardians: accounts.guardians.iter().map(|pair| pair.public().into()).collect(),
		kdf_memory_kib: network.kdf_memory_kib,
		kdf_iterations: network.kdf_iterations,
		delay: network.delay,
		kdf_slots: Semaphore::new(KDF_AT_ONCE),
		ledger: ledger.clone(),
	});
	accounts
		.owners
		.iter()
		.enumerate()
		.map(|(index, owner)| {
			let numbers = (index..args.escrows).step_by(args.owners).collect();
			tokio::spawn(owners::run_owner(plan.clone(), index, owner.clone(), numbers))
		})
		.collect()
}

/// Starts every recovery; each waits for its escrow.
fn spawn_recoveries(
	args: &RunArgs,
	setup: &Setup,
	network: &Network,
	accounts: &Accounts,
	ledger: &Arc<Ledger>,
	state_dir: &tempfile::TempDir,
) -> Vec<JoinHandle<()>> {
	let plan = Arc::new(RecoveryPlan {
		urls: args.nodes.clone(),
		nodes: network.nodes.clone(),
		after: setup.recoveries_after,
		state_dir: state_dir.path().to_path_buf(),
		ledger: ledger.clone(),
	});
	accounts
		.requesters
		.iter()
		.zip(&accounts.guardians)
		.enumerate()
		.map(|(index, (requester, guardian))| {
			let task =
				recoveries::run_recovery(plan.clone(), index, requester.clone(), guardian.clone());
			tokio::spawn(task)
		})
		.collect()
}

/// Waits for every task; one that panicked is a failure of its `what` (owner, recovery).
async fn settle(tasks: Vec<JoinHandle<()>>, ledger: &Ledger, what: &str) {
	for (index, result) in futures::future::join_all(tasks).await.into_iter().enumerate() {
		if let Err(e) = result {
			ledger.failure(
				FailureKind::Failed,
				format!("{what} {index}"),
				format!("task ended: {e}"),
			);
		}
	}
}
