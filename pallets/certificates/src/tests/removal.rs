//! Removing: `remove_certificate` and the return of deposits.

use super::*;

#[test]
fn certificate_still_live() {
	new_test_ext().execute_with(|| {
		add_ca(CA);
		let id = issue_custodian(CA, ALICE, 1, 10);
		assert_noop!(
			Certificates::remove_certificate(signed(NOBODY), id),
			Error::<T>::CertificateStillLive
		);
		// Not even by its issuer or subject, and not at valid_until - 1.
		System::set_block_number(10);
		assert_noop!(
			Certificates::remove_certificate(signed(CA), id),
			Error::<T>::CertificateStillLive
		);
		assert_noop!(
			Certificates::remove_certificate(signed(ALICE), id),
			Error::<T>::CertificateStillLive
		);
		// At valid_until it can go.
		System::set_block_number(11);
		assert_ok!(Certificates::remove_certificate(signed(NOBODY), id));
	});
}

#[test]
fn remove_revoked_certificate_returns_deposit() {
	new_test_ext().execute_with(|| {
		add_ca(CA);
		let id = issue_custodian(CA, ALICE, 1, 100);
		assert_eq!(Balances::free_balance(CA), START_BALANCE - certificate_deposit());
		assert_ok!(Certificates::revoke_certificate(
			signed(ALICE),
			id,
			RevocationReason::CessationOfOperation
		));
		// Anyone may remove it; the deposit goes back to the issuer, not the caller.
		assert_ok!(Certificates::remove_certificate(signed(NOBODY), id));
		assert_last_event(Event::CertificateRemoved { id });
		assert!(!CertificateStore::<T>::contains_key(id));
		assert_eq!(CurrentCertificate::<T>::get(ALICE, Role::Custodian), None);
		assert_eq!(Certificates::certificate_status(&ALICE, Role::Custodian), None);
		assert_eq!(Balances::free_balance(NOBODY), START_BALANCE);
		assert_all_balances_restored();
		// Ids are never reused.
		let next = issue_custodian(CA, ALICE, 1, 100);
		assert_eq!(next, id + 1);
	});
}

#[test]
fn remove_expired_certificate_returns_deposit() {
	new_test_ext().execute_with(|| {
		add_ca(CA);
		let id = issue_custodian(CA, ALICE, 1, 10);
		System::set_block_number(11);
		assert_ok!(Certificates::remove_certificate(signed(ALICE), id));
		assert_eq!(CurrentCertificate::<T>::get(ALICE, Role::Custodian), None);
		assert_all_balances_restored();
	});
}

#[test]
fn remove_certificate_of_a_removed_authority_returns_its_deposit() {
	new_test_ext().execute_with(|| {
		add_ca(CA);
		add_ca(CA2);
		let id = issue_custodian(CA, ALICE, 1, 100);
		assert_ok!(Certificates::remove_authority(root(), CA));
		// Another authority revokes it, anyone removes it, the former authority is refunded.
		assert_ok!(Certificates::revoke_certificate(
			signed(CA2),
			id,
			RevocationReason::CaCompromise
		));
		assert_ok!(Certificates::remove_certificate(signed(NOBODY), id));
		assert_all_balances_restored();
	});
}

#[test]
fn remove_certificate_requires_signed_origin() {
	new_test_ext().execute_with(|| {
		add_ca(CA);
		let id = issue_custodian(CA, ALICE, 1, 10);
		System::set_block_number(11);
		assert_noop!(Certificates::remove_certificate(root(), id), BadOrigin);
		assert_noop!(Certificates::remove_certificate(RuntimeOrigin::none(), id), BadOrigin);
	});
}
