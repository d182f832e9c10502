//! On a `--dev` node: the runtime's metadata lists the certificates and key-escrow pallets,
//! and every `custos_` JSON-RPC method answers from real chain state as a small escrow and
//! recovery runs through signed extrinsics.

use std::time::Duration;

use custos_client::{submit, ChainClient};
use custos_e2e::{Node, NodeConfig};
use custos_primitives::{escrow_id, PublicKey, Role, H256};
use custos_runtime::{AccountId, Runtime, RuntimeCall};
use pallet_key_escrow::{KdfAlgorithm, KdfParams, KeyKind, RecoveryPolicy, Split, StorageMode};
use scale_info::TypeDef;
use serde_json::{json, Value};
use sp_core::{crypto::Ss58Codec, sr25519, Encode, Pair};
use sp_keyring::Sr25519Keyring;
use sp_runtime::{BoundedVec, MultiAddress};

const TIMEOUT: Duration = Duration::from_secs(120);

const CUSTOS_METHODS: [&str; 10] = [
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
];

async fn submit(client: &ChainClient, signer: &sr25519::Pair, call: RuntimeCall) -> u32 {
	let inclusion = submit::sign_and_submit(client, signer, call, TIMEOUT, |_| {})
		.await
		.unwrap_or_else(|e| panic!("extrinsic failed: {e}"));
	inclusion.block.number
}

async fn rpc(client: &ChainClient, method: &'static str, params: Vec<Value>) -> Value {
	client.call_json(method, params).await.unwrap_or_else(|e| panic!("{method}: {e}"))
}

fn ss58(account: &AccountId) -> Value {
	Value::String(account.to_ss58check())
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

	let methods = rpc(&client, "rpc_methods", vec![]).await;
	let methods: Vec<&str> =
		methods["methods"].as_array().unwrap().iter().filter_map(|m| m.as_str()).collect();
	for method in CUSTOS_METHODS {
		assert!(methods.contains(&method), "{method} missing from rpc_methods");
	}

	// Alice (a CA from genesis) certifies three more custodians (genesis certified Alice to
	// Eve; only Alice runs here, so these are custodians the test acts for).
	let alice = Sr25519Keyring::Alice.pair();
	let genesis_custodians = rpc(&client, "custos_custodians", vec![]).await;
	assert_eq!(genesis_custodians.as_array().unwrap().len(), 5, "{genesis_custodians}");
	let custodians =
		[Sr25519Keyring::BobStash, Sr25519Keyring::CharlieStash, Sr25519Keyring::DaveStash];
	for (i, custodian) in custodians.iter().enumerate() {
		let key = H256::repeat_byte(i as u8 + 1);
		let call = RuntimeCall::Certificates(pallet_certificates::Call::issue_certificate {
			subject: MultiAddress::Id(custodian.to_account_id()),
			role: Role::Custodian,
			keys: BoundedVec::truncate_from(vec![PublicKey::X25519(key)]),
			measurement: None,
			valid_for: 10_000,
		});
		submit(&client, &alice, call).await;
	}
	let listed = rpc(&client, "custos_custodians", vec![]).await;
	assert_eq!(listed.as_array().unwrap().len(), 8, "{listed}");
	let bob = Sr25519Keyring::BobStash.to_account_id();
	let certificate = rpc(&client, "custos_certificate", vec![ss58(&bob), json!("custodian")]).await;
	assert_eq!(certificate["valid"], json!(true), "{certificate}");
	assert_eq!(certificate["keys"][0]["x25519"], json!(format!("{:?}", H256::repeat_byte(1))));
	assert_eq!(
		rpc(&client, "custos_isCertificateValid", vec![ss58(&bob), json!("Custodian")]).await,
		json!(true)
	);
	assert_eq!(
		rpc(&client, "custos_certificate", vec![ss58(&bob), json!("validator")]).await,
		Value::Null
	);
	let bad_role = client.call_json("custos_certificate", vec![ss58(&bob), json!("king")]).await;
	assert!(bad_role.unwrap_err().to_string().contains("unknown role"));

	// Ferdie escrows a key 2-of-3 with Eve as guardian and a two-block delay.
	let ferdie = Sr25519Keyring::Ferdie;
	let fingerprint = H256::repeat_byte(0xf1);
	let id = escrow_id(&ferdie.to_account_id(), &fingerprint);
	let split = Split {
		threshold: 2,
		custodians: BoundedVec::truncate_from(custodians.iter().map(|c| c.to_account_id()).collect()),
		commitments: BoundedVec::truncate_from(vec![H256::repeat_byte(0xc0); 3]),
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
		recovery_key: None,
		guardians: BoundedVec::truncate_from(vec![Sr25519Keyring::Eve.to_account_id()]),
		guardian_threshold: 1,
		authorities: BoundedVec::new(),
		delay: 2,
		max_attempts: 3,
	};
	let create = RuntimeCall::KeyEscrow(pallet_key_escrow::Call::create_escrow {
		fingerprint,
		key_kind: KeyKind::Sr25519Seed,
		split,
		policy,
	});
	submit(&client, &ferdie.pair(), create).await;

	let id_json = json!(format!("{id:?}"));
	assert_eq!(
		rpc(&client, "custos_escrowsOf", vec![ss58(&ferdie.to_account_id())]).await,
		json!([id_json])
	);
	let escrow = rpc(&client, "custos_escrow", vec![id_json.clone()]).await;
	assert_eq!(escrow["owner"], ss58(&ferdie.to_account_id()), "{escrow}");
	assert_eq!(escrow["threshold"], json!(2));
	assert_eq!(escrow["mode"], json!("on-chain"));
	assert_eq!(escrow["custodians"][1]["account"], ss58(&custodians[1].to_account_id()));
	assert_eq!(
		rpc(&client, "custos_share", vec![id_json.clone(), json!(2)]).await,
		json!(format!("0x{}", "ab".repeat(120)))
	);
	let health = rpc(&client, "custos_escrowHealth", vec![id_json.clone()]).await;
	assert_eq!((health["live"].clone(), health["atRisk"].clone()), (json!(3), json!(false)));
	assert_eq!(rpc(&client, "custos_request", vec![id_json.clone()]).await, Value::Null);
	assert_eq!(rpc(&client, "custos_isReleasable", vec![id_json.clone()]).await, json!(false));
	assert_eq!(
		rpc(&client, "custos_escrow", vec![json!(format!("{:?}", H256::zero()))]).await,
		Value::Null
	);

	// Alice asks for recovery, Eve approves, the delay passes, Bob's stash releases its share.
	let one_time_key = H256::repeat_byte(0x77);
	let initiate = RuntimeCall::KeyEscrow(pallet_key_escrow::Call::initiate_recovery {
		escrow: id,
		one_time_key,
		signature: None,
	});
	submit(&client, &alice, initiate).await;
	let request = rpc(&client, "custos_request", vec![id_json.clone()]).await;
	assert_eq!(request["status"]["phase"], json!("awaiting-approval"), "{request}");
	assert_eq!(request["requester"], ss58(&alice.public().into()));

	let approve = RuntimeCall::KeyEscrow(pallet_key_escrow::Call::approve_recovery { escrow: id });
	let approved_in = submit(&client, &Sr25519Keyring::Eve.pair(), approve).await;
	let finalized = client.wait_for_finalized(approved_in + 2, TIMEOUT).await?;
	let at = json!(format!("{:?}", finalized.hash));
	assert_eq!(rpc(&client, "custos_isReleasable", vec![id_json.clone(), at.clone()]).await, json!(true));

	let release = RuntimeCall::KeyEscrow(pallet_key_escrow::Call::release_share {
		escrow: id,
		index: 0,
		payload: BoundedVec::truncate_from(vec![0xcd; 90]),
	});
	submit(&client, &Sr25519Keyring::BobStash.pair(), release).await;
	let releases = rpc(&client, "custos_releases", vec![id_json.clone()]).await;
	assert_eq!(releases[0]["index"], json!(0), "{releases}");
	assert_eq!(releases[0]["custodian"], ss58(&bob));
	assert_eq!(releases[0]["payload"], json!(format!("0x{}", "cd".repeat(90))));
	let request = rpc(&client, "custos_request", vec![id_json]).await;
	assert_eq!(request["released"], json!(1));
	assert_eq!(request["status"]["phase"], json!("releasable"));
	Ok(())
}
