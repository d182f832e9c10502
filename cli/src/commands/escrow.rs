//! `custos escrow`: escrow a key with custodians, and manage escrows.

use std::{fmt, time::Instant};

use custos_client::{
	deposit,
	escrow::{self, Created, CustodianChoice, EscrowOptions, FINALITY_TIMEOUT},
	keys::KeyMaterial,
	passphrase::MIN_PASSPHRASE_LEN,
	signer::parse_signer,
	ChainClient, Error,
};
use custos_primitives::{EscrowId, StorageMode, H256};
use custos_rpc_api::views::{EscrowView, GuessesView, HealthView};
use custos_runtime::AccountId;
use serde::Serialize;

use super::{join, passphrase, recover::RecoveryStatus, signer_or_key, Context, Included, Result};
use crate::cli::{EscrowCommand, PolicyArgs, SplitArgs};

/// `escrow create`: a key escrowed.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EscrowCreated {
	/// The escrow id (keep it: recovery needs it).
	pub id: EscrowId,
	/// Fingerprint of the escrowed key.
	pub fingerprint: H256,
	/// The custodians, in share order.
	pub custodians: Vec<AccountId>,
	/// Shares needed to rebuild the key.
	pub threshold: u32,
	/// Where the sealed shares live.
	pub mode: StorageMode,
	/// Where the escrow was finalized.
	pub inclusion: Included,
	/// The block whose proven record was checked to name the custodian keys the shares are
	/// sealed to (the block of `inclusion`).
	pub custodian_keys_checked_at: u32,
	/// Bytes of chain state the escrow occupies.
	pub bytes_on_chain: usize,
	/// Time deriving the passphrase key.
	pub kdf_millis: f64,
	/// Time splitting and sealing.
	pub split_and_seal_millis: f64,
	/// Time of the whole command.
	pub total_seconds: f64,
}

impl fmt::Display for EscrowCreated {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		write!(
			f,
			"Escrowed key {:?} as {:?}.\n  {} of {} custodians: {}\n  finalized in block #{}; {} \
			 bytes on chain\n  the record proven at block #{} names the custodian keys the shares \
			 are sealed to\n  Keep the escrow id and your passphrase: recovery needs both.",
			self.fingerprint,
			self.id,
			self.threshold,
			self.custodians.len(),
			join(&self.custodians),
			self.inclusion.block,
			self.bytes_on_chain,
			self.custodian_keys_checked_at
		)
	}
}

/// `escrow show`: the escrow record as `custos_escrow` serves it, with its passphrase guesses
/// as `custos_guesses` serves them under `guesses`; the text adds where its recovery stands.
#[derive(Debug, Serialize)]
pub struct EscrowShown {
	/// The record.
	#[serde(flatten)]
	pub escrow: EscrowView,
	/// Its guesses.
	pub guesses: GuessesView,
	/// Its open request, for the text (`recover status --json` has it as JSON).
	#[serde(skip)]
	pub recovery: RecoveryStatus,
}

impl fmt::Display for EscrowShown {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		write!(f, "{}\n{}", Described(&self.escrow), self.recovery)
	}
}

/// The text of an escrow record.
struct Described<'a>(&'a EscrowView);

impl fmt::Display for Described<'_> {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		let escrow = self.0;
		writeln!(f, "Escrow {:?}", escrow.id)?;
		writeln!(f, "  owner        {}", escrow.owner)?;
		writeln!(f, "  fingerprint  {:?} ({})", escrow.fingerprint, escrow.key_kind)?;
		writeln!(
			f,
			"  threshold    {} of {} ({}; generation {})",
			escrow.threshold,
			escrow.custodians.len(),
			escrow.mode,
			escrow.generation
		)?;
		writeln!(f, "  custodians")?;
		for (i, slot) in escrow.custodians.iter().enumerate() {
			let pending = if slot.acknowledged { "" } else { " (not acknowledged yet)" };
			writeln!(f, "    {i}: {}{pending}", slot.account)?;
		}
		let policy = &escrow.policy;
		write!(
			f,
			"  policy       passphrase: {}; guardians: {} of [{}]; authorities: [{}]; delay {} \
			 blocks; max attempts {}; max guesses {}",
			if policy.require_passphrase { "required" } else { "needed to open shares only" },
			policy.guardian_threshold,
			join(&policy.guardians),
			join(&policy.authorities),
			policy.delay,
			policy.max_attempts,
			policy.max_guesses
		)
	}
}

/// `escrow list`: an account's escrows (JSON: an array of escrow views).
#[derive(Debug, Serialize)]
#[serde(transparent)]
pub struct EscrowList {
	/// The owner asked about.
	#[serde(skip)]
	pub owner: AccountId,
	/// Its escrows.
	pub escrows: Vec<EscrowView>,
}

impl fmt::Display for EscrowList {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		if self.escrows.is_empty() {
			return write!(f, "{} has no escrows.", self.owner);
		}
		let lines = self.escrows.iter().map(|e| {
			format!(
				"{:?}  {} of {}  key {:?}",
				e.id,
				e.threshold,
				e.custodians.len(),
				e.fingerprint
			)
		});
		f.write_str(&lines.collect::<Vec<_>>().join("\n"))
	}
}

/// `escrow health`: live custodians against the threshold (JSON: `custos_escrowHealth`).
#[derive(Debug, Serialize)]
#[serde(transparent)]
pub struct Health(pub HealthView);

impl fmt::Display for Health {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		let health = &self.0;
		write!(
			f,
			"{} of {} custodians live, threshold {}: {}",
			health.live,
			health.custodians,
			health.threshold,
			if health.unrecoverable {
				"UNRECOVERABLE — fewer live custodians than the threshold"
			} else if health.at_risk {
				"at risk — re-split with `custos escrow reshare`"
			} else {
				"healthy"
			}
		)
	}
}

/// `escrow remove`: an escrow removed.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EscrowRemoved {
	/// The escrow.
	pub id: EscrowId,
	/// Where the removal was finalized.
	pub inclusion: Included,
}

impl fmt::Display for EscrowRemoved {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		write!(
			f,
			"Escrow {:?} removed; deposits returned (block #{}).",
			self.id, self.inclusion.block
		)
	}
}

/// `escrow reshare`: an escrow re-split.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EscrowReshared {
	/// The escrow.
	pub id: EscrowId,
	/// The new custodians, in share order.
	pub custodians: Vec<AccountId>,
	/// The new threshold.
	pub threshold: u32,
	/// Where the re-split was finalized.
	pub inclusion: Included,
	/// The block whose proven record was checked to name the custodian keys the new shares
	/// are sealed to (the block of `inclusion`).
	pub custodian_keys_checked_at: u32,
}

impl fmt::Display for EscrowReshared {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		write!(
			f,
			"Escrow {:?} re-split: {} of {} custodians (block #{}; its proven record names the \
			 custodian keys the shares are sealed to).",
			self.id,
			self.threshold,
			self.custodians.len(),
			self.inclusion.block
		)
	}
}

pub(super) async fn run(ctx: &Context, command: EscrowCommand) -> Result<()> {
	let client = ctx.connect().await?;
	match command {
		EscrowCommand::Create { key_file, signer, split, policy, passphrase: passphrase_args } => {
			let key = KeyMaterial::read_file(&key_file)?;
			let owner = signer_or_key(signer.as_deref(), &key)?;
			let options = escrow_options(&split, Some(&policy));
			let passphrase = passphrase(&passphrase_args, true)?;
			check_passphrase_length(&passphrase)?;
			let started = Instant::now();
			let created = escrow::create(
				&client,
				&owner,
				&key,
				passphrase.as_bytes(),
				&options,
				ctx.reporter,
			)
			.await?;
			deposit_if_custodian_held(ctx, &client, &split, &options, &created).await?;
			ctx.emit(&EscrowCreated {
				id: created.id,
				fingerprint: created.fingerprint,
				custodians: custodians(&created),
				threshold: options.threshold,
				mode: options.mode,
				inclusion: (&created.inclusion).into(),
				custodian_keys_checked_at: created.inclusion.block.number,
				bytes_on_chain: created.bytes_on_chain,
				kdf_millis: created.timings.kdf.as_secs_f64() * 1e3,
				split_and_seal_millis: created.timings.split_and_seal.as_secs_f64() * 1e3,
				total_seconds: started.elapsed().as_secs_f64(),
			})
		},
		EscrowCommand::Show { id } => {
			let record = client.existing_escrow(id).await?;
			let recovery = RecoveryStatus::fetch(&client, id).await?;
			ctx.emit(&EscrowShown {
				escrow: EscrowView::new(id, &record),
				guesses: recovery.guesses.clone(),
				recovery,
			})
		},
		EscrowCommand::List { owner } => {
			let mut escrows = Vec::new();
			for id in client.escrows_of(&owner).await? {
				if let Some(record) = client.escrow(id).await? {
					escrows.push(EscrowView::new(id, &record));
				}
			}
			ctx.emit(&EscrowList { owner, escrows })
		},
		EscrowCommand::Health { id } => {
			let health = client
				.escrow_health(id)
				.await?
				.ok_or_else(|| Error::NotFound { what: format!("escrow {id:?}") })?;
			ctx.emit(&Health(health.into()))
		},
		EscrowCommand::Remove { id, signer } => {
			let owner = parse_signer(&signer)?;
			let inclusion = escrow::remove(&client, &owner, id, ctx.reporter).await?;
			ctx.emit(&EscrowRemoved { id, inclusion: (&inclusion).into() })
		},
		EscrowCommand::Reshare { id, key_file, signer, split, passphrase: passphrase_args } => {
			let key = KeyMaterial::read_file(&key_file)?;
			let owner = signer_or_key(signer.as_deref(), &key)?;
			let options = escrow_options(&split, None);
			let passphrase = passphrase(&passphrase_args, true)?;
			check_passphrase_length(&passphrase)?;
			let created = escrow::reshare(
				&client,
				&owner,
				id,
				&key,
				passphrase.as_bytes(),
				&options,
				ctx.reporter,
			)
			.await?;
			deposit_if_custodian_held(ctx, &client, &split, &options, &created).await?;
			ctx.emit(&EscrowReshared {
				id,
				custodians: custodians(&created),
				threshold: options.threshold,
				inclusion: (&created.inclusion).into(),
				custodian_keys_checked_at: created.inclusion.block.number,
			})
		},
	}
}

/// The library's options from the split and (for `create`) policy flags.
fn escrow_options(split: &SplitArgs, policy: Option<&PolicyArgs>) -> EscrowOptions {
	let custodians = if split.custodian.is_empty() {
		CustodianChoice::Any(split.custodians)
	} else {
		CustodianChoice::List(split.custodian.clone())
	};
	let (guardians, guardian_threshold, authorities, delay, max_attempts, max_guesses, passphrase) =
		match policy {
			Some(p) => (
				p.guardian.clone(),
				p.guardian_threshold.unwrap_or(p.guardian.len() as u32),
				p.authority.clone(),
				p.delay,
				p.max_attempts,
				p.max_guesses,
				!p.no_passphrase_factor,
			),
			None => Default::default(),
		};
	EscrowOptions {
		threshold: split.threshold,
		custodians,
		guardians,
		guardian_threshold,
		authorities,
		delay,
		max_attempts,
		max_guesses,
		require_passphrase: passphrase,
		mode: if split.custodian_held { StorageMode::CustodianHeld } else { StorageMode::OnChain },
		kdf_memory_kib: split.kdf_memory_mib.saturating_mul(1024),
		kdf_iterations: split.kdf_iterations,
		kdf_parallelism: split.kdf_parallelism,
	}
}

/// Hands a custodian-held escrow's sealed shares to the custodians' nodes (`--nodes`).
async fn deposit_if_custodian_held(
	ctx: &Context,
	client: &ChainClient,
	split: &SplitArgs,
	options: &EscrowOptions,
	created: &Created,
) -> Result<()> {
	if options.mode == StorageMode::CustodianHeld {
		deposit::deposit_created(&split.nodes, created, client, FINALITY_TIMEOUT, ctx.reporter)
			.await?;
	}
	Ok(())
}

/// The passphrase rule of `create`, applied to `reshare` too (a re-split sets the passphrase
/// anew).
fn check_passphrase_length(passphrase: &str) -> Result<()> {
	if passphrase.chars().count() < MIN_PASSPHRASE_LEN {
		return Err(anyhow::anyhow!("the passphrase needs at least {MIN_PASSPHRASE_LEN} characters"));
	}
	Ok(())
}

/// The custodians of a new split, in share order.
fn custodians(created: &Created) -> Vec<AccountId> {
	created.custodians.iter().map(|(account, _)| account.clone()).collect()
}
