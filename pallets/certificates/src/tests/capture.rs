//! Issue 11, defect 3: one authority must not capture or disable another authority's
//! custodians. Before the fix any authority could re-issue any certificate (binding a key of
//! its choosing, so that new escrows sealed shares to it) and revoke any certificate (so that
//! one authority could stop every release on the chain); these tests failed then.

use super::*;

/// An authority re-issues only certificates it issued: another authority cannot swap in its
/// own sealing key for a custodian it did not certify.
#[test]
fn not_issuer() {
	new_test_ext().execute_with(|| {
		add_ca(CA);
		add_ca(CA2);
		let id = issue_custodian(CA, ALICE, 1, 100);
		assert_noop!(try_reissue(CA2, id, vec![x(9)], 100), Error::<T>::NotIssuer);
		assert_eq!(Certificates::custodian_key(&ALICE, now()), Some(x_key(1)));
		// The issuer still can.
		assert_ok!(try_reissue(CA, id, vec![x(2)], 100));
		assert_eq!(Certificates::custodian_key(&ALICE, now()), Some(x_key(2)));
	});
}

/// An authority revokes only certificates it issued (the subject may revoke its own): another
/// authority cannot disable a custodian it did not certify.
#[test]
fn another_authority_cannot_revoke_a_certificate() {
	new_test_ext().execute_with(|| {
		add_ca(CA);
		add_ca(CA2);
		let first = issue_custodian(CA, ALICE, 1, 100);
		let second = issue_custodian(CA, BOB, 2, 100);
		assert_noop!(
			Certificates::revoke_certificate(signed(CA2), first, RevocationReason::CaCompromise),
			Error::<T>::NotAllowedToRevoke
		);
		assert!(is_valid(ALICE, Role::Custodian, now()));
		assert_ok!(Certificates::revoke_certificate(
			signed(CA),
			first,
			RevocationReason::KeyCompromise
		));
		assert_ok!(Certificates::revoke_certificate(
			signed(BOB),
			second,
			RevocationReason::Unspecified
		));
		assert!(!is_valid(ALICE, Role::Custodian, now()));
		assert!(!is_valid(BOB, Role::Custodian, now()));
	});
}
