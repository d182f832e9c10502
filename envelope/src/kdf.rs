//! The hardened passphrase h, the protection key P and the subkeys derived from P.
//!
//! h = Argon2id v0x13(password = passphrase || owner account id, salt, m, t, p), 32 bytes
//! ([`PassphraseHash`]). The account id is part of the password so that one passphrase used by
//! two owners gives two unrelated values even if their salts collide.
//!
//! P = HKDF-SHA256(ikm = h || y, no salt, info = `custos/v2/protection-key`) where y is the
//! threshold OPRF's output on h ([`crate::oprf`]): no one can compute P, or test a passphrase
//! against anything P derives, without `t` custodians evaluating a guess the chain counted.
//! Subkeys are HKDF-SHA256(ikm = P, no salt, info = a `custos/v2/` label), so the inner-layer
//! key and the recovery seed are independent.
//!
//! The parameters are the chain's [`KdfParams`] (from `custos-primitives`); this module adds
//! the client's own, stricter bounds ([`validate_kdf`]), since the parameters come from a public
//! record that anyone may have written.

use core::fmt;

use argon2::{Algorithm, Argon2, Block, Params, Version};
use hkdf::Hkdf;
#[cfg(feature = "parallel-kdf")]
use rayon::prelude::*;
use sha2::Sha256;
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use custos_primitives::{KdfAlgorithm, KdfParams};

use crate::{domain, oprf::OprfOutput, random, Error, Result};

/// Largest accepted memory: 4 GiB. [`KdfParams`] come from a public record; the bounds stop a
/// hostile record from making the client allocate terabytes or run for hours. Defined with
/// [`KdfParams`], so the chain refuses what the client would.
pub const MAX_KDF_MEMORY_KIB: u32 = KdfParams::MAX_MEMORY_KIB;
/// Largest accepted number of passes.
pub const MAX_KDF_ITERATIONS: u32 = KdfParams::MAX_ITERATIONS;
/// Largest accepted number of lanes. With the `parallel-kdf` feature (on by default) the lanes
/// of each slice are computed on rayon's threads, one per core; `p` is part of the function
/// either way, so it must be repeated exactly.
pub const MAX_KDF_PARALLELISM: u32 = KdfParams::MAX_PARALLELISM;

/// A fresh random salt for [`KdfParams`], one per escrow.
///
/// # Panics
/// If the operating system cannot provide randomness.
pub fn random_salt() -> [u8; KdfParams::SALT_LEN] {
	let mut salt = [0u8; KdfParams::SALT_LEN];
	random::fill(&mut salt);
	salt
}

/// Checks `params` against Argon2's limits and this crate's bounds ([`MAX_KDF_MEMORY_KIB`],
/// [`MAX_KDF_ITERATIONS`], [`MAX_KDF_PARALLELISM`]); [`PassphraseHash::derive`] refuses what
/// this refuses.
pub fn validate_kdf(params: &KdfParams) -> Result<()> {
	match params.algorithm {
		KdfAlgorithm::Argon2id => {
			check("parallelism (lanes)", params.parallelism, 1, MAX_KDF_PARALLELISM)?;
			// Argon2 needs at least 8 blocks of 1 KiB per lane.
			check("memory_kib", params.memory_kib, 8 * params.parallelism, MAX_KDF_MEMORY_KIB)?;
			check("iterations", params.iterations, 1, MAX_KDF_ITERATIONS)
		},
	}
}

fn check(field: &'static str, value: u32, min: u32, max: u32) -> Result<()> {
	if (min..=max).contains(&value) {
		Ok(())
	} else {
		Err(Error::KdfParamOutOfRange { field, value, min, max })
	}
}

fn argon2_params(params: &KdfParams) -> Result<Params> {
	validate_kdf(params)?;
	Params::new(params.memory_kib, params.iterations, params.parallelism, Some(PassphraseHash::LEN))
		.map_err(|e| Error::Kdf { reason: e.to_string() })
}

/// Argon2's blocks, ours and not the crate's: argon2 0.6 frees its blocks without wiping them,
/// and the last blocks determine h. Wiped on drop. With `parallel-kdf`, first touched and wiped
/// on rayon's threads too: done on one core, the page faults, zeroing and wiping took a third
/// of a derivation at 64 MiB once the lanes ran in parallel.
struct Memory(Vec<Block>);

impl Memory {
	/// `count` zeroed blocks, or `None` if they cannot be allocated.
	fn new(count: usize) -> Option<Self> {
		let mut blocks = Vec::new();
		blocks.try_reserve_exact(count).ok()?;
		// Both fill the reserved capacity in place, without reallocating.
		#[cfg(feature = "parallel-kdf")]
		blocks.par_extend((0..count).into_par_iter().map(|_| Block::new()));
		#[cfg(not(feature = "parallel-kdf"))]
		blocks.resize(count, Block::new());
		Some(Self(blocks))
	}
}

impl Drop for Memory {
	fn drop(&mut self) {
		#[cfg(feature = "parallel-kdf")]
		self.0.par_iter_mut().for_each(Zeroize::zeroize);
		#[cfg(not(feature = "parallel-kdf"))]
		self.0.zeroize();
	}
}

/// The hardened passphrase h = Argon2id(passphrase || owner, salt): the OPRF's input. Secret
/// (it is what every passphrase guess is made of): zeroized on drop, `Debug` shows nothing.
pub struct PassphraseHash {
	hash: [u8; PassphraseHash::LEN],
}

impl PassphraseHash {
	/// Length of h.
	pub const LEN: usize = 32;

	/// Derives h = Argon2id(passphrase || identity, params.salt, params.memory_kib,
	/// params.iterations, params.parallelism), 32 bytes. `identity` is the owner's 32-byte
	/// account id. Refuses parameters that [`validate_kdf`] refuses.
	///
	/// Takes as long as the parameters say: on the project's two cores about 70 ms with
	/// [`KdfParams::recommended`] (64 MiB), 120 ms at the client's default of 96 MiB.
	pub fn derive(passphrase: &[u8], identity: &[u8; 32], params: &KdfParams) -> Result<Self> {
		if passphrase.is_empty() {
			return Err(Error::EmptyPassphrase);
		}
		let algorithm = match params.algorithm {
			KdfAlgorithm::Argon2id => Algorithm::Argon2id,
		};
		let argon2 = Argon2::new(algorithm, Version::V0x13, argon2_params(params)?);

		// Exact capacity, so the concatenation never reallocates and leaves a copy behind.
		let mut password = Zeroizing::new(Vec::with_capacity(passphrase.len() + identity.len()));
		password.extend_from_slice(passphrase);
		password.extend_from_slice(identity);

		let mut blocks = Memory::new(argon2.params().block_count()).ok_or_else(|| Error::Kdf {
			reason: format!("cannot allocate {} KiB for Argon2", params.memory_kib),
		})?;
		let mut hash = Self { hash: [0u8; Self::LEN] };
		argon2
			.hash_password_into_with_memory(&password, &params.salt, &mut hash.hash, &mut blocks.0)
			.map_err(|e| Error::Kdf { reason: e.to_string() })?;
		Ok(hash)
	}

	/// The bytes of h: the OPRF input ([`crate::oprf::blind`], [`crate::oprf::OprfKey::evaluate_unblinded`]).
	pub fn as_bytes(&self) -> &[u8; Self::LEN] {
		&self.hash
	}

	/// An h from raw bytes, so tests of later steps do not depend on Argon2.
	#[cfg(test)]
	pub(crate) fn from_raw(hash: [u8; Self::LEN]) -> Self {
		Self { hash }
	}
}

impl Drop for PassphraseHash {
	fn drop(&mut self) {
		self.hash.zeroize();
	}
}

impl ZeroizeOnDrop for PassphraseHash {}

impl fmt::Debug for PassphraseHash {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		f.write_str("PassphraseHash(<secret>)")
	}
}

/// The owner's protection key P = HKDF(h || y), from which the inner-layer key and the
/// recovery key come. Zeroized on drop; its `Debug` shows nothing of it.
pub struct ProtectionKey {
	key: [u8; ProtectionKey::LEN],
}

impl ProtectionKey {
	/// Length of P.
	pub const LEN: usize = 32;

	/// P = HKDF-SHA256(ikm = h || y, no salt, info = `custos/v2/protection-key`): h from the
	/// passphrase, y the OPRF output on h (the owner computes it with the whole OPRF key, a
	/// requester from `t` custodians' evaluations of a counted guess).
	pub fn from_oprf(hash: &PassphraseHash, output: &OprfOutput) -> Self {
		let mut ikm = Zeroizing::new([0u8; PassphraseHash::LEN + OprfOutput::LEN]);
		ikm[..PassphraseHash::LEN].copy_from_slice(&hash.hash);
		ikm[PassphraseHash::LEN..].copy_from_slice(output.as_bytes());
		let mut key = Self { key: [0u8; Self::LEN] };
		Hkdf::<Sha256>::new(None, &ikm[..])
			.expand(domain::PROTECTION_KEY, &mut key.key)
			.expect("32 bytes is far below HKDF-SHA256's limit of 8160");
		key
	}

	/// Key of the inner layer: HKDF-SHA256(P, info = `custos/v2/inner-key`).
	pub(crate) fn inner_key(&self) -> Zeroizing<[u8; 32]> {
		self.subkey(domain::INNER_KEY)
	}

	/// Seed of the owner's recovery key (the client makes an sr25519 pair from it):
	/// HKDF-SHA256(P, info = `custos/v2/recovery-key`).
	pub fn recovery_seed(&self) -> Zeroizing<[u8; 32]> {
		self.subkey(domain::RECOVERY_KEY)
	}

	fn subkey(&self, info: &[u8]) -> Zeroizing<[u8; 32]> {
		let mut out = Zeroizing::new([0u8; 32]);
		Hkdf::<Sha256>::new(None, &self.key)
			.expand(info, &mut *out)
			.expect("32 bytes is far below HKDF-SHA256's limit of 8160");
		out
	}

	/// A key from raw bytes, so layer tests do not depend on Argon2.
	#[cfg(test)]
	pub(crate) fn from_raw(key: [u8; Self::LEN]) -> Self {
		Self { key }
	}
}

impl Drop for ProtectionKey {
	fn drop(&mut self) {
		self.key.zeroize();
	}
}

impl ZeroizeOnDrop for ProtectionKey {}

impl fmt::Debug for ProtectionKey {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		f.write_str("ProtectionKey(<secret>)")
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::tests::small_params;

	#[test]
	fn argon2_crate_matches_rfc9106_argon2id_vector() {
		// RFC 9106 section 5.3: Argon2id v0x13, m = 32, t = 3, p = 4, with secret and
		// associated data (which our derivation does not use, but the crate's core does).
		let params = argon2::ParamsBuilder::new()
			.m_cost(32)
			.t_cost(3)
			.p_cost(4)
			.data(argon2::AssociatedData::new(&[0x04; 12]).unwrap())
			.build()
			.unwrap();
		let secret = [0x03; 8];
		let argon2 =
			Argon2::new_with_secret(&secret, Algorithm::Argon2id, Version::V0x13, params).unwrap();
		let mut out = [0u8; 32];
		argon2.hash_password_into(&[0x01; 32], &[0x02; 16], &mut out).unwrap();
		assert_eq!(
			hex::encode(out),
			"0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659"
		);
	}

	#[test]
	fn passphrase_hash_known_answer() {
		// Cross-checked with Python `cryptography` 48 Argon2id(salt, length=32, iterations=2,
		// lanes=2, memory_cost=64) over b"correct horse battery staple" + bytes([0x07] * 32).
		let hash =
			PassphraseHash::derive(b"correct horse battery staple", &[0x07; 32], &small_params())
				.unwrap();
		assert_eq!(
			hex::encode(hash.hash),
			"4701b139b45d907fed31e343cfff97abc42290cf859f577fbc70a9f4ec11d8f7"
		);
	}

	#[test]
	fn passphrase_hash_known_answer_with_the_clients_lanes() {
		// t = 3, p = 4 as the client uses, at 4 MiB: four lanes on rayon's threads with
		// `parallel-kdf`, one after another without it; both give this, run after run.
		// Cross-checked with Python `cryptography` 48 Argon2id(salt, length=32, iterations=3,
		// lanes=4, memory_cost=4096) over b"correct horse battery staple" + bytes([0x07] * 32).
		let params =
			KdfParams { memory_kib: 4096, iterations: 3, parallelism: 4, ..small_params() };
		for _ in 0..3 {
			let hash =
				PassphraseHash::derive(b"correct horse battery staple", &[0x07; 32], &params)
					.unwrap();
			assert_eq!(
				hex::encode(hash.hash),
				"37791072b8be3be1b952e49b5e1e53f8ff955d09fc6367c0f290ba0075eb2ad8"
			);
		}
	}

	#[test]
	fn subkeys_known_answer() {
		// Cross-checked with Python hmac/hashlib HKDF-SHA256 (RFC 5869, empty salt).
		let key = ProtectionKey::from_raw([0x42; 32]);
		assert_eq!(
			hex::encode(*key.inner_key()),
			"da65985a7ea710b606f371d68ce37f280db7ee6cafbff656e378597f292be104"
		);
		assert_eq!(
			hex::encode(*key.recovery_seed()),
			"2e8d1768225c8b8edbc5330783582dfd190c252c2c2c752ba0d131a79c1ccaa4"
		);
	}

	#[test]
	fn protection_key_from_oprf_known_answer() {
		// Cross-checked with Python hmac/hashlib HKDF-SHA256 (RFC 5869, empty salt) over
		// bytes([0x11] * 32) + bytes([0x22] * 64), info b"custos/v2/protection-key".
		let key = ProtectionKey::from_oprf(
			&PassphraseHash::from_raw([0x11; 32]),
			&OprfOutput::from_bytes([0x22; 64]),
		);
		assert_eq!(
			hex::encode(key.key),
			"ff9b1b03332864f2a069a0c2ec5f58043d2ab0de0ad9baa4161ea4685731ad30"
		);
		// Both halves matter.
		let other_hash = ProtectionKey::from_oprf(
			&PassphraseHash::from_raw([0x12; 32]),
			&OprfOutput::from_bytes([0x22; 64]),
		);
		let other_output = ProtectionKey::from_oprf(
			&PassphraseHash::from_raw([0x11; 32]),
			&OprfOutput::from_bytes([0x23; 64]),
		);
		assert_ne!(key.key, other_hash.key);
		assert_ne!(key.key, other_output.key);
	}

	#[test]
	fn identity_and_passphrase_and_salt_all_matter() {
		let base = PassphraseHash::derive(b"pass", &[1; 32], &small_params()).unwrap();
		let other_identity = PassphraseHash::derive(b"pass", &[2; 32], &small_params()).unwrap();
		let other_pass = PassphraseHash::derive(b"pasS", &[1; 32], &small_params()).unwrap();
		let other_salt = PassphraseHash::derive(
			b"pass",
			&[1; 32],
			&KdfParams { salt: [0; 16], ..small_params() },
		)
		.unwrap();
		assert_ne!(base.hash, other_identity.hash);
		assert_ne!(base.hash, other_pass.hash);
		assert_ne!(base.hash, other_salt.hash);
		let key = ProtectionKey::from_raw([0x42; 32]);
		assert_ne!(*key.inner_key(), *key.recovery_seed());
	}

	#[test]
	fn recommended_is_rfc9106_second_option() {
		let params = KdfParams::recommended([5; 16]);
		assert_eq!(params.algorithm, KdfAlgorithm::Argon2id);
		assert_eq!((params.memory_kib, params.iterations, params.parallelism), (65536, 3, 4));
		assert_eq!(params.salt, [5; 16]);
		assert_eq!(validate_kdf(&params), Ok(()));
		assert_ne!(random_salt(), random_salt());
	}

	#[test]
	fn out_of_range_params_are_refused_with_the_field_named() {
		let cases = [
			(KdfParams { parallelism: 0, ..small_params() }, "parallelism (lanes)"),
			(KdfParams { parallelism: 256, ..small_params() }, "parallelism (lanes)"),
			(KdfParams { memory_kib: 15, ..small_params() }, "memory_kib"),
			(KdfParams { memory_kib: 4 * 1024 * 1024 + 1, ..small_params() }, "memory_kib"),
			(KdfParams { iterations: 0, ..small_params() }, "iterations"),
			(KdfParams { iterations: 1025, ..small_params() }, "iterations"),
		];
		for (params, field) in cases {
			match PassphraseHash::derive(b"pass", &[1; 32], &params) {
				Err(Error::KdfParamOutOfRange { field: found, .. }) => assert_eq!(found, field),
				other => panic!("{params:?} gave {other:?}"),
			}
		}
		let message = validate_kdf(&KdfParams { iterations: 0, ..small_params() }).unwrap_err();
		assert_eq!(message.to_string(), "Argon2 iterations = 0 is out of range 1..=1024");
	}

	#[test]
	fn bounds_are_inclusive_and_the_same_as_the_chains() {
		let largest = KdfParams {
			memory_kib: MAX_KDF_MEMORY_KIB,
			iterations: MAX_KDF_ITERATIONS,
			parallelism: MAX_KDF_PARALLELISM,
			..small_params()
		};
		assert_eq!(validate_kdf(&largest), Ok(()));
		let smallest = KdfParams { memory_kib: 8, iterations: 1, parallelism: 1, ..small_params() };
		assert_eq!(validate_kdf(&smallest), Ok(()));
		// This crate and the chain (`KdfParams::is_well_formed`) accept exactly the same
		// parameters: the edges agree, one step inside and one step outside each bound.
		assert!(largest.is_well_formed() && smallest.is_well_formed());
		for outside in [
			KdfParams { parallelism: 256, memory_kib: 8 * 256, ..small_params() },
			KdfParams { memory_kib: MAX_KDF_MEMORY_KIB + 1, ..small_params() },
			KdfParams { iterations: MAX_KDF_ITERATIONS + 1, ..small_params() },
			KdfParams { iterations: 0, ..small_params() },
			KdfParams { memory_kib: 7, ..small_params() },
		] {
			assert!(!outside.is_well_formed(), "{outside:?}");
			assert!(validate_kdf(&outside).is_err(), "{outside:?}");
		}
	}

	#[test]
	fn empty_passphrase_is_refused() {
		assert_eq!(
			PassphraseHash::derive(b"", &[1; 32], &small_params()).unwrap_err(),
			Error::EmptyPassphrase
		);
	}

	#[test]
	fn debug_shows_no_key_material() {
		let key = ProtectionKey::from_raw([0xab; 32]);
		let shown = format!("{key:?}");
		assert_eq!(shown, "ProtectionKey(<secret>)");
		assert!(!shown.contains("ab"));
		let shown = format!("{:?}", PassphraseHash::from_raw([0xab; 32]));
		assert_eq!(shown, "PassphraseHash(<secret>)");
	}
}
