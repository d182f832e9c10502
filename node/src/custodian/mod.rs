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
//! Every transaction goes through the durable duty journal ([`journal`], [`submit`]): after a
//! crash the node resumes what it had signed, retries what was dropped and never gets a duty
//! included twice; a duty that fails is remembered, not redone at every block. Deposits are
//! public, so they are bounded ([`limits`]): shares no larger than the runtime's
//! `MaxShareLen`, a deposit rate, and a store quota; and the store keeps only what the chain
//! still needs ([`sweep`]).
//!
//! It never sees a plaintext share, evaluates only guesses the chain counted in a finalized
//! block, and logs only escrow ids, guess ids and share indexes.

mod failpoint;
mod guesses;
mod journal;
pub mod keys;
pub mod limits;
mod store;
mod submit;
mod sweep;

use std::{collections::BTreeSet, path::Path, sync::Arc};

use custos_envelope::{
	oprf::OprfPublicKey, Commitment, CustodianShare, SealedShare, ShareContext,
	X25519PublicKey,
};
use custos_primitives::{EscrowId, PublicKey, Role, H256};
use custos_runtime::{opaque::Block, BlockNumber, Runtime, RuntimeCall};
use sp_core::Get;
use futures::{lock::Mutex, StreamExt};
use pallet_certificates::runtime_api::CertificatesApi;
use pallet_key_escrow::{runtime_api::KeyEscrowApi, EscrowOf, StorageMode};
use sc_client_api::{BlockchainEvents, HeaderBackend};
use sc_keystore::LocalKeystore;
use sp_api::ProvideRuntimeApi;
use sp_runtime::traits::Block as BlockT;

use custos_rpc_api::views::DepositReceipt;

use crate::client::{FullClient, TransactionPoolHandle};
use journal::{Duty, Journal};
use keys::CustodianKeys;
use limits::{DepositLimits, RateLimiter};
use store::{Put, ShareId, ShareStore};
use submit::{DutyError, Performed, Submitter};

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
	deposits: RateLimiter,
	/// Woken after each round of evaluations, for `custos_evaluatedGuess` callers waiting.
	evaluated: tokio::sync::Notify,
}

/// Why a sealed share cannot be taken into custody.
#[derive(Debug, thiserror::Error)]
pub enum DepositError {
	#[error("the sealed share is {len} bytes; shares are at most {max} bytes")]
	TooLarge { len: usize, max: u32 },
	#[error("too many deposits; try again in {0} ms")]
	Busy(u128),
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
	/// The service for a node whose chain data lives in `data_path`, taking deposits within
	/// `limits`.
	pub fn new(
		client: Arc<FullClient>,
		keystore: Arc<LocalKeystore>,
		pool: Arc<TransactionPoolHandle>,
		data_path: &Path,
		limits: DepositLimits,
	) -> Result<Arc<Self>, String> {
		let dir = data_path.join("custodian");
		let store = ShareStore::open(dir.join("shares"), limits.store_quota)
			.map_err(|e| format!("cannot open the custodian share store: {e}"))?;
		let journal = Journal::open(dir.join("duties.scale"))
			.map_err(|e| format!("cannot open the custodian duty journal: {e}"))?;
		let in_flight = journal.entries().count();
		if in_flight > 0 {
			log::info!(target: LOG_TARGET, "Resuming {in_flight} journaled duties from {}", journal.path().display());
		}
		let genesis = client.info().genesis_hash;
		let submitter = Mutex::new(Submitter::new(client.clone(), pool, journal));
		let deposits = RateLimiter::new(limits.per_minute);
		let evaluated = tokio::sync::Notify::new();
		Ok(Arc::new(Self { client, keystore, store, genesis, submitter, deposits, evaluated }))
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
				self.acknowledge_pending(notification.hash, number, &keys).await;
				if sweep::due(number) {
					self.sweep(notification.hash, &keys);
				}
			}
		}
	}

	/// Releases every share the chain says this custodian may release at `at`.
	async fn release_pending(&self, at: Hash, number: BlockNumber, keys: &CustodianKeys) {
		let api = self.client.runtime_api();
		let pending = match api.pending_releases(at, keys.account_id.clone()) {
			Ok(pending) => pending,
			Err(e) => {
				log::warn!(target: LOG_TARGET, "Cannot ask the runtime for pending releases: {e}");
				return;
			},
		};
		let mut duties = BTreeSet::new();
		for (escrow, index) in pending {
			match api.request(at, escrow) {
				Ok(Some((request, _))) =>
					duties.insert(Duty::Release { escrow, request: request.nonce, index }),
				Ok(None) => continue,
				Err(e) => {
					log::warn!(target: LOG_TARGET, "Cannot read the request of escrow {escrow:?}: {e}");
					return;
				},
			};
		}
		let mut submitter = self.submitter.lock().await;
		submitter.forget(|duty| !matches!(duty, Duty::Release { .. }) || duties.contains(duty));
		for duty in duties {
			let Duty::Release { escrow, request, index } = duty else { continue };
			let build = || {
				let (nonce, payload) = self.release_payload(at, keys, escrow, index)?;
				if nonce != request {
					return Err(DutyError::Transient("the request changed".into()));
				}
				let payload = payload
					.try_into()
					.map_err(|_| DutyError::Permanent("the release is too large".into()))?;
				Ok(RuntimeCall::KeyEscrow(pallet_key_escrow::Call::release_share {
					escrow,
					nonce,
					index,
					payload,
				}))
			};
			let performed = submitter.perform(keys, duty, at, number, build).await;
			report(&performed, || format!("share {index} of escrow {escrow:?}"), "📤 Releasing");
		}
	}

	/// The release of share `index` of `escrow` this node has signed and journaled, as
	/// `(request nonce, payload)`: what `custos_releasedShare` serves before the chain's record
	/// is final. Only a release decided at a finalized block is ever journaled.
	pub async fn signed_release(&self, escrow: EscrowId, index: u32) -> Option<(u32, Vec<u8>)> {
		let submitter = self.submitter.lock().await;
		let release = submitter.journal().entries().find_map(|(duty, entry)| match (duty, entry) {
			(
				Duty::Release { escrow: e, index: i, .. },
				journal::Entry::Submitted { extrinsic, .. },
			) if *e == escrow && *i == index => release_in(extrinsic),
			_ => None,
		});
		release
	}

	/// Offers again the acknowledgements the journal holds until the chain shows them.
	async fn acknowledge_pending(&self, at: Hash, number: BlockNumber, keys: &CustodianKeys) {
		let api = self.client.runtime_api();
		let mut submitter = self.submitter.lock().await;
		let acknowledgements: Vec<Duty> = submitter
			.journal()
			.entries()
			.map(|(duty, _)| *duty)
			.filter(|duty| matches!(duty, Duty::Acknowledge { .. }))
			.collect();
		let mut done = BTreeSet::new();
		for duty in &acknowledgements {
			let Duty::Acknowledge { escrow, generation, index } = *duty else { continue };
			let record = match api.escrow(at, escrow) {
				Ok(record) => record,
				Err(e) => {
					log::warn!(target: LOG_TARGET, "Cannot read escrow {escrow:?}: {e}");
					return;
				},
			};
			// Done, or moot: the escrow is gone or split again. A record not yet final
			// (created at the best block) keeps the duty.
			let needed = match &record {
				Some(record) if record.generation == generation => record
					.custodians
					.get(index as usize)
					.is_some_and(|slot| slot.account == keys.account_id && !slot.acknowledged),
				Some(record) => record.generation < generation,
				None => self.client.runtime_api().escrow(self.client.info().best_hash, escrow)
					.ok()
					.flatten()
					.is_some(),
			};
			if !needed {
				done.insert(*duty);
			}
		}
		submitter.forget(|duty| !done.contains(duty));
		for duty in acknowledgements.into_iter().filter(|duty| !done.contains(duty)) {
			let Duty::Acknowledge { escrow, index, generation } = duty else { continue };
			// Only an acknowledgement this node signed before is offered again here: a new one
			// needs the share, which only a deposit brings.
			if submitter.in_flight(&duty).is_none() {
				continue;
			}
			let build = || {
				Ok(RuntimeCall::KeyEscrow(pallet_key_escrow::Call::acknowledge_share {
					escrow,
					index,
					generation,
				}))
			};
			let performed = submitter.perform(keys, duty, at, number, build).await;
			report(&performed, || format!("share {index} of escrow {escrow:?}"), "📥 Acknowledging");
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
	) -> Result<(u32, Vec<u8>), DutyError> {
		let api = self.client.runtime_api();
		let transient = |e: sp_api::ApiError| DutyError::Transient(e.to_string());
		let record = api
			.escrow(at, escrow)
			.map_err(transient)?
			.ok_or(DutyError::Transient("the escrow is gone".into()))?;
		let (request, _) = api
			.request(at, escrow)
			.map_err(transient)?
			.ok_or(DutyError::Transient("no open request".into()))?;
		let share = self.open_share(at, keys, &record, escrow, index)?;
		let context = self.context(escrow, record.generation, index);
		custos_envelope::seal_release(
			&X25519PublicKey::from(request.one_time_key),
			&context,
			&share.inner,
		)
		.map(|payload| (request.nonce, payload.into_bytes()))
		.map_err(|e| DutyError::Permanent(e.to_string()))
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
	) -> Result<CustodianShare, DutyError> {
		let permanent = |reason: &str| DutyError::Permanent(reason.to_string());
		let slot = record.custodians.get(index as usize).ok_or(permanent("no such share"))?;
		if slot.key != keys.sealing_public {
			return Err(permanent("the share is sealed to an earlier key of this custodian"));
		}
		let sealed = match record.mode {
			StorageMode::OnChain => self
				.client
				.runtime_api()
				.share(at, escrow, index)
				.map_err(|e| DutyError::Transient(e.to_string()))?,
			StorageMode::CustodianHeld => self
				.store
				.get(&ShareId { escrow, generation: record.generation, index })
				.map_err(|e| DutyError::Transient(format!("reading the held share: {e}")))?,
		}
		.map(SealedShare::from)
		.ok_or(permanent("this node does not hold the share"))?;
		let context = self.context(escrow, record.generation, index);
		let share = custos_envelope::open_as_custodian(&keys.sealing, &context, &sealed)
			.map_err(|e| DutyError::Permanent(e.to_string()))?;
		let expected = record.commitments.get(index as usize).ok_or(permanent("no commitment"))?;
		if custos_envelope::commitment(&context, &share.inner) != Commitment::from(*expected) {
			return Err(permanent("the share does not match the escrow's commitment"));
		}
		share
			.check_oprf_key(&OprfPublicKey::from(slot.oprf_key))
			.map_err(|e| DutyError::Permanent(e.to_string()))?;
		Ok(share)
	}

	fn context(&self, escrow: EscrowId, generation: u32, index: u32) -> ShareContext {
		ShareContext::new(self.genesis, escrow, generation, index)
	}

	/// Takes share `index` of custodian-held `escrow` into custody: checks it is this
	/// custodian's, opens and checks it against the commitment, stores it durably, and submits
	/// the acknowledgement. Depositing the same share again is harmless and costs no second
	/// acknowledgement. Cheap refusals come first: the size, then the rate, before any chain
	/// read or decryption.
	pub async fn deposit(
		&self,
		escrow: EscrowId,
		index: u32,
		sealed: SealedShare,
	) -> Result<DepositReceipt, DepositError> {
		let max = <Runtime as pallet_key_escrow::Config>::MaxShareLen::get();
		if sealed.as_bytes().len() > max as usize {
			return Err(DepositError::TooLarge { len: sealed.as_bytes().len(), max });
		}
		self.deposits.take().map_err(|wait| DepositError::Busy(wait.as_millis().max(1)))?;
		let info = self.client.info();
		let (best, best_number) = (info.best_hash, info.best_number);
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
		let generation = record.generation;
		let put = self
			.store
			.put(&ShareId { escrow, generation, index }, sealed.as_bytes())
			.map_err(|e| DepositError::Storage(e.to_string()))?;
		if put == Put::Stored {
			log::info!(target: LOG_TARGET, "📥 Holding share {index} of escrow {escrow:?} in {}", self.store.dir().display());
		}
		if slot.acknowledged {
			return Ok(DepositReceipt { stored: true, acknowledgement: None });
		}
		let duty = Duty::Acknowledge { escrow, generation, index };
		let build = || {
			Ok(RuntimeCall::KeyEscrow(pallet_key_escrow::Call::acknowledge_share {
				escrow,
				index,
				generation,
			}))
		};
		let mut submitter = self.submitter.lock().await;
		match submitter.perform(&keys, duty, best, best_number, build).await {
			Performed::Submitted { tx, .. } | Performed::InFlight { tx } =>
				Ok(DepositReceipt { stored: true, acknowledgement: Some(tx) }),
			Performed::Failed { reason, .. } | Performed::Deferred(reason) =>
				Err(DepositError::Acknowledge(reason)),
		}
	}
}

/// The `(nonce, payload)` of a signed `release_share` transaction.
fn release_in(extrinsic: &[u8]) -> Option<(u32, Vec<u8>)> {
	use codec::Decode;
	let extrinsic = custos_runtime::UncheckedExtrinsic::decode(&mut &extrinsic[..]).ok()?;
	match extrinsic.function {
		RuntimeCall::KeyEscrow(pallet_key_escrow::Call::release_share { nonce, payload, .. }) =>
			Some((nonce, payload.into_inner())),
		_ => None,
	}
}

/// Logs what [`Submitter::perform`] did with a duty described by `what`; a failure once.
fn report(performed: &Performed, what: impl Fn() -> String, doing: &str) {
	match performed {
		Performed::Submitted { tx, resubmitted: false } =>
			log::info!(target: LOG_TARGET, "{doing} {} (transaction {tx:?})", what()),
		Performed::Submitted { tx, resubmitted: true } =>
			log::info!(target: LOG_TARGET, "{doing} {} again (transaction {tx:?})", what()),
		Performed::InFlight { .. } | Performed::Failed { now: false, .. } => {},
		Performed::Failed { reason, now: true } => log::error!(
			target: LOG_TARGET,
			"Giving up on {}: {reason} (remembered in the duty journal; not tried again)",
			what()
		),
		Performed::Deferred(reason) =>
			log::warn!(target: LOG_TARGET, "{} not done at this block: {reason}", what()),
	}
}

#[cfg(test)]
mod tests {
	use custos_runtime::signing::{self, SigningContext};
	use sp_core::{sr25519, Pair};

	use super::*;

	#[test]
	fn a_journaled_release_gives_back_its_nonce_and_payload() {
		let call = RuntimeCall::KeyEscrow(pallet_key_escrow::Call::release_share {
			escrow: EscrowId::repeat_byte(1),
			nonce: 7,
			index: 2,
			payload: vec![9u8; 100].try_into().unwrap(),
		});
		let context = SigningContext {
			genesis_hash: H256::repeat_byte(2),
			spec_version: 1,
			transaction_version: 1,
			checkpoint_number: 0,
			checkpoint_hash: H256::repeat_byte(2),
		};
		let pair = sr25519::Pair::from_string("//Alice", None).unwrap();
		let signed = codec::Encode::encode(&signing::sign(call, &pair, 0, &context));
		assert_eq!(release_in(&signed), Some((7, vec![9u8; 100])));
		let other = RuntimeCall::KeyEscrow(pallet_key_escrow::Call::acknowledge_share {
			escrow: EscrowId::repeat_byte(1),
			index: 2,
			generation: 0,
		});
		let signed = codec::Encode::encode(&signing::sign(other, &pair, 0, &context));
		assert_eq!(release_in(&signed), None);
		assert_eq!(release_in(b"garbage"), None);
	}
}
