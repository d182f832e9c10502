//! Validity: the window, revocation, removed issuers and `valid_custodians`.

use super::*;

#[test]
fn validity_window_edges() {
	new_test_ext().execute_with(|| {
		add_ca(CA);
		System::set_block_number(5);
		let id = issue_custodian(CA, ALICE, 1, 10);
		let c = cert(id);
		assert_eq!((c.valid_from, c.valid_until), (5, 15));
		let key = Some(x_key(1));
		// Before valid_from.
		assert!(!is_valid(ALICE, Role::Custodian, 4));
		assert_eq!(Certificates::custodian_key(&ALICE, 4), None);
		// valid_from.
		assert!(is_valid(ALICE, Role::Custodian, 5));
		assert_eq!(Certificates::custodian_key(&ALICE, 5), key);
		// valid_until - 1.
		assert!(is_valid(ALICE, Role::Custodian, 14));
		assert_eq!(Certificates::custodian_key(&ALICE, 14), key);
		// valid_until.
		assert!(!is_valid(ALICE, Role::Custodian, 15));
		assert_eq!(Certificates::custodian_key(&ALICE, 15), None);
		// The status follows the current block.
		System::set_block_number(14);
		assert!(Certificates::certificate_status(&ALICE, Role::Custodian).unwrap().2);
		assert_eq!(Certificates::valid_custodians(), vec![(ALICE, x_key(1))]);
		System::set_block_number(15);
		assert!(!Certificates::certificate_status(&ALICE, Role::Custodian).unwrap().2);
		assert!(!Certificates::certificate_view(&ALICE, Role::Custodian).unwrap().valid);
		assert_eq!(Certificates::valid_custodians(), vec![]);
	});
}

#[test]
fn expired_never_counts_again() {
	new_test_ext().execute_with(|| {
		add_ca(CA);
		issue_custodian(CA, ALICE, 1, 10);
		System::set_block_number(11);
		for at in [11, 12, 100, 10_000, u64::MAX] {
			assert!(!is_valid(ALICE, Role::Custodian, at));
		}
		// Re-adding the issuer does not help.
		assert_ok!(Certificates::remove_authority(root(), CA));
		add_ca(CA);
		assert!(!is_valid(ALICE, Role::Custodian, now()));
		assert!(!Certificates::certificate_status(&ALICE, Role::Custodian).unwrap().2);
	});
}

#[test]
fn revoked_never_counts_again() {
	new_test_ext().execute_with(|| {
		add_ca(CA);
		System::set_block_number(5);
		issue_custodian(CA, ALICE, 1, 100);
		System::set_block_number(10);
		assert_ok!(Certificates::revoke_certificate(
			signed(CA),
			0,
			RevocationReason::KeyCompromise
		));
		// Not at any block: not before the revocation either, nor inside the window.
		for at in [5, 9, 10, 11, 50, 104, 105] {
			assert!(!is_valid(ALICE, Role::Custodian, at));
			assert_eq!(Certificates::custodian_key(&ALICE, at), None);
		}
		// Re-adding the issuer does not help.
		assert_ok!(Certificates::remove_authority(root(), CA));
		add_ca(CA);
		assert!(!is_valid(ALICE, Role::Custodian, now()));
		assert_eq!(Certificates::valid_custodians(), vec![]);
	});
}

#[test]
fn removed_authority_invalidates_its_certificates_and_authorizations() {
	new_test_ext().execute_with(|| {
		add_ca(CA);
		add_ca(CA2);
		issue_custodian(CA, ALICE, 1, 100);
		issue_custodian(CA2, BOB, 2, 100);
		issue_attestor(CA, ATTESTOR, 100);
		let escrow = H256::repeat_byte(9);
		let escrow2 = H256::repeat_byte(8);
		assert_ok!(Certificates::authorize_recovery(signed(CA), escrow, CHARLIE, 50));
		assert_ok!(Certificates::authorize_recovery(signed(ATTESTOR), escrow2, CHARLIE, 50));
		assert_eq!(counting_issuers(escrow, CHARLIE, now()), [CA]);
		assert_eq!(counting_issuers(escrow2, CHARLIE, now()), [ATTESTOR]);

		assert_ok!(Certificates::remove_authority(root(), CA));
		// CA's certificates no longer count; CA2's do.
		assert!(!is_valid(ALICE, Role::Custodian, now()));
		assert!(!Certificates::has_valid_certificate(&ALICE, Role::Custodian, now()));
		assert_eq!(Certificates::custodian_key(&ALICE, now()), None);
		assert!(!is_valid(ATTESTOR, Role::Attestor, now()));
		assert!(is_valid(BOB, Role::Custodian, now()));
		assert_eq!(Certificates::valid_custodians(), vec![(BOB, x_key(2))]);
		// Nor do the authorizations CA issued, or those of the attestor CA certified.
		assert_eq!(counting_issuers(escrow, CHARLIE, now()), Vec::<u64>::new());
		assert_eq!(counting_issuers(escrow2, CHARLIE, now()), Vec::<u64>::new());
		// The attestor can no longer authorize.
		assert_noop!(
			Certificates::authorize_recovery(signed(ATTESTOR), escrow, BOB, 10),
			Error::<T>::NotAllowedToAuthorize
		);
		// The certificates are still stored, unrevoked and unexpired: they cannot be removed.
		assert_noop!(
			Certificates::remove_certificate(signed(NOBODY), 0),
			Error::<T>::CertificateStillLive
		);
		// Adding CA back restores them.
		add_ca(CA);
		assert!(is_valid(ALICE, Role::Custodian, now()));
		assert_eq!(counting_issuers(escrow, CHARLIE, now()), [CA]);
		assert_eq!(counting_issuers(escrow2, CHARLIE, now()), [ATTESTOR]);
	});
}

#[test]
fn valid_custodians_lists_only_valid_custodians() {
	new_test_ext().execute_with(|| {
		add_ca(CA);
		add_ca(CA2);
		issue_custodian(CA, ALICE, 1, 100);
		issue_custodian(CA2, BOB, 2, 100);
		let charlie = issue_custodian(CA, CHARLIE, 3, 100);
		issue_custodian(CA, NOBODY, 4, 5);
		// Other roles are not custodians, even with an X25519 key.
		issue_with(CA, ATTESTOR, Role::Validator, vec![x(5)], 100);
		issue_attestor(CA, ATTESTOR2, 100);
		let mut all = Certificates::valid_custodians();
		all.sort();
		assert_eq!(
			all,
			vec![
				(ALICE, x_key(1)),
				(BOB, x_key(2)),
				(CHARLIE, x_key(3)),
				(NOBODY, x_key(4)),
			]
		);
		// Revoked, expired and issuer-removed ones drop out.
		assert_ok!(Certificates::revoke_certificate(
			signed(CHARLIE),
			charlie,
			RevocationReason::CessationOfOperation
		));
		System::set_block_number(6);
		assert_ok!(Certificates::remove_authority(root(), CA2));
		assert_eq!(Certificates::valid_custodians(), vec![(ALICE, x_key(1))]);
	});
}
