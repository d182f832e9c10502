//! Issuing: `issue_certificate`, its checks of keys and validity, and its refusals.

use super::*;

#[test]
fn issue_certificate_works() {
	new_test_ext().execute_with(|| {
		add_ca(CA);
		System::set_block_number(7);
		let measurement = Some(H256::repeat_byte(0x42));
		assert_ok!(Certificates::issue_certificate(
			signed(CA),
			ALICE,
			Role::Custodian,
			keys(vec![sr(1), x(1)]),
			measurement,
			100,
			Some(key_proof(ALICE, 1))
		));
		let id = 0;
		assert_eq!(NextCertificateId::<T>::get(), 1);
		assert_eq!(CurrentCertificate::<T>::get(ALICE, Role::Custodian), Some(id));
		let expected = Certificate {
			subject: ALICE,
			role: Role::Custodian,
			issuer: CA,
			keys: keys(vec![sr(1), x(1)]),
			measurement,
			issued_at: 7,
			valid_from: 7,
			valid_until: 107,
			revocation: None,
		};
		assert_eq!(cert(id), expected);
		assert_last_event(Event::CertificateIssued {
			id,
			subject: ALICE,
			role: Role::Custodian,
			issuer: CA,
			valid_until: 107,
		});
		// The issuer pays the deposit, the subject nothing.
		assert_eq!(certificate_held(CA), certificate_deposit());
		assert_eq!(Balances::free_balance(CA), START_BALANCE - certificate_deposit());
		assert_eq!(Balances::free_balance(ALICE), START_BALANCE);
		// Status and view.
		assert_eq!(
			Certificates::certificate_status(&ALICE, Role::Custodian),
			Some((id, expected, true))
		);
		let view = Certificates::certificate_view(&ALICE, Role::Custodian).unwrap();
		assert_eq!(view.id, id);
		assert_eq!(view.keys, vec![sr(1), x(1)]);
		assert_eq!(view.measurement, measurement);
		assert_eq!((view.issued_at, view.valid_from, view.valid_until), (7, 7, 107));
		assert_eq!(view.revocation, None);
		assert!(view.valid);
		// Other roles are unaffected.
		assert_eq!(Certificates::certificate_status(&ALICE, Role::Validator), None);
		assert_eq!(Certificates::certificate_view(&ALICE, Role::Validator), None);
	});
}

#[test]
fn issue_every_role() {
	new_test_ext().execute_with(|| {
		add_ca(CA);
		let c = issue_custodian(CA, ALICE, 1, 10);
		let v = issue_with(CA, ALICE, Role::Validator, vec![sr(2), ed(2)], 10);
		let a = issue_with(CA, ALICE, Role::Attestor, vec![sr(3)], 10);
		assert_eq!((c, v, a), (0, 1, 2));
		for role in [Role::Custodian, Role::Validator, Role::Attestor] {
			assert!(is_valid(ALICE, role, now()));
		}
		// A non-custodian certificate may carry an X25519 key, proven like a custodian's, but
		// not several (no certificate binds two sealing keys).
		assert_noop!(
			try_issue(CA, BOB, Role::Validator, vec![x(1), x(2)], 10),
			Error::<T>::MultipleX25519Keys
		);
		issue_with(CA, BOB, Role::Validator, vec![x(1)], 10);
		assert!(is_valid(BOB, Role::Validator, now()));
		assert_eq!(certificate_held(CA), 4 * certificate_deposit());
	});
}

#[test]
fn caller_not_authority() {
	new_test_ext().execute_with(|| {
		add_ca(CA);
		let id = issue_custodian(CA, ALICE, 1, 10);
		assert_noop!(
			try_issue(NOBODY, BOB, Role::Custodian, vec![x(1)], 10),
			Error::<T>::CallerNotAuthority
		);
		// The subject cannot issue itself one either.
		assert_noop!(
			try_issue(ALICE, ALICE, Role::Validator, vec![x(1)], 10),
			Error::<T>::CallerNotAuthority
		);
		assert_noop!(try_reissue(NOBODY, id, vec![x(2)], 10), Error::<T>::CallerNotAuthority);
		// A removed authority is no longer one.
		assert_ok!(Certificates::remove_authority(root(), CA));
		assert_noop!(
			try_issue(CA, BOB, Role::Custodian, vec![x(1)], 10),
			Error::<T>::CallerNotAuthority
		);
	});
}

#[test]
fn issue_requires_signed_origin() {
	new_test_ext().execute_with(|| {
		add_ca(CA);
		assert_noop!(
			Certificates::issue_certificate(
				root(),
				ALICE,
				Role::Custodian,
				keys(vec![x(1)]),
				None,
				10,
				Some(key_proof(ALICE, 1))
			),
			BadOrigin
		);
		assert_noop!(
			Certificates::issue_certificate(
				RuntimeOrigin::none(),
				ALICE,
				Role::Custodian,
				keys(vec![x(1)]),
				None,
				10,
				Some(key_proof(ALICE, 1))
			),
			BadOrigin
		);
		assert_noop!(
			Certificates::reissue_certificate(root(), 0, keys(vec![x(1)]), None, 10, None),
			BadOrigin
		);
	});
}

#[test]
fn zero_validity() {
	new_test_ext().execute_with(|| {
		add_ca(CA);
		assert_noop!(
			try_issue(CA, ALICE, Role::Custodian, vec![x(1)], 0),
			Error::<T>::ZeroValidity
		);
		let id = issue_custodian(CA, ALICE, 1, 10);
		assert_noop!(try_reissue(CA, id, vec![x(2)], 0), Error::<T>::ZeroValidity);
		assert_noop!(
			Certificates::authorize_recovery(signed(CA), H256::repeat_byte(1), BOB, 0),
			Error::<T>::ZeroValidity
		);
	});
}

#[test]
fn validity_too_long() {
	new_test_ext().execute_with(|| {
		add_ca(CA);
		assert_noop!(
			try_issue(CA, ALICE, Role::Custodian, vec![x(1)], MAX_VALIDITY + 1),
			Error::<T>::ValidityTooLong
		);
		// Exactly the maximum is fine.
		let id = issue_custodian(CA, ALICE, 1, MAX_VALIDITY);
		assert_eq!(cert(id).valid_until, now() + MAX_VALIDITY);
		assert_noop!(
			try_reissue(CA, id, vec![x(2)], MAX_VALIDITY + 1),
			Error::<T>::ValidityTooLong
		);
		let escrow = H256::repeat_byte(1);
		assert_noop!(
			Certificates::authorize_recovery(
				signed(CA),
				escrow,
				BOB,
				MAX_AUTHORIZATION_VALIDITY + 1
			),
			Error::<T>::ValidityTooLong
		);
		assert_ok!(Certificates::authorize_recovery(
			signed(CA),
			escrow,
			BOB,
			MAX_AUTHORIZATION_VALIDITY
		));
		assert_eq!(
			Authorizations::<T>::get((escrow, BOB), CA).unwrap().0.expires_at,
			now() + MAX_AUTHORIZATION_VALIDITY
		);
	});
}

#[test]
fn no_keys() {
	new_test_ext().execute_with(|| {
		add_ca(CA);
		assert_noop!(try_issue(CA, ALICE, Role::Validator, vec![], 10), Error::<T>::NoKeys);
		let id = issue_with(CA, ALICE, Role::Validator, vec![sr(1)], 10);
		assert_noop!(try_reissue(CA, id, vec![], 10), Error::<T>::NoKeys);
	});
}

#[test]
fn duplicate_key() {
	new_test_ext().execute_with(|| {
		add_ca(CA);
		assert_noop!(
			try_issue(CA, ALICE, Role::Validator, vec![sr(1), ed(1), sr(1)], 10),
			Error::<T>::DuplicateKey
		);
		assert_noop!(
			try_issue(CA, ALICE, Role::Custodian, vec![x(1), x(1)], 10),
			Error::<T>::DuplicateKey
		);
		// The same bytes under different schemes are different keys.
		issue_with(CA, ALICE, Role::Validator, vec![sr(1), ed(1), x(1)], 10);
		let id = issue_custodian(CA, BOB, 1, 10);
		assert_noop!(try_reissue(CA, id, vec![x(2), sr(2), sr(2)], 10), Error::<T>::DuplicateKey);
	});
}

#[test]
fn missing_x25519_key() {
	new_test_ext().execute_with(|| {
		add_ca(CA);
		assert_noop!(
			try_issue(CA, ALICE, Role::Custodian, vec![sr(1), ed(1)], 10),
			Error::<T>::MissingX25519Key
		);
		let id = issue_custodian(CA, ALICE, 1, 10);
		assert_noop!(try_reissue(CA, id, vec![sr(2)], 10), Error::<T>::MissingX25519Key);
	});
}

#[test]
fn multiple_x25519_keys() {
	new_test_ext().execute_with(|| {
		add_ca(CA);
		assert_noop!(
			try_issue(CA, ALICE, Role::Custodian, vec![x(1), sr(1), x(2)], 10),
			Error::<T>::MultipleX25519Keys
		);
		let id = issue_custodian(CA, ALICE, 1, 10);
		assert_noop!(try_reissue(CA, id, vec![x(2), x(3)], 10), Error::<T>::MultipleX25519Keys);
	});
}

#[test]
fn max_keys_bound() {
	new_test_ext().execute_with(|| {
		add_ca(CA);
		let max: Vec<PublicKey> =
			(0..MAX_KEYS as u8).map(|i| if i == 0 { x(i) } else { sr(i) }).collect();
		let too_many: Vec<PublicKey> = (0..=MAX_KEYS as u8).map(sr).collect();
		// The bound is enforced by the call argument's type...
		assert!(KeysOf::<T>::try_from(too_many.clone()).is_err());
		// ...including when a call is decoded from bytes.
		let mut encoded = too_many.encode();
		assert!(KeysOf::<T>::decode(&mut &encoded[..]).is_err());
		encoded = max.encode();
		assert_eq!(KeysOf::<T>::decode(&mut &encoded[..]).unwrap().into_inner(), max);
		let call = RuntimeCall::Certificates(Call::issue_certificate {
			subject: ALICE,
			role: Role::Validator,
			keys: keys(max.clone()),
			measurement: None,
			valid_for: 10,
			proof: None,
		});
		let mut bytes = call.encode();
		assert_eq!(RuntimeCall::decode(&mut &bytes[..]).unwrap(), call);
		// Splice one more key into the encoded call: it no longer decodes.
		let prefix = (2u8, 2u8, ALICE, Role::Validator).encode(); // pallet, call, subject, role
		assert_eq!(&bytes[..prefix.len()], &prefix[..]);
		let tail = bytes.split_off(prefix.len() + max.encode().len());
		bytes.truncate(prefix.len());
		bytes.extend(too_many.encode());
		bytes.extend(tail);
		assert!(RuntimeCall::decode(&mut &bytes[..]).is_err());
		// The maximum itself is accepted.
		assert_ok!(try_issue(CA, ALICE, Role::Custodian, max.clone(), 10));
		assert_eq!(cert(0).keys.into_inner(), max);
	});
}

#[test]
fn certificate_exists() {
	new_test_ext().execute_with(|| {
		add_ca(CA);
		add_ca(CA2);
		issue_custodian(CA, ALICE, 1, 10);
		assert_noop!(
			try_issue(CA, ALICE, Role::Custodian, vec![x(2)], 10),
			Error::<T>::CertificateExists
		);
		// Also for another authority.
		assert_noop!(
			try_issue(CA2, ALICE, Role::Custodian, vec![x(2)], 10),
			Error::<T>::CertificateExists
		);
		// Also when the issuer is no longer an authority (the certificate is not valid, but it
		// is unrevoked and unexpired): reissue it instead.
		assert_ok!(Certificates::remove_authority(root(), CA));
		assert!(!is_valid(ALICE, Role::Custodian, now()));
		assert_noop!(
			try_issue(CA2, ALICE, Role::Custodian, vec![x(2)], 10),
			Error::<T>::CertificateExists
		);
		// Another role or subject is fine.
		issue_with(CA2, ALICE, Role::Validator, vec![sr(1)], 10);
		issue_custodian(CA2, BOB, 1, 10);
	});
}

#[test]
fn issue_after_expiry_or_revocation() {
	new_test_ext().execute_with(|| {
		add_ca(CA);
		let first = issue_custodian(CA, ALICE, 1, 10);
		// At valid_until - 1 it is still live.
		System::set_block_number(10);
		assert_noop!(
			try_issue(CA, ALICE, Role::Custodian, vec![x(2)], 10),
			Error::<T>::CertificateExists
		);
		// At valid_until it has expired: a new one may be issued, and becomes current.
		System::set_block_number(11);
		let second = issue_custodian(CA, ALICE, 2, 10);
		assert_eq!(CurrentCertificate::<T>::get(ALICE, Role::Custodian), Some(second));
		assert_ne!(first, second);
		// After a revocation, too.
		assert_ok!(Certificates::revoke_certificate(
			signed(ALICE),
			second,
			RevocationReason::KeyCompromise
		));
		let third = issue_custodian(CA, ALICE, 3, 10);
		assert_eq!(CurrentCertificate::<T>::get(ALICE, Role::Custodian), Some(third));
		assert_eq!(Certificates::custodian_key(&ALICE, now()), Some(x_key(3)));
		// The old ones are still stored (with deposits) until removed.
		assert_eq!(certificate_held(CA), 3 * certificate_deposit());
		for id in [first, second] {
			assert_ok!(Certificates::remove_certificate(signed(NOBODY), id));
		}
		// Removing the old ones did not touch the index.
		assert_eq!(CurrentCertificate::<T>::get(ALICE, Role::Custodian), Some(third));
		assert_eq!(certificate_held(CA), certificate_deposit());
	});
}

#[test]
fn issuer_without_funds_is_refused() {
	new_test_ext().execute_with(|| {
		add_ca(POOR);
		assert_noop!(
			try_issue(POOR, ALICE, Role::Custodian, vec![x(1)], 10),
			TokenError::FundsUnavailable
		);
		assert_noop!(
			Certificates::authorize_recovery(signed(POOR), H256::repeat_byte(1), BOB, 10),
			TokenError::FundsUnavailable
		);
	});
}

#[test]
fn certificate_ids_overflow() {
	new_test_ext().execute_with(|| {
		add_ca(CA);
		NextCertificateId::<T>::put(u64::MAX);
		assert_noop!(
			try_issue(CA, ALICE, Role::Custodian, vec![x(1)], 10),
			ArithmeticError::Overflow
		);
		NextCertificateId::<T>::put(u64::MAX - 1);
		assert_eq!(issue_custodian(CA, ALICE, 1, 10), u64::MAX - 1);
	});
}

#[test]
fn validity_window_end_overflow() {
	new_test_ext().execute_with(|| {
		add_ca(CA);
		System::set_block_number(u64::MAX - 5);
		assert_noop!(
			try_issue(CA, ALICE, Role::Custodian, vec![x(1)], 10),
			ArithmeticError::Overflow
		);
		assert_noop!(
			Certificates::authorize_recovery(signed(CA), H256::repeat_byte(1), BOB, 10),
			ArithmeticError::Overflow
		);
	});
}
