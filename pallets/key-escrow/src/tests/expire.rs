//! `expire_recovery` of stale requests.

use super::*;

/// A request that satisfied a factor (a guardian approved) but expired without `t` releases:
/// anyone closes it, the requester gets its deposit back, and it counts as a failure.
#[test]
fn stale_requests_expire_and_count_as_failures() {
	new_test_ext().execute_with(|| {
		let escrow = create();
		initiate(escrow);
		assert_ok!(KeyEscrow::approve_recovery(signed(GUARDIAN_A), escrow, open_nonce(escrow)));
		let expires_at = Requests::<T>::get(escrow).unwrap().expires_at;
		go_to(expires_at - 1);
		assert_noop!(KeyEscrow::expire_recovery(signed(STRANGER), escrow), Error::<T>::NotExpired);
		go_to(expires_at);
		assert_ok!(KeyEscrow::expire_recovery(signed(STRANGER), escrow));
		assert!(has_event(Event::RecoveryClosed {
			escrow,
			requester: REQUESTER,
			succeeded: false,
			forfeited: false,
		}));
		assert_eq!(FailedAttempts::<T>::get(escrow).unwrap().failed, 1);
		assert_eq!(Balances::free_balance(REQUESTER), START_BALANCE);
		assert_noop!(
			KeyEscrow::expire_recovery(signed(STRANGER), escrow),
			Error::<T>::NoOpenRequest
		);
	});
}

/// An expired request with `t` releases succeeded: no failure is recorded.
#[test]
fn an_expired_request_with_threshold_releases_succeeded() {
	new_test_ext().execute_with(|| {
		let escrow = create();
		make_releasable(escrow);
		for i in 0..3u32 {
			assert_ok!(KeyEscrow::release_share(
				signed(custodian(i as u64)),
				escrow,
				open_nonce(escrow),
				i,
				payload(1)
			));
		}
		go_to(Requests::<T>::get(escrow).unwrap().expires_at);
		assert_ok!(KeyEscrow::expire_recovery(signed(STRANGER), escrow));
		assert!(has_event(Event::RecoveryClosed {
			escrow,
			requester: REQUESTER,
			succeeded: true,
			forfeited: false
		}));
		assert!(!FailedAttempts::<T>::contains_key(escrow));
	});
}
