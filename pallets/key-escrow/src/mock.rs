//! A test runtime: System, Balances and this pallet, with certificates answered by a table
//! the tests control.

use super::*;
use crate as key_escrow;
use core::cell::RefCell;
use custos_primitives::Role;
use frame::{
	deps::sp_io,
	testing_prelude::*,
	token::fungible::HoldConsideration,
	traits::LinearStoragePrice,
};
use std::collections::BTreeMap;

type Block = frame_system::mocking::MockBlock<Test>;

construct_runtime!(
	pub enum Test
	{
		System: frame_system,
		Balances: pallet_balances,
		KeyEscrow: key_escrow,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountData = pallet_balances::AccountData<u128>;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type Balance = u128;
	type ExistentialDeposit = ConstU128<1>;
	type AccountStore = System;
}

/// Deposit per escrow item and per byte.
pub const ITEM_DEPOSIT: u128 = 10;
pub const BYTE_DEPOSIT: u128 = 1;
pub const RECOVERY_DEPOSIT: u128 = 500;
pub const GUESS_DEPOSIT: u128 = 40;
pub const MAX_GUESS_LIMIT: u32 = 4;
pub const MAX_CUSTODIANS: u32 = 7;
pub const MAX_GUARDIANS: u32 = 3;
pub const MAX_SHARE_LEN: u32 = 128;
pub const REQUEST_LIFETIME: u64 = 20;
pub const BASE_BACKOFF: u64 = 5;

parameter_types! {
	pub const EscrowHoldReason: RuntimeHoldReason =
		RuntimeHoldReason::KeyEscrow(HoldReason::EscrowStorage);
	/// The default floors, Argon2's own minimum and no delay so the other tests need not care;
	/// thread-local, so a test may change them (`DefaultMinDelay::set(..)`).
	pub static DefaultMinKdfMemoryKib: u32 = 8;
	pub static DefaultMinKdfIterations: u32 = 1;
	pub static DefaultMinDelay: u64 = 0;
}

impl Config for Test {
	type RuntimeHoldReason = RuntimeHoldReason;
	type Currency = Balances;
	type BlockNumberProvider = System;
	type Certificates = MockCertificates;
	type EscrowConsideration = HoldConsideration<
		u64,
		Balances,
		EscrowHoldReason,
		LinearStoragePrice<ConstU128<ITEM_DEPOSIT>, ConstU128<BYTE_DEPOSIT>, u128>,
	>;
	type RecoveryDeposit = ConstU128<RECOVERY_DEPOSIT>;
	type MaxCustodians = ConstU32<MAX_CUSTODIANS>;
	type MaxGuardians = ConstU32<MAX_GUARDIANS>;
	type MaxPolicyAuthorities = ConstU32<2>;
	type MaxShareLen = ConstU32<MAX_SHARE_LEN>;
	type MaxReleaseLen = ConstU32<160>;
	type MaxEscrowsPerOwner = ConstU32<2>;
	type MaxAttemptLimit = ConstU32<5>;
	type MaxGuessLimit = ConstU32<MAX_GUESS_LIMIT>;
	type GuessDeposit = ConstU128<GUESS_DEPOSIT>;
	type RequestLifetime = ConstU64<REQUEST_LIFETIME>;
	type BaseBackoff = ConstU64<BASE_BACKOFF>;
	type HealthMargin = ConstU32<1>;
	type DefaultMinKdfMemoryKib = DefaultMinKdfMemoryKib;
	type DefaultMinKdfIterations = DefaultMinKdfIterations;
	type DefaultMinDelay = DefaultMinDelay;
	type WeightInfo = ();
}

thread_local! {
	/// Custodian certificates: account -> (X25519 key, valid until block, exclusive).
	static CUSTODIANS: RefCell<BTreeMap<u64, (H256, u64)>> = RefCell::new(BTreeMap::new());
	/// Recovery authorizations, one per issuer: (escrow, requester, issuer) -> expires at
	/// block (exclusive).
	static AUTHORIZATIONS: RefCell<BTreeMap<(EscrowId, u64, u64), u64>> =
		RefCell::new(BTreeMap::new());
}

/// Certificates as a table the tests edit: [`certify`], [`revoke`], [`authorize`],
/// [`unauthorize`].
pub struct MockCertificates;

impl CertificateInspect<u64, u64> for MockCertificates {
	fn custodian_key(who: &u64, at: u64) -> Option<H256> {
		CUSTODIANS.with(|c| c.borrow().get(who).filter(|(_, until)| at < *until).map(|(k, _)| *k))
	}

	fn has_valid_certificate(who: &u64, role: Role, at: u64) -> bool {
		role == Role::Custodian && Self::custodian_key(who, at).is_some()
	}

	fn recovery_authorized_by(escrow: &EscrowId, requester: &u64, issuer: &u64, at: u64) -> bool {
		AUTHORIZATIONS.with(|a| {
			a.borrow().get(&(*escrow, *requester, *issuer)).is_some_and(|expires| at < *expires)
		})
	}

	fn certified_measurement(who: &u64, role: Role, at: u64) -> Option<Option<H256>> {
		Self::has_valid_certificate(who, role, at).then_some(None)
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn certify_custodian(who: &u64, key: H256) {
		CUSTODIANS.with(|c| c.borrow_mut().insert(*who, (key, u64::MAX)));
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn certify_validator(_who: &u64, _measurement: Option<H256>) {}

	#[cfg(feature = "runtime-benchmarks")]
	fn authorize_recovery(issuer: &u64, escrow: &EscrowId, requester: &u64) {
		authorize(*issuer, *escrow, *requester, u64::MAX);
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn authorize_recovery_lapsed(issuer: &u64, escrow: &EscrowId, requester: &u64) {
		authorize(*issuer, *escrow, *requester, 0);
	}
}

/// Makes `who` a custodian with key `key` until block `until` (exclusive).
pub fn certify(who: u64, key: H256, until: u64) {
	CUSTODIANS.with(|c| c.borrow_mut().insert(who, (key, until)));
}

/// Revokes `who`'s custodian certificate.
pub fn revoke(who: u64) {
	CUSTODIANS.with(|c| c.borrow_mut().remove(&who));
}

/// `issuer` authorizes `requester` to recover `escrow` until block `expires` (exclusive),
/// replacing only its own earlier record for them (other issuers' records stay).
pub fn authorize(issuer: u64, escrow: EscrowId, requester: u64, expires: u64) {
	AUTHORIZATIONS.with(|a| a.borrow_mut().insert((escrow, requester, issuer), expires));
}

/// Removes `issuer`'s record authorizing `requester` to recover `escrow`.
pub fn unauthorize(issuer: u64, escrow: EscrowId, requester: u64) {
	AUTHORIZATIONS.with(|a| a.borrow_mut().remove(&(escrow, requester, issuer)));
}

pub const OWNER: u64 = 1;
pub const REQUESTER: u64 = 2;
pub const GUARDIAN_A: u64 = 3;
pub const GUARDIAN_B: u64 = 4;
pub const CA: u64 = 5;
pub const STRANGER: u64 = 6;
/// Custodians are accounts 11..=17, each with key `H256::repeat_byte(account)`.
pub const CUSTODIANS_START: u64 = 11;
pub const START_BALANCE: u128 = 1_000_000;

pub fn custodian(i: u64) -> u64 {
	CUSTODIANS_START + i
}

pub fn custodian_key(account: u64) -> H256 {
	H256::repeat_byte(account as u8)
}

pub fn new_test_ext() -> sp_io::TestExternalities {
	new_test_ext_with_floors(None)
}

/// [`new_test_ext`] with this pallet's genesis config setting `floors`.
pub fn new_test_ext_with_floors(floors: Option<FloorsOf<Test>>) -> sp_io::TestExternalities {
	DefaultMinKdfMemoryKib::reset();
	DefaultMinKdfIterations::reset();
	DefaultMinDelay::reset();
	CUSTODIANS.with(|c| c.borrow_mut().clear());
	AUTHORIZATIONS.with(|a| a.borrow_mut().clear());
	for i in 0..MAX_CUSTODIANS as u64 {
		certify(custodian(i), custodian_key(custodian(i)), u64::MAX);
	}
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	let mut balances: Vec<(u64, u128)> =
		[OWNER, REQUESTER, GUARDIAN_A, GUARDIAN_B, CA, STRANGER]
			.into_iter()
			.map(|who| (who, START_BALANCE))
			.collect();
	balances.extend((0..MAX_CUSTODIANS as u64).map(|i| (custodian(i), START_BALANCE)));
	pallet_balances::GenesisConfig::<Test> { balances, ..Default::default() }
		.assimilate_storage(&mut storage)
		.unwrap();
	key_escrow::GenesisConfig::<Test> { floors }.assimilate_storage(&mut storage).unwrap();
	let mut ext: sp_io::TestExternalities = storage.into();
	// Benchmarks generate and use a recovery key through the keystore host functions.
	ext.register_extension(sp_keystore::KeystoreExt::new(sp_keystore::testing::MemoryKeystore::new()));
	ext.execute_with(|| System::set_block_number(1));
	ext
}
