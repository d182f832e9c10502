//! Custos share envelopes: everything cryptographic between an owner's secret and the bytes the
//! chain and the custodians hold, shared by the `custos` client and `custos-node`.
//!
//! An escrow of a secret to `n` custodians with threshold `t` is built in layers:
//!
//! 1. [`ProtectionKey`] P = Argon2id(passphrase || owner account id, salt, [`KdfParams`]).
//!    HKDF-SHA256 derives from P the inner-layer key and the recovery seed.
//! 2. [`split`] the secret with Shamir over GF(256) (`vsss-rs`); share bytes are `x || y-bytes`
//!    with `x = slot + 1`.
//! 3. [`seal_inner`]: XChaCha20-Poly1305 under P's inner key, bound to the [`ShareContext`], so
//!    only the owner (who knows the passphrase) can read a share.
//! 4. [`commitment`]: blake2-256 of the inner ciphertext, which the chain stores, so the owner can
//!    tell whether a custodian later serves back exactly what it was given.
//! 5. [`seal_to_custodian`]: HPKE (RFC 9180, base mode, DHKEM(X25519, HKDF-SHA256), HKDF-SHA256,
//!    ChaCha20-Poly1305) to the custodian's X25519 key.
//!
//! At recovery a custodian [`open_as_custodian`]s its sealed share, checks the commitment and
//! [`seal_release`]s the inner ciphertext to the requester's [`OneTimeKey`]; the client
//! [`open_released_share`]s each release and [`combine`]s `t` shares.
//!
//! Every envelope starts with a version byte ([`VERSION`]) so that a post-quantum suite can be
//! added later without guessing. Domain-separation strings all start with `custos/v1/`.
//!
//! Secrets (passphrase key, subkeys, shares, X25519 secrets) are zeroized when dropped and
//! never appear in `Debug` output or error messages.
//!
//! Randomness comes from the operating system (`getrandom`); like `hpke` itself, the functions
//! that need it panic if the operating system cannot provide it.

#![warn(missing_docs)]

mod commitment;
mod context;
mod error;
mod escrow;
mod hpke_box;
mod inner;
mod kdf;
mod keys;
mod random;
mod shamir;

#[cfg(test)]
mod tests;

pub use commitment::{commitment, COMMITMENT_LEN};
pub use context::ShareContext;
pub use error::{Error, Result, ShareFault};
pub use escrow::{open_released_share, seal_escrow, SealedEscrow};
pub use hpke_box::{
	open_as_custodian, open_release, seal_release, seal_to_custodian, HPKE_OVERHEAD,
};
pub use inner::{open_inner, seal_inner, INNER_OVERHEAD};
pub use kdf::{KdfParams, ProtectionKey};
pub use keys::{CustodianSecret, OneTimeKey};
pub use shamir::{combine, split, Share};

/// Version byte that starts every envelope this crate writes (inner, sealed and release).
pub const VERSION: u8 = 1;

/// Domain-separation strings. All start with `custos/v1/`, so a later version cannot collide.
pub(crate) mod domain {
	/// HKDF info of the inner-layer key.
	pub const INNER_KEY: &[u8] = b"custos/v1/inner-key";
	/// HKDF info of the recovery-key seed.
	pub const RECOVERY_KEY: &[u8] = b"custos/v1/recovery-key";
	/// Prefix of the inner layer's associated data.
	pub const INNER_AAD: &[u8] = b"custos/v1/inner";
	/// Prefix of the commitment preimage.
	pub const COMMITMENT: &[u8] = b"custos/v1/commitment";
	/// Prefix of the HPKE `info` of a share sealed to a custodian.
	pub const CUSTODIAN_SHARE: &[u8] = b"custos/v1/custodian-share";
	/// Prefix of the HPKE `info` of a share released to a requester's one-time key.
	pub const RELEASE: &[u8] = b"custos/v1/release";
}
