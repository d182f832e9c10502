//! `initiate_recovery`: the deposit, the open request and the recovery-key signature.

use super::*;

#[test]
fn initiate_recovery_holds_the_deposit_and_opens_one_request() {
	new_test_ext().execute_with(|| {
		let escrow = create();
		assert_noop!(
			KeyEscrow::initiate_recovery(signed(REQUESTER), H256::zero(), ONE_TIME_KEY, None),
			Error::<T>::UnknownEscrow
		);
		initiate(escrow);
		assert_eq!(request_hold(REQUESTER), RECOVERY_DEPOSIT);
		let request = Requests::<T>::get(escrow).unwrap();
		assert_eq!(request.requester, REQUESTER);
		assert_eq!(request.one_time_key, ONE_TIME_KEY);
		assert_eq!(request.nonce, 0);
		assert_eq!(RequestNonces::<T>::get(escrow), 1);
		assert_eq!(request.release_at, None);
		assert_eq!(request.expires_at, 1 + 2 + REQUEST_LIFETIME);
		assert_eq!(KeyEscrow::request_phase(&escrow), Some(RequestPhase::AwaitingApproval));
		assert!(has_event(Event::RecoveryInitiated {
			escrow,
			requester: REQUESTER,
			one_time_key: ONE_TIME_KEY,
			expires_at: request.expires_at,
		}));
		assert_noop!(
			KeyEscrow::initiate_recovery(signed(STRANGER), escrow, ONE_TIME_KEY, None),
			Error::<T>::RequestAlreadyOpen
		);
	});
}

#[test]
fn initiate_recovery_needs_funds_for_the_deposit() {
	new_test_ext().execute_with(|| {
		let escrow = create();
		let poor = 99;
		assert_ok!(Balances::force_set_balance(RuntimeOrigin::root(), poor, RECOVERY_DEPOSIT / 2));
		assert!(KeyEscrow::initiate_recovery(signed(poor), escrow, ONE_TIME_KEY, None).is_err());
		assert!(!Requests::<T>::contains_key(escrow));
	});
}

#[test]
fn recovery_key_signature_is_required_and_bound_to_requester_and_key() {
	new_test_ext().execute_with(|| {
		let pair = recovery_pair();
		let escrow = create_with(policy(true, vec![], 0, vec![], 2));
		assert_noop!(
			KeyEscrow::initiate_recovery(signed(REQUESTER), escrow, ONE_TIME_KEY, None),
			Error::<T>::MissingRecoverySignature
		);
		let message = KeyEscrow::recovery_message(&escrow, &REQUESTER, &ONE_TIME_KEY, 0);
		let signature = pair.sign(&message);
		// Someone else replaying the signature, or swapping the one-time key, is refused.
		assert_noop!(
			KeyEscrow::initiate_recovery(signed(STRANGER), escrow, ONE_TIME_KEY, Some(signature)),
			Error::<T>::BadRecoverySignature
		);
		assert_noop!(
			KeyEscrow::initiate_recovery(
				signed(REQUESTER),
				escrow,
				H256::repeat_byte(1),
				Some(signature)
			),
			Error::<T>::BadRecoverySignature
		);
		let wrong_key = sr25519::Pair::from_seed(&[8; 32]).sign(&message);
		assert_noop!(
			KeyEscrow::initiate_recovery(signed(REQUESTER), escrow, ONE_TIME_KEY, Some(wrong_key)),
			Error::<T>::BadRecoverySignature
		);
		assert_ok!(KeyEscrow::initiate_recovery(
			signed(REQUESTER),
			escrow,
			ONE_TIME_KEY,
			Some(signature)
		));
		// The recovery key is the only factor: approved at once, the delay runs.
		let request = Requests::<T>::get(escrow).unwrap();
		assert!(request.recovery_key_verified);
		assert_eq!(request.release_at, Some(now() + 2));
		assert!(has_event(Event::RecoveryApproved { escrow, release_at: now() + 2 }));
		assert_eq!(
			KeyEscrow::request_phase(&escrow),
			Some(RequestPhase::Delay { release_at: now() + 2 })
		);
	});
}

#[test]
fn a_recovery_signature_made_for_another_chain_is_refused() {
	new_test_ext().execute_with(|| {
		let pair = recovery_pair();
		let escrow = create_with(policy(true, vec![], 0, vec![], 2));
		// The same owner, key and requester on another chain (a testnet, a fork) have the same
		// escrow id; a signature the recovery key made there must not open a request here.
		let elsewhere = H256::repeat_byte(0xee);
		assert_ne!(elsewhere, frame_system::Pallet::<T>::block_hash(0));
		let message = custos_primitives::recovery_request_message(
			&elsewhere,
			&escrow,
			&REQUESTER,
			&ONE_TIME_KEY,
			0,
		);
		let made_elsewhere = pair.sign(&message);
		// Before the message named the chain, this signature opened the request here.
		assert_noop!(
			KeyEscrow::initiate_recovery(signed(REQUESTER), escrow, ONE_TIME_KEY, Some(made_elsewhere)),
			Error::<T>::BadRecoverySignature
		);
		// Made for this chain, it counts.
		let here = sign_request(&pair, escrow, REQUESTER, ONE_TIME_KEY);
		assert_ok!(KeyEscrow::initiate_recovery(signed(REQUESTER), escrow, ONE_TIME_KEY, Some(here)));
	});
}
