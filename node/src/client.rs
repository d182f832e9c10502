//! The node's client, backend and transaction pool types, shared by the service that builds
//! them and the custodian service that uses them.

use custos_runtime::{apis::RuntimeApi, opaque::Block};

/// The full client: chain state and runtime calls through the Wasm executor.
pub type FullClient = sc_service::TFullClient<
	Block,
	RuntimeApi,
	sc_executor::WasmExecutor<sp_io::SubstrateHostFunctions>,
>;
/// The database backend (ParityDB).
pub type FullBackend = sc_service::TFullBackend<Block>;
/// The node's transaction pool.
pub type TransactionPoolHandle = sc_transaction_pool::TransactionPoolHandle<Block, FullClient>;
