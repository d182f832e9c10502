//! Custodians as the chain certifies them, and as a node describes itself.

use custos_primitives::SealingKeyProof;
use custos_runtime::{AccountId, Signature as MultiSignature};
use serde::{Deserialize, Serialize};
use sp_core::H256;

/// A certified custodian (`custos_custodians`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CustodianView {
	/// Its account.
	pub account: AccountId,
	/// The X25519 key its certificate binds: shares are sealed to it.
	pub key: H256,
}

/// A node's custodian identity (`custos_custodian`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CustodianIdentity {
	/// The account that signs its releases and acknowledgements.
	pub account: AccountId,
	/// The X25519 public key shares are sealed to.
	pub sealing_key: H256,
	/// Whether a valid custodian certificate binds this account to this key.
	pub certified: bool,
	/// The proof of possession of the sealing key, signed by it and by the account for this
	/// chain: what a custodian certificate needs (`custos ca issue --from-node`).
	pub key_proof: SealingKeyProof<MultiSignature>,
}

/// The answer to a deposit (`custos_depositShare`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DepositReceipt {
	/// The share is stored durably on the custodian's node.
	pub stored: bool,
	/// Hash of the acknowledgement transaction, or null when the chain already has one.
	pub acknowledgement: Option<H256>,
}

/// An evaluation of a counted guess this custodian has signed, served at once
/// (`custos_evaluatedGuess`) while its `record_evaluation` is on its way into a block.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServedEvaluation {
	/// The escrow slot (share index) whose OPRF key share evaluated the guess.
	pub index: u32,
	/// `Z_i || proof` (96 bytes): the evaluated element and its DLEQ proof against the slot's
	/// `K_i`, as `record_evaluation` carries it.
	pub evaluation: sp_core::Bytes,
}

/// A release this custodian has decided and signed, served at once (`custos_releasedShare`)
/// while its on-chain record is on its way to finality.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServedRelease {
	/// The nonce of the request it answers (the release names it, as on chain).
	pub nonce: u32,
	/// The share's inner layer sealed to that request's one-time key: the payload of the
	/// `release_share` transaction.
	pub payload: sp_core::Bytes,
}
