//! What the run has done so far, shared by its tasks: the records the summary is computed
//! from, the counts the progress line shows, and a signal for tasks waiting on escrows.

use std::{
	sync::{Arc, Mutex, MutexGuard},
	time::{Duration, Instant},
};

use custos_client::keys::KeyMaterial;
use custos_primitives::{EscrowId, StorageMode};
use tokio::sync::watch;

use super::timeline::TxTimes;

/// The transactions the run signs itself and times.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum TxKind {
	/// Funding one of the run's accounts.
	Transfer,
	CreateEscrow,
}

/// A transaction the run signed itself, finalized.
pub struct FinalizedTx {
	pub kind: TxKind,
	pub times: TxTimes,
	/// The block it was finalized in.
	pub block: u32,
}

/// An escrow the run created: its `create_escrow` finalized and its record checked.
pub struct CreatedEscrow {
	pub id: EscrowId,
	pub mode: StorageMode,
	/// Which of the run's guardians its policy names.
	pub guardian: usize,
	pub key: Arc<KeyMaterial>,
	/// Every share is where it belongs: on chain, or deposited with every custodian's node.
	pub shares_placed: bool,
	/// Custodian-held: every custodian acknowledged its share (on-chain escrows: true).
	pub acknowledged: bool,
}

impl CreatedEscrow {
	/// Whether a recovery can start on it: created, and custodian-held shares acknowledged.
	fn recoverable(&self) -> bool {
		self.shares_placed && self.acknowledged
	}
}

/// One recovery the run completed: its key rebuilt and equal to the key escrowed.
pub struct RecoveryRecord {
	/// Which of the run's recoveries (and guardians) it is.
	pub index: usize,
	pub escrow: EscrowId,
	pub mode: StorageMode,
	/// `recover start` (counted guess and request) until the request's finality.
	pub start: Duration,
	/// The guardian's approval until its finality.
	pub approve: Duration,
	/// Waiting for the release, collecting and rebuilding the key.
	pub collect: Duration,
	pub total: Duration,
	/// Blocks finalized from the start until the key was rebuilt.
	pub blocks: u32,
}

/// Whether a failed operation failed or was lost.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum FailureKind {
	/// It ended in an error: refused, failed on chain, or never got as far as submission.
	Failed,
	/// Submitted and never seen finalized, or created and then missing (or unacknowledged) at
	/// the end.
	Lost,
}

/// An operation that did not succeed.
pub struct Failure {
	pub kind: FailureKind,
	/// What it was, e.g. `create_escrow (owner 12, escrow 340)`.
	pub operation: String,
	pub reason: String,
}

/// Running counts, for the progress line.
#[derive(Clone, Copy, Default)]
pub struct Counts {
	pub escrows_finalized: usize,
	pub deposits: usize,
	pub acknowledgements: usize,
	pub recoveries: usize,
	pub failed: usize,
	pub lost: usize,
}

/// Everything recorded.
#[derive(Default)]
pub struct Records {
	pub counts: Counts,
	/// The first `create_escrow` accepted by a pool.
	pub first_escrow_submitted: Option<Instant>,
	pub transactions: Vec<FinalizedTx>,
	pub escrows: Vec<CreatedEscrow>,
	/// Argon2id derivations: time waiting for a slot, time deriving.
	pub kdf_waits: Vec<Duration>,
	pub kdf_runs: Vec<Duration>,
	/// Each `custos_depositShare` call, answered.
	pub deposits: Vec<Duration>,
	/// Per custodian-held escrow: last share deposited until every custodian acknowledged.
	pub acknowledgements: Vec<Duration>,
	pub recoveries: Vec<RecoveryRecord>,
	pub failures: Vec<Failure>,
	/// Every owner is done: no escrow will be added.
	pub creation_over: bool,
	/// Escrows a recovery has taken (by index in `escrows`).
	claimed: Vec<usize>,
}

/// The shared record of the run.
pub struct Ledger {
	records: Mutex<Records>,
	/// Bumped whenever an escrow is added or creation ends.
	changed: watch::Sender<()>,
}

/// What [`Ledger::claim_escrow`] found.
pub enum Claim {
	/// This escrow (id, mode, key) is the recovery's.
	Escrow(EscrowId, StorageMode, Arc<KeyMaterial>),
	/// None fits yet: wait for the next change.
	NotYet,
	/// None fits and none will be added.
	Never,
}

impl Ledger {
	/// An empty ledger.
	pub fn new() -> Self {
		Self { records: Mutex::new(Records::default()), changed: watch::Sender::new(()) }
	}

	/// The records, locked.
	pub fn records(&self) -> MutexGuard<'_, Records> {
		self.records.lock().expect("no task panics holding the ledger")
	}

	/// A receiver that wakes on each added escrow and at the end of creation.
	pub fn subscribe(&self) -> watch::Receiver<()> {
		self.changed.subscribe()
	}

	/// A transaction the run signed, finalized.
	pub fn finalized(&self, tx: FinalizedTx) {
		let mut records = self.records();
		if tx.kind == TxKind::CreateEscrow {
			records.counts.escrows_finalized += 1;
		}
		records.transactions.push(tx);
	}

	/// A `create_escrow` accepted by a pool at `at`.
	pub fn escrow_submitted(&self, at: Instant) {
		let mut records = self.records();
		if records.first_escrow_submitted.is_none_or(|first| at < first) {
			records.first_escrow_submitted = Some(at);
		}
	}

	/// One Argon2id derivation: `waited` for a slot, then `ran`.
	pub fn kdf(&self, waited: Duration, ran: Duration) {
		let mut records = self.records();
		records.kdf_waits.push(waited);
		records.kdf_runs.push(ran);
	}

	/// One share deposited with its custodian's node, answered after `took`.
	pub fn deposited(&self, took: Duration) {
		let mut records = self.records();
		records.counts.deposits += 1;
		records.deposits.push(took);
	}

	/// `custodians` acknowledgements of one escrow, the last `after` its last deposit.
	pub fn acknowledged(&self, custodians: usize, after: Duration) {
		let mut records = self.records();
		records.counts.acknowledgements += custodians;
		records.acknowledgements.push(after);
	}

	/// An escrow fully handled (see [`CreatedEscrow`]).
	pub fn escrow_created(&self, escrow: CreatedEscrow) {
		self.records().escrows.push(escrow);
		self.changed.send_replace(());
	}

	/// Every owner is done.
	pub fn creation_over(&self) {
		self.records().creation_over = true;
		self.changed.send_replace(());
	}

	/// A recovery completed.
	pub fn recovered(&self, recovery: RecoveryRecord) {
		let mut records = self.records();
		records.counts.recoveries += 1;
		records.recoveries.push(recovery);
	}

	/// An operation that failed or was lost.
	pub fn failure(&self, kind: FailureKind, operation: String, reason: String) {
		let mut records = self.records();
		match kind {
			FailureKind::Failed => records.counts.failed += 1,
			FailureKind::Lost => records.counts.lost += 1,
		}
		records.failures.push(Failure { kind, operation, reason });
	}

	/// For a recovery whose guardian is `guardian`: the first recoverable escrow naming that
	/// guardian, once at least `after` escrows are recoverable, taken so that no other
	/// recovery takes it.
	pub fn claim_escrow(&self, guardian: usize, after: usize) -> Claim {
		let mut records = self.records();
		let recoverable = records.escrows.iter().filter(|escrow| escrow.recoverable()).count();
		let found = (recoverable >= after.max(1))
			.then(|| {
				records.escrows.iter().enumerate().position(|(index, escrow)| {
					escrow.guardian == guardian
						&& escrow.recoverable()
						&& !records.claimed.contains(&index)
				})
			})
			.flatten();
		match found {
			Some(index) => {
				records.claimed.push(index);
				let escrow = &records.escrows[index];
				Claim::Escrow(escrow.id, escrow.mode, escrow.key.clone())
			},
			None if records.creation_over => Claim::Never,
			None => Claim::NotYet,
		}
	}
}
