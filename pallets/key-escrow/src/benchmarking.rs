//! Benchmarks of every call, each in its worst case (largest bounded inputs, the branch that
//! writes the most). The calls that end an escrow's open guesses (`initiate_recovery` with a
//! valid signature, `reshare`, `remove_escrow`, `unlock_escrow`) end `MaxGuessLimit` of them,
//! each made by a different guesser whose deposit goes to the owner and each evaluated by
//! every custodian. The calls that open an escrow's first work (`record_guess`) or end its last
//! (`cancel_recovery`, `close_recovery`, `expire_recovery`, `reshare`, `remove_escrow`,
//! `unlock_escrow`) write one `CustodianWork` entry per custodian slot, MaxCustodians of them
//! (`remove_escrow`: `n`); the setups assert the entries are there before and gone (or there)
//! after.

#![cfg(feature = "runtime-benchmarks")]

use super::*;
use crate::Pallet;
use alloc::vec;
use frame::{
	benchmarking::prelude::*,
	deps::{sp_core::crypto::KeyTypeId, sp_io},
	traits::fungible::Mutate,
};

const SEED: u32 = 0;
const BENCH_KEY_TYPE: KeyTypeId = KeyTypeId(*b"cbnc");

fn assert_last_event<T: Config>(event: Event<T>) {
	frame_system::Pallet::<T>::assert_last_event(<T as frame_system::Config>::RuntimeEvent::from(event));
}

fn funded<T: Config>(name: &'static str, index: u32) -> T::AccountId {
	let who: T::AccountId = account(name, index, SEED);
	let amount = T::RecoveryDeposit::get()
		.saturating_add(T::GuessDeposit::get())
		.saturating_mul(1_000_000u32.into());
	T::Currency::mint_into(&who, amount).expect("minting works in benchmarks");
	who
}

fn custodians<T: Config>(n: u32) -> CustodianAccountsOf<T> {
	let accounts: Vec<T::AccountId> = (0..n)
		.map(|i| {
			let who: T::AccountId = account("custodian", i, SEED);
			T::Certificates::certify_custodian(&who, H256::repeat_byte(i as u8 + 1));
			who
		})
		.collect();
	BoundedVec::try_from(accounts).expect("n <= MaxCustodians")
}

/// RFC 9106's second recommendation (64 MiB, 3 passes, 4 lanes), raised to the floors in force
/// if they are higher.
fn kdf<T: Config>() -> KdfParams {
	let floors = Pallet::<T>::floors();
	KdfParams {
		algorithm: KdfAlgorithm::Argon2id,
		memory_kib: floors.min_kdf_memory_kib.max(65_536),
		iterations: floors.min_kdf_iterations.max(3),
		parallelism: 4,
		salt: [7; 16],
	}
}

/// `extra` blocks above the delay floor in force (the runtime's may be far above 0).
fn delay<T: Config>(extra: u32) -> BlockNumberFor<T> {
	Pallet::<T>::floors().min_delay.saturating_add(extra.into())
}

/// An on-chain split of `n` maximal shares, threshold 2, with a fixed recovery key (the
/// benchmarks that sign replace it with a keystore key).
fn split<T: Config>(n: u32) -> SplitOf<T> {
	let share: SealedShareOf<T> =
		BoundedVec::try_from(vec![0xab; T::MaxShareLen::get() as usize]).expect("at the bound");
	Split {
		threshold: 2,
		custodians: custodians::<T>(n),
		commitments: BoundedVec::try_from(vec![H256::repeat_byte(0xc0); n as usize]).unwrap(),
		oprf_keys: BoundedVec::try_from(vec![H256::repeat_byte(0xd0); n as usize]).unwrap(),
		recovery_key: sr25519::Public::from_raw([0x5a; 32]),
		kdf: kdf::<T>(),
		mode: StorageMode::OnChain,
		shares: BoundedVec::try_from(vec![share; n as usize]).unwrap(),
	}
}

/// The largest policy: every guardian slot (all must approve), every authority slot, the
/// highest guess limit, a delay `extra_delay` blocks above the floor, and the passphrase factor
/// if `require_passphrase`.
fn policy<T: Config>(require_passphrase: bool, extra_delay: u32) -> PolicyOf<T> {
	let guardians: Vec<T::AccountId> =
		(0..T::MaxGuardians::get()).map(|i| funded::<T>("guardian", i)).collect();
	let authorities: Vec<T::AccountId> =
		(0..T::MaxPolicyAuthorities::get()).map(|i| account("authority", i, SEED)).collect();
	RecoveryPolicy {
		require_passphrase,
		guardian_threshold: guardians.len() as u32,
		guardians: BoundedVec::try_from(guardians).unwrap(),
		authorities: BoundedVec::try_from(authorities).unwrap(),
		delay: delay::<T>(extra_delay),
		max_attempts: T::MaxAttemptLimit::get(),
		max_guesses: T::MaxGuessLimit::get(),
	}
}

fn set_block<T: Config>(n: u32) {
	frame_system::Pallet::<T>::set_block_number(n.into());
}

/// An escrow of `owner` with `n` custodians under the largest policy.
fn escrow_of<T: Config>(owner: &T::AccountId, n: u32, mode: StorageMode) -> EscrowId {
	let mut split = split::<T>(n);
	if mode == StorageMode::CustodianHeld {
		split.mode = mode;
		split.shares = BoundedVec::new();
	}
	Pallet::<T>::create_escrow(
		RawOrigin::Signed(owner.clone()).into(),
		H256::repeat_byte(0xf1),
		KeyKind::Sr25519Seed,
		split,
		policy::<T>(false, 10),
	)
	.expect("valid escrow");
	custos_primitives::escrow_id(owner, &H256::repeat_byte(0xf1))
}

/// `count` guesses on `escrow`, each by its own funded guesser, each evaluated by every
/// custodian of the escrow (the evaluations written directly: `record_evaluation` only
/// inserts them). Returns the guessers.
fn open_guesses<T: Config>(escrow: EscrowId, count: u32) -> Vec<T::AccountId> {
	let custodians = Pallet::<T>::escrow(&escrow).expect("the escrow exists").custodians.len();
	(0..count)
		.map(|i| {
			let guesser = funded::<T>("guesser", i);
			let id = GuessCounters::<T>::get(escrow).next_id;
			Pallet::<T>::record_guess(
				RawOrigin::Signed(guesser.clone()).into(),
				escrow,
				H256::repeat_byte(i as u8 + 1),
			)
			.expect("under the guess limit");
			for index in 0..custodians as u32 {
				Evaluations::<T>::insert((escrow, id), index, [index as u8; OPRF_EVALUATION_LEN]);
			}
			guesser
		})
		.collect()
}

/// Asserts that `escrow` has no open guess or evaluation left and a zero guess counter.
fn assert_guesses_ended<T: Config>(escrow: EscrowId) {
	assert_eq!(Guesses::<T>::iter_prefix(escrow).count(), 0);
	assert_eq!(Evaluations::<T>::iter().count(), 0);
	assert_eq!(GuessCounters::<T>::get(escrow).used, 0);
}

/// Asserts that every slot account of `escrow` has (`indexed`) or lacks its `CustodianWork`
/// entry, and that there is at least one slot.
fn assert_indexed<T: Config>(escrow: EscrowId, custodians: &CustodianSlotsOf<T>, indexed: bool) {
	assert!(!custodians.is_empty());
	for slot in custodians {
		assert_eq!(CustodianWork::<T>::contains_key(&slot.account, escrow), indexed);
	}
}

/// The custodian slots of `escrow`.
fn slots_of<T: Config>(escrow: EscrowId) -> CustodianSlotsOf<T> {
	Pallet::<T>::escrow(&escrow).expect("the escrow exists").custodians
}

/// Opens a request by `requester`; with `approve`, every factor is made to hold.
fn open_request<T: Config>(escrow: EscrowId, requester: &T::AccountId, approve: bool) {
	Pallet::<T>::initiate_recovery(
		RawOrigin::Signed(requester.clone()).into(),
		escrow,
		H256::repeat_byte(0x77),
		None,
	)
	.expect("request opens");
	if approve {
		let record = Pallet::<T>::escrow(&escrow).unwrap();
		approve_all::<T>(escrow, &record.policy.guardians);
		let issuer = record.policy.authorities[0].clone();
		T::Certificates::authorize_recovery(&issuer, &escrow, requester);
		Pallet::<T>::attach_authorization(RawOrigin::Signed(requester.clone()).into(), escrow)
			.unwrap();
	}
}

/// The worst case of finding an accepted authorization: every accepted authority but the last
/// has an unexpired record for `requester` that does not count (the costliest kind to check),
/// and the last one's counts. Returns the last authority, the one that is found.
fn authorize_by_last<T: Config>(escrow: EscrowId, requester: &T::AccountId) -> T::AccountId {
	let record = Pallet::<T>::escrow(&escrow).expect("the escrow exists");
	let (last, others) = record.policy.authorities.split_last().expect("the policy has some");
	for issuer in others {
		T::Certificates::authorize_recovery_lapsed(issuer, &escrow, requester);
	}
	T::Certificates::authorize_recovery(last, &escrow, requester);
	last.clone()
}

/// Each of `guardians` approves the open request of `escrow`.
fn approve_all<T: Config>(escrow: EscrowId, guardians: &[T::AccountId]) {
	let nonce = Requests::<T>::get(escrow).expect("a request is open").nonce;
	for guardian in guardians {
		Pallet::<T>::approve_recovery(RawOrigin::Signed(guardian.clone()).into(), escrow, nonce)
			.unwrap();
	}
}

/// A share payload of the largest size.
fn release_payload<T: Config>() -> ReleasePayloadOf<T> {
	BoundedVec::try_from(vec![1u8; T::MaxReleaseLen::get() as usize]).unwrap()
}

/// A request with `released` shares released, past its delay.
fn releasing<T: Config>(n: u32, released: u32) -> (EscrowId, T::AccountId) {
	set_block::<T>(1);
	let owner = funded::<T>("owner", 0);
	let requester = funded::<T>("requester", 0);
	let escrow = escrow_of::<T>(&owner, n, StorageMode::OnChain);
	open_request::<T>(escrow, &requester, true);
	frame_system::Pallet::<T>::set_block_number(delay::<T>(11));
	let record = Pallet::<T>::escrow(&escrow).unwrap();
	let nonce = Requests::<T>::get(escrow).unwrap().nonce;
	for i in 0..released {
		Pallet::<T>::release_share(
			RawOrigin::Signed(record.custodians[i as usize].account.clone()).into(),
			escrow,
			nonce,
			i,
			release_payload::<T>(),
		)
		.unwrap();
	}
	(escrow, requester)
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn create_escrow(n: Linear<2, { T::MaxCustodians::get() }>) {
		set_block::<T>(1);
		let owner = funded::<T>("owner", 0);
		let split = split::<T>(n);
		let policy = policy::<T>(true, 10);
		let fingerprint = H256::repeat_byte(0xf1);

		#[extrinsic_call]
		_(RawOrigin::Signed(owner.clone()), fingerprint, KeyKind::Sr25519Seed, split, policy);

		let escrow = custos_primitives::escrow_id(&owner, &fingerprint);
		assert_last_event::<T>(Event::EscrowCreated {
			escrow,
			owner,
			threshold: 2,
			custodians: n,
			mode: StorageMode::OnChain,
		});
	}

	#[benchmark]
	fn update_policy() {
		// Worst case: a request is open and approved, so lengthening the delay rewrites it.
		let (escrow, _) = releasing::<T>(T::MaxCustodians::get(), 0);
		set_block::<T>(5);
		let owner: T::AccountId = account("owner", 0, SEED);
		let policy = policy::<T>(false, 20);

		#[extrinsic_call]
		_(RawOrigin::Signed(owner), escrow, policy);

		assert_last_event::<T>(Event::PolicyUpdated { escrow });
	}

	#[benchmark]
	fn reshare(n: Linear<2, { T::MaxCustodians::get() }>) {
		// Worst case also replaces the policy with the largest one (checked and stored in the
		// same call) and ends MaxGuessLimit open guesses, each evaluated by every custodian,
		// removing the MaxCustodians old slots' `CustodianWork` entries.
		set_block::<T>(1);
		let owner = funded::<T>("owner", 0);
		let escrow = escrow_of::<T>(&owner, T::MaxCustodians::get(), StorageMode::OnChain);
		open_guesses::<T>(escrow, T::MaxGuessLimit::get());
		let old = slots_of::<T>(escrow);
		assert_indexed::<T>(escrow, &old, true);
		let split = split::<T>(n);
		let policy = policy::<T>(true, 20);

		#[extrinsic_call]
		_(RawOrigin::Signed(owner), escrow, split, Some(policy.clone()));

		assert_eq!(Pallet::<T>::escrow(&escrow).unwrap().policy, policy);
		assert_last_event::<T>(Event::EscrowReshared {
			escrow,
			generation: 1,
			threshold: 2,
			custodians: n,
		});
		assert_guesses_ended::<T>(escrow);
		assert_indexed::<T>(escrow, &old, false);
	}

	#[benchmark]
	fn remove_escrow(n: Linear<2, { T::MaxCustodians::get() }>) {
		// Worst case also ends MaxGuessLimit open guesses, each evaluated by all n custodians,
		// and removes the counter, the reset votes, the request nonce and the n custodians'
		// `CustodianWork` entries.
		set_block::<T>(1);
		let owner = funded::<T>("owner", 0);
		let escrow = escrow_of::<T>(&owner, n, StorageMode::OnChain);
		open_guesses::<T>(escrow, T::MaxGuessLimit::get());
		let slots = slots_of::<T>(escrow);
		assert_indexed::<T>(escrow, &slots, true);
		let guardian = Pallet::<T>::escrow(&escrow).unwrap().policy.guardians[0].clone();
		Pallet::<T>::unlock_escrow(RawOrigin::Signed(guardian).into(), escrow).unwrap();
		RequestNonces::<T>::insert(escrow, 1);

		#[extrinsic_call]
		_(RawOrigin::Signed(owner), escrow);

		assert_last_event::<T>(Event::EscrowRemoved { escrow });
		assert_guesses_ended::<T>(escrow);
		assert!(!GuessCounters::<T>::contains_key(escrow));
		assert!(!UnlockVotes::<T>::contains_key(escrow));
		assert!(!RequestNonces::<T>::contains_key(escrow));
		assert_indexed::<T>(escrow, &slots, false);
	}

	#[benchmark]
	fn acknowledge_share() {
		set_block::<T>(1);
		let owner = funded::<T>("owner", 0);
		let n = T::MaxCustodians::get();
		let escrow = escrow_of::<T>(&owner, n, StorageMode::CustodianHeld);
		let custodian = Pallet::<T>::escrow(&escrow).unwrap().custodians[n as usize - 1].account.clone();

		#[extrinsic_call]
		_(RawOrigin::Signed(custodian.clone()), escrow, n - 1, 0);

		assert_last_event::<T>(Event::ShareAcknowledged { escrow, index: n - 1, custodian });
	}

	#[benchmark]
	fn initiate_recovery() {
		// Worst case: an earlier failure to check; a recovery-key signature to verify; a live
		// authorization from the last of MaxPolicyAuthorities accepted authorities to look up
		// (the others' records checked and found not counting) and attach; an open request of
		// another requester that satisfied no factor, displaced (its deposit to the owner,
		// MaxCustodians releases removed); and MaxGuessLimit open guesses of others (deposits
		// to the owner), each evaluated by every custodian, ended by the valid signature. The
		// policy leaves the signature optional, or the factorless request could not be open.
		// The custodians' `CustodianWork` entries stay (work was open and still is): writing
		// them instead needs an escrow with no request or guess open, which is far cheaper
		// (none of the above happens then).
		set_block::<T>(1);
		let owner = funded::<T>("owner", 0);
		let requester = funded::<T>("requester", 0);
		let public = sp_io::crypto::sr25519_generate(BENCH_KEY_TYPE, None);
		let fingerprint = H256::repeat_byte(0xf1);
		let mut split = split::<T>(T::MaxCustodians::get());
		split.recovery_key = public;
		let policy = policy::<T>(false, 10);
		Pallet::<T>::create_escrow(
			RawOrigin::Signed(owner.clone()).into(),
			fingerprint,
			KeyKind::Sr25519Seed,
			split,
			policy,
		)
		.unwrap();
		let escrow = custos_primitives::escrow_id(&owner, &fingerprint);
		FailedAttempts::<T>::insert(escrow, Attempts { failed: 1, next_allowed: 1u32.into() });
		open_guesses::<T>(escrow, T::MaxGuessLimit::get());
		let stranger = funded::<T>("stranger", 0);
		open_request::<T>(escrow, &stranger, false);
		// No request without a factor can be released to; the releases are written directly
		// so that the displacement removes as many as any request can have.
		let record = Pallet::<T>::escrow(&escrow).unwrap();
		for (index, slot) in record.custodians.iter().enumerate() {
			let release = ReleaseOf::<T> {
				custodian: slot.account.clone(),
				at: 1u32.into(),
				payload: release_payload::<T>(),
			};
			Releases::<T>::insert(escrow, index as u32, release);
		}
		let issuer = authorize_by_last::<T>(escrow, &requester);
		let one_time_key = H256::repeat_byte(0x77);
		let nonce = RequestNonces::<T>::get(escrow);
		let message = Pallet::<T>::recovery_message(&escrow, &requester, &one_time_key, nonce);
		let signature = sp_io::crypto::sr25519_sign(BENCH_KEY_TYPE, &public, &message)
			.expect("the key was generated in the keystore");

		#[extrinsic_call]
		_(RawOrigin::Signed(requester.clone()), escrow, one_time_key, Some(signature));

		let request = Requests::<T>::get(escrow).expect("the request opened");
		assert!(request.recovery_key_verified);
		assert_eq!((request.requester, request.authorized_by), (requester, Some(issuer)));
		assert_eq!(Releases::<T>::iter_prefix(escrow).count(), 0);
		assert_guesses_ended::<T>(escrow);
		assert_indexed::<T>(escrow, &record.custodians, true);
	}

	#[benchmark]
	fn approve_recovery() {
		// Worst case: the last of every guardian slot, completing the factors.
		set_block::<T>(1);
		let owner = funded::<T>("owner", 0);
		let requester = funded::<T>("requester", 0);
		let escrow = escrow_of::<T>(&owner, T::MaxCustodians::get(), StorageMode::OnChain);
		open_request::<T>(escrow, &requester, false);
		let record = Pallet::<T>::escrow(&escrow).unwrap();
		let issuer = record.policy.authorities[0].clone();
		T::Certificates::authorize_recovery(&issuer, &escrow, &requester);
		Pallet::<T>::attach_authorization(RawOrigin::Signed(requester).into(), escrow).unwrap();
		let (last, others) = record.policy.guardians.split_last().unwrap();
		approve_all::<T>(escrow, others);
		let nonce = Requests::<T>::get(escrow).unwrap().nonce;

		#[extrinsic_call]
		_(RawOrigin::Signed(last.clone()), escrow, nonce);

		assert_last_event::<T>(Event::RecoveryApproved { escrow, release_at: delay::<T>(11) });
	}

	#[benchmark]
	fn attach_authorization() {
		// Worst case: the authorization, found at the last of MaxPolicyAuthorities accepted
		// authorities (the others' records checked and found not counting), completes the
		// factors.
		set_block::<T>(1);
		let owner = funded::<T>("owner", 0);
		let requester = funded::<T>("requester", 0);
		let escrow = escrow_of::<T>(&owner, T::MaxCustodians::get(), StorageMode::OnChain);
		open_request::<T>(escrow, &requester, false);
		let record = Pallet::<T>::escrow(&escrow).unwrap();
		approve_all::<T>(escrow, &record.policy.guardians);
		let issuer = authorize_by_last::<T>(escrow, &requester);

		#[extrinsic_call]
		_(RawOrigin::Signed(requester), escrow);

		assert_eq!(Requests::<T>::get(escrow).unwrap().authorized_by, Some(issuer));
		assert_last_event::<T>(Event::RecoveryApproved { escrow, release_at: delay::<T>(11) });
	}

	#[benchmark]
	fn cancel_recovery() {
		// Worst case: no guess is open, so the MaxCustodians `CustodianWork` entries go.
		set_block::<T>(1);
		let owner = funded::<T>("owner", 0);
		let requester = funded::<T>("requester", 0);
		let escrow = escrow_of::<T>(&owner, T::MaxCustodians::get(), StorageMode::OnChain);
		open_request::<T>(escrow, &requester, true);
		let slots = slots_of::<T>(escrow);
		assert_indexed::<T>(escrow, &slots, true);

		#[extrinsic_call]
		_(RawOrigin::Signed(owner), escrow);

		assert!(!Requests::<T>::contains_key(escrow));
		assert_eq!(FailedAttempts::<T>::get(escrow).map(|a| a.failed), Some(1));
		assert_indexed::<T>(escrow, &slots, false);
	}

	#[benchmark]
	fn release_share() {
		// Worst case: the last custodian's release completes the request.
		let n = T::MaxCustodians::get();
		let (escrow, _) = releasing::<T>(n, n - 1);
		let custodian = Pallet::<T>::escrow(&escrow).unwrap().custodians[n as usize - 1].account.clone();
		let nonce = Requests::<T>::get(escrow).unwrap().nonce;

		#[extrinsic_call]
		_(RawOrigin::Signed(custodian), escrow, nonce, n - 1, release_payload::<T>());

		assert_last_event::<T>(Event::RecoveryCompleted { escrow });
	}

	#[benchmark]
	fn close_recovery() {
		// Worst case: every release to clear, and no guess open, so the MaxCustodians
		// `CustodianWork` entries go.
		let n = T::MaxCustodians::get();
		let (escrow, requester) = releasing::<T>(n, n);
		let slots = slots_of::<T>(escrow);
		assert_indexed::<T>(escrow, &slots, true);

		#[extrinsic_call]
		_(RawOrigin::Signed(requester.clone()), escrow);

		assert_last_event::<T>(Event::RecoveryClosed {
			escrow,
			requester,
			succeeded: true,
			forfeited: false,
		});
		assert_indexed::<T>(escrow, &slots, false);
	}

	#[benchmark]
	fn expire_recovery() {
		// Worst case: releases to clear, a failure to record (fewer than t released), and no
		// guess open, so the MaxCustodians `CustodianWork` entries go.
		let n = T::MaxCustodians::get();
		let (escrow, requester) = releasing::<T>(n, 1);
		let slots = slots_of::<T>(escrow);
		assert_indexed::<T>(escrow, &slots, true);
		let expires_at = Requests::<T>::get(escrow).unwrap().expires_at;
		frame_system::Pallet::<T>::set_block_number(expires_at);
		let caller = funded::<T>("caller", 0);

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), escrow);

		assert!(!Requests::<T>::contains_key(escrow));
		let _ = requester;
		assert_eq!(FailedAttempts::<T>::get(escrow).map(|a| a.failed), Some(1));
		assert_indexed::<T>(escrow, &slots, false);
	}

	#[benchmark]
	fn record_guess() {
		// Worst case: the first work of an escrow with MaxCustodians slots (no request or
		// guess open), so it writes every custodian's `CustodianWork` entry; under a guess
		// limit of 1 it is also the guess that spends the last and locks the escrow.
		set_block::<T>(1);
		let owner = funded::<T>("owner", 0);
		let escrow = escrow_of::<T>(&owner, T::MaxCustodians::get(), StorageMode::OnChain);
		// Written directly: the limit is a number, so the record keeps its size.
		Escrows::<T>::mutate(escrow, |entry| {
			entry.as_mut().expect("the escrow exists").0.policy.max_guesses = 1;
		});
		let slots = slots_of::<T>(escrow);
		assert_indexed::<T>(escrow, &slots, false);
		let guesser = funded::<T>("requester", 0);
		let blinded = H256::repeat_byte(0xb1);

		#[extrinsic_call]
		_(RawOrigin::Signed(guesser), escrow, blinded);

		assert_last_event::<T>(Event::GuessesLocked { escrow });
		assert_eq!(GuessCounters::<T>::get(escrow).used, 1);
		assert_indexed::<T>(escrow, &slots, true);
	}

	#[benchmark]
	fn record_evaluation() {
		// The last custodian of an escrow with MaxCustodians evaluates an open guess.
		set_block::<T>(1);
		let owner = funded::<T>("owner", 0);
		let n = T::MaxCustodians::get();
		let escrow = escrow_of::<T>(&owner, n, StorageMode::OnChain);
		let guesser = funded::<T>("requester", 0);
		Pallet::<T>::record_guess(
			RawOrigin::Signed(guesser).into(),
			escrow,
			H256::repeat_byte(0xb1),
		)
		.unwrap();
		let custodian =
			Pallet::<T>::escrow(&escrow).unwrap().custodians[n as usize - 1].account.clone();

		#[extrinsic_call]
		_(RawOrigin::Signed(custodian.clone()), escrow, 0, n - 1, [0xe7; OPRF_EVALUATION_LEN]);

		assert_last_event::<T>(Event::GuessEvaluated { escrow, guess: 0, index: n - 1, custodian });
	}

	#[benchmark]
	fn unlock_escrow() {
		// Worst case: the last of every guardian's vote reaches the threshold, ends
		// MaxGuessLimit open guesses of different guessers (deposits to the owner), each
		// evaluated by MaxCustodians custodians, removes their `CustodianWork` entries (no
		// request is open), and clears the failed attempts.
		set_block::<T>(1);
		let owner = funded::<T>("owner", 0);
		let escrow = escrow_of::<T>(&owner, T::MaxCustodians::get(), StorageMode::OnChain);
		open_guesses::<T>(escrow, T::MaxGuessLimit::get());
		FailedAttempts::<T>::insert(
			escrow,
			Attempts { failed: T::MaxAttemptLimit::get(), next_allowed: 100u32.into() },
		);
		let record = Pallet::<T>::escrow(&escrow).unwrap();
		let (last, others) = record.policy.guardians.split_last().unwrap();
		for guardian in others {
			Pallet::<T>::unlock_escrow(RawOrigin::Signed(guardian.clone()).into(), escrow).unwrap();
		}
		assert_eq!(UnlockVotes::<T>::get(escrow).len(), others.len());
		assert_indexed::<T>(escrow, &record.custodians, true);

		#[extrinsic_call]
		_(RawOrigin::Signed(last.clone()), escrow);

		assert_last_event::<T>(Event::AttemptsReset { escrow, by: last.clone() });
		assert_guesses_ended::<T>(escrow);
		assert!(!UnlockVotes::<T>::contains_key(escrow));
		assert!(!FailedAttempts::<T>::contains_key(escrow));
		assert_indexed::<T>(escrow, &record.custodians, false);
	}

	#[benchmark]
	fn set_floors() {
		let floors = Floors {
			min_kdf_memory_kib: 2 * 65_536,
			min_kdf_iterations: 4,
			min_delay: 2_400u32.into(),
		};

		#[extrinsic_call]
		_(RawOrigin::Root, floors);

		assert_eq!(Pallet::<T>::floors(), floors);
		assert_last_event::<T>(Event::FloorsSet { floors });
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
