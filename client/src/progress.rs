//! Progress lines on stderr while a command waits on the chain (stdout stays clean for
//! `--json`).

use crate::submit::Progress;

/// Reports the steps of a command; `quiet` silences it (for library callers and tests).
#[derive(Clone, Copy)]
pub struct Reporter {
	quiet: bool,
}

impl Reporter {
	/// Prints to stderr.
	pub fn stderr() -> Self {
		Self { quiet: false }
	}

	/// Prints nothing.
	pub fn quiet() -> Self {
		Self { quiet: true }
	}

	/// One step of the command.
	pub fn step(&self, message: impl std::fmt::Display) {
		if !self.quiet {
			eprintln!("… {message}");
		}
	}

	/// A warning that does not stop the command.
	pub fn warn(&self, message: impl std::fmt::Display) {
		if !self.quiet {
			eprintln!("warning: {message}");
		}
	}

	/// A callback for [`crate::submit::sign_and_submit`] naming the transaction `what`.
	pub fn transaction<'a>(&'a self, what: &'a str) -> impl FnMut(&Progress) + 'a {
		move |progress| match progress {
			Progress::Submitted { tx_hash } => self.step(format!("{what}: submitted {tx_hash:?}")),
			Progress::InBlock { block_hash } => {
				self.step(format!("{what}: in block {block_hash:?}, waiting for finality"))
			},
			Progress::Retracted { block_hash } => {
				self.step(format!("{what}: block {block_hash:?} left the best chain; waiting"))
			},
			Progress::Finalized { block_hash } => {
				self.step(format!("{what}: finalized in {block_hash:?}"))
			},
		}
	}
}
