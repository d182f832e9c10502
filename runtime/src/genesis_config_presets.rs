//! Genesis presets: `development` (one validator, short slots) and `local_testnet`
//! (three validators, production-like slots). Both endow the well-known dev accounts and
//! make Alice sudo and a certificate authority.

use crate::{
	block_time, AccountId, BalancesConfig, CertificatesConfig, RuntimeGenesisConfig,
	SessionConfig, SessionKeys, SudoConfig, UNIT,
};
use alloc::{vec, vec::Vec};
use frame_support::build_struct_json_patch;
use serde_json::Value;
use sp_genesis_builder::PresetId;
use sp_keyring::{Ed25519Keyring, Sr25519Keyring};

/// Slot duration of the dev chain: short, so end-to-end tests finalize quickly.
pub const DEV_SLOT_DURATION_MS: u64 = 2_000;
/// Slot duration of the local testnet: the production block time.
pub const LOCAL_SLOT_DURATION_MS: u64 = 6_000;
/// Free balance of every endowed dev account.
pub const ENDOWMENT: u128 = 1_000_000 * UNIT;

/// A validator's account and the session keys (Aura sr25519, GRANDPA ed25519) that
/// `--alice`, `--bob`, ... put in the node keystore.
fn dev_validator(sr: Sr25519Keyring, ed: Ed25519Keyring) -> (AccountId, SessionKeys) {
	(sr.to_account_id(), SessionKeys { aura: sr.public().into(), grandpa: ed.public().into() })
}

/// The dev accounts every preset endows: Alice to Ferdie and their stashes.
fn endowed_accounts() -> Vec<AccountId> {
	Sr25519Keyring::iter()
		.filter(|k| *k != Sr25519Keyring::One && *k != Sr25519Keyring::Two)
		.map(|k| k.to_account_id())
		.collect()
}

fn genesis(
	validators: Vec<(AccountId, SessionKeys)>,
	root: AccountId,
	slot_duration_ms: u64,
) -> Value {
	build_struct_json_patch!(RuntimeGenesisConfig {
		block_time: block_time::GenesisConfig { slot_duration_ms },
		balances: BalancesConfig {
			balances: endowed_accounts().into_iter().map(|a| (a, ENDOWMENT)).collect::<Vec<_>>(),
		},
		session: SessionConfig {
			keys: validators
				.into_iter()
				.map(|(account, keys)| (account.clone(), account, keys))
				.collect::<Vec<_>>(),
		},
		sudo: SudoConfig { key: Some(root.clone()) },
		certificates: CertificatesConfig { authorities: vec![root] },
	})
}

/// One validator (Alice), two-second slots.
pub fn development_config_genesis() -> Value {
	genesis(
		vec![dev_validator(Sr25519Keyring::Alice, Ed25519Keyring::Alice)],
		Sr25519Keyring::Alice.to_account_id(),
		DEV_SLOT_DURATION_MS,
	)
}

/// Three validators (Alice, Bob, Charlie), six-second slots.
pub fn local_config_genesis() -> Value {
	genesis(
		vec![
			dev_validator(Sr25519Keyring::Alice, Ed25519Keyring::Alice),
			dev_validator(Sr25519Keyring::Bob, Ed25519Keyring::Bob),
			dev_validator(Sr25519Keyring::Charlie, Ed25519Keyring::Charlie),
		],
		Sr25519Keyring::Alice.to_account_id(),
		LOCAL_SLOT_DURATION_MS,
	)
}

/// The JSON patch of preset `id`, if there is one.
pub fn get_preset(id: &PresetId) -> Option<Vec<u8>> {
	let patch = match id.as_ref() {
		sp_genesis_builder::DEV_RUNTIME_PRESET => development_config_genesis(),
		sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET => local_config_genesis(),
		_ => return None,
	};
	Some(serde_json::to_string(&patch).expect("a JSON value serializes; qed").into_bytes())
}

/// Genesis storage of preset `id`: its JSON patch applied to the default genesis config, as
/// the node's chain-spec code does, then built. For tests and tools that run the runtime
/// natively.
#[cfg(feature = "std")]
pub fn preset_storage(id: &PresetId) -> Result<sp_runtime::Storage, String> {
	use sp_runtime::BuildStorage;
	let patch = get_preset(id).ok_or_else(|| format!("no genesis preset {id:?}"))?;
	let patch: Value = serde_json::from_slice(&patch).map_err(|e| e.to_string())?;
	let mut config = serde_json::to_value(RuntimeGenesisConfig::default()).map_err(|e| e.to_string())?;
	merge(&mut config, patch);
	let config: RuntimeGenesisConfig = serde_json::from_value(config)
		.map_err(|e| format!("preset {id:?} is not a valid genesis config: {e}"))?;
	config.build_storage()
}

/// Applies a JSON merge patch: objects merge key by key, anything else replaces.
#[cfg(feature = "std")]
fn merge(base: &mut Value, patch: Value) {
	match (base, patch) {
		(Value::Object(base), Value::Object(patch)) =>
			for (key, value) in patch {
				merge(base.entry(key).or_insert(Value::Null), value);
			},
		(base, patch) => *base = patch,
	}
}

/// Names of the presets this runtime offers.
pub fn preset_names() -> Vec<PresetId> {
	vec![
		PresetId::from(sp_genesis_builder::DEV_RUNTIME_PRESET),
		PresetId::from(sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET),
	]
}
