//! X25519 keys: a custodian's static key and a requester's one-time key.
//!
//! Two types rather than one, so a custodian key cannot be passed where a one-time key is
//! meant. Both hold the clamped secret scalar (RFC 7748) and its public key, are zeroized on
//! drop and show only the public key in `Debug`.

use core::fmt;

use hpke::{kem::X25519HkdfSha256, Deserializable, Kem, Serializable};
use sha2::{Digest, Sha512};
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use crate::{random, X25519PublicKey};

/// The HPKE private key type of our suite.
pub(crate) type HpkePrivateKey = <X25519HkdfSha256 as Kem>::PrivateKey;

/// A clamped X25519 secret with its public key.
pub(crate) struct StaticKey {
	secret: [u8; 32],
	public: [u8; 32],
}

impl StaticKey {
	fn from_bytes(mut bytes: [u8; 32]) -> Self {
		let secret = clamp(bytes);
		bytes.zeroize();
		let public = X25519HkdfSha256::sk_to_pk(&Self::hpke(&secret)).to_bytes().into();
		Self { secret, public }
	}

	fn generate() -> Self {
		let mut bytes = Zeroizing::new([0u8; 32]);
		random::fill(&mut *bytes);
		Self::from_bytes(*bytes)
	}

	fn hpke(secret: &[u8; 32]) -> HpkePrivateKey {
		HpkePrivateKey::from_bytes(secret).expect("32 bytes is an X25519 private key")
	}

	/// The secret as `hpke`'s type (which wipes itself on drop).
	pub(crate) fn hpke_private(&self) -> HpkePrivateKey {
		Self::hpke(&self.secret)
	}

	pub(crate) fn public(&self) -> X25519PublicKey {
		X25519PublicKey::from_bytes(self.public)
	}

	fn to_bytes(&self) -> Zeroizing<[u8; 32]> {
		Zeroizing::new(self.secret)
	}
}

impl Drop for StaticKey {
	fn drop(&mut self) {
		self.secret.zeroize();
	}
}

impl ZeroizeOnDrop for StaticKey {}

/// RFC 7748 clamping; `hpke` clamps too, but storing the clamped form makes `to_bytes` give
/// back exactly the scalar in use.
fn clamp(mut scalar: [u8; 32]) -> [u8; 32] {
	scalar[0] &= 248;
	scalar[31] &= 127;
	scalar[31] |= 64;
	scalar
}

fn fmt_public(name: &str, public: &X25519PublicKey, f: &mut fmt::Formatter<'_>) -> fmt::Result {
	let mut hex = String::with_capacity(64);
	for byte in public.as_bytes() {
		hex.push_str(&format!("{byte:02x}"));
	}
	f.debug_struct(name).field("public", &hex).finish_non_exhaustive()
}

/// A custodian's X25519 static secret, to which owners seal shares.
pub struct CustodianSecret(pub(crate) StaticKey);

impl CustodianSecret {
	/// From 32 secret bytes (clamped as X25519 requires).
	pub fn from_bytes(bytes: [u8; 32]) -> Self {
		Self(StaticKey::from_bytes(bytes))
	}

	/// From an ed25519 seed, as libsodium's `crypto_sign_ed25519_sk_to_curve25519`:
	/// the clamped first half of SHA-512(seed). Its public key is the Montgomery form of the
	/// seed's ed25519 public key, so a node can keep one ed25519 key in its keystore and
	/// publish it as both.
	pub fn from_ed25519_seed(seed: &[u8; 32]) -> Self {
		let digest = Zeroizing::new(<[u8; 64]>::from(Sha512::digest(seed)));
		let mut scalar = [0u8; 32];
		scalar.copy_from_slice(&digest[..32]);
		Self::from_bytes(scalar)
	}

	/// A fresh random key.
	///
	/// # Panics
	/// If the operating system cannot provide randomness.
	pub fn generate() -> Self {
		Self(StaticKey::generate())
	}

	/// The X25519 public key owners seal to.
	pub fn public(&self) -> X25519PublicKey {
		self.0.public()
	}

	/// The clamped secret, to store a generated key.
	pub fn to_bytes(&self) -> Zeroizing<[u8; 32]> {
		self.0.to_bytes()
	}
}

impl ZeroizeOnDrop for CustodianSecret {}

impl fmt::Debug for CustodianSecret {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		fmt_public("CustodianSecret", &self.public(), f)
	}
}

/// A requester's one-time X25519 key: custodians release shares to its public key.
pub struct OneTimeKey(pub(crate) StaticKey);

impl OneTimeKey {
	/// A fresh random key.
	///
	/// # Panics
	/// If the operating system cannot provide randomness.
	pub fn generate() -> Self {
		Self(StaticKey::generate())
	}

	/// From 32 secret bytes (clamped as X25519 requires), e.g. a key saved while a recovery
	/// request is pending.
	pub fn from_bytes(bytes: [u8; 32]) -> Self {
		Self(StaticKey::from_bytes(bytes))
	}

	/// The clamped secret, to save it while the recovery request is pending.
	pub fn to_bytes(&self) -> Zeroizing<[u8; 32]> {
		self.0.to_bytes()
	}

	/// The X25519 public key custodians release to.
	pub fn public(&self) -> X25519PublicKey {
		self.0.public()
	}
}

impl ZeroizeOnDrop for OneTimeKey {}

impl fmt::Debug for OneTimeKey {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		fmt_public("OneTimeKey", &self.public(), f)
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use curve25519_dalek::edwards::CompressedEdwardsY;

	fn hex32(s: &str) -> [u8; 32] {
		hex::decode(s).unwrap().try_into().unwrap()
	}

	#[test]
	fn ed25519_seed_gives_montgomery_form_of_its_public_key() {
		// RFC 8032 section 7.1, TEST 1.
		let seed = hex32("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
		let ed_public = hex32("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
		let montgomery = CompressedEdwardsY(ed_public).decompress().unwrap().to_montgomery();
		let key = CustodianSecret::from_ed25519_seed(&seed);
		assert_eq!(key.public().to_bytes(), montgomery.to_bytes());
		// Also pinned (and cross-checked with Python: u = (1 + y) / (1 - y) mod 2^255 - 19, and
		// `cryptography`'s X25519 on the clamped SHA-512 half).
		assert_eq!(
			hex::encode(key.public().as_bytes()),
			"d85e07ec22b0ad881537c2f44d662d1a143cf830c57aca4305d85c7a90f6b62e"
		);
		// The runtime's conversion (which checks certificates' proofs of possession) agrees.
		let on_chain = custos_primitives::x25519_of_ed25519(&ed_public.into());
		assert_eq!(on_chain.map(|k| k.0), Some(*key.public().as_bytes()));
		// And refuses what no ed25519 key pair gives: the identity and a non-point.
		let mut identity = [0u8; 32];
		identity[0] = 1;
		assert_eq!(custos_primitives::x25519_of_ed25519(&identity.into()), None);
	}

	#[test]
	fn secrets_are_clamped_and_round_trip() {
		let key = OneTimeKey::from_bytes([0xff; 32]);
		let bytes = key.to_bytes();
		assert_eq!(bytes[0], 0xf8);
		assert_eq!(bytes[31], 0x7f);
		assert_eq!(OneTimeKey::from_bytes(*bytes).public(), key.public());
		// Unclamped and clamped forms are the same X25519 key.
		assert_eq!(OneTimeKey::from_bytes([0xff; 32]).public(), key.public());
		let custodian = CustodianSecret::from_bytes(*bytes);
		assert_eq!(custodian.public(), key.public());
		assert_eq!(*custodian.to_bytes(), *bytes);
	}

	#[test]
	fn generated_keys_differ() {
		assert_ne!(OneTimeKey::generate().public(), OneTimeKey::generate().public());
		assert_ne!(CustodianSecret::generate().public(), CustodianSecret::generate().public());
	}

	#[test]
	fn debug_shows_only_the_public_key() {
		let key = CustodianSecret::from_bytes([0x11; 32]);
		let shown = format!("{key:?}");
		assert!(shown.contains(&hex::encode(key.public().as_bytes())));
		assert!(!shown.contains(&hex::encode(*key.to_bytes())));
		let key = OneTimeKey::from_bytes([0x22; 32]);
		let shown = format!("{key:?}");
		assert!(shown.starts_with("OneTimeKey { public: "));
		assert!(!shown.contains(&hex::encode(*key.to_bytes())));
	}
}
