//! The records this pallet stores and the arguments its calls take.
//!
//! Types are generic over their parts (account, block number, bounded collections) and made
//! concrete by the `*Of<T>` aliases in `lib.rs`, as pallet-recovery does: the concrete
//! parameters satisfy every derive bound, so no `skip_type_params` is needed.

use super::*;
use frame::{
	derive::serde::{Deserialize, Serialize},
	deps::sp_core::sr25519,
};

// Shared with the envelope and the client, so defined once in the primitives.
pub use custos_primitives::{KdfAlgorithm, KdfParams, KeyKind, StorageMode};

/// One custodian of an escrow, with the key its share was sealed to.
#[derive(
	Clone, Eq, PartialEq, Encode, Decode, DecodeWithMemTracking, Debug, TypeInfo, MaxEncodedLen,
)]
pub struct CustodianSlot<AccountId> {
	/// The custodian's account (holder of a `Custodian` certificate when the escrow was made).
	pub account: AccountId,
	/// The X25519 key of its certificate at the time of the split: the share is sealed to it.
	pub key: H256,
	/// `K_i = k_i·G`, the ristretto255 public key of this slot's share of the escrow's OPRF
	/// key: the custodian's evaluations of guesses are checked against it.
	pub oprf_key: H256,
	/// Custodian-held mode: the custodian's node confirmed it stores the share.
	/// Always `true` in on-chain mode.
	pub acknowledged: bool,
}

/// The recovery policy an owner chooses. Every enabled factor must hold before any share is
/// released; at least one factor besides the delay must be enabled.
#[derive(
	Clone, Eq, PartialEq, Encode, Decode, DecodeWithMemTracking, Debug, TypeInfo, MaxEncodedLen,
)]
pub struct RecoveryPolicy<BlockNumber, Guardians, Authorities> {
	/// The passphrase factor: a request must carry the escrow's recovery-key signature over
	/// [`custos_primitives::recovery_request_message`], which only a requester whose counted
	/// guess succeeded can make. (Without this factor the passphrase is still needed to open
	/// the released shares; it then does not gate the release.)
	pub require_passphrase: bool,
	/// Accounts that may approve a recovery (social recovery).
	pub guardians: Guardians,
	/// How many guardians must approve (0 when there are no guardians).
	pub guardian_threshold: u32,
	/// Certificate authorities (or attestors) whose recovery authorization is accepted; when
	/// non-empty, one of them must have authorized the requester.
	pub authorities: Authorities,
	/// Blocks between the moment every factor holds and the first release; the owner may
	/// cancel during this time.
	pub delay: BlockNumber,
	/// Failed requests allowed before the escrow must be unlocked (owner, guardians at their
	/// threshold, or an accepted authority).
	pub max_attempts: u32,
	/// Wrong passphrase guesses allowed since the last success before the escrow locks
	/// (further guesses refused until a reset or a re-split).
	pub max_guesses: u32,
}

/// A split of the key: threshold, custodians, commitments, KDF parameters and (on-chain mode)
/// the sealed shares. Given at creation and replaced whole by a re-split.
#[derive(
	Clone, Eq, PartialEq, Encode, Decode, DecodeWithMemTracking, Debug, TypeInfo, MaxEncodedLen,
)]
pub struct Split<Accounts, Commitments, Shares> {
	/// Shares needed to rebuild the key (2 <= t <= n).
	pub threshold: u32,
	/// The `n` custodians, in share order: share `i` belongs to `custodians[i]`.
	pub custodians: Accounts,
	/// One commitment per share: `H(escrow id, generation, i, inner ciphertext)`.
	pub commitments: Commitments,
	/// One OPRF public key `K_i = k_i·G` per share, in share order.
	pub oprf_keys: Commitments,
	/// The recovery key this split's protection key derives (sr25519). Checking a passphrase
	/// against it needs the OPRF output, so it is no offline oracle.
	pub recovery_key: sr25519::Public,
	/// Passphrase key-derivation parameters of the inner layer.
	pub kdf: KdfParams,
	/// Where the sealed shares live.
	pub mode: StorageMode,
	/// On-chain mode: the `n` sealed shares, in custodian order. Custodian-held: empty.
	pub shares: Shares,
}

/// The least a split's key derivation and a policy's delay may be, enforced on every new split
/// and policy ([`Pallet::create_escrow`], [`Pallet::reshare`], [`Pallet::update_policy`]).
/// Argon2id's cost is what `t` colluding custodians, or a thief of a request file, pay per
/// offline guess; the delay is the owner's window to veto a recovery.
#[derive(
	Clone, Copy, Eq, PartialEq, Encode, Decode, DecodeWithMemTracking, Debug, TypeInfo,
	MaxEncodedLen, Serialize, Deserialize,
)]
#[serde(crate = "frame::derive::serde", rename_all = "camelCase", deny_unknown_fields)]
pub struct Floors<BlockNumber> {
	/// Least Argon2id memory in KiB (RFC 9106 `m`, all lanes together). At least 8, Argon2's
	/// own minimum for one lane.
	pub min_kdf_memory_kib: u32,
	/// Least number of Argon2id passes (RFC 9106 `t`). At least 1.
	pub min_kdf_iterations: u32,
	/// Least recovery delay, in blocks.
	pub min_delay: BlockNumber,
}

/// An escrow record.
#[derive(
	Clone, Eq, PartialEq, Encode, Decode, DecodeWithMemTracking, Debug, TypeInfo, MaxEncodedLen,
)]
pub struct Escrow<AccountId, BlockNumber, Custodians, Commitments, Policy> {
	/// The account that made the escrow and may change or remove it.
	pub owner: AccountId,
	/// Fingerprint of the escrowed key (see [`KeyKind`]); a recovered key must match it.
	pub fingerprint: H256,
	/// What the escrowed key is.
	pub key_kind: KeyKind,
	/// Shares needed to rebuild the key.
	pub threshold: u32,
	/// The custodians, in share order.
	pub custodians: Custodians,
	/// One commitment per share, in share order.
	pub commitments: Commitments,
	/// Passphrase key-derivation parameters.
	pub kdf: KdfParams,
	/// The recovery key of the current split: the passphrase factor's signatures verify
	/// against it, and a requester's client knows its guess was right when its key matches.
	pub recovery_key: sr25519::Public,
	/// Where the sealed shares live.
	pub mode: StorageMode,
	/// Encoded bytes of the sealed shares stored on chain (0 in custodian-held mode); kept so
	/// the deposit can be re-priced without reading every share.
	pub share_bytes: u32,
	/// The recovery policy.
	pub policy: Policy,
	/// Starts at 0 and grows with every re-split; part of the shares' associated data so
	/// shares of different splits never mix.
	pub generation: u32,
	/// Block of creation.
	pub created_at: BlockNumber,
}

/// An open recovery request (at most one per escrow).
#[derive(
	Clone, Eq, PartialEq, Encode, Decode, DecodeWithMemTracking, Debug, TypeInfo, MaxEncodedLen,
)]
pub struct RecoveryRequest<AccountId, BlockNumber, Balance, Approvals> {
	/// The escrow's request counter when this request was opened; the recovery-key signature
	/// names it, so a signature is good for one request only.
	pub nonce: u32,
	/// The account asking for recovery; releases are sealed to its one-time key.
	pub requester: AccountId,
	/// X25519 public key the custodians re-seal shares to; used for this request only.
	pub one_time_key: H256,
	/// Deposit held from the requester; goes to the owner if the owner cancels, or if the
	/// request ends without having satisfied any factor.
	pub deposit: Balance,
	/// Block the request was opened.
	pub opened_at: BlockNumber,
	/// Guardians that approved.
	pub approvals: Approvals,
	/// Issuer of the attached recovery authorization, if any.
	pub authorized_by: Option<AccountId>,
	/// Whether the escrow's recovery-key signature was verified when the request was opened.
	pub recovery_key_verified: bool,
	/// Set once every factor holds: the first block at which shares may be released.
	pub release_at: Option<BlockNumber>,
	/// After this block the request can only be closed.
	pub expires_at: BlockNumber,
	/// Shares released so far.
	pub released: u32,
	/// Set when every custodian has released: no more releases are possible.
	pub completed_at: Option<BlockNumber>,
}

impl<AccountId, BlockNumber, Balance, MaxApprovals: Get<u32>>
	RecoveryRequest<AccountId, BlockNumber, Balance, BoundedVec<AccountId, MaxApprovals>>
{
	/// Whether the request satisfied any factor: a verified recovery-key signature, a
	/// guardian's approval or an attached authorization. A request without one costs its
	/// opener and never the owner, and gives way to a request that brings one. (The pallet
	/// and the client both ask this.)
	pub fn has_factor(&self) -> bool {
		self.recovery_key_verified || !self.approvals.is_empty() || self.authorized_by.is_some()
	}
}

/// A custodian's release of its share to a request.
#[derive(
	Clone, Eq, PartialEq, Encode, Decode, DecodeWithMemTracking, Debug, TypeInfo, MaxEncodedLen,
)]
pub struct Release<AccountId, BlockNumber, Payload> {
	/// The releasing custodian.
	pub custodian: AccountId,
	/// Block of the release.
	pub at: BlockNumber,
	/// The still inner-encrypted share, sealed to the request's one-time key.
	pub payload: Payload,
}

/// Failed recovery attempts of an escrow and the back-off they impose.
#[derive(
	Clone, Eq, PartialEq, Encode, Decode, DecodeWithMemTracking, Debug, TypeInfo, MaxEncodedLen,
	Default,
)]
pub struct Attempts<BlockNumber> {
	/// Failed requests since the last success or unlock.
	pub failed: u32,
	/// No new request before this block.
	pub next_allowed: BlockNumber,
}

/// Length of an [`OprfEvaluation`]: the evaluated element (32 bytes) and its DLEQ proof
/// (64 bytes), RFC 9497 encodings.
pub const OPRF_EVALUATION_LEN: usize = 96;

/// A custodian's evaluation `Z_i = k_i·B` of a guess with its DLEQ proof against `K_i`:
/// `SerializeElement(Z_i) || SerializeScalar(c) || SerializeScalar(s)`. The chain stores it as
/// given; the requester's client checks the proof and names the custodian if it fails.
pub type OprfEvaluation = [u8; OPRF_EVALUATION_LEN];

/// A counted passphrase guess: the requester's blinded element, which the escrow's custodians
/// evaluate once each.
#[derive(
	Clone, Eq, PartialEq, Encode, Decode, DecodeWithMemTracking, Debug, TypeInfo, MaxEncodedLen,
)]
pub struct Guess<AccountId, BlockNumber, Balance> {
	/// Who made the guess (and holds its deposit).
	pub guesser: AccountId,
	/// `B = r·HashToGroup(h)`, a ristretto255 element (RFC 9497 `Blind`).
	pub blinded: H256,
	/// Deposit held from the guesser: returned when its own recovery-key signature succeeds,
	/// paid to the owner when the guess ends any other way.
	pub deposit: Balance,
	/// Block the guess was recorded.
	pub made_at: BlockNumber,
	/// The split it is evaluated under (a re-split ends every open guess).
	pub generation: u32,
}

/// An escrow's guess counter.
#[derive(
	Clone, Copy, Eq, PartialEq, Encode, Decode, DecodeWithMemTracking, Debug, TypeInfo,
	MaxEncodedLen, Default,
)]
pub struct GuessCounter {
	/// Guesses recorded since the last success, reset or re-split.
	pub used: u32,
	/// Id of the next guess. Never reused for the escrow, so a late evaluation of an ended
	/// guess cannot land on a new one.
	pub next_id: u32,
}

/// An escrow's guesses as the runtime API reports them.
#[derive(
	Clone, Copy, Eq, PartialEq, Encode, Decode, DecodeWithMemTracking, Debug, TypeInfo,
	MaxEncodedLen,
)]
pub struct GuessStatus {
	/// Guesses recorded since the last success, reset or re-split.
	pub used: u32,
	/// The policy's limit.
	pub max_guesses: u32,
	/// `used >= max_guesses`: no guess is accepted until a reset or a re-split.
	pub locked: bool,
	/// Guardians that voted to unlock the escrow (reset the guess and attempt counters), and
	/// how many must.
	pub reset_votes: u32,
	/// The guardian threshold a guardian reset needs (0 without guardians).
	pub reset_threshold: u32,
	/// The nonce the next recovery request will carry (and its signature must name).
	pub next_request_nonce: u32,
}

/// Where a recovery request stands at a given block.
#[derive(
	Clone, Copy, Eq, PartialEq, Encode, Decode, DecodeWithMemTracking, Debug, TypeInfo,
	MaxEncodedLen,
)]
pub enum RequestPhase<BlockNumber> {
	/// Some enabled factor (guardians, authorization) does not hold yet.
	AwaitingApproval,
	/// Every factor holds; the owner may still cancel until `release_at`.
	Delay {
		/// First block at which shares may be released.
		release_at: BlockNumber,
	},
	/// Custodians may release their shares.
	Releasable,
	/// Every custodian released.
	Completed,
	/// Past `expires_at`; only closing remains.
	Expired,
}

/// How many of an escrow's custodians still count, against its threshold.
#[derive(
	Clone, Copy, Eq, PartialEq, Encode, Decode, DecodeWithMemTracking, Debug, TypeInfo,
	MaxEncodedLen,
)]
pub struct EscrowHealth {
	/// Shares needed.
	pub threshold: u32,
	/// Custodians named by the escrow.
	pub custodians: u32,
	/// Custodians whose certificate is valid now and (custodian-held mode) that acknowledged.
	pub live: u32,
	/// `live < threshold + margin`: the owner should re-split.
	pub at_risk: bool,
	/// `live < threshold`: recovery cannot succeed until custodians come back.
	pub unrecoverable: bool,
}
