//! `remove_escrow`.

use super::*;

#[test]
fn remove_escrow_returns_every_deposit() {
	new_test_ext().execute_with(|| {
		let escrow = create();
		assert_noop!(KeyEscrow::remove_escrow(signed(STRANGER), escrow), Error::<T>::NotOwner);
		assert_noop!(
			KeyEscrow::remove_escrow(signed(OWNER), H256::zero()),
			Error::<T>::UnknownEscrow
		);

		// A full successful recovery in between.
		make_releasable(escrow);
		assert_noop!(
			KeyEscrow::remove_escrow(signed(OWNER), escrow),
			Error::<T>::RecoveryInProgress
		);
		for i in 0..3 {
			assert_ok!(KeyEscrow::release_share(
				signed(custodian(i)),
				escrow,
				open_nonce(escrow),
				i as u32,
				payload(1)
			));
		}
		assert_ok!(KeyEscrow::close_recovery(signed(REQUESTER), escrow));

		assert_ok!(KeyEscrow::remove_escrow(signed(OWNER), escrow));
		assert!(has_event(Event::EscrowRemoved { escrow }));
		assert_eq!(KeyEscrow::escrow(&escrow), None);
		assert_eq!(Shares::<T>::iter_prefix(escrow).count(), 0);
		assert!(!OwnerEscrows::<T>::contains_key(OWNER));
		assert!(!FailedAttempts::<T>::contains_key(escrow));
		for who in [OWNER, REQUESTER, GUARDIAN_A] {
			assert_eq!(Balances::free_balance(who), START_BALANCE, "account {who}");
			assert_eq!(Balances::total_balance_on_hold(&who), 0, "account {who}");
		}
		for i in 0..5 {
			assert_eq!(Balances::free_balance(custodian(i)), START_BALANCE);
		}
		// The owner may escrow the same key again.
		create();
	});
}
