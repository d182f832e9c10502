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

/// Every command with a `--signer`, with its other required arguments.
fn signer_commands() -> Vec<Vec<&'static str>> {
	const ID: &str = "0xabababababababababababababababababababababababababababababababab";
	vec![
		vec!["transfer", "--to", ALICE, "--amount", "1"],
		vec!["escrow", "create", "--key-file", "k"],
		vec!["escrow", "remove", ID],
		vec!["escrow", "reshare", ID, "--key-file", "k"],
		vec!["recover", "start", ID],
		vec!["recover", "unlock", ID],
		vec!["recover", "approve", ID, "--nonce", "0"],
		vec!["recover", "authorize", ID, "--requester", ALICE],
		vec!["recover", "cancel", ID],
		vec!["recover", "collect", ID, "--out", "o"],
		vec!["ca", "issue", "--subject", ALICE],
		vec!["ca", "revoke", "--subject", ALICE],
		vec!["validator", "join", "--node", "ws://127.0.0.1:9948"],
		vec!["validator", "leave"],
	]
}

/// The subcommand words at the start of `args`.
fn command_path<'a>(args: &'a [&'a str]) -> &'a [&'a str] {
	let end = args.iter().position(|a| a.starts_with("--") || a.starts_with("0x"));
	&args[..end.unwrap_or(args.len())]
}

#[test]
fn no_signer_takes_a_secret_on_the_command_line() {
	use sp_core::Pair;
	let phrase = sp_core::sr25519::Pair::generate_with_phrase(None).1;
	let seed = format!("0x{}", "07".repeat(32));
	let derived = format!("{phrase}//stash");
	for command in signer_commands() {
		for secret in [&phrase, &seed, &derived, &"//Alice///hunter2".to_string()] {
			let args = [&command[..], &["--signer", secret]].concat();
			let error = parse(&args).err().unwrap_or_else(|| panic!("{args:?} is accepted"));
			assert_eq!(error.kind(), ErrorKind::ValueValidation, "{args:?}");
			let text = error.to_string();
			assert!(text.contains("process list"), "{args:?} does not say why:\n{text}");
			assert!(!text.contains(secret.as_str()), "{args:?} repeats the secret:\n{text}");
			assert!(!text.contains("hunter2"), "{args:?} repeats the password:\n{text}");
		}
		// Still accepted: a dev account (public), and `-` for stdin.
		for signer in ["//Alice//stash", "-"] {
			let args = [&command[..], &["--signer", signer]].concat();
			parse(&args).unwrap_or_else(|e| panic!("{args:?}: {e}"));
		}
	}
}

/// Walks every command and its subcommands.
fn all_commands(command: &clap::Command) -> Vec<clap::Command> {
	let mut found = vec![command.clone()];
	for sub in command.get_subcommands() {
		found.extend(all_commands(sub));
	}
	found
}

#[test]
fn every_free_text_argument_is_a_path_or_url() {
	use std::any::TypeId;
	// Any other argument parses into a type (account, signer, id, number, name), so a new
	// `--seed` or `--mnemonic` taking plain text cannot slip in unnoticed.
	const PATHS: &[&str] = &["key_file", "out", "state_dir", "passphrase_file", "secret_file"];
	const URLS: &[&str] = &["url", "node", "from_node", "nodes"];
	// Text checked by `values::signer` (see `every_signer_is_checked`).
	const SIGNERS: &[&str] = &["signer"];
	let mut command = Cli::command();
	command.build();
	for command in all_commands(&command) {
		for arg in command.get_arguments().filter(|arg| arg.get_action().takes_values()) {
			let id = arg.get_id().as_str();
			let parser = arg.get_value_parser().type_id();
			if parser == TypeId::of::<String>() {
				assert!(
					URLS.contains(&id) || SIGNERS.contains(&id),
					"`{}` takes free text: {id}",
					command.get_name()
				);
			}
			if parser == TypeId::of::<std::path::PathBuf>() {
				assert!(PATHS.contains(&id), "`{}` takes a path: {id}", command.get_name());
			}
		}
	}
}

#[test]
fn every_signer_is_checked() {
	// The commands `no_signer_takes_a_secret_on_the_command_line` tries are all of them.
	let mut with_signer = Vec::new();
	let root = Cli::command();
	for group in root.get_subcommands() {
		let mut leaves: Vec<_> = group.get_subcommands().map(|c| vec![group, c]).collect();
		if leaves.is_empty() {
			leaves.push(vec![group]);
		}
		for path in leaves {
			if path.last().unwrap().get_arguments().any(|arg| arg.get_id() == "signer") {
				with_signer.push(path.iter().map(|c| c.get_name().to_string()).collect::<Vec<_>>());
			}
		}
	}
	let tried: Vec<Vec<String>> = signer_commands()
		.iter()
		.map(|args| command_path(args).iter().map(|w| w.to_string()).collect())
		.collect();
	with_signer.sort();
	let mut sorted = tried.clone();
	sorted.sort();
	assert_eq!(with_signer, sorted);
}

#[test]
fn signer_help_says_what_is_accepted_and_why() {
	let text = help(&[]);
	for needed in
		["key import", "- to read a secret URI from stdin", "//Alice//stash", "process list"]
	{
		assert!(text.contains(needed), "`custos --help` does not say {needed}:\n{text}");
	}
	for command in signer_commands() {
		let text = help(command_path(&command));
		let text = &text[text.find("--signer").expect("a --signer")..];
		assert!(text.contains("`-`") && text.contains("//"), "{command:?}:\n{text}");
	}
}

#[test]
fn signer_and_passphrase_cannot_both_read_stdin() {
	const ID: &str = "0xabababababababababababababababababababababababababababababababab";
	for command in [
		&["escrow", "create", "--key-file", "k"][..],
		&["escrow", "reshare", ID, "--key-file", "k"],
		&["recover", "start", ID],
		&["recover", "collect", ID, "--out", "o"],
	] {
		for stdin in ["-", "/dev/stdin"] {
			let args = [command, &["--signer", "-", "--passphrase-file", stdin]].concat();
			let error = parse(&args).unwrap().check_stdin().err().expect("both from stdin");
			assert!(error.contains("both read standard input"), "{args:?}: {error}");
		}
		// One of them from stdin is fine.
		for other in [
			&["--signer", "//Alice", "--passphrase-file", "-"][..],
			&["--signer", "-", "--passphrase-file", "p"],
		] {
			let args = [command, other].concat();
			parse(&args).unwrap().check_stdin().unwrap_or_else(|e| panic!("{args:?}: {e}"));
		}
	}
}

#[test]
fn key_import_reads_stdin_by_default() {
	let cli = parse(&["key", "import", "--out", "k"]).unwrap();
	let Command::Key(KeyCommand::Import { secret_file, .. }) = cli.command else { panic!() };
	assert_eq!(secret_file, std::path::Path::new("-"));
}

#[test]
fn a_mnemonic_given_as_an_account_is_refused_quietly() {
	use sp_core::Pair;
	let phrase = sp_core::sr25519::Pair::generate_with_phrase(None).1;
	for args in [
		&["transfer", "--signer", "//Alice", "--to", &phrase, "--amount", "1"][..],
		&["escrow", "create", "--key-file", "k", "--guardian", &phrase],
		&["escrow", "list", "--owner", &phrase],
	] {
		let error = parse(args).err().expect("a mnemonic is no account");
		assert_eq!(error.kind(), ErrorKind::ValueValidation);
		let text = error.to_string();
		assert!(text.contains("process list"), "{text}");
		assert!(!text.contains(&phrase), "the error repeats the mnemonic:\n{text}");
	}
}
