//! The `CertificateInspect` implementation.

use super::*;

#[test]
fn certificate_inspect_impl() {
	new_test_ext().execute_with(|| {
		type I = Certificates;
		fn inspect_key(who: u64, at: u64) -> Option<H256> {
			<I as CertificateInspect<u64, u64>>::custodian_key(&who, at)
		}
		fn inspect_valid(who: u64, role: Role, at: u64) -> bool {
			<I as CertificateInspect<u64, u64>>::has_valid_certificate(&who, role, at)
		}
		fn inspect_auth(escrow: H256, who: u64, issuer: u64, at: u64) -> bool {
			<I as CertificateInspect<u64, u64>>::recovery_authorized_by(&escrow, &who, &issuer, at)
		}
		add_ca(CA);
		assert_eq!(inspect_key(ALICE, 1), None);
		assert!(!inspect_valid(ALICE, Role::Custodian, 1));
		// The key is the one X25519 key, whatever its position.
		issue_with(CA, ALICE, Role::Custodian, vec![sr(1), ed(1), x(3)], 10);
		assert_eq!(inspect_key(ALICE, 1), Some(x_key(3)));
		assert_eq!(inspect_key(ALICE, 11), None);
		assert!(inspect_valid(ALICE, Role::Custodian, 10));
		assert!(!inspect_valid(ALICE, Role::Validator, 10));
		// A validator with an X25519 key is not a custodian.
		issue_with(CA, BOB, Role::Validator, vec![x(4)], 10);
		assert_eq!(inspect_key(BOB, 1), None);
		assert!(inspect_valid(BOB, Role::Validator, 1));
		let escrow = H256::repeat_byte(9);
		assert!(!inspect_auth(escrow, CHARLIE, CA, 1));
		assert_ok!(Certificates::authorize_recovery(signed(CA), escrow, CHARLIE, 10));
		assert!(inspect_auth(escrow, CHARLIE, CA, 1));
		assert!(!inspect_auth(escrow, CHARLIE, CA, 11));
		// Only that issuer's record: another issuer has none.
		add_ca(CA2);
		assert!(!inspect_auth(escrow, CHARLIE, CA2, 1));
		assert!(!inspect_auth(escrow, BOB, CA, 1));
	});
}
