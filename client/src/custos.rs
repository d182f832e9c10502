//! The node's `custos_` JSON-RPC namespace through the typed client of `custos-rpc-api`.

use custos_envelope::SealedShare;
use custos_primitives::EscrowId;
use custos_rpc_api::{
	views::{CustodianIdentity, DepositReceipt, EscrowView, RequestView},
	BlockHash, CustodianApiClient, CustosApiClient,
};
use sp_core::Bytes;

use crate::{ChainClient, Error, Result};

impl ChainClient {
	/// `custos_escrow`: the JSON view of escrow `id` at block `at` (best when `None`).
	pub async fn escrow_view(&self, id: EscrowId, at: Option<BlockHash>) -> Result<Option<EscrowView>> {
		CustosApiClient::escrow(self.rpc(), id, at).await.map_err(|e| Error::rpc("custos_escrow", e))
	}

	/// `custos_request`: the JSON view of escrow `id`'s open request and its phase.
	pub async fn request_view(
		&self,
		id: EscrowId,
		at: Option<BlockHash>,
	) -> Result<Option<RequestView>> {
		CustosApiClient::recovery_request(self.rpc(), id, at)
			.await
			.map_err(|e| Error::rpc("custos_request", e))
	}

	/// `custos_custodian`: which custodian this node is, if it holds custodian keys.
	pub async fn custodian_identity(&self) -> Result<Option<CustodianIdentity>> {
		CustodianApiClient::custodian(self.rpc())
			.await
			.map_err(|e| Error::rpc("custos_custodian", e))
	}

	/// `custos_depositShare`: hands share `index` of custodian-held escrow `id` to this node.
	pub async fn deposit_share(
		&self,
		id: EscrowId,
		index: u32,
		sealed: &SealedShare,
	) -> Result<DepositReceipt> {
		CustodianApiClient::deposit_share(self.rpc(), id, index, Bytes(sealed.as_bytes().to_vec()))
			.await
			.map_err(|e| Error::rpc("custos_depositShare", e))
	}
}
