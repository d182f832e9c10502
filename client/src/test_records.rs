//! Records for unit tests: an escrow of three custodians (accounts 10, 11, 12 with keys
//! `0x14..`, `0x15..`, `0x16..`), a request and releases, built without a chain.

use custos_primitives::{KdfParams, KeyKind, StorageMode};
use custos_runtime::{AccountId, Runtime};
use pallet_key_escrow::{
	CustodianSlot, Escrow, EscrowOf, RecoveryPolicy, RecoveryRequest, Release, ReleaseOf, RequestOf,
};
use sp_core::{sr25519, H256};
use sp_runtime::BoundedVec;

/// The account whose 32 bytes are all `byte`.
pub fn account(byte: u8) -> AccountId {
	AccountId::new([byte; 32])
}

/// An on-chain escrow of generation `generation`, threshold 2 of 3.
pub fn record(generation: u32) -> EscrowOf<Runtime> {
	let slot = |i: u8| CustodianSlot {
		account: account(10 + i),
		key: H256::repeat_byte(20 + i),
		oprf_key: H256::repeat_byte(30 + i),
		acknowledged: true,
	};
	Escrow {
		owner: account(1),
		fingerprint: H256::repeat_byte(2),
		key_kind: KeyKind::Sr25519Seed,
		threshold: 2,
		custodians: BoundedVec::truncate_from((0..3).map(slot).collect()),
		commitments: BoundedVec::truncate_from(vec![H256::repeat_byte(4); 3]),
		kdf: KdfParams::recommended([5; 16]),
		recovery_key: sr25519::Public::from_raw([6; 32]),
		mode: StorageMode::OnChain,
		share_bytes: 300,
		policy: RecoveryPolicy {
			require_passphrase: true,
			guardians: BoundedVec::new(),
			guardian_threshold: 0,
			authorities: BoundedVec::new(),
			delay: 10,
			max_attempts: 3,
			max_guesses: 10,
		},
		generation,
		created_at: 1,
	}
}

/// A releasable request (nonce 4, by account 3) with `one_time_key`.
pub fn request(one_time_key: H256) -> RequestOf<Runtime> {
	RecoveryRequest {
		nonce: 4,
		requester: account(3),
		one_time_key,
		deposit: 1,
		opened_at: 20,
		approvals: BoundedVec::new(),
		authorized_by: None,
		recovery_key_verified: true,
		release_at: Some(30),
		expires_at: 1000,
		released: 2,
		completed_at: None,
	}
}

/// A release by account `custodian` whose payload is eight `payload` bytes.
pub fn release(custodian: u8, payload: u8) -> ReleaseOf<Runtime> {
	Release {
		custodian: account(custodian),
		at: 31,
		payload: BoundedVec::truncate_from(vec![payload; 8]),
	}
}
