//! X25519 public keys: what owners seal shares to (a custodian's key) and what custodians
//! release shares to (a requester's one-time key).
//!
//! On chain the same 32 bytes are an [`H256`](custos_primitives::H256) (in a custodian
//! certificate, in a recovery request); the conversions both ways are free.

/// An X25519 public key (RFC 7748 u-coordinate, 32 bytes). Public data: `Debug` shows it as
/// `0x`-hex.
///
/// Any 32 bytes are accepted here; sealing to a low-order point is refused with
/// [`Error::UnusablePublicKey`](crate::Error::UnusablePublicKey).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct X25519PublicKey([u8; X25519PublicKey::LEN]);

impl X25519PublicKey {
	/// Length of the key.
	pub const LEN: usize = 32;

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
}

crate::bytes32::public_bytes32!(X25519PublicKey);

#[cfg(test)]
mod tests {
	use custos_primitives::H256;

	use super::*;

	#[test]
	fn converts_to_and_from_bytes_and_h256_unchanged() {
		let bytes: [u8; 32] = core::array::from_fn(|i| i as u8);
		let key = X25519PublicKey::from_bytes(bytes);
		assert_eq!(key.to_bytes(), bytes);
		assert_eq!(key.as_bytes(), &bytes);
		assert_eq!(X25519PublicKey::from(bytes), key);
		assert_eq!(H256::from(key), H256(bytes));
		assert_eq!(X25519PublicKey::from(H256(bytes)), key);
	}

	#[test]
	fn debug_is_hex() {
		let key = X25519PublicKey::from([0xab; 32]);
		assert_eq!(format!("{key:?}"), format!("X25519PublicKey(0x{})", "ab".repeat(32)));
	}
}
