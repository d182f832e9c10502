//! The two group elements that travel: the requester's blinded input and a custodian's
//! evaluation of it.
//!
//! Both hold the decoded point next to its canonical 32-byte encoding, so neither is encoded
//! or decoded twice, and neither can hold the identity: decoding refuses it (RFC 9497 section
//! 4.1 `DeserializeElement`), and the functions that make them never produce it.

use core::fmt;

use curve25519_dalek::RistrettoPoint;
use custos_primitives::H256;

use super::suite::{deserialize_element, serialize_element, ELEMENT_LEN};
use crate::{Error, Result};

/// A ristretto255 element other than the identity, decoded and encoded.
#[derive(Clone, Copy)]
pub(crate) struct Element {
	pub(crate) point: RistrettoPoint,
	pub(crate) bytes: [u8; ELEMENT_LEN],
}

impl Element {
	/// From a point the caller knows is not the identity.
	pub(crate) fn from_point(point: RistrettoPoint) -> Self {
		Self { bytes: serialize_element(&point), point }
	}

	fn decode(bytes: &[u8; ELEMENT_LEN], what: &'static str) -> Result<Self> {
		let point = deserialize_element(bytes).ok_or(Error::OprfInvalidElement { what })?;
		Ok(Self { point, bytes: *bytes })
	}
}

impl PartialEq for Element {
	fn eq(&self, other: &Self) -> bool {
		// The encoding is canonical, so equal points have equal bytes.
		self.bytes == other.bytes
	}
}

impl Eq for Element {}

macro_rules! element_type {
	($(#[$doc:meta])* $name:ident, $what:literal) => {
		$(#[$doc])*
		#[derive(Clone, Copy, PartialEq, Eq)]
		pub struct $name(pub(crate) Element);

		impl $name {
			/// Length of the encoding.
			pub const LEN: usize = ELEMENT_LEN;

			/// Decodes the 32-byte ristretto255 encoding; refuses a non-canonical encoding and
			/// the identity.
			pub fn from_bytes(bytes: &[u8; Self::LEN]) -> Result<Self> {
				Element::decode(bytes, $what).map(Self)
			}

			/// The 32-byte ristretto255 encoding.
			pub const fn to_bytes(&self) -> [u8; Self::LEN] {
				self.0.bytes
			}

			/// The 32-byte ristretto255 encoding, borrowed.
			pub const fn as_bytes(&self) -> &[u8; Self::LEN] {
				&self.0.bytes
			}
		}

		impl TryFrom<[u8; ELEMENT_LEN]> for $name {
			type Error = Error;

			fn try_from(bytes: [u8; ELEMENT_LEN]) -> Result<Self> {
				Self::from_bytes(&bytes)
			}
		}

		impl TryFrom<H256> for $name {
			type Error = Error;

			fn try_from(bytes: H256) -> Result<Self> {
				Self::from_bytes(&bytes.0)
			}
		}

		impl From<$name> for H256 {
			fn from(element: $name) -> Self {
				H256(element.0.bytes)
			}
		}

		impl fmt::Debug for $name {
			fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
				f.write_str(concat!(stringify!($name), "("))?;
				crate::fmt_hex(&self.0.bytes, f)?;
				f.write_str(")")
			}
		}
	};
}

element_type!(
	/// The requester's blinded input `B = r·HashToGroup(input)`, which every custodian
	/// evaluates. Public: it reveals nothing about the input without the blind.
	BlindedElement,
	"blinded element"
);

element_type!(
	/// A custodian's evaluation `Z_i = k_i·B` of a [`BlindedElement`] under its key share.
	EvaluatedElement,
	"evaluated element"
);
