//! Parsing the command line's accounts, ids and lists, and where state lives.

use std::path::PathBuf;

use custos_runtime::AccountId;
use sp_core::{crypto::Ss58Codec, sr25519, Pair};

use crate::{Error, Result};

/// Why a secret is never taken from the command line.
pub const VISIBLE: &str = "other users of this machine can read it in the process list, and \
	shells keep it in their history";

/// A development account: `//Name`, with any more `//hard` or `/soft` junctions. It derives
/// from the publicly known development phrase, so naming it reveals nothing; a `///password`
/// would be its only secret, and is refused (without repeating it).
pub fn dev_pair(text: &str) -> Result<sr25519::Pair> {
	if text.contains("///") {
		return Err(Error::Invalid(format!(
			"a dev account with a ///password is refused on the command line: the password is \
			 its only secret, and {VISIBLE}"
		)));
	}
	if !text.starts_with("//") {
		return Err(Error::Invalid(format!("`{text}` is not a dev account (//Name)")));
	}
	sr25519::Pair::from_string(text, None).map_err(|e| {
		Error::Invalid(format!("`{text}` is not a dev account (//Name, //Name//hard/soft): {e:?}"))
	})
}

/// An account: SS58 address, `0x`-hex public key, or a dev name such as `//Alice`.
pub fn parse_account(text: &str) -> Result<AccountId> {
	let text = text.trim();
	if text.starts_with("//") {
		return Ok(dev_pair(text)?.public().into());
	}
	// A mnemonic pasted as an account: say so, and keep it out of the error.
	if text.chars().any(char::is_whitespace) {
		return Err(Error::Invalid(format!(
			"an account is public (SS58, 0x-hex public key or //Name), and this looks like a \
			 mnemonic: never give one on the command line: {VISIBLE}"
		)));
	}
	if let Some(digits) = text.strip_prefix("0x") {
		let bytes: [u8; 32] = hex::decode(digits)
			.ok()
			.and_then(|b| b.try_into().ok())
			.ok_or_else(|| Error::Invalid(format!("`{text}` is not a 32-byte hex account")))?;
		return Ok(AccountId::new(bytes));
	}
	AccountId::from_ss58check(text).map_err(|e| {
		Error::Invalid(format!("`{text}` is not an account (SS58, 0x-hex or //Name): {e:?}"))
	})
}

/// A comma-separated list of accounts.
pub fn parse_accounts(list: &[String]) -> Result<Vec<AccountId>> {
	list.iter().map(|a| parse_account(a)).collect()
}

/// A 32-byte `0x`-hex value.
pub fn parse_h256(text: &str, what: &str) -> Result<sp_core::H256> {
	let digits = text.trim().strip_prefix("0x").unwrap_or(text.trim());
	let bytes: [u8; 32] = hex::decode(digits)
		.ok()
		.and_then(|b| b.try_into().ok())
		.ok_or_else(|| Error::Invalid(format!("{what} `{text}` is not 32 bytes of hex")))?;
	Ok(sp_core::H256(bytes))
}

/// The JSON-RPC URLs of `scripts/testnet.sh`'s five nodes (alice to eve), comma-separated:
/// the default `--nodes` of the tools that drive it.
pub const LOCAL_TESTNET_URLS: &str =
	"ws://127.0.0.1:9944,ws://127.0.0.1:9945,ws://127.0.0.1:9946,ws://127.0.0.1:9947,ws://127.0.0.1:9948";

/// Where `recover start` keeps request files: `$CUSTOS_STATE_DIR`, else
/// `$XDG_DATA_HOME/custos`, else `~/.local/share/custos`.
pub fn default_state_dir() -> PathBuf {
	if let Some(dir) = std::env::var_os("XDG_DATA_HOME") {
		return PathBuf::from(dir).join("custos");
	}
	let home = std::env::var_os("HOME").map(PathBuf::from).unwrap_or_else(|| PathBuf::from("."));
	home.join(".local").join("share").join("custos")
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn accounts_parse_in_three_forms() {
		let alice = parse_account("//Alice").unwrap();
		assert_eq!(parse_account(&alice.to_ss58check()).unwrap(), alice);
		assert_eq!(
			parse_account(&format!("0x{}", hex::encode(<[u8; 32]>::from(alice.clone())))).unwrap(),
			alice
		);
		assert!(parse_account("nobody").is_err());
	}

	#[test]
	fn an_account_never_carries_a_password() {
		// `//Name///password` would put a secret (the password of a public phrase) on the line.
		let error = parse_account("//Alice///hunter2").err().expect("a password is a secret");
		assert!(error.to_string().contains("process list"), "{error}");
		assert!(!error.to_string().contains("hunter2"), "{error}");
		assert_eq!(
			parse_account("//Alice//stash").unwrap(),
			sr25519::Pair::from_string("//Alice//stash", None).unwrap().public().into()
		);
	}

	#[test]
	fn a_mnemonic_given_as_an_account_is_not_repeated() {
		let phrase = sr25519::Pair::generate_with_phrase(None).1;
		let error = parse_account(&phrase).err().expect("a mnemonic is no account");
		assert!(error.to_string().contains("process list"), "{error}");
		assert!(!error.to_string().contains(&phrase), "{error}");
	}
}
