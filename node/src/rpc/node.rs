//! Serves [`NodeApiServer`]: the node's build measurement, signed for an operator by an Aura
//! session key from the node's keystore.

use custos_rpc_api::{views::NodeMeasurement, NodeApiServer, MEASUREMENT_REFUSED};
use custos_runtime::AccountId;
use jsonrpsee::{core::RpcResult, types::ErrorObjectOwned};
use sp_core::{sr25519, H256, H512};
use sp_keystore::KeystorePtr;

use crate::measurement;

/// Serves [`NodeApiServer`] from the keystore and the chain's genesis hash.
pub struct NodeRpc {
	keystore: KeystorePtr,
	genesis: H256,
}

impl NodeRpc {
	/// Signs with keys from `keystore`, for the chain whose genesis block is `genesis`.
	pub fn new(keystore: KeystorePtr, genesis: H256) -> Self {
		Self { keystore, genesis }
	}
}

impl NodeApiServer for NodeRpc {
	fn node_measurement(
		&self,
		operator: Option<AccountId>,
		aura_key: Option<H256>,
	) -> RpcResult<NodeMeasurement> {
		let measurement = measurement::measurement();
		let signature = match (operator, aura_key) {
			(Some(operator), Some(aura_key)) => Some(self.sign(&operator, aura_key, &measurement)?),
			(None, None) => None,
			_ => return Err(refused("give both the operator and the Aura key, or neither")),
		};
		Ok(NodeMeasurement {
			measurement,
			version: measurement::version().into(),
			runtime_code_hash: measurement::runtime_code_hash(),
			signature,
		})
	}
}

impl NodeRpc {
	/// The signature of `measurement` for `operator` by Aura key `aura_key` of the keystore.
	fn sign(&self, operator: &AccountId, aura_key: H256, measurement: &H256) -> RpcResult<H512> {
		let message = pallet_validator_set::measurement_message(&self.genesis, operator, measurement);
		let public = sr25519::Public::from_raw(aura_key.0);
		let signature = self
			.keystore
			.sr25519_sign(sp_core::crypto::key_types::AURA, &public, &message)
			.ok()
			.flatten()
			.ok_or_else(|| refused(&format!("this node's keystore holds no Aura key {aura_key:?}")))?;
		Ok(H512(signature.0))
	}
}

fn refused(message: &str) -> ErrorObjectOwned {
	ErrorObjectOwned::owned(MEASUREMENT_REFUSED, message, None::<()>)
}
