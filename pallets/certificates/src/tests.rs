//! Tests of the certificates pallet.
//!
//! Every pallet error is triggered at least once, in the test named after it:
//! `AlreadyAuthority`, `NotAnAuthority`, `TooManyAuthorities`, `CallerNotAuthority`,
//! `ZeroValidity`, `ValidityTooLong`, `NoKeys`, `DuplicateKey`, `MissingX25519Key`,
//! `MultipleX25519Keys`, `CertificateExists`, `UnknownCertificate`, `AlreadyRevoked`,
//! `NotCurrentCertificate`, `NotAllowedToRevoke`, `CertificateStillLive`,
//! `NotAllowedToAuthorize`, `AuthorizedByOther`, `UnknownAuthorization`,
//! `NotAllowedToRevokeAuthorization` (see `every_error_variant_is_covered`). Refusals are
//! checked with `assert_noop!` (nothing written).

use crate::{
	mock::*, Authorities, AuthorityCount, AuthorityInfo, Authorizations, Call, Certificate,
	CertificateInspect, CertificateOf, Certificates as CertificateStore, CurrentCertificate, Error,
	Event, KeysOf, NextCertificateId, PublicKey, RecoveryAuthorization, Revocation,
	RevocationReason, Role, H256,
};
use frame::deps::sp_runtime::{ArithmeticError, TokenError};
use frame::{
	deps::frame_support::__private::serde_json, testing_prelude::*,
	traits::fungible::InspectHold as _,
};
use Test as T;

// ---------------------------------------------------------------------------------------------
// Helpers.

fn signed(who: u64) -> RuntimeOrigin {
	RuntimeOrigin::signed(who)
}

fn root() -> RuntimeOrigin {
	RuntimeOrigin::root()
}

fn x(n: u8) -> PublicKey {
	PublicKey::X25519(H256::repeat_byte(n))
}

fn sr(n: u8) -> PublicKey {
	PublicKey::Sr25519(H256::repeat_byte(n))
}

fn ed(n: u8) -> PublicKey {
	PublicKey::Ed25519(H256::repeat_byte(n))
}

fn keys(v: Vec<PublicKey>) -> KeysOf<T> {
	v.try_into().expect("at most MaxKeys keys")
}

fn now() -> u64 {
	System::block_number()
}

fn add_ca(who: u64) {
	assert_ok!(Certificates::add_authority(root(), who));
}

/// Dispatch `issue_certificate` by `ca` without a measurement.
fn try_issue(
	ca: u64,
	subject: u64,
	role: Role,
	k: Vec<PublicKey>,
	valid_for: u64,
) -> DispatchResult {
	Certificates::issue_certificate(signed(ca), subject, role, keys(k), None, valid_for)
}

/// Dispatch `reissue_certificate` by `ca` without a measurement.
fn try_reissue(ca: u64, id: u64, k: Vec<PublicKey>, valid_for: u64) -> DispatchResult {
	Certificates::reissue_certificate(signed(ca), id, keys(k), None, valid_for)
}

/// Issue `subject` a certificate of `role` by `ca` with `keys`, returning its id.
fn issue_with(ca: u64, subject: u64, role: Role, k: Vec<PublicKey>, valid_for: u64) -> u64 {
	assert_ok!(Certificates::issue_certificate(
		signed(ca),
		subject,
		role,
		keys(k),
		None,
		valid_for
	));
	NextCertificateId::<T>::get() - 1
}

/// Issue `subject` a custodian certificate with X25519 key `x(n)`.
fn issue_custodian(ca: u64, subject: u64, n: u8, valid_for: u64) -> u64 {
	issue_with(ca, subject, Role::Custodian, vec![x(n), sr(n)], valid_for)
}

/// Issue `subject` an attestor certificate.
fn issue_attestor(ca: u64, subject: u64, valid_for: u64) -> u64 {
	issue_with(ca, subject, Role::Attestor, vec![ed(7)], valid_for)
}

fn cert(id: u64) -> CertificateOf<T> {
	CertificateStore::<T>::get(id).expect("certificate exists").0
}

fn is_valid(who: u64, role: Role, at: u64) -> bool {
	Certificates::is_valid(&who, role, at)
}

/// Every funded account has exactly its starting balance, nothing held.
fn assert_all_balances_restored() {
	for who in FUNDED {
		assert_eq!(Balances::free_balance(who), START_BALANCE, "free balance of {who}");
		assert_eq!(Balances::total_balance_on_hold(&who), 0, "held balance of {who}");
		assert_eq!(certificate_held(who), 0);
		assert_eq!(authorization_held(who), 0);
	}
}

/// The certificate events since the test started.
fn certificate_events() -> Vec<Event<T>> {
	System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::Certificates(e) => Some(e),
			_ => None,
		})
		.collect()
}

// ---------------------------------------------------------------------------------------------
// Mock sanity.

#[test]
fn deposits_are_positive_and_distinct() {
	new_test_ext().execute_with(|| {
		assert!(certificate_deposit() > 100);
		assert!(authorization_deposit() > 50);
		assert_ne!(certificate_deposit(), authorization_deposit());
	});
}

#[test]
fn integrity_test_passes() {
	new_test_ext().execute_with(|| {
		<Certificates as Hooks<u64>>::integrity_test();
	});
}

// ---------------------------------------------------------------------------------------------
// Authorities.

#[test]
fn add_authority_works() {
	new_test_ext().execute_with(|| {
		System::set_block_number(5);
		assert!(!Certificates::is_authority(&CA));
		assert_ok!(Certificates::add_authority(root(), CA));
		assert!(Certificates::is_authority(&CA));
		assert_eq!(Authorities::<T>::get(CA), Some(AuthorityInfo { added_at: 5 }));
		assert_eq!(AuthorityCount::<T>::get(), 1);
		assert_last_event(Event::AuthorityAdded { who: CA });
	});
}

#[test]
fn add_authority_requires_root() {
	new_test_ext().execute_with(|| {
		assert_noop!(Certificates::add_authority(signed(CA), CA), BadOrigin);
		assert_noop!(Certificates::add_authority(RuntimeOrigin::none(), CA), BadOrigin);
		// Even an authority cannot add another.
		add_ca(CA);
		assert_noop!(Certificates::add_authority(signed(CA), CA2), BadOrigin);
	});
}

#[test]
fn already_authority() {
	new_test_ext().execute_with(|| {
		add_ca(CA);
		assert_noop!(Certificates::add_authority(root(), CA), Error::<T>::AlreadyAuthority);
	});
}

#[test]
fn too_many_authorities() {
	new_test_ext().execute_with(|| {
		add_ca(CA);
		add_ca(CA2);
		add_ca(CA3);
		assert_eq!(AuthorityCount::<T>::get(), MAX_AUTHORITIES);
		assert_noop!(Certificates::add_authority(root(), CA4), Error::<T>::TooManyAuthorities);
		// Removing one frees a slot.
		assert_ok!(Certificates::remove_authority(root(), CA3));
		assert_ok!(Certificates::add_authority(root(), CA4));
		assert_eq!(AuthorityCount::<T>::get(), MAX_AUTHORITIES);
	});
}

#[test]
fn remove_authority_works() {
	new_test_ext().execute_with(|| {
		add_ca(CA);
		add_ca(CA2);
		assert_ok!(Certificates::remove_authority(root(), CA));
		assert!(!Certificates::is_authority(&CA));
		assert!(Certificates::is_authority(&CA2));
		assert_eq!(AuthorityCount::<T>::get(), 1);
		assert_last_event(Event::AuthorityRemoved { who: CA });
		// And it can be added back.
		add_ca(CA);
		assert_eq!(AuthorityCount::<T>::get(), 2);
	});
}

#[test]
fn remove_authority_requires_root() {
	new_test_ext().execute_with(|| {
		add_ca(CA);
		add_ca(CA2);
		assert_noop!(Certificates::remove_authority(signed(CA2), CA), BadOrigin);
		assert_noop!(Certificates::remove_authority(signed(CA), CA), BadOrigin);
		assert_noop!(Certificates::remove_authority(RuntimeOrigin::none(), CA), BadOrigin);
	});
}

#[test]
fn not_an_authority() {
	new_test_ext().execute_with(|| {
		assert_noop!(Certificates::remove_authority(root(), NOBODY), Error::<T>::NotAnAuthority);
		add_ca(CA);
		assert_ok!(Certificates::remove_authority(root(), CA));
		assert_noop!(Certificates::remove_authority(root(), CA), Error::<T>::NotAnAuthority);
	});
}

// ---------------------------------------------------------------------------------------------
// Issuing.

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
			100
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
		// A non-custodian certificate may carry X25519 keys, even several.
		issue_with(CA, BOB, Role::Validator, vec![x(1), x(2)], 10);
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
				10
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
				10
			),
			BadOrigin
		);
		assert_noop!(
			Certificates::reissue_certificate(root(), 0, keys(vec![x(1)]), None, 10),
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
			Authorizations::<T>::get(escrow, BOB).unwrap().0.expires_at,
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
		assert_eq!(Certificates::custodian_key(&ALICE, now()), Some(H256::repeat_byte(3)));
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

// ---------------------------------------------------------------------------------------------
// Validity.

#[test]
fn validity_window_edges() {
	new_test_ext().execute_with(|| {
		add_ca(CA);
		System::set_block_number(5);
		let id = issue_custodian(CA, ALICE, 1, 10);
		let c = cert(id);
		assert_eq!((c.valid_from, c.valid_until), (5, 15));
		let key = Some(H256::repeat_byte(1));
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
		assert_eq!(Certificates::valid_custodians(), vec![(ALICE, H256::repeat_byte(1))]);
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
		assert_eq!(Certificates::recovery_authorization(&escrow, &CHARLIE, now()), Some(CA));
		assert_eq!(Certificates::recovery_authorization(&escrow2, &CHARLIE, now()), Some(ATTESTOR));

		assert_ok!(Certificates::remove_authority(root(), CA));
		// CA's certificates no longer count; CA2's do.
		assert!(!is_valid(ALICE, Role::Custodian, now()));
		assert!(!Certificates::has_valid_certificate(&ALICE, Role::Custodian, now()));
		assert_eq!(Certificates::custodian_key(&ALICE, now()), None);
		assert!(!is_valid(ATTESTOR, Role::Attestor, now()));
		assert!(is_valid(BOB, Role::Custodian, now()));
		assert_eq!(Certificates::valid_custodians(), vec![(BOB, H256::repeat_byte(2))]);
		// Nor do the authorizations CA issued, or those of the attestor CA certified.
		assert_eq!(Certificates::recovery_authorization(&escrow, &CHARLIE, now()), None);
		assert_eq!(Certificates::recovery_authorization(&escrow2, &CHARLIE, now()), None);
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
		assert_eq!(Certificates::recovery_authorization(&escrow, &CHARLIE, now()), Some(CA));
		assert_eq!(Certificates::recovery_authorization(&escrow2, &CHARLIE, now()), Some(ATTESTOR));
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
				(ALICE, H256::repeat_byte(1)),
				(BOB, H256::repeat_byte(2)),
				(CHARLIE, H256::repeat_byte(3)),
				(NOBODY, H256::repeat_byte(4)),
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
		assert_eq!(Certificates::valid_custodians(), vec![(ALICE, H256::repeat_byte(1))]);
	});
}

// ---------------------------------------------------------------------------------------------
// Reissuing.

#[test]
fn reissue_certificate_works() {
	new_test_ext().execute_with(|| {
		add_ca(CA);
		add_ca(CA2);
		let old = issue_custodian(CA, ALICE, 1, 100);
		System::set_block_number(20);
		let measurement = Some(H256::repeat_byte(0x77));
		// Another authority than the original issuer may reissue.
		assert_ok!(Certificates::reissue_certificate(
			signed(CA2),
			old,
			keys(vec![x(2)]),
			measurement,
			50
		));
		let new = old + 1;
		assert_eq!(CurrentCertificate::<T>::get(ALICE, Role::Custodian), Some(new));
		let o = cert(old);
		assert_eq!(
			o.revocation,
			Some(Revocation { at: 20, reason: RevocationReason::Superseded, by: CA2 })
		);
		let n = cert(new);
		assert_eq!((n.subject, n.role, n.issuer), (ALICE, Role::Custodian, CA2));
		assert_eq!((n.issued_at, n.valid_from, n.valid_until), (20, 20, 70));
		assert_eq!(n.measurement, measurement);
		assert_eq!(n.revocation, None);
		assert_eq!(Certificates::custodian_key(&ALICE, now()), Some(H256::repeat_byte(2)));
		// Events: the old one revoked, the new one issued, then the link.
		let events = certificate_events();
		assert_eq!(
			events[events.len() - 3..],
			[
				Event::CertificateIssued {
					id: new,
					subject: ALICE,
					role: Role::Custodian,
					issuer: CA2,
					valid_until: 70
				},
				Event::CertificateRevoked {
					id: old,
					reason: RevocationReason::Superseded,
					by: CA2
				},
				Event::CertificateReissued { old, new },
			]
		);
		// Deposits: the old one still with CA, the new one with CA2.
		assert_eq!(certificate_held(CA), certificate_deposit());
		assert_eq!(certificate_held(CA2), certificate_deposit());
		// The superseded certificate can be removed right away; the index is untouched.
		assert_ok!(Certificates::remove_certificate(signed(NOBODY), old));
		assert_eq!(CurrentCertificate::<T>::get(ALICE, Role::Custodian), Some(new));
		assert_eq!(certificate_held(CA), 0);
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

// ---------------------------------------------------------------------------------------------
// Revoking.

#[test]
fn revoke_certificate_by_authority_works() {
	new_test_ext().execute_with(|| {
		add_ca(CA);
		add_ca(CA2);
		let id = issue_custodian(CA, ALICE, 1, 100);
		System::set_block_number(3);
		// Any authority, not only the issuer.
		assert_ok!(Certificates::revoke_certificate(
			signed(CA2),
			id,
			RevocationReason::CaCompromise
		));
		assert_eq!(
			cert(id).revocation,
			Some(Revocation { at: 3, reason: RevocationReason::CaCompromise, by: CA2 })
		);
		assert_last_event(Event::CertificateRevoked {
			id,
			reason: RevocationReason::CaCompromise,
			by: CA2,
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

// ---------------------------------------------------------------------------------------------
// Removing.

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

// ---------------------------------------------------------------------------------------------
// Recovery authorizations.

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

// ---------------------------------------------------------------------------------------------
// `CertificateInspect`.

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
		fn inspect_auth(escrow: H256, who: u64, at: u64) -> Option<u64> {
			<I as CertificateInspect<u64, u64>>::recovery_authorization(&escrow, &who, at)
		}
		add_ca(CA);
		assert_eq!(inspect_key(ALICE, 1), None);
		assert!(!inspect_valid(ALICE, Role::Custodian, 1));
		// The key is the one X25519 key, whatever its position.
		issue_with(CA, ALICE, Role::Custodian, vec![sr(1), ed(1), x(3)], 10);
		assert_eq!(inspect_key(ALICE, 1), Some(H256::repeat_byte(3)));
		assert_eq!(inspect_key(ALICE, 11), None);
		assert!(inspect_valid(ALICE, Role::Custodian, 10));
		assert!(!inspect_valid(ALICE, Role::Validator, 10));
		// A validator with an X25519 key is not a custodian.
		issue_with(CA, BOB, Role::Validator, vec![x(4)], 10);
		assert_eq!(inspect_key(BOB, 1), None);
		assert!(inspect_valid(BOB, Role::Validator, 1));
		let escrow = H256::repeat_byte(9);
		assert_eq!(inspect_auth(escrow, CHARLIE, 1), None);
		assert_ok!(Certificates::authorize_recovery(signed(CA), escrow, CHARLIE, 10));
		assert_eq!(inspect_auth(escrow, CHARLIE, 1), Some(CA));
		assert_eq!(inspect_auth(escrow, CHARLIE, 11), None);
	});
}

// ---------------------------------------------------------------------------------------------
// Genesis.

fn genesis() -> crate::GenesisConfig<T> {
	crate::GenesisConfig {
		authorities: vec![CA, CA2],
		certificates: vec![
			(CA, ALICE, Role::Custodian, vec![x(1), sr(1)], 100),
			(CA2, BOB, Role::Custodian, vec![x(2)], 50),
			(CA, ATTESTOR, Role::Attestor, vec![ed(3)], 100),
		],
	}
}

#[test]
fn genesis_config_builds() {
	new_test_ext_with(genesis()).execute_with(|| {
		assert!(Certificates::is_authority(&CA));
		assert!(Certificates::is_authority(&CA2));
		assert_eq!(Authorities::<T>::get(CA), Some(AuthorityInfo { added_at: 0 }));
		assert_eq!(AuthorityCount::<T>::get(), 2);
		assert_eq!(NextCertificateId::<T>::get(), 3);
		let alice = cert(0);
		assert_eq!((alice.subject, alice.role, alice.issuer), (ALICE, Role::Custodian, CA));
		assert_eq!((alice.issued_at, alice.valid_from, alice.valid_until), (0, 0, 100));
		assert_eq!(alice.measurement, None);
		assert_eq!(CurrentCertificate::<T>::get(BOB, Role::Custodian), Some(1));
		assert_eq!(CurrentCertificate::<T>::get(ATTESTOR, Role::Attestor), Some(2));
		// Valid at block 1.
		let mut all = Certificates::valid_custodians();
		all.sort();
		assert_eq!(all, vec![(ALICE, H256::repeat_byte(1)), (BOB, H256::repeat_byte(2))]);
		assert!(is_valid(ATTESTOR, Role::Attestor, now()));
		// Deposits were taken from the issuers through the consideration.
		assert_eq!(certificate_held(CA), 2 * certificate_deposit());
		assert_eq!(certificate_held(CA2), certificate_deposit());
		// And are returned like any other.
		for id in 0..3 {
			assert_ok!(Certificates::revoke_certificate(
				signed(CA),
				id,
				RevocationReason::Unspecified
			));
			assert_ok!(Certificates::remove_certificate(signed(NOBODY), id));
		}
		assert_all_balances_restored();
	});
}

#[test]
fn genesis_config_serde_round_trip() {
	let config = genesis();
	let json = serde_json::to_value(&config).unwrap();
	assert_eq!(
		json,
		serde_json::json!({
			"authorities": [CA, CA2],
			"certificates": [
				[CA, ALICE, "Custodian", [{"X25519": H256::repeat_byte(1)}, {"Sr25519": H256::repeat_byte(1)}], 100],
				[CA2, BOB, "Custodian", [{"X25519": H256::repeat_byte(2)}], 50],
				[CA, ATTESTOR, "Attestor", [{"Ed25519": H256::repeat_byte(3)}], 100],
			],
		})
	);
	let back: crate::GenesisConfig<T> = serde_json::from_value(json).unwrap();
	assert_eq!(back.authorities, config.authorities);
	assert_eq!(back.certificates, config.certificates);
	// The default is empty.
	let empty = serde_json::to_string(&crate::GenesisConfig::<T>::default()).unwrap();
	assert_eq!(empty, r#"{"authorities":[],"certificates":[]}"#);
	// Unknown roles are rejected.
	let bad = r#"{"authorities":[],"certificates":[[1,2,"Janitor",[],1]]}"#;
	assert!(serde_json::from_str::<crate::GenesisConfig<T>>(bad).is_err());
}

#[test]
#[should_panic(expected = "is not a genesis authority")]
fn genesis_issuer_must_be_authority() {
	new_test_ext_with(crate::GenesisConfig {
		authorities: vec![CA],
		certificates: vec![(CA2, ALICE, Role::Custodian, vec![x(1)], 10)],
	});
}

#[test]
#[should_panic(expected = "MissingX25519Key")]
fn genesis_custodian_needs_x25519_key() {
	new_test_ext_with(crate::GenesisConfig {
		authorities: vec![CA],
		certificates: vec![(CA, ALICE, Role::Custodian, vec![sr(1)], 10)],
	});
}

#[test]
#[should_panic(expected = "more than MaxKeys")]
fn genesis_too_many_keys() {
	new_test_ext_with(crate::GenesisConfig {
		authorities: vec![CA],
		certificates: vec![(
			CA,
			ALICE,
			Role::Validator,
			(0..=MAX_KEYS as u8).map(sr).collect(),
			10,
		)],
	});
}

#[test]
#[should_panic(expected = "ValidityTooLong")]
fn genesis_validity_too_long() {
	new_test_ext_with(crate::GenesisConfig {
		authorities: vec![CA],
		certificates: vec![(CA, ALICE, Role::Validator, vec![sr(1)], MAX_VALIDITY + 1)],
	});
}

#[test]
#[should_panic(expected = "CertificateExists")]
fn genesis_duplicate_certificate() {
	new_test_ext_with(crate::GenesisConfig {
		authorities: vec![CA],
		certificates: vec![
			(CA, ALICE, Role::Validator, vec![sr(1)], 10),
			(CA, ALICE, Role::Validator, vec![sr(2)], 10),
		],
	});
}

#[test]
#[should_panic(expected = "AlreadyAuthority")]
fn genesis_duplicate_authority() {
	new_test_ext_with(crate::GenesisConfig { authorities: vec![CA, CA], certificates: vec![] });
}

#[test]
#[should_panic(expected = "TooManyAuthorities")]
fn genesis_too_many_authorities() {
	new_test_ext_with(crate::GenesisConfig {
		authorities: vec![CA, CA2, CA3, CA4],
		certificates: vec![],
	});
}

#[test]
#[should_panic(expected = "FundsUnavailable")]
fn genesis_issuer_cannot_pay() {
	new_test_ext_with(crate::GenesisConfig {
		authorities: vec![POOR],
		certificates: vec![(POOR, ALICE, Role::Validator, vec![sr(1)], 10)],
	});
}

// ---------------------------------------------------------------------------------------------
// Whole lifecycle.

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
		assert_ok!(try_reissue(CA2, alice, vec![x(7)], 100));
		let alice2 = alice + 4;
		assert_ok!(Certificates::revoke_certificate(
			signed(BOB),
			bob,
			RevocationReason::CessationOfOperation
		));
		inc_block_number(30);
		// The validator certificate has expired; the attestor's record has expired.
		assert!(!is_valid(CHARLIE, Role::Validator, now()));
		assert_eq!(Certificates::recovery_authorization(&escrow, &NOBODY, now()), None);
		assert!(CertificateStore::<T>::get(val).is_some());

		assert_ok!(Certificates::revoke_authorization(signed(ATTESTOR), escrow, NOBODY));
		assert_ok!(Certificates::revoke_authorization(signed(CA), escrow, BOB));
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

#[test]
fn every_error_variant_is_covered() {
	// Keeps the list in the module docs honest: adding an error variant without a test named
	// after it breaks this match.
	fn test_for(e: Error<T>) -> &'static str {
		match e {
			Error::AlreadyAuthority => "already_authority",
			Error::NotAnAuthority => "not_an_authority",
			Error::TooManyAuthorities => "too_many_authorities",
			Error::CallerNotAuthority => "caller_not_authority",
			Error::ZeroValidity => "zero_validity",
			Error::ValidityTooLong => "validity_too_long",
			Error::NoKeys => "no_keys",
			Error::DuplicateKey => "duplicate_key",
			Error::MissingX25519Key => "missing_x25519_key",
			Error::MultipleX25519Keys => "multiple_x25519_keys",
			Error::CertificateExists => "certificate_exists",
			Error::UnknownCertificate => "unknown_certificate",
			Error::AlreadyRevoked => "already_revoked",
			Error::NotCurrentCertificate => "not_current_certificate",
			Error::NotAllowedToRevoke => "not_allowed_to_revoke",
			Error::CertificateStillLive => "certificate_still_live",
			Error::NotAllowedToAuthorize => "not_allowed_to_authorize",
			Error::AuthorizedByOther => "authorized_by_other",
			Error::UnknownAuthorization => "unknown_authorization",
			Error::NotAllowedToRevokeAuthorization => "not_allowed_to_revoke_authorization",
			Error::__Ignore(..) => unreachable!(),
		}
	}
	assert_eq!(test_for(Error::NoKeys), "no_keys");
}
