//! `custos ca`: a certificate authority issues and revokes certificates.

use std::fmt;

use custos_client::{certificates, signer::parse_signer, validators};
use custos_primitives::{PublicKey, RevocationReason, Role};
use custos_runtime::{AccountId, BlockNumber};
use sp_core::H256;
use serde::Serialize;

use super::{Context, Included, Result};
use crate::cli::CaCommand;

/// `ca issue`: a certificate issued.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CertificateIssued {
	/// The certified account.
	pub subject: AccountId,
	/// What the certificate lets it do.
	pub role: Role,
	/// Blocks the certificate stays valid.
	pub valid_for: BlockNumber,
	/// Where the certificate was finalized.
	pub inclusion: Included,
}

impl fmt::Display for CertificateIssued {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		write!(
			f,
			"Certified {} as {} for {} blocks (block #{}).",
			self.subject, self.role, self.valid_for, self.inclusion.block
		)
	}
}

/// `ca revoke`: a certificate revoked.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CertificateRevoked {
	/// The certified account.
	pub subject: AccountId,
	/// The certificate's role.
	pub role: Role,
	/// Why.
	pub reason: RevocationReason,
	/// Where the revocation was finalized.
	pub inclusion: Included,
}

impl fmt::Display for CertificateRevoked {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		write!(
			f,
			"Revoked the {} certificate of {} (block #{}).",
			self.role, self.subject, self.inclusion.block
		)
	}
}

pub(super) async fn run(ctx: &Context, command: CaCommand) -> Result<()> {
	let client = ctx.connect().await?;
	match command {
		CaCommand::Issue { signer, subject, role, from_node, measurement, valid_for } => {
			let (subject, keys, key_proof, measurement) = match (role, from_node) {
				(Role::Custodian, Some(url)) => {
					ctx.reporter.step(format!("Asking the custodian node at {url} for its key proof"));
					let node = certificates::custodian_from_node(&client, &url).await?;
					if subject.as_ref().is_some_and(|s| *s != node.account) {
						return Err(anyhow::anyhow!(
							"the node at {url} is custodian {}, not the --subject given",
							node.account
						));
					}
					let keys = vec![PublicKey::X25519(node.sealing_key)];
					(node.account, keys, Some(node.key_proof), measurement)
				},
				(Role::Custodian, None) => {
					return Err(anyhow::anyhow!(
						"a custodian certificate needs the custodian's proof that it holds its \
						 sealing key: pass --from-node <the custodian node's RPC URL>"
					))
				},
				(role, from_node) => {
					let subject = subject.ok_or_else(|| {
						anyhow::anyhow!("a {role} certificate needs --subject <account>")
					})?;
					// A validator's node tells its build measurement, unless one is given.
					let measurement = match (measurement, from_node) {
						(Some(m), _) => Some(m),
						(None, Some(url)) => {
							ctx.reporter.step(format!("Asking the node at {url} for its build measurement"));
							let node = custos_client::ChainClient::connect(&url).await?;
							Some(validators::node_measurement(&node).await?.measurement)
						},
						(None, None) => None,
					};
					// The subject's account key: what the certificate says the subject signs with.
					let key = PublicKey::Sr25519(H256(*subject.as_ref()));
					(subject, vec![key], None, measurement)
				},
			};
			let inclusion = certificates::issue(
				&client,
				&parse_signer(&signer)?,
				subject.clone(),
				role,
				keys,
				measurement,
				valid_for,
				key_proof,
				ctx.reporter,
			)
			.await?;
			ctx.emit(&CertificateIssued {
				subject,
				role,
				valid_for,
				inclusion: (&inclusion).into(),
			})
		},
		CaCommand::Revoke { signer, subject, role, reason } => {
			let inclusion = certificates::revoke(
				&client,
				&parse_signer(&signer)?,
				&subject,
				role,
				reason,
				ctx.reporter,
			)
			.await?;
			ctx.emit(&CertificateRevoked { subject, role, reason, inclusion: (&inclusion).into() })
		},
	}
}
