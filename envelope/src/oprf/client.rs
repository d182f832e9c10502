//! The requester's side: RFC 9497 `Blind`, then the threshold combination of `t` checked
//! evaluations (Lagrange interpolation at 0 in the exponent), unblinding and `Finalize`.

use core::fmt;

use curve25519_dalek::{traits::Identity, RistrettoPoint, Scalar};
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use super::{
	element::{BlindedElement, Element},
	evaluate::{verify, Evaluation},
	key::{share_x, OprfPublicKey},
	output::{check_input_len, finalize_hash, OprfOutput},
	suite::{hash_to_group, random_scalar, MODE_VOPRF},
};
use crate::{random, Error, Result};

/// The secret blinding scalar `r` of one request. Keep it until the evaluations are back, use
/// it once, drop it. Zeroized on drop; `Debug` never shows it.
#[derive(Zeroize, ZeroizeOnDrop)]
pub struct Blind(pub(crate) Scalar);

impl fmt::Debug for Blind {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		f.write_str("Blind(<secret>)")
	}
}

/// RFC 9497 `Blind` (VOPRF mode): a random non-zero `r` and `B = r·HashToGroup(input)`. Send
/// the [`BlindedElement`] to the custodians; keep the [`Blind`].
///
/// Refuses an input longer than 65535 bytes (which `Finalize` could not frame) and, as the
/// RFC requires, an input that hashes to the identity.
///
/// # Panics
/// If the operating system cannot provide randomness.
pub fn blind(input: &[u8]) -> Result<(Blind, BlindedElement)> {
	blind_with_scalar(MODE_VOPRF, input, Blind(random_scalar(&mut random::fill)))
}

/// `Blind` with the blinding scalar given (known-answer tests; `mode` lets them check the
/// OPRF-mode vectors too).
pub(crate) fn blind_with_scalar(
	mode: u8,
	input: &[u8],
	blind: Blind,
) -> Result<(Blind, BlindedElement)> {
	check_input_len(input)?;
	let input_element = hash_to_group(mode, input);
	if *input_element == RistrettoPoint::identity() {
		return Err(Error::OprfInputIsIdentity);
	}
	// r ≠ 0 and HashToGroup(input) ≠ identity in a prime-order group, so B ≠ identity.
	let blinded = blind.0 * *input_element;
	Ok((blind, BlindedElement(Element::from_point(blinded))))
}

/// The hash of RFC 9497 `Finalize` (OPRF and VOPRF modes) after unblinding:
/// `Hash(I2OSP(len(input), 2) || input || I2OSP(len(unblindedElement), 2) || unblindedElement
/// || "Finalize")` with `unblindedElement = SerializeElement(r⁻¹·Z)`.
pub(crate) fn unblind_and_hash(
	input: &[u8],
	blind: &Blind,
	evaluated: &RistrettoPoint,
) -> Result<OprfOutput> {
	let inverse = Zeroizing::new(blind.0.invert());
	let unblinded = Zeroizing::new(*inverse * evaluated);
	finalize_hash(input, &unblinded)
}

/// RFC 9497 `Finalize` in VOPRF mode for one server: `VerifyProof` of its evaluation against
/// `pkS`, then unblinding and the hash. The threshold protocol instead checks every slot's
/// evaluation and combines them ([`combine_and_finalize`]); this is the RFC function itself,
/// for the known-answer tests.
#[cfg(test)]
pub(crate) fn finalize(
	input: &[u8],
	blind: &Blind,
	evaluation: &Evaluation,
	blinded: &BlindedElement,
	public: &OprfPublicKey,
) -> Result<OprfOutput> {
	verify(evaluation, public, blinded)?;
	unblind_and_hash(input, blind, &evaluation.element.0.point)
}

/// The Lagrange coefficients at 0 of the Shamir x values `slot + 1` of distinct `slots`:
/// `λ_j = Π_{m≠j} x_m / (x_m - x_j)`. Public values, computed in variable time.
pub(crate) fn lagrange_at_zero(slots: &[u32]) -> Vec<Scalar> {
	let xs: Vec<Scalar> = slots.iter().map(|&slot| share_x(slot)).collect();
	xs.iter()
		.enumerate()
		.map(|(j, x_j)| {
			let (numerator, denominator) = xs
				.iter()
				.enumerate()
				.filter(|&(m, _)| m != j)
				.fold((Scalar::ONE, Scalar::ONE), |(num, den), (_, x_m)| {
					(num * x_m, den * (x_m - x_j))
				});
			// Distinct slots have distinct x, so the denominator is not zero.
			numerator * denominator.invert()
		})
		.collect()
}

/// Completes a threshold evaluation: checks every evaluation's proof against the public key it
/// is paired with (the one the chain records for that slot), combines them with Lagrange
/// coefficients at 0 into `Z = k·B`, unblinds `N = r⁻¹·Z` and returns RFC 9497
/// `Finalize`'s `Hash(I2OSP(len(input), 2) || input || I2OSP(32, 2) || N || "Finalize")`.
///
/// `input`, `blind` and `blinded` are those of the [`blind`] call the evaluations answer.
/// Needs evaluations from at least `threshold` (at least 2) distinct slots, and uses all that
/// are given; it never returns an output from fewer. Errors name the slot at fault: a
/// duplicate slot, an invalid public key, a proof that does not verify. Evaluations that do
/// not decode are refused, naming their slot, by [`Evaluation::from_bytes`].
pub fn combine_and_finalize(
	input: &[u8],
	blind: &Blind,
	blinded: &BlindedElement,
	evaluations: &[(Evaluation, OprfPublicKey)],
	threshold: u8,
) -> Result<OprfOutput> {
	if threshold < 2 {
		return Err(Error::InvalidThreshold { threshold, n: evaluations.len() });
	}
	check_input_len(input)?;
	let mut slots: Vec<u32> = Vec::with_capacity(evaluations.len());
	for (evaluation, _) in evaluations {
		if slots.contains(&evaluation.slot) {
			return Err(Error::OprfDuplicateSlot { slot: evaluation.slot });
		}
		slots.push(evaluation.slot);
	}
	if evaluations.len() < usize::from(threshold) {
		return Err(Error::OprfTooFewEvaluations { got: evaluations.len(), threshold });
	}
	for (evaluation, public) in evaluations {
		verify(evaluation, public, blinded)?;
	}
	let combined: RistrettoPoint = lagrange_at_zero(&slots)
		.iter()
		.zip(evaluations)
		.map(|(lambda, (evaluation, _))| lambda * evaluation.element.0.point)
		.sum();
	unblind_and_hash(input, blind, &combined)
}
