//! Passphrase guesses: an escrow's counter and lock, and the open guesses with the
//! custodians' evaluations.

use custos_runtime::{AccountId, Balance, BlockNumber, Runtime};
use pallet_key_escrow::{GuessOf, GuessStatus, OprfEvaluation};
use serde::{Deserialize, Serialize};
use sp_core::{Bytes, H256};

use super::decimal;

/// An escrow's guesses (`custos_guesses`; the counter in `custos escrow show` and
/// `custos recover status`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GuessesView {
	/// Guesses counted since the last success, reset or re-split.
	pub used: u32,
	/// The policy's limit.
	pub max_guesses: u32,
	/// Guesses left before the escrow locks.
	pub remaining: u32,
	/// No guess is accepted until the owner, the guardians or an accepted authority reset the
	/// counter, or the owner re-splits.
	pub locked: bool,
	/// Guardians that voted to reset, and how many must.
	pub reset_votes: u32,
	/// Votes a guardian reset needs (0 without guardians).
	pub reset_threshold: u32,
	/// The nonce the next recovery request carries.
	pub next_request_nonce: u32,
	/// The open guesses, oldest first.
	pub open: Vec<GuessView>,
}

/// One open guess with the evaluations recorded for it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GuessView {
	/// The guess id (the `guess` of `GuessRecorded`).
	pub id: u32,
	/// Who made it.
	pub guesser: AccountId,
	/// The blinded element the custodians evaluate.
	pub blinded: H256,
	/// Deposit held from the guesser (a decimal string).
	#[serde(with = "decimal")]
	pub deposit: Balance,
	/// Block it was recorded.
	pub made_at: BlockNumber,
	/// The custodians' evaluations so far.
	pub evaluations: Vec<EvaluationView>,
}

/// A custodian's evaluation of a guess: `Z_i || proof`, 96 bytes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EvaluationView {
	/// The share index (custodian slot) that evaluated.
	pub index: u32,
	/// The evaluated element and its DLEQ proof, RFC 9497 encodings.
	pub evaluation: Bytes,
}

impl GuessesView {
	/// The view of `status` with the open guesses and their evaluations.
	pub fn new(
		status: &GuessStatus,
		open: Vec<(u32, GuessOf<Runtime>, Vec<(u32, OprfEvaluation)>)>,
	) -> Self {
		Self {
			used: status.used,
			max_guesses: status.max_guesses,
			remaining: status.max_guesses.saturating_sub(status.used),
			locked: status.locked,
			reset_votes: status.reset_votes,
			reset_threshold: status.reset_threshold,
			next_request_nonce: status.next_request_nonce,
			open: open
				.into_iter()
				.map(|(id, guess, evaluations)| GuessView {
					id,
					guesser: guess.guesser,
					blinded: guess.blinded,
					deposit: guess.deposit,
					made_at: guess.made_at,
					evaluations: evaluations
						.into_iter()
						.map(|(index, evaluation)| EvaluationView {
							index,
							evaluation: Bytes(evaluation.to_vec()),
						})
						.collect(),
				})
				.collect(),
		}
	}
}
