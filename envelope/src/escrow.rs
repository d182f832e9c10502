//! The client's two entry points: seal a whole escrow, and open one released share with every
//! check in order.

use custos_primitives::{EscrowId, H256};

use crate::{
	commitment, open_inner, open_release, seal_inner, seal_to_custodian, split, Commitment, Error,
	OneTimeKey, ProtectionKey, ReleasedShare, Result, SealedShare, Share, ShareContext, ShareFault,
	X25519PublicKey,
};

/// What [`seal_escrow`] makes: per slot, the share sealed to its custodian and the commitment
/// to its inner ciphertext. All public: the chain stores both.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SealedEscrow {
	/// `sealed[i]` goes to the custodian of slot `i`.
	pub sealed: Vec<SealedShare>,
	/// `commitments[i]` is the commitment to slot `i`'s inner ciphertext.
	pub commitments: Vec<Commitment>,
}

/// Splits `secret` into one share per custodian (threshold `threshold`), seals each to the
/// owner's key (inner layer) and then to its custodian, and commits to each inner ciphertext.
/// Slot `i` is `custodians[i]`; its context is
/// `ShareContext::new(genesis, escrow, generation, i)`.
///
/// Refuses `2 <= threshold <= n <= 255` violations, an empty secret, the same custodian key in
/// two slots, and low-order custodian keys.
///
/// # Panics
/// If the operating system cannot provide randomness.
pub fn seal_escrow(
	secret: &[u8],
	threshold: u8,
	custodians: &[X25519PublicKey],
	protection: &ProtectionKey,
	genesis: H256,
	escrow: EscrowId,
	generation: u32,
) -> Result<SealedEscrow> {
	let n = u8::try_from(custodians.len())
		.map_err(|_| Error::InvalidThreshold { threshold, n: custodians.len() })?;
	// One custodian holding two shares would quietly lower the threshold.
	for (second, public) in custodians.iter().enumerate() {
		if let Some(first) = custodians[..second].iter().position(|p| p == public) {
			return Err(Error::DuplicateCustodian { first, second });
		}
	}
	let shares = split(secret, threshold, n)?;
	let mut sealed = Vec::with_capacity(shares.len());
	let mut commitments = Vec::with_capacity(shares.len());
	for ((index, share), public) in (0u32..).zip(&shares).zip(custodians) {
		let ctx = ShareContext::new(genesis, escrow, generation, index);
		let inner = seal_inner(protection, &ctx, share);
		commitments.push(commitment(&ctx, &inner));
		sealed.push(seal_to_custodian(public, &ctx, &inner)?);
	}
	Ok(SealedEscrow { sealed, commitments })
}

/// Opens one released share: the release layer with the one-time key, then the commitment on
/// chain, then the inner layer with the passphrase key, then the slot. The first check that
/// fails names who is to blame (see [`ShareFault`]).
pub fn open_released_share(
	one_time: &OneTimeKey,
	protection: &ProtectionKey,
	ctx: &ShareContext,
	release: &ReleasedShare,
	expected_commitment: &Commitment,
) -> Result<Share, ShareFault> {
	let slot = ctx.index;
	let inner = open_release(one_time, ctx, release).map_err(|e| match e {
		Error::UnsupportedVersion { found } => ShareFault::UnsupportedVersion { slot, found },
		_ => ShareFault::ReleaseDoesNotOpen { slot },
	})?;
	// Public values, so a plain comparison is fine.
	if commitment(ctx, &inner) != *expected_commitment {
		return Err(ShareFault::CommitmentMismatch { slot });
	}
	open_inner(protection, ctx, &inner).map_err(|e| match e {
		Error::UnsupportedVersion { found } => ShareFault::UnsupportedVersion { slot, found },
		Error::WrongSlot { x, expected, .. } => ShareFault::WrongIndex { slot, x, expected },
		_ => ShareFault::InnerDoesNotOpen { slot },
	})
}
