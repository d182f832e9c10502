//! Reliability: a stranger floods a custodian's public `custos_depositShare` on a `--dev` node
//! (Alice is the one certified custodian that runs).
//!
//! The stranger creates its own custodian-held escrow naming Alice, then sends her its share
//! many times at once, oversized shares, shares that do not open, shares for escrows that do
//! not exist, and a burst far above her deposit rate. Each is refused with its reason (or, for
//! the repeats, answered without a second acknowledgement): Alice signs one acknowledgement in
//! all (her nonce moves by one, so the stranger drains no fees), her store grows by the one
//! valid share only, and an honest owner's deposit made during the flood is taken and
//! acknowledged. Prints one `reliability: flood ...` line of figures.

use std::{
	io::Write,
	path::Path,
	time::{Duration, Instant},
};

use anyhow::{ensure, Context, Result};
use custos_client::{
	balances,
	escrow::{self, CustodianChoice, EscrowOptions},
	keys::KeyMaterial,
	progress::Reporter,
	ChainClient,
};
use custos_e2e::{Node, NodeConfig};
use custos_envelope::SealedShare;
use custos_primitives::EscrowId;
use custos_rpc_api::{DEPOSIT_BUSY, DEPOSIT_REFUSED};
use custos_runtime::{AccountId, UNIT};
use futures::future::join_all;
use pallet_key_escrow::{KeyKind, StorageMode};
use sp_core::{sr25519, Pair};
use sp_keyring::Sr25519Keyring;

const TIMEOUT: Duration = Duration::from_secs(120);
const PASSPHRASE: &[u8] = b"flood passphrase";
/// The runtime's `MaxShareLen`.
const MAX_SHARE_LEN: usize = 2048;

fn options(custodians: Vec<AccountId>) -> EscrowOptions {
	EscrowOptions {
		threshold: 2,
		custodians: CustodianChoice::List(custodians),
		guardians: vec![Sr25519Keyring::Ferdie.to_account_id()],
		guardian_threshold: 1,
		authorities: vec![],
		delay: 0,
		max_attempts: 3,
		max_guesses: 3,
		require_passphrase: false,
		mode: StorageMode::CustodianHeld,
		// The dev chain's floors: cheap to derive.
		kdf_memory_kib: 8 * 1024,
		kdf_iterations: 1,
		kdf_parallelism: 1,
	}
}

/// A fresh owner, funded by Charlie (so Alice signs nothing for it), with a custodian-held
/// escrow naming Alice and Bob.
async fn escrow_naming_alice(client: &ChainClient) -> Result<(EscrowId, Vec<SealedShare>)> {
	let key = KeyMaterial::generate(KeyKind::Sr25519Seed)?;
	let (owner, _) = sr25519::Pair::generate();
	balances::transfer(
		client,
		&Sr25519Keyring::Charlie.pair(),
		&owner.public().into(),
		1_000 * UNIT,
		TIMEOUT,
		|_| {},
	)
	.await?;
	let custodians = vec![Sr25519Keyring::Alice.to_account_id(), Sr25519Keyring::Bob.to_account_id()];
	let created =
		escrow::create(client, &owner, &key, PASSPHRASE, &options(custodians), Reporter::quiet())
			.await?;
	Ok((created.id, created.sealed))
}

/// Bytes of the files under `dir` (the custodian's share store).
fn store_bytes(base: &Path) -> Result<u64> {
	let mut total = 0;
	let mut stack = vec![base.to_path_buf()];
	while let Some(dir) = stack.pop() {
		for entry in std::fs::read_dir(&dir)? {
			let entry = entry?;
			let path = entry.path();
			if entry.file_type()?.is_dir() {
				stack.push(path);
			} else if path.parent().is_some_and(|p| p.ends_with("custodian/shares")) {
				total += entry.metadata()?.len();
			}
		}
	}
	Ok(total)
}

/// How a deposit was answered.
#[derive(Debug, PartialEq, Eq)]
enum Answer {
	/// Taken; `true` if it came with an acknowledgement transaction.
	Taken(bool),
	Refused(String),
	Busy,
}

async fn deposit(client: &ChainClient, id: EscrowId, index: u32, bytes: Vec<u8>) -> Answer {
	use custos_rpc_api::CustodianApiClient;
	match CustodianApiClient::deposit_share(client.rpc(), id, index, sp_core::Bytes(bytes)).await {
		Ok(receipt) => Answer::Taken(receipt.acknowledgement.is_some()),
		Err(jsonrpsee::core::client::Error::Call(e)) if e.code() == DEPOSIT_BUSY => Answer::Busy,
		Err(jsonrpsee::core::client::Error::Call(e)) if e.code() == DEPOSIT_REFUSED =>
			Answer::Refused(e.message().to_string()),
		Err(e) => Answer::Refused(format!("unexpected error: {e}")),
	}
}

#[tokio::test(flavor = "multi_thread")]
async fn a_deposit_flood_is_refused_and_bounded() -> Result<()> {
	let started = Instant::now();
	let node = Node::start(NodeConfig { name: "dev", args: vec!["--dev".into()] }).await?;
	let client = node.client().await?;
	client.wait_for_finalized(1, TIMEOUT).await?;
	let alice = Sr25519Keyring::Alice.to_account_id();

	let (id, sealed) = escrow_naming_alice(&client).await.context("the stranger's escrow")?;
	let store_before = store_bytes(node.base_path())?;
	let nonce_before = client.next_nonce(&alice).await?;
	let mut tried = 0usize;
	let mut refused = 0usize;
	let mut busy = 0usize;
	// Every failure is kept and reported at the end, so one run shows them all.
	let mut failures: Vec<String> = Vec::new();

	// The same valid share, ten times at once: stored once, acknowledged once.
	let repeats =
		join_all((0..10).map(|_| deposit(&client, id, 0, sealed[0].as_bytes().to_vec()))).await;
	tried += repeats.len();
	if !repeats.iter().all(|a| matches!(a, Answer::Taken(_))) {
		failures.push(format!("a repeat of a valid share was refused: {repeats:?}"));
	}

	// Hostile deposits, each refused with its reason before it costs the custodian a fee.
	let oversized = vec![7u8; MAX_SHARE_LEN + 1];
	let mut hostile: Vec<(&str, EscrowId, u32, Vec<u8>, &str)> = vec![
		("oversized", id, 0, oversized.clone(), "at most 2048 bytes"),
		("1 MiB", id, 0, vec![0u8; 1024 * 1024], "at most 2048 bytes"),
		("garbage", id, 0, vec![0xa5; MAX_SHARE_LEN], "does not open"),
		("empty", id, 0, vec![], "does not open"),
		("another custodian's slot", id, 1, sealed[1].as_bytes().to_vec(), "belongs to another custodian"),
		("no such slot", id, 9, sealed[0].as_bytes().to_vec(), "has no share 9"),
		("unknown escrow", EscrowId::repeat_byte(0xee), 0, sealed[0].as_bytes().to_vec(), "does not exist"),
	];
	// Bit flips across the sealed share: none opens.
	for position in [0usize, 40, 100] {
		let mut flipped = sealed[0].as_bytes().to_vec();
		let at = position.min(flipped.len() - 1);
		flipped[at] ^= 1;
		hostile.push(("flipped bit", id, 0, flipped, "does not open"));
	}
	for (what, escrow, index, bytes, expected) in hostile {
		tried += 1;
		match deposit(&client, escrow, index, bytes).await {
			Answer::Refused(reason) if reason.contains(expected) => refused += 1,
			answer => failures.push(format!("{what}: {answer:?}, not refused for `{expected}`")),
		}
	}

	// A burst far above the rate limit: the excess is told to wait, and nothing is stored.
	let burst = join_all(
		(0..400).map(|_| deposit(&client, id, 0, vec![0x5a; MAX_SHARE_LEN])),
	)
	.await;
	tried += burst.len();
	for answer in &burst {
		match answer {
			Answer::Busy => busy += 1,
			Answer::Refused(_) => refused += 1,
			Answer::Taken(_) => failures.push("a garbage share was taken in the burst".into()),
		}
	}
	if busy == 0 {
		failures.push(format!("a burst of {} deposits never hit the rate limit", burst.len()));
	}

	// An honest owner deposits while the limit is still spent: the client waits as told.
	let honest_started = Instant::now();
	let (honest, honest_sealed) = escrow_naming_alice(&client).await?;
	client.deposit_share(honest, 0, &honest_sealed[0]).await.context("the honest deposit")?;
	let honest_taken = honest_started.elapsed();

	// Alice's nonce moves by the two acknowledgements (the stranger's share and the honest
	// one) once they are final, and by nothing else.
	let chain_acknowledged = |id: EscrowId| {
		let client = &client;
		async move {
			Ok::<_, anyhow::Error>(client.existing_escrow(id).await?.custodians[0].acknowledged)
		}
	};
	let deadline = Instant::now() + TIMEOUT;
	while !(chain_acknowledged(id).await? && chain_acknowledged(honest).await?) {
		ensure!(Instant::now() < deadline, "the acknowledgements never reached the chain");
		let now = client.finalized_block().await?.number;
		client.wait_for_finalized(now + 1, TIMEOUT).await?;
	}
	let settled = client.finalized_block().await?.number;
	client.wait_for_finalized(settled + 3, TIMEOUT).await?;
	let signed = client.next_nonce(&alice).await? - nonce_before;
	let store_after = store_bytes(node.base_path())?;
	let grown = store_after - store_before;
	let valid = (sealed[0].as_bytes().len() + honest_sealed[0].as_bytes().len()) as u64;

	let figures = format!(
		"reliability: flood deposits={tried} refused={refused} busy={busy} \
		 acknowledgements-signed={signed} store-growth={grown}B valid-shares={valid}B \
		 honest-escrow-and-deposit={:.1}s time={}s\n",
		honest_taken.as_secs_f64(),
		started.elapsed().as_secs()
	);
	// Straight to the process's stderr: libtest does not capture this.
	std::io::stderr().write_all(figures.as_bytes())?;
	if signed != 2 {
		failures.push(format!("Alice signed {signed} transactions for two acknowledgements"));
	}
	if grown != valid {
		failures.push(format!("the store grew by {grown} bytes for {valid} bytes of valid shares"));
	}
	ensure!(failures.is_empty(), "the flood got through:\n{}", failures.join("\n"));
	ensure!(refused + busy + 10 == tried, "{} deposits were neither refused nor repeats", tried - refused - busy - 10);
	Ok(())
}
