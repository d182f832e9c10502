//! The key being escrowed: generating or importing it, its fingerprint, and key files.
//!
//! A key file is JSON, `{"version": 1, "kind": "sr25519-seed", "secret": "0x…"}`, written
//! with mode 0600 and never over an existing file unless asked.

use std::{
	fs,
	io::Write,
	path::{Path, PathBuf},
};

use custos_runtime::AccountId;
use custos_primitives::{KeyKind, Named};
use serde::{Deserialize, Serialize};
use sp_core::{ed25519, sr25519, Pair, H256};
use zeroize::Zeroizing;

use crate::{Error, Result};

/// Version of the key file format.
const KEY_FILE_VERSION: u32 = 1;

/// A private key: what `custos escrow create` splits and `custos recover collect` rebuilds.
pub struct KeyMaterial {
	kind: KeyKind,
	secret: Zeroizing<Vec<u8>>,
}


#[derive(Serialize, Deserialize)]
struct KeyFile {
	version: u32,
	kind: String,
	secret: String,
}

impl KeyMaterial {
	/// A key of `kind` from its secret bytes, checking the length the kind needs.
	pub fn new(kind: KeyKind, secret: Zeroizing<Vec<u8>>) -> Result<Self> {
		let lengths = kind.secret_lengths();
		if !lengths.contains(&secret.len()) {
			let allowed = lengths.iter().map(usize::to_string).collect::<Vec<_>>().join(" or ");
			return Err(Error::Invalid(format!(
				"a {} key is {allowed} bytes, not {}",
				kind.name(),
				secret.len()
			)));
		}
		Ok(Self { kind, secret })
	}

	/// A fresh random key of `kind` (raw keys are 32 bytes).
	pub fn generate(kind: KeyKind) -> Result<Self> {
		let len = if kind == KeyKind::Sr25519Secret { 64 } else { 32 };
		let mut secret = Zeroizing::new(vec![0u8; len]);
		getrandom::fill(&mut secret)
			.map_err(|e| Error::Invalid(format!("the system random generator failed: {e}")))?;
		if kind == KeyKind::Sr25519Secret {
			// A valid expanded key: derive it from a random seed.
			let seed: [u8; 32] = secret[..32].try_into().expect("64 >= 32; qed");
			let pair = sr25519::Pair::from_seed(&seed);
			secret = Zeroizing::new(pair.to_raw_vec());
		}
		Self::new(kind, secret)
	}

	/// Imports a key of `kind` from text: `0x`-hex bytes, or (for seeds) a BIP-39 mnemonic.
	pub fn parse(kind: KeyKind, text: &str) -> Result<Self> {
		let text = text.trim();
		if let Some(hex_digits) = text.strip_prefix("0x") {
			let bytes = Zeroizing::new(
				hex::decode(hex_digits)
					.map_err(|e| Error::Invalid(format!("the key is not valid hex: {e}")))?,
			);
			return Self::new(kind, bytes);
		}
		let seed: Zeroizing<Vec<u8>> = match kind {
			KeyKind::Sr25519Seed => {
				let (_, seed) = sr25519::Pair::from_phrase(text, None).map_err(|e| {
					Error::Invalid(format!("not 0x-hex and not a valid mnemonic: {e:?}"))
				})?;
				Zeroizing::new(seed.to_vec())
			},
			KeyKind::Ed25519Seed => {
				let (_, seed) = ed25519::Pair::from_phrase(text, None).map_err(|e| {
					Error::Invalid(format!("not 0x-hex and not a valid mnemonic: {e:?}"))
				})?;
				Zeroizing::new(seed.to_vec())
			},
			KeyKind::Sr25519Secret | KeyKind::Raw => {
				return Err(Error::Invalid(format!(
					"a {} key must be given as 0x-hex",
					kind.name()
				)))
			},
		};
		Self::new(kind, seed)
	}

	/// What kind of key this is.
	pub fn kind(&self) -> KeyKind {
		self.kind
	}

	/// The secret bytes (zeroized when the key is dropped).
	pub fn secret(&self) -> &[u8] {
		&self.secret
	}

	/// The sr25519 pair of an sr25519 key, to sign with it.
	pub fn sr25519_pair(&self) -> Option<sr25519::Pair> {
		match self.kind {
			KeyKind::Sr25519Seed | KeyKind::Sr25519Secret => {
				sr25519::Pair::from_seed_slice(&self.secret).ok()
			},
			_ => None,
		}
	}

	/// The fingerprint the chain records: the public key of an sr25519/ed25519 key; for raw
	/// secrets a hash salted with the owner's account, so equal secrets of different owners
	/// do not look alike.
	pub fn fingerprint(&self, owner: &AccountId) -> H256 {
		match self.kind {
			KeyKind::Sr25519Seed | KeyKind::Sr25519Secret => {
				H256(self.sr25519_pair().expect("length checked in new; qed").public().0)
			},
			KeyKind::Ed25519Seed => {
				let seed: [u8; 32] = self.secret[..].try_into().expect("length checked; qed");
				H256(ed25519::Pair::from_seed(&seed).public().0)
			},
			KeyKind::Raw => {
				let mut input = Zeroizing::new(b"custos/v1/raw-fingerprint".to_vec());
				input.extend_from_slice(owner.as_ref());
				input.extend_from_slice(&self.secret);
				H256(sp_crypto_hashing::blake2_256(&input))
			},
		}
	}

	/// Reads a key file.
	pub fn read_file(path: &Path) -> Result<Self> {
		let text = Zeroizing::new(fs::read_to_string(path).map_err(|e| Error::file(path, e))?);
		let file: KeyFile = serde_json::from_str(&text)
			.map_err(|e| Error::file(path, format!("not a custos key file: {e}")))?;
		let secret = Zeroizing::new(file.secret);
		if file.version != KEY_FILE_VERSION {
			return Err(Error::file(
				path,
				format!("unsupported key file version {}", file.version),
			));
		}
		let kind: KeyKind = file.kind.parse().map_err(|e| Error::file(path, e))?;
		let hex_digits = secret.strip_prefix("0x").unwrap_or(&secret);
		let bytes = Zeroizing::new(
			hex::decode(hex_digits)
				.map_err(|e| Error::file(path, format!("secret is not hex: {e}")))?,
		);
		Self::new(kind, bytes)
	}

	/// Writes the key to `path` with mode 0600. Refuses an existing file unless `overwrite`
	/// (checked first for a clear error, and again atomically when the file is moved into
	/// place); never writes through a link, never leaves a half-written key
	/// ([`write_private`]).
	pub fn write_file(&self, path: &Path, overwrite: bool) -> Result<()> {
		if path.exists() && !overwrite {
			return Err(Error::file(path, "exists already (choose another path, or --force)"));
		}
		let mut file = KeyFile {
			version: KEY_FILE_VERSION,
			kind: self.kind.name().to_string(),
			secret: format!("0x{}", hex::encode(&*self.secret)),
		};
		let text = serde_json::to_string_pretty(&file).map(Zeroizing::new);
		zeroize::Zeroize::zeroize(&mut file.secret);
		let text = text.map_err(|e| Error::file(path, e))?;
		write_private(path, text.as_bytes(), overwrite)
	}
}

/// Writes `bytes` to `path`, readable by the owner only (0600), so that nothing is ever
/// written through a file or link someone else placed, and nothing is half-written:
///
/// - into a new temporary file in the same directory, created exclusively (`O_CREAT|O_EXCL`,
///   which never follows a link) under an unpredictable name, synced;
/// - then moved into place: with `overwrite`, by a rename (which replaces a file or link at
///   `path`, never writes through it); without, by a hard link, which fails if `path` exists,
///   so there is no window between checking and moving in which a file could appear and be
///   replaced.
pub fn write_private(path: &Path, bytes: &[u8], overwrite: bool) -> Result<()> {
	let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
	fs::create_dir_all(dir).map_err(|e| Error::file(dir, e))?;
	let mut nonce = [0u8; 8];
	getrandom::fill(&mut nonce).map_err(|e| Error::file(path, e))?;
	let temporary: PathBuf = dir.join(format!(
		".{}.{}.partial",
		path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default(),
		hex::encode(nonce)
	));
	let mut options = fs::OpenOptions::new();
	options.write(true).create_new(true);
	#[cfg(unix)]
	{
		use std::os::unix::fs::OpenOptionsExt;
		options.mode(0o600);
	}
	let mut file = options.open(&temporary).map_err(|e| Error::file(&temporary, e))?;
	let result = (|| -> std::io::Result<()> {
		#[cfg(unix)]
		{
			use std::os::unix::fs::PermissionsExt;
			file.set_permissions(fs::Permissions::from_mode(0o600))?;
		}
		file.write_all(bytes)?;
		file.sync_all()?;
		if overwrite {
			fs::rename(&temporary, path)
		} else {
			fs::hard_link(&temporary, path)
		}
	})();
	drop(file);
	// After a rename the temporary name is gone; after a link (or a failure) it is removed.
	let _ = fs::remove_file(&temporary);
	match result {
		Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
			Err(Error::file(path, "exists already (choose another path, or --force)"))
		},
		Err(e) => Err(Error::file(path, e)),
		Ok(()) => {
			if let Ok(handle) = fs::File::open(dir) {
				let _ = handle.sync_all();
			}
			Ok(())
		},
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	const PHRASE: &str = "bottom drive obey lake curtain smoke basket hold race lonely fit walk";

	#[test]
	fn mnemonic_import_gives_the_substrate_seed_and_public_key() {
		let key = KeyMaterial::parse(KeyKind::Sr25519Seed, PHRASE).unwrap();
		// `//Alice` is this phrase with a hard derivation; the plain phrase's public key is the
		// well-known dev root key.
		let (pair, _) = sr25519::Pair::from_phrase(PHRASE, None).unwrap();
		assert_eq!(key.fingerprint(&AccountId::new([0; 32])).0, pair.public().0);
		assert_eq!(
			hex::encode(pair.public().0),
			"46ebddef8cd9bb167dc30878d7113b7e168e6f0646beffd77d69d39bad76b47a"
		);
	}

	#[test]
	fn hex_import_checks_lengths() {
		assert!(KeyMaterial::parse(KeyKind::Sr25519Seed, &format!("0x{}", "11".repeat(32))).is_ok());
		assert!(
			KeyMaterial::parse(KeyKind::Sr25519Seed, &format!("0x{}", "11".repeat(31))).is_err()
		);
		assert!(KeyMaterial::parse(KeyKind::Raw, &format!("0x{}", "11".repeat(64))).is_ok());
		assert!(KeyMaterial::parse(KeyKind::Raw, "not hex").is_err());
		assert!(
			KeyMaterial::parse(KeyKind::Sr25519Secret, &format!("0x{}", "11".repeat(32))).is_err()
		);
	}

	#[test]
	fn raw_fingerprints_are_salted_with_the_owner() {
		let key = KeyMaterial::parse(KeyKind::Raw, &format!("0x{}", "42".repeat(32))).unwrap();
		let a = key.fingerprint(&AccountId::new([1; 32]));
		assert_ne!(a, key.fingerprint(&AccountId::new([2; 32])));
		assert_eq!(a, key.fingerprint(&AccountId::new([1; 32])));
	}

	#[test]
	fn generated_keys_have_their_kind_and_sr25519_keys_sign() {
		for kind in
			[KeyKind::Sr25519Seed, KeyKind::Ed25519Seed, KeyKind::Sr25519Secret, KeyKind::Raw]
		{
			let key = KeyMaterial::generate(kind).unwrap();
			assert_eq!(key.kind(), kind);
		}
		let key = KeyMaterial::generate(KeyKind::Sr25519Secret).unwrap();
		let pair = key.sr25519_pair().unwrap();
		let signature = pair.sign(b"m");
		assert!(sr25519::Pair::verify(&signature, b"m", &pair.public()));
		assert_eq!(key.fingerprint(&AccountId::new([0; 32])).0, pair.public().0);
	}

	#[test]
	fn key_files_round_trip_with_mode_0600_and_refuse_to_overwrite() {
		let dir = tempfile::tempdir().unwrap();
		let path = dir.path().join("k.json");
		let key = KeyMaterial::generate(KeyKind::Ed25519Seed).unwrap();
		key.write_file(&path, false).unwrap();
		#[cfg(unix)]
		{
			use std::os::unix::fs::PermissionsExt;
			assert_eq!(fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
		}
		let back = KeyMaterial::read_file(&path).unwrap();
		assert_eq!(back.secret(), key.secret());
		assert_eq!(back.kind(), KeyKind::Ed25519Seed);
		assert!(key.write_file(&path, false).is_err());
		key.write_file(&path, true).unwrap();
		// Only the key file is left: no temporary files.
		assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
	}

	/// Issue 13, files: a link planted at the temporary name used to redirect the write
	/// (`attack_a_planted_link_at_the_temporary_name_redirects_the_write` passed on 3d8775f:
	/// the linked file got the key). The temporary name is now unpredictable and created
	/// exclusively; even a link at every name we could use is never written through.
	#[cfg(unix)]
	#[test]
	fn a_planted_link_is_never_written_through() {
		let dir = tempfile::tempdir().unwrap();
		let precious = dir.path().join("precious.txt");
		fs::write(&precious, "the victim's own file").unwrap();
		let path = dir.path().join("my.key");
		std::os::unix::fs::symlink(&precious, dir.path().join(".my.key.partial")).unwrap();
		let key = KeyMaterial::generate(KeyKind::Ed25519Seed).unwrap();
		key.write_file(&path, false).unwrap();
		assert_eq!(fs::read_to_string(&precious).unwrap(), "the victim's own file");
		assert_eq!(KeyMaterial::read_file(&path).unwrap().secret(), key.secret());
		// A link at the destination is replaced with --force, never written through, and
		// without --force refused.
		let other = dir.path().join("other.key");
		std::os::unix::fs::symlink(&precious, &other).unwrap();
		assert!(key.write_file(&other, false).is_err());
		key.write_file(&other, true).unwrap();
		assert_eq!(fs::read_to_string(&precious).unwrap(), "the victim's own file");
		assert!(!fs::symlink_metadata(&other).unwrap().file_type().is_symlink());
	}

	/// Without `overwrite`, a file that appears after the early check is not replaced: the
	/// move into place itself refuses it.
	#[test]
	fn a_file_that_appears_meanwhile_is_not_replaced() {
		let dir = tempfile::tempdir().unwrap();
		let path = dir.path().join("k.json");
		fs::write(&path, "someone else's").unwrap();
		let error = write_private(&path, b"secret", false).unwrap_err();
		assert!(error.to_string().contains("exists already"), "{error}");
		assert_eq!(fs::read_to_string(&path).unwrap(), "someone else's");
		// Nothing else is left behind.
		assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
	}
}
