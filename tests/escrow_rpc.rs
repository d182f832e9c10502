//! On a `--dev` node: the runtime's metadata lists the certificates and key-escrow pallets,
//! and every `custos_` JSON-RPC method answers from real chain state as a small escrow and
//! recovery runs through signed extrinsics. The methods are called through the typed client
//! of `custos-rpc-api`; `custos escrow show --json` prints the same record as `custos_escrow`.

use std::{process::Command, time::Duration};

use custos_client::{submit, ChainClient};
use custos_e2e::{client_binary, Node, NodeConfig};
use custos_primitives::{escrow_id, PublicKey, Role, SealingKeyProof, H256};
use custos_rpc_api::{views::PhaseView, CustosApiClient};
use custos_runtime::{Runtime, RuntimeCall};
use jsonrpsee::{core::client::ClientT, rpc_params};
use pallet_key_escrow::{KdfAlgorithm, KdfParams, KeyKind, RecoveryPolicy, Split, StorageMode};
use scale_info::TypeDef;
use serde_json::{json, Value};
use sp_core::{sr25519, Bytes, Encode, Pair};
use sp_keyring::Sr25519Keyring;
use sp_runtime::{BoundedVec, MultiAddress};

const TIMEOUT: Duration = Duration::from_secs(120);

const CUSTOS_METHODS: [&str; 13] = [
	"custos_escrow",
	"custos_escrowsOf",
	"custos_share",
	"custos_request",
	"custos_isReleasable",
	"custos_escrowHealth",
	"custos_releases",
	"custos_certificate",
	"custos_isCertificateValid",
	"custos_custodians",
	"custos_custodian",
	"custos_depositShare",
	"custos_releasedShare",
];

async fn submit(client: &ChainClient, signer: &sr25519::Pair, call: RuntimeCall) -> u32 {
	let inclusion = submit::sign_and_submit(client, signer, call, TIMEOUT, |_| {})
		.await
		.unwrap_or_else(|e| panic!("extrinsic failed: {e}"));
	inclusion.block.number
}

/// Runs `custos --json` with `args` against `url` and parses what it prints.
fn custos_json(url: &str, args: &[&str]) -> Value {
	let output = Command::new(client_binary())
		.args(["--url", url, "--json"])
		.args(args)
		.output()
		.expect("running custos");
	let stderr = String::from_utf8_lossy(&output.stderr);
	assert!(output.status.success(), "custos {args:?} failed:\n{stderr}");
	serde_json::from_slice(&output.stdout).expect("custos --json prints JSON")
}

#[tokio::test]
async fn metadata_lists_both_pallets_and_custos_rpc_answers() -> anyhow::Result<()> {
	let node = Node::start(NodeConfig { name: "escrow-rpc", args: vec!["--dev".into()] }).await?;
	let client = node.client().await?;
	client.wait_for_finalized(1, TIMEOUT).await?;

	// The node's metadata lists both pallets with every call this build's runtime declares
	// (names read from the native runtime; the served metadata checked byte for byte).
	let served = client.metadata_bytes().await?;
	let native = sp_io::TestExternalities::default().execute_with(Runtime::metadata);
	let frame_metadata::RuntimeMetadata::V14(metadata) = native.1 else {
		panic!("metadata V14 expected from state_getMetadata")
	};
	let contains = |needle: &[u8]| served.windows(needle.len()).any(|w| w == needle);
	for name in ["Certificates", "KeyEscrow"] {
		let pallet = metadata.pallets.iter().find(|p| p.name == name).expect("pallet in runtime");
		assert!(contains(&pallet.name.encode()), "{name} not in the node's metadata");
		let calls = pallet.calls.as_ref().expect("the pallet has calls").ty.id;
		let TypeDef::Variant(calls) = &metadata.types.resolve(calls).unwrap().type_def else {
			panic!("calls are an enum")
		};
		assert!(calls.variants.len() >= 8);
		for call in &calls.variants {
			assert!(contains(&call.name.encode()), "{name}::{} not in the node's metadata", call.name);
		}
	}

	let methods: Value = ClientT::request(client.rpc(), "rpc_methods", rpc_params![]).await?;
	let methods: Vec<&str> =
		methods["methods"].as_array().unwrap().iter().filter_map(|m| m.as_str()).collect();
	for method in CUSTOS_METHODS {
		assert!(methods.contains(&method), "{method} missing from rpc_methods");
	}

	// Alice (a CA from genesis) certifies three more custodians (genesis certified Alice to
	// Eve; only Alice runs here, so these are custodians the test acts for).
	let alice = Sr25519Keyring::Alice.pair();
	let api = client.rpc();
	let genesis_custodians = api.custodians(None).await?;
	assert_eq!(genesis_custodians.len(), 5, "{genesis_custodians:?}");
	let custodians =
		[Sr25519Keyring::BobStash, Sr25519Keyring::CharlieStash, Sr25519Keyring::DaveStash];
	let genesis = client.genesis_hash().await?;
	let mut sealing_keys = Vec::new();
	for (i, custodian) in custodians.iter().enumerate() {
		// Each custodian proves it holds its sealing key and consents to it.
		let edwards = sp_core::ed25519::Pair::from_seed(&[i as u8 + 1; 32]);
		let (key, proof) = SealingKeyProof::sign(&genesis, &custodian.to_account_id(), &edwards, |m| {
			custos_runtime::Signature::Sr25519(custodian.pair().sign(m))
		});
		sealing_keys.push(key);
		let call = RuntimeCall::Certificates(pallet_certificates::Call::issue_certificate {
			subject: MultiAddress::Id(custodian.to_account_id()),
			role: Role::Custodian,
			keys: BoundedVec::truncate_from(vec![PublicKey::X25519(key)]),
			measurement: None,
			valid_for: 10_000,
			proof: Some(proof),
		});
		submit(&client, &alice, call).await;
	}
	let listed = api.custodians(None).await?;
	assert_eq!(listed.len(), 8, "{listed:?}");
	let bob = Sr25519Keyring::BobStash.to_account_id();
	let certificate = api.certificate(bob.clone(), Role::Custodian, None).await?.expect("certified");
	assert!(certificate.valid, "{certificate:?}");
	assert_eq!(certificate.keys[0], PublicKey::X25519(sealing_keys[0]));
	assert!(api.is_certificate_valid(bob.clone(), Role::Custodian, None, None).await?);
	assert_eq!(api.certificate(bob.clone(), Role::Validator, None).await?, None);
	// A role the typed client cannot express: sent raw, it is refused with the reason.
	let bad_role: Result<Value, _> =
		ClientT::request(api, "custos_certificate", rpc_params![bob.clone(), "king"]).await;
	assert!(bad_role.unwrap_err().to_string().contains("unknown role"));

	// Ferdie escrows a key 2-of-3 with Eve as guardian and a two-block delay.
	let ferdie = Sr25519Keyring::Ferdie;
	let fingerprint = H256::repeat_byte(0xf1);
	let id = escrow_id(&ferdie.to_account_id(), &fingerprint);
	let split = Split {
		threshold: 2,
		custodians: BoundedVec::truncate_from(custodians.iter().map(|c| c.to_account_id()).collect()),
		commitments: BoundedVec::truncate_from(vec![H256::repeat_byte(0xc0); 3]),
		oprf_keys: BoundedVec::truncate_from(
			(0..3).map(|i| H256::repeat_byte(0xd0 + i)).collect::<Vec<_>>(),
		),
		recovery_key: sp_core::sr25519::Public::from_raw([0xe0; 32]),
		kdf: KdfParams {
			algorithm: KdfAlgorithm::Argon2id,
			memory_kib: 65_536,
			iterations: 3,
			parallelism: 4,
			salt: [5; 16],
		},
		mode: StorageMode::OnChain,
		shares: BoundedVec::truncate_from(vec![BoundedVec::truncate_from(vec![0xab; 120]); 3]),
	};
	let policy = RecoveryPolicy {
		require_passphrase: false,
		guardians: BoundedVec::truncate_from(vec![Sr25519Keyring::Eve.to_account_id()]),
		guardian_threshold: 1,
		authorities: BoundedVec::new(),
		delay: 2,
		max_attempts: 3,
		max_guesses: 4,
	};
	let create = RuntimeCall::KeyEscrow(pallet_key_escrow::Call::create_escrow {
		fingerprint,
		key_kind: KeyKind::Sr25519Seed,
		split,
		policy,
	});
	submit(&client, &ferdie.pair(), create).await;

	assert_eq!(api.escrows_of(ferdie.to_account_id(), None).await?, vec![id]);
	let escrow = api.escrow(id, None).await?.expect("the escrow exists");
	assert_eq!(escrow.owner, ferdie.to_account_id(), "{escrow:?}");
	assert_eq!(escrow.threshold, 2);
	assert_eq!(escrow.mode, StorageMode::OnChain);
	assert_eq!(escrow.custodians[1].account, custodians[1].to_account_id());
	assert_eq!(api.share(id, 2, None).await?, Some(Bytes(vec![0xab; 120])));
	let health = api.escrow_health(id, None).await?.expect("health of an escrow");
	assert_eq!((health.live, health.at_risk), (3, false));
	assert_eq!(api.recovery_request(id, None).await?, None);
	assert!(!api.is_releasable(id, None).await?);
	assert_eq!(api.escrow(H256::zero(), None).await?, None);

	// One JSON shape per record: the CLI prints exactly what the RPC answers.
	let best = client.best_block().await?;
	let over_rpc: Value = ClientT::request(api, "custos_escrow", rpc_params![id, best.hash]).await?;
	assert_eq!(over_rpc["mode"], json!("on-chain"), "{over_rpc}");
	assert_eq!(over_rpc["kdf"]["salt"], json!(format!("0x{}", "05".repeat(16))));
	let guesses: Value = ClientT::request(api, "custos_guesses", rpc_params![id, best.hash]).await?;
	assert_eq!(guesses["used"], json!(0), "{guesses}");
	let printed = custos_json(&node.url(), &["escrow", "show", &format!("{id:?}")]);
	let mut expected = over_rpc.clone();
	expected["guesses"] = guesses;
	assert_eq!(printed, expected, "`custos escrow show --json` differs from custos_escrow + custos_guesses");

	// Alice records a guess (any blinded element will do here) and Bob's stash, custodian of
	// share 0, records an evaluation: `custos_guesses` serves both.
	let blinded = H256::repeat_byte(0x42);
	let guess = RuntimeCall::KeyEscrow(pallet_key_escrow::Call::record_guess { escrow: id, blinded });
	submit(&client, &alice, guess).await;
	let evaluation = RuntimeCall::KeyEscrow(pallet_key_escrow::Call::record_evaluation {
		escrow: id,
		guess: 0,
		index: 0,
		evaluation: [0x5e; 96],
	});
	submit(&client, &Sr25519Keyring::BobStash.pair(), evaluation).await;
	let guesses = api.guesses(id, None).await?.expect("guesses of an escrow");
	assert_eq!((guesses.used, guesses.remaining, guesses.locked), (1, 3, false), "{guesses:?}");
	assert_eq!(guesses.open.len(), 1, "{guesses:?}");
	assert_eq!(guesses.open[0].blinded, blinded);
	assert_eq!(guesses.open[0].guesser, alice.public().into());
	assert_eq!(guesses.open[0].evaluations[0].index, 0);
	assert_eq!(guesses.open[0].evaluations[0].evaluation, Bytes(vec![0x5e; 96]));

	// Alice asks for recovery, Eve approves, the delay passes, Bob's stash releases its share.
	let one_time_key = H256::repeat_byte(0x77);
	let initiate = RuntimeCall::KeyEscrow(pallet_key_escrow::Call::initiate_recovery {
		escrow: id,
		one_time_key,
		signature: None,
	});
	submit(&client, &alice, initiate).await;
	let request = api.recovery_request(id, None).await?.expect("a request is open");
	assert_eq!(request.status, PhaseView::AwaitingApproval, "{request:?}");
	assert_eq!(request.requester, alice.public().into());
	assert_eq!(request.nonce, 0, "{request:?}");

	let approve = RuntimeCall::KeyEscrow(pallet_key_escrow::Call::approve_recovery {
		escrow: id,
		nonce: request.nonce,
	});
	let approved_in = submit(&client, &Sr25519Keyring::Eve.pair(), approve).await;
	let finalized = client.wait_for_finalized(approved_in + 2, TIMEOUT).await?;
	assert!(api.is_releasable(id, Some(finalized.hash)).await?);

	let release = RuntimeCall::KeyEscrow(pallet_key_escrow::Call::release_share {
		escrow: id,
		nonce: request.nonce,
		index: 0,
		payload: BoundedVec::truncate_from(vec![0xcd; 90]),
	});
	submit(&client, &Sr25519Keyring::BobStash.pair(), release).await;
	let releases = api.releases(id, None).await?;
	assert_eq!(releases[0].index, 0, "{releases:?}");
	assert_eq!(releases[0].custodian, bob);
	assert_eq!(releases[0].payload, Bytes(vec![0xcd; 90]));
	let request = api.recovery_request(id, None).await?.expect("a request is open");
	assert_eq!(request.released, 1);
	assert_eq!(request.status, PhaseView::Releasable);
	Ok(())
}
