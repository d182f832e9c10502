//! What an escrow is made of, as the chain, the envelope and the client all see it.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use sp_core::H256;

use crate::named::named_enum;

/// Identifies an escrow: `blake2_256(SCALE(("custos/escrow/v1", owner, fingerprint)))`.
///
/// The owner's client needs the id before it submits anything (the id is associated data of
/// every share's encryption), so it is derived, not assigned by the chain.
pub type EscrowId = H256;

/// Domain separator of [`EscrowId`] derivation.
pub const ESCROW_ID_DOMAIN: &[u8] = b"custos/escrow/v1";

/// The escrow id `owner` gets for a key with `fingerprint` (see [`EscrowId`]).
pub fn escrow_id<AccountId: Encode>(owner: &AccountId, fingerprint: &H256) -> EscrowId {
	H256(sp_crypto_hashing::blake2_256(&(ESCROW_ID_DOMAIN, owner, fingerprint).encode()))
}

/// What the escrowed secret `K` is; fixes how its fingerprint is computed by the client.
#[derive(
	Clone, Copy, Eq, PartialEq, Encode, Decode, DecodeWithMemTracking, Debug, TypeInfo,
	MaxEncodedLen,
)]
pub enum KeyKind {
	/// A 32-byte sr25519 seed; the fingerprint is its public key.
	Sr25519Seed,
	/// A 32-byte ed25519 seed; the fingerprint is its public key.
	Ed25519Seed,
	/// A 64-byte expanded sr25519 secret (keys without a seed); the fingerprint is its public key.
	Sr25519Secret,
	/// Raw secret bytes; the fingerprint is a salted hash made by the client.
	Raw,
}

named_enum!(KeyKind, "key kind", {
	Sr25519Seed => "sr25519-seed",
	Ed25519Seed => "ed25519-seed",
	Sr25519Secret => "sr25519-secret",
	Raw => "raw",
});

impl KeyKind {
	/// The secret lengths in bytes this kind allows.
	pub fn secret_lengths(&self) -> &'static [usize] {
		match self {
			KeyKind::Sr25519Seed | KeyKind::Ed25519Seed => &[32],
			KeyKind::Sr25519Secret => &[64],
			KeyKind::Raw => &[32, 64],
		}
	}
}

/// Where the sealed shares live.
#[derive(
	Clone, Copy, Eq, PartialEq, Encode, Decode, DecodeWithMemTracking, Debug, TypeInfo,
	MaxEncodedLen,
)]
pub enum StorageMode {
	/// The sealed shares are stored on chain with the escrow.
	OnChain,
	/// Each custodian's node holds its sealed share and acknowledges it on chain.
	CustodianHeld,
}

named_enum!(StorageMode, "storage mode", {
	OnChain => "on-chain",
	CustodianHeld => "custodian-held",
});

/// Passphrase key-derivation algorithm of the inner encryption layer.
#[derive(
	Clone, Copy, Eq, PartialEq, Hash, Encode, Decode, DecodeWithMemTracking, Debug, TypeInfo,
	MaxEncodedLen,
)]
pub enum KdfAlgorithm {
	/// Argon2id, version 0x13 (RFC 9106).
	Argon2id,
}

named_enum!(KdfAlgorithm, "key-derivation algorithm", { Argon2id => "argon2id" });

/// Key-derivation parameters stored with the escrow: public, so anyone who knows the
/// passphrase can repeat the derivation, and raisable on a re-split.
#[derive(
	Clone, Copy, Eq, PartialEq, Hash, Encode, Decode, DecodeWithMemTracking, Debug, TypeInfo,
	MaxEncodedLen,
)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
pub struct KdfParams {
	/// The algorithm.
	pub algorithm: KdfAlgorithm,
	/// Memory cost in KiB (RFC 9106 `m`).
	pub memory_kib: u32,
	/// Number of passes (RFC 9106 `t`).
	pub iterations: u32,
	/// Degree of parallelism (RFC 9106 `p`).
	pub parallelism: u32,
	/// Random salt (RFC 9106 recommends 128 bits).
	#[cfg_attr(feature = "serde", serde(with = "crate::hex::array"))]
	pub salt: [u8; KdfParams::SALT_LEN],
}

impl KdfParams {
	/// Length of the salt.
	pub const SALT_LEN: usize = 16;

	/// Argon2id with RFC 9106's second recommended option: 64 MiB, 3 passes, 4 lanes (86 ms
	/// with the lanes in parallel, release build, on the project's two-core machine; the
	/// chain's production floor). The first option (2 GiB) is too much for many clients; the
	/// `custos` client's default is 96 MiB.
	pub fn recommended(salt: [u8; Self::SALT_LEN]) -> Self {
		Self {
			algorithm: KdfAlgorithm::Argon2id,
			memory_kib: 64 * 1024,
			iterations: 3,
			parallelism: 4,
			salt,
		}
	}

	/// Largest memory any Custos client derives with: 4 GiB. The parameters are public
	/// records; the bound stops a hostile record from making a client allocate terabytes.
	pub const MAX_MEMORY_KIB: u32 = 4 * 1024 * 1024;
	/// Largest number of passes any Custos client derives with.
	pub const MAX_ITERATIONS: u32 = 1024;
	/// Largest number of lanes any Custos client derives with.
	pub const MAX_PARALLELISM: u32 = 255;

	/// Argon2's own limits (at least one pass, at least 8 KiB per lane) within the bounds
	/// every Custos client accepts ([`Self::MAX_MEMORY_KIB`], [`Self::MAX_ITERATIONS`],
	/// [`Self::MAX_PARALLELISM`]): the chain takes only what the client can derive, so no
	/// escrow is created that the official client refuses to recover.
	pub fn is_well_formed(&self) -> bool {
		(1..=Self::MAX_ITERATIONS).contains(&self.iterations) &&
			(1..=Self::MAX_PARALLELISM).contains(&self.parallelism) &&
			(8u32.saturating_mul(self.parallelism)..=Self::MAX_MEMORY_KIB)
				.contains(&self.memory_kib)
	}
}
