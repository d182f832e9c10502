//! Recovery requests: starting one (a counted passphrase guess, then the request with the
//! one-time key the shares are sealed to), guardian approval, CA authorization, owner
//! cancellation, unlocking, status, and closing.
//!
//! `recover start` keeps the one-time secret and the OPRF output of its successful guess in a
//! request file (JSON, mode 0600) that `recover collect` reads:
//! `<state dir>/requests/<escrow id>.json`. The OPRF output alone does not open the shares:
//! `collect` asks for the passphrase again and derives `P = HKDF(h || y)` from both.

use std::path::{Path, PathBuf};

use custos_envelope::{oprf::OprfOutput, OneTimeKey, ProtectionKey};
use custos_primitives::EscrowId;
use custos_runtime::{AccountId, BlockNumber, Runtime, RuntimeCall};
use pallet_key_escrow::{Call as EscrowCall, EscrowOf, RequestOf, RequestPhase};
use serde::{Deserialize, Serialize};
use sp_core::{crypto::Ss58Codec, sr25519, Pair, H256};
use zeroize::Zeroizing;

use crate::{
	escrow::{recovery_pair, FINALITY_TIMEOUT},
	guess::{self, checked_protection_key, passphrase_hash, GuessOutcome},
	keys::write_private,
	progress::Reporter,
	submit::{sign_and_submit, Inclusion},
	ChainClient, Error, Result,
};

/// Version of the request file format (2: protocol v2, with the OPRF output).
const REQUEST_FILE_VERSION: u32 = 2;

/// The request file of an open recovery: what `collect` needs besides the passphrase.
#[derive(Serialize, Deserialize)]
struct RequestFileJson {
	version: u32,
	escrow: String,
	requester: String,
	one_time_secret: String,
	generation: u32,
	oprf_output: String,
}

/// A recovery request as this client started it.
pub struct RequestFile {
	pub escrow: EscrowId,
	pub requester: AccountId,
	pub one_time_key: OneTimeKey,
	/// The split generation the guess was made under.
	pub generation: u32,
	/// `y`, the OPRF output of the successful guess (secret: with the passphrase it gives P).
	pub oprf_output: OprfOutput,
}

impl RequestFile {
	/// Where the request file of `escrow` lives under `state_dir`.
	pub fn path(state_dir: &Path, escrow: &EscrowId) -> PathBuf {
		state_dir.join("requests").join(format!("{escrow:?}.json"))
	}

	/// Writes the file (mode 0600), replacing an earlier request file of the escrow (whose
	/// request the chain no longer holds open for this requester once a new one is opened),
	/// never writing through a link ([`write_private`]).
	pub fn write(&self, path: &Path) -> Result<()> {
		let mut json = RequestFileJson {
			version: REQUEST_FILE_VERSION,
			escrow: format!("{:?}", self.escrow),
			requester: self.requester.to_ss58check(),
			one_time_secret: format!("0x{}", hex::encode(*self.one_time_key.to_bytes())),
			generation: self.generation,
			oprf_output: format!("0x{}", hex::encode(self.oprf_output.as_bytes())),
		};
		let text = serde_json::to_string_pretty(&json).map(Zeroizing::new);
		zeroize::Zeroize::zeroize(&mut json.one_time_secret);
		zeroize::Zeroize::zeroize(&mut json.oprf_output);
		write_private(path, text.map_err(|e| Error::file(path, e))?.as_bytes(), true)
	}

	/// Overwrites the file at `path` with zeros, syncs it and removes it: once the key is
	/// rebuilt, the one-time secret and the OPRF output are of use only to a thief.
	/// A link at `path` is refused, not followed: wiping must never zero another file.
	pub fn wipe(path: &Path) -> Result<()> {
		use std::io::Write;
		let mut options = std::fs::OpenOptions::new();
		options.write(true);
		#[cfg(unix)]
		{
			use std::os::unix::fs::OpenOptionsExt;
			options.custom_flags(libc::O_NOFOLLOW);
		}
		let mut file = options.open(path).map_err(|e| Error::file(path, e))?;
		let len = file.metadata().map_err(|e| Error::file(path, e))?.len();
		file.write_all(&vec![0u8; len as usize]).map_err(|e| Error::file(path, e))?;
		file.sync_all().map_err(|e| Error::file(path, e))?;
		drop(file);
		std::fs::remove_file(path).map_err(|e| Error::file(path, e))
	}

	/// Reads the file at `path`.
	pub fn read(path: &Path) -> Result<Self> {
		let text = Zeroizing::new(std::fs::read_to_string(path).map_err(|e| {
			Error::file(path, format!("{e} (this file is written by `custos recover start`)"))
		})?);
		let mut json: RequestFileJson = serde_json::from_str(&text)
			.map_err(|e| Error::file(path, format!("not a request file: {e}")))?;
		if json.version != REQUEST_FILE_VERSION {
			return Err(Error::file(
				path,
				format!("unsupported request file version {}", json.version),
			));
		}
		let escrow = parse_escrow_id(&json.escrow)?;
		let requester = AccountId::from_ss58check(&json.requester)
			.map_err(|e| Error::file(path, format!("bad requester: {e:?}")))?;
		let secret = Zeroizing::new(
			hex::decode(json.one_time_secret.trim_start_matches("0x"))
				.map_err(|e| Error::file(path, format!("bad one-time secret: {e}")))?,
		);
		zeroize::Zeroize::zeroize(&mut json.one_time_secret);
		let secret: [u8; 32] = secret[..]
			.try_into()
			.map_err(|_| Error::file(path, "the one-time secret is not 32 bytes"))?;
		let secret = Zeroizing::new(secret);
		let output = Zeroizing::new(
			hex::decode(json.oprf_output.trim_start_matches("0x"))
				.map_err(|e| Error::file(path, format!("bad OPRF output: {e}")))?,
		);
		zeroize::Zeroize::zeroize(&mut json.oprf_output);
		let output: [u8; OprfOutput::LEN] = output[..]
			.try_into()
			.map_err(|_| Error::file(path, "the OPRF output is not 64 bytes"))?;
		Ok(Self {
			escrow,
			requester,
			one_time_key: OneTimeKey::from_bytes(*secret),
			generation: json.generation,
			oprf_output: OprfOutput::from_bytes(output),
		})
	}
}

/// Parses an escrow id: 32 bytes of `0x`-hex.
pub fn parse_escrow_id(text: &str) -> Result<EscrowId> {
	let digits = text.trim().strip_prefix("0x").unwrap_or(text.trim());
	let bytes = hex::decode(digits)
		.map_err(|e| Error::Invalid(format!("escrow id `{text}` is not hex: {e}")))?;
	let bytes: [u8; 32] = bytes
		.try_into()
		.map_err(|_| Error::Invalid(format!("escrow id `{text}` is not 32 bytes")))?;
	Ok(H256(bytes))
}

/// The protection key of `record` from the passphrase and the OPRF output a request file
/// kept (slow: Argon2id), checked against the escrow's recovery key.
pub fn protection_key(
	record: &EscrowOf<Runtime>,
	request: &RequestFile,
	passphrase: &[u8],
) -> Result<ProtectionKey> {
	if request.generation != record.generation {
		return Err(Error::Invalid(format!(
			"the escrow was re-split (generation {} -> {}) since this request was started; start a new one",
			request.generation, record.generation
		)));
	}
	let hash = passphrase_hash(record, passphrase)?;
	checked_protection_key(record, &hash, &request.oprf_output).ok_or_else(|| {
		Error::Invalid(
			"wrong passphrase: with this request's OPRF output it does not derive the escrow's recovery key (nothing was opened)"
				.into(),
		)
	})
}

/// A started request.
pub struct Started {
	/// The counted guess that proved the passphrase.
	pub guess: GuessOutcome,
	pub inclusion: Inclusion,
	pub request_file: PathBuf,
	pub one_time_public: H256,
	pub nonce: u32,
}

/// Opens a recovery request for escrow `id` from `requester`: first one counted guess of
/// `passphrase` (see [`guess::guess`]; the custodians' nodes among `nodes` serve their
/// evaluations before the chain holds them); a wrong passphrase ends here with
/// [`Error::WrongPassphrase`] (the guess is spent, nothing else is sent). With the right one,
/// the one-time key and the OPRF output are written to the request file under `state_dir`,
/// and the request is opened with the recovery key's signature (which resets the guess
/// counter).
pub async fn start(
	client: &ChainClient,
	requester: &sr25519::Pair,
	id: EscrowId,
	passphrase: &[u8],
	nodes: &[String],
	state_dir: &Path,
	reporter: Reporter,
) -> Result<Started> {
	let record = client.existing_escrow(id).await?;
	if let Some((open, _)) = client.request(id).await? {
		// A request that satisfied no factor gives way to this one, which brings the
		// recovery-key signature; any other is a real request, and this one would be refused.
		if open.has_factor() {
			return Err(Error::Invalid(format!(
				"escrow {id:?} already has an open recovery request (request {} by {}); nothing was sent",
				open.nonce, open.requester
			)));
		}
		reporter.warn(format!(
			"request {} by {} is open but satisfied no factor: this request will displace it",
			open.nonce, open.requester
		));
	}
	let request_file = RequestFile::path(state_dir, &id);
	let mut outcome =
		guess::guess(client, requester, id, passphrase, nodes, FINALITY_TIMEOUT, reporter).await?;
	let Some((protection, output)) = outcome.key.take() else {
		return Err(Error::WrongPassphrase { used: outcome.used, max_guesses: outcome.max_guesses });
	};
	reporter.step(format!(
		"passphrase right (guess {} of {}); opening the request",
		outcome.used, outcome.max_guesses
	));
	let requester_account: AccountId = requester.public().into();
	let one_time_key = OneTimeKey::generate();
	let one_time_public = H256::from(one_time_key.public());
	let nonce = client.guess_status(id).await?.next_request_nonce;
	let genesis = client.genesis_hash().await?;
	let message = custos_primitives::recovery_request_message(
		&genesis,
		&id,
		&requester_account,
		&one_time_public,
		nonce,
	);
	let signature = recovery_pair(&protection).sign(&message);
	RequestFile {
		escrow: id,
		requester: requester_account,
		one_time_key,
		generation: record.generation,
		oprf_output: output,
	}
	.write(&request_file)?;
	reporter.step(format!("one-time key saved in {}", request_file.display()));
	let call = RuntimeCall::KeyEscrow(EscrowCall::initiate_recovery {
		escrow: id,
		one_time_key: one_time_public,
		signature: Some(signature),
	});
	let inclusion = sign_and_submit(
		client,
		requester,
		call,
		FINALITY_TIMEOUT,
		reporter.transaction("initiate_recovery"),
	)
	.await?;
	Ok(Started { guess: outcome, inclusion, request_file, one_time_public, nonce })
}

/// The owner, an accepted authority or a guardian of escrow `id` unlocks it: resets its guess
/// counter and failed attempts (a guardian's call is a vote until the guardian threshold is
/// reached). Returns the inclusion and whether it was unlocked (false: a vote below the
/// threshold).
pub async fn unlock(
	client: &ChainClient,
	signer: &sr25519::Pair,
	id: EscrowId,
	reporter: Reporter,
) -> Result<(Inclusion, bool)> {
	let call = RuntimeCall::KeyEscrow(EscrowCall::unlock_escrow { escrow: id });
	let inclusion =
		sign_and_submit(client, signer, call, FINALITY_TIMEOUT, reporter.transaction("unlock_escrow"))
			.await?;
	let reset = inclusion.events.iter().any(|event| {
		matches!(
			event,
			custos_runtime::RuntimeEvent::KeyEscrow(pallet_key_escrow::Event::GuessesReset {
				escrow,
				..
			}) if *escrow == id
		)
	});
	Ok((inclusion, reset))
}

/// A guardian approves the open request of escrow `id` whose nonce is `nonce` (the requester
/// gives it to the guardian with its account, out of band). Refused before anything is sent
/// when the open request is another one; returns the inclusion and the approved requester.
pub async fn approve(
	client: &ChainClient,
	guardian: &sr25519::Pair,
	id: EscrowId,
	nonce: u32,
	reporter: Reporter,
) -> Result<(Inclusion, AccountId)> {
	let (request, _) = client
		.request(id)
		.await?
		.ok_or_else(|| Error::Invalid(format!("escrow {id:?} has no open recovery request")))?;
	if request.nonce != nonce {
		return Err(Error::Invalid(format!(
			"the open request of escrow {id:?} is request {} by {}, not request {nonce}: nothing was approved",
			request.nonce, request.requester
		)));
	}
	reporter.step(format!("approving request {nonce} by {}", request.requester));
	let call = RuntimeCall::KeyEscrow(EscrowCall::approve_recovery { escrow: id, nonce });
	let inclusion = sign_and_submit(
		client,
		guardian,
		call,
		FINALITY_TIMEOUT,
		reporter.transaction("approve_recovery"),
	)
	.await?;
	Ok((inclusion, request.requester))
}

/// A CA or attestor records that `requester` may recover escrow `id`, for `valid_for` blocks.
/// When that requester's request is already open, the record is attached to it too (anyone
/// may attach; the runtime checks the record).
pub async fn authorize(
	client: &ChainClient,
	issuer: &sr25519::Pair,
	id: EscrowId,
	requester: AccountId,
	valid_for: BlockNumber,
	reporter: Reporter,
) -> Result<Inclusion> {
	let call = RuntimeCall::Certificates(pallet_certificates::Call::authorize_recovery {
		escrow: id,
		requester: requester.clone().into(),
		valid_for,
	});
	let inclusion = sign_and_submit(
		client,
		issuer,
		call,
		FINALITY_TIMEOUT,
		reporter.transaction("authorize_recovery"),
	)
	.await?;
	if client.request(id).await?.is_some_and(|(request, _)| request.requester == requester) {
		attach_authorization(client, issuer, id, reporter).await?;
	}
	Ok(inclusion)
}

/// Attaches the requester's recovery authorization to the open request of escrow `id`.
pub async fn attach_authorization(
	client: &ChainClient,
	signer: &sr25519::Pair,
	id: EscrowId,
	reporter: Reporter,
) -> Result<Inclusion> {
	let call = RuntimeCall::KeyEscrow(EscrowCall::attach_authorization { escrow: id });
	sign_and_submit(
		client,
		signer,
		call,
		FINALITY_TIMEOUT,
		reporter.transaction("attach_authorization"),
	)
	.await
}

/// The owner cancels the open request of escrow `id` inside its delay.
pub async fn cancel(
	client: &ChainClient,
	owner: &sr25519::Pair,
	id: EscrowId,
	reporter: Reporter,
) -> Result<Inclusion> {
	let call = RuntimeCall::KeyEscrow(EscrowCall::cancel_recovery { escrow: id });
	sign_and_submit(client, owner, call, FINALITY_TIMEOUT, reporter.transaction("cancel_recovery"))
		.await
}

/// The requester closes its request: deposit back, releases removed.
pub async fn close(
	client: &ChainClient,
	requester: &sr25519::Pair,
	id: EscrowId,
	reporter: Reporter,
) -> Result<Inclusion> {
	let call = RuntimeCall::KeyEscrow(EscrowCall::close_recovery { escrow: id });
	sign_and_submit(
		client,
		requester,
		call,
		FINALITY_TIMEOUT,
		reporter.transaction("close_recovery"),
	)
	.await
}

/// Where a recovery stands.
pub struct Status {
	pub escrow: EscrowOf<Runtime>,
	pub guesses: pallet_key_escrow::GuessStatus,
	pub request: Option<(RequestOf<Runtime>, RequestPhase<BlockNumber>)>,
	pub released: Vec<(u32, AccountId)>,
	pub best: BlockNumber,
}

/// Reads the escrow, its open request and the releases so far.
pub async fn status(client: &ChainClient, id: EscrowId) -> Result<Status> {
	let escrow = client.existing_escrow(id).await?;
	let guesses = client.guess_status(id).await?;
	let request = client.request(id).await?;
	let released = client
		.releases(id)
		.await?
		.into_iter()
		.map(|(index, release)| (index, release.custodian))
		.collect();
	let best = client.best_block().await?.number;
	Ok(Status { escrow, guesses, request, released, best })
}

/// Waits (at each finalized block, up to `timeout`) until the open request of `id` is
/// releasable.
pub async fn wait_until_releasable(
	client: &ChainClient,
	id: EscrowId,
	timeout: std::time::Duration,
) -> Result<()> {
	client
		.wait_until("the request to become releasable", timeout, || async move {
			Ok(client
				.request(id)
				.await?
				.is_some_and(|(_, phase)| phase == RequestPhase::Releasable)
				.then_some(()))
		})
		.await
}

/// Waits (at each finalized block, up to `timeout`) until at least `n` shares of `id` are
/// released in the finalized state: `collect` reads finalized blocks only, so a release in a
/// block not final yet is not counted.
pub async fn wait_for_releases(
	client: &ChainClient,
	id: EscrowId,
	n: usize,
	timeout: std::time::Duration,
) -> Result<()> {
	client
		.wait_until(&format!("{n} finalized released shares of {id:?}"), timeout, || async move {
			let finalized = client.finalized_block().await?;
			Ok((client.releases_at(id, Some(finalized.hash)).await?.len() >= n).then_some(()))
		})
		.await
}

#[cfg(test)]
mod tests {
	use super::RequestFile;

	/// Wiping zeroes and removes the request file, and refuses a link in its place rather
	/// than zero the file it points to.
	#[test]
	fn wipe_removes_the_file_and_never_follows_a_link() {
		let dir = tempfile::tempdir().unwrap();
		let path = dir.path().join("request.json");
		std::fs::write(&path, "one-time secret").unwrap();
		RequestFile::wipe(&path).unwrap();
		assert!(!path.exists());
		#[cfg(unix)]
		{
			let precious = dir.path().join("precious.txt");
			std::fs::write(&precious, "the victim's own file").unwrap();
			std::os::unix::fs::symlink(&precious, &path).unwrap();
			assert!(RequestFile::wipe(&path).is_err());
			assert_eq!(std::fs::read_to_string(&precious).unwrap(), "the victim's own file");
		}
	}
}
