#!/usr/bin/env bash
# Builds the release profile for operators: custos-node with its Wasm runtime, the custos
# client and the tools (custos-bench, custos-load), optimised, in $CARGO_TARGET_DIR/release.
# Sets the machine up first if needed. A cold release build took 31 minutes here (2 cores,
# 40 minutes of CPU, 1.7 GiB peak memory, 4 GiB in target/release; it shares no compiled code
# with the debug build that test.sh uses); later builds reuse it. Then run the release binaries with
#
#   CUSTOS_PROFILE=release ./scripts/testnet.sh --short-delay
#   CUSTOS_PROFILE=release ./scripts/dev.sh
#
# (both build first too, so this script is only needed to build ahead of time).
export CUSTOS_PROFILE=release
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

help_if_asked "$@"
[ $# -eq 0 ] || die "build-release.sh takes no arguments (try --help)"

start=$(date +%s)
ensure_setup
build_workspace
say "Release build done in $(($(date +%s) - start)) s:"
say "  node:   $CUSTOS_NODE_BIN"
say "  client: $CUSTOS_CLIENT_BIN"
say "  tools:  $CUSTOS_PROFILE_DIR/custos-bench, $CUSTOS_PROFILE_DIR/custos-load"
