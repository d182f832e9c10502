//! Genesis presets build into working chain state.

use crate::{
	block_time, genesis_config_presets::*, AccountId, Aura, Balances, Runtime,
	RuntimeGenesisConfig, Session, BuildStorage,
};
use frame_support::traits::Get;
use sp_keyring::{Ed25519Keyring, Sr25519Keyring};

fn externalities_for(preset: &str) -> sp_io::TestExternalities {
	preset_storage(&preset.into()).unwrap_or_else(|e| panic!("preset {preset}: {e}")).into()
}

fn aura_authorities() -> Vec<[u8; 32]> {
	pallet_aura::Authorities::<Runtime>::get().iter().map(|a| a.clone().into_inner().0).collect()
}

fn grandpa_authorities() -> Vec<[u8; 32]> {
	pallet_grandpa::Pallet::<Runtime>::grandpa_authorities()
		.into_iter()
		.map(|(id, weight)| {
			assert_eq!(weight, 1);
			id.into_inner().0
		})
		.collect()
}

fn alice() -> AccountId {
	Sr25519Keyring::Alice.to_account_id()
}

#[test]
fn development_preset_has_alice_as_sole_validator_with_short_slots() {
	externalities_for(sp_genesis_builder::DEV_RUNTIME_PRESET).execute_with(|| {
		assert_eq!(Session::validators(), vec![alice()]);
		assert_eq!(aura_authorities(), vec![Sr25519Keyring::Alice.public().0]);
		assert_eq!(grandpa_authorities(), vec![Ed25519Keyring::Alice.public().0]);
		assert_eq!(Aura::slot_duration(), DEV_SLOT_DURATION_MS);
		assert_eq!(
			<Runtime as pallet_timestamp::Config>::MinimumPeriod::get(),
			DEV_SLOT_DURATION_MS / 2
		);
		assert_eq!(pallet_sudo::Key::<Runtime>::get(), Some(alice()));
		assert!(pallet_certificates::Pallet::<Runtime>::is_authority(&alice()));
		assert!(!pallet_certificates::Pallet::<Runtime>::is_authority(
			&Sr25519Keyring::Bob.to_account_id()
		));
		assert_eq!(Balances::free_balance(Sr25519Keyring::Ferdie.to_account_id()), ENDOWMENT);
	});
}

#[test]
fn local_preset_has_four_validators_with_six_second_slots() {
	externalities_for(sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET).execute_with(|| {
		let validators = [
			Sr25519Keyring::Alice,
			Sr25519Keyring::Bob,
			Sr25519Keyring::Charlie,
			Sr25519Keyring::Dave,
		];
		assert_eq!(
			Session::validators(),
			validators.iter().map(|k| k.to_account_id()).collect::<Vec<_>>()
		);
		assert_eq!(aura_authorities(), validators.iter().map(|k| k.public().0).collect::<Vec<_>>());
		assert_eq!(
			grandpa_authorities(),
			[Ed25519Keyring::Alice, Ed25519Keyring::Bob, Ed25519Keyring::Charlie, Ed25519Keyring::Dave]
				.iter()
				.map(|k| k.public().0)
				.collect::<Vec<_>>()
		);
		assert_eq!(Aura::slot_duration(), LOCAL_SLOT_DURATION_MS);
		assert_eq!(pallet_sudo::Key::<Runtime>::get(), Some(alice()));
		assert!(pallet_certificates::Pallet::<Runtime>::is_authority(&alice()));
		// Alice's custodian certificates hold part of her endowment as deposits.
		assert_eq!(Balances::free_balance(alice()) + Balances::reserved_balance(alice()), ENDOWMENT);
		assert!(Balances::free_balance(alice()) < ENDOWMENT);
	});
}

#[test]
fn both_presets_certify_alice_to_eve_as_custodians_with_their_sealing_keys() {
	use custos_primitives::CertificateInspect;
	for preset in [sp_genesis_builder::DEV_RUNTIME_PRESET, sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET] {
		externalities_for(preset).execute_with(|| {
			for (account, key) in DEV_CUSTODIANS {
				assert_eq!(
					<pallet_certificates::Pallet<Runtime> as CertificateInspect<_, _>>::custodian_key(
						&account.to_account_id(),
						0
					),
					Some(sp_core::H256(key)),
					"{preset}: {account:?}"
				);
			}
			assert_eq!(
				<pallet_certificates::Pallet<Runtime> as CertificateInspect<_, _>>::custodian_key(
					&Sr25519Keyring::Ferdie.to_account_id(),
					0
				),
				None
			);
		});
	}
}

#[test]
fn presets_are_listed_and_unknown_names_refused() {
	assert_eq!(preset_names(), vec!["development", "local_testnet", "local_testnet_short_delay"]);
	assert!(get_preset(&"no-such-preset".to_string()).is_none());
}

#[test]
#[should_panic(expected = "slotDurationMs must be even and at least 1000")]
fn genesis_refuses_an_unusable_slot_duration() {
	let config = RuntimeGenesisConfig {
		block_time: block_time::GenesisConfig { slot_duration_ms: 999, ..Default::default() },
		..Default::default()
	};
	let _ = config.build_storage();
}

#[cfg(feature = "runtime-benchmarks")]
#[test]
fn benchmark_api_lists_our_pallets_with_their_benchmarks() {
	use frame_benchmarking::runtime_decl_for_benchmark::BenchmarkV2;
	externalities_for(sp_genesis_builder::DEV_RUNTIME_PRESET).execute_with(|| {
		let (list, storage_info) = <Runtime as BenchmarkV2<crate::Block>>::benchmark_metadata(false);
		let pallets: Vec<String> =
			list.iter().map(|l| String::from_utf8(l.pallet.clone()).unwrap()).collect();
		for (pallet, instance) in [
			("frame_system", "SystemBench::<Runtime>"),
			("pallet_balances", "Balances"),
			("pallet_timestamp", "Timestamp"),
			("pallet_sudo", "Sudo"),
			("pallet_certificates", "Certificates"),
			("pallet_key_escrow", "KeyEscrow"),
		] {
			let entry = list
				.iter()
				.find(|l| l.pallet == pallet.as_bytes())
				.unwrap_or_else(|| panic!("{pallet} missing from {pallets:?}"));
			assert_eq!(String::from_utf8_lossy(&entry.instance), instance, "{pallet}");
			assert!(!entry.benchmarks.is_empty(), "{pallet} lists no benchmarks");
		}
		// The storage info covers our pallets' storage too.
		for pallet in [&b"Certificates"[..], &b"KeyEscrow"[..]] {
			assert!(storage_info.iter().any(|info| info.pallet_name == pallet));
		}
	});
}

#[test]
fn presets_set_their_escrow_floors_and_a_chain_without_one_gets_the_defaults() {
	use crate::KeyEscrow;
	externalities_for(sp_genesis_builder::DEV_RUNTIME_PRESET)
		.execute_with(|| assert_eq!(KeyEscrow::floors(), DEV_FLOORS));
	externalities_for(sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET)
		.execute_with(|| assert_eq!(KeyEscrow::floors(), LOCAL_FLOORS));
	externalities_for(crate::genesis_config_presets::LOCAL_SHORT_DELAY_PRESET)
		.execute_with(|| assert_eq!(KeyEscrow::floors(), LOCAL_SHORT_DELAY_FLOORS));
	let mut default: sp_io::TestExternalities =
		RuntimeGenesisConfig::default().build_storage().unwrap().into();
	default.execute_with(|| {
		let floors = KeyEscrow::floors();
		assert_eq!(
			(floors.min_kdf_memory_kib, floors.min_kdf_iterations, floors.min_delay),
			(65_536, 3, 600)
		);
		// The local testnet has the production floors; only its short-delay variant differs.
		assert_eq!(floors, LOCAL_FLOORS);
		assert_eq!(
			pallet_key_escrow::Floors { min_delay: 2, ..LOCAL_FLOORS },
			LOCAL_SHORT_DELAY_FLOORS
		);
	});
}

/// Every preset's genesis validators are the validator set's members, hold valid `Validator`
/// certificates and registered keys, so the first session changes keep them (an uncertified
/// genesis validator would be dropped at the first rotation); sessions are 10 blocks in the
/// presets and the production 600 in a chain spec that names none.
#[test]
fn presets_certify_their_validators_and_rotate_sessions_quickly() {
	use crate::ValidatorSet;
	use custos_primitives::{CertificateInspect, Role};
	for preset in [
		sp_genesis_builder::DEV_RUNTIME_PRESET,
		sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET,
		LOCAL_SHORT_DELAY_PRESET,
	] {
		externalities_for(preset).execute_with(|| {
			// The same accounts (the pallet keeps them sorted, the session in genesis order).
			let members = ValidatorSet::members();
			let mut validators = Session::validators();
			validators.sort();
			assert_eq!(members, validators, "{preset}");
			for who in &members {
				assert!(
					<pallet_certificates::Pallet<Runtime> as CertificateInspect<_, _>>::has_valid_certificate(
						who,
						Role::Validator,
						1
					),
					"{preset}: {who}"
				);
			}
			let views = ValidatorSet::candidate_views();
			assert_eq!(views.len(), members.len(), "{preset}");
			assert!(views.iter().all(|v| v.member && v.eligible), "{preset}: {views:?}");
			assert_eq!(block_time::SessionPeriodBlocks::<Runtime>::get(), TEST_SESSION_PERIOD_BLOCKS);
		});
	}
	let mut default: sp_io::TestExternalities =
		RuntimeGenesisConfig::default().build_storage().unwrap().into();
	default.execute_with(|| {
		assert_eq!(
			block_time::SessionPeriodBlocks::<Runtime>::get(),
			block_time::DEFAULT_SESSION_PERIOD_BLOCKS
		);
	});
}
