//! Operating-system randomness, the only source this crate uses.

use getrandom::SysRng;
use hpke::rand_core::UnwrapErr;

/// An RNG for the libraries that take one (`hpke`, `vsss-rs`). It panics if the operating
/// system cannot provide randomness, as `hpke`'s own default does: there is no safe fallback.
pub(crate) fn os_rng() -> UnwrapErr<SysRng> {
	UnwrapErr(SysRng)
}

/// Fills `buf` from the operating system.
///
/// # Panics
/// If the operating system cannot provide randomness.
pub(crate) fn fill(buf: &mut [u8]) {
	if let Err(e) = getrandom::fill(buf) {
		panic!("the operating system's random number generator failed: {e}");
	}
}
