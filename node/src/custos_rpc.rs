//! The `custos_` JSON-RPC namespace: escrows, recovery requests, releases and certificates,
//! read through the runtime APIs of `pallet-key-escrow` and `pallet-certificates`.
//!
//! Every method takes an optional block hash as its last parameter (default: the best block).
//! Accounts are SS58 strings, hashes and byte strings `0x`-hex.

use std::sync::Arc;

use custos_primitives::{EscrowId, PublicKey, Role, H256};
use custos_runtime::{opaque::Block, AccountId, BlockNumber, Runtime};
use jsonrpsee::{core::RpcResult, proc_macros::rpc, types::ErrorObjectOwned};
use pallet_certificates::runtime_api::CertificatesApi;
use pallet_key_escrow::{
	runtime_api::KeyEscrowApi, EscrowHealth, EscrowOf, KeyKind, ReleaseOf, RequestOf,
	RequestPhase, StorageMode,
};
use serde_json::{json, Value};
use sp_api::ProvideRuntimeApi;
use sp_blockchain::HeaderBackend;
use sp_core::{bytes::to_hex, crypto::Ss58Codec};
use sp_runtime::traits::Block as BlockT;

type Hash = <Block as BlockT>::Hash;

/// The runtime APIs the `custos_` namespace reads, as one bound.
pub trait CustosRuntimeApi:
	KeyEscrowApi<Block, AccountId, BlockNumber, EscrowOf<Runtime>, RequestOf<Runtime>, ReleaseOf<Runtime>>
	+ CertificatesApi<Block, AccountId, BlockNumber>
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
		> + CertificatesApi<Block, AccountId, BlockNumber>
{
}

/// The `custos_` methods.
#[rpc(server, namespace = "custos")]
pub trait CustosApi {
	/// The escrow record with id `id`, or null.
	#[method(name = "escrow")]
	fn escrow(&self, id: EscrowId, at: Option<Hash>) -> RpcResult<Option<Value>>;

	/// The ids of the escrows `owner` holds.
	#[method(name = "escrowsOf")]
	fn escrows_of(&self, owner: AccountId, at: Option<Hash>) -> RpcResult<Vec<EscrowId>>;

	/// Sealed share `index` of an on-chain escrow, or null.
	#[method(name = "share")]
	fn share(&self, id: EscrowId, index: u32, at: Option<Hash>) -> RpcResult<Option<String>>;

	/// The open recovery request of an escrow with its phase, or null.
	#[method(name = "request")]
	fn request(&self, id: EscrowId, at: Option<Hash>) -> RpcResult<Option<Value>>;

	/// Whether custodians may release shares of the escrow now.
	#[method(name = "isReleasable")]
	fn is_releasable(&self, id: EscrowId, at: Option<Hash>) -> RpcResult<bool>;

	/// Live custodians of the escrow against its threshold, or null.
	#[method(name = "escrowHealth")]
	fn escrow_health(&self, id: EscrowId, at: Option<Hash>) -> RpcResult<Option<Value>>;

	/// The releases made to the escrow's open request.
	#[method(name = "releases")]
	fn releases(&self, id: EscrowId, at: Option<Hash>) -> RpcResult<Vec<Value>>;

	/// `who`'s current certificate of `role` (`custodian`, `validator` or `attestor`) and
	/// whether it is valid now, or null.
	#[method(name = "certificate")]
	fn certificate(&self, who: AccountId, role: String, at: Option<Hash>)
		-> RpcResult<Option<Value>>;

	/// Whether `who`'s certificate of `role` is valid at block number `block` (default: the
	/// block the call is evaluated at).
	#[method(name = "isCertificateValid")]
	fn is_certificate_valid(
		&self,
		who: AccountId,
		role: String,
		block: Option<BlockNumber>,
		at: Option<Hash>,
	) -> RpcResult<bool>;

	/// Every account with a valid custodian certificate, with the X25519 key shares are
	/// sealed to.
	#[method(name = "custodians")]
	fn custodians(&self, at: Option<Hash>) -> RpcResult<Vec<Value>>;
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

fn parse_role(role: &str) -> RpcResult<Role> {
	match role.to_ascii_lowercase().as_str() {
		"custodian" => Ok(Role::Custodian),
		"validator" => Ok(Role::Validator),
		"attestor" => Ok(Role::Attestor),
		other => Err(invalid_params(format!(
			"unknown role {other:?}: expected custodian, validator or attestor"
		))),
	}
}

fn ss58(account: &AccountId) -> String {
	account.to_ss58check()
}

fn hash(h: &H256) -> String {
	format!("{h:?}")
}

fn escrow_json(id: &EscrowId, e: &EscrowOf<Runtime>) -> Value {
	let p = &e.policy;
	json!({
		"id": hash(id),
		"owner": ss58(&e.owner),
		"fingerprint": hash(&e.fingerprint),
		"keyKind": match e.key_kind {
			KeyKind::Sr25519Seed => "sr25519-seed",
			KeyKind::Ed25519Seed => "ed25519-seed",
			KeyKind::Sr25519Secret => "sr25519-secret",
			KeyKind::Raw => "raw",
		},
		"threshold": e.threshold,
		"custodians": e.custodians.iter().map(|c| json!({
			"account": ss58(&c.account),
			"key": hash(&c.key),
			"acknowledged": c.acknowledged,
		})).collect::<Vec<_>>(),
		"commitments": e.commitments.iter().map(hash).collect::<Vec<_>>(),
		"kdf": {
			"algorithm": "argon2id",
			"memoryKib": e.kdf.memory_kib,
			"iterations": e.kdf.iterations,
			"parallelism": e.kdf.parallelism,
			"salt": to_hex(&e.kdf.salt, false),
		},
		"mode": match e.mode {
			StorageMode::OnChain => "on-chain",
			StorageMode::CustodianHeld => "custodian-held",
		},
		"policy": {
			"recoveryKey": p.recovery_key.map(|k| to_hex(&k.0, false)),
			"guardians": p.guardians.iter().map(ss58).collect::<Vec<_>>(),
			"guardianThreshold": p.guardian_threshold,
			"authorities": p.authorities.iter().map(ss58).collect::<Vec<_>>(),
			"delay": p.delay,
			"maxAttempts": p.max_attempts,
		},
		"generation": e.generation,
		"createdAt": e.created_at,
	})
}

fn request_json(r: &RequestOf<Runtime>, phase: &RequestPhase<BlockNumber>) -> Value {
	let phase = match phase {
		RequestPhase::AwaitingApproval => json!({ "phase": "awaiting-approval" }),
		RequestPhase::Delay { release_at } => json!({ "phase": "delay", "releaseAt": release_at }),
		RequestPhase::Releasable => json!({ "phase": "releasable" }),
		RequestPhase::Completed => json!({ "phase": "completed" }),
		RequestPhase::Expired => json!({ "phase": "expired" }),
	};
	json!({
		"requester": ss58(&r.requester),
		"oneTimeKey": hash(&r.one_time_key),
		"deposit": r.deposit.to_string(),
		"openedAt": r.opened_at,
		"approvals": r.approvals.iter().map(ss58).collect::<Vec<_>>(),
		"authorizedBy": r.authorized_by.as_ref().map(ss58),
		"recoveryKeyVerified": r.recovery_key_verified,
		"releaseAt": r.release_at,
		"expiresAt": r.expires_at,
		"released": r.released,
		"completedAt": r.completed_at,
		"status": phase,
	})
}

fn release_json(index: u32, r: &ReleaseOf<Runtime>) -> Value {
	json!({
		"index": index,
		"custodian": ss58(&r.custodian),
		"at": r.at,
		"payload": to_hex(&r.payload, false),
	})
}

fn health_json(h: &EscrowHealth) -> Value {
	json!({
		"threshold": h.threshold,
		"custodians": h.custodians,
		"live": h.live,
		"atRisk": h.at_risk,
		"unrecoverable": h.unrecoverable,
	})
}

fn public_key_json(key: &PublicKey) -> Value {
	match key {
		PublicKey::Sr25519(k) => json!({ "sr25519": hash(k) }),
		PublicKey::Ed25519(k) => json!({ "ed25519": hash(k) }),
		PublicKey::X25519(k) => json!({ "x25519": hash(k) }),
	}
}

impl<C> Custos<C>
where
	C: HeaderBackend<Block>,
{
	fn at(&self, at: Option<Hash>) -> Hash {
		at.unwrap_or_else(|| self.client.info().best_hash)
	}
}

impl<C> CustosApiServer for Custos<C>
where
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + Send + Sync + 'static,
	C::Api: CustosRuntimeApi,
{
	fn escrow(&self, id: EscrowId, at: Option<Hash>) -> RpcResult<Option<Value>> {
		let record = self.client.runtime_api().escrow(self.at(at), id).map_err(runtime_error)?;
		Ok(record.map(|e| escrow_json(&id, &e)))
	}

	fn escrows_of(&self, owner: AccountId, at: Option<Hash>) -> RpcResult<Vec<EscrowId>> {
		self.client.runtime_api().escrows_of(self.at(at), owner).map_err(runtime_error)
	}

	fn share(&self, id: EscrowId, index: u32, at: Option<Hash>) -> RpcResult<Option<String>> {
		let share =
			self.client.runtime_api().share(self.at(at), id, index).map_err(runtime_error)?;
		Ok(share.map(|bytes| to_hex(&bytes, false)))
	}

	fn request(&self, id: EscrowId, at: Option<Hash>) -> RpcResult<Option<Value>> {
		let request = self.client.runtime_api().request(self.at(at), id).map_err(runtime_error)?;
		Ok(request.map(|(r, phase)| request_json(&r, &phase)))
	}

	fn is_releasable(&self, id: EscrowId, at: Option<Hash>) -> RpcResult<bool> {
		self.client.runtime_api().is_releasable(self.at(at), id).map_err(runtime_error)
	}

	fn escrow_health(&self, id: EscrowId, at: Option<Hash>) -> RpcResult<Option<Value>> {
		let health = self.client.runtime_api().health(self.at(at), id).map_err(runtime_error)?;
		Ok(health.as_ref().map(health_json))
	}

	fn releases(&self, id: EscrowId, at: Option<Hash>) -> RpcResult<Vec<Value>> {
		let releases =
			self.client.runtime_api().releases(self.at(at), id).map_err(runtime_error)?;
		Ok(releases.iter().map(|(index, r)| release_json(*index, r)).collect())
	}

	fn certificate(
		&self,
		who: AccountId,
		role: String,
		at: Option<Hash>,
	) -> RpcResult<Option<Value>> {
		let role = parse_role(&role)?;
		let view = self
			.client
			.runtime_api()
			.certificate(self.at(at), who, role)
			.map_err(runtime_error)?;
		Ok(view.map(|c| {
			json!({
				"id": c.id,
				"subject": ss58(&c.subject),
				"role": format!("{:?}", c.role).to_lowercase(),
				"issuer": ss58(&c.issuer),
				"keys": c.keys.iter().map(public_key_json).collect::<Vec<_>>(),
				"measurement": c.measurement.as_ref().map(hash),
				"issuedAt": c.issued_at,
				"validFrom": c.valid_from,
				"validUntil": c.valid_until,
				"revoked": c.revocation.as_ref().map(|r| json!({
					"at": r.at,
					"reason": format!("{:?}", r.reason),
					"by": ss58(&r.by),
				})),
				"valid": c.valid,
			})
		}))
	}

	fn is_certificate_valid(
		&self,
		who: AccountId,
		role: String,
		block: Option<BlockNumber>,
		at: Option<Hash>,
	) -> RpcResult<bool> {
		let role = parse_role(&role)?;
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

	fn custodians(&self, at: Option<Hash>) -> RpcResult<Vec<Value>> {
		let custodians =
			self.client.runtime_api().custodians(self.at(at)).map_err(runtime_error)?;
		Ok(custodians
			.iter()
			.map(|(account, key)| json!({ "account": ss58(account), "key": hash(key) }))
			.collect())
	}
}
