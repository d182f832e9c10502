//! Validator operators: join the validator set from their own node, leave it, and see who
//! validates now, who is queued, and each candidate's certificate status.

use codec::{Decode, Encode};
use custos_primitives::Role;
use custos_rpc_api::{views::NodeMeasurement, NodeApiClient};
use custos_runtime::{AccountId, BlockNumber, Runtime, RuntimeCall, SessionKeys};
use jsonrpsee::core::client::ClientT;
use pallet_certificates::CertificateViewOf;
use pallet_validator_set::{CandidateView, MeasurementReport, SessionsView};
use serde::Deserialize;
use sp_core::{sr25519, Bytes, Pair as _, H256};

use crate::{
	escrow::FINALITY_TIMEOUT,
	progress::Reporter,
	submit::{sign_and_submit, Inclusion},
	ChainClient, Error, Result,
};

/// What `author_rotateKeysWithOwner` answers: fresh session keys and their ownership proof.
#[derive(Deserialize)]
struct GeneratedSessionKeys {
	keys: Bytes,
	proof: Option<Bytes>,
}

/// What [`join`] did.
pub struct Joined {
	/// The session keys the operator's node generated and the chain now holds for it.
	pub keys: SessionKeys,
	/// The node's build report, signed by the new Aura key.
	pub measurement: NodeMeasurement,
	/// Where the keys were registered.
	pub keys_inclusion: Inclusion,
	/// Where the join was finalized.
	pub join_inclusion: Inclusion,
}

/// Asks the operator's node (`node`) for fresh session keys with their proof of ownership by
/// `operator` (`author_rotateKeysWithOwner`), registers them (`Session::set_keys`), has the
/// node sign its build measurement with the new Aura key, and joins (`ValidatorSet::join`).
/// The set picks the operator up at the next session change (see `custos validator list`).
pub async fn join(
	client: &ChainClient,
	node: &ChainClient,
	operator: &sr25519::Pair,
	reporter: Reporter,
) -> Result<Joined> {
	let account: AccountId = operator.public().into();
	client.ensure_same_chain(node).await?;
	// Refuse before anything is generated or paid for: the chain would refuse the join.
	if !client.certificate(&account, Role::Validator).await?.is_some_and(|c| c.valid) {
		return Err(Error::Invalid(format!(
			"{account} has no valid Validator certificate (a CA issues one with \
			 `custos ca issue --role validator --subject {account}`)"
		)));
	}
	let candidates: Vec<CandidateView<AccountId>> =
		client.runtime_api("ValidatorSetApi_candidates", (), None).await?;
	if candidates.iter().any(|c| c.account == account) {
		return Err(Error::Invalid(format!(
			"{account} has joined already (`custos validator leave` first to join again with \
			 new keys)"
		)));
	}
	reporter.step(format!("Asking the node at {} for fresh session keys", node.url()));
	let generated: GeneratedSessionKeys = node
		.ws()
		.request("author_rotateKeysWithOwner", jsonrpsee::rpc_params![Bytes(account.encode())])
		.await
		.map_err(|e| Error::rpc("author_rotateKeysWithOwner", e))?;
	let keys = SessionKeys::decode(&mut &generated.keys.0[..])
		.map_err(|e| Error::decode("author_rotateKeysWithOwner", e))?;
	let proof = generated
		.proof
		.ok_or_else(|| Error::Invalid("the node gave session keys without an ownership proof".into()))?;
	let call = RuntimeCall::Session(pallet_session::Call::set_keys { keys: keys.clone(), proof: proof.0 });
	let keys_inclusion =
		sign_and_submit(client, operator, call, FINALITY_TIMEOUT, reporter.transaction("set_keys"))
			.await?;

	let aura = H256(sr25519::Public::from(keys.aura.clone()).0);
	let measurement = NodeApiClient::node_measurement(node.rpc(), Some(account), Some(aura))
		.await
		.map_err(|e| Error::rpc("custos_nodeMeasurement", e))?;
	let signature = measurement
		.signature
		.ok_or_else(|| Error::Invalid("the node did not sign its measurement".into()))?;
	let report = MeasurementReport {
		measurement: measurement.measurement,
		signature: sr25519::Signature::from_raw(signature.0),
	};
	let call = RuntimeCall::ValidatorSet(pallet_validator_set::Call::join { report: Some(report) });
	let join_inclusion =
		sign_and_submit(client, operator, call, FINALITY_TIMEOUT, reporter.transaction("join"))
			.await?;
	Ok(Joined { keys, measurement, keys_inclusion, join_inclusion })
}

/// The build measurement of the node at `node` (what a `Validator` certificate may name).
pub async fn node_measurement(node: &ChainClient) -> Result<NodeMeasurement> {
	NodeApiClient::node_measurement(node.rpc(), None, None)
		.await
		.map_err(|e| Error::rpc("custos_nodeMeasurement", e))
}

/// Leaves the validator set: `operator` stops being a candidate, and the set drops it at the
/// next session change.
pub async fn leave(
	client: &ChainClient,
	operator: &sr25519::Pair,
	reporter: Reporter,
) -> Result<Inclusion> {
	let call = RuntimeCall::ValidatorSet(pallet_validator_set::Call::leave {});
	sign_and_submit(client, operator, call, FINALITY_TIMEOUT, reporter.transaction("leave")).await
}

/// The validator set as the chain sees it at the best block.
pub struct ValidatorList {
	/// The session, its validators and the queued ones.
	pub sessions: SessionsView<AccountId, BlockNumber>,
	/// Every candidate (joined and not left) with its eligibility now.
	pub candidates: Vec<CandidateView<AccountId>>,
	/// The `Validator` certificate of every account above, if it has one.
	pub certificates: Vec<(AccountId, Option<CertificateViewOf<Runtime>>)>,
}

/// Reads the sessions, the candidates and the certificates of every account that validates,
/// is queued or is a candidate, and of the `also` accounts.
pub async fn list(client: &ChainClient, also: &[AccountId]) -> Result<ValidatorList> {
	let sessions: SessionsView<AccountId, BlockNumber> =
		client.runtime_api("ValidatorSetApi_sessions", (), None).await?;
	let candidates: Vec<CandidateView<AccountId>> =
		client.runtime_api("ValidatorSetApi_candidates", (), None).await?;
	let mut accounts: Vec<AccountId> = sessions
		.current
		.iter()
		.chain(&sessions.queued)
		.chain(candidates.iter().map(|c| &c.account))
		.chain(also)
		.cloned()
		.collect();
	accounts.sort();
	accounts.dedup();
	let mut certificates = Vec::with_capacity(accounts.len());
	for account in accounts {
		let certificate = client.certificate(&account, Role::Validator).await?;
		certificates.push((account, certificate));
	}
	Ok(ValidatorList { sessions, candidates, certificates })
}
