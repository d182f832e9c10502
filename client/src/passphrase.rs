//! Reading secrets (the owner's passphrase, a signer's secret URI) without echoing or logging
//! them, and never from the command line.

use std::{
	io::{BufRead, IsTerminal, Read},
	path::Path,
};

use zeroize::Zeroizing;

use crate::{Error, Result};

/// Environment variable a script may set instead of typing the passphrase.
pub const PASSPHRASE_ENV: &str = "CUSTOS_PASSPHRASE";

/// Shortest passphrase accepted when escrowing.
pub const MIN_PASSPHRASE_LEN: usize = 8;

/// The file name that means standard input (`--signer -`, `--passphrase-file -`).
pub const STDIN: &str = "-";

/// Longest secret line read from standard input: far above a 24-word mnemonic, and the buffer
/// reserved for it never grows (growing would leave an unwiped copy).
const MAX_SECRET_LINE: usize = 4096;

/// Whether `path` names standard input: `-`, or one of its device paths.
pub fn is_stdin(path: &Path) -> bool {
	[STDIN, "/dev/stdin", "/dev/fd/0", "/proc/self/fd/0"].iter().any(|name| path == Path::new(name))
}

/// The passphrase: from `file` (first line; `-` reads standard input), else
/// `$CUSTOS_PASSPHRASE`, else typed at the terminal (twice when `confirm`).
pub fn read_passphrase(file: Option<&Path>, confirm: bool) -> Result<Zeroizing<String>> {
	let from_stdin = file.is_some_and(|file| file == Path::new(STDIN));
	if let Some(file) = file.filter(|_| !from_stdin) {
		let text = Zeroizing::new(std::fs::read_to_string(file).map_err(|e| Error::file(file, e))?);
		let line = Zeroizing::new(text.lines().next().unwrap_or("").to_string());
		return non_empty(line);
	}
	let terminal = std::io::stdin().is_terminal();
	if from_stdin && !terminal {
		return non_empty(first_line(&mut std::io::stdin().lock())?);
	}
	// `-` at a terminal is the prompt below; the environment is for when nothing is said.
	if let (false, Ok(value)) = (from_stdin, std::env::var(PASSPHRASE_ENV)) {
		return non_empty(Zeroizing::new(value));
	}
	if !terminal {
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

/// One secret line from standard input: typed at a terminal after `prompt`, without echo;
/// else the first line piped in, without its line ending.
pub fn read_secret_line(prompt: &str) -> Result<Zeroizing<String>> {
	if std::io::stdin().is_terminal() {
		let typed =
			rpassword::prompt_password(prompt).map_err(|e| Error::Invalid(e.to_string()))?;
		return Ok(Zeroizing::new(typed));
	}
	first_line(&mut std::io::stdin().lock())
}

/// The first line of `input` without its line ending, in a buffer wiped when dropped.
pub(crate) fn first_line(input: &mut impl BufRead) -> Result<Zeroizing<String>> {
	let mut line = Zeroizing::new(String::with_capacity(MAX_SECRET_LINE));
	input
		.take(MAX_SECRET_LINE as u64)
		.read_line(&mut line)
		.map_err(|e| Error::Invalid(format!("reading standard input: {e}")))?;
	let end = line.trim_end_matches(['\r', '\n']).len();
	line.truncate(end);
	Ok(line)
}

fn non_empty(passphrase: Zeroizing<String>) -> Result<Zeroizing<String>> {
	if passphrase.is_empty() {
		return Err(Error::Invalid("the passphrase is empty".into()));
	}
	Ok(passphrase)
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn a_secret_line_is_the_first_line_without_its_ending() {
		let mut input = std::io::Cursor::new("first words\r\nsecond\n");
		assert_eq!(first_line(&mut input).unwrap().as_str(), "first words");
		assert_eq!(first_line(&mut std::io::Cursor::new("")).unwrap().as_str(), "");
		// An endless line stops at the bound instead of filling memory.
		let endless = "x".repeat(3 * MAX_SECRET_LINE);
		let line = first_line(&mut std::io::Cursor::new(endless)).unwrap();
		assert_eq!(line.len(), MAX_SECRET_LINE);
		assert!(line.capacity() < 2 * MAX_SECRET_LINE, "the buffer grew, leaving a copy behind");
	}

	#[test]
	fn stdin_has_four_names() {
		for name in ["-", "/dev/stdin", "/dev/fd/0", "/proc/self/fd/0"] {
			assert!(is_stdin(Path::new(name)), "{name}");
		}
		assert!(!is_stdin(Path::new("./-x")));
		assert!(!is_stdin(Path::new("passphrase.txt")));
	}
}
