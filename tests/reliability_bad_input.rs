//! Reliability, bad input (issue 13): on one `--dev` node, over a hundred distinct hostile
//! inputs are each refused with the error they call for, and the storage of the `KeyEscrow`,
//! `Certificates` and `ValidatorSet` pallets stays byte for byte what it was.
//!
//! A little real state comes first (two escrows, an approved recovery request, an open guess)
//! so that the refusals are about something. Then:
//!
//! - signed, well-formed extrinsics that must fail at dispatch: calls of the three pallets and
//!   `sudo` from accounts without the role, unknown ids, wrong request nonces, broken splits
//!   and policies. They go as one batch (consecutive nonces, so one or two blocks); each must be
//!   included with `System.ExtrinsicFailed` naming the expected error;
//! - `author_submitExtrinsic` with garbage and truncated SCALE, vectors past their bounds,
//!   calls that do not exist, nesting past the limit, bad signatures, another chain or era, no
//!   funds, stale nonces, replays and duplicates: each refused by the node with its error code;
//! - the `custos_` methods with wrong types, unknown ids and an unknown block, and
//!   `custos_depositShare` with shares this custodian node must not take.
//!
//! The pallets' storage is compared across every finalized block from the snapshot before the
//! inputs to the finalized block after the last one (after the batch's blocks, and two blocks
//! after the JSON-RPC inputs, where anything wrongly taken would land). The test prints
//! `reliability: bad-input tried=N refused=N state-changes=0 time=Ns`.

use std::{
	collections::{BTreeMap, BTreeSet},
	io::Write,
	time::{Duration, Instant},
};

use codec::{Compact, Decode, DecodeAll, Encode};
use custos_client::{extrinsic::SigningContext, submit, ChainClient};
use custos_e2e::{pallet_storage, Node, NodeConfig};
use custos_primitives::{escrow_id, EscrowId, PublicKey, RevocationReason, Role, H256};
use custos_rpc_api::{CustosApiClient, DEPOSIT_REFUSED, MEASUREMENT_REFUSED};
use custos_runtime::{
	signing, AccountId, Address, Hash, Runtime, RuntimeCall, RuntimeError, RuntimeEvent,
	Signature, SignedPayload, UncheckedExtrinsic,
};
use jsonrpsee::core::{
	client::{ClientT, Error as ClientError, Subscription},
	params::{ArrayParams, ObjectParams},
};
use pallet_key_escrow::{
	Floors, KdfAlgorithm, KdfParams, KeyKind, PolicyOf, RecoveryPolicy, Split, SplitOf,
	StorageMode,
};
use serde_json::{json, Value};
use sp_core::{hexdisplay::HexDisplay, sr25519, Bytes, Pair};
use sp_keyring::Sr25519Keyring;
use sp_runtime::{
	generic::Preamble,
	traits::{Get, Verify},
	BoundedVec, MultiAddress,
};

const TIMEOUT: Duration = Duration::from_secs(120);
/// The pallets whose storage must not change.
const PALLETS: [&str; 3] = ["KeyEscrow", "Certificates", "ValidatorSet"];

// JSON-RPC error codes: jsonrpsee's, and those of Substrate's author and state APIs.
const METHOD_NOT_FOUND: i32 = -32601;
const INVALID_PARAMS: i32 = -32602;
const INTERNAL_ERROR: i32 = -32603;
/// The runtime could not validate the transaction (its `validate_transaction` trapped).
const VERIFICATION_ERROR: i32 = 1002;
const POOL_INVALID_TX: i32 = 1010;
const POOL_UNKNOWN_VALIDITY: i32 = 1011;
const POOL_ALREADY_IMPORTED: i32 = 1013;
/// The author API's catch-all; here, bytes that are not even a length-prefixed extrinsic.
const AUTHOR_CLIENT_ERROR: i32 = 1040;
/// The state API's catch-all: `state_call` failing in the runtime.
const STATE_CLIENT_ERROR: i32 = 4003;

// Runtime pallet indices (runtime/src/lib.rs) of the pallets this crate does not link.
const SUDO: u8 = 8;
const VALIDATOR_SET: u8 = 11;

type EscrowCall = pallet_key_escrow::Call<Runtime>;
type EscrowError = pallet_key_escrow::Error<Runtime>;
type CertCall = pallet_certificates::Call<Runtime>;
type CertError = pallet_certificates::Error<Runtime>;
type Storage = BTreeMap<Vec<u8>, Vec<u8>>;
type Watched = Vec<(Vec<u8>, Result<Subscription<Value>, String>)>;

/// What an input must be answered with.
#[derive(Clone, Debug)]
enum Want {
	/// A JSON-RPC error with this code whose message and data contain each of these.
	Error(i32, &'static [&'static str]),
	/// Exactly this answer: `null`, `[]` or `false` about an id that does not exist.
	Answer(Value),
	/// Included, and failed at dispatch with this error, as
	/// `submit::describe_dispatch_error` names it (`KeyEscrow(NotOwner)`, `BadOrigin`).
	Dispatch(String),
}

fn escrow_err(error: EscrowError) -> Want {
	Want::Dispatch(format!("{:?}", RuntimeError::KeyEscrow(error)))
}

fn cert_err(error: CertError) -> Want {
	Want::Dispatch(format!("{:?}", RuntimeError::Certificates(error)))
}

/// A dispatch error by name: `BadOrigin`, or an error of a pallet this crate does not link.
fn fails(name: &str) -> Want {
	Want::Dispatch(name.into())
}

/// A signed extrinsic that must be included and fail at dispatch.
struct TxCase {
	name: &'static str,
	signer: sr25519::Pair,
	want: Want,
	call: RuntimeCall,
}

fn tx(name: &'static str, signer: &sr25519::Pair, want: Want, call: RuntimeCall) -> TxCase {
	TxCase { name, signer: signer.clone(), want, call }
}

/// A JSON-RPC request, its parameters sent as they are, whatever their types.
struct RpcCase {
	name: String,
	method: &'static str,
	params: Value,
	want: Want,
}

fn rpc(name: &str, method: &'static str, params: Value, want: Want) -> RpcCase {
	RpcCase { name: format!("{method}: {name}"), method, params, want }
}

fn submit_bytes(name: &str, bytes: &[u8], want: Want) -> RpcCase {
	rpc(name, "author_submitExtrinsic", json!([hex(bytes)]), want)
}

/// Inputs tried, refused as wanted, storage keys changed, and what went otherwise.
#[derive(Default)]
struct Tally {
	tried: usize,
	refused: usize,
	state_changes: usize,
	wrong: Vec<String>,
}

impl Tally {
	fn record(&mut self, name: &str, outcome: Result<String, String>) {
		self.tried += 1;
		match outcome {
			Ok(seen) => {
				self.refused += 1;
				eprintln!("  refused  {name}: {seen}");
			},
			Err(why) => {
				eprintln!("  WRONG    {name}: {why}");
				self.wrong.push(format!("{name}: {why}"));
			},
		}
	}

	/// Names every key of the pallets that differs from `before`, and counts it when `count`
	/// (a summary of blocks already compared one by one does not count them twice).
	fn compare(&mut self, what: &str, before: &Storage, after: &Storage, count: bool) {
		let changed = diff(before, after);
		if changed.is_empty() {
			eprintln!("  storage of {PALLETS:?} unchanged {what} ({} keys)", after.len());
		}
		for key in &changed {
			self.wrong.push(format!("storage changed {what}: {key}"));
		}
		if count {
			self.state_changes += changed.len();
		}
	}
}

/// The keys that differ, each with its pallet and the sizes of its values.
fn diff(before: &Storage, after: &Storage) -> Vec<String> {
	let pallet = |key: &[u8]| {
		let named = |p: &str| key.starts_with(&sp_io::hashing::twox_128(p.as_bytes()));
		PALLETS.into_iter().find(|p| named(p)).unwrap_or("?")
	};
	let size = |s: &Storage, key| {
		s.get(key).map_or("absent".to_string(), |v| format!("{} bytes", v.len()))
	};
	let keys: BTreeSet<&Vec<u8>> = before.keys().chain(after.keys()).collect();
	keys.into_iter()
		.filter(|key| before.get(*key) != after.get(*key))
		.map(|key| {
			let (was, is) = (size(before, key), size(after, key));
			format!("{} 0x{} ({was} -> {is})", pallet(key), HexDisplay::from(key))
		})
		.collect()
}

/// Compares the pallets' storage across each finalized block after `from` (whose storage is
/// `at_from`) up to `to`; returns the storage at `to`.
async fn walk_blocks(
	client: &ChainClient,
	tally: &mut Tally,
	from: u32,
	at_from: &Storage,
	to: u32,
) -> anyhow::Result<Storage> {
	let mut previous = at_from.clone();
	for number in from + 1..=to {
		let hash = client.block_hash(number).await?.expect("a finalized block");
		let storage = pallet_storage(client, &PALLETS, hash).await?;
		tally.compare(&format!("in block #{number}"), &previous, &storage, true);
		previous = storage;
	}
	Ok(previous)
}

fn account(keyring: Sr25519Keyring) -> AccountId {
	keyring.to_account_id()
}

fn address(who: &AccountId) -> Address {
	MultiAddress::Id(who.clone())
}

fn ke(call: EscrowCall) -> RuntimeCall {
	RuntimeCall::KeyEscrow(call)
}

fn ce(call: CertCall) -> RuntimeCall {
	RuntimeCall::Certificates(call)
}

/// A call of a pallet this crate does not link, from its call index and arguments.
fn call_of(pallet: u8, call: u8, args: impl Encode) -> RuntimeCall {
	let bytes = [vec![pallet, call], args.encode()].concat();
	RuntimeCall::decode(&mut &bytes[..]).expect("a call of this runtime")
}

/// `call`'s pallet and call index: the first two bytes of its encoding.
fn prefix(call: &RuntimeCall) -> Vec<u8> {
	call.encode()[..2].to_vec()
}

/// A split of `custodians` at `threshold`; on chain, with one 120-byte share each.
fn split(custodians: Vec<AccountId>, threshold: u32, mode: StorageMode) -> SplitOf<Runtime> {
	let n = custodians.len();
	let shares = match mode {
		StorageMode::OnChain => vec![BoundedVec::truncate_from(vec![0xab; 120]); n],
		StorageMode::CustodianHeld => vec![],
	};
	let oprf_keys: Vec<H256> = (0..n).map(|i| H256::repeat_byte(0xd0 + i as u8)).collect();
	Split {
		threshold,
		custodians: BoundedVec::truncate_from(custodians),
		commitments: BoundedVec::truncate_from(vec![H256::repeat_byte(0xc0); n]),
		oprf_keys: BoundedVec::truncate_from(oprf_keys),
		recovery_key: sr25519::Public::from_raw([0xe0; 32]),
		kdf: KdfParams {
			algorithm: KdfAlgorithm::Argon2id,
			memory_kib: 65_536,
			iterations: 3,
			parallelism: 4,
			salt: [5; 16],
		},
		mode,
		shares: BoundedVec::truncate_from(shares),
	}
}

/// A split with plain vectors, which can be made longer than the bounds.
type LooseSplit = Split<Vec<AccountId>, Vec<H256>, Vec<Vec<u8>>>;

fn loosen(split: SplitOf<Runtime>) -> LooseSplit {
	Split {
		threshold: split.threshold,
		custodians: split.custodians.into_inner(),
		commitments: split.commitments.into_inner(),
		oprf_keys: split.oprf_keys.into_inner(),
		recovery_key: split.recovery_key,
		kdf: split.kdf,
		mode: split.mode,
		shares: split.shares.into_iter().map(|s| s.into_inner()).collect(),
	}
}

/// Guardians only (threshold 1) and no delay (the dev chain's floor is 0 blocks).
fn policy(guardians: Vec<AccountId>) -> PolicyOf<Runtime> {
	RecoveryPolicy {
		require_passphrase: false,
		guardian_threshold: u32::from(!guardians.is_empty()),
		guardians: BoundedVec::truncate_from(guardians),
		authorities: BoundedVec::new(),
		delay: 0,
		max_attempts: 3,
		max_guesses: 4,
	}
}

fn create(fingerprint: u8, split: SplitOf<Runtime>, policy: PolicyOf<Runtime>) -> RuntimeCall {
	ke(EscrowCall::create_escrow {
		fingerprint: H256::repeat_byte(fingerprint),
		key_kind: KeyKind::Sr25519Seed,
		split,
		policy,
	})
}

/// Signs the call bytes `call` as [`signing::sign`] signs a typed call, so that bytes no typed
/// call can hold (a vector past its bound, an unknown variant) arrive well signed.
fn sign_raw(call: &[u8], signer: &sr25519::Pair, nonce: u32, context: &SigningContext) -> Vec<u8> {
	let extension = signing::tx_extension(nonce, context.checkpoint_number);
	let payload = [call.to_vec(), extension.encode(), signing::implicit(context).encode()].concat();
	// As `SignedPayload` does: a payload over 256 bytes is signed by its hash.
	let signature = if payload.len() > 256 {
		signer.sign(&sp_io::hashing::blake2_256(&payload))
	} else {
		signer.sign(&payload)
	};
	// The call is the last field of an extrinsic: sign around a stand-in, then swap it.
	let stand_in = RuntimeCall::System(frame_system::Call::remark { remark: vec![] });
	let xt = UncheckedExtrinsic::new_signed(
		stand_in.clone(),
		Address::Id(signer.public().into()),
		Signature::Sr25519(signature),
		extension,
	);
	let body: Vec<u8> = Decode::decode(&mut &xt.encode()[..]).expect("length-prefixed");
	[&body[..body.len() - stand_in.encoded_size()], call].concat().encode()
}

fn hex(bytes: &[u8]) -> Value {
	serde_json::to_value(Bytes(bytes.to_vec())).expect("bytes serialize")
}

/// Calls `method` with `params` (an array or an object) as they are.
async fn raw_call(
	client: &ChainClient,
	method: &str,
	params: &Value,
) -> Result<Value, ClientError> {
	match params {
		Value::Object(map) => {
			let mut object = ObjectParams::new();
			for (name, value) in map {
				object.insert(name, value).expect("JSON serializes");
			}
			client.rpc().request(method, object).await
		},
		Value::Array(items) => {
			let mut array = ArrayParams::new();
			for item in items {
				array.insert(item).expect("JSON serializes");
			}
			client.rpc().request(method, array).await
		},
		other => panic!("params must be an array or an object, not {other}"),
	}
}

/// Whether a JSON-RPC answer is what `want` says: `Ok` with what was seen.
fn judge_rpc(want: &Want, got: Result<Value, ClientError>) -> Result<String, String> {
	match (want, got) {
		(Want::Error(code, needles), Err(ClientError::Call(error))) => {
			let seen = match error.data() {
				Some(data) => format!("{} {} ({})", error.code(), error.message(), data.get()),
				None => format!("{} {}", error.code(), error.message()),
			};
			if error.code() == *code && needles.iter().all(|n| seen.contains(n)) {
				Ok(seen)
			} else {
				Err(format!("wanted error {code} naming {needles:?}, got {seen}"))
			}
		},
		(Want::Answer(expected), Ok(answer)) if answer == *expected =>
			Ok(format!("answered {answer}")),
		(want, Ok(answer)) => Err(format!("wanted {want:?}, got the answer {answer}")),
		(want, Err(other)) => Err(format!("wanted {want:?}, got {other}")),
	}
}

/// The block a watched extrinsic was finalized in, or what the pool said instead.
async fn finalized_in(mut statuses: Subscription<Value>) -> Result<Hash, String> {
	while let Some(status) = statuses.next().await {
		let status = status.map_err(|e| e.to_string())?;
		match &status {
			Value::String(s) if s == "ready" || s == "future" => {},
			Value::Object(map) if map.contains_key("finalized") =>
				return serde_json::from_value(map["finalized"].clone()).map_err(|e| e.to_string()),
			Value::Object(map)
				if ["inBlock", "broadcast", "retracted"].iter().any(|k| map.contains_key(*k)) => {},
			other => return Err(format!("the pool reported {other}")),
		}
	}
	Err("the node closed the status subscription".into())
}

/// Submits each extrinsic, watching it, before following any: one signer's consecutive
/// nonces then share a block.
async fn watch_all(client: &ChainClient, extrinsics: &[Vec<u8>]) -> Watched {
	let mut watched = Vec::new();
	for encoded in extrinsics {
		let subscription = client.submit_and_watch(encoded).await.map_err(|e| e.to_string());
		watched.push((encoded.clone(), subscription));
	}
	watched
}

/// A watched extrinsic in a finalized block: that block's number, and the events it emitted.
struct Landed {
	number: u32,
	events: Vec<RuntimeEvent>,
}

/// Follows each watched extrinsic to finality, in order (they land in the same few blocks).
async fn land_all(
	client: &ChainClient,
	watched: Watched,
) -> anyhow::Result<Vec<Result<Landed, String>>> {
	let mut blocks: BTreeMap<Hash, (u32, Vec<Vec<u8>>)> = BTreeMap::new();
	let mut landed = Vec::new();
	for (encoded, subscription) in watched {
		let hash = match subscription {
			Ok(statuses) => tokio::time::timeout(TIMEOUT, finalized_in(statuses))
				.await
				.unwrap_or_else(|_| Err("not finalized in time".into())),
			Err(refused) => Err(format!("refused by the pool: {refused}")),
		};
		let hash = match hash {
			Ok(hash) => hash,
			Err(e) => {
				landed.push(Err(e));
				continue;
			},
		};
		if !blocks.contains_key(&hash) {
			let number = client.header(Some(hash)).await?.number;
			blocks.insert(hash, (number, client.block_extrinsics(hash).await?));
		}
		let (number, extrinsics) = &blocks[&hash];
		let index = extrinsics
			.iter()
			.position(|e| *e == encoded)
			.ok_or_else(|| anyhow::anyhow!("finalized block {hash:?} lacks the extrinsic"))?;
		let events = submit::extrinsic_events(client, hash, index as u32).await?;
		landed.push(Ok(Landed { number: *number, events }));
	}
	Ok(landed)
}

/// Signs each call at its signer's next nonce, counted here, so that one signer's calls
/// follow each other.
async fn sign_all(
	client: &ChainClient,
	calls: &[(&sr25519::Pair, RuntimeCall)],
) -> anyhow::Result<Vec<Vec<u8>>> {
	let context = client.signing_context().await?;
	let mut nonces: BTreeMap<AccountId, u32> = BTreeMap::new();
	let mut signed = Vec::new();
	for (signer, call) in calls {
		let who: AccountId = signer.public().into();
		let nonce = match nonces.get(&who) {
			Some(nonce) => *nonce,
			None => client.next_nonce(&who).await?,
		};
		nonces.insert(who, nonce + 1);
		signed.push(signing::sign(call.clone(), signer, nonce, &context).encode());
	}
	Ok(signed)
}

/// The error a landed extrinsic's `System.ExtrinsicFailed` names, if it failed.
fn dispatch_error(events: &[RuntimeEvent]) -> Option<String> {
	events.iter().find_map(|event| match event {
		RuntimeEvent::System(frame_system::Event::ExtrinsicFailed { dispatch_error, .. }) =>
			Some(submit::describe_dispatch_error(*dispatch_error)),
		_ => None,
	})
}

/// Submits `calls` as one batch and fails unless each succeeds; returns them encoded.
async fn set_up(
	client: &ChainClient,
	calls: &[(&sr25519::Pair, RuntimeCall)],
) -> anyhow::Result<Vec<Vec<u8>>> {
	let signed = sign_all(client, calls).await?;
	let landed = land_all(client, watch_all(client, &signed).await).await?;
	for (landed, (_, call)) in landed.iter().zip(calls) {
		let landed = landed.as_ref().map_err(|e| anyhow::anyhow!("set-up {call:?}: {e}"))?;
		if let Some(error) = dispatch_error(&landed.events) {
			anyhow::bail!("set-up {call:?} failed: {error}");
		}
	}
	Ok(signed)
}

/// The accounts and records the inputs are about.
struct World {
	bob: sr25519::Pair,
	charlie: sr25519::Pair,
	dave: sr25519::Pair,
	ferdie: sr25519::Pair,
	/// Dave's stash: no certificate, authority, escrow, guardianship, candidacy or sudo key.
	mallory: sr25519::Pair,
	/// Ferdie's on-chain escrow, shares with Bob, Charlie and Eve, Dave its guardian, with
	/// Charlie's open guess (id 0) and Charlie's request (nonce 0), approved and releasable.
	e1: EscrowId,
	e1_custodians: Vec<AccountId>,
	/// Ferdie's custodian-held escrow, shares 0 with Alice (this node) and 1 with Bob, neither
	/// deposited nor acknowledged; no request.
	e2: EscrowId,
	guardians: Vec<AccountId>,
	/// The ids of Bob's custodian certificate and Alice's validator certificate.
	bob_custodian: u64,
	alice_validator: u64,
	/// The set-up's first extrinsic (E1's creation), for a replay.
	included: Vec<u8>,
}

impl World {
	fn mallory_id(&self) -> AccountId {
		self.mallory.public().into()
	}
}

/// Genesis makes Alice sudo, the CA, the validator and (with Bob to Eve) a custodian; this
/// node is Alice's custodian node. No node runs for E1's custodians, so nothing is released or
/// evaluated behind the test's back.
async fn build_world(client: &ChainClient) -> anyhow::Result<World> {
	let (bob, charlie) = (Sr25519Keyring::Bob.pair(), Sr25519Keyring::Charlie.pair());
	let (dave, ferdie) = (Sr25519Keyring::Dave.pair(), Sr25519Keyring::Ferdie.pair());
	let owner = account(Sr25519Keyring::Ferdie);
	let e1_custodians = [Sr25519Keyring::Bob, Sr25519Keyring::Charlie, Sr25519Keyring::Eve]
		.map(account)
		.to_vec();
	let guardians = vec![account(Sr25519Keyring::Dave)];
	let (e1, e2) =
		(escrow_id(&owner, &H256::repeat_byte(0xf1)), escrow_id(&owner, &H256::repeat_byte(0xf2)));
	let e1_split = split(e1_custodians.clone(), 2, StorageMode::OnChain);
	let e2_custodians = vec![account(Sr25519Keyring::Alice), account(Sr25519Keyring::Bob)];
	let e2_split = split(e2_custodians, 2, StorageMode::CustodianHeld);
	let created = set_up(
		client,
		&[
			(&ferdie, create(0xf1, e1_split, policy(guardians.clone()))),
			(&ferdie, create(0xf2, e2_split, policy(guardians.clone()))),
		],
	)
	.await?;
	let guess = EscrowCall::record_guess { escrow: e1, blinded: H256::repeat_byte(0x42) };
	let one_time_key = H256::repeat_byte(0x77);
	let open = EscrowCall::initiate_recovery { escrow: e1, one_time_key, signature: None };
	set_up(client, &[(&charlie, ke(guess)), (&charlie, ke(open))]).await?;
	set_up(client, &[(&dave, ke(EscrowCall::approve_recovery { escrow: e1, nonce: 0 }))]).await?;

	let api = client.rpc();
	assert!(api.is_releasable(e1, None).await?, "E1's request is releasable");
	let certificate = |who, role| async move {
		let view = api.certificate(who, role, None).await?;
		anyhow::Ok(view.expect("a genesis certificate").id)
	};
	Ok(World {
		bob_custodian: certificate(account(Sr25519Keyring::Bob), Role::Custodian).await?,
		alice_validator: certificate(account(Sr25519Keyring::Alice), Role::Validator).await?,
		bob,
		charlie,
		dave,
		ferdie,
		mallory: Sr25519Keyring::DaveStash.pair(),
		e1,
		e1_custodians,
		e2,
		guardians,
		included: created[0].clone(),
	})
}

/// Signed, well-formed calls that must fail at dispatch, each with its error.
fn dispatch_cases(w: &World) -> Vec<TxCase> {
	let (bob, charlie, dave) = (&w.bob, &w.charlie, &w.dave);
	let (ferdie, mallory) = (&w.ferdie, &w.mallory);
	let (e1, e2, unknown) = (w.e1, w.e2, H256::repeat_byte(0xee));
	let (alice, bob_id, mallory_id) =
		(account(Sr25519Keyring::Alice), account(Sr25519Keyring::Bob), w.mallory_id());
	let x25519 = || BoundedVec::truncate_from(vec![PublicKey::X25519(H256::repeat_byte(9))]);
	let sr = |byte| BoundedVec::truncate_from(vec![PublicKey::Sr25519(H256::repeat_byte(byte))]);
	let issue = |subject: &AccountId, role, keys| {
		let subject = address(subject);
		let (measurement, valid_for, proof) = (None, 100, None);
		CertCall::issue_certificate { subject, role, keys, measurement, valid_for, proof }
	};
	let on_chain = |custodians: Vec<AccountId>, threshold| {
		split(custodians, threshold, StorageMode::OnChain)
	};
	let e1_split = || on_chain(w.e1_custodians.clone(), 2);
	let e1_policy = || policy(w.guardians.clone());
	let payload = || BoundedVec::truncate_from(vec![0xcd; 90]);
	let empty = BoundedVec::new();
	let release = |escrow, nonce, index| {
		ke(EscrowCall::release_share { escrow, nonce, index, payload: payload() })
	};
	let evaluate = |guess| {
		ke(EscrowCall::record_evaluation { escrow: e1, guess, index: 0, evaluation: [0x5e; 96] })
	};
	let approve = |escrow, nonce| ke(EscrowCall::approve_recovery { escrow, nonce });
	let open = |escrow, signature| {
		let one_time_key = H256::repeat_byte(1);
		ke(EscrowCall::initiate_recovery { escrow, one_time_key, signature })
	};
	let floors = Floors { min_kdf_memory_kib: 8, min_kdf_iterations: 1, min_delay: 0 };
	let join = call_of(VALIDATOR_SET, 0, None::<()>);
	let remove_alice = call_of(VALIDATOR_SET, 2, address(&alice));
	let sudo = |call: RuntimeCall| call_of(SUDO, 0, call);
	vec![
		// Certificates: only root manages authorities, only an authority issues, only the
		// issuer or the subject revokes.
		tx("add_authority, signed", mallory, fails("BadOrigin"),
			ce(CertCall::add_authority { who: address(&mallory_id) })),
		tx("remove_authority, signed", mallory, fails("BadOrigin"),
			ce(CertCall::remove_authority { who: address(&alice) })),
		tx("issue_certificate by a non-authority", mallory, cert_err(CertError::CallerNotAuthority),
			ce(issue(&mallory_id, Role::Custodian, x25519()))),
		tx("issue_certificate by a custodian", bob, cert_err(CertError::CallerNotAuthority),
			ce(issue(&bob_id, Role::Validator, sr(3)))),
		tx("reissue_certificate by a non-authority", mallory,
			cert_err(CertError::CallerNotAuthority),
			ce(CertCall::reissue_certificate {
				id: w.bob_custodian,
				keys: x25519(),
				measurement: None,
				valid_for: 100,
				proof: None,
			})),
		tx("revoke someone else's certificate", mallory, cert_err(CertError::NotAllowedToRevoke),
			ce(CertCall::revoke_certificate {
				id: w.bob_custodian,
				reason: RevocationReason::KeyCompromise,
			})),
		tx("a custodian revokes the validator's certificate", bob,
			cert_err(CertError::NotAllowedToRevoke),
			ce(CertCall::revoke_certificate {
				id: w.alice_validator,
				reason: RevocationReason::Unspecified,
			})),
		tx("revoke an unknown certificate", mallory, cert_err(CertError::UnknownCertificate),
			ce(CertCall::revoke_certificate {
				id: 999_999,
				reason: RevocationReason::KeyCompromise,
			})),
		tx("remove a live certificate", mallory, cert_err(CertError::CertificateStillLive),
			ce(CertCall::remove_certificate { id: w.bob_custodian })),
		tx("remove an unknown certificate", mallory, cert_err(CertError::UnknownCertificate),
			ce(CertCall::remove_certificate { id: u64::MAX })),
		tx("authorize_recovery by a non-authority", mallory,
			cert_err(CertError::NotAllowedToAuthorize),
			ce(CertCall::authorize_recovery {
				escrow: e1,
				requester: address(&mallory_id),
				valid_for: 100,
			})),
		tx("revoke an unknown authorization", mallory, cert_err(CertError::UnknownAuthorization),
			ce(CertCall::revoke_authorization {
				escrow: e1,
				requester: address(&mallory_id),
				issuer: address(&alice),
			})),
		// Key escrow: creations refused for what their split or policy breaks.
		tx("create_escrow again, same fingerprint", ferdie, escrow_err(EscrowError::EscrowExists),
			create(0xf1, e1_split(), e1_policy())),
		tx("create_escrow naming an uncertified custodian", mallory,
			escrow_err(EscrowError::CustodianNotCertified),
			create(0xa1, on_chain(vec![bob_id.clone(), mallory_id.clone()], 2), e1_policy())),
		tx("create_escrow with threshold 1", mallory, escrow_err(EscrowError::ThresholdTooLow),
			create(0xa2, on_chain(w.e1_custodians.clone(), 1), e1_policy())),
		tx("create_escrow naming a custodian twice", mallory,
			escrow_err(EscrowError::DuplicateCustodian),
			create(0xa3, on_chain(vec![bob_id.clone(), bob_id.clone()], 2), e1_policy())),
		tx("create_escrow with 0 Argon2 passes", mallory, escrow_err(EscrowError::InvalidKdfParams),
			create(0xa4, Split { kdf: KdfParams { iterations: 0, ..e1_split().kdf }, ..e1_split() },
				e1_policy())),
		tx("create_escrow with no recovery factor", mallory,
			escrow_err(EscrowError::NoRecoveryFactor),
			create(0xa5, e1_split(), policy(vec![]))),
		// Key escrow: the owner's calls by others, and about unknown escrows.
		tx("update_policy by a non-owner", mallory, escrow_err(EscrowError::NotOwner),
			ke(EscrowCall::update_policy { escrow: e1, policy: policy(vec![mallory_id.clone()]) })),
		tx("update_policy of an unknown escrow", mallory, escrow_err(EscrowError::UnknownEscrow),
			ke(EscrowCall::update_policy { escrow: unknown, policy: e1_policy() })),
		tx("reshare by a non-owner", mallory, escrow_err(EscrowError::NotOwner),
			ke(EscrowCall::reshare { escrow: e2, split: e1_split(), policy: None })),
		tx("remove_escrow by a non-owner", mallory, escrow_err(EscrowError::NotOwner),
			ke(EscrowCall::remove_escrow { escrow: e1 })),
		tx("remove_escrow of an unknown escrow", mallory, escrow_err(EscrowError::UnknownEscrow),
			ke(EscrowCall::remove_escrow { escrow: unknown })),
		tx("remove_escrow by its owner during a recovery", ferdie,
			escrow_err(EscrowError::RecoveryInProgress),
			ke(EscrowCall::remove_escrow { escrow: e1 })),
		// Key escrow: custodians' calls by others, or about other shares.
		tx("acknowledge_share by a non-custodian", mallory,
			escrow_err(EscrowError::NotThisCustodian),
			ke(EscrowCall::acknowledge_share { escrow: e2, index: 1, generation: 0 })),
		tx("acknowledge another custodian's share", bob, escrow_err(EscrowError::NotThisCustodian),
			ke(EscrowCall::acknowledge_share { escrow: e2, index: 0, generation: 0 })),
		tx("acknowledge a share kept on chain", bob, escrow_err(EscrowError::NotCustodianHeld),
			ke(EscrowCall::acknowledge_share { escrow: e1, index: 0, generation: 0 })),
		tx("acknowledge_share of an unknown index", mallory, escrow_err(EscrowError::UnknownShare),
			ke(EscrowCall::acknowledge_share { escrow: e2, index: 9, generation: 0 })),
		tx("release_share by a non-custodian", mallory, escrow_err(EscrowError::NotThisCustodian),
			release(e1, 0, 0)),
		tx("release another custodian's share", bob, escrow_err(EscrowError::NotThisCustodian),
			release(e1, 0, 1)),
		tx("release_share to another request (nonce 7)", bob, escrow_err(EscrowError::WrongRequest),
			release(e1, 7, 0)),
		tx("release_share of an unknown index", mallory, escrow_err(EscrowError::UnknownShare),
			release(e1, 0, 9)),
		tx("release an empty payload", bob, escrow_err(EscrowError::EmptyPayload),
			ke(EscrowCall::release_share { escrow: e1, nonce: 0, index: 0, payload: empty })),
		tx("release_share with no request open", bob, escrow_err(EscrowError::NoOpenRequest),
			release(e2, 0, 1)),
		tx("record_evaluation by a non-custodian", mallory,
			escrow_err(EscrowError::NotThisCustodian), evaluate(0)),
		tx("record_evaluation of an unknown guess", bob, escrow_err(EscrowError::UnknownGuess),
			evaluate(99)),
		// Key escrow: recovery calls by the wrong account, or for the wrong request.
		tx("initiate_recovery of an unknown escrow", mallory,
			escrow_err(EscrowError::UnknownEscrow), open(unknown, None)),
		tx("initiate_recovery over an approved request", mallory,
			escrow_err(EscrowError::RequestAlreadyOpen), open(e1, None)),
		tx("initiate_recovery with a forged recovery signature", mallory,
			escrow_err(EscrowError::BadRecoverySignature),
			open(e2, Some(sr25519::Signature::from_raw([7; 64])))),
		tx("approve_recovery by a non-guardian", mallory, escrow_err(EscrowError::NotGuardian),
			approve(e1, 0)),
		tx("approve another request (nonce 5)", dave, escrow_err(EscrowError::WrongRequest),
			approve(e1, 5)),
		tx("approve twice", dave, escrow_err(EscrowError::AlreadyApproved), approve(e1, 0)),
		tx("approve_recovery with no request open", dave, escrow_err(EscrowError::NoOpenRequest),
			approve(e2, 0)),
		tx("attach_authorization where none is accepted", mallory,
			escrow_err(EscrowError::AuthorizationNotRequired),
			ke(EscrowCall::attach_authorization { escrow: e1 })),
		tx("cancel_recovery by a stranger", mallory, escrow_err(EscrowError::NotOwner),
			ke(EscrowCall::cancel_recovery { escrow: e1 })),
		tx("cancel_recovery by the requester", charlie, escrow_err(EscrowError::NotOwner),
			ke(EscrowCall::cancel_recovery { escrow: e1 })),
		tx("cancel_recovery by the owner after the delay", ferdie,
			escrow_err(EscrowError::DelayElapsed),
			ke(EscrowCall::cancel_recovery { escrow: e1 })),
		tx("close someone else's request", mallory, escrow_err(EscrowError::NotRequester),
			ke(EscrowCall::close_recovery { escrow: e1 })),
		tx("expire a request before its expiry", mallory, escrow_err(EscrowError::NotExpired),
			ke(EscrowCall::expire_recovery { escrow: e1 })),
		tx("record_guess of the identity element", mallory,
			escrow_err(EscrowError::InvalidBlindedElement),
			ke(EscrowCall::record_guess { escrow: e1, blinded: H256::zero() })),
		tx("record_guess for an unknown escrow", mallory, escrow_err(EscrowError::UnknownEscrow),
			ke(EscrowCall::record_guess { escrow: unknown, blinded: H256::repeat_byte(1) })),
		tx("unlock_escrow by a stranger", mallory, escrow_err(EscrowError::NotAllowedToUnlock),
			ke(EscrowCall::unlock_escrow { escrow: e1 })),
		tx("set_floors, signed", mallory, fails("BadOrigin"),
			ke(EscrowCall::set_floors { floors })),
		// Validator set: joining takes a validator certificate, leaving a candidacy, removing
		// root.
		tx("join without a validator certificate", mallory,
			fails("ValidatorSet(NoValidCertificate)"), join.clone()),
		tx("a custodian joins without a validator certificate", bob,
			fails("ValidatorSet(NoValidCertificate)"), join),
		tx("leave without being a candidate", mallory, fails("ValidatorSet(NotCandidate)"),
			call_of(VALIDATOR_SET, 1, ())),
		tx("remove_candidate, signed", mallory, fails("BadOrigin"), remove_alice.clone()),
		// Sudo by an account that is not the sudo key.
		tx("sudo(remove_candidate) by a non-sudo", mallory, fails("Sudo(RequireSudo)"),
			sudo(remove_alice)),
		tx("sudo(add_authority) by a non-sudo", mallory, fails("Sudo(RequireSudo)"),
			sudo(ce(CertCall::add_authority { who: address(&mallory_id) }))),
		tx("sudo_as(Alice, issue_certificate) by a non-sudo", bob, fails("Sudo(RequireSudo)"),
			call_of(SUDO, 3, (address(&alice), ce(issue(&bob_id, Role::Attestor, sr(4)))))),
		tx("set_key by a non-sudo", mallory, fails("Sudo(RequireSudo)"),
			call_of(SUDO, 2, address(&mallory_id))),
	]
}

/// Bytes for `author_submitExtrinsic` that the node must refuse, each with its error. `nonce`
/// is Mallory's next; `failed` is an extrinsic of the batch, included and failed.
fn submit_cases(
	w: &World,
	context: &SigningContext,
	nonce: u32,
	failed: &[u8],
) -> anyhow::Result<Vec<RpcCase>> {
	let (e1, mallory, mallory_id) = (w.e1, &w.mallory, w.mallory_id());
	let leave = call_of(VALIDATOR_SET, 1, ());
	let signed_leave = signing::sign(leave.clone(), mallory, nonce, context);
	let raw = |call: &[u8]| sign_raw(call, mallory, nonce, context);

	// What the raw signer signs verifies as the runtime's signing would (sr25519 signatures
	// are randomized, so the bytes differ).
	let check = UncheckedExtrinsic::decode(&mut &raw(&leave.encode())[..])?;
	let Preamble::Signed(Address::Id(signer), signature, extension) = &check.preamble else {
		panic!("sign_raw makes a signed extrinsic")
	};
	let implicit = signing::implicit(context);
	let payload = SignedPayload::from_raw(leave.clone(), extension.clone(), implicit);
	let verifies = payload.using_encoded(|b| signature.verify(b, &mallory_id));
	assert!(check.function == leave && *signer == mallory_id && verifies, "sign_raw is wrong");

	let resigned = |edit: &dyn Fn(&mut Address, &mut Signature)| {
		let mut xt = signed_leave.clone();
		if let Preamble::Signed(address, signature, _) = &mut xt.preamble {
			edit(address, signature);
		}
		xt.encode()
	};
	let signed_for = |edit: &dyn Fn(&mut SigningContext)| {
		let mut context = *context;
		edit(&mut context);
		signing::sign(leave.clone(), mallory, nonce, &context).encode()
	};
	let valid = signed_leave.encode();
	let body: Vec<u8> = Decode::decode(&mut &valid[..])?;
	let mut unknown_version = body.clone();
	unknown_version[0] = 0x8f;
	let garbage: Vec<u8> = (0u8..8).flat_map(|i| sp_io::hashing::blake2_256(&[i])).collect();
	let huge_prefix = [Compact(1u32 << 30).encode(), vec![0x84; 16]].concat();

	// Calls past their bounds, encoded field by field as the typed calls would be.
	let create = create(0xb1, split(vec![], 2, StorageMode::OnChain), policy(vec![]));
	let created_with = |split: LooseSplit| {
		let head = [H256::repeat_byte(0xb1).encode(), KeyKind::Sr25519Seed.encode()].concat();
		[prefix(&create), head, split.encode(), policy(w.guardians.clone()).encode()].concat()
	};
	let loose = || loosen(split(w.e1_custodians.clone(), 2, StorageMode::OnChain));
	let with_custodians = |n: u8| {
		let mut split = loose();
		split.custodians = (0..n).map(|i| AccountId::from([i; 32])).collect();
		split.commitments = vec![H256::zero(); n.into()];
		created_with(split)
	};
	let with_share = |len: usize| {
		let mut split = loose();
		split.shares[0] = vec![0xab; len];
		created_with(split)
	};
	let release = ke(EscrowCall::release_share {
		escrow: e1,
		nonce: 0,
		index: 0,
		payload: Default::default(),
	});
	let with_release = |len: usize| {
		let args = (e1, 0u32, 0u32, vec![0xcdu8; len]);
		[prefix(&release), args.encode()].concat()
	};
	let issue = ce(CertCall::issue_certificate {
		subject: address(&mallory_id),
		role: Role::Validator,
		keys: Default::default(),
		measurement: None,
		valid_for: 100,
		proof: None,
	});
	let with_keys = |n: u8| {
		let keys: Vec<_> = (1..=n).map(|i| PublicKey::Sr25519(H256::repeat_byte(i))).collect();
		let args = (address(&mallory_id), Role::Validator, keys, None::<H256>, 100u32, None::<()>);
		[prefix(&issue), args.encode()].concat()
	};
	let update = ke(EscrowCall::update_policy { escrow: e1, policy: policy(vec![]) });
	let with_guardians = |n: u8| {
		let policy: RecoveryPolicy<u32, Vec<AccountId>, Vec<AccountId>> = RecoveryPolicy {
			require_passphrase: false,
			guardians: (0..n).map(|i| AccountId::from([i; 32])).collect(),
			guardian_threshold: 1,
			authorities: vec![],
			delay: 0,
			max_attempts: 3,
			max_guesses: 4,
		};
		[prefix(&update), (e1, policy).encode()].concat()
	};
	// Each is encoded right: at its bound it decodes as a call, one past it it does not.
	let decodes = |call: &[u8]| RuntimeCall::decode_all(&mut &call[..]).is_ok();
	for (what, at, past) in [
		("custodians", with_custodians(32), with_custodians(33)),
		("share", with_share(2048), with_share(2049)),
		("release", with_release(2048), with_release(2049)),
		("keys", with_keys(4), with_keys(5)),
		("guardians", with_guardians(16), with_guardians(17)),
	] {
		let (at, past) = (RuntimeCall::decode_all(&mut &at[..]), decodes(&past));
		assert!(at.is_ok() && !past, "{what}: the bound is not where the test puts it: {at:?}");
	}
	let claimed = (H256::repeat_byte(0xb1), KeyKind::Sr25519Seed, 2u32, Compact(1u32 << 30));
	let huge_length = [prefix(&create), claimed.encode()].concat();
	let half_a_call = create.encode()[..create.encoded_size() / 2].to_vec();
	let revoke = ce(CertCall::revoke_certificate { id: 0, reason: RevocationReason::Unspecified });
	let revoke = revoke.encode();
	let bad_variant = [&revoke[..revoke.len() - 1], &[9u8]].concat();
	let remove_call = ke(EscrowCall::remove_escrow { escrow: e1 });
	let removed_call = [&prefix(&remove_call)[..1], &[12u8], &e1.encode()].concat();
	let remark = RuntimeCall::System(frame_system::Call::remark { remark: vec![] });
	let deep = [[SUDO, 0].repeat(300), remark.encode()].concat();
	let nobody = sr25519::Pair::from_string("//Nobody", None)?;
	let unsigned = UncheckedExtrinsic::new_bare(remove_call.clone());
	let extension = signing::tx_extension(0, context.checkpoint_number);
	let general = UncheckedExtrinsic::new_transaction(remove_call.clone(), extension);

	// The runtime's `validate_transaction` cannot decode these: it traps, and the pool says
	// so (the node logs "Bad input data provided to validate_transaction").
	let undecodable = || Want::Error(VERIFICATION_ERROR, &["Verification Error", "failed"]);
	let not_an_extrinsic = || Want::Error(AUTHOR_CLIENT_ERROR, &["Could not decode `Opaque"]);
	let bad_signature = || Want::Error(POOL_INVALID_TX, &["bad signature"]);
	let outdated = || Want::Error(POOL_INVALID_TX, &["outdated"]);
	Ok(vec![
		submit_bytes("empty bytes", &[], not_an_extrinsic()),
		submit_bytes("a length prefix of 1 GiB", &huge_prefix, not_an_extrinsic()),
		submit_bytes("a valid extrinsic cut short", &valid[..valid.len() - 20], not_an_extrinsic()),
		submit_bytes("garbage SCALE", &garbage.encode(), undecodable()),
		submit_bytes("a valid extrinsic cut short, length fixed",
			&body[..body.len() - 20].to_vec().encode(), undecodable()),
		submit_bytes("an unknown extrinsic version", &unknown_version.encode(), undecodable()),
		submit_bytes("trailing bytes after the call",
			&raw(&[leave.encode(), vec![0xde, 0xad]].concat()), undecodable()),
		submit_bytes("an unknown pallet", &raw(&[99, 0]), undecodable()),
		submit_bytes("a removed call (KeyEscrow 12)", &raw(&removed_call), undecodable()),
		submit_bytes("an unknown variant (revocation reason 9)", &raw(&bad_variant), undecodable()),
		submit_bytes("a call cut short, signed", &raw(&half_a_call), undecodable()),
		submit_bytes("33 custodians (bound 32)", &raw(&with_custodians(33)), undecodable()),
		submit_bytes("a 2049-byte share (bound 2048)", &raw(&with_share(2049)), undecodable()),
		submit_bytes("a 2049-byte release (bound 2048)", &raw(&with_release(2049)),
			undecodable()),
		submit_bytes("5 certificate keys (bound 4)", &raw(&with_keys(5)), undecodable()),
		submit_bytes("17 guardians (bound 16)", &raw(&with_guardians(17)), undecodable()),
		submit_bytes("a vector claiming 2^30 custodians", &raw(&huge_length), undecodable()),
		// Decodes, but not within the executive's nesting limit (256).
		submit_bytes("sudo nested 300 deep", &raw(&deep),
			Want::Error(POOL_INVALID_TX, &["call is not expected"])),
		submit_bytes("a flipped signature byte",
			&resigned(&|_, signature| {
				if let Signature::Sr25519(s) = signature {
					s.0[0] ^= 1;
				}
			}),
			bad_signature()),
		submit_bytes("signed by Mallory in Ferdie's name",
			&resigned(&|address, _| *address = Address::Id(account(Sr25519Keyring::Ferdie))),
			bad_signature()),
		submit_bytes("signed for another chain",
			&signed_for(&|c| c.genesis_hash = H256::repeat_byte(0x66)), bad_signature()),
		submit_bytes("signed for another spec version", &signed_for(&|c| c.spec_version += 1),
			bad_signature()),
		submit_bytes("signed for another transaction version",
			&signed_for(&|c| c.transaction_version += 1), bad_signature()),
		submit_bytes("signed for an era checkpoint not on this chain",
			&signed_for(&|c| c.checkpoint_hash = H256::repeat_byte(0x99)), bad_signature()),
		submit_bytes("an unsigned escrow call", &unsigned.encode(),
			Want::Error(POOL_UNKNOWN_VALIDITY, &["NoUnsignedValidator"])),
		submit_bytes("a general (v5) transaction without signer", &general.encode(),
			Want::Error(POOL_INVALID_TX, &["did not authorize any origin"])),
		submit_bytes("a signer with no funds",
			&signing::sign(leave.clone(), &nobody, 0, context).encode(),
			Want::Error(POOL_INVALID_TX, &["Inability to pay"])),
		submit_bytes("a stale nonce", &signing::sign(leave.clone(), mallory, 0, context).encode(),
			outdated()),
		submit_bytes("a replay of the set-up's create_escrow", &w.included, outdated()),
		submit_bytes("a replay of a failed extrinsic of the batch", failed, outdated()),
		rpc("not hex", "author_submitExtrinsic", json!(["0xzz"]), Want::Error(INVALID_PARAMS, &[])),
		rpc("a number", "author_submitExtrinsic", json!([42]), Want::Error(INVALID_PARAMS, &[])),
	])
}

/// The `custos_` methods, `state_call` and a custodian's deposit with wrong types, unknown
/// ids and shares this node must not take.
fn read_cases(w: &World) -> Vec<RpcCase> {
	let (e1, e2, unknown) = (w.e1, w.e2, H256::repeat_byte(0xee));
	let bob = json!(account(Sr25519Keyring::Bob));
	let alice = json!(account(Sr25519Keyring::Alice));
	let invalid = || Want::Error(INVALID_PARAMS, &[]);
	let none = || Want::Answer(Value::Null);
	let refused = |needles| Want::Error(DEPOSIT_REFUSED, needles);
	let deposit = |name, escrow: EscrowId, index: i64, sealed: Value, want| {
		rpc(name, "custos_depositShare", json!([escrow, index, sealed]), want)
	};
	let ones = hex(&[1; 100]);
	let max = <<Runtime as pallet_key_escrow::Config>::MaxShareLen as Get<u32>>::get();
	// The refusal below names the runtime's bound.
	assert_eq!(max, 2048, "MaxShareLen changed: update the deposit cases");
	vec![
		rpc("a 2-byte id", "custos_escrow", json!(["0x1234"]), invalid()),
		rpc("a non-hex id", "custos_escrow", json!(["escrow-one"]), invalid()),
		rpc("a number as id", "custos_escrow", json!([42]), invalid()),
		rpc("an unknown id", "custos_escrow", json!([unknown]), none()),
		rpc("an unknown block", "custos_escrow", json!([e1, H256::repeat_byte(0xab)]),
			Want::Error(INTERNAL_ERROR, &["unknown Block"])),
		rpc("no parameters", "custos_escrow", json!([]), invalid()),
		rpc("a misnamed parameter", "custos_escrow", json!({ "escrowId": e1 }), invalid()),
		rpc("a string as index", "custos_share", json!([e1, "zero"]), invalid()),
		rpc("a negative index", "custos_share", json!([e1, -1]), invalid()),
		rpc("an index past u32", "custos_share", json!([e1, 1u64 << 32]), invalid()),
		rpc("an unknown index", "custos_share", json!([e1, 99]), none()),
		rpc("a custodian-held escrow", "custos_share", json!([e2, 0]), none()),
		rpc("an unknown role", "custos_certificate", json!([bob, "king"]),
			Want::Error(INVALID_PARAMS, &["unknown role"])),
		rpc("not an account", "custos_certificate", json!(["5NotAnAccount", "custodian"]),
			invalid()),
		rpc("an address with a bad checksum", "custos_escrowsOf",
			json!(["5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQZ"]),
			Want::Error(INVALID_PARAMS, &["checksum"])),
		rpc("a string as block number", "custos_isCertificateValid",
			json!([bob, "custodian", "soon"]), invalid()),
		rpc("an unknown escrow", "custos_request", json!([unknown]), none()),
		rpc("an unknown escrow", "custos_escrowHealth", json!([unknown]), none()),
		rpc("an unknown escrow", "custos_guesses", json!([unknown]), none()),
		rpc("an unknown escrow", "custos_releases", json!([unknown]), Want::Answer(json!([]))),
		rpc("an unknown escrow", "custos_isReleasable", json!([unknown]),
			Want::Answer(json!(false))),
		rpc("a method that does not exist", "custos_steal", json!([]),
			Want::Error(METHOD_NOT_FOUND, &[])),
		rpc("an Aura key this node does not hold", "custos_nodeMeasurement",
			json!([alice, H256::repeat_byte(0x5a)]), Want::Error(MEASUREMENT_REFUSED, &["Aura"])),
		rpc("garbage arguments to a runtime API", "state_call",
			json!(["KeyEscrowApi_escrow", "0x01"]), Want::Error(STATE_CLIENT_ERROR, &["failed"])),
		rpc("a runtime API that does not exist", "state_call", json!(["KeyEscrowApi_steal", "0x"]),
			Want::Error(STATE_CLIENT_ERROR, &["not found"])),
		deposit("an unknown escrow", unknown, 0, ones.clone(), refused(&["does not exist"])),
		deposit("an on-chain escrow", e1, 0, ones.clone(), refused(&["on chain"])),
		deposit("an index the escrow lacks", e2, 7, ones.clone(), refused(&["no share 7"])),
		deposit("another custodian's share", e2, 1, ones, refused(&["another custodian"])),
		deposit("garbage sealed bytes", e2, 0, hex(&[3; 120]), refused(&["does not open"])),
		deposit("an empty share", e2, 0, json!("0x"), refused(&["does not open"])),
		deposit("a 2049-byte share", e2, 0, hex(&[0x5b; 2049]), refused(&["at most 2048 bytes"])),
		deposit("a 3000-byte share", e2, 0, hex(&[0x5b; 3000]), refused(&["at most 2048 bytes"])),
		deposit("a share that is not hex", e2, 0, json!("0xnothex"), invalid()),
		deposit("a negative index", e2, -3, json!("0x01"), invalid()),
	]
}

#[tokio::test]
async fn hostile_inputs_are_refused_and_change_no_pallet_storage() -> anyhow::Result<()> {
	let started = Instant::now();
	let node = Node::start(NodeConfig { name: "bad-input", args: vec!["--dev".into()] }).await?;
	let client = node.client().await?;
	client.wait_for_finalized(1, TIMEOUT).await?;
	let world = build_world(&client).await?;
	let before_at = client.finalized_block().await?;
	let before = pallet_storage(&client, &PALLETS, before_at.hash).await?;
	assert!(before.len() > 20, "too little state to compare: {} keys", before.len());
	eprintln!("set-up done at #{}: {} keys in {PALLETS:?}", before_at.number, before.len());
	let mut tally = Tally::default();

	// 1. Signed extrinsics that must fail at dispatch, as one batch.
	let cases = dispatch_cases(&world);
	let calls: Vec<_> = cases.iter().map(|c| (&c.signer, c.call.clone())).collect();
	let batch = sign_all(&client, &calls).await?;
	let landed = land_all(&client, watch_all(&client, &batch).await).await?;
	let mut last = before_at.number;
	for (case, landed) in cases.iter().zip(landed) {
		let outcome = landed.and_then(|landed| {
			last = last.max(landed.number);
			match (&case.want, dispatch_error(&landed.events)) {
				(Want::Dispatch(want), Some(seen)) if *want == seen =>
					Ok(format!("#{} ExtrinsicFailed {seen}", landed.number)),
				(want, Some(seen)) => Err(format!("wanted {want:?}, failed with {seen}")),
				(_, None) => Err(format!("SUCCEEDED in #{}: {:?}", landed.number, landed.events)),
			}
		});
		tally.record(case.name, outcome);
	}
	let storage = walk_blocks(&client, &mut tally, before_at.number, &before, last).await?;

	// 2. JSON-RPC inputs. A transaction that cannot be included yet (its nonce is far ahead)
	// waits in the pool, so that the same bytes can be sent again while it is there.
	let context = client.signing_context().await?;
	let mallory = &world.mallory;
	let nonce = client.next_nonce(&world.mallory_id()).await?;
	let leave = call_of(VALIDATOR_SET, 1, ());
	let waiting = signing::sign(leave, mallory, nonce + 100, &context).encode();
	let accepted = raw_call(&client, "author_submitExtrinsic", &json!([hex(&waiting)])).await?;
	assert!(accepted.is_string(), "a future transaction waits in the pool: {accepted}");
	let mut rpc_cases = submit_cases(&world, &context, nonce, &batch[1])?;
	rpc_cases.push(submit_bytes(
		"the same extrinsic while it waits in the pool",
		&waiting,
		Want::Error(POOL_ALREADY_IMPORTED, &["Already Imported"]),
	));
	rpc_cases.extend(read_cases(&world));
	for case in &rpc_cases {
		let answer = raw_call(&client, case.method, &case.params).await;
		tally.record(&case.name, judge_rpc(&case.want, answer));
	}
	// Whatever was wrongly taken (a transaction, an acknowledgement) is in the next blocks.
	let best = client.best_block().await?.number;
	let after_at = client.wait_for_finalized(best + 2, TIMEOUT).await?;
	let after = walk_blocks(&client, &mut tally, last, &storage, after_at.number).await?;
	let whole = format!("from #{} to #{}", before_at.number, after_at.number);
	tally.compare(&whole, &before, &after, false);

	let line = format!(
		"reliability: bad-input tried={} refused={} state-changes={} time={}s\n",
		tally.tried,
		tally.refused,
		tally.state_changes,
		started.elapsed().as_secs()
	);
	// Straight to the handle: libtest captures `eprintln!`, not this.
	std::io::stderr().write_all(line.as_bytes())?;
	assert!(tally.tried >= 50, "only {} inputs", tally.tried);
	assert!(
		tally.wrong.is_empty() && tally.refused == tally.tried && tally.state_changes == 0,
		"{} of {} inputs went otherwise:\n{}",
		tally.wrong.len(),
		tally.tried,
		tally.wrong.join("\n")
	);
	Ok(())
}
