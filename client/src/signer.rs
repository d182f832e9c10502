//! The account that signs a command's transactions.

use std::path::Path;

use custos_runtime::AccountId;
use sp_core::{sr25519, Pair};

use crate::{args::parse_account, keys::KeyMaterial, Error, Result};

/// `text` as a key file path, if it names one (`//Name` never does).
fn key_file(text: &str) -> Option<&Path> {
	let path = Path::new(text);
	(!text.starts_with("//") && path.is_file()).then_some(path)
}

/// An account: a key file's sr25519 account, or anything [`parse_account`] reads.
pub fn parse_account_or_key_file(text: &str) -> Result<AccountId> {
	match key_file(text) {
		Some(_) => Ok(parse_signer(text)?.public().into()),
		None => parse_account(text),
	}
}

/// Reads a signer: a key file written by `custos key generate` (sr25519), or a secret URI as
/// Substrate tools take it: a mnemonic, `0x`-hex seed, or a dev account such as `//Alice`.
pub fn parse_signer(text: &str) -> Result<sr25519::Pair> {
	if let Some(path) = key_file(text) {
		let key = KeyMaterial::read_file(path)?;
		return key.sr25519_pair().ok_or_else(|| {
			Error::Invalid(format!("{text} holds an ed25519 or raw key; a signer must be sr25519"))
		});
	}
	sr25519::Pair::from_string(text, None).map_err(|e| {
		Error::Invalid(format!(
			"the signer is neither a key file nor a secret URI (mnemonic, 0x-seed, //Name): {e:?}"
		))
	})
}
