//! Unit tests on the mock runtime: every call's success path, every refusal, the recovery
//! state machine, bounds and deposits.

use crate::{mock::*, *};
use frame::{testing_prelude::*, traits::fungible::InspectHold};
use sp_core::{sr25519, Pair};
use Test as T;

mod acknowledge;
mod approval;
mod attempts;
mod authorizations;
mod bounds_and_origins;
mod cancel;
mod create;
mod custodian_work;
mod expire;
mod floors;
mod guesses;
mod health;
mod initiate;
mod policy;
mod release;
mod remove;
mod reshare;
mod strangers;

// ---------------------------------------------------------------------------------------------
// Helpers.

const FINGERPRINT: H256 = H256::repeat_byte(0xf1);
const ONE_TIME_KEY: H256 = H256::repeat_byte(0x77);
const SHARE_LEN: usize = 48;

fn signed(who: u64) -> RuntimeOrigin {
	RuntimeOrigin::signed(who)
}

fn kdf() -> KdfParams {
	KdfParams {
		algorithm: KdfAlgorithm::Argon2id,
		memory_kib: 65_536,
		iterations: 3,
		parallelism: 4,
		salt: [9; 16],
	}
}

/// `n` custodians (accounts 11..), threshold `t`, one share of `SHARE_LEN` bytes each in
/// on-chain mode, one distinct OPRF key per slot, and [`recovery_pair`]'s recovery key.
fn split(t: u32, n: u64, mode: StorageMode) -> SplitOf<T> {
	let custodians: Vec<u64> = (0..n).map(custodian).collect();
	let commitments: Vec<H256> = (0..n).map(|i| H256::repeat_byte(0xc0 + i as u8)).collect();
	let oprf_keys: Vec<H256> = (0..n).map(oprf_key).collect();
	let shares: Vec<SealedShareOf<T>> = match mode {
		StorageMode::OnChain => {
			(0..n).map(|i| BoundedVec::try_from(vec![i as u8 + 1; SHARE_LEN]).unwrap()).collect()
		}
		StorageMode::CustodianHeld => vec![],
	};
	Split {
		threshold: t,
		custodians: BoundedVec::try_from(custodians).unwrap(),
		commitments: BoundedVec::try_from(commitments).unwrap(),
		oprf_keys: BoundedVec::try_from(oprf_keys).unwrap(),
		recovery_key: recovery_pair().public(),
		kdf: kdf(),
		mode,
		shares: BoundedVec::try_from(shares).unwrap(),
	}
}

/// The OPRF key `K_i` of slot `i` in [`split`].
fn oprf_key(i: u64) -> H256 {
	H256::repeat_byte(0xd0 + i as u8)
}

/// Guess limit of the policies [`policy`] builds.
const MAX_GUESSES: u32 = 3;

fn policy(
	require_passphrase: bool,
	guardians: Vec<u64>,
	guardian_threshold: u32,
	authorities: Vec<u64>,
	delay: u64,
) -> PolicyOf<T> {
	RecoveryPolicy {
		require_passphrase,
		guardians: BoundedVec::try_from(guardians).unwrap(),
		guardian_threshold,
		authorities: BoundedVec::try_from(authorities).unwrap(),
		delay,
		max_attempts: 3,
		max_guesses: MAX_GUESSES,
	}
}

/// One guardian (threshold 1), delay 2.
fn guardian_policy() -> PolicyOf<T> {
	policy(false, vec![GUARDIAN_A], 1, vec![], 2)
}

/// The recovery key of every [`split`].
fn recovery_pair() -> sr25519::Pair {
	sr25519::Pair::from_seed(&[7; 32])
}

/// `pair`'s signature letting `requester` open the next request of `escrow` with `one_time_key`
/// (it names the escrow's current request nonce).
fn sign_request(
	pair: &sr25519::Pair,
	escrow: EscrowId,
	requester: u64,
	one_time_key: H256,
) -> sr25519::Signature {
	let nonce = RequestNonces::<T>::get(escrow);
	pair.sign(&KeyEscrow::recovery_message(&escrow, &requester, &one_time_key, nonce))
}

fn id(owner: u64) -> EscrowId {
	custos_primitives::escrow_id(&owner, &FINGERPRINT)
}

/// `owner` escrows the key `fingerprint` with `split` under `policy`; returns the escrow id.
fn create_as(owner: u64, fingerprint: H256, split: SplitOf<T>, policy: PolicyOf<T>) -> EscrowId {
	assert_ok!(KeyEscrow::create_escrow(
		signed(owner),
		fingerprint,
		KeyKind::Sr25519Seed,
		split,
		policy
	));
	custos_primitives::escrow_id(&owner, &fingerprint)
}

/// OWNER escrows a 3-of-5 on-chain split under `policy`.
fn create_with(policy: PolicyOf<T>) -> EscrowId {
	create_as(OWNER, FINGERPRINT, split(3, 5, StorageMode::OnChain), policy)
}

/// `owner` escrows a 2-of-3 custodian-held split under the guardian policy.
fn create_held(owner: u64) -> EscrowId {
	create_as(owner, FINGERPRINT, split(2, 3, StorageMode::CustodianHeld), guardian_policy())
}

fn create() -> EscrowId {
	create_with(guardian_policy())
}

fn initiate(escrow: EscrowId) {
	assert_ok!(KeyEscrow::initiate_recovery(signed(REQUESTER), escrow, ONE_TIME_KEY, None));
}

fn payload(byte: u8) -> ReleasePayloadOf<T> {
	BoundedVec::try_from(vec![byte; 80]).unwrap()
}

fn now() -> u64 {
	System::block_number()
}

fn go_to(block: u64) {
	System::set_block_number(block);
}

fn escrow_hold(who: u64) -> u128 {
	Balances::balance_on_hold(&HoldReason::EscrowStorage.into(), &who)
}

fn request_hold(who: u64) -> u128 {
	Balances::balance_on_hold(&HoldReason::RecoveryRequest.into(), &who)
}

fn has_event(event: Event<T>) -> bool {
	System::events().iter().any(|r| r.event == RuntimeEvent::KeyEscrow(event.clone()))
}

/// The nonce of the open request of `escrow` (the one approvals and releases must name).
fn open_nonce(escrow: EscrowId) -> u32 {
	Requests::<T>::get(escrow).expect("a request is open").nonce
}

/// Initiates, approves (GUARDIAN_A) and waits out the delay of the guardian policy.
fn make_releasable(escrow: EscrowId) {
	initiate(escrow);
	assert_ok!(KeyEscrow::approve_recovery(signed(GUARDIAN_A), escrow, open_nonce(escrow)));
	go_to(now() + 2);
	assert!(KeyEscrow::is_releasable(&escrow));
}

/// The text of this module and of every submodule, scanned by
/// `every_error_variant_is_exercised_by_a_test`: a new test file must be added here too.
const SOURCES: [&str; 19] = [
	include_str!("mod.rs"),
	include_str!("acknowledge.rs"),
	include_str!("approval.rs"),
	include_str!("attempts.rs"),
	include_str!("authorizations.rs"),
	include_str!("bounds_and_origins.rs"),
	include_str!("cancel.rs"),
	include_str!("create.rs"),
	include_str!("custodian_work.rs"),
	include_str!("expire.rs"),
	include_str!("floors.rs"),
	include_str!("guesses.rs"),
	include_str!("health.rs"),
	include_str!("initiate.rs"),
	include_str!("policy.rs"),
	include_str!("release.rs"),
	include_str!("remove.rs"),
	include_str!("reshare.rs"),
	include_str!("strangers.rs"),
];

// ---------------------------------------------------------------------------------------------
// Coverage of the error enum.

#[test]
fn every_error_variant_is_exercised_by_a_test() {
	use scale_info::{TypeDef, TypeInfo};
	let TypeDef::Variant(errors) = Error::<T>::type_info().type_def else {
		panic!("Error is an enum")
	};
	let source = SOURCES.concat();
	let missing: Vec<&str> = errors
		.variants
		.iter()
		.map(|v| v.name)
		.filter(|name| {
			!source.contains(&format!("Error::<T>::{name})"))
				&& !source.contains(&format!("Error::<T>::{name},"))
				&& !source.contains(&format!("Error::<T>::{name}\n"))
		})
		.collect();
	assert!(missing.is_empty(), "errors never asserted in tests: {missing:?}");
}
