//! Recovery requests, their phase, and releases.

use custos_runtime::{AccountId, Balance, BlockNumber, Runtime};
use pallet_key_escrow::{ReleaseOf, RequestOf, RequestPhase};
use serde::{Deserialize, Serialize};
use sp_core::{Bytes, H256};

/// An escrow's open recovery request (`custos_request`, `custos recover status --json`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RequestView {
	/// The escrow's request counter when this request was opened (its signature names it).
	pub nonce: u32,
	/// The account asking for recovery.
	pub requester: AccountId,
	/// The X25519 key releases are sealed to.
	pub one_time_key: H256,
	/// Deposit held from the requester, in the chain's smallest unit (a decimal string: JSON
	/// numbers cannot hold every u128).
	#[serde(with = "decimal")]
	pub deposit: Balance,
	/// Block the request was opened.
	pub opened_at: BlockNumber,
	/// Guardians that approved.
	pub approvals: Vec<AccountId>,
	/// Issuer of the attached recovery authorization.
	pub authorized_by: Option<AccountId>,
	/// Whether the request carried a valid recovery-key signature.
	pub recovery_key_verified: bool,
	/// First block at which shares may be released, once every factor holds.
	pub release_at: Option<BlockNumber>,
	/// After this block the request can only be closed.
	pub expires_at: BlockNumber,
	/// Shares released so far.
	pub released: u32,
	/// When every custodian had released.
	pub completed_at: Option<BlockNumber>,
	/// Where the request stands at the block asked about.
	pub status: PhaseView,
}

/// Where a recovery request stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "phase", rename_all = "kebab-case")]
pub enum PhaseView {
	/// Some factor (guardians, authorization) does not hold yet.
	AwaitingApproval,
	/// Every factor holds; the owner may cancel until `releaseAt`.
	#[serde(rename_all = "camelCase")]
	Delay {
		/// First block at which shares may be released.
		release_at: BlockNumber,
	},
	/// Custodians may release their shares.
	Releasable,
	/// Every custodian released.
	Completed,
	/// Past its expiry; only closing remains.
	Expired,
}

impl From<RequestPhase<BlockNumber>> for PhaseView {
	fn from(phase: RequestPhase<BlockNumber>) -> Self {
		match phase {
			RequestPhase::AwaitingApproval => PhaseView::AwaitingApproval,
			RequestPhase::Delay { release_at } => PhaseView::Delay { release_at },
			RequestPhase::Releasable => PhaseView::Releasable,
			RequestPhase::Completed => PhaseView::Completed,
			RequestPhase::Expired => PhaseView::Expired,
		}
	}
}

impl std::fmt::Display for PhaseView {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		match self {
			PhaseView::AwaitingApproval => f.write_str("awaiting approval"),
			PhaseView::Delay { release_at } => write!(f, "delay until block #{release_at}"),
			PhaseView::Releasable => f.write_str("releasable"),
			PhaseView::Completed => f.write_str("completed"),
			PhaseView::Expired => f.write_str("expired"),
		}
	}
}

impl RequestView {
	/// The view of a request record in `phase`.
	pub fn new(request: &RequestOf<Runtime>, phase: RequestPhase<BlockNumber>) -> Self {
		Self {
			nonce: request.nonce,
			requester: request.requester.clone(),
			one_time_key: request.one_time_key,
			deposit: request.deposit,
			opened_at: request.opened_at,
			approvals: request.approvals.to_vec(),
			authorized_by: request.authorized_by.clone(),
			recovery_key_verified: request.recovery_key_verified,
			release_at: request.release_at,
			expires_at: request.expires_at,
			released: request.released,
			completed_at: request.completed_at,
			status: phase.into(),
		}
	}
}

/// A custodian's release of its share to the open request (`custos_releases`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReleaseView {
	/// The share's index (custodian slot).
	pub index: u32,
	/// The releasing custodian.
	pub custodian: AccountId,
	/// Block of the release.
	pub at: BlockNumber,
	/// The share, still inner-encrypted, sealed to the request's one-time key.
	pub payload: Bytes,
}

impl ReleaseView {
	/// The view of the release of share `index`.
	pub fn new(index: u32, release: &ReleaseOf<Runtime>) -> Self {
		Self {
			index,
			custodian: release.custodian.clone(),
			at: release.at,
			payload: Bytes(release.payload.to_vec()),
		}
	}
}

/// Balances as decimal strings (JSON numbers cannot hold every u128): `serde(with =
/// "custos_rpc_api::views::decimal")`.
pub mod decimal {
	use serde::{de::Error, Deserialize, Deserializer, Serializer};

	/// Writes `value` as a decimal string.
	pub fn serialize<S: Serializer>(value: &u128, s: S) -> Result<S::Ok, S::Error> {
		s.collect_str(value)
	}

	/// Reads a decimal string.
	pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<u128, D::Error> {
		String::deserialize(d)?.parse().map_err(D::Error::custom)
	}
}
