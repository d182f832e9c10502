//! The custodian's own `custos_` JSON-RPC methods: who this node is, and taking shares of
//! custodian-held escrows into custody.

use std::sync::Arc;

use custos_primitives::EscrowId;
use jsonrpsee::{core::RpcResult, proc_macros::rpc, types::ErrorObjectOwned};
use sc_client_api::HeaderBackend;
use serde_json::{json, Value};
use sp_core::{bytes::to_hex, Bytes};

use super::Custodian;

/// JSON-RPC error code of a refused deposit.
const DEPOSIT_REFUSED: i32 = 4001;

/// The custodian methods.
#[rpc(server, namespace = "custos")]
pub trait CustodianApi {
	/// This node's custodian identity: `{account, sealingKey, certified}`, or null when its
	/// keystore holds no custodian keys.
	#[method(name = "custodian")]
	fn custodian(&self) -> RpcResult<Option<Value>>;

	/// Takes share `index` of custodian-held escrow `escrow` (sealed to this custodian) into
	/// custody and acknowledges it on chain. Answers `{stored, acknowledgement}` with the
	/// acknowledgement's transaction hash (null if the chain already has it).
	#[method(name = "depositShare")]
	async fn deposit_share(&self, escrow: EscrowId, index: u32, sealed: Bytes) -> RpcResult<Value>;
}

/// Serves [`CustodianApiServer`] from the node's [`Custodian`].
pub struct CustodianRpc {
	custodian: Arc<Custodian>,
}

impl CustodianRpc {
	pub fn new(custodian: Arc<Custodian>) -> Self {
		Self { custodian }
	}
}

#[jsonrpsee::core::async_trait]
impl CustodianApiServer for CustodianRpc {
	fn custodian(&self) -> RpcResult<Option<Value>> {
		let best = self.custodian.client.info().best_hash;
		Ok(self.custodian.identity(best).map(|(keys, certified)| {
			json!({
				"account": keys.account_id.to_string(),
				"sealingKey": to_hex(keys.sealing_public.as_bytes(), false),
				"certified": certified,
			})
		}))
	}

	async fn deposit_share(&self, escrow: EscrowId, index: u32, sealed: Bytes) -> RpcResult<Value> {
		self.custodian
			.deposit(escrow, index, sealed.0)
			.await
			.map_err(|e| ErrorObjectOwned::owned(DEPOSIT_REFUSED, e.to_string(), None::<()>))
	}
}
