//! The `custos_` JSON-RPC namespace, in one place for server and clients.
//!
//! - [`CustosApi`]: reads of the escrow protocol's state (escrows, requests, releases,
//!   certificates), evaluated at the best block or at a block hash given as the last
//!   parameter. `custos-node` serves it from the runtime APIs.
//! - [`CustodianApi`]: what a custodian node says about itself and takes into custody.
//! - [`NodeApi`]: what a node says about its own build (validator admission).
//! - [`views`]: the JSON form of every record. The node answers with these types, the client
//!   library reads them with the generated [`CustosApiClient`] / [`CustodianApiClient`], and
//!   `custos … --json` prints them, so a record has one JSON shape everywhere: camelCase
//!   fields, SS58 accounts, `0x`-hex hashes and bytes, kebab-case names.

mod custodian;
mod custos;
mod node;
pub mod views;

pub use custodian::{
	CustodianApiClient, CustodianApiServer, DEPOSIT_BUSY, DEPOSIT_REFUSED, EVALUATION_WAIT_MS,
};
pub use custos::{CustosApiClient, CustosApiServer};
pub use node::{NodeApiClient, NodeApiServer, MEASUREMENT_REFUSED};

/// Block hashes as the node and the client name them.
pub type BlockHash = custos_runtime::Hash;
