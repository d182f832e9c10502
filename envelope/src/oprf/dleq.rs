//! The discrete-log-equality proof of RFC 9497 section 2.2: a custodian proves that its
//! evaluation `Z_i = k_i·B` uses the same `k_i` as its public key `K_i = k_i·G`, without
//! revealing `k_i`.
//!
//! `ComputeComposites`, `ComputeCompositesFast`, `GenerateProof` and `VerifyProof` follow the
//! RFC's pseudocode step by step, for batches of any size (custodians evaluate batches of
//! one; the RFC's batch vector tests the general case).

use core::fmt;

use curve25519_dalek::{traits::Identity, RistrettoPoint, Scalar};
use sha2::{Digest, Sha512};
use zeroize::Zeroizing;

use super::suite::{
	deserialize_scalar, dst, hash_to_scalar, i2osp2, random_scalar, serialize_element, ELEMENT_LEN,
	HASH_LEN, LABEL_CHALLENGE, LABEL_COMPOSITE, LABEL_SEED, SCALAR_LEN,
};
use crate::{Error, Result};

/// A proof `(c, s)` that an evaluation used the key behind a public key. Public data; encoded
/// as `SerializeScalar(c) || SerializeScalar(s)`, 64 bytes.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Proof {
	pub(crate) c: Scalar,
	pub(crate) s: Scalar,
}

impl Proof {
	/// Length of the encoding.
	pub const LEN: usize = 2 * SCALAR_LEN;

	/// Decodes `c || s`; refuses scalars that are not reduced modulo the group order.
	pub fn from_bytes(bytes: &[u8; Self::LEN]) -> Result<Self> {
		let (c, s) = bytes.split_at(SCALAR_LEN);
		let scalar = |half: &[u8]| {
			deserialize_scalar(half.try_into().expect("half of 64 bytes"))
				.ok_or(Error::OprfInvalidScalar { what: "proof" })
		};
		Ok(Self { c: scalar(c)?, s: scalar(s)? })
	}

	/// `c || s`, 64 bytes.
	pub fn to_bytes(&self) -> [u8; Self::LEN] {
		let mut out = [0u8; Self::LEN];
		out[..SCALAR_LEN].copy_from_slice(self.c.as_bytes());
		out[SCALAR_LEN..].copy_from_slice(self.s.as_bytes());
		out
	}
}

impl fmt::Debug for Proof {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		f.write_str("Proof(")?;
		crate::fmt_hex(&self.to_bytes(), f)?;
		f.write_str(")")
	}
}

/// `seed` of `ComputeComposites`: `Hash(I2OSP(len(Bm), 2) || Bm || I2OSP(len(seedDST), 2) ||
/// seedDST)` with `seedDST = "Seed-" || contextString`.
fn composite_seed(mode: u8, b: &RistrettoPoint) -> [u8; HASH_LEN] {
	let seed_dst = dst(LABEL_SEED, mode);
	Sha512::new()
		.chain_update(i2osp2(ELEMENT_LEN))
		.chain_update(serialize_element(b))
		.chain_update(i2osp2(seed_dst.len()))
		.chain_update(&seed_dst)
		.finalize()
		.into()
}

/// The weights `d_i = HashToScalar(I2OSP(len(seed), 2) || seed || I2OSP(i, 2) ||
/// I2OSP(len(Ci), 2) || Ci || I2OSP(len(Di), 2) || Di || "Composite")`.
fn composite_weights<'a>(
	mode: u8,
	b: &RistrettoPoint,
	cs: &'a [RistrettoPoint],
	ds: &'a [RistrettoPoint],
) -> impl Iterator<Item = Scalar> + 'a {
	assert_eq!(cs.len(), ds.len(), "ComputeComposites: Cs and Ds differ in length");
	let seed = composite_seed(mode, b);
	cs.iter().zip(ds).enumerate().map(move |(i, (c, d))| {
		hash_to_scalar(
			mode,
			&[
				&i2osp2(HASH_LEN),
				&seed,
				&i2osp2(i),
				&i2osp2(ELEMENT_LEN),
				&serialize_element(c),
				&i2osp2(ELEMENT_LEN),
				&serialize_element(d),
				LABEL_COMPOSITE,
			],
		)
	})
}

/// `ComputeComposites(B, Cs, Ds)`: `(M, Z) = (Σ d_i·Cs[i], Σ d_i·Ds[i])`, for the verifier.
pub(crate) fn compute_composites(
	mode: u8,
	b: &RistrettoPoint,
	cs: &[RistrettoPoint],
	ds: &[RistrettoPoint],
) -> (RistrettoPoint, RistrettoPoint) {
	let mut m = RistrettoPoint::identity();
	let mut z = RistrettoPoint::identity();
	for ((di, c), d) in composite_weights(mode, b, cs, ds).zip(cs).zip(ds) {
		m += di * c;
		z += di * d;
	}
	(m, z)
}

/// `ComputeCompositesFast(k, B, Cs, Ds)`: `M = Σ d_i·Cs[i]` and `Z = k·M`, for the prover.
pub(crate) fn compute_composites_fast(
	mode: u8,
	k: &Scalar,
	b: &RistrettoPoint,
	cs: &[RistrettoPoint],
	ds: &[RistrettoPoint],
) -> (RistrettoPoint, RistrettoPoint) {
	let mut m = RistrettoPoint::identity();
	for (di, c) in composite_weights(mode, b, cs, ds).zip(cs) {
		m += di * c;
	}
	(m, k * m)
}

/// `HashToScalar(I2OSP(len(Bm), 2) || Bm || I2OSP(len(a0), 2) || a0 || .. || a3 ||
/// "Challenge")` over `[B, M, Z, t2, t3]`.
fn challenge(mode: u8, elements: [&RistrettoPoint; 5]) -> Scalar {
	let encoded = elements.map(serialize_element);
	let len = i2osp2(ELEMENT_LEN);
	hash_to_scalar(
		mode,
		&[
			&len,
			&encoded[0],
			&len,
			&encoded[1],
			&len,
			&encoded[2],
			&len,
			&encoded[3],
			&len,
			&encoded[4],
			LABEL_CHALLENGE,
		],
	)
}

/// `GenerateProof(k, A, B, Cs, Ds)` with the proof randomness `r` given (RFC 9497 2.2.1).
pub(crate) fn generate_proof_with_r(
	mode: u8,
	k: &Scalar,
	a: &RistrettoPoint,
	b: &RistrettoPoint,
	cs: &[RistrettoPoint],
	ds: &[RistrettoPoint],
	r: &Scalar,
) -> Proof {
	let (m, z) = compute_composites_fast(mode, k, b, cs, ds);
	let t2 = r * a;
	let t3 = r * m;
	let c = challenge(mode, [b, &m, &z, &t2, &t3]);
	let s = r - c * k;
	Proof { c, s }
}

/// `GenerateProof(k, A, B, Cs, Ds)` with `r = G.RandomScalar()` from `fill`.
pub(crate) fn generate_proof(
	mode: u8,
	k: &Scalar,
	a: &RistrettoPoint,
	b: &RistrettoPoint,
	cs: &[RistrettoPoint],
	ds: &[RistrettoPoint],
	fill: &mut dyn FnMut(&mut [u8]),
) -> Proof {
	let r = Zeroizing::new(random_scalar(fill));
	generate_proof_with_r(mode, k, a, b, cs, ds, &r)
}

/// `VerifyProof(A, B, Cs, Ds, proof)` (RFC 9497 2.2.2).
pub(crate) fn verify_proof(
	mode: u8,
	a: &RistrettoPoint,
	b: &RistrettoPoint,
	cs: &[RistrettoPoint],
	ds: &[RistrettoPoint],
	proof: &Proof,
) -> bool {
	let (m, z) = compute_composites(mode, b, cs, ds);
	let t2 = proof.s * a + proof.c * b;
	let t3 = proof.s * m + proof.c * z;
	let expected_c = challenge(mode, [b, &m, &z, &t2, &t3]);
	// Scalar equality is constant-time in curve25519-dalek.
	expected_c == proof.c
}
