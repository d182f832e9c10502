use custos_primitives::{KdfParams, KeyKind, StorageMode, H256};
use custos_rpc_api::views::{CustodianSlotView, EscrowView, PolicyView};
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
				acknowledged: i != 2,
			})
			.collect(),
		commitments: vec![H256::repeat_byte(4); 3],
		kdf: KdfParams::recommended([5; 16]),
		mode: StorageMode::CustodianHeld,
		share_bytes: 0,
		policy: PolicyView {
			recovery_key: Some(H256::repeat_byte(6)),
			guardians: vec![account(7)],
			guardian_threshold: 1,
			authorities: vec![],
			delay: 14_400,
			max_attempts: 3,
		},
		generation: 0,
		created_at: 9,
	}
}

#[test]
fn escrow_show_json_is_the_rpc_view() {
	let no_request = RecoveryStatus { request: None, released: 0, threshold: 2, best: 12 };
	let shown = EscrowShown { escrow: view(), recovery: no_request };
	assert_eq!(serde_json::to_value(&shown).unwrap(), serde_json::to_value(view()).unwrap());

	let text = shown.to_string();
	assert!(text.starts_with(&format!("Escrow {:?}\n", H256::repeat_byte(1))), "{text}");
	assert!(text.contains("(sr25519-seed)"), "{text}");
	assert!(text.contains("2 of 3 (custodian-held; generation 0)"), "{text}");
	assert!(text.contains(&format!("    2: {} (not acknowledged yet)", account(12))), "{text}");
	assert!(text.contains("recovery key: yes (from the passphrase); guardians: 1 of ["), "{text}");
	assert!(text.ends_with("\n  no open recovery request"), "{text}");
}

#[test]
fn recover_status_json_is_null_without_a_request() {
	let status = RecoveryStatus { request: None, released: 0, threshold: 2, best: 12 };
	assert_eq!(serde_json::to_value(&status).unwrap(), json!(null));
}
