//! Reissuing: `reissue_certificate`, and refusals shared with revoking and removing.

use super::*;

#[test]
fn reissue_certificate_works() {
	new_test_ext().execute_with(|| {
		add_ca(CA);
		add_ca(CA2);
		let old = issue_custodian(CA, ALICE, 1, 100);
		System::set_block_number(20);
		let measurement = Some(H256::repeat_byte(0x77));
		// The issuer reissues (another authority may not: see `capture.rs`).
		assert_ok!(Certificates::reissue_certificate(
			signed(CA),
			old,
			keys(vec![x(2)]),
			measurement,
			50,
			Some(key_proof(ALICE, 2))
		));
		let new = old + 1;
		assert_eq!(CurrentCertificate::<T>::get(ALICE, Role::Custodian), Some(new));
		let o = cert(old);
		assert_eq!(
			o.revocation,
			Some(Revocation { at: 20, reason: RevocationReason::Superseded, by: CA })
		);
		let n = cert(new);
		assert_eq!((n.subject, n.role, n.issuer), (ALICE, Role::Custodian, CA));
		assert_eq!((n.issued_at, n.valid_from, n.valid_until), (20, 20, 70));
		assert_eq!(n.measurement, measurement);
		assert_eq!(n.revocation, None);
		assert_eq!(Certificates::custodian_key(&ALICE, now()), Some(x_key(2)));
		// Events: the old one revoked, the new one issued, then the link.
		let events = certificate_events();
		assert_eq!(
			events[events.len() - 3..],
			[
				Event::CertificateIssued {
					id: new,
					subject: ALICE,
					role: Role::Custodian,
					issuer: CA,
					valid_until: 70
				},
				Event::CertificateRevoked {
					id: old,
					reason: RevocationReason::Superseded,
					by: CA
				},
				Event::CertificateReissued { old, new },
			]
		);
		// Deposits: the old one and the new one, both with CA.
		assert_eq!(certificate_held(CA), 2 * certificate_deposit());
		assert_eq!(certificate_held(CA2), 0);
		// The superseded certificate can be removed right away; the index is untouched.
		assert_ok!(Certificates::remove_certificate(signed(NOBODY), old));
		assert_eq!(CurrentCertificate::<T>::get(ALICE, Role::Custodian), Some(new));
		assert_eq!(certificate_held(CA), certificate_deposit());
		// Clean up: revoke and remove the new one too.
		assert_ok!(Certificates::revoke_certificate(
			signed(ALICE),
			new,
			RevocationReason::Unspecified
		));
		assert_ok!(Certificates::remove_certificate(signed(NOBODY), new));
		assert_eq!(CurrentCertificate::<T>::get(ALICE, Role::Custodian), None);
		assert_all_balances_restored();
	});
}

#[test]
fn reissue_an_expired_certificate() {
	new_test_ext().execute_with(|| {
		add_ca(CA);
		let old = issue_custodian(CA, ALICE, 1, 10);
		System::set_block_number(50);
		assert!(!is_valid(ALICE, Role::Custodian, now()));
		assert_ok!(try_reissue(CA, old, vec![x(1), ed(1)], 10));
		assert!(is_valid(ALICE, Role::Custodian, now()));
		assert_eq!(cert(old).revocation.unwrap().reason, RevocationReason::Superseded);
	});
}

#[test]
fn unknown_certificate() {
	new_test_ext().execute_with(|| {
		add_ca(CA);
		assert_noop!(try_reissue(CA, 0, vec![x(1)], 10), Error::<T>::UnknownCertificate);
		assert_noop!(
			Certificates::revoke_certificate(signed(CA), 0, RevocationReason::Unspecified),
			Error::<T>::UnknownCertificate
		);
		assert_noop!(
			Certificates::remove_certificate(signed(CA), 0),
			Error::<T>::UnknownCertificate
		);
		// A removed certificate is unknown too.
		let id = issue_custodian(CA, ALICE, 1, 10);
		assert_ok!(Certificates::revoke_certificate(signed(CA), id, RevocationReason::Unspecified));
		assert_ok!(Certificates::remove_certificate(signed(CA), id));
		assert_noop!(
			Certificates::remove_certificate(signed(CA), id),
			Error::<T>::UnknownCertificate
		);
		assert_noop!(
			Certificates::revoke_certificate(signed(CA), id, RevocationReason::Unspecified),
			Error::<T>::UnknownCertificate
		);
	});
}

#[test]
fn already_revoked() {
	new_test_ext().execute_with(|| {
		add_ca(CA);
		let id = issue_custodian(CA, ALICE, 1, 10);
		assert_ok!(Certificates::revoke_certificate(
			signed(CA),
			id,
			RevocationReason::KeyCompromise
		));
		assert_noop!(
			Certificates::revoke_certificate(signed(CA), id, RevocationReason::CaCompromise),
			Error::<T>::AlreadyRevoked
		);
		assert_noop!(
			Certificates::revoke_certificate(signed(ALICE), id, RevocationReason::CaCompromise),
			Error::<T>::AlreadyRevoked
		);
		// A revoked certificate cannot be reissued (issue a new one instead).
		assert_noop!(try_reissue(CA, id, vec![x(2)], 10), Error::<T>::AlreadyRevoked);
		// A superseded one neither.
		let id2 = issue_custodian(CA, ALICE, 2, 10);
		assert_ok!(try_reissue(CA, id2, vec![x(3)], 10));
		assert_noop!(try_reissue(CA, id2, vec![x(4)], 10), Error::<T>::AlreadyRevoked);
	});
}

#[test]
fn not_current_certificate() {
	new_test_ext().execute_with(|| {
		add_ca(CA);
		let old = issue_custodian(CA, ALICE, 1, 10);
		System::set_block_number(11);
		// `old` expired unrevoked; a fresh one replaced it.
		let new = issue_custodian(CA, ALICE, 2, 10);
		assert_noop!(try_reissue(CA, old, vec![x(3)], 10), Error::<T>::NotCurrentCertificate);
		assert_ok!(try_reissue(CA, new, vec![x(3)], 10));
	});
}
