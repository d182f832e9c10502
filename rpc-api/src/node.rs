//! What a node says about its own build, for validator admission.

use custos_runtime::AccountId;
use jsonrpsee::{core::RpcResult, proc_macros::rpc};
use sp_core::H256;

use crate::views::NodeMeasurement;

/// JSON-RPC error code of a measurement the node cannot sign (no such Aura key here).
pub const MEASUREMENT_REFUSED: i32 = 4002;

/// The `custos_` methods about the node itself.
#[rpc(client, server, namespace = "custos")]
pub trait NodeApi {
	/// This node's build measurement (what a `Validator` certificate may name). With
	/// `operator` and `aura_key`, also signed for `operator` by that Aura session key from this
	/// node's keystore: the report `ValidatorSet::join` takes. Refused when the keystore does
	/// not hold that key.
	#[method(name = "nodeMeasurement")]
	fn node_measurement(
		&self,
		operator: Option<AccountId>,
		aura_key: Option<H256>,
	) -> RpcResult<NodeMeasurement>;
}
