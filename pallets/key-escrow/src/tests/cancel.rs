//! `cancel_recovery` by the owner.

use super::*;

#[test]
fn owner_cancel_inside_the_delay_pays_the_owner_and_counts_a_failure() {
	new_test_ext().execute_with(|| {
		let escrow = create();
		assert_noop!(KeyEscrow::cancel_recovery(signed(OWNER), escrow), Error::<T>::NoOpenRequest);
		initiate(escrow);
		assert_ok!(KeyEscrow::approve_recovery(signed(GUARDIAN_A), escrow, open_nonce(escrow)));
		assert_noop!(KeyEscrow::cancel_recovery(signed(REQUESTER), escrow), Error::<T>::NotOwner);
		let owner_free = Balances::free_balance(OWNER);
		go_to(2); // inside the delay (release at 3)
		assert_ok!(KeyEscrow::cancel_recovery(signed(OWNER), escrow));
		assert_eq!(Balances::free_balance(OWNER), owner_free + RECOVERY_DEPOSIT);
		assert_eq!(Balances::total_balance(&REQUESTER), START_BALANCE - RECOVERY_DEPOSIT);
		assert_eq!(request_hold(REQUESTER), 0);
		assert!(!Requests::<T>::contains_key(escrow));
		assert!(has_event(Event::RecoveryCancelled { escrow, requester: REQUESTER }));
		assert!(has_event(Event::RecoveryAttemptFailed {
			escrow,
			failed: 1,
			next_allowed: 2 + BASE_BACKOFF
		}));
		// Nothing can be released to a cancelled request.
		go_to(10);
		assert_noop!(
			KeyEscrow::release_share(signed(custodian(0)), escrow, 0, 0, payload(1)),
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
