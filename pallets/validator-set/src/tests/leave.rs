//! `leave` and `remove_candidate`: a candidate goes at once, a member at the next new session.

use super::*;

#[test]
fn leave_removes_the_candidate() {
	test(|| {
		ready_and_join(10, Some(M1));
		System::reset_events();
		assert_ok!(ValidatorSet::leave(signed(10)));
		assert_eq!(candidate(10), None);
		assert_eq!(Candidates::<T>::count(), 3);
		assert_eq!(events(), vec![Event::Left { operator: 10 }]);
		// It was never a member, so the set does not change.
		assert_eq!(new_session(2), None);
		// And it may join again.
		assert_ok!(join(10, Some(report(10, M1))));
	});
}

#[test]
fn not_candidate() {
	test(|| {
		assert_noop!(ValidatorSet::leave(signed(10)), Error::<T>::NotCandidate);
		assert_noop!(
			ValidatorSet::remove_candidate(RuntimeOrigin::root(), 10),
			Error::<T>::NotCandidate
		);
		assert_ok!(ValidatorSet::leave(signed(1)));
		assert_noop!(ValidatorSet::leave(signed(1)), Error::<T>::NotCandidate);
	});
}

#[test]
fn a_member_that_leaves_is_removed_at_the_next_new_session() {
	test_with(vec![1, 2, 3, 4], || {
		assert_ok!(ValidatorSet::leave(signed(2)));
		// Still a member until the set is planned again.
		assert_eq!(members(), vec![1, 2, 3, 4]);
		System::reset_events();
		assert_eq!(new_session(2), Some(vec![1, 3, 4]));
		assert_eq!(members(), vec![1, 3, 4]);
		assert_eq!(events(), vec![removed(2, 2, RemovalReason::Left)]);
	});
}

#[test]
fn root_removes_a_candidate() {
	test_with(vec![1, 2, 3, 4], || {
		assert_noop!(ValidatorSet::remove_candidate(signed(1), 2), DispatchError::BadOrigin);
		assert_ok!(ValidatorSet::remove_candidate(RuntimeOrigin::root(), 2));
		assert_eq!(candidate(2), None);
		assert_eq!(events(), vec![Event::CandidateRemoved { operator: 2 }]);
		assert_eq!(new_session(2), Some(vec![1, 3, 4]));
		assert_eq!(events().last(), Some(&removed(2, 2, RemovalReason::Left)));
	});
}
