//! Sealed shares of custodian-held escrows, kept in the node's base path.
//!
//! A share is stored as it arrived: still sealed to this custodian's key, so the files are no
//! more sensitive than the chain's own copies. One file per (escrow, generation, share index),
//! written to a temporary name, synced, then renamed, so a crash leaves either the whole share
//! or nothing. The store never holds more than its quota of bytes, and [`ShareStore::files`]
//! lets the custodian remove what the chain no longer needs.

use std::{
	fs,
	io::{self, Write},
	path::{Path, PathBuf},
	sync::Mutex,
};

use custos_primitives::EscrowId;

/// Where a held share belongs.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct ShareId {
	pub escrow: EscrowId,
	pub generation: u32,
	pub index: u32,
}

/// What [`ShareStore::put`] did.
#[derive(Debug, PartialEq, Eq)]
pub enum Put {
	/// Stored (new, or replacing a different copy of the same share).
	Stored,
	/// The store already held these exact bytes.
	Unchanged,
}

/// Why a share was not stored.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
	#[error("the custodian's share store is full ({used} of {quota} bytes); the operator can raise --custodian-store-quota")]
	Full { used: u64, quota: u64 },
	#[error("{0}")]
	Io(#[from] io::Error),
}

/// The directory of held shares.
pub struct ShareStore {
	dir: PathBuf,
	quota: u64,
	// Bytes held; locked across a write or removal so concurrent deposits count right.
	used: Mutex<u64>,
}

impl ShareStore {
	/// A store in `dir` holding at most `quota` bytes, created if missing. Temporary files a
	/// crash left behind are removed.
	pub fn open(dir: impl Into<PathBuf>, quota: u64) -> io::Result<Self> {
		let dir = dir.into();
		fs::create_dir_all(&dir)?;
		let mut used = 0;
		for entry in fs::read_dir(&dir)? {
			let entry = entry?;
			let path = entry.path();
			if path.extension().is_some_and(|ext| ext == "partial") {
				fs::remove_file(&path)?;
			} else {
				used += entry.metadata()?.len();
			}
		}
		Ok(Self { dir, quota, used: Mutex::new(used) })
	}

	fn path(&self, id: &ShareId) -> PathBuf {
		self.dir.join(format!("{}-g{}-i{}.sealed", hex(&id.escrow), id.generation, id.index))
	}

	/// Stores `sealed`, replacing an earlier copy of the same share; refused if the store
	/// would go over its quota.
	pub fn put(&self, id: &ShareId, sealed: &[u8]) -> Result<Put, StoreError> {
		let path = self.path(id);
		let mut used = self.used.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
		let previous = match fs::read(&path) {
			Ok(bytes) if bytes == sealed => return Ok(Put::Unchanged),
			Ok(bytes) => bytes.len() as u64,
			Err(e) if e.kind() == io::ErrorKind::NotFound => 0,
			Err(e) => return Err(e.into()),
		};
		let after = (*used + sealed.len() as u64).saturating_sub(previous);
		if after > self.quota {
			return Err(StoreError::Full { used: *used, quota: self.quota });
		}
		let temporary = path.with_extension("partial");
		let mut file = fs::File::create(&temporary)?;
		file.write_all(sealed)?;
		file.sync_all()?;
		drop(file);
		fs::rename(&temporary, &path)?;
		sync_dir(&self.dir);
		*used = after;
		Ok(Put::Stored)
	}

	/// The stored share, if this node holds it.
	pub fn get(&self, id: &ShareId) -> io::Result<Option<Vec<u8>>> {
		match fs::read(self.path(id)) {
			Ok(bytes) => Ok(Some(bytes)),
			Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
			Err(e) => Err(e),
		}
	}

	/// Every share held, for the clean-up against the chain.
	pub fn files(&self) -> io::Result<Vec<ShareId>> {
		let mut ids = Vec::new();
		for entry in fs::read_dir(&self.dir)? {
			let name = entry?.file_name();
			if let Some(id) = name.to_str().and_then(parse_name) {
				ids.push(id);
			}
		}
		Ok(ids)
	}

	/// Deletes a held share the chain no longer needs.
	pub fn remove(&self, id: &ShareId) -> io::Result<()> {
		let path = self.path(id);
		let mut used = self.used.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
		let size = match fs::metadata(&path) {
			Ok(meta) => meta.len(),
			Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
			Err(e) => return Err(e),
		};
		fs::remove_file(&path)?;
		sync_dir(&self.dir);
		*used = used.saturating_sub(size);
		Ok(())
	}

	/// Bytes held.
	pub fn used(&self) -> u64 {
		*self.used.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
	}

	/// Where the shares live, for log messages.
	pub fn dir(&self) -> &Path {
		&self.dir
	}
}

fn hex(escrow: &EscrowId) -> String {
	escrow.as_bytes().iter().map(|b| format!("{b:02x}")).collect()
}

/// `<64 hex>-g<generation>-i<index>.sealed`, as [`ShareStore::path`] names files.
fn parse_name(name: &str) -> Option<ShareId> {
	let stem = name.strip_suffix(".sealed")?;
	let (escrow, rest) = stem.split_once("-g")?;
	let (generation, index) = rest.split_once("-i")?;
	let bytes: [u8; 32] = (0..32)
		.map(|i| u8::from_str_radix(escrow.get(2 * i..2 * i + 2)?, 16).ok())
		.collect::<Option<Vec<u8>>>()?
		.try_into()
		.ok()?;
	(escrow.len() == 64).then_some(())?;
	Some(ShareId { escrow: EscrowId::from(bytes), generation: generation.parse().ok()?, index: index.parse().ok()? })
}

/// Makes the rename durable; best effort (not every platform can open a directory).
fn sync_dir(dir: &Path) {
	if let Ok(handle) = fs::File::open(dir) {
		let _ = handle.sync_all();
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	fn id(index: u32) -> ShareId {
		ShareId { escrow: EscrowId::repeat_byte(0xab), generation: 2, index }
	}

	#[test]
	fn names_round_trip() {
		let dir = tempfile::tempdir().unwrap();
		let store = ShareStore::open(dir.path(), 1 << 20).unwrap();
		store.put(&id(3), b"sealed").unwrap();
		assert_eq!(store.files().unwrap(), vec![id(3)]);
		assert_eq!(parse_name("zz-g1-i2.sealed"), None);
	}

	#[test]
	fn the_quota_is_never_exceeded_and_removal_frees_it() {
		let dir = tempfile::tempdir().unwrap();
		let store = ShareStore::open(dir.path(), 100).unwrap();
		assert_eq!(store.put(&id(0), &[1; 60]).unwrap(), Put::Stored);
		assert!(matches!(store.put(&id(1), &[2; 60]), Err(StoreError::Full { used: 60, quota: 100 })));
		// The same bytes again cost nothing; a replacement counts only the difference.
		assert_eq!(store.put(&id(0), &[1; 60]).unwrap(), Put::Unchanged);
		assert_eq!(store.put(&id(0), &[3; 90]).unwrap(), Put::Stored);
		assert_eq!(store.used(), 90);
		store.remove(&id(0)).unwrap();
		assert_eq!(store.used(), 0);
		assert_eq!(store.put(&id(1), &[2; 60]).unwrap(), Put::Stored);
		// Reopening counts what is on disk.
		assert_eq!(ShareStore::open(dir.path(), 100).unwrap().used(), 60);
	}

	#[test]
	fn leftovers_of_a_crash_are_removed_at_open() {
		let dir = tempfile::tempdir().unwrap();
		fs::write(dir.path().join("x-g0-i0.partial"), b"half").unwrap();
		let store = ShareStore::open(dir.path(), 100).unwrap();
		assert_eq!(store.used(), 0);
		assert!(!dir.path().join("x-g0-i0.partial").exists());
	}
}
