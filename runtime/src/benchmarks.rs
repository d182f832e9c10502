//! The pallets whose benchmarks the runtime's `frame_benchmarking::Benchmark` API lists and
//! dispatches (see `apis.rs`). Only compiled with the `runtime-benchmarks` feature.
//!
//! Each entry is `[crate, type implementing frame_benchmarking::Benchmarking]`; the crate name
//! is what the benchmarking CLI's `--pallet` selects and the type is resolved where
//! `list_benchmarks!` / `add_benchmarks!` expand. Session, Aura, GRANDPA and transaction
//! payment are left out: their benchmarks need extra runtime glue (`pallet-session-benchmarking`,
//! key ownership proofs) this runtime does not provide.

use super::Runtime;

// The generic benchmark pallets need nothing from the runtime beyond `frame_system::Config`.
impl frame_benchmarking::baseline::Config for Runtime {}
impl frame_system_benchmarking::Config for Runtime {}

frame_benchmarking::define_benchmarks!(
	[frame_benchmarking, BaselineBench::<Runtime>]
	[frame_system, SystemBench::<Runtime>]
	[frame_system_extensions, SystemExtensionsBench::<Runtime>]
	[pallet_balances, Balances]
	[pallet_timestamp, Timestamp]
	[pallet_sudo, Sudo]
	[pallet_certificates, Certificates]
	[pallet_key_escrow, KeyEscrow]
	[pallet_validator_set, ValidatorSet]
);
