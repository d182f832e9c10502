//! The built-in chain specs, both built from the runtime's genesis presets.

use sc_service::ChainType;

/// A chain spec with no extensions.
pub type ChainSpec = sc_service::GenericChainSpec;

fn wasm() -> Result<&'static [u8], String> {
	custos_runtime::WASM_BINARY
		.ok_or_else(|| "this custos-node was built without its Wasm runtime".to_string())
}

fn properties() -> sc_service::Properties {
	let mut properties = sc_service::Properties::new();
	properties.insert("tokenSymbol".into(), "CUS".into());
	properties.insert("tokenDecimals".into(), 12.into());
	properties.insert("ss58Format".into(), 42.into());
	properties
}

fn build(name: &str, id: &str, chain_type: ChainType, preset: &str) -> Result<ChainSpec, String> {
	Ok(ChainSpec::builder(wasm()?, None)
		.with_name(name)
		.with_id(id)
		.with_chain_type(chain_type)
		.with_properties(properties())
		.with_genesis_config_preset_name(preset)
		.build())
}

/// `--dev`: one validator, short slots.
pub fn development_chain_spec() -> Result<ChainSpec, String> {
	build(
		"Custos Development",
		"custos_dev",
		ChainType::Development,
		sp_genesis_builder::DEV_RUNTIME_PRESET,
	)
}

/// `--chain local`: four validators, production-like slots, production escrow floors.
pub fn local_chain_spec() -> Result<ChainSpec, String> {
	build(
		"Custos Local Testnet",
		"custos_local",
		ChainType::Local,
		sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET,
	)
}

/// `--chain local-short-delay`: the local testnet with a 2-block floor on the recovery delay
/// instead of 600, for end-to-end tests and benchmarks that go through whole recoveries.
pub fn local_short_delay_chain_spec() -> Result<ChainSpec, String> {
	build(
		"Custos Local Testnet (short delay)",
		"custos_local_short_delay",
		ChainType::Local,
		custos_runtime::genesis_config_presets::LOCAL_SHORT_DELAY_PRESET,
	)
}
