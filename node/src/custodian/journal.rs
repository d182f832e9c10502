//! The custodian's durable journal of duties: every release, acknowledgement and guess
//! evaluation it has signed, with the nonce and bytes of the transaction, and every duty it
//! gave up on and why.
//!
//! The journal is written (to a temporary file, synced, renamed) before a transaction reaches
//! the pool, so after `kill -9` the restarted node knows what it had signed: it submits the
//! same bytes again, or signs again with the same nonce, and one nonce is included at most
//! once, so no duty reaches the chain twice. A duty that failed is remembered until the chain
//! stops asking for it, so a share that does not open is not opened again at every block.

use std::{
	collections::BTreeMap,
	fs,
	io::{self, Write},
	path::{Path, PathBuf},
};

use codec::{Decode, Encode};
use custos_primitives::EscrowId;
use custos_runtime::{BlockNumber, Nonce};

/// Format version of the journal file; a file of another version is set aside, not misread.
const VERSION: u8 = 1;

/// What a custodian transaction does. Each names the exact chain state it answers (the
/// request's nonce, the split's generation, the guess id), so a later request or split is a
/// new duty, never confused with a finished or failed one.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, Encode, Decode)]
pub enum Duty {
	/// Share `index` of `escrow` re-sealed to the open request `request` (its nonce).
	Release { escrow: EscrowId, request: u32, index: u32 },
	/// Share `index` of split `generation` of a custodian-held `escrow` is held.
	Acknowledge { escrow: EscrowId, generation: u32, index: u32 },
	/// Guess `guess` of `escrow` evaluated with the OPRF key share of slot `index`.
	Evaluate { escrow: EscrowId, guess: u32, index: u32 },
}

/// Where a duty stands.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode)]
pub enum Entry {
	/// Signed with `nonce` as `extrinsic` and handed to the pool (or about to be) at block
	/// `since`; `attempts` counts transactions that were refused or included without effect.
	Submitted { nonce: Nonce, extrinsic: Vec<u8>, since: BlockNumber, attempts: u32 },
	/// Given up at block `at`; not tried again while the chain asks for the same duty.
	Failed { reason: String, at: BlockNumber },
}

/// The duties, kept in a file under the node's base path.
pub struct Journal {
	path: PathBuf,
	entries: BTreeMap<Duty, Entry>,
}

impl Journal {
	/// The journal at `path`, empty if the file does not exist. A file that cannot be read as a
	/// journal is kept beside it (`.unreadable`) and the journal starts empty: the chain still
	/// refuses a second release of a share, so the worst outcome is a wasted fee.
	pub fn open(path: impl Into<PathBuf>) -> io::Result<Self> {
		let path = path.into();
		let entries = match fs::read(&path) {
			Ok(bytes) => match decode(&bytes) {
				Some(entries) => entries,
				None => {
					let aside = path.with_extension("unreadable");
					fs::rename(&path, &aside)?;
					log::error!(
						target: super::LOG_TARGET,
						"The duty journal {} is unreadable; kept as {} and starting empty",
						path.display(),
						aside.display()
					);
					BTreeMap::new()
				},
			},
			Err(e) if e.kind() == io::ErrorKind::NotFound => BTreeMap::new(),
			Err(e) => return Err(e),
		};
		Ok(Self { path, entries })
	}

	/// Where the journal lives.
	pub fn path(&self) -> &Path {
		&self.path
	}

	/// The entry of `duty`, if any.
	pub fn get(&self, duty: &Duty) -> Option<&Entry> {
		self.entries.get(duty)
	}

	/// Every duty and its entry.
	pub fn entries(&self) -> impl Iterator<Item = (&Duty, &Entry)> {
		self.entries.iter()
	}

	/// Records `entry` for `duty`, durably, before returning.
	pub fn set(&mut self, duty: Duty, entry: Entry) -> io::Result<()> {
		self.entries.insert(duty, entry);
		self.persist()
	}

	/// Keeps only the duties `keep` says are still needed; writes the file if any went.
	pub fn retain(&mut self, mut keep: impl FnMut(&Duty, &Entry) -> bool) -> io::Result<()> {
		let before = self.entries.len();
		self.entries.retain(|duty, entry| keep(duty, entry));
		if self.entries.len() == before {
			return Ok(());
		}
		self.persist()
	}

	/// The nonces of transactions still in flight.
	pub fn nonces(&self) -> impl Iterator<Item = Nonce> + '_ {
		self.entries.values().filter_map(|entry| match entry {
			Entry::Submitted { nonce, .. } => Some(*nonce),
			Entry::Failed { .. } => None,
		})
	}

	// Written whole to a fresh temporary file, synced and renamed over the old one: a crash
	// leaves the old journal or the new one, never a torn one.
	fn persist(&self) -> io::Result<()> {
		let temporary = self.path.with_extension("partial");
		let mut file = fs::File::create(&temporary)?;
		file.write_all(&(VERSION, self.entries.iter().collect::<Vec<_>>()).encode())?;
		file.sync_all()?;
		drop(file);
		fs::rename(&temporary, &self.path)?;
		if let Some(dir) = self.path.parent() {
			if let Ok(handle) = fs::File::open(dir) {
				let _ = handle.sync_all();
			}
		}
		Ok(())
	}
}

fn decode(bytes: &[u8]) -> Option<BTreeMap<Duty, Entry>> {
	let (version, entries): (u8, Vec<(Duty, Entry)>) = Decode::decode(&mut &bytes[..]).ok()?;
	(version == VERSION).then(|| entries.into_iter().collect())
}

#[cfg(test)]
mod tests {
	use super::*;

	fn release(index: u32) -> Duty {
		Duty::Release { escrow: EscrowId::repeat_byte(7), request: 1, index }
	}

	fn submitted(nonce: Nonce) -> Entry {
		Entry::Submitted { nonce, extrinsic: vec![1, 2, 3], since: 5, attempts: 0 }
	}

	#[test]
	fn entries_survive_a_reopen() {
		let dir = tempfile::tempdir().unwrap();
		let path = dir.path().join("duties.scale");
		let mut journal = Journal::open(&path).unwrap();
		journal.set(release(0), submitted(3)).unwrap();
		journal.set(release(1), Entry::Failed { reason: "no".into(), at: 9 }).unwrap();
		let reopened = Journal::open(&path).unwrap();
		assert_eq!(reopened.get(&release(0)), Some(&submitted(3)));
		assert_eq!(reopened.get(&release(1)), Some(&Entry::Failed { reason: "no".into(), at: 9 }));
		assert_eq!(reopened.nonces().collect::<Vec<_>>(), vec![3]);
		assert!(!path.with_extension("partial").exists());
	}

	#[test]
	fn retain_forgets_what_is_done() {
		let dir = tempfile::tempdir().unwrap();
		let path = dir.path().join("duties.scale");
		let mut journal = Journal::open(&path).unwrap();
		journal.set(release(0), submitted(3)).unwrap();
		journal.set(release(1), submitted(4)).unwrap();
		journal.retain(|duty, _| *duty == release(1)).unwrap();
		let reopened = Journal::open(&path).unwrap();
		assert_eq!(reopened.get(&release(0)), None);
		assert_eq!(reopened.nonces().collect::<Vec<_>>(), vec![4]);
	}

	#[test]
	fn an_unreadable_file_is_kept_aside_and_the_journal_starts_empty() {
		let dir = tempfile::tempdir().unwrap();
		let path = dir.path().join("duties.scale");
		fs::write(&path, b"not a journal").unwrap();
		let journal = Journal::open(&path).unwrap();
		assert_eq!(journal.entries().count(), 0);
		assert_eq!(fs::read(path.with_extension("unreadable")).unwrap(), b"not a journal");
	}

	#[test]
	fn a_torn_write_leaves_the_previous_journal() {
		let dir = tempfile::tempdir().unwrap();
		let path = dir.path().join("duties.scale");
		let mut journal = Journal::open(&path).unwrap();
		journal.set(release(0), submitted(3)).unwrap();
		// A crash while writing leaves only a partial temporary file beside the journal.
		fs::write(path.with_extension("partial"), b"\x01\x09garbage").unwrap();
		assert_eq!(Journal::open(&path).unwrap().get(&release(0)), Some(&submitted(3)));
	}
}
