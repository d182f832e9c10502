//! Runtime API of the certificates pallet, for the node and clients.
//!
//! The runtime implements it by forwarding to the pallet's read helpers:
//! [`Pallet::certificate_view`](crate::Pallet::certificate_view),
//! [`Pallet::is_valid`](crate::Pallet::is_valid),
//! [`Pallet::valid_custodians`](crate::Pallet::valid_custodians),
//! [`Pallet::is_authority`](crate::Pallet::is_authority) and
//! [`Pallet::recovery_authorizations`](crate::Pallet::recovery_authorizations).

use crate::{CertificateView, EscrowId, Role, H256};
use alloc::vec::Vec;

frame::deps::sp_api::decl_runtime_apis! {
	/// Queries about certificates, authorities and recovery authorizations.
	pub trait CertificatesApi<AccountId: codec::Codec, BlockNumber: codec::Codec> {
		/// `who`'s current certificate of `role` (the latest issued, whatever its state), with
		/// `valid` telling whether it is valid at the block the API is called at. `None` if
		/// `who` has none, or it was removed.
		fn certificate(who: AccountId, role: Role) -> Option<CertificateView<AccountId, BlockNumber>>;

		/// Whether `who`'s current certificate of `role` is valid at block `at`: unrevoked,
		/// `valid_from <= at < valid_until`, and its issuer still an authority.
		fn is_valid(who: AccountId, role: Role, at: BlockNumber) -> bool;

		/// Every account whose current `Custodian` certificate is valid now, with the X25519
		/// key shares for it are sealed to.
		fn custodians() -> Vec<(AccountId, H256)>;

		/// Whether `who` is a certificate authority.
		fn is_authority(who: AccountId) -> bool;

		/// The issuers whose recovery authorization letting `requester` recover `escrow`
		/// counts at block `at` (unexpired, issuer an authority or a valid attestor), in
		/// storage order. Each issuer's record counts on its own; empty if none does.
		fn recovery_authorizations(
			escrow: EscrowId,
			requester: AccountId,
			at: BlockNumber,
		) -> Vec<AccountId>;
	}
}
