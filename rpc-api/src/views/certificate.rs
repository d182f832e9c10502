//! Certificates.

use custos_primitives::{CertificateId, PublicKey, RevocationReason, Role, H256};
use custos_runtime::{AccountId, BlockNumber, Runtime};
use pallet_certificates::CertificateViewOf;
use serde::{Deserialize, Serialize};

/// A certificate and whether it is valid at the block asked about (`custos_certificate`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CertificateView {
	/// The certificate's id.
	pub id: CertificateId,
	/// The account the certificate is about.
	pub subject: AccountId,
	/// What it lets the subject do.
	pub role: Role,
	/// The authority that issued it.
	pub issuer: AccountId,
	/// The bound public keys.
	pub keys: Vec<PublicKey>,
	/// The software measurement the subject's node must report, if any.
	pub measurement: Option<H256>,
	/// Block of issue.
	pub issued_at: BlockNumber,
	/// First block of validity.
	pub valid_from: BlockNumber,
	/// First block no longer valid.
	pub valid_until: BlockNumber,
	/// The revocation, if revoked.
	pub revoked: Option<RevocationView>,
	/// Unrevoked, inside its window, and its issuer still an authority.
	pub valid: bool,
}

/// Why, when and by whom a certificate was revoked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RevocationView {
	/// Block of the revocation.
	pub at: BlockNumber,
	/// The reason given.
	pub reason: RevocationReason,
	/// The authority or subject that revoked it.
	pub by: AccountId,
}

impl From<CertificateViewOf<Runtime>> for CertificateView {
	fn from(c: CertificateViewOf<Runtime>) -> Self {
		Self {
			id: c.id,
			subject: c.subject,
			role: c.role,
			issuer: c.issuer,
			keys: c.keys,
			measurement: c.measurement,
			issued_at: c.issued_at,
			valid_from: c.valid_from,
			valid_until: c.valid_until,
			revoked: c
				.revocation
				.map(|r| RevocationView { at: r.at, reason: r.reason, by: r.by }),
			valid: c.valid,
		}
	}
}
