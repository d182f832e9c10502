//! Errors of the client library, worded for the person running the command.

/// Anything that can go wrong talking to a Custos chain.
#[derive(Debug, thiserror::Error)]
pub enum Error {
	/// No node answered at the URL.
	#[error("no Custos node answers at {url}: {reason}\n  (is custos-node running? `./scripts/dev.sh` starts a dev chain on ws://127.0.0.1:9944)")]
	Connect { url: String, reason: String },
	/// A JSON-RPC call failed.
	#[error("JSON-RPC `{method}` failed: {reason}")]
	Rpc { method: &'static str, reason: String },
	/// The node answered something this client cannot read.
	#[error("cannot decode {what}: {reason}")]
	Decode { what: &'static str, reason: String },
	/// The node speaks a runtime this client was not built for.
	#[error("the node runs runtime `{found}` but this client is built for `{expected}`")]
	WrongRuntime { expected: String, found: String },
	/// The transaction pool refused or dropped a transaction.
	#[error("transaction {hash} was not included: {reason}")]
	NotIncluded { hash: String, reason: String },
	/// The transaction was included but its call failed.
	#[error("transaction {hash} failed in block {block}: {reason}")]
	DispatchFailed { hash: String, block: String, reason: String },
	/// Waiting for the chain took longer than allowed.
	#[error("timed out after {seconds} s waiting for {what}")]
	Timeout { what: String, seconds: u64 },
	/// A node's answer does not hold up: a header or storage proof that does not verify, or
	/// values the chain's proven state contradicts. A lying or broken node; its answers are
	/// not used.
	#[error("node {url}: {reason}")]
	BadNode { url: String, reason: String },
	/// Fewer valid shares than the threshold could be gathered (yet); `detail` names the
	/// custodians and nodes whose answers failed.
	#[error("only {found} valid shares of the {needed} needed are released at the nodes asked{detail}")]
	TooFewShares { found: usize, needed: usize, detail: String },
	/// The chain has no such record.
	#[error("{what} does not exist on this chain")]
	NotFound { what: String },
	/// A counted guess showed the passphrase is wrong; it cost one of the escrow's guesses.
	#[error("wrong passphrase: it cost guess {used} of {max_guesses} for this escrow ({})", remaining_text(*.used, *.max_guesses))]
	WrongPassphrase { used: u32, max_guesses: u32 },
	/// The escrow accepts no guess until its counter is reset.
	#[error("escrow {escrow} is locked: all {max_guesses} passphrase guesses are spent. The owner, {reset_threshold} of its guardians or an accepted authority can unlock it (`custos recover unlock`), or the owner can re-split; nothing was sent")]
	GuessesLocked { escrow: String, max_guesses: u32, reset_threshold: u32 },
	/// Input the person gave cannot be used; nothing was sent.
	#[error("{0}")]
	Invalid(String),
	/// A cryptographic step failed (wrong passphrase, altered data, ...).
	#[error(transparent)]
	Envelope(#[from] custos_envelope::Error),
	/// Reading or writing a local file failed.
	#[error("{path}: {reason}")]
	File { path: String, reason: String },
}

fn remaining_text(used: u32, max_guesses: u32) -> String {
	match max_guesses.saturating_sub(used) {
		0 => "none left: the escrow is now locked until a reset".into(),
		1 => "1 left".into(),
		left => format!("{left} left"),
	}
}

/// Result with the client's [`Error`].
pub type Result<T> = std::result::Result<T, Error>;

impl Error {
	pub(crate) fn rpc(method: &'static str, e: impl std::fmt::Display) -> Self {
		Error::Rpc { method, reason: e.to_string() }
	}

	pub(crate) fn decode(what: &'static str, e: impl std::fmt::Display) -> Self {
		Error::Decode { what, reason: e.to_string() }
	}

	pub(crate) fn bad_node(url: &str, reason: impl std::fmt::Display) -> Self {
		Error::BadNode { url: url.to_string(), reason: reason.to_string() }
	}

	pub(crate) fn file(path: &std::path::Path, e: impl std::fmt::Display) -> Self {
		Error::File { path: path.display().to_string(), reason: e.to_string() }
	}
}
