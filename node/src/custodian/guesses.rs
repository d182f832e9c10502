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

use super::{
	journal::Duty, keys::CustodianKeys, report, submit::DutyError, Custodian, Hash, LOG_TARGET,
};

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
