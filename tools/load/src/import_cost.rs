//! `custos-load import-cost`: how long the node takes to import blocks full of each call,
//! beside the call's weight.
//!
//! Every block of a range is executed again by the node (`Core_execute_block` through
//! `state_call` at its parent: the Wasm executor, as import runs it, without the database
//! write) and timed; a same-size request that executes nothing, and a block with inherents
//! only, give what to take off. The calls' times then come from a non-negative least-squares
//! fit over the blocks, since blocks under load mix calls.

mod analysis;
mod block;
mod nnls;
mod report;
mod timing;

use anyhow::bail;
use custos_client::ChainClient;

use analysis::{Baseline, Timed};
use block::Block;

/// How far back before the range to look for inherent-only blocks when it has none.
const BASELINE_SEARCH_BLOCKS: u32 = 64;

/// How many failures an error that ends the run lists.
const FAILURES_IN_ERROR: usize = 5;

/// Import time per call, measured on the node, beside each call's weight.
#[derive(clap::Args)]
pub struct ImportCostArgs {
	/// WebSocket JSON-RPC endpoint of the node that executes the blocks.
	#[arg(long, default_value = custos_client::DEFAULT_URL)]
	node: String,
	/// First block of the range [default: `--blocks` blocks up to `--to`].
	#[arg(long)]
	from: Option<u32>,
	/// Last block of the range [default: the last finalized block].
	#[arg(long)]
	to: Option<u32>,
	/// Length of the range when `--from` is not given. The node must still hold the state of
	/// the range's parents (256 blocks back by default).
	#[arg(long, default_value_t = 200)]
	blocks: u32,
	/// Timed executions of each block.
	#[arg(long, default_value_t = 5)]
	repeat: u32,
	/// Which timed execution stands for the block: the fastest by default, since on a shared
	/// machine interference only ever adds time (the median moves with the machine's load).
	#[arg(long, value_enum, default_value_t = timing::Estimator::Min)]
	estimator: timing::Estimator,
	/// Most inherent-only blocks timed for the baseline, spread over the range.
	#[arg(long, default_value_t = 10)]
	baseline_blocks: usize,
}

/// Runs `import-cost`: reads the range, times its blocks, prints the report.
pub async fn run(args: ImportCostArgs) -> anyhow::Result<()> {
	let client = ChainClient::connect(&args.node).await?;
	let runtime = client.check_runtime().await?;
	let chain = client.chain_name().await?;
	let (from, to) = range(&client, &args).await?;
	let mut failures = Vec::new();

	eprintln!("Reading blocks #{from}..=#{to} from {}", args.node);
	let mut loaded = Vec::new();
	let mut inherent_only = Vec::new();
	for number in from..=to {
		match block::fetch(&client, number).await {
			Ok(block) if block.is_inherent_only() => inherent_only.push(block),
			Ok(block) => loaded.push(block),
			Err(e) => failures.push((number, format!("not read: {e:#}"))),
		}
	}
	if loaded.is_empty() {
		bail!("no readable block in #{from}..=#{to} holds transactions: nothing to measure");
	}
	let (loaded_in_range, inherent_only_in_range) = (loaded.len(), inherent_only.len());
	let mut baseline_blocks = spread_out(inherent_only, args.baseline_blocks);
	if baseline_blocks.is_empty() {
		baseline_blocks = inherent_only_before(&client, from, args.baseline_blocks).await;
	}
	if baseline_blocks.is_empty() {
		bail!(
			"no block with inherents only in #{from}..=#{to} nor in the {BASELINE_SEARCH_BLOCKS} \
			 blocks before it: no baseline to take off"
		);
	}

	// Timed in block order, baseline and loaded blocks interleaved, so that a change in the
	// node's load during the run affects both alike.
	let mut to_time: Vec<Block> = baseline_blocks.into_iter().chain(loaded).collect();
	to_time.sort_by_key(|block| block.number);
	let total = to_time.len();
	let mut timed_baseline = Vec::new();
	let mut timed_loaded = Vec::new();
	for (done, block) in to_time.into_iter().enumerate() {
		eprint!("\rTiming block #{} ({}/{total})   ", block.number, done + 1);
		match timing::time_block(&client, &block, args.repeat, args.estimator).await {
			Ok(time) if block.is_inherent_only() => timed_baseline.push(Timed { block, time }),
			Ok(time) => timed_loaded.push(Timed { block, time }),
			Err(e) => failures.push((block.number, format!("{e:#}"))),
		}
	}
	eprintln!();
	failures.sort_by_key(|(number, _)| *number);

	let Some(baseline) = Baseline::of(&timed_baseline) else {
		bail!("no inherent-only block was executed, no baseline: {}", failure_summary(&failures));
	};
	if timed_loaded.is_empty() {
		bail!("no block with transactions was executed: {}", failure_summary(&failures));
	}
	let setting = report::Setting {
		node: args.node.clone(),
		chain,
		runtime: format!("{} spec version {}", runtime.impl_name, runtime.spec_version),
		range: (from, to),
		repeat: args.repeat.max(1),
		estimator: args.estimator,
		loaded: loaded_in_range,
		inherent_only: inherent_only_in_range,
		failures,
	};
	let analysis = analysis::analyse(&timed_loaded, baseline);
	report::print(&setting, &analysis);
	Ok(())
}

/// The range to measure, from the arguments and the node's finalized block.
async fn range(client: &ChainClient, args: &ImportCostArgs) -> anyhow::Result<(u32, u32)> {
	let to = match args.to {
		Some(to) => to,
		None => client.finalized_block().await?.number,
	};
	let from = args.from.unwrap_or_else(|| to.saturating_sub(args.blocks.saturating_sub(1)).max(1));
	let best = client.best_block().await?.number;
	if from == 0 {
		bail!("block #0 has no parent to execute it on: start the range at #1 or later");
	}
	if from > to || to > best {
		bail!("no blocks #{from}..=#{to} on this chain (best block #{best})");
	}
	Ok((from, to))
}

/// At most `count` of `blocks`, evenly spread over them.
fn spread_out(blocks: Vec<Block>, count: usize) -> Vec<Block> {
	let total = blocks.len();
	if total <= count {
		return blocks;
	}
	blocks
		.into_iter()
		.enumerate()
		.filter(|(i, _)| i * count % total < count)
		.map(|(_, b)| b)
		.collect()
}

/// Up to `count` inherent-only blocks just before block `from`, looking at most
/// [`BASELINE_SEARCH_BLOCKS`] back and stopping at the first block it cannot read (its state
/// is most likely pruned, and so is everything older).
async fn inherent_only_before(client: &ChainClient, from: u32, count: usize) -> Vec<Block> {
	let mut found = Vec::new();
	for number in (from.saturating_sub(BASELINE_SEARCH_BLOCKS).max(1)..from).rev() {
		let Ok(block) = block::fetch(client, number).await else { break };
		if block.is_inherent_only() {
			found.push(block);
			if found.len() >= count {
				break;
			}
		}
	}
	found
}

/// The first failures, for an error message.
fn failure_summary(failures: &[(u32, String)]) -> String {
	if failures.is_empty() {
		return "no failure recorded".into();
	}
	let mut listed: Vec<String> = failures
		.iter()
		.take(FAILURES_IN_ERROR)
		.map(|(number, reason)| format!("#{number}: {}", reason.lines().next().unwrap_or_default()))
		.collect();
	if failures.len() > FAILURES_IN_ERROR {
		listed.push(format!("and {} more", failures.len() - FAILURES_IN_ERROR));
	}
	listed.join("; ")
}
