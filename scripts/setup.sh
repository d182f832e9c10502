#!/usr/bin/env bash
# Installs what building Custos needs on a Debian 12 machine (run as root, or with sudo
# available): protoc, OpenSSL headers, and a Rust toolchain that can build the Wasm runtime.
# Idempotent: a second run checks, finds everything in place and changes nothing.
#
# Toolchain, first choice: rustup's, with `rustup target add wasm32v1-none`.
# Fallback (rustup missing or unable to download): Debian's rustc-web/cargo-web with lld,
# plus a wasm32v1-none sysroot built once from the shipped std sources.
# CUSTOS_TOOLCHAIN=debian skips rustup and sets up the fallback.
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
help_if_asked "$@"
mkdir -p "$CUSTOS_CACHE"
apt_log="$CUSTOS_CACHE/setup-apt.log"

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
	command -v sudo >/dev/null 2>&1 || die "setup needs root (or sudo) to install Debian packages"
	SUDO="sudo"
fi

apt_updated=0
apt_install() {
	local missing=()
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	say "Installing Debian packages: ${missing[*]}"
	if [ $apt_updated -eq 0 ]; then
		$SUDO apt-get update >"$apt_log" 2>&1 ||
			{ tail -n 20 "$apt_log" >&2; die "apt-get update failed: is Debian's package mirror reachable?"; }
		apt_updated=1
	fi
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends "${missing[@]}" \
		>>"$apt_log" 2>&1 || { tail -n 20 "$apt_log" >&2; die "could not install ${missing[*]} (log: $apt_log)"; }
}

say "System packages (protoc for libp2p's protobufs, C/C++ compiler, OpenSSL headers)"
apt_install protobuf-compiler build-essential pkg-config libssl-dev git ca-certificates

use_rustup() {
	command -v rustup >/dev/null 2>&1 || return 1
	rustup show active-toolchain >/dev/null 2>&1 || return 1
	if ! rustup target list --installed 2>/dev/null | grep -qx wasm32v1-none; then
		say "Adding the wasm32v1-none target with rustup"
		rustup target add wasm32v1-none || return 1
	fi
	local cargo_path toolchain
	cargo_path="$(rustup which cargo)" || return 1
	toolchain="$(rustup show active-toolchain | cut -d' ' -f1)"
	# CUSTOS_RUSTUP_TOOLCHAIN pins every rustup proxy call to this toolchain: the Wasm
	# builder runs `rustc` from PATH inside dependency folders, and a dependency that ships
	# a rust-toolchain file (ff 0.13 asks for 1.56) would otherwise pick another toolchain.
	cat >"$CUSTOS_TOOLCHAIN_ENV" <<ENV
# Written by scripts/setup.sh: rustup toolchain with the wasm32v1-none target.
CUSTOS_CARGO="$cargo_path"
CUSTOS_RUSTC="$(rustup which rustc)"
CUSTOS_RUSTUP_TOOLCHAIN="$toolchain"
ENV
	say "Toolchain: $("$cargo_path" --version) (rustup), wasm32v1-none installed"
}

# Debian's toolchain ships no wasm32v1-none sysroot: build core/alloc once from its std
# sources. -Cembed-bitcode=yes is needed for the runtime's LTO link.
use_debian_fallback() {
	say "Using Debian's rustc-web toolchain (rustup cannot add wasm32v1-none, or CUSTOS_TOOLCHAIN=debian)"
	apt_install rustc-web cargo-web rust-web-src lld-22
	local sysroot
	sysroot="$(/usr/bin/rustc --print sysroot)/lib/rustlib/wasm32v1-none/lib"
	if ! ls "$sysroot"/libcore-*.rlib >/dev/null 2>&1; then
		say "Building a wasm32v1-none sysroot from Debian's std sources (once)"
		local tmp
		tmp="$(mktemp -d)"
		mkdir -p "$tmp/src"
		cat >"$tmp/Cargo.toml" <<TOML
[package]
name = "sysroot-probe"
version = "0.0.0"
edition = "2021"
[lib]
path = "src/lib.rs"
TOML
		echo '#![no_std]' >"$tmp/src/lib.rs"
		(cd "$tmp" && CARGO_TARGET_DIR="$tmp/target" RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1 RUSTFLAGS=-Cembed-bitcode=yes \
			/usr/bin/cargo build --release --target wasm32v1-none -Zbuild-std=core,alloc) \
			|| die "building the wasm32v1-none sysroot failed"
		$SUDO mkdir -p "$sysroot"
		$SUDO cp "$tmp"/target/wasm32v1-none/release/deps/lib{core,alloc,compiler_builtins}-*.rlib "$sysroot/"
		rm -rf "$tmp"
		# A runtime blob built against an older sysroot fails with E0463: start it over.
		rm -rf "$CUSTOS_PROFILE_DIR/wbuild"
	fi
	# rustc links wasm with `rust-lld`, looked up in the sysroot's host bin/; Debian's lld
	# package ships the same linker as plain `lld`.
	local host_bin
	host_bin="$(/usr/bin/rustc --print sysroot)/lib/rustlib/$(/usr/bin/rustc -vV | sed -n 's/^host: //p')/bin"
	if [ ! -x "$host_bin/rust-lld" ]; then
		say "Linking rust-lld to Debian's lld-22"
		$SUDO mkdir -p "$host_bin"
		$SUDO ln -sf /usr/lib/llvm-22/bin/lld "$host_bin/rust-lld"
	fi
	cat >"$CUSTOS_TOOLCHAIN_ENV" <<ENV
# Written by scripts/setup.sh: Debian's rustc-web toolchain with a built wasm32v1-none sysroot.
CUSTOS_CARGO="/usr/bin/cargo"
CUSTOS_RUSTC="/usr/bin/rustc"
ENV
	say "Toolchain: $(/usr/bin/cargo --version) (Debian), wasm32v1-none sysroot in $sysroot"
}

if [ "${CUSTOS_TOOLCHAIN:-}" = debian ]; then
	use_debian_fallback
else
	use_rustup || use_debian_fallback
fi
say "Setup complete. Build cache: $CARGO_TARGET_DIR"
