//! The conversions every public 32-byte value of the envelope has: from its bytes, to and
//! from the chain's [`H256`](custos_primitives::H256), and a `0x`-hex `Debug`.

/// Implements `From<[u8; 32]>`, `From<H256>`, `From<Self> for H256` and a hex `Debug` for a
/// tuple struct over `[u8; 32]`.
macro_rules! public_bytes32 {
	($ty:ident) => {
		impl From<[u8; 32]> for $ty {
			fn from(bytes: [u8; 32]) -> Self {
				Self(bytes)
			}
		}

		impl From<custos_primitives::H256> for $ty {
			fn from(hash: custos_primitives::H256) -> Self {
				Self(hash.0)
			}
		}

		impl From<$ty> for custos_primitives::H256 {
			fn from(value: $ty) -> Self {
				custos_primitives::H256(value.0)
			}
		}

		impl core::fmt::Debug for $ty {
			fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
				f.write_str(concat!(stringify!($ty), "("))?;
				crate::fmt_hex(&self.0, f)?;
				f.write_str(")")
			}
		}
	};
}
pub(crate) use public_bytes32;
