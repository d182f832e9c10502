use custos_primitives::{KdfParams, KeyKind, StorageMode, H256};
use custos_rpc_api::views::{CustodianSlotView, EscrowView, GuessesView, PolicyView};
use custos_runtime::AccountId;
use serde_json::json;

use super::{escrow::EscrowShown, recover::RecoveryStatus};

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
