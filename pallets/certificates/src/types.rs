//! Types stored by the certificates pallet, and the view the runtime API returns.
//!
//! The stored structs are generic over their parts (account, block number, key list) and are
//! concretised with the `…Of<T>` aliases in the crate root, so the derives need no extra bounds.

use super::*;

/// What the chain records about a certificate authority.
#[derive(
	Clone, Eq, PartialEq, Encode, Decode, DecodeWithMemTracking, Debug, TypeInfo, MaxEncodedLen,
)]
pub struct AuthorityInfo<BlockNumber> {
	/// The block at which the account became an authority.
	pub added_at: BlockNumber,
}

// Shared with the client and the RPC views, so defined once in the primitives.
pub use custos_primitives::RevocationReason;

/// The revocation record of a certificate. A revoked certificate never counts again.
#[derive(
	Clone, Eq, PartialEq, Encode, Decode, DecodeWithMemTracking, Debug, TypeInfo, MaxEncodedLen,
)]
pub struct Revocation<AccountId, BlockNumber> {
	/// The block at which the certificate was revoked.
	pub at: BlockNumber,
	/// Why it was revoked.
	pub reason: RevocationReason,
	/// Who revoked it: an authority or the subject.
	pub by: AccountId,
}

/// A certificate: binds a subject account, a role and public keys, issued by an authority for a
/// validity window `[valid_from, valid_until)`.
#[derive(
	Clone, Eq, PartialEq, Encode, Decode, DecodeWithMemTracking, Debug, TypeInfo, MaxEncodedLen,
)]
pub struct Certificate<AccountId, BlockNumber, Keys> {
	/// The account the certificate is about.
	pub subject: AccountId,
	/// What the certificate lets the subject do.
	pub role: Role,
	/// The authority that issued it (and paid its storage deposit).
	pub issuer: AccountId,
	/// The bound public keys, without duplicates. A `Custodian` certificate has exactly one
	/// X25519 key.
	pub keys: Keys,
	/// Optional software measurement: the hash of the node build the subject runs.
	pub measurement: Option<H256>,
	/// The block at which it was issued.
	pub issued_at: BlockNumber,
	/// The first block at which it is valid.
	pub valid_from: BlockNumber,
	/// The first block at which it is no longer valid.
	pub valid_until: BlockNumber,
	/// Set once the certificate is revoked.
	pub revocation: Option<Revocation<AccountId, BlockNumber>>,
}

impl<AccountId, BlockNumber: PartialOrd, Keys> Certificate<AccountId, BlockNumber, Keys> {
	/// Whether the certificate is unrevoked and `at` lies inside its validity window. This
	/// ignores whether the issuer is still an authority (see [`Pallet::is_certificate_valid`]).
	pub fn in_window_unrevoked(&self, at: &BlockNumber) -> bool {
		self.revocation.is_none() && self.valid_from <= *at && *at < self.valid_until
	}

	/// Whether the certificate is revoked, or expired at `now`: it can never count again.
	pub fn is_dead(&self, now: &BlockNumber) -> bool {
		self.revocation.is_some() || *now >= self.valid_until
	}
}

impl<AccountId, BlockNumber, Keys: AsRef<[PublicKey]>> Certificate<AccountId, BlockNumber, Keys> {
	/// The X25519 key bound by the certificate, if any.
	pub fn x25519_key(&self) -> Option<H256> {
		self.keys.as_ref().iter().find_map(PublicKey::x25519)
	}
}

/// A recovery authorization record: `issuer` lets a requester recover an escrow until
/// `expires_at` (exclusive).
#[derive(
	Clone, Eq, PartialEq, Encode, Decode, DecodeWithMemTracking, Debug, TypeInfo, MaxEncodedLen,
)]
pub struct RecoveryAuthorization<AccountId, BlockNumber> {
	/// The authority or attestor that issued the record (and paid its storage deposit).
	pub issuer: AccountId,
	/// The block at which the record was written.
	pub issued_at: BlockNumber,
	/// The first block at which the record no longer counts.
	pub expires_at: BlockNumber,
}

/// A certificate as the runtime API returns it: its id, its fields and whether it is valid at
/// the block the API is called at.
#[derive(Clone, Eq, PartialEq, Encode, Decode, DecodeWithMemTracking, Debug, TypeInfo)]
pub struct CertificateView<AccountId, BlockNumber> {
	/// The certificate's id.
	pub id: CertificateId,
	/// The account the certificate is about.
	pub subject: AccountId,
	/// What the certificate lets the subject do.
	pub role: Role,
	/// The authority that issued it.
	pub issuer: AccountId,
	/// The bound public keys.
	pub keys: Vec<PublicKey>,
	/// Optional software measurement: the hash of the node build.
	pub measurement: Option<H256>,
	/// The block at which it was issued.
	pub issued_at: BlockNumber,
	/// The first block at which it is valid.
	pub valid_from: BlockNumber,
	/// The first block at which it is no longer valid.
	pub valid_until: BlockNumber,
	/// The revocation record, if revoked.
	pub revocation: Option<Revocation<AccountId, BlockNumber>>,
	/// Whether the certificate is valid now: unrevoked, inside its window, issuer still an
	/// authority.
	pub valid: bool,
}

/// Serde for the genesis certificate list.
///
/// [`Role`] and [`PublicKey`] live in `custos-primitives`, which has no serde, so the genesis
/// config serializes them through mirror enums with the same variant names: a role is
/// `"Custodian"`, a key is `{"X25519": "0x…"}`.
pub mod genesis_serde {
	use super::*;
	use frame::derive::serde::{
		de::DeserializeOwned, Deserialize, Deserializer, Serialize, Serializer,
	};

	#[derive(Serialize, Deserialize)]
	#[serde(crate = "frame::derive::serde")]
	enum RoleRepr {
		Custodian,
		Validator,
		Attestor,
	}

	#[derive(Serialize, Deserialize)]
	#[serde(crate = "frame::derive::serde")]
	enum KeyRepr {
		Sr25519(H256),
		Ed25519(H256),
		X25519(H256),
	}

	impl From<Role> for RoleRepr {
		fn from(r: Role) -> Self {
			match r {
				Role::Custodian => RoleRepr::Custodian,
				Role::Validator => RoleRepr::Validator,
				Role::Attestor => RoleRepr::Attestor,
			}
		}
	}

	impl From<RoleRepr> for Role {
		fn from(r: RoleRepr) -> Self {
			match r {
				RoleRepr::Custodian => Role::Custodian,
				RoleRepr::Validator => Role::Validator,
				RoleRepr::Attestor => Role::Attestor,
			}
		}
	}

	impl From<PublicKey> for KeyRepr {
		fn from(k: PublicKey) -> Self {
			match k {
				PublicKey::Sr25519(h) => KeyRepr::Sr25519(h),
				PublicKey::Ed25519(h) => KeyRepr::Ed25519(h),
				PublicKey::X25519(h) => KeyRepr::X25519(h),
			}
		}
	}

	impl From<KeyRepr> for PublicKey {
		fn from(k: KeyRepr) -> Self {
			match k {
				KeyRepr::Sr25519(h) => PublicKey::Sr25519(h),
				KeyRepr::Ed25519(h) => PublicKey::Ed25519(h),
				KeyRepr::X25519(h) => PublicKey::X25519(h),
			}
		}
	}

	/// Serialize `(issuer, subject, role, keys, valid_for)` entries.
	pub fn serialize<S, A, B>(
		entries: &Vec<(A, A, Role, Vec<PublicKey>, B)>,
		serializer: S,
	) -> Result<S::Ok, S::Error>
	where
		S: Serializer,
		A: Serialize,
		B: Serialize,
	{
		let repr: Vec<(&A, &A, RoleRepr, Vec<KeyRepr>, &B)> = entries
			.iter()
			.map(|(issuer, subject, role, keys, valid_for)| {
				(
					issuer,
					subject,
					RoleRepr::from(*role),
					keys.iter().copied().map(KeyRepr::from).collect(),
					valid_for,
				)
			})
			.collect();
		repr.serialize(serializer)
	}

	/// Deserialize `(issuer, subject, role, keys, valid_for)` entries.
	pub fn deserialize<'de, D, A, B>(
		deserializer: D,
	) -> Result<Vec<(A, A, Role, Vec<PublicKey>, B)>, D::Error>
	where
		D: Deserializer<'de>,
		A: DeserializeOwned,
		B: DeserializeOwned,
	{
		let repr = Vec::<(A, A, RoleRepr, Vec<KeyRepr>, B)>::deserialize(deserializer)?;
		Ok(repr
			.into_iter()
			.map(|(issuer, subject, role, keys, valid_for)| {
				(
					issuer,
					subject,
					role.into(),
					keys.into_iter().map(Into::into).collect(),
					valid_for,
				)
			})
			.collect())
	}
}
