//! The message a node measurement report signs.

use super::*;
use crate::{measurement_message, MEASUREMENT_SIGNATURE_DOMAIN};

#[test]
fn message_is_scale_of_domain_genesis_operator_measurement() {
	let genesis = H256::repeat_byte(0x69);
	let message = measurement_message(&genesis, &7u64, &M1);
	let mut expected = vec![(MEASUREMENT_SIGNATURE_DOMAIN.len() as u8) << 2];
	expected.extend_from_slice(b"custos/v2/node-measurement");
	expected.extend_from_slice(genesis.as_bytes());
	expected.extend_from_slice(&7u64.to_le_bytes());
	expected.extend_from_slice(M1.as_bytes());
	assert_eq!(message, expected);
}

#[test]
fn the_pallet_names_this_chain_by_its_genesis_hash() {
	test(|| {
		let genesis = System::block_hash(0);
		assert_ne!(genesis, Default::default());
		assert_eq!(
			ValidatorSet::measurement_message(&3, &M2),
			measurement_message(&genesis, &3u64, &M2)
		);
	});
}
