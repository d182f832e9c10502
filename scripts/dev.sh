#!/usr/bin/env bash
# Runs a Custos development chain: sets the machine up if needed, builds, then starts
# `custos-node --dev` (one validator, Alice; 2-second blocks; state in a temporary
# directory) with JSON-RPC on ws://127.0.0.1:9944. Extra arguments go to custos-node.
# Stop it with Ctrl-C.
#
# Environment: CUSTOS_PROFILE=release builds and runs the optimised node and client instead
# of the debug ones (see scripts/build-release.sh).
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

help_if_asked "$@"

ensure_setup
build_workspace

say "Starting a dev chain: JSON-RPC on ws://127.0.0.1:9944 (Ctrl-C stops it)"
say "In another terminal:  $CUSTOS_CLIENT_BIN chain info"
exec "$CUSTOS_NODE_BIN" --dev --rpc-port 9944 "$@"
