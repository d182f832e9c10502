//! Escrow records and their health.

use custos_primitives::{EscrowId, KdfParams, KeyKind, StorageMode, H256};
use custos_runtime::{AccountId, BlockNumber, Runtime};
use pallet_key_escrow::{EscrowHealth, EscrowOf};
use serde::{Deserialize, Serialize};

/// An escrow record (`custos_escrow`, `custos escrow show --json`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EscrowView {
	/// The escrow id.
	pub id: EscrowId,
	/// The account that made the escrow and may change or remove it.
	pub owner: AccountId,
	/// Fingerprint of the escrowed key; a recovered key must match it.
	pub fingerprint: H256,
	/// What the escrowed key is.
	pub key_kind: KeyKind,
	/// Shares needed to rebuild the key.
	pub threshold: u32,
	/// The custodians, in share order.
	pub custodians: Vec<CustodianSlotView>,
	/// One commitment per share, in share order.
	pub commitments: Vec<H256>,
	/// Passphrase key-derivation parameters.
	pub kdf: KdfParams,
	/// The current split's recovery key (sr25519): a requester whose counted guess derives
	/// it knows the passphrase was right, and signs requests with it.
	pub recovery_key: H256,
	/// Where the sealed shares live.
	pub mode: StorageMode,
	/// Bytes of sealed shares stored on chain (0 when custodian-held).
	pub share_bytes: u32,
	/// The recovery policy.
	pub policy: PolicyView,
	/// Split generation: 0, then one more per re-split.
	pub generation: u32,
	/// Block of creation.
	pub created_at: BlockNumber,
}

/// One custodian of an escrow.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CustodianSlotView {
	/// The custodian's account.
	pub account: AccountId,
	/// The X25519 key its share is sealed to.
	pub key: H256,
	/// `K_i`, the ristretto255 public key of its OPRF key share (evaluations are checked
	/// against it).
	pub oprf_key: H256,
	/// Whether it holds its share (always true for on-chain shares).
	pub acknowledged: bool,
}

/// An escrow's recovery policy.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PolicyView {
	/// Whether a request must carry the recovery-key signature (the passphrase factor).
	pub require_passphrase: bool,
	/// Accounts that may approve a recovery.
	pub guardians: Vec<AccountId>,
	/// How many guardians must approve.
	pub guardian_threshold: u32,
	/// Authorities whose recovery authorization is accepted.
	pub authorities: Vec<AccountId>,
	/// Blocks between every factor holding and the first release.
	pub delay: BlockNumber,
	/// Failed requests allowed before the owner must reset the counter.
	pub max_attempts: u32,
	/// Wrong passphrase guesses allowed before the escrow locks.
	pub max_guesses: u32,
}

impl EscrowView {
	/// The view of escrow `id`'s record.
	pub fn new(id: EscrowId, record: &EscrowOf<Runtime>) -> Self {
		let policy = &record.policy;
		Self {
			id,
			owner: record.owner.clone(),
			fingerprint: record.fingerprint,
			key_kind: record.key_kind,
			threshold: record.threshold,
			custodians: record
				.custodians
				.iter()
				.map(|slot| CustodianSlotView {
					account: slot.account.clone(),
					key: slot.key,
					oprf_key: slot.oprf_key,
					acknowledged: slot.acknowledged,
				})
				.collect(),
			commitments: record.commitments.to_vec(),
			kdf: record.kdf,
			recovery_key: H256(record.recovery_key.0),
			mode: record.mode,
			share_bytes: record.share_bytes,
			policy: PolicyView {
				require_passphrase: policy.require_passphrase,
				guardians: policy.guardians.to_vec(),
				guardian_threshold: policy.guardian_threshold,
				authorities: policy.authorities.to_vec(),
				delay: policy.delay,
				max_attempts: policy.max_attempts,
				max_guesses: policy.max_guesses,
			},
			generation: record.generation,
			created_at: record.created_at,
		}
	}
}

/// How many of an escrow's custodians still count (`custos_escrowHealth`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HealthView {
	/// Shares needed.
	pub threshold: u32,
	/// Custodians named by the escrow.
	pub custodians: u32,
	/// Custodians that can release now (valid certificate; acknowledged if custodian-held).
	pub live: u32,
	/// Few enough live custodians that the owner should re-split.
	pub at_risk: bool,
	/// Fewer live custodians than the threshold: recovery cannot succeed now.
	pub unrecoverable: bool,
}

impl From<EscrowHealth> for HealthView {
	fn from(h: EscrowHealth) -> Self {
		Self {
			threshold: h.threshold,
			custodians: h.custodians,
			live: h.live,
			at_risk: h.at_risk,
			unrecoverable: h.unrecoverable,
		}
	}
}
