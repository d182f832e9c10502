//! Types and traits shared by Custos's pallets, runtime, envelope, node and client.
//!
//! Each concept is defined once, here, and used as is on chain (SCALE) and off chain (with
//! the `serde` feature, as JSON with stable kebab-case names and `0x`-hex bytes):
//!
//! - [`escrow`](EscrowId): escrow ids, [`KeyKind`], [`KdfParams`], [`StorageMode`];
//! - certificates: [`Role`], [`PublicKey`] and [`CertificateInspect`], the questions
//!   `pallet-key-escrow` asks without depending on how `pallet-certificates` stores them (the
//!   escrow pallet's mock answers them in its tests);
//! - [`recovery_request_message`], what a recovery key signs;
//! - [`SealingKeyProof`]: a custodian's proof that it holds the sealing key it is certified for;
//! - [`Named`]: one table of names per enum for parsing, printing and JSON.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

mod certificate;
mod escrow;
mod hex;
mod message;
mod named;
mod sealing_key;

pub use certificate::{CertificateId, CertificateInspect, PublicKey, RevocationReason, Role};
pub use escrow::{
	escrow_id, EscrowId, KdfAlgorithm, KdfParams, KeyKind, StorageMode, ESCROW_ID_DOMAIN,
};
pub use message::{recovery_request_message, RECOVERY_SIGNATURE_DOMAIN};
pub use named::{Named, UnknownName};
pub use sealing_key::{
	sealing_key_message, x25519_of_ed25519, SealingKeyProof, SEALING_KEY_DOMAIN,
};
pub use sp_core::H256;

#[cfg(test)]
mod tests;
