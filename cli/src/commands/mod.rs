//! What each command does: call the library and return a typed report, which [`emit`] prints
//! as text or, with `--json`, as JSON. One module per command group.

mod ca;
mod chain;
mod escrow;
mod key;
mod recover;
mod transfer;
mod validator;

use std::fmt::Display;

use custos_client::{
	keys::KeyMaterial, passphrase::read_passphrase, progress::Reporter, signer::parse_signer,
	submit::Inclusion, ChainClient,
};
use custos_runtime::Hash;
use serde::Serialize;
use sp_core::{sr25519, Pair};
use zeroize::Zeroizing;

use crate::cli::{Cli, Command, PassphraseArgs};

type Result<T> = anyhow::Result<T>;

/// What every command gets besides its own arguments.
struct Context {
	/// The node to talk to (`--url`).
	url: String,
	/// Print JSON (`--json`).
	json: bool,
	/// Progress on stderr.
	reporter: Reporter,
}

impl Context {
	/// A connection to `--url`, checked to run the runtime this client was built for.
	async fn connect(&self) -> Result<ChainClient> {
		let client = ChainClient::connect(&self.url).await?;
		client.check_runtime().await?;
		Ok(client)
	}

	/// Prints `report` the way `--json` says.
	fn emit<R: Serialize + Display>(&self, report: &R) -> Result<()> {
		emit(self.json, report)
	}
}

/// Runs the command the line asks for.
pub async fn run(cli: Cli) -> Result<()> {
	let ctx = Context { url: cli.url, json: cli.json, reporter: Reporter::stderr() };
	match cli.command {
		Command::Chain(command) => chain::run(&ctx, command).await,
		Command::Key(command) => key::run(&ctx, command),
		Command::Escrow(command) => escrow::run(&ctx, command).await,
		Command::Recover(command) => recover::run(&ctx, command).await,
		Command::Ca(command) => ca::run(&ctx, command).await,
		Command::Transfer(args) => transfer::run(&ctx, args).await,
		Command::Validator(command) => validator::run(&ctx, command).await,
	}
}

/// Prints `report` on stdout: as one pretty JSON document, or as its text.
pub fn emit<R: Serialize + Display>(json: bool, report: &R) -> Result<()> {
	if json {
		println!("{}", serde_json::to_string_pretty(report)?);
	} else {
		println!("{report}");
	}
	Ok(())
}

/// Where a transaction was finalized.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Included {
	/// Block number.
	pub block: u32,
	/// Block hash.
	pub block_hash: Hash,
	/// Transaction hash.
	pub transaction: Hash,
}

impl From<&Inclusion> for Included {
	fn from(inclusion: &Inclusion) -> Self {
		Self {
			block: inclusion.block.number,
			block_hash: inclusion.block.hash,
			transaction: inclusion.tx_hash,
		}
	}
}

/// Joins `items` with `, `.
fn join<T: Display>(items: impl IntoIterator<Item = T>) -> String {
	items.into_iter().map(|item| item.to_string()).collect::<Vec<_>>().join(", ")
}

/// Reads the passphrase the way the flags say.
fn passphrase(args: &PassphraseArgs, confirm: bool) -> Result<Zeroizing<String>> {
	Ok(read_passphrase(args.passphrase_file.as_deref(), confirm)?)
}

/// The signer, or the key itself when it is an sr25519 key.
fn signer_or_key(signer: Option<&str>, key: &KeyMaterial) -> Result<sr25519::Pair> {
	match signer {
		Some(signer) => Ok(parse_signer(signer)?),
		None => key.sr25519_pair().ok_or_else(|| {
			anyhow::anyhow!("an ed25519 or raw key cannot sign: give the owner with --signer")
		}),
	}
}

/// The account of an sr25519 pair.
fn account_of(pair: &sr25519::Pair) -> custos_runtime::AccountId {
	pair.public().into()
}

#[cfg(test)]
mod tests;
