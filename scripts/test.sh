#!/usr/bin/env bash
# Runs the whole Custos test suite: sets the machine up if needed, builds the node and
# client, then runs every test in the workspace: runtime genesis tests, client unit tests,
# and end-to-end tests that start real custos-node processes on 127.0.0.1.
# Extra arguments go to `cargo test` (e.g. a test name filter).
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
CUSTOS_NODE_BIN="$CUSTOS_NODE_BIN" "$CARGO" test --locked "${scope[@]}" --no-fail-fast "$@"
say "All tests passed in $(($(date +%s) - start)) s"
