//! The inner layer: a share encrypted to the owner's own passphrase key.
//!
//! Format: `[VERSION] [nonce: 24] [XChaCha20-Poly1305 ciphertext || tag: 16]`, key =
//! HKDF(P, `custos/v2/inner-key`), associated data = `custos/v2/inner` || VERSION || context
//! bytes (the version byte is authenticated, so it cannot be rewritten to another format's).
//! Custodians hold this layer (inside their HPKE layer) but cannot read it; the chain commits to
//! it. XChaCha's 24-byte random nonces make nonce reuse under one key negligible.

use chacha20poly1305::{
	aead::{AeadInOut, KeyInit},
	Key, XChaCha20Poly1305, XNonce,
};
use zeroize::Zeroizing;

use crate::{
	domain, random, Error, InnerCiphertext, ProtectionKey, Result, Share, ShareContext, VERSION,
};

const NONCE_LEN: usize = 24;
const TAG_LEN: usize = 16;
const HEADER_LEN: usize = 1 + NONCE_LEN;

/// Bytes the inner layer adds to a share (version, nonce, tag).
pub const INNER_OVERHEAD: usize = HEADER_LEN + TAG_LEN;

/// Encrypts `share` for slot `ctx.index` under the owner's key.
///
/// The share should be the one of that slot (x = index + 1): [`open_inner`] refuses any other.
///
/// # Panics
/// If the operating system cannot provide randomness.
pub fn seal_inner(key: &ProtectionKey, ctx: &ShareContext, share: &Share) -> InnerCiphertext {
	let mut nonce = [0u8; NONCE_LEN];
	random::fill(&mut nonce);
	seal_inner_with_nonce(key, ctx, share, &nonce)
}

/// [`seal_inner`] with a given nonce, for known-answer tests. Never reuse a nonce.
pub(crate) fn seal_inner_with_nonce(
	key: &ProtectionKey,
	ctx: &ShareContext,
	share: &Share,
	nonce: &[u8; NONCE_LEN],
) -> InnerCiphertext {
	let plaintext = share.as_bytes();
	// Exact capacity: the plaintext is encrypted in place and the tag appended without a
	// reallocation that could leave a plaintext copy behind.
	let mut out = Vec::with_capacity(INNER_OVERHEAD + plaintext.len());
	out.push(VERSION);
	out.extend_from_slice(nonce);
	out.extend_from_slice(plaintext);
	let nonce: &XNonce = nonce.into();
	let tag = cipher(key)
		.encrypt_inout_detached(nonce, &aad(ctx), (&mut out[HEADER_LEN..]).into())
		.expect("a share is far below XChaCha20-Poly1305's length limit");
	out.extend_from_slice(&tag);
	out.into()
}

/// Opens an inner layer for slot `ctx.index` and checks the share inside is that slot's.
///
/// Errors: unknown version, truncated input, [`Error::InnerDoesNotOpen`] (wrong passphrase or
/// context, or altered), [`Error::WrongSlot`] (an authentic share of another slot).
pub fn open_inner(
	key: &ProtectionKey,
	ctx: &ShareContext,
	inner: &InnerCiphertext,
) -> Result<Share> {
	let inner = inner.as_bytes();
	let Some(&version) = inner.first() else {
		return Err(truncated(inner.len()));
	};
	if version != VERSION {
		return Err(Error::UnsupportedVersion { found: version });
	}
	// A share has at least two bytes (x and one value byte).
	if inner.len() < INNER_OVERHEAD + 2 {
		return Err(truncated(inner.len()));
	}
	let nonce: &XNonce = inner[1..HEADER_LEN].try_into().expect("slice of NONCE_LEN bytes");
	let (ciphertext, tag) = inner[HEADER_LEN..].split_at(inner.len() - HEADER_LEN - TAG_LEN);
	let tag = tag.try_into().expect("slice of TAG_LEN bytes");

	// Decrypt in a buffer that is wiped however this ends.
	let mut plaintext = Zeroizing::new(ciphertext.to_vec());
	cipher(key)
		.decrypt_inout_detached(nonce, &aad(ctx), plaintext.as_mut_slice().into(), tag)
		.map_err(|_| Error::InnerDoesNotOpen { slot: ctx.index })?;
	let share = Share::from_bytes(core::mem::take(&mut *plaintext))?;
	if ctx.share_x() != Some(share.x()) {
		return Err(Error::WrongSlot { slot: ctx.index, x: share.x(), expected: ctx.expected_x() });
	}
	Ok(share)
}

fn cipher(key: &ProtectionKey) -> XChaCha20Poly1305 {
	let inner_key = key.inner_key();
	// Borrowed as an array reference, so the only copy outside `Zeroizing` is the cipher's
	// own, which it wipes on drop (the crate's `zeroize` feature).
	let inner_key: &Key = (&*inner_key).into();
	XChaCha20Poly1305::new(inner_key)
}

fn aad(ctx: &ShareContext) -> Vec<u8> {
	let mut aad = Vec::with_capacity(domain::INNER_AAD.len() + 1 + ShareContext::ENCODED_LEN);
	aad.extend_from_slice(domain::INNER_AAD);
	aad.push(VERSION);
	aad.extend_from_slice(&ctx.to_bytes());
	aad
}

fn truncated(len: usize) -> Error {
	Error::Truncated { what: "inner ciphertext", len, min: INNER_OVERHEAD + 2 }
}

#[cfg(test)]
mod tests {
	use super::*;

	use custos_primitives::H256;

	fn ctx() -> ShareContext {
		ShareContext::new(H256::repeat_byte(0x11), H256::repeat_byte(0x22), 3, 4)
	}

	fn share() -> Share {
		// x = 5 for slot 4.
		Share::from_bytes((5..=37).collect()).unwrap()
	}

	#[test]
	fn known_answer_with_fixed_nonce() {
		// Cross-checked with Python `cryptography` 48: HChaCha20 (RFC draft-irtf-cfrg-xchacha)
		// implemented by hand, then ChaCha20Poly1305 with 4 zero bytes || nonce[16..]; key
		// HKDF(0x42 * 32, "custos/v2/inner-key"), aad "custos/v2/inner" || 0x02 || context.
		let key = ProtectionKey::from_raw([0x42; 32]);
		let nonce: [u8; 24] = core::array::from_fn(|i| 0xa0 + i as u8);
		let inner = seal_inner_with_nonce(&key, &ctx(), &share(), &nonce);
		assert_eq!(inner.len(), INNER_OVERHEAD + 33);
		assert_eq!(hex::encode(inner.as_bytes()), "02a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7e3bfdd21c609dd38c12abe29c19412293910339ffd3eb910824d1d455da743b0fda44b3f21edc93576d7e52fbb00c04750");
		assert_eq!(open_inner(&key, &ctx(), &inner).unwrap().as_bytes(), share().as_bytes());
	}

	#[test]
	fn random_nonces_differ_and_round_trip() {
		let key = ProtectionKey::from_raw([0x42; 32]);
		let a = seal_inner(&key, &ctx(), &share());
		let b = seal_inner(&key, &ctx(), &share());
		assert_ne!(a, b);
		for inner in [a, b] {
			assert_eq!(open_inner(&key, &ctx(), &inner).unwrap().as_bytes(), share().as_bytes());
		}
	}

	#[test]
	fn every_bit_flip_is_refused() {
		let key = ProtectionKey::from_raw([0x42; 32]);
		let inner = seal_inner(&key, &ctx(), &share());
		for bit in 0..inner.len() * 8 {
			let mut altered = inner.clone().into_bytes();
			altered[bit / 8] ^= 1 << (bit % 8);
			let err = open_inner(&key, &ctx(), &altered.clone().into()).unwrap_err();
			if bit < 8 {
				assert_eq!(err, Error::UnsupportedVersion { found: altered[0] }, "bit {bit}");
			} else {
				assert_eq!(err, Error::InnerDoesNotOpen { slot: 4 }, "bit {bit}");
			}
		}
	}

	#[test]
	fn wrong_key_and_every_context_field_are_refused() {
		let key = ProtectionKey::from_raw([0x42; 32]);
		let inner = seal_inner(&key, &ctx(), &share());
		let refused = Err(Error::InnerDoesNotOpen { slot: 4 });
		let wrong_key = ProtectionKey::from_raw([0x43; 32]);
		assert_eq!(open_inner(&wrong_key, &ctx(), &inner).map(|_| ()), refused);
		for other in [
			ShareContext { genesis: H256::zero(), ..ctx() },
			ShareContext { escrow: H256::zero(), ..ctx() },
			ShareContext { generation: 4, ..ctx() },
		] {
			assert_eq!(open_inner(&key, &other, &inner).map(|_| ()), refused);
		}
		assert_eq!(
			open_inner(&key, &ctx().with_index(3), &inner).map(|_| ()),
			Err(Error::InnerDoesNotOpen { slot: 3 })
		);
	}

	#[test]
	fn authentic_share_of_another_slot_is_refused() {
		// Sealed under slot 4's context but holding slot 0's share (x = 1): only a buggy or
		// hostile sealer makes this, and the opener must not accept it as slot 4's.
		let key = ProtectionKey::from_raw([0x42; 32]);
		let foreign = Share::from_bytes(vec![1, 2, 3]).unwrap();
		let inner = seal_inner(&key, &ctx(), &foreign);
		let err = open_inner(&key, &ctx(), &inner).unwrap_err();
		assert_eq!(err, Error::WrongSlot { slot: 4, x: 1, expected: 5 });
		assert_eq!(err.to_string(), "share for slot 4 carries x=1, but slot 4 needs x=5");
	}

	#[test]
	fn unknown_version_and_truncation_are_refused() {
		let key = ProtectionKey::from_raw([0x42; 32]);
		let inner = seal_inner(&key, &ctx(), &share());
		let mut v7 = inner.clone().into_bytes();
		v7[0] = 7;
		let err = open_inner(&key, &ctx(), &v7.into()).unwrap_err();
		assert_eq!(err.to_string(), "unsupported envelope version 7 (this client knows 2)");
		for len in 0..inner.len() {
			let truncated = InnerCiphertext::from(inner.as_bytes()[..len].to_vec());
			let err = open_inner(&key, &ctx(), &truncated).unwrap_err();
			if len < INNER_OVERHEAD + 2 {
				assert_eq!(err, Error::Truncated { what: "inner ciphertext", len, min: 43 });
			} else {
				assert_eq!(err, Error::InnerDoesNotOpen { slot: 4 });
			}
		}
		let mut longer = inner.clone().into_bytes();
		longer.push(0);
		assert_eq!(
			open_inner(&key, &ctx(), &longer.into()).unwrap_err(),
			Error::InnerDoesNotOpen { slot: 4 }
		);
	}
}
