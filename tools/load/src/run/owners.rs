//! The owners: each creates its escrows one after another (n = 5, t = 3, one guardian,
//! passphrase required, the chain's least Argon2id cost), alternately on chain and
//! custodian-held; a custodian-held escrow's shares go to the custodians' nodes, whose
//! acknowledgements it then waits for. Every step is recorded in the ledger.

use std::{
	sync::Arc,
	time::{Duration, Instant},
};

use custos_client::{
	deposit,
	escrow::{self, Created, CustodianChoice, EscrowOptions, Hardened, FINALITY_TIMEOUT},
	keys::KeyMaterial,
	progress::Reporter,
	submit::{sign_and_submit, Progress},
	ChainClient,
};
use custos_primitives::{KeyKind, StorageMode};
use custos_runtime::{AccountId, BlockNumber};
use sp_core::{sr25519, Pair};
use tokio::sync::Semaphore;

use super::{
	ledger::{CreatedEscrow, FailureKind, FinalizedTx, Ledger, TxKind},
	timeline::TxTimeline,
	CUSTODIANS, PASSPHRASE, THRESHOLD,
};

/// Argon2id lanes: RFC 9106's recommendation, the client's default.
const KDF_LANES: u32 = 4;

/// Argon2id derivations running at once, at most: each holds the chain's floor in memory
/// (64 MiB on the testnet), so a hundred owners deriving together would need gigabytes.
pub const KDF_AT_ONCE: usize = 2;

/// What every owner's task shares.
pub struct OwnerPlan {
	/// One connection per node; owner `i` goes through node `i % len`.
	pub nodes: Vec<Arc<ChainClient>>,
	/// Each custodian's own node (custodian-held shares are deposited there).
	pub custodian_nodes: Vec<(AccountId, Arc<ChainClient>)>,
	/// The run's guardians: escrow `k`'s policy names guardian `k % len`.
	pub guardians: Vec<AccountId>,
	/// The chain's floors: least Argon2id memory and passes, least delay.
	pub kdf_memory_kib: u32,
	pub kdf_iterations: u32,
	pub delay: BlockNumber,
	/// [`KDF_AT_ONCE`] slots.
	pub kdf_slots: Semaphore,
	pub ledger: Arc<Ledger>,
}

impl OwnerPlan {
	/// The options of an escrow in `mode` whose guardian is `guardian`.
	fn options(&self, mode: StorageMode, guardian: usize) -> EscrowOptions {
		EscrowOptions {
			threshold: THRESHOLD,
			custodians: CustodianChoice::Any(CUSTODIANS),
			guardians: vec![self.guardians[guardian].clone()],
			guardian_threshold: 1,
			authorities: Vec::new(),
			delay: self.delay,
			max_attempts: 3,
			max_guesses: 10,
			require_passphrase: true,
			mode,
			kdf_memory_kib: self.kdf_memory_kib,
			kdf_iterations: self.kdf_iterations,
			kdf_parallelism: KDF_LANES,
		}
	}

	/// The node of custodian `account`.
	fn custodian_node(&self, account: &AccountId) -> Option<&ChainClient> {
		self.custodian_nodes
			.iter()
			.find(|(custodian, _)| custodian == account)
			.map(|(_, node)| &**node)
	}
}

/// Owner `owner_index` (account `owner`) creates the run's escrows numbered `numbers`, one
/// after another.
pub async fn run_owner(
	plan: Arc<OwnerPlan>,
	owner_index: usize,
	owner: sr25519::Pair,
	numbers: Vec<usize>,
) {
	for number in numbers {
		escrow_one(&plan, owner_index, &owner, number).await;
	}
}

/// The run's escrow `number`: even numbers on chain, odd ones custodian-held.
async fn escrow_one(plan: &OwnerPlan, owner_index: usize, owner: &sr25519::Pair, number: usize) {
	let mode = if number % 2 == 0 { StorageMode::OnChain } else { StorageMode::CustodianHeld };
	let guardian = number % plan.guardians.len();
	let what = format!("escrow {number} (owner {owner_index}, {})", mode_name(mode));
	let client = &plan.nodes[owner_index % plan.nodes.len()];
	let options = plan.options(mode, guardian);
	let created = match KeyMaterial::generate(KeyKind::Sr25519Seed) {
		Ok(key) => create(plan, client, owner, &key, &options).await.map(|created| (created, key)),
		Err(e) => Err((FailureKind::Failed, format!("generating the key: {e}"))),
	};
	let (created, key) = match created {
		Ok(created) => created,
		Err((kind, reason)) => {
			return plan.ledger.failure(kind, format!("create_escrow, {what}"), reason);
		},
	};
	let (shares_placed, acknowledged) = match mode {
		StorageMode::OnChain => (true, true),
		StorageMode::CustodianHeld => place_shares(plan, client, &created, &what).await,
	};
	plan.ledger.escrow_created(CreatedEscrow {
		id: created.id,
		mode,
		guardian,
		key: Arc::new(key),
		shares_placed,
		acknowledged,
	});
}

/// Hardens the passphrase (in a slot), seals, submits `create_escrow` timing its progress, and
/// checks the record it finalized; an error says at which step, and whether it was lost.
async fn create(
	plan: &OwnerPlan,
	client: &ChainClient,
	owner: &sr25519::Pair,
	key: &KeyMaterial,
	options: &EscrowOptions,
) -> Result<Created, (FailureKind, String)> {
	let failed =
		|step: &str, e: &dyn std::fmt::Display| (FailureKind::Failed, format!("{step}: {e}"));
	let owner_account: AccountId = owner.public().into();
	let hardened =
		harden(plan, &owner_account, options).await.map_err(|e| failed("Argon2id", &e))?;
	let prepared =
		escrow::prepare_create(client, &owner_account, key, &hardened, options, Reporter::quiet())
			.await
			.map_err(|e| failed("sealing", &e))?;
	// h is secret and no longer needed: wiped now, not after the transaction.
	drop(hardened);

	let mut timeline = TxTimeline::default();
	let observe = |progress: &Progress| {
		if matches!(progress, Progress::Submitted { .. }) {
			plan.ledger.escrow_submitted(Instant::now());
		}
		timeline.observe(progress);
	};
	let result =
		sign_and_submit(client, owner, prepared.call.clone(), FINALITY_TIMEOUT, observe).await;
	let inclusion = match (result, timeline.times()) {
		(Ok(inclusion), Some(times)) => {
			let block = inclusion.block.number;
			plan.ledger.finalized(FinalizedTx { kind: TxKind::CreateEscrow, times, block });
			inclusion
		},
		(Ok(_), None) => return Err(failed("create_escrow", &"finalized unseen by the callback")),
		(Err(e), _) => {
			let kind = if timeline.lost() { FailureKind::Lost } else { FailureKind::Failed };
			return Err((kind, format!("create_escrow: {e}")));
		},
	};
	escrow::finish_create(client, prepared, inclusion, Reporter::quiet())
		.await
		.map_err(|e| failed("checking the finalized record", &e))
}

/// Runs one Argon2id derivation on a blocking thread once one of the [`KDF_AT_ONCE`] slots
/// is free, recording the wait and the derivation.
async fn harden(
	plan: &OwnerPlan,
	owner: &AccountId,
	options: &EscrowOptions,
) -> anyhow::Result<Hardened> {
	let queued = Instant::now();
	let _slot = plan.kdf_slots.acquire().await?;
	let started = Instant::now();
	let (owner, options) = (owner.clone(), options.clone());
	let hardened =
		tokio::task::spawn_blocking(move || escrow::harden(PASSPHRASE, &owner, &options)).await??;
	plan.ledger.kdf(started.duration_since(queued), started.elapsed());
	Ok(hardened)
}

/// Deposits each sealed share of custodian-held `created` with its custodian's node, all at
/// once, then waits for every acknowledgement on chain, recording each deposit and
/// acknowledgement (or its failure). Returns whether every share was deposited, and whether
/// every custodian acknowledged.
async fn place_shares(
	plan: &OwnerPlan,
	client: &ChainClient,
	created: &Created,
	what: &str,
) -> (bool, bool) {
	let deposits =
		created.custodians.iter().enumerate().map(|(index, (custodian, _))| async move {
			let started = Instant::now();
			let node = plan
				.custodian_node(custodian)
				.ok_or_else(|| format!("no node among --nodes is custodian {custodian}"))?;
			node.deposit_share(created.id, index as u32, &created.sealed[index])
				.await
				.map_err(|e| e.to_string())?;
			Ok::<Duration, String>(started.elapsed())
		});
	let mut all_deposited = true;
	for (index, result) in futures::future::join_all(deposits).await.into_iter().enumerate() {
		match result {
			Ok(took) => plan.ledger.deposited(took),
			Err(reason) => {
				all_deposited = false;
				let operation = format!("deposit of share {index}, {what}");
				plan.ledger.failure(FailureKind::Failed, operation, reason);
			},
		}
	}
	if !all_deposited {
		return (false, false);
	}
	let deposited = Instant::now();
	match deposit::wait_for_acknowledgements(client, created.id, FINALITY_TIMEOUT, Reporter::quiet())
		.await
	{
		Ok(()) => {
			plan.ledger.acknowledged(created.custodians.len(), deposited.elapsed());
			(true, true)
		},
		Err(e) => {
			record_missing_acknowledgements(plan, client, created, what, &e).await;
			(true, false)
		},
	}
}


/// After waiting for acknowledgements failed with `error`: one failure per custodian whose
/// acknowledgement the chain does not show (lost when the wait timed out).
async fn record_missing_acknowledgements(
	plan: &OwnerPlan,
	client: &ChainClient,
	created: &Created,
	what: &str,
	error: &custos_client::Error,
) {
	let kind = match error {
		custos_client::Error::Timeout { .. } => FailureKind::Lost,
		_ => FailureKind::Failed,
	};
	match client.escrow(created.id).await {
		Ok(Some(record)) => {
			for (index, slot) in record.custodians.iter().enumerate() {
				if !slot.acknowledged {
					let operation =
						format!("acknowledgement of share {index} by {}, {what}", slot.account);
					plan.ledger.failure(kind, operation, error.to_string());
				}
			}
		},
		read => {
			let reason = match read {
				Err(e) => format!("{error}; then reading the escrow failed: {e}"),
				_ => format!("{error}; then the escrow was gone"),
			};
			plan.ledger.failure(kind, format!("acknowledgements, {what}"), reason);
		},
	}
}

/// How the run names a storage mode.
pub fn mode_name(mode: StorageMode) -> &'static str {
	match mode {
		StorageMode::OnChain => "on chain",
		StorageMode::CustodianHeld => "custodian-held",
	}
}
