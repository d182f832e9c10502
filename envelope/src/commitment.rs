//! Commitments to inner ciphertexts, which the chain stores.
//!
//! The commitment lets the owner tell, at recovery, whether a custodian served back exactly
//! the inner ciphertext it was given (a custodian cannot read it, but could swap it). The
//! genesis hash is deliberately not in it: the chain that stores a commitment is the chain.

use crate::{domain, InnerCiphertext, ShareContext};

/// Length of a commitment.
pub const COMMITMENT_LEN: usize = 32;

/// A commitment to one slot's [`InnerCiphertext`] (see [`commitment`]). Public: on chain it
/// is an [`H256`](custos_primitives::H256). `Debug` shows it as `0x`-hex.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Commitment([u8; COMMITMENT_LEN]);

impl Commitment {
	/// The commitment's bytes, borrowed.
	pub const fn as_bytes(&self) -> &[u8; COMMITMENT_LEN] {
		&self.0
	}

	/// The commitment's bytes.
	pub const fn to_bytes(&self) -> [u8; COMMITMENT_LEN] {
		self.0
	}
}

crate::bytes32::public_bytes32!(Commitment);

/// `blake2_256("custos/v2/commitment" || escrow || generation LE || index LE ||
/// inner_ciphertext)`.
pub fn commitment(ctx: &ShareContext, inner: &InnerCiphertext) -> Commitment {
	let inner = inner.as_bytes();
	let mut preimage = Vec::with_capacity(domain::COMMITMENT.len() + 32 + 4 + 4 + inner.len());
	preimage.extend_from_slice(domain::COMMITMENT);
	preimage.extend_from_slice(ctx.escrow.as_bytes());
	preimage.extend_from_slice(&ctx.generation.to_le_bytes());
	preimage.extend_from_slice(&ctx.index.to_le_bytes());
	preimage.extend_from_slice(inner);
	Commitment(sp_crypto_hashing::blake2_256(&preimage))
}

#[cfg(test)]
mod tests {
	use custos_primitives::H256;

	use super::*;

	fn ctx() -> ShareContext {
		ShareContext::new(H256::repeat_byte(0x11), H256::repeat_byte(0x22), 3, 4)
	}

	#[test]
	fn known_answer() {
		// Cross-checked with Python: hashlib.blake2b(b"custos/v2/commitment" + b"\x22" * 32
		//   + (3).to_bytes(4, "little") + (4).to_bytes(4, "little") + bytes(range(10)),
		//   digest_size=32).
		let inner = InnerCiphertext::from((0..10).collect::<Vec<u8>>());
		assert_eq!(
			hex::encode(commitment(&ctx(), &inner).as_bytes()),
			"f7f9247222fbb4a3957af725a818dc7bb013daa502e1f4174ec7e29b18bf3cf2"
		);
	}

	#[test]
	fn binds_escrow_generation_index_and_ciphertext_but_not_genesis() {
		let inner = InnerCiphertext::from(vec![9u8; 40]);
		let base = commitment(&ctx(), &inner);
		assert_eq!(commitment(&ShareContext { genesis: H256::zero(), ..ctx() }, &inner), base);
		assert_ne!(commitment(&ShareContext { escrow: H256::zero(), ..ctx() }, &inner), base);
		assert_ne!(commitment(&ShareContext { generation: 2, ..ctx() }, &inner), base);
		assert_ne!(commitment(&ctx().with_index(5), &inner), base);
		let shorter = InnerCiphertext::from(inner.as_bytes()[1..].to_vec());
		assert_ne!(commitment(&ctx(), &shorter), base);
	}

	#[test]
	fn converts_to_and_from_h256_and_debug_is_hex() {
		let hash = H256::repeat_byte(0x5e);
		let commitment = Commitment::from(hash);
		assert_eq!(H256::from(commitment), hash);
		assert_eq!(commitment.to_bytes(), [0x5e; 32]);
		assert_eq!(commitment.as_bytes(), &[0x5e; 32]);
		assert_eq!(Commitment::from([0x5e; 32]), commitment);
		assert_eq!(format!("{commitment:?}"), format!("Commitment(0x{})", "5e".repeat(32)));
	}
}
