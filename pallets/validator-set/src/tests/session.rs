//! `SessionManager`: the set planned at each new session, its reasons, bounds and events.

use super::*;
use crate::plan_change;

#[test]
fn genesis_members_are_handed_to_the_first_sessions() {
	test(|| {
		let genesis = <ValidatorSet as SessionManager<u64>>::new_session_genesis;
		assert_eq!(genesis(0), Some(GENESIS.to_vec()));
		assert_eq!(genesis(1), Some(GENESIS.to_vec()));
		// All eligible: nothing changes, nothing emitted.
		assert_eq!(new_session(2), None);
		assert_eq!(events(), vec![]);
		// start and end are no-ops.
		<ValidatorSet as SessionManager<u64>>::start_session(1);
		<ValidatorSet as SessionManager<u64>>::end_session(1);
		assert_eq!(members(), GENESIS.to_vec());
	});
}

#[test]
fn a_candidate_is_added_at_the_next_new_session() {
	test(|| {
		ready_and_join(10, Some(M1));
		System::reset_events();
		assert_eq!(new_session(2), Some(vec![1, 2, 3, 10]));
		assert_eq!(members(), vec![1, 2, 3, 10]);
		assert_eq!(events(), vec![added(10, 2)]);
		// Planned once: the next session keeps it without handing a new set.
		assert_eq!(new_session(3), None);
	});
}

#[test]
fn revocation_removes_a_member_at_the_next_new_session() {
	test_with(vec![1, 2, 3, 4], || {
		revoke(2);
		// Nothing happens until the set is planned.
		assert_eq!(members(), vec![1, 2, 3, 4]);
		assert_eq!(new_session(2), Some(vec![1, 3, 4]));
		assert_eq!(events(), vec![removed(2, 2, RemovalReason::CertificateInvalid)]);
		// It stays a candidate, and comes back once certified again.
		assert!(candidate(2).is_some());
		certify(2, None, u64::MAX);
		assert_eq!(new_session(3), Some(vec![1, 2, 3, 4]));
		assert_eq!(events().last(), Some(&added(2, 3)));
	});
}

#[test]
fn expiry_removes_a_member_at_the_next_new_session() {
	test_with(vec![1, 2, 3, 4], || {
		certify(3, None, 10);
		System::set_block_number(9);
		assert_eq!(new_session(2), None);
		System::set_block_number(10);
		assert_eq!(new_session(3), Some(vec![1, 2, 4]));
		assert_eq!(events(), vec![removed(3, 3, RemovalReason::CertificateInvalid)]);
	});
}

#[test]
fn purged_keys_remove_a_member() {
	test_with(vec![1, 2, 3, 4], || {
		unregister(4);
		assert_eq!(new_session(2), Some(vec![1, 2, 3]));
		assert_eq!(events(), vec![removed(4, 2, RemovalReason::KeysMissing)]);
	});
}

#[test]
fn a_certificate_reissued_for_another_build_removes_a_member() {
	test_with(vec![1, 2, 3, 4], || {
		ready_and_join(10, Some(M1));
		assert_eq!(new_session(2), Some(vec![1, 2, 3, 4, 10]));
		System::reset_events();
		// 10 reported M1; its certificate now names M2.
		certify(10, Some(M2), u64::MAX);
		// Genesis member 1 joined without a report; its certificate now names M1.
		certify(1, Some(M1), u64::MAX);
		assert_eq!(new_session(3), Some(vec![2, 3, 4]));
		assert_eq!(
			events(),
			vec![
				removed(1, 3, RemovalReason::MeasurementMismatch),
				removed(10, 3, RemovalReason::MeasurementMismatch),
			]
		);
		// Joining again with a report of the certified build brings 10 back.
		assert_ok!(ValidatorSet::leave(signed(10)));
		assert_ok!(join(10, Some(report(10, M2))));
		assert_eq!(new_session(4), Some(vec![2, 3, 4, 10]));
	});
}

#[test]
fn a_certificate_that_drops_its_measurement_keeps_a_member() {
	test(|| {
		ready_and_join(10, Some(M1));
		assert_eq!(new_session(2), Some(vec![1, 2, 3, 10]));
		// The stored report is more than is asked for now.
		certify(10, None, u64::MAX);
		assert_eq!(new_session(3), None);
	});
}

#[test]
fn key_rotation_after_joining_excludes_until_joining_again() {
	test(|| {
		ready_and_join(10, Some(M1));
		assert_eq!(new_session(2), Some(vec![1, 2, 3, 10]));
		System::reset_events();
		// The operator registers a new Aura key: its report spoke for the old one.
		set_node_key(10, node_pair(10, 1).public());
		assert_eq!(new_session(3), Some(vec![1, 2, 3]));
		assert_eq!(events(), vec![removed(10, 3, RemovalReason::KeyRotated)]);
		// Leaving and joining in the same block with a report signed by the new key.
		assert_ok!(ValidatorSet::leave(signed(10)));
		assert_ok!(join(10, Some(report_by(&node_pair(10, 1), 10, M1))));
		assert_eq!(candidate(10).unwrap().node_key, Some(node_pair(10, 1).public()));
		assert_eq!(new_session(4), Some(vec![1, 2, 3, 10]));
	});
}

#[test]
fn key_rotation_without_a_report_keeps_a_member() {
	test(|| {
		// Genesis members stored no report, so no key is tied to them.
		set_node_key(2, node_pair(2, 7).public());
		assert_eq!(new_session(2), None);
		// But purging keys altogether does remove.
		unregister(2);
		clear_node_key(2);
		assert_eq!(new_session(3), Some(vec![1, 3]));
		assert_eq!(events(), vec![removed(2, 3, RemovalReason::KeysMissing)]);
	});
}

#[test]
fn the_first_failing_check_is_the_reason() {
	test_with(vec![1, 2, 3, 4, 5, 6], || {
		MaxSetChange::set(6);
		// Member 6: not a candidate any more.
		assert_ok!(ValidatorSet::leave(signed(6)));
		ready_and_join(10, Some(M1));
		// Member 5: no keys and no certificate: the certificate is checked first.
		revoke(5);
		unregister(5);
		// Member 4: no keys and a measurement mismatch: keys first.
		unregister(4);
		certify(4, Some(M1), u64::MAX);
		// Member 3: a measurement mismatch (it has no report) and nothing else.
		certify(3, Some(M2), u64::MAX);
		System::reset_events();
		assert_eq!(new_session(2), Some(vec![1, 2, 10]));
		assert_eq!(
			events(),
			vec![
				removed(3, 2, RemovalReason::MeasurementMismatch),
				removed(4, 2, RemovalReason::KeysMissing),
				removed(5, 2, RemovalReason::CertificateInvalid),
				removed(6, 2, RemovalReason::Left),
				added(10, 2),
			]
		);
	});
}

#[test]
fn the_set_never_goes_below_the_minimum() {
	test(|| {
		// MinValidators = 2, members 1, 2, 3. Two revoked: one eligible left.
		revoke(1);
		revoke(2);
		assert_eq!(new_session(2), None);
		assert_eq!(members(), vec![1, 2, 3]);
		assert_eq!(events(), vec![Event::SetKept { session: 2, eligible: 1 }]);
		// Said again at every session while it lasts.
		assert_eq!(new_session(3), None);
		assert_eq!(events().len(), 2);
		System::reset_events();
		// A new operator makes two eligible: the set moves towards them, but each session
		// keeps at least two members, so 4 is added before 2 can go.
		ready_and_join(4, None);
		System::reset_events();
		assert_eq!(new_session(4), Some(vec![2, 3, 4]));
		assert_eq!(
			take_events(),
			vec![removed(1, 4, RemovalReason::CertificateInvalid), added(4, 4)]
		);
		assert_eq!(new_session(5), Some(vec![3, 4]));
		assert_eq!(take_events(), vec![removed(2, 5, RemovalReason::CertificateInvalid)]);
		assert_eq!(new_session(6), None);
	});
}

#[test]
fn an_empty_eligible_set_keeps_the_set() {
	test(|| {
		MinValidators::set(1);
		for who in GENESIS {
			revoke(who);
		}
		assert_eq!(new_session(2), None);
		assert_eq!(members(), GENESIS.to_vec());
		assert_eq!(events(), vec![Event::SetKept { session: 2, eligible: 0 }]);
	});
}

#[test]
fn three_joins_take_two_sessions_with_a_change_bound_of_two() {
	test(|| {
		for who in [12, 10, 11] {
			ready_and_join(who, None);
		}
		System::reset_events();
		// The lowest accounts first.
		assert_eq!(new_session(2), Some(vec![1, 2, 3, 10, 11]));
		assert_eq!(take_events(), vec![added(10, 2), added(11, 2)]);
		assert_eq!(new_session(3), Some(vec![1, 2, 3, 10, 11, 12]));
		assert_eq!(take_events(), vec![added(12, 3)]);
		assert_eq!(new_session(4), None);
	});
}

#[test]
fn removals_go_first() {
	test(|| {
		MinValidators::set(1);
		revoke(1);
		revoke(2);
		ready_and_join(10, None);
		ready_and_join(11, None);
		System::reset_events();
		// Two changes per session: both revoked members go before anyone is added.
		assert_eq!(new_session(2), Some(vec![3]));
		assert_eq!(
			take_events(),
			vec![
				removed(1, 2, RemovalReason::CertificateInvalid),
				removed(2, 2, RemovalReason::CertificateInvalid),
			]
		);
		assert_eq!(new_session(3), Some(vec![3, 10, 11]));
		assert_eq!(take_events(), vec![added(10, 3), added(11, 3)]);
	});
}

#[test]
fn a_member_of_a_set_at_the_minimum_is_replaced_in_two_sessions() {
	test(|| {
		// Three members, at least three, one change per session: removing first would go
		// below the minimum, so the addition comes first.
		MinValidators::set(3);
		MaxSetChange::set(1);
		revoke(2);
		ready_and_join(10, None);
		System::reset_events();
		assert_eq!(new_session(2), Some(vec![1, 2, 3, 10]));
		assert_eq!(take_events(), vec![added(10, 2)]);
		assert_eq!(new_session(3), Some(vec![1, 3, 10]));
		assert_eq!(take_events(), vec![removed(2, 3, RemovalReason::CertificateInvalid)]);
		assert_eq!(new_session(4), None);
	});
}

#[test]
fn a_full_set_at_the_minimum_swaps_one_for_one() {
	test_with(vec![1, 2, 3, 4, 5, 6], || {
		// MinValidators = MaxValidators, two changes per session: one out, one in, never
		// fewer or more than six.
		MinValidators::set(MAX_VALIDATORS);
		assert_ok!(ValidatorSet::leave(signed(2)));
		ready_and_join(10, None);
		System::reset_events();
		assert_eq!(new_session(2), Some(vec![1, 3, 4, 5, 6, 10]));
		assert_eq!(take_events(), vec![removed(2, 2, RemovalReason::Left), added(10, 2)]);
		// With 1 revoked there is no one to replace it, and six is the minimum.
		revoke(1);
		assert_eq!(new_session(3), None);
		assert_eq!(take_events(), vec![Event::SetKept { session: 3, eligible: 5 }]);
		assert_eq!(members(), vec![1, 3, 4, 5, 6, 10]);
	});
}

#[test]
fn new_sets_are_sorted() {
	test_with(vec![5, 1, 3], || {
		assert_eq!(members(), vec![1, 3, 5]);
		ready_and_join(4, None);
		ready_and_join(2, None);
		assert_eq!(new_session(2), Some(vec![1, 2, 3, 4, 5]));
		assert_eq!(events()[2..], [added(2, 2), added(4, 2)]);
	});
}

#[test]
fn an_empty_genesis_leaves_sessions_to_pallet_session() {
	test_with(vec![], || {
		assert_eq!(<ValidatorSet as SessionManager<u64>>::new_session_genesis(0), None);
		// Fewer eligible than the minimum: pallet-session keeps its genesis validators.
		ready_and_join(10, None);
		assert_eq!(new_session(2), None);
		assert_eq!(events().last(), Some(&Event::SetKept { session: 2, eligible: 1 }));
		ready_and_join(11, None);
		assert_eq!(new_session(3), Some(vec![10, 11]));
	});
}

#[test]
fn plan_change_is_bounded() {
	// (members, removable, addable, max_change, min, max) -> (removals, additions)
	// Removals first, then additions, within the change bound.
	assert_eq!(plan_change(5, 2, 3, 2, 1, 10), (2, 0));
	assert_eq!(plan_change(5, 1, 3, 2, 1, 10), (1, 1));
	assert_eq!(plan_change(5, 0, 3, 2, 1, 10), (0, 2));
	assert_eq!(plan_change(5, 0, 0, 2, 1, 10), (0, 0));
	// The minimum holds removals back and lets additions in first.
	assert_eq!(plan_change(3, 1, 1, 1, 3, 10), (0, 1));
	assert_eq!(plan_change(3, 2, 2, 2, 3, 10), (1, 1));
	assert_eq!(plan_change(4, 3, 0, 3, 2, 10), (2, 0));
	// The maximum caps additions.
	assert_eq!(plan_change(10, 0, 5, 3, 1, 10), (0, 0));
	assert_eq!(plan_change(10, 1, 5, 3, 1, 10), (1, 1));
	assert_eq!(plan_change(10, 3, 5, 3, 10, 10), (1, 1));
	assert_eq!(plan_change(9, 0, 5, 3, 1, 10), (0, 1));
	// Below the minimum already (raised by an upgrade): only additions.
	assert_eq!(plan_change(2, 1, 5, 2, 5, 10), (0, 2));
	// No plan leaves the set below the minimum when it started at it or above, nor above the
	// maximum, nor makes more than `max_change` changes, and it changes something whenever it
	// can.
	for members in 1..=6u32 {
		for min in 1..=members {
			for removable in 0..=members {
				for addable in 0..=6u32 {
					for max_change in 1..=4u32 {
						let max = 6;
						if min == max && max_change < 2 {
							continue;
						}
						let (r, a) = plan_change(members, removable, addable, max_change, min, max);
						let args = (members, removable, addable, max_change, min, max);
						assert!(r <= removable && a <= addable, "{args:?}");
						assert!(r + a <= max_change, "{args:?}");
						assert!(members - r + a >= min, "{args:?}");
						assert!(members - r + a <= max, "{args:?}");
						// Progress whenever the eligible set, of `members - removable + addable`
						// accounts, is within the bounds.
						let target = members - removable + addable;
						if (min..=max).contains(&target) && removable + addable > 0 {
							assert!(r + a > 0, "no progress for {args:?}");
						}
					}
				}
			}
		}
	}
}
