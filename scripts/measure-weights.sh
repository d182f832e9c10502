#!/usr/bin/env bash
# Measures the weights of pallet-key-escrow and pallet-certificates and rewrites their
# src/weights.rs. Builds and runs measure-weights (tools/weights/), which runs each
# pallet's benchmarks natively (dev profile, not Wasm) against custos_runtime::Runtime on a
# state backend that counts DB reads/writes and records the proof, then fits base + slope
# per component. Needs no frame-omni-bencher and no Wasm build.
# The first run builds the runtime with `runtime-benchmarks` (separate artifacts from the
# normal build; roughly 15 minutes on 2 cores), then measuring takes a few minutes.
# Extra arguments go to measure-weights for both pallets, e.g. `--steps 20 --repeat 20`
# (default: steps 10, repeat 10); `measure-weights --help` lists them.
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

help_if_asked "$@"

start=$(date +%s)
ensure_setup
# Only the native runtime is needed.
export SKIP_WASM_BUILD=1

say "Building measure-weights (custos-weights with --features measure)"
cd "$CUSTOS_ROOT"
"$CARGO" build --locked "${CUSTOS_CARGO_PROFILE_ARGS[@]}" -p custos-weights --features measure --bin measure-weights

for pallet in key-escrow certificates validator-set; do
	say "Measuring pallet-$pallet"
	"$CUSTOS_PROFILE_DIR/measure-weights" --pallet "$pallet" "$@" \
		--output "pallets/$pallet/src/weights.rs"
done
say "Wrote pallets/{key-escrow,certificates,validator-set}/src/weights.rs in $(($(date +%s) - start)) s"
