//! The account that signs a command's transactions, and where its key may come from.
//!
//! Every user of a machine can read every command line (the process list, `/proc/PID/cmdline`)
//! and shells keep it in their history, so a secret is never taken from it: a signer is a key
//! file, `-` for a secret URI on standard input, or a development account, whose phrase is
//! public anyway.

use std::path::{Path, PathBuf};

use custos_runtime::AccountId;
use sp_core::{sr25519, Pair};

use crate::{
	args::{dev_pair, parse_account, VISIBLE},
	keys::KeyMaterial,
	passphrase::{read_secret_line, STDIN},
	Error, Result,
};

/// What to give instead of a secret on the command line.
pub const SIGNER_FORMS: &str = "a signer is a key file (`custos key generate` makes one, \
	`custos key import --out FILE` writes one from a mnemonic or 0x-seed typed or piped in), `-` \
	to read a secret URI from standard input, or a dev account such as //Alice";

/// Where a signer's key comes from, as the command line names it; nothing secret is read yet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SignerSource {
	/// A key file written by `custos key generate` or `custos key import` (sr25519).
	KeyFile(PathBuf),
	/// `-`: a secret URI (mnemonic or `0x`-seed, with any `//hard`, `/soft` or `///password`)
	/// on the first line of standard input, or typed at a terminal without echo.
	Stdin,
	/// A development account such as `//Alice` or `//Alice//stash`: derived from the publicly
	/// known development phrase, so it is no secret and anyone can sign for it (test chains).
	Dev(String),
}

impl SignerSource {
	/// Reads the command line's signer, refusing a secret written on it: a mnemonic, a seed,
	/// a derivation from either, or a dev account's `///password`.
	pub fn parse(text: &str) -> Result<Self> {
		if text == STDIN {
			return Ok(Self::Stdin);
		}
		// A file first: a key file's path may well have spaces.
		if let Some(path) = key_file(text) {
			return Ok(Self::KeyFile(path.to_owned()));
		}
		// Never repeat a secret in the error: it would reach logs as well.
		if looks_secret(text) {
			return Err(Error::Invalid(format!(
				"the signer is no key file and looks like a mnemonic, seed or password, which are \
				 refused on the command line: {VISIBLE}. Instead, {SIGNER_FORMS}"
			)));
		}
		if text.starts_with("//") {
			dev_pair(text)?;
			return Ok(Self::Dev(text.to_owned()));
		}
		let why = if Path::new(text).exists() { "not a regular file" } else { "no such file" };
		Err(Error::Invalid(format!("signer `{text}` is not a key file ({why}); {SIGNER_FORMS}")))
	}

	/// The signing pair: the key file read, the secret URI read from standard input, or the
	/// dev account derived.
	pub fn pair(&self) -> Result<sr25519::Pair> {
		match self {
			Self::KeyFile(path) => {
				let key = KeyMaterial::read_file(path)?;
				key.sr25519_pair().ok_or_else(|| {
					Error::Invalid(format!(
						"{} holds an ed25519 or raw key; a signer must be sr25519",
						path.display()
					))
				})
			},
			Self::Stdin => {
				let secret =
					read_secret_line("Signer (mnemonic or 0x-seed, with any derivation): ")?;
				from_secret_uri(&secret)
			},
			Self::Dev(uri) => dev_pair(uri),
		}
	}
}

/// `text` as a key file path, if it names one (`//Name` never does).
fn key_file(text: &str) -> Option<&Path> {
	let path = Path::new(text);
	(!text.starts_with("//") && path.is_file()).then_some(path)
}

/// Whether `text` is a secret URI: a mnemonic has spaces, a seed
/// starts with `0x`, a password follows `///`. (A path like `/a/b` parses as a soft
/// derivation of the public dev phrase: no secret, and worth naming in the error.)
fn looks_secret(text: &str) -> bool {
	text.chars().any(char::is_whitespace) || text.starts_with("0x") || text.contains("///")
}

/// The pair of a secret URI read from standard input.
fn from_secret_uri(secret: &str) -> Result<sr25519::Pair> {
	if secret.trim().is_empty() {
		return Err(Error::Invalid(
			"`-` reads the signer from standard input, and there was none: give a mnemonic or \
			 0x-seed (with any derivation) on one line"
				.into(),
		));
	}
	sr25519::Pair::from_string(secret.trim(), None).map_err(|e| {
		Error::Invalid(format!(
			"the signer on standard input is no mnemonic or 0x-seed (with any //hard, /soft or \
			 ///password derivation): {e:?}"
		))
	})
}

/// An account: a key file's sr25519 account, or anything [`parse_account`] reads.
pub fn parse_account_or_key_file(text: &str) -> Result<AccountId> {
	match key_file(text) {
		Some(path) => Ok(SignerSource::KeyFile(path.to_owned()).pair()?.public().into()),
		None => parse_account(text),
	}
}

/// Reads a signer the way [`SignerSource::parse`] names it: a key file written by `custos key
/// generate` (sr25519), `-` for a secret URI on standard input, or a dev account such as
/// `//Alice`. A mnemonic or seed written in `text` itself is refused.
pub fn parse_signer(text: &str) -> Result<sr25519::Pair> {
	SignerSource::parse(text)?.pair()
}

#[cfg(test)]
mod tests {
	use custos_primitives::KeyKind;

	use super::*;
	use crate::passphrase::first_line;

	/// A fresh, valid mnemonic (the dev phrase would be no secret).
	fn mnemonic() -> String {
		sr25519::Pair::generate_with_phrase(None).1
	}

	/// The refusal says why and what to do instead, without repeating the secret.
	fn assert_refused_as_secret(text: &str) {
		let error = parse_signer(text).err().expect("a secret on the command line is refused");
		let message = error.to_string();
		for needed in ["process list", "key import", "`-`"] {
			assert!(message.contains(needed), "the refusal does not say {needed}: {message}");
		}
		assert!(!message.contains(text), "the refusal repeats the secret: {message}");
	}

	#[test]
	fn a_key_file_signs() {
		let dir = tempfile::tempdir().unwrap();
		let path = dir.path().join("signer.key");
		let key = KeyMaterial::generate(KeyKind::Sr25519Seed).unwrap();
		key.write_file(&path, false).unwrap();
		let pair = parse_signer(path.to_str().unwrap()).unwrap();
		assert_eq!(pair.public(), key.sr25519_pair().unwrap().public());
	}

	#[test]
	fn dev_accounts_stay_accepted() {
		for uri in ["//Alice", "//Alice//stash", "//Alice/soft", "//Ferdie//a/b"] {
			let pair = parse_signer(uri).unwrap_or_else(|e| panic!("{uri}: {e}"));
			assert_eq!(pair.public(), sr25519::Pair::from_string(uri, None).unwrap().public());
		}
	}

	#[test]
	fn a_mnemonic_on_the_command_line_is_refused() {
		let phrase = mnemonic();
		assert_refused_as_secret(&phrase);
		assert_refused_as_secret(&format!("{phrase}//hard/soft"));
		assert_refused_as_secret(&format!("{phrase}///password"));
	}

	#[test]
	fn a_seed_on_the_command_line_is_refused() {
		assert_refused_as_secret(&format!("0x{}", hex::encode([7u8; 32])));
		assert_refused_as_secret(&format!("0x{}//stash", hex::encode([7u8; 32])));
	}

	#[test]
	fn a_dev_account_with_a_password_is_refused() {
		// The dev phrase is public, so the password is the whole secret.
		let error = parse_signer("//Alice///hunter2").err().expect("a password is a secret");
		assert!(error.to_string().contains("process list"), "{error}");
		assert!(!error.to_string().contains("hunter2"), "{error}");
	}

	#[test]
	fn a_dash_reads_the_secret_uri_from_stdin() {
		assert_eq!(SignerSource::parse("-").unwrap(), SignerSource::Stdin);
		let phrase = mnemonic();
		for (line, uri) in [
			(format!("{phrase}\n"), phrase.clone()),
			(format!("{phrase}//stash///pw\r\n"), format!("{phrase}//stash///pw")),
			(format!("0x{}\n", hex::encode([7u8; 32])), format!("0x{}", hex::encode([7u8; 32]))),
		] {
			let secret = first_line(&mut std::io::Cursor::new(line)).unwrap();
			let pair = from_secret_uri(&secret).unwrap();
			assert_eq!(pair.public(), sr25519::Pair::from_string(&uri, None).unwrap().public());
		}
		let error = from_secret_uri("").err().expect("nothing on stdin");
		assert!(error.to_string().contains("there was none"), "{error}");
		let error = from_secret_uri("not a phrase").err().expect("no secret URI");
		assert!(!error.to_string().contains("not a phrase"), "{error}");
	}

	#[test]
	fn sources_are_named_without_reading_them() {
		let dir = tempfile::tempdir().unwrap();
		let path = dir.path().join("my signer.key");
		KeyMaterial::generate(KeyKind::Sr25519Seed).unwrap().write_file(&path, false).unwrap();
		let text = path.to_str().unwrap();
		assert_eq!(SignerSource::parse(text).unwrap(), SignerSource::KeyFile(path.clone()));
		assert_eq!(
			SignerSource::parse("//Alice//stash").unwrap(),
			SignerSource::Dev("//Alice//stash".into())
		);
		// A directory is no key file, and an ed25519 key file cannot sign.
		let error = SignerSource::parse(dir.path().to_str().unwrap()).err().unwrap();
		assert!(error.to_string().contains("not a regular file"), "{error}");
		let edwards = dir.path().join("ed.key");
		KeyMaterial::generate(KeyKind::Ed25519Seed).unwrap().write_file(&edwards, false).unwrap();
		let error = parse_signer(edwards.to_str().unwrap()).err().unwrap();
		assert!(error.to_string().contains("must be sr25519"), "{error}");
		// An account argument reads a key file's account, but never stdin.
		assert_eq!(
			parse_account_or_key_file(text).unwrap(),
			parse_signer(text).unwrap().public().into()
		);
		assert!(parse_account_or_key_file("-").is_err());
	}

	#[test]
	fn a_missing_key_file_is_refused_by_name() {
		let error = parse_signer("no-such-dir/signer.key").err().expect("no such file");
		let message = error.to_string();
		assert!(message.contains("no-such-dir/signer.key"), "{message}");
		assert!(message.contains("key file"), "{message}");
	}
}
