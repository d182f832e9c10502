//! Removing held shares the chain no longer needs: escrows removed, splits superseded by a
//! re-split, slots that are not this custodian's. Closed requests leave nothing here: releases
//! live on chain. Runs at the first finalized block after start and every
//! [`SWEEP_EVERY_BLOCKS`] after; a share is deleted only when neither the finalized nor the best
//! block needs it (so a share deposited for an escrow not yet final is kept).

use custos_runtime::BlockNumber;
use pallet_key_escrow::runtime_api::KeyEscrowApi;
use sc_client_api::HeaderBackend;
use sp_api::ProvideRuntimeApi;
use std::sync::atomic::{AtomicBool, Ordering};

use super::{keys::CustodianKeys, store::ShareId, Custodian, Hash, LOG_TARGET};

/// Finalized blocks between two sweeps (an hour of 6-second blocks).
pub const SWEEP_EVERY_BLOCKS: BlockNumber = 600;

/// Whether to sweep at finalized block `number`: the first one this process sees, then
/// every [`SWEEP_EVERY_BLOCKS`].
pub fn due(number: BlockNumber) -> bool {
	static SWEPT: AtomicBool = AtomicBool::new(false);
	!SWEPT.swap(true, Ordering::SeqCst) || number % SWEEP_EVERY_BLOCKS == 0
}

impl Custodian {
	/// Deletes every held share the chain at finalized block `at` no longer needs.
	pub(super) fn sweep(&self, at: Hash, keys: &CustodianKeys) {
		let files = match self.store.files() {
			Ok(files) => files,
			Err(e) => {
				log::warn!(target: LOG_TARGET, "Cannot list the held shares: {e}");
				return;
			},
		};
		let mut removed = 0;
		for id in files {
			match self.needed(at, keys, &id) {
				Ok(true) => {},
				Ok(false) => match self.store.remove(&id) {
					Ok(()) => removed += 1,
					Err(e) => log::warn!(target: LOG_TARGET, "Cannot remove {id:?}: {e}"),
				},
				// The chain could not be read: keep everything, sweep another time.
				Err(e) => {
					log::warn!(target: LOG_TARGET, "Cannot check held shares against the chain: {e}");
					return;
				},
			}
		}
		if removed > 0 {
			log::info!(target: LOG_TARGET, "🧹 Removed {removed} held shares the chain no longer needs ({} bytes held)", self.store.used());
		}
	}

	// Needed if the finalized or the best block still needs it: a share deposited for an
	// escrow not final yet, or for one removed and created again at the best block, stays.
	fn needed(&self, at: Hash, keys: &CustodianKeys, id: &ShareId) -> Result<bool, sp_api::ApiError> {
		let best = self.client.info().best_hash;
		Ok(self.needed_at(at, keys, id)? || self.needed_at(best, keys, id)?)
	}

	fn needed_at(&self, at: Hash, keys: &CustodianKeys, id: &ShareId) -> Result<bool, sp_api::ApiError> {
		let Some(record) = self.client.runtime_api().escrow(at, id.escrow)? else {
			return Ok(false);
		};
		Ok(match record.generation.cmp(&id.generation) {
			std::cmp::Ordering::Greater => false,
			// A re-split not at this block yet.
			std::cmp::Ordering::Less => true,
			std::cmp::Ordering::Equal => record
				.custodians
				.get(id.index as usize)
				.is_some_and(|slot| slot.account == keys.account_id),
		})
	}
}
