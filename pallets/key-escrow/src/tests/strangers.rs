//! Issue 11: the attacks (a) to (e) that succeeded before its fix, now refused or harmless.
//! Requests that satisfied no factor cost their opener and never the owner, and give way to
//! requests that bring one; approvals and releases name their request; guardians and
//! authorities unlock the attempts as well as the guesses; a re-split may replace the policy
//! in the same call.

use super::*;
use frame::deps::sp_runtime::traits::Dispatchable;

/// The passphrase factor is not required, one guardian (threshold 1) and CA accepted, delay 2.
fn authority_policy() -> PolicyOf<T> {
	policy(false, vec![GUARDIAN_A], 1, vec![CA], 2)
}

/// `requester` opens a request carrying a valid recovery-key signature.
fn initiate_signed(escrow: EscrowId, requester: u64) {
	let signature = sign_request(&recovery_pair(), escrow, requester, ONE_TIME_KEY);
	assert_ok!(KeyEscrow::initiate_recovery(
		signed(requester),
		escrow,
		ONE_TIME_KEY,
		Some(signature)
	));
}

/// A release stored for the open request of `escrow` by custodian 0 (no request without a
/// factor can get one; written directly to check that displacing a request removes them).
fn plant_release(escrow: EscrowId) {
	Releases::<T>::insert(
		escrow,
		0,
		ReleaseOf::<T> { custodian: custodian(0), at: now(), payload: payload(0x5e) },
	);
}

/// Attack (a): a stranger opens and closes requests under a guardian-only policy, twice the
/// attempt limit: every deposit goes to the owner, `RecoveryClosed` says `forfeited`, no
/// failed attempt or back-off is ever written, and the owner's request then succeeds.
#[test]
fn a_strangers_rounds_forfeit_their_deposits_and_never_count() {
	new_test_ext().execute_with(|| {
		let escrow = create(); // guardian-only policy, max_attempts 3
		let rounds = 2 * KeyEscrow::escrow(&escrow).unwrap().policy.max_attempts;
		let owner_free = Balances::free_balance(OWNER);
		for round in 1..=rounds {
			assert_ok!(KeyEscrow::initiate_recovery(signed(STRANGER), escrow, ONE_TIME_KEY, None));
			assert_ok!(KeyEscrow::close_recovery(signed(STRANGER), escrow));
			System::assert_last_event(RuntimeEvent::KeyEscrow(Event::RecoveryClosed {
				escrow,
				requester: STRANGER,
				succeeded: false,
				forfeited: true,
			}));
			assert!(!FailedAttempts::<T>::contains_key(escrow));
			assert_eq!(request_hold(STRANGER), 0);
			let paid = round as u128 * RECOVERY_DEPOSIT;
			assert_eq!(Balances::total_balance(&STRANGER), START_BALANCE - paid);
			assert_eq!(Balances::free_balance(OWNER), owner_free + paid);
		}
		assert!(!System::events().iter().any(|r| matches!(
			r.event,
			RuntimeEvent::KeyEscrow(Event::RecoveryAttemptFailed { .. })
		)));

		// The owner (on a new device, REQUESTER) recovers at once: no limit, no back-off.
		make_releasable(escrow);
		let nonce = open_nonce(escrow);
		assert_eq!(nonce, rounds);
		for i in 0..3u32 {
			assert_ok!(KeyEscrow::release_share(
				signed(custodian(i as u64)),
				escrow,
				nonce,
				i,
				payload(1)
			));
		}
		assert_ok!(KeyEscrow::close_recovery(signed(REQUESTER), escrow));
		assert!(has_event(Event::RecoveryClosed {
			escrow,
			requester: REQUESTER,
			succeeded: true,
			forfeited: false,
		}));
		assert_eq!(Balances::free_balance(REQUESTER), START_BALANCE);
	});
}

/// A stranger's request that nobody closes and that expires: whoever expires it, the deposit
/// goes to the owner and no failed attempt is recorded.
#[test]
fn an_expired_factorless_request_forfeits_its_deposit_without_counting() {
	new_test_ext().execute_with(|| {
		let escrow = create();
		assert_ok!(KeyEscrow::initiate_recovery(signed(STRANGER), escrow, ONE_TIME_KEY, None));
		let owner_free = Balances::free_balance(OWNER);
		go_to(Requests::<T>::get(escrow).unwrap().expires_at);
		assert_ok!(KeyEscrow::expire_recovery(signed(REQUESTER), escrow));
		assert!(has_event(Event::RecoveryClosed {
			escrow,
			requester: STRANGER,
			succeeded: false,
			forfeited: true,
		}));
		assert_eq!(Balances::free_balance(OWNER), owner_free + RECOVERY_DEPOSIT);
		assert_eq!(Balances::total_balance(&STRANGER), START_BALANCE - RECOVERY_DEPOSIT);
		assert!(!FailedAttempts::<T>::contains_key(escrow));
		initiate(escrow);
	});
}

/// Attack (b): a stranger's factorless request no longer blocks a requester with a valid
/// recovery signature: it is displaced (deposit to the owner, releases removed,
/// `RecoveryDisplaced`), and the signed request opens with the next nonce.
#[test]
fn a_signed_request_displaces_a_strangers_factorless_request() {
	new_test_ext().execute_with(|| {
		let escrow = create();
		assert_ok!(KeyEscrow::initiate_recovery(signed(STRANGER), escrow, ONE_TIME_KEY, None));
		plant_release(escrow);
		let owner_free = Balances::free_balance(OWNER);

		initiate_signed(escrow, REQUESTER);
		assert!(has_event(Event::RecoveryDisplaced { escrow, requester: STRANGER }));
		assert_eq!(Balances::free_balance(OWNER), owner_free + RECOVERY_DEPOSIT);
		assert_eq!(request_hold(STRANGER), 0);
		assert_eq!(Balances::total_balance(&STRANGER), START_BALANCE - RECOVERY_DEPOSIT);
		assert!(KeyEscrow::releases(&escrow).is_empty());
		let request = Requests::<T>::get(escrow).unwrap();
		assert_eq!((request.requester, request.nonce), (REQUESTER, 1));
		assert!(request.recovery_key_verified);
		assert_eq!(request_hold(REQUESTER), RECOVERY_DEPOSIT);
		assert_eq!(RequestNonces::<T>::get(escrow), 2);
		// Displacing is no failed attempt either.
		assert!(!FailedAttempts::<T>::contains_key(escrow));
	});
}

/// A requester holding a live authorization from an accepted authority brings a factor from
/// the start: it is attached at initiation, and the stranger's factorless request is
/// displaced. An authorization from an authority the owner did not accept, or an expired
/// one, brings none, and does not keep the accepted authority's record from counting.
#[test]
fn an_authorized_requester_displaces_a_strangers_factorless_request() {
	new_test_ext().execute_with(|| {
		let escrow = create_with(authority_policy());
		assert_ok!(KeyEscrow::initiate_recovery(signed(STRANGER), escrow, ONE_TIME_KEY, None));
		plant_release(escrow);
		authorize(GUARDIAN_B, escrow, REQUESTER, 100);
		assert_noop!(
			KeyEscrow::initiate_recovery(signed(REQUESTER), escrow, ONE_TIME_KEY, None),
			Error::<T>::RequestAlreadyOpen
		);
		authorize(CA, escrow, REQUESTER, now());
		assert_noop!(
			KeyEscrow::initiate_recovery(signed(REQUESTER), escrow, ONE_TIME_KEY, None),
			Error::<T>::RequestAlreadyOpen
		);
		// The accepted CA's own record counts, beside GUARDIAN_B's (which stays).
		authorize(CA, escrow, REQUESTER, 100);
		let owner_free = Balances::free_balance(OWNER);

		initiate(escrow);
		assert!(has_event(Event::RecoveryDisplaced { escrow, requester: STRANGER }));
		assert!(has_event(Event::AuthorizationAttached { escrow, issuer: CA }));
		assert_eq!(Balances::free_balance(OWNER), owner_free + RECOVERY_DEPOSIT);
		assert!(KeyEscrow::releases(&escrow).is_empty());
		let request = Requests::<T>::get(escrow).unwrap();
		assert_eq!((request.requester, request.authorized_by), (REQUESTER, Some(CA)));
		// The guardian's approval completes the factors.
		assert_ok!(KeyEscrow::approve_recovery(signed(GUARDIAN_A), escrow, request.nonce));
		assert_eq!(Requests::<T>::get(escrow).unwrap().release_at, Some(now() + 2));
	});
}

/// A request that brings no factor does not displace another factorless one, and a bad
/// signature is refused as such: the stranger's request stays.
#[test]
fn a_factorless_request_does_not_displace_another() {
	new_test_ext().execute_with(|| {
		let escrow = create();
		assert_ok!(KeyEscrow::initiate_recovery(signed(STRANGER), escrow, ONE_TIME_KEY, None));
		assert_noop!(
			KeyEscrow::initiate_recovery(signed(REQUESTER), escrow, ONE_TIME_KEY, None),
			Error::<T>::RequestAlreadyOpen
		);
		let wrong =
			sign_request(&sr25519::Pair::from_seed(&[8; 32]), escrow, REQUESTER, ONE_TIME_KEY);
		assert_noop!(
			KeyEscrow::initiate_recovery(signed(REQUESTER), escrow, ONE_TIME_KEY, Some(wrong)),
			Error::<T>::BadRecoverySignature
		);
		assert_eq!(Requests::<T>::get(escrow).unwrap().requester, STRANGER);
		assert_eq!(request_hold(STRANGER), RECOVERY_DEPOSIT);
	});
}

/// A request that satisfied a factor (a guardian's approval, a verified signature or an
/// attached authorization) is never displaced, not even by a signed and authorized request.
#[test]
fn a_request_with_a_factor_is_never_displaced() {
	new_test_ext().execute_with(|| {
		let both = policy(false, vec![GUARDIAN_A, GUARDIAN_B], 2, vec![CA], 2);
		let escrow = create_with(both.clone());
		let other = create_as(STRANGER, FINGERPRINT, split(3, 5, StorageMode::OnChain), both);
		// OWNER, with a valid signature and a live authorization, tries each time.
		authorize(CA, escrow, OWNER, 100);
		authorize(CA, other, OWNER, 100);
		let try_displace = |escrow: EscrowId| {
			let signature = sign_request(&recovery_pair(), escrow, OWNER, ONE_TIME_KEY);
			KeyEscrow::initiate_recovery(signed(OWNER), escrow, ONE_TIME_KEY, Some(signature))
		};

		// One guardian's approval (below the threshold of two) is a factor.
		assert_ok!(KeyEscrow::initiate_recovery(signed(REQUESTER), escrow, ONE_TIME_KEY, None));
		assert_ok!(KeyEscrow::approve_recovery(signed(GUARDIAN_A), escrow, open_nonce(escrow)));
		assert_noop!(try_displace(escrow), Error::<T>::RequestAlreadyOpen);
		assert_ok!(KeyEscrow::close_recovery(signed(REQUESTER), escrow));
		go_to(FailedAttempts::<T>::get(escrow).unwrap().next_allowed);

		// A verified recovery-key signature.
		initiate_signed(escrow, REQUESTER);
		assert_noop!(try_displace(escrow), Error::<T>::RequestAlreadyOpen);

		// An authorization, attached at initiation.
		authorize(CA, other, REQUESTER, 100);
		initiate(other);
		assert_eq!(Requests::<T>::get(other).unwrap().authorized_by, Some(CA));
		assert_noop!(try_displace(other), Error::<T>::RequestAlreadyOpen);
		assert!(!has_event(Event::RecoveryDisplaced { escrow, requester: REQUESTER }));
		assert!(!has_event(Event::RecoveryDisplaced { escrow: other, requester: REQUESTER }));
	});
}

/// The owner cancelling a factorless request takes its deposit and records no failure;
/// cancelling one with a factor (here approved) records one.
#[test]
fn cancel_counts_a_failure_only_for_a_request_with_a_factor() {
	new_test_ext().execute_with(|| {
		let escrow = create();
		let owner_free = Balances::free_balance(OWNER);
		assert_ok!(KeyEscrow::initiate_recovery(signed(STRANGER), escrow, ONE_TIME_KEY, None));
		assert_ok!(KeyEscrow::cancel_recovery(signed(OWNER), escrow));
		assert!(has_event(Event::RecoveryCancelled { escrow, requester: STRANGER }));
		assert_eq!(Balances::free_balance(OWNER), owner_free + RECOVERY_DEPOSIT);
		assert!(!FailedAttempts::<T>::contains_key(escrow));

		initiate(escrow);
		assert_ok!(KeyEscrow::approve_recovery(signed(GUARDIAN_A), escrow, open_nonce(escrow)));
		assert_ok!(KeyEscrow::cancel_recovery(signed(OWNER), escrow));
		assert_eq!(Balances::free_balance(OWNER), owner_free + 2 * RECOVERY_DEPOSIT);
		assert_eq!(FailedAttempts::<T>::get(escrow).unwrap().failed, 1);
		assert!(has_event(Event::RecoveryAttemptFailed {
			escrow,
			failed: 1,
			next_allowed: now() + BASE_BACKOFF,
		}));
	});
}

/// Attack (c): the guardian's approval transaction for request A, landing after A was closed
/// and a stranger opened B, names A's nonce and is refused; a nonce not yet used is refused
/// too. B stays unapproved.
#[test]
fn a_stale_approval_is_refused_with_wrong_request() {
	new_test_ext().execute_with(|| {
		let escrow = create();
		initiate(escrow); // request A, by REQUESTER
		let approval =
			RuntimeCall::KeyEscrow(Call::approve_recovery { escrow, nonce: open_nonce(escrow) });
		assert_ok!(KeyEscrow::close_recovery(signed(REQUESTER), escrow));
		assert_ok!(KeyEscrow::initiate_recovery(
			signed(STRANGER),
			escrow,
			H256::repeat_byte(0x66),
			None
		));
		let b = open_nonce(escrow);

		assert_noop!(approval.dispatch(signed(GUARDIAN_A)), Error::<T>::WrongRequest);
		assert_noop!(
			KeyEscrow::approve_recovery(signed(GUARDIAN_A), escrow, b + 1),
			Error::<T>::WrongRequest
		);
		let request = Requests::<T>::get(escrow).unwrap();
		assert!(request.approvals.is_empty());
		assert_eq!(request.release_at, None);
		assert_eq!(KeyEscrow::request_phase(&escrow), Some(RequestPhase::AwaitingApproval));
	});
}

/// Attack (d): a custodian's release transaction sealed for request A, landing on request B
/// (another one-time key), names A's nonce and is refused: nothing is stored, and the
/// custodian's release for B is then accepted.
#[test]
fn a_stale_release_is_refused_with_wrong_request() {
	new_test_ext().execute_with(|| {
		let escrow = create();
		make_releasable(escrow); // request A, one-time key ONE_TIME_KEY
		let release = RuntimeCall::KeyEscrow(Call::release_share {
			escrow,
			nonce: open_nonce(escrow),
			index: 0,
			payload: payload(0xa1),
		});
		assert_ok!(KeyEscrow::close_recovery(signed(REQUESTER), escrow));
		go_to(FailedAttempts::<T>::get(escrow).unwrap().next_allowed);
		let key_b = H256::repeat_byte(0x66);
		assert_ok!(KeyEscrow::initiate_recovery(signed(REQUESTER), escrow, key_b, None));
		let b = open_nonce(escrow);
		assert_ok!(KeyEscrow::approve_recovery(signed(GUARDIAN_A), escrow, b));
		go_to(now() + 2);
		assert!(KeyEscrow::is_releasable(&escrow));

		assert_noop!(release.dispatch(signed(custodian(0))), Error::<T>::WrongRequest);
		assert_noop!(
			KeyEscrow::release_share(signed(custodian(0)), escrow, b + 1, 0, payload(0xb1)),
			Error::<T>::WrongRequest
		);
		assert!(KeyEscrow::releases(&escrow).is_empty());
		assert_ok!(KeyEscrow::release_share(signed(custodian(0)), escrow, b, 0, payload(0xb1)));
		assert_eq!(Releases::<T>::get(escrow, 0).unwrap().payload, payload(0xb1));
	});
}

/// Records failed attempts (each request approved by `approver`, then closed) until the
/// policy's limit, and checks that the next request is refused.
fn reach_attempt_limit(escrow: EscrowId, approver: u64) {
	let max_attempts = KeyEscrow::escrow(&escrow).unwrap().policy.max_attempts;
	for _ in 0..max_attempts {
		initiate(escrow);
		assert_ok!(KeyEscrow::approve_recovery(signed(approver), escrow, open_nonce(escrow)));
		assert_ok!(KeyEscrow::close_recovery(signed(REQUESTER), escrow));
		go_to(FailedAttempts::<T>::get(escrow).unwrap().next_allowed);
	}
	assert_eq!(FailedAttempts::<T>::get(escrow).unwrap().failed, max_attempts);
	assert_noop!(
		KeyEscrow::initiate_recovery(signed(REQUESTER), escrow, ONE_TIME_KEY, None),
		Error::<T>::AttemptLimitReached
	);
}

/// Attack (e): guardians no longer depend on the owner's (lost) account: a vote below the
/// threshold leaves the attempts, and the vote reaching it unlocks the attempts and the
/// guesses in one call.
#[test]
fn guardians_vote_to_unlock_the_attempts_and_the_guesses() {
	new_test_ext().execute_with(|| {
		let escrow = create_with(policy(false, vec![GUARDIAN_A, GUARDIAN_B], 2, vec![], 2));
		reach_attempt_limit(escrow, GUARDIAN_A);
		assert_ok!(KeyEscrow::record_guess(signed(STRANGER), escrow, H256::repeat_byte(1)));

		assert_ok!(KeyEscrow::unlock_escrow(signed(GUARDIAN_A), escrow));
		System::assert_last_event(RuntimeEvent::KeyEscrow(Event::UnlockVoted {
			escrow,
			guardian: GUARDIAN_A,
			votes: 1,
			needed: 2,
		}));
		assert_eq!(UnlockVotes::<T>::get(escrow).to_vec(), vec![GUARDIAN_A]);
		assert!(FailedAttempts::<T>::contains_key(escrow));
		assert_noop!(
			KeyEscrow::unlock_escrow(signed(GUARDIAN_A), escrow),
			Error::<T>::AlreadyVoted
		);

		assert_ok!(KeyEscrow::unlock_escrow(signed(GUARDIAN_B), escrow));
		assert!(has_event(Event::GuessesReset { escrow, by: GUARDIAN_B }));
		System::assert_last_event(RuntimeEvent::KeyEscrow(Event::AttemptsReset {
			escrow,
			by: GUARDIAN_B,
		}));
		assert!(!FailedAttempts::<T>::contains_key(escrow));
		assert!(!UnlockVotes::<T>::contains_key(escrow));
		assert_eq!(GuessCounters::<T>::get(escrow).used, 0);
		initiate(escrow);
	});
}

/// An authority the policy accepts unlocks the attempts at once.
#[test]
fn an_accepted_authority_unlocks_the_attempts() {
	new_test_ext().execute_with(|| {
		let escrow = create_with(authority_policy());
		reach_attempt_limit(escrow, GUARDIAN_A);
		assert_noop!(
			KeyEscrow::unlock_escrow(signed(STRANGER), escrow),
			Error::<T>::NotAllowedToUnlock
		);
		assert_ok!(KeyEscrow::unlock_escrow(signed(CA), escrow));
		assert!(has_event(Event::AttemptsReset { escrow, by: CA }));
		assert!(!FailedAttempts::<T>::contains_key(escrow));
		initiate(escrow);
	});
}

/// A re-split with a policy replaces both in one call (`PolicyUpdated` and `EscrowReshared`),
/// with the same deposit as a re-split followed by a policy update; a later re-split without
/// a policy keeps the new one.
#[test]
fn reshare_with_a_policy_replaces_it_in_the_same_call() {
	new_test_ext().execute_with(|| {
		let escrow = create();
		let new = policy(true, vec![GUARDIAN_A, GUARDIAN_B], 2, vec![CA], 5);
		assert_ok!(KeyEscrow::reshare(
			signed(OWNER),
			escrow,
			split(2, 3, StorageMode::OnChain),
			Some(new.clone())
		));
		let record = KeyEscrow::escrow(&escrow).unwrap();
		assert_eq!(record.policy, new);
		assert_eq!((record.threshold, record.custodians.len(), record.generation), (2, 3, 1));
		assert!(has_event(Event::PolicyUpdated { escrow }));
		assert!(has_event(Event::EscrowReshared {
			escrow,
			generation: 1,
			threshold: 2,
			custodians: 3
		}));

		// The two-transaction way, on another escrow of the same shape: same deposit.
		let other =
			create_as(STRANGER, FINGERPRINT, split(3, 5, StorageMode::OnChain), guardian_policy());
		assert_ok!(KeyEscrow::reshare(
			signed(STRANGER),
			other,
			split(2, 3, StorageMode::OnChain),
			None
		));
		assert_ok!(KeyEscrow::update_policy(signed(STRANGER), other, new.clone()));
		assert_eq!(escrow_hold(OWNER), escrow_hold(STRANGER));

		assert_ok!(KeyEscrow::reshare(
			signed(OWNER),
			escrow,
			split(2, 4, StorageMode::OnChain),
			None
		));
		let record = KeyEscrow::escrow(&escrow).unwrap();
		assert_eq!((record.policy, record.generation), (new, 2));
	});
}

/// An invalid policy refuses the whole re-split: nothing changes, neither the split nor the
/// policy, nor the open guesses; and a valid policy with an invalid split changes nothing.
#[test]
fn an_invalid_policy_refuses_the_whole_reshare() {
	new_test_ext().execute_with(|| {
		let escrow = create();
		assert_ok!(KeyEscrow::record_guess(signed(STRANGER), escrow, H256::repeat_byte(1)));
		let before = KeyEscrow::escrow(&escrow).unwrap();
		assert_noop!(
			KeyEscrow::reshare(
				signed(OWNER),
				escrow,
				split(2, 3, StorageMode::OnChain),
				Some(policy(false, vec![], 0, vec![], 2))
			),
			Error::<T>::NoRecoveryFactor
		);
		assert_noop!(
			KeyEscrow::reshare(
				signed(OWNER),
				escrow,
				split(2, 3, StorageMode::OnChain),
				Some(RecoveryPolicy { max_attempts: 0, ..guardian_policy() })
			),
			Error::<T>::InvalidAttemptLimit
		);
		assert_noop!(
			KeyEscrow::reshare(
				signed(OWNER),
				escrow,
				split(1, 3, StorageMode::OnChain),
				Some(authority_policy())
			),
			Error::<T>::ThresholdTooLow
		);
		assert_eq!(KeyEscrow::escrow(&escrow).unwrap(), before);
		assert_eq!((before.threshold, before.custodians.len(), before.generation), (3, 5, 0));
		assert_eq!(Shares::<T>::iter_prefix(escrow).count(), 5);
		assert_eq!(GuessCounters::<T>::get(escrow).used, 1);
	});
}
