//! A whole lifecycle, returning every deposit.

use super::*;

#[test]
fn full_lifecycle_returns_every_deposit() {
	new_test_ext().execute_with(|| {
		add_ca(CA);
		add_ca(CA2);
		let alice = issue_custodian(CA, ALICE, 1, 100);
		let bob = issue_custodian(CA2, BOB, 2, 100);
		let att = issue_attestor(CA, ATTESTOR, 100);
		let val = issue_with(CA2, CHARLIE, Role::Validator, vec![sr(5), ed(5)], 30);
		let escrow = H256::repeat_byte(9);
		assert_ok!(Certificates::authorize_recovery(signed(ATTESTOR), escrow, NOBODY, 20));
		assert_ok!(Certificates::authorize_recovery(signed(CA2), escrow, BOB, 20));
		inc_block_number(10);
		assert_ok!(try_reissue(CA, alice, vec![x(7)], 100));
		let alice2 = alice + 4;
		assert_ok!(Certificates::revoke_certificate(
			signed(BOB),
			bob,
			RevocationReason::CessationOfOperation
		));
		inc_block_number(30);
		// The validator certificate has expired; the attestor's record has expired.
		assert!(!is_valid(CHARLIE, Role::Validator, now()));
		assert_eq!(counting_issuers(escrow, NOBODY, now()), Vec::<u64>::new());
		assert!(CertificateStore::<T>::get(val).is_some());

		assert_ok!(Certificates::revoke_authorization(signed(ATTESTOR), escrow, NOBODY, ATTESTOR));
		// CA2's record has expired, so another authority may clean it up.
		assert_ok!(Certificates::revoke_authorization(signed(CA), escrow, BOB, CA2));
		for id in [alice, bob, val] {
			assert_ok!(Certificates::remove_certificate(signed(NOBODY), id));
		}
		for id in [alice2, att] {
			assert_ok!(Certificates::revoke_certificate(
				signed(CA),
				id,
				RevocationReason::Unspecified
			));
			assert_ok!(Certificates::remove_certificate(signed(NOBODY), id));
		}
		assert_eq!(CertificateStore::<T>::iter().count(), 0);
		assert_eq!(CurrentCertificate::<T>::iter().count(), 0);
		assert_eq!(Authorizations::<T>::iter().count(), 0);
		assert_all_balances_restored();
	});
}
