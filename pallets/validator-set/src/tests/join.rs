//! `join`: who may become a candidate, and what is stored.

use super::*;

#[test]
fn joins_without_measurement() {
	test(|| {
		operator(10, None);
		assert_ok!(join(10, None));
		assert_eq!(candidate(10), Some(Candidate { measurement: None, node_key: None }));
		assert_eq!(events(), vec![Event::Joined { operator: 10, measurement: None }]);
		// Not a member until a new session plans it.
		assert_eq!(members(), GENESIS.to_vec());
	});
}

#[test]
fn joins_with_the_certified_measurement() {
	test(|| {
		operator(10, Some(M1));
		let report = report(10, M1);
		assert_ok!(join(10, Some(report.clone())));
		assert_eq!(
			candidate(10),
			Some(Candidate {
				measurement: Some(report),
				node_key: Some(node_pair(10, 0).public())
			})
		);
		assert_eq!(events(), vec![Event::Joined { operator: 10, measurement: Some(M1) }]);
	});
}

#[test]
fn a_report_not_required_is_verified_and_stored() {
	test(|| {
		operator(10, None);
		// A bad one is refused even though none was required.
		let forged = report_by(&node_pair(10, 9), 10, M2);
		assert_noop!(join(10, Some(forged)), Error::<T>::BadMeasurementSignature);
		let report = report(10, M2);
		assert_ok!(join(10, Some(report.clone())));
		assert_eq!(
			candidate(10),
			Some(Candidate {
				measurement: Some(report),
				node_key: Some(node_pair(10, 0).public())
			})
		);
		assert_eq!(events(), vec![Event::Joined { operator: 10, measurement: Some(M2) }]);
	});
}

#[test]
fn no_valid_certificate() {
	test(|| {
		// Never certified.
		register(10);
		set_node_key(10, node_pair(10, 0).public());
		assert_noop!(join(10, None), Error::<T>::NoValidCertificate);
		// Expired: valid until block 5 (exclusive).
		certify(10, None, 5);
		System::set_block_number(5);
		assert_noop!(join(10, None), Error::<T>::NoValidCertificate);
		// Revoked.
		operator(11, None);
		revoke(11);
		assert_noop!(join(11, None), Error::<T>::NoValidCertificate);
	});
}

#[test]
fn no_session_keys() {
	test(|| {
		operator(10, None);
		unregister(10);
		assert_noop!(join(10, None), Error::<T>::NoSessionKeys);
		register(10);
		assert_ok!(join(10, None));
	});
}

#[test]
fn measurement_required() {
	test(|| {
		operator(10, Some(M1));
		assert_noop!(join(10, None), Error::<T>::MeasurementRequired);
	});
}

#[test]
fn measurement_mismatch() {
	test(|| {
		operator(10, Some(M1));
		// Correctly signed, but of another build.
		assert_noop!(join(10, Some(report(10, M2))), Error::<T>::MeasurementMismatch);
	});
}

#[test]
fn bad_measurement_signature() {
	test(|| {
		operator(10, Some(M1));
		operator(11, Some(M1));
		// Signed by a key that is not the registered one.
		let wrong_key = report_by(&node_pair(10, 9), 10, M1);
		assert_noop!(join(10, Some(wrong_key)), Error::<T>::BadMeasurementSignature);
		// Another operator's report (its message names that operator).
		assert_noop!(join(10, Some(report(11, M1))), Error::<T>::BadMeasurementSignature);
		// Signed over another measurement, with the certified one put in its place.
		let mut swapped = report(10, M2);
		swapped.measurement = M1;
		assert_noop!(join(10, Some(swapped)), Error::<T>::BadMeasurementSignature);
		// Signed for another chain (another genesis hash).
		let elsewhere =
			node_pair(10, 0).sign(&crate::measurement_message(&H256::repeat_byte(1), &10u64, &M1));
		let elsewhere = MeasurementReport { measurement: M1, signature: elsewhere };
		assert_noop!(join(10, Some(elsewhere)), Error::<T>::BadMeasurementSignature);
		// The right one.
		assert_ok!(join(10, Some(report(10, M1))));
	});
}

#[test]
fn no_node_key() {
	test(|| {
		operator(10, Some(M1));
		clear_node_key(10);
		assert_noop!(join(10, Some(report(10, M1))), Error::<T>::NoNodeKey);
		// Without a report (its certificate naming none), no key is needed.
		operator(11, None);
		clear_node_key(11);
		assert_ok!(join(11, None));
	});
}

#[test]
fn already_candidate() {
	test(|| {
		// A genesis member is a candidate.
		assert_noop!(join(1, None), Error::<T>::AlreadyCandidate);
		ready_and_join(10, Some(M1));
		assert_noop!(join(10, Some(report(10, M1))), Error::<T>::AlreadyCandidate);
	});
}

#[test]
fn too_many_candidates() {
	test(|| {
		// Three genesis candidates; MAX_VALIDATORS = 6.
		for who in 10..13 {
			ready_and_join(who, None);
		}
		assert_eq!(Candidates::<T>::count(), MAX_VALIDATORS);
		operator(13, None);
		assert_noop!(join(13, None), Error::<T>::TooManyCandidates);
		// A candidate leaving makes room.
		assert_ok!(ValidatorSet::leave(signed(10)));
		assert_ok!(join(13, None));
	});
}

#[test]
fn join_needs_a_signed_origin() {
	test(|| {
		operator(10, None);
		assert_noop!(ValidatorSet::join(RuntimeOrigin::root(), None), DispatchError::BadOrigin);
		assert_noop!(ValidatorSet::join(RuntimeOrigin::none(), None), DispatchError::BadOrigin);
	});
}

#[test]
fn checks_refuse_in_order() {
	test(|| {
		// Nothing at all: the certificate is asked about first.
		assert_noop!(join(10, Some(report(10, M1))), Error::<T>::NoValidCertificate);
		certify(10, Some(M1), u64::MAX);
		// Then the keys.
		assert_noop!(join(10, Some(report(10, M2))), Error::<T>::NoSessionKeys);
		register(10);
		// Then the measurement, before the signature is looked at.
		assert_noop!(join(10, Some(report(10, M2))), Error::<T>::MeasurementMismatch);
		assert_noop!(join(10, Some(report(10, M1))), Error::<T>::NoNodeKey);
		set_node_key(10, node_pair(10, 1).public());
		assert_noop!(join(10, Some(report(10, M1))), Error::<T>::BadMeasurementSignature);
		set_node_key(10, node_pair(10, 0).public());
		assert_ok!(join(10, Some(report(10, M1))));
	});
}
