//! Serves the `custos_` namespace ([`CustosApiServer`]) from the runtime APIs of
//! `pallet-key-escrow` and `pallet-certificates`, answering with the views of
//! `custos-rpc-api`.

use std::sync::Arc;

use custos_primitives::{EscrowId, Role};
use custos_rpc_api::{
	views::{
		CertificateView, CustodianView, EscrowView, GuessesView, HealthView, ReleaseView,
		RequestView,
	},
	BlockHash, CustosApiServer,
};
use custos_runtime::{opaque::Block, AccountId, BlockNumber, Runtime};
use jsonrpsee::{core::RpcResult, types::ErrorObjectOwned};
use pallet_certificates::runtime_api::CertificatesApi;
use pallet_key_escrow::{runtime_api::KeyEscrowApi, EscrowOf, GuessOf, ReleaseOf, RequestOf};
use sp_api::ProvideRuntimeApi;
use sp_blockchain::HeaderBackend;
use sp_core::Bytes;

/// The runtime APIs the `custos_` namespace reads, as one bound.
pub trait CustosRuntimeApi:
	KeyEscrowApi<
		Block,
		AccountId,
		BlockNumber,
		EscrowOf<Runtime>,
		RequestOf<Runtime>,
		ReleaseOf<Runtime>,
		GuessOf<Runtime>,
	> + CertificatesApi<Block, AccountId, BlockNumber>
{
}

impl<Api> CustosRuntimeApi for Api where
	Api: KeyEscrowApi<
			Block,
			AccountId,
			BlockNumber,
			EscrowOf<Runtime>,
			RequestOf<Runtime>,
			ReleaseOf<Runtime>,
			GuessOf<Runtime>,
		> + CertificatesApi<Block, AccountId, BlockNumber>
{
}

/// Serves [`CustosApiServer`] from a client's runtime APIs.
pub struct Custos<C> {
	client: Arc<C>,
}

impl<C> Custos<C> {
	/// Serves the namespace from `client`.
	pub fn new(client: Arc<C>) -> Self {
		Self { client }
	}
}

fn invalid_params(message: impl Into<String>) -> ErrorObjectOwned {
	ErrorObjectOwned::owned(jsonrpsee::types::error::INVALID_PARAMS_CODE, message.into(), None::<()>)
}

fn runtime_error(error: impl std::fmt::Display) -> ErrorObjectOwned {
	ErrorObjectOwned::owned(
		jsonrpsee::types::error::INTERNAL_ERROR_CODE,
		format!("runtime API call failed: {error}"),
		None::<()>,
	)
}

impl<C> Custos<C>
where
	C: HeaderBackend<Block>,
{
	fn at(&self, at: Option<BlockHash>) -> BlockHash {
		at.unwrap_or_else(|| self.client.info().best_hash)
	}
}

impl<C> CustosApiServer for Custos<C>
where
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + Send + Sync + 'static,
	C::Api: CustosRuntimeApi,
{
	fn escrow(&self, id: EscrowId, at: Option<BlockHash>) -> RpcResult<Option<EscrowView>> {
		let record = self.client.runtime_api().escrow(self.at(at), id).map_err(runtime_error)?;
		Ok(record.map(|e| EscrowView::new(id, &e)))
	}

	fn escrows_of(&self, owner: AccountId, at: Option<BlockHash>) -> RpcResult<Vec<EscrowId>> {
		self.client.runtime_api().escrows_of(self.at(at), owner).map_err(runtime_error)
	}

	fn share(&self, id: EscrowId, index: u32, at: Option<BlockHash>) -> RpcResult<Option<Bytes>> {
		let share =
			self.client.runtime_api().share(self.at(at), id, index).map_err(runtime_error)?;
		Ok(share.map(Bytes))
	}

	fn recovery_request(&self, id: EscrowId, at: Option<BlockHash>) -> RpcResult<Option<RequestView>> {
		let request = self.client.runtime_api().request(self.at(at), id).map_err(runtime_error)?;
		Ok(request.map(|(r, phase)| RequestView::new(&r, phase)))
	}

	fn is_releasable(&self, id: EscrowId, at: Option<BlockHash>) -> RpcResult<bool> {
		self.client.runtime_api().is_releasable(self.at(at), id).map_err(runtime_error)
	}

	fn escrow_health(&self, id: EscrowId, at: Option<BlockHash>) -> RpcResult<Option<HealthView>> {
		let health = self.client.runtime_api().health(self.at(at), id).map_err(runtime_error)?;
		Ok(health.map(HealthView::from))
	}

	fn guesses(&self, id: EscrowId, at: Option<BlockHash>) -> RpcResult<Option<GuessesView>> {
		let at = self.at(at);
		let api = self.client.runtime_api();
		let Some(status) = api.guess_status(at, id).map_err(runtime_error)? else {
			return Ok(None);
		};
		let mut open = Vec::new();
		for (guess, record) in api.guesses(at, id).map_err(runtime_error)? {
			let evaluations = api.evaluations(at, id, guess).map_err(runtime_error)?;
			open.push((guess, record, evaluations));
		}
		Ok(Some(GuessesView::new(&status, open)))
	}

	fn releases(&self, id: EscrowId, at: Option<BlockHash>) -> RpcResult<Vec<ReleaseView>> {
		let releases =
			self.client.runtime_api().releases(self.at(at), id).map_err(runtime_error)?;
		Ok(releases.iter().map(|(index, r)| ReleaseView::new(*index, r)).collect())
	}

	fn certificate(
		&self,
		who: AccountId,
		role: Role,
		at: Option<BlockHash>,
	) -> RpcResult<Option<CertificateView>> {
		let view = self
			.client
			.runtime_api()
			.certificate(self.at(at), who, role)
			.map_err(runtime_error)?;
		Ok(view.map(CertificateView::from))
	}

	fn is_certificate_valid(
		&self,
		who: AccountId,
		role: Role,
		block: Option<BlockNumber>,
		at: Option<BlockHash>,
	) -> RpcResult<bool> {
		let at = self.at(at);
		let block = match block {
			Some(block) => block,
			None => self
				.client
				.number(at)
				.map_err(runtime_error)?
				.ok_or_else(|| invalid_params("unknown block hash"))?,
		};
		self.client.runtime_api().is_valid(at, who, role, block).map_err(runtime_error)
	}

	fn custodians(&self, at: Option<BlockHash>) -> RpcResult<Vec<CustodianView>> {
		let custodians =
			self.client.runtime_api().custodians(self.at(at)).map_err(runtime_error)?;
		Ok(custodians.into_iter().map(|(account, key)| CustodianView { account, key }).collect())
	}
}
