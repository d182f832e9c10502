#!/usr/bin/env bash
# Runs the whole Custos test suite: sets the machine up if needed, builds the node and
# client, then runs every test in the workspace: pallet tests on mock runtimes, runtime
# genesis tests, client unit tests, and end-to-end tests that start real custos-node
# processes on 127.0.0.1; then the pallets' benchmarks, run once each as tests on their mocks.
# Extra arguments go to `cargo test` (e.g. a test name filter) and skip the benchmark step.
# The tests always build and run the debug profile (CUSTOS_PROFILE=release is for dev.sh,
# testnet.sh and build-release.sh).
export CUSTOS_PROFILE=debug
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

help_if_asked "$@"

start=$(date +%s)
ensure_setup
build_workspace

say "Running every test (the end-to-end tests start real nodes and take a few minutes)"
cd "$CUSTOS_ROOT"
# The whole workspace unless the arguments name packages.
scope=(--workspace)
for arg in "$@"; do
	case "$arg" in -p | -p* | --package | --package=*) scope=() ;; esac
done
# The output is also kept, for the reliability figures the end-to-end tests print.
output=$(mktemp)
trap 'rm -f "$output"' EXIT
CUSTOS_NODE_BIN="$CUSTOS_NODE_BIN" "$CARGO" test --locked "${scope[@]}" --no-fail-fast "$@" 2>&1 |
	tee "$output"
if [ $# -eq 0 ]; then
	# A separate cargo run: `runtime-benchmarks` must not reach the node's build.
	say "Running every pallet benchmark once, as a test on its mock runtime"
	"$CARGO" test --locked -p pallet-certificates -p pallet-key-escrow -p pallet-validator-set \
		--features pallet-certificates/runtime-benchmarks,pallet-key-escrow/runtime-benchmarks,pallet-validator-set/runtime-benchmarks \
		benchmarking::
fi
# One line from the `reliability: <part> key=value ...` lines of tests/reliability_*.rs and
# tests/escrow_recovery/crash.rs (see README, "Reliability").
if grep -q '^reliability: ' "$output"; then
	say "Reliability: $(grep '^reliability: ' "$output" | awk '
		{ for (i = 3; i <= NF; i++) if ($i ~ /=/) { printf "%s%s.%s", sep, $2, $i; sep = " " } }')"
fi
say "All tests passed in $(($(date +%s) - start)) s"
