//! Certificate roles and keys, and the certificate questions other pallets ask.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use sp_core::H256;

use crate::{named::named_enum, EscrowId};

/// Sequential number of a certificate, never reused.
pub type CertificateId = u64;

/// What a certificate lets its subject do.
#[derive(
	Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Encode, Decode, DecodeWithMemTracking,
	MaxEncodedLen, TypeInfo, Debug,
)]
pub enum Role {
	/// Holds escrowed shares and releases them to approved recovery requests.
	Custodian,
	/// Operates an authoring node.
	Validator,
	/// Issues recovery authorizations (identity attestation) without being a CA.
	Attestor,
}

named_enum!(Role, "role", {
	Custodian => "custodian",
	Validator => "validator",
	Attestor => "attestor",
});

/// Why a certificate was revoked, after the X.509 CRL reason codes (RFC 5280, 5.3.1).
#[derive(
	Clone,
	Copy,
	Eq,
	PartialEq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	Debug,
	TypeInfo,
	MaxEncodedLen,
)]
pub enum RevocationReason {
	/// No reason given.
	#[codec(index = 0)]
	Unspecified,
	/// A private key bound by the certificate is, or may be, known to someone else.
	#[codec(index = 1)]
	KeyCompromise,
	/// The issuing authority's own key or account is, or may be, compromised.
	#[codec(index = 2)]
	CaCompromise,
	/// The subject's role or affiliation changed.
	#[codec(index = 3)]
	AffiliationChanged,
	/// A newer certificate replaced this one (set by `reissue_certificate`).
	#[codec(index = 4)]
	Superseded,
	/// The subject stopped operating.
	#[codec(index = 5)]
	CessationOfOperation,
}

named_enum!(RevocationReason, "revocation reason", {
	Unspecified => "unspecified",
	KeyCompromise => "key-compromise",
	CaCompromise => "ca-compromise",
	AffiliationChanged => "affiliation-changed",
	Superseded => "superseded",
	CessationOfOperation => "cessation-of-operation",
});

/// A public key bound by a certificate, tagged with its scheme.
#[derive(
	Clone, Copy, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
	Debug,
)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
pub enum PublicKey {
	/// An sr25519 signing key (e.g. the node's custodian signing identity).
	Sr25519(H256),
	/// An ed25519 signing key.
	Ed25519(H256),
	/// An X25519 key that shares are sealed to with HPKE (RFC 9180). A custodian needs one.
	X25519(H256),
}

impl PublicKey {
	/// The X25519 key, if this is one.
	pub fn x25519(&self) -> Option<H256> {
		match self {
			PublicKey::X25519(key) => Some(*key),
			_ => None,
		}
	}
}

/// The certificate questions other pallets and the node ask, answered at block `at`.
///
/// A certificate counts only while it is inside its validity window, unrevoked, and its issuer
/// is still a certificate authority.
pub trait CertificateInspect<AccountId, BlockNumber> {
	/// The X25519 encryption key of `who`'s valid `Custodian` certificate at `at`.
	fn custodian_key(who: &AccountId, at: BlockNumber) -> Option<H256>;

	/// Whether `who` holds a valid certificate of `role` at `at`.
	fn has_valid_certificate(who: &AccountId, role: Role, at: BlockNumber) -> bool;

	/// Whether `issuer`'s recovery authorization letting `requester` recover `escrow` exists
	/// and counts at `at` (unexpired, and `issuer` still may issue authorizations). Each
	/// issuer's record counts on its own: a consumer asks about the issuers it accepts.
	fn recovery_authorized_by(
		escrow: &EscrowId,
		requester: &AccountId,
		issuer: &AccountId,
		at: BlockNumber,
	) -> bool;

	/// The software measurement that `who`'s valid certificate of `role` names at `at`:
	/// `None` when `who` has no such certificate, `Some(None)` when it names no measurement.
	fn certified_measurement(who: &AccountId, role: Role, at: BlockNumber) -> Option<Option<H256>>;

	/// Benchmark set-up: make `who` a valid custodian with `key` from now on.
	#[cfg(feature = "runtime-benchmarks")]
	fn certify_custodian(who: &AccountId, key: H256);

	/// Benchmark set-up: make `who` a valid validator, its certificate naming `measurement`,
	/// from now on.
	#[cfg(feature = "runtime-benchmarks")]
	fn certify_validator(who: &AccountId, measurement: Option<H256>);

	/// Benchmark set-up: make `issuer` an issuer whose record authorizing `requester` for
	/// `escrow` counts from now on (the costliest kind of such record to check).
	#[cfg(feature = "runtime-benchmarks")]
	fn authorize_recovery(issuer: &AccountId, escrow: &EscrowId, requester: &AccountId);

	/// Benchmark set-up: write a record by `issuer` for `requester` and `escrow` that does not
	/// count, of the kind that is costliest to find not counting.
	#[cfg(feature = "runtime-benchmarks")]
	fn authorize_recovery_lapsed(issuer: &AccountId, escrow: &EscrowId, requester: &AccountId);
}
