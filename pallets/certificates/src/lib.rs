//! # Certificates Pallet
//!
//! Certificate authorities, certificates for Custos's custodians, validators and attestors,
//! revocations, and the recovery authorization records that let a requester recover an escrow.
//!
//! ## Terminology
//!
//! - *Authority* (CA): an account in [`Authorities`], added and removed by root. Authorities
//!   issue, reissue and revoke certificates and issue recovery authorizations.
//! - *Certificate*: binds a `subject` account, a [`Role`], public keys ([`PublicKey`]), an
//!   optional software `measurement` (hash of the node build), the issuing authority and a
//!   validity window `[valid_from, valid_until)`. Ids ([`CertificateId`]) are never reused.
//! - *Current certificate*: the latest certificate issued to a subject for a role
//!   ([`CurrentCertificate`]). Only the current certificate is consulted by the queries.
//! - *Revocation*: a record with a [`RevocationReason`], block and revoker. Permanent.
//! - *Recovery authorization*: a record in [`Authorizations`] by which an authority or an
//!   attestor (its *issuer*) lets `requester` recover `escrow` until `expires_at`. Records are
//!   keyed by `(escrow, requester)` and issuer: each issuer writes, replaces and revokes only
//!   its own, so no issuer's record can keep another issuer (e.g. the authority an escrow's
//!   policy accepts) from authorizing the same requester. A consumer asks whether the issuer
//!   it accepts authorized the requester ([`CertificateInspect::recovery_authorized_by`]).
//!
//! ## Validity
//!
//! A certificate is valid at block `B` iff it is unrevoked, `valid_from <= B < valid_until`, and
//! its issuer is still an authority. A revoked certificate never counts again, nor does an
//! expired one at any later block. Removing an authority therefore invalidates every
//! certificate it issued (and the authorizations it issued) without touching them; adding it
//! back makes the unrevoked, unexpired ones count again.
//!
//! A recovery authorization counts at `B` iff `B < expires_at` and its issuer is an authority
//! or holds a valid `Attestor` certificate at `B`. Records of different issuers for the same
//! escrow and requester count independently.
//!
//! ## Deposits
//!
//! Every certificate and every authorization record holds a storage deposit from its issuer,
//! through the [`Config::CertificateConsideration`] and [`Config::AuthorizationConsideration`]
//! tickets (a `HoldConsideration` under [`HoldReason`] in the runtime). The deposit is returned
//! to the issuer in full when the record is removed: by [`Pallet::remove_certificate`] (anyone,
//! once the certificate is revoked or expired) or [`Pallet::revoke_authorization`] (the
//! record's issuer, or any authority once the record no longer counts).
//!
//! ## Scenario: a custodian joins and leaves
//!
//! 1. Root adds Carol as an authority with [`Pallet::add_authority`].
//! 2. Carol issues Dave a `Custodian` certificate with his X25519 key with
//!    [`Pallet::issue_certificate`]. From now on `custodian_key(Dave)` answers that key.
//! 3. Dave rotates his key: Carol calls [`Pallet::reissue_certificate`]; the old certificate is
//!    revoked as `Superseded` and the new one becomes current.
//! 4. Dave stops operating and revokes his own certificate with
//!    [`Pallet::revoke_certificate`] (`CessationOfOperation`).
//! 5. Anyone calls [`Pallet::remove_certificate`] on both certificates; Carol's deposits are
//!    released.
//!
//! ## API
//!
//! Calls: [`Pallet::add_authority`], [`Pallet::remove_authority`],
//! [`Pallet::issue_certificate`], [`Pallet::reissue_certificate`],
//! [`Pallet::revoke_certificate`], [`Pallet::remove_certificate`],
//! [`Pallet::authorize_recovery`], [`Pallet::revoke_authorization`].
//!
//! Reads: [`Pallet::certificate_status`], [`Pallet::is_valid`], [`Pallet::valid_custodians`],
//! [`Pallet::is_authority`], [`Pallet::certificate_view`], the [`CertificateInspect`] impl used
//! by other pallets, and the [`runtime_api::CertificatesApi`] runtime API.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

use alloc::vec::Vec;

use frame::deps::sp_runtime::traits::{IdentifyAccount, Verify};

use frame::{
	prelude::*,
	traits::{
		fungible::{Inspect, MutateHold},
		Consideration, Footprint,
	},
};

pub use custos_primitives::{
	CertificateId, CertificateInspect, EscrowId, PublicKey, Role, SealingKeyProof, H256,
};
pub use pallet::*;
pub use types::{
	AuthorityInfo, Certificate, CertificateView, RecoveryAuthorization, Revocation,
	RevocationReason,
};
pub use weights::WeightInfo;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;

pub mod runtime_api;
pub mod types;
pub mod weights;

/// The log target of this pallet.
pub const LOG_TARGET: &str = "runtime::certificates";

/// The source of an account id in a call (e.g. a `MultiAddress`).
pub type AccountIdLookupOf<T> = <<T as frame_system::Config>::Lookup as StaticLookup>::Source;
/// The balance type of [`Config::Currency`].
pub type BalanceOf<T> = <<T as Config>::Currency as Inspect<AccountIdFor<T>>>::Balance;
/// The bounded list of keys a certificate binds.
pub type KeysOf<T> = BoundedVec<PublicKey, <T as Config>::MaxKeys>;
/// A certificate as stored by the runtime `T`.
pub type CertificateOf<T> = Certificate<AccountIdFor<T>, BlockNumberFor<T>, KeysOf<T>>;
/// A revocation record as stored by the runtime `T`.
pub type RevocationOf<T> = Revocation<AccountIdFor<T>, BlockNumberFor<T>>;
/// A recovery authorization record as stored by the runtime `T`.
pub type RecoveryAuthorizationOf<T> = RecoveryAuthorization<AccountIdFor<T>, BlockNumberFor<T>>;
/// An authority record as stored by the runtime `T`.
pub type AuthorityInfoOf<T> = AuthorityInfo<BlockNumberFor<T>>;
/// A certificate view as returned by the runtime API of the runtime `T`.
pub type CertificateViewOf<T> = CertificateView<AccountIdFor<T>, BlockNumberFor<T>>;
/// A custodian's proof of possession of its sealing key, signed by the runtime `T`'s accounts.
pub type SealingKeyProofOf<T> = SealingKeyProof<<T as Config>::SubjectSignature>;
/// One genesis certificate: `(issuer, subject, role, keys, valid_for)`.
pub type GenesisCertificateOf<T> =
	(AccountIdFor<T>, AccountIdFor<T>, Role, Vec<PublicKey>, BlockNumberFor<T>);

#[frame::pallet]
pub mod pallet {
	use super::*;

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The overarching hold reason, which must include this pallet's [`HoldReason`].
		type RuntimeHoldReason: Parameter
			+ Member
			+ MaxEncodedLen
			+ Copy
			+ VariantCount
			+ From<HoldReason>;

		/// The currency the storage deposits are held in (by the considerations below).
		#[cfg(not(feature = "runtime-benchmarks"))]
		type Currency: MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>;
		/// The currency the storage deposits are held in (by the considerations below).
		/// Benchmarks also mint with it.
		#[cfg(feature = "runtime-benchmarks")]
		type Currency: MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>
			+ frame::traits::fungible::Mutate<Self::AccountId>;

		/// The source of the current block number, which validity windows are measured in.
		type BlockNumberProvider: BlockNumberProvider<BlockNumber = BlockNumberFor<Self>>;

		/// The storage deposit of a certificate, paid by its issuer (typically a
		/// `HoldConsideration` under [`HoldReason::CertificateStorage`]).
		type CertificateConsideration: Consideration<Self::AccountId, Footprint>;

		/// The storage deposit of a recovery authorization record, paid by its issuer
		/// (typically a `HoldConsideration` under [`HoldReason::AuthorizationStorage`]).
		type AuthorizationConsideration: Consideration<Self::AccountId, Footprint>;

		/// The maximum number of certificate authorities.
		#[pallet::constant]
		type MaxAuthorities: Get<u32>;

		/// DO NOT REDUCE THIS VALUE (stored certificates would no longer decode). The maximum
		/// number of public keys one certificate binds.
		#[pallet::constant]
		type MaxKeys: Get<u32>;

		/// The longest validity window of a certificate, in blocks.
		#[pallet::constant]
		type MaxValidity: Get<BlockNumberFor<Self>>;

		/// The longest lifetime of a recovery authorization record, in blocks.
		#[pallet::constant]
		type MaxAuthorizationValidity: Get<BlockNumberFor<Self>>;

		/// The signature a certificate's subject gives to consent to the sealing key bound to
		/// it (the runtime's account signature, e.g. `MultiSignature`).
		type SubjectSignature: Parameter + Verify<Signer: IdentifyAccount<AccountId = Self::AccountId>>;

		/// Weight information for extrinsics in this pallet.
		type WeightInfo: WeightInfo;

		/// Makes subjects and their signatures in benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<Self::AccountId, Self::SubjectSignature>;
	}

	/// The reasons this pallet holds funds for.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// Storage deposit of a certificate, held from its issuer.
		#[codec(index = 0)]
		CertificateStorage,
		/// Storage deposit of a recovery authorization record, held from its issuer.
		#[codec(index = 1)]
		AuthorizationStorage,
	}

	/// The certificate authorities.
	#[pallet::storage]
	pub type Authorities<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, AuthorityInfoOf<T>, OptionQuery>;

	/// The number of entries in [`Authorities`], at most [`Config::MaxAuthorities`].
	#[pallet::storage]
	pub type AuthorityCount<T: Config> = StorageValue<_, u32, ValueQuery>;

	/// The id the next certificate gets. Ids are never reused.
	#[pallet::storage]
	pub type NextCertificateId<T: Config> = StorageValue<_, CertificateId, ValueQuery>;

	/// All certificates not yet removed, with the storage deposit ticket of their issuer.
	#[pallet::storage]
	pub type Certificates<T: Config> = StorageMap<
		_,
		Twox64Concat,
		CertificateId,
		(CertificateOf<T>, T::CertificateConsideration),
		OptionQuery,
	>;

	/// The latest certificate of each subject and role (whether or not it is still valid).
	#[pallet::storage]
	pub type CurrentCertificate<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		Twox64Concat,
		Role,
		CertificateId,
		OptionQuery,
	>;

	/// Recovery authorization records by `(escrow, requester)` and issuer, with the storage
	/// deposit ticket of their issuer. At most one record per issuer for a pair; the records
	/// of all issuers of a pair iterate by its prefix.
	#[pallet::storage]
	pub type Authorizations<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		(EscrowId, T::AccountId),
		Blake2_128Concat,
		T::AccountId,
		(RecoveryAuthorizationOf<T>, T::AuthorizationConsideration),
		OptionQuery,
	>;

	/// The authorities and certificates a chain starts with.
	#[pallet::genesis_config]
	#[derive(DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// Accounts that are certificate authorities from genesis.
		pub authorities: Vec<T::AccountId>,
		/// Certificates issued at genesis, as `(issuer, subject, role, keys, valid_for)`. The
		/// issuer must be one of `authorities` and pays the deposit (its balance must be set by
		/// an earlier genesis, e.g. pallet-balances). Each is checked like
		/// [`Pallet::issue_certificate`]; any violation panics.
		#[serde(with = "crate::types::genesis_serde")]
		pub certificates: Vec<GenesisCertificateOf<T>>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			let now = T::BlockNumberProvider::current_block_number();
			for who in &self.authorities {
				Pallet::<T>::do_add_authority(who, now).unwrap_or_else(|e| {
					panic!("pallet-certificates genesis: cannot add authority {who:?}: {e:?}")
				});
			}
			for (index, (issuer, subject, role, keys, valid_for)) in
				self.certificates.iter().enumerate()
			{
				assert!(
					Authorities::<T>::contains_key(issuer),
					"pallet-certificates genesis: certificate #{index}: issuer {issuer:?} is not \
					 a genesis authority"
				);
				let keys: KeysOf<T> = keys.clone().try_into().unwrap_or_else(|_| {
					panic!(
						"pallet-certificates genesis: certificate #{index}: more than MaxKeys ({}) \
						 keys",
						T::MaxKeys::get()
					)
				});
				Pallet::<T>::ensure_no_live_certificate(subject, *role, now)
					.and_then(|()| {
						Pallet::<T>::do_issue(issuer, subject, *role, keys, None, *valid_for, now)
					})
					.unwrap_or_else(|e| {
						panic!(
							"pallet-certificates genesis: certificate #{index} ({role:?} for \
							 {subject:?} by {issuer:?}): {e:?}"
						)
					});
			}
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// An account became a certificate authority.
		AuthorityAdded {
			/// The new authority.
			who: T::AccountId,
		},
		/// An account stopped being a certificate authority; its certificates and
		/// authorizations no longer count.
		AuthorityRemoved {
			/// The former authority.
			who: T::AccountId,
		},
		/// A certificate was issued and became the subject's current one for its role.
		CertificateIssued {
			/// The new certificate's id.
			id: CertificateId,
			/// Its subject.
			subject: T::AccountId,
			/// Its role.
			role: Role,
			/// The issuing authority.
			issuer: T::AccountId,
			/// The first block at which it is no longer valid.
			valid_until: BlockNumberFor<T>,
		},
		/// A certificate was replaced by a new one (which was issued, and the old one revoked
		/// as `Superseded`, in the same call).
		CertificateReissued {
			/// The replaced certificate.
			old: CertificateId,
			/// The new certificate.
			new: CertificateId,
		},
		/// A certificate was revoked.
		CertificateRevoked {
			/// The revoked certificate.
			id: CertificateId,
			/// Why.
			reason: RevocationReason,
			/// Who revoked it.
			by: T::AccountId,
		},
		/// A revoked or expired certificate was removed and its deposit released.
		CertificateRemoved {
			/// The removed certificate.
			id: CertificateId,
		},
		/// A recovery authorization record was written (or its issuer's earlier record for the
		/// same escrow and requester replaced).
		RecoveryAuthorized {
			/// The escrow that may be recovered.
			escrow: EscrowId,
			/// The account that may recover it.
			requester: T::AccountId,
			/// The authority or attestor that authorized it.
			issuer: T::AccountId,
			/// The first block at which the record no longer counts.
			expires_at: BlockNumberFor<T>,
		},
		/// A recovery authorization record was removed and its deposit released to its issuer.
		AuthorizationRevoked {
			/// The escrow of the removed record.
			escrow: EscrowId,
			/// The requester of the removed record.
			requester: T::AccountId,
			/// The issuer of the removed record.
			issuer: T::AccountId,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The account is already a certificate authority.
		AlreadyAuthority,
		/// The account to remove is not a certificate authority.
		NotAnAuthority,
		/// There are already [`Config::MaxAuthorities`] authorities.
		TooManyAuthorities,
		/// The caller must be a certificate authority.
		CallerNotAuthority,
		/// A validity period of zero blocks.
		ZeroValidity,
		/// The validity period exceeds [`Config::MaxValidity`] (certificates) or
		/// [`Config::MaxAuthorizationValidity`] (authorizations).
		ValidityTooLong,
		/// A certificate must bind at least one key.
		NoKeys,
		/// The same key appears twice.
		DuplicateKey,
		/// A `Custodian` certificate must bind an X25519 key, and this one has none.
		MissingX25519Key,
		/// A certificate binds at most one X25519 key, and this one has more.
		MultipleX25519Keys,
		/// A certificate that binds an X25519 sealing key needs the subject's proof of
		/// possession of it ([`SealingKeyProof`], which its node gives through
		/// `custos_custodian`), and none was given.
		MissingKeyProof,
		/// A proof of possession was given for a certificate that binds no X25519 key.
		UnexpectedKeyProof,
		/// The proof's ed25519 key is not the Edwards form of the sealing key.
		KeyProofMismatch,
		/// The proof's ed25519 signature does not verify: whoever made it does not hold the
		/// sealing key, or made it for another subject or chain.
		BadKeyProof,
		/// The subject's signature in the proof does not verify: the subject did not consent
		/// to this sealing key.
		BadSubjectSignature,
		/// The subject already has an unrevoked, unexpired certificate of this role; use
		/// [`Pallet::reissue_certificate`].
		CertificateExists,
		/// No certificate with this id (it may have been removed).
		UnknownCertificate,
		/// The certificate is already revoked.
		AlreadyRevoked,
		/// Only the subject's current certificate of its role can be reissued.
		NotCurrentCertificate,
		/// Only the authority that issued a certificate may reissue it.
		NotIssuer,
		/// Only the certificate's issuing authority or its subject may revoke it.
		NotAllowedToRevoke,
		/// The certificate is neither revoked nor expired, so it cannot be removed.
		CertificateStillLive,
		/// Only an authority or an account with a valid `Attestor` certificate may authorize a
		/// recovery.
		NotAllowedToAuthorize,
		/// No recovery authorization by this issuer for this escrow and requester.
		UnknownAuthorization,
		/// Only its issuer may revoke a recovery authorization that still counts; any authority
		/// may once it no longer does (expired, or its issuer may no longer authorize).
		NotAllowedToRevokeAuthorization,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(T::MaxAuthorities::get() > 0, "MaxAuthorities must be greater than 0");
			assert!(T::MaxKeys::get() > 0, "MaxKeys must be greater than 0");
			assert!(!T::MaxValidity::get().is_zero(), "MaxValidity must be greater than 0");
			assert!(
				!T::MaxAuthorizationValidity::get().is_zero(),
				"MaxAuthorizationValidity must be greater than 0"
			);
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Make `who` a certificate authority. Root only.
		///
		/// Fails with [`Error::AlreadyAuthority`] or [`Error::TooManyAuthorities`].
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::add_authority())]
		pub fn add_authority(origin: OriginFor<T>, who: AccountIdLookupOf<T>) -> DispatchResult {
			ensure_root(origin)?;
			let who = T::Lookup::lookup(who)?;
			Self::do_add_authority(&who, T::BlockNumberProvider::current_block_number())?;
			Self::deposit_event(Event::<T>::AuthorityAdded { who });
			Ok(())
		}

		/// Remove `who` from the certificate authorities. Root only.
		///
		/// The certificates and authorizations `who` issued stay stored but no longer count
		/// (until `who` is added again). Fails with [`Error::NotAnAuthority`].
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::remove_authority())]
		pub fn remove_authority(origin: OriginFor<T>, who: AccountIdLookupOf<T>) -> DispatchResult {
			ensure_root(origin)?;
			let who = T::Lookup::lookup(who)?;
			ensure!(Authorities::<T>::contains_key(&who), Error::<T>::NotAnAuthority);
			Authorities::<T>::remove(&who);
			AuthorityCount::<T>::mutate(|n| *n = n.saturating_sub(1));
			Self::deposit_event(Event::<T>::AuthorityRemoved { who });
			Ok(())
		}

		/// Issue `subject` a certificate of `role` binding `keys` and `measurement`, valid from
		/// now for `valid_for` blocks. The caller must be an authority and pays the deposit.
		///
		/// A certificate binding an X25519 sealing key needs `proof`: the subject's proof of
		/// possession of that key and its consent to it (see [`SealingKeyProof`]), so that no
		/// authority can bind a key it holds to somebody else's account.
		///
		/// Refused if `valid_for` is zero or above [`Config::MaxValidity`], if `keys` is empty
		/// or has a duplicate, if a `Custodian` certificate does not bind exactly one X25519
		/// key, if the proof is missing or does not verify, or if the subject already has an
		/// unrevoked, unexpired certificate of `role` (reissue that one instead).
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::issue_certificate())]
		pub fn issue_certificate(
			origin: OriginFor<T>,
			subject: AccountIdLookupOf<T>,
			role: Role,
			keys: KeysOf<T>,
			measurement: Option<H256>,
			valid_for: BlockNumberFor<T>,
			proof: Option<SealingKeyProofOf<T>>,
		) -> DispatchResult {
			let issuer = Self::ensure_authority(origin)?;
			let subject = T::Lookup::lookup(subject)?;
			let now = T::BlockNumberProvider::current_block_number();
			Self::ensure_no_live_certificate(&subject, role, now)?;
			Self::check_key_proof(&subject, &keys, proof.as_ref())?;
			Self::do_issue(&issuer, &subject, role, keys, measurement, valid_for, now)?;
			Ok(())
		}

		/// Replace certificate `id` by a new one for the same subject and role, binding `keys`
		/// and `measurement`, valid from now for `valid_for` blocks. The old certificate is
		/// revoked with reason `Superseded`. The caller must be the authority that issued the
		/// old certificate (another authority cannot swap in a key of its choosing) and pays
		/// the new deposit; the old deposit stays until the old certificate is removed.
		///
		/// The old certificate must exist, be unrevoked and be the subject's current one of its
		/// role (it may have expired). The new one is checked as in
		/// [`Pallet::issue_certificate`], including the proof of possession of a new sealing key.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::reissue_certificate())]
		pub fn reissue_certificate(
			origin: OriginFor<T>,
			id: CertificateId,
			keys: KeysOf<T>,
			measurement: Option<H256>,
			valid_for: BlockNumberFor<T>,
			proof: Option<SealingKeyProofOf<T>>,
		) -> DispatchResult {
			let issuer = Self::ensure_authority(origin)?;
			let now = T::BlockNumberProvider::current_block_number();
			let (mut old, ticket) =
				Certificates::<T>::get(id).ok_or(Error::<T>::UnknownCertificate)?;
			ensure!(old.issuer == issuer, Error::<T>::NotIssuer);
			Self::check_key_proof(&old.subject, &keys, proof.as_ref())?;
			ensure!(old.revocation.is_none(), Error::<T>::AlreadyRevoked);
			ensure!(
				CurrentCertificate::<T>::get(&old.subject, old.role) == Some(id),
				Error::<T>::NotCurrentCertificate
			);
			let new =
				Self::do_issue(&issuer, &old.subject, old.role, keys, measurement, valid_for, now)?;
			let reason = RevocationReason::Superseded;
			old.revocation = Some(Revocation { at: now, reason, by: issuer.clone() });
			Certificates::<T>::insert(id, (old, ticket));
			Self::deposit_event(Event::<T>::CertificateRevoked { id, reason, by: issuer });
			Self::deposit_event(Event::<T>::CertificateReissued { old: id, new });
			Ok(())
		}

		/// Revoke certificate `id` for `reason`. Its issuer (while an authority) or its subject
		/// may; another authority may not, so no one authority can disable custodians it did not
		/// certify (unless the issuer was removed from the authorities, when its certificates
		/// count for nothing and any authority may revoke them to clean up). (Root's remedy for
		/// a rogue authority is `remove_authority`, which invalidates everything it issued.)
		/// Refused if it is already revoked.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::revoke_certificate())]
		pub fn revoke_certificate(
			origin: OriginFor<T>,
			id: CertificateId,
			reason: RevocationReason,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let now = T::BlockNumberProvider::current_block_number();
			Certificates::<T>::try_mutate(id, |entry| -> DispatchResult {
				let (cert, _) = entry.as_mut().ok_or(Error::<T>::UnknownCertificate)?;
				ensure!(cert.revocation.is_none(), Error::<T>::AlreadyRevoked);
				// The subject; its issuer while an authority; or, once the issuer is no longer
				// an authority (so the certificate already counts for nothing), any authority,
				// so that it can be removed and its deposit returned.
				let is_authority = Authorities::<T>::contains_key(&who);
				let issuer_removed = !Authorities::<T>::contains_key(&cert.issuer);
				ensure!(
					cert.subject == who ||
						(is_authority && (cert.issuer == who || issuer_removed)),
					Error::<T>::NotAllowedToRevoke
				);
				cert.revocation = Some(Revocation { at: now, reason, by: who.clone() });
				Ok(())
			})?;
			Self::deposit_event(Event::<T>::CertificateRevoked { id, reason, by: who });
			Ok(())
		}

		/// Remove certificate `id`, which must be revoked or expired, and release its deposit
		/// to its issuer in full. Anyone may call this.
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::remove_certificate())]
		pub fn remove_certificate(origin: OriginFor<T>, id: CertificateId) -> DispatchResult {
			ensure_signed(origin)?;
			let now = T::BlockNumberProvider::current_block_number();
			let (cert, ticket) =
				Certificates::<T>::get(id).ok_or(Error::<T>::UnknownCertificate)?;
			ensure!(cert.is_dead(&now), Error::<T>::CertificateStillLive);
			Certificates::<T>::remove(id);
			if CurrentCertificate::<T>::get(&cert.subject, cert.role) == Some(id) {
				CurrentCertificate::<T>::remove(&cert.subject, cert.role);
			}
			let _: Result<(), DispatchError> = ticket.drop(&cert.issuer).defensive();
			Self::deposit_event(Event::<T>::CertificateRemoved { id });
			Ok(())
		}

		/// Let `requester` recover `escrow` for `valid_for` blocks from now. The caller must be
		/// an authority or hold a valid `Attestor` certificate, and pays the deposit.
		///
		/// Writes the caller's own record for this escrow and requester, replacing its earlier
		/// one (one deposit per record). Other issuers' records for the same pair are neither
		/// consulted nor touched: each counts on its own.
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::authorize_recovery())]
		pub fn authorize_recovery(
			origin: OriginFor<T>,
			escrow: EscrowId,
			requester: AccountIdLookupOf<T>,
			valid_for: BlockNumberFor<T>,
		) -> DispatchResult {
			let issuer = ensure_signed(origin)?;
			let requester = T::Lookup::lookup(requester)?;
			let now = T::BlockNumberProvider::current_block_number();
			ensure!(Self::may_authorize(&issuer, now), Error::<T>::NotAllowedToAuthorize);
			let expires_at = Self::window_end(now, valid_for, T::MaxAuthorizationValidity::get())?;
			let footprint = Self::authorization_footprint();
			let pair = (escrow, requester.clone());
			let ticket = match Authorizations::<T>::get(&pair, &issuer) {
				Some((_, ticket)) => ticket.update(&issuer, footprint)?,
				None => T::AuthorizationConsideration::new(&issuer, footprint)?,
			};
			let record =
				RecoveryAuthorization { issuer: issuer.clone(), issued_at: now, expires_at };
			Authorizations::<T>::insert(&pair, &issuer, (record, ticket));
			Self::deposit_event(Event::<T>::RecoveryAuthorized {
				escrow,
				requester,
				issuer,
				expires_at,
			});
			Ok(())
		}

		/// Remove `issuer`'s recovery authorization of `requester` for `escrow` and release its
		/// deposit to `issuer` in full.
		///
		/// The issuer may at any time. Any authority may once the record no longer counts
		/// (it expired, or its issuer is neither an authority nor holds a valid `Attestor`
		/// certificate), to clean up; no one else may remove a record that still counts.
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::revoke_authorization())]
		pub fn revoke_authorization(
			origin: OriginFor<T>,
			escrow: EscrowId,
			requester: AccountIdLookupOf<T>,
			issuer: AccountIdLookupOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let requester = T::Lookup::lookup(requester)?;
			let issuer = T::Lookup::lookup(issuer)?;
			let pair = (escrow, requester);
			let (record, ticket) =
				Authorizations::<T>::get(&pair, &issuer).ok_or(Error::<T>::UnknownAuthorization)?;
			let now = T::BlockNumberProvider::current_block_number();
			ensure!(
				who == issuer ||
					(Authorities::<T>::contains_key(&who) &&
						!Self::authorization_counts(&record, now)),
				Error::<T>::NotAllowedToRevokeAuthorization
			);
			Authorizations::<T>::remove(&pair, &issuer);
			let _: Result<(), DispatchError> = ticket.drop(&issuer).defensive();
			let (escrow, requester) = pair;
			Self::deposit_event(Event::<T>::AuthorizationRevoked { escrow, requester, issuer });
			Ok(())
		}
	}
}

/// Internal helpers.
impl<T: Config> Pallet<T> {
	/// The signer of `origin`, if it is a certificate authority.
	fn ensure_authority(origin: OriginFor<T>) -> Result<T::AccountId, DispatchError> {
		let who = ensure_signed(origin)?;
		ensure!(Authorities::<T>::contains_key(&who), Error::<T>::CallerNotAuthority);
		Ok(who)
	}

	/// Add `who` to the authorities, keeping the count within [`Config::MaxAuthorities`].
	fn do_add_authority(who: &T::AccountId, now: BlockNumberFor<T>) -> DispatchResult {
		ensure!(!Authorities::<T>::contains_key(who), Error::<T>::AlreadyAuthority);
		let count = AuthorityCount::<T>::get();
		ensure!(count < T::MaxAuthorities::get(), Error::<T>::TooManyAuthorities);
		Authorities::<T>::insert(who, AuthorityInfo { added_at: now });
		AuthorityCount::<T>::put(count.saturating_add(1));
		Ok(())
	}

	/// `now + valid_for`, refusing a zero or over-`max` period.
	fn window_end(
		now: BlockNumberFor<T>,
		valid_for: BlockNumberFor<T>,
		max: BlockNumberFor<T>,
	) -> Result<BlockNumberFor<T>, DispatchError> {
		ensure!(!valid_for.is_zero(), Error::<T>::ZeroValidity);
		ensure!(valid_for <= max, Error::<T>::ValidityTooLong);
		Ok(now.checked_add(&valid_for).ok_or(ArithmeticError::Overflow)?)
	}

	/// Check the keys a certificate of `role` would bind.
	fn check_keys(role: Role, keys: &[PublicKey]) -> DispatchResult {
		ensure!(!keys.is_empty(), Error::<T>::NoKeys);
		for (i, key) in keys.iter().enumerate() {
			ensure!(!keys[i + 1..].contains(key), Error::<T>::DuplicateKey);
		}
		match keys.iter().filter(|k| k.x25519().is_some()).count() {
			0 if role == Role::Custodian => return Err(Error::<T>::MissingX25519Key.into()),
			0 | 1 => {},
			_ => return Err(Error::<T>::MultipleX25519Keys.into()),
		}
		Ok(())
	}

	/// Check `proof` for the X25519 sealing key among `keys` (if any) and `subject`: its
	/// ed25519 key is the Edwards form of the sealing key and signs
	/// [`custos_primitives::sealing_key_message`] for this chain and `subject`, and `subject`
	/// signs the same message. Costs two signature checks and one point decompression.
	fn check_key_proof(
		subject: &T::AccountId,
		keys: &[PublicKey],
		proof: Option<&SealingKeyProofOf<T>>,
	) -> DispatchResult {
		let Some(sealing_key) = keys.iter().find_map(PublicKey::x25519) else {
			ensure!(proof.is_none(), Error::<T>::UnexpectedKeyProof);
			return Ok(());
		};
		let proof = proof.ok_or(Error::<T>::MissingKeyProof)?;
		ensure!(
			custos_primitives::x25519_of_ed25519(&proof.edwards_key) == Some(sealing_key),
			Error::<T>::KeyProofMismatch
		);
		let genesis = frame_system::Pallet::<T>::block_hash(BlockNumberFor::<T>::zero());
		let message = custos_primitives::sealing_key_message(&genesis, subject, &sealing_key);
		let key_signature = frame::deps::sp_core::ed25519::Signature::from_raw(proof.key_signature.0);
		let edwards_key = frame::deps::sp_core::ed25519::Public::from_raw(proof.edwards_key.0);
		ensure!(
			frame::deps::sp_io::crypto::ed25519_verify(&key_signature, &message, &edwards_key),
			Error::<T>::BadKeyProof
		);
		ensure!(
			proof.subject_signature.verify(&message[..], subject),
			Error::<T>::BadSubjectSignature
		);
		Ok(())
	}

	/// Refuse if `subject`'s current certificate of `role` is unrevoked and unexpired at `now`.
	fn ensure_no_live_certificate(
		subject: &T::AccountId,
		role: Role,
		now: BlockNumberFor<T>,
	) -> DispatchResult {
		if let Some((cert, _)) =
			CurrentCertificate::<T>::get(subject, role).and_then(Certificates::<T>::get)
		{
			ensure!(cert.is_dead(&now), Error::<T>::CertificateExists);
		}
		Ok(())
	}

	/// Check, store and index a new certificate, take its deposit from `issuer` and emit
	/// [`Event::CertificateIssued`]. Does not check the subject's existing certificate.
	fn do_issue(
		issuer: &T::AccountId,
		subject: &T::AccountId,
		role: Role,
		keys: KeysOf<T>,
		measurement: Option<H256>,
		valid_for: BlockNumberFor<T>,
		now: BlockNumberFor<T>,
	) -> Result<CertificateId, DispatchError> {
		let valid_until = Self::window_end(now, valid_for, T::MaxValidity::get())?;
		Self::check_keys(role, &keys)?;
		let id = NextCertificateId::<T>::get();
		let next = id.checked_add(1).ok_or(ArithmeticError::Overflow)?;
		let ticket = T::CertificateConsideration::new(issuer, Self::certificate_footprint())?;
		let cert = Certificate {
			subject: subject.clone(),
			role,
			issuer: issuer.clone(),
			keys,
			measurement,
			issued_at: now,
			valid_from: now,
			valid_until,
			revocation: None,
		};
		Certificates::<T>::insert(id, (cert, ticket));
		CurrentCertificate::<T>::insert(subject, role, id);
		NextCertificateId::<T>::put(next);
		Self::deposit_event(Event::<T>::CertificateIssued {
			id,
			subject: subject.clone(),
			role,
			issuer: issuer.clone(),
			valid_until,
		});
		Ok(id)
	}

	/// Whether `who` may issue a recovery authorization at `at`: an authority, or the holder
	/// of a valid `Attestor` certificate.
	fn may_authorize(who: &T::AccountId, at: BlockNumberFor<T>) -> bool {
		Authorities::<T>::contains_key(who) || Self::is_valid(who, Role::Attestor, at)
	}
}

/// Public read helpers.
impl<T: Config> Pallet<T> {
	/// The footprint a certificate's deposit is computed from (its maximum encoded size).
	pub fn certificate_footprint() -> Footprint {
		Footprint::from_mel::<CertificateOf<T>>()
	}

	/// The footprint an authorization record's deposit is computed from (its maximum encoded
	/// size).
	pub fn authorization_footprint() -> Footprint {
		Footprint::from_mel::<RecoveryAuthorizationOf<T>>()
	}

	/// Whether `who` is a certificate authority.
	pub fn is_authority(who: &T::AccountId) -> bool {
		Authorities::<T>::contains_key(who)
	}

	/// Whether `cert` is valid at `at`: unrevoked, `valid_from <= at < valid_until`, and its
	/// issuer still an authority.
	pub fn is_certificate_valid(cert: &CertificateOf<T>, at: BlockNumberFor<T>) -> bool {
		cert.in_window_unrevoked(&at) && Self::is_authority(&cert.issuer)
	}

	/// `who`'s current certificate of `role`, if it is valid at `at`.
	pub fn valid_certificate(
		who: &T::AccountId,
		role: Role,
		at: BlockNumberFor<T>,
	) -> Option<(CertificateId, CertificateOf<T>)> {
		let id = CurrentCertificate::<T>::get(who, role)?;
		let (cert, _) = Certificates::<T>::get(id)?;
		Self::is_certificate_valid(&cert, at).then_some((id, cert))
	}

	/// Whether `who`'s current certificate of `role` is valid at `at`.
	pub fn is_valid(who: &T::AccountId, role: Role, at: BlockNumberFor<T>) -> bool {
		Self::valid_certificate(who, role, at).is_some()
	}

	/// `who`'s current certificate of `role`, and whether it is valid now.
	pub fn certificate_status(
		who: &T::AccountId,
		role: Role,
	) -> Option<(CertificateId, CertificateOf<T>, bool)> {
		let id = CurrentCertificate::<T>::get(who, role)?;
		let (cert, _) = Certificates::<T>::get(id)?;
		let valid =
			Self::is_certificate_valid(&cert, T::BlockNumberProvider::current_block_number());
		Some((id, cert, valid))
	}

	/// [`Self::certificate_status`] in the runtime API's form.
	pub fn certificate_view(who: &T::AccountId, role: Role) -> Option<CertificateViewOf<T>> {
		Self::certificate_status(who, role).map(|(id, cert, valid)| CertificateView {
			id,
			subject: cert.subject,
			role: cert.role,
			issuer: cert.issuer,
			keys: cert.keys.into_inner(),
			measurement: cert.measurement,
			issued_at: cert.issued_at,
			valid_from: cert.valid_from,
			valid_until: cert.valid_until,
			revocation: cert.revocation,
			valid,
		})
	}

	/// Every subject whose current `Custodian` certificate is valid now, with its X25519 key.
	///
	/// Iterates over all current certificates: for runtime APIs and off-chain use, not for
	/// dispatchables.
	pub fn valid_custodians() -> Vec<(T::AccountId, H256)> {
		let now = T::BlockNumberProvider::current_block_number();
		CurrentCertificate::<T>::iter()
			.filter(|(_, role, _)| *role == Role::Custodian)
			.filter_map(|(who, _, id)| {
				let (cert, _) = Certificates::<T>::get(id)?;
				if !Self::is_certificate_valid(&cert, now) {
					return None;
				}
				Some((who, cert.x25519_key()?))
			})
			.collect()
	}

	/// Whether the authorization `record` counts at `at`: `at < expires_at`, and its issuer is
	/// an authority or holds a valid `Attestor` certificate at `at`.
	pub fn authorization_counts(
		record: &RecoveryAuthorizationOf<T>,
		at: BlockNumberFor<T>,
	) -> bool {
		at < record.expires_at && Self::may_authorize(&record.issuer, at)
	}

	/// The issuers whose recovery authorization of `requester` for `escrow` counts at `at`.
	///
	/// Iterates over every issuer's record for the pair: for runtime APIs and off-chain use,
	/// not for dispatchables (which ask [`CertificateInspect::recovery_authorized_by`] about
	/// the issuers they accept).
	pub fn recovery_authorizations(
		escrow: &EscrowId,
		requester: &T::AccountId,
		at: BlockNumberFor<T>,
	) -> Vec<T::AccountId> {
		Authorizations::<T>::iter_prefix((escrow, requester))
			.filter(|(_, (record, _))| Self::authorization_counts(record, at))
			.map(|(issuer, _)| issuer)
			.collect()
	}
}

impl<T: Config> CertificateInspect<T::AccountId, BlockNumberFor<T>> for Pallet<T> {
	fn custodian_key(who: &T::AccountId, at: BlockNumberFor<T>) -> Option<H256> {
		Self::valid_certificate(who, Role::Custodian, at)?.1.x25519_key()
	}

	fn has_valid_certificate(who: &T::AccountId, role: Role, at: BlockNumberFor<T>) -> bool {
		Self::is_valid(who, role, at)
	}

	fn recovery_authorized_by(
		escrow: &EscrowId,
		requester: &T::AccountId,
		issuer: &T::AccountId,
		at: BlockNumberFor<T>,
	) -> bool {
		Authorizations::<T>::get((escrow, requester), issuer)
			.is_some_and(|(record, _)| Self::authorization_counts(&record, at))
	}

	fn certified_measurement(
		who: &T::AccountId,
		role: Role,
		at: BlockNumberFor<T>,
	) -> Option<Option<H256>> {
		Some(Self::valid_certificate(who, role, at)?.1.measurement)
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn certify_custodian(who: &T::AccountId, key: H256) {
		let issuer: T::AccountId = frame::benchmarking::prelude::account("custos-bench-ca", 0, 0);
		benchmark_helpers::make_authority::<T>(&issuer);
		let footprint = Self::certificate_footprint();
		T::CertificateConsideration::ensure_successful(&issuer, footprint);
		let now = T::BlockNumberProvider::current_block_number();
		let keys = BoundedVec::truncate_from(alloc::vec![PublicKey::X25519(key)]);
		Self::do_issue(&issuer, who, Role::Custodian, keys, None, T::MaxValidity::get(), now)
			.expect("a fresh custodian certificate with one X25519 key is valid; qed");
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn certify_validator(who: &T::AccountId, measurement: Option<H256>) {
		let issuer: T::AccountId = frame::benchmarking::prelude::account("custos-bench-ca", 0, 0);
		benchmark_helpers::make_authority::<T>(&issuer);
		let footprint = Self::certificate_footprint();
		T::CertificateConsideration::ensure_successful(&issuer, footprint);
		let now = T::BlockNumberProvider::current_block_number();
		let keys = BoundedVec::truncate_from(alloc::vec![PublicKey::Sr25519(H256::repeat_byte(7))]);
		Self::do_issue(&issuer, who, Role::Validator, keys, measurement, T::MaxValidity::get(), now)
			.expect("a fresh validator certificate with one key is valid; qed");
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn authorize_recovery(issuer: &T::AccountId, escrow: &EscrowId, requester: &T::AccountId) {
		// An attestor certified by a live authority: the costliest record to find counting.
		let ca: T::AccountId = frame::benchmarking::prelude::account("custos-bench-ca", 0, 0);
		benchmark_helpers::make_attestor::<T>(&ca, issuer);
		benchmark_helpers::write_authorization::<T>(issuer, escrow, requester);
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn authorize_recovery_lapsed(
		issuer: &T::AccountId,
		escrow: &EscrowId,
		requester: &T::AccountId,
	) {
		// An unexpired record whose issuer is an attestor whose certificate (in its window,
		// unrevoked) was issued by an authority since removed: the costliest record to find
		// not counting. Each issuer gets its own removed authority, so that no read is shared.
		let index = u32::from_le_bytes(
			frame::hashing::blake2_256(&issuer.encode())[..4]
				.try_into()
				.expect("4 bytes; qed"),
		);
		let ca: T::AccountId =
			frame::benchmarking::prelude::account("custos-bench-lapsed-ca", index, 0);
		benchmark_helpers::make_attestor::<T>(&ca, issuer);
		benchmark_helpers::write_authorization::<T>(issuer, escrow, requester);
		benchmark_helpers::unmake_authority::<T>(&ca);
		let now = T::BlockNumberProvider::current_block_number();
		debug_assert!(!Self::recovery_authorized_by(escrow, requester, issuer, now));
	}
}

/// Makes certificate subjects that can sign, for the benchmarks.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AccountId, Signature> {
	/// A new subject account whose signatures [`BenchmarkHelper::sign`] can make.
	fn subject() -> AccountId;
	/// `subject`'s signature of `message`.
	fn sign(subject: &AccountId, message: &[u8]) -> Signature;
}

/// Storage set-up shared by the benchmarks of this and other pallets.
#[cfg(feature = "runtime-benchmarks")]
pub mod benchmark_helpers {
	use super::*;

	/// Make `who` an authority, writing storage directly (ignores `MaxAuthorities`).
	pub fn make_authority<T: Config>(who: &T::AccountId) {
		if !Authorities::<T>::contains_key(who) {
			let now = T::BlockNumberProvider::current_block_number();
			Authorities::<T>::insert(who, AuthorityInfo { added_at: now });
			AuthorityCount::<T>::mutate(|n| *n = n.saturating_add(1));
		}
	}

	/// Remove `who` from the authorities, writing storage directly.
	pub fn unmake_authority<T: Config>(who: &T::AccountId) {
		if Authorities::<T>::take(who).is_some() {
			AuthorityCount::<T>::mutate(|n| *n = n.saturating_sub(1));
		}
	}

	/// Make `ca` an authority and, unless `who` already holds a valid `Attestor` certificate
	/// issued by `ca`, issue it one of the longest validity.
	pub fn make_attestor<T: Config>(ca: &T::AccountId, who: &T::AccountId) {
		make_authority::<T>(ca);
		let now = T::BlockNumberProvider::current_block_number();
		if Pallet::<T>::valid_certificate(who, Role::Attestor, now)
			.is_some_and(|(_, cert)| cert.issuer == *ca)
		{
			return;
		}
		T::CertificateConsideration::ensure_successful(ca, Pallet::<T>::certificate_footprint());
		let keys = BoundedVec::truncate_from(alloc::vec![PublicKey::Ed25519(H256::zero())]);
		Pallet::<T>::do_issue(ca, who, Role::Attestor, keys, None, T::MaxValidity::get(), now)
			.expect("a fresh attestor certificate with one key is valid; qed");
	}

	/// Write (or replace) `issuer`'s record letting `requester` recover `escrow` for the
	/// longest lifetime, taking its deposit from `issuer` (made affordable first). Does not
	/// check that `issuer` may authorize.
	pub fn write_authorization<T: Config>(
		issuer: &T::AccountId,
		escrow: &EscrowId,
		requester: &T::AccountId,
	) {
		let pair = (*escrow, requester.clone());
		if let Some((_, ticket)) = Authorizations::<T>::take(&pair, issuer) {
			let _ = ticket.drop(issuer);
		}
		let footprint = Pallet::<T>::authorization_footprint();
		T::AuthorizationConsideration::ensure_successful(issuer, footprint);
		let ticket = T::AuthorizationConsideration::new(issuer, footprint)
			.expect("ensure_successful made the deposit affordable; qed");
		let now = T::BlockNumberProvider::current_block_number();
		let record = RecoveryAuthorization {
			issuer: issuer.clone(),
			issued_at: now,
			expires_at: now.saturating_add(T::MaxAuthorizationValidity::get()),
		};
		Authorizations::<T>::insert(&pair, issuer, (record, ticket));
	}
}
