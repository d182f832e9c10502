//! The Custos client library: everything the `custos` command does, usable from Rust.
//!
//! - [`rpc`]: a JSON-RPC connection to a `custos-node` and the typed queries on it.
//! - [`chain_info`]: a snapshot of a chain (name, genesis, runtime, best and finalized).
//! - [`extrinsic`]: signing extrinsics for the Custos runtime.
//! - [`submit`]: submitting them and following them to finality.
//! - [`balances`]: account balances and transfers.
//! - [`queries`]: typed reads of escrows, requests, releases and certificates (runtime APIs).
//! - [`custos`]: the node's `custos_` JSON-RPC methods through the typed `custos-rpc-api` client.
//! - [`keys`], [`signer`], [`passphrase`]: the key being escrowed, the signing account, the
//!   passphrase.
//! - [`escrow`], [`deposit`]: escrowing a key (on chain or custodian-held).
//! - [`guess`]: a counted passphrase guess through the custodians' threshold OPRF.
//! - [`recovery`], [`collect`]: recovering it; [`agreement`]: what `collect` concludes from
//!   several nodes' answers.
//! - [`proof`]: storage reads proven against a block's state root.
//! - [`certificates`]: what a certificate authority does.
//! - [`local_node`]: the `custos-node` process on this machine serving a URL (memory, disk), for
//!   tools that measure a local network.
//!
//! The cryptography (split, seal, open, combine) is in the `custos-envelope` crate.

pub mod agreement;
pub mod args;
pub mod balances;
pub mod certificates;
pub mod chain_info;
pub mod collect;
pub mod custos;
pub mod deposit;
pub mod error;
pub mod escrow;
pub mod extrinsic;
pub mod guess;
pub mod keys;
pub mod local_node;
pub mod passphrase;
pub mod progress;
pub mod proof;
pub mod queries;
pub mod recovery;
pub mod rpc;
pub mod signer;
pub mod submit;
#[cfg(test)]
mod test_records;
pub mod validators;
pub mod wait;

pub use error::{Error, Result};
pub use rpc::ChainClient;

/// Where a local `custos-node --dev` serves JSON-RPC.
pub const DEFAULT_URL: &str = "ws://127.0.0.1:9944";
