//! Commitments to inner ciphertexts, which the chain stores.
//!
//! The commitment lets the owner tell, at recovery, whether a custodian served back exactly
//! the inner ciphertext it was given (a custodian cannot read it, but could swap it). The
//! genesis hash is deliberately not in it: the chain that stores a commitment is the chain.

use crate::{domain, ShareContext};

/// Length of a commitment.
pub const COMMITMENT_LEN: usize = 32;

/// `blake2_256("custos/v1/commitment" || escrow || generation LE || index LE ||
/// inner_ciphertext)`.
pub fn commitment(ctx: &ShareContext, inner_ciphertext: &[u8]) -> [u8; COMMITMENT_LEN] {
	let mut preimage =
		Vec::with_capacity(domain::COMMITMENT.len() + 32 + 4 + 4 + inner_ciphertext.len());
	preimage.extend_from_slice(domain::COMMITMENT);
	preimage.extend_from_slice(&ctx.escrow);
	preimage.extend_from_slice(&ctx.generation.to_le_bytes());
	preimage.extend_from_slice(&ctx.index.to_le_bytes());
	preimage.extend_from_slice(inner_ciphertext);
	sp_crypto_hashing::blake2_256(&preimage)
}

#[cfg(test)]
mod tests {
	use super::*;

	fn ctx() -> ShareContext {
		ShareContext { genesis: [0x11; 32], escrow: [0x22; 32], generation: 3, index: 4 }
	}

	#[test]
	fn known_answer() {
		// Cross-checked with Python: hashlib.blake2b(b"custos/v1/commitment" + b"\x22" * 32
		//   + (3).to_bytes(4, "little") + (4).to_bytes(4, "little") + bytes(range(10)),
		//   digest_size=32).
		let inner: Vec<u8> = (0..10).collect();
		assert_eq!(
			hex::encode(commitment(&ctx(), &inner)),
			"984536544b66920b41d68e54de8d478a678dc7583cf4fdd991cf06fe22488161"
		);
	}

	#[test]
	fn binds_escrow_generation_index_and_ciphertext_but_not_genesis() {
		let inner = [9u8; 40];
		let base = commitment(&ctx(), &inner);
		assert_eq!(commitment(&ShareContext { genesis: [0; 32], ..ctx() }, &inner), base);
		assert_ne!(commitment(&ShareContext { escrow: [0; 32], ..ctx() }, &inner), base);
		assert_ne!(commitment(&ShareContext { generation: 2, ..ctx() }, &inner), base);
		assert_ne!(commitment(&ctx().with_index(5), &inner), base);
		assert_ne!(commitment(&ctx(), &inner[1..]), base);
	}
}
