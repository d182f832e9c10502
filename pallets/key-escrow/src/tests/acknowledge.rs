//! `acknowledge_share`.

use super::*;

#[test]
fn acknowledge_share_works_and_refuses() {
	new_test_ext().execute_with(|| {
		let on_chain = create();
		assert_noop!(
			KeyEscrow::acknowledge_share(signed(custodian(0)), on_chain, 0, 0),
			Error::<T>::NotCustodianHeld
		);
		let escrow = create_held(STRANGER);
		assert_noop!(
			KeyEscrow::acknowledge_share(signed(custodian(0)), H256::zero(), 0, 0),
			Error::<T>::UnknownEscrow
		);
		assert_noop!(
			KeyEscrow::acknowledge_share(signed(custodian(0)), escrow, 3, 0),
			Error::<T>::UnknownShare
		);
		assert_noop!(
			KeyEscrow::acknowledge_share(signed(custodian(1)), escrow, 0, 0),
			Error::<T>::NotThisCustodian
		);
		revoke(custodian(2));
		assert_noop!(
			KeyEscrow::acknowledge_share(signed(custodian(2)), escrow, 2, 0),
			Error::<T>::CustodianNotCertified
		);
		assert_ok!(KeyEscrow::acknowledge_share(signed(custodian(0)), escrow, 0, 0));
		assert!(has_event(Event::ShareAcknowledged { escrow, index: 0, custodian: custodian(0) }));
		assert!(KeyEscrow::escrow(&escrow).unwrap().custodians[0].acknowledged);
		assert_noop!(
			KeyEscrow::acknowledge_share(signed(custodian(0)), escrow, 0, 0),
			Error::<T>::AlreadyAcknowledged
		);
		assert_eq!(KeyEscrow::health(&escrow).unwrap().live, 1);
	});
}

/// Attack: a custodian's node signs its acknowledgement of share 0 while it holds the share of
/// generation 0; the transaction is included only after the owner has re-split the escrow to
/// the same custodians. It must not mark generation 1's slot as held: the node never received
/// the new share, and the owner's client takes the acknowledgement as the custodian's receipt.
#[test]
fn attack_a_stale_acknowledgement_marks_the_new_splits_slot_held() {
	new_test_ext().execute_with(|| {
		let escrow = create_held(OWNER);
		assert_ok!(KeyEscrow::reshare(
			signed(OWNER),
			escrow,
			split(2, 3, StorageMode::CustodianHeld),
			None
		));
		assert_eq!(KeyEscrow::escrow(&escrow).unwrap().generation, 1);
		// The acknowledgement signed at generation 0, included now.
		assert_noop!(
			KeyEscrow::acknowledge_share(signed(custodian(0)), escrow, 0, 0),
			Error::<T>::StaleGeneration
		);
		assert!(!KeyEscrow::escrow(&escrow).unwrap().custodians[0].acknowledged);
		// Signed for the new split, it counts.
		assert_ok!(KeyEscrow::acknowledge_share(signed(custodian(0)), escrow, 0, 1));
		assert!(KeyEscrow::escrow(&escrow).unwrap().custodians[0].acknowledged);
	});
}
