//! # Validator Set Pallet
//!
//! The validator set of a Custos chain, driven by `Validator` certificates: operators join and
//! leave, and at each new session the set becomes the candidates that are still eligible,
//! changed by a bounded number of members at a time. The pallet is the runtime's
//! `pallet_session::SessionManager`.
//!
//! ## Terminology
//!
//! - *Operator*: the account that runs an authoring node. Its node's Aura (sr25519) and GRANDPA
//!   keys are its session keys, registered with pallet-session (`set_keys`).
//! - *Candidate*: an operator that joined ([`Pallet::join`]) and has not left ([`Candidates`]).
//! - *Measurement report*: the node's software measurement (hash of its build) signed by the
//!   operator's registered Aura key over [`measurement_message`] ([`MeasurementReport`]).
//!   Required to join when the operator's certificate names a measurement; stored with the key
//!   it was verified against.
//! - *Eligible* (at block `B`): a candidate with a valid `Validator` certificate at `B`,
//!   registered session keys, a stored report naming the certificate's measurement if the
//!   certificate names one, and, if it stored a report, still the registered Aura key the
//!   report was verified against (after a key rotation the operator must join again). The
//!   first check that fails is the [`RemovalReason`].
//! - *Members*: the set this pallet last handed to pallet-session ([`Members`]), sorted.
//!
//! ## Sessions
//!
//! When pallet-session ends session `i` (in `on_initialize` of the block that starts session
//! `i + 1`) it calls `new_session(i + 2)`: the set returned is *queued* and validates from
//! session `i + 2`. So a set is planned one whole session ahead: an operator that joins
//! during session `s` is planned at the start of session `s + 1` and authors from session
//! `s + 2`, and one whose certificate is revoked during session `s` keeps authoring until
//! session `s + 2` starts (between one and two sessions). Session keys follow the same lag:
//! keys registered before the rotation are queued with the set (pallet-session reads the
//! registered keys when it queues it; `SessionKeys::is_registered` asks about those).
//!
//! At `new_session(index)` the pallet:
//!
//! 1. Computes the eligible set at the current block, sorted by account (at most
//!    [`Config::MaxValidators`]; there are never more candidates than that).
//! 2. If it has fewer than [`Config::MinValidators`] accounts, keeps [`Members`] unchanged,
//!    emits [`Event::SetKept`] and returns `None`: a chain whose certificates lapse keeps
//!    producing blocks with the validators it had rather than halt.
//! 3. Otherwise moves [`Members`] towards it by at most [`Config::MaxSetChange`] removals plus
//!    additions, removals first so a revoked operator leaves as soon as the bound allows, each
//!    kind in account order. A removal that would take the set below
//!    [`Config::MinValidators`] waits, and an addition takes its place in the bound, so
//!    replacing a member of a set at the minimum takes two sessions rather than never happening.
//!    The set never grows beyond [`Config::MaxValidators`].
//! 4. If nothing changes it returns `None` (pallet-session keeps the current set); else it
//!    stores the new [`Members`], emits [`Event::ValidatorRemoved`] (with the reason) and
//!    [`Event::ValidatorAdded`] for each change, and returns the new set.
//!
//! At genesis ([`GenesisConfig::members`]) the members are also candidates without a report;
//! `new_session_genesis` hands them to pallet-session for sessions 0 and 1, so this pallet must
//! come before pallet-session in `construct_runtime!` (its genesis is built first). Like every
//! candidate they stay only while eligible: give them `Validator` certificates and session keys
//! at genesis too.
//!
//! ## Weight
//!
//! pallet-session charges the whole block (`max_block`) for the block in which a session
//! changes, so `new_session` is not charged separately. It is still benchmarked in its worst
//! case ([`WeightInfo::new_session`]: `MaxValidators` eligible candidates, every one checked,
//! the most members changed), and [`Hooks::integrity_test`] checks that it fits in a block.
//!
//! ## API
//!
//! Calls: [`Pallet::join`], [`Pallet::leave`], [`Pallet::remove_candidate`].
//!
//! Reads: [`Pallet::ineligibility`], [`Pallet::candidate_views`], [`Pallet::members`],
//! [`Pallet::measurement_message`], and the [`runtime_api::ValidatorSetApi`] runtime API.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

use alloc::vec::Vec;

use custos_primitives::{CertificateInspect, Role, H256};
use frame::{
	deps::sp_core::sr25519,
	prelude::*,
	traits::{Convert, ValidatorRegistration},
};

pub use pallet::*;
pub use types::{
	measurement_message, Candidate, CandidateView, MeasurementReport, RemovalReason, SessionsView,
	MEASUREMENT_SIGNATURE_DOMAIN,
};
pub use weights::WeightInfo;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;

pub mod runtime_api;
pub mod types;
pub mod weights;

/// The log target of this pallet.
pub const LOG_TARGET: &str = "runtime::validator-set";

/// A session's index, as pallet-session counts them (`sp_staking::SessionIndex`).
pub type SessionIndex = u32;
/// The source of an account id in a call (e.g. a `MultiAddress`).
pub type AccountIdLookupOf<T> = <<T as frame_system::Config>::Lookup as StaticLookup>::Source;
/// The validator set as stored by the runtime `T`.
pub type MembersOf<T> = BoundedVec<AccountIdFor<T>, <T as Config>::MaxValidators>;
/// A candidate view as returned by the runtime API of the runtime `T`.
pub type CandidateViewOf<T> = CandidateView<AccountIdFor<T>>;

/// Benchmark set-up the runtime provides: session keys belong to pallet-session.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AccountId> {
	/// Register session keys for `who` whose Aura key is `key`, so that
	/// [`Config::SessionKeys`] reports `who` registered and [`Config::NodeSigningKey`] answers
	/// `key` for it.
	fn register_node_key(who: &AccountId, key: sr25519::Public);
}

#[frame::pallet]
pub mod pallet {
	use super::*;

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The source of the current block number, at which certificates are checked.
		type BlockNumberProvider: BlockNumberProvider<BlockNumber = BlockNumberFor<Self>>;

		/// Answers whether an operator holds a valid `Validator` certificate and which
		/// measurement it names.
		type Certificates: CertificateInspect<Self::AccountId, BlockNumberFor<Self>>;

		/// Whether an operator has session keys registered (pallet-session).
		type SessionKeys: ValidatorRegistration<Self::AccountId>;

		/// The operator's registered Aura (sr25519) session key, which signs its measurement
		/// report (in the runtime: `Session::load_keys(&who).map(|keys| keys.aura.into())`).
		type NodeSigningKey: Convert<Self::AccountId, Option<sr25519::Public>>;

		/// DO NOT REDUCE THIS VALUE below the number of members (the stored set would no
		/// longer decode). The most validators, and the most candidates.
		#[pallet::constant]
		type MaxValidators: Get<u32>;

		/// The fewest validators. A planned set never has fewer: with fewer eligible
		/// candidates the set is kept as it is. At least 1, at most `MaxValidators`.
		#[pallet::constant]
		type MinValidators: Get<u32>;

		/// The most removals plus additions one new session makes. At least 1 (at least 2 if
		/// `MinValidators` equals `MaxValidators`, so that a full set can swap a member).
		#[pallet::constant]
		type MaxSetChange: Get<u32>;

		/// Weight information for extrinsics in this pallet.
		type WeightInfo: WeightInfo;

		/// Registers session keys for the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<Self::AccountId>;
	}

	/// The operators that joined and have not left, with their verified measurement report.
	/// At most [`Config::MaxValidators`] entries.
	#[pallet::storage]
	pub type Candidates<T: Config> =
		CountedStorageMap<_, Blake2_128Concat, T::AccountId, Candidate, OptionQuery>;

	/// The validator set this pallet last handed to pallet-session (at genesis or by
	/// `new_session`), sorted by account.
	#[pallet::storage]
	pub type Members<T: Config> = StorageValue<_, MembersOf<T>, ValueQuery>;

	/// The validator set a chain starts with.
	#[pallet::genesis_config]
	#[derive(DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// The genesis validators: each becomes a candidate without a measurement report and a
		/// member. Empty leaves the first sessions to pallet-session's genesis keys. Otherwise
		/// at least `MinValidators` and at most `MaxValidators` distinct accounts; any
		/// violation panics.
		pub members: Vec<T::AccountId>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			let mut members = self.members.clone();
			members.sort();
			assert!(
				members.windows(2).all(|pair| pair[0] != pair[1]),
				"pallet-validator-set genesis: duplicate member"
			);
			assert!(
				members.is_empty() || members.len() as u32 >= T::MinValidators::get(),
				"pallet-validator-set genesis: {} members, fewer than MinValidators ({})",
				members.len(),
				T::MinValidators::get()
			);
			let members: MembersOf<T> = members.try_into().unwrap_or_else(|members: Vec<_>| {
				panic!(
					"pallet-validator-set genesis: {} members, more than MaxValidators ({})",
					members.len(),
					T::MaxValidators::get()
				)
			});
			for who in &members {
				Candidates::<T>::insert(who, Candidate { measurement: None, node_key: None });
			}
			Members::<T>::put(members);
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// An operator became a candidate.
		Joined {
			/// The operator.
			operator: T::AccountId,
			/// The measurement of its verified report, if it gave one.
			measurement: Option<H256>,
		},
		/// An operator stopped being a candidate; if a member, it is removed at a coming new
		/// session.
		Left {
			/// The former candidate.
			operator: T::AccountId,
		},
		/// Root removed a candidate; if a member, it is removed at a coming new session.
		CandidateRemoved {
			/// The former candidate.
			operator: T::AccountId,
		},
		/// An account was added to the set planned for `session`.
		ValidatorAdded {
			/// The new validator.
			who: T::AccountId,
			/// The session from which it validates.
			session: SessionIndex,
		},
		/// An account was removed from the set planned for `session`.
		ValidatorRemoved {
			/// The former validator.
			who: T::AccountId,
			/// The first session it no longer validates in.
			session: SessionIndex,
			/// Why it is no longer eligible.
			reason: RemovalReason,
		},
		/// Fewer than [`Config::MinValidators`] candidates are eligible, so the set planned for
		/// `session` is the current one, unchanged.
		SetKept {
			/// The session the set was planned for.
			session: SessionIndex,
			/// How many candidates are eligible.
			eligible: u32,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The operator holds no valid `Validator` certificate.
		NoValidCertificate,
		/// The operator has no session keys registered.
		NoSessionKeys,
		/// The operator's certificate names a measurement, and no report was given.
		MeasurementRequired,
		/// The report's measurement is not the one the operator's certificate names.
		MeasurementMismatch,
		/// The operator has no Aura session key to verify the report against.
		NoNodeKey,
		/// The report's signature does not verify against the operator's Aura session key.
		BadMeasurementSignature,
		/// The operator is already a candidate.
		AlreadyCandidate,
		/// There are already [`Config::MaxValidators`] candidates.
		TooManyCandidates,
		/// The account is not a candidate.
		NotCandidate,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			let (min, max, change) =
				(T::MinValidators::get(), T::MaxValidators::get(), T::MaxSetChange::get());
			// An empty set would halt block production.
			assert!(min > 0, "MinValidators must be greater than 0");
			assert!(min <= max, "MinValidators must not exceed MaxValidators");
			assert!(change > 0, "MaxSetChange must be greater than 0");
			// A full set at the minimum could only swap a member by removing and adding at once.
			assert!(
				min < max || change >= 2,
				"MaxSetChange must be at least 2 when MinValidators equals MaxValidators"
			);
			// pallet-session charges a whole block for a session change, so the worst case
			// must fit in one.
			let max_block = <T as frame_system::Config>::BlockWeights::get().max_block;
			assert!(
				T::WeightInfo::new_session().all_lte(max_block),
				"the worst-case new_session must fit in a block"
			);
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_: BlockNumberFor<T>) -> Result<(), frame::deps::sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Become a candidate validator. Signed by the operator.
		///
		/// The operator must hold a valid `Validator` certificate and have session keys
		/// registered. If its certificate names a measurement, `report` must name the same
		/// one. A `report` (required then, optional otherwise) must be signed by the operator's
		/// registered Aura key over [`measurement_message`] (see
		/// [`Pallet::measurement_message`]); it is stored with that key. The operator enters the
		/// set at a coming new session (see the module docs for when).
		///
		/// Fails with [`Error::AlreadyCandidate`], [`Error::TooManyCandidates`],
		/// [`Error::NoValidCertificate`], [`Error::NoSessionKeys`],
		/// [`Error::MeasurementRequired`], [`Error::MeasurementMismatch`], [`Error::NoNodeKey`]
		/// or [`Error::BadMeasurementSignature`].
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::join())]
		pub fn join(origin: OriginFor<T>, report: Option<MeasurementReport>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			ensure!(!Candidates::<T>::contains_key(&who), Error::<T>::AlreadyCandidate);
			ensure!(
				Candidates::<T>::count() < T::MaxValidators::get(),
				Error::<T>::TooManyCandidates
			);
			let certified =
				T::Certificates::certified_measurement(&who, Role::Validator, Self::now())
					.ok_or(Error::<T>::NoValidCertificate)?;
			ensure!(T::SessionKeys::is_registered(&who), Error::<T>::NoSessionKeys);
			if let Some(required) = certified {
				let given = report.as_ref().ok_or(Error::<T>::MeasurementRequired)?;
				ensure!(given.measurement == required, Error::<T>::MeasurementMismatch);
			}
			let node_key = match &report {
				None => None,
				Some(report) => {
					let key =
						T::NodeSigningKey::convert(who.clone()).ok_or(Error::<T>::NoNodeKey)?;
					let message = Self::measurement_message(&who, &report.measurement);
					ensure!(
						frame::deps::sp_io::crypto::sr25519_verify(
							&report.signature,
							&message,
							&key
						),
						Error::<T>::BadMeasurementSignature
					);
					Some(key)
				},
			};
			let measurement = report.as_ref().map(|report| report.measurement);
			Candidates::<T>::insert(&who, Candidate { measurement: report, node_key });
			Self::deposit_event(Event::<T>::Joined { operator: who, measurement });
			Ok(())
		}

		/// Stop being a candidate. Signed by the candidate.
		///
		/// A member stays in the set until a coming new session removes it (as soon as
		/// [`Config::MaxSetChange`] and [`Config::MinValidators`] allow). Fails with
		/// [`Error::NotCandidate`].
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::leave())]
		pub fn leave(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Candidates::<T>::take(&who).ok_or(Error::<T>::NotCandidate)?;
			Self::deposit_event(Event::<T>::Left { operator: who });
			Ok(())
		}

		/// Remove `who` from the candidates. Root only.
		///
		/// Like [`Pallet::leave`] on its behalf: a member stays until a coming new session
		/// removes it. Fails with [`Error::NotCandidate`].
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::remove_candidate())]
		pub fn remove_candidate(origin: OriginFor<T>, who: AccountIdLookupOf<T>) -> DispatchResult {
			ensure_root(origin)?;
			let who = T::Lookup::lookup(who)?;
			Candidates::<T>::take(&who).ok_or(Error::<T>::NotCandidate)?;
			Self::deposit_event(Event::<T>::CandidateRemoved { operator: who });
			Ok(())
		}
	}
}

/// Internal helpers.
impl<T: Config> Pallet<T> {
	fn now() -> BlockNumberFor<T> {
		T::BlockNumberProvider::current_block_number()
	}

	/// Every candidate, sorted by account, with why it is not eligible at `at` (`None` if it
	/// is). Reads every candidate: bounded by [`Config::MaxValidators`].
	fn assess(at: BlockNumberFor<T>) -> Vec<(T::AccountId, Candidate, Option<RemovalReason>)> {
		let mut all: Vec<_> = Candidates::<T>::iter()
			.map(|(who, candidate)| {
				let reason = Self::ineligibility(&who, &candidate, at);
				(who, candidate, reason)
			})
			.collect();
		all.sort_by(|a, b| a.0.cmp(&b.0));
		all
	}

	/// The set planned for `session`; see the module docs.
	fn do_new_session(session: SessionIndex) -> Option<Vec<T::AccountId>> {
		let members = Members::<T>::get();
		let assessed = Self::assess(Self::now());
		let mut eligible: Vec<&T::AccountId> = assessed
			.iter()
			.filter(|(_, _, reason)| reason.is_none())
			.map(|(who, ..)| who)
			.collect();
		// Only if a runtime upgrade lowered the bound below the number of candidates.
		eligible.truncate(T::MaxValidators::get() as usize);
		let min = T::MinValidators::get();
		if (eligible.len() as u32) < min {
			if !members.iter().eq(eligible.iter().copied()) {
				log::warn!(
					target: LOG_TARGET,
					"session {session}: {} eligible validators, fewer than {min}: set kept",
					eligible.len()
				);
				Self::deposit_event(Event::<T>::SetKept {
					session,
					eligible: eligible.len() as u32,
				});
			}
			return None;
		}
		let removable: Vec<&T::AccountId> =
			members.iter().filter(|m| eligible.binary_search(m).is_err()).collect();
		let addable: Vec<&T::AccountId> =
			eligible.iter().copied().filter(|e| members.binary_search(e).is_err()).collect();
		let (removals, additions) = plan_change(
			members.len() as u32,
			removable.len() as u32,
			addable.len() as u32,
			T::MaxSetChange::get(),
			min,
			T::MaxValidators::get(),
		);
		if removals == 0 && additions == 0 {
			return None;
		}
		let removed = &removable[..removals as usize];
		let added = &addable[..additions as usize];
		let mut next: Vec<T::AccountId> = members
			.iter()
			.filter(|m| removed.binary_search(m).is_err())
			.chain(added.iter().copied())
			.cloned()
			.collect();
		next.sort();
		let Ok(next) = MembersOf::<T>::try_from(next) else {
			defensive!("plan_change keeps the set within MaxValidators");
			return None;
		};
		Members::<T>::put(&next);
		log::info!(
			target: LOG_TARGET,
			"session {session}: {} validators ({removals} removed, {additions} added)",
			next.len()
		);
		for who in removed {
			let reason = assessed
				.binary_search_by(|(candidate, ..)| candidate.cmp(who))
				.ok()
				.and_then(|i| assessed[i].2)
				.unwrap_or(RemovalReason::Left);
			Self::deposit_event(Event::<T>::ValidatorRemoved {
				who: (*who).clone(),
				session,
				reason,
			});
		}
		for who in added {
			Self::deposit_event(Event::<T>::ValidatorAdded { who: (*who).clone(), session });
		}
		Some(next.into_inner())
	}

	/// Check the storage invariants: [`Members`] sorted without duplicates, the candidate count
	/// matching its entries, and every candidate's report stored with its key.
	#[cfg(any(feature = "try-runtime", test))]
	pub fn do_try_state() -> Result<(), frame::deps::sp_runtime::TryRuntimeError> {
		let members = Members::<T>::get();
		ensure!(members.windows(2).all(|pair| pair[0] < pair[1]), "Members not strictly sorted");
		let mut count = 0u32;
		for (_, candidate) in Candidates::<T>::iter() {
			count += 1;
			ensure!(
				candidate.measurement.is_some() == candidate.node_key.is_some(),
				"a candidate's report and key are stored together"
			);
		}
		ensure!(count == Candidates::<T>::count(), "candidate counter out of step");
		ensure!(count <= T::MaxValidators::get(), "more than MaxValidators candidates");
		Ok(())
	}
}

/// How many of `removable` members to remove and of `addable` eligible candidates to add to a
/// set of `members`: removals first, at most `max_change` changes in all, never fewer than
/// `min` members (a removal that would go below waits, and an addition takes its place), never
/// more than `max`. When even no removal keeps `min` (only if `members < min`, e.g. after an
/// upgrade raised it), only additions are made.
fn plan_change(
	members: u32,
	removable: u32,
	addable: u32,
	max_change: u32,
	min: u32,
	max: u32,
) -> (u32, u32) {
	let additions = |removals: u32| {
		let room = max.saturating_sub(members.saturating_sub(removals));
		addable.min(max_change.saturating_sub(removals)).min(room)
	};
	(0..=removable.min(max_change))
		.rev()
		.map(|removals| (removals, additions(removals)))
		.find(|(removals, additions)| {
			members.saturating_sub(*removals).saturating_add(*additions) >= min
		})
		.unwrap_or_else(|| (0, additions(0)))
}

/// Public read helpers.
impl<T: Config> Pallet<T> {
	/// The message `operator`'s node signs to report `measurement` on this chain (named by its
	/// genesis block hash): [`measurement_message`].
	pub fn measurement_message(operator: &T::AccountId, measurement: &H256) -> Vec<u8> {
		let genesis = frame_system::Pallet::<T>::block_hash(BlockNumberFor::<T>::zero());
		measurement_message(&genesis, operator, measurement)
	}

	/// Why `candidate` (the record of `who`) is not eligible at `at`, or `None` if it is:
	/// checks its certificate, its session keys, the certified measurement against its report
	/// and its registered Aura key against the one its report was verified against, in this
	/// order.
	pub fn ineligibility(
		who: &T::AccountId,
		candidate: &Candidate,
		at: BlockNumberFor<T>,
	) -> Option<RemovalReason> {
		let Some(certified) = T::Certificates::certified_measurement(who, Role::Validator, at)
		else {
			return Some(RemovalReason::CertificateInvalid);
		};
		if !T::SessionKeys::is_registered(who) {
			return Some(RemovalReason::KeysMissing);
		}
		if certified.is_some_and(|m| candidate.reported_measurement() != Some(m)) {
			return Some(RemovalReason::MeasurementMismatch);
		}
		if candidate
			.node_key
			.is_some_and(|key| T::NodeSigningKey::convert(who.clone()) != Some(key))
		{
			return Some(RemovalReason::KeyRotated);
		}
		None
	}

	/// Every candidate, sorted by account, with whether it is a member and whether it is
	/// eligible now (and why not).
	///
	/// Reads every candidate and its certificate: for runtime APIs and off-chain use.
	pub fn candidate_views() -> Vec<CandidateViewOf<T>> {
		let members = Members::<T>::get();
		Self::assess(Self::now())
			.into_iter()
			.map(|(account, candidate, reason)| CandidateView {
				member: members.binary_search(&account).is_ok(),
				measurement: candidate.reported_measurement(),
				account,
				eligible: reason.is_none(),
				reason,
			})
			.collect()
	}

	/// The set last handed to pallet-session, sorted by account.
	pub fn members() -> Vec<T::AccountId> {
		Members::<T>::get().into_inner()
	}
}

impl<T: Config> pallet_session::SessionManager<T::AccountId> for Pallet<T> {
	fn new_session(new_index: SessionIndex) -> Option<Vec<T::AccountId>> {
		Self::do_new_session(new_index)
	}

	/// The genesis members, for sessions 0 and 1 (`None` if there are none, and pallet-session
	/// uses its genesis keys).
	fn new_session_genesis(_: SessionIndex) -> Option<Vec<T::AccountId>> {
		let members = Members::<T>::get();
		(!members.is_empty()).then(|| members.into_inner())
	}

	fn end_session(_: SessionIndex) {}

	fn start_session(_: SessionIndex) {}
}
