//! Shamir secret sharing over GF(256) (`vsss-rs`, constant-time field arithmetic, AES
//! polynomial 0x11b).
//!
//! A share is `x || y_1 .. y_len`, one y per secret byte, with `x = slot + 1`. `vsss-rs`
//! combines fewer than `t` shares into garbage without complaint, so [`combine`] counts them
//! first; it also refuses x = 0, duplicate x and unequal lengths before the library sees them.

use core::fmt;

use vsss_rs::Gf256;
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use crate::{random, Error, Result};

/// One Shamir share: `x || y-bytes`. Zeroized on drop; `Debug` shows only x and length.
#[derive(Clone)]
pub struct Share {
	// Invariant: at least 2 bytes, and bytes[0] (x) != 0.
	bytes: Vec<u8>,
}

impl Share {
	/// A share from its bytes (`x || y-bytes`); refuses fewer than 2 bytes and x = 0.
	/// Takes the vector by value, so the bytes are not copied.
	pub fn from_bytes(bytes: Vec<u8>) -> Result<Self> {
		// Wrapped first, so the bytes are wiped on the error paths too.
		let share = Self { bytes };
		if share.bytes.len() < 2 {
			return Err(Error::ShareTooShort { len: share.bytes.len() });
		}
		if share.bytes[0] == 0 {
			return Err(Error::ZeroShareX);
		}
		Ok(share)
	}

	/// The share's x (slot + 1).
	pub fn x(&self) -> u8 {
		self.bytes[0]
	}

	/// The whole share, x first.
	pub fn as_bytes(&self) -> &[u8] {
		&self.bytes
	}

	/// Length of the secret this share helps rebuild (the share is one byte longer).
	pub fn secret_len(&self) -> usize {
		self.bytes.len() - 1
	}
}

impl Drop for Share {
	fn drop(&mut self) {
		self.bytes.zeroize();
	}
}

impl ZeroizeOnDrop for Share {}

impl fmt::Debug for Share {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		f.debug_struct("Share")
			.field("x", &self.x())
			.field("secret_len", &self.secret_len())
			.finish_non_exhaustive()
	}
}

/// Splits `secret` into `n` shares of which any `threshold` rebuild it. Share `i` (0-based)
/// has x = `i + 1`. Needs `2 <= threshold <= n` (n <= 255 by its type) and a non-empty secret.
///
/// # Panics
/// If the operating system cannot provide randomness.
pub fn split(secret: &[u8], threshold: u8, n: u8) -> Result<Vec<Share>> {
	if secret.is_empty() {
		return Err(Error::EmptySecret);
	}
	if threshold < 2 || threshold > n {
		return Err(Error::InvalidThreshold { threshold, n: n.into() });
	}
	let mut raw = Zeroizing::new(
		Gf256::split_bytes(threshold.into(), n.into(), secret, random::os_rng())
			.map_err(|e| Error::Shamir { reason: e.to_string() })?,
	);
	// Move each vector out (no copy); the emptied outer vector is wiped on drop anyway.
	let shares: Vec<Share> =
		raw.iter_mut().map(|bytes| Share { bytes: core::mem::take(bytes) }).collect();
	// `vsss-rs` numbers shares 1..=n; the slot binding relies on it, so make sure.
	if shares.iter().zip(1..=n).any(|(share, x)| share.x() != x) {
		return Err(Error::Shamir { reason: "shares were not numbered 1..=n".into() });
	}
	Ok(shares)
}

/// Rebuilds the secret from at least `threshold` shares of one split, in any order.
///
/// Refuses fewer than `threshold` shares, shares of unequal length, x = 0 and duplicate x.
/// It cannot tell shares of another split (or a wrong `threshold` that is too low) from
/// genuine ones: callers only pass shares whose inner layer authenticated.
pub fn combine(shares: &[Share], threshold: u8) -> Result<Zeroizing<Vec<u8>>> {
	if threshold < 2 {
		return Err(Error::InvalidThreshold { threshold, n: shares.len() });
	}
	if shares.len() < usize::from(threshold) {
		return Err(Error::NotEnoughShares { need: threshold, have: shares.len() });
	}
	let first = shares[0].bytes.len();
	let mut seen = [false; 256];
	for share in shares {
		if share.bytes.len() != first {
			return Err(Error::ShareLengthMismatch { first, other: share.bytes.len() });
		}
		let x = share.x();
		if x == 0 {
			return Err(Error::ZeroShareX);
		}
		if core::mem::replace(&mut seen[usize::from(x)], true) {
			return Err(Error::DuplicateShare { x });
		}
	}
	let raw: Zeroizing<Vec<Vec<u8>>> =
		Zeroizing::new(shares.iter().map(|share| share.bytes.clone()).collect());
	let secret = Gf256::combine_bytes(raw.as_slice())
		.map_err(|e| Error::Shamir { reason: e.to_string() })?;
	Ok(Zeroizing::new(secret))
}

#[cfg(test)]
mod tests {
	use super::*;

	fn share(bytes: &[u8]) -> Share {
		Share::from_bytes(bytes.to_vec()).unwrap()
	}

	/// f(x) = s + a x + b x^2 over GF(2^8) mod x^8 + x^4 + x^3 + x + 1 (0x11b), worked by hand:
	/// in GF(2^8) addition is XOR, 2^2 = 4 and 3^2 = (x + 1)^2 = x^2 + 1 = 5, so
	/// f(1) = s ^ a ^ b, f(2) = s ^ 2a ^ 4b, f(3) = s ^ 3a ^ 5b.
	///
	/// Byte 0: s = 0x42, a = 0x01, b = 0x80.
	/// 2b = 0x100 ^ 0x11b = 0x1b, 4b = 2 * 0x1b = 0x36, 5b = 4b ^ b = 0xb6;
	/// f(1) = 0xc3, f(2) = 0x42 ^ 0x02 ^ 0x36 = 0x76, f(3) = 0x42 ^ 0x03 ^ 0xb6 = 0xf7.
	///
	/// Byte 1: s = 0xff, a = 0x10, b = 0x02.
	/// f(1) = 0xed, f(2) = 0xff ^ 0x20 ^ 0x08 = 0xd7, f(3) = 0xff ^ 0x30 ^ 0x0a = 0xc5.
	fn hand_shares() -> [Share; 3] {
		[share(&[1, 0xc3, 0xed]), share(&[2, 0x76, 0xd7]), share(&[3, 0xf7, 0xc5])]
	}

	#[test]
	fn combine_hand_checked_gf256_shares() {
		let [s1, s2, s3] = hand_shares();
		for set in [
			[s1.clone(), s2.clone(), s3.clone()],
			[s3.clone(), s1.clone(), s2.clone()],
			[s2.clone(), s3.clone(), s1.clone()],
		] {
			assert_eq!(combine(&set, 3).unwrap().as_slice(), &[0x42, 0xff]);
		}
	}

	#[test]
	fn fewer_than_threshold_is_refused_not_garbage() {
		let [s1, s2, _] = hand_shares();
		// The library would "rebuild" something from these two; we refuse.
		assert_eq!(combine(&[s1, s2], 3).unwrap_err(), Error::NotEnoughShares { need: 3, have: 2 });
		assert_eq!(combine(&[], 2).unwrap_err(), Error::NotEnoughShares { need: 2, have: 0 });
	}

	#[test]
	fn duplicate_x_is_refused() {
		let [s1, s2, _] = hand_shares();
		let err = combine(&[s1.clone(), s2, s1], 3).unwrap_err();
		assert_eq!(err, Error::DuplicateShare { x: 1 });
		assert_eq!(err.to_string(), "duplicate share x=1");
		// Same x with different bytes (a forged second share for slot 0) too.
		let [s1, s2, _] = hand_shares();
		assert_eq!(
			combine(&[s1, s2, share(&[1, 0, 0])], 3).unwrap_err(),
			Error::DuplicateShare { x: 1 }
		);
	}

	#[test]
	fn zero_x_short_and_unequal_shares_are_refused() {
		assert_eq!(Share::from_bytes(vec![0, 1, 2]).unwrap_err(), Error::ZeroShareX);
		assert_eq!(Share::from_bytes(vec![1]).unwrap_err(), Error::ShareTooShort { len: 1 });
		assert_eq!(Share::from_bytes(vec![]).unwrap_err(), Error::ShareTooShort { len: 0 });
		let [s1, s2, _] = hand_shares();
		assert_eq!(
			combine(&[s1, s2, share(&[3, 1])], 3).unwrap_err(),
			Error::ShareLengthMismatch { first: 3, other: 2 }
		);
	}

	#[test]
	fn split_numbers_shares_from_one_and_any_threshold_subset_rebuilds() {
		let secret = b"thirty-two bytes of secret seed!";
		let shares = split(secret, 3, 5).unwrap();
		assert_eq!(shares.iter().map(Share::x).collect::<Vec<_>>(), [1, 2, 3, 4, 5]);
		assert!(shares.iter().all(|s| s.secret_len() == 32));
		for a in 0..5 {
			for b in 0..5 {
				for c in 0..5 {
					if a == b || b == c || a == c {
						continue;
					}
					let set = [shares[a].clone(), shares[b].clone(), shares[c].clone()];
					assert_eq!(combine(&set, 3).unwrap().as_slice(), secret);
				}
			}
		}
		// More than t shares also rebuild it.
		assert_eq!(combine(&shares, 3).unwrap().as_slice(), secret);
	}

	#[test]
	fn split_checks_threshold_and_secret() {
		for (t, n) in [(1, 3), (0, 3), (4, 3), (2, 1), (2, 0)] {
			assert_eq!(
				split(b"s", t, n).unwrap_err(),
				Error::InvalidThreshold { threshold: t, n: n.into() }
			);
		}
		assert_eq!(split(b"", 2, 3).unwrap_err(), Error::EmptySecret);
		assert_eq!(
			combine(&hand_shares(), 1).unwrap_err(),
			Error::InvalidThreshold { threshold: 1, n: 3 }
		);
		// The extremes work: 255 custodians, threshold 255 and 2.
		let secret = [0x5a; 16];
		let all = split(&secret, 255, 255).unwrap();
		assert_eq!(all.last().unwrap().x(), 255);
		assert_eq!(combine(&all, 255).unwrap().as_slice(), &secret);
		let two = split(&secret, 2, 255).unwrap();
		assert_eq!(combine(&[two[254].clone(), two[7].clone()], 2).unwrap().as_slice(), &secret);
	}

	#[test]
	fn debug_shows_only_x_and_length() {
		let shown = format!("{:?}", share(&[7, 0xde, 0xad, 0xbe, 0xef]));
		assert_eq!(shown, "Share { x: 7, secret_len: 4, .. }");
	}
}
