//! Recovery authorizations: `authorize_recovery` and `revoke_authorization`, with records keyed
//! by `(escrow, requester)` and issuer.

use super::*;

/// The record of `issuer` for `escrow` and `requester`.
fn record(escrow: H256, requester: u64, issuer: u64) -> Option<RecoveryAuthorization<u64, u64>> {
	Authorizations::<T>::get((escrow, requester), issuer).map(|(record, _)| record)
}

#[test]
fn authorize_recovery_by_authority_works() {
	new_test_ext().execute_with(|| {
		add_ca(CA);
		System::set_block_number(5);
		let escrow = H256::repeat_byte(9);
		assert_ok!(Certificates::authorize_recovery(signed(CA), escrow, BOB, 10));
		assert_eq!(
			record(escrow, BOB, CA),
			Some(RecoveryAuthorization { issuer: CA, issued_at: 5, expires_at: 15 })
		);
		assert_last_event(Event::RecoveryAuthorized {
			escrow,
			requester: BOB,
			issuer: CA,
			expires_at: 15,
		});
		assert_eq!(authorization_held(CA), authorization_deposit());
		// Edges: counts up to expires_at - 1, not at expires_at.
		assert!(authorized_by(escrow, BOB, CA, 5));
		assert!(authorized_by(escrow, BOB, CA, 14));
		assert!(!authorized_by(escrow, BOB, CA, 15));
		assert!(!authorized_by(escrow, BOB, CA, 100));
		assert_eq!(counting_issuers(escrow, BOB, 14), [CA]);
		assert_eq!(counting_issuers(escrow, BOB, 15), Vec::<u64>::new());
		// Only for that escrow, requester and issuer.
		assert!(!authorized_by(escrow, ALICE, CA, 5));
		assert!(!authorized_by(H256::repeat_byte(8), BOB, CA, 5));
		assert!(!authorized_by(escrow, BOB, CA2, 5));
		assert_eq!(counting_issuers(escrow, ALICE, 5), Vec::<u64>::new());
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
		assert!(authorized_by(escrow, BOB, ATTESTOR, now()));
		// The record counts only while the attestor's certificate is valid: it expires at 21.
		assert!(authorized_by(escrow, BOB, ATTESTOR, 20));
		assert!(!authorized_by(escrow, BOB, ATTESTOR, 21));
		// Revoking the attestor certificate stops it at once, and the attestor cannot authorize.
		assert_ok!(Certificates::revoke_certificate(
			signed(CA),
			attestor_cert,
			RevocationReason::KeyCompromise
		));
		assert!(!authorized_by(escrow, BOB, ATTESTOR, now()));
		assert_noop!(
			Certificates::authorize_recovery(signed(ATTESTOR), escrow, CHARLIE, 10),
			Error::<T>::NotAllowedToAuthorize
		);
		// The attestor can still revoke its own record and get the deposit back.
		assert_ok!(Certificates::revoke_authorization(signed(ATTESTOR), escrow, BOB, ATTESTOR));
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
		assert_eq!(
			record(escrow, BOB, CA),
			Some(RecoveryAuthorization { issuer: CA, issued_at: 5, expires_at: 55 })
		);
		// One record, one deposit, not two.
		assert_eq!(Authorizations::<T>::iter_prefix((escrow, BOB)).count(), 1);
		assert_eq!(authorization_held(CA), authorization_deposit());
		// Shortening works too.
		assert_ok!(Certificates::authorize_recovery(signed(CA), escrow, BOB, 1));
		assert!(authorized_by(escrow, BOB, CA, 5));
		assert!(!authorized_by(escrow, BOB, CA, 6));
		assert_eq!(authorization_held(CA), authorization_deposit());
		assert_ok!(Certificates::revoke_authorization(signed(CA), escrow, BOB, CA));
		assert_all_balances_restored();
	});
}

/// Security regression (issue 11, defect 5): when one record was kept per (escrow,
/// requester), an attestor that wrote it first made the `authorize_recovery` of the authority
/// the escrow's policy accepts fail with `AuthorizedByOther` for the whole lifetime of the
/// attestor's record (`MaxAuthorizationValidity`, 30 days in the runtime), so the accepted
/// authority's factor could not be had. Now the accepted CA's authorization is written and
/// counts despite the attestor's.
#[test]
fn accepted_ca_authorizes_despite_attestors_record() {
	new_test_ext().execute_with(|| {
		add_ca(CA);
		add_ca(CA2);
		issue_attestor(CA2, ATTESTOR, MAX_VALIDITY);
		let escrow = H256::repeat_byte(9);
		assert_ok!(Certificates::authorize_recovery(
			signed(ATTESTOR),
			escrow,
			BOB,
			MAX_AUTHORIZATION_VALIDITY
		));
		// The attack of the old code: the accepted CA authorizes right after.
		assert_ok!(Certificates::authorize_recovery(signed(CA), escrow, BOB, 10));
		assert_last_event(Event::RecoveryAuthorized {
			escrow,
			requester: BOB,
			issuer: CA,
			expires_at: now() + 10,
		});
		assert!(authorized_by(escrow, BOB, CA, now()));
		assert_eq!(counting_issuers(escrow, BOB, now()), [CA, ATTESTOR]);
		// And again late in the attestor's record's lifetime, renewing its own record.
		System::set_block_number(MAX_AUTHORIZATION_VALIDITY);
		assert!(authorized_by(escrow, BOB, ATTESTOR, now()));
		assert!(!authorized_by(escrow, BOB, CA, now()));
		assert_ok!(Certificates::authorize_recovery(signed(CA), escrow, BOB, 10));
		assert!(authorized_by(escrow, BOB, CA, now()));
		// The attestor's record is untouched, and each pays its own deposit.
		assert_eq!(
			record(escrow, BOB, ATTESTOR),
			Some(RecoveryAuthorization {
				issuer: ATTESTOR,
				issued_at: 1,
				expires_at: 1 + MAX_AUTHORIZATION_VALIDITY
			})
		);
		assert_eq!(authorization_held(CA), authorization_deposit());
		assert_eq!(authorization_held(ATTESTOR), authorization_deposit());
		// Nor can the attestor remove the CA's record.
		assert_noop!(
			Certificates::revoke_authorization(signed(ATTESTOR), escrow, BOB, CA),
			Error::<T>::NotAllowedToRevokeAuthorization
		);
	});
}

#[test]
fn records_of_two_issuers_coexist_and_count_independently() {
	new_test_ext().execute_with(|| {
		add_ca(CA);
		issue_attestor(CA, ATTESTOR, 100);
		let escrow = H256::repeat_byte(9);
		// The attestor's lasts to block 21, the CA's to block 31.
		assert_ok!(Certificates::authorize_recovery(signed(ATTESTOR), escrow, BOB, 20));
		assert_ok!(Certificates::authorize_recovery(signed(CA), escrow, BOB, 30));
		assert_eq!(Authorizations::<T>::iter_prefix((escrow, BOB)).count(), 2);
		assert_eq!(counting_issuers(escrow, BOB, now()), [CA, ATTESTOR]);
		assert_eq!(authorization_held(CA), authorization_deposit());
		assert_eq!(authorization_held(ATTESTOR), authorization_deposit());

		// Expiry of one leaves the other.
		assert_eq!(counting_issuers(escrow, BOB, 20), [CA, ATTESTOR]);
		assert_eq!(counting_issuers(escrow, BOB, 21), [CA]);
		assert_eq!(counting_issuers(escrow, BOB, 30), [CA]);
		assert_eq!(counting_issuers(escrow, BOB, 31), Vec::<u64>::new());

		// Revoking one leaves the other, and returns only the revoked one's deposit.
		assert_ok!(Certificates::revoke_authorization(signed(CA), escrow, BOB, CA));
		assert_last_event(Event::AuthorizationRevoked { escrow, requester: BOB, issuer: CA });
		assert_eq!(record(escrow, BOB, CA), None);
		assert_eq!(counting_issuers(escrow, BOB, now()), [ATTESTOR]);
		assert_eq!(authorization_held(CA), 0);
		assert_eq!(authorization_held(ATTESTOR), authorization_deposit());

		// The issuer's ability to authorize is per issuer too: the CA writes again, then
		// revoking the attestor's certificate stops only the attestor's record.
		assert_ok!(Certificates::authorize_recovery(signed(CA), escrow, BOB, 30));
		let attestor_cert = CurrentCertificate::<T>::get(ATTESTOR, Role::Attestor).unwrap();
		assert_ok!(Certificates::revoke_certificate(
			signed(CA),
			attestor_cert,
			RevocationReason::KeyCompromise
		));
		assert_eq!(counting_issuers(escrow, BOB, now()), [CA]);

		// A later record of one issuer leaves the other's as it was.
		System::set_block_number(25);
		add_ca(CA2);
		assert_ok!(Certificates::authorize_recovery(signed(CA2), escrow, BOB, 10));
		assert_eq!(counting_issuers(escrow, BOB, now()), [CA, CA2]);
		assert_eq!(
			record(escrow, BOB, CA),
			Some(RecoveryAuthorization { issuer: CA, issued_at: 1, expires_at: 31 })
		);
		for issuer in [CA, CA2, ATTESTOR] {
			assert_ok!(Certificates::revoke_authorization(signed(issuer), escrow, BOB, issuer));
		}
		assert_eq!(Authorizations::<T>::iter().count(), 0);
		assert_ok!(Certificates::remove_certificate(signed(NOBODY), attestor_cert));
		assert_all_balances_restored();
	});
}

#[test]
fn revoke_authorization_by_issuer_works() {
	new_test_ext().execute_with(|| {
		add_ca(CA);
		let escrow = H256::repeat_byte(9);
		assert_ok!(Certificates::authorize_recovery(signed(CA), escrow, BOB, 10));
		assert_ok!(Certificates::revoke_authorization(signed(CA), escrow, BOB, CA));
		assert_last_event(Event::AuthorizationRevoked { escrow, requester: BOB, issuer: CA });
		assert!(!Authorizations::<T>::contains_key((escrow, BOB), CA));
		assert!(!authorized_by(escrow, BOB, CA, now()));
		assert_all_balances_restored();
	});
}

#[test]
fn an_authority_cannot_revoke_another_issuers_live_record() {
	new_test_ext().execute_with(|| {
		add_ca(CA);
		add_ca(CA2);
		issue_attestor(CA2, ATTESTOR, 100);
		let escrow = H256::repeat_byte(9);
		assert_ok!(Certificates::authorize_recovery(signed(CA), escrow, BOB, 10));
		assert_ok!(Certificates::authorize_recovery(signed(ATTESTOR), escrow, BOB, 10));
		// Neither another authority (not even the one that certified the attestor) nor an
		// authority with a record of its own for the same pair.
		assert_ok!(Certificates::authorize_recovery(signed(CA2), escrow, BOB, 10));
		for (who, issuer) in [(CA2, CA), (CA, ATTESTOR), (CA2, ATTESTOR), (CA, CA2)] {
			assert_noop!(
				Certificates::revoke_authorization(signed(who), escrow, BOB, issuer),
				Error::<T>::NotAllowedToRevokeAuthorization
			);
		}
		// Up to the last block the records count.
		System::set_block_number(10);
		assert_noop!(
			Certificates::revoke_authorization(signed(CA2), escrow, BOB, CA),
			Error::<T>::NotAllowedToRevokeAuthorization
		);
		assert_eq!(counting_issuers(escrow, BOB, now()), [CA, CA2, ATTESTOR]);
		// Once a record no longer counts (here: expired), any authority may clean it up; the
		// deposit goes back to its issuer.
		System::set_block_number(11);
		assert_ok!(Certificates::revoke_authorization(signed(CA2), escrow, BOB, CA));
		assert_eq!(authorization_held(CA), 0);
		assert_eq!(Balances::free_balance(CA), START_BALANCE);
		assert_ok!(Certificates::revoke_authorization(signed(CA), escrow, BOB, ATTESTOR));
		assert_eq!(authorization_held(ATTESTOR), 0);
		assert_eq!(Balances::free_balance(ATTESTOR), START_BALANCE);
	});
}

#[test]
fn clean_up_of_a_removed_authoritys_record_refunds_its_issuer() {
	new_test_ext().execute_with(|| {
		add_ca(CA);
		add_ca(CA2);
		add_ca(CA3);
		issue_attestor(CA3, ATTESTOR, 100);
		issue_attestor(CA2, ATTESTOR2, 100);
		let escrow = H256::repeat_byte(9);
		for issuer in [CA, ATTESTOR, ATTESTOR2] {
			assert_ok!(Certificates::authorize_recovery(signed(issuer), escrow, BOB, 50));
		}
		// CA is removed: its unexpired record no longer counts, and another authority may
		// remove it. The deposit goes back to CA, not to the caller.
		assert_ok!(Certificates::remove_authority(root(), CA));
		assert!(!authorized_by(escrow, BOB, CA, now()));
		let ca2_free = Balances::free_balance(CA2);
		assert_ok!(Certificates::revoke_authorization(signed(CA2), escrow, BOB, CA));
		assert_last_event(Event::AuthorizationRevoked { escrow, requester: BOB, issuer: CA });
		assert_eq!(record(escrow, BOB, CA), None);
		assert_eq!(authorization_held(CA), 0);
		assert_eq!(Balances::free_balance(CA), START_BALANCE);
		assert_eq!(Balances::free_balance(CA2), ca2_free);
		// Likewise an attestor whose certifying authority was removed.
		assert_ok!(Certificates::remove_authority(root(), CA3));
		assert_ok!(Certificates::revoke_authorization(signed(CA2), escrow, BOB, ATTESTOR));
		assert_eq!(authorization_held(ATTESTOR), 0);
		// The other records are untouched: ATTESTOR2 (certified by CA2) still counts.
		assert_eq!(counting_issuers(escrow, BOB, now()), [ATTESTOR2]);
		// A former authority is no authority: it may remove only its own records.
		assert_noop!(
			Certificates::revoke_authorization(signed(CA), escrow, BOB, ATTESTOR2),
			Error::<T>::NotAllowedToRevokeAuthorization
		);
	});
}

#[test]
fn unknown_authorization() {
	new_test_ext().execute_with(|| {
		add_ca(CA);
		add_ca(CA2);
		let escrow = H256::repeat_byte(9);
		assert_noop!(
			Certificates::revoke_authorization(signed(CA), escrow, BOB, CA),
			Error::<T>::UnknownAuthorization
		);
		assert_ok!(Certificates::authorize_recovery(signed(CA), escrow, BOB, 10));
		// Naming an issuer without a record for the pair.
		assert_noop!(
			Certificates::revoke_authorization(signed(CA2), escrow, BOB, CA2),
			Error::<T>::UnknownAuthorization
		);
		assert_ok!(Certificates::revoke_authorization(signed(CA), escrow, BOB, CA));
		assert_noop!(
			Certificates::revoke_authorization(signed(CA), escrow, BOB, CA),
			Error::<T>::UnknownAuthorization
		);
	});
}

#[test]
fn not_allowed_to_revoke_authorization() {
	new_test_ext().execute_with(|| {
		add_ca(CA);
		add_ca(CA2);
		issue_attestor(CA, ATTESTOR, 100);
		issue_attestor(CA, ATTESTOR2, 100);
		let escrow = H256::repeat_byte(9);
		assert_ok!(Certificates::authorize_recovery(signed(ATTESTOR), escrow, BOB, 10));
		// Not the requester, not another attestor, not a stranger, not another authority.
		for who in [BOB, ATTESTOR2, NOBODY, CA, CA2] {
			assert_noop!(
				Certificates::revoke_authorization(signed(who), escrow, BOB, ATTESTOR),
				Error::<T>::NotAllowedToRevokeAuthorization
			);
		}
		// A record that no longer counts may be removed by an authority only.
		System::set_block_number(11);
		for who in [BOB, ATTESTOR2, NOBODY] {
			assert_noop!(
				Certificates::revoke_authorization(signed(who), escrow, BOB, ATTESTOR),
				Error::<T>::NotAllowedToRevokeAuthorization
			);
		}
		assert_noop!(Certificates::revoke_authorization(root(), escrow, BOB, ATTESTOR), BadOrigin);
	});
}
