//! A test runtime: System and this pallet, with `u64` accounts. Certificates, session-key
//! registration and operators' Aura keys are tables the tests edit.

use super::*;
use crate as pallet_validator_set;
use core::cell::RefCell;
use custos_primitives::EscrowId;
use frame::{deps::sp_io, testing_prelude::*};
use sp_core::{sr25519::Pair, Pair as _};
use std::collections::{BTreeMap, BTreeSet};

type Block = frame_system::mocking::MockBlock<Test>;

construct_runtime!(
	pub enum Test
	{
		System: frame_system,
		ValidatorSet: pallet_validator_set,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
}

/// The most validators (and candidates) in the mock.
pub const MAX_VALIDATORS: u32 = 6;

parameter_types! {
	/// Thread-local, so a test may change them (`MinValidators::set(..)`); reset by
	/// [`new_test_ext_with`].
	pub static MinValidators: u32 = 2;
	pub static MaxSetChange: u32 = 2;
}

impl Config for Test {
	type BlockNumberProvider = System;
	type Certificates = MockCertificates;
	type SessionKeys = MockSessionKeys;
	type NodeSigningKey = MockNodeKeys;
	type MaxValidators = ConstU32<MAX_VALIDATORS>;
	type MinValidators = MinValidators;
	type MaxSetChange = MaxSetChange;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockBenchmarkHelper;
}

/// A certificate in the mock table.
#[derive(Clone, Copy)]
struct MockCertificate {
	/// The custodian's X25519 key (unused for other roles).
	key: H256,
	/// The measurement it names.
	measurement: Option<H256>,
	/// First block at which it is no longer valid.
	until: u64,
}

thread_local! {
	/// Certificates by subject and role.
	static CERTIFICATES: RefCell<BTreeMap<(u64, Role), MockCertificate>> =
		RefCell::new(BTreeMap::new());
	/// Recovery authorizations: (escrow, requester, issuer) -> expires at (exclusive).
	static AUTHORIZATIONS: RefCell<BTreeMap<(EscrowId, u64, u64), u64>> =
		RefCell::new(BTreeMap::new());
	/// Accounts with session keys registered.
	static REGISTERED: RefCell<BTreeSet<u64>> = RefCell::new(BTreeSet::new());
	/// Each account's registered Aura key.
	static NODE_KEYS: RefCell<BTreeMap<u64, sr25519::Public>> = RefCell::new(BTreeMap::new());
}

/// Certificates as a table the tests edit: [`certify`], [`revoke`].
pub struct MockCertificates;

impl MockCertificates {
	fn valid(who: &u64, role: Role, at: u64) -> Option<MockCertificate> {
		CERTIFICATES
			.with(|c| c.borrow().get(&(*who, role)).copied())
			.filter(|c| at < c.until)
	}
}

impl CertificateInspect<u64, u64> for MockCertificates {
	fn custodian_key(who: &u64, at: u64) -> Option<H256> {
		Self::valid(who, Role::Custodian, at).map(|c| c.key)
	}

	fn has_valid_certificate(who: &u64, role: Role, at: u64) -> bool {
		Self::valid(who, role, at).is_some()
	}

	fn recovery_authorized_by(escrow: &EscrowId, requester: &u64, issuer: &u64, at: u64) -> bool {
		AUTHORIZATIONS.with(|a| {
			a.borrow()
				.get(&(*escrow, *requester, *issuer))
				.is_some_and(|expires| at < *expires)
		})
	}

	fn certified_measurement(who: &u64, role: Role, at: u64) -> Option<Option<H256>> {
		Self::valid(who, role, at).map(|c| c.measurement)
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn certify_custodian(who: &u64, key: H256) {
		let cert = MockCertificate { key, measurement: None, until: u64::MAX };
		CERTIFICATES.with(|c| c.borrow_mut().insert((*who, Role::Custodian), cert));
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn certify_validator(who: &u64, measurement: Option<H256>) {
		certify(*who, measurement, u64::MAX);
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn authorize_recovery(issuer: &u64, escrow: &EscrowId, requester: &u64) {
		AUTHORIZATIONS.with(|a| a.borrow_mut().insert((*escrow, *requester, *issuer), u64::MAX));
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn authorize_recovery_lapsed(issuer: &u64, escrow: &EscrowId, requester: &u64) {
		AUTHORIZATIONS.with(|a| a.borrow_mut().insert((*escrow, *requester, *issuer), 0));
	}
}

/// Session-key registration as a set the tests edit: [`register`], [`unregister`].
pub struct MockSessionKeys;

impl ValidatorRegistration<u64> for MockSessionKeys {
	fn is_registered(who: &u64) -> bool {
		REGISTERED.with(|r| r.borrow().contains(who))
	}
}

/// Operators' Aura keys as a table the tests edit: [`set_node_key`], [`clear_node_key`].
pub struct MockNodeKeys;

impl Convert<u64, Option<sr25519::Public>> for MockNodeKeys {
	fn convert(who: u64) -> Option<sr25519::Public> {
		NODE_KEYS.with(|k| k.borrow().get(&who).copied())
	}
}

/// Registers keys in the mock tables.
#[cfg(feature = "runtime-benchmarks")]
pub struct MockBenchmarkHelper;

#[cfg(feature = "runtime-benchmarks")]
impl BenchmarkHelper<u64> for MockBenchmarkHelper {
	fn register_node_key(who: &u64, key: sr25519::Public) {
		register(*who);
		set_node_key(*who, key);
	}
}

/// Gives `who` a `Validator` certificate naming `measurement`, valid until block `until`
/// (exclusive), replacing any it had.
pub fn certify(who: u64, measurement: Option<H256>, until: u64) {
	let cert = MockCertificate { key: H256::zero(), measurement, until };
	CERTIFICATES.with(|c| c.borrow_mut().insert((who, Role::Validator), cert));
}

/// Removes `who`'s `Validator` certificate.
pub fn revoke(who: u64) {
	CERTIFICATES.with(|c| c.borrow_mut().remove(&(who, Role::Validator)));
}

/// Marks `who`'s session keys registered.
pub fn register(who: u64) {
	REGISTERED.with(|r| r.borrow_mut().insert(who));
}

/// Marks `who`'s session keys purged.
pub fn unregister(who: u64) {
	REGISTERED.with(|r| r.borrow_mut().remove(&who));
}

/// Sets `who`'s Aura key.
pub fn set_node_key(who: u64, key: sr25519::Public) {
	NODE_KEYS.with(|k| k.borrow_mut().insert(who, key));
}

/// Clears `who`'s Aura key (registered keys of another kind, say).
pub fn clear_node_key(who: u64) {
	NODE_KEYS.with(|k| k.borrow_mut().remove(&who));
}

/// The Aura key pair of operator `who`'s node (`generation` 0 at first, higher after rotating).
pub fn node_pair(who: u64, generation: u8) -> Pair {
	let mut seed = [generation; 32];
	seed[..8].copy_from_slice(&who.to_le_bytes());
	Pair::from_seed(&seed)
}

/// Makes `who` a ready operator: a certificate naming `measurement` (valid for ever), session
/// keys registered and its Aura key [`node_pair`]`(who, 0)`.
pub fn operator(who: u64, measurement: Option<H256>) {
	certify(who, measurement, u64::MAX);
	register(who);
	set_node_key(who, node_pair(who, 0).public());
}

/// The genesis validators of [`new_test_ext`]: ready operators without a measurement.
pub const GENESIS: [u64; 3] = [1, 2, 3];

/// Storage with this pallet's genesis `members`, each made a ready operator without a
/// measurement, at block 1, with a keystore for the benchmarks.
pub fn new_test_ext_with(members: Vec<u64>) -> sp_io::TestExternalities {
	MinValidators::reset();
	MaxSetChange::reset();
	CERTIFICATES.with(|c| c.borrow_mut().clear());
	AUTHORIZATIONS.with(|a| a.borrow_mut().clear());
	REGISTERED.with(|r| r.borrow_mut().clear());
	NODE_KEYS.with(|k| k.borrow_mut().clear());
	for who in &members {
		operator(*who, None);
	}
	let storage = RuntimeGenesisConfig {
		system: Default::default(),
		validator_set: pallet_validator_set::GenesisConfig { members },
	}
	.build_storage()
	.unwrap();
	let mut ext: sp_io::TestExternalities = storage.into();
	// Benchmarks generate and use node keys through the keystore host functions.
	ext.register_extension(sp_keystore::KeystoreExt::new(
		sp_keystore::testing::MemoryKeystore::new(),
	));
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// [`new_test_ext_with`] the [`GENESIS`] validators.
pub fn new_test_ext() -> sp_io::TestExternalities {
	new_test_ext_with(GENESIS.to_vec())
}
