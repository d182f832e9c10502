//! Types stored by the validator-set pallet, the message a node measurement report signs, and
//! the view the runtime API returns.

use super::*;
#[cfg(feature = "std")]
use frame::derive::serde::{Deserialize, Serialize};

/// Domain separator of the message a node's session key signs to report its measurement.
pub const MEASUREMENT_SIGNATURE_DOMAIN: &[u8] = b"custos/v2/node-measurement";

/// The message an operator's node signs, with its registered Aura (sr25519) session key, to
/// report the software `measurement` (hash of the node build) it runs: the SCALE encoding of
/// `(MEASUREMENT_SIGNATURE_DOMAIN, genesis, operator, measurement)`, the domain as a
/// length-prefixed byte slice. It binds the chain (its genesis block hash), the operator's
/// account and the measurement, so a report cannot be replayed on another chain or by another
/// operator. The pallet builds it with [`Pallet::measurement_message`]; the node and the client
/// call this function with the genesis hash they know (an `H256` on Custos).
pub fn measurement_message<Genesis: Encode, AccountId: Encode>(
	genesis: &Genesis,
	operator: &AccountId,
	measurement: &H256,
) -> Vec<u8> {
	(MEASUREMENT_SIGNATURE_DOMAIN, genesis, operator, measurement).encode()
}

/// A node's report of the software it runs: the measurement and the signature over
/// [`measurement_message`] by the operator's registered Aura (sr25519) session key.
#[derive(
	Clone, Eq, PartialEq, Encode, Decode, DecodeWithMemTracking, Debug, TypeInfo, MaxEncodedLen,
)]
pub struct MeasurementReport {
	/// Hash of the node build, as a certificate names it.
	pub measurement: H256,
	/// The session key's signature over [`measurement_message`].
	pub signature: sr25519::Signature,
}

/// What the chain records about an operator that joined.
///
/// `measurement` and `node_key` are both set (a report was given and verified) or both `None`.
#[derive(
	Clone, Eq, PartialEq, Encode, Decode, DecodeWithMemTracking, Debug, TypeInfo, MaxEncodedLen,
)]
pub struct Candidate {
	/// The measurement report verified when the operator joined, if one was given.
	pub measurement: Option<MeasurementReport>,
	/// The session key the report was verified against. If the operator registers another
	/// key, the report no longer speaks for the node that will author, and the candidate is
	/// not eligible until it joins again.
	pub node_key: Option<sr25519::Public>,
}

impl Candidate {
	/// The measurement of the stored report, if any.
	pub fn reported_measurement(&self) -> Option<H256> {
		self.measurement.as_ref().map(|report| report.measurement)
	}
}

/// Why an account is not (or no longer) in the validator set: the reason of
/// [`Event::ValidatorRemoved`], and why a candidate of the runtime API is not eligible.
/// Checked in this order; the first that applies is given.
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
#[cfg_attr(feature = "std", derive(Serialize, Deserialize))]
#[cfg_attr(feature = "std", serde(crate = "frame::derive::serde", rename_all = "kebab-case"))]
pub enum RemovalReason {
	/// Not a candidate any more: it left ([`Pallet::leave`]) or root removed it
	/// ([`Pallet::remove_candidate`]).
	#[codec(index = 0)]
	Left,
	/// It holds no valid `Validator` certificate (revoked, expired, or its issuer is no longer
	/// an authority).
	#[codec(index = 1)]
	CertificateInvalid,
	/// It has no session keys registered.
	#[codec(index = 2)]
	KeysMissing,
	/// Its certificate names a measurement that its stored report does not (the certificate
	/// was reissued for another build, or it joined without a report).
	#[codec(index = 3)]
	MeasurementMismatch,
	/// Its registered session key is no longer the one its stored report was verified
	/// against: it must join again with a report signed by the new key.
	#[codec(index = 4)]
	KeyRotated,
}

impl custos_primitives::Named for RemovalReason {
	const ALL: &'static [Self] = &[
		Self::Left,
		Self::CertificateInvalid,
		Self::KeysMissing,
		Self::MeasurementMismatch,
		Self::KeyRotated,
	];

	fn name(&self) -> &'static str {
		match self {
			Self::Left => "left",
			Self::CertificateInvalid => "certificate-invalid",
			Self::KeysMissing => "keys-missing",
			Self::MeasurementMismatch => "measurement-mismatch",
			Self::KeyRotated => "key-rotated",
		}
	}
}

/// A candidate as the runtime API returns it, evaluated at the block the API is called at.
#[derive(Clone, Eq, PartialEq, Encode, Decode, DecodeWithMemTracking, Debug, TypeInfo)]
#[cfg_attr(feature = "std", derive(Serialize, Deserialize))]
#[cfg_attr(feature = "std", serde(crate = "frame::derive::serde", rename_all = "camelCase"))]
pub struct CandidateView<AccountId> {
	/// The operator's account.
	pub account: AccountId,
	/// The measurement of the report verified when it joined, if one was given.
	pub measurement: Option<H256>,
	/// Whether it is in [`Members`], the set last handed to pallet-session.
	pub member: bool,
	/// Whether it would be in the eligible set if a session were planned now.
	pub eligible: bool,
	/// Why it is not eligible now (`None` when `eligible`). Never
	/// [`RemovalReason::Left`]: a candidate has not left.
	pub reason: Option<RemovalReason>,
}

/// The sessions as pallet-session runs them, for clients (`ValidatorSetApi::sessions`).
#[derive(Clone, Eq, PartialEq, Encode, Decode, DecodeWithMemTracking, Debug, TypeInfo)]
#[cfg_attr(feature = "std", derive(Serialize, Deserialize))]
#[cfg_attr(feature = "std", serde(crate = "frame::derive::serde", rename_all = "camelCase"))]
pub struct SessionsView<AccountId, BlockNumber> {
	/// The current session's index.
	pub index: SessionIndex,
	/// The validators of the current session (authoring and voting now).
	pub current: Vec<AccountId>,
	/// The validators queued for the next session.
	pub queued: Vec<AccountId>,
	/// The block at which the next session starts (its first block plans the one after).
	pub next_rotation: BlockNumber,
}
