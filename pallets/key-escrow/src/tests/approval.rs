//! `approve_recovery` and `attach_authorization`.

use super::*;

#[test]
fn guardians_approve_up_to_their_threshold() {
	new_test_ext().execute_with(|| {
		let escrow = create_with(policy(false, vec![GUARDIAN_A, GUARDIAN_B], 2, vec![], 3));
		assert_noop!(
			KeyEscrow::approve_recovery(signed(GUARDIAN_A), escrow, 0),
			Error::<T>::NoOpenRequest
		);
		assert_noop!(
			KeyEscrow::approve_recovery(signed(GUARDIAN_A), H256::zero(), 0),
			Error::<T>::UnknownEscrow
		);
		initiate(escrow);
		assert_noop!(
			KeyEscrow::approve_recovery(signed(STRANGER), escrow, open_nonce(escrow)),
			Error::<T>::NotGuardian
		);
		assert_ok!(KeyEscrow::approve_recovery(signed(GUARDIAN_A), escrow, open_nonce(escrow)));
		assert!(has_event(Event::RecoveryApprovedByGuardian { escrow, guardian: GUARDIAN_A }));
		assert_noop!(
			KeyEscrow::approve_recovery(signed(GUARDIAN_A), escrow, open_nonce(escrow)),
			Error::<T>::AlreadyApproved
		);
		assert_eq!(Requests::<T>::get(escrow).unwrap().release_at, None);
		go_to(4);
		assert_ok!(KeyEscrow::approve_recovery(signed(GUARDIAN_B), escrow, open_nonce(escrow)));
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
			KeyEscrow::approve_recovery(signed(GUARDIAN_A), escrow, open_nonce(escrow)),
			Error::<T>::NotReleasable
		);
		assert_noop!(
			KeyEscrow::attach_authorization(signed(REQUESTER), escrow),
			Error::<T>::NotReleasable
		);
	});
}

#[test]
fn authorizations_from_accepted_authorities_are_attached() {
	new_test_ext().execute_with(|| {
		let escrow = create_with(policy(false, vec![GUARDIAN_A], 1, vec![CA], 2));
		assert_noop!(
			KeyEscrow::attach_authorization(signed(REQUESTER), escrow),
			Error::<T>::NoOpenRequest
		);
		assert_noop!(
			KeyEscrow::attach_authorization(signed(REQUESTER), H256::zero()),
			Error::<T>::UnknownEscrow
		);
		initiate(escrow);
		assert_noop!(
			KeyEscrow::attach_authorization(signed(REQUESTER), escrow),
			Error::<T>::NoAuthorization
		);
		// An authorization for another requester, or an expired one, does not count.
		authorize(CA, escrow, STRANGER, 100);
		assert_noop!(
			KeyEscrow::attach_authorization(signed(REQUESTER), escrow),
			Error::<T>::NoAuthorization
		);
		authorize(CA, escrow, REQUESTER, now());
		assert_noop!(
			KeyEscrow::attach_authorization(signed(REQUESTER), escrow),
			Error::<T>::NoAuthorization
		);
		// From an authority the owner did not accept.
		authorize(STRANGER, escrow, REQUESTER, 100);
		assert_noop!(
			KeyEscrow::attach_authorization(signed(REQUESTER), escrow),
			Error::<T>::NoAuthorization
		);
		// The accepted CA's own record counts, beside the stranger's (which stays).
		authorize(CA, escrow, REQUESTER, 100);
		assert_ok!(KeyEscrow::approve_recovery(signed(GUARDIAN_A), escrow, open_nonce(escrow)));
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
