//! The custodian service: what a trusted node does for the escrows it holds shares of.
//!
//! At every finalized block it asks the runtime which passphrase guesses it should evaluate
//! (`KeyEscrowApi::pending_evaluations`, see [`guesses`]) and which shares it may release now
//! (`KeyEscrowApi::pending_releases`). For a guess it opens its sealed share, checks its OPRF
//! key share against the slot's `K_i`, evaluates the guess's blinded element once with a DLEQ
//! proof and submits `record_evaluation`. For a release it opens the outer layer with its
//! sealing key, checks the still inner-encrypted share against the escrow's commitment,
//! re-seals it to the requester's one-time key and submits `release_share`; the chain keeps
//! the release and the `custos_releases` RPC serves it. For custodian-held escrows it takes
//! sealed shares over JSON-RPC (`custos_depositShare`), stores them in its base path and
//! acknowledges them on chain.
//!
//! It never sees a plaintext share, evaluates only guesses the chain counted in a finalized
//! block, and logs only escrow ids, guess ids and share indexes.

mod guesses;
pub mod keys;
mod store;
mod submit;

use std::{path::Path, sync::Arc};

use custos_envelope::{
	oprf::OprfPublicKey, Commitment, CustodianShare, SealedShare, ShareContext,
	X25519PublicKey,
};
use custos_primitives::{EscrowId, PublicKey, Role, H256};
use custos_runtime::{opaque::Block, BlockNumber, Runtime, RuntimeCall};
use futures::{lock::Mutex, StreamExt};
use pallet_certificates::runtime_api::CertificatesApi;
use pallet_key_escrow::{runtime_api::KeyEscrowApi, EscrowOf, StorageMode};
use sc_client_api::{BlockchainEvents, HeaderBackend};
use sc_keystore::LocalKeystore;
use sp_api::ProvideRuntimeApi;
use sp_runtime::traits::Block as BlockT;

use custos_rpc_api::views::DepositReceipt;

use crate::client::{FullClient, TransactionPoolHandle};
use keys::CustodianKeys;
use store::ShareStore;
use submit::{Duty, Submitter};

type Hash = <Block as BlockT>::Hash;

/// Log target of the custodian service.
const LOG_TARGET: &str = "custodian";

/// A custodian node's state, shared by the finality loop and the RPC handlers.
pub struct Custodian {
	client: Arc<FullClient>,
	keystore: Arc<LocalKeystore>,
	store: ShareStore,
	genesis: H256,
	submitter: Mutex<Submitter>,
}

/// Why a sealed share cannot be taken into custody.
#[derive(Debug, thiserror::Error)]
pub enum DepositError {
	#[error("this node has no custodian keys (insert them with `custos-node key insert --key-type cust`)")]
	NoKeys,
	#[error("escrow {0:?} does not exist at the best block")]
	UnknownEscrow(EscrowId),
	#[error("escrow {0:?} keeps its shares on chain; nothing to deposit")]
	OnChainEscrow(EscrowId),
	#[error("share {index} of this escrow belongs to another custodian ({owner})")]
	NotOurs { index: u32, owner: String },
	#[error("the escrow has no share {0}")]
	UnknownShare(u32),
	#[error("share {0} is sealed to an older key of this custodian")]
	StaleKey(u32),
	#[error("share {index} does not open with this custodian's key: {reason}")]
	DoesNotOpen { index: u32, reason: String },
	#[error("share {0} does not match the commitment the escrow records")]
	CommitmentMismatch(u32),
	#[error("share {0} carries an OPRF key share that is not the one the escrow records")]
	OprfKeyMismatch(u32),
	#[error("cannot store the share: {0}")]
	Storage(String),
	#[error("cannot acknowledge the share on chain: {0}")]
	Acknowledge(String),
	#[error("cannot read the chain: {0}")]
	Chain(String),
}

impl Custodian {
	/// The service for a node whose chain data lives in `data_path`.
	pub fn new(
		client: Arc<FullClient>,
		keystore: Arc<LocalKeystore>,
		pool: Arc<TransactionPoolHandle>,
		data_path: &Path,
	) -> Result<Arc<Self>, String> {
		let store = ShareStore::open(data_path.join("custodian").join("shares"))
			.map_err(|e| format!("cannot create the custodian share store: {e}"))?;
		let genesis = client.info().genesis_hash;
		let submitter = Mutex::new(Submitter::new(client.clone(), pool));
		Ok(Arc::new(Self { client, keystore, store, genesis, submitter }))
	}

	/// The node's client.
	pub fn client(&self) -> &Arc<FullClient> {
		&self.client
	}

	/// This node's custodian keys, and whether the chain certifies them at `at`.
	/// Asks only about the keystore's own accounts: this runs at every finalized block.
	pub fn identity(&self, at: Hash) -> Option<(Arc<CustodianKeys>, bool)> {
		let api = self.client.runtime_api();
		keys::find(&self.keystore, |account| {
			let view = api.certificate(at, account.clone(), Role::Custodian).ok().flatten()?;
			if !view.valid {
				return None;
			}
			view.keys.iter().find_map(|key| match key {
				PublicKey::X25519(key) => Some(*key),
				_ => None,
			})
		})
	}

	/// Follows finality for as long as the node runs.
	pub async fn run(self: Arc<Self>) {
		let mut finality = self.client.finality_notification_stream();
		let mut announced = None;
		while let Some(notification) = finality.next().await {
			let number = *sp_runtime::traits::Header::number(&notification.header);
			let identity = self.identity(notification.hash);
			let summary =
				identity.as_ref().map(|(keys, certified)| (keys.account_id.clone(), *certified));
			if summary != announced {
				match &summary {
					Some((account, true)) => {
						log::info!(target: LOG_TARGET, "🔐 Custodian {account} is certified; releasing shares when asked")
					},
					Some((account, false)) => log::warn!(
						target: LOG_TARGET,
						"🔐 Custodian keys for {account} are in the keystore but no valid certificate binds them; not releasing"
					),
					None => {
						log::info!(target: LOG_TARGET, "No custodian keys in the keystore; custodian service idle")
					},
				}
				announced = summary;
			}
			if let Some((keys, true)) = identity {
				self.evaluate_pending(notification.hash, number, &keys).await;
				self.release_pending(notification.hash, number, &keys).await;
			}
		}
	}

	/// Releases every share the chain says this custodian may release at `at`.
	async fn release_pending(&self, at: Hash, number: BlockNumber, keys: &CustodianKeys) {
		let pending = match self.client.runtime_api().pending_releases(at, keys.account_id.clone())
		{
			Ok(pending) => pending,
			Err(e) => {
				log::warn!(target: LOG_TARGET, "Cannot ask the runtime for pending releases: {e}");
				return;
			},
		};
		let mut submitter = self.submitter.lock().await;
		submitter.prune(number, |duty| match duty {
			Duty::Release { escrow, index } => pending.contains(&(*escrow, *index)),
			// Acknowledgements are checked when the share is deposited again.
			Duty::Acknowledge { .. } => true,
			// Evaluations are pruned by `evaluate_pending`.
			Duty::Evaluate { .. } => true,
		});
		for (escrow, index) in pending {
			let duty = Duty::Release { escrow, index };
			if submitter.is_in_flight(&duty, number) {
				continue;
			}
			let (nonce, payload) = match self.release_payload(at, keys, escrow, index) {
				Ok(release) => release,
				Err(e) => {
					log::error!(target: LOG_TARGET, "Cannot release share {index} of escrow {escrow:?}: {e}");
					continue;
				},
			};
			let Ok(payload) = payload.try_into() else {
				log::error!(target: LOG_TARGET, "Release of share {index} of escrow {escrow:?} is too large");
				continue;
			};
			let call = RuntimeCall::KeyEscrow(pallet_key_escrow::Call::release_share {
				escrow,
				nonce,
				index,
				payload,
			});
			match submitter.submit(keys, duty, call).await {
				Ok(tx) => {
					log::info!(target: LOG_TARGET, "📤 Releasing share {index} of escrow {escrow:?} (transaction {tx:?})")
				},
				Err(e) => {
					log::warn!(target: LOG_TARGET, "Release of share {index} of escrow {escrow:?} not submitted: {e}")
				},
			}
		}
	}

	/// Share `index` of `escrow`, opened from this custodian's layer, checked against its
	/// commitment and sealed to the open request's one-time key; with that request's nonce,
	/// which the release names.
	fn release_payload(
		&self,
		at: Hash,
		keys: &CustodianKeys,
		escrow: EscrowId,
		index: u32,
	) -> Result<(u32, Vec<u8>), String> {
		let api = self.client.runtime_api();
		let record =
			api.escrow(at, escrow).map_err(|e| e.to_string())?.ok_or("the escrow is gone")?;
		let (request, _) =
			api.request(at, escrow).map_err(|e| e.to_string())?.ok_or("no open request")?;
		let share = self.open_share(at, keys, &record, escrow, index)?;
		let context = self.context(escrow, record.generation, index);
		custos_envelope::seal_release(
			&X25519PublicKey::from(request.one_time_key),
			&context,
			&share.inner,
		)
		.map(|payload| (request.nonce, payload.into_bytes()))
		.map_err(|e| e.to_string())
	}

	/// This custodian's share `index` of `escrow` at `at`, opened and checked: sealed to this
	/// node's current key, its inner ciphertext matching the escrow's commitment and its OPRF
	/// key share matching the slot's `K_i`.
	fn open_share(
		&self,
		at: Hash,
		keys: &CustodianKeys,
		record: &EscrowOf<Runtime>,
		escrow: EscrowId,
		index: u32,
	) -> Result<CustodianShare, String> {
		let slot = record.custodians.get(index as usize).ok_or("no such share")?;
		if slot.key != keys.sealing_public {
			return Err("the share is sealed to an earlier key of this custodian".into());
		}
		let sealed = match record.mode {
			StorageMode::OnChain => self
				.client
				.runtime_api()
				.share(at, escrow, index)
				.map_err(|e| e.to_string())?,
			StorageMode::CustodianHeld => self
				.store
				.get(&escrow, record.generation, index)
				.map_err(|e| format!("reading the held share: {e}"))?,
		}
		.map(SealedShare::from)
		.ok_or("this node does not hold the share")?;
		let context = self.context(escrow, record.generation, index);
		let share = custos_envelope::open_as_custodian(&keys.sealing, &context, &sealed)
			.map_err(|e| e.to_string())?;
		let expected = record.commitments.get(index as usize).ok_or("no commitment")?;
		if custos_envelope::commitment(&context, &share.inner) != Commitment::from(*expected) {
			return Err("the share does not match the escrow's commitment".into());
		}
		share
			.check_oprf_key(&OprfPublicKey::from(slot.oprf_key))
			.map_err(|e| e.to_string())?;
		Ok(share)
	}

	fn context(&self, escrow: EscrowId, generation: u32, index: u32) -> ShareContext {
		ShareContext::new(self.genesis, escrow, generation, index)
	}

	/// Takes share `index` of custodian-held `escrow` into custody: checks it is this
	/// custodian's, opens and checks it against the commitment, stores it durably, and submits
	/// the acknowledgement. Depositing the same share again is harmless.
	pub async fn deposit(
		&self,
		escrow: EscrowId,
		index: u32,
		sealed: SealedShare,
	) -> Result<DepositReceipt, DepositError> {
		let best = self.client.info().best_hash;
		let (keys, _) = self.identity(best).ok_or(DepositError::NoKeys)?;
		let api = self.client.runtime_api();
		let record = api
			.escrow(best, escrow)
			.map_err(|e| DepositError::Chain(e.to_string()))?
			.ok_or(DepositError::UnknownEscrow(escrow))?;
		if record.mode != StorageMode::CustodianHeld {
			return Err(DepositError::OnChainEscrow(escrow));
		}
		let slot =
			record.custodians.get(index as usize).ok_or(DepositError::UnknownShare(index))?;
		if slot.account != keys.account_id {
			return Err(DepositError::NotOurs { index, owner: slot.account.to_string() });
		}
		if slot.key != keys.sealing_public {
			return Err(DepositError::StaleKey(index));
		}
		let context = self.context(escrow, record.generation, index);
		let share = custos_envelope::open_as_custodian(&keys.sealing, &context, &sealed)
			.map_err(|e| DepositError::DoesNotOpen { index, reason: e.to_string() })?;
		let expected =
			record.commitments.get(index as usize).ok_or(DepositError::UnknownShare(index))?;
		if custos_envelope::commitment(&context, &share.inner) != Commitment::from(*expected) {
			return Err(DepositError::CommitmentMismatch(index));
		}
		share
			.check_oprf_key(&OprfPublicKey::from(slot.oprf_key))
			.map_err(|_| DepositError::OprfKeyMismatch(index))?;
		self.store
			.put(&escrow, record.generation, index, sealed.as_bytes())
			.map_err(|e| DepositError::Storage(e.to_string()))?;
		log::info!(target: LOG_TARGET, "📥 Holding share {index} of escrow {escrow:?} in {}", self.store.dir().display());
		if slot.acknowledged {
			return Ok(DepositReceipt { stored: true, acknowledgement: None });
		}
		let call =
			RuntimeCall::KeyEscrow(pallet_key_escrow::Call::acknowledge_share { escrow, index });
		let tx = self
			.submitter
			.lock()
			.await
			.submit(&keys, Duty::Acknowledge { escrow, index }, call)
			.await
			.map_err(DepositError::Acknowledge)?;
		Ok(DepositReceipt { stored: true, acknowledgement: Some(tx) })
	}
}
