//! Value parsers: each argument arrives as the type the command needs, and a bad value is a
//! usage error naming the argument (for enums, with the accepted names).

use std::ffi::OsStr;

use clap::{
	builder::{PossibleValue, PossibleValuesParser, TypedValueParser},
	error::ErrorKind,
};
use custos_client::{
	args::{parse_account, parse_h256},
	recovery::parse_escrow_id,
	signer::{parse_account_or_key_file, SignerSource},
};
use custos_primitives::{EscrowId, KeyKind, Named, H256};
use custos_runtime::AccountId;

/// A [`Named`] enum: accepts its names (and `aliases`, `(alias, name)` pairs, not shown), which
/// `--help` and the error for an unknown name list. Case is ignored where the argument sets
/// `ignore_case`.
pub fn named_with_aliases<T: Named + Send + Sync>(
	aliases: &'static [(&'static str, &'static str)],
) -> impl TypedValueParser<Value = T> {
	let values: Vec<PossibleValue> = T::names()
		.map(|name| {
			PossibleValue::new(name)
				.aliases(aliases.iter().filter(|(_, to)| *to == name).map(|(alias, _)| *alias))
		})
		.collect();
	let lookup = values.clone();
	// The parser hands back the text as typed; resolve aliases to the name they stand for.
	PossibleValuesParser::new(values).map(move |text| {
		let name = lookup.iter().find(|v| v.matches(&text, true)).map_or(&*text, |v| v.get_name());
		T::from_name(name).expect("PossibleValuesParser accepts only the enum's names")
	})
}

/// A [`Named`] enum, by its names only.
pub fn named<T: Named + Send + Sync>() -> impl TypedValueParser<Value = T> {
	named_with_aliases::<T>(&[])
}

/// A key kind; `sr25519` and `ed25519` are still accepted for the seeds, as before.
pub fn key_kind() -> impl TypedValueParser<Value = KeyKind> {
	named_with_aliases::<KeyKind>(&[("sr25519", "sr25519-seed"), ("ed25519", "ed25519-seed")])
}

/// An escrow id: 32 bytes of `0x`-hex.
pub fn escrow_id(text: &str) -> Result<EscrowId, String> {
	parse_escrow_id(text).map_err(|e| e.to_string())
}

/// A parser whose refusal never repeats the value, as clap's own message would: a value
/// refused may be a secret given by mistake, and errors end up in logs.
#[derive(Clone, Copy)]
pub struct Quiet<T>(fn(&str) -> Result<T, String>);

/// `parse` as a [`Quiet`] parser.
pub fn quiet<T>(parse: fn(&str) -> Result<T, String>) -> Quiet<T> {
	Quiet(parse)
}

impl<T: Clone + Send + Sync + 'static> TypedValueParser for Quiet<T> {
	type Value = T;

	fn parse_ref(
		&self,
		cmd: &clap::Command,
		arg: Option<&clap::Arg>,
		value: &OsStr,
	) -> Result<T, clap::Error> {
		let refuse = |reason: &str| {
			let arg = arg.map_or_else(|| "a value".to_string(), |arg| format!("'{arg}'"));
			let message = format!("invalid value for {arg}: {reason}");
			clap::Error::raw(ErrorKind::ValueValidation, message).format(&mut cmd.clone())
		};
		let text = value.to_str().ok_or_else(|| refuse("not UTF-8"))?;
		(self.0)(text).map_err(|reason| refuse(&reason))
	}
}

/// A signer, checked but kept as text until used: a key file, `-` for a secret URI on stdin,
/// or a dev account such as `//Alice`; a mnemonic or seed written here is refused.
pub fn signer(text: &str) -> Result<String, String> {
	SignerSource::parse(text).map(|_| text.to_owned()).map_err(|e| e.to_string())
}

/// An account: SS58 address, `0x`-hex public key, or a dev name such as `//Alice`.
pub fn account(text: &str) -> Result<AccountId, String> {
	parse_account(text).map_err(|e| e.to_string())
}

/// An account as [`account`] reads it, or a key file whose sr25519 account is meant.
pub fn account_or_key_file(text: &str) -> Result<AccountId, String> {
	parse_account_or_key_file(text).map_err(|e| e.to_string())
}

/// A node build measurement: 32 bytes of `0x`-hex.
pub fn measurement(text: &str) -> Result<H256, String> {
	parse_h256(text, "measurement").map_err(|e| e.to_string())
}
