//! `release_share` and the whole state machine up to `close_recovery`.

use super::*;

#[test]
fn full_recovery_approve_delay_release_complete_close() {
	new_test_ext().execute_with(|| {
		let pair = recovery_pair();
		let escrow = create_with(policy(true, vec![GUARDIAN_A, GUARDIAN_B], 1, vec![CA], 2));
		let signature = sign_request(&pair, escrow, REQUESTER, ONE_TIME_KEY);
		assert_ok!(KeyEscrow::initiate_recovery(
			signed(REQUESTER),
			escrow,
			ONE_TIME_KEY,
			Some(signature)
		));
		let nonce = open_nonce(escrow);
		assert_eq!(KeyEscrow::request_phase(&escrow), Some(RequestPhase::AwaitingApproval));
		assert_noop!(
			KeyEscrow::release_share(signed(custodian(0)), escrow, nonce, 0, payload(1)),
			Error::<T>::NotReleasable
		);
		assert_ok!(KeyEscrow::approve_recovery(signed(GUARDIAN_B), escrow, nonce));
		authorize(CA, escrow, REQUESTER, 100);
		go_to(2);
		assert_ok!(KeyEscrow::attach_authorization(signed(REQUESTER), escrow));
		assert_eq!(KeyEscrow::request_phase(&escrow), Some(RequestPhase::Delay { release_at: 4 }));
		go_to(3);
		assert_noop!(
			KeyEscrow::release_share(signed(custodian(0)), escrow, nonce, 0, payload(1)),
			Error::<T>::NotReleasable
		);
		go_to(4);
		assert_eq!(KeyEscrow::request_phase(&escrow), Some(RequestPhase::Releasable));
		assert!(KeyEscrow::is_releasable(&escrow));
		for i in 0..5u32 {
			assert_ok!(KeyEscrow::release_share(
				signed(custodian(i as u64)),
				escrow,
				nonce,
				i,
				payload(i as u8)
			));
			assert!(has_event(Event::ShareReleased {
				escrow,
				index: i,
				custodian: custodian(i as u64)
			}));
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
		assert!(has_event(Event::RecoveryClosed {
			escrow,
			requester: REQUESTER,
			succeeded: true,
			forfeited: false
		}));
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
			KeyEscrow::release_share(signed(custodian(0)), escrow, 0, 0, payload(1)),
			Error::<T>::NoOpenRequest
		);
		assert_noop!(
			KeyEscrow::release_share(signed(custodian(0)), H256::zero(), 0, 0, payload(1)),
			Error::<T>::UnknownEscrow
		);
		make_releasable(escrow);
		let nonce = open_nonce(escrow);
		assert_noop!(
			KeyEscrow::release_share(signed(custodian(0)), escrow, nonce, 5, payload(1)),
			Error::<T>::UnknownShare
		);
		assert_noop!(
			KeyEscrow::release_share(signed(custodian(1)), escrow, nonce, 0, payload(1)),
			Error::<T>::NotThisCustodian
		);
		assert_noop!(
			KeyEscrow::release_share(signed(custodian(0)), escrow, nonce, 0, BoundedVec::new()),
			Error::<T>::EmptyPayload
		);
		// Revoked, then expired, custodians are refused.
		revoke(custodian(0));
		assert_noop!(
			KeyEscrow::release_share(signed(custodian(0)), escrow, nonce, 0, payload(1)),
			Error::<T>::CustodianNotCertified
		);
		certify(custodian(1), custodian_key(custodian(1)), now());
		assert_noop!(
			KeyEscrow::release_share(signed(custodian(1)), escrow, nonce, 1, payload(1)),
			Error::<T>::CustodianNotCertified
		);
		assert_ok!(KeyEscrow::release_share(signed(custodian(2)), escrow, nonce, 2, payload(1)));
		assert_noop!(
			KeyEscrow::release_share(signed(custodian(2)), escrow, nonce, 2, payload(2)),
			Error::<T>::AlreadyReleased
		);
		// After expiry.
		go_to(Requests::<T>::get(escrow).unwrap().expires_at);
		assert_noop!(
			KeyEscrow::release_share(signed(custodian(3)), escrow, nonce, 3, payload(1)),
			Error::<T>::NotReleasable
		);
	});
}

#[test]
fn pending_releases_lists_what_a_custodian_may_release_now() {
	new_test_ext().execute_with(|| {
		let escrow = create();
		let held = create_held(STRANGER);
		assert_ok!(KeyEscrow::acknowledge_share(signed(custodian(0)), held, 0, 0));
		// No request yet, then a request still in its delay: nothing to release.
		assert!(KeyEscrow::pending_releases(&custodian(0)).is_empty());
		initiate(escrow);
		assert_ok!(KeyEscrow::approve_recovery(signed(GUARDIAN_A), escrow, open_nonce(escrow)));
		assert_ok!(KeyEscrow::initiate_recovery(signed(REQUESTER), held, ONE_TIME_KEY, None));
		assert_ok!(KeyEscrow::approve_recovery(signed(GUARDIAN_A), held, open_nonce(held)));
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
		assert_ok!(KeyEscrow::release_share(
			signed(custodian(0)),
			escrow,
			open_nonce(escrow),
			0,
			payload(1)
		));
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
			assert_ok!(KeyEscrow::acknowledge_share(signed(custodian(i as u64)), escrow, i, 0));
		}
		make_releasable(escrow);
		let nonce = open_nonce(escrow);
		assert_noop!(
			KeyEscrow::release_share(signed(custodian(2)), escrow, nonce, 2, payload(1)),
			Error::<T>::ShareNotHeld
		);
		for i in 0..2u32 {
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
			forfeited: false
		}));
	});
}
