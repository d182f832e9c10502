//! The `custos` binary with a signer or key secret on standard input, and a secret on the
//! command line refused. No node: `--url` names a closed port, so a command that got past its
//! signer fails connecting, which tells the two apart.

use std::{
	io::Write,
	path::PathBuf,
	process::{Command, Output, Stdio},
};

use sp_core::{crypto::Ss58Codec, sr25519, Pair};

/// Nothing listens here.
const NO_NODE: &str = "ws://127.0.0.1:1";

/// Runs `custos --url NO_NODE args` with `stdin` piped in.
fn custos(args: &[&str], stdin: &str) -> Output {
	let mut child = Command::new(env!("CARGO_BIN_EXE_custos"))
		.arg("--url")
		.arg(NO_NODE)
		.args(args)
		.env_remove("CUSTOS_PASSPHRASE")
		.stdin(Stdio::piped())
		.stdout(Stdio::piped())
		.stderr(Stdio::piped())
		.spawn()
		.expect("custos runs");
	// A command that refuses early never reads: ignore a closed pipe.
	let _ = child.stdin.take().unwrap().write_all(stdin.as_bytes());
	child.wait_with_output().unwrap()
}

fn stderr(output: &Output) -> String {
	String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A fresh directory for one test's files.
fn scratch(name: &str) -> PathBuf {
	let dir = std::env::temp_dir().join(format!("custos-cli-{}-{name}", std::process::id()));
	let _ = std::fs::remove_dir_all(&dir);
	std::fs::create_dir_all(&dir).unwrap();
	dir
}

/// What a command that got past its signer says with no node there.
fn got_past_the_signer(output: &Output) -> bool {
	let text = stderr(output);
	!output.status.success() && text.contains("127.0.0.1:1") && !text.contains("signer")
}

fn transfer(signer: &str) -> Vec<&str> {
	vec!["transfer", "--signer", signer, "--to", "//Bob", "--amount", "1"]
}

#[test]
fn a_mnemonic_on_the_command_line_is_refused_before_anything() {
	let phrase = sr25519::Pair::generate_with_phrase(None).1;
	let seed = format!("0x{}", "07".repeat(32));
	for secret in [phrase.as_str(), &seed, "//Alice///hunter2"] {
		let output = custos(&transfer(secret), "");
		let text = stderr(&output);
		assert_eq!(output.status.code(), Some(2), "a usage error:\n{text}");
		assert!(text.contains("process list") && text.contains("key import"), "{text}");
		assert!(!text.contains(secret) && !text.contains("hunter2"), "repeats it:\n{text}");
	}
}

#[test]
fn a_dash_reads_the_signer_from_stdin() {
	let phrase = sr25519::Pair::generate_with_phrase(None).1;
	for line in [format!("{phrase}\n"), format!("{phrase}//stash"), "//Alice\n".into()] {
		let output = custos(&transfer("-"), &line);
		assert!(got_past_the_signer(&output), "{line:?}:\n{}", stderr(&output));
	}
	let output = custos(&transfer("-"), "");
	assert!(stderr(&output).contains("there was none"), "{}", stderr(&output));
	let output = custos(&transfer("-"), "no such words\n");
	let text = stderr(&output);
	assert!(text.contains("no mnemonic or 0x-seed") && !text.contains("no such words"), "{text}");
}

#[test]
fn key_import_turns_a_mnemonic_on_stdin_into_a_signer() {
	let dir = scratch("import");
	let key = dir.join("signer.key");
	let key = key.to_str().unwrap();
	let (pair, phrase, _) = sr25519::Pair::generate_with_phrase(None);
	let output = custos(&["--json", "key", "import", "--out", key], &format!("{phrase}\n"));
	assert!(output.status.success(), "{}", stderr(&output));
	let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
	assert_eq!(report["account"], pair.public().to_ss58check());
	#[cfg(unix)]
	{
		use std::os::unix::fs::PermissionsExt;
		let mode = std::fs::metadata(key).unwrap().permissions().mode();
		assert_eq!(mode & 0o777, 0o600);
	}
	// Never over an existing file without --force.
	let output = custos(&["key", "import", "--out", key], &format!("{phrase}\n"));
	assert!(!output.status.success() && stderr(&output).contains("--force"), "{output:?}");
	// The key file signs.
	assert!(got_past_the_signer(&custos(&transfer(key), "")), "a key file is a signer");
	std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn signer_and_passphrase_cannot_both_come_from_stdin() {
	let id = format!("0x{}", "ab".repeat(32));
	let args = ["recover", "start", &id, "--signer", "-", "--passphrase-file", "-"];
	let output = custos(&args, "//Alice\npassphrase\n");
	let text = stderr(&output);
	assert_eq!(output.status.code(), Some(2), "{text}");
	assert!(text.contains("both read standard input"), "{text}");
}
