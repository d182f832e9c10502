//! Typed reads of escrows, recovery requests, releases and certificates, through the
//! runtime APIs the node exposes (`state_call`), decoded with the runtime's own types.

use codec::{Decode, Encode};
use custos_primitives::{EscrowId, Role};
use custos_runtime::{AccountId, BlockNumber, Hash, Runtime};
use jsonrpsee::core::client::ClientT;
use pallet_certificates::CertificateViewOf;
use pallet_key_escrow::{
	EscrowHealth, EscrowOf, FloorsOf, GuessOf, GuessStatus, OprfEvaluation, ReleaseOf,
	RequestOf, RequestPhase,
};
use sp_core::{Bytes, H256};

use crate::{ChainClient, Error, Result};

impl ChainClient {
	/// Calls runtime API `method` (e.g. `KeyEscrowApi_escrow`) with SCALE-encoded `args` at
	/// block `at` (best when `None`) and decodes the answer as `T`.
	pub async fn runtime_api<T: Decode>(
		&self,
		method: &'static str,
		args: impl Encode,
		at: Option<Hash>,
	) -> Result<T> {
		let params = jsonrpsee::rpc_params![method, Bytes(args.encode()), at];
		let answer: Bytes = self
			.ws()
			.request("state_call", params)
			.await
			.map_err(|e| Error::rpc("state_call", e))?;
		T::decode(&mut &answer.0[..]).map_err(|e| Error::decode(method, e))
	}

	/// The escrow record `id`.
	pub async fn escrow(&self, id: EscrowId) -> Result<Option<EscrowOf<Runtime>>> {
		self.escrow_at(id, None).await
	}

	/// The escrow record `id` at block `at` (best when `None`), as the node says (unproven:
	/// see [`ChainClient::proven_escrow`]).
	pub async fn escrow_at(
		&self,
		id: EscrowId,
		at: Option<Hash>,
	) -> Result<Option<EscrowOf<Runtime>>> {
		self.runtime_api("KeyEscrowApi_escrow", id, at).await
	}

	/// The escrow record `id`, or an error saying it does not exist.
	pub async fn existing_escrow(&self, id: EscrowId) -> Result<EscrowOf<Runtime>> {
		self.escrow(id).await?.ok_or(Error::NotFound { what: format!("escrow {id:?}") })
	}

	/// The ids of the escrows `owner` holds.
	pub async fn escrows_of(&self, owner: &AccountId) -> Result<Vec<EscrowId>> {
		self.runtime_api("KeyEscrowApi_escrows_of", owner, None).await
	}

	/// The open recovery request of escrow `id` and its phase.
	pub async fn request(
		&self,
		id: EscrowId,
	) -> Result<Option<(RequestOf<Runtime>, RequestPhase<BlockNumber>)>> {
		self.runtime_api("KeyEscrowApi_request", id, None).await
	}

	/// Whether the open request of escrow `id` is releasable at block `at` (best when `None`).
	pub async fn is_releasable_at(&self, id: EscrowId, at: Option<Hash>) -> Result<bool> {
		self.runtime_api("KeyEscrowApi_is_releasable", id, at).await
	}

	/// The releases made to the open request of escrow `id`, by share index.
	pub async fn releases(&self, id: EscrowId) -> Result<Vec<(u32, ReleaseOf<Runtime>)>> {
		self.releases_at(id, None).await
	}

	/// The releases made to the open request of escrow `id` at block `at` (best when `None`),
	/// as the node says (unproven: see [`ChainClient::proven_releases`]).
	pub async fn releases_at(
		&self,
		id: EscrowId,
		at: Option<Hash>,
	) -> Result<Vec<(u32, ReleaseOf<Runtime>)>> {
		self.runtime_api("KeyEscrowApi_releases", id, at).await
	}

	/// The guess counter of escrow `id`: used, limit, lock, reset votes, next request nonce.
	pub async fn guess_status(&self, id: EscrowId) -> Result<GuessStatus> {
		let status: Option<GuessStatus> =
			self.runtime_api("KeyEscrowApi_guess_status", id, None).await?;
		status.ok_or(Error::NotFound { what: format!("escrow {id:?}") })
	}

	/// The open guesses of escrow `id`, by guess id.
	pub async fn guesses(&self, id: EscrowId) -> Result<Vec<(u32, GuessOf<Runtime>)>> {
		self.runtime_api("KeyEscrowApi_guesses", id, None).await
	}

	/// The custodians' evaluations of guess `guess` of escrow `id`, by share index.
	pub async fn evaluations(&self, id: EscrowId, guess: u32) -> Result<Vec<(u32, OprfEvaluation)>> {
		self.runtime_api("KeyEscrowApi_evaluations", (id, guess), None).await
	}

	/// The chain's floors for new splits and policies: least Argon2id memory and passes, least
	/// delay.
	pub async fn floors(&self) -> Result<FloorsOf<Runtime>> {
		self.runtime_api("KeyEscrowApi_floors", (), None).await
	}

	/// Live custodians of escrow `id` against its threshold.
	pub async fn escrow_health(&self, id: EscrowId) -> Result<Option<EscrowHealth>> {
		self.runtime_api("KeyEscrowApi_health", id, None).await
	}

	/// Every custodian with a valid certificate now, with its X25519 sealing key.
	pub async fn certified_custodians(&self) -> Result<Vec<(AccountId, H256)>> {
		self.runtime_api("CertificatesApi_custodians", (), None).await
	}

	/// The current certificate of `who` for `role`.
	pub async fn certificate(
		&self,
		who: &AccountId,
		role: Role,
	) -> Result<Option<CertificateViewOf<Runtime>>> {
		self.runtime_api("CertificatesApi_certificate", (who, role), None).await
	}
}
