//! Where a share belongs: chain, escrow, generation and custodian slot.
//!
//! Every layer authenticates the context, so a share cannot be replayed into another chain,
//! escrow, generation (after a re-split) or slot without the layer failing to open.

/// The public facts a share is bound to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ShareContext {
	/// Genesis hash of the chain the escrow lives on.
	pub genesis: [u8; 32],
	/// Escrow id.
	pub escrow: [u8; 32],
	/// Generation of the split: bumped on every re-split so old shares do not combine with new.
	pub generation: u32,
	/// 0-based custodian slot. The share of slot `i` has Shamir x = `i + 1`.
	pub index: u32,
}

impl ShareContext {
	/// Length of [`ShareContext::to_bytes`].
	pub const ENCODED_LEN: usize = 32 + 32 + 4 + 4;

	/// `genesis || escrow || generation (LE) || index (LE)`: the encoding every layer
	/// authenticates.
	pub fn to_bytes(&self) -> [u8; Self::ENCODED_LEN] {
		let mut out = [0u8; Self::ENCODED_LEN];
		out[..32].copy_from_slice(&self.genesis);
		out[32..64].copy_from_slice(&self.escrow);
		out[64..68].copy_from_slice(&self.generation.to_le_bytes());
		out[68..].copy_from_slice(&self.index.to_le_bytes());
		out
	}

	/// The same context for another slot.
	pub fn with_index(&self, index: u32) -> Self {
		Self { index, ..*self }
	}

	/// The Shamir x of this slot (`index + 1`), or `None` when the slot is beyond the 255 that
	/// GF(256) allows.
	pub fn share_x(&self) -> Option<u8> {
		u8::try_from(u64::from(self.index) + 1).ok()
	}

	/// The slot's x as a wide integer, for messages about slots that cannot exist.
	pub(crate) fn expected_x(&self) -> u64 {
		u64::from(self.index) + 1
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn bytes_are_genesis_escrow_generation_index_little_endian() {
		let ctx = ShareContext {
			genesis: [0x11; 32],
			escrow: [0x22; 32],
			generation: 0x0403_0201,
			index: 0x0807_0605,
		};
		let bytes = ctx.to_bytes();
		assert_eq!(&bytes[..32], &[0x11; 32]);
		assert_eq!(&bytes[32..64], &[0x22; 32]);
		assert_eq!(&bytes[64..], &[1, 2, 3, 4, 5, 6, 7, 8]);
	}

	#[test]
	fn share_x_is_slot_plus_one_up_to_255() {
		let ctx = ShareContext { genesis: [0; 32], escrow: [0; 32], generation: 0, index: 0 };
		assert_eq!(ctx.share_x(), Some(1));
		assert_eq!(ctx.with_index(254).share_x(), Some(255));
		assert_eq!(ctx.with_index(255).share_x(), None);
		assert_eq!(ctx.with_index(u32::MAX).share_x(), None);
		assert_eq!(ctx.with_index(u32::MAX).expected_x(), 1 << 32);
	}
}
