//! `acknowledge_share`.

use super::*;

#[test]
fn acknowledge_share_works_and_refuses() {
	new_test_ext().execute_with(|| {
		let on_chain = create();
		assert_noop!(
			KeyEscrow::acknowledge_share(signed(custodian(0)), on_chain, 0),
			Error::<T>::NotCustodianHeld
		);
		let escrow = create_held(STRANGER);
		assert_noop!(
			KeyEscrow::acknowledge_share(signed(custodian(0)), H256::zero(), 0),
			Error::<T>::UnknownEscrow
		);
		assert_noop!(
			KeyEscrow::acknowledge_share(signed(custodian(0)), escrow, 3),
			Error::<T>::UnknownShare
		);
		assert_noop!(
			KeyEscrow::acknowledge_share(signed(custodian(1)), escrow, 0),
			Error::<T>::NotThisCustodian
		);
		revoke(custodian(2));
		assert_noop!(
			KeyEscrow::acknowledge_share(signed(custodian(2)), escrow, 2),
			Error::<T>::CustodianNotCertified
		);
		assert_ok!(KeyEscrow::acknowledge_share(signed(custodian(0)), escrow, 0));
		assert!(has_event(Event::ShareAcknowledged { escrow, index: 0, custodian: custodian(0) }));
		assert!(KeyEscrow::escrow(&escrow).unwrap().custodians[0].acknowledged);
		assert_noop!(
			KeyEscrow::acknowledge_share(signed(custodian(0)), escrow, 0),
			Error::<T>::AlreadyAcknowledged
		);
		assert_eq!(KeyEscrow::health(&escrow).unwrap().live, 1);
	});
}
