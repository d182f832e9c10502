//! The OPRF output `y` and the hash that makes it (RFC 9497 `Finalize`, shared by the
//! requester's unblinding and the whole-key `Evaluate`).

use core::fmt;

use curve25519_dalek::RistrettoPoint;
use sha2::{Digest, Sha512};
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use super::suite::{i2osp2, serialize_element, ELEMENT_LEN, HASH_LEN, LABEL_FINALIZE};
use crate::{Error, Result};

/// The OPRF output `y` (RFC 9497 `Finalize`, 64 bytes). Secret: zeroized on drop, and `Debug`
/// never shows it.
#[derive(Zeroize, ZeroizeOnDrop)]
pub struct OprfOutput([u8; OprfOutput::LEN]);

impl OprfOutput {
	/// Length of the output.
	pub const LEN: usize = HASH_LEN;

	/// The output from its bytes, e.g. as a requester saved it between `recover start` and
	/// `recover collect`.
	pub fn from_bytes(bytes: [u8; Self::LEN]) -> Self {
		Self(bytes)
	}

	/// The output's bytes.
	pub fn as_bytes(&self) -> &[u8; Self::LEN] {
		&self.0
	}
}

impl fmt::Debug for OprfOutput {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		f.write_str("OprfOutput(<secret>)")
	}
}

/// Refuses an input longer than `Finalize` can frame (two length bytes).
pub(crate) fn check_input_len(input: &[u8]) -> Result<()> {
	if input.len() > usize::from(u16::MAX) {
		return Err(Error::OprfInputTooLong { len: input.len() });
	}
	Ok(())
}

/// `Hash(I2OSP(len(input), 2) || input || I2OSP(32, 2) || SerializeElement(element) ||
/// "Finalize")`: the last step of both `Finalize` (client) and `Evaluate` (server holding the
/// whole key) of RFC 9497 section 3.3.
pub(crate) fn finalize_hash(input: &[u8], element: &RistrettoPoint) -> Result<OprfOutput> {
	check_input_len(input)?;
	let element = Zeroizing::new(serialize_element(element));
	let mut hash = Sha512::new();
	hash.update(i2osp2(input.len()));
	hash.update(input);
	hash.update(i2osp2(ELEMENT_LEN));
	hash.update(&element[..]);
	hash.update(LABEL_FINALIZE);
	Ok(OprfOutput(hash.finalize().into()))
}
