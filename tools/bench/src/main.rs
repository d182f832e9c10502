//! `custos-bench`: what escrow and recovery cost, for n = 5 custodians and threshold t = 3.
//!
//! Prints, first without a chain: Argon2id time (the hardened passphrase h, RFC 9106
//! parameters), split+seal time (OPRF key split and evaluation, Shamir, inner layer,
//! commitments, HPKE to five custodians) and what the threshold OPRF adds to it per escrow,
//! and the client's cost per guess (blind, check t DLEQ proofs, combine, unblind, derive P),
//! as medians; then, against a running local testnet (`./scripts/testnet.sh --short-delay`):
//! bytes written on chain per escrow (on-chain and custodian-held), the guess round trip (guess submitted
//! -> P derived) in blocks and seconds, and recovery latency in blocks and seconds from
//! `recover start` to the key written, with the veto delay left out.

use std::time::{Duration, Instant};

use clap::Parser;
use custos_client::{
	balances, collect,
	escrow::{self, CustodianChoice, EscrowOptions},
	keys::KeyMaterial,
	progress::Reporter,
	recovery::{self, RequestFile},
	ChainClient,
};
use custos_envelope::{
	oprf::{self, OprfKey},
	KdfParams, PassphraseHash, ProtectionKey,
};
use custos_runtime::{AccountId, UNIT};
use pallet_key_escrow::{KeyKind, StorageMode};
use sp_core::{sr25519, Pair, H256};

/// Measure escrow and recovery (n = 5, t = 3).
#[derive(Parser)]
#[command(after_help = "Start ./scripts/testnet.sh --short-delay first for the on-chain numbers; without a \
                        chain only the client-side numbers are printed.")]
struct Args {
	/// JSON-RPC URLs of the five testnet nodes (the first one submits).
	#[arg(
		long,
		value_delimiter = ',',
		default_value = "ws://127.0.0.1:9944,ws://127.0.0.1:9945,ws://127.0.0.1:9946,ws://127.0.0.1:9947,ws://127.0.0.1:9948"
	)]
	nodes: Vec<String>,
	/// Split+seal repetitions for the median.
	#[arg(long, default_value_t = 200)]
	repeat: usize,
	/// Only the client-side numbers.
	#[arg(long)]
	offline: bool,
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

	// Recovery, timed from `recover start` to the key written; the delay is measured and left out.
	let requester = KeyMaterial::generate(KeyKind::Sr25519Seed)?.sr25519_pair().unwrap();
	fund(&client, "//Bob", &requester.public().into()).await?;
	let ferdie = sr25519::Pair::from_string("//Ferdie", None).unwrap();
	let started = Instant::now();
	let start_block = client.best_block().await?.number;
	let started_request = recovery::start(
		&client,
		&requester,
		created.id,
		PASSPHRASE,
		state.path(),
		Reporter::quiet(),
	)
	.await?;
	let guess = &started_request.guess;
	println!(
		"  guess round trip, guess submitted -> P derived: {} blocks, {:.1} s (guess final {:.1} s, \
		 {T} evaluations read {:.1} s, proofs + combine + P {:.1} ms; Argon2id {:.0} ms before)",
		guess.blocks,
		(guess.timings.recorded + guess.timings.evaluated + guess.timings.derive).as_secs_f64(),
		guess.timings.recorded.as_secs_f64(),
		guess.timings.evaluated.as_secs_f64(),
		guess.timings.derive.as_secs_f64() * 1e3,
		guess.timings.kdf.as_secs_f64() * 1e3
	);
	let (approved, _) = recovery::approve(
		&client,
		&ferdie,
		created.id,
		started_request.nonce,
		Reporter::quiet(),
	)
	.await?;
	let approved_at = Instant::now();
	let release_at =
		client.request(created.id).await?.and_then(|(r, _)| r.release_at).unwrap_or_default();
	recovery::wait_until_releasable(&client, created.id, escrow::FINALITY_TIMEOUT).await?;
	let delay_time = approved_at.elapsed();
	let request = RequestFile::read(&RequestFile::path(state.path(), &created.id))?;
	recovery::wait_for_releases(&client, created.id, T as usize, escrow::FINALITY_TIMEOUT).await?;
	let collected = collect::collect(nodes, &request, PASSPHRASE, Reporter::quiet()).await?;
	collected.key.write_file(&state.path().join("recovered.key"), false)?;
	let total = started.elapsed();
	let end_block = client.best_block().await?.number;
	anyhow::ensure!(collected.key.secret() == key.secret(), "recovered another key");
	let delay_blocks = release_at.saturating_sub(approved.block.number);
	println!(
		"  recovery latency, recover start -> key written, delay excluded: {} blocks, {:.1} s \
		 (with the {DELAY}-block delay: {} blocks, {:.1} s)",
		(end_block - start_block).saturating_sub(delay_blocks),
		(total - delay_time).as_secs_f64(),
		end_block - start_block,
		total.as_secs_f64()
	);
	println!(
		"  (the delay window as measured: approval finalized -> releasable, {:.1} s)",
		delay_time.as_secs_f64()
	);
	Ok(())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
	let args = Args::parse();
	client_side(args.repeat)?;
	if !args.offline {
		on_chain(&args.nodes).await?;
	}
	Ok(())
}
