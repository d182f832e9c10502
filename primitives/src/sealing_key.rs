//! Proof that a custodian holds the sealing key its certificate binds, and consents to it.
//!
//! A custodian's sealing key is the X25519 (Montgomery) form of an ed25519 key, converted the
//! way libsodium does: the same secret scalar serves both forms. So an ed25519 signature under
//! the Edwards form proves knowledge of the scalar that opens what is sealed to the X25519
//! form (a Schnorr proof of knowledge, as Signal's XEdDSA uses X25519 keys for signatures).
//! The subject account signs the same message, so an authority cannot bind a key of its own to
//! somebody else's account. The message names the chain and the subject, so a proof is not
//! replayed on another chain or for another account.

use alloc::vec::Vec;

use codec::{Decode, DecodeWithMemTracking, Encode};
use curve25519_dalek::edwards::CompressedEdwardsY;
use scale_info::TypeInfo;
use sp_core::{H256, H512};

/// Domain separator of [`sealing_key_message`].
pub const SEALING_KEY_DOMAIN: &[u8] = b"custos/custodian-sealing-key/v2";

/// What a custodian node signs, twice, to have its sealing key certified: the chain (its
/// genesis block hash), the subject account and the X25519 sealing key.
pub fn sealing_key_message<Genesis: Encode, AccountId: Encode>(
	genesis: &Genesis,
	subject: &AccountId,
	sealing_key: &H256,
) -> Vec<u8> {
	(SEALING_KEY_DOMAIN, genesis, subject, sealing_key).encode()
}

/// A custodian's proof of possession of its sealing key, with its account's consent.
#[derive(Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
pub struct SealingKeyProof<Signature> {
	/// The ed25519 public key whose X25519 form is the sealing key.
	pub edwards_key: H256,
	/// The ed25519 signature of [`sealing_key_message`] under `edwards_key`.
	pub key_signature: H512,
	/// The subject account's signature of the same message.
	pub subject_signature: Signature,
}

/// The X25519 form of the ed25519 public key `edwards` (RFC 7748's birational map), or `None`
/// if `edwards` is not a point of the prime-order subgroup (not a point, the identity, or with
/// a small-order component that no honest key has).
pub fn x25519_of_ed25519(edwards: &H256) -> Option<H256> {
	let point = CompressedEdwardsY(edwards.0).decompress()?;
	if !point.is_torsion_free() || point.is_small_order() {
		return None;
	}
	Some(H256(point.to_montgomery().to_bytes()))
}

#[cfg(feature = "std")]
impl<Signature> SealingKeyProof<Signature> {
	/// The sealing key of `edwards` (its X25519 form) and the proof of possession of it for
	/// `subject` on the chain with genesis `genesis`: signed by `edwards` and, through
	/// `sign_as_subject`, by the subject account.
	pub fn sign<Genesis: Encode, AccountId: Encode>(
		genesis: &Genesis,
		subject: &AccountId,
		edwards: &sp_core::ed25519::Pair,
		sign_as_subject: impl FnOnce(&[u8]) -> Signature,
	) -> (H256, Self) {
		use sp_core::Pair as _;
		let edwards_key = H256(edwards.public().0);
		let sealing_key =
			x25519_of_ed25519(&edwards_key).expect("an ed25519 key pair's public key converts; qed");
		let message = sealing_key_message(genesis, subject, &sealing_key);
		let proof = SealingKeyProof {
			edwards_key,
			key_signature: H512(edwards.sign(&message).0),
			subject_signature: sign_as_subject(&message),
		};
		(sealing_key, proof)
	}
}
