//! Revoking: `revoke_certificate`.

use super::*;

#[test]
fn revoke_certificate_by_authority_works() {
	new_test_ext().execute_with(|| {
		add_ca(CA);
		add_ca(CA2);
		let id = issue_custodian(CA, ALICE, 1, 100);
		System::set_block_number(3);
		// The issuer (another authority may not: see `capture.rs`).
		assert_ok!(Certificates::revoke_certificate(
			signed(CA),
			id,
			RevocationReason::CaCompromise
		));
		assert_eq!(
			cert(id).revocation,
			Some(Revocation { at: 3, reason: RevocationReason::CaCompromise, by: CA })
		);
		assert_last_event(Event::CertificateRevoked {
			id,
			reason: RevocationReason::CaCompromise,
			by: CA,
		});
		// The index still points to it (it is still the latest), but it is not valid.
		assert_eq!(CurrentCertificate::<T>::get(ALICE, Role::Custodian), Some(id));
		assert!(!Certificates::certificate_status(&ALICE, Role::Custodian).unwrap().2);
		let view = Certificates::certificate_view(&ALICE, Role::Custodian).unwrap();
		assert_eq!(view.revocation.unwrap().reason, RevocationReason::CaCompromise);
	});
}

#[test]
fn revoke_certificate_by_subject_works() {
	new_test_ext().execute_with(|| {
		add_ca(CA);
		let id = issue_with(CA, ALICE, Role::Validator, vec![sr(1)], 100);
		assert_ok!(Certificates::revoke_certificate(
			signed(ALICE),
			id,
			RevocationReason::AffiliationChanged
		));
		assert_eq!(cert(id).revocation.unwrap().by, ALICE);
		assert_last_event(Event::CertificateRevoked {
			id,
			reason: RevocationReason::AffiliationChanged,
			by: ALICE,
		});
		// Expired certificates can still be revoked.
		let id2 = issue_with(CA, BOB, Role::Validator, vec![sr(1)], 10);
		System::set_block_number(50);
		assert_ok!(Certificates::revoke_certificate(
			signed(BOB),
			id2,
			RevocationReason::Unspecified
		));
	});
}

#[test]
fn not_allowed_to_revoke() {
	new_test_ext().execute_with(|| {
		add_ca(CA);
		issue_attestor(CA, ATTESTOR, 100);
		let id = issue_custodian(CA, ALICE, 1, 100);
		assert_noop!(
			Certificates::revoke_certificate(signed(NOBODY), id, RevocationReason::KeyCompromise),
			Error::<T>::NotAllowedToRevoke
		);
		// Neither another certificate holder (an attestor) nor a removed authority.
		assert_noop!(
			Certificates::revoke_certificate(signed(ATTESTOR), id, RevocationReason::KeyCompromise),
			Error::<T>::NotAllowedToRevoke
		);
		add_ca(CA2);
		assert_ok!(Certificates::remove_authority(root(), CA2));
		assert_noop!(
			Certificates::revoke_certificate(signed(CA2), id, RevocationReason::KeyCompromise),
			Error::<T>::NotAllowedToRevoke
		);
		assert_noop!(
			Certificates::revoke_certificate(root(), id, RevocationReason::KeyCompromise),
			BadOrigin
		);
	});
}

#[test]
fn every_revocation_reason_round_trips() {
	new_test_ext().execute_with(|| {
		add_ca(CA);
		let reasons = [
			RevocationReason::Unspecified,
			RevocationReason::KeyCompromise,
			RevocationReason::CaCompromise,
			RevocationReason::AffiliationChanged,
			RevocationReason::Superseded,
			RevocationReason::CessationOfOperation,
		];
		for (i, reason) in reasons.into_iter().enumerate() {
			assert_eq!(reason.encode(), vec![i as u8]);
			let subject = 1_000 + i as u64;
			let id = issue_with(CA, subject, Role::Validator, vec![sr(1)], 10);
			assert_ok!(Certificates::revoke_certificate(signed(subject), id, reason));
			assert_eq!(cert(id).revocation.unwrap().reason, reason);
		}
	});
}
