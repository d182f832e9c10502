//! Failed attempts: back-off, the attempt limit and `reset_attempts`.

use super::*;

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
