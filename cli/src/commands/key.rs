//! `custos key`: generate, import and inspect key files.

use std::{fmt, path::Path};

use custos_client::{
	keys::KeyMaterial,
	passphrase::{read_secret_line, STDIN},
};
use custos_primitives::{KeyKind, H256};
use custos_runtime::AccountId;
use serde::Serialize;
use zeroize::Zeroizing;

use super::{account_of, Context, Result};
use crate::cli::KeyCommand;

/// A key: what it is, its fingerprint and (for sr25519) its account; with the file written
/// when the command wrote one.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct KeyReport {
	/// What the key is.
	pub kind: KeyKind,
	/// The fingerprint an escrow of this key records (salted with the owner for raw keys).
	pub fingerprint: H256,
	/// The key's own account, for sr25519 keys.
	pub account: Option<AccountId>,
	/// The key file written (`generate`, `import`).
	#[serde(skip_serializing_if = "Option::is_none")]
	pub file: Option<String>,
}

impl KeyReport {
	fn new(key: &KeyMaterial, owner: &AccountId, file: Option<&Path>) -> Self {
		Self {
			kind: key.kind(),
			fingerprint: key.fingerprint(owner),
			account: key.sr25519_pair().map(|pair| account_of(&pair)),
			file: file.map(|path| path.display().to_string()),
		}
	}
}

impl fmt::Display for KeyReport {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		if let Some(file) = &self.file {
			writeln!(f, "Wrote {file} (mode 0600).")?;
		}
		write!(f, "  kind         {}\n  fingerprint  {:?}", self.kind, self.fingerprint)?;
		if let Some(account) = &self.account {
			write!(f, "\n  account      {account}")?;
		}
		Ok(())
	}
}

pub(super) fn run(ctx: &Context, command: KeyCommand) -> Result<()> {
	let (key, out, force) = match command {
		KeyCommand::Generate { kind, out, force } => (KeyMaterial::generate(kind)?, out, force),
		KeyCommand::Import { kind, secret_file, out, force } => {
			// Refuse before the secret is typed, not after (`write_file` checks again).
			if out.exists() && !force {
				return Err(anyhow::anyhow!(
					"{}: exists already (choose another path, or --force)",
					out.display()
				));
			}
			let text = read_secret(&secret_file)?;
			let line = text.lines().next().unwrap_or("");
			(KeyMaterial::parse(kind, line)?, out, force)
		},
		KeyCommand::Show { key_file, owner } => return ctx.emit(&show(&key_file, owner)?),
	};
	key.write_file(&out, force)?;
	// A key without an account of its own is written with the fingerprint for no owner; its
	// escrow's fingerprint is salted with the real owner (see `key show --owner`).
	let owner = key.sr25519_pair().map(|pair| account_of(&pair)).unwrap_or(AccountId::new([0; 32]));
	ctx.emit(&KeyReport::new(&key, &owner, Some(&out)))
}

/// `key show`: a key file's kind, fingerprint and account.
fn show(key_file: &Path, owner: Option<AccountId>) -> Result<KeyReport> {
	let key = KeyMaterial::read_file(key_file)?;
	let owner = match owner {
		Some(owner) => owner,
		None => key.sr25519_pair().map(|pair| account_of(&pair)).ok_or_else(|| {
			anyhow::anyhow!("give --owner: a raw or ed25519 key's fingerprint depends on its owner")
		})?,
	};
	Ok(KeyReport::new(&key, &owner, None))
}

/// The secret's text from `path`, or for `-` from stdin (typed at a terminal without echo).
fn read_secret(path: &Path) -> Result<Zeroizing<String>> {
	if path == Path::new(STDIN) {
		return Ok(read_secret_line("Mnemonic or 0x-hex secret: ")?);
	}
	Ok(Zeroizing::new(
		std::fs::read_to_string(path).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?,
	))
}
