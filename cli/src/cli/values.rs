//! Value parsers: each argument arrives as the type the command needs, and a bad value is a
//! usage error naming the argument (for enums, with the accepted names).

use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use custos_client::{
	args::{parse_account, parse_h256},
	recovery::parse_escrow_id,
	signer::parse_account_or_key_file,
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
