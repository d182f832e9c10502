#!/usr/bin/env bash
# Runs a local Custos network of five custodian nodes on 127.0.0.1: four validators
# (alice, bob, charlie, dave) and eve, whose node runs with --validator but is not in the
# validator set: it authors once an operator certified as a validator joins with it
# (`custos validator join --node ws://127.0.0.1:9948`; see the README). Each has its
# own base path, p2p port and JSON-RPC port and boots from alice; each holds the dev
# custodian keys of its name, which the local chain certifies. Six-second blocks; GRANDPA
# finalizes with any three validators. Ctrl-C stops every node.
#
#   ./scripts/testnet.sh               fresh chain (earlier testnet state is wiped)
#   ./scripts/testnet.sh --keep        continue the chain left by the last run
#   ./scripts/testnet.sh --short-delay fresh chain whose recovery delay floor is 2 blocks
#                                      instead of 600 (one hour), to try or benchmark a
#                                      whole recovery (`custos-node --chain local-short-delay`)
#
# Environment: CUSTOS_TESTNET_DIR (state and logs; default ~/.cache/custos/testnet);
# CUSTOS_PROFILE=release builds and runs the optimised nodes instead of the debug ones (see
# scripts/build-release.sh; what custos-load and the README's release figures use).
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

help_if_asked "$@"
keep=0
chain=local
for arg in "$@"; do
	case "$arg" in
	--keep) keep=1 ;;
	--short-delay) chain=local-short-delay ;;
	*) die "unknown argument '$arg' (try --help)" ;;
	esac
done

ensure_setup
build_workspace

dir="${CUSTOS_TESTNET_DIR:-$CUSTOS_CACHE/testnet}"
if [ $keep -eq 0 ]; then rm -rf "$dir"; fi
mkdir -p "$dir"

# Fixed node keys give fixed peer ids, so the bootnode address is known in advance.
alice_peer_id="12D3KooWEyoppNCUx8Yx66oV9fJnriXwCcXwDDUA2kj6vnc6iDEp"
names=(alice bob charlie dave eve)
pids=()

stop_all() {
	trap - INT TERM EXIT
	if [ ${#pids[@]} -gt 0 ]; then
		say "Stopping ${#pids[@]} nodes"
		kill "${pids[@]}" 2>/dev/null || true
		wait "${pids[@]}" 2>/dev/null || true
	fi
}
trap 'stop_all; echo "Testnet stopped."; exit 0' INT TERM
trap stop_all EXIT

for i in "${!names[@]}"; do
	name="${names[$i]}"
	p2p=$((30333 + i))
	rpc=$((9944 + i))
	node_key="$(printf '%064x' $((i + 1)))"
	args=(--chain "$chain" "--$name" --base-path "$dir/$name"
		--node-key "$node_key" --listen-addr "/ip4/127.0.0.1/tcp/$p2p"
		--rpc-port "$rpc" --no-prometheus --no-telemetry --no-mdns)
	# Every node may author: eve's only once an operator joins the set with it.
	args+=(--validator)
	if [ "$name" != alice ]; then
		args+=(--bootnodes "/ip4/127.0.0.1/tcp/30333/p2p/$alice_peer_id")
	fi
	# Own session: a terminal's Ctrl-C reaches only this script, which then stops the
	# nodes itself, instead of the nodes dying first and looking like a crash.
	setsid "$CUSTOS_NODE_BIN" "${args[@]}" >"$dir/$name.log" 2>&1 &
	pids+=($!)
	role=validator
	if [ "$name" = eve ]; then role="(joins)"; fi
	printf '  %-8s %-10s JSON-RPC ws://127.0.0.1:%s  p2p 127.0.0.1:%s  log %s\n' \
		"$name" "$role" "$rpc" "$p2p" "$dir/$name.log"
done

say "Local testnet running (Ctrl-C stops it). Check it with:"
echo "  $CUSTOS_CLIENT_BIN chain info --url ws://127.0.0.1:9944"
echo "  tail -f $dir/alice.log"

# Exit (stopping the others) as soon as any node dies, and say which.
while true; do
	for i in "${!pids[@]}"; do
		if ! kill -0 "${pids[$i]}" 2>/dev/null; then
			echo "node ${names[$i]} stopped; last lines of its log:" >&2
			tail -n 20 "$dir/${names[$i]}.log" >&2
			exit 1
		fi
	done
	sleep 2
done
