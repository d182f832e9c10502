//! Timing the node's execution of a block: `Core_execute_block` through `state_call` at the
//! block's parent, against a request of the same size that executes next to nothing.

use std::time::Instant;

use anyhow::Context;
use codec::{Encode, Output};
use custos_client::ChainClient;
use custos_runtime::Nonce;

use super::block::Block;

/// Which of a block's timed runs stands for it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Estimator {
	/// The median run: the typical time on the node as it is (busy or not).
	Median,
	/// The fastest run: what the node takes when nothing else disturbs it (interference only
	/// ever adds time), as the weights' own "fastest of N runs" ref times.
	Min,
}

impl Estimator {
	/// The time of `runs` (not empty) this estimator keeps.
	fn pick(self, runs: &mut [f64]) -> f64 {
		match self {
			Self::Median => median(runs),
			Self::Min => runs.iter().copied().fold(f64::INFINITY, f64::min),
		}
	}
}

/// What timing one block found, in microseconds of wall time.
#[derive(Clone, Copy, Debug)]
pub struct BlockTime {
	/// Round trip of `Core_execute_block` on the block, by the chosen estimator.
	pub execute_us: f64,
	/// Round trip of the transport probe, by the chosen estimator: a runtime call with an
	/// argument as long as the block, which reads one account nonce and ignores the rest.
	pub transport_us: f64,
	/// Spread of the `Core_execute_block` times, `(max − min) / median`.
	pub spread: f64,
	/// How many timed runs were made.
	pub runs: usize,
}

impl BlockTime {
	/// Execution time with the transport (JSON, hex, copying the block into the runtime) taken
	/// off.
	pub fn net_us(&self) -> f64 {
		self.execute_us - self.transport_us
	}
}

/// Runtime API the transport probe calls: one storage read, and an argument the runtime
/// decodes from the front (an account id) and otherwise leaves alone.
const PROBE_METHOD: &str = "AccountNonceApi_account_nonce";

/// With [`Estimator::Min`], how close the two fastest executions must be for the fastest to
/// be trusted: a busy machine can slow every one of the first runs.
pub const FASTEST_AGREEMENT: f64 = 0.1;

/// With [`Estimator::Min`], how many times `repeat` runs at most while the two fastest
/// executions do not agree.
pub const MAX_REPEAT_FACTOR: u32 = 4;

/// Executes `block` once untimed (to check it executes, and so every timed run finds the
/// same warm caches), then `repeat` times timed, each after one timed transport probe, and
/// keeps the run `estimator` picks. For the fastest run, goes on (up to
/// [`MAX_REPEAT_FACTOR`] × `repeat` runs) while the two fastest differ by more than
/// [`FASTEST_AGREEMENT`]. An error is the node's reason for not executing the block.
pub async fn time_block(
	client: &ChainClient,
	block: &Block,
	repeat: u32,
	estimator: Estimator,
) -> anyhow::Result<BlockTime> {
	let probe_payload = probe_payload(block.execute_payload.len());
	execute(client, block).await?;
	probe(client, block, &probe_payload).await?;

	let repeat = repeat.max(1) as usize;
	let most = repeat * MAX_REPEAT_FACTOR as usize;
	let mut execute_us = Vec::with_capacity(most);
	let mut transport_us = Vec::with_capacity(most);
	while execute_us.len() < repeat ||
		(estimator == Estimator::Min && execute_us.len() < most && !fastest_agree(&execute_us))
	{
		// Alternated, so that any drift in the node's load affects both alike.
		let started = Instant::now();
		probe(client, block, &probe_payload).await?;
		transport_us.push(started.elapsed().as_secs_f64() * 1e6);

		let started = Instant::now();
		execute(client, block).await?;
		execute_us.push(started.elapsed().as_secs_f64() * 1e6);
	}
	let runs = execute_us.len();
	let execute_median = median(&mut execute_us);
	let spread = (execute_us[runs - 1] - execute_us[0]) / execute_median;
	Ok(BlockTime {
		execute_us: estimator.pick(&mut execute_us),
		transport_us: estimator.pick(&mut transport_us),
		spread,
		runs,
	})
}

/// Whether the two fastest of `runs` are within [`FASTEST_AGREEMENT`] of each other.
fn fastest_agree(runs: &[f64]) -> bool {
	let mut sorted = runs.to_vec();
	sorted.sort_by(f64::total_cmp);
	sorted.len() >= 2 && sorted[1] <= sorted[0] * (1.0 + FASTEST_AGREEMENT)
}

/// Has the node execute `block` on its parent's state; the runtime answers nothing when the
/// block is valid, and the call fails when it is not (the node's log says why).
async fn execute(client: &ChainClient, block: &Block) -> anyhow::Result<()> {
	client
		.runtime_api::<()>(
			"Core_execute_block",
			RawArgument(&block.execute_payload),
			Some(block.parent),
		)
		.await
		.with_context(|| format!("block #{} was not executed", block.number))
}

/// The transport probe, at the same state as the block's execution.
async fn probe(client: &ChainClient, block: &Block, payload: &[u8]) -> anyhow::Result<()> {
	client
		.runtime_api::<Nonce>(PROBE_METHOD, RawArgument(payload), Some(block.parent))
		.await
		.with_context(|| format!("the transport probe at block #{} failed", block.number))?;
	Ok(())
}

/// The probe's argument, `length` bytes long: an all-zero account id, then zeros.
fn probe_payload(length: usize) -> Vec<u8> {
	vec![0; length.max(32)]
}

/// The median of `values`, which it sorts; 0 for none.
pub fn median(values: &mut [f64]) -> f64 {
	values.sort_by(f64::total_cmp);
	match values.len() {
		0 => 0.0,
		n if n % 2 == 1 => values[n / 2],
		n => (values[n / 2 - 1] + values[n / 2]) / 2.0,
	}
}

/// Bytes that are already a runtime call's SCALE-encoded arguments, passed on as they are.
struct RawArgument<'a>(&'a [u8]);

impl Encode for RawArgument<'_> {
	fn size_hint(&self) -> usize {
		self.0.len()
	}

	fn encode_to<T: Output + ?Sized>(&self, dest: &mut T) {
		dest.write(self.0);
	}
}
