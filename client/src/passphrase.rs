//! Reading the owner's passphrase without echoing or logging it.

use std::{io::IsTerminal, path::Path};

use zeroize::Zeroizing;

use crate::{Error, Result};

/// Environment variable a script may set instead of typing the passphrase.
pub const PASSPHRASE_ENV: &str = "CUSTOS_PASSPHRASE";

/// Shortest passphrase accepted when escrowing.
pub const MIN_PASSPHRASE_LEN: usize = 8;

/// The passphrase: from `file` (first line), else `$CUSTOS_PASSPHRASE`, else typed at the
/// terminal (twice when `confirm`).
pub fn read_passphrase(file: Option<&Path>, confirm: bool) -> Result<Zeroizing<String>> {
	if let Some(file) = file {
		let text = Zeroizing::new(std::fs::read_to_string(file).map_err(|e| Error::file(file, e))?);
		let line = Zeroizing::new(text.lines().next().unwrap_or("").to_string());
		return non_empty(line);
	}
	if let Ok(value) = std::env::var(PASSPHRASE_ENV) {
		return non_empty(Zeroizing::new(value));
	}
	if !std::io::stdin().is_terminal() {
		return Err(Error::Invalid(format!(
			"a passphrase is needed: use --passphrase-file, set {PASSPHRASE_ENV}, or run in a terminal"
		)));
	}
	let first = Zeroizing::new(
		rpassword::prompt_password("Passphrase: ").map_err(|e| Error::Invalid(e.to_string()))?,
	);
	if confirm {
		let second = Zeroizing::new(
			rpassword::prompt_password("Passphrase again: ")
				.map_err(|e| Error::Invalid(e.to_string()))?,
		);
		if *first != *second {
			return Err(Error::Invalid("the two passphrases differ".into()));
		}
	}
	non_empty(first)
}

fn non_empty(passphrase: Zeroizing<String>) -> Result<Zeroizing<String>> {
	if passphrase.is_empty() {
		return Err(Error::Invalid("the passphrase is empty".into()));
	}
	Ok(passphrase)
}
