//! Whatever bytes a node, a custodian or a file hands the client, decoding and opening them
//! never panics: every function that takes outside bytes returns an error for garbage.
//! (Issue 13: property tests over arbitrary byte strings, with and without a valid version
//! byte in front so that the checks past the first one are reached too.)

use custos_envelope::{
	commitment,
	oprf::{BlindedElement, EvaluatedElement, Evaluation, OprfKeyShare, OprfOutput, Proof},
	open_as_custodian, open_inner, open_release, open_released_share, CustodianSecret,
	InnerCiphertext, KdfAlgorithm, KdfParams, OneTimeKey, PassphraseHash, ProtectionKey,
	ReleasedShare, SealedShare, Share, ShareContext,
};
use custos_primitives::H256;
use proptest::{collection::vec, prelude::*};

/// Arbitrary bytes, half of them starting with the envelope's version byte.
fn hostile() -> impl Strategy<Value = Vec<u8>> {
	prop_oneof![
		vec(any::<u8>(), 0..400),
		vec(any::<u8>(), 0..400).prop_map(|mut bytes| {
			bytes.insert(0, 2);
			bytes
		}),
	]
}

fn context() -> ShareContext {
	ShareContext::new(H256::repeat_byte(1), H256::repeat_byte(2), 0, 1)
}

fn protection_key() -> ProtectionKey {
	let params = KdfParams {
		algorithm: KdfAlgorithm::Argon2id,
		memory_kib: 8,
		iterations: 1,
		parallelism: 1,
		salt: [3; 16],
	};
	let hash = PassphraseHash::derive(b"passphrase", &[4; 32], &params).expect("valid params");
	ProtectionKey::from_oprf(&hash, &OprfOutput::from_bytes([5; OprfOutput::LEN]))
}

proptest! {
	#![proptest_config(ProptestConfig::with_cases(256))]

	#[test]
	fn sealed_shares_never_open_by_chance(bytes in hostile()) {
		let secret = CustodianSecret::from_bytes([6; 32]);
		prop_assert!(open_as_custodian(&secret, &context(), &SealedShare::from(bytes)).is_err());
	}

	#[test]
	fn releases_never_open_by_chance(bytes in hostile()) {
		let key = OneTimeKey::from_bytes([7; 32]);
		let release = ReleasedShare::from(bytes);
		prop_assert!(open_release(&key, &context(), &release).is_err());
		let expected = commitment(&context(), &InnerCiphertext::from(vec![2; 64]));
		let opened = open_released_share(&key, &protection_key(), &context(), &release, &expected);
		prop_assert!(opened.is_err());
	}

	#[test]
	fn inner_ciphertexts_never_open_by_chance(bytes in hostile()) {
		let inner = InnerCiphertext::from(bytes);
		prop_assert!(open_inner(&protection_key(), &context(), &inner).is_err());
	}

	#[test]
	fn shares_and_oprf_encodings_decode_or_refuse(bytes in hostile(), slot in any::<u32>()) {
		let _ = Share::from_bytes(bytes.clone());
		let _ = Evaluation::from_bytes(slot, &bytes);
		let mut fixed = [0u8; 32];
		let n = bytes.len().min(32);
		fixed[..n].copy_from_slice(&bytes[..n]);
		let _ = BlindedElement::from_bytes(&fixed);
		let _ = EvaluatedElement::from_bytes(&fixed);
		let _ = OprfKeyShare::from_bytes(slot, &fixed);
		let mut proof = [0u8; Proof::LEN];
		let m = bytes.len().min(Proof::LEN);
		proof[..m].copy_from_slice(&bytes[..m]);
		let _ = Proof::from_bytes(&proof);
	}
}
