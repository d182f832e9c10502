//! Tests of the certificates pallet.
//!
//! Every pallet error is triggered at least once, in the test named after it:
//! `AlreadyAuthority`, `NotAnAuthority`, `TooManyAuthorities`, `CallerNotAuthority`,
//! `ZeroValidity`, `ValidityTooLong`, `NoKeys`, `DuplicateKey`, `MissingX25519Key`,
//! `MultipleX25519Keys`, `MissingKeyProof`, `UnexpectedKeyProof`, `KeyProofMismatch`,
//! `BadKeyProof`, `BadSubjectSignature`, `CertificateExists`, `UnknownCertificate`, `AlreadyRevoked`,
//! `NotCurrentCertificate`, `NotIssuer`, `NotAllowedToRevoke`, `CertificateStillLive`,
//! `NotAllowedToAuthorize`, `UnknownAuthorization`, `NotAllowedToRevokeAuthorization` (see
//! `every_error_variant_is_covered`). Refusals are checked with `assert_noop!` (nothing
//! written).

use crate::{
	mock::*, Authorities, AuthorityCount, AuthorityInfo, Authorizations, Call, Certificate,
	CertificateInspect, CertificateOf, Certificates as CertificateStore, CurrentCertificate, Error,
	Event, KeysOf, NextCertificateId, PublicKey, RecoveryAuthorization, Revocation,
	RevocationReason, Role, SealingKeyProof, SealingKeyProofOf, H256,
};
use frame::deps::sp_core::{ed25519, Pair as _};
use frame::deps::sp_runtime::testing::TestSignature;
use frame::deps::sp_runtime::{ArithmeticError, TokenError};
use frame::{
	deps::frame_support::__private::serde_json, testing_prelude::*,
	traits::fungible::InspectHold as _,
};
use Test as T;

mod authorities;
mod authorizations;
mod capture;
mod genesis;
mod inspect;
mod issue;
mod lifecycle;
mod mock_sanity;
mod possession;
mod reissue;
mod removal;
mod revoke;
mod validity;

// ---------------------------------------------------------------------------------------------
// Helpers.

fn signed(who: u64) -> RuntimeOrigin {
	RuntimeOrigin::signed(who)
}

fn root() -> RuntimeOrigin {
	RuntimeOrigin::root()
}

/// The ed25519 pair whose X25519 form is test sealing key number `n`.
fn sealing_pair(n: u8) -> ed25519::Pair {
	ed25519::Pair::from_seed(&[n; 32])
}

/// Test sealing key number `n`: a real X25519 key, so that proofs of possession verify.
fn x_key(n: u8) -> H256 {
	custos_primitives::x25519_of_ed25519(&H256(sealing_pair(n).public().0))
		.expect("an ed25519 public key converts")
}

fn x(n: u8) -> PublicKey {
	PublicKey::X25519(x_key(n))
}

/// The proof of possession of test sealing key `n` for `subject`, signed by the key and by
/// `subject` (the mock's account signature is a `TestSignature` naming its signer).
fn key_proof(subject: u64, n: u8) -> SealingKeyProofOf<T> {
	let genesis = System::block_hash(0);
	let message = custos_primitives::sealing_key_message(&genesis, &subject, &x_key(n));
	SealingKeyProof {
		edwards_key: H256(sealing_pair(n).public().0),
		key_signature: sealing_pair(n).sign(&message).0.into(),
		subject_signature: TestSignature(subject, message),
	}
}

/// The proof for the X25519 key among `k`, if any (the keys of these tests are `x(n)`).
fn key_proof_for(subject: u64, k: &[PublicKey]) -> Option<SealingKeyProofOf<T>> {
	let key = k.iter().find_map(PublicKey::x25519)?;
	let n = (0..=u8::MAX).find(|n| x_key(*n) == key).expect("test keys are x(n)");
	Some(key_proof(subject, n))
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
	let proof = key_proof_for(subject, &k);
	Certificates::issue_certificate(signed(ca), subject, role, keys(k), None, valid_for, proof)
}

/// Dispatch `reissue_certificate` by `ca` without a measurement.
fn try_reissue(ca: u64, id: u64, k: Vec<PublicKey>, valid_for: u64) -> DispatchResult {
	let subject = CertificateStore::<T>::get(id).map_or(ALICE, |(cert, _)| cert.subject);
	let proof = key_proof_for(subject, &k);
	Certificates::reissue_certificate(signed(ca), id, keys(k), None, valid_for, proof)
}

/// Issue `subject` a certificate of `role` by `ca` with `keys`, returning its id.
fn issue_with(ca: u64, subject: u64, role: Role, k: Vec<PublicKey>, valid_for: u64) -> u64 {
	assert_ok!(try_issue(ca, subject, role, k, valid_for));
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

/// The issuers whose recovery authorization of `requester` for `escrow` counts at `at` (the
/// runtime API's answer), sorted; checked against the `CertificateInspect` answer per issuer.
fn counting_issuers(escrow: H256, requester: u64, at: u64) -> Vec<u64> {
	let mut issuers = Certificates::recovery_authorizations(&escrow, &requester, at);
	issuers.sort();
	for issuer in Authorizations::<T>::iter_key_prefix((escrow, requester)) {
		assert_eq!(
			authorized_by(escrow, requester, issuer, at),
			issuers.contains(&issuer),
			"the two answers agree for issuer {issuer}"
		);
	}
	issuers
}

/// Whether `issuer`'s recovery authorization of `requester` for `escrow` counts at `at` (the
/// `CertificateInspect` answer other pallets get).
fn authorized_by(escrow: H256, requester: u64, issuer: u64, at: u64) -> bool {
	<Certificates as CertificateInspect<u64, u64>>::recovery_authorized_by(
		&escrow, &requester, &issuer, at,
	)
}

// ---------------------------------------------------------------------------------------------
// Coverage of the error enum.

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
			Error::MissingKeyProof => "missing_key_proof",
			Error::UnexpectedKeyProof => "unexpected_key_proof",
			Error::KeyProofMismatch => "key_proof_mismatch",
			Error::BadKeyProof => "bad_key_proof",
			Error::BadSubjectSignature => "bad_subject_signature",
			Error::CertificateExists => "certificate_exists",
			Error::UnknownCertificate => "unknown_certificate",
			Error::AlreadyRevoked => "already_revoked",
			Error::NotCurrentCertificate => "not_current_certificate",
			Error::NotIssuer => "not_issuer",
			Error::NotAllowedToRevoke => "not_allowed_to_revoke",
			Error::CertificateStillLive => "certificate_still_live",
			Error::NotAllowedToAuthorize => "not_allowed_to_authorize",
			Error::UnknownAuthorization => "unknown_authorization",
			Error::NotAllowedToRevokeAuthorization => "not_allowed_to_revoke_authorization",
			Error::__Ignore(..) => unreachable!(),
		}
	}
	assert_eq!(test_for(Error::NoKeys), "no_keys");
}
