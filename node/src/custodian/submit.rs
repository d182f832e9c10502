//! Signing the custodian's own transactions and handing them to the node's pool, through the
//! duty [`Journal`].
//!
//! A duty is journaled with its nonce and signed bytes before the pool sees it. While it is in
//! flight the same bytes are offered again after [`RETRY_AFTER_BLOCKS`] (at once after a
//! restart, whose pool is empty); if they no longer fit the chain (their era ended) the duty is
//! signed again with the same nonce. A new nonce is used only when nothing can be included
//! under the old one any more: another transaction of the account holds it in the pool, or the
//! chain has finalized it and still asks for the duty (that last case [`MAX_ATTEMPTS`] times at
//! most, then the duty is failed). One nonce is included at most once, so a duty never reaches
//! the chain twice.

use std::{collections::BTreeSet, sync::Arc};

use codec::{Decode, Encode};
use custos_runtime::{
	signing::{self, SigningContext},
	BlockNumber, Hash, Nonce, RuntimeCall,
};
use sc_client_api::HeaderBackend;
use sc_transaction_pool_api::{
	error::IntoPoolError, InPoolTransaction, TransactionPool, TransactionSource,
};
use sp_api::{Core, ProvideRuntimeApi};
use sp_runtime::{
	traits::{BlakeTwo256, Hash as _},
	OpaqueExtrinsic,
};
use substrate_frame_rpc_system::AccountNonceApi;

use super::{
	failpoint,
	journal::{Duty, Entry, Journal},
	keys::CustodianKeys,
	LOG_TARGET,
};
use crate::client::{FullClient, TransactionPoolHandle};

/// Blocks to wait for a submitted transaction before offering it again.
const RETRY_AFTER_BLOCKS: BlockNumber = 20;

/// Transactions a duty may use up (refused, or included without effect) before it is failed.
pub const MAX_ATTEMPTS: u32 = 3;

/// Why a duty's transaction could not be built.
pub enum DutyError {
	/// The chain could not be read now; tried again at the next block.
	Transient(String),
	/// The duty cannot be done with what the chain and this node hold (a share that does not
	/// open, say); remembered as failed, not tried again at every block.
	Permanent(String),
}

/// What [`Submitter::perform`] did with a duty.
#[derive(Debug, PartialEq, Eq)]
pub enum Performed {
	/// A transaction for it went to the pool now (`resubmitted`: one signed before).
	Submitted { tx: Hash, resubmitted: bool },
	/// Its transaction is in flight; nothing sent. The hash of the journaled transaction.
	InFlight { tx: Hash },
	/// Failed now or before; not tried again while the chain asks for the same duty.
	Failed { reason: String, now: bool },
	/// Not done at this block (the chain could not be read, or the pool refused it).
	Deferred(String),
}

/// Signs and submits custodian transactions, keeping nonces in order across transactions
/// that are still in the pool.
pub struct Submitter {
	client: Arc<FullClient>,
	pool: Arc<TransactionPoolHandle>,
	journal: Journal,
	/// Duties whose journaled transaction this process has offered to its pool: after a
	/// restart, none, so every in-flight duty is offered again at once.
	offered: BTreeSet<Duty>,
}

impl Submitter {
	pub fn new(client: Arc<FullClient>, pool: Arc<TransactionPoolHandle>, journal: Journal) -> Self {
		Self { client, pool, journal, offered: BTreeSet::new() }
	}

	/// The journal, for what is in flight or failed.
	pub fn journal(&self) -> &Journal {
		&self.journal
	}

	/// Forgets the duties `keep` says the chain no longer asks for: done, or moot.
	pub fn forget(&mut self, mut keep: impl FnMut(&Duty) -> bool) {
		let offered = &mut self.offered;
		let result = self.journal.retain(|duty, _| {
			let kept = keep(duty);
			if !kept {
				offered.remove(duty);
			}
			kept
		});
		if let Err(e) = result {
			log::error!(target: LOG_TARGET, "Cannot write the duty journal: {e}");
		}
	}

	/// Does `duty`, which the chain asks for at finalized block `(at, now)`: nothing if it is
	/// in flight or failed; offers its transaction again when that is due; otherwise builds the
	/// call with `build`, journals the signed transaction and submits it.
	pub async fn perform(
		&mut self,
		keys: &CustodianKeys,
		duty: Duty,
		at: Hash,
		now: BlockNumber,
		build: impl FnOnce() -> Result<RuntimeCall, DutyError>,
	) -> Performed {
		let mut attempts = 0;
		match self.journal.get(&duty).cloned() {
			Some(Entry::Failed { reason, .. }) => return Performed::Failed { reason, now: false },
			Some(Entry::Submitted { nonce, extrinsic, since, attempts: used }) => {
				let final_nonce = match self.account_nonce(keys, at) {
					Ok(nonce) => nonce,
					Err(e) => return Performed::Deferred(e),
				};
				if final_nonce <= nonce {
					let due = !self.offered.contains(&duty) ||
						now >= since.saturating_add(RETRY_AFTER_BLOCKS);
					if !due {
						return Performed::InFlight { tx: BlakeTwo256::hash(&extrinsic) };
					}
					return self.offer_again(keys, duty, nonce, extrinsic, now, used, build).await;
				}
				// The nonce is final and the chain still asks for the duty: that transaction
				// was included without effect, or another one took the nonce.
				attempts = used + 1;
				if attempts >= MAX_ATTEMPTS {
					let reason = format!(
						"{attempts} transactions were used up and the chain still asks for it"
					);
					return self.fail(duty, reason, now);
				}
			},
			None => {},
		}
		let call = match build() {
			Ok(call) => call,
			Err(DutyError::Transient(reason)) => return Performed::Deferred(reason),
			Err(DutyError::Permanent(reason)) => return self.fail(duty, reason, now),
		};
		let nonce = match self.next_nonce(keys) {
			Ok(nonce) => nonce,
			Err(e) => return Performed::Deferred(e),
		};
		self.sign_and_submit(keys, duty, call, nonce, now, attempts, false).await
	}

	/// The transaction hash of `duty` if it is in flight.
	pub fn in_flight(&self, duty: &Duty) -> Option<Hash> {
		match self.journal.get(duty)? {
			Entry::Submitted { extrinsic, .. } => Some(BlakeTwo256::hash(extrinsic)),
			Entry::Failed { .. } => None,
		}
	}

	// The same bytes first: the pool takes them back if they still fit the chain. If they do
	// not (their era ended, or the runtime changed), the same nonce is signed again; if another
	// transaction holds the nonce, a new one is taken.
	#[allow(clippy::too_many_arguments)]
	async fn offer_again(
		&mut self,
		keys: &CustodianKeys,
		duty: Duty,
		nonce: Nonce,
		extrinsic: Vec<u8>,
		now: BlockNumber,
		attempts: u32,
		build: impl FnOnce() -> Result<RuntimeCall, DutyError>,
	) -> Performed {
		let tx = BlakeTwo256::hash(&extrinsic);
		let nonce = match self.offer(&extrinsic).await {
			Ok(()) => {
				self.offered.insert(duty);
				self.journal_or_log(duty, Entry::Submitted { nonce, extrinsic, since: now, attempts });
				return Performed::Submitted { tx, resubmitted: true };
			},
			Err(Refusal::Stale(reason)) => {
				log::info!(target: LOG_TARGET, "Signing {duty:?} again with nonce {nonce}: {reason}");
				nonce
			},
			Err(Refusal::NonceTaken(reason)) => match self.nonce_used_at_best(keys, nonce) {
				// Something with this nonce is in the best block, maybe this very duty: only
				// finality can tell, so nothing is signed until then.
				Ok(true) => return Performed::InFlight { tx },
				Ok(false) => match self.next_nonce(keys) {
					Ok(fresh) => {
						log::info!(target: LOG_TARGET, "Signing {duty:?} with nonce {fresh}: {reason}");
						fresh
					},
					Err(e) => return Performed::Deferred(e),
				},
				Err(e) => return Performed::Deferred(e),
			},
			Err(Refusal::Other(reason)) => return self.refused(duty, reason),
		};
		let call = match build() {
			Ok(call) => call,
			Err(DutyError::Transient(reason)) => return Performed::Deferred(reason),
			Err(DutyError::Permanent(reason)) => return self.fail(duty, reason, now),
		};
		self.sign_and_submit(keys, duty, call, nonce, now, attempts, true).await
	}

	#[allow(clippy::too_many_arguments)]
	async fn sign_and_submit(
		&mut self,
		keys: &CustodianKeys,
		duty: Duty,
		call: RuntimeCall,
		mut nonce: Nonce,
		now: BlockNumber,
		attempts: u32,
		resubmitted: bool,
	) -> Performed {
		// A second try only when another transaction of the account took the nonce meanwhile.
		for _ in 0..2 {
			let extrinsic = match self.sign(keys, call.clone(), nonce) {
				Ok(extrinsic) => extrinsic,
				Err(e) => return Performed::Deferred(e),
			};
			let tx = BlakeTwo256::hash(&extrinsic);
			// Journaled before the pool sees it: after a crash from here on, the restarted
			// node knows this nonce is taken by this duty.
			let entry = Entry::Submitted { nonce, extrinsic: extrinsic.clone(), since: now, attempts };
			if let Err(e) = self.journal.set(duty, entry) {
				return Performed::Deferred(format!("cannot write the duty journal: {e}"));
			}
			failpoint::reached(failpoint::DUTY_JOURNALED, &format!("{duty:?}")).await;
			match self.offer(&extrinsic).await {
				Ok(()) => {
					self.offered.insert(duty);
					return Performed::Submitted { tx, resubmitted };
				},
				// Bytes signed for this duty before (`resubmitted`) may be in the best block
				// under this nonce: then only finality can tell whether the duty is done.
				Err(Refusal::NonceTaken(_)) if resubmitted =>
					match self.nonce_used_at_best(keys, nonce) {
						Ok(true) => return Performed::InFlight { tx },
						Ok(false) => {},
						Err(e) => return Performed::Deferred(e),
					},
				Err(Refusal::NonceTaken(_)) => {},
				Err(Refusal::Stale(reason) | Refusal::Other(reason)) =>
					return self.refused(duty, reason),
			}
			match self.next_nonce(keys) {
				Ok(fresh) if fresh != nonce => nonce = fresh,
				Ok(_) => return self.refused(duty, "its nonce is taken".into()),
				Err(e) => return Performed::Deferred(e),
			}
		}
		self.refused(duty, "its nonce is taken".into())
	}

	// The journaled bytes are offered again after [`RETRY_AFTER_BLOCKS`]: a refusal such as
	// missing funds for fees lasts until the operator acts, and is no reason to give up.
	fn refused(&mut self, duty: Duty, reason: String) -> Performed {
		self.offered.insert(duty);
		if let Some(Entry::Submitted { nonce, extrinsic, attempts, .. }) = self.journal.get(&duty).cloned() {
			let since = self.client.info().finalized_number;
			self.journal_or_log(duty, Entry::Submitted { nonce, extrinsic, since, attempts });
		}
		Performed::Deferred(format!("the transaction pool refused it: {reason}"))
	}

	fn fail(&mut self, duty: Duty, reason: String, now: BlockNumber) -> Performed {
		self.offered.remove(&duty);
		self.journal_or_log(duty, Entry::Failed { reason: reason.clone(), at: now });
		Performed::Failed { reason, now: true }
	}

	fn journal_or_log(&mut self, duty: Duty, entry: Entry) {
		if let Err(e) = self.journal.set(duty, entry) {
			log::error!(target: LOG_TARGET, "Cannot write the duty journal: {e}");
		}
	}

	fn nonce_used_at_best(&self, keys: &CustodianKeys, nonce: Nonce) -> Result<bool, String> {
		Ok(self.account_nonce(keys, self.client.info().best_hash)? > nonce)
	}

	fn account_nonce(&self, keys: &CustodianKeys, at: Hash) -> Result<Nonce, String> {
		self.client
			.runtime_api()
			.account_nonce(at, keys.account_id.clone())
			.map_err(|e| format!("account nonce: {e}"))
	}

	// The lowest nonce from the chain's that no ready transaction of the account (the operator
	// may send its own) and no journaled duty holds. The lowest, not the one after the highest:
	// a nonce left by a duty forgotten or failed before its transaction was included would
	// otherwise stay a hole that holds back every later transaction.
	fn next_nonce(&self, keys: &CustodianKeys) -> Result<Nonce, String> {
		let chain = self.account_nonce(keys, self.client.info().best_hash)?;
		let mut taken: BTreeSet<Nonce> = self.journal.nonces().collect();
		// Each ready transaction provides the tag (account, nonce).
		let ours = |nonce: Nonce| (keys.account_id.clone(), nonce).encode();
		let mut probe = chain;
		for tx in self.pool.ready() {
			if tx.provides().first() == Some(&ours(probe)) {
				taken.insert(probe);
				probe += 1;
			}
		}
		Ok(lowest_free(chain, &taken))
	}

	fn sign(&self, keys: &CustodianKeys, call: RuntimeCall, nonce: Nonce) -> Result<Vec<u8>, String> {
		let info = self.client.info();
		let version = self
			.client
			.runtime_api()
			.version(info.best_hash)
			.map_err(|e| format!("runtime version: {e}"))?;
		let context = SigningContext {
			genesis_hash: info.genesis_hash,
			spec_version: version.spec_version,
			transaction_version: version.transaction_version,
			checkpoint_number: info.finalized_number,
			checkpoint_hash: info.finalized_hash,
		};
		Ok(signing::sign(call, &keys.account, nonce, &context).encode())
	}

	async fn offer(&self, extrinsic: &[u8]) -> Result<(), Refusal> {
		let opaque = OpaqueExtrinsic::decode(&mut &extrinsic[..])
			.map_err(|e| Refusal::Stale(format!("re-encoding the transaction: {e}")))?;
		let best = self.client.info().best_hash;
		match self.pool.submit_one(best, TransactionSource::Local, opaque).await {
			Ok(_) => Ok(()),
			Err(e) => Refusal::from_pool(e).map_or(Ok(()), Err),
		}
	}
}

/// The lowest nonce from `chain` on that is not `taken`.
fn lowest_free(chain: Nonce, taken: &BTreeSet<Nonce>) -> Nonce {
	let mut nonce = chain;
	while taken.contains(&nonce) {
		nonce += 1;
	}
	nonce
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn a_nonce_left_by_a_forgotten_duty_is_filled_first() {
		let taken: BTreeSet<Nonce> = [5, 7, 8].into_iter().collect();
		// 6 was a duty's nonce, forgotten before inclusion: the next transaction fills it,
		// or 7 and 8 would wait behind the hole for ever.
		assert_eq!(lowest_free(5, &taken), 6);
		assert_eq!(lowest_free(9, &taken), 9);
		assert_eq!(lowest_free(3, &taken), 3);
		assert_eq!(lowest_free(7, &BTreeSet::new()), 7);
	}
}

/// Why the pool did not take a transaction.
enum Refusal {
	/// The transaction no longer fits the chain (era over, bad proof after an upgrade): sign
	/// it again with the same nonce.
	Stale(String),
	/// Another transaction of the account holds the nonce (in the pool, or at the best block):
	/// sign with a new one.
	NonceTaken(String),
	/// Anything else: offer the same bytes again later.
	Other(String),
}

impl Refusal {
	/// `None` when the pool already holds the transaction: it is in flight.
	fn from_pool<E: IntoPoolError + std::fmt::Display>(error: E) -> Option<Self> {
		use sc_transaction_pool_api::error::Error as PoolError;
		use sp_runtime::transaction_validity::InvalidTransaction;
		let text = error.to_string();
		match error.into_pool_error() {
			Ok(PoolError::AlreadyImported(_)) | Ok(PoolError::TemporarilyBanned) => None,
			Ok(PoolError::InvalidTransaction(
				InvalidTransaction::AncientBirthBlock |
				InvalidTransaction::BadProof |
				InvalidTransaction::BadSigner,
			)) => Some(Refusal::Stale(text)),
			Ok(PoolError::TooLowPriority { .. }) |
			Ok(PoolError::InvalidTransaction(InvalidTransaction::Stale)) =>
				Some(Refusal::NonceTaken(text)),
			_ => Some(Refusal::Other(text)),
		}
	}
}
