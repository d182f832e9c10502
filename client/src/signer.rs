//! The account that signs a command's transactions.

use std::path::Path;

use sp_core::{sr25519, Pair};

use crate::{keys::KeyMaterial, Error, Result};

/// Reads a signer: a key file written by `custos key generate` (sr25519), or a secret URI as
/// Substrate tools take it: a mnemonic, `0x`-hex seed, or a dev account such as `//Alice`.
pub fn parse_signer(text: &str) -> Result<sr25519::Pair> {
	let path = Path::new(text);
	if !text.starts_with("//") && path.is_file() {
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
