//! Tests of the validator-set pallet on the mock runtime.
//!
//! Every pallet error is triggered at least once, in the test named after it:
//! `NoValidCertificate`, `NoSessionKeys`, `MeasurementRequired`, `MeasurementMismatch`,
//! `NoNodeKey`, `BadMeasurementSignature`, `AlreadyCandidate`, `TooManyCandidates`,
//! `NotCandidate` (see `every_error_variant_is_covered`). Refusals are checked with
//! `assert_noop!` (nothing written). `new_session` is called directly, as pallet-session
//! would; each test ends with the storage invariants checked (`do_try_state`).

use crate::{
	mock::*, Candidate, CandidateView, Candidates, Error, Event, MeasurementReport, Members,
	RemovalReason, H256,
};
use frame::{deps::frame_support::__private::serde_json, testing_prelude::*};
use pallet_session::SessionManager;
use sp_core::{sr25519, Pair as _};
use Test as T;

mod genesis;
mod join;
mod leave;
mod message;
mod session;
mod views;

// ---------------------------------------------------------------------------------------------
// Helpers.

/// A measurement certificates name.
const M1: H256 = H256::repeat_byte(0xa1);
/// Another measurement.
const M2: H256 = H256::repeat_byte(0xa2);

fn signed(who: u64) -> RuntimeOrigin {
	RuntimeOrigin::signed(who)
}

/// Runs `f` on the [`GENESIS`] chain, then checks the storage invariants.
fn test(f: impl FnOnce()) {
	test_with(GENESIS.to_vec(), f)
}

/// Runs `f` on a chain with genesis `members`, then checks the storage invariants.
fn test_with(members: Vec<u64>, f: impl FnOnce()) {
	new_test_ext_with(members).execute_with(|| {
		f();
		assert_ok!(ValidatorSet::do_try_state());
	});
}

/// `who`'s report of `measurement`, signed by `pair` over this chain's message.
fn report_by(pair: &sr25519::Pair, who: u64, measurement: H256) -> MeasurementReport {
	let signature = pair.sign(&ValidatorSet::measurement_message(&who, &measurement));
	MeasurementReport { measurement, signature }
}

/// `who`'s report of `measurement`, signed by its node key [`node_pair`]`(who, 0)`.
fn report(who: u64, measurement: H256) -> MeasurementReport {
	report_by(&node_pair(who, 0), who, measurement)
}

fn join(who: u64, report: Option<MeasurementReport>) -> DispatchResult {
	ValidatorSet::join(signed(who), report)
}

/// Makes `who` a ready operator whose certificate names `measurement`, and joins it (with a
/// report if its certificate names a measurement).
fn ready_and_join(who: u64, measurement: Option<H256>) {
	operator(who, measurement);
	assert_ok!(join(who, measurement.map(|m| report(who, m))));
}

/// What pallet-session does when it plans session `index`.
fn new_session(index: u32) -> Option<Vec<u64>> {
	<ValidatorSet as SessionManager<u64>>::new_session(index)
}

fn members() -> Vec<u64> {
	ValidatorSet::members()
}

fn candidate(who: u64) -> Option<Candidate> {
	Candidates::<T>::get(who)
}

/// This pallet's events since the test started.
fn events() -> Vec<Event<T>> {
	System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::ValidatorSet(e) => Some(e),
			_ => None,
		})
		.collect()
}

/// This pallet's events since the last call (and forgets them).
fn take_events() -> Vec<Event<T>> {
	let events = events();
	System::reset_events();
	events
}

fn added(who: u64, session: u32) -> Event<T> {
	Event::ValidatorAdded { who, session }
}

fn removed(who: u64, session: u32, reason: RemovalReason) -> Event<T> {
	Event::ValidatorRemoved { who, session, reason }
}

// ---------------------------------------------------------------------------------------------
// Meta.

#[test]
fn every_error_variant_is_covered() {
	// Keeps the list in the module docs honest: adding an error variant without a test named
	// after it breaks this match.
	fn test_for(e: Error<T>) -> &'static str {
		match e {
			Error::NoValidCertificate => "no_valid_certificate",
			Error::NoSessionKeys => "no_session_keys",
			Error::MeasurementRequired => "measurement_required",
			Error::MeasurementMismatch => "measurement_mismatch",
			Error::NoNodeKey => "no_node_key",
			Error::BadMeasurementSignature => "bad_measurement_signature",
			Error::AlreadyCandidate => "already_candidate",
			Error::TooManyCandidates => "too_many_candidates",
			Error::NotCandidate => "not_candidate",
			Error::__Ignore(..) => unreachable!(),
		}
	}
	assert_eq!(test_for(Error::NotCandidate), "not_candidate");
}

#[test]
fn mock_tables_answer_as_set() {
	test(|| {
		use crate::{CertificateInspect, Role};
		assert_eq!(MockCertificates::certified_measurement(&1, Role::Validator, 1), Some(None));
		assert!(MockCertificates::has_valid_certificate(&1, Role::Validator, 1));
		assert!(!MockCertificates::has_valid_certificate(&1, Role::Custodian, 1));
		certify(9, Some(M1), 5);
		assert_eq!(MockCertificates::certified_measurement(&9, Role::Validator, 4), Some(Some(M1)));
		assert_eq!(MockCertificates::certified_measurement(&9, Role::Validator, 5), None);
		assert_eq!(MockCertificates::certified_measurement(&9, Role::Attestor, 4), None);
		revoke(1);
		assert!(!MockCertificates::has_valid_certificate(&1, Role::Validator, 1));
		use frame::traits::{Convert, ValidatorRegistration};
		assert!(MockSessionKeys::is_registered(&2));
		unregister(2);
		assert!(!MockSessionKeys::is_registered(&2));
		assert_eq!(MockNodeKeys::convert(3), Some(node_pair(3, 0).public()));
		clear_node_key(3);
		assert_eq!(MockNodeKeys::convert(3), None);
	});
}

#[test]
fn integrity_test_refuses_bad_bounds() {
	use frame::traits::Hooks;
	let check = || <ValidatorSet as Hooks<u64>>::integrity_test();
	let refuses =
		|check: &dyn Fn()| std::panic::catch_unwind(std::panic::AssertUnwindSafe(check)).is_err();
	new_test_ext().execute_with(|| {
		check();
		MinValidators::set(0);
		assert!(refuses(&check), "an empty set would halt the chain");
		MinValidators::set(MAX_VALIDATORS + 1);
		assert!(refuses(&check), "a minimum above the maximum");
		MinValidators::set(2);
		MaxSetChange::set(0);
		assert!(refuses(&check), "a set that never changes");
		MinValidators::set(MAX_VALIDATORS);
		MaxSetChange::set(1);
		assert!(refuses(&check), "a full set at the minimum could never swap a member");
		MaxSetChange::set(2);
		check();
	});
}
