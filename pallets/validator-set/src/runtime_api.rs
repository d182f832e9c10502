//! Runtime API of the validator-set pallet, for the node and clients.
//!
//! The runtime implements it by forwarding to the pallet's read helpers:
//! [`Pallet::candidate_views`](crate::Pallet::candidate_views) and
//! [`Pallet::members`](crate::Pallet::members). With `std`, [`CandidateView`] and
//! [`RemovalReason`](crate::RemovalReason) serialize to JSON (camelCase fields, kebab-case
//! reasons).

use crate::{CandidateView, SessionsView};
use alloc::vec::Vec;

frame::deps::sp_api::decl_runtime_apis! {
	/// Queries about the validator candidates and the validator set.
	pub trait ValidatorSetApi<AccountId: codec::Codec, BlockNumber: codec::Codec> {
		/// Every candidate, sorted by account: the measurement it reported when it joined,
		/// whether it is a member, and whether it would be eligible if a session were planned
		/// at the block the API is called at (with the reason if not).
		fn candidates() -> Vec<CandidateView<AccountId>>;

		/// The set last handed to pallet-session, sorted by account. It validates from the
		/// session it was planned for (see the pallet docs); the session pallet's own
		/// `validators` are the ones validating now.
		fn members() -> Vec<AccountId>;

		/// The current session, its validators, the queued ones and when it ends (answered
		/// by the runtime from pallet-session).
		fn sessions() -> SessionsView<AccountId, BlockNumber>;
	}
}
