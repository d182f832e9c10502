//! Recovery authorizations: `authorize_recovery` and `revoke_authorization`.

use super::*;

#[test]
fn authorize_recovery_by_authority_works() {
	new_test_ext().execute_with(|| {
		add_ca(CA);
		System::set_block_number(5);
		let escrow = H256::repeat_byte(9);
		assert_ok!(Certificates::authorize_recovery(signed(CA), escrow, BOB, 10));
		let (record, _) = Authorizations::<T>::get(escrow, BOB).unwrap();
		assert_eq!(record, RecoveryAuthorization { issuer: CA, issued_at: 5, expires_at: 15 });
		assert_last_event(Event::RecoveryAuthorized {
			escrow,
			requester: BOB,
			issuer: CA,
			expires_at: 15,
		});
		assert_eq!(authorization_held(CA), authorization_deposit());
		// Edges: counts up to expires_at - 1, not at expires_at.
		assert_eq!(Certificates::recovery_authorization(&escrow, &BOB, 5), Some(CA));
		assert_eq!(Certificates::recovery_authorization(&escrow, &BOB, 14), Some(CA));
		assert_eq!(Certificates::recovery_authorization(&escrow, &BOB, 15), None);
		assert_eq!(Certificates::recovery_authorization(&escrow, &BOB, 100), None);
		// Only for that escrow and requester.
		assert_eq!(Certificates::recovery_authorization(&escrow, &ALICE, 5), None);
		assert_eq!(Certificates::recovery_authorization(&H256::repeat_byte(8), &BOB, 5), None);
	});
}

#[test]
fn authorize_recovery_by_attestor_works() {
	new_test_ext().execute_with(|| {
		add_ca(CA);
		let attestor_cert = issue_attestor(CA, ATTESTOR, 20);
		let escrow = H256::repeat_byte(9);
		assert_ok!(Certificates::authorize_recovery(signed(ATTESTOR), escrow, BOB, 50));
		assert_eq!(authorization_held(ATTESTOR), authorization_deposit());
		assert_eq!(Certificates::recovery_authorization(&escrow, &BOB, now()), Some(ATTESTOR));
		// The record counts only while the attestor's certificate is valid: it expires at 21.
		assert_eq!(Certificates::recovery_authorization(&escrow, &BOB, 20), Some(ATTESTOR));
		assert_eq!(Certificates::recovery_authorization(&escrow, &BOB, 21), None);
		// Revoking the attestor certificate stops it at once, and the attestor cannot authorize.
		assert_ok!(Certificates::revoke_certificate(
			signed(CA),
			attestor_cert,
			RevocationReason::KeyCompromise
		));
		assert_eq!(Certificates::recovery_authorization(&escrow, &BOB, now()), None);
		assert_noop!(
			Certificates::authorize_recovery(signed(ATTESTOR), escrow, CHARLIE, 10),
			Error::<T>::NotAllowedToAuthorize
		);
		// The attestor can still revoke its own record and get the deposit back.
		assert_ok!(Certificates::revoke_authorization(signed(ATTESTOR), escrow, BOB));
		assert_ok!(Certificates::remove_certificate(signed(NOBODY), attestor_cert));
		assert_all_balances_restored();
	});
}

#[test]
fn not_allowed_to_authorize() {
	new_test_ext().execute_with(|| {
		add_ca(CA);
		let escrow = H256::repeat_byte(9);
		assert_noop!(
			Certificates::authorize_recovery(signed(NOBODY), escrow, BOB, 10),
			Error::<T>::NotAllowedToAuthorize
		);
		// Custodians and validators are not attestors.
		issue_custodian(CA, ALICE, 1, 100);
		issue_with(CA, ALICE, Role::Validator, vec![sr(1)], 100);
		assert_noop!(
			Certificates::authorize_recovery(signed(ALICE), escrow, BOB, 10),
			Error::<T>::NotAllowedToAuthorize
		);
		// An expired attestor certificate does not count.
		issue_attestor(CA, ATTESTOR, 10);
		System::set_block_number(11);
		assert_noop!(
			Certificates::authorize_recovery(signed(ATTESTOR), escrow, BOB, 10),
			Error::<T>::NotAllowedToAuthorize
		);
		assert_noop!(Certificates::authorize_recovery(root(), escrow, BOB, 10), BadOrigin);
	});
}

#[test]
fn authorize_recovery_replaces_own_record() {
	new_test_ext().execute_with(|| {
		add_ca(CA);
		let escrow = H256::repeat_byte(9);
		assert_ok!(Certificates::authorize_recovery(signed(CA), escrow, BOB, 10));
		System::set_block_number(5);
		assert_ok!(Certificates::authorize_recovery(signed(CA), escrow, BOB, 50));
		let (record, _) = Authorizations::<T>::get(escrow, BOB).unwrap();
		assert_eq!(record, RecoveryAuthorization { issuer: CA, issued_at: 5, expires_at: 55 });
		// One deposit, not two.
		assert_eq!(authorization_held(CA), authorization_deposit());
		// Shortening works too.
		assert_ok!(Certificates::authorize_recovery(signed(CA), escrow, BOB, 1));
		assert_eq!(Certificates::recovery_authorization(&escrow, &BOB, 5), Some(CA));
		assert_eq!(Certificates::recovery_authorization(&escrow, &BOB, 6), None);
		assert_eq!(authorization_held(CA), authorization_deposit());
		assert_ok!(Certificates::revoke_authorization(signed(CA), escrow, BOB));
		assert_all_balances_restored();
	});
}

#[test]
fn authorized_by_other() {
	new_test_ext().execute_with(|| {
		add_ca(CA);
		add_ca(CA2);
		issue_attestor(CA, ATTESTOR, 100);
		let escrow = H256::repeat_byte(9);
		assert_ok!(Certificates::authorize_recovery(signed(CA), escrow, BOB, 10));
		assert_noop!(
			Certificates::authorize_recovery(signed(CA2), escrow, BOB, 10),
			Error::<T>::AuthorizedByOther
		);
		assert_noop!(
			Certificates::authorize_recovery(signed(ATTESTOR), escrow, BOB, 10),
			Error::<T>::AuthorizedByOther
		);
		// Up to the last block of the record.
		System::set_block_number(10);
		assert_noop!(
			Certificates::authorize_recovery(signed(CA2), escrow, BOB, 10),
			Error::<T>::AuthorizedByOther
		);
		// Other requesters and escrows are independent.
		assert_ok!(Certificates::authorize_recovery(signed(CA2), escrow, ALICE, 10));
		assert_ok!(Certificates::authorize_recovery(signed(CA2), H256::repeat_byte(8), BOB, 10));
	});
}

#[test]
fn authorize_recovery_replaces_expired_record_of_other_issuer() {
	new_test_ext().execute_with(|| {
		add_ca(CA);
		add_ca(CA2);
		let escrow = H256::repeat_byte(9);
		assert_ok!(Certificates::authorize_recovery(signed(CA), escrow, BOB, 10));
		System::set_block_number(11);
		assert_ok!(Certificates::authorize_recovery(signed(CA2), escrow, BOB, 10));
		assert_eq!(Certificates::recovery_authorization(&escrow, &BOB, now()), Some(CA2));
		// CA's deposit went back, CA2 holds one.
		assert_eq!(authorization_held(CA), 0);
		assert_eq!(authorization_held(CA2), authorization_deposit());
		let events = certificate_events();
		assert_eq!(
			events[events.len() - 2..],
			[
				Event::AuthorizationRevoked { escrow, requester: BOB },
				Event::RecoveryAuthorized { escrow, requester: BOB, issuer: CA2, expires_at: 21 },
			]
		);
		assert_ok!(Certificates::revoke_authorization(signed(CA2), escrow, BOB));
		assert_all_balances_restored();
	});
}

#[test]
fn authorize_recovery_replaces_record_of_removed_authority() {
	new_test_ext().execute_with(|| {
		add_ca(CA);
		add_ca(CA2);
		let escrow = H256::repeat_byte(9);
		assert_ok!(Certificates::authorize_recovery(signed(CA), escrow, BOB, 50));
		assert_ok!(Certificates::remove_authority(root(), CA));
		assert_ok!(Certificates::authorize_recovery(signed(CA2), escrow, BOB, 50));
		assert_eq!(Certificates::recovery_authorization(&escrow, &BOB, now()), Some(CA2));
		assert_eq!(authorization_held(CA), 0);
		assert_ok!(Certificates::revoke_authorization(signed(CA2), escrow, BOB));
		assert_all_balances_restored();
	});
}

#[test]
fn revoke_authorization_by_issuer_works() {
	new_test_ext().execute_with(|| {
		add_ca(CA);
		let escrow = H256::repeat_byte(9);
		assert_ok!(Certificates::authorize_recovery(signed(CA), escrow, BOB, 10));
		assert_ok!(Certificates::revoke_authorization(signed(CA), escrow, BOB));
		assert_last_event(Event::AuthorizationRevoked { escrow, requester: BOB });
		assert!(!Authorizations::<T>::contains_key(escrow, BOB));
		assert_eq!(Certificates::recovery_authorization(&escrow, &BOB, now()), None);
		assert_all_balances_restored();
	});
}

#[test]
fn revoke_authorization_by_other_authority_refunds_issuer() {
	new_test_ext().execute_with(|| {
		add_ca(CA);
		add_ca(CA2);
		issue_attestor(CA, ATTESTOR, 100);
		let escrow = H256::repeat_byte(9);
		assert_ok!(Certificates::authorize_recovery(signed(ATTESTOR), escrow, BOB, 10));
		assert_ok!(Certificates::revoke_authorization(signed(CA2), escrow, BOB));
		assert_eq!(authorization_held(ATTESTOR), 0);
		assert_eq!(Balances::free_balance(ATTESTOR), START_BALANCE);
		assert_eq!(Balances::free_balance(CA2), START_BALANCE);
		// An expired record can be revoked too.
		assert_ok!(Certificates::authorize_recovery(signed(CA), escrow, BOB, 10));
		System::set_block_number(50);
		assert_ok!(Certificates::revoke_authorization(signed(CA), escrow, BOB));
		assert_eq!(authorization_held(CA), 0);
	});
}

#[test]
fn unknown_authorization() {
	new_test_ext().execute_with(|| {
		add_ca(CA);
		let escrow = H256::repeat_byte(9);
		assert_noop!(
			Certificates::revoke_authorization(signed(CA), escrow, BOB),
			Error::<T>::UnknownAuthorization
		);
		assert_ok!(Certificates::authorize_recovery(signed(CA), escrow, BOB, 10));
		assert_ok!(Certificates::revoke_authorization(signed(CA), escrow, BOB));
		assert_noop!(
			Certificates::revoke_authorization(signed(CA), escrow, BOB),
			Error::<T>::UnknownAuthorization
		);
	});
}

#[test]
fn not_allowed_to_revoke_authorization() {
	new_test_ext().execute_with(|| {
		add_ca(CA);
		issue_attestor(CA, ATTESTOR, 100);
		issue_attestor(CA, ATTESTOR2, 100);
		let escrow = H256::repeat_byte(9);
		assert_ok!(Certificates::authorize_recovery(signed(ATTESTOR), escrow, BOB, 10));
		// Not the requester, not another attestor, not a stranger.
		for who in [BOB, ATTESTOR2, NOBODY] {
			assert_noop!(
				Certificates::revoke_authorization(signed(who), escrow, BOB),
				Error::<T>::NotAllowedToRevokeAuthorization
			);
		}
		assert_noop!(Certificates::revoke_authorization(root(), escrow, BOB), BadOrigin);
	});
}
