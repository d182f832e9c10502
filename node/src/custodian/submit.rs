//! Signing the custodian's own transactions and handing them to the node's pool.

use std::{collections::HashMap, sync::Arc};

use codec::{Decode, Encode};
use custos_primitives::EscrowId;
use custos_runtime::{
	signing::{self, SigningContext},
	BlockNumber, Hash, Nonce, RuntimeCall,
};
use sc_client_api::HeaderBackend;
use sc_transaction_pool_api::{TransactionPool, TransactionSource};
use sp_api::{Core, ProvideRuntimeApi};
use sp_runtime::OpaqueExtrinsic;
use substrate_frame_rpc_system::AccountNonceApi;

use super::keys::CustodianKeys;
use crate::client::{FullClient, TransactionPoolHandle};

/// Blocks to wait for a submitted transaction before trying it again.
const RETRY_AFTER_BLOCKS: BlockNumber = 20;

/// What a custodian transaction is about, so it is not sent twice while in flight.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum Duty {
	Release { escrow: EscrowId, index: u32 },
	Acknowledge { escrow: EscrowId, index: u32 },
	Evaluate { escrow: EscrowId, guess: u32, index: u32 },
}

/// Signs and submits custodian transactions, keeping nonces in order across transactions
/// that are still in the pool.
pub struct Submitter {
	client: Arc<FullClient>,
	pool: Arc<TransactionPoolHandle>,
	next_nonce: Option<Nonce>,
	in_flight: HashMap<Duty, BlockNumber>,
}

impl Submitter {
	pub fn new(client: Arc<FullClient>, pool: Arc<TransactionPoolHandle>) -> Self {
		Self { client, pool, next_nonce: None, in_flight: HashMap::new() }
	}

	/// Whether `duty` was submitted less than [`RETRY_AFTER_BLOCKS`] before `now`.
	pub fn is_in_flight(&self, duty: &Duty, now: BlockNumber) -> bool {
		self.in_flight
			.get(duty)
			.is_some_and(|submitted| now < submitted.saturating_add(RETRY_AFTER_BLOCKS))
	}

	/// Forgets duties that are done (`still_pending` says which are not) and those whose
	/// retry time has come at block `now`. A retry means an earlier transaction may have been
	/// dropped, so nonces start again from the chain's: a gap would block every later one.
	pub fn prune(&mut self, now: BlockNumber, still_pending: impl Fn(&Duty) -> bool) {
		let mut retrying = false;
		self.in_flight.retain(|duty, submitted| {
			let pending = still_pending(duty);
			let expired = now >= submitted.saturating_add(RETRY_AFTER_BLOCKS);
			retrying |= pending && expired;
			pending && !expired
		});
		if retrying {
			self.next_nonce = None;
		}
	}

	/// Signs `call` as the custodian and submits it at the best block. Returns the
	/// transaction hash.
	pub async fn submit(
		&mut self,
		keys: &CustodianKeys,
		duty: Duty,
		call: RuntimeCall,
	) -> Result<Hash, String> {
		let info = self.client.info();
		let best = info.best_hash;
		let api = self.client.runtime_api();
		let version = api.version(best).map_err(|e| format!("runtime version: {e}"))?;
		let chain_nonce = api
			.account_nonce(best, keys.account_id.clone())
			.map_err(|e| format!("account nonce: {e}"))?;
		let nonce = self.next_nonce.map_or(chain_nonce, |next| next.max(chain_nonce));
		let context = SigningContext {
			genesis_hash: info.genesis_hash,
			spec_version: version.spec_version,
			transaction_version: version.transaction_version,
			checkpoint_number: info.finalized_number,
			checkpoint_hash: info.finalized_hash,
		};
		let signed = signing::sign(call, &keys.account, nonce, &context);
		let opaque = OpaqueExtrinsic::decode(&mut &signed.encode()[..])
			.map_err(|e| format!("re-encoding the transaction: {e}"))?;
		match self.pool.submit_one(best, TransactionSource::Local, opaque).await {
			Ok(hash) => {
				self.next_nonce = Some(nonce + 1);
				self.in_flight.insert(duty, info.finalized_number);
				Ok(hash)
			},
			Err(e) => {
				self.next_nonce = None;
				Err(format!("the transaction pool refused it: {e}"))
			},
		}
	}
}
