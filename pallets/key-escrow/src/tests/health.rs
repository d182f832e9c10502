//! Escrow health.

use super::*;

#[test]
fn health_counts_live_custodians_with_unchanged_keys() {
	new_test_ext().execute_with(|| {
		let escrow = create(); // 3 of 5, margin 1
		let health = KeyEscrow::health(&escrow).unwrap();
		assert_eq!((health.threshold, health.custodians, health.live), (3, 5, 5));
		assert!(!health.at_risk && !health.unrecoverable);

		revoke(custodian(0));
		certify(custodian(1), H256::repeat_byte(0xee), u64::MAX); // re-certified with a new key
		let health = KeyEscrow::health(&escrow).unwrap();
		assert_eq!(health.live, 3);
		assert!(health.at_risk && !health.unrecoverable);

		certify(custodian(2), custodian_key(custodian(2)), 10);
		go_to(10);
		let health = KeyEscrow::health(&escrow).unwrap();
		assert_eq!(health.live, 2);
		assert!(health.at_risk && health.unrecoverable);
		assert_eq!(KeyEscrow::health(&H256::zero()), None);
	});
}
