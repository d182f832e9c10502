//! `0x`-hex JSON forms of fixed-size byte arrays.

/// `serde(with = "crate::hex::array")` for `[u8; N]`.
#[cfg(feature = "serde")]
pub mod array {
	use sp_core::bytes;

	/// Writes the array as `0x`-hex.
	pub fn serialize<S: serde::Serializer, const N: usize>(
		value: &[u8; N],
		s: S,
	) -> Result<S::Ok, S::Error> {
		bytes::serialize(value, s)
	}

	/// Reads exactly `N` bytes of `0x`-hex.
	pub fn deserialize<'de, D: serde::Deserializer<'de>, const N: usize>(
		d: D,
	) -> Result<[u8; N], D::Error> {
		let mut out = [0u8; N];
		bytes::deserialize_check_len(d, bytes::ExpectedLen::Exact(&mut out))?;
		Ok(out)
	}
}
