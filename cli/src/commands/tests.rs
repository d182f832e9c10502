use custos_primitives::{KdfParams, KeyKind, StorageMode, H256};
use custos_rpc_api::views::{CustodianSlotView, EscrowView, GuessesView, PolicyView};
use custos_runtime::AccountId;
use serde_json::json;

use super::{
	escrow::EscrowShown,
	recover::{KeyRecovered, NodeReason, RecoveryStatus},
};

fn account(byte: u8) -> AccountId {
	AccountId::new([byte; 32])
}

fn view() -> EscrowView {
	EscrowView {
		id: H256::repeat_byte(1),
		owner: account(2),
		fingerprint: H256::repeat_byte(3),
		key_kind: KeyKind::Sr25519Seed,
		threshold: 2,
		custodians: (0..3)
			.map(|i| CustodianSlotView {
				account: account(10 + i),
				key: H256::repeat_byte(20 + i),
				oprf_key: H256::repeat_byte(30 + i),
				acknowledged: i != 2,
			})
			.collect(),
		commitments: vec![H256::repeat_byte(4); 3],
		kdf: KdfParams::recommended([5; 16]),
		recovery_key: H256::repeat_byte(6),
		mode: StorageMode::CustodianHeld,
		share_bytes: 0,
		policy: PolicyView {
			require_passphrase: true,
			guardians: vec![account(7)],
			guardian_threshold: 1,
			authorities: vec![],
			delay: 14_400,
			max_attempts: 3,
			max_guesses: 10,
		},
		generation: 0,
		created_at: 9,
	}
}

fn guesses(used: u32) -> GuessesView {
	GuessesView {
		used,
		max_guesses: 10,
		remaining: 10 - used,
		locked: used == 10,
		reset_votes: 0,
		reset_threshold: 1,
		next_request_nonce: 0,
		open: vec![],
	}
}

fn no_request(used: u32) -> RecoveryStatus {
	RecoveryStatus { guesses: guesses(used), request: None, released: 0, threshold: 2, best: 12 }
}

#[test]
fn escrow_show_json_is_the_rpc_view_with_the_guesses() {
	let shown = EscrowShown { escrow: view(), guesses: guesses(2), recovery: no_request(2) };
	let mut expected = serde_json::to_value(view()).unwrap();
	expected["guesses"] = serde_json::to_value(guesses(2)).unwrap();
	assert_eq!(serde_json::to_value(&shown).unwrap(), expected);
	assert_eq!(expected["guesses"]["remaining"], 8);

	let text = shown.to_string();
	assert!(text.starts_with(&format!("Escrow {:?}\n", H256::repeat_byte(1))), "{text}");
	assert!(text.contains("(sr25519-seed)"), "{text}");
	assert!(text.contains("2 of 3 (custodian-held; generation 0)"), "{text}");
	assert!(text.contains(&format!("    2: {} (not acknowledged yet)", account(12))), "{text}");
	assert!(text.contains("passphrase: required; guardians: 1 of ["), "{text}");
	assert!(text.contains("max guesses 10"), "{text}");
	assert!(text.contains("guesses      2 of 10 used since the last success, 8 left"), "{text}");
	assert!(text.ends_with("\n  no open recovery request"), "{text}");
	let locked = EscrowShown { escrow: view(), guesses: guesses(10), recovery: no_request(10) };
	assert!(locked.to_string().contains("guesses      LOCKED: 10 of 10 used"), "{locked}");
}

#[test]
fn recover_status_json_has_the_guesses_and_a_null_request() {
	let value = serde_json::to_value(no_request(1)).unwrap();
	assert_eq!(value["request"], json!(null));
	assert_eq!(value["guesses"]["used"], 1);
	assert_eq!(value["guesses"]["maxGuesses"], 10);
	assert_eq!(value["guesses"]["locked"], false);
}

#[test]
fn recover_collect_names_the_nodes_whose_answers_were_not_used() {
	let recovered = KeyRecovered {
		id: H256::repeat_byte(1),
		out: "recovered.key".into(),
		fingerprint: H256::repeat_byte(2),
		used: vec![],
		faulty: vec![custos_client::collect::FaultyShare {
			index: 1,
			custodian: account(11).to_string(),
			reason: "does not match its commitment".into(),
			nodes: vec!["ws://a".into(), "ws://b".into()],
		}],
		unreachable: vec![],
		lying_nodes: vec![NodeReason {
			url: "ws://liar".into(),
			reason: "its storage proof does not verify".into(),
		}],
		record_from: vec!["ws://a".into(), "ws://b".into()],
		closed: None,
		request_file_wiped: true,
		seconds: 1.5,
	};
	let value = serde_json::to_value(&recovered).unwrap();
	let liar = json!({ "url": "ws://liar", "reason": "its storage proof does not verify" });
	assert_eq!(value["lyingNodes"], json!([liar]));
	assert_eq!(value["recordFrom"], json!(["ws://a", "ws://b"]));
	assert_eq!(value["faulty"][0]["nodes"], json!(["ws://a", "ws://b"]));
	let text = recovered.to_string();
	assert!(text.contains("\n  escrow record agreed by 2 nodes"), "{text}");
	let not_used = "\n  node ws://liar not used: its storage proof does not verify";
	assert!(text.contains(not_used), "{text}");
	let alone =
		KeyRecovered { record_from: vec!["ws://a".into()], lying_nodes: vec![], ..recovered };
	assert!(alone.to_string().contains("escrow record from ws://a alone"), "{alone}");
}
