//! Evaluating passphrase guesses: the custodian is one of the escrow's `t`-of-`n` OPRF
//! servers.
//!
//! At each finalized block the runtime lists the guesses this custodian has not evaluated
//! (`KeyEscrowApi::pending_evaluations`): each is a blinded element the chain counted against
//! the escrow's guess limit in a block that is now final. The node opens its share, checks its
//! OPRF key share `k_i` against the slot's `K_i`, computes `Z_i = k_i·B` with a DLEQ proof
//! (RFC 9497 `BlindEvaluate`) and submits `record_evaluation`. It evaluates nothing else: no
//! RPC takes an element to evaluate, so every evaluation answers a counted guess.

use custos_envelope::oprf::{self, BlindedElement};
use custos_runtime::{BlockNumber, RuntimeCall};
use pallet_key_escrow::runtime_api::KeyEscrowApi;
use sp_api::ProvideRuntimeApi;

use std::collections::BTreeSet;

use custos_primitives::EscrowId;
use std::time::Duration;

use super::{
	journal::{Duty, Entry},
	keys::CustodianKeys,
	report,
	submit::DutyError,
	Custodian, Hash, LOG_TARGET,
};

/// The `(slot index, Z_i || proof)` of a signed `record_evaluation` transaction.
fn evaluation_in(extrinsic: &[u8]) -> Option<(u32, Vec<u8>)> {
	use codec::Decode;
	let extrinsic = custos_runtime::UncheckedExtrinsic::decode(&mut &extrinsic[..]).ok()?;
	match extrinsic.function {
		RuntimeCall::KeyEscrow(pallet_key_escrow::Call::record_evaluation {
			index, evaluation, ..
		}) => Some((index, evaluation.to_vec())),
		_ => None,
	}
}

impl Custodian {
	/// Evaluates every guess the chain says this custodian should evaluate at `at`.
	pub(super) async fn evaluate_pending(
		&self,
		at: Hash,
		number: BlockNumber,
		keys: &CustodianKeys,
	) {
		let api = self.client.runtime_api();
		let pending = match api.pending_evaluations(at, keys.account_id.clone()) {
			Ok(pending) => pending,
			Err(e) => {
				log::warn!(target: LOG_TARGET, "Cannot ask the runtime for pending evaluations: {e}");
				return;
			},
		};
		let duties: BTreeSet<Duty> = pending
			.iter()
			.map(|(escrow, guess, index, _)| Duty::Evaluate { escrow: *escrow, guess: *guess, index: *index })
			.collect();
		let mut submitter = self.submitter.lock().await;
		submitter.forget(|duty| !matches!(duty, Duty::Evaluate { .. }) || duties.contains(duty));
		for (escrow, guess, index, blinded) in pending {
			let duty = Duty::Evaluate { escrow, guess, index };
			let build = || {
				let evaluation = self.evaluation(at, keys, escrow, index, blinded.0)?;
				Ok(RuntimeCall::KeyEscrow(pallet_key_escrow::Call::record_evaluation {
					escrow,
					guess,
					index,
					evaluation,
				}))
			};
			let performed = submitter.perform(keys, duty, at, number, build).await;
			report(
				&performed,
				|| format!("guess {guess} of escrow {escrow:?} with share {index}"),
				"🔑 Evaluating",
			);
		}
		drop(submitter);
		self.evaluated.notify_waiters();
	}

	/// The evaluation of guess `guess` of `escrow` this node's custodian has signed and
	/// journaled, as `(slot index, Z_i || proof)`: what `custos_evaluatedGuess` serves before
	/// the chain's record is included. Only a guess counted in a finalized block is ever
	/// evaluated, and the proof lets anyone check the evaluation against the slot's `K_i`.
	pub async fn signed_evaluation(&self, escrow: EscrowId, guess: u32) -> Option<(u32, Vec<u8>)> {
		let submitter = self.submitter.lock().await;
		let evaluation = submitter.journal().entries().find_map(|(duty, entry)| match (duty, entry) {
			(Duty::Evaluate { escrow: e, guess: g, .. }, Entry::Submitted { extrinsic, .. })
				if *e == escrow && *g == guess =>
				evaluation_in(extrinsic),
			_ => None,
		});
		evaluation
	}

	/// [`Self::signed_evaluation`], waiting up to `wait` for this custodian's next rounds of
	/// evaluations while it has none: a requester asks the moment its guess is final, when
	/// the custodian may still be evaluating it (woken by the round, not by polling).
	pub async fn awaited_evaluation(
		&self,
		escrow: EscrowId,
		guess: u32,
		wait: Duration,
	) -> Option<(u32, Vec<u8>)> {
		let deadline = tokio::time::Instant::now() + wait;
		loop {
			// Registered before looking, so a round that ends in between is not missed.
			let mut round = std::pin::pin!(self.evaluated.notified());
			round.as_mut().enable();
			// The journal's lock is held for whole rounds: the deadline covers waiting for it too.
			match tokio::time::timeout_at(deadline, self.signed_evaluation(escrow, guess)).await {
				Ok(Some(found)) => return Some(found),
				Ok(None) => {},
				Err(_) => return None,
			}
			if tokio::time::timeout_at(deadline, round).await.is_err() {
				return None;
			}
		}
	}

	/// `Z_i || proof` for the blinded element `blinded` with this custodian's OPRF key share
	/// of slot `index` of `escrow`.
	fn evaluation(
		&self,
		at: Hash,
		keys: &CustodianKeys,
		escrow: custos_primitives::EscrowId,
		index: u32,
		blinded: [u8; 32],
	) -> Result<[u8; oprf::Evaluation::ENCODED_LEN], DutyError> {
		let record = self
			.client
			.runtime_api()
			.escrow(at, escrow)
			.map_err(|e| DutyError::Transient(e.to_string()))?
			.ok_or(DutyError::Transient("the escrow is gone".into()))?;
		// A blinded element that is not a valid point never becomes one: failed for good.
		let blinded =
			BlindedElement::from_bytes(&blinded).map_err(|e| DutyError::Permanent(e.to_string()))?;
		let share = self.open_share(at, keys, &record, escrow, index)?;
		Ok(oprf::evaluate(&share.oprf_key, &blinded).to_bytes())
	}
}
