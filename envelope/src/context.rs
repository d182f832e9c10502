//! Where a share belongs: chain, escrow, generation and custodian slot.
//!
//! Every layer authenticates the context, so a share cannot be replayed into another chain,
//! escrow, generation (after a re-split) or slot without the layer failing to open.

use custos_primitives::{EscrowId, H256};

/// The public facts a share is bound to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ShareContext {
	pub(crate) genesis: H256,
	pub(crate) escrow: EscrowId,
	pub(crate) generation: u32,
	pub(crate) index: u32,
}

impl ShareContext {
	/// Length of [`ShareContext::to_bytes`].
	pub const ENCODED_LEN: usize = 32 + 32 + 4 + 4;

	/// The context of slot `index` (0-based) of generation `generation` of escrow `escrow` on
	/// the chain with genesis hash `genesis`.
	pub fn new(genesis: H256, escrow: EscrowId, generation: u32, index: u32) -> Self {
		Self { genesis, escrow, generation, index }
	}

	/// Genesis hash of the chain the escrow lives on.
	pub fn genesis(&self) -> H256 {
		self.genesis
	}

	/// Escrow id.
	pub fn escrow(&self) -> EscrowId {
		self.escrow
	}

	/// Generation of the split: bumped on every re-split so old shares do not combine with new.
	pub fn generation(&self) -> u32 {
		self.generation
	}

	/// 0-based custodian slot. The share of slot `i` has Shamir x = `i + 1`.
	pub fn index(&self) -> u32 {
		self.index
	}

	/// `genesis || escrow || generation (LE) || index (LE)`: the encoding every layer
	/// authenticates.
	pub fn to_bytes(&self) -> [u8; Self::ENCODED_LEN] {
		let mut out = [0u8; Self::ENCODED_LEN];
		out[..32].copy_from_slice(self.genesis.as_bytes());
		out[32..64].copy_from_slice(self.escrow.as_bytes());
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
		let ctx = ShareContext::new(
			H256::repeat_byte(0x11),
			H256::repeat_byte(0x22),
			0x0403_0201,
			0x0807_0605,
		);
		let bytes = ctx.to_bytes();
		assert_eq!(&bytes[..32], &[0x11; 32]);
		assert_eq!(&bytes[32..64], &[0x22; 32]);
		assert_eq!(&bytes[64..], &[1, 2, 3, 4, 5, 6, 7, 8]);
	}

	#[test]
	fn accessors_give_back_what_new_took() {
		let ctx = ShareContext::new(H256::repeat_byte(1), H256::repeat_byte(2), 3, 4);
		assert_eq!(ctx.genesis(), H256::repeat_byte(1));
		assert_eq!(ctx.escrow(), H256::repeat_byte(2));
		assert_eq!((ctx.generation(), ctx.index()), (3, 4));
		let moved = ctx.with_index(9);
		assert_eq!(moved, ShareContext::new(H256::repeat_byte(1), H256::repeat_byte(2), 3, 9));
	}

	#[test]
	fn share_x_is_slot_plus_one_up_to_255() {
		let ctx = ShareContext::new(H256::zero(), H256::zero(), 0, 0);
		assert_eq!(ctx.share_x(), Some(1));
		assert_eq!(ctx.with_index(254).share_x(), Some(255));
		assert_eq!(ctx.with_index(255).share_x(), None);
		assert_eq!(ctx.with_index(u32::MAX).share_x(), None);
		assert_eq!(ctx.with_index(u32::MAX).expected_x(), 1 << 32);
	}
}
