# Shared by the scripts in this folder; source it, do not run it.
# It fixes where builds go and which toolchain builds them, so that dev.sh, testnet.sh
# and test.sh all reuse one build.

set -euo pipefail

CUSTOS_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CUSTOS_CACHE="${CUSTOS_CACHE:-$HOME/.cache/custos}"
# Outside the checkout, so a fresh clone (CI's included) reuses the compiled dependencies.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$CUSTOS_CACHE/target}"
# The profile: `debug` (default; one build serves dev.sh, testnet.sh and test.sh, see
# [profile.dev] in Cargo.toml) or `release` for operators and measurements
# (CUSTOS_PROFILE=release, see scripts/build-release.sh; its own cold build, 31 minutes here).
CUSTOS_PROFILE="${CUSTOS_PROFILE:-debug}"
case "$CUSTOS_PROFILE" in
debug) CUSTOS_CARGO_PROFILE_ARGS=() ;;
release) CUSTOS_CARGO_PROFILE_ARGS=(--release) ;;
*)
	printf 'error: CUSTOS_PROFILE is "%s"; it is "debug" (the default) or "release"\n' \
		"$CUSTOS_PROFILE" >&2
	exit 2
	;;
esac
CUSTOS_PROFILE_DIR="$CARGO_TARGET_DIR/$CUSTOS_PROFILE"
CUSTOS_NODE_BIN="$CUSTOS_PROFILE_DIR/custos-node"
CUSTOS_CLIENT_BIN="$CUSTOS_PROFILE_DIR/custos"
# setup.sh records here which toolchain it set up (rustup's, or Debian's fallback).
CUSTOS_TOOLCHAIN_ENV="$CUSTOS_CACHE/toolchain.env"

# With -h/--help as first argument: prints the calling script's header comment and exits.
help_if_asked() {
	case "${1:-}" in
	-h | --help)
		sed -n '2,/^[^#]/p' "$0" | grep '^#' | sed 's/^# \{0,1\}//'
		exit 0
		;;
	esac
}

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Runs setup.sh (idempotent: a fraction of a second once everything is in place), then
# loads the toolchain it chose.
ensure_setup() {
	"$CUSTOS_ROOT/scripts/setup.sh"
	# shellcheck disable=SC1090
	. "$CUSTOS_TOOLCHAIN_ENV"
	export CARGO="${CUSTOS_CARGO}"
	[ -n "${CUSTOS_RUSTC:-}" ] && export RUSTC="$CUSTOS_RUSTC"
	[ -n "${CUSTOS_RUSTUP_TOOLCHAIN:-}" ] && export RUSTUP_TOOLCHAIN="$CUSTOS_RUSTUP_TOOLCHAIN"
	return 0
}

# Builds every binary of the workspace (node with its Wasm runtime, client) in one
# cargo invocation, the same in every script, so no script rebuilds another's work.
build_workspace() {
	say "Building custos-node, its Wasm runtime and the custos client ($CUSTOS_PROFILE profile, target dir: $CARGO_TARGET_DIR)"
	if [ "$CUSTOS_PROFILE" = release ]; then
		say "A cold release build took 31 minutes on 2 cores here; later builds reuse it."
	else
		say "A cold build takes about 16 minutes on 2 cores (20 with the tests); later builds reuse it."
	fi
	(cd "$CUSTOS_ROOT" && "$CARGO" build --locked "${CUSTOS_CARGO_PROFILE_ARGS[@]}" --workspace --bins)
}
