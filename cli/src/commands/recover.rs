//! `custos recover`: recover an escrowed key.

use std::{
	fmt,
	path::PathBuf,
	time::{Duration, Instant},
};

use custos_client::{
	args::default_state_dir,
	collect::{self, FaultyShare},
	guess::FaultyEvaluation,
	recovery::{self, RequestFile},
	signer::parse_signer,
	ChainClient,
};
use custos_primitives::{EscrowId, H256};
use custos_rpc_api::views::{GuessesView, RequestView};
use custos_runtime::{AccountId, BlockNumber};
use serde::Serialize;

use super::{join, passphrase, Context, Included, Result};
use crate::cli::{PassphraseArgs, RecoverCommand};

/// `recover status`: escrow `id`'s guesses as `custos_guesses` serves them and its open
/// request as `custos_request` serves it (or `null`); the text adds the releases against the
/// threshold.
#[derive(Debug, Serialize)]
pub struct RecoveryStatus {
	/// The passphrase guesses: used, left, locked, open guesses.
	pub guesses: GuessesView,
	/// The open request and its phase, if any.
	pub request: Option<RequestView>,
	/// Shares released to it so far.
	#[serde(skip)]
	pub released: usize,
	/// Shares needed.
	#[serde(skip)]
	pub threshold: u32,
	/// The best block when asked.
	#[serde(skip)]
	pub best: BlockNumber,
}

impl RecoveryStatus {
	/// Reads where the recovery of `id` stands.
	pub async fn fetch(client: &ChainClient, id: EscrowId) -> Result<Self> {
		let status = recovery::status(client, id).await?;
		Ok(Self {
			guesses: client.guesses_view(id).await?,
			request: status.request.map(|(request, phase)| RequestView::new(&request, phase)),
			released: status.released.len(),
			threshold: status.escrow.threshold,
			best: status.best,
		})
	}
}

impl fmt::Display for RecoveryStatus {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		let guesses = &self.guesses;
		if guesses.locked {
			writeln!(
				f,
				"  guesses      LOCKED: {} of {} used; unlock with `custos recover unlock` \
				 (the owner, {} guardian vote(s), or an accepted authority) or re-split",
				guesses.used, guesses.max_guesses, guesses.reset_threshold
			)?;
		} else {
			writeln!(
				f,
				"  guesses      {} of {} used since the last success, {} left",
				guesses.used, guesses.max_guesses, guesses.remaining
			)?;
		}
		let Some(request) = &self.request else {
			return f.write_str("  no open recovery request");
		};
		write!(
			f,
			"  recovery     {} by {}; approvals {}; {} of {} needed shares released; expires at \
			 #{} (now #{})",
			request.status,
			request.requester,
			request.approvals.len(),
			self.released,
			self.threshold,
			request.expires_at,
			self.best
		)
	}
}

/// `recover start`: the counted guess that proved the passphrase, and the request opened.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RecoveryStarted {
	/// The escrow.
	pub id: EscrowId,
	/// The guess that proved the passphrase (the counter is reset by the request).
	pub guess: GuessReport,
	/// The request's nonce (its recovery-key signature names it).
	pub nonce: u32,
	/// Where the one-time key was saved for `collect`.
	pub request_file: String,
	/// The one-time public key releases are sealed to.
	pub one_time_key: H256,
	/// Where the request was finalized.
	pub inclusion: Included,
}

impl fmt::Display for RecoveryStarted {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		write!(
			f,
			"Passphrase right: guess {} of {} (evaluated by shares {} in {:.1} s); the guess \
			 counter is reset.\nRecovery of {:?} requested (block #{}).\n  one-time key saved in \
			 {}\n  Next: guardians approve (`custos recover approve`), the delay passes, then \
			 `custos recover collect`.",
			self.guess.used,
			self.guess.max_guesses,
			join(&self.guess.evaluated_by),
			self.guess.seconds,
			self.id,
			self.inclusion.block,
			self.request_file
		)?;
		if !self.guess.served_early.is_empty() {
			write!(
				f,
				"\n  shares {} were evaluated by their custodians' nodes before the chain held them",
				join(&self.guess.served_early)
			)?;
		}
		for fault in &self.guess.faulty {
			write!(
				f,
				"\n  custodian {} served a bad evaluation for share {}: {}",
				fault.custodian, fault.index, fault.reason
			)?;
		}
		Ok(())
	}
}

/// A counted guess as `recover start` reports it.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GuessReport {
	/// The guess id on chain.
	pub guess: u32,
	/// Guesses counted since the last success, this one included.
	pub used: u32,
	/// The escrow's limit.
	pub max_guesses: u32,
	/// Share indexes whose evaluations were combined.
	pub evaluated_by: Vec<u32>,
	/// Of those, the ones a custodian's node served (`custos_evaluatedGuess`) before the chain
	/// held them; checked as those would be.
	pub served_early: Vec<u32>,
	/// Custodians whose evaluation failed its check.
	pub faulty: Vec<FaultyEvaluation>,
	/// Seconds from submitting the guess to P derived (Argon2id excluded).
	pub seconds: f64,
	/// Milliseconds of Argon2id.
	pub kdf_millis: f64,
}

/// `recover unlock`: guesses and attempts reset (or a guardian's vote for it).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Unlocked {
	/// The escrow.
	pub id: EscrowId,
	/// Whether the counters were reset (false: a guardian vote below the threshold).
	pub reset: bool,
	/// The guesses after the call.
	pub guesses: GuessesView,
	/// Where the call was finalized.
	pub inclusion: Included,
}

impl fmt::Display for Unlocked {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		if self.reset {
			write!(
				f,
				"Escrow {:?} unlocked: {} guesses left, failed attempts cleared (block #{}).",
				self.id, self.guesses.remaining, self.inclusion.block
			)
		} else {
			write!(
				f,
				"Vote to unlock {:?} recorded: {} of {} guardian votes (block #{}).",
				self.id, self.guesses.reset_votes, self.guesses.reset_threshold, self.inclusion.block
			)
		}
	}
}

/// `recover approve`: a guardian's approval.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RecoveryApproved {
	/// The escrow.
	pub id: EscrowId,
	/// The approved request's nonce.
	pub nonce: u32,
	/// Who asked for it.
	pub requester: AccountId,
	/// Where the approval was finalized.
	pub inclusion: Included,
}

impl fmt::Display for RecoveryApproved {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		write!(
			f,
			"Approved request {} by {} to recover {:?} (block #{}).",
			self.nonce, self.requester, self.id, self.inclusion.block
		)
	}
}

/// `recover authorize`: a recovery authorization issued.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RecoveryAuthorized {
	/// The escrow.
	pub id: EscrowId,
	/// Who may recover it.
	pub requester: AccountId,
	/// Blocks the authorization stays valid.
	pub valid_for: BlockNumber,
	/// Where the authorization was finalized.
	pub inclusion: Included,
}

impl fmt::Display for RecoveryAuthorized {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		write!(
			f,
			"Authorized {} to recover {:?} for {} blocks (block #{}).",
			self.requester, self.id, self.valid_for, self.inclusion.block
		)
	}
}

/// `recover cancel`: the owner cancelled the open request.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RecoveryCancelled {
	/// The escrow.
	pub id: EscrowId,
	/// Where the cancellation was finalized.
	pub inclusion: Included,
}

impl fmt::Display for RecoveryCancelled {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		write!(
			f,
			"Cancelled the recovery of {:?}; the requester's deposit went to the owner (block \
			 #{}).",
			self.id, self.inclusion.block
		)
	}
}

/// `recover collect`: the key rebuilt and written.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct KeyRecovered {
	/// The escrow.
	pub id: EscrowId,
	/// The key file written.
	pub out: String,
	/// The recovered key's fingerprint (the escrow's).
	pub fingerprint: H256,
	/// The shares combined.
	pub used: Vec<ShareUsed>,
	/// Custodians whose share, proven on chain, failed a check.
	pub faulty: Vec<FaultyShare>,
	/// Nodes that could not be asked.
	pub unreachable: Vec<NodeReason>,
	/// Nodes whose answers were not used: a proof or header that does not verify, another
	/// chain, an escrow record the other nodes outvote, a release the chain does not hold.
	pub lying_nodes: Vec<NodeReason>,
	/// The nodes whose escrow record was taken (one alone: only its word).
	pub record_from: Vec<String>,
	/// Where closing the request was finalized, if it was closed.
	pub closed: Option<Included>,
	/// Whether the request file (one-time secret, OPRF output) was overwritten and removed.
	pub request_file_wiped: bool,
	/// Time of the whole collection.
	pub seconds: f64,
}

/// A share combined into the recovered key.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ShareUsed {
	/// Share index.
	pub index: u32,
	/// The custodian that released it.
	pub custodian: AccountId,
	/// Taken from the custodian's node (`custos_releasedShare`) before its release record was
	/// final; checked as a record would be.
	pub served_early: bool,
}

/// A node that could not be asked, or whose answers were not used.
#[derive(Debug, Serialize)]
pub struct NodeReason {
	/// Its URL.
	pub url: String,
	/// Why.
	pub reason: String,
}

impl NodeReason {
	/// One per `(url, reason)`.
	fn list(nodes: &[(String, String)]) -> Vec<Self> {
		nodes
			.iter()
			.map(|(url, reason)| Self { url: url.clone(), reason: reason.clone() })
			.collect()
	}
}

impl fmt::Display for KeyRecovered {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		write!(
			f,
			"Recovered key {:?} into {} (mode 0600) from shares {}.",
			self.fingerprint,
			self.out,
			join(self.used.iter().map(|share| share.index))
		)?;
		let early: Vec<u32> =
			self.used.iter().filter(|share| share.served_early).map(|share| share.index).collect();
		if !early.is_empty() {
			write!(
				f,
				"\n  shares {} served by their custodians' nodes before their releases were final",
				join(early.into_iter())
			)?;
		}
		match &self.record_from[..] {
			[alone] => write!(
				f,
				"\n  escrow record from {alone} alone: no other node confirmed it"
			)?,
			nodes => write!(f, "\n  escrow record agreed by {} nodes", nodes.len())?,
		}
		for fault in &self.faulty {
			write!(
				f,
				"\n  custodian {} served a bad share {}: {}",
				fault.custodian, fault.index, fault.reason
			)?;
		}
		for node in &self.lying_nodes {
			write!(f, "\n  node {} not used: {}", node.url, node.reason)?;
		}
		for node in &self.unreachable {
			write!(f, "\n  node {} not reached: {}", node.url, node.reason)?;
		}
		if self.closed.is_some() {
			f.write_str("\n  request closed; deposit returned")?;
		}
		if self.request_file_wiped {
			f.write_str("\n  request file wiped")?;
		}
		Ok(())
	}
}

pub(super) async fn run(ctx: &Context, command: RecoverCommand) -> Result<()> {
	match command {
		RecoverCommand::Start { id, signer, nodes, state_dir, passphrase: passphrase_args } => {
			let client = ctx.connect().await?;
			let nodes = if nodes.is_empty() { vec![ctx.url.clone()] } else { nodes };
			let requester = parse_signer(&signer)?;
			let passphrase = passphrase(&passphrase_args, false)?;
			let state_dir = state_dir.unwrap_or_else(default_state_dir);
			let started = recovery::start(
				&client,
				&requester,
				id,
				passphrase.as_bytes(),
				&nodes,
				&state_dir,
				ctx.reporter,
			)
			.await?;
			let timings = &started.guess.timings;
			ctx.emit(&RecoveryStarted {
				id,
				guess: GuessReport {
					guess: started.guess.guess,
					used: started.guess.used,
					max_guesses: started.guess.max_guesses,
					evaluated_by: started.guess.evaluated_by.clone(),
					served_early: started.guess.served.clone(),
					faulty: started.guess.faulty.clone(),
					seconds: (timings.recorded + timings.evaluated + timings.derive).as_secs_f64(),
					kdf_millis: timings.kdf.as_secs_f64() * 1e3,
				},
				nonce: started.nonce,
				request_file: started.request_file.display().to_string(),
				one_time_key: started.one_time_public,
				inclusion: (&started.inclusion).into(),
			})
		},
		RecoverCommand::Status { id } => {
			let client = ctx.connect().await?;
			ctx.emit(&RecoveryStatus::fetch(&client, id).await?)
		},
		RecoverCommand::Unlock { id, signer } => {
			let client = ctx.connect().await?;
			let (inclusion, reset) =
				recovery::unlock(&client, &parse_signer(&signer)?, id, ctx.reporter).await?;
			ctx.emit(&Unlocked {
				id,
				reset,
				guesses: client.guesses_view(id).await?,
				inclusion: (&inclusion).into(),
			})
		},
		RecoverCommand::Approve { id, nonce, signer } => {
			let client = ctx.connect().await?;
			let (inclusion, requester) =
				recovery::approve(&client, &parse_signer(&signer)?, id, nonce, ctx.reporter)
					.await?;
			ctx.emit(&RecoveryApproved { id, nonce, requester, inclusion: (&inclusion).into() })
		},
		RecoverCommand::Authorize { id, requester, signer, valid_for } => {
			let client = ctx.connect().await?;
			let inclusion = recovery::authorize(
				&client,
				&parse_signer(&signer)?,
				id,
				requester.clone(),
				valid_for,
				ctx.reporter,
			)
			.await?;
			ctx.emit(&RecoveryAuthorized {
				id,
				requester,
				valid_for,
				inclusion: (&inclusion).into(),
			})
		},
		RecoverCommand::Cancel { id, signer } => {
			let client = ctx.connect().await?;
			let inclusion =
				recovery::cancel(&client, &parse_signer(&signer)?, id, ctx.reporter).await?;
			ctx.emit(&RecoveryCancelled { id, inclusion: (&inclusion).into() })
		},
		RecoverCommand::Collect {
			id,
			nodes,
			out,
			force,
			signer,
			wait,
			state_dir,
			passphrase: passphrase_args,
		} => {
			let args = CollectArgs { id, nodes, out, force, signer, wait, state_dir };
			ctx.emit(&collect(ctx, args, &passphrase_args).await?)
		},
	}
}

/// What `recover collect` was asked.
struct CollectArgs {
	id: EscrowId,
	nodes: Vec<String>,
	out: PathBuf,
	force: bool,
	signer: Option<String>,
	wait: u64,
	state_dir: Option<PathBuf>,
}

/// `recover collect`: waits for the releases, rebuilds the key, writes it, and (with a
/// signer) closes the request.
async fn collect(
	ctx: &Context,
	args: CollectArgs,
	passphrase_args: &PassphraseArgs,
) -> Result<KeyRecovered> {
	let CollectArgs { id, nodes, out, force, signer, wait, state_dir } = args;
	if out.exists() && !force {
		return Err(anyhow::anyhow!(
			"{} exists already (choose another path, or --force)",
			out.display()
		));
	}
	let nodes = if nodes.is_empty() { vec![ctx.url.clone()] } else { nodes };
	let state_dir = state_dir.unwrap_or_else(default_state_dir);
	let request = RequestFile::read(&RequestFile::path(&state_dir, &id))?;
	let requester = signer.as_deref().map(parse_signer).transpose()?;
	let passphrase = passphrase(passphrase_args, false)?;
	let started = Instant::now();
	let collected =
		collect::collect_when_released(
			&nodes,
			&request,
			passphrase.as_bytes(),
			Duration::from_secs(wait),
			ctx.reporter,
		)
		.await?;
	collect::write_key(&collected, &out, force)?;
	// The key is safe on disk: the request's secrets (one-time key, OPRF output) are no
	// longer needed, and whoever read them later could test passphrases offline.
	let request_path = RequestFile::path(&state_dir, &id);
	let request_file_wiped = match RequestFile::wipe(&request_path) {
		Ok(()) => true,
		Err(e) => {
			ctx.reporter.warn(format!("the key is written, but the request file stays: {e}"));
			false
		},
	};
	let seconds = started.elapsed().as_secs_f64();
	let mut closed = None;
	if let Some(requester) = requester {
		let close = async {
			let client = ChainClient::connect(&nodes[0]).await?;
			recovery::close(&client, &requester, id, ctx.reporter).await
		};
		match close.await {
			Ok(inclusion) => closed = Some((&inclusion).into()),
			Err(e) => ctx
				.reporter
				.warn(format!("the key is written, but closing the request failed: {e}")),
		}
	}
	Ok(KeyRecovered {
		id,
		out: out.display().to_string(),
		fingerprint: collected.fingerprint,
		used: collected
			.used
			.iter()
			.map(|(index, custodian)| ShareUsed {
				index: *index,
				custodian: custodian.clone(),
				served_early: collected.served_early.contains(index),
			})
			.collect(),
		faulty: collected.faulty.clone(),
		unreachable: NodeReason::list(&collected.unreachable),
		lying_nodes: NodeReason::list(&collected.lying_nodes),
		record_from: collected.agreeing_nodes.clone(),
		closed,
		request_file_wiped,
		seconds,
	})
}

