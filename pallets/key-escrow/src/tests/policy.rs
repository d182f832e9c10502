//! `update_policy`.

use super::*;

#[test]
fn update_policy_works_and_checks_owner_and_policy() {
	new_test_ext().execute_with(|| {
		let escrow = create();
		let hold_before = escrow_hold(OWNER);
		let new = policy(false, vec![GUARDIAN_A, GUARDIAN_B], 2, vec![CA], 10);
		assert_noop!(
			KeyEscrow::update_policy(signed(STRANGER), escrow, new.clone()),
			Error::<T>::NotOwner
		);
		assert_noop!(
			KeyEscrow::update_policy(signed(OWNER), H256::zero(), new.clone()),
			Error::<T>::UnknownEscrow
		);
		assert_noop!(
			KeyEscrow::update_policy(signed(OWNER), escrow, policy(false, vec![], 0, vec![], 5)),
			Error::<T>::NoRecoveryFactor
		);
		assert_ok!(KeyEscrow::update_policy(signed(OWNER), escrow, new.clone()));
		assert_eq!(KeyEscrow::escrow(&escrow).unwrap().policy, new);
		assert!(has_event(Event::PolicyUpdated { escrow }));
		// A bigger policy costs more deposit, exactly its extra bytes.
		let extra = (new.encoded_size() - guardian_policy().encoded_size()) as u128;
		assert_eq!(escrow_hold(OWNER), hold_before + extra * BYTE_DEPOSIT);
	});
}

#[test]
fn update_policy_cannot_shorten_a_running_delay_but_may_lengthen_it() {
	new_test_ext().execute_with(|| {
		let escrow = create_with(policy(false, vec![GUARDIAN_A], 1, vec![], 10));
		initiate(escrow);
		assert_ok!(KeyEscrow::approve_recovery(signed(GUARDIAN_A), escrow, open_nonce(escrow)));
		let request = Requests::<T>::get(escrow).unwrap();
		assert_eq!(request.release_at, Some(now() + 10));
		assert_noop!(
			KeyEscrow::update_policy(
				signed(OWNER),
				escrow,
				policy(false, vec![GUARDIAN_A], 1, vec![], 9)
			),
			Error::<T>::CannotShortenRunningDelay
		);
		assert_ok!(KeyEscrow::update_policy(
			signed(OWNER),
			escrow,
			policy(false, vec![GUARDIAN_A], 1, vec![], 15)
		));
		let lengthened = Requests::<T>::get(escrow).unwrap();
		assert_eq!(lengthened.release_at, Some(request.release_at.unwrap() + 5));
		assert_eq!(lengthened.expires_at, request.expires_at + 5);
		go_to(now() + 14);
		assert!(!KeyEscrow::is_releasable(&escrow));
		go_to(now() + 1);
		assert!(KeyEscrow::is_releasable(&escrow));
	});
}
