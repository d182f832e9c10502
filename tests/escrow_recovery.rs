//! Escrow and recovery on the five-node local network of `scripts/testnet.sh`: four
//! validators (alice, bob, charlie, dave) and a full node (eve), each a certified custodian.
//!
//! While all five run, five scenarios run side by side through the client library: a
//! custodian serving a corrupted share is named and recovery succeeds from the others; the
//! owner's cancel inside the delay means nothing is released; a revoked custodian's release is
//! refused; custodian-held shares round-trip; a stranger's open-and-close rounds neither lock
//! the escrow nor hold its request slot, and the owner's recovery succeeds after them. Beside
//! them a sixth node (ferdie, a custodian certified with its own proof of possession) prepares
//! the crash scenario (`escrow_recovery/crash.rs`): after them dave (a validator) and ferdie
//! (mid-release) are killed with SIGKILL during a recovery that needs ferdie's held share, which
//! completes with no duplicate release, its collect naming a lying node. Then eve stops (dave is
//! down already), and the main scenario
//! runs through the `custos` command line as a user would: a freshly generated account seed,
//! escrowed 3-of-5 with its passphrase, guardian ferdie, a two-block delay and two allowed
//! guesses, recovered from a new account with guesses answered and shares released by the three
//! live nodes: each wrong passphrase costs one counted guess (seen in `recover status`), two
//! lock the escrow so that even the right passphrase is refused, the guardian resets the
//! guesses, the right passphrase then opens the request; a wrong passphrase at `collect` writes
//! nothing; the recovered seed signs a transfer from the original account.

use std::{
	path::{Path, PathBuf},
	time::Duration,
};

use anyhow::{ensure, Context, Result};
use custos_client::{
	balances, certificates, collect,
	deposit::deposit_created,
	escrow::{self, CustodianChoice, EscrowOptions},
	keys::KeyMaterial,
	progress::Reporter,
	recovery::{self, RequestFile},
	submit::sign_and_submit,
	ChainClient, Error,
};
use custos_e2e::{custos, custos_ok, Node, NodeConfig};
use custos_envelope::{CustodianSecret, InnerCiphertext, SealedShare, ShareContext, X25519PublicKey};
use custos_primitives::{EscrowId, PublicKey, Role, SealingKeyProof};
use custos_runtime::{AccountId, BlockNumber, Hash, RuntimeCall, RuntimeEvent, UNIT};
use frame_system::EventRecord;
use pallet_key_escrow::{KeyKind, StorageMode};
use sp_core::{crypto::Ss58Codec, sr25519, Pair, H256};
use sp_keyring::Sr25519Keyring;
use sp_runtime::BoundedVec;

#[path = "escrow_recovery/crash.rs"]
mod crash;

const TIMEOUT: Duration = Duration::from_secs(300);
const PASSPHRASE: &str = "correct horse battery staple";

/// Starts the five nodes as `scripts/testnet.sh --short-delay` does (eve not a validator).
async fn start_network() -> Result<Vec<Node>> {
	custos_e2e::start_five_nodes("local-short-delay", false).await
}

fn dev(suri: &str) -> sr25519::Pair {
	sr25519::Pair::from_string(suri, None).expect("a valid dev secret URI")
}

fn account(pair: &sr25519::Pair) -> AccountId {
	pair.public().into()
}

/// A fresh sr25519 account seed and its pair.
fn fresh() -> (KeyMaterial, sr25519::Pair) {
	let key = KeyMaterial::generate(KeyKind::Sr25519Seed).unwrap();
	let pair = key.sr25519_pair().unwrap();
	(key, pair)
}

async fn fund(client: &ChainClient, from: &sr25519::Pair, to: &AccountId) -> Result<()> {
	balances::transfer(client, from, to, 1_000 * UNIT, TIMEOUT, |_| {}).await?;
	Ok(())
}

fn options(
	threshold: u32,
	custodians: Vec<AccountId>,
	guardian: &sr25519::Pair,
	delay: BlockNumber,
	mode: StorageMode,
) -> EscrowOptions {
	EscrowOptions {
		threshold,
		custodians: CustodianChoice::List(custodians),
		guardians: vec![account(guardian)],
		guardian_threshold: 1,
		authorities: vec![],
		delay,
		max_attempts: 3,
		max_guesses: 3,
		require_passphrase: false,
		mode,
		kdf_memory_kib: 65_536,
		kdf_iterations: 3,
		kdf_parallelism: 4,
	}
}

fn dev_custodians(names: &[Sr25519Keyring]) -> Vec<AccountId> {
	names.iter().map(|k| k.to_account_id()).collect()
}

/// A test-controlled custodian with its own sealing key (it has no node).
struct Mallory {
	pair: sr25519::Pair,
	sealing: CustodianSecret,
}

/// Share 0 to mallory, shares 1..=3 to alice, bob and charlie.
fn mallory_first(mallory: &Mallory) -> Vec<AccountId> {
	let mut custodians = vec![account(&mallory.pair)];
	custodians.extend(dev_custodians(&[
		Sr25519Keyring::Alice,
		Sr25519Keyring::Bob,
		Sr25519Keyring::Charlie,
	]));
	custodians
}

/// Alice (the genesis CA) certifies a new custodian; Ferdie's stash pays its fees.
async fn certify_mallory(client: &ChainClient) -> Result<Mallory> {
	let (_, pair) = fresh();
	// Like a custodian node: the sealing secret is the X25519 form of an ed25519 key, which
	// signs the proof of possession the certificate needs.
	let (edwards, _) = sp_core::ed25519::Pair::generate();
	let sealing = CustodianSecret::from_ed25519_seed(&edwards.seed());
	let genesis = client.genesis_hash().await?;
	let (key, proof) = SealingKeyProof::sign(&genesis, &account(&pair), &edwards, |m| {
		custos_runtime::Signature::Sr25519(pair.sign(m))
	});
	assert_eq!(key, H256::from(sealing.public()), "one scalar, two forms");
	certificates::issue(
		client,
		&Sr25519Keyring::Alice.pair(),
		account(&pair),
		Role::Custodian,
		vec![PublicKey::X25519(key)],
		None,
		10_000,
		Some(proof),
		Reporter::quiet(),
	)
	.await?;
	fund(client, &dev("//Ferdie//stash"), &account(&pair)).await?;
	Ok(Mallory { pair, sealing })
}

/// Re-splits escrow `id` for its custodians in reverse order, delivering custodian-held
/// shares to `nodes_for_deposit`, and checks the policy is kept whole.
async fn reshare_keeping_the_policy(
	client: &ChainClient,
	owner: &sr25519::Pair,
	key: &KeyMaterial,
	id: EscrowId,
	options: &EscrowOptions,
	nodes_for_deposit: Option<&[String]>,
) -> Result<()> {
	let before = client.existing_escrow(id).await?;
	let mut reversed = options.clone();
	if let CustodianChoice::List(custodians) = &mut reversed.custodians {
		custodians.reverse();
	}
	let reshared =
		escrow::reshare(client, owner, id, key, PASSPHRASE.as_bytes(), &reversed, Reporter::quiet())
			.await?;
	if let Some(nodes) = nodes_for_deposit {
		deposit_created(nodes, &reshared, client, TIMEOUT, Reporter::quiet()).await?;
	}
	let after = client.existing_escrow(id).await?;
	ensure!(after.generation == before.generation + 1, "no new generation");
	ensure!(after.policy == before.policy, "the re-split changed the policy");
	ensure!(after.recovery_key != before.recovery_key, "the recovery key did not move");
	ensure!(after.custodians.iter().all(|slot| slot.acknowledged), "unacknowledged slots");
	Ok(())
}

/// Escrows a fresh key for a fresh owner funded by `funder` (re-splitting it once when
/// `reshare`), then opens a recovery from a fresh requester that `funder` (also the guardian)
/// approves. Returns the key, the escrow id and the request file.
async fn escrow_and_request(
	client: &ChainClient,
	funder: &sr25519::Pair,
	make_options: impl FnOnce(&sr25519::Pair) -> EscrowOptions,
	nodes_for_deposit: Option<&[String]>,
	reshare: bool,
	state: &Path,
) -> Result<(KeyMaterial, EscrowId, RequestFile, BlockNumber)> {
	let (key, owner) = fresh();
	let (_, requester) = fresh();
	fund(client, funder, &account(&owner)).await?;
	fund(client, funder, &account(&requester)).await?;
	let options = make_options(funder);
	let created =
		escrow::create(client, &owner, &key, PASSPHRASE.as_bytes(), &options, Reporter::quiet())
			.await?;
	if let Some(nodes) = nodes_for_deposit {
		deposit_created(nodes, &created, client, TIMEOUT, Reporter::quiet()).await?;
	}
	if reshare {
		reshare_keeping_the_policy(client, &owner, &key, created.id, &options, nodes_for_deposit)
			.await?;
	}
	// Evaluations from the chain only (the strangers scenario takes them from the nodes).
	let started = recovery::start(
		client,
		&requester,
		created.id,
		PASSPHRASE.as_bytes(),
		&[],
		state,
		Reporter::quiet(),
	)
	.await?;
	let (approved, _) =
		recovery::approve(client, funder, created.id, started.nonce, Reporter::quiet()).await?;
	let request = RequestFile::read(&RequestFile::path(state, &created.id))?;
	Ok((key, created.id, request, approved.block.number))
}

/// A custodian serving a corrupted share is named; recovery succeeds from the others.
async fn corrupted_share_is_named(
	client: &ChainClient,
	urls: &[String],
	state: &Path,
	mallory: Mallory,
) -> Result<()> {
	let custodians = mallory_first(&mallory);
	let (key, id, request, _) = escrow_and_request(
		client,
		&dev("//Bob//stash"),
		|guardian| options(3, custodians, guardian, 2, StorageMode::OnChain),
		None,
		false,
		state,
	)
	.await?;
	recovery::wait_until_releasable(client, id, TIMEOUT).await?;

	// Mallory opens its share honestly, flips a bit of the inner ciphertext, and releases that.
	let record = client.existing_escrow(id).await?;
	let sealed: Option<Vec<u8>> =
		client.runtime_api("KeyEscrowApi_share", (id, 0u32), None).await?;
	let context = ShareContext::new(client.genesis_hash().await?, id, record.generation, 0);
	let sealed = SealedShare::from(sealed.unwrap());
	let mut inner =
		custos_envelope::open_as_custodian(&mallory.sealing, &context, &sealed)?.inner.into_bytes();
	let last = inner.len() - 1;
	inner[last] ^= 1;
	let (open_request, _) = client.request(id).await?.context("an open request")?;
	let one_time = X25519PublicKey::from(open_request.one_time_key);
	let payload =
		custos_envelope::seal_release(&one_time, &context, &InnerCiphertext::from(inner))?
			.into_bytes();
	let release = RuntimeCall::KeyEscrow(pallet_key_escrow::Call::release_share {
		escrow: id,
		nonce: open_request.nonce,
		index: 0,
		payload: BoundedVec::truncate_from(payload),
	});
	sign_and_submit(client, &mallory.pair, release, TIMEOUT, |_| {}).await?;
	recovery::wait_for_releases(client, id, 4, TIMEOUT).await?;

	let collected =
		collect::collect(urls, &request, PASSPHRASE.as_bytes(), Reporter::quiet()).await?;
	ensure!(collected.key.secret() == key.secret(), "corrupted-share scenario rebuilt another key");
	ensure!(
		collected
			.faulty
			.iter()
			.any(|f| f.index == 0 && f.custodian == account(&mallory.pair).to_string()),
		"mallory was not named: {:?}",
		collected.faulty
	);
	ensure!(collected.used.iter().all(|(index, _)| *index != 0));
	Ok(())
}

/// The owner cancels inside the delay: no custodian releases anything.
async fn owner_cancel_stops_every_release(client: &ChainClient, state: &Path) -> Result<()> {
	let funder = dev("//Charlie//stash");
	let (key, owner) = fresh();
	let (_, requester) = fresh();
	fund(client, &funder, &account(&owner)).await?;
	fund(client, &funder, &account(&requester)).await?;
	let custodians =
		dev_custodians(&[Sr25519Keyring::Alice, Sr25519Keyring::Bob, Sr25519Keyring::Charlie]);
	let options = options(2, custodians, &funder, 10, StorageMode::OnChain);
	let created =
		escrow::create(client, &owner, &key, PASSPHRASE.as_bytes(), &options, Reporter::quiet())
			.await?;
	let id = created.id;
	let started =
		recovery::start(client, &requester, id, PASSPHRASE.as_bytes(), &[], state, Reporter::quiet())
			.await?;
	let (approved, _) =
		recovery::approve(client, &funder, id, started.nonce, Reporter::quiet()).await?;
	let release_at = client.request(id).await?.unwrap().0.release_at.context("approved")?;
	recovery::cancel(client, &owner, id, Reporter::quiet()).await?;
	ensure!(client.request(id).await?.is_none(), "the request outlived its cancellation");

	// Past the block the shares would have been released at, no block released any.
	let last = client.wait_for_finalized(release_at + 3, TIMEOUT).await?.number;
	for number in approved.block.number..=last {
		let hash = client.block_hash(number).await?.context("finalized block")?;
		for event in events_at(client, hash).await? {
			if let RuntimeEvent::KeyEscrow(pallet_key_escrow::Event::ShareReleased {
				escrow,
				index,
				custodian,
			}) = event
			{
				ensure!(
					escrow != id,
					"share {index} released by {custodian} after the owner cancelled"
				);
			}
		}
	}
	Ok(())
}

/// A stranger who satisfies no factor can neither lock the escrow nor hold its request slot:
/// each of its open-and-close rounds forfeits the deposit to the owner and counts no failed
/// attempt (attack on the old code: `max_attempts` such rounds locked the escrow), and the
/// requester with the passphrase displaces the stranger's open request and recovers.
async fn strangers_cannot_lock_or_block(
	client: &ChainClient,
	urls: &[String],
	state: &Path,
) -> Result<()> {
	let funder = dev("//Ferdie//stash");
	let (key, owner) = fresh();
	let (_, requester) = fresh();
	let (_, stranger) = fresh();
	for who in [&owner, &requester, &stranger] {
		fund(client, &funder, &account(who)).await?;
	}
	let custodians =
		dev_custodians(&[Sr25519Keyring::Alice, Sr25519Keyring::Bob, Sr25519Keyring::Charlie]);
	// Guardians only (no passphrase factor): anyone may open a request.
	let mut options = options(2, custodians, &funder, 2, StorageMode::OnChain);
	options.max_attempts = 2;
	let created =
		escrow::create(client, &owner, &key, PASSPHRASE.as_bytes(), &options, Reporter::quiet())
			.await?;
	let id = created.id;
	reshare_keeping_the_policy(client, &owner, &key, id, &options, None).await?;
	let open = |one_time_key: u8| {
		RuntimeCall::KeyEscrow(pallet_key_escrow::Call::initiate_recovery {
			escrow: id,
			one_time_key: H256::repeat_byte(one_time_key),
			signature: None,
		})
	};
	let owner_before = balances::free_balance(client, &account(&owner), None).await?;
	for round in 0..options.max_attempts + 1 {
		sign_and_submit(client, &stranger, open(round as u8 + 1), TIMEOUT, |_| {}).await?;
		let close = RuntimeCall::KeyEscrow(pallet_key_escrow::Call::close_recovery { escrow: id });
		let closed = sign_and_submit(client, &stranger, close, TIMEOUT, |_| {}).await?;
		for event in &closed.events {
			match event {
				RuntimeEvent::KeyEscrow(pallet_key_escrow::Event::RecoveryClosed {
					forfeited,
					..
				}) => ensure!(*forfeited, "round {round}: the stranger's deposit came back"),
				RuntimeEvent::KeyEscrow(pallet_key_escrow::Event::RecoveryAttemptFailed {
					..
				}) => anyhow::bail!("round {round}: the stranger's request counted as a failure"),
				_ => {},
			}
		}
	}
	let owner_after = balances::free_balance(client, &account(&owner), None).await?;
	ensure!(owner_after > owner_before, "the forfeited deposits did not reach the owner");

	// The stranger sits on the request slot; the requester's signature displaces it.
	sign_and_submit(client, &stranger, open(9), TIMEOUT, |_| {}).await?;
	let started =
		recovery::start(client, &requester, id, PASSPHRASE.as_bytes(), urls, state, Reporter::quiet())
			.await?;
	// The custodians' nodes serve their evaluations the moment they sign them, a block before
	// the chain holds them (custos_evaluatedGuess); each was checked against its K_i.
	ensure!(
		!started.guess.served.is_empty(),
		"no custodian's node served its evaluation of the guess (all {:?} read from chain)",
		started.guess.evaluated_by
	);
	ensure!(
		started.inclusion.events.iter().any(|event| matches!(
			event,
			RuntimeEvent::KeyEscrow(pallet_key_escrow::Event::RecoveryDisplaced { .. })
		)),
		"the stranger's request was not displaced"
	);
	recovery::approve(client, &funder, id, started.nonce, Reporter::quiet()).await?;
	recovery::wait_for_releases(client, id, 2, TIMEOUT).await?;
	let request = RequestFile::read(&RequestFile::path(state, &id))?;
	let collected =
		collect::collect(urls, &request, PASSPHRASE.as_bytes(), Reporter::quiet()).await?;
	ensure!(collected.key.secret() == key.secret(), "stranger scenario rebuilt another key");
	Ok(())
}

async fn events_at(client: &ChainClient, hash: Hash) -> Result<Vec<RuntimeEvent>> {
	// `System::Events` (its storage type is private to frame-system).
	let key = [sp_io::hashing::twox_128(b"System"), sp_io::hashing::twox_128(b"Events")].concat();
	let records: Option<Vec<EventRecord<RuntimeEvent, Hash>>> =
		client.storage_decoded("events", &key, Some(hash)).await?;
	Ok(records.unwrap_or_default().into_iter().map(|r| r.event).collect())
}

/// A custodian whose certificate was revoked cannot release; the others suffice.
async fn revoked_custodian_is_refused(
	client: &ChainClient,
	urls: &[String],
	state: &Path,
	mallory: Mallory,
) -> Result<()> {
	let custodians = mallory_first(&mallory);
	let (key, id, request, _) = escrow_and_request(
		client,
		&dev("//Dave//stash"),
		|guardian| options(3, custodians, guardian, 2, StorageMode::OnChain),
		None,
		false,
		state,
	)
	.await?;
	// The subject itself revokes (key compromise, say).
	certificates::revoke(
		client,
		&mallory.pair,
		&account(&mallory.pair),
		Role::Custodian,
		pallet_certificates::RevocationReason::KeyCompromise,
		Reporter::quiet(),
	)
	.await?;
	recovery::wait_until_releasable(client, id, TIMEOUT).await?;
	let nonce = client.request(id).await?.context("an open request")?.0.nonce;
	let release = RuntimeCall::KeyEscrow(pallet_key_escrow::Call::release_share {
		escrow: id,
		nonce,
		index: 0,
		payload: BoundedVec::truncate_from(vec![1; 90]),
	});
	let refused = sign_and_submit(client, &mallory.pair, release, TIMEOUT, |_| {}).await;
	match refused {
		Err(Error::DispatchFailed { reason, .. }) => ensure!(
			reason.contains("CustodianNotCertified"),
			"refused for another reason: {reason}"
		),
		other => anyhow::bail!(
			"a revoked custodian's release was not refused: {:?}",
			other.map(|i| i.block)
		),
	}
	recovery::wait_for_releases(client, id, 3, TIMEOUT).await?;
	ensure!(client.releases(id).await?.iter().all(|(index, _)| *index != 0));
	let collected =
		collect::collect(urls, &request, PASSPHRASE.as_bytes(), Reporter::quiet()).await?;
	ensure!(
		collected.key.secret() == key.secret(),
		"revoked-custodian scenario rebuilt another key"
	);
	Ok(())
}

/// Custodian-held shares go to the five nodes and are acknowledged; a re-split delivers the
/// new generation's shares and waits for their acknowledgements, keeping the policy; the
/// shares are released and recombined.
async fn custodian_held_round_trips(
	client: &ChainClient,
	urls: &[String],
	state: &Path,
) -> Result<()> {
	let custodians = dev_custodians(&[
		Sr25519Keyring::Alice,
		Sr25519Keyring::Bob,
		Sr25519Keyring::Charlie,
		Sr25519Keyring::Dave,
		Sr25519Keyring::Eve,
	]);
	let (key, id, request, _) = escrow_and_request(
		client,
		&dev("//Eve//stash"),
		|guardian| options(3, custodians, guardian, 2, StorageMode::CustodianHeld),
		Some(urls),
		true,
		state,
	)
	.await?;
	ensure!(client.existing_escrow(id).await?.custodians.iter().all(|slot| slot.acknowledged));
	ensure!(
		client
			.runtime_api::<Option<Vec<u8>>>("KeyEscrowApi_share", (id, 0u32), None)
			.await?
			.is_none(),
		"a custodian-held share is on chain"
	);
	recovery::wait_for_releases(client, id, 3, TIMEOUT).await?;
	let collected =
		collect::collect(urls, &request, PASSPHRASE.as_bytes(), Reporter::quiet()).await?;
	ensure!(collected.key.secret() == key.secret(), "custodian-held scenario rebuilt another key");
	Ok(())
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
	let path = dir.join(name);
	std::fs::write(&path, text).unwrap();
	path
}

#[tokio::test(flavor = "multi_thread")]
async fn escrow_and_recovery_on_the_five_node_testnet() -> Result<()> {
	let mut nodes = start_network().await?;
	let urls: Vec<String> = nodes.iter().map(|n| n.url()).collect();
	let client = nodes[0].client().await?;
	client.wait_for_finalized(1, TIMEOUT).await?;
	let dir = tempfile::tempdir()?;
	let state = dir.path().join("state");
	let path = |name: &str| dir.path().join(name).to_str().unwrap().to_string();
	let url = urls[0].as_str();

	// The main scenario's escrow, through the command line: a freshly generated account seed.
	let pass = write(dir.path(), "pass", PASSPHRASE);
	let pass = pass.to_str().unwrap();
	let wrong = write(dir.path(), "wrong", "not the passphrase");
	let wrong = wrong.to_str().unwrap();
	let owner = custos_ok(url, &state, &["key", "generate", "--out", &path("owner.key")]);
	let owner_account = owner["account"].as_str().unwrap().to_string();
	custos_ok(
		url,
		&state,
		&["transfer", "--signer", "//Alice//stash", "--to", &path("owner.key"), "--amount", "1000"],
	);
	// Below the local testnet's floors (64 MiB and 3 passes of Argon2id, a 2-block delay),
	// the client refuses before deriving or sending anything.
	let (ok, _, stderr) = custos(
		url,
		&state,
		&[
			"escrow",
			"create",
			"--key-file",
			&path("owner.key"),
			"--custodians",
			"5",
			"--guardian",
			"//Ferdie",
			"--delay",
			"1",
			"--passphrase-file",
			pass,
		],
	);
	assert!(!ok && stderr.contains("below this chain's floor of 2 blocks"), "{stderr}");
	let created = custos_ok(
		url,
		&state,
		&[
			"escrow",
			"create",
			"--key-file",
			&path("owner.key"),
			"--threshold",
			"3",
			"--custodians",
			"5",
			"--guardian",
			"//Ferdie",
			"--delay",
			"2",
			"--max-guesses",
			"2",
			"--passphrase-file",
			pass,
		],
	);
	let id = created["id"].as_str().unwrap().to_string();
	assert_eq!(created["custodians"].as_array().unwrap().len(), 5);

	// The other scenarios, side by side, while all five custodians run.
	let mallory_corrupt = certify_mallory(&client).await?;
	let mallory_revoked = certify_mallory(&client).await?;
	let honest = &urls[..3];
	let (.., crash_prepared) = tokio::try_join!(
		async {
			corrupted_share_is_named(&client, honest, &state.join("b"), mallory_corrupt)
				.await
				.context("corrupted share")
		},
		async {
			owner_cancel_stops_every_release(&client, &state.join("c"))
				.await
				.context("owner cancel")
		},
		async {
			revoked_custodian_is_refused(&client, honest, &state.join("d"), mallory_revoked)
				.await
				.context("revoked custodian")
		},
		async {
			custodian_held_round_trips(&client, &urls, &state.join("e"))
				.await
				.context("custodian-held")
		},
		async {
			strangers_cannot_lock_or_block(&client, honest, &state.join("f"))
				.await
				.context("strangers")
		},
		async {
			crash::prepare(&client, &nodes[0], &state.join("g")).await.context("crash: preparing")
		},
	)?;

	// Reliability: dave (a validator) and ferdie (mid-release) are killed with SIGKILL during a
	// recovery that needs ferdie's held share; it completes, with no duplicate release, and its
	// collect names the lying node it was also given.
	let (alice, others) = nodes.split_at_mut(1);
	let crash = crash::crash_and_recover(&client, &alice[0], &mut others[2], crash_prepared)
		.await
		.context("crash")?;
	let figures = format!(
		"reliability: crash crashes-survived={} duplicates={} lying-nodes-named={} \
		 altered-proofs-refused={}\n",
		crash.crashes, crash.duplicates, crash.lying_nodes_named, crash.altered_proofs
	);
	std::io::Write::write_all(&mut std::io::stderr(), figures.as_bytes())?;
	ensure!(crash.duplicates == 0, "ferdie's release reached the chain {} extra times", crash.duplicates);

	// Dave is down since the crash scenario; eve stops too. The chain keeps finalizing on
	// alice, bob and charlie.
	nodes.truncate(3);
	let finalized = client.finalized_block().await?.number;
	client.wait_for_finalized(finalized + 2, TIMEOUT).await?;

	// Recovery from a new account, with only alice, bob and charlie (t = 3) answering guesses.
	// Each wrong passphrase costs one counted guess and opens nothing.
	custos_ok(url, &state, &["key", "generate", "--out", &path("new.key")]);
	custos_ok(
		url,
		&state,
		&["transfer", "--signer", "//Alice//stash", "--to", &path("new.key"), "--amount", "1000"],
	);
	let start = |passphrase: &str| {
		custos(
			url,
			&state,
			&["recover", "start", &id, "--signer", &path("new.key"), "--passphrase-file", passphrase],
		)
	};
	let (ok, _, stderr) = start(wrong);
	assert!(!ok && stderr.contains("wrong passphrase: it cost guess 1 of 2"), "{stderr}");
	let status = custos_ok(url, &state, &["recover", "status", &id]);
	assert!(status["request"].is_null(), "a request was opened: {status}");
	assert_eq!(status["guesses"]["used"], 1, "{status}");
	assert_eq!(status["guesses"]["remaining"], 1, "{status}");

	// The second wrong guess spends the last one: the escrow locks, and even the right
	// passphrase is refused (before anything is sent) until a reset.
	let (ok, _, stderr) = start(wrong);
	assert!(!ok && stderr.contains("guess 2 of 2") && stderr.contains("locked"), "{stderr}");
	let shown = custos_ok(url, &state, &["escrow", "show", &id]);
	assert_eq!(shown["guesses"]["locked"], true, "{shown}");
	let (ok, _, stderr) = start(pass);
	assert!(!ok && stderr.contains("is locked"), "{stderr}");
	assert_eq!(custos_ok(url, &state, &["recover", "status", &id])["guesses"]["used"], 2);

	// Ferdie, the guardian (threshold 1), resets the guesses; the right passphrase succeeds.
	let reset = custos_ok(url, &state, &["recover", "unlock", &id, "--signer", "//Ferdie"]);
	assert_eq!(reset["reset"], true, "{reset}");
	assert_eq!(reset["guesses"]["used"], 0, "{reset}");
	let (ok, started, stderr) = start(pass);
	assert!(ok, "recover start failed:\n{stderr}");
	assert_eq!(started["guess"]["used"], 1, "{started}");
	assert_eq!(started["guess"]["evaluatedBy"].as_array().unwrap().len(), 3, "{started}");
	assert_eq!(custos_ok(url, &state, &["recover", "status", &id])["guesses"]["used"], 0);
	// The guardian approves the request named by its nonce, and sees whose it is; a nonce
	// that is not the open request's is refused before anything is sent.
	let nonce = started["nonce"].as_u64().unwrap();
	let (ok, _, stderr) = custos(
		url,
		&state,
		&["recover", "approve", &id, "--nonce", &(nonce + 1).to_string(), "--signer", "//Ferdie"],
	);
	assert!(!ok && stderr.contains("nothing was approved"), "{stderr}");
	let approved = custos_ok(
		url,
		&state,
		&["recover", "approve", &id, "--nonce", &nonce.to_string(), "--signer", "//Ferdie"],
	);
	let new_account = custos_ok(url, &state, &["key", "show", &path("new.key")]);
	assert_eq!(approved["requester"], new_account["account"], "{approved}");
	let live = urls[..3].join(",");
	// Waits for the releases, then fails on the passphrase: no key file is written.
	let (ok, _, stderr) = custos(
		url,
		&state,
		&[
			"recover",
			"collect",
			&id,
			"--nodes",
			&live,
			"--out",
			&path("recovered.key"),
			"--passphrase-file",
			wrong,
		],
	);
	assert!(!ok && stderr.contains("wrong passphrase"), "{stderr}");
	assert!(!Path::new(&path("recovered.key")).exists());

	let collected = custos_ok(
		url,
		&state,
		&[
			"recover",
			"collect",
			&id,
			"--nodes",
			&live,
			"--out",
			&path("recovered.key"),
			"--passphrase-file",
			pass,
			"--signer",
			&path("new.key"),
		],
	);
	assert_eq!(collected["fingerprint"], created["fingerprint"]);
	assert_eq!(collected["used"].as_array().unwrap().len(), 3);
	assert!(!collected["closed"].is_null(), "the request was not closed: {collected}");
	assert_eq!(collected["requestFileWiped"], true, "{collected}");
	let request_file = RequestFile::path(&state, &recovery::parse_escrow_id(&id)?);
	assert!(!request_file.exists(), "{} outlived the recovery", request_file.display());
	let original = KeyMaterial::read_file(Path::new(&path("owner.key")))?;
	let recovered = KeyMaterial::read_file(Path::new(&path("recovered.key")))?;
	assert_eq!(recovered.secret(), original.secret());

	// The recovered seed signs a transfer from the original account.
	let owner_id = AccountId::from_ss58check(&owner_account).unwrap();
	let before = balances::free_balance(&client, &owner_id, None).await?;
	custos_ok(
		url,
		&state,
		&["transfer", "--signer", &path("recovered.key"), "--to", "//Ferdie", "--amount", "1"],
	);
	let after = balances::free_balance(&client, &owner_id, None).await?;
	assert!(after + UNIT <= before, "no transfer left the original account: {before} -> {after}");
	Ok(())
}
