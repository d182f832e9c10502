//! Serves the custodian's own `custos_` methods ([`CustodianApiServer`]) from the node's
//! custodian service: who this node is, and taking shares of custodian-held escrows into
//! custody.

use std::sync::Arc;

use custos_envelope::SealedShare;
use custos_primitives::EscrowId;
use custos_rpc_api::{
	views::{CustodianIdentity, DepositReceipt, ServedEvaluation, ServedRelease},
	CustodianApiServer, DEPOSIT_BUSY, DEPOSIT_REFUSED, EVALUATION_WAIT_MS,
};
use jsonrpsee::{core::RpcResult, types::ErrorObjectOwned};
use sc_client_api::HeaderBackend;
use sp_core::Bytes;

use crate::custodian::{Custodian, DepositError};

/// Serves [`CustodianApiServer`] from the node's [`Custodian`].
pub struct CustodianRpc {
	custodian: Arc<Custodian>,
}

impl CustodianRpc {
	/// Serves the methods from `custodian`.
	pub fn new(custodian: Arc<Custodian>) -> Self {
		Self { custodian }
	}
}

#[jsonrpsee::core::async_trait]
impl CustodianApiServer for CustodianRpc {
	fn custodian(&self) -> RpcResult<Option<CustodianIdentity>> {
		let info = self.custodian.client().info();
		Ok(self.custodian.identity(info.best_hash).map(|(keys, certified)| CustodianIdentity {
			account: keys.account_id.clone(),
			sealing_key: keys.sealing_public,
			certified,
			key_proof: keys.sealing_key_proof(&info.genesis_hash),
		}))
	}

	async fn deposit_share(
		&self,
		escrow: EscrowId,
		index: u32,
		sealed: Bytes,
	) -> RpcResult<DepositReceipt> {
		self.custodian
			.deposit(escrow, index, SealedShare::from(sealed.0))
			.await
			.map_err(|e| match e {
				// The data is the wait in milliseconds, for clients that retry.
				DepositError::Busy(wait_ms) =>
					ErrorObjectOwned::owned(DEPOSIT_BUSY, e.to_string(), Some(wait_ms as u64)),
				e => ErrorObjectOwned::owned(DEPOSIT_REFUSED, e.to_string(), None::<()>),
			})
	}

	async fn released_share(&self, escrow: EscrowId, index: u32) -> RpcResult<Option<ServedRelease>> {
		Ok(self
			.custodian
			.signed_release(escrow, index)
			.await
			.map(|(nonce, payload)| ServedRelease { nonce, payload: Bytes(payload) }))
	}

	async fn evaluated_guess(
		&self,
		escrow: EscrowId,
		guess: u32,
	) -> RpcResult<Option<ServedEvaluation>> {
		let wait = std::time::Duration::from_millis(EVALUATION_WAIT_MS);
		Ok(self
			.custodian
			.awaited_evaluation(escrow, guess, wait)
			.await
			.map(|(index, evaluation)| ServedEvaluation { index, evaluation: Bytes(evaluation) }))
	}
}
