//! Custos share envelopes: everything cryptographic between an owner's secret and the bytes the
//! chain and the custodians hold, shared by the `custos` client and `custos-node`.
//!
//! An escrow of a secret to `n` custodians with threshold `t` is built in layers (protocol v2):
//!
//! 1. [`PassphraseHash`] h = Argon2id(passphrase || owner account id, salt, [`KdfParams`]). The
//!    parameters are the ones stored on chain; [`validate_kdf`] bounds them.
//! 2. A threshold OPRF key ([`oprf`]): a random ristretto255 scalar `k`, split `t`-of-`n` over the
//!    scalar field; slot `i` gets `k_i` and the chain records `K_i = k_i·G`. The owner computes
//!    `y = OPRF_k(h)` (RFC 9497 ristretto255-SHA512) and forgets `k`.
//! 3. [`ProtectionKey`] P = HKDF-SHA256(h || y). HKDF derives from P the inner-layer key and the
//!    recovery seed. Without `y` nothing public tests a passphrase: a requester gets `y` only
//!    from `t` custodians' evaluations of a blinded `h` that the chain counted as a guess.
//! 4. [`split`] the secret with Shamir over GF(256) (`vsss-rs`); share bytes are `x || y-bytes`
//!    with `x = slot + 1`.
//! 5. [`seal_inner`]: XChaCha20-Poly1305 under P's inner key, bound to the [`ShareContext`], so
//!    only the passphrase's holder (after a counted guess) can read a share: an
//!    [`InnerCiphertext`].
//! 6. [`commitment`]: blake2-256 of the inner ciphertext, a [`Commitment`] which the chain
//!    stores, so the owner can tell whether a custodian later serves back exactly what it was
//!    given.
//! 7. [`seal_to_custodian`]: HPKE (RFC 9180, base mode, DHKEM(X25519, HKDF-SHA256), HKDF-SHA256,
//!    ChaCha20-Poly1305) of the [`CustodianShare`] (`k_i` and the inner ciphertext) to the
//!    custodian's [`X25519PublicKey`]: a [`SealedShare`].
//!
//! [`seal_escrow`] does all of this for every slot. A guess: the requester [`oprf::blind`]s h,
//! each custodian [`open_as_custodian`]s its sealed share and [`oprf::evaluate`]s the blinded
//! element with `k_i`, and the requester [`oprf::combine_and_finalize`]s `t` checked
//! evaluations into `y` and P ([`ProtectionKey::from_oprf`]). At recovery a custodian checks its
//! inner ciphertext against the commitment and [`seal_release`]s it (never `k_i`) to the
//! requester's [`OneTimeKey`] (a [`ReleasedShare`]); the client [`open_released_share`]s each
//! release and [`combine`]s `t` shares.
//!
//! Each envelope has its own type, so one cannot be passed where another is meant; they are
//! thin wrappers over the bytes (`From<Vec<u8>>`, `as_bytes`, `into_bytes`). Chain-side values
//! come from `custos-primitives`: genesis hashes and escrow ids are
//! [`H256`](custos_primitives::H256) and [`EscrowId`](custos_primitives::EscrowId), and
//! [`X25519PublicKey`] and [`Commitment`] convert to and from `H256`.
//!
//! Every envelope starts with a version byte ([`VERSION`], authenticated by every layer) so that
//! a post-quantum suite can be added later without guessing. Domain-separation strings all
//! start with `custos/v2/`.
//!
//! Secrets (h, P, subkeys, shares, OPRF keys and blinds, X25519 secrets) are zeroized when
//! dropped and never appear in `Debug` output or error messages.
//!
//! Randomness comes from the operating system (`getrandom`); like `hpke` itself, the functions
//! that need it panic if the operating system cannot provide it.

#![warn(missing_docs)]

mod ciphertext;
mod bytes32;
mod commitment;
mod context;
mod custodian_share;
mod error;
mod escrow;
mod hpke_box;
mod inner;
mod kdf;
mod keys;
pub mod oprf;
mod public_key;
mod random;
mod shamir;

#[cfg(test)]
mod tests;

pub use ciphertext::{InnerCiphertext, ReleasedShare, SealedShare};
pub use commitment::{commitment, Commitment, COMMITMENT_LEN};
pub use context::ShareContext;
pub use custodian_share::CustodianShare;
pub use custos_primitives::{KdfAlgorithm, KdfParams};
pub use error::{Error, Result, ShareFault};
pub use escrow::{open_released_share, seal_escrow, SealedEscrow};
pub use hpke_box::{
	open_as_custodian, open_release, seal_release, seal_to_custodian, HPKE_OVERHEAD,
};
pub use inner::{open_inner, seal_inner, INNER_OVERHEAD};
pub use kdf::{
	random_salt, validate_kdf, PassphraseHash, ProtectionKey, MAX_KDF_ITERATIONS,
	MAX_KDF_MEMORY_KIB, MAX_KDF_PARALLELISM,
};
pub use keys::{CustodianSecret, OneTimeKey};
pub use public_key::X25519PublicKey;
pub use shamir::{combine, split, Share};

/// Version byte that starts every envelope this crate writes (inner, sealed and release). It is
/// also part of every layer's associated data, so it cannot be changed without the layer
/// failing to open. Version 1 (no OPRF) is gone: no chain holds it.
pub const VERSION: u8 = 2;

/// Writes public bytes as `0x`-hex, for the `Debug` of keys and commitments.
pub(crate) fn fmt_hex(bytes: &[u8], f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
	f.write_str("0x")?;
	bytes.iter().try_for_each(|byte| write!(f, "{byte:02x}"))
}

/// Domain-separation strings. All start with `custos/v2/`, so another version cannot collide.
pub(crate) mod domain {
	/// HKDF info of the protection key P from h || y.
	pub const PROTECTION_KEY: &[u8] = b"custos/v2/protection-key";
	/// HKDF info of the inner-layer key.
	pub const INNER_KEY: &[u8] = b"custos/v2/inner-key";
	/// HKDF info of the recovery-key seed.
	pub const RECOVERY_KEY: &[u8] = b"custos/v2/recovery-key";
	/// Prefix of the inner layer's associated data.
	pub const INNER_AAD: &[u8] = b"custos/v2/inner";
	/// Prefix of the commitment preimage.
	pub const COMMITMENT: &[u8] = b"custos/v2/commitment";
	/// Prefix of the HPKE `info` of a share sealed to a custodian.
	pub const CUSTODIAN_SHARE: &[u8] = b"custos/v2/custodian-share";
	/// Prefix of the HPKE `info` of a share released to a requester's one-time key.
	pub const RELEASE: &[u8] = b"custos/v2/release";
}
