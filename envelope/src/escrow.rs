//! The client's two entry points: seal a whole escrow (with its threshold OPRF key), and open
//! one released share with every check in order.

use custos_primitives::{EscrowId, H256};

use crate::{
	commitment, open_inner, open_release,
	oprf::{split_key, OprfKey, OprfPublicKey},
	seal_inner, seal_to_custodian, split, Commitment, CustodianShare, Error, OneTimeKey,
	PassphraseHash, ProtectionKey, ReleasedShare, Result, SealedShare, Share, ShareContext,
	ShareFault, X25519PublicKey,
};

/// What [`seal_escrow`] makes: per slot, the share sealed to its custodian, the commitment to
/// its inner ciphertext and the public key of its OPRF key share. All public: the chain stores
/// them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SealedEscrow {
	/// `sealed[i]` goes to the custodian of slot `i`.
	pub sealed: Vec<SealedShare>,
	/// `commitments[i]` is the commitment to slot `i`'s inner ciphertext.
	pub commitments: Vec<Commitment>,
	/// `oprf_keys[i]` is `K_i = k_i·G`, against which slot `i`'s evaluations are checked.
	pub oprf_keys: Vec<OprfPublicKey>,
}

/// Escrows `secret` under the hardened passphrase `hash` (protocol v2):
///
/// 1. draws a fresh OPRF key `k`, splits it `threshold`-of-`n` over the ristretto255 scalar
///    field and computes `y = OPRF_k(h)` with the whole key;
/// 2. derives the protection key `P = HKDF(h || y)` and forgets `k`;
/// 3. splits `secret` into one Shamir share per custodian, seals each under `P` (inner layer),
///    commits to each inner ciphertext, and seals `k_i || inner` to custodian `i`.
///
/// Slot `i` is `custodians[i]`; its context is `ShareContext::new(genesis, escrow, generation,
/// i)`. Returns the public parts and `P` (the owner derives the recovery key from it).
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
	hash: &PassphraseHash,
	genesis: H256,
	escrow: EscrowId,
	generation: u32,
) -> Result<(SealedEscrow, ProtectionKey)> {
	let n = u8::try_from(custodians.len())
		.map_err(|_| Error::InvalidThreshold { threshold, n: custodians.len() })?;
	// One custodian holding two shares would quietly lower the threshold.
	for (second, public) in custodians.iter().enumerate() {
		if let Some(first) = custodians[..second].iter().position(|p| p == public) {
			return Err(Error::DuplicateCustodian { first, second });
		}
	}
	let shares = split(secret, threshold, n)?;
	let oprf_key = OprfKey::generate();
	let oprf_shares = split_key(&oprf_key, threshold, n)?;
	let protection = ProtectionKey::from_oprf(hash, &oprf_key.evaluate_unblinded(hash.as_bytes())?);
	drop(oprf_key);

	let mut sealed = Vec::with_capacity(shares.len());
	let mut commitments = Vec::with_capacity(shares.len());
	let mut oprf_keys = Vec::with_capacity(shares.len());
	for (((index, share), oprf_share), public) in
		(0u32..).zip(&shares).zip(oprf_shares).zip(custodians)
	{
		let ctx = ShareContext::new(genesis, escrow, generation, index);
		let inner = seal_inner(&protection, &ctx, share);
		commitments.push(commitment(&ctx, &inner));
		oprf_keys.push(oprf_share.public());
		let custodian_share = CustodianShare { oprf_key: oprf_share, inner };
		sealed.push(seal_to_custodian(public, &ctx, &custodian_share)?);
	}
	Ok((SealedEscrow { sealed, commitments, oprf_keys }, protection))
}

/// Opens one released share: the release layer with the one-time key, then the commitment on
/// chain, then the inner layer with the protection key, then the slot. The first check that
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
