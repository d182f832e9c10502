//! The node's build measurement: what a `Validator` certificate may name, so that an operator
//! whose certificate names one joins the validator set only with that build.
//!
//! It hashes the version string (crate version and git commit) and the Wasm runtime the node
//! was built with. The node reports it about itself: it proves which build the operator's node
//! says it runs, signed by the session key that will author, not what the machine runs (no
//! hardware attestation; see docs/validators.md).

use codec::Encode;
use sp_core::H256;

/// Domain separator of the measurement hash.
const MEASUREMENT_DOMAIN: &[u8] = b"custos/node-measurement/v1";

/// The version string `custos-node --version` prints (crate version and commit).
pub fn version() -> &'static str {
	env!("SUBSTRATE_CLI_IMPL_VERSION")
}

/// `blake2_256` of the Wasm runtime this node was built with (zero without one). Hashed once:
/// the binary does not change while the node runs.
pub fn runtime_code_hash() -> H256 {
	static HASH: std::sync::OnceLock<H256> = std::sync::OnceLock::new();
	*HASH.get_or_init(|| {
		custos_runtime::WASM_BINARY
			.map(|code| H256(sp_io::hashing::blake2_256(code)))
			.unwrap_or_default()
	})
}

/// This build's measurement: `blake2_256` of SCALE(domain, version, runtime code hash).
pub fn measurement() -> H256 {
	H256(sp_io::hashing::blake2_256(&(MEASUREMENT_DOMAIN, version(), runtime_code_hash()).encode()))
}
