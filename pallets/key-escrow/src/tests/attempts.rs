//! Failed attempts: back-off, the attempt limit, and `unlock_escrow` clearing them.

use super::*;

/// Opens a request by REQUESTER, has GUARDIAN_A approve it (a factor, so it counts) and closes
/// it without releases: one failed attempt.
fn fail_once(escrow: EscrowId) {
	initiate(escrow);
	assert_ok!(KeyEscrow::approve_recovery(signed(GUARDIAN_A), escrow, open_nonce(escrow)));
	assert_ok!(KeyEscrow::close_recovery(signed(REQUESTER), escrow));
}

/// Requests that satisfied a factor and failed impose a back-off that doubles with each
/// failure; at the policy's limit no request opens until the owner unlocks the escrow.
#[test]
fn failed_attempts_back_off_doubling_up_to_the_limit() {
	new_test_ext().execute_with(|| {
		let escrow = create(); // max_attempts 3
		let mut expected_backoff = BASE_BACKOFF;
		for failed in 1..=3u32 {
			fail_once(escrow);
			let attempts = FailedAttempts::<T>::get(escrow).unwrap();
			assert_eq!(attempts.failed, failed);
			assert_eq!(attempts.next_allowed, now() + expected_backoff);
			assert!(has_event(Event::RecoveryClosed {
				escrow,
				requester: REQUESTER,
				succeeded: false,
				forfeited: false,
			}));
			// The deposit of a request with a factor comes back.
			assert_eq!(Balances::free_balance(REQUESTER), START_BALANCE);
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
		assert_ok!(KeyEscrow::unlock_escrow(signed(OWNER), escrow));
		initiate(escrow);
	});
}

/// The owner unlocks at once: the failed attempts and their back-off are cleared (with both
/// `GuessesReset` and `AttemptsReset` naming the owner). Neither a stranger nor the requester
/// may unlock.
#[test]
fn the_owner_unlocks_the_attempts() {
	new_test_ext().execute_with(|| {
		let escrow = create();
		fail_once(escrow);
		assert_eq!(FailedAttempts::<T>::get(escrow).unwrap().failed, 1);
		for who in [STRANGER, REQUESTER] {
			assert_noop!(
				KeyEscrow::unlock_escrow(signed(who), escrow),
				Error::<T>::NotAllowedToUnlock
			);
		}
		assert_ok!(KeyEscrow::unlock_escrow(signed(OWNER), escrow));
		assert!(!FailedAttempts::<T>::contains_key(escrow));
		assert!(has_event(Event::GuessesReset { escrow, by: OWNER }));
		System::assert_last_event(RuntimeEvent::KeyEscrow(Event::AttemptsReset {
			escrow,
			by: OWNER,
		}));
		// No back-off any more.
		initiate(escrow);
	});
}
