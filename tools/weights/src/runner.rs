//! Runs a pallet's generated benchmarks natively against `custos_runtime::Runtime`.
//!
//! This mirrors what `frame-benchmarking-cli`'s `pallet` command does through the Wasm
//! executor, minus the executor: the runtime code is linked into this binary and the
//! benchmarking host functions (`commit_db`, `wipe_db`, `read_write_count`, `proof_size`, ...)
//! reach the current [`Externalities`](sp_externalities::Externalities), here an
//! [`sp_state_machine::Ext`] over an [`sc_client_db::BenchmarkingState`].

use anyhow::anyhow;
use custos_runtime::{AllPalletsWithSystem, Runtime};
use frame_benchmarking::{
	BenchmarkError, BenchmarkMetadata, BenchmarkParameter, BenchmarkResult, Benchmarking,
};
use frame_support::traits::{
	PalletInfoAccess, StorageInfo, StorageInfoTrait, WhitelistedStorageKeys,
};
use sc_client_db::BenchmarkingState;
use sp_core::storage::TrackedStorageKey;
use sp_externalities::Extensions;
use sp_keystore::{testing::MemoryKeystore, KeystoreExt};
use sp_runtime::{traits::BlakeTwo256, Storage};
use sp_state_machine::{Ext, OverlayedChanges};
use std::panic::{catch_unwind, AssertUnwindSafe};

type State = BenchmarkingState<BlakeTwo256>;

/// `Benchmarking::run_benchmark` of one pallet.
type RunFn = fn(
	&[u8],
	&[(BenchmarkParameter, u32)],
	&[TrackedStorageKey],
	bool,
	u32,
) -> Result<Vec<BenchmarkResult>, BenchmarkError>;

/// A pallet this tool can measure.
pub struct PalletSpec {
	/// Name on the command line.
	pub cli_name: &'static str,
	/// Rust crate name, as used in the weights file.
	pub crate_name: &'static str,
	/// The pallet's name in `construct_runtime`.
	pub runtime_name: fn() -> &'static str,
	/// `Benchmarking::benchmarks` of the pallet, instantiated with the runtime.
	pub benchmarks: fn(bool) -> Vec<BenchmarkMetadata>,
	/// `Benchmarking::run_benchmark` of the pallet, instantiated with the runtime.
	pub run: RunFn,
}

/// The pallets this tool measures.
pub const PALLETS: &[PalletSpec] = &[
	PalletSpec {
		cli_name: "key-escrow",
		crate_name: "pallet_key_escrow",
		runtime_name: <pallet_key_escrow::Pallet<Runtime> as PalletInfoAccess>::name,
		benchmarks: <pallet_key_escrow::Pallet<Runtime> as Benchmarking>::benchmarks,
		run: <pallet_key_escrow::Pallet<Runtime> as Benchmarking>::run_benchmark,
	},
	PalletSpec {
		cli_name: "certificates",
		crate_name: "pallet_certificates",
		runtime_name: <pallet_certificates::Pallet<Runtime> as PalletInfoAccess>::name,
		benchmarks: <pallet_certificates::Pallet<Runtime> as Benchmarking>::benchmarks,
		run: <pallet_certificates::Pallet<Runtime> as Benchmarking>::run_benchmark,
	},
	PalletSpec {
		cli_name: "validator-set",
		crate_name: "pallet_validator_set",
		runtime_name: <pallet_validator_set::Pallet<Runtime> as PalletInfoAccess>::name,
		benchmarks: <pallet_validator_set::Pallet<Runtime> as Benchmarking>::benchmarks,
		run: <pallet_validator_set::Pallet<Runtime> as Benchmarking>::run_benchmark,
	},
];

/// The genesis preset the state is built from.
pub const PRESET: &str = sp_genesis_builder::DEV_RUNTIME_PRESET;

/// Genesis storage of the runtime's `development` preset.
pub fn genesis_storage() -> anyhow::Result<Storage> {
	custos_runtime::genesis_config_presets::preset_storage(&PRESET.into())
		.map_err(|e| anyhow!("genesis storage: {e}"))
}

/// Keys every benchmark excludes from its read/write counts, as a runtime's
/// `dispatch_benchmark` passes them: the keys the pallets mark `#[pallet::whitelist_storage]`
/// (frame-system's `Number`, `ExecutionPhase`, `EventCount`, `Events`, ...). The generated
/// `run_benchmark` adds the whitelisted caller's account, `:transaction_level:`,
/// `:extrinsic_index` and `:intrablock_entropy` itself.
pub fn whitelist() -> Vec<TrackedStorageKey> {
	<AllPalletsWithSystem as WhitelistedStorageKeys>::whitelisted_storage_keys()
}

/// Storage metadata (prefix, `max_size`, `max_values`) of every pallet of the runtime.
pub fn storage_info() -> Vec<StorageInfo> {
	<AllPalletsWithSystem as StorageInfoTrait>::storage_info()
}

/// The two state backends the CLI uses: one that counts reads/writes and records the proof
/// (for the DB results), one that does not count (for the timings). Both record the proof, as
/// the CLI does by default, so timings include the recorder's overhead.
pub struct Runner {
	tracked: State,
	untracked: State,
	whitelist: Vec<TrackedStorageKey>,
}

impl Runner {
	pub fn new(genesis: Storage) -> anyhow::Result<Self> {
		let tracked = State::new(genesis.clone(), None, true, true)
			.map_err(|e| anyhow!("benchmarking state: {e}"))?;
		let untracked =
			State::new(genesis, None, true, false).map_err(|e| anyhow!("benchmarking state: {e}"))?;
		Ok(Self { tracked, untracked, whitelist: whitelist() })
	}

	/// Runs `f` with externalities over `state`: a fresh overlay, and a fresh in-memory keystore
	/// (benchmarks generate and sign with sr25519 keys through `sp_io::crypto`).
	fn execute<R>(state: &State, f: impl FnOnce() -> R) -> Result<R, String> {
		let mut overlay = OverlayedChanges::<BlakeTwo256>::default();
		// As the executor does before handing control to the runtime.
		overlay.enter_runtime().expect("a fresh overlay is not in the runtime; qed");
		let mut extensions = Extensions::default();
		extensions.register(KeystoreExt::new(MemoryKeystore::new()));
		let mut ext = Ext::new(&mut overlay, state, Some(&mut extensions));
		catch_unwind(AssertUnwindSafe(|| sp_externalities::set_and_run_with_externalities(&mut ext, f)))
			.map_err(|panic| {
				let msg = panic
					.downcast_ref::<&str>()
					.map(|s| s.to_string())
					.or_else(|| panic.downcast_ref::<String>().cloned())
					.unwrap_or_else(|| "unknown panic payload".into());
				format!("panicked: {msg}")
			})
	}

	/// The benchmark list of `pallet`.
	pub fn list(&self, pallet: &PalletSpec) -> anyhow::Result<Vec<BenchmarkMetadata>> {
		Self::execute(&self.untracked, || (pallet.benchmarks)(false)).map_err(anyhow::Error::msg)
	}

	/// One `run_benchmark` call, handled as `frame_benchmarking::add_benchmark!` does.
	pub fn run(
		&self,
		pallet: &PalletSpec,
		benchmark: &str,
		components: &[(BenchmarkParameter, u32)],
		verify: bool,
		repeats: u32,
		tracked: bool,
	) -> Result<Vec<BenchmarkResult>, String> {
		let state = if tracked { &self.tracked } else { &self.untracked };
		let result = Self::execute(state, || {
			(pallet.run)(benchmark.as_bytes(), components, &self.whitelist, verify, repeats)
		})?;
		match result {
			Ok(results) => Ok(results),
			Err(BenchmarkError::Stop(e)) => Err(e.to_string()),
			Err(BenchmarkError::Override(result)) => {
				eprintln!("WARNING: benchmark {benchmark} returned an override weight");
				Ok(vec![result])
			},
			Err(BenchmarkError::Skip) => {
				eprintln!("WARNING: benchmark {benchmark} skipped {components:?}");
				Ok(vec![])
			},
			Err(BenchmarkError::Weightless) =>
				Ok(vec![BenchmarkResult { components: components.to_vec(), ..Default::default() }]),
		}
	}
}
