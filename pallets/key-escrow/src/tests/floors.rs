//! Floors on the Argon2id parameters and the delay (issue 11, defect 5): the genesis config,
//! `set_floors`, and their enforcement by `create_escrow`, `reshare` and `update_policy`.

use super::*;

/// Argon2's own minimum: one pass, one lane, 8 KiB.
fn weakest_kdf() -> KdfParams {
	KdfParams { memory_kib: 8, iterations: 1, parallelism: 1, ..kdf() }
}

/// Floors at [`kdf`]'s parameters (64 MiB, 3 passes) and a ten-block delay.
fn floors() -> FloorsOf<T> {
	Floors { min_kdf_memory_kib: 65_536, min_kdf_iterations: 3, min_delay: 10 }
}

/// One guardian (threshold 1) and `delay`.
fn guardian_policy_with_delay(delay: u64) -> PolicyOf<T> {
	policy(false, vec![GUARDIAN_A], 1, vec![], delay)
}

/// A 3-of-5 on-chain split with `kdf`.
fn split_with(kdf: KdfParams) -> SplitOf<T> {
	Split { kdf, ..split(3, 5, StorageMode::OnChain) }
}

fn create_refused(split: SplitOf<T>, policy: PolicyOf<T>, error: Error<T>) {
	assert_noop!(
		KeyEscrow::create_escrow(signed(OWNER), FINGERPRINT, KeyKind::Sr25519Seed, split, policy),
		error
	);
}

/// The attack of issue 11 (defect 5), which succeeded before the floors: an escrow whose
/// passphrase hash costs 8 KiB and one pass per offline guess, with no veto window (delay 0),
/// and a policy update to delay 0. Both are refused under floors.
#[test]
fn attack_weakest_argon2_and_no_veto_window_are_refused() {
	new_test_ext_with_floors(Some(floors())).execute_with(|| {
		let no_window = guardian_policy_with_delay(0);
		create_refused(
			split_with(weakest_kdf()),
			guardian_policy_with_delay(10),
			Error::<T>::KdfMemoryBelowFloor,
		);
		create_refused(
			split_with(KdfParams { iterations: 1, ..kdf() }),
			guardian_policy_with_delay(10),
			Error::<T>::KdfIterationsBelowFloor,
		);
		create_refused(split_with(kdf()), no_window.clone(), Error::<T>::DelayBelowFloor);
		assert!(OwnerEscrows::<T>::get(OWNER).is_empty());

		// Exactly at the floors is accepted; lowering the delay afterwards is not.
		let escrow = create_with(guardian_policy_with_delay(10));
		assert_noop!(
			KeyEscrow::update_policy(signed(OWNER), escrow, no_window),
			Error::<T>::DelayBelowFloor
		);
		assert_eq!(KeyEscrow::escrow(&escrow).unwrap().policy.delay, 10);
	});
}

#[test]
fn every_floor_is_checked_on_its_own_and_met_at_equality() {
	new_test_ext_with_floors(Some(floors())).execute_with(|| {
		// One below each floor, the others met.
		create_refused(
			split_with(KdfParams { memory_kib: 65_535, ..kdf() }),
			guardian_policy_with_delay(10),
			Error::<T>::KdfMemoryBelowFloor,
		);
		create_refused(
			split_with(KdfParams { iterations: 2, ..kdf() }),
			guardian_policy_with_delay(10),
			Error::<T>::KdfIterationsBelowFloor,
		);
		create_refused(
			split_with(kdf()),
			guardian_policy_with_delay(9),
			Error::<T>::DelayBelowFloor,
		);
		// Argon2's own limits are still checked first.
		create_refused(
			split_with(KdfParams { iterations: 0, ..kdf() }),
			guardian_policy_with_delay(10),
			Error::<T>::InvalidKdfParams,
		);
		// So are the bounds every client derives within (`KdfParams::MAX_*`): before they
		// were shared, the pallet took parameters the client refuses to run, an escrow nobody
		// could recover with it (`attack_kdf_above_the_client_bounds_is_accepted` passed on
		// the old code). The largest accepted values are tested in the envelope.
		for above in [
			KdfParams { iterations: KdfParams::MAX_ITERATIONS + 1, ..kdf() },
			KdfParams { memory_kib: KdfParams::MAX_MEMORY_KIB + 1, ..kdf() },
			KdfParams { parallelism: KdfParams::MAX_PARALLELISM + 1, ..kdf() },
		] {
			create_refused(split_with(above), guardian_policy_with_delay(10), Error::<T>::InvalidKdfParams);
		}
		create_as(
			OWNER,
			H256::repeat_byte(0x3c),
			split_with(KdfParams { iterations: KdfParams::MAX_ITERATIONS, ..kdf() }),
			guardian_policy_with_delay(10),
		);
		// Above the floors in every way.
		create_as(
			OWNER,
			FINGERPRINT,
			split_with(KdfParams { memory_kib: 262_144, iterations: 5, ..kdf() }),
			guardian_policy_with_delay(14_400),
		);
	});
}

#[test]
fn update_policy_below_the_floor_is_refused() {
	new_test_ext_with_floors(Some(floors())).execute_with(|| {
		let escrow = create_with(guardian_policy_with_delay(12));
		for delay in [0, 9] {
			assert_noop!(
				KeyEscrow::update_policy(signed(OWNER), escrow, guardian_policy_with_delay(delay)),
				Error::<T>::DelayBelowFloor
			);
		}
		// Down to the floor is allowed.
		assert_ok!(KeyEscrow::update_policy(signed(OWNER), escrow, guardian_policy_with_delay(10)));
		assert_eq!(KeyEscrow::escrow(&escrow).unwrap().policy.delay, 10);
	});
}

#[test]
fn reshare_below_the_floor_is_refused() {
	new_test_ext_with_floors(Some(floors())).execute_with(|| {
		let escrow = create_with(guardian_policy_with_delay(10));
		let before = KeyEscrow::escrow(&escrow).unwrap();
		assert_noop!(
			KeyEscrow::reshare(signed(OWNER), escrow, split_with(weakest_kdf()), None),
			Error::<T>::KdfMemoryBelowFloor
		);
		assert_noop!(
			KeyEscrow::reshare(
				signed(OWNER),
				escrow,
				split_with(KdfParams { iterations: 2, ..kdf() }),
				None
			),
			Error::<T>::KdfIterationsBelowFloor
		);
		// The policy given with a re-split is checked too.
		assert_noop!(
			KeyEscrow::reshare(
				signed(OWNER),
				escrow,
				split_with(kdf()),
				Some(guardian_policy_with_delay(0))
			),
			Error::<T>::DelayBelowFloor
		);
		assert_eq!(KeyEscrow::escrow(&escrow).unwrap(), before);
		assert_ok!(KeyEscrow::reshare(
			signed(OWNER),
			escrow,
			split_with(kdf()),
			Some(guardian_policy_with_delay(20))
		));
		assert_eq!(KeyEscrow::escrow(&escrow).unwrap().policy.delay, 20);
	});
}

#[test]
fn set_floors_is_root_only_and_refuses_floors_below_argon2_limits() {
	new_test_ext().execute_with(|| {
		assert_noop!(KeyEscrow::set_floors(signed(OWNER), floors()), DispatchError::BadOrigin);
		assert_noop!(
			KeyEscrow::set_floors(RuntimeOrigin::none(), floors()),
			DispatchError::BadOrigin
		);
		for bad in [
			Floors { min_kdf_iterations: 0, ..floors() },
			Floors { min_kdf_memory_kib: ARGON2_MIN_MEMORY_KIB - 1, ..floors() },
			Floors { min_kdf_memory_kib: 0, ..floors() },
		] {
			assert_noop!(
				KeyEscrow::set_floors(RuntimeOrigin::root(), bad),
				Error::<T>::InvalidFloors
			);
		}

		assert_ok!(KeyEscrow::set_floors(RuntimeOrigin::root(), floors()));
		assert_eq!(KeyEscrow::floors(), floors());
		assert_eq!(CurrentFloors::<T>::get(), floors());
		assert!(has_event(Event::FloorsSet { floors: floors() }));
		create_refused(
			split_with(weakest_kdf()),
			guardian_policy_with_delay(10),
			Error::<T>::KdfMemoryBelowFloor,
		);

		// Argon2's own minimum and no delay is the lowest root can go.
		let lowest = Floors { min_kdf_memory_kib: 8, min_kdf_iterations: 1, min_delay: 0 };
		assert_ok!(KeyEscrow::set_floors(RuntimeOrigin::root(), lowest));
		create_as(OWNER, FINGERPRINT, split_with(weakest_kdf()), guardian_policy_with_delay(0));
	});
}

#[test]
fn existing_escrows_are_unaffected_by_raised_floors() {
	new_test_ext().execute_with(|| {
		// Made under the mock's default floors (8 KiB, 1 pass, no delay): 64 MiB, 3 passes, a
		// two-block delay.
		let escrow = create();
		let before = KeyEscrow::escrow(&escrow).unwrap();
		let raised = Floors { min_kdf_memory_kib: 131_072, min_kdf_iterations: 4, min_delay: 10 };
		assert_ok!(KeyEscrow::set_floors(RuntimeOrigin::root(), raised));

		// The record is as it was, and a recovery runs under its own two-block delay.
		assert_eq!(KeyEscrow::escrow(&escrow).unwrap(), before);
		make_releasable(escrow);
		let nonce = open_nonce(escrow);
		for index in 0..3 {
			let origin = signed(custodian(index as u64));
			assert_ok!(KeyEscrow::release_share(origin, escrow, nonce, index, payload(1)));
		}
		assert_ok!(KeyEscrow::close_recovery(signed(REQUESTER), escrow));

		// The owner's next change must meet the floors in force.
		assert_noop!(
			KeyEscrow::update_policy(signed(OWNER), escrow, guardian_policy()),
			Error::<T>::DelayBelowFloor
		);
		assert_noop!(
			KeyEscrow::reshare(signed(OWNER), escrow, split(3, 5, StorageMode::OnChain), None),
			Error::<T>::KdfMemoryBelowFloor
		);
		// A re-split without a policy keeps the old policy, below-floor delay and all: only
		// what is given is checked.
		let stronger = KdfParams { memory_kib: 131_072, iterations: 4, ..kdf() };
		assert_ok!(KeyEscrow::reshare(signed(OWNER), escrow, split_with(stronger), None));
		assert_eq!(KeyEscrow::escrow(&escrow).unwrap().policy, guardian_policy());
	});
}

#[test]
fn the_runtime_defaults_apply_without_genesis_floors() {
	new_test_ext().execute_with(|| {
		assert!(!CurrentFloors::<T>::exists());
		assert_eq!(
			KeyEscrow::floors(),
			Floors { min_kdf_memory_kib: 8, min_kdf_iterations: 1, min_delay: 0 }
		);
		// Nothing stored: the floors follow the runtime's constants (as across an upgrade).
		DefaultMinKdfMemoryKib::set(1_024);
		DefaultMinKdfIterations::set(2);
		DefaultMinDelay::set(5);
		assert_eq!(
			KeyEscrow::floors(),
			Floors { min_kdf_memory_kib: 1_024, min_kdf_iterations: 2, min_delay: 5 }
		);
		create_refused(
			split_with(KdfParams { memory_kib: 1_023, parallelism: 1, ..kdf() }),
			guardian_policy_with_delay(5),
			Error::<T>::KdfMemoryBelowFloor,
		);
		create_refused(
			split_with(KdfParams { iterations: 1, ..kdf() }),
			guardian_policy_with_delay(5),
			Error::<T>::KdfIterationsBelowFloor,
		);
		create_refused(
			split_with(kdf()),
			guardian_policy_with_delay(4),
			Error::<T>::DelayBelowFloor,
		);
		create_as(OWNER, FINGERPRINT, split_with(kdf()), guardian_policy_with_delay(5));
	});
}

#[test]
fn genesis_floors_are_stored_and_override_the_defaults() {
	new_test_ext_with_floors(Some(floors())).execute_with(|| {
		assert!(CurrentFloors::<T>::exists());
		assert_eq!(KeyEscrow::floors(), floors());
		// Stored floors no longer follow the runtime's constants.
		DefaultMinDelay::set(1_000);
		assert_eq!(KeyEscrow::floors(), floors());
	});
}

#[test]
#[should_panic(expected = "pallet-key-escrow genesis: floors")]
fn genesis_floors_below_argon2_limits_panic() {
	new_test_ext_with_floors(Some(Floors { min_kdf_iterations: 0, ..floors() }));
}

/// The JSON a chain spec or genesis preset gives (under `keyEscrow`). (`serde_json` through
/// frame-support, which genesis building uses anyway, so the pallet needs no new dependency.)
#[test]
fn genesis_floors_in_a_chain_spec_are_camel_case_json() {
	use frame_support::__private::serde_json;
	let config: GenesisConfig<T> = serde_json::from_str(
		r#"{"floors":{"minKdfMemoryKib":65536,"minKdfIterations":3,"minDelay":10}}"#,
	)
	.unwrap();
	assert_eq!(config.floors, Some(floors()));
	let none: GenesisConfig<T> = serde_json::from_str(r#"{"floors":null}"#).unwrap();
	assert_eq!(none.floors, None);
	// A misspelt field is an error, not a silent default.
	assert!(serde_json::from_str::<GenesisConfig<T>>(
		r#"{"floors":{"minKdfMemoryKiB":65536,"minKdfIterations":3,"minDelay":10}}"#
	)
	.is_err());
}
