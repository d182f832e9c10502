//! Recovery requests: starting one (with the one-time key the shares are sealed to), guardian
//! approval, CA authorization, owner cancellation, status, and closing.
//!
//! `recover start` keeps the one-time secret in a request file (JSON, mode 0600) that
//! `recover collect` reads: `<state dir>/requests/<escrow id>.json`.

use std::path::{Path, PathBuf};

use custos_envelope::{OneTimeKey, ProtectionKey};
use custos_primitives::EscrowId;
use custos_runtime::{AccountId, BlockNumber, Runtime, RuntimeCall};
use pallet_key_escrow::{Call as EscrowCall, EscrowOf, RequestOf, RequestPhase};
use serde::{Deserialize, Serialize};
use sp_core::{crypto::Ss58Codec, sr25519, Pair, H256};
use zeroize::Zeroizing;

use crate::{
	escrow::{recovery_pair, FINALITY_TIMEOUT},
	keys::write_private,
	progress::Reporter,
	submit::{sign_and_submit, Inclusion},
	ChainClient, Error, Result,
};

/// Version of the request file format.
const REQUEST_FILE_VERSION: u32 = 1;

/// The request file of an open recovery: what `collect` needs besides the passphrase.
#[derive(Serialize, Deserialize)]
struct RequestFileJson {
	version: u32,
	escrow: String,
	requester: String,
	one_time_secret: String,
}

/// A recovery request as this client started it.
pub struct RequestFile {
	pub escrow: EscrowId,
	pub requester: AccountId,
	pub one_time_key: OneTimeKey,
}

impl RequestFile {
	/// Where the request file of `escrow` lives under `state_dir`.
	pub fn path(state_dir: &Path, escrow: &EscrowId) -> PathBuf {
		state_dir.join("requests").join(format!("{escrow:?}.json"))
	}

	/// Writes the file (mode 0600).
	pub fn write(&self, path: &Path) -> Result<()> {
		let mut json = RequestFileJson {
			version: REQUEST_FILE_VERSION,
			escrow: format!("{:?}", self.escrow),
			requester: self.requester.to_ss58check(),
			one_time_secret: format!("0x{}", hex::encode(*self.one_time_key.to_bytes())),
		};
		let text = serde_json::to_string_pretty(&json).map(Zeroizing::new);
		zeroize::Zeroize::zeroize(&mut json.one_time_secret);
		write_private(path, text.map_err(|e| Error::file(path, e))?.as_bytes())
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
		Ok(Self { escrow, requester, one_time_key: OneTimeKey::from_bytes(*secret) })
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

/// The passphrase-derived protection key of `record` (slow: Argon2id).
pub fn protection_key(record: &EscrowOf<Runtime>, passphrase: &[u8]) -> Result<ProtectionKey> {
	let owner: [u8; 32] = *record.owner.as_ref();
	Ok(ProtectionKey::derive(passphrase, &owner, &record.kdf)?)
}

/// A started request.
pub struct Started {
	pub inclusion: Inclusion,
	pub request_file: PathBuf,
	pub one_time_public: H256,
}

/// Opens a recovery request for escrow `id` from `requester`. When the policy has a recovery
/// key, `passphrase` must derive it (checked here, before anything is sent: a wrong
/// passphrase would only count as a failed attempt). The one-time key is written to the
/// request file under `state_dir` before the transaction is sent.
pub async fn start(
	client: &ChainClient,
	requester: &sr25519::Pair,
	id: EscrowId,
	passphrase: Option<&[u8]>,
	state_dir: &Path,
	reporter: Reporter,
) -> Result<Started> {
	let record = client.existing_escrow(id).await?;
	if client.request(id).await?.is_some() {
		return Err(Error::Invalid(format!("escrow {id:?} already has an open recovery request")));
	}
	let requester_account: AccountId = requester.public().into();
	let one_time_key = OneTimeKey::generate();
	let one_time_public = H256::from(one_time_key.public());
	let signature = match record.policy.recovery_key {
		None => None,
		Some(expected) => {
			let passphrase = passphrase.ok_or_else(|| {
				Error::Invalid(
					"this escrow's policy needs the passphrase to start a recovery".into(),
				)
			})?;
			reporter.step("deriving the recovery key from the passphrase (Argon2id)");
			let pair = recovery_pair(&protection_key(&record, passphrase)?);
			if pair.public() != expected {
				return Err(Error::Invalid(
					"wrong passphrase: it does not derive this escrow's recovery key (nothing was sent)"
						.into(),
				));
			}
			let genesis = client.genesis_hash().await?;
			let message = custos_primitives::recovery_request_message(
				&genesis,
				&id,
				&requester_account,
				&one_time_public,
			);
			Some(pair.sign(&message))
		},
	};
	let request_file = RequestFile::path(state_dir, &id);
	RequestFile { escrow: id, requester: requester_account, one_time_key }.write(&request_file)?;
	reporter.step(format!("one-time key saved in {}", request_file.display()));
	let call = RuntimeCall::KeyEscrow(EscrowCall::initiate_recovery {
		escrow: id,
		one_time_key: one_time_public,
		signature,
	});
	let inclusion = sign_and_submit(
		client,
		requester,
		call,
		FINALITY_TIMEOUT,
		reporter.transaction("initiate_recovery"),
	)
	.await?;
	Ok(Started { inclusion, request_file, one_time_public })
}

/// A guardian approves the open request of escrow `id`.
pub async fn approve(
	client: &ChainClient,
	guardian: &sr25519::Pair,
	id: EscrowId,
	reporter: Reporter,
) -> Result<Inclusion> {
	let call = RuntimeCall::KeyEscrow(EscrowCall::approve_recovery { escrow: id });
	sign_and_submit(
		client,
		guardian,
		call,
		FINALITY_TIMEOUT,
		reporter.transaction("approve_recovery"),
	)
	.await
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
	pub request: Option<(RequestOf<Runtime>, RequestPhase<BlockNumber>)>,
	pub released: Vec<(u32, AccountId)>,
	pub best: BlockNumber,
}

/// Reads the escrow, its open request and the releases so far.
pub async fn status(client: &ChainClient, id: EscrowId) -> Result<Status> {
	let escrow = client.existing_escrow(id).await?;
	let request = client.request(id).await?;
	let released = client
		.releases(id)
		.await?
		.into_iter()
		.map(|(index, release)| (index, release.custodian))
		.collect();
	let best = client.best_block().await?.number;
	Ok(Status { escrow, request, released, best })
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
/// released.
pub async fn wait_for_releases(
	client: &ChainClient,
	id: EscrowId,
	n: usize,
	timeout: std::time::Duration,
) -> Result<()> {
	client
		.wait_until(&format!("{n} released shares of {id:?}"), timeout, || async move {
			Ok((client.releases(id).await?.len() >= n).then_some(()))
		})
		.await
}
