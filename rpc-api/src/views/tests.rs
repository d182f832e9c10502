use serde_json::json;
use sp_core::crypto::Ss58Codec;

use super::*;
use custos_runtime::AccountId;

fn account(byte: u8) -> AccountId {
	AccountId::new([byte; 32])
}

#[test]
fn phases_are_tagged_with_kebab_case_names() {
	assert_eq!(
		serde_json::to_value(PhaseView::Delay { release_at: 7 }).unwrap(),
		json!({ "phase": "delay", "releaseAt": 7 })
	);
	assert_eq!(
		serde_json::to_value(PhaseView::AwaitingApproval).unwrap(),
		json!({ "phase": "awaiting-approval" })
	);
	let back: PhaseView = serde_json::from_value(json!({ "phase": "releasable" })).unwrap();
	assert_eq!(back, PhaseView::Releasable);
}

#[test]
fn a_request_round_trips_with_ss58_accounts_and_a_decimal_deposit() {
	let view = RequestView {
		nonce: 4,
		requester: account(1),
		one_time_key: sp_core::H256::repeat_byte(2),
		deposit: u128::MAX,
		opened_at: 3,
		approvals: vec![account(4)],
		authorized_by: None,
		recovery_key_verified: true,
		release_at: Some(9),
		expires_at: 100,
		released: 0,
		completed_at: None,
		status: PhaseView::Delay { release_at: 9 },
	};
	let value = serde_json::to_value(&view).unwrap();
	assert_eq!(value["requester"], account(1).to_ss58check());
	assert_eq!(value["deposit"], u128::MAX.to_string());
	assert_eq!(value["oneTimeKey"], format!("0x{}", "02".repeat(32)));
	assert_eq!(value["status"], json!({ "phase": "delay", "releaseAt": 9 }));
	assert_eq!(serde_json::from_value::<RequestView>(value).unwrap(), view);
}

#[test]
fn a_deposit_receipt_names_its_acknowledgement_or_null() {
	let receipt = DepositReceipt { stored: true, acknowledgement: None };
	assert_eq!(
		serde_json::to_value(receipt).unwrap(),
		json!({ "stored": true, "acknowledgement": null })
	);
}
