//! Sealed shares of custodian-held escrows, kept in the node's base path.
//!
//! A share is stored as it arrived: still sealed to this custodian's key, so the files are no
//! more sensitive than the chain's own copies. One file per (escrow, generation, share index),
//! written to a temporary name, synced, then renamed, so a crash leaves either the whole share
//! or nothing.

use std::{
	fs,
	io::Write,
	path::{Path, PathBuf},
};

use custos_primitives::EscrowId;

/// The directory of held shares.
pub struct ShareStore {
	dir: PathBuf,
}

impl ShareStore {
	/// A store in `dir`, created if missing.
	pub fn open(dir: impl Into<PathBuf>) -> std::io::Result<Self> {
		let dir = dir.into();
		fs::create_dir_all(&dir)?;
		Ok(Self { dir })
	}

	fn path(&self, escrow: &EscrowId, generation: u32, index: u32) -> PathBuf {
		self.dir.join(format!("{}-g{generation}-i{index}.sealed", hex(escrow)))
	}

	/// Stores `sealed`, replacing an earlier copy of the same share.
	pub fn put(
		&self,
		escrow: &EscrowId,
		generation: u32,
		index: u32,
		sealed: &[u8],
	) -> std::io::Result<()> {
		let path = self.path(escrow, generation, index);
		let temporary = path.with_extension("partial");
		let mut file = fs::File::create(&temporary)?;
		file.write_all(sealed)?;
		file.sync_all()?;
		drop(file);
		fs::rename(&temporary, &path)?;
		sync_dir(&self.dir);
		Ok(())
	}

	/// The stored share, if this node holds it.
	pub fn get(
		&self,
		escrow: &EscrowId,
		generation: u32,
		index: u32,
	) -> std::io::Result<Option<Vec<u8>>> {
		match fs::read(self.path(escrow, generation, index)) {
			Ok(bytes) => Ok(Some(bytes)),
			Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
			Err(e) => Err(e),
		}
	}

	/// Where the shares live, for log messages.
	pub fn dir(&self) -> &Path {
		&self.dir
	}
}

fn hex(escrow: &EscrowId) -> String {
	escrow.as_bytes().iter().map(|b| format!("{b:02x}")).collect()
}

/// Makes the rename durable; best effort (not every platform can open a directory).
fn sync_dir(dir: &Path) {
	if let Ok(handle) = fs::File::open(dir) {
		let _ = handle.sync_all();
	}
}
