//! The accounts a run creates (owners, requesters, guardians), and what each is funded with.

use custos_runtime::{AccountId, Balance, Runtime, UNIT};
use frame_support::traits::Get;
use sp_core::{sr25519, Pair};

/// Funds per escrow an owner creates: its storage deposit (1 UNIT per record and 1 milli-UNIT
/// per byte: a few UNIT with the shares on chain) with room to spare.
const FUNDS_PER_ESCROW: Balance = 10 * UNIT;
/// Funds for an account's transaction fees.
const FUNDS_FOR_FEES: Balance = 10 * UNIT;

/// The accounts the run creates and funds.
pub struct Accounts {
	pub owners: Vec<sr25519::Pair>,
	/// One per recovery.
	pub requesters: Vec<sr25519::Pair>,
	/// One per recovery (at least one: every escrow names a guardian).
	pub guardians: Vec<sr25519::Pair>,
}

impl Accounts {
	/// Fresh accounts for `owners` owners and `recoveries` recoveries.
	pub fn generate(owners: usize, recoveries: usize) -> Self {
		let fresh = |count: usize| (0..count).map(|_| sr25519::Pair::generate().0).collect();
		Self {
			owners: fresh(owners),
			requesters: fresh(recoveries),
			guardians: fresh(recoveries.max(1)),
		}
	}

	/// Each account and what it needs: an owner its escrows' deposits, a requester a request's
	/// and two guesses' deposits, everyone fees.
	pub fn payees(&self, escrows_per_owner: usize) -> Vec<(AccountId, Balance)> {
		type Request = <Runtime as pallet_key_escrow::Config>::RecoveryDeposit;
		type Guess = <Runtime as pallet_key_escrow::Config>::GuessDeposit;
		let owner = FUNDS_PER_ESCROW * escrows_per_owner as Balance + FUNDS_FOR_FEES;
		let requester =
			<Request as Get<Balance>>::get() + 2 * <Guess as Get<Balance>>::get() + FUNDS_FOR_FEES;
		let account = |pair: &sr25519::Pair| -> AccountId { pair.public().into() };
		let owners = self.owners.iter().map(|pair| (account(pair), owner));
		let requesters = self.requesters.iter().map(|pair| (account(pair), requester));
		let guardians = self.guardians.iter().map(|pair| (account(pair), FUNDS_FOR_FEES));
		owners.chain(requesters).chain(guardians).collect()
	}
}
