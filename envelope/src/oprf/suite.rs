//! The ristretto255-SHA512 ciphersuite of RFC 9497 (section 4.1): context string, the hash
//! functions built on `expand_message_xmd` (RFC 9380 section 5.3.1) and the encodings of
//! elements and scalars.
//!
//! Everything here is the RFC's own building block, under the RFC's own names, so that the
//! known-answer tests of RFC 9497 Appendix A apply unchanged.

use curve25519_dalek::{ristretto::CompressedRistretto, traits::Identity, RistrettoPoint, Scalar};
use sha2::{Digest, Sha512};
use zeroize::Zeroizing;

/// RFC 9497 `modeOPRF`: only the known-answer tests use it.
#[cfg(test)]
pub(crate) const MODE_OPRF: u8 = 0x00;
/// RFC 9497 `modeVOPRF`: the mode custodians evaluate in.
pub(crate) const MODE_VOPRF: u8 = 0x01;

/// The suite identifier of RFC 9497 section 4.1.
const IDENTIFIER: &[u8] = b"ristretto255-SHA512";
/// Length of `contextString` ("OPRFV1-" || I2OSP(mode, 1) || "-" || identifier).
const CONTEXT_LEN: usize = 7 + 1 + 1 + IDENTIFIER.len();

/// Length of an encoded element (`Ne`) and of an encoded scalar (`Ns`).
pub(crate) const ELEMENT_LEN: usize = 32;
/// Length of an encoded scalar (`Ns`).
pub(crate) const SCALAR_LEN: usize = 32;
/// Output length of SHA-512 (`Nh`), and so of the OPRF.
pub(crate) const HASH_LEN: usize = 64;
/// SHA-512's input block size (`s_in_bytes` of RFC 9380).
const BLOCK_LEN: usize = 128;

/// Labels of RFC 9497 section 2.2 and 3.3.
pub(crate) const LABEL_SEED: &[u8] = b"Seed-";
pub(crate) const LABEL_COMPOSITE: &[u8] = b"Composite";
pub(crate) const LABEL_CHALLENGE: &[u8] = b"Challenge";
pub(crate) const LABEL_FINALIZE: &[u8] = b"Finalize";
const LABEL_HASH_TO_GROUP: &[u8] = b"HashToGroup-";
const LABEL_HASH_TO_SCALAR: &[u8] = b"HashToScalar-";

/// `contextString = "OPRFV1-" || I2OSP(mode, 1) || "-" || identifier` (RFC 9497 3.1).
pub(crate) fn context_string(mode: u8) -> [u8; CONTEXT_LEN] {
	let mut out = [0u8; CONTEXT_LEN];
	out[..7].copy_from_slice(b"OPRFV1-");
	out[7] = mode;
	out[8] = b'-';
	out[9..].copy_from_slice(IDENTIFIER);
	out
}

/// `label || contextString`, the domain-separation tags of RFC 9497.
pub(crate) fn dst(label: &[u8], mode: u8) -> Vec<u8> {
	[label, &context_string(mode)[..]].concat()
}

/// `I2OSP(n, 2)`, for lengths that the callers have already bounded.
///
/// # Panics
/// If `n` does not fit in two bytes (a bug: every caller bounds it first).
pub(crate) fn i2osp2(n: usize) -> [u8; 2] {
	u16::try_from(n).expect("length bounded by the caller").to_be_bytes()
}

/// `expand_message_xmd` of RFC 9380 section 5.3.1 with SHA-512, over the concatenation of
/// `msg`'s parts, filling all of `out`.
///
/// Every intermediate block is wiped: the message can be secret (the OPRF input).
///
/// # Panics
/// If `out` is empty or longer than 255 blocks, or `dst` is longer than 255 bytes: callers
/// only pass constants within bounds.
pub(crate) fn expand_message_xmd(msg: &[&[u8]], dst: &[u8], out: &mut [u8]) {
	let ell = out.len().div_ceil(HASH_LEN);
	assert!(!out.is_empty() && ell <= 255, "expand_message_xmd: output length out of range");
	let dst_len = u8::try_from(dst.len()).expect("expand_message_xmd: DST longer than 255 bytes");
	let len_in_bytes = i2osp2(out.len());

	// b_0 = H(Z_pad || msg || l_i_b_str || I2OSP(0, 1) || DST_prime)
	let mut hash = Sha512::new();
	hash.update([0u8; BLOCK_LEN]);
	msg.iter().for_each(|part| hash.update(part));
	hash.update(len_in_bytes);
	hash.update([0u8]);
	hash.update(dst);
	hash.update([dst_len]);
	let b_0: Zeroizing<[u8; HASH_LEN]> = Zeroizing::new(hash.finalize().into());

	// b_1 = H(b_0 || I2OSP(1, 1) || DST_prime)
	// b_i = H(strxor(b_0, b_(i - 1)) || I2OSP(i, 1) || DST_prime)
	let mut b_i = Zeroizing::new([0u8; HASH_LEN]);
	for (i, chunk) in (1..=ell).zip(out.chunks_mut(HASH_LEN)) {
		let mut chained = Zeroizing::new(*b_0);
		chained.iter_mut().zip(b_i.iter()).for_each(|(x, prev)| *x ^= prev);
		let mut hash = Sha512::new();
		hash.update(&chained[..]);
		hash.update([i as u8]);
		hash.update(dst);
		hash.update([dst_len]);
		*b_i = hash.finalize().into();
		chunk.copy_from_slice(&b_i[..chunk.len()]);
	}
}

/// `HashToGroup` of ristretto255-SHA512: `hash_to_ristretto255` (RFC 9380 appendix B, RFC 9496
/// section 4.3.4) with DST = "HashToGroup-" || contextString.
pub(crate) fn hash_to_group(mode: u8, input: &[u8]) -> Zeroizing<RistrettoPoint> {
	let mut uniform = Zeroizing::new([0u8; 64]);
	expand_message_xmd(&[input], &dst(LABEL_HASH_TO_GROUP, mode), &mut uniform[..]);
	Zeroizing::new(RistrettoPoint::from_uniform_bytes(&uniform))
}

/// `HashToScalar` of ristretto255-SHA512 with DST = "HashToScalar-" || contextString: 64 bytes
/// of `expand_message_xmd`, read little-endian and reduced modulo the group order.
pub(crate) fn hash_to_scalar(mode: u8, msg: &[&[u8]]) -> Scalar {
	let mut uniform = Zeroizing::new([0u8; 64]);
	expand_message_xmd(msg, &dst(LABEL_HASH_TO_SCALAR, mode), &mut uniform[..]);
	Scalar::from_bytes_mod_order_wide(&uniform)
}

/// `RandomScalar`: 64 bytes from `fill` reduced modulo the group order (RFC 9497 4.7, with
/// more than the 48 bytes it asks for), drawn again in the (negligible) case of zero.
pub(crate) fn random_scalar(fill: &mut dyn FnMut(&mut [u8])) -> Scalar {
	loop {
		let mut bytes = Zeroizing::new([0u8; 64]);
		fill(&mut bytes[..]);
		let scalar = Scalar::from_bytes_mod_order_wide(&bytes);
		if scalar != Scalar::ZERO {
			return scalar;
		}
	}
}

/// `SerializeElement`: the 32-byte ristretto255 encoding.
pub(crate) fn serialize_element(point: &RistrettoPoint) -> [u8; ELEMENT_LEN] {
	point.compress().to_bytes()
}

/// `DeserializeElement`: refuses non-canonical encodings and, as RFC 9497 section 4.1
/// requires, the identity.
pub(crate) fn deserialize_element(bytes: &[u8; ELEMENT_LEN]) -> Option<RistrettoPoint> {
	CompressedRistretto(*bytes).decompress().filter(|point| *point != RistrettoPoint::identity())
}

/// `DeserializeScalar`: refuses encodings that are not reduced modulo the group order.
pub(crate) fn deserialize_scalar(bytes: &[u8; SCALAR_LEN]) -> Option<Scalar> {
	Scalar::from_canonical_bytes(*bytes).into()
}
