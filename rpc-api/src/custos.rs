//! Reads of the escrow protocol's state.

use custos_primitives::{EscrowId, Role};
use custos_runtime::{AccountId, BlockNumber};
use jsonrpsee::{core::RpcResult, proc_macros::rpc};
use sp_core::Bytes;

use crate::{
	views::{
		CertificateView, CustodianView, EscrowView, GuessesView, HealthView, ReleaseView,
		RequestView,
	},
	BlockHash,
};

/// The `custos_` methods every node serves. Each takes an optional block hash as its last
/// parameter (default: the best block).
#[rpc(client, server, namespace = "custos")]
pub trait CustosApi {
	/// The escrow record with id `id`, or null.
	#[method(name = "escrow")]
	fn escrow(&self, id: EscrowId, at: Option<BlockHash>) -> RpcResult<Option<EscrowView>>;

	/// The ids of the escrows `owner` holds.
	#[method(name = "escrowsOf")]
	fn escrows_of(&self, owner: AccountId, at: Option<BlockHash>) -> RpcResult<Vec<EscrowId>>;

	/// Sealed share `index` of an on-chain escrow, or null.
	#[method(name = "share")]
	fn share(&self, id: EscrowId, index: u32, at: Option<BlockHash>) -> RpcResult<Option<Bytes>>;

	/// The open recovery request of an escrow with its phase, or null.
	#[method(name = "request")]
	fn recovery_request(
		&self,
		id: EscrowId,
		at: Option<BlockHash>,
	) -> RpcResult<Option<RequestView>>;

	/// Whether custodians may release shares of the escrow now.
	#[method(name = "isReleasable")]
	fn is_releasable(&self, id: EscrowId, at: Option<BlockHash>) -> RpcResult<bool>;

	/// Live custodians of the escrow against its threshold, or null.
	#[method(name = "escrowHealth")]
	fn escrow_health(&self, id: EscrowId, at: Option<BlockHash>) -> RpcResult<Option<HealthView>>;

	/// The escrow's passphrase guesses: counter, limit, lock, reset votes, next request
	/// nonce, and the open guesses with the custodians' evaluations; or null.
	#[method(name = "guesses")]
	fn guesses(&self, id: EscrowId, at: Option<BlockHash>) -> RpcResult<Option<GuessesView>>;

	/// The releases made to the escrow's open request.
	#[method(name = "releases")]
	fn releases(&self, id: EscrowId, at: Option<BlockHash>) -> RpcResult<Vec<ReleaseView>>;

	/// `who`'s current certificate of `role` (`custodian`, `validator` or `attestor`) and
	/// whether it is valid now, or null.
	#[method(name = "certificate")]
	fn certificate(
		&self,
		who: AccountId,
		role: Role,
		at: Option<BlockHash>,
	) -> RpcResult<Option<CertificateView>>;

	/// Whether `who`'s certificate of `role` is valid at block number `block` (default: the
	/// block the call is evaluated at).
	#[method(name = "isCertificateValid")]
	fn is_certificate_valid(
		&self,
		who: AccountId,
		role: Role,
		block: Option<BlockNumber>,
		at: Option<BlockHash>,
	) -> RpcResult<bool>;

	/// Every account with a valid custodian certificate, with the X25519 key shares are
	/// sealed to.
	#[method(name = "custodians")]
	fn custodians(&self, at: Option<BlockHash>) -> RpcResult<Vec<CustodianView>>;
}
