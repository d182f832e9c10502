//! The OPRF key `k`, its Shamir shares `k_i` over the ristretto255 scalar field, and the
//! public keys `K_i = k_i·G` recorded on chain.
//!
//! The share of slot `i` (0-based) is `f(i + 1)` for a random polynomial `f` of degree
//! `t - 1` with `f(0) = k`, so any `t` shares give `k` back by Lagrange interpolation at 0 and
//! fewer say nothing about it. The owner never needs `k` again after the split; custodians
//! never see it.

use core::fmt;

use curve25519_dalek::{traits::Identity, RistrettoPoint, Scalar};
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use super::{
	output::{check_input_len, finalize_hash, OprfOutput},
	suite::{
		deserialize_element, deserialize_scalar, hash_to_group, random_scalar, MODE_VOPRF,
		SCALAR_LEN,
	},
};
use crate::{random, Error, Result};

/// The whole OPRF key `k`: a random non-zero ristretto255 scalar. Only the owner holds it, and
/// only to [`split_key`] it. Zeroized on drop; `Debug` never shows it.
#[derive(Zeroize, ZeroizeOnDrop)]
pub struct OprfKey {
	pub(crate) scalar: Scalar,
}

impl OprfKey {
	/// A fresh key from the operating system's randomness.
	///
	/// # Panics
	/// If the operating system cannot provide randomness.
	pub fn generate() -> Self {
		Self::generate_with(&mut random::fill)
	}

	pub(crate) fn generate_with(fill: &mut dyn FnMut(&mut [u8])) -> Self {
		Self { scalar: random_scalar(fill) }
	}

	/// The key of a known scalar (known-answer tests).
	#[cfg(test)]
	pub(crate) fn from_scalar(scalar: Scalar) -> Self {
		Self { scalar }
	}

	/// RFC 9497 `Evaluate(skS, input)` (section 3.3.1) with the whole key:
	/// `Finalize`'s hash over `k·HashToGroup(input)`. The owner computes `y = OPRF_k(h)` this
	/// way at escrow time; a requester gets the same `y` from `t` custodians' evaluations of a
	/// blinded `h` ([`combine_and_finalize`](crate::oprf::combine_and_finalize)).
	///
	/// Refuses an input longer than 65535 bytes and one that hashes to the identity.
	pub fn evaluate_unblinded(&self, input: &[u8]) -> Result<OprfOutput> {
		evaluate_unblinded_in_mode(MODE_VOPRF, &self.scalar, input)
	}

	/// `k·G`, the public key of the whole OPRF. The threshold protocol does not need it (each
	/// custodian's evaluation is checked against its own [`OprfKeyShare::public`]).
	pub fn public(&self) -> OprfPublicKey {
		OprfPublicKey::of(&self.scalar)
	}
}

impl fmt::Debug for OprfKey {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		f.write_str("OprfKey(<secret>)")
	}
}

/// One custodian's share `k_i` of the OPRF key, for the 0-based custodian slot `index`
/// (Shamir x = `index + 1`). Zeroized on drop; `Debug` shows only the slot.
///
/// Encoded as the 32-byte little-endian scalar alone: the slot comes from where the share is
/// kept (its [`ShareContext`](crate::ShareContext)). A custodian checks a decoded share with
/// `share.public() == K_i` against the key recorded on chain for its slot.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct OprfKeyShare {
	pub(crate) index: u32,
	pub(crate) scalar: Scalar,
}

impl OprfKeyShare {
	/// Length of the encoding.
	pub const LEN: usize = SCALAR_LEN;

	/// The share of slot `index` from its 32-byte little-endian encoding. Refuses an encoding
	/// that is not reduced modulo the group order, and zero (no honest split produces it).
	pub fn from_bytes(index: u32, bytes: &[u8; Self::LEN]) -> Result<Self> {
		let scalar = Zeroizing::new(
			deserialize_scalar(bytes).ok_or(Error::OprfInvalidScalar { what: "OPRF key share" })?,
		);
		if *scalar == Scalar::ZERO {
			return Err(Error::OprfInvalidScalar { what: "OPRF key share" });
		}
		Ok(Self { index, scalar: *scalar })
	}

	/// The 32-byte little-endian encoding of the scalar (without the slot).
	pub fn to_bytes(&self) -> Zeroizing<[u8; Self::LEN]> {
		Zeroizing::new(self.scalar.to_bytes())
	}

	/// The 0-based custodian slot this share belongs to.
	pub fn index(&self) -> u32 {
		self.index
	}

	/// `K_i = k_i·G`, what the chain records for this slot and what evaluations are checked
	/// against.
	pub fn public(&self) -> OprfPublicKey {
		OprfPublicKey::of(&self.scalar)
	}
}

impl fmt::Debug for OprfKeyShare {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		f.debug_struct("OprfKeyShare").field("index", &self.index).finish_non_exhaustive()
	}
}

/// `Evaluate` in `mode` (the tests check the OPRF-mode vectors too).
pub(crate) fn evaluate_unblinded_in_mode(
	mode: u8,
	key: &Scalar,
	input: &[u8],
) -> Result<OprfOutput> {
	check_input_len(input)?;
	let input_element = hash_to_group(mode, input);
	if *input_element == RistrettoPoint::identity() {
		return Err(Error::OprfInputIsIdentity);
	}
	let evaluated = Zeroizing::new(key * *input_element);
	finalize_hash(input, &evaluated)
}

/// The Shamir x of a 0-based slot: `index + 1`, never 0.
pub(crate) fn share_x(index: u32) -> Scalar {
	Scalar::from(u64::from(index) + 1)
}

/// A public key `K = k·G` (of a key share, or of the whole key): the 32-byte ristretto255
/// encoding. Public data: `Debug` shows it as `0x`-hex.
///
/// Any 32 bytes are accepted here, so that it converts freely from what the chain stores;
/// [`verify`](crate::oprf::verify) refuses one that is not a valid element other than the
/// identity, naming the slot.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct OprfPublicKey([u8; OprfPublicKey::LEN]);

impl OprfPublicKey {
	/// Length of the key.
	pub const LEN: usize = 32;

	fn of(scalar: &Scalar) -> Self {
		Self(RistrettoPoint::mul_base(scalar).compress().to_bytes())
	}

	/// The key with these bytes.
	pub const fn from_bytes(bytes: [u8; Self::LEN]) -> Self {
		Self(bytes)
	}

	/// The key's bytes.
	pub const fn to_bytes(&self) -> [u8; Self::LEN] {
		self.0
	}

	/// The key's bytes, borrowed.
	pub const fn as_bytes(&self) -> &[u8; Self::LEN] {
		&self.0
	}

	/// Whether the bytes are a canonical ristretto255 encoding of an element other than the
	/// identity, so that evaluations can be checked against it.
	pub fn is_valid(&self) -> bool {
		self.decode().is_some()
	}

	/// The element, unless the encoding is not canonical or is the identity.
	pub(crate) fn decode(&self) -> Option<RistrettoPoint> {
		deserialize_element(&self.0)
	}
}

crate::bytes32::public_bytes32!(OprfPublicKey);

/// Splits `key` into `n` shares of which any `threshold` evaluate the OPRF as `key` does.
/// Share `i` (0-based slot) is `f(i + 1)` for a random polynomial `f` of degree
/// `threshold - 1` over the ristretto255 scalar field with `f(0) = k`. Needs
/// `2 <= threshold <= n` (n <= 255 by its type).
///
/// The coefficients are wiped before returning.
///
/// # Panics
/// If the operating system cannot provide randomness.
pub fn split_key(key: &OprfKey, threshold: u8, n: u8) -> Result<Vec<OprfKeyShare>> {
	split_key_with(key, threshold, n, &mut random::fill)
}

pub(crate) fn split_key_with(
	key: &OprfKey,
	threshold: u8,
	n: u8,
	fill: &mut dyn FnMut(&mut [u8]),
) -> Result<Vec<OprfKeyShare>> {
	if threshold < 2 || threshold > n {
		return Err(Error::InvalidThreshold { threshold, n: n.into() });
	}
	loop {
		// coefficients[0] = k, the rest random: f(x) = Σ coefficients[j]·x^j.
		let mut coefficients: Zeroizing<Vec<Scalar>> =
			Zeroizing::new(Vec::with_capacity(threshold.into()));
		coefficients.push(key.scalar);
		(1..threshold).for_each(|_| coefficients.push(random_scalar(fill)));

		let shares: Vec<OprfKeyShare> = (0..u32::from(n))
			.map(|index| {
				let x = share_x(index);
				// Horner: f(x) = (..(c_{t-1}·x + c_{t-2})·x + ..)·x + c_0.
				let mut y = Zeroizing::new(Scalar::ZERO);
				coefficients.iter().rev().for_each(|c| *y = *y * x + c);
				OprfKeyShare { index, scalar: *y }
			})
			.collect();
		// A zero share (probability about n / 2^252) would not decode; draw again.
		if shares.iter().all(|share| share.scalar != Scalar::ZERO) {
			return Ok(shares);
		}
	}
}
