//! A node's report of its build (`custos_nodeMeasurement`).

use serde::{Deserialize, Serialize};
use sp_core::{H256, H512};

/// A node's build measurement and the signature a validator's `join` carries.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NodeMeasurement {
	/// `blake2_256` of the SCALE encoding of ("custos/node-measurement/v1", version, runtime
	/// code hash): what a `Validator` certificate names.
	pub measurement: H256,
	/// The node's version string (e.g. `0.1.0-1eb3c1b`), commit included.
	pub version: String,
	/// `blake2_256` of the Wasm runtime the node was built with.
	pub runtime_code_hash: H256,
	/// The Aura key's sr25519 signature over the measurement message for the operator, when
	/// one was asked for.
	pub signature: Option<H512>,
}
