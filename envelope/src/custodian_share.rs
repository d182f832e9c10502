//! What a custodian holds for one slot: its share `k_i` of the OPRF key and the slot's inner
//! ciphertext. Both travel together in the custodian layer (HPKE), whose plaintext is
//! `k_i (32 bytes, little-endian scalar) || inner ciphertext`.
//!
//! At recovery the custodian evaluates guesses with `k_i` and releases only the inner
//! ciphertext; `k_i` never leaves its node.

use zeroize::Zeroizing;

use crate::{
	oprf::{OprfKeyShare, OprfPublicKey},
	Error, InnerCiphertext, Result,
};

/// The custodian layer's plaintext for one slot. `Debug` shows the slot and the public key of
/// `k_i`, never `k_i`.
#[derive(Clone)]
pub struct CustodianShare {
	/// The custodian's share of the OPRF key; its public key is recorded on chain for the slot.
	pub oprf_key: OprfKeyShare,
	/// The slot's share of the secret, still under the owner's inner layer.
	pub inner: InnerCiphertext,
}

impl CustodianShare {
	/// The plaintext `k_i || inner`, wiped on drop.
	pub(crate) fn to_plaintext(&self) -> Zeroizing<Vec<u8>> {
		let inner = self.inner.as_bytes();
		let mut out = Zeroizing::new(Vec::with_capacity(OprfKeyShare::LEN + inner.len()));
		out.extend_from_slice(&self.oprf_key.to_bytes()[..]);
		out.extend_from_slice(inner);
		out
	}

	/// Splits an opened plaintext of slot `slot` back into `k_i` and the inner ciphertext.
	pub(crate) fn from_plaintext(slot: u32, plaintext: Zeroizing<Vec<u8>>) -> Result<Self> {
		if plaintext.len() <= OprfKeyShare::LEN {
			return Err(Error::Truncated {
				what: "custodian share",
				len: plaintext.len(),
				min: OprfKeyShare::LEN + 1,
			});
		}
		let mut scalar = Zeroizing::new([0u8; OprfKeyShare::LEN]);
		scalar.copy_from_slice(&plaintext[..OprfKeyShare::LEN]);
		let oprf_key = OprfKeyShare::from_bytes(slot, &scalar)?;
		let inner = InnerCiphertext::from(plaintext[OprfKeyShare::LEN..].to_vec());
		Ok(Self { oprf_key, inner })
	}

	/// Checks `k_i` against the public key the chain records for this slot: a custodian checks
	/// this before evaluating anything, the owner's client before sending.
	pub fn check_oprf_key(&self, recorded: &OprfPublicKey) -> Result<()> {
		if self.oprf_key.public() == *recorded {
			Ok(())
		} else {
			Err(Error::OprfKeyMismatch { slot: self.oprf_key.index() })
		}
	}
}

impl core::fmt::Debug for CustodianShare {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		f.debug_struct("CustodianShare")
			.field("slot", &self.oprf_key.index())
			.field("oprf_public", &self.oprf_key.public())
			.field("inner", &self.inner)
			.finish()
	}
}
