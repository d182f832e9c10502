//! `custos ca`: a certificate authority issues and revokes certificates.

use custos_primitives::{PublicKey, Role, SealingKeyProof};
use custos_rpc_api::views::CustodianIdentity;
use custos_runtime::{AccountId, BlockNumber, RuntimeCall, Signature};
use pallet_certificates::{Call as CertificatesCall, RevocationReason};
use sp_core::{sr25519, H256};
use sp_runtime::BoundedVec;

use crate::{
	escrow::FINALITY_TIMEOUT,
	progress::Reporter,
	submit::{sign_and_submit, Inclusion},
	ChainClient, Error, Result,
};

/// Issues a certificate of `role` for `subject`, binding `keys`, valid for `valid_for` blocks.
/// A custodian certificate binds exactly one X25519 sealing key, and needs `key_proof`, the
/// subject's proof of possession of it (which its node gives: see [`custodian_from_node`]).
#[allow(clippy::too_many_arguments)]
pub async fn issue(
	client: &ChainClient,
	ca: &sr25519::Pair,
	subject: AccountId,
	role: Role,
	keys: Vec<PublicKey>,
	measurement: Option<H256>,
	valid_for: BlockNumber,
	key_proof: Option<SealingKeyProof<Signature>>,
	reporter: Reporter,
) -> Result<Inclusion> {
	let keys = BoundedVec::try_from(keys)
		.map_err(|_| Error::Invalid("too many keys for one certificate".into()))?;
	let call = RuntimeCall::Certificates(CertificatesCall::issue_certificate {
		subject: subject.into(),
		role,
		keys,
		measurement,
		valid_for,
		proof: key_proof,
	});
	sign_and_submit(client, ca, call, FINALITY_TIMEOUT, reporter.transaction("issue_certificate"))
		.await
}

/// Asks the custodian node at `url` who it is: its account, its sealing key and its proof of
/// possession of that key for this chain, which `issue` submits. Refused when the node holds no
/// custodian keys, or serves another chain than `client` (its proof would not verify here).
pub async fn custodian_from_node(client: &ChainClient, url: &str) -> Result<CustodianIdentity> {
	let node = ChainClient::connect(url).await?;
	let identity = node.custodian_identity().await?.ok_or_else(|| {
		Error::Invalid(format!("the node at {url} holds no custodian keys (see its --help)"))
	})?;
	client.ensure_same_chain(&node).await?;
	Ok(identity)
}

/// Revokes the current certificate of `subject` for `role` (by the issuing CA or the subject).
pub async fn revoke(
	client: &ChainClient,
	signer: &sr25519::Pair,
	subject: &AccountId,
	role: Role,
	reason: RevocationReason,
	reporter: Reporter,
) -> Result<Inclusion> {
	let certificate = client
		.certificate(subject, role)
		.await?
		.ok_or_else(|| Error::NotFound { what: format!("a {role:?} certificate of {subject}") })?;
	if certificate.revocation.is_some() {
		return Err(Error::Invalid(format!("certificate {} is revoked already", certificate.id)));
	}
	let call = RuntimeCall::Certificates(CertificatesCall::revoke_certificate {
		id: certificate.id,
		reason,
	});
	sign_and_submit(
		client,
		signer,
		call,
		FINALITY_TIMEOUT,
		reporter.transaction("revoke_certificate"),
	)
	.await
}
