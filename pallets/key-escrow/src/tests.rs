//! Unit tests on the mock runtime: every call's success path, every refusal, the recovery
//! state machine, bounds and deposits.

use crate::{mock::*, *};
use frame::{
	testing_prelude::*,
	traits::fungible::InspectHold,
};
use sp_core::{sr25519, Pair};
use Test as T;

const FINGERPRINT: H256 = H256::repeat_byte(0xf1);
const ONE_TIME_KEY: H256 = H256::repeat_byte(0x77);
const SHARE_LEN: usize = 48;

fn signed(who: u64) -> RuntimeOrigin {
	RuntimeOrigin::signed(who)
}

fn kdf() -> KdfParams {
	KdfParams {
		algorithm: KdfAlgorithm::Argon2id,
		memory_kib: 65_536,
		iterations: 3,
		parallelism: 4,
		salt: [9; 16],
	}
}

/// `n` custodians (accounts 11..), threshold `t`, one share of `SHARE_LEN` bytes each in
/// on-chain mode.
fn split(t: u32, n: u64, mode: StorageMode) -> SplitOf<T> {
	let custodians: Vec<u64> = (0..n).map(custodian).collect();
	let commitments: Vec<H256> = (0..n).map(|i| H256::repeat_byte(0xc0 + i as u8)).collect();
	let shares: Vec<SealedShareOf<T>> = match mode {
		StorageMode::OnChain => (0..n)
			.map(|i| BoundedVec::try_from(vec![i as u8 + 1; SHARE_LEN]).unwrap())
			.collect(),
		StorageMode::CustodianHeld => vec![],
	};
	Split {
		threshold: t,
		custodians: BoundedVec::try_from(custodians).unwrap(),
		commitments: BoundedVec::try_from(commitments).unwrap(),
		kdf: kdf(),
		mode,
		shares: BoundedVec::try_from(shares).unwrap(),
	}
}

fn policy(
	recovery_key: Option<sr25519::Public>,
	guardians: Vec<u64>,
	guardian_threshold: u32,
	authorities: Vec<u64>,
	delay: u64,
) -> PolicyOf<T> {
	RecoveryPolicy {
		recovery_key,
		guardians: BoundedVec::try_from(guardians).unwrap(),
		guardian_threshold,
		authorities: BoundedVec::try_from(authorities).unwrap(),
		delay,
		max_attempts: 3,
	}
}

/// One guardian (threshold 1), delay 2.
fn guardian_policy() -> PolicyOf<T> {
	policy(None, vec![GUARDIAN_A], 1, vec![], 2)
}

fn recovery_pair() -> sr25519::Pair {
	sr25519::Pair::from_seed(&[7; 32])
}

fn id(owner: u64) -> EscrowId {
	custos_primitives::escrow_id(&owner, &FINGERPRINT)
}

/// `owner` escrows the key `fingerprint` with `split` under `policy`; returns the escrow id.
fn create_as(owner: u64, fingerprint: H256, split: SplitOf<T>, policy: PolicyOf<T>) -> EscrowId {
	assert_ok!(KeyEscrow::create_escrow(signed(owner), fingerprint, KeyKind::Sr25519Seed, split, policy));
	custos_primitives::escrow_id(&owner, &fingerprint)
}

/// OWNER escrows a 3-of-5 on-chain split under `policy`.
fn create_with(policy: PolicyOf<T>) -> EscrowId {
	create_as(OWNER, FINGERPRINT, split(3, 5, StorageMode::OnChain), policy)
}

/// `owner` escrows a 2-of-3 custodian-held split under the guardian policy.
fn create_held(owner: u64) -> EscrowId {
	create_as(owner, FINGERPRINT, split(2, 3, StorageMode::CustodianHeld), guardian_policy())
}

fn create() -> EscrowId {
	create_with(guardian_policy())
}

fn initiate(escrow: EscrowId) {
	assert_ok!(KeyEscrow::initiate_recovery(signed(REQUESTER), escrow, ONE_TIME_KEY, None));
}

fn payload(byte: u8) -> ReleasePayloadOf<T> {
	BoundedVec::try_from(vec![byte; 80]).unwrap()
}

fn now() -> u64 {
	System::block_number()
}

fn go_to(block: u64) {
	System::set_block_number(block);
}

fn escrow_hold(who: u64) -> u128 {
	Balances::balance_on_hold(&HoldReason::EscrowStorage.into(), &who)
}

fn request_hold(who: u64) -> u128 {
	Balances::balance_on_hold(&HoldReason::RecoveryRequest.into(), &who)
}

fn has_event(event: Event<T>) -> bool {
	System::events().iter().any(|r| r.event == RuntimeEvent::KeyEscrow(event.clone()))
}

/// Initiates, approves (GUARDIAN_A) and waits out the delay of the guardian policy.
fn make_releasable(escrow: EscrowId) {
	initiate(escrow);
	assert_ok!(KeyEscrow::approve_recovery(signed(GUARDIAN_A), escrow));
	go_to(now() + 2);
	assert!(KeyEscrow::is_releasable(&escrow));
}

// ---------------------------------------------------------------------------------------------
// create_escrow

#[test]
fn create_escrow_on_chain_stores_record_shares_and_deposit() {
	new_test_ext().execute_with(|| {
		let escrow = create();
		let record = KeyEscrow::escrow(&escrow).unwrap();
		assert_eq!(record.owner, OWNER);
		assert_eq!(record.fingerprint, FINGERPRINT);
		assert_eq!(record.threshold, 3);
		assert_eq!(record.generation, 0);
		assert_eq!(record.mode, StorageMode::OnChain);
		assert_eq!(record.custodians.len(), 5);
		for (i, slot) in record.custodians.iter().enumerate() {
			assert_eq!(slot.account, custodian(i as u64));
			assert_eq!(slot.key, custodian_key(custodian(i as u64)));
			assert!(slot.acknowledged);
		}
		for i in 0..5u32 {
			assert_eq!(Shares::<T>::get(escrow, i).unwrap().to_vec(), vec![i as u8 + 1; SHARE_LEN]);
		}
		assert_eq!(Shares::<T>::get(escrow, 5), None);
		assert_eq!(OwnerEscrows::<T>::get(OWNER).to_vec(), vec![escrow]);

		// Deposit: base + every byte kept (record, shares, index entry, attempt record).
		// Five shares of SHARE_LEN bytes, each with a one-byte length prefix.
		assert_eq!(record.share_bytes as usize, 5 * (1 + SHARE_LEN));
		let footprint = KeyEscrow::escrow_footprint(&record);
		assert_eq!(footprint.count, 1);
		assert!(footprint.size as usize > 5 * SHARE_LEN);
		assert_eq!(escrow_hold(OWNER), ITEM_DEPOSIT + footprint.size as u128 * BYTE_DEPOSIT);
		assert_eq!(Balances::free_balance(OWNER), START_BALANCE - escrow_hold(OWNER));

		assert!(has_event(Event::EscrowCreated {
			escrow,
			owner: OWNER,
			threshold: 3,
			custodians: 5,
			mode: StorageMode::OnChain,
		}));
	});
}

#[test]
fn create_escrow_custodian_held_stores_no_shares() {
	new_test_ext().execute_with(|| {
		let escrow = create_held(OWNER);
		let record = KeyEscrow::escrow(&escrow).unwrap();
		assert_eq!(record.mode, StorageMode::CustodianHeld);
		assert!(record.custodians.iter().all(|slot| !slot.acknowledged));
		assert_eq!(Shares::<T>::iter_prefix(escrow).count(), 0);
		// Nobody acknowledged yet: nothing counts.
		assert_eq!(KeyEscrow::health(&escrow).unwrap().live, 0);
	});
}

#[test]
fn create_escrow_refuses_duplicates_and_too_many() {
	new_test_ext().execute_with(|| {
		create();
		assert_noop!(
			KeyEscrow::create_escrow(
				signed(OWNER),
				FINGERPRINT,
				KeyKind::Sr25519Seed,
				split(3, 5, StorageMode::OnChain),
				guardian_policy()
			),
			Error::<T>::EscrowExists
		);
		// MaxEscrowsPerOwner = 2.
		create_as(OWNER, H256::repeat_byte(2), split(2, 2, StorageMode::OnChain), guardian_policy());
		assert_noop!(
			KeyEscrow::create_escrow(
				signed(OWNER),
				H256::repeat_byte(3),
				KeyKind::Sr25519Seed,
				split(2, 2, StorageMode::OnChain),
				guardian_policy()
			),
			Error::<T>::TooManyEscrows
		);
		// Another owner may escrow a key with the same fingerprint: a different id.
		create_as(STRANGER, FINGERPRINT, split(2, 2, StorageMode::OnChain), guardian_policy());
		assert_ne!(id(STRANGER), id(OWNER));
	});
}

fn assert_split_refused(split: SplitOf<T>, error: Error<T>) {
	assert_noop!(
		KeyEscrow::create_escrow(
			signed(OWNER),
			FINGERPRINT,
			KeyKind::Sr25519Seed,
			split,
			guardian_policy()
		),
		error
	);
}

#[test]
fn create_escrow_refuses_bad_splits() {
	new_test_ext().execute_with(|| {
		assert_split_refused(split(1, 3, StorageMode::OnChain), Error::<T>::ThresholdTooLow);
		assert_split_refused(split(4, 3, StorageMode::OnChain), Error::<T>::ThresholdAboveCustodians);

		let mut dup = split(2, 3, StorageMode::OnChain);
		dup.custodians[2] = custodian(0);
		assert_split_refused(dup, Error::<T>::DuplicateCustodian);

		let mut unknown = split(2, 3, StorageMode::OnChain);
		unknown.custodians[1] = STRANGER;
		assert_split_refused(unknown, Error::<T>::CustodianNotCertified);

		revoke(custodian(1));
		assert_split_refused(split(2, 3, StorageMode::OnChain), Error::<T>::CustodianNotCertified);
		certify(custodian(1), custodian_key(custodian(1)), now());
		// Valid until `now` exclusive: already expired.
		assert_split_refused(split(2, 3, StorageMode::OnChain), Error::<T>::CustodianNotCertified);
		certify(custodian(1), custodian_key(custodian(1)), u64::MAX);

		let mut commitments = split(2, 3, StorageMode::OnChain);
		commitments.commitments.pop();
		assert_split_refused(commitments, Error::<T>::CommitmentCountMismatch);

		let mut shares = split(2, 3, StorageMode::OnChain);
		shares.shares.pop();
		assert_split_refused(shares, Error::<T>::ShareCountMismatch);

		let mut empty = split(2, 3, StorageMode::OnChain);
		empty.shares[1] = BoundedVec::new();
		assert_split_refused(empty, Error::<T>::EmptyShare);

		let mut held = split(2, 3, StorageMode::CustodianHeld);
		held.shares = split(2, 3, StorageMode::OnChain).shares;
		assert_split_refused(held, Error::<T>::SharesNotExpected);

		for bad in [
			KdfParams { iterations: 0, ..kdf() },
			KdfParams { parallelism: 0, ..kdf() },
			KdfParams { memory_kib: 31, parallelism: 4, ..kdf() },
		] {
			let mut s = split(2, 3, StorageMode::OnChain);
			s.kdf = bad;
			assert_split_refused(s, Error::<T>::InvalidKdfParams);
		}
	});
}

fn assert_policy_refused(policy: PolicyOf<T>, error: Error<T>) {
	assert_noop!(
		KeyEscrow::create_escrow(
			signed(OWNER),
			FINGERPRINT,
			KeyKind::Sr25519Seed,
			split(2, 3, StorageMode::OnChain),
			policy
		),
		error
	);
}

#[test]
fn create_escrow_refuses_bad_policies() {
	new_test_ext().execute_with(|| {
		// Only a delay: no factor.
		assert_policy_refused(policy(None, vec![], 0, vec![], 100), Error::<T>::NoRecoveryFactor);
		assert_policy_refused(
			policy(None, vec![GUARDIAN_A, GUARDIAN_A], 1, vec![], 2),
			Error::<T>::DuplicateGuardian,
		);
		assert_policy_refused(
			policy(None, vec![GUARDIAN_A], 0, vec![], 2),
			Error::<T>::InvalidGuardianThreshold,
		);
		assert_policy_refused(
			policy(None, vec![GUARDIAN_A], 2, vec![], 2),
			Error::<T>::InvalidGuardianThreshold,
		);
		assert_policy_refused(
			policy(None, vec![], 1, vec![CA], 2),
			Error::<T>::InvalidGuardianThreshold,
		);
		assert_policy_refused(policy(None, vec![], 0, vec![CA, CA], 2), Error::<T>::DuplicateAuthority);
		for max_attempts in [0, 6] {
			let p = RecoveryPolicy { max_attempts, ..guardian_policy() };
			assert_policy_refused(p, Error::<T>::InvalidAttemptLimit);
		}
		// Each factor alone is enough.
		let key = recovery_pair().public();
		for (fingerprint, p) in [
			(1u8, policy(Some(key), vec![], 0, vec![], 0)),
			(2, policy(None, vec![GUARDIAN_A], 1, vec![], 0)),
		] {
			create_as(OWNER, H256::repeat_byte(fingerprint), split(2, 3, StorageMode::OnChain), p);
		}
		create_as(STRANGER, FINGERPRINT, split(2, 3, StorageMode::OnChain), policy(None, vec![], 0, vec![CA], 0));
	});
}

#[test]
fn oversized_input_cannot_even_be_decoded() {
	// Bounded arguments: a call carrying more than the bounds fails to decode, before any
	// code of the pallet runs.
	let too_many: Vec<u64> = (0..=MAX_CUSTODIANS as u64).collect();
	assert!(CustodianAccountsOf::<T>::try_from(too_many.clone()).is_err());
	assert!(CustodianAccountsOf::<T>::decode(&mut &too_many.encode()[..]).is_err());
	let long_share = vec![0u8; MAX_SHARE_LEN as usize + 1];
	assert!(SealedShareOf::<T>::decode(&mut &long_share.encode()[..]).is_err());
	let guardians: Vec<u64> = (0..=MAX_GUARDIANS as u64).collect();
	assert!(GuardiansOf::<T>::decode(&mut &guardians.encode()[..]).is_err());
	let long_release = vec![0u8; 161];
	assert!(ReleasePayloadOf::<T>::decode(&mut &long_release.encode()[..]).is_err());
}

#[test]
fn calls_need_a_signed_origin() {
	new_test_ext().execute_with(|| {
		let escrow = create();
		assert_noop!(KeyEscrow::remove_escrow(RuntimeOrigin::none(), escrow), DispatchError::BadOrigin);
		assert_noop!(KeyEscrow::remove_escrow(RuntimeOrigin::root(), escrow), DispatchError::BadOrigin);
		assert_noop!(
			KeyEscrow::initiate_recovery(RuntimeOrigin::none(), escrow, ONE_TIME_KEY, None),
			DispatchError::BadOrigin
		);
	});
}

// ---------------------------------------------------------------------------------------------
// update_policy, reshare, remove_escrow, reset_attempts

#[test]
fn update_policy_works_and_checks_owner_and_policy() {
	new_test_ext().execute_with(|| {
		let escrow = create();
		let hold_before = escrow_hold(OWNER);
		let new = policy(None, vec![GUARDIAN_A, GUARDIAN_B], 2, vec![CA], 10);
		assert_noop!(
			KeyEscrow::update_policy(signed(STRANGER), escrow, new.clone()),
			Error::<T>::NotOwner
		);
		assert_noop!(
			KeyEscrow::update_policy(signed(OWNER), H256::zero(), new.clone()),
			Error::<T>::UnknownEscrow
		);
		assert_noop!(
			KeyEscrow::update_policy(signed(OWNER), escrow, policy(None, vec![], 0, vec![], 5)),
			Error::<T>::NoRecoveryFactor
		);
		assert_ok!(KeyEscrow::update_policy(signed(OWNER), escrow, new.clone()));
		assert_eq!(KeyEscrow::escrow(&escrow).unwrap().policy, new);
		assert!(has_event(Event::PolicyUpdated { escrow }));
		// A bigger policy costs more deposit, exactly its extra bytes.
		let extra = (new.encoded_size() - guardian_policy().encoded_size()) as u128;
		assert_eq!(escrow_hold(OWNER), hold_before + extra * BYTE_DEPOSIT);
	});
}

#[test]
fn update_policy_cannot_shorten_a_running_delay_but_may_lengthen_it() {
	new_test_ext().execute_with(|| {
		let escrow = create_with(policy(None, vec![GUARDIAN_A], 1, vec![], 10));
		initiate(escrow);
		assert_ok!(KeyEscrow::approve_recovery(signed(GUARDIAN_A), escrow));
		let request = Requests::<T>::get(escrow).unwrap();
		assert_eq!(request.release_at, Some(now() + 10));
		assert_noop!(
			KeyEscrow::update_policy(
				signed(OWNER),
				escrow,
				policy(None, vec![GUARDIAN_A], 1, vec![], 9)
			),
			Error::<T>::CannotShortenRunningDelay
		);
		assert_ok!(KeyEscrow::update_policy(
			signed(OWNER),
			escrow,
			policy(None, vec![GUARDIAN_A], 1, vec![], 15)
		));
		let lengthened = Requests::<T>::get(escrow).unwrap();
		assert_eq!(lengthened.release_at, Some(request.release_at.unwrap() + 5));
		assert_eq!(lengthened.expires_at, request.expires_at + 5);
		go_to(now() + 14);
		assert!(!KeyEscrow::is_releasable(&escrow));
		go_to(now() + 1);
		assert!(KeyEscrow::is_releasable(&escrow));
	});
}

#[test]
fn reshare_replaces_the_split_and_follows_its_size() {
	new_test_ext().execute_with(|| {
		let escrow = create();
		assert_noop!(
			KeyEscrow::reshare(signed(STRANGER), escrow, split(2, 3, StorageMode::OnChain)),
			Error::<T>::NotOwner
		);
		assert_noop!(
			KeyEscrow::reshare(signed(OWNER), escrow, split(1, 3, StorageMode::OnChain)),
			Error::<T>::ThresholdTooLow
		);
		let big_hold = escrow_hold(OWNER);
		assert_ok!(KeyEscrow::reshare(signed(OWNER), escrow, split(2, 3, StorageMode::OnChain)));
		let record = KeyEscrow::escrow(&escrow).unwrap();
		assert_eq!((record.threshold, record.custodians.len(), record.generation), (2, 3, 1));
		assert_eq!(Shares::<T>::iter_prefix(escrow).count(), 3);
		assert!(escrow_hold(OWNER) < big_hold);
		assert!(has_event(Event::EscrowReshared { escrow, generation: 1, threshold: 2, custodians: 3 }));

		// To custodian-held mode: no shares left on chain.
		assert_ok!(KeyEscrow::reshare(signed(OWNER), escrow, split(2, 4, StorageMode::CustodianHeld)));
		assert_eq!(Shares::<T>::iter_prefix(escrow).count(), 0);
		assert_eq!(KeyEscrow::escrow(&escrow).unwrap().generation, 2);

		initiate(escrow);
		assert_noop!(
			KeyEscrow::reshare(signed(OWNER), escrow, split(2, 3, StorageMode::OnChain)),
			Error::<T>::RecoveryInProgress
		);
	});
}

#[test]
fn remove_escrow_returns_every_deposit() {
	new_test_ext().execute_with(|| {
		let escrow = create();
		assert_noop!(KeyEscrow::remove_escrow(signed(STRANGER), escrow), Error::<T>::NotOwner);
		assert_noop!(KeyEscrow::remove_escrow(signed(OWNER), H256::zero()), Error::<T>::UnknownEscrow);

		// A full successful recovery in between.
		make_releasable(escrow);
		assert_noop!(KeyEscrow::remove_escrow(signed(OWNER), escrow), Error::<T>::RecoveryInProgress);
		for i in 0..3 {
			assert_ok!(KeyEscrow::release_share(signed(custodian(i)), escrow, i as u32, payload(1)));
		}
		assert_ok!(KeyEscrow::close_recovery(signed(REQUESTER), escrow));

		assert_ok!(KeyEscrow::remove_escrow(signed(OWNER), escrow));
		assert!(has_event(Event::EscrowRemoved { escrow }));
		assert_eq!(KeyEscrow::escrow(&escrow), None);
		assert_eq!(Shares::<T>::iter_prefix(escrow).count(), 0);
		assert!(!OwnerEscrows::<T>::contains_key(OWNER));
		assert!(!FailedAttempts::<T>::contains_key(escrow));
		for who in [OWNER, REQUESTER, GUARDIAN_A] {
			assert_eq!(Balances::free_balance(who), START_BALANCE, "account {who}");
			assert_eq!(Balances::total_balance_on_hold(&who), 0, "account {who}");
		}
		for i in 0..5 {
			assert_eq!(Balances::free_balance(custodian(i)), START_BALANCE);
		}
		// The owner may escrow the same key again.
		create();
	});
}

#[test]
fn reset_attempts_is_for_the_owner() {
	new_test_ext().execute_with(|| {
		let escrow = create();
		initiate(escrow);
		assert_ok!(KeyEscrow::cancel_recovery(signed(OWNER), escrow));
		assert_eq!(FailedAttempts::<T>::get(escrow).unwrap().failed, 1);
		assert_noop!(KeyEscrow::reset_attempts(signed(STRANGER), escrow), Error::<T>::NotOwner);
		assert_ok!(KeyEscrow::reset_attempts(signed(OWNER), escrow));
		assert!(!FailedAttempts::<T>::contains_key(escrow));
		assert!(has_event(Event::AttemptsReset { escrow }));
		// No back-off any more.
		initiate(escrow);
	});
}

// ---------------------------------------------------------------------------------------------
// acknowledge_share

#[test]
fn acknowledge_share_works_and_refuses() {
	new_test_ext().execute_with(|| {
		let on_chain = create();
		assert_noop!(
			KeyEscrow::acknowledge_share(signed(custodian(0)), on_chain, 0),
			Error::<T>::NotCustodianHeld
		);
		let escrow = create_held(STRANGER);
		assert_noop!(
			KeyEscrow::acknowledge_share(signed(custodian(0)), H256::zero(), 0),
			Error::<T>::UnknownEscrow
		);
		assert_noop!(
			KeyEscrow::acknowledge_share(signed(custodian(0)), escrow, 3),
			Error::<T>::UnknownShare
		);
		assert_noop!(
			KeyEscrow::acknowledge_share(signed(custodian(1)), escrow, 0),
			Error::<T>::NotThisCustodian
		);
		revoke(custodian(2));
		assert_noop!(
			KeyEscrow::acknowledge_share(signed(custodian(2)), escrow, 2),
			Error::<T>::CustodianNotCertified
		);
		assert_ok!(KeyEscrow::acknowledge_share(signed(custodian(0)), escrow, 0));
		assert!(has_event(Event::ShareAcknowledged { escrow, index: 0, custodian: custodian(0) }));
		assert!(KeyEscrow::escrow(&escrow).unwrap().custodians[0].acknowledged);
		assert_noop!(
			KeyEscrow::acknowledge_share(signed(custodian(0)), escrow, 0),
			Error::<T>::AlreadyAcknowledged
		);
		assert_eq!(KeyEscrow::health(&escrow).unwrap().live, 1);
	});
}

// ---------------------------------------------------------------------------------------------
// initiate_recovery

#[test]
fn initiate_recovery_holds_the_deposit_and_opens_one_request() {
	new_test_ext().execute_with(|| {
		let escrow = create();
		assert_noop!(
			KeyEscrow::initiate_recovery(signed(REQUESTER), H256::zero(), ONE_TIME_KEY, None),
			Error::<T>::UnknownEscrow
		);
		initiate(escrow);
		assert_eq!(request_hold(REQUESTER), RECOVERY_DEPOSIT);
		let request = Requests::<T>::get(escrow).unwrap();
		assert_eq!(request.requester, REQUESTER);
		assert_eq!(request.one_time_key, ONE_TIME_KEY);
		assert_eq!(request.release_at, None);
		assert_eq!(request.expires_at, 1 + 2 + REQUEST_LIFETIME);
		assert_eq!(KeyEscrow::request_phase(&escrow), Some(RequestPhase::AwaitingApproval));
		assert!(has_event(Event::RecoveryInitiated {
			escrow,
			requester: REQUESTER,
			one_time_key: ONE_TIME_KEY,
			expires_at: request.expires_at,
		}));
		assert_noop!(
			KeyEscrow::initiate_recovery(signed(STRANGER), escrow, ONE_TIME_KEY, None),
			Error::<T>::RequestAlreadyOpen
		);
	});
}

#[test]
fn initiate_recovery_needs_funds_for_the_deposit() {
	new_test_ext().execute_with(|| {
		let escrow = create();
		let poor = 99;
		assert_ok!(Balances::force_set_balance(RuntimeOrigin::root(), poor, RECOVERY_DEPOSIT / 2));
		assert!(KeyEscrow::initiate_recovery(signed(poor), escrow, ONE_TIME_KEY, None).is_err());
		assert!(!Requests::<T>::contains_key(escrow));
	});
}

#[test]
fn recovery_key_signature_is_required_and_bound_to_requester_and_key() {
	new_test_ext().execute_with(|| {
		let pair = recovery_pair();
		let escrow = create_with(policy(Some(pair.public()), vec![], 0, vec![], 2));
		assert_noop!(
			KeyEscrow::initiate_recovery(signed(REQUESTER), escrow, ONE_TIME_KEY, None),
			Error::<T>::MissingRecoverySignature
		);
		let message = custos_primitives::recovery_request_message(&escrow, &REQUESTER, &ONE_TIME_KEY);
		let signature = pair.sign(&message);
		// Someone else replaying the signature, or swapping the one-time key, is refused.
		assert_noop!(
			KeyEscrow::initiate_recovery(signed(STRANGER), escrow, ONE_TIME_KEY, Some(signature)),
			Error::<T>::BadRecoverySignature
		);
		assert_noop!(
			KeyEscrow::initiate_recovery(
				signed(REQUESTER),
				escrow,
				H256::repeat_byte(1),
				Some(signature)
			),
			Error::<T>::BadRecoverySignature
		);
		let wrong_key = sr25519::Pair::from_seed(&[8; 32]).sign(&message);
		assert_noop!(
			KeyEscrow::initiate_recovery(signed(REQUESTER), escrow, ONE_TIME_KEY, Some(wrong_key)),
			Error::<T>::BadRecoverySignature
		);
		assert_ok!(KeyEscrow::initiate_recovery(
			signed(REQUESTER),
			escrow,
			ONE_TIME_KEY,
			Some(signature)
		));
		// The recovery key is the only factor: approved at once, the delay runs.
		let request = Requests::<T>::get(escrow).unwrap();
		assert!(request.recovery_key_verified);
		assert_eq!(request.release_at, Some(now() + 2));
		assert!(has_event(Event::RecoveryApproved { escrow, release_at: now() + 2 }));
		assert_eq!(KeyEscrow::request_phase(&escrow), Some(RequestPhase::Delay { release_at: now() + 2 }));
	});
}

// ---------------------------------------------------------------------------------------------
// approve_recovery, attach_authorization

#[test]
fn guardians_approve_up_to_their_threshold() {
	new_test_ext().execute_with(|| {
		let escrow = create_with(policy(None, vec![GUARDIAN_A, GUARDIAN_B], 2, vec![], 3));
		assert_noop!(
			KeyEscrow::approve_recovery(signed(GUARDIAN_A), escrow),
			Error::<T>::NoOpenRequest
		);
		assert_noop!(
			KeyEscrow::approve_recovery(signed(GUARDIAN_A), H256::zero()),
			Error::<T>::UnknownEscrow
		);
		initiate(escrow);
		assert_noop!(KeyEscrow::approve_recovery(signed(STRANGER), escrow), Error::<T>::NotGuardian);
		assert_ok!(KeyEscrow::approve_recovery(signed(GUARDIAN_A), escrow));
		assert!(has_event(Event::RecoveryApprovedByGuardian { escrow, guardian: GUARDIAN_A }));
		assert_noop!(
			KeyEscrow::approve_recovery(signed(GUARDIAN_A), escrow),
			Error::<T>::AlreadyApproved
		);
		assert_eq!(Requests::<T>::get(escrow).unwrap().release_at, None);
		go_to(4);
		assert_ok!(KeyEscrow::approve_recovery(signed(GUARDIAN_B), escrow));
		// The delay counts from the approval that completed the factors.
		assert_eq!(Requests::<T>::get(escrow).unwrap().release_at, Some(7));
		assert!(has_event(Event::RecoveryApproved { escrow, release_at: 7 }));
	});
}

#[test]
fn approvals_after_expiry_are_refused() {
	new_test_ext().execute_with(|| {
		let escrow = create();
		initiate(escrow);
		go_to(Requests::<T>::get(escrow).unwrap().expires_at);
		assert_eq!(KeyEscrow::request_phase(&escrow), Some(RequestPhase::Expired));
		assert_noop!(
			KeyEscrow::approve_recovery(signed(GUARDIAN_A), escrow),
			Error::<T>::NotReleasable
		);
		assert_noop!(KeyEscrow::attach_authorization(signed(REQUESTER), escrow), Error::<T>::NotReleasable);
	});
}

#[test]
fn authorizations_from_accepted_authorities_are_attached() {
	new_test_ext().execute_with(|| {
		let escrow = create_with(policy(None, vec![GUARDIAN_A], 1, vec![CA], 2));
		assert_noop!(KeyEscrow::attach_authorization(signed(REQUESTER), escrow), Error::<T>::NoOpenRequest);
		assert_noop!(
			KeyEscrow::attach_authorization(signed(REQUESTER), H256::zero()),
			Error::<T>::UnknownEscrow
		);
		initiate(escrow);
		assert_noop!(KeyEscrow::attach_authorization(signed(REQUESTER), escrow), Error::<T>::NoAuthorization);
		// An authorization for another requester, or an expired one, does not count.
		authorize(CA, escrow, STRANGER, 100);
		assert_noop!(KeyEscrow::attach_authorization(signed(REQUESTER), escrow), Error::<T>::NoAuthorization);
		authorize(CA, escrow, REQUESTER, now());
		assert_noop!(KeyEscrow::attach_authorization(signed(REQUESTER), escrow), Error::<T>::NoAuthorization);
		// From an authority the owner did not accept.
		authorize(STRANGER, escrow, REQUESTER, 100);
		assert_noop!(
			KeyEscrow::attach_authorization(signed(REQUESTER), escrow),
			Error::<T>::AuthorityNotAccepted
		);
		authorize(CA, escrow, REQUESTER, 100);
		assert_ok!(KeyEscrow::approve_recovery(signed(GUARDIAN_A), escrow));
		// Guardians alone are not enough when the policy needs an authority too.
		assert_eq!(Requests::<T>::get(escrow).unwrap().release_at, None);
		// Anyone may submit the authorization.
		assert_ok!(KeyEscrow::attach_authorization(signed(STRANGER), escrow));
		assert!(has_event(Event::AuthorizationAttached { escrow, issuer: CA }));
		assert_eq!(Requests::<T>::get(escrow).unwrap().release_at, Some(now() + 2));
		assert_noop!(
			KeyEscrow::attach_authorization(signed(REQUESTER), escrow),
			Error::<T>::AlreadyAuthorized
		);
	});
}

#[test]
fn attach_authorization_is_refused_when_the_policy_takes_none() {
	new_test_ext().execute_with(|| {
		let escrow = create();
		initiate(escrow);
		authorize(CA, escrow, REQUESTER, 100);
		assert_noop!(
			KeyEscrow::attach_authorization(signed(REQUESTER), escrow),
			Error::<T>::AuthorizationNotRequired
		);
	});
}

// ---------------------------------------------------------------------------------------------
// The whole state machine

#[test]
fn full_recovery_approve_delay_release_complete_close() {
	new_test_ext().execute_with(|| {
		let pair = recovery_pair();
		let escrow = create_with(policy(Some(pair.public()), vec![GUARDIAN_A, GUARDIAN_B], 1, vec![CA], 2));
		let message = custos_primitives::recovery_request_message(&escrow, &REQUESTER, &ONE_TIME_KEY);
		assert_ok!(KeyEscrow::initiate_recovery(
			signed(REQUESTER),
			escrow,
			ONE_TIME_KEY,
			Some(pair.sign(&message))
		));
		assert_eq!(KeyEscrow::request_phase(&escrow), Some(RequestPhase::AwaitingApproval));
		assert_noop!(
			KeyEscrow::release_share(signed(custodian(0)), escrow, 0, payload(1)),
			Error::<T>::NotReleasable
		);
		assert_ok!(KeyEscrow::approve_recovery(signed(GUARDIAN_B), escrow));
		authorize(CA, escrow, REQUESTER, 100);
		go_to(2);
		assert_ok!(KeyEscrow::attach_authorization(signed(REQUESTER), escrow));
		assert_eq!(KeyEscrow::request_phase(&escrow), Some(RequestPhase::Delay { release_at: 4 }));
		go_to(3);
		assert_noop!(
			KeyEscrow::release_share(signed(custodian(0)), escrow, 0, payload(1)),
			Error::<T>::NotReleasable
		);
		go_to(4);
		assert_eq!(KeyEscrow::request_phase(&escrow), Some(RequestPhase::Releasable));
		assert!(KeyEscrow::is_releasable(&escrow));
		for i in 0..5u32 {
			assert_ok!(KeyEscrow::release_share(signed(custodian(i as u64)), escrow, i, payload(i as u8)));
			assert!(has_event(Event::ShareReleased { escrow, index: i, custodian: custodian(i as u64) }));
		}
		assert!(has_event(Event::RecoveryCompleted { escrow }));
		assert_eq!(KeyEscrow::request_phase(&escrow), Some(RequestPhase::Completed));
		assert!(!KeyEscrow::is_releasable(&escrow));
		let releases = KeyEscrow::releases(&escrow);
		assert_eq!(releases.len(), 5);
		assert_eq!(releases[3].1.payload.to_vec(), vec![3u8; 80]);
		assert_eq!(releases[3].1.custodian, custodian(3));
		assert_eq!(releases[3].1.at, 4);

		assert_noop!(KeyEscrow::close_recovery(signed(STRANGER), escrow), Error::<T>::NotRequester);
		assert_ok!(KeyEscrow::close_recovery(signed(REQUESTER), escrow));
		assert!(has_event(Event::RecoveryClosed { escrow, requester: REQUESTER, succeeded: true }));
		assert!(!Requests::<T>::contains_key(escrow));
		assert!(KeyEscrow::releases(&escrow).is_empty());
		assert_eq!(request_hold(REQUESTER), 0);
		assert_eq!(Balances::free_balance(REQUESTER), START_BALANCE);
		assert_eq!(KeyEscrow::request_phase(&escrow), None);
	});
}

#[test]
fn release_share_refusals() {
	new_test_ext().execute_with(|| {
		let escrow = create();
		assert_noop!(
			KeyEscrow::release_share(signed(custodian(0)), escrow, 0, payload(1)),
			Error::<T>::NoOpenRequest
		);
		assert_noop!(
			KeyEscrow::release_share(signed(custodian(0)), H256::zero(), 0, payload(1)),
			Error::<T>::UnknownEscrow
		);
		make_releasable(escrow);
		assert_noop!(
			KeyEscrow::release_share(signed(custodian(0)), escrow, 5, payload(1)),
			Error::<T>::UnknownShare
		);
		assert_noop!(
			KeyEscrow::release_share(signed(custodian(1)), escrow, 0, payload(1)),
			Error::<T>::NotThisCustodian
		);
		assert_noop!(
			KeyEscrow::release_share(signed(custodian(0)), escrow, 0, BoundedVec::new()),
			Error::<T>::EmptyPayload
		);
		// Revoked, then expired, custodians are refused.
		revoke(custodian(0));
		assert_noop!(
			KeyEscrow::release_share(signed(custodian(0)), escrow, 0, payload(1)),
			Error::<T>::CustodianNotCertified
		);
		certify(custodian(1), custodian_key(custodian(1)), now());
		assert_noop!(
			KeyEscrow::release_share(signed(custodian(1)), escrow, 1, payload(1)),
			Error::<T>::CustodianNotCertified
		);
		assert_ok!(KeyEscrow::release_share(signed(custodian(2)), escrow, 2, payload(1)));
		assert_noop!(
			KeyEscrow::release_share(signed(custodian(2)), escrow, 2, payload(2)),
			Error::<T>::AlreadyReleased
		);
		// After expiry.
		go_to(Requests::<T>::get(escrow).unwrap().expires_at);
		assert_noop!(
			KeyEscrow::release_share(signed(custodian(3)), escrow, 3, payload(1)),
			Error::<T>::NotReleasable
		);
	});
}

#[test]
fn pending_releases_lists_what_a_custodian_may_release_now() {
	new_test_ext().execute_with(|| {
		let escrow = create();
		let held = create_held(STRANGER);
		assert_ok!(KeyEscrow::acknowledge_share(signed(custodian(0)), held, 0));
		// No request yet, then a request still in its delay: nothing to release.
		assert!(KeyEscrow::pending_releases(&custodian(0)).is_empty());
		initiate(escrow);
		assert_ok!(KeyEscrow::approve_recovery(signed(GUARDIAN_A), escrow));
		assert_ok!(KeyEscrow::initiate_recovery(signed(REQUESTER), held, ONE_TIME_KEY, None));
		assert_ok!(KeyEscrow::approve_recovery(signed(GUARDIAN_A), held));
		assert!(KeyEscrow::pending_releases(&custodian(0)).is_empty());
		go_to(now() + 2);
		let mut pending = KeyEscrow::pending_releases(&custodian(0));
		pending.sort();
		let mut expected = vec![(escrow, 0), (held, 0)];
		expected.sort();
		assert_eq!(pending, expected);
		// An unacknowledged custodian-held slot is not listed.
		assert_eq!(KeyEscrow::pending_releases(&custodian(1)), vec![(escrow, 1)]);
		// Released shares drop out; a custodian not named lists nothing.
		assert_ok!(KeyEscrow::release_share(signed(custodian(0)), escrow, 0, payload(1)));
		assert_eq!(KeyEscrow::pending_releases(&custodian(0)), vec![(held, 0)]);
		assert!(KeyEscrow::pending_releases(&OWNER).is_empty());
		// A revoked custodian lists nothing.
		revoke(custodian(1));
		assert!(KeyEscrow::pending_releases(&custodian(1)).is_empty());
	});
}

#[test]
fn custodian_held_shares_must_be_acknowledged_before_release() {
	new_test_ext().execute_with(|| {
		let escrow = create_held(OWNER);
		for i in 0..2u32 {
			assert_ok!(KeyEscrow::acknowledge_share(signed(custodian(i as u64)), escrow, i));
		}
		make_releasable(escrow);
		assert_noop!(
			KeyEscrow::release_share(signed(custodian(2)), escrow, 2, payload(1)),
			Error::<T>::ShareNotHeld
		);
		for i in 0..2u32 {
			assert_ok!(KeyEscrow::release_share(signed(custodian(i as u64)), escrow, i, payload(1)));
		}
		assert_ok!(KeyEscrow::close_recovery(signed(REQUESTER), escrow));
		assert!(has_event(Event::RecoveryClosed { escrow, requester: REQUESTER, succeeded: true }));
	});
}

#[test]
fn owner_cancel_inside_the_delay_pays_the_owner_and_counts_a_failure() {
	new_test_ext().execute_with(|| {
		let escrow = create();
		assert_noop!(KeyEscrow::cancel_recovery(signed(OWNER), escrow), Error::<T>::NoOpenRequest);
		initiate(escrow);
		assert_ok!(KeyEscrow::approve_recovery(signed(GUARDIAN_A), escrow));
		assert_noop!(KeyEscrow::cancel_recovery(signed(REQUESTER), escrow), Error::<T>::NotOwner);
		let owner_free = Balances::free_balance(OWNER);
		go_to(2); // inside the delay (release at 3)
		assert_ok!(KeyEscrow::cancel_recovery(signed(OWNER), escrow));
		assert_eq!(Balances::free_balance(OWNER), owner_free + RECOVERY_DEPOSIT);
		assert_eq!(Balances::total_balance(&REQUESTER), START_BALANCE - RECOVERY_DEPOSIT);
		assert_eq!(request_hold(REQUESTER), 0);
		assert!(!Requests::<T>::contains_key(escrow));
		assert!(has_event(Event::RecoveryCancelled { escrow, requester: REQUESTER }));
		assert!(has_event(Event::RecoveryAttemptFailed { escrow, failed: 1, next_allowed: 2 + BASE_BACKOFF }));
		// Nothing can be released to a cancelled request.
		go_to(10);
		assert_noop!(
			KeyEscrow::release_share(signed(custodian(0)), escrow, 0, payload(1)),
			Error::<T>::NoOpenRequest
		);
	});
}

#[test]
fn owner_cannot_cancel_after_the_delay() {
	new_test_ext().execute_with(|| {
		let escrow = create();
		make_releasable(escrow);
		assert_noop!(KeyEscrow::cancel_recovery(signed(OWNER), escrow), Error::<T>::DelayElapsed);
	});
}

#[test]
fn stale_requests_expire_and_count_as_failures() {
	new_test_ext().execute_with(|| {
		let escrow = create();
		initiate(escrow);
		let expires_at = Requests::<T>::get(escrow).unwrap().expires_at;
		go_to(expires_at - 1);
		assert_noop!(KeyEscrow::expire_recovery(signed(STRANGER), escrow), Error::<T>::NotExpired);
		go_to(expires_at);
		assert_ok!(KeyEscrow::expire_recovery(signed(STRANGER), escrow));
		assert!(has_event(Event::RecoveryClosed { escrow, requester: REQUESTER, succeeded: false }));
		assert_eq!(FailedAttempts::<T>::get(escrow).unwrap().failed, 1);
		assert_eq!(Balances::free_balance(REQUESTER), START_BALANCE);
		assert_noop!(KeyEscrow::expire_recovery(signed(STRANGER), escrow), Error::<T>::NoOpenRequest);
	});
}

#[test]
fn an_expired_request_with_threshold_releases_succeeded() {
	new_test_ext().execute_with(|| {
		let escrow = create();
		make_releasable(escrow);
		for i in 0..3u32 {
			assert_ok!(KeyEscrow::release_share(signed(custodian(i as u64)), escrow, i, payload(1)));
		}
		go_to(Requests::<T>::get(escrow).unwrap().expires_at);
		assert_ok!(KeyEscrow::expire_recovery(signed(STRANGER), escrow));
		assert!(has_event(Event::RecoveryClosed { escrow, requester: REQUESTER, succeeded: true }));
		assert!(!FailedAttempts::<T>::contains_key(escrow));
	});
}

#[test]
fn failed_attempts_back_off_doubling_up_to_the_limit() {
	new_test_ext().execute_with(|| {
		let escrow = create(); // max_attempts 3
		let mut expected_backoff = BASE_BACKOFF;
		for failed in 1..=3u32 {
			initiate(escrow);
			assert_ok!(KeyEscrow::close_recovery(signed(REQUESTER), escrow));
			let attempts = FailedAttempts::<T>::get(escrow).unwrap();
			assert_eq!(attempts.failed, failed);
			assert_eq!(attempts.next_allowed, now() + expected_backoff);
			if failed < 3 {
				go_to(attempts.next_allowed - 1);
				assert_noop!(
					KeyEscrow::initiate_recovery(signed(REQUESTER), escrow, ONE_TIME_KEY, None),
					Error::<T>::BackoffActive
				);
				go_to(attempts.next_allowed);
			}
			expected_backoff *= 2;
		}
		go_to(now() + 1_000);
		assert_noop!(
			KeyEscrow::initiate_recovery(signed(REQUESTER), escrow, ONE_TIME_KEY, None),
			Error::<T>::AttemptLimitReached
		);
		assert_ok!(KeyEscrow::reset_attempts(signed(OWNER), escrow));
		initiate(escrow);
	});
}

// ---------------------------------------------------------------------------------------------
// Health

#[test]
fn health_counts_live_custodians_with_unchanged_keys() {
	new_test_ext().execute_with(|| {
		let escrow = create(); // 3 of 5, margin 1
		let health = KeyEscrow::health(&escrow).unwrap();
		assert_eq!((health.threshold, health.custodians, health.live), (3, 5, 5));
		assert!(!health.at_risk && !health.unrecoverable);

		revoke(custodian(0));
		certify(custodian(1), H256::repeat_byte(0xee), u64::MAX); // re-certified with a new key
		let health = KeyEscrow::health(&escrow).unwrap();
		assert_eq!(health.live, 3);
		assert!(health.at_risk && !health.unrecoverable);

		certify(custodian(2), custodian_key(custodian(2)), 10);
		go_to(10);
		let health = KeyEscrow::health(&escrow).unwrap();
		assert_eq!(health.live, 2);
		assert!(health.at_risk && health.unrecoverable);
		assert_eq!(KeyEscrow::health(&H256::zero()), None);
	});
}

// ---------------------------------------------------------------------------------------------
// Coverage of the error enum

#[test]
fn every_error_variant_is_exercised_by_a_test() {
	use scale_info::{TypeDef, TypeInfo};
	let TypeDef::Variant(errors) = Error::<T>::type_info().type_def else {
		panic!("Error is an enum")
	};
	let source = include_str!("tests.rs");
	let missing: Vec<&str> = errors
		.variants
		.iter()
		.map(|v| v.name)
		.filter(|name| !source.contains(&format!("Error::<T>::{name})")) &&
			!source.contains(&format!("Error::<T>::{name},")) &&
			!source.contains(&format!("Error::<T>::{name}\n")))
		.collect();
	assert!(missing.is_empty(), "errors never asserted in tests: {missing:?}");
}
