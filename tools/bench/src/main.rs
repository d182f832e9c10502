//! `custos-bench`: what escrow and recovery cost, for n = 5 custodians and threshold t = 3.
//!
//! Prints, first without a chain: Argon2id time (the hardened passphrase h, RFC 9106
//! parameters), split+seal time (OPRF key split and evaluation, Shamir, inner layer,
//! commitments, HPKE to five custodians) and what the threshold OPRF adds to it per escrow,
//! and the client's cost per guess (blind, check t DLEQ proofs, combine, unblind, derive P),
//! as medians. Then, against a running local testnet (`./scripts/testnet.sh --short-delay`):
//! bytes written on chain per escrow (on-chain and custodian-held), the guess round trip (guess
//! submitted -> P derived) in blocks and seconds, and one recovery as a timeline, one row per
//! phase in the order seen, with its block(s), the finalized head when the client saw it end,
//! and blocks and seconds since the row before: `recover start` (guess and request) final, the
//! guardian's approval final, the request releasable at a finalized block, each custodian's
//! node serving its share (`custos_releasedShare`), the key written (`recover collect`, run
//! right after the approval as a user would), and each release record final on chain. Totals:
//! `recover start` -> key written without the veto delay's rest (approval final -> releasable
//! final), and releasable -> key written. Last, the resident memory (VmRSS) of
//! each testnet node running on this machine, idle before the bench's transactions and after
//! them, with the median and the solochain template's idle figure beside it.
//!
//! `custos-bench kdf` prints instead the wall time of one Argon2id derivation per memory size
//! (min, median, max): the figures behind the client's default memory.

use std::{
	collections::BTreeSet,
	sync::Mutex,
	time::{Duration, Instant},
};

use clap::{Parser, Subcommand};
use custos_client::{
	balances, collect,
	escrow::{self, CustodianChoice, EscrowOptions},
	keys::KeyMaterial,
	local_node::LocalNode,
	progress::Reporter,
	recovery::{self, RequestFile},
	ChainClient,
};
use custos_envelope::{
	oprf::{self, OprfKey},
	KdfParams, PassphraseHash, ProtectionKey,
};
use custos_primitives::EscrowId;
use custos_runtime::{
	genesis_config_presets::DEV_CUSTODIANS, AccountId, BlockNumber, Runtime, UNIT,
};
use pallet_key_escrow::{KeyKind, RequestOf, RequestPhase, StorageMode};
use sp_core::{sr25519, Pair, H256};
use tokio::sync::mpsc::{unbounded_channel, UnboundedSender};

/// Measure escrow and recovery (n = 5, t = 3).
#[derive(Parser)]
#[command(
	after_help = "The on-chain numbers (bytes per escrow, guess round trip, the recovery timeline \
	              per phase in blocks and seconds, each local node's resident memory beside the \
	              solochain template's) need ./scripts/testnet.sh --short-delay running; without \
	              a chain, --offline prints the client-side numbers only.",
	args_conflicts_with_subcommands = true
)]
struct Args {
	#[command(subcommand)]
	command: Option<Command>,
	/// JSON-RPC URLs of the five testnet nodes (the first one submits).
	#[arg(
		long,
		value_delimiter = ',',
		default_value = custos_client::args::LOCAL_TESTNET_URLS
	)]
	nodes: Vec<String>,
	/// Split+seal repetitions for the median.
	#[arg(long, default_value_t = 200)]
	repeat: usize,
	/// Only the client-side numbers: no chain needed.
	#[arg(long)]
	offline: bool,
}

#[derive(Subcommand)]
enum Command {
	/// Wall time of one Argon2id derivation (`PassphraseHash::derive`) per memory size.
	#[command(after_help = "The lanes run on rayon's pool, one thread per core; \
	                        RAYON_NUM_THREADS=1 computes them one after another.")]
	Kdf {
		/// Memory sizes in MiB, comma-separated.
		#[arg(long, value_delimiter = ',', default_values_t = [64, 96, 128, 192, 256])]
		memory_mib: Vec<u32>,
		/// Argon2id passes.
		#[arg(long, default_value_t = 3)]
		iterations: u32,
		/// Argon2id lanes.
		#[arg(long, default_value_t = 4)]
		parallelism: u32,
		/// Timed derivations per memory size, after one untimed.
		#[arg(long, default_value_t = 9)]
		repeat: usize,
	},
}

const N: usize = 5;
const T: u32 = 3;
const DELAY: u32 = 2;
const PASSPHRASE: &[u8] = b"correct horse battery staple";

fn median(mut samples: Vec<Duration>) -> Duration {
	samples.sort();
	samples[samples.len() / 2]
}

fn ms(d: Duration) -> String {
	format!("{:.3} ms", d.as_secs_f64() * 1e3)
}

/// Times `repeat` derivations per memory size, the sizes in turn so that drift in the machine's
/// speed spreads over all of them.
fn kdf_table(
	memory_mib: &[u32],
	iterations: u32,
	parallelism: u32,
	repeat: usize,
) -> anyhow::Result<()> {
	anyhow::ensure!(repeat > 0 && !memory_mib.is_empty(), "nothing to measure");
	let identity = [7u8; 32];
	let params: Vec<KdfParams> = memory_mib
		.iter()
		.map(|mib| KdfParams {
			memory_kib: mib.saturating_mul(1024),
			iterations,
			parallelism,
			..KdfParams::recommended(custos_envelope::random_salt())
		})
		.collect();
	let mut samples = vec![Vec::with_capacity(repeat); params.len()];
	for round in 0..=repeat {
		for (kdf, samples) in params.iter().zip(&mut samples) {
			let started = Instant::now();
			drop(PassphraseHash::derive(PASSPHRASE, &identity, kdf)?);
			// The first round warms up (rayon's threads, the allocator).
			if round > 0 {
				samples.push(started.elapsed());
			}
		}
	}
	let threads = match std::env::var("RAYON_NUM_THREADS") {
		Ok(threads) => format!("RAYON_NUM_THREADS={threads}"),
		Err(_) => {
			format!("{} cores", std::thread::available_parallelism().map_or(1, |cores| cores.get()))
		},
	};
	println!(
		"Argon2id, {iterations} passes, {parallelism} lanes ({threads}), wall time of one \
		 derivation, {repeat} runs each"
	);
	println!("{:>8}  {:>10}  {:>10}  {:>10}", "memory", "min", "median", "max");
	for (mib, samples) in memory_mib.iter().zip(samples) {
		let (min, max) = (samples.iter().min().copied(), samples.iter().max().copied());
		println!(
			"{:>4} MiB  {:>10}  {:>10}  {:>10}",
			mib,
			ms(min.unwrap_or_default()),
			ms(median(samples)),
			ms(max.unwrap_or_default())
		);
	}
	Ok(())
}

fn client_side(repeat: usize) -> anyhow::Result<()> {
	let kdf = KdfParams::recommended(custos_envelope::random_salt());
	let identity = [7u8; 32];
	let kdf_samples: Vec<Duration> = (0..5)
		.map(|_| {
			let started = Instant::now();
			let hash = PassphraseHash::derive(PASSPHRASE, &identity, &kdf).expect("valid parameters");
			drop(hash);
			started.elapsed()
		})
		.collect();
	let hash = PassphraseHash::derive(PASSPHRASE, &identity, &kdf)?;
	let custodians: Vec<custos_envelope::X25519PublicKey> =
		(0..N).map(|_| custos_envelope::CustodianSecret::generate().public()).collect();
	let secret = KeyMaterial::generate(KeyKind::Sr25519Seed)?;
	let mut seal_samples = Vec::with_capacity(repeat);
	let mut sealed_bytes = 0;
	for _ in 0..repeat {
		let started = Instant::now();
		let (sealed, _) = custos_envelope::seal_escrow(
			secret.secret(),
			T as u8,
			&custodians,
			&hash,
			H256::repeat_byte(1),
			H256::repeat_byte(2),
			0,
		)?;
		seal_samples.push(started.elapsed());
		sealed_bytes = sealed.sealed.iter().map(|share| share.len()).sum::<usize>();
	}
	println!("client side (n = {N}, t = {T}, 32-byte sr25519 seed)");
	println!(
		"  Argon2id hardened passphrase h (64 MiB, 3 passes, 4 lanes), median of 5: {}",
		ms(median(kdf_samples))
	);
	println!(
		"  split + seal (OPRF key, Shamir, inner layer, commitments, HPKE x{N}), median of {repeat}: {}",
		ms(median(seal_samples))
	);
	println!("  sealed shares: {sealed_bytes} bytes ({} per share)", sealed_bytes / N);

	// What the threshold OPRF adds per escrow: draw k, split it, K_i, y = OPRF_k(h), P.
	let oprf_samples: Vec<Duration> = (0..repeat)
		.map(|_| {
			let started = Instant::now();
			let key = OprfKey::generate();
			let shares = oprf::split_key(&key, T as u8, N as u8).expect("valid threshold");
			let publics: Vec<_> = shares.iter().map(|share| share.public()).collect();
			let output = key.evaluate_unblinded(hash.as_bytes()).expect("32-byte input");
			let protection = ProtectionKey::from_oprf(&hash, &output);
			drop((publics, protection));
			started.elapsed()
		})
		.collect();
	println!(
		"  of which the threshold OPRF (k, {N} shares, K_i, y, P), median of {repeat}: {}",
		ms(median(oprf_samples))
	);

	// The client's cost per guess besides Argon2id: blind, check t proofs, combine, derive P.
	let key = OprfKey::generate();
	let shares = oprf::split_key(&key, T as u8, N as u8)?;
	let mut guess_samples = Vec::with_capacity(repeat);
	let mut evaluate_samples = Vec::with_capacity(repeat * T as usize);
	for _ in 0..repeat {
		let started = Instant::now();
		let (blind, blinded) = oprf::blind(hash.as_bytes())?;
		let blind_time = started.elapsed();
		let fresh: Vec<_> = shares[..T as usize]
			.iter()
			.map(|share| {
				let started = Instant::now();
				let evaluation = oprf::evaluate(share, &blinded);
				evaluate_samples.push(started.elapsed());
				(evaluation, share.public())
			})
			.collect();
		let started = Instant::now();
		let output =
			oprf::combine_and_finalize(hash.as_bytes(), &blind, &blinded, &fresh, T as u8)?;
		let _ = ProtectionKey::from_oprf(&hash, &output);
		guess_samples.push(blind_time + started.elapsed());
	}
	println!(
		"  per guess, client (blind, verify {T} DLEQ proofs, combine, unblind, P; Argon2id \
		 excluded), median of {repeat}: {}",
		ms(median(guess_samples))
	);
	println!(
		"  per guess, one custodian (BlindEvaluate with DLEQ proof), median of {}: {}",
		evaluate_samples.len(),
		ms(median(evaluate_samples))
	);
	Ok(())
}

async fn fund(client: &ChainClient, from: &str, to: &AccountId) -> anyhow::Result<()> {
	let from = sr25519::Pair::from_string(from, None).expect("dev URI");
	balances::transfer(client, &from, to, 1_000 * UNIT, escrow::FINALITY_TIMEOUT, |_| {}).await?;
	Ok(())
}

async fn on_chain(nodes: &[String]) -> anyhow::Result<()> {
	let client = ChainClient::connect(&nodes[0]).await?;
	client.check_runtime().await?;
	// Before the bench's first transaction: the chain only builds empty blocks.
	let idle_memory = LocalNode::find_all(nodes);
	let state = tempfile::tempdir()?;
	let options = |mode| EscrowOptions {
		threshold: T,
		custodians: CustodianChoice::Any(N as u32),
		guardians: vec![sr25519::Pair::from_string("//Ferdie", None).unwrap().public().into()],
		guardian_threshold: 1,
		authorities: vec![],
		delay: DELAY,
		max_attempts: 3,
		max_guesses: 10,
		require_passphrase: true,
		mode,
		kdf_memory_kib: 65_536,
		kdf_iterations: 3,
		kdf_parallelism: 4,
	};
	println!("on chain ({})", nodes[0]);
	let key = KeyMaterial::generate(KeyKind::Sr25519Seed)?;
	let owner = key.sr25519_pair().unwrap();
	fund(&client, "//Alice", &owner.public().into()).await?;
	let created = escrow::create(
		&client,
		&owner,
		&key,
		PASSPHRASE,
		&options(StorageMode::OnChain),
		Reporter::quiet(),
	)
	.await?;
	println!("  bytes on chain per escrow, shares on chain: {}", created.bytes_on_chain);
	let held_key = KeyMaterial::generate(KeyKind::Raw)?;
	let held = escrow::create(
		&client,
		&owner,
		&held_key,
		PASSPHRASE,
		&options(StorageMode::CustodianHeld),
		Reporter::quiet(),
	)
	.await?;
	println!(
		"  bytes on chain per escrow, custodian-held (shares off chain): {}",
		held.bytes_on_chain
	);

	let timeline = recovery_timeline(&client, nodes, created.id, &key, state.path()).await?;
	timeline.print();
	print_memory(nodes, &idle_memory, &LocalNode::find_all(nodes));
	Ok(())
}

/// What a row of the recovery timeline is, for the totals.
#[derive(Clone, Copy, PartialEq, Eq)]
enum PhaseKind {
	Start,
	Approval,
	Releasable,
	Served,
	Written,
	/// A release record final on chain: shown, not a step the key waits for.
	ReleaseFinal,
}

/// One phase of the recovery timeline, ended when the client saw it.
struct Phase {
	kind: PhaseKind,
	name: String,
	/// The block(s) it concerns, as text.
	blocks: String,
	/// The finalized head when the client saw the phase end: "blocks since previous" counts these.
	head: u32,
	at: Instant,
}

/// What the watchers saw, each when they saw it.
enum Seen {
	/// The request is releasable (or already completed: every share released) at `head`.
	Releasable { release_at: Option<u32>, head: u32, at: Instant },
	/// Share `index`'s release, as `custodian`'s node served it (`custos_releasedShare`).
	Served { index: u32, custodian: AccountId, head: u32, at: Instant },
	/// Share `index` released by `custodian`, included in block `included`, final at `head`.
	Released { index: u32, custodian: AccountId, included: u32, head: u32, at: Instant },
}

/// How long the watchers follow a recovery; after the key is written they wait
/// [`LATE_RELEASES`] more for the release records and the shares not needed.
const WATCH_TIMEOUT: Duration = Duration::from_secs(600);
const LATE_RELEASES: Duration = Duration::from_secs(60);
/// How often the served-share watcher asks the custodians' nodes. Nodes offer no subscription
/// for what they serve; a bench may ask often (the client itself waits on finalized heads).
const SERVED_POLL: Duration = Duration::from_millis(100);

/// Follows the finalized blocks of the node at `url` (`ChainClient::wait_until`) until all `n`
/// shares of escrow `id` are released, and sends what it sees when it sees it: the request
/// releasable (the runtime's phase at that block), then each release, read with a storage proof
/// at that block as `collect` reads it.
async fn watch_releases(
	url: String,
	id: EscrowId,
	n: u32,
	seen: UnboundedSender<Seen>,
) -> custos_client::Result<()> {
	let client = ChainClient::connect(&url).await?;
	// (releasable seen, share indexes seen)
	let state = Mutex::new((false, BTreeSet::new()));
	let (client, state, seen) = (&client, &state, &seen);
	client
		.wait_until("every share to be released", WATCH_TIMEOUT, move || async move {
			let block = client.proven_finalized_block().await?;
			let request: Option<(RequestOf<Runtime>, RequestPhase<BlockNumber>)> =
				client.runtime_api("KeyEscrowApi_request", id, Some(block.hash)).await?;
			let releases = client.proven_releases(&block, id, n).await?;
			let at = Instant::now();
			let mut state = state.lock().expect("not poisoned");
			if let Some((request, RequestPhase::Releasable | RequestPhase::Completed)) = &request {
				if !state.0 {
					state.0 = true;
					let release_at = request.release_at;
					let _ = seen.send(Seen::Releasable { release_at, head: block.number, at });
				}
			}
			for (index, release) in releases {
				if state.1.insert(index) {
					let _ = seen.send(Seen::Released {
						index,
						custodian: release.custodian,
						included: release.at,
						head: block.number,
						at,
					});
				}
			}
			Ok((state.1.len() as u32 >= n).then_some(()))
		})
		.await
}

/// Asks each node in `nodes` every [`SERVED_POLL`] for the release its custodian serves for
/// its slot of escrow `id` (`custos_releasedShare`), and sends each the first time it is
/// served, until every slot was served once.
async fn watch_served(
	nodes: Vec<String>,
	id: EscrowId,
	slots: Vec<AccountId>,
	seen: UnboundedSender<Seen>,
) -> custos_client::Result<()> {
	// (client, its custodian, its slot) for each node that is one of the escrow's custodians.
	let mut custodians = Vec::new();
	for url in &nodes {
		let client = ChainClient::connect(url).await?;
		let Some(identity) = client.custodian_identity().await? else { continue };
		if let Some(index) = slots.iter().position(|slot| *slot == identity.account) {
			custodians.push((client, identity.account, index as u32));
		}
	}
	let finalized = ChainClient::connect(&nodes[0]).await?;
	let deadline = Instant::now() + WATCH_TIMEOUT;
	while !custodians.is_empty() && Instant::now() < deadline {
		let mut served = Vec::new();
		for (position, (client, _, index)) in custodians.iter().enumerate() {
			if client.served_release(id, *index).await?.is_some() {
				served.push(position);
			}
		}
		if !served.is_empty() {
			let at = Instant::now();
			let head = finalized.finalized_block().await?.number;
			for position in served.into_iter().rev() {
				let (_, custodian, index) = custodians.remove(position);
				let _ = seen.send(Seen::Served { index, custodian, head, at });
			}
		}
		tokio::time::sleep(SERVED_POLL).await;
	}
	Ok(())
}

/// The dev custodian's name (the testnet's custodians are the dev accounts), else the account.
fn custodian_name(account: &AccountId) -> String {
	DEV_CUSTODIANS
		.iter()
		.find(|(keyring, _)| keyring.to_account_id() == *account)
		.map_or_else(|| account.to_string(), |(keyring, _)| format!("{keyring:?}"))
}

/// The recovery of escrow `id` (whose key is `key`), phase by phase, in the order seen.
struct Timeline {
	/// The finalized head when `recover start` began, and when.
	start_head: u32,
	started: Instant,
	phases: Vec<Phase>,
	/// Shares neither served nor released within [`LATE_RELEASES`] after the key was written.
	missing: usize,
}

impl Phase {
	fn seen(seen: Seen) -> Self {
		match seen {
			Seen::Releasable { release_at, head, at } => Phase {
				kind: PhaseKind::Releasable,
				name: format!("releasable (the {DELAY}-block delay's rest; not in totals)"),
				blocks: release_at.map_or_else(|| "-".into(), |block| format!("from #{block}")),
				head,
				at,
			},
			Seen::Served { index, custodian, head, at } => Phase {
				kind: PhaseKind::Served,
				name: format!("share {index} served ({}'s node)", custodian_name(&custodian)),
				blocks: "-".into(),
				head,
				at,
			},
			Seen::Released { index, custodian, included, head, at } => Phase {
				kind: PhaseKind::ReleaseFinal,
				name: format!("share {index} release record final ({})", custodian_name(&custodian)),
				blocks: format!("released in #{included}"),
				head,
				at,
			},
		}
	}
}

/// Runs one recovery of escrow `id` (requester funded by //Bob, approved by guardian
/// //Ferdie) as a user would: `recover start`, the guardian's approval, then `recover collect`
/// at once (it waits until the request is releasable at a finalized block and takes the
/// shares the custodians' nodes serve), and times its phases while watchers note when the
/// request became releasable, when each custodian's node served its share and when each
/// release record was final. Checks that the key recovered is `key`.
async fn recovery_timeline(
	client: &ChainClient,
	nodes: &[String],
	id: EscrowId,
	key: &KeyMaterial,
	state: &std::path::Path,
) -> anyhow::Result<Timeline> {
	let requester = KeyMaterial::generate(KeyKind::Sr25519Seed)?.sr25519_pair().unwrap();
	fund(client, "//Bob", &requester.public().into()).await?;
	let ferdie = sr25519::Pair::from_string("//Ferdie", None).unwrap();
	let slots: Vec<AccountId> =
		client.existing_escrow(id).await?.custodians.iter().map(|slot| slot.account.clone()).collect();
	let mut phases = Vec::new();

	let start_head = client.finalized_block().await?.number;
	let started = Instant::now();
	let request =
		recovery::start(client, &requester, id, PASSPHRASE, nodes, state, Reporter::quiet()).await?;
	let at = Instant::now();
	let guess = &request.guess;
	println!(
		"  guess round trip, guess submitted -> P derived: {} blocks, {:.1} s (guess final \
		 {:.1} s, {T} evaluations read {:.1} s ({} served by the custodians' nodes before the \
		 chain held them), proofs + combine + P {:.1} ms; Argon2id {:.0} ms before)",
		guess.blocks,
		(guess.timings.recorded + guess.timings.evaluated + guess.timings.derive).as_secs_f64(),
		guess.timings.recorded.as_secs_f64(),
		guess.timings.evaluated.as_secs_f64(),
		guess.served.len(),
		guess.timings.derive.as_secs_f64() * 1e3,
		guess.timings.kdf.as_secs_f64() * 1e3
	);
	phases.push(Phase {
		kind: PhaseKind::Start,
		name: "start: guess and request final".into(),
		blocks: format!(
			"guess in #{}, request in #{}",
			guess.inclusion.block.number, request.inclusion.block.number
		),
		head: client.finalized_block().await?.number,
		at,
	});

	let (sender, mut seen) = unbounded_channel();
	let releases = tokio::spawn(watch_releases(nodes[0].clone(), id, N as u32, sender.clone()));
	let served = tokio::spawn(watch_served(nodes.to_vec(), id, slots, sender));
	let (approved, _) =
		recovery::approve(client, &ferdie, id, request.nonce, Reporter::quiet()).await?;
	let at = Instant::now();
	phases.push(Phase {
		kind: PhaseKind::Approval,
		name: "approval (guardian) final".into(),
		blocks: format!("in #{}", approved.block.number),
		head: client.finalized_block().await?.number,
		at,
	});

	// `recover collect` right after the approval, as a user runs it.
	let file = RequestFile::read(&RequestFile::path(state, &id))?;
	let collected =
		collect::collect_when_released(nodes, &file, PASSPHRASE, WATCH_TIMEOUT, Reporter::quiet())
			.await?;
	collected.key.write_file(&state.join("recovered.key"), false)?;
	let at = Instant::now();
	anyhow::ensure!(collected.key.secret() == key.secret(), "recovered another key");
	phases.push(Phase {
		kind: PhaseKind::Written,
		name: format!(
			"key written (collect from {} nodes, {} of {T} shares served before their record was \
			 final)",
			nodes.len(),
			collected.served_early.len()
		),
		blocks: "-".into(),
		head: client.finalized_block().await?.number,
		at,
	});

	// Release records (and shares not needed) seen while collect ran or after: shown in the
	// order seen, not in the totals.
	let deadline = tokio::time::Instant::now() + LATE_RELEASES;
	let (mut served_count, mut released_count) = (0, 0);
	let mut releasable_seen = false;
	while !(releasable_seen && served_count >= N && released_count >= N) {
		match tokio::time::timeout_at(deadline, seen.recv()).await {
			Ok(Some(event)) => {
				match event {
					Seen::Releasable { .. } => releasable_seen = true,
					Seen::Served { .. } => served_count += 1,
					Seen::Released { .. } => released_count += 1,
				}
				phases.push(Phase::seen(event));
			},
			_ => break,
		}
	}
	releases.abort();
	served.abort();
	anyhow::ensure!(releasable_seen, "the request was never seen releasable at a finalized block");
	phases.sort_by_key(|phase| phase.at);
	let missing = N - served_count.max(released_count);
	Ok(Timeline { start_head, started, phases, missing })
}

impl Timeline {
	fn find(&self, kind: PhaseKind) -> &Phase {
		self.phases.iter().find(|phase| phase.kind == kind).expect("every timeline has one")
	}

	/// Prints the phases as a table, then the totals.
	fn print(&self) {
		let secs = |from: Instant, to: Instant| to.saturating_duration_since(from).as_secs_f64();
		let mut rows = vec![[
			"phase".to_string(),
			"block(s), finalized head seen".into(),
			"blocks since prev.".into(),
			"s since prev.".into(),
		]];
		rows.push([
			"recover start submitted".into(),
			format!("head #{}", self.start_head),
			"-".into(),
			"-".into(),
		]);
		let (mut head, mut at) = (self.start_head, self.started);
		for phase in &self.phases {
			let blocks = if phase.blocks == "-" {
				format!("head #{}", phase.head)
			} else {
				format!("{}, final at #{}", phase.blocks, phase.head)
			};
			let after_key = phase.kind != PhaseKind::Written &&
				phase.at > self.find(PhaseKind::Written).at;
			let name = if after_key {
				format!("{} (after the key)", phase.name)
			} else {
				phase.name.clone()
			};
			rows.push([
				name,
				blocks,
				phase.head.saturating_sub(head).to_string(),
				format!("{:.1}", secs(at, phase.at)),
			]);
			(head, at) = (phase.head, phase.at);
		}
		let width = |column: usize| rows.iter().map(|row| row[column].len()).max().unwrap_or(0);
		let widths = [width(0), width(1), width(2), width(3)];
		println!(
			"  recovery timeline (rows in the order seen): a phase on chain ends when the client \
			 sees it in a finalized block (its finalized-head subscription); a share is \
			 \"served\" when the custodian's node first answers custos_releasedShare for it \
			 (asked every {} ms), which it does once the request is releasable at a finalized \
			 block, before its release record is final",
			SERVED_POLL.as_millis()
		);
		for row in &rows {
			println!(
				"    {:<w0$}  {:<w1$}  {:>w2$}  {:>w3$}",
				row[0],
				row[1],
				row[2],
				row[3],
				w0 = widths[0],
				w1 = widths[1],
				w2 = widths[2],
				w3 = widths[3]
			);
		}
		if self.missing > 0 {
			println!(
				"    ({} share(s) neither served nor released within {} s after the key was \
				 written)",
				self.missing,
				LATE_RELEASES.as_secs()
			);
		}
		let [approval, releasable, written] =
			[PhaseKind::Approval, PhaseKind::Releasable, PhaseKind::Written].map(|k| self.find(k));
		// The delay (approval final -> releasable final) is what the veto delay adds.
		let delay_blocks = releasable.head.saturating_sub(approval.head);
		let delay = secs(approval.at, releasable.at);
		let blocks = written.head - self.start_head;
		let total = secs(self.started, written.at);
		println!(
			"  recovery, recover start -> key written, delay excluded (approval final -> \
			 releasable final left out): {} blocks, {:.1} s (with it: {blocks} blocks, {total:.1} s)",
			blocks - delay_blocks,
			total - delay
		);
		println!(
			"  recovery, releasable at a finalized block -> key written: {} blocks, {:.1} s",
			written.head.saturating_sub(releasable.head),
			secs(releasable.at, written.at)
		);
	}
}

/// The stable2503 solochain template's idle resident memory (it is not built here).
const TEMPLATE_IDLE_RSS_MIB: f64 = 97.0;
const TEMPLATE_IDLE_RSS_SOURCE: &str = "the team's notes from setting up this project \
	(stable2609 migration): the stable2503 solochain template's --dev node, measured on this kind \
	of machine (2 cores), about 97 MiB resident when idle";

fn mib(kib: u64) -> f64 {
	kib as f64 / 1024.0
}

/// The median of the sizes found, in MiB (`None` when none was).
fn median_mib(memory: &[Option<LocalNode>]) -> Option<f64> {
	let mut sizes: Vec<u64> = memory.iter().flatten().map(|node| node.rss_kib).collect();
	sizes.sort();
	let middle = sizes.len() / 2;
	match sizes.len() {
		0 => None,
		len if len % 2 == 1 => Some(mib(sizes[middle])),
		_ => Some((mib(sizes[middle - 1]) + mib(sizes[middle])) / 2.0),
	}
}

/// Prints each node's resident memory before (idle) and after the bench's transactions, the
/// median, and the solochain template's figure beside it.
fn print_memory(urls: &[String], idle: &[Option<LocalNode>], after: &[Option<LocalNode>]) {
	println!(
		"  node resident memory (VmRSS), idle = before the bench's first transaction, and after \
		 its recovery"
	);
	for ((url, idle), after) in urls.iter().zip(idle).zip(after) {
		let after = after
			.as_ref()
			.map_or_else(|| "-".into(), |node| format!("{:.1} MiB", mib(node.rss_kib)));
		match idle {
			Some(node) => println!(
				"    {url}  {:<7}  pid {:<7}  idle {:>6.1} MiB  after {after}",
				node.name.as_deref().unwrap_or("-"),
				node.pid,
				mib(node.rss_kib)
			),
			None => println!("    {url}  no custos-node with this --rpc-port on this machine"),
		}
	}
	let builds: BTreeSet<String> = idle
		.iter()
		.flatten()
		.map(|node| {
			let build = match node.build_profile() {
				Some(profile) => format!("{profile} build"),
				None => "build profile unknown".into(),
			};
			let rebuilt = if node.rebuilt { ", rebuilt since the node started" } else { "" };
			format!("{build}: {}{rebuilt}", node.exe.display())
		})
		.collect();
	let builds = builds.into_iter().collect::<Vec<_>>().join("; ");
	match (median_mib(idle), median_mib(after)) {
		(Some(idle_median), after_median) => println!(
			"    median of {}: idle {idle_median:.1} MiB, after {} ({builds})",
			idle.iter().flatten().count(),
			after_median.map_or_else(|| "-".into(), |median| format!("{median:.1} MiB"))
		),
		(None, _) => println!("    not measured: none of the nodes runs on this machine"),
	}
	println!(
		"    solochain template, idle: {TEMPLATE_IDLE_RSS_MIB:.0} MiB (release build, one --dev \
		 node; not built here)"
	);
	println!("      source: {TEMPLATE_IDLE_RSS_SOURCE}");
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
	let args = Args::parse();
	if let Some(Command::Kdf { memory_mib, iterations, parallelism, repeat }) = args.command {
		return kdf_table(&memory_mib, iterations, parallelism, repeat);
	}
	client_side(args.repeat)?;
	if !args.offline {
		on_chain(&args.nodes).await?;
	}
	Ok(())
}
