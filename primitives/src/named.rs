//! Stable text names for the enums people type and read (`sr25519-seed`, `custodian`, ...).
//!
//! One table per enum serves the client's argument parsing and `--help`, the JSON views of
//! the RPC and `--json`, and human output, so the spellings cannot drift apart.

/// An enum with a fixed set of variants, each with one stable lower-case name.
pub trait Named: Sized + Copy + 'static {
	/// Every variant, in declaration order.
	const ALL: &'static [Self];

	/// The variant's name.
	fn name(&self) -> &'static str;

	/// The variant called `name` (ASCII case-insensitive).
	fn from_name(name: &str) -> Option<Self> {
		Self::ALL.iter().copied().find(|v| v.name().eq_ignore_ascii_case(name))
	}

	/// Every name, in declaration order (for `--help` and error messages).
	fn names() -> impl Iterator<Item = &'static str> {
		Self::ALL.iter().map(|v| v.name())
	}
}

/// The error of parsing a [`Named`] enum from text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownName {
	/// What was being parsed.
	pub what: &'static str,
	/// The names that would have been accepted.
	pub expected: &'static [&'static str],
}

impl core::fmt::Display for UnknownName {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		write!(f, "unknown {}: expected one of {}", self.what, self.expected.join(", "))
	}
}

/// Implements [`Named`], `Display`, `FromStr` and (with `serde`) `Serialize`/`Deserialize`
/// through the names for an enum of unit variants.
macro_rules! named_enum {
	($ty:ident, $what:literal, { $($variant:ident => $name:literal),+ $(,)? }) => {
		impl $crate::Named for $ty {
			const ALL: &'static [Self] = &[$($ty::$variant),+];
			fn name(&self) -> &'static str {
				match self { $($ty::$variant => $name),+ }
			}
		}

		impl core::fmt::Display for $ty {
			fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
				f.write_str($crate::Named::name(self))
			}
		}

		impl core::str::FromStr for $ty {
			type Err = $crate::UnknownName;
			fn from_str(s: &str) -> Result<Self, Self::Err> {
				<$ty as $crate::Named>::from_name(s)
					.ok_or($crate::UnknownName { what: $what, expected: &[$($name),+] })
			}
		}

		#[cfg(feature = "serde")]
		impl serde::Serialize for $ty {
			fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
				s.serialize_str($crate::Named::name(self))
			}
		}

		#[cfg(feature = "serde")]
		impl<'de> serde::Deserialize<'de> for $ty {
			fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
				let text = <alloc::string::String as serde::Deserialize>::deserialize(d)?;
				text.parse().map_err(serde::de::Error::custom)
			}
		}
	};
}
pub(crate) use named_enum;
