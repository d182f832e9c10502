//! Passphrase guesses through the threshold OPRF: `record_guess`, `record_evaluation`,
//! `unlock_escrow`, the guess limit, and how a recovery-key signature, a re-split and the
//! removal of an escrow end the open guesses.

use super::*;

fn blinded(byte: u8) -> H256 {
	H256::repeat_byte(byte)
}

fn evaluation(byte: u8) -> OprfEvaluation {
	[byte; OPRF_EVALUATION_LEN]
}

fn guess_hold(who: u64) -> u128 {
	Balances::balance_on_hold(&HoldReason::Guess.into(), &who)
}

/// `who` records a guess with blinded element `blinded(byte)`; returns its id.
fn guess(who: u64, escrow: EscrowId, byte: u8) -> u32 {
	let id = GuessCounters::<T>::get(escrow).next_id;
	assert_ok!(KeyEscrow::record_guess(signed(who), escrow, blinded(byte)));
	id
}

/// The custodian of share `index` (in the helpers' splits, `custodian(index)`) evaluates
/// guess `id`.
fn evaluate(escrow: EscrowId, id: u32, index: u32) {
	assert_ok!(KeyEscrow::record_evaluation(
		signed(custodian(index as u64)),
		escrow,
		id,
		index,
		evaluation(index as u8 + 1)
	));
}

/// The passphrase as the only factor, delay 2, `MAX_GUESSES` guesses.
fn passphrase_policy() -> PolicyOf<T> {
	policy(true, vec![], 0, vec![], 2)
}

fn used(escrow: EscrowId) -> u32 {
	GuessCounters::<T>::get(escrow).used
}

/// Every evaluation stored, of any escrow and guess.
fn stored_evaluations() -> usize {
	Evaluations::<T>::iter().count()
}

/// A guess holds `GuessDeposit`, counts, is stored with its guesser, element, block and
/// generation, and gets the next id; `guesses` and `guess_status` report it.
#[test]
fn record_guess_holds_the_deposit_counts_and_stores_the_guess() {
	new_test_ext().execute_with(|| {
		let escrow = create();
		assert_noop!(
			KeyEscrow::record_guess(signed(REQUESTER), H256::zero(), blinded(1)),
			Error::<T>::UnknownEscrow
		);
		assert_eq!(KeyEscrow::guess_status(&H256::zero()), None);

		assert_ok!(KeyEscrow::record_guess(signed(REQUESTER), escrow, blinded(1)));
		assert_eq!(guess_hold(REQUESTER), GUESS_DEPOSIT);
		assert_eq!(Balances::free_balance(REQUESTER), START_BALANCE - GUESS_DEPOSIT);
		assert_eq!(GuessCounters::<T>::get(escrow), GuessCounter { used: 1, next_id: 1 });
		assert_eq!(
			Guesses::<T>::get(escrow, 0),
			Some(Guess {
				guesser: REQUESTER,
				blinded: blinded(1),
				deposit: GUESS_DEPOSIT,
				made_at: 1,
				generation: 0,
			})
		);
		assert!(has_event(Event::GuessRecorded {
			escrow,
			guess: 0,
			guesser: REQUESTER,
			blinded: blinded(1),
			used: 1,
			max_guesses: MAX_GUESSES,
		}));

		go_to(3);
		assert_ok!(KeyEscrow::record_guess(signed(STRANGER), escrow, blinded(2)));
		assert_eq!(guess_hold(STRANGER), GUESS_DEPOSIT);
		assert_eq!(guess_hold(REQUESTER), GUESS_DEPOSIT);
		assert_eq!(GuessCounters::<T>::get(escrow), GuessCounter { used: 2, next_id: 2 });
		assert!(has_event(Event::GuessRecorded {
			escrow,
			guess: 1,
			guesser: STRANGER,
			blinded: blinded(2),
			used: 2,
			max_guesses: MAX_GUESSES,
		}));
		// Listed by id (storage order, not sorted).
		let mut guesses = KeyEscrow::guesses(&escrow);
		guesses.sort_by_key(|(id, _)| *id);
		assert_eq!(guesses.iter().map(|(id, _)| *id).collect::<Vec<_>>(), vec![0, 1]);
		assert_eq!((guesses[1].1.guesser, guesses[1].1.made_at), (STRANGER, 3));
		assert!(!has_event(Event::GuessesLocked { escrow }));
		assert_eq!(
			KeyEscrow::guess_status(&escrow),
			Some(GuessStatus {
				used: 2,
				max_guesses: MAX_GUESSES,
				locked: false,
				reset_votes: 0,
				reset_threshold: 1,
				next_request_nonce: 0,
			})
		);
	});
}

/// A guesser who cannot pay the deposit records nothing.
#[test]
fn record_guess_needs_funds_for_the_deposit() {
	new_test_ext().execute_with(|| {
		let escrow = create();
		let poor = 99;
		assert_ok!(Balances::force_set_balance(RuntimeOrigin::root(), poor, GUESS_DEPOSIT / 2));
		assert!(KeyEscrow::record_guess(signed(poor), escrow, blinded(1)).is_err());
		assert!(KeyEscrow::guesses(&escrow).is_empty());
		assert_eq!(GuessCounters::<T>::get(escrow), GuessCounter::default());
	});
}

/// After `max_guesses` guesses the escrow is locked: the last one emits `GuessesLocked`,
/// `guess_status` says so, and the next guess is refused whoever makes it.
#[test]
fn the_guess_limit_locks_the_escrow() {
	new_test_ext().execute_with(|| {
		let escrow = create();
		for i in 0..MAX_GUESSES - 1 {
			guess(REQUESTER, escrow, i as u8 + 1);
		}
		assert!(!has_event(Event::GuessesLocked { escrow }));
		assert!(!KeyEscrow::guess_status(&escrow).unwrap().locked);
		guess(STRANGER, escrow, 9);
		System::assert_last_event(RuntimeEvent::KeyEscrow(Event::GuessesLocked { escrow }));
		let status = KeyEscrow::guess_status(&escrow).unwrap();
		assert_eq!(
			(status.used, status.max_guesses, status.locked),
			(MAX_GUESSES, MAX_GUESSES, true)
		);

		for who in [REQUESTER, STRANGER, OWNER] {
			assert_noop!(
				KeyEscrow::record_guess(signed(who), escrow, blinded(0x42)),
				Error::<T>::GuessLimitReached
			);
		}
		assert_eq!(KeyEscrow::guesses(&escrow).len() as u32, MAX_GUESSES);
		assert_eq!(guess_hold(REQUESTER), (MAX_GUESSES - 1) as u128 * GUESS_DEPOSIT);
	});
}

/// The identity (all-zero) element is no blinded input: refused, nothing counted or held.
#[test]
fn a_zero_blinded_element_is_refused() {
	new_test_ext().execute_with(|| {
		let escrow = create();
		assert_noop!(
			KeyEscrow::record_guess(signed(REQUESTER), escrow, H256::zero()),
			Error::<T>::InvalidBlindedElement
		);
		assert_eq!(used(escrow), 0);
		assert_eq!(guess_hold(REQUESTER), 0);
	});
}

/// The custodian of a share records its evaluation of an open guess once; `evaluations`
/// lists the evaluations by share index.
#[test]
fn record_evaluation_stores_the_custodians_evaluation() {
	new_test_ext().execute_with(|| {
		let escrow = create();
		let id = guess(REQUESTER, escrow, 1);
		assert_ok!(KeyEscrow::record_evaluation(
			signed(custodian(2)),
			escrow,
			id,
			2,
			evaluation(0xe2)
		));
		assert_eq!(Evaluations::<T>::get((escrow, id), 2), Some(evaluation(0xe2)));
		assert!(has_event(Event::GuessEvaluated {
			escrow,
			guess: id,
			index: 2,
			custodian: custodian(2),
		}));
		evaluate(escrow, id, 0);
		let mut evaluations = KeyEscrow::evaluations(&escrow, id);
		evaluations.sort();
		assert_eq!(evaluations, vec![(0, evaluation(1)), (2, evaluation(0xe2))]);
		// Evaluating costs the custodian nothing beyond the fee; the guess keeps its deposit.
		assert_eq!(Balances::total_balance_on_hold(&custodian(2)), 0);
		assert_eq!(guess_hold(REQUESTER), GUESS_DEPOSIT);
	});
}

/// Every refusal of `record_evaluation`: unknown escrow, unknown (or ended) guess, share
/// index out of range, another slot's custodian, a revoked custodian, an unacknowledged
/// custodian-held slot, and a second evaluation by the same custodian.
#[test]
fn record_evaluation_refusals() {
	new_test_ext().execute_with(|| {
		let escrow = create();
		let id = guess(REQUESTER, escrow, 1);
		let call = |who: u64, escrow: EscrowId, guess: u32, index: u32| {
			KeyEscrow::record_evaluation(signed(who), escrow, guess, index, evaluation(7))
		};
		assert_noop!(call(custodian(0), H256::zero(), id, 0), Error::<T>::UnknownEscrow);
		assert_noop!(call(custodian(0), escrow, id + 1, 0), Error::<T>::UnknownGuess);
		assert_noop!(call(custodian(5), escrow, id, 5), Error::<T>::UnknownShare);
		assert_noop!(call(custodian(1), escrow, id, 0), Error::<T>::NotThisCustodian);
		revoke(custodian(3));
		assert_noop!(call(custodian(3), escrow, id, 3), Error::<T>::CustodianNotCertified);

		evaluate(escrow, id, 0);
		assert_noop!(
			KeyEscrow::record_evaluation(signed(custodian(0)), escrow, id, 0, evaluation(0x99)),
			Error::<T>::AlreadyEvaluated
		);
		assert_eq!(Evaluations::<T>::get((escrow, id), 0), Some(evaluation(1)));

		// Custodian-held: a slot evaluates only once its custodian acknowledged the share.
		let held = create_held(STRANGER);
		let held_guess = guess(REQUESTER, held, 2);
		assert_noop!(call(custodian(1), held, held_guess, 1), Error::<T>::ShareNotHeld);
		assert_ok!(KeyEscrow::acknowledge_share(signed(custodian(1)), held, 1, 0));
		evaluate(held, held_guess, 1);

		// An ended guess takes no evaluation (ids are never reused).
		assert_ok!(KeyEscrow::unlock_escrow(signed(OWNER), escrow));
		assert_noop!(call(custodian(1), escrow, id, 1), Error::<T>::UnknownGuess);
		let next = guess(REQUESTER, escrow, 3);
		assert_ne!(next, id);
		assert_noop!(call(custodian(1), escrow, id, 1), Error::<T>::UnknownGuess);
	});
}

/// A valid recovery-key signature proves a counted guess succeeded: the counter restarts, the
/// guesses and their evaluations go, the requester's and the owner's guess deposits come
/// back, and a stranger's goes to the owner.
#[test]
fn a_valid_recovery_signature_ends_the_guesses_and_resets_the_counter() {
	new_test_ext().execute_with(|| {
		let policy = RecoveryPolicy { max_guesses: MAX_GUESS_LIMIT, ..passphrase_policy() };
		let escrow = create_with(policy);
		let ids = [
			guess(REQUESTER, escrow, 1),
			guess(REQUESTER, escrow, 2),
			guess(OWNER, escrow, 3),
			guess(STRANGER, escrow, 4),
		];
		for id in ids {
			evaluate(escrow, id, 0);
			evaluate(escrow, id, 1);
		}
		assert!(KeyEscrow::guess_status(&escrow).unwrap().locked);
		let owner_free = Balances::free_balance(OWNER);
		assert_eq!(stored_evaluations(), 8);

		let signature = sign_request(&recovery_pair(), escrow, REQUESTER, ONE_TIME_KEY);
		assert_ok!(KeyEscrow::initiate_recovery(
			signed(REQUESTER),
			escrow,
			ONE_TIME_KEY,
			Some(signature)
		));
		assert!(has_event(Event::GuessesReset { escrow, by: REQUESTER }));
		let request = Requests::<T>::get(escrow).unwrap();
		assert!(request.recovery_key_verified);
		assert_eq!(request.nonce, 0);
		assert_eq!(GuessCounters::<T>::get(escrow), GuessCounter { used: 0, next_id: 4 });
		assert!(KeyEscrow::guesses(&escrow).is_empty());
		assert_eq!(stored_evaluations(), 0);
		for id in ids {
			assert!(KeyEscrow::evaluations(&escrow, id).is_empty());
		}
		let status = KeyEscrow::guess_status(&escrow).unwrap();
		assert!(!status.locked);
		assert_eq!(status.next_request_nonce, 1);

		// The requester's two deposits come back (only the request's deposit stays held).
		assert_eq!(guess_hold(REQUESTER), 0);
		assert_eq!(Balances::free_balance(REQUESTER), START_BALANCE - RECOVERY_DEPOSIT);
		// The owner's own deposit comes back, the stranger's is paid to the owner.
		assert_eq!(guess_hold(OWNER), 0);
		assert_eq!(Balances::free_balance(OWNER), owner_free + 2 * GUESS_DEPOSIT);
		assert_eq!(guess_hold(STRANGER), 0);
		assert_eq!(Balances::free_balance(STRANGER), START_BALANCE - GUESS_DEPOSIT);

		// Guessing may start again, with fresh ids.
		assert_eq!(guess(STRANGER, escrow, 5), 4);
	});
}

/// A signature by another key, or one made for the previous request's nonce (a replay), is
/// refused with `BadRecoverySignature` and changes nothing: the guesses, their deposits and
/// the nonce stay. The nonce grows with every opened request.
#[test]
fn a_bad_or_replayed_recovery_signature_is_refused_and_changes_nothing() {
	new_test_ext().execute_with(|| {
		let pair = recovery_pair();
		let escrow = create_with(passphrase_policy());
		let first = sign_request(&pair, escrow, REQUESTER, ONE_TIME_KEY);
		assert_ok!(KeyEscrow::initiate_recovery(
			signed(REQUESTER),
			escrow,
			ONE_TIME_KEY,
			Some(first)
		));
		assert_eq!(Requests::<T>::get(escrow).unwrap().nonce, 0);
		assert_eq!(RequestNonces::<T>::get(escrow), 1);
		// Closed without releases: a failed attempt, back-off BASE_BACKOFF.
		assert_ok!(KeyEscrow::close_recovery(signed(REQUESTER), escrow));
		go_to(now() + BASE_BACKOFF);

		let id = guess(REQUESTER, escrow, 1);
		evaluate(escrow, id, 0);
		// The first request's signature, replayed for the next request.
		assert_noop!(
			KeyEscrow::initiate_recovery(signed(REQUESTER), escrow, ONE_TIME_KEY, Some(first)),
			Error::<T>::BadRecoverySignature
		);
		// The right message, signed by another key.
		let other = sr25519::Pair::from_seed(&[8; 32]);
		assert_noop!(
			KeyEscrow::initiate_recovery(
				signed(REQUESTER),
				escrow,
				ONE_TIME_KEY,
				Some(sign_request(&other, escrow, REQUESTER, ONE_TIME_KEY))
			),
			Error::<T>::BadRecoverySignature
		);
		assert_eq!(used(escrow), 1);
		assert_eq!(KeyEscrow::evaluations(&escrow, id).len(), 1);
		assert_eq!(guess_hold(REQUESTER), GUESS_DEPOSIT);
		assert_eq!(RequestNonces::<T>::get(escrow), 1);

		// Signed for nonce 1, it opens the second request.
		let second = sign_request(&pair, escrow, REQUESTER, ONE_TIME_KEY);
		assert_ne!(second, first);
		assert_ok!(KeyEscrow::initiate_recovery(
			signed(REQUESTER),
			escrow,
			ONE_TIME_KEY,
			Some(second)
		));
		assert_eq!(Requests::<T>::get(escrow).unwrap().nonce, 1);
		assert_eq!(RequestNonces::<T>::get(escrow), 2);
		assert_eq!(used(escrow), 0);
		assert_eq!(guess_hold(REQUESTER), 0);
	});
}

/// With the passphrase factor a request without a signature is refused, guesses untouched.
/// Without it, an unsigned request opens but does not reset the guesses, while a valid
/// signature (optional there) still does.
#[test]
fn the_signature_is_required_only_with_the_passphrase_factor() {
	new_test_ext().execute_with(|| {
		let escrow = create_with(passphrase_policy());
		guess(REQUESTER, escrow, 1);
		assert_noop!(
			KeyEscrow::initiate_recovery(signed(REQUESTER), escrow, ONE_TIME_KEY, None),
			Error::<T>::MissingRecoverySignature
		);
		assert_eq!(used(escrow), 1);

		// Guardian policy, no passphrase factor.
		let other =
			create_as(STRANGER, FINGERPRINT, split(3, 5, StorageMode::OnChain), guardian_policy());
		let id = guess(REQUESTER, other, 2);
		assert_ok!(KeyEscrow::initiate_recovery(signed(REQUESTER), other, ONE_TIME_KEY, None));
		assert!(!Requests::<T>::get(other).unwrap().recovery_key_verified);
		assert!(!has_event(Event::GuessesReset { escrow: other, by: REQUESTER }));
		assert_eq!(used(other), 1);
		assert!(Guesses::<T>::contains_key(other, id));
		assert_eq!(guess_hold(REQUESTER), 2 * GUESS_DEPOSIT);
		assert_eq!(RequestNonces::<T>::get(other), 1);

		assert_ok!(KeyEscrow::cancel_recovery(signed(STRANGER), other));
		go_to(now() + BASE_BACKOFF);
		let signature = sign_request(&recovery_pair(), other, REQUESTER, ONE_TIME_KEY);
		assert_ok!(KeyEscrow::initiate_recovery(
			signed(REQUESTER),
			other,
			ONE_TIME_KEY,
			Some(signature)
		));
		assert!(Requests::<T>::get(other).unwrap().recovery_key_verified);
		assert!(has_event(Event::GuessesReset { escrow: other, by: REQUESTER }));
		assert_eq!(used(other), 0);
		// Only the first escrow's guess is still held.
		assert_eq!(guess_hold(REQUESTER), GUESS_DEPOSIT);
	});
}

/// The owner resets at once: counter to zero, guesses and evaluations gone, the guessers'
/// deposits paid to the owner, guessing possible again.
#[test]
fn the_owner_resets_the_guesses() {
	new_test_ext().execute_with(|| {
		let escrow = create();
		let ids: Vec<u32> =
			(0..MAX_GUESSES).map(|i| guess(STRANGER, escrow, i as u8 + 1)).collect();
		evaluate(escrow, ids[0], 4);
		assert!(KeyEscrow::guess_status(&escrow).unwrap().locked);
		let owner_free = Balances::free_balance(OWNER);

		assert_noop!(
			KeyEscrow::unlock_escrow(signed(OWNER), H256::zero()),
			Error::<T>::UnknownEscrow
		);
		assert_ok!(KeyEscrow::unlock_escrow(signed(OWNER), escrow));
		assert!(has_event(Event::GuessesReset { escrow, by: OWNER }));
		System::assert_last_event(RuntimeEvent::KeyEscrow(Event::AttemptsReset {
			escrow,
			by: OWNER,
		}));
		assert_eq!(GuessCounters::<T>::get(escrow), GuessCounter { used: 0, next_id: MAX_GUESSES });
		assert!(KeyEscrow::guesses(&escrow).is_empty());
		assert_eq!(stored_evaluations(), 0);
		assert!(!KeyEscrow::guess_status(&escrow).unwrap().locked);
		assert_eq!(guess_hold(STRANGER), 0);
		assert_eq!(
			Balances::free_balance(STRANGER),
			START_BALANCE - MAX_GUESSES as u128 * GUESS_DEPOSIT
		);
		assert_eq!(Balances::free_balance(OWNER), owner_free + MAX_GUESSES as u128 * GUESS_DEPOSIT);
		assert_eq!(guess(STRANGER, escrow, 9), MAX_GUESSES);
	});
}

/// An authority the policy accepts resets at once; a stranger and the requester may not.
#[test]
fn an_accepted_authority_resets_the_guesses() {
	new_test_ext().execute_with(|| {
		let escrow = create_with(policy(false, vec![], 0, vec![CA], 2));
		for i in 0..MAX_GUESSES {
			guess(REQUESTER, escrow, i as u8 + 1);
		}
		for who in [STRANGER, REQUESTER, custodian(0)] {
			assert_noop!(
				KeyEscrow::unlock_escrow(signed(who), escrow),
				Error::<T>::NotAllowedToUnlock
			);
		}
		assert_ok!(KeyEscrow::unlock_escrow(signed(CA), escrow));
		assert!(has_event(Event::GuessesReset { escrow, by: CA }));
		assert_eq!(used(escrow), 0);
		assert!(KeyEscrow::guesses(&escrow).is_empty());
		// The requester's wrong guesses are paid to the owner.
		assert_eq!(guess_hold(REQUESTER), 0);
		assert_eq!(
			Balances::free_balance(REQUESTER),
			START_BALANCE - MAX_GUESSES as u128 * GUESS_DEPOSIT
		);
	});
}

/// Guardians vote: votes below the threshold reset nothing, a guardian votes once, and the
/// vote reaching the threshold resets and clears the votes. Others may not reset.
#[test]
fn guardians_reset_the_guesses_at_their_threshold() {
	new_test_ext().execute_with(|| {
		let escrow = create_with(policy(false, vec![GUARDIAN_A, GUARDIAN_B], 2, vec![], 2));
		for i in 0..MAX_GUESSES {
			guess(STRANGER, escrow, i as u8 + 1);
		}
		assert_noop!(
			KeyEscrow::unlock_escrow(signed(STRANGER), escrow),
			Error::<T>::NotAllowedToUnlock
		);

		assert_ok!(KeyEscrow::unlock_escrow(signed(GUARDIAN_A), escrow));
		System::assert_last_event(RuntimeEvent::KeyEscrow(Event::UnlockVoted {
			escrow,
			guardian: GUARDIAN_A,
			votes: 1,
			needed: 2,
		}));
		assert!(!has_event(Event::GuessesReset { escrow, by: GUARDIAN_A }));
		let status = KeyEscrow::guess_status(&escrow).unwrap();
		assert_eq!((status.used, status.locked), (MAX_GUESSES, true));
		assert_eq!((status.reset_votes, status.reset_threshold), (1, 2));
		assert_eq!(KeyEscrow::guesses(&escrow).len() as u32, MAX_GUESSES);
		assert_eq!(guess_hold(STRANGER), MAX_GUESSES as u128 * GUESS_DEPOSIT);

		assert_noop!(
			KeyEscrow::unlock_escrow(signed(GUARDIAN_A), escrow),
			Error::<T>::AlreadyVoted
		);

		assert_ok!(KeyEscrow::unlock_escrow(signed(GUARDIAN_B), escrow));
		assert!(has_event(Event::UnlockVoted {
			escrow,
			guardian: GUARDIAN_B,
			votes: 2,
			needed: 2,
		}));
		assert!(has_event(Event::GuessesReset { escrow, by: GUARDIAN_B }));
		System::assert_last_event(RuntimeEvent::KeyEscrow(Event::AttemptsReset {
			escrow,
			by: GUARDIAN_B,
		}));
		let status = KeyEscrow::guess_status(&escrow).unwrap();
		assert_eq!((status.used, status.locked, status.reset_votes), (0, false, 0));
		assert!(!UnlockVotes::<T>::contains_key(escrow));
		assert!(KeyEscrow::guesses(&escrow).is_empty());
		assert_eq!(guess_hold(STRANGER), 0);

		// A new round of votes starts from zero.
		assert_ok!(KeyEscrow::unlock_escrow(signed(GUARDIAN_A), escrow));
		assert_eq!(KeyEscrow::guess_status(&escrow).unwrap().reset_votes, 1);
	});
}

/// A vote cast by a guardian the owner has since removed from the policy does not count
/// towards the new guardians' threshold.
#[test]
fn votes_of_removed_guardians_do_not_count() {
	new_test_ext().execute_with(|| {
		let escrow = create_with(policy(false, vec![GUARDIAN_A, GUARDIAN_B], 2, vec![], 2));
		for i in 0..MAX_GUESSES {
			guess(STRANGER, escrow, i as u8 + 1);
		}
		assert_ok!(KeyEscrow::unlock_escrow(signed(GUARDIAN_A), escrow));
		// GUARDIAN_A is replaced by CA.
		assert_ok!(KeyEscrow::update_policy(
			signed(OWNER),
			escrow,
			policy(false, vec![GUARDIAN_B, CA], 2, vec![], 2)
		));
		assert_eq!(KeyEscrow::guess_status(&escrow).unwrap().reset_votes, 0);
		assert_ok!(KeyEscrow::unlock_escrow(signed(GUARDIAN_B), escrow));
		assert!(has_event(Event::UnlockVoted {
			escrow,
			guardian: GUARDIAN_B,
			votes: 1,
			needed: 2,
		}));
		assert!(KeyEscrow::guess_status(&escrow).unwrap().locked);
		assert_eq!(KeyEscrow::guesses(&escrow).len() as u32, MAX_GUESSES);
		assert_ok!(KeyEscrow::unlock_escrow(signed(CA), escrow));
		assert!(!KeyEscrow::guess_status(&escrow).unwrap().locked);
		assert!(has_event(Event::GuessesReset { escrow, by: CA }));
	});
}

/// A re-split ends every open guess (deposits to the owner, its own returned), restarts the
/// counter, and switches the OPRF keys and the recovery key: from then on only the new
/// split's recovery key opens a request.
#[test]
fn reshare_ends_the_guesses_and_switches_the_recovery_key() {
	new_test_ext().execute_with(|| {
		let escrow = create_with(passphrase_policy());
		let ids = [guess(STRANGER, escrow, 1), guess(STRANGER, escrow, 2), guess(OWNER, escrow, 3)];
		for id in ids {
			evaluate(escrow, id, 2);
		}
		assert!(KeyEscrow::guess_status(&escrow).unwrap().locked);
		let owner_free = Balances::free_balance(OWNER);
		let owner_escrow_hold = escrow_hold(OWNER);

		let new_pair = sr25519::Pair::from_seed(&[9; 32]);
		let new_oprf_keys: Vec<H256> = (0..3u8).map(|i| H256::repeat_byte(0xe0 + i)).collect();
		let mut new_split = split(2, 3, StorageMode::OnChain);
		new_split.recovery_key = new_pair.public();
		new_split.oprf_keys = BoundedVec::try_from(new_oprf_keys.clone()).unwrap();
		assert_ok!(KeyEscrow::reshare(signed(OWNER), escrow, new_split, None));

		assert!(has_event(Event::GuessesReset { escrow, by: OWNER }));
		assert_eq!(GuessCounters::<T>::get(escrow), GuessCounter { used: 0, next_id: 3 });
		assert!(KeyEscrow::guesses(&escrow).is_empty());
		assert_eq!(stored_evaluations(), 0);
		assert_eq!(guess_hold(STRANGER), 0);
		assert_eq!(guess_hold(OWNER), 0);
		assert_eq!(Balances::free_balance(STRANGER), START_BALANCE - 2 * GUESS_DEPOSIT);
		// Two stranger deposits paid, the owner's own released; the escrow deposit shrank.
		assert_eq!(
			Balances::free_balance(OWNER),
			owner_free + 3 * GUESS_DEPOSIT + (owner_escrow_hold - escrow_hold(OWNER))
		);
		let record = KeyEscrow::escrow(&escrow).unwrap();
		assert_eq!(record.recovery_key, new_pair.public());
		assert_eq!(record.generation, 1);
		let slot_keys: Vec<H256> = record.custodians.iter().map(|slot| slot.oprf_key).collect();
		assert_eq!(slot_keys, new_oprf_keys);
		// A late evaluation of an ended guess finds nothing.
		assert_noop!(
			KeyEscrow::record_evaluation(signed(custodian(0)), escrow, ids[0], 0, evaluation(1)),
			Error::<T>::UnknownGuess
		);
		// New guesses are made under the new generation.
		let id = guess(REQUESTER, escrow, 4);
		assert_eq!(Guesses::<T>::get(escrow, id).unwrap().generation, 1);

		let old = sign_request(&recovery_pair(), escrow, REQUESTER, ONE_TIME_KEY);
		assert_noop!(
			KeyEscrow::initiate_recovery(signed(REQUESTER), escrow, ONE_TIME_KEY, Some(old)),
			Error::<T>::BadRecoverySignature
		);
		let new = sign_request(&new_pair, escrow, REQUESTER, ONE_TIME_KEY);
		assert_ok!(KeyEscrow::initiate_recovery(
			signed(REQUESTER),
			escrow,
			ONE_TIME_KEY,
			Some(new)
		));
		assert!(Requests::<T>::get(escrow).unwrap().recovery_key_verified);
	});
}

/// Removing an escrow ends its guesses (strangers' deposits to the owner) and removes its
/// evaluations, guess counter, reset votes and request nonce.
#[test]
fn remove_escrow_clears_guesses_evaluations_and_counters() {
	new_test_ext().execute_with(|| {
		let escrow = create_with(policy(false, vec![GUARDIAN_A, GUARDIAN_B], 2, vec![], 2));
		// A request opened, approved by one guardian (so its deposit comes back) and closed:
		// the nonce and a failed attempt are stored.
		initiate(escrow);
		assert_ok!(KeyEscrow::approve_recovery(signed(GUARDIAN_A), escrow, open_nonce(escrow)));
		assert_ok!(KeyEscrow::close_recovery(signed(REQUESTER), escrow));
		assert!(RequestNonces::<T>::contains_key(escrow));
		assert!(FailedAttempts::<T>::contains_key(escrow));
		for i in 0..2 {
			let id = guess(STRANGER, escrow, i + 1);
			evaluate(escrow, id, 0);
			evaluate(escrow, id, 3);
		}
		assert_ok!(KeyEscrow::unlock_escrow(signed(GUARDIAN_A), escrow));
		assert!(UnlockVotes::<T>::contains_key(escrow));
		assert!(GuessCounters::<T>::contains_key(escrow));
		assert_eq!(stored_evaluations(), 4);

		assert_ok!(KeyEscrow::remove_escrow(signed(OWNER), escrow));
		assert!(KeyEscrow::guesses(&escrow).is_empty());
		assert_eq!(Guesses::<T>::iter().count(), 0);
		assert_eq!(stored_evaluations(), 0);
		assert!(!GuessCounters::<T>::contains_key(escrow));
		assert!(!UnlockVotes::<T>::contains_key(escrow));
		assert!(!RequestNonces::<T>::contains_key(escrow));
		assert!(!FailedAttempts::<T>::contains_key(escrow));
		assert_eq!(KeyEscrow::guess_status(&escrow), None);
		// The escrow deposit came back and the stranger's two guesses were paid to the owner.
		assert_eq!(Balances::total_balance_on_hold(&OWNER), 0);
		assert_eq!(Balances::free_balance(OWNER), START_BALANCE + 2 * GUESS_DEPOSIT);
		assert_eq!(guess_hold(STRANGER), 0);
		assert_eq!(Balances::free_balance(STRANGER), START_BALANCE - 2 * GUESS_DEPOSIT);
	});
}

/// `pending_evaluations` lists, for a custodian, exactly the `(escrow, guess, index, blinded)`
/// of open guesses it has not evaluated in its acknowledged slots, across escrows; nothing
/// once its certificate is revoked.
#[test]
fn pending_evaluations_lists_exactly_what_a_custodian_should_evaluate() {
	new_test_ext().execute_with(|| {
		let sorted = |mut list: Vec<(EscrowId, u32, u32, H256)>| {
			list.sort();
			list
		};
		let on_chain = create(); // custodians 0..5, all acknowledged
		let held = create_held(STRANGER); // custodians 0..3, none acknowledged
		assert_ok!(KeyEscrow::acknowledge_share(signed(custodian(0)), held, 0, 0));
		assert!(KeyEscrow::pending_evaluations(&custodian(0)).is_empty());

		let a0 = guess(REQUESTER, on_chain, 1);
		let a1 = guess(REQUESTER, on_chain, 2);
		let b0 = guess(REQUESTER, held, 3);
		evaluate(on_chain, a0, 0);

		assert_eq!(
			sorted(KeyEscrow::pending_evaluations(&custodian(0))),
			sorted(vec![(on_chain, a1, 0, blinded(2)), (held, b0, 0, blinded(3))])
		);
		// Slot 1 of the custodian-held escrow is not acknowledged: only the on-chain guesses.
		assert_eq!(
			sorted(KeyEscrow::pending_evaluations(&custodian(1))),
			sorted(vec![(on_chain, a0, 1, blinded(1)), (on_chain, a1, 1, blinded(2))])
		);
		// Certified, but a custodian of neither escrow.
		assert!(KeyEscrow::pending_evaluations(&custodian(6)).is_empty());
		assert!(KeyEscrow::pending_evaluations(&STRANGER).is_empty());

		revoke(custodian(1));
		assert!(KeyEscrow::pending_evaluations(&custodian(1)).is_empty());

		evaluate(on_chain, a1, 0);
		evaluate(held, b0, 0);
		assert!(KeyEscrow::pending_evaluations(&custodian(0)).is_empty());
		// Ended guesses are no longer pending.
		assert!(!KeyEscrow::pending_evaluations(&custodian(2)).is_empty());
		assert_ok!(KeyEscrow::unlock_escrow(signed(OWNER), on_chain));
		assert!(KeyEscrow::pending_evaluations(&custodian(2)).is_empty());
	});
}

/// The guess limit must be in `1..=MaxGuessLimit`, at creation and at a policy update.
#[test]
fn the_guess_limit_is_checked_at_create_and_update_policy() {
	new_test_ext().execute_with(|| {
		for max_guesses in [0, MAX_GUESS_LIMIT + 1] {
			assert_noop!(
				KeyEscrow::create_escrow(
					signed(OWNER),
					FINGERPRINT,
					KeyKind::Sr25519Seed,
					split(3, 5, StorageMode::OnChain),
					RecoveryPolicy { max_guesses, ..guardian_policy() }
				),
				Error::<T>::InvalidGuessLimit
			);
		}
		let escrow = create_with(RecoveryPolicy { max_guesses: 1, ..guardian_policy() });
		for max_guesses in [0, MAX_GUESS_LIMIT + 1] {
			assert_noop!(
				KeyEscrow::update_policy(
					signed(OWNER),
					escrow,
					RecoveryPolicy { max_guesses, ..guardian_policy() }
				),
				Error::<T>::InvalidGuessLimit
			);
		}
		let widest = RecoveryPolicy { max_guesses: MAX_GUESS_LIMIT, ..guardian_policy() };
		assert_ok!(KeyEscrow::update_policy(signed(OWNER), escrow, widest));
		assert_eq!(KeyEscrow::guess_status(&escrow).unwrap().max_guesses, MAX_GUESS_LIMIT);
	});
}

/// A split needs exactly one OPRF key per custodian, at creation and at a re-split.
#[test]
fn a_split_needs_one_oprf_key_per_custodian() {
	new_test_ext().execute_with(|| {
		let mut fewer = split(2, 3, StorageMode::OnChain);
		fewer.oprf_keys.pop();
		let mut more = split(2, 3, StorageMode::OnChain);
		more.oprf_keys.try_push(oprf_key(3)).unwrap();
		for bad in [fewer, more] {
			assert_noop!(
				KeyEscrow::create_escrow(
					signed(OWNER),
					FINGERPRINT,
					KeyKind::Sr25519Seed,
					bad.clone(),
					guardian_policy()
				),
				Error::<T>::OprfKeyCountMismatch
			);
		}
		let escrow = create();
		let mut fewer = split(2, 3, StorageMode::OnChain);
		fewer.oprf_keys.pop();
		assert_noop!(
			KeyEscrow::reshare(signed(OWNER), escrow, fewer, None),
			Error::<T>::OprfKeyCountMismatch
		);
	});
}
