//! Bounded call arguments and signed origins.

use super::*;

#[test]
fn oversized_input_cannot_even_be_decoded() {
	// Bounded arguments: a call carrying more than the bounds fails to decode, before any
	// code of the pallet runs.
	let too_many: Vec<u64> = (0..=MAX_CUSTODIANS as u64).collect();
	assert!(CustodianAccountsOf::<T>::try_from(too_many.clone()).is_err());
	assert!(CustodianAccountsOf::<T>::decode(&mut &too_many.encode()[..]).is_err());
	let long_share = vec![0u8; MAX_SHARE_LEN as usize + 1];
	assert!(SealedShareOf::<T>::decode(&mut &long_share.encode()[..]).is_err());
	let guardians: Vec<u64> = (0..=MAX_GUARDIANS as u64).collect();
	assert!(GuardiansOf::<T>::decode(&mut &guardians.encode()[..]).is_err());
	let long_release = vec![0u8; 161];
	assert!(ReleasePayloadOf::<T>::decode(&mut &long_release.encode()[..]).is_err());
}

#[test]
fn calls_need_a_signed_origin() {
	new_test_ext().execute_with(|| {
		let escrow = create();
		assert_noop!(
			KeyEscrow::remove_escrow(RuntimeOrigin::none(), escrow),
			DispatchError::BadOrigin
		);
		assert_noop!(
			KeyEscrow::remove_escrow(RuntimeOrigin::root(), escrow),
			DispatchError::BadOrigin
		);
		assert_noop!(
			KeyEscrow::initiate_recovery(RuntimeOrigin::none(), escrow, ONE_TIME_KEY, None),
			DispatchError::BadOrigin
		);
	});
}
