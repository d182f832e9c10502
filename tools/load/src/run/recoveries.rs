//! The recoveries: each takes an escrow this run created (once enough are), proves the
//! passphrase and opens a request (`recover start`), has the escrow's guardian approve it, then
//! collects the released shares from every node and checks the rebuilt key is the one
//! escrowed. Recovery `j` is the only one to use guardian `j` and requester `j`, so no two
//! share an account (or its nonces).

use std::{
	path::PathBuf,
	sync::Arc,
	time::{Duration, Instant},
};

use anyhow::Context;
use custos_client::{
	collect,
	keys::KeyMaterial,
	progress::Reporter,
	recovery::{self, RequestFile},
	ChainClient,
};
use custos_primitives::{EscrowId, StorageMode};
use sp_core::sr25519;

use super::{
	ledger::{Claim, FailureKind, Ledger, RecoveryRecord},
	owners::mode_name,
	PASSPHRASE,
};

/// How long a recovery waits for its shares to be released and collected.
const COLLECT_WAIT: Duration = Duration::from_secs(600);

/// What every recovery task shares.
pub struct RecoveryPlan {
	/// Every node's URL: collect asks them all.
	pub urls: Vec<String>,
	/// One connection per node; recovery `j` goes through node `j % len`.
	pub nodes: Vec<Arc<ChainClient>>,
	/// Escrows recoverable before any recovery starts.
	pub after: usize,
	/// Where request files are kept while a recovery runs.
	pub state_dir: PathBuf,
	pub ledger: Arc<Ledger>,
}

/// Recovery `index`: waits for an escrow whose guardian is `guardian`'s, recovers it with
/// `requester` and records the outcome.
pub async fn run_recovery(
	plan: Arc<RecoveryPlan>,
	index: usize,
	requester: sr25519::Pair,
	guardian: sr25519::Pair,
) {
	let Some((id, mode, key)) = wait_for_escrow(&plan, index).await else {
		let reason = "no escrow of this run names its guardian (their creation failed)".into();
		return plan.ledger.failure(FailureKind::Failed, format!("recovery {index}"), reason);
	};
	match recover(&plan, index, &requester, &guardian, id, mode, &key).await {
		Ok(record) => plan.ledger.recovered(record),
		Err(e) => {
			let operation = format!("recovery {index} of escrow {id:?} ({})", mode_name(mode));
			plan.ledger.failure(FailureKind::Failed, operation, format!("{e:#}"));
		},
	}
}

/// The escrow recovery `index` takes, once there is one (`None` when there will be none).
async fn wait_for_escrow(
	plan: &RecoveryPlan,
	index: usize,
) -> Option<(EscrowId, StorageMode, Arc<KeyMaterial>)> {
	let mut changes = plan.ledger.subscribe();
	loop {
		// Marked seen before looking, so a change after the look wakes the wait below.
		changes.borrow_and_update();
		match plan.ledger.claim_escrow(index, plan.after) {
			Claim::Escrow(id, mode, key) => return Some((id, mode, key)),
			Claim::Never => return None,
			Claim::NotYet => changes.changed().await.ok()?,
		}
	}
}

/// Recovers escrow `id` (holding `key`): start, approval, collect, each timed.
async fn recover(
	plan: &RecoveryPlan,
	index: usize,
	requester: &sr25519::Pair,
	guardian: &sr25519::Pair,
	id: EscrowId,
	mode: StorageMode,
	key: &KeyMaterial,
) -> anyhow::Result<RecoveryRecord> {
	let client = &plan.nodes[index % plan.nodes.len()];
	let quiet = Reporter::quiet();
	let first_head = client.finalized_block().await?.number;
	let started = Instant::now();
	let request = recovery::start(client, requester, id, PASSPHRASE, &plan.urls, &plan.state_dir, quiet)
		.await
		.context("recover start")?;
	let start = started.elapsed();
	recovery::approve(client, guardian, id, request.nonce, quiet).await.context("approval")?;
	let approve = started.elapsed() - start;
	let file = RequestFile::read(&request.request_file)?;
	let collected =
		collect::collect_when_released(&plan.urls, &file, PASSPHRASE, COLLECT_WAIT, quiet)
			.await
			.context("collect")?;
	let total = started.elapsed();
	// The one-time key and OPRF output are of use only to a thief now.
	RequestFile::wipe(&request.request_file)?;
	anyhow::ensure!(
		collected.key.secret() == key.secret(),
		"the key rebuilt is not the key escrowed"
	);
	let last_head = client.finalized_block().await?.number;
	Ok(RecoveryRecord {
		index,
		escrow: id,
		mode,
		start,
		approve,
		collect: total - start - approve,
		total,
		blocks: last_head.saturating_sub(first_head),
	})
}
