//! `reshare`.

use super::*;

/// A re-split by the owner replaces the split (kept policy), its deposit follows the new size,
/// and it is refused while a request is open.
#[test]
fn reshare_replaces_the_split_and_follows_its_size() {
	new_test_ext().execute_with(|| {
		let escrow = create();
		assert_noop!(
			KeyEscrow::reshare(signed(STRANGER), escrow, split(2, 3, StorageMode::OnChain), None),
			Error::<T>::NotOwner
		);
		assert_noop!(
			KeyEscrow::reshare(signed(OWNER), escrow, split(1, 3, StorageMode::OnChain), None),
			Error::<T>::ThresholdTooLow
		);
		let big_hold = escrow_hold(OWNER);
		assert_ok!(KeyEscrow::reshare(
			signed(OWNER),
			escrow,
			split(2, 3, StorageMode::OnChain),
			None
		));
		let record = KeyEscrow::escrow(&escrow).unwrap();
		assert_eq!((record.threshold, record.custodians.len(), record.generation), (2, 3, 1));
		// Without a policy, every factor of the policy is kept.
		assert_eq!(record.policy, guardian_policy());
		assert!(!has_event(Event::PolicyUpdated { escrow }));
		assert_eq!(Shares::<T>::iter_prefix(escrow).count(), 3);
		assert!(escrow_hold(OWNER) < big_hold);
		assert!(has_event(Event::EscrowReshared {
			escrow,
			generation: 1,
			threshold: 2,
			custodians: 3
		}));

		// To custodian-held mode: no shares left on chain.
		assert_ok!(KeyEscrow::reshare(
			signed(OWNER),
			escrow,
			split(2, 4, StorageMode::CustodianHeld),
			None
		));
		assert_eq!(Shares::<T>::iter_prefix(escrow).count(), 0);
		assert_eq!(KeyEscrow::escrow(&escrow).unwrap().generation, 2);

		initiate(escrow);
		assert_noop!(
			KeyEscrow::reshare(signed(OWNER), escrow, split(2, 3, StorageMode::OnChain), None),
			Error::<T>::RecoveryInProgress
		);
	});
}
