//! The envelopes a share travels in, as distinct types so one cannot be passed where another
//! is meant: [`InnerCiphertext`] (the owner's layer), [`SealedShare`] (that, sealed to a
//! custodian) and [`ReleasedShare`] (that, released to a requester's one-time key).
//!
//! All three are public data (the chain or a custodian holds them), but their `Debug` shows
//! only their length: they are long and of no use to read.

use core::fmt;

/// Defines a newtype over `Vec<u8>` for one kind of envelope.
macro_rules! envelope_bytes {
	($(#[$doc:meta])* $name:ident) => {
		$(#[$doc])*
		#[derive(Clone, PartialEq, Eq)]
		pub struct $name(Vec<u8>);

		impl $name {
			/// The envelope's bytes, borrowed.
			pub fn as_bytes(&self) -> &[u8] {
				&self.0
			}

			/// The envelope's bytes.
			pub fn into_bytes(self) -> Vec<u8> {
				self.0
			}

			/// Length in bytes.
			pub fn len(&self) -> usize {
				self.0.len()
			}

			/// Whether there are no bytes at all (never so for an envelope this crate made).
			pub fn is_empty(&self) -> bool {
				self.0.is_empty()
			}
		}

		impl From<Vec<u8>> for $name {
			/// Wraps bytes as they were stored or received; opening checks them.
			fn from(bytes: Vec<u8>) -> Self {
				Self(bytes)
			}
		}

		impl fmt::Debug for $name {
			fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
				write!(f, concat!(stringify!($name), "({} bytes)"), self.0.len())
			}
		}
	};
}

envelope_bytes!(
	/// A share encrypted to the owner's passphrase key ([`seal_inner`](crate::seal_inner)):
	/// `[VERSION] [nonce: 24] [ciphertext || tag: 16]`. The chain commits to it; only the owner
	/// can open it.
	InnerCiphertext
);

envelope_bytes!(
	/// An [`InnerCiphertext`] sealed to a custodian's X25519 key
	/// ([`seal_to_custodian`](crate::seal_to_custodian)):
	/// `[VERSION] [encapsulated key: 32] [ciphertext || tag: 16]`.
	SealedShare
);

envelope_bytes!(
	/// An [`InnerCiphertext`] released by a custodian to a requester's one-time key
	/// ([`seal_release`](crate::seal_release)), in the same format as a [`SealedShare`].
	ReleasedShare
);

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn bytes_round_trip_and_debug_shows_only_type_and_length() {
		let bytes: Vec<u8> = (0xa0..0xb0).collect();
		let inner = InnerCiphertext::from(bytes.clone());
		assert_eq!(inner.as_bytes(), bytes.as_slice());
		assert_eq!((inner.len(), inner.is_empty()), (16, false));
		assert_eq!(format!("{inner:?}"), "InnerCiphertext(16 bytes)");
		assert_eq!(inner.clone().into_bytes(), bytes);
		assert_eq!(format!("{:?}", SealedShare::from(bytes.clone())), "SealedShare(16 bytes)");
		assert_eq!(format!("{:?}", ReleasedShare::from(Vec::new())), "ReleasedShare(0 bytes)");
		assert!(ReleasedShare::from(Vec::new()).is_empty());
	}
}
