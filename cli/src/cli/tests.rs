use clap::{error::ErrorKind, CommandFactory, Parser};
use custos_primitives::{KeyKind, Named, RevocationReason, Role, H256};

use super::{values, CaCommand, Cli, Command, EscrowCommand, KeyCommand, ValidatorCommand};

const ALICE: &str = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY";

fn parse(args: &[&str]) -> Result<Cli, clap::Error> {
	Cli::try_parse_from(std::iter::once("custos").chain(args.iter().copied()))
}

/// The help text `args --help` prints.
fn help(args: &[&str]) -> String {
	let mut args = args.to_vec();
	args.push("--help");
	let error = parse(&args).err().expect("--help stops parsing");
	assert_eq!(error.kind(), ErrorKind::DisplayHelp);
	error.to_string()
}

#[test]
fn the_command_line_is_well_formed() {
	Cli::command().debug_assert();
}

#[test]
fn help_lists_every_key_kind_role_and_reason() {
	for args in [&["key", "generate"][..], &["key", "import"]] {
		let text = help(args);
		assert!(text.contains("[default: sr25519-seed]"), "{text}");
		for name in KeyKind::names() {
			assert!(text.contains(name), "`{args:?} --help` does not list {name}:\n{text}");
		}
	}
	for args in [&["ca", "issue"][..], &["ca", "revoke"]] {
		let text = help(args);
		for name in Role::names() {
			assert!(text.contains(name), "`{args:?} --help` does not list {name}:\n{text}");
		}
	}
	let text = help(&["ca", "revoke"]);
	for name in RevocationReason::names() {
		assert!(text.contains(name), "`ca revoke --help` does not list {name}:\n{text}");
	}
}

#[test]
fn names_parse_to_their_variants() {
	let Command::Key(KeyCommand::Generate { kind, .. }) =
		parse(&["key", "generate", "--out", "k"]).unwrap().command
	else {
		panic!("not key generate")
	};
	assert_eq!(kind, KeyKind::Sr25519Seed, "the default kind");
	for expected in KeyKind::ALL {
		let cli = parse(&["key", "generate", "--kind", expected.name(), "--out", "k"]).unwrap();
		let Command::Key(KeyCommand::Generate { kind, .. }) = cli.command else { panic!() };
		assert_eq!(kind, *expected);
	}
	// The old short names of the seeds still work, and case does not matter.
	for (typed, expected) in [
		("sr25519", KeyKind::Sr25519Seed),
		("ed25519", KeyKind::Ed25519Seed),
		("RAW", KeyKind::Raw),
	] {
		let cli = parse(&["key", "generate", "--kind", typed, "--out", "k"]).unwrap();
		let Command::Key(KeyCommand::Generate { kind, .. }) = cli.command else { panic!() };
		assert_eq!(kind, expected, "{typed}");
	}
	let cli = parse(&[
		"ca",
		"revoke",
		"--signer",
		"//Alice",
		"--subject",
		"//Bob",
		"--role",
		"Validator",
		"--reason",
		"key-compromise",
	])
	.unwrap();
	let Command::Ca(CaCommand::Revoke { role, reason, .. }) = cli.command else { panic!() };
	assert_eq!((role, reason), (Role::Validator, RevocationReason::KeyCompromise));
}

#[test]
fn an_unknown_reason_is_refused_with_the_accepted_names() {
	let error = parse(&[
		"ca",
		"revoke",
		"--signer",
		"//Alice",
		"--subject",
		"//Bob",
		"--reason",
		"lost-it",
	])
	.err()
	.expect("an unknown reason");
	assert_eq!(error.kind(), ErrorKind::InvalidValue);
	let text = error.to_string();
	assert!(text.contains("lost-it"), "{text}");
	for name in RevocationReason::names() {
		assert!(text.contains(name), "the error does not list {name}:\n{text}");
	}
}

#[test]
fn escrow_ids_are_32_bytes_of_hex() {
	let id = H256::repeat_byte(0xab);
	assert_eq!(values::escrow_id(&format!("{id:?}")), Ok(id));
	assert_eq!(values::escrow_id(&hex(&id)), Ok(id), "without 0x");
	assert!(values::escrow_id("0xnothex").is_err());
	assert!(values::escrow_id("0xabcd").is_err(), "too short");

	let cli = parse(&["escrow", "show", &format!("{id:?}")]).unwrap();
	let Command::Escrow(EscrowCommand::Show { id: parsed }) = cli.command else { panic!() };
	assert_eq!(parsed, id);
	let error = parse(&["escrow", "show", "my-escrow"]).err().expect("a bad id");
	assert_eq!(error.kind(), ErrorKind::ValueValidation);
	assert!(error.to_string().contains("is not hex"), "{error}");
}

#[test]
fn accounts_arrive_parsed() {
	let alice = values::account("//Alice").unwrap();
	assert_eq!(values::account(ALICE), Ok(alice.clone()));
	assert!(values::account("alice").is_err());

	let cli = parse(&[
		"escrow",
		"create",
		"--key-file",
		"k",
		"--custodian",
		&format!("{ALICE},//Bob"),
		"--guardian",
		"//Alice",
	])
	.unwrap();
	let Command::Escrow(EscrowCommand::Create { split, policy, .. }) = cli.command else {
		panic!()
	};
	assert_eq!(split.custodian.len(), 2);
	assert_eq!(split.custodian[0], alice);
	assert_eq!(policy.guardian, vec![alice]);
	let error = parse(&["escrow", "list", "--owner", "nobody"]).err().expect("a bad account");
	assert_eq!(error.kind(), ErrorKind::ValueValidation);
}

fn hex(id: &H256) -> String {
	id.0.iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn validator_commands_parse_and_teach() {
	let cli = parse(&["validator", "join", "--signer", "//Eve", "--node", "ws://127.0.0.1:9948"])
		.unwrap();
	let Command::Validator(ValidatorCommand::Join { signer, node }) = cli.command else { panic!() };
	assert_eq!((signer.as_str(), node.as_str()), ("//Eve", "ws://127.0.0.1:9948"));
	// The operator's node is required: it makes the keys.
	let error = parse(&["validator", "join", "--signer", "//Eve"]).err().expect("no --node");
	assert_eq!(error.kind(), ErrorKind::MissingRequiredArgument);
	let cli = parse(&["validator", "list", "--account", ALICE, "--account", ALICE]).unwrap();
	let Command::Validator(ValidatorCommand::List { account }) = cli.command else { panic!() };
	assert_eq!(account.len(), 2);
	let text = help(&["validator", "join"]);
	for needed in ["Validator` certificate", "author_rotateKeysWithOwner", "--validator"] {
		assert!(text.contains(needed), "`validator join --help` does not say {needed}:\n{text}");
	}
	// A custodian certificate is issued from the custodian's node, whose proof it needs.
	let text = help(&["ca", "issue"]);
	assert!(text.contains("--from-node"), "{text}");
	let cli = parse(&["ca", "issue", "--signer", "//Alice", "--from-node", "ws://x:1"]).unwrap();
	let Command::Ca(CaCommand::Issue { subject, from_node, role, .. }) = cli.command else {
		panic!()
	};
	assert_eq!((subject, from_node.as_deref(), role), (None, Some("ws://x:1"), Role::Custodian));
	let error = parse(&["ca", "issue", "--signer", "//Alice"]).err().expect("no subject");
	assert_eq!(error.kind(), ErrorKind::MissingRequiredArgument);
}
