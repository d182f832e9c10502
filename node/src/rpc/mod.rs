//! The node's JSON-RPC methods beyond Substrate's defaults, all wired here.

mod custodian;
mod custos;
mod node;

pub use custos::CustosRuntimeApi;

use std::sync::Arc;

use custos_runtime::{opaque::Block, AccountId, Balance, Nonce};
use jsonrpsee::RpcModule;
use sc_transaction_pool_api::TransactionPool;
use sp_api::ProvideRuntimeApi;
use sp_block_builder::BlockBuilder;
use sp_blockchain::{Error as BlockChainError, HeaderBackend, HeaderMetadata};

/// What the RPC handlers need from the node.
pub struct FullDeps<C, P> {
	/// The client instance to use.
	pub client: Arc<C>,
	/// Transaction pool instance.
	pub pool: Arc<P>,
	/// The custodian service, for its own methods.
	pub custodian: Arc<crate::custodian::Custodian>,
	/// The node's keystore: its Aura keys sign its build measurement.
	pub keystore: sp_keystore::KeystorePtr,
}

/// All RPC extensions of a full node: account nonces (`system_accountNextIndex`), fee
/// queries (`payment_*`), the escrow protocol (`custos_*`, see `custos-rpc-api`) and the
/// custodian's own methods (`custos_custodian`, `custos_depositShare`) and the node's build
/// measurement (`custos_nodeMeasurement`).
pub fn create_full<C, P>(
	deps: FullDeps<C, P>,
) -> Result<RpcModule<()>, Box<dyn std::error::Error + Send + Sync>>
where
	C: ProvideRuntimeApi<Block>,
	C: HeaderBackend<Block> + HeaderMetadata<Block, Error = BlockChainError> + 'static,
	C: Send + Sync + 'static,
	C::Api: substrate_frame_rpc_system::AccountNonceApi<Block, AccountId, Nonce>,
	C::Api: pallet_transaction_payment_rpc::TransactionPaymentRuntimeApi<Block, Balance>,
	C::Api: BlockBuilder<Block>,
	C::Api: CustosRuntimeApi,
	P: TransactionPool + 'static,
{
	use custodian::CustodianRpc;
	use custos::Custos;
	use custos_rpc_api::{CustodianApiServer, CustosApiServer, NodeApiServer};
	use node::NodeRpc;
	use pallet_transaction_payment_rpc::{TransactionPayment, TransactionPaymentApiServer};
	use substrate_frame_rpc_system::{System, SystemApiServer};

	let mut module = RpcModule::new(());
	let FullDeps { client, pool, custodian, keystore } = deps;
	let genesis = client.info().genesis_hash;
	module.merge(System::new(client.clone(), pool).into_rpc())?;
	module.merge(TransactionPayment::new(client.clone()).into_rpc())?;
	module.merge(Custos::new(client).into_rpc())?;
	module.merge(CustodianRpc::new(custodian).into_rpc())?;
	module.merge(NodeRpc::new(keystore, genesis).into_rpc())?;
	Ok(module)
}
