//! The custodian node's own `custos_` methods through the typed client of `custos-rpc-api`.
//! (Chain records are read through the runtime APIs, see [`crate::queries`], and turned into
//! the same JSON views with `custos_rpc_api::views`.)

use custos_envelope::SealedShare;
use custos_primitives::EscrowId;
use custos_rpc_api::{
	views::{CustodianIdentity, DepositReceipt},
	CustodianApiClient,
};
use sp_core::Bytes;

use crate::{ChainClient, Error, Result};

impl ChainClient {
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
