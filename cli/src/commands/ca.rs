//! `custos ca`: a certificate authority issues and revokes certificates.

use std::fmt;

use custos_client::{certificates, signer::parse_signer};
use custos_primitives::{PublicKey, RevocationReason, Role};
use custos_runtime::{AccountId, BlockNumber};
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
		CaCommand::Issue { signer, subject, role, x25519, measurement, valid_for } => {
			let keys = match x25519 {
				Some(key) => vec![PublicKey::X25519(key)],
				None if role == Role::Custodian => {
					return Err(anyhow::anyhow!(
						"a custodian certificate needs --x25519 <sealing key>"
					))
				},
				None => vec![],
			};
			let inclusion = certificates::issue(
				&client,
				&parse_signer(&signer)?,
				subject.clone(),
				role,
				keys,
				measurement,
				valid_for,
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
