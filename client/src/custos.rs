//! The node's `custos_` methods through the typed client of `custos-rpc-api`: the custodian's
//! own methods, and `custos_guesses` (whose view gathers three runtime API reads). (Other
//! chain records are read through the runtime APIs, see [`crate::queries`], and turned into
//! the same JSON views with `custos_rpc_api::views`.)

use custos_envelope::SealedShare;
use custos_primitives::EscrowId;
use custos_rpc_api::{
	views::{CustodianIdentity, DepositReceipt, GuessesView, ServedEvaluation, ServedRelease},
	CustodianApiClient, CustosApiClient, DEPOSIT_BUSY,
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

	/// `custos_guesses`: escrow `id`'s guess counter and open guesses, as the node serves them.
	pub async fn guesses_view(&self, id: EscrowId) -> Result<GuessesView> {
		CustosApiClient::guesses(self.rpc(), id, None)
			.await
			.map_err(|e| Error::rpc("custos_guesses", e))?
			.ok_or(Error::NotFound { what: format!("escrow {id:?}") })
	}

	/// `custos_depositShare`: hands share `index` of custodian-held escrow `id` to this node,
	/// waiting as the node asks while it is busy (its deposit rate limit), a few times.
	pub async fn deposit_share(
		&self,
		id: EscrowId,
		index: u32,
		sealed: &SealedShare,
	) -> Result<DepositReceipt> {
		const BUSY_RETRIES: u32 = 10;
		let mut retries = 0;
		loop {
			let bytes = Bytes(sealed.as_bytes().to_vec());
			match CustodianApiClient::deposit_share(self.rpc(), id, index, bytes).await {
				Err(jsonrpsee::core::client::Error::Call(e))
					if e.code() == DEPOSIT_BUSY && retries < BUSY_RETRIES =>
				{
					let wait_ms = e
						.data()
						.and_then(|data| serde_json::from_str::<u64>(data.get()).ok())
						.unwrap_or(1000)
						.clamp(10, 60_000);
					retries += 1;
					tokio::time::sleep(std::time::Duration::from_millis(wait_ms)).await;
				},
				result => return result.map_err(|e| Error::rpc("custos_depositShare", e)),
			}
		}
	}

	/// `custos_evaluatedGuess`: this node's custodian's evaluation of guess `guess` of escrow
	/// `id`, signed and not yet on chain (the node waits a few seconds for it while the
	/// custodian evaluates); `None` when it has none, or the node does not serve the method.
	/// Nothing in it is trusted before its proof is checked.
	pub async fn served_evaluation(
		&self,
		id: EscrowId,
		guess: u32,
	) -> Result<Option<ServedEvaluation>> {
		match CustodianApiClient::evaluated_guess(self.rpc(), id, guess).await {
			Ok(served) => Ok(served),
			Err(jsonrpsee::core::client::Error::Call(e)) if e.code() == -32601 => Ok(None),
			Err(e) => Err(Error::rpc("custos_evaluatedGuess", e)),
		}
	}

	/// `custos_releasedShare`: the release of share `index` of escrow `id` this node's custodian
	/// has signed and not yet seen final; `None` when it has none, or the node does not serve
	/// the method (an older node).
	pub async fn served_release(&self, id: EscrowId, index: u32) -> Result<Option<ServedRelease>> {
		match CustodianApiClient::released_share(self.rpc(), id, index).await {
			Ok(served) => Ok(served),
			Err(jsonrpsee::core::client::Error::Call(e)) if e.code() == -32601 => Ok(None),
			Err(e) => Err(Error::rpc("custos_releasedShare", e)),
		}
	}
}
