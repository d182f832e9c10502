//! A counted passphrase guess (protocol v2): the only way to learn whether a passphrase is
//! right.
//!
//! The client hardens the passphrase (`h = Argon2id(passphrase || owner, salt)`), blinds it
//! (`B = r·HashToGroup(h)`, RFC 9497), and records `B` on chain with `record_guess`, which
//! counts it against the escrow's guess limit. Each custodian's node, at a finalized block
//! holding the guess, records its evaluation `Z_i = k_i·B` with a DLEQ proof. The client
//! checks every proof against the slot's `K_i` (naming a custodian whose proof fails),
//! combines `t` good ones, unblinds, and derives `P = HKDF(h || y)`: the passphrase was right
//! if, and only if, `P`'s recovery key is the escrow's. Nothing derived from the passphrase
//! leaves the client except `B`.

use std::time::{Duration, Instant};

use custos_envelope::{
	oprf::{self, BlindedElement, Evaluation, OprfOutput, OprfPublicKey},
	PassphraseHash, ProtectionKey,
};
use custos_primitives::EscrowId;
use custos_runtime::{AccountId, Runtime, RuntimeCall, RuntimeEvent};
use pallet_key_escrow::{Call as EscrowCall, EscrowOf};
use sp_core::{sr25519, Pair, H256};

use crate::{
	escrow::{recovery_pair, FINALITY_TIMEOUT},
	progress::Reporter,
	submit::{sign_and_submit, Inclusion},
	ChainClient, Error, Result,
};

/// A custodian whose evaluation failed its check.
#[derive(Clone, Debug, serde::Serialize)]
pub struct FaultyEvaluation {
	pub index: u32,
	pub custodian: String,
	pub reason: String,
}

/// How long each part of a guess took.
#[derive(Clone, Copy, Debug, Default, serde::Serialize)]
pub struct GuessTimings {
	/// Hardening the passphrase (Argon2id).
	pub kdf: Duration,
	/// From submitting the guess to its block being final.
	pub recorded: Duration,
	/// From the guess being final to `t` valid evaluations.
	pub evaluated: Duration,
	/// Checking the proofs, combining, unblinding and deriving P.
	pub derive: Duration,
}

/// What a counted guess showed.
pub struct GuessOutcome {
	/// The guess id on chain.
	pub guess: u32,
	/// The `record_guess` transaction.
	pub inclusion: Inclusion,
	/// Guesses counted since the last success, this one included.
	pub used: u32,
	/// The escrow's limit.
	pub max_guesses: u32,
	/// The share indexes whose evaluations were combined.
	pub evaluated_by: Vec<u32>,
	/// Custodians whose evaluation failed its check.
	pub faulty: Vec<FaultyEvaluation>,
	pub timings: GuessTimings,
	/// Best blocks from submitting the guess to reading the last evaluation needed.
	pub blocks: u32,
	/// Share indexes of the evaluations combined that a custodian's node served
	/// (`custos_evaluatedGuess`) before the chain held them; checked as those would be.
	pub served: Vec<u32>,
	/// When the passphrase was right: the protection key and the OPRF output it came from.
	pub key: Option<(ProtectionKey, OprfOutput)>,
}

impl GuessOutcome {
	/// Whether the passphrase was right.
	pub fn correct(&self) -> bool {
		self.key.is_some()
	}
}

/// The hardened passphrase `h` for `record` (slow: Argon2id with the escrow's parameters).
pub fn passphrase_hash(record: &EscrowOf<Runtime>, passphrase: &[u8]) -> Result<PassphraseHash> {
	let owner: [u8; 32] = *record.owner.as_ref();
	Ok(PassphraseHash::derive(passphrase, &owner, &record.kdf)?)
}

/// `P = HKDF(h || y)`, checked against the escrow's recovery key: `None` when the passphrase
/// (or the OPRF output) is not the escrow's.
pub fn checked_protection_key(
	record: &EscrowOf<Runtime>,
	hash: &PassphraseHash,
	output: &OprfOutput,
) -> Option<ProtectionKey> {
	let key = ProtectionKey::from_oprf(hash, output);
	(recovery_pair(&key).public() == record.recovery_key).then_some(key)
}

/// Makes one counted guess of `passphrase` for escrow `id`, signed by `guesser`: refuses
/// before sending anything when the escrow is locked, then records the guess, waits (up to
/// `timeout`) for `t` valid evaluations, and derives `P`. Evaluations come from the chain
/// (read at each finalized block) and, sooner, from the custodians' nodes among `nodes`
/// (`custos_evaluatedGuess`, served the moment a custodian signs one); every one is checked
/// against its slot's `K_i` before it counts. A wrong passphrase is not an error here: the
/// outcome says so (and the guess is spent).
pub async fn guess(
	client: &ChainClient,
	guesser: &sr25519::Pair,
	id: EscrowId,
	passphrase: &[u8],
	nodes: &[String],
	timeout: Duration,
	reporter: Reporter,
) -> Result<GuessOutcome> {
	let record = client.existing_escrow(id).await?;
	let status = client.guess_status(id).await?;
	if status.locked {
		return Err(Error::GuessesLocked {
			escrow: format!("{id:?}"),
			max_guesses: status.max_guesses,
			reset_threshold: status.reset_threshold,
		});
	}
	reporter.step(format!(
		"hardening the passphrase (Argon2id, {} MiB, {} passes, {} lanes)",
		record.kdf.memory_kib / 1024,
		record.kdf.iterations,
		record.kdf.parallelism
	));
	let started = Instant::now();
	let hash = passphrase_hash(&record, passphrase)?;
	let kdf = started.elapsed();
	let (blind, blinded) = oprf::blind(hash.as_bytes())?;

	// Connected before the guess is sent, all at once, so that nothing is added after it.
	let connections =
		futures::future::join_all(nodes.iter().map(|url| ChainClient::connect(url))).await;
	let mut serving = Vec::new();
	for (url, connection) in nodes.iter().zip(connections) {
		match connection {
			Ok(node) => serving.push(node),
			Err(e) => reporter.warn(format!("{url}: {e}; its custodian's evaluation is read from chain")),
		}
	}

	let submitted_at = client.best_block().await?.number;
	let started = Instant::now();
	reporter.step(format!(
		"recording guess {} of {} (only the blinded passphrase leaves this machine)",
		status.used + 1,
		status.max_guesses
	));
	let call = RuntimeCall::KeyEscrow(EscrowCall::record_guess {
		escrow: id,
		blinded: H256(blinded.to_bytes()),
	});
	let inclusion =
		sign_and_submit(client, guesser, call, FINALITY_TIMEOUT, reporter.transaction("record_guess"))
			.await?;
	let recorded = started.elapsed();
	let (guess, used, max_guesses) = inclusion
		.events
		.iter()
		.find_map(|event| match event {
			RuntimeEvent::KeyEscrow(pallet_key_escrow::Event::GuessRecorded {
				escrow,
				guess,
				used,
				max_guesses,
				..
			}) if *escrow == id => Some((*guess, *used, *max_guesses)),
			_ => None,
		})
		.ok_or_else(|| Error::decode("record_guess events", "no GuessRecorded event"))?;

	let started = Instant::now();
	let threshold = record.threshold as usize;
	let serving = &serving;
	// Locked only between awaits; a Mutex (not a RefCell) keeps the future `Send`.
	let checker = std::sync::Mutex::new(EvaluationChecker::new(&record, blinded));
	client
		.wait_until(&format!("{threshold} custodians to evaluate guess {guess}"), timeout, || {
			let checker = &checker;
			async move {
				let evaluations = client.evaluations(id, guess).await?;
				if evaluations.is_empty() &&
					!client.guesses(id).await?.iter().any(|(open, _)| *open == guess)
				{
					return Err(Error::Invalid(format!(
						"guess {guess} of escrow {id:?} ended before it was evaluated (a reset, a re-split or another requester's success)"
					)));
				}
				let before = {
					let mut checker = checker.lock().expect("never poisoned: no panics inside");
					let before = checker.valid.len();
					checker.check(evaluations, reporter);
					before
				};
				if checker.lock().expect("never poisoned").valid.len() < threshold {
					take_served(serving, id, guess, checker, threshold, reporter).await;
				}
				let checker = checker.lock().expect("never poisoned: no panics inside");
				if checker.valid.len() != before {
					reporter.step(format!(
						"{} of {threshold} custodian evaluations checked",
						checker.valid.len().min(threshold)
					));
				}
				Ok((checker.valid.len() >= threshold).then_some(()))
			}
		})
		.await?;
	let evaluated = started.elapsed();
	let blocks = client.best_block().await?.number.saturating_sub(submitted_at);
	let checker = checker.into_inner().expect("never poisoned: no panics inside");

	let started = Instant::now();
	let chosen: Vec<(Evaluation, OprfPublicKey)> =
		checker.valid.iter().take(threshold).cloned().collect();
	let output = oprf::combine_and_finalize(
		hash.as_bytes(),
		&blind,
		&blinded,
		&chosen,
		record.threshold as u8,
	)?;
	let key = checked_protection_key(&record, &hash, &output).map(|key| (key, output));
	let derive = started.elapsed();
	Ok(GuessOutcome {
		guess,
		inclusion,
		used,
		max_guesses,
		evaluated_by: chosen.iter().map(|(evaluation, _)| evaluation.slot).collect(),
		faulty: checker.faulty,
		timings: GuessTimings { kdf, recorded, evaluated, derive },
		blocks,
		served: checker
			.served
			.iter()
			.copied()
			.filter(|index| chosen.iter().any(|(evaluation, _)| evaluation.slot == *index))
			.collect(),
		key,
	})
}

/// How long one node may take to serve an evaluation: its own wait, and two seconds more.
const SERVED_TIMEOUT: Duration =
	Duration::from_millis(custos_rpc_api::EVALUATION_WAIT_MS + 2_000);

/// Asks each node in `serving` (concurrently) for its custodian's evaluation of guess `guess`
/// of escrow `id`, and checks each one served until `threshold` are valid. A node that
/// serves an evaluation failing its proof is named in a warning and not used; its custodian
/// is not blamed (the node may not be the custodian's), and the chain's record still counts.
async fn take_served(
	serving: &[ChainClient],
	id: EscrowId,
	guess: u32,
	checker: &std::sync::Mutex<EvaluationChecker<'_>>,
	threshold: usize,
	reporter: Reporter,
) {
	use futures::{stream::FuturesUnordered, StreamExt};
	let mut asks: FuturesUnordered<_> = serving
		.iter()
		.map(|node| async move {
			// The node waits up to EVALUATION_WAIT_MS itself; one that hangs is not waited for.
			let served = tokio::time::timeout(SERVED_TIMEOUT, node.served_evaluation(id, guess))
				.await
				.unwrap_or(Ok(None));
			(node.url().to_string(), served)
		})
		.collect();
	while let Some((url, served)) = asks.next().await {
		let Ok(Some(served)) = served else { continue };
		let mut checker = checker.lock().expect("never poisoned: no panics inside");
		checker.check_served(&url, served.index, &served.evaluation.0, reporter);
		if checker.valid.len() >= threshold {
			// Enough: the other nodes' answers are not needed.
			break;
		}
	}
}

/// Checks evaluations as they appear, each once: good ones are kept with their slot's key,
/// bad ones name their custodian (when read from chain) or their node (when served).
struct EvaluationChecker<'a> {
	record: &'a EscrowOf<Runtime>,
	blinded: BlindedElement,
	seen: Vec<u32>,
	valid: Vec<(Evaluation, OprfPublicKey)>,
	faulty: Vec<FaultyEvaluation>,
	/// Slots whose valid evaluation a node served.
	served: Vec<u32>,
}

impl<'a> EvaluationChecker<'a> {
	fn new(record: &'a EscrowOf<Runtime>, blinded: BlindedElement) -> Self {
		Self {
			record,
			blinded,
			seen: Vec::new(),
			valid: Vec::new(),
			faulty: Vec::new(),
			served: Vec::new(),
		}
	}

	/// Checks an evaluation of slot `index` that the node at `url` served; only a valid one is
	/// marked seen, so the chain's record of that slot still counts after a bad one.
	fn check_served(&mut self, url: &str, index: u32, bytes: &[u8], reporter: Reporter) {
		if self.seen.contains(&index) {
			return;
		}
		let Some(slot) = self.record.custodians.get(index as usize) else { return };
		let public = OprfPublicKey::from(slot.oprf_key);
		let checked = Evaluation::from_bytes(index, bytes)
			.and_then(|evaluation| oprf::verify(&evaluation, &public, &self.blinded).map(|()| evaluation));
		match checked {
			Ok(evaluation) => {
				self.seen.push(index);
				self.valid.push((evaluation, public));
				self.served.push(index);
			},
			Err(e) => reporter.warn(format!(
				"node {url} served an evaluation of share {index} that fails its check ({e}); not used"
			)),
		}
	}

	fn check(&mut self, evaluations: Vec<(u32, [u8; 96])>, reporter: Reporter) {
		for (index, bytes) in evaluations {
			if self.seen.contains(&index) {
				continue;
			}
			self.seen.push(index);
			let Some(slot) = self.record.custodians.get(index as usize) else { continue };
			let public = OprfPublicKey::from(slot.oprf_key);
			let checked = Evaluation::from_bytes(index, &bytes)
				.and_then(|evaluation| oprf::verify(&evaluation, &public, &self.blinded).map(|()| evaluation));
			match checked {
				Ok(evaluation) => self.valid.push((evaluation, public)),
				Err(e) => {
					let custodian: &AccountId = &slot.account;
					reporter.warn(format!("custodian {custodian} (share {index}): {e}"));
					self.faulty.push(FaultyEvaluation {
						index,
						custodian: custodian.to_string(),
						reason: e.to_string(),
					});
				},
			}
		}
	}
}
