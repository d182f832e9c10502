//! The custodian's side: RFC 9497 `BlindEvaluate` in VOPRF mode with its key share as the
//! server key, and the check of one evaluation that the requester runs.

use curve25519_dalek::{constants::RISTRETTO_BASEPOINT_POINT, RistrettoPoint, Scalar};

use super::{
	dleq::{generate_proof, verify_proof, Proof},
	element::{BlindedElement, Element, EvaluatedElement},
	key::{OprfKeyShare, OprfPublicKey},
	suite::MODE_VOPRF,
};
use crate::{random, Error, Result};

/// One custodian's answer to a [`BlindedElement`]: its slot, `Z_i = k_i·B`, and the proof
/// that `Z_i` used the `k_i` behind the slot's public key `K_i`.
///
/// Encoded (without the slot, which the channel names) as `element || proof`, 96 bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Evaluation {
	/// The 0-based custodian slot that evaluated.
	pub slot: u32,
	/// `Z_i = k_i·B`.
	pub element: EvaluatedElement,
	/// The DLEQ proof that `log_G(K_i) = log_B(Z_i)`.
	pub proof: Proof,
}

impl Evaluation {
	/// Length of [`Evaluation::to_bytes`].
	pub const ENCODED_LEN: usize = EvaluatedElement::LEN + Proof::LEN;

	/// `element || proof`.
	pub fn to_bytes(&self) -> [u8; Self::ENCODED_LEN] {
		let mut out = [0u8; Self::ENCODED_LEN];
		out[..EvaluatedElement::LEN].copy_from_slice(self.element.as_bytes());
		out[EvaluatedElement::LEN..].copy_from_slice(&self.proof.to_bytes());
		out
	}

	/// Decodes what slot `slot` served. Refuses a wrong length, an element that is not a
	/// canonical encoding or is the identity, and non-canonical proof scalars, naming the slot.
	pub fn from_bytes(slot: u32, bytes: &[u8]) -> Result<Self> {
		let invalid = |what| Error::OprfInvalidEvaluation { slot, what };
		let bytes: &[u8; Self::ENCODED_LEN] =
			bytes.try_into().map_err(|_| invalid("it is not 96 bytes (element || proof)"))?;
		let (element, proof) = bytes.split_at(EvaluatedElement::LEN);
		let element =
			EvaluatedElement::from_bytes(element.try_into().expect("32 bytes")).map_err(|_| {
				invalid("its element is not a canonical non-identity ristretto255 encoding")
			})?;
		let proof = Proof::from_bytes(proof.try_into().expect("64 bytes"))
			.map_err(|_| invalid("its proof scalars are not canonical"))?;
		Ok(Self { slot, element, proof })
	}
}

/// RFC 9497 `BlindEvaluate` (VOPRF mode) with the key share as server key `skS` and its public
/// key as `pkS`: `Z_i = k_i·B` and `GenerateProof(k_i, G, K_i, [B], [Z_i])`.
///
/// A [`BlindedElement`] is never the identity (decoding refuses it), so there is nothing to
/// refuse here.
///
/// # Panics
/// If the operating system cannot provide randomness (for the proof).
pub fn evaluate(share: &OprfKeyShare, blinded: &BlindedElement) -> Evaluation {
	evaluate_with(share, blinded, &mut random::fill)
}

pub(crate) fn evaluate_with(
	share: &OprfKeyShare,
	blinded: &BlindedElement,
	fill: &mut dyn FnMut(&mut [u8]),
) -> Evaluation {
	let (element, proof) = blind_evaluate(&share.scalar, &blinded.0.point, fill);
	Evaluation { slot: share.index, element, proof }
}

/// `BlindEvaluate(skS, blindedElement)` of RFC 9497 section 3.3.2, with `pkS = skS·G`.
pub(crate) fn blind_evaluate(
	sk: &Scalar,
	blinded: &RistrettoPoint,
	fill: &mut dyn FnMut(&mut [u8]),
) -> (EvaluatedElement, Proof) {
	let pk = RistrettoPoint::mul_base(sk);
	// k_i ≠ 0 and B ≠ identity in a prime-order group, so Z_i ≠ identity.
	let evaluated = sk * blinded;
	let proof = generate_proof(
		MODE_VOPRF,
		sk,
		&RISTRETTO_BASEPOINT_POINT,
		&pk,
		&[*blinded],
		&[evaluated],
		fill,
	);
	(EvaluatedElement(Element::from_point(evaluated)), proof)
}

/// Checks one evaluation: `VerifyProof(G, K_i, [B], [Z_i], proof)` against the public key
/// recorded for the evaluation's slot and the blinded element that was sent.
///
/// Errors name the slot: [`Error::OprfInvalidPublicKey`] if `public` is not a valid element
/// other than the identity, [`Error::OprfProofInvalid`] if the proof fails (another key,
/// altered, or an answer to another blinded element).
pub fn verify(
	evaluation: &Evaluation,
	public: &OprfPublicKey,
	blinded: &BlindedElement,
) -> Result<()> {
	let slot = evaluation.slot;
	let pk = public.decode().ok_or(Error::OprfInvalidPublicKey { slot })?;
	let valid = verify_proof(
		MODE_VOPRF,
		&RISTRETTO_BASEPOINT_POINT,
		&pk,
		&[blinded.0.point],
		&[evaluation.element.0.point],
		&evaluation.proof,
	);
	if valid {
		Ok(())
	} else {
		Err(Error::OprfProofInvalid { slot })
	}
}
