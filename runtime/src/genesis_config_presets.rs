//! Genesis presets: `development` (one validator, short slots, small escrow floors),
//! `local_testnet` (four validators, production-like slots and escrow floors) and
//! `local_testnet_short_delay` (the same with a 2-block delay floor). All endow the well-known
//! dev accounts, make Alice sudo and a certificate authority, certify Alice to Eve as
//! custodians and their validators as validators (so they stay in the set), and rotate
//! sessions every few tens of seconds so that joins and leaves are seen quickly.

use crate::{
	block_time, configs::escrow::MaxCertificateValidity, AccountId, BalancesConfig, BlockNumber,
	CertificatesConfig, KeyEscrowConfig, RuntimeGenesisConfig, SessionConfig, SessionKeys,
	SudoConfig, ValidatorSetConfig, UNIT,
};
use pallet_key_escrow::Floors;
use custos_primitives::{PublicKey, Role};
use sp_core::H256;
use alloc::{vec, vec::Vec};
use frame_support::build_struct_json_patch;
use serde_json::Value;
use sp_genesis_builder::PresetId;
use sp_keyring::{Ed25519Keyring, Sr25519Keyring};

/// Slot duration of the dev chain: short, so end-to-end tests finalize quickly.
pub const DEV_SLOT_DURATION_MS: u64 = 2_000;
/// Slot duration of the local testnet: the production block time.
pub const LOCAL_SLOT_DURATION_MS: u64 = 6_000;
/// Session length of the dev chain and the local testnet: 10 blocks (20 s on the dev chain,
/// a minute on the local testnet), so that a validator joining or leaving is seen within a
/// few minutes. A production chain keeps the default, 600 blocks
/// (`block_time::DEFAULT_SESSION_PERIOD_BLOCKS`).
pub const TEST_SESSION_PERIOD_BLOCKS: u32 = 10;
/// Escrow floors of the dev chain: small, so quick experiments and tests may use cheap
/// Argon2id and no veto window.
pub const DEV_FLOORS: Floors<BlockNumber> =
	Floors { min_kdf_memory_kib: 8 * 1024, min_kdf_iterations: 1, min_delay: 0 };
/// Escrow floors of the local testnet: production values, the runtime's defaults
/// (`configs/escrow.rs`): Argon2id at RFC 9106's second recommendation (64 MiB, 3 passes) and a
/// veto window of at least 600 blocks (one hour of six-second blocks).
pub const LOCAL_FLOORS: Floors<BlockNumber> =
	Floors { min_kdf_memory_kib: 64 * 1024, min_kdf_iterations: 3, min_delay: 600 };
/// Escrow floors of the local testnet's short-delay variant ([`LOCAL_SHORT_DELAY_PRESET`]):
/// the production Argon2id floors, and a delay floor of 2 blocks, so that end-to-end tests and
/// benchmarks see a whole recovery in minutes. Not for a chain that holds real keys.
pub const LOCAL_SHORT_DELAY_FLOORS: Floors<BlockNumber> =
	Floors { min_kdf_memory_kib: 64 * 1024, min_kdf_iterations: 3, min_delay: 2 };
/// The local testnet with [`LOCAL_SHORT_DELAY_FLOORS`] (`custos-node --chain local-short-delay`).
pub const LOCAL_SHORT_DELAY_PRESET: &str = "local_testnet_short_delay";
/// Free balance of every endowed dev account.
pub const ENDOWMENT: u128 = 1_000_000 * UNIT;

/// The dev custodians and their X25519 sealing keys. Each key is the X25519 form of the
/// ed25519 key `//Name` that `custos-node --name` puts in its keystore under key type `cust`
/// (SHA-512 of the seed, clamped; equivalently the Montgomery form of the ed25519 public key).
/// The node's tests derive them again and compare.
pub const DEV_CUSTODIANS: [(Sr25519Keyring, [u8; 32]); 5] = [
	(Sr25519Keyring::Alice, hex_literal("1dae5e12544c5cdac520461aa8c675fbb51f731fc74231b0b33bee311dce4e16")),
	(Sr25519Keyring::Bob, hex_literal("26f02f50687f06bd3c215dc159f25841d54a1f2216f5e7007abc263fbf730775")),
	(Sr25519Keyring::Charlie, hex_literal("8c4e733603626ca68ec24f671bd4ea77c5fe239958b95ce9395cff358b646f72")),
	(Sr25519Keyring::Dave, hex_literal("a4fbbbc7a887c8d288e0d8d0f81833cf07cae9a91fca22a8f9c2621bde07b834")),
	(Sr25519Keyring::Eve, hex_literal("c91a77bcba980e88092ff3c0773f1730905b8975aec7f9147b22a0d3e330e573")),
];

/// Decodes 64 hex digits at compile time.
const fn hex_literal(hex: &str) -> [u8; 32] {
	const fn digit(c: u8) -> u8 {
		match c {
			b'0'..=b'9' => c - b'0',
			b'a'..=b'f' => c - b'a' + 10,
			_ => panic!("not a lower-case hex digit"),
		}
	}
	let hex = hex.as_bytes();
	assert!(hex.len() == 64, "need 64 hex digits");
	let mut out = [0u8; 32];
	let mut i = 0;
	while i < 32 {
		out[i] = digit(hex[2 * i]) << 4 | digit(hex[2 * i + 1]);
		i += 1;
	}
	out
}

/// Genesis custodian certificates: issued by `root`, valid for the longest period allowed.
fn dev_custodian_certificates(
	root: &AccountId,
) -> Vec<(AccountId, AccountId, Role, Vec<PublicKey>, BlockNumber)> {
	DEV_CUSTODIANS
		.iter()
		.map(|(account, key)| {
			(
				root.clone(),
				account.to_account_id(),
				Role::Custodian,
				vec![PublicKey::X25519(H256(*key))],
				MaxCertificateValidity::get(),
			)
		})
		.collect()
}

/// Genesis validator certificates: issued by `root` to `validators`, binding their account
/// keys, naming no measurement, valid for the longest period allowed.
fn validator_certificates(
	root: &AccountId,
	validators: &[AccountId],
) -> Vec<(AccountId, AccountId, Role, Vec<PublicKey>, BlockNumber)> {
	validators
		.iter()
		.map(|account| {
			let key: &[u8; 32] = account.as_ref();
			(
				root.clone(),
				account.clone(),
				Role::Validator,
				vec![PublicKey::Sr25519(H256(*key))],
				MaxCertificateValidity::get(),
			)
		})
		.collect()
}

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
	floors: Floors<BlockNumber>,
) -> Value {
	let accounts: Vec<AccountId> = validators.iter().map(|(account, _)| account.clone()).collect();
	let mut certificates = dev_custodian_certificates(&root);
	certificates.extend(validator_certificates(&root, &accounts));
	build_struct_json_patch!(RuntimeGenesisConfig {
		block_time: block_time::GenesisConfig {
			slot_duration_ms,
			session_period_blocks: TEST_SESSION_PERIOD_BLOCKS,
		},
		validator_set: ValidatorSetConfig { members: accounts },
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
		certificates: CertificatesConfig { certificates, authorities: vec![root] },
		key_escrow: KeyEscrowConfig { floors: Some(floors) },
	})
}

/// One validator (Alice), two-second slots.
pub fn development_config_genesis() -> Value {
	genesis(
		vec![dev_validator(Sr25519Keyring::Alice, Ed25519Keyring::Alice)],
		Sr25519Keyring::Alice.to_account_id(),
		DEV_SLOT_DURATION_MS,
		DEV_FLOORS,
	)
}

/// Four validators (Alice, Bob, Charlie, Dave), six-second slots: GRANDPA finalizes with
/// any three of them. Production floors.
pub fn local_config_genesis() -> Value {
	local_genesis_with(LOCAL_FLOORS)
}

/// The local testnet with the escrow floors `floors`.
fn local_genesis_with(floors: Floors<BlockNumber>) -> Value {
	genesis(
		vec![
			dev_validator(Sr25519Keyring::Alice, Ed25519Keyring::Alice),
			dev_validator(Sr25519Keyring::Bob, Ed25519Keyring::Bob),
			dev_validator(Sr25519Keyring::Charlie, Ed25519Keyring::Charlie),
			dev_validator(Sr25519Keyring::Dave, Ed25519Keyring::Dave),
		],
		Sr25519Keyring::Alice.to_account_id(),
		LOCAL_SLOT_DURATION_MS,
		floors,
	)
}

/// The JSON patch of preset `id`, if there is one.
pub fn get_preset(id: &PresetId) -> Option<Vec<u8>> {
	let patch = match id.as_ref() {
		sp_genesis_builder::DEV_RUNTIME_PRESET => development_config_genesis(),
		sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET => local_config_genesis(),
		LOCAL_SHORT_DELAY_PRESET => local_genesis_with(LOCAL_SHORT_DELAY_FLOORS),
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
		PresetId::from(LOCAL_SHORT_DELAY_PRESET),
	]
}
