//! Test runtime: System, Balances and Certificates, with `u64` accounts and `u128` balances.

use super::*;
use crate as pallet_certificates;
use frame::{
	deps::sp_io,
	testing_prelude::*,
	token::fungible::HoldConsideration,
	traits::{fungible::InspectHold, Convert, LinearStoragePrice},
};
pub use frame::deps::sp_runtime::testing::TestSignature;

type Block = frame_system::mocking::MockBlock<Test>;

construct_runtime!(
	pub enum Test
	{
		System: frame_system,
		Balances: pallet_balances,
		Certificates: pallet_certificates,
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

/// Deposit of a certificate: `CERT_BASE + size of a certificate`.
pub type CertificatePrice = LinearStoragePrice<ConstU128<100>, ConstU128<1>, u128>;
/// Deposit of an authorization record: `AUTH_BASE + size of a record`.
pub type AuthorizationPrice = LinearStoragePrice<ConstU128<50>, ConstU128<1>, u128>;

parameter_types! {
	pub const CertificateHoldReason: RuntimeHoldReason =
		RuntimeHoldReason::Certificates(HoldReason::CertificateStorage);
	pub const AuthorizationHoldReason: RuntimeHoldReason =
		RuntimeHoldReason::Certificates(HoldReason::AuthorizationStorage);
}

/// The most authorities the mock allows.
pub const MAX_AUTHORITIES: u32 = 3;
/// The most keys per certificate in the mock.
pub const MAX_KEYS: u32 = 4;
/// The longest certificate validity in the mock.
pub const MAX_VALIDITY: u64 = 1_000;
/// The longest authorization lifetime in the mock.
pub const MAX_AUTHORIZATION_VALIDITY: u64 = 100;

impl Config for Test {
	type RuntimeHoldReason = RuntimeHoldReason;
	type Currency = Balances;
	type BlockNumberProvider = System;
	type CertificateConsideration =
		HoldConsideration<u64, Balances, CertificateHoldReason, CertificatePrice>;
	type AuthorizationConsideration =
		HoldConsideration<u64, Balances, AuthorizationHoldReason, AuthorizationPrice>;
	type MaxAuthorities = ConstU32<MAX_AUTHORITIES>;
	type MaxKeys = ConstU32<MAX_KEYS>;
	type MaxValidity = ConstU64<MAX_VALIDITY>;
	type MaxAuthorizationValidity = ConstU64<MAX_AUTHORIZATION_VALIDITY>;
	type SubjectSignature = TestSignature;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockBenchmarkHelper;
}

/// Benchmark subjects: a fixed account whose `TestSignature`s name it.
#[cfg(feature = "runtime-benchmarks")]
pub struct MockBenchmarkHelper;

#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper<u64, TestSignature> for MockBenchmarkHelper {
	fn subject() -> u64 {
		4_242
	}

	fn sign(subject: &u64, message: &[u8]) -> TestSignature {
		TestSignature(*subject, message.to_vec())
	}
}

/// A certificate authority in most tests.
pub const CA: u64 = 1;
/// A second certificate authority.
pub const CA2: u64 = 2;
/// A third account that tests make an authority.
pub const CA3: u64 = 3;
/// A fourth account that tests try to make an authority.
pub const CA4: u64 = 4;
/// Subjects and requesters.
pub const ALICE: u64 = 10;
pub const BOB: u64 = 11;
pub const CHARLIE: u64 = 12;
/// An account that gets an `Attestor` certificate.
pub const ATTESTOR: u64 = 20;
/// A second attestor.
pub const ATTESTOR2: u64 = 21;
/// An account with no role at all.
pub const NOBODY: u64 = 99;
/// An account with no funds.
pub const POOR: u64 = 100;

/// Every funded account.
pub const FUNDED: [u64; 11] =
	[CA, CA2, CA3, CA4, ALICE, BOB, CHARLIE, ATTESTOR, ATTESTOR2, NOBODY, 50];
/// Their starting balance.
pub const START_BALANCE: u128 = 1_000_000;

/// Storage with funded accounts (and the given certificates genesis), at block 1.
pub fn new_test_ext_with(certificates: crate::GenesisConfig<Test>) -> sp_io::TestExternalities {
	let t = RuntimeGenesisConfig {
		system: Default::default(),
		balances: pallet_balances::GenesisConfig {
			balances: FUNDED.iter().map(|who| (*who, START_BALANCE)).collect(),
			..Default::default()
		},
		certificates,
	}
	.build_storage()
	.unwrap();
	let mut ext: sp_io::TestExternalities = t.into();
	// Benchmarks generate sealing keys and sign with them through the keystore host functions.
	ext.register_extension(sp_keystore::KeystoreExt::new(sp_keystore::testing::MemoryKeystore::new()));
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Storage with funded accounts and nothing else, at block 1.
pub fn new_test_ext() -> sp_io::TestExternalities {
	new_test_ext_with(Default::default())
}

/// The deposit of one certificate.
pub fn certificate_deposit() -> u128 {
	CertificatePrice::convert(Certificates::certificate_footprint())
}

/// The deposit of one authorization record.
pub fn authorization_deposit() -> u128 {
	AuthorizationPrice::convert(Certificates::authorization_footprint())
}

/// What `who` has on hold for certificates.
pub fn certificate_held(who: u64) -> u128 {
	Balances::balance_on_hold(&HoldReason::CertificateStorage.into(), &who)
}

/// What `who` has on hold for authorizations.
pub fn authorization_held(who: u64) -> u128 {
	Balances::balance_on_hold(&HoldReason::AuthorizationStorage.into(), &who)
}

/// Assert that the last event is `event`.
pub fn assert_last_event(event: crate::Event<Test>) {
	System::assert_last_event(event.into());
}

/// Move the block number forward by `by`.
pub fn inc_block_number(by: u64) {
	System::set_block_number(System::block_number() + by);
}
