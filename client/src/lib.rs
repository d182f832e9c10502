//! The Custos client library: everything the `custos` command does, usable from Rust.
//!
//! - [`rpc`]: a JSON-RPC connection to a `custos-node` and the typed queries on it.
//! - [`chain_info`]: a snapshot of a chain (name, genesis, runtime, best and finalized).
//! - [`extrinsic`]: signing extrinsics for the Custos runtime.
//! - [`submit`]: submitting them and following them to finality.
//! - [`balances`]: account balances and transfers.
//!
//! Escrow and recovery build on these.

pub mod balances;
pub mod chain_info;
pub mod error;
pub mod extrinsic;
pub mod rpc;
pub mod submit;

pub use error::{Error, Result};
pub use rpc::ChainClient;

/// Where a local `custos-node --dev` serves JSON-RPC.
pub const DEFAULT_URL: &str = "ws://127.0.0.1:9944";
