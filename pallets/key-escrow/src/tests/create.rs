//! `create_escrow`: what it stores and holds, and its checks of the split and the policy.

use super::*;

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
		assert_eq!(record.recovery_key, recovery_pair().public());
		assert_eq!(record.custodians.len(), 5);
		for (i, slot) in record.custodians.iter().enumerate() {
			assert_eq!(slot.account, custodian(i as u64));
			assert_eq!(slot.key, custodian_key(custodian(i as u64)));
			assert_eq!(slot.oprf_key, oprf_key(i as u64));
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
		create_as(
			OWNER,
			H256::repeat_byte(2),
			split(2, 2, StorageMode::OnChain),
			guardian_policy(),
		);
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
		assert_split_refused(
			split(4, 3, StorageMode::OnChain),
			Error::<T>::ThresholdAboveCustodians,
		);

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
		assert_policy_refused(policy(false, vec![], 0, vec![], 100), Error::<T>::NoRecoveryFactor);
		assert_policy_refused(
			policy(false, vec![GUARDIAN_A, GUARDIAN_A], 1, vec![], 2),
			Error::<T>::DuplicateGuardian,
		);
		assert_policy_refused(
			policy(false, vec![GUARDIAN_A], 0, vec![], 2),
			Error::<T>::InvalidGuardianThreshold,
		);
		assert_policy_refused(
			policy(false, vec![GUARDIAN_A], 2, vec![], 2),
			Error::<T>::InvalidGuardianThreshold,
		);
		assert_policy_refused(
			policy(false, vec![], 1, vec![CA], 2),
			Error::<T>::InvalidGuardianThreshold,
		);
		assert_policy_refused(
			policy(false, vec![], 0, vec![CA, CA], 2),
			Error::<T>::DuplicateAuthority,
		);
		for max_attempts in [0, 6] {
			let p = RecoveryPolicy { max_attempts, ..guardian_policy() };
			assert_policy_refused(p, Error::<T>::InvalidAttemptLimit);
		}
		// Each factor alone is enough.
		for (fingerprint, p) in [
			(1u8, policy(true, vec![], 0, vec![], 0)),
			(2, policy(false, vec![GUARDIAN_A], 1, vec![], 0)),
		] {
			create_as(OWNER, H256::repeat_byte(fingerprint), split(2, 3, StorageMode::OnChain), p);
		}
		create_as(
			STRANGER,
			FINGERPRINT,
			split(2, 3, StorageMode::OnChain),
			policy(false, vec![], 0, vec![CA], 0),
		);
	});
}
