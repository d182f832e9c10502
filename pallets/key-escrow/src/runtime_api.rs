//! Runtime API of the escrow pallet, served by the node under the `custos_` JSON-RPC namespace.

use crate::{EscrowHealth, Floors, GuessStatus, OprfEvaluation, RequestPhase};
use alloc::vec::Vec;
use codec::Codec;
use custos_primitives::{EscrowId, H256};

frame::deps::sp_api::decl_runtime_apis! {
	/// Reads of escrows, requests and releases, evaluated at the block the caller picks.
	pub trait KeyEscrowApi<AccountId, BlockNumber, Escrow, Request, Release, Guess>
	where
		AccountId: Codec,
		BlockNumber: Codec,
		Escrow: Codec,
		Request: Codec,
		Release: Codec,
		Guess: Codec,
	{
		/// The escrow record.
		fn escrow(id: EscrowId) -> Option<Escrow>;
		/// The ids of the escrows `owner` holds.
		fn escrows_of(owner: AccountId) -> Vec<EscrowId>;
		/// Sealed share `index` of an on-chain escrow.
		fn share(id: EscrowId, index: u32) -> Option<Vec<u8>>;
		/// The open recovery request of an escrow and where it stands.
		fn request(id: EscrowId) -> Option<(Request, RequestPhase<BlockNumber>)>;
		/// Whether custodians may release shares of the escrow now.
		fn is_releasable(id: EscrowId) -> bool;
		/// Live custodians of the escrow against its threshold.
		fn health(id: EscrowId) -> Option<EscrowHealth>;
		/// The releases made to the escrow's open request, by share index.
		fn releases(id: EscrowId) -> Vec<(u32, Release)>;
		/// The `(escrow, share index)` pairs `custodian` may release now, found through its
		/// own `CustodianWork` entries (see `Pallet::pending_releases`).
		fn pending_releases(custodian: AccountId) -> Vec<(EscrowId, u32)>;
		/// The escrow's guess counter, limit, lock and reset votes, and its next request nonce.
		fn guess_status(id: EscrowId) -> Option<GuessStatus>;
		/// The escrow's open guesses, by guess id.
		fn guesses(id: EscrowId) -> Vec<(u32, Guess)>;
		/// The evaluations recorded for a guess, by share index.
		fn evaluations(id: EscrowId, guess: u32) -> Vec<(u32, OprfEvaluation)>;
		/// The `(escrow, guess, share index, blinded element)` tuples `custodian` should
		/// evaluate now, found through its own `CustodianWork` entries (see
		/// `Pallet::pending_evaluations`).
		fn pending_evaluations(custodian: AccountId) -> Vec<(EscrowId, u32, u32, H256)>;
		/// The floors every new split and policy must meet: least Argon2id memory (KiB) and
		/// passes, and least delay (blocks). Clients check a split and policy against them
		/// before submitting.
		fn floors() -> Floors<BlockNumber>;
	}
}
