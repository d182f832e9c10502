//! The command line: every command, argument and its help.
//!
//! Arguments arrive typed: key kinds, roles and revocation reasons through their [`Named`]
//! tables (so `--help` lists the accepted names), escrow ids, accounts and hashes through the
//! parsers in [`values`]. Signers are checked (no secret on the command line) but stay text:
//! a key file or standard input is read when used.
//!
//! [`Named`]: custos_primitives::Named

pub mod values;

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use custos_client::{
	passphrase::{is_stdin, STDIN},
	DEFAULT_URL,
};
use custos_primitives::{EscrowId, KeyKind, RevocationReason, Role, H256};
use custos_runtime::AccountId;

use values::{
	account, account_or_key_file, escrow_id, key_kind, measurement, named, quiet, signer,
};

/// Custos client: escrow a private key with certified custodians and recover it.
///
/// Output is for people by default; add --json for a single JSON document on stdout that
/// scripts can parse. Progress goes to stderr. Errors go to stderr and the exit code is
/// non-zero; a failed command changes nothing it did not report as done.
#[derive(Parser)]
#[command(name = "custos", version, after_help = AFTER_HELP)]
pub struct Cli {
	/// WebSocket JSON-RPC endpoint of a custos-node.
	#[arg(long, global = true, env = "CUSTOS_URL", default_value = DEFAULT_URL)]
	pub url: String,

	/// Print machine-readable JSON instead of text.
	#[arg(long, global = true)]
	pub json: bool,

	#[command(subcommand)]
	pub command: Command,
}

impl Cli {
	/// Refuses a command line on which the signer and the passphrase both come from standard
	/// input: whichever is read first would take the other's line.
	pub fn check_stdin(&self) -> Result<(), String> {
		let (signer, passphrase) = match &self.command {
			Command::Escrow(
				EscrowCommand::Create { signer, passphrase, .. } |
				EscrowCommand::Reshare { signer, passphrase, .. },
			) |
			Command::Recover(RecoverCommand::Collect { signer, passphrase, .. }) =>
				(signer.as_deref(), passphrase),
			Command::Recover(RecoverCommand::Start { signer, passphrase, .. }) =>
				(Some(signer.as_str()), passphrase),
			// No other command reads two things that could both come from standard input.
			_ => return Ok(()),
		};
		let passphrase_file = passphrase.passphrase_file.as_deref();
		if signer == Some(STDIN) && passphrase_file.is_some_and(is_stdin) {
			return Err("--signer - and --passphrase-file both read standard input: give the \
				signer as a key file (`custos key import` writes one from a mnemonic or seed), \
				or the passphrase in a file, in $CUSTOS_PASSPHRASE or at the prompt"
				.into());
		}
		Ok(())
	}
}

const AFTER_HELP: &str = "\
Accounts are SS58 addresses, 0x-hex public keys, or dev names such as //Alice.
A signer (--signer) is a key file (custos key generate; custos key import turns a mnemonic
or 0x-seed into one), - to read a secret URI from stdin (piped, or typed without echo), or a
dev account such as //Alice or //Alice//stash: these derive from the public development
phrase, so they are no secret and anyone can sign for them (test chains only). A mnemonic,
seed or password on the command line is refused: other users can read it in the process list.
The passphrase comes from --passphrase-file (- for stdin), $CUSTOS_PASSPHRASE, or a terminal
prompt. Only one of the signer and the passphrase can come from stdin.

Walk-through (local testnet from ./scripts/testnet.sh --short-delay; see README):
  custos key generate --out my.key                      # the key to protect
  custos transfer --signer //Alice --to my.key --amount 1000
  custos escrow create --key-file my.key --threshold 3 --custodians 5 \\
      --guardian //Ferdie --delay 2                     # prints the escrow id
  custos recover start <id> --signer new.key            # on a new device
  custos recover approve <id> --signer //Ferdie         # the guardian
  custos recover collect <id> --signer new.key --out recovered.key \\
      --nodes ws://127.0.0.1:9944,ws://127.0.0.1:9945,ws://127.0.0.1:9946

Validators (see README, Run a validator):
  custos ca issue --signer //Alice --role validator --subject op.key \\
      --from-node ws://127.0.0.1:9948
  custos validator join --signer op.key --node ws://127.0.0.1:9948
  custos validator list";

#[derive(Subcommand)]
pub enum Command {
	/// The chain itself.
	#[command(subcommand)]
	Chain(ChainCommand),
	/// Generate, import and inspect keys (key files are JSON, mode 0600).
	#[command(subcommand)]
	Key(KeyCommand),
	/// Escrow a key with custodians, and manage escrows.
	#[command(subcommand)]
	Escrow(EscrowCommand),
	/// Recover an escrowed key.
	#[command(subcommand)]
	Recover(RecoverCommand),
	/// Certificate authority: issue and revoke certificates.
	#[command(subcommand)]
	Ca(CaCommand),
	/// Validator operators: join and leave the validator set; see who validates.
	#[command(subcommand)]
	Validator(ValidatorCommand),
	/// Send funds (e.g. to pay a new account's deposits and fees).
	Transfer(TransferArgs),
}

#[derive(Subcommand)]
pub enum ValidatorCommand {
	/// Join the validator set with your own node.
	///
	/// Needs a valid `Validator` certificate for the operator account (`custos ca issue
	/// --role validator`). Asks the operator's node for fresh session keys with their proof of
	/// ownership (`author_rotateKeysWithOwner`), registers them, has the node sign its build
	/// measurement with the new Aura key, and joins. The set picks the operator up at the next
	/// session change and the node authors from the session after; `custos validator list`
	/// shows each step. The node must run with `--validator` to author.
	#[command(after_help = "Example:\n  custos validator join --signer op.key --node ws://127.0.0.1:9948")]
	Join {
		/// The operator account: a key file, `-` (its secret URI read from stdin) or a dev
		/// account such as //Eve.
		#[arg(long, value_parser = quiet(signer))]
		signer: String,
		/// RPC URL of the operator's own node (it generates and keeps the session keys; its
		/// RPC must allow `author_rotateKeysWithOwner`, as it does on 127.0.0.1).
		#[arg(long, value_name = "URL")]
		node: String,
	},
	/// Leave the validator set (taking effect at the next session change).
	Leave {
		/// The operator account (a key file, `-` for stdin, or a dev account //Name).
		#[arg(long, value_parser = quiet(signer))]
		signer: String,
	},
	/// The current session's validators, the queued ones, every candidate with its
	/// eligibility, and each one's `Validator` certificate status.
	List {
		/// Also show this account (or key file) even if it is none of those, e.g. an operator
		/// certified but not joined yet. Repeatable.
		#[arg(long, value_parser = quiet(account_or_key_file))]
		account: Vec<AccountId>,
	},
	/// A node's build measurement, for a `Validator` certificate that names it.
	Measurement {
		/// RPC URL of the node.
		#[arg(long, value_name = "URL")]
		node: String,
	},
}

#[derive(Subcommand)]
pub enum ChainCommand {
	/// Chain name, genesis hash, runtime version, best and finalized block.
	Info,
}

#[derive(Subcommand)]
pub enum KeyCommand {
	/// Generate a new random key and write it to a key file.
	Generate {
		/// Key kind: a Substrate account seed, an ed25519 seed, a 64-byte expanded sr25519 secret,
		/// or raw bytes (32 random bytes).
		#[arg(
			long,
			value_parser = key_kind(),
			ignore_case = true,
			default_value_t = KeyKind::Sr25519Seed
		)]
		kind: KeyKind,
		/// Key file to write (mode 0600).
		#[arg(long)]
		out: PathBuf,
		/// Replace an existing file.
		#[arg(long)]
		force: bool,
	},
	/// Import a key given as 0x-hex or (for seeds) a BIP-39 mnemonic, read from a file or stdin,
	/// into a key file: how a mnemonic or seed becomes a signer.
	Import {
		/// Key kind (see `key generate`).
		#[arg(
			long,
			value_parser = key_kind(),
			ignore_case = true,
			default_value_t = KeyKind::Sr25519Seed
		)]
		kind: KeyKind,
		/// File holding the secret (first line); `-` reads stdin, or asks at a terminal without
		/// echo. The secret never goes on the command line, where other users could see it.
		#[arg(long, default_value = "-")]
		secret_file: PathBuf,
		/// Key file to write (mode 0600).
		#[arg(long)]
		out: PathBuf,
		/// Replace an existing file.
		#[arg(long)]
		force: bool,
	},
	/// Show a key file's kind, fingerprint and (for sr25519) account.
	Show {
		/// The key file.
		key_file: PathBuf,
		/// Owner account, needed for a raw key's fingerprint (default: the key's own account).
		#[arg(long, value_parser = quiet(account))]
		owner: Option<AccountId>,
	},
}

/// How the passphrase is read.
#[derive(Args, Clone)]
pub struct PassphraseArgs {
	/// Read the passphrase from this file's first line, `-` for stdin (else
	/// $CUSTOS_PASSPHRASE, else prompt).
	#[arg(long)]
	pub passphrase_file: Option<PathBuf>,
}

/// The split and the recovery policy.
#[derive(Args, Clone)]
pub struct SplitArgs {
	/// Shares needed to rebuild the key (t).
	#[arg(long, default_value_t = 3)]
	pub threshold: u32,
	/// Number of custodians (n), chosen among those the chain certifies now.
	#[arg(long, default_value_t = 5, conflicts_with = "custodian")]
	pub custodians: u32,
	/// Exactly these custodians, in share order (comma-separated accounts).
	#[arg(long, value_delimiter = ',', value_parser = quiet(account))]
	pub custodian: Vec<AccountId>,
	/// Keep the sealed shares off chain, with each custodian's node (give them with --nodes).
	#[arg(long, requires = "nodes")]
	pub custodian_held: bool,
	/// JSON-RPC URLs of the custodians' nodes (custodian-held mode), comma-separated.
	#[arg(long, value_delimiter = ',')]
	pub nodes: Vec<String>,
	/// Argon2id memory in MiB. RFC 9106's second recommendation is 64; with the lanes computed
	/// in parallel, 96 takes on two cores the wall time 64 took on one (docs/protocol.md).
	#[arg(long, default_value_t = 96)]
	pub kdf_memory_mib: u32,
	/// Argon2id passes.
	#[arg(long, default_value_t = 3)]
	pub kdf_iterations: u32,
	/// Argon2id lanes.
	#[arg(long, default_value_t = 4)]
	pub kdf_parallelism: u32,
}

/// Who may approve a recovery, and how long the owner has to object.
#[derive(Args, Clone)]
pub struct PolicyArgs {
	/// Guardians who approve recoveries (comma-separated accounts).
	#[arg(long, value_delimiter = ',', value_parser = quiet(account))]
	pub guardian: Vec<AccountId>,
	/// Guardian approvals needed (default: all guardians).
	#[arg(long)]
	pub guardian_threshold: Option<u32>,
	/// Certificate authorities whose recovery authorization is required (comma-separated).
	#[arg(long, value_delimiter = ',', value_parser = quiet(account))]
	pub authority: Vec<AccountId>,
	/// Blocks between approval and release, during which the owner can cancel.
	#[arg(long, default_value_t = 14_400)]
	pub delay: u32,
	/// Failed recovery attempts allowed before the owner must reset them.
	#[arg(long, default_value_t = 3)]
	pub max_attempts: u32,
	/// Wrong passphrase guesses allowed before the escrow locks (every guess is counted on
	/// chain; the owner, the guardians at their threshold or an accepted authority reset
	/// the count with `custos recover unlock`).
	#[arg(long, default_value_t = 10)]
	pub max_guesses: u32,
	/// Do not require the passphrase factor (the recovery-key signature) to open a request;
	/// guardians or an authority must then be required. The passphrase is still needed to
	/// open the released shares.
	#[arg(long)]
	pub no_passphrase_factor: bool,
}

#[derive(Subcommand)]
pub enum EscrowCommand {
	/// Split a key, seal each share to a custodian, and escrow it on chain.
	Create {
		/// The key to escrow (a key file).
		#[arg(long)]
		key_file: PathBuf,
		/// The owner account, which signs and pays the deposit: a key file, `-` (its secret URI
		/// read from stdin) or a dev account //Name (default: the key itself, when it is an
		/// sr25519 key).
		#[arg(long, value_parser = quiet(signer))]
		signer: Option<String>,
		#[command(flatten)]
		split: SplitArgs,
		#[command(flatten)]
		policy: PolicyArgs,
		#[command(flatten)]
		passphrase: PassphraseArgs,
	},
	/// Show an escrow: owner, key fingerprint, custodians, policy, open request.
	Show {
		/// Escrow id (0x-hex).
		#[arg(value_parser = escrow_id)]
		id: EscrowId,
	},
	/// List the escrows of an account.
	List {
		/// The owner account (or a key file whose account owns).
		#[arg(long, value_parser = quiet(account_or_key_file))]
		owner: AccountId,
	},
	/// How many custodians can still release, against the threshold.
	Health {
		/// Escrow id (0x-hex).
		#[arg(value_parser = escrow_id)]
		id: EscrowId,
	},
	/// Remove an escrow; its deposits return to the owner.
	Remove {
		/// Escrow id (0x-hex).
		#[arg(value_parser = escrow_id)]
		id: EscrowId,
		/// The owner (a key file, `-` for stdin, or a dev account //Name).
		#[arg(long, value_parser = quiet(signer))]
		signer: String,
	},
	/// Re-split the same key for new custodians or threshold (e.g. when custodians are at risk).
	Reshare {
		/// Escrow id (0x-hex).
		#[arg(value_parser = escrow_id)]
		id: EscrowId,
		/// The escrowed key (a key file).
		#[arg(long)]
		key_file: PathBuf,
		/// The owner: a key file, `-` for stdin, or a dev account //Name (default: the key
		/// itself).
		#[arg(long, value_parser = quiet(signer))]
		signer: Option<String>,
		#[command(flatten)]
		split: SplitArgs,
		#[command(flatten)]
		passphrase: PassphraseArgs,
	},
}

#[derive(Subcommand)]
pub enum RecoverCommand {
	/// Make one counted passphrase guess and, if it is right, open a recovery request from a
	/// (new) account; saves the one-time key for `collect`.
	///
	/// The passphrase never leaves this machine: only its blinded form is recorded on chain,
	/// where it counts against the escrow's guess limit, and the custodians' nodes answer it.
	/// A wrong passphrase costs one guess and opens nothing.
	Start {
		/// Escrow id (0x-hex).
		#[arg(value_parser = escrow_id)]
		id: EscrowId,
		/// The requester: a key file (e.g. the new account's), `-` (its secret URI read from
		/// stdin) or a dev account //Name.
		#[arg(long, value_parser = quiet(signer))]
		signer: String,
		/// The custodians' nodes, comma-separated (default: --url): each serves its custodian's
		/// evaluation of the guess the moment it is signed, a block before the chain holds it.
		/// Every evaluation is checked against its share's public key, wherever it comes from.
		#[arg(long, value_delimiter = ',')]
		nodes: Vec<String>,
		/// Directory for the request file [default: $CUSTOS_STATE_DIR or ~/.local/share/custos].
		#[arg(long, env = "CUSTOS_STATE_DIR")]
		state_dir: Option<PathBuf>,
		#[command(flatten)]
		passphrase: PassphraseArgs,
	},
	/// Where a recovery stands: guesses used and left, phase, approvals, release block,
	/// releases.
	Status {
		/// Escrow id (0x-hex).
		#[arg(value_parser = escrow_id)]
		id: EscrowId,
	},
	/// Unlock an escrow: reset its passphrase guesses and its failed recovery attempts. The
	/// owner or an accepted authority unlocks at once; a guardian's call is a vote, and the
	/// vote that reaches the guardian threshold unlocks.
	Unlock {
		/// Escrow id (0x-hex).
		#[arg(value_parser = escrow_id)]
		id: EscrowId,
		/// The owner, a guardian or an accepted authority (a key file, `-` for stdin, or a dev
		/// account //Name).
		#[arg(long, value_parser = quiet(signer))]
		signer: String,
	},
	/// A guardian approves the open request named by its nonce.
	///
	/// Ask the person recovering for the request's nonce and account (`recover start`
	/// prints both) and check them: the command refuses if the open request has another
	/// nonce, and prints the requester it approved.
	Approve {
		/// Escrow id (0x-hex).
		#[arg(value_parser = escrow_id)]
		id: EscrowId,
		/// The request's nonce, as `recover start` printed it.
		#[arg(long)]
		nonce: u32,
		/// The guardian (a key file, `-` for stdin, or a dev account //Name).
		#[arg(long, value_parser = quiet(signer))]
		signer: String,
	},
	/// A CA or attestor authorizes a requester to recover (and attaches it to an open request).
	Authorize {
		/// Escrow id (0x-hex).
		#[arg(value_parser = escrow_id)]
		id: EscrowId,
		/// The requester's account (or its key file).
		#[arg(long, value_parser = quiet(account_or_key_file))]
		requester: AccountId,
		/// The CA or attestor (a key file, `-` for stdin, or a dev account //Name).
		#[arg(long, value_parser = quiet(signer))]
		signer: String,
		/// Blocks the authorization stays valid.
		#[arg(long, default_value_t = 14_400)]
		valid_for: u32,
	},
	/// The owner cancels the open request inside its delay.
	Cancel {
		/// Escrow id (0x-hex).
		#[arg(value_parser = escrow_id)]
		id: EscrowId,
		/// The owner (a key file, `-` for stdin, or a dev account //Name).
		#[arg(long, value_parser = quiet(signer))]
		signer: String,
	},
	/// Gather released shares from several nodes, rebuild the key and write it.
	///
	/// Each node's answers are read at its finalized block with storage proofs, checked against
	/// the block's state root; the escrow record most nodes agree on is taken. A node whose
	/// proof or header fails, that serves another chain or record, or that serves a release
	/// the chain does not hold is named and not used; a custodian is named only for a release
	/// it signed on chain that fails its check. Give several nodes: one node alone is taken at
	/// its word.
	Collect {
		/// Escrow id (0x-hex).
		#[arg(value_parser = escrow_id)]
		id: EscrowId,
		/// JSON-RPC URLs to ask, comma-separated (default: --url); several, so that a lying
		/// node is outvoted.
		#[arg(long, value_delimiter = ',')]
		nodes: Vec<String>,
		/// Key file to write the recovered key to (mode 0600).
		#[arg(long)]
		out: PathBuf,
		/// Replace an existing file.
		#[arg(long)]
		force: bool,
		/// The requester, to close the request afterwards (returns its deposit): a key file, `-`
		/// for stdin, or a dev account //Name.
		#[arg(long, value_parser = quiet(signer))]
		signer: Option<String>,
		/// Wait up to this many seconds for shares to be released.
		#[arg(long, default_value_t = 600)]
		wait: u64,
		/// Directory of the request file [default: $CUSTOS_STATE_DIR or ~/.local/share/custos].
		#[arg(long, env = "CUSTOS_STATE_DIR")]
		state_dir: Option<PathBuf>,
		#[command(flatten)]
		passphrase: PassphraseArgs,
	},
}

#[derive(Subcommand)]
pub enum CaCommand {
	/// Issue a certificate.
	///
	/// A custodian certificate binds the custodian's sealing key, and the chain takes it only
	/// with the custodian's proof that it holds that key and consents to it. Its node gives
	/// both: pass `--from-node` with the custodian node's RPC URL, and the subject and sealing
	/// key are taken from there.
	#[command(after_help = "Examples:\n  custos ca issue --signer //Alice --role custodian \\\n    \
		--from-node ws://127.0.0.1:9949\n  custos ca issue --signer //Alice --role validator \\\n    \
		--subject op.key --from-node ws://127.0.0.1:9948")]
	Issue {
		/// The CA (a key file, `-` for stdin, or a dev account //Name).
		#[arg(long, value_parser = quiet(signer))]
		signer: String,
		/// The certified account (or its key file); with `--from-node`, the node's custodian
		/// account (give it too and it must match).
		#[arg(long, value_parser = quiet(account_or_key_file), required_unless_present = "from_node")]
		subject: Option<AccountId>,
		/// What the certificate lets the subject do.
		#[arg(
			long,
			value_parser = named::<Role>(),
			ignore_case = true,
			default_value_t = Role::Custodian
		)]
		role: Role,
		/// RPC URL of the subject's node. For a custodian certificate (where it is needed) its
		/// account, sealing key and proof of possession (`custos_custodian`) are fetched from
		/// there; for a validator certificate, its build measurement, unless `--measurement`.
		#[arg(long, value_name = "URL")]
		from_node: Option<String>,
		/// Hash of the node build the subject must run (0x-hex; `custos validator measurement`
		/// prints a node's). A validator whose certificate names one joins only with that build.
		#[arg(long, value_parser = measurement)]
		measurement: Option<H256>,
		/// Blocks the certificate stays valid.
		#[arg(long, default_value_t = 5_256_000)]
		valid_for: u32,
	},
	/// Revoke a certificate (by its CA or its subject).
	Revoke {
		/// The CA or the subject (a key file, `-` for stdin, or a dev account //Name).
		#[arg(long, value_parser = quiet(signer))]
		signer: String,
		/// The certified account (or its key file).
		#[arg(long, value_parser = quiet(account_or_key_file))]
		subject: AccountId,
		/// What the certificate lets the subject do.
		#[arg(
			long,
			value_parser = named::<Role>(),
			ignore_case = true,
			default_value_t = Role::Custodian
		)]
		role: Role,
		/// Why (the X.509 CRL reasons).
		#[arg(
			long,
			value_parser = named::<RevocationReason>(),
			ignore_case = true,
			default_value_t = RevocationReason::Unspecified
		)]
		reason: RevocationReason,
	},
}

#[derive(Args)]
pub struct TransferArgs {
	/// The sender: a key file, `-` (its secret URI read from stdin) or a dev account such as
	/// //Alice.
	#[arg(long, value_parser = quiet(signer))]
	pub signer: String,
	/// The receiver: an account, or a key file whose account receives.
	#[arg(long, value_parser = quiet(account_or_key_file))]
	pub to: AccountId,
	/// Amount in whole units (UNIT = 10^12 planck).
	#[arg(long)]
	pub amount: u64,
}

#[cfg(test)]
mod tests;
