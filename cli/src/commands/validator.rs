//! `custos validator`: operators join and leave the validator set; anyone lists it.

use std::fmt;

use custos_client::{signer::parse_signer, validators, ChainClient};
use custos_primitives::Named;
use custos_runtime::{AccountId, BlockNumber};
use serde::Serialize;
use sp_core::H256;

use super::{Context, Included, Result};
use crate::cli::ValidatorCommand;

/// `validator join`: keys registered and joined.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ValidatorJoined {
	/// The operator.
	pub operator: AccountId,
	/// The new session keys (SCALE, as `session.setKeys` took them).
	pub session_keys: sp_core::Bytes,
	/// The node's build measurement, signed by the new Aura key.
	pub measurement: H256,
	/// The node's version string.
	pub version: String,
	/// Where the keys were registered.
	pub keys_inclusion: Included,
	/// Where the join was finalized.
	pub join_inclusion: Included,
	/// The block at which the next session starts, when the set is planned again.
	pub next_rotation: BlockNumber,
}

impl fmt::Display for ValidatorJoined {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		writeln!(f, "Registered new session keys for {} (block #{}).", self.operator, self.keys_inclusion.block)?;
		writeln!(f, "Node build {} (measurement {:?}).", self.version, self.measurement)?;
		writeln!(f, "Joined (block #{}).", self.join_inclusion.block)?;
		write!(
			f,
			"The set is planned again at block #{}; the node authors from the session after. \
			 Follow it with `custos validator list`.",
			self.next_rotation
		)
	}
}

/// `validator leave`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ValidatorLeft {
	/// The operator.
	pub operator: AccountId,
	/// Where it was finalized.
	pub inclusion: Included,
}

impl fmt::Display for ValidatorLeft {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		write!(
			f,
			"{} left (block #{}); the set drops it at the next session change.",
			self.operator, self.inclusion.block
		)
	}
}

/// One account in `validator list`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ValidatorEntry {
	/// The operator.
	pub account: AccountId,
	/// Validating in the current session.
	pub current: bool,
	/// Queued for the next session.
	pub queued: bool,
	/// Joined and not left.
	pub candidate: bool,
	/// Would be in the set if it were planned now (candidates only).
	pub eligible: Option<bool>,
	/// Why not, if not (`certificate-invalid`, `keys-missing`, ...).
	pub reason: Option<String>,
	/// The measurement its node reported when it joined.
	pub measurement: Option<H256>,
	/// Its `Validator` certificate: `valid`, `revoked`, `expired or issuer removed`, or none.
	pub certificate: String,
	/// The measurement its certificate names.
	pub certified_measurement: Option<H256>,
}

/// `validator list`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ValidatorListing {
	/// The current session.
	pub session: u32,
	/// The block at which the next session starts.
	pub next_rotation: BlockNumber,
	/// Every account that validates, is queued, or is a candidate.
	pub validators: Vec<ValidatorEntry>,
}

impl fmt::Display for ValidatorListing {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		writeln!(f, "Session {} (next from block #{}).", self.session, self.next_rotation)?;
		writeln!(f, "{:<50} {:<8} {:<7} {:<10} {}", "account", "current", "queued", "candidate", "certificate")?;
		for v in &self.validators {
			let candidate = match (v.candidate, v.eligible, &v.reason) {
				(false, ..) => "no".to_string(),
				(true, Some(true), _) => "eligible".to_string(),
				(true, _, Some(reason)) => reason.clone(),
				(true, ..) => "yes".to_string(),
			};
			writeln!(
				f,
				"{:<50} {:<8} {:<7} {:<10} {}",
				v.account.to_string(),
				yes_no(v.current),
				yes_no(v.queued),
				candidate,
				v.certificate
			)?;
		}
		Ok(())
	}
}

fn yes_no(b: bool) -> &'static str {
	if b {
		"yes"
	} else {
		"no"
	}
}

/// `validator measurement`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Measurement {
	/// The measurement a `Validator` certificate names.
	pub measurement: H256,
	/// The node's version string.
	pub version: String,
	/// Hash of the Wasm runtime the node was built with.
	pub runtime_code_hash: H256,
}

impl fmt::Display for Measurement {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		writeln!(f, "Measurement:       {:?}", self.measurement)?;
		writeln!(f, "Node version:      {}", self.version)?;
		write!(f, "Runtime code hash: {:?}", self.runtime_code_hash)
	}
}

pub(super) async fn run(ctx: &Context, command: ValidatorCommand) -> Result<()> {
	match command {
		ValidatorCommand::Join { signer, node } => {
			let client = ctx.connect().await?;
			let operator = parse_signer(&signer)?;
			let node = ChainClient::connect(&node).await?;
			let joined = validators::join(&client, &node, &operator, ctx.reporter).await?;
			let listing = validators::list(&client, &[]).await?;
			ctx.emit(&ValidatorJoined {
				operator: operator_account(&operator),
				session_keys: codec::Encode::encode(&joined.keys).into(),
				measurement: joined.measurement.measurement,
				version: joined.measurement.version,
				keys_inclusion: (&joined.keys_inclusion).into(),
				join_inclusion: (&joined.join_inclusion).into(),
				next_rotation: listing.sessions.next_rotation,
			})
		},
		ValidatorCommand::Leave { signer } => {
			let client = ctx.connect().await?;
			let operator = parse_signer(&signer)?;
			let inclusion = validators::leave(&client, &operator, ctx.reporter).await?;
			ctx.emit(&ValidatorLeft {
				operator: operator_account(&operator),
				inclusion: (&inclusion).into(),
			})
		},
		ValidatorCommand::List { account } => {
			let client = ctx.connect().await?;
			ctx.emit(&listing(validators::list(&client, &account).await?))
		},
		ValidatorCommand::Measurement { node } => {
			let node = ChainClient::connect(&node).await?;
			let m = validators::node_measurement(&node).await?;
			ctx.emit(&Measurement {
				measurement: m.measurement,
				version: m.version,
				runtime_code_hash: m.runtime_code_hash,
			})
		},
	}
}

fn operator_account(pair: &sp_core::sr25519::Pair) -> AccountId {
	sp_core::Pair::public(pair).into()
}

/// One row per account that validates, is queued or is a candidate.
fn listing(list: validators::ValidatorList) -> ValidatorListing {
	let validators = list
		.certificates
		.into_iter()
		.map(|(account, certificate)| {
			let candidate = list.candidates.iter().find(|c| c.account == account);
			let certificate_status = match &certificate {
				None => "none".to_string(),
				Some(c) if c.valid => format!("valid (#{})", c.id),
				Some(c) if c.revocation.is_some() => format!("revoked (#{})", c.id),
				Some(c) => format!("expired or issuer removed (#{})", c.id),
			};
			ValidatorEntry {
				current: list.sessions.current.contains(&account),
				queued: list.sessions.queued.contains(&account),
				candidate: candidate.is_some(),
				eligible: candidate.map(|c| c.eligible),
				reason: candidate.and_then(|c| c.reason).map(|r| r.name().to_string()),
				measurement: candidate.and_then(|c| c.measurement),
				certificate: certificate_status,
				certified_measurement: certificate.and_then(|c| c.measurement),
				account,
			}
		})
		.collect();
	ValidatorListing {
		session: list.sessions.index,
		next_rotation: list.sessions.next_rotation,
		validators,
	}
}
