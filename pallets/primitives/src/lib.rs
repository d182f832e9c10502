//! Types and traits shared by Custos's pallets, runtime, node and client.
//!
//! `pallet-key-escrow` must not depend on how certificates are stored, only on the questions
//! it asks of them ("is this account a custodian right now, and with which key?"). Those
//! questions are [`CertificateInspect`]; `pallet-certificates` answers them in the runtime and
//! the escrow pallet's mock answers them in its tests.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

use alloc::vec::Vec;

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
pub use sp_core::H256;

/// Identifies an escrow: `blake2_256(SCALE(("custos/escrow/v1", owner, fingerprint)))`.
///
/// The owner's client needs the id before it submits anything (the id is associated data of
/// every share's encryption), so it is derived, not assigned by the chain.
pub type EscrowId = H256;

/// Domain separator of [`EscrowId`] derivation.
pub const ESCROW_ID_DOMAIN: &[u8] = b"custos/escrow/v1";

/// Domain separator of the message a recovery key signs to open a recovery request.
pub const RECOVERY_SIGNATURE_DOMAIN: &[u8] = b"custos/recovery-request/v1";

/// Sequential number of a certificate, never reused.
pub type CertificateId = u64;

/// What a certificate lets its subject do.
#[derive(
	Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Encode, Decode, DecodeWithMemTracking,
	MaxEncodedLen, TypeInfo, Debug,
)]
pub enum Role {
	/// Holds escrowed shares and releases them to approved recovery requests.
	Custodian,
	/// Operates an authoring node.
	Validator,
	/// Issues recovery authorizations (identity attestation) without being a CA.
	Attestor,
}

/// A public key bound by a certificate, tagged with its scheme.
#[derive(
	Clone, Copy, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
	Debug,
)]
pub enum PublicKey {
	/// An sr25519 signing key (e.g. the node's custodian signing identity).
	Sr25519(H256),
	/// An ed25519 signing key.
	Ed25519(H256),
	/// An X25519 key that shares are sealed to with HPKE (RFC 9180). A custodian needs one.
	X25519(H256),
}

impl PublicKey {
	/// The X25519 key, if this is one.
	pub fn x25519(&self) -> Option<H256> {
		match self {
			PublicKey::X25519(key) => Some(*key),
			_ => None,
		}
	}
}

/// The escrow id `owner` gets for a key with `fingerprint` (see [`EscrowId`]).
pub fn escrow_id<AccountId: Encode>(owner: &AccountId, fingerprint: &H256) -> EscrowId {
	H256(sp_crypto_hashing::blake2_256(&(ESCROW_ID_DOMAIN, owner, fingerprint).encode()))
}

/// The message a recovery key signs to open a request: it binds the escrow, the requester's
/// account and the one-time key the shares will be sealed to, so a signature cannot be
/// replayed for another requester or another sealing key.
pub fn recovery_request_message<AccountId: Encode>(
	escrow: &EscrowId,
	requester: &AccountId,
	one_time_key: &H256,
) -> Vec<u8> {
	(RECOVERY_SIGNATURE_DOMAIN, escrow, requester, one_time_key).encode()
}

/// The certificate questions other pallets and the node ask, answered at block `at`.
///
/// A certificate counts only while it is inside its validity window, unrevoked, and its issuer
/// is still a certificate authority.
pub trait CertificateInspect<AccountId, BlockNumber> {
	/// The X25519 encryption key of `who`'s valid `Custodian` certificate at `at`.
	fn custodian_key(who: &AccountId, at: BlockNumber) -> Option<H256>;

	/// Whether `who` holds a valid certificate of `role` at `at`.
	fn has_valid_certificate(who: &AccountId, role: Role, at: BlockNumber) -> bool;

	/// The issuer of a live recovery authorization letting `requester` recover `escrow` at
	/// `at`, if one exists and its issuer still may issue authorizations.
	fn recovery_authorization(
		escrow: &EscrowId,
		requester: &AccountId,
		at: BlockNumber,
	) -> Option<AccountId>;

	/// Benchmark set-up: make `who` a valid custodian with `key` from now on.
	#[cfg(feature = "runtime-benchmarks")]
	fn certify_custodian(who: &AccountId, key: H256);

	/// Benchmark set-up: make `issuer` an authority that authorized `requester` for `escrow`.
	#[cfg(feature = "runtime-benchmarks")]
	fn authorize_recovery(issuer: &AccountId, escrow: &EscrowId, requester: &AccountId);
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn escrow_id_is_the_domain_separated_hash_of_owner_and_fingerprint() {
		let owner = [1u8; 32];
		let fingerprint = H256::repeat_byte(2);
		let mut preimage = Vec::new();
		// SCALE of (&[u8], owner, fingerprint): compact length-prefixed domain, then raw bytes.
		preimage.push((ESCROW_ID_DOMAIN.len() as u8) << 2);
		preimage.extend_from_slice(ESCROW_ID_DOMAIN);
		preimage.extend_from_slice(&owner);
		preimage.extend_from_slice(fingerprint.as_bytes());
		assert_eq!(escrow_id(&owner, &fingerprint), H256(sp_crypto_hashing::blake2_256(&preimage)));
		assert_ne!(escrow_id(&[3u8; 32], &fingerprint), escrow_id(&owner, &fingerprint));
		assert_ne!(escrow_id(&owner, &H256::repeat_byte(4)), escrow_id(&owner, &fingerprint));
	}

	#[test]
	fn recovery_message_binds_escrow_requester_and_one_time_key() {
		let escrow = H256::repeat_byte(1);
		let base = recovery_request_message(&escrow, &[2u8; 32], &H256::repeat_byte(3));
		assert!(base.starts_with(&[(RECOVERY_SIGNATURE_DOMAIN.len() as u8) << 2]));
		assert_ne!(base, recovery_request_message(&H256::repeat_byte(9), &[2u8; 32], &H256::repeat_byte(3)));
		assert_ne!(base, recovery_request_message(&escrow, &[9u8; 32], &H256::repeat_byte(3)));
		assert_ne!(base, recovery_request_message(&escrow, &[2u8; 32], &H256::repeat_byte(9)));
	}
}
