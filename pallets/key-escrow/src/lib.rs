//! # Key Escrow Pallet
//!
//! Threshold escrow of a private key with certified custodians, and its recovery under a
//! policy the owner chose.
//!
//! ## Terminology
//!
//! - **Owner**: the account that escrows a key `K` and may change or remove the escrow.
//! - **Custodian**: an account holding a valid `Custodian` certificate (see
//!   [`custos_primitives::CertificateInspect`]); it holds one sealed share and releases it to
//!   approved recovery requests.
//! - **Split**: `K` cut into `n` Shamir shares with threshold `t`, each encrypted under a
//!   passphrase-derived key (inner layer) and sealed to one custodian (outer layer). The chain
//!   never sees `K` or a plaintext share; it stores one commitment per share.
//! - **Requester**: whoever asks for recovery, usually the owner on a new device.
//! - **Guardian**, **authority**: approvers named in the owner's [`RecoveryPolicy`].
//!
//! ## Scenario
//!
//! 1. The owner calls [`Pallet::create_escrow`] with the fingerprint of `K`, the split and the
//!    policy. A deposit sized by the bytes stored is held from the owner.
//! 2. In custodian-held mode each custodian's node calls [`Pallet::acknowledge_share`].
//! 3. After losing `K`, a requester records a passphrase guess with [`Pallet::record_guess`]
//!    (a blinded OPRF input; a deposit is held and the escrow's guess counter goes up). Each
//!    custodian's node evaluates it once with its OPRF key share and records the evaluation
//!    with [`Pallet::record_evaluation`]; from `t` of them the requester's client learns the
//!    protection key if, and only if, the passphrase was right. After the policy's
//!    `max_guesses` guesses without a success the escrow is locked until
//!    [`Pallet::unlock_escrow`] (owner, guardians at their threshold, or an accepted
//!    authority) or a re-split.
//! 4. The requester calls [`Pallet::initiate_recovery`] with a one-time public key and the
//!    recovery key's signature (required when the policy has the passphrase factor); a valid
//!    signature resets the guess counter. A deposit is held.
//! 5. Guardians call [`Pallet::approve_recovery`]; an authorization record from an accepted
//!    authority is attached with [`Pallet::attach_authorization`].
//! 6. Once every factor holds, the delay runs; the owner may [`Pallet::cancel_recovery`] until it
//!    ends, and the requester's deposit then goes to the owner.
//! 7. After the delay, custodians call [`Pallet::release_share`] with their share re-sealed to
//!    the one-time key. The requester gathers `t` releases, rebuilds `K`, and closes the request
//!    with [`Pallet::close_recovery`] (or anyone expires it with [`Pallet::expire_recovery`]).
//!
//! Every new split and policy must meet the chain's [`Floors`] ([`CurrentFloors`]): least
//! Argon2id memory and passes, and least delay. Root sets them with [`Pallet::set_floors`];
//! escrows made before keep their parameters until their owner changes them.
//!
//! Failed requests (cancelled, or expired without `t` releases) count against the policy's
//! attempt limit and impose a back-off that doubles with each failure, but only requests that
//! satisfied a factor: a request that never did (a stranger's, say) forfeits its deposit to
//! the owner, never counts, and gives way to a request that brings a factor.
//!
//! ## Data structures
//!
//! [`Escrows`] holds each escrow with its deposit ticket; [`Shares`] the sealed shares of
//! on-chain escrows; [`OwnerEscrows`] indexes escrows by owner; [`Requests`] the open request of
//! an escrow; [`Releases`] the released shares of that request; [`FailedAttempts`] the back-off
//! state; [`Guesses`], [`Evaluations`], [`GuessCounters`], [`UnlockVotes`] and
//! [`RequestNonces`] the passphrase guesses; [`CurrentFloors`] the floors. [`CustodianWork`]
//! indexes by custodian the escrows with an open request or guess, so that
//! [`Pallet::pending_releases`] and [`Pallet::pending_evaluations`], which every custodian node
//! asks at each finalized block, read only that custodian's own open work and take no longer
//! as other escrows are added. Every item is bounded: an escrow has at most `max_guesses` open
//! guesses, each with at most one evaluation per custodian, and at most one [`CustodianWork`]
//! entry per custodian.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

use alloc::vec::Vec;
use custos_primitives::{CertificateInspect, EscrowId, H256};
use frame::{
	deps::sp_core::sr25519,
	prelude::*,
	traits::{
		fungible::{Inspect, MutateHold},
		tokens::Restriction,
		Consideration, Footprint,
	},
};

pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod mock;
pub mod runtime_api;
#[cfg(test)]
mod tests;
pub mod types;
pub mod weights;

/// Balance of the currency that deposits are held in.
pub type BalanceOf<T> =
	<<T as Config>::Currency as Inspect<<T as frame_system::Config>::AccountId>>::Balance;
/// Bounded list of accounts of up to `MaxCustodians`.
pub type CustodianAccountsOf<T> =
	BoundedVec<<T as frame_system::Config>::AccountId, <T as Config>::MaxCustodians>;
/// One commitment per share.
pub type CommitmentsOf<T> = BoundedVec<H256, <T as Config>::MaxCustodians>;
/// A sealed share.
pub type SealedShareOf<T> = BoundedVec<u8, <T as Config>::MaxShareLen>;
/// The sealed shares of a split.
pub type SealedSharesOf<T> = BoundedVec<SealedShareOf<T>, <T as Config>::MaxCustodians>;
/// A counted passphrase guess.
pub type GuessOf<T> =
	Guess<<T as frame_system::Config>::AccountId, BlockNumberFor<T>, BalanceOf<T>>;
/// A share re-sealed to a requester.
pub type ReleasePayloadOf<T> = BoundedVec<u8, <T as Config>::MaxReleaseLen>;
/// A split as given to [`Pallet::create_escrow`] and [`Pallet::reshare`].
pub type SplitOf<T> = Split<CustodianAccountsOf<T>, CommitmentsOf<T>, SealedSharesOf<T>>;
/// The guardians of a policy.
pub type GuardiansOf<T> =
	BoundedVec<<T as frame_system::Config>::AccountId, <T as Config>::MaxGuardians>;
/// The accepted authorities of a policy.
pub type PolicyAuthoritiesOf<T> =
	BoundedVec<<T as frame_system::Config>::AccountId, <T as Config>::MaxPolicyAuthorities>;
/// A recovery policy.
pub type PolicyOf<T> = RecoveryPolicy<BlockNumberFor<T>, GuardiansOf<T>, PolicyAuthoritiesOf<T>>;
/// The custodians of an escrow with their keys.
pub type CustodianSlotsOf<T> = BoundedVec<
	CustodianSlot<<T as frame_system::Config>::AccountId>,
	<T as Config>::MaxCustodians,
>;
/// An escrow record.
pub type EscrowOf<T> = Escrow<
	<T as frame_system::Config>::AccountId,
	BlockNumberFor<T>,
	CustodianSlotsOf<T>,
	CommitmentsOf<T>,
	PolicyOf<T>,
>;
/// A recovery request.
pub type RequestOf<T> = RecoveryRequest<
	<T as frame_system::Config>::AccountId,
	BlockNumberFor<T>,
	BalanceOf<T>,
	GuardiansOf<T>,
>;
/// A share release.
pub type ReleaseOf<T> =
	Release<<T as frame_system::Config>::AccountId, BlockNumberFor<T>, ReleasePayloadOf<T>>;
/// The floors on new splits and policies.
pub type FloorsOf<T> = Floors<BlockNumberFor<T>>;

/// Back-off doubles per failed attempt up to this many doublings.
const MAX_BACKOFF_DOUBLINGS: u32 = 16;

/// Argon2's own least memory, in KiB, for one lane (RFC 9106: `m >= 8·p`): the lowest memory
/// floor [`Pallet::set_floors`] accepts.
pub const ARGON2_MIN_MEMORY_KIB: u32 = 8;

#[frame::pallet]
pub mod pallet {
	use super::*;

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The overarching hold reason.
		type RuntimeHoldReason: From<HoldReason>;

		/// The currency deposits are held in.
		#[cfg(not(feature = "runtime-benchmarks"))]
		type Currency: MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>;
		/// The currency deposits are held in (benchmarks also mint).
		#[cfg(feature = "runtime-benchmarks")]
		type Currency: MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>
			+ frame::traits::fungible::Mutate<Self::AccountId>;

		/// The block number that measures delays, expiry and back-off.
		type BlockNumberProvider: BlockNumberProvider<BlockNumber = BlockNumberFor<Self>>;

		/// Answers whether an account is a valid custodian (and with which key) and whether a
		/// recovery authorization exists.
		type Certificates: CertificateInspect<Self::AccountId, BlockNumberFor<Self>>;

		/// Storage deposit of an escrow (record, sealed shares, owner index), held from the
		/// owner and returned in full when the escrow is removed.
		type EscrowConsideration: Consideration<Self::AccountId, Footprint>;

		/// Deposit held from a requester while a request is open. It pays for the request and
		/// its releases, and goes to the owner if the owner cancels the request or if the
		/// request ends (closed, expired or displaced) without having satisfied any factor.
		#[pallet::constant]
		type RecoveryDeposit: Get<BalanceOf<Self>>;

		/// Most custodians (`n`) an escrow may name. At most 255 (GF(256) share ids).
		#[pallet::constant]
		type MaxCustodians: Get<u32>;

		/// Most guardians a policy may name.
		#[pallet::constant]
		type MaxGuardians: Get<u32>;

		/// Most accepted authorities a policy may name.
		#[pallet::constant]
		type MaxPolicyAuthorities: Get<u32>;

		/// Most bytes of one sealed share.
		#[pallet::constant]
		type MaxShareLen: Get<u32>;

		/// Most bytes of one share re-sealed to a requester.
		#[pallet::constant]
		type MaxReleaseLen: Get<u32>;

		/// Most escrows one owner may hold.
		#[pallet::constant]
		type MaxEscrowsPerOwner: Get<u32>;

		/// Highest attempt limit a policy may set.
		#[pallet::constant]
		type MaxAttemptLimit: Get<u32>;

		/// Highest guess limit a policy may set; it also bounds an escrow's open guesses.
		#[pallet::constant]
		type MaxGuessLimit: Get<u32>;

		/// Deposit held from a guesser per guess. It pays for the guess and its evaluations,
		/// comes back when the guesser's recovery-key signature succeeds, and goes to the
		/// owner otherwise, so wrong guesses cost whoever makes them.
		#[pallet::constant]
		type GuessDeposit: Get<BalanceOf<Self>>;

		/// Blocks a request stays open beyond the policy's delay.
		#[pallet::constant]
		type RequestLifetime: Get<BlockNumberFor<Self>>;

		/// Back-off after the first failed request; doubles with each further failure.
		#[pallet::constant]
		type BaseBackoff: Get<BlockNumberFor<Self>>;

		/// Live custodians beyond `t` below which an escrow is reported at risk.
		#[pallet::constant]
		type HealthMargin: Get<u32>;

		/// Least Argon2id memory (KiB) of a new split while no floors were set at genesis or
		/// by [`Pallet::set_floors`]. At least [`ARGON2_MIN_MEMORY_KIB`].
		#[pallet::constant]
		type DefaultMinKdfMemoryKib: Get<u32>;

		/// Least Argon2id passes of a new split while no floors were set. At least 1.
		#[pallet::constant]
		type DefaultMinKdfIterations: Get<u32>;

		/// Least delay (blocks) of a new policy while no floors were set.
		#[pallet::constant]
		type DefaultMinDelay: Get<BlockNumberFor<Self>>;

		/// Weight information for extrinsics in this pallet.
		type WeightInfo: WeightInfo;
	}

	/// Reasons this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// Storage deposit of an escrow.
		#[codec(index = 0)]
		EscrowStorage,
		/// Deposit of an open recovery request.
		#[codec(index = 1)]
		RecoveryRequest,
		/// Deposit of a counted passphrase guess.
		#[codec(index = 2)]
		Guess,
	}

	/// Escrows by id, with the owner's storage deposit ticket.
	#[pallet::storage]
	pub type Escrows<T: Config> =
		StorageMap<_, Blake2_128Concat, EscrowId, (EscrowOf<T>, T::EscrowConsideration)>;

	/// Sealed shares of on-chain escrows, by escrow id and share index.
	#[pallet::storage]
	pub type Shares<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, EscrowId, Twox64Concat, u32, SealedShareOf<T>>;

	/// The escrows of each owner.
	#[pallet::storage]
	pub type OwnerEscrows<T: Config> = StorageMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		BoundedVec<EscrowId, T::MaxEscrowsPerOwner>,
		ValueQuery,
	>;

	/// The open recovery request of an escrow.
	#[pallet::storage]
	pub type Requests<T: Config> = StorageMap<_, Blake2_128Concat, EscrowId, RequestOf<T>>;

	/// Shares released to the open request of an escrow, by share index.
	#[pallet::storage]
	pub type Releases<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, EscrowId, Twox64Concat, u32, ReleaseOf<T>>;

	/// Failed recovery attempts of an escrow and the back-off they impose.
	#[pallet::storage]
	pub type FailedAttempts<T: Config> =
		StorageMap<_, Blake2_128Concat, EscrowId, Attempts<BlockNumberFor<T>>>;

	/// The open passphrase guesses of an escrow, by guess id.
	#[pallet::storage]
	pub type Guesses<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, EscrowId, Twox64Concat, u32, GuessOf<T>>;

	/// Custodians' evaluations of a guess, by (escrow, guess id) and share index.
	#[pallet::storage]
	pub type Evaluations<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		(EscrowId, u32),
		Twox64Concat,
		u32,
		OprfEvaluation,
	>;

	/// The guess counter of each escrow.
	#[pallet::storage]
	pub type GuessCounters<T: Config> =
		StorageMap<_, Blake2_128Concat, EscrowId, GuessCounter, ValueQuery>;

	/// Guardians that voted to unlock an escrow (reset its guess and attempt counters).
	#[pallet::storage]
	pub type UnlockVotes<T: Config> =
		StorageMap<_, Blake2_128Concat, EscrowId, GuardiansOf<T>, ValueQuery>;

	/// The nonce the next recovery request of an escrow carries.
	#[pallet::storage]
	pub type RequestNonces<T: Config> = StorageMap<_, Blake2_128Concat, EscrowId, u32, ValueQuery>;

	/// The escrows with work open for a custodian: `(account, escrow)` is present while
	/// `escrow` has an open request or an open guess and names `account` in a slot
	/// (acknowledged or not); one entry however many slots the account holds. Read by
	/// [`Pallet::pending_releases`] and [`Pallet::pending_evaluations`]; kept only by
	/// `Pallet::reindex` and `Pallet::set_indexed`, so an escrow's entries come and go together.
	#[pallet::storage]
	pub type CustodianWork<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, T::AccountId, Blake2_128Concat, EscrowId, ()>;

	/// The floors of the runtime's `DefaultMin*` constants, in force until floors are set.
	#[pallet::type_value]
	pub fn DefaultFloors<T: Config>() -> FloorsOf<T> {
		Floors {
			min_kdf_memory_kib: T::DefaultMinKdfMemoryKib::get(),
			min_kdf_iterations: T::DefaultMinKdfIterations::get(),
			min_delay: T::DefaultMinDelay::get(),
		}
	}

	/// The floors every new split and policy must meet: set at genesis or by
	/// [`Pallet::set_floors`], else the runtime's defaults ([`DefaultFloors`]).
	#[pallet::storage]
	pub type CurrentFloors<T: Config> = StorageValue<_, FloorsOf<T>, ValueQuery, DefaultFloors<T>>;

	#[pallet::genesis_config]
	#[derive(DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// The floors from genesis; `None` leaves the runtime's defaults
		/// (`DefaultMinKdfMemoryKib`, `DefaultMinKdfIterations`, `DefaultMinDelay`) in force,
		/// following them across runtime upgrades until floors are set. Checked like
		/// [`Pallet::set_floors`]; floors it refuses panic.
		pub floors: Option<FloorsOf<T>>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			if let Some(floors) = &self.floors {
				Pallet::<T>::check_floors(floors).unwrap_or_else(|e| {
					panic!("pallet-key-escrow genesis: floors {floors:?} refused: {e:?}")
				});
				CurrentFloors::<T>::put(floors);
			}
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// An escrow was created.
		EscrowCreated {
			escrow: EscrowId,
			owner: T::AccountId,
			threshold: u32,
			custodians: u32,
			mode: StorageMode,
		},
		/// The owner changed the recovery policy.
		PolicyUpdated { escrow: EscrowId },
		/// The owner replaced the split; `generation` is the new split's number.
		EscrowReshared { escrow: EscrowId, generation: u32, threshold: u32, custodians: u32 },
		/// The owner removed the escrow; its deposit was returned.
		EscrowRemoved { escrow: EscrowId },
		/// A custodian confirmed it holds its share (custodian-held mode).
		ShareAcknowledged { escrow: EscrowId, index: u32, custodian: T::AccountId },
		/// A recovery request was opened.
		RecoveryInitiated {
			escrow: EscrowId,
			requester: T::AccountId,
			one_time_key: H256,
			expires_at: BlockNumberFor<T>,
		},
		/// A guardian approved the open request.
		RecoveryApprovedByGuardian { escrow: EscrowId, guardian: T::AccountId },
		/// A recovery authorization from `issuer` was attached to the open request.
		AuthorizationAttached { escrow: EscrowId, issuer: T::AccountId },
		/// Every factor of the policy holds; shares may be released from `release_at`.
		RecoveryApproved { escrow: EscrowId, release_at: BlockNumberFor<T> },
		/// The owner cancelled the open request; the requester's deposit went to the owner.
		RecoveryCancelled { escrow: EscrowId, requester: T::AccountId },
		/// A custodian released its share to the open request.
		ShareReleased { escrow: EscrowId, index: u32, custodian: T::AccountId },
		/// Every custodian released; the request accepts no more releases.
		RecoveryCompleted { escrow: EscrowId },
		/// A request was closed and removed; `succeeded` when at least `t` shares were released.
		/// `forfeited`: it never satisfied a factor, so its deposit went to the owner (and it
		/// did not count as a failed attempt).
		RecoveryClosed {
			escrow: EscrowId,
			requester: T::AccountId,
			succeeded: bool,
			forfeited: bool,
		},
		/// An open request that had satisfied no factor was replaced by a request that has one;
		/// its requester's deposit went to the owner.
		RecoveryDisplaced { escrow: EscrowId, requester: T::AccountId },
		/// A request failed; no new request before `next_allowed`.
		RecoveryAttemptFailed { escrow: EscrowId, failed: u32, next_allowed: BlockNumberFor<T> },
		/// The failed-attempt counter and its back-off were cleared by `by` (see
		/// [`Pallet::unlock_escrow`]).
		AttemptsReset { escrow: EscrowId, by: T::AccountId },
		/// A passphrase guess was recorded; `used` of `max_guesses` are now spent.
		GuessRecorded {
			escrow: EscrowId,
			guess: u32,
			guesser: T::AccountId,
			blinded: H256,
			used: u32,
			max_guesses: u32,
		},
		/// The escrow's guesses are spent: no guess is accepted until a reset or a re-split.
		GuessesLocked { escrow: EscrowId },
		/// A custodian recorded its evaluation of a guess.
		GuessEvaluated { escrow: EscrowId, guess: u32, index: u32, custodian: T::AccountId },
		/// A guardian voted to unlock the escrow; `votes` of `needed` so far.
		UnlockVoted { escrow: EscrowId, guardian: T::AccountId, votes: u32, needed: u32 },
		/// The guess counter was reset and every open guess ended: by the owner, an accepted
		/// authority, the last guardian vote, a re-split, or (`by` = the requester) a valid
		/// recovery-key signature.
		GuessesReset { escrow: EscrowId, by: T::AccountId },
		/// Root set the floors on new splits and policies.
		FloorsSet { floors: FloorsOf<T> },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// This owner already escrows a key with this fingerprint.
		EscrowExists,
		/// No escrow with this id.
		UnknownEscrow,
		/// Only the escrow's owner may do this.
		NotOwner,
		/// The owner holds the most escrows allowed.
		TooManyEscrows,
		/// The threshold is below 2.
		ThresholdTooLow,
		/// The threshold is above the number of custodians.
		ThresholdAboveCustodians,
		/// A custodian is named twice.
		DuplicateCustodian,
		/// A named custodian holds no valid `Custodian` certificate.
		CustodianNotCertified,
		/// The number of commitments differs from the number of custodians.
		CommitmentCountMismatch,
		/// On-chain mode needs one sealed share per custodian.
		ShareCountMismatch,
		/// A sealed share is empty.
		EmptyShare,
		/// Custodian-held mode takes no shares on chain.
		SharesNotExpected,
		/// The key-derivation parameters break Argon2's limits or exceed the bounds every
		/// client derives within (`KdfParams::MAX_MEMORY_KIB`, `MAX_ITERATIONS`,
		/// `MAX_PARALLELISM`).
		InvalidKdfParams,
		/// The policy has no factor besides the delay.
		NoRecoveryFactor,
		/// A guardian is named twice.
		DuplicateGuardian,
		/// The guardian threshold is 0 with guardians, above their number, or set without any.
		InvalidGuardianThreshold,
		/// An authority is named twice.
		DuplicateAuthority,
		/// The attempt limit is 0 or above the runtime's maximum.
		InvalidAttemptLimit,
		/// An update may not shorten the delay while a request is open.
		CannotShortenRunningDelay,
		/// Not possible while a recovery request is open.
		RecoveryInProgress,
		/// The escrow is not in custodian-held mode.
		NotCustodianHeld,
		/// No share with this index.
		UnknownShare,
		/// The caller is not the custodian of this share.
		NotThisCustodian,
		/// The share was already acknowledged.
		AlreadyAcknowledged,
		/// A request is already open for this escrow.
		RequestAlreadyOpen,
		/// The attempt limit is reached; the escrow must be unlocked (see
		/// [`Pallet::unlock_escrow`]).
		AttemptLimitReached,
		/// A failed attempt's back-off has not ended.
		BackoffActive,
		/// The policy has a recovery key and no signature was given.
		MissingRecoverySignature,
		/// The recovery-key signature does not verify.
		BadRecoverySignature,
		/// No open request for this escrow.
		NoOpenRequest,
		/// The caller is not a guardian of this escrow.
		NotGuardian,
		/// This guardian already approved.
		AlreadyApproved,
		/// The policy accepts no authorities.
		AuthorizationNotRequired,
		/// No live recovery authorization for the requester from an authority the policy
		/// accepts.
		NoAuthorization,
		/// An authorization is already attached.
		AlreadyAuthorized,
		/// The delay is over: the request can no longer be cancelled.
		DelayElapsed,
		/// The request is not releasable (factors missing, delay running, completed or expired).
		NotReleasable,
		/// This share was already released to the request.
		AlreadyReleased,
		/// The release payload is empty.
		EmptyPayload,
		/// Only the requester may close the request before it expires.
		NotRequester,
		/// The request has not expired yet.
		NotExpired,
		/// The escrow's custodian-held share was never acknowledged.
		ShareNotHeld,
		/// The number of OPRF keys differs from the number of custodians.
		OprfKeyCountMismatch,
		/// The guess limit is 0 or above the runtime's maximum.
		InvalidGuessLimit,
		/// The escrow's guesses are spent: it is locked until the owner, its guardians or an
		/// accepted authority reset the counter, or the owner re-splits.
		GuessLimitReached,
		/// The blinded element is all zeros (the identity), which no honest client sends.
		InvalidBlindedElement,
		/// No open guess with this id.
		UnknownGuess,
		/// This share's custodian already evaluated the guess.
		AlreadyEvaluated,
		/// Only the owner, a guardian or an accepted authority of the escrow may unlock it.
		NotAllowedToUnlock,
		/// This guardian already voted to unlock the escrow.
		AlreadyVoted,
		/// The request nonce given is not the open request's: the call was meant for another
		/// (earlier or later) request.
		WrongRequest,
		/// The split's Argon2id memory is below the floor (see [`CurrentFloors`]).
		KdfMemoryBelowFloor,
		/// The split's Argon2id passes are below the floor (see [`CurrentFloors`]).
		KdfIterationsBelowFloor,
		/// The policy's delay is below the floor (see [`CurrentFloors`]).
		DelayBelowFloor,
		/// A floor is below Argon2's own limits: 0 passes, or memory under
		/// [`ARGON2_MIN_MEMORY_KIB`].
		InvalidFloors,
		/// The acknowledgement names another generation of the split than the escrow's current
		/// one: an older one was replaced by a re-split; a newer one is not on this chain (the
		/// custodian read a block that was not kept).
		StaleGeneration,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			let n = T::MaxCustodians::get();
			assert!((2..=255).contains(&n), "MaxCustodians must be in 2..=255 (GF(256) share ids)");
			assert!(T::MaxAttemptLimit::get() > 0, "MaxAttemptLimit must be positive");
			assert!(T::MaxGuessLimit::get() > 0, "MaxGuessLimit must be positive");
			assert!(T::MaxEscrowsPerOwner::get() > 0, "MaxEscrowsPerOwner must be positive");
			assert!(T::MaxReleaseLen::get() > 0 && T::MaxShareLen::get() > 0, "share bounds");
			assert!(
				Self::check_floors(&DefaultFloors::<T>::get()).is_ok(),
				"DefaultMinKdfMemoryKib must be at least 8 and DefaultMinKdfIterations positive"
			);
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Escrow a key: record its fingerprint, the split and the recovery policy.
		///
		/// The escrow id is `custos_primitives::escrow_id(owner, fingerprint)`. Every custodian
		/// must hold a valid `Custodian` certificate; its current encryption key is recorded as
		/// the key its share was sealed to. A deposit sized by the bytes stored is held from
		/// the owner.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::create_escrow(split.custodians.len() as u32))]
		pub fn create_escrow(
			origin: OriginFor<T>,
			fingerprint: H256,
			key_kind: KeyKind,
			split: SplitOf<T>,
			policy: PolicyOf<T>,
		) -> DispatchResult {
			let owner = ensure_signed(origin)?;
			let escrow = custos_primitives::escrow_id(&owner, &fingerprint);
			ensure!(!Escrows::<T>::contains_key(escrow), Error::<T>::EscrowExists);
			Self::check_policy(&policy)?;
			let custodians = Self::check_split(&split)?;
			let mut owned = OwnerEscrows::<T>::get(&owner);
			owned.try_push(escrow).map_err(|_| Error::<T>::TooManyEscrows)?;

			let now = Self::now();
			let record = EscrowOf::<T> {
				owner: owner.clone(),
				fingerprint,
				key_kind,
				threshold: split.threshold,
				custodians,
				commitments: split.commitments,
				kdf: split.kdf,
				recovery_key: split.recovery_key,
				mode: split.mode,
				share_bytes: Self::stored_size(&split.shares),
				policy,
				generation: 0,
				created_at: now,
			};
			let ticket = T::EscrowConsideration::new(&owner, Self::escrow_footprint(&record))?;
			Self::deposit_event(Event::<T>::EscrowCreated {
				escrow,
				owner: owner.clone(),
				threshold: record.threshold,
				custodians: record.custodians.len() as u32,
				mode: record.mode,
			});
			for (index, share) in split.shares.into_iter().enumerate() {
				Shares::<T>::insert(escrow, index as u32, share);
			}
			// No `CustodianWork` entry yet: a new escrow has no request or guess open (removal
			// refuses an open request and ends the guesses).
			Escrows::<T>::insert(escrow, (record, ticket));
			OwnerEscrows::<T>::insert(&owner, owned);
			Ok(())
		}

		/// Replace the recovery policy of an escrow.
		///
		/// While a request is open the delay may grow (the running delay grows with it) but not
		/// shrink; the other factors apply to approvals from now on.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::update_policy())]
		pub fn update_policy(
			origin: OriginFor<T>,
			escrow: EscrowId,
			policy: PolicyOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let (mut record, ticket) = Self::owned_escrow(&who, &escrow)?;
			Self::check_policy(&policy)?;
			if let Some(mut request) = Requests::<T>::get(escrow) {
				let old_delay = record.policy.delay;
				ensure!(policy.delay >= old_delay, Error::<T>::CannotShortenRunningDelay);
				let extra = policy.delay.saturating_sub(old_delay);
				if !extra.is_zero() {
					request.release_at = request.release_at.map(|at| at.saturating_add(extra));
					request.expires_at = request.expires_at.saturating_add(extra);
					Requests::<T>::insert(escrow, request);
				}
			}
			record.policy = policy;
			let ticket = ticket.update(&who, Self::escrow_footprint(&record))?;
			Escrows::<T>::insert(escrow, (record, ticket));
			Self::deposit_event(Event::<T>::PolicyUpdated { escrow });
			Ok(())
		}

		/// Replace the split of an escrow: new custodians, threshold, commitments, OPRF keys,
		/// recovery key, KDF parameters and shares for the same key (same fingerprint). The
		/// generation number grows by one, and every open guess ends (deposits to the owner):
		/// the guess counter starts again, since the new OPRF key answers no old guess.
		///
		/// `policy`, when given, replaces the recovery policy in the same call (a re-split and a
		/// policy change are one transaction, so no state exists in between); without it every
		/// factor of the policy is kept.
		///
		/// Not possible while a recovery request is open. The deposit follows the new size.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::reshare(split.custodians.len() as u32))]
		pub fn reshare(
			origin: OriginFor<T>,
			escrow: EscrowId,
			split: SplitOf<T>,
			policy: Option<PolicyOf<T>>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let (mut record, ticket) = Self::owned_escrow(&who, &escrow)?;
			ensure!(!Requests::<T>::contains_key(escrow), Error::<T>::RecoveryInProgress);
			let custodians = Self::check_split(&split)?;
			if let Some(policy) = policy {
				Self::check_policy(&policy)?;
				record.policy = policy;
				Self::deposit_event(Event::<T>::PolicyUpdated { escrow });
			}

			record.threshold = split.threshold;
			let old_custodians = core::mem::replace(&mut record.custodians, custodians);
			record.commitments = split.commitments;
			record.kdf = split.kdf;
			record.recovery_key = split.recovery_key;
			record.mode = split.mode;
			record.share_bytes = Self::stored_size(&split.shares);
			record.generation = record.generation.saturating_add(1);
			let ticket = ticket.update(&who, Self::escrow_footprint(&record))?;

			let _ = Shares::<T>::clear_prefix(escrow, T::MaxCustodians::get(), None);
			for (index, share) in split.shares.into_iter().enumerate() {
				Shares::<T>::insert(escrow, index as u32, share);
			}
			Self::end_guesses(&escrow, &who, None);
			// The old slots' entries go with them; the new slots get theirs when work opens.
			Self::set_indexed(&escrow, &old_custodians, false);
			Self::reindex(&escrow, &record.custodians);
			Self::deposit_event(Event::<T>::GuessesReset { escrow, by: who });
			Self::deposit_event(Event::<T>::EscrowReshared {
				escrow,
				generation: record.generation,
				threshold: record.threshold,
				custodians: record.custodians.len() as u32,
			});
			Escrows::<T>::insert(escrow, (record, ticket));
			Ok(())
		}

		/// Remove an escrow, its shares, its attempt record and its guesses; the deposit is
		/// returned in full (open guesses' deposits go to the owner).
		///
		/// Not possible while a recovery request is open (cancel it first, or let it close).
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::remove_escrow(T::MaxCustodians::get()))]
		pub fn remove_escrow(origin: OriginFor<T>, escrow: EscrowId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let (record, ticket) = Self::owned_escrow(&who, &escrow)?;
			ensure!(!Requests::<T>::contains_key(escrow), Error::<T>::RecoveryInProgress);
			ticket.drop(&who)?;
			let _ = Shares::<T>::clear_prefix(escrow, T::MaxCustodians::get(), None);
			FailedAttempts::<T>::remove(escrow);
			Self::end_guesses(&escrow, &who, None);
			Self::set_indexed(&escrow, &record.custodians, false);
			GuessCounters::<T>::remove(escrow);
			RequestNonces::<T>::remove(escrow);
			Escrows::<T>::remove(escrow);
			OwnerEscrows::<T>::mutate_exists(&who, |owned| {
				if let Some(list) = owned {
					list.retain(|id| *id != escrow);
					if list.is_empty() {
						*owned = None;
					}
				}
			});
			Self::deposit_event(Event::<T>::EscrowRemoved { escrow });
			Ok(())
		}

		/// A custodian confirms that its node stores share `index` of generation `generation` of
		/// a custodian-held escrow. Refused unless `generation` is the escrow's current one: an
		/// acknowledgement signed before a re-split and included after it would otherwise mark
		/// the new split's slot as held by a node that holds only the old share.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::acknowledge_share())]
		pub fn acknowledge_share(
			origin: OriginFor<T>,
			escrow: EscrowId,
			index: u32,
			generation: u32,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let (mut record, ticket) = Escrows::<T>::get(escrow).ok_or(Error::<T>::UnknownEscrow)?;
			ensure!(record.mode == StorageMode::CustodianHeld, Error::<T>::NotCustodianHeld);
			// Before the slot checks: a re-split may have moved or removed the slot.
			ensure!(generation == record.generation, Error::<T>::StaleGeneration);
			let slot = record.custodians.get_mut(index as usize).ok_or(Error::<T>::UnknownShare)?;
			ensure!(slot.account == who, Error::<T>::NotThisCustodian);
			ensure!(
				T::Certificates::custodian_key(&who, Self::now()).is_some(),
				Error::<T>::CustodianNotCertified
			);
			ensure!(!slot.acknowledged, Error::<T>::AlreadyAcknowledged);
			slot.acknowledged = true;
			Escrows::<T>::insert(escrow, (record, ticket));
			Self::deposit_event(Event::<T>::ShareAcknowledged { escrow, index, custodian: who });
			Ok(())
		}

		/// Open a recovery request for an escrow.
		///
		/// `one_time_key` is the X25519 key custodians will re-seal shares to. `signature`, when
		/// given, must be the escrow's recovery key's sr25519 signature over
		/// `custos_primitives::recovery_request_message(genesis, escrow, requester,
		/// one_time_key, nonce)` with the escrow's current request nonce (see
		/// [`Pallet::recovery_message`]); it is required when the policy has the passphrase
		/// factor. A valid signature proves a counted guess succeeded: it satisfies the factor,
		/// resets the guess counter and ends the open guesses (the requester's deposits come
		/// back, others' go to the owner).
		/// A live recovery authorization for the requester from an accepted authority is
		/// attached at once (the first accepted authority, in policy order, whose record
		/// counts; records of issuers the policy does not accept are ignored).
		/// [`Config::RecoveryDeposit`] is held from the requester. At most one request may be
		/// open per escrow, and failed attempts impose a back-off and a limit. An open request
		/// that has satisfied no factor (a stranger's, say) does not block a request that brings
		/// one: it is displaced, and its deposit goes to the owner.
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::initiate_recovery())]
		pub fn initiate_recovery(
			origin: OriginFor<T>,
			escrow: EscrowId,
			one_time_key: H256,
			signature: Option<sr25519::Signature>,
		) -> DispatchResult {
			let requester = ensure_signed(origin)?;
			let (record, _) = Escrows::<T>::get(escrow).ok_or(Error::<T>::UnknownEscrow)?;
			let now = Self::now();
			if let Some(attempts) = FailedAttempts::<T>::get(escrow) {
				ensure!(
					attempts.failed < record.policy.max_attempts,
					Error::<T>::AttemptLimitReached
				);
				ensure!(now >= attempts.next_allowed, Error::<T>::BackoffActive);
			}
			let nonce = RequestNonces::<T>::get(escrow);
			let recovery_key_verified = match signature {
				None => {
					ensure!(
						!record.policy.require_passphrase,
						Error::<T>::MissingRecoverySignature
					);
					false
				},
				Some(signature) => {
					let message =
						Self::recovery_message(&escrow, &requester, &one_time_key, nonce);
					ensure!(
						frame::deps::sp_io::crypto::sr25519_verify(
							&signature,
							&message,
							&record.recovery_key
						),
						Error::<T>::BadRecoverySignature
					);
					true
				},
			};
			// A live authorization from an accepted authority is a factor from the start.
			let authorized_by =
				Self::accepted_authorization(&record.policy, &escrow, &requester, now);
			if let Some(open) = Requests::<T>::get(escrow) {
				let brings_factor = recovery_key_verified || authorized_by.is_some();
				ensure!(brings_factor && !open.has_factor(), Error::<T>::RequestAlreadyOpen);
				Self::displace_request(&escrow, &record.owner, open)?;
			}
			let deposit = T::RecoveryDeposit::get();
			T::Currency::hold(&HoldReason::RecoveryRequest.into(), &requester, deposit)?;
			RequestNonces::<T>::insert(escrow, nonce.saturating_add(1));
			if recovery_key_verified {
				Self::end_guesses(&escrow, &record.owner, Some(&requester));
				Self::deposit_event(Event::<T>::GuessesReset { escrow, by: requester.clone() });
			}

			let expires_at = now
				.saturating_add(record.policy.delay)
				.saturating_add(T::RequestLifetime::get());
			let mut request = RequestOf::<T> {
				nonce,
				requester: requester.clone(),
				one_time_key,
				deposit,
				opened_at: now,
				approvals: Default::default(),
				authorized_by: authorized_by.clone(),
				recovery_key_verified,
				release_at: None,
				expires_at,
				released: 0,
				completed_at: None,
			};
			Self::deposit_event(Event::<T>::RecoveryInitiated {
				escrow,
				requester,
				one_time_key,
				expires_at,
			});
			if let Some(issuer) = authorized_by {
				Self::deposit_event(Event::<T>::AuthorizationAttached { escrow, issuer });
			}
			Self::approve_if_complete(&escrow, &record.policy, &mut request, now);
			Requests::<T>::insert(escrow, request);
			Self::reindex(&escrow, &record.custodians);
			Ok(())
		}

		/// A guardian of the escrow approves its open request, named by its `nonce` (so an
		/// approval meant for one request never lands on another, e.g. one a stranger opened
		/// after it).
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::approve_recovery())]
		pub fn approve_recovery(
			origin: OriginFor<T>,
			escrow: EscrowId,
			nonce: u32,
		) -> DispatchResult {
			let guardian = ensure_signed(origin)?;
			let (record, _) = Escrows::<T>::get(escrow).ok_or(Error::<T>::UnknownEscrow)?;
			let mut request = Requests::<T>::get(escrow).ok_or(Error::<T>::NoOpenRequest)?;
			ensure!(request.nonce == nonce, Error::<T>::WrongRequest);
			let now = Self::now();
			ensure!(now < request.expires_at, Error::<T>::NotReleasable);
			ensure!(record.policy.guardians.contains(&guardian), Error::<T>::NotGuardian);
			ensure!(!request.approvals.contains(&guardian), Error::<T>::AlreadyApproved);
			// Cannot fail: approvals are distinct members of the guardians, equally bounded.
			request
				.approvals
				.try_push(guardian.clone())
				.map_err(|_| Error::<T>::AlreadyApproved)?;
			Self::deposit_event(Event::<T>::RecoveryApprovedByGuardian { escrow, guardian });
			Self::approve_if_complete(&escrow, &record.policy, &mut request, now);
			Requests::<T>::insert(escrow, request);
			Ok(())
		}

		/// Attach the live recovery authorization that an accepted authority issued for the
		/// requester of the escrow's open request (the first accepted authority, in policy
		/// order, whose record counts). Anyone may submit it.
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::attach_authorization())]
		pub fn attach_authorization(origin: OriginFor<T>, escrow: EscrowId) -> DispatchResult {
			ensure_signed(origin)?;
			let (record, _) = Escrows::<T>::get(escrow).ok_or(Error::<T>::UnknownEscrow)?;
			let mut request = Requests::<T>::get(escrow).ok_or(Error::<T>::NoOpenRequest)?;
			let now = Self::now();
			ensure!(now < request.expires_at, Error::<T>::NotReleasable);
			ensure!(!record.policy.authorities.is_empty(), Error::<T>::AuthorizationNotRequired);
			ensure!(request.authorized_by.is_none(), Error::<T>::AlreadyAuthorized);
			let issuer =
				Self::accepted_authorization(&record.policy, &escrow, &request.requester, now)
					.ok_or(Error::<T>::NoAuthorization)?;
			request.authorized_by = Some(issuer.clone());
			Self::deposit_event(Event::<T>::AuthorizationAttached { escrow, issuer });
			Self::approve_if_complete(&escrow, &record.policy, &mut request, now);
			Requests::<T>::insert(escrow, request);
			Ok(())
		}

		/// The owner cancels the open request before its delay ends. The requester's deposit
		/// goes to the owner, and the attempt counts as failed if the request had satisfied a
		/// factor.
		#[pallet::call_index(8)]
		#[pallet::weight(T::WeightInfo::cancel_recovery())]
		pub fn cancel_recovery(origin: OriginFor<T>, escrow: EscrowId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let (record, _) = Self::owned_escrow(&who, &escrow)?;
			let request = Requests::<T>::get(escrow).ok_or(Error::<T>::NoOpenRequest)?;
			let now = Self::now();
			if let Some(release_at) = request.release_at {
				ensure!(now < release_at, Error::<T>::DelayElapsed);
			}
			T::Currency::transfer_on_hold(
				&HoldReason::RecoveryRequest.into(),
				&request.requester,
				&record.owner,
				request.deposit,
				Precision::BestEffort,
				Restriction::Free,
				Fortitude::Polite,
			)?;
			Self::remove_request(&escrow);
			Self::reindex(&escrow, &record.custodians);
			let had_factor = request.has_factor();
			Self::deposit_event(Event::<T>::RecoveryCancelled {
				escrow,
				requester: request.requester,
			});
			// A request that satisfied no factor never counts against the owner.
			if had_factor {
				Self::record_failure(&escrow, now);
			}
			Ok(())
		}

		/// A custodian of the escrow releases share `index` to the open, releasable request named
		/// by `nonce`: `payload` is the still inner-encrypted share sealed to that request's
		/// one-time key (a release sealed for an earlier request is refused, not stored).
		///
		/// The custodian's certificate must be valid now; a revoked or expired custodian's
		/// release is refused.
		#[pallet::call_index(9)]
		#[pallet::weight(T::WeightInfo::release_share())]
		pub fn release_share(
			origin: OriginFor<T>,
			escrow: EscrowId,
			nonce: u32,
			index: u32,
			payload: ReleasePayloadOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let (record, _) = Escrows::<T>::get(escrow).ok_or(Error::<T>::UnknownEscrow)?;
			let mut request = Requests::<T>::get(escrow).ok_or(Error::<T>::NoOpenRequest)?;
			ensure!(request.nonce == nonce, Error::<T>::WrongRequest);
			let now = Self::now();
			ensure!(Self::releasable(&request, now), Error::<T>::NotReleasable);
			let slot = record.custodians.get(index as usize).ok_or(Error::<T>::UnknownShare)?;
			ensure!(slot.account == who, Error::<T>::NotThisCustodian);
			ensure!(
				T::Certificates::custodian_key(&who, now).is_some(),
				Error::<T>::CustodianNotCertified
			);
			ensure!(slot.acknowledged, Error::<T>::ShareNotHeld);
			ensure!(!Releases::<T>::contains_key(escrow, index), Error::<T>::AlreadyReleased);
			ensure!(!payload.is_empty(), Error::<T>::EmptyPayload);

			Releases::<T>::insert(escrow, index, ReleaseOf::<T> { custodian: who.clone(), at: now, payload });
			request.released = request.released.saturating_add(1);
			Self::deposit_event(Event::<T>::ShareReleased { escrow, index, custodian: who });
			if request.released as usize >= record.custodians.len() {
				request.completed_at = Some(now);
				Self::deposit_event(Event::<T>::RecoveryCompleted { escrow });
			}
			Requests::<T>::insert(escrow, request);
			Ok(())
		}

		/// The requester closes its request (normally after collecting the shares): the request
		/// and its releases are removed and the deposit returned. It succeeded if at least `t`
		/// shares were released; otherwise it counts as a failed attempt. A request that never
		/// satisfied a factor costs its requester: the deposit goes to the owner, and it does
		/// not count against the owner.
		#[pallet::call_index(10)]
		#[pallet::weight(T::WeightInfo::close_recovery())]
		pub fn close_recovery(origin: OriginFor<T>, escrow: EscrowId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let request = Requests::<T>::get(escrow).ok_or(Error::<T>::NoOpenRequest)?;
			ensure!(request.requester == who, Error::<T>::NotRequester);
			Self::finish_request(escrow, request)
		}

		/// Anyone closes a request past its expiry: removed, deposit returned to the requester,
		/// and a failed attempt unless at least `t` shares were released (a request that never
		/// satisfied a factor: deposit to the owner, no failed attempt).
		#[pallet::call_index(11)]
		#[pallet::weight(T::WeightInfo::expire_recovery())]
		pub fn expire_recovery(origin: OriginFor<T>, escrow: EscrowId) -> DispatchResult {
			ensure_signed(origin)?;
			let request = Requests::<T>::get(escrow).ok_or(Error::<T>::NoOpenRequest)?;
			ensure!(Self::now() >= request.expires_at, Error::<T>::NotExpired);
			Self::finish_request(escrow, request)
		}

		/// Record a passphrase guess for an escrow: `blinded` is the requester's blinded OPRF
		/// input `B = r·HashToGroup(h)` (RFC 9497 `Blind`, ristretto255-SHA512), which each
		/// custodian's node evaluates once, at a finalized block holding this record.
		///
		/// Counts against the policy's `max_guesses`; refused once they are spent. Holds
		/// [`Config::GuessDeposit`] from the guesser until the guess ends.
		#[pallet::call_index(13)]
		#[pallet::weight(T::WeightInfo::record_guess())]
		pub fn record_guess(origin: OriginFor<T>, escrow: EscrowId, blinded: H256) -> DispatchResult {
			let guesser = ensure_signed(origin)?;
			let (record, _) = Escrows::<T>::get(escrow).ok_or(Error::<T>::UnknownEscrow)?;
			ensure!(blinded != H256::zero(), Error::<T>::InvalidBlindedElement);
			let mut counter = GuessCounters::<T>::get(escrow);
			let max_guesses = record.policy.max_guesses;
			ensure!(counter.used < max_guesses, Error::<T>::GuessLimitReached);
			let deposit = T::GuessDeposit::get();
			T::Currency::hold(&HoldReason::Guess.into(), &guesser, deposit)?;

			let guess = counter.next_id;
			counter.next_id = counter.next_id.saturating_add(1);
			counter.used = counter.used.saturating_add(1);
			Guesses::<T>::insert(
				escrow,
				guess,
				GuessOf::<T> {
					guesser: guesser.clone(),
					blinded,
					deposit,
					made_at: Self::now(),
					generation: record.generation,
				},
			);
			GuessCounters::<T>::insert(escrow, counter);
			Self::reindex(&escrow, &record.custodians);
			Self::deposit_event(Event::<T>::GuessRecorded {
				escrow,
				guess,
				guesser,
				blinded,
				used: counter.used,
				max_guesses,
			});
			if counter.used >= max_guesses {
				Self::deposit_event(Event::<T>::GuessesLocked { escrow });
			}
			Ok(())
		}

		/// The custodian of share `index` records its evaluation of guess `guess`:
		/// `Z_i = k_i·B` with a DLEQ proof that it used the `k_i` behind the slot's `K_i`
		/// (the chain stores it as given; the requester's client checks the proof).
		///
		/// The custodian's certificate must be valid now and (custodian-held mode) its share
		/// acknowledged. One evaluation per custodian and guess.
		#[pallet::call_index(14)]
		#[pallet::weight(T::WeightInfo::record_evaluation())]
		pub fn record_evaluation(
			origin: OriginFor<T>,
			escrow: EscrowId,
			guess: u32,
			index: u32,
			evaluation: OprfEvaluation,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let (record, _) = Escrows::<T>::get(escrow).ok_or(Error::<T>::UnknownEscrow)?;
			ensure!(Guesses::<T>::contains_key(escrow, guess), Error::<T>::UnknownGuess);
			let slot = record.custodians.get(index as usize).ok_or(Error::<T>::UnknownShare)?;
			ensure!(slot.account == who, Error::<T>::NotThisCustodian);
			ensure!(
				T::Certificates::custodian_key(&who, Self::now()).is_some(),
				Error::<T>::CustodianNotCertified
			);
			ensure!(slot.acknowledged, Error::<T>::ShareNotHeld);
			ensure!(
				!Evaluations::<T>::contains_key((escrow, guess), index),
				Error::<T>::AlreadyEvaluated
			);
			Evaluations::<T>::insert((escrow, guess), index, evaluation);
			Self::deposit_event(Event::<T>::GuessEvaluated { escrow, guess, index, custodian: who });
			Ok(())
		}

		/// Unlock an escrow: reset its guess counter (ending its open guesses, whose deposits
		/// go to the owner) and clear its failed-attempt counter and back-off. The owner or an
		/// accepted authority of the policy unlocks at once; a guardian casts a vote, and the
		/// vote that reaches the guardian threshold unlocks. (The owner's account is often the
		/// lost key, so it cannot be the only way.)
		#[pallet::call_index(15)]
		#[pallet::weight(T::WeightInfo::unlock_escrow())]
		pub fn unlock_escrow(origin: OriginFor<T>, escrow: EscrowId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let (record, _) = Escrows::<T>::get(escrow).ok_or(Error::<T>::UnknownEscrow)?;
			let policy = &record.policy;
			if who != record.owner && !policy.authorities.contains(&who) {
				ensure!(policy.guardians.contains(&who), Error::<T>::NotAllowedToUnlock);
				let mut votes = UnlockVotes::<T>::get(escrow);
				// Votes of guardians the owner has since removed from the policy do not count.
				votes.retain(|voter| policy.guardians.contains(voter));
				ensure!(!votes.contains(&who), Error::<T>::AlreadyVoted);
				// Cannot fail: votes are distinct members of the guardians, equally bounded.
				votes.try_push(who.clone()).map_err(|_| Error::<T>::AlreadyVoted)?;
				let count = votes.len() as u32;
				Self::deposit_event(Event::<T>::UnlockVoted {
					escrow,
					guardian: who.clone(),
					votes: count,
					needed: policy.guardian_threshold,
				});
				if count < policy.guardian_threshold {
					UnlockVotes::<T>::insert(escrow, votes);
					return Ok(());
				}
			}
			Self::end_guesses(&escrow, &record.owner, None);
			Self::reindex(&escrow, &record.custodians);
			FailedAttempts::<T>::remove(escrow);
			Self::deposit_event(Event::<T>::GuessesReset { escrow, by: who.clone() });
			Self::deposit_event(Event::<T>::AttemptsReset { escrow, by: who });
			Ok(())
		}

		/// Set the floors every new split and policy must meet (root only, e.g. governance
		/// raising them as hardware gets faster).
		///
		/// Refuses floors below Argon2's own limits ([`Error::InvalidFloors`]). Existing escrows
		/// are not touched: their KDF parameters and delay stay as they are, and still work,
		/// until their owner re-splits or updates the policy, which must then meet the floors
		/// in force. (Call index 12 belonged to the removed `reset_attempts` and is not reused.)
		#[pallet::call_index(16)]
		#[pallet::weight(T::WeightInfo::set_floors())]
		pub fn set_floors(origin: OriginFor<T>, floors: FloorsOf<T>) -> DispatchResult {
			ensure_root(origin)?;
			Self::check_floors(&floors)?;
			CurrentFloors::<T>::put(floors);
			Self::deposit_event(Event::<T>::FloorsSet { floors });
			Ok(())
		}
	}
}

impl<T: Config> Pallet<T> {
	fn now() -> BlockNumberFor<T> {
		T::BlockNumberProvider::current_block_number()
	}

	/// The escrow, if `who` owns it.
	fn owned_escrow(
		who: &T::AccountId,
		escrow: &EscrowId,
	) -> Result<(EscrowOf<T>, T::EscrowConsideration), DispatchError> {
		let (record, ticket) = Escrows::<T>::get(escrow).ok_or(Error::<T>::UnknownEscrow)?;
		ensure!(record.owner == *who, Error::<T>::NotOwner);
		Ok((record, ticket))
	}

	/// Validates a policy; every refusal has its own error.
	fn check_policy(policy: &PolicyOf<T>) -> DispatchResult {
		ensure!(
			policy.require_passphrase ||
				!policy.guardians.is_empty() ||
				!policy.authorities.is_empty(),
			Error::<T>::NoRecoveryFactor
		);
		ensure!(!has_duplicates(&policy.guardians), Error::<T>::DuplicateGuardian);
		let guardians = policy.guardians.len() as u32;
		let threshold_ok = if guardians == 0 {
			policy.guardian_threshold == 0
		} else {
			(1..=guardians).contains(&policy.guardian_threshold)
		};
		ensure!(threshold_ok, Error::<T>::InvalidGuardianThreshold);
		ensure!(!has_duplicates(&policy.authorities), Error::<T>::DuplicateAuthority);
		ensure!(
			(1..=T::MaxAttemptLimit::get()).contains(&policy.max_attempts),
			Error::<T>::InvalidAttemptLimit
		);
		ensure!(
			(1..=T::MaxGuessLimit::get()).contains(&policy.max_guesses),
			Error::<T>::InvalidGuessLimit
		);
		ensure!(policy.delay >= CurrentFloors::<T>::get().min_delay, Error::<T>::DelayBelowFloor);
		Ok(())
	}

	/// Checks floors against Argon2's own limits.
	fn check_floors(floors: &FloorsOf<T>) -> DispatchResult {
		ensure!(
			floors.min_kdf_iterations >= 1 && floors.min_kdf_memory_kib >= ARGON2_MIN_MEMORY_KIB,
			Error::<T>::InvalidFloors
		);
		Ok(())
	}

	/// The floors every new split and policy must meet now.
	pub fn floors() -> FloorsOf<T> {
		CurrentFloors::<T>::get()
	}

	/// Validates a split and returns its custodian slots with their current keys.
	fn check_split(split: &SplitOf<T>) -> Result<CustodianSlotsOf<T>, DispatchError> {
		let n = split.custodians.len() as u32;
		ensure!(split.threshold >= 2, Error::<T>::ThresholdTooLow);
		ensure!(split.threshold <= n, Error::<T>::ThresholdAboveCustodians);
		ensure!(!has_duplicates(&split.custodians), Error::<T>::DuplicateCustodian);
		ensure!(split.commitments.len() as u32 == n, Error::<T>::CommitmentCountMismatch);
		ensure!(split.oprf_keys.len() as u32 == n, Error::<T>::OprfKeyCountMismatch);
		ensure!(split.kdf.is_well_formed(), Error::<T>::InvalidKdfParams);
		let floors = CurrentFloors::<T>::get();
		ensure!(split.kdf.memory_kib >= floors.min_kdf_memory_kib, Error::<T>::KdfMemoryBelowFloor);
		ensure!(
			split.kdf.iterations >= floors.min_kdf_iterations,
			Error::<T>::KdfIterationsBelowFloor
		);
		match split.mode {
			StorageMode::OnChain => {
				ensure!(split.shares.len() as u32 == n, Error::<T>::ShareCountMismatch);
				ensure!(split.shares.iter().all(|s| !s.is_empty()), Error::<T>::EmptyShare);
			},
			StorageMode::CustodianHeld =>
				ensure!(split.shares.is_empty(), Error::<T>::SharesNotExpected),
		}
		let now = Self::now();
		let acknowledged = split.mode == StorageMode::OnChain;
		let slots = split
			.custodians
			.iter()
			.zip(split.oprf_keys.iter())
			.map(|(account, oprf_key)| {
				T::Certificates::custodian_key(account, now)
					.map(|key| CustodianSlot {
						account: account.clone(),
						key,
						oprf_key: *oprf_key,
						acknowledged,
					})
					.ok_or(Error::<T>::CustodianNotCertified)
			})
			.collect::<Result<Vec<_>, _>>()?;
		// Same length as `split.custodians`, which has the same bound.
		Ok(BoundedVec::truncate_from(slots))
	}

	/// Bytes the shares take in [`Shares`], each stored under its own key.
	fn stored_size(shares: &SealedSharesOf<T>) -> u32 {
		shares.iter().map(|share| share.encoded_size() as u32).sum()
	}

	/// What an escrow keeps in state, counted as one item of all its bytes: the record, its
	/// shares, its owner-index entry and its attempt record. (`LinearStoragePrice` prices
	/// `count * size`, so counting each share as an item would charge bytes more than once.)
	pub fn escrow_footprint(record: &EscrowOf<T>) -> Footprint {
		let size = record.encoded_size() +
			record.share_bytes as usize +
			EscrowId::max_encoded_len() +
			Attempts::<BlockNumberFor<T>>::max_encoded_len();
		Footprint::from_parts(1, size)
	}

	/// Whether every enabled factor of `policy` holds for `request`.
	fn factors_hold(policy: &PolicyOf<T>, request: &RequestOf<T>) -> bool {
		(!policy.require_passphrase || request.recovery_key_verified) &&
			request.approvals.iter().filter(|g| policy.guardians.contains(g)).count() as u32 >=
				policy.guardian_threshold &&
			(policy.authorities.is_empty() ||
				request.authorized_by.as_ref().is_some_and(|a| policy.authorities.contains(a)))
	}

	/// The first of `policy`'s accepted authorities (in policy order) whose recovery
	/// authorization of `requester` for `escrow` counts at `now`. Asks about each accepted
	/// authority's own record, so records of issuers the policy does not accept play no part.
	fn accepted_authorization(
		policy: &PolicyOf<T>,
		escrow: &EscrowId,
		requester: &T::AccountId,
		now: BlockNumberFor<T>,
	) -> Option<T::AccountId> {
		policy
			.authorities
			.iter()
			.find(|a| T::Certificates::recovery_authorized_by(escrow, requester, a, now))
			.cloned()
	}

	/// Starts the delay once every factor holds.
	fn approve_if_complete(
		escrow: &EscrowId,
		policy: &PolicyOf<T>,
		request: &mut RequestOf<T>,
		now: BlockNumberFor<T>,
	) {
		if request.release_at.is_none() && Self::factors_hold(policy, request) {
			let release_at = now.saturating_add(policy.delay);
			request.release_at = Some(release_at);
			Self::deposit_event(Event::<T>::RecoveryApproved { escrow: *escrow, release_at });
		}
	}

	fn releasable(request: &RequestOf<T>, now: BlockNumberFor<T>) -> bool {
		request.completed_at.is_none() &&
			now < request.expires_at &&
			request.release_at.is_some_and(|at| now >= at)
	}

	fn remove_request(escrow: &EscrowId) {
		Requests::<T>::remove(escrow);
		let _ = Releases::<T>::clear_prefix(escrow, T::MaxCustodians::get(), None);
	}

	/// Whether `escrow` has work open for its custodians: a request or a guess.
	fn has_open_work(escrow: &EscrowId) -> bool {
		Requests::<T>::contains_key(escrow) ||
			Guesses::<T>::iter_key_prefix(escrow).next().is_some()
	}

	/// Brings the [`CustodianWork`] entries of `escrow` in line with its open work: one per
	/// account of `custodians` (its current slots) while a request or a guess is open, none
	/// otherwise. Called after every change that can open or end a request or a guess.
	fn reindex(escrow: &EscrowId, custodians: &CustodianSlotsOf<T>) {
		Self::set_indexed(escrow, custodians, Self::has_open_work(escrow));
	}

	/// Adds (`indexed`) or removes the [`CustodianWork`] entry of `escrow` for every account of
	/// `custodians`: at most `MaxCustodians` writes, and none when nothing changes.
	fn set_indexed(escrow: &EscrowId, custodians: &CustodianSlotsOf<T>, indexed: bool) {
		// An escrow's entries are only ever written here, all together, so the first slot's
		// entry tells whether they are there: calls that change nothing write nothing.
		let Some(first) = custodians.first() else { return };
		if CustodianWork::<T>::contains_key(&first.account, escrow) == indexed {
			return;
		}
		for slot in custodians {
			if indexed {
				CustodianWork::<T>::insert(&slot.account, escrow, ());
			} else {
				CustodianWork::<T>::remove(&slot.account, escrow);
			}
		}
	}

	/// Removes a request, settles the requester's deposit, and records the outcome: a request
	/// with a factor gets its deposit back and counts as failed unless it succeeded; one
	/// without a factor forfeits its deposit to the owner and does not count.
	fn finish_request(escrow: EscrowId, request: RequestOf<T>) -> DispatchResult {
		let now = Self::now();
		let record = Escrows::<T>::get(escrow).map(|(record, _)| record);
		let forfeited = !request.has_factor();
		match (&record, forfeited) {
			(Some(record), true) => {
				T::Currency::transfer_on_hold(
					&HoldReason::RecoveryRequest.into(),
					&request.requester,
					&record.owner,
					request.deposit,
					Precision::BestEffort,
					Restriction::Free,
					Fortitude::Polite,
				)?;
			},
			_ => {
				T::Currency::release(
					&HoldReason::RecoveryRequest.into(),
					&request.requester,
					request.deposit,
					Precision::BestEffort,
				)?;
			},
		}
		Self::remove_request(&escrow);
		// The record is there: an escrow with an open request cannot be removed.
		if let Some(record) = &record {
			Self::reindex(&escrow, &record.custodians);
		}
		let succeeded = record.is_some_and(|record| request.released >= record.threshold);
		Self::deposit_event(Event::<T>::RecoveryClosed {
			escrow,
			requester: request.requester,
			succeeded,
			forfeited,
		});
		if succeeded {
			FailedAttempts::<T>::remove(escrow);
		} else if !forfeited {
			Self::record_failure(&escrow, now);
		}
		Ok(())
	}

	/// Removes an open request that satisfied no factor to make room for one that has one;
	/// its requester's deposit goes to `owner`.
	fn displace_request(
		escrow: &EscrowId,
		owner: &T::AccountId,
		request: RequestOf<T>,
	) -> DispatchResult {
		T::Currency::transfer_on_hold(
			&HoldReason::RecoveryRequest.into(),
			&request.requester,
			owner,
			request.deposit,
			Precision::BestEffort,
			Restriction::Free,
			Fortitude::Polite,
		)?;
		Self::remove_request(escrow);
		Self::deposit_event(Event::<T>::RecoveryDisplaced {
			escrow: *escrow,
			requester: request.requester,
		});
		Ok(())
	}

	/// Counts a failed attempt and starts a back-off that doubles with each failure.
	fn record_failure(escrow: &EscrowId, now: BlockNumberFor<T>) {
		let mut attempts = FailedAttempts::<T>::get(escrow).unwrap_or_default();
		attempts.failed = attempts.failed.saturating_add(1);
		let doublings = (attempts.failed - 1).min(MAX_BACKOFF_DOUBLINGS);
		let backoff = T::BaseBackoff::get().saturating_mul((1u32 << doublings).into());
		attempts.next_allowed = now.saturating_add(backoff);
		Self::deposit_event(Event::<T>::RecoveryAttemptFailed {
			escrow: *escrow,
			failed: attempts.failed,
			next_allowed: attempts.next_allowed,
		});
		FailedAttempts::<T>::insert(escrow, attempts);
	}

	/// The message the escrow's recovery key signs to let `requester` open the request with
	/// nonce `nonce` for `escrow` with `one_time_key` on this chain (named by its genesis block
	/// hash).
	pub fn recovery_message(
		escrow: &EscrowId,
		requester: &T::AccountId,
		one_time_key: &H256,
		nonce: u32,
	) -> Vec<u8> {
		let genesis = frame_system::Pallet::<T>::block_hash(BlockNumberFor::<T>::zero());
		custos_primitives::recovery_request_message(
			&genesis,
			escrow,
			requester,
			one_time_key,
			nonce,
		)
	}

	/// Ends every open guess of `escrow` and restarts its counter: evaluations removed,
	/// deposits of guesses by `refund` (a requester whose signature just succeeded) or by the
	/// owner returned, the others paid to the owner. Guess ids keep growing. At most
	/// `max_guesses` guesses are open, so this is bounded.
	fn end_guesses(escrow: &EscrowId, owner: &T::AccountId, refund: Option<&T::AccountId>) {
		let reason = HoldReason::Guess.into();
		for (id, guess) in Guesses::<T>::drain_prefix(escrow) {
			let _ = Evaluations::<T>::clear_prefix((*escrow, id), T::MaxCustodians::get(), None);
			// Best effort: a failed transfer leaves the deposit held, never lost.
			if Some(&guess.guesser) == refund || guess.guesser == *owner {
				let _ = T::Currency::release(
					&reason,
					&guess.guesser,
					guess.deposit,
					Precision::BestEffort,
				);
			} else {
				let _ = T::Currency::transfer_on_hold(
					&reason,
					&guess.guesser,
					owner,
					guess.deposit,
					Precision::BestEffort,
					Restriction::Free,
					Fortitude::Polite,
				);
			}
		}
		GuessCounters::<T>::mutate(escrow, |counter| counter.used = 0);
		UnlockVotes::<T>::remove(escrow);
	}

	/// The guess counter of `escrow` and what it allows.
	pub fn guess_status(escrow: &EscrowId) -> Option<GuessStatus> {
		let (record, _) = Escrows::<T>::get(escrow)?;
		let counter = GuessCounters::<T>::get(escrow);
		Some(GuessStatus {
			used: counter.used,
			max_guesses: record.policy.max_guesses,
			locked: counter.used >= record.policy.max_guesses,
			reset_votes: UnlockVotes::<T>::get(escrow)
				.iter()
				.filter(|voter| record.policy.guardians.contains(voter))
				.count() as u32,
			reset_threshold: record.policy.guardian_threshold,
			next_request_nonce: RequestNonces::<T>::get(escrow),
		})
	}

	/// The open guesses of `escrow`, in guess id order.
	pub fn guesses(escrow: &EscrowId) -> Vec<(u32, GuessOf<T>)> {
		let mut guesses: Vec<_> = Guesses::<T>::iter_prefix(escrow).collect();
		// Storage order is hash order; callers expect the order guesses were made in.
		guesses.sort_by_key(|(id, _)| *id);
		guesses
	}

	/// The evaluations recorded for guess `guess` of `escrow`, in share index order.
	pub fn evaluations(escrow: &EscrowId, guess: u32) -> Vec<(u32, OprfEvaluation)> {
		let mut evaluations: Vec<_> = Evaluations::<T>::iter_prefix((*escrow, guess)).collect();
		evaluations.sort_by_key(|(index, _)| *index);
		evaluations
	}

	/// The guesses `custodian` should evaluate now: `(escrow, guess, share index, blinded
	/// element)` for every open guess of an escrow naming it in an acknowledged slot that it
	/// has not evaluated, while its certificate is valid (in no order callers may rely on).
	/// Custodian nodes ask this at each finalized block (so they never evaluate a guess the
	/// chain has not counted at a final block). It reads only `custodian`'s entries in
	/// [`CustodianWork`], so its cost grows with the escrows naming it that have a request or
	/// guess open (at most `MaxGuessLimit` guesses each), not with other escrows; it is never
	/// done in a transaction.
	pub fn pending_evaluations(custodian: &T::AccountId) -> Vec<(EscrowId, u32, u32, H256)> {
		if T::Certificates::custodian_key(custodian, Self::now()).is_none() {
			return Vec::new();
		}
		let mut pending = Vec::new();
		for escrow in CustodianWork::<T>::iter_key_prefix(custodian) {
			let Some((record, _)) = Escrows::<T>::get(escrow) else { continue };
			let slots = Self::acknowledged_slots(&record, custodian);
			if slots.is_empty() {
				continue;
			}
			for (id, guess) in Guesses::<T>::iter_prefix(escrow) {
				for &index in &slots {
					if !Evaluations::<T>::contains_key((escrow, id), index) {
						pending.push((escrow, id, index, guess.blinded));
					}
				}
			}
		}
		pending
	}

	/// The indices of the acknowledged slots of `record` held by `custodian`, ascending.
	fn acknowledged_slots(record: &EscrowOf<T>, custodian: &T::AccountId) -> Vec<u32> {
		record
			.custodians
			.iter()
			.enumerate()
			.filter(|(_, slot)| &slot.account == custodian && slot.acknowledged)
			.map(|(index, _)| index as u32)
			.collect()
	}

	/// Where the open request of `escrow` stands now.
	pub fn request_phase(escrow: &EscrowId) -> Option<RequestPhase<BlockNumberFor<T>>> {
		let request = Requests::<T>::get(escrow)?;
		let now = Self::now();
		Some(if request.completed_at.is_some() {
			RequestPhase::Completed
		} else if now >= request.expires_at {
			RequestPhase::Expired
		} else {
			match request.release_at {
				None => RequestPhase::AwaitingApproval,
				Some(release_at) if now < release_at => RequestPhase::Delay { release_at },
				Some(_) => RequestPhase::Releasable,
			}
		})
	}

	/// The escrow record of `escrow`, without its deposit ticket.
	pub fn escrow(escrow: &EscrowId) -> Option<EscrowOf<T>> {
		Escrows::<T>::get(escrow).map(|(record, _)| record)
	}

	/// The releases made to the open request of `escrow`, by share index.
	pub fn releases(escrow: &EscrowId) -> Vec<(u32, ReleaseOf<T>)> {
		Releases::<T>::iter_prefix(escrow).collect()
	}

	/// The shares `custodian` may release now: `(escrow, index)` for every releasable request
	/// naming it in an acknowledged slot it has not released yet, while its certificate is
	/// valid (in no order callers may rely on). Custodian nodes ask this at each finalized
	/// block. It reads only `custodian`'s entries in [`CustodianWork`], so its cost grows with
	/// the escrows naming it that have a request or guess open, not with other escrows; it is
	/// never done in a transaction.
	pub fn pending_releases(custodian: &T::AccountId) -> Vec<(EscrowId, u32)> {
		let now = Self::now();
		if T::Certificates::custodian_key(custodian, now).is_none() {
			return Vec::new();
		}
		let mut pending = Vec::new();
		for escrow in CustodianWork::<T>::iter_key_prefix(custodian) {
			// Entries of escrows with only guesses open have no request.
			let Some(request) = Requests::<T>::get(escrow) else { continue };
			if !Self::releasable(&request, now) {
				continue;
			}
			let Some((record, _)) = Escrows::<T>::get(escrow) else { continue };
			for index in Self::acknowledged_slots(&record, custodian) {
				if !Releases::<T>::contains_key(escrow, index) {
					pending.push((escrow, index));
				}
			}
		}
		pending
	}

	/// Whether custodians may release shares of `escrow` now.
	pub fn is_releasable(escrow: &EscrowId) -> bool {
		Requests::<T>::get(escrow).is_some_and(|request| Self::releasable(&request, Self::now()))
	}

	/// Live custodians of `escrow` against its threshold.
	pub fn health(escrow: &EscrowId) -> Option<EscrowHealth> {
		let (record, _) = Escrows::<T>::get(escrow)?;
		let now = Self::now();
		let live = record
			.custodians
			.iter()
			// A custodian whose certificate now binds another key may not be able to open the
			// share sealed to the old one: it counts only while the keys match.
			.filter(|slot| {
				slot.acknowledged &&
					T::Certificates::custodian_key(&slot.account, now) == Some(slot.key)
			})
			.count() as u32;
		Some(EscrowHealth {
			threshold: record.threshold,
			custodians: record.custodians.len() as u32,
			live,
			at_risk: live < record.threshold.saturating_add(T::HealthMargin::get()),
			unrecoverable: live < record.threshold,
		})
	}
}

fn has_duplicates<A: PartialEq>(items: &[A]) -> bool {
	items.iter().enumerate().any(|(i, a)| items[..i].contains(a))
}
