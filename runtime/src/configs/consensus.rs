//! Consensus: `pallet-session` rotates the validator set that `pallet-validator-set` plans
//! from certificates, and hands its keys to Aura (authoring) and GRANDPA (finality) at every
//! session change.

use frame_support::{
	parameter_types,
	traits::{ConstBool, ConstU128, ConstU32, ConstU64},
};
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_runtime::traits::{ConvertInto, OpaqueKeys};

use crate::{AccountId, Balances, BlockNumber, Runtime, RuntimeEvent, Session, SessionKeys};

/// Upper bound on validators; also bounds Aura's and GRANDPA's authority lists.
pub type MaxAuthorities = ConstU32<32>;

/// Blocks per session, set per chain at genesis (`blockTime.sessionPeriodBlocks`).
type SessionPeriod = crate::block_time::SessionPeriod<Runtime>;

parameter_types! {
	pub const SessionOffset: BlockNumber = 0;
	/// The set never shrinks below one validator: with none the chain halts for good. (A
	/// production chain with more validators would raise this to keep GRANDPA's 2/3 + 1
	/// meaningful; the dev chain has one.)
	pub const MinValidators: u32 = 1;
	/// One join or leave per session: adding one to a set of `n` keeps the votes of the `n`
	/// that finalized before a supermajority of the new set as long as at most one was
	/// offline, so finality survives every step.
	pub const MaxSetChange: u32 = 1;
}

impl pallet_session::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type ValidatorId = AccountId;
	type ValidatorIdOf = ConvertInto;
	type ShouldEndSession = pallet_session::PeriodicSessions<SessionPeriod, SessionOffset>;
	type NextSessionRotation = pallet_session::PeriodicSessions<SessionPeriod, SessionOffset>;
	// Certified, registered, joined operators (see pallet-validator-set).
	type SessionManager = crate::ValidatorSet;
	type SessionHandler = <SessionKeys as OpaqueKeys>::KeyTypeIdProviders;
	type Keys = SessionKeys;
	type DisablingStrategy = ();
	type WeightInfo = pallet_session::weights::SubstrateWeight<Runtime>;
	type Currency = Balances;
	/// Held from whoever registers session keys, returned when they are purged.
	type KeyDeposit = ConstU128<{ crate::UNIT }>;
}

impl pallet_aura::Config for Runtime {
	type AuthorityId = AuraId;
	type DisabledValidators = ();
	type MaxAuthorities = MaxAuthorities;
	type AllowMultipleBlocksPerSlot = ConstBool<false>;
	type SlotDuration = crate::block_time::SlotDuration<Runtime>;
}

impl pallet_grandpa::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type WeightInfo = ();
	type MaxAuthorities = MaxAuthorities;
	type MaxNominators = ConstU32<0>;
	type MaxSetIdSessionEntries = ConstU64<0>;
	// No equivocation reports yet: that needs historical session proofs.
	type KeyOwnerProof = sp_core::Void;
	type EquivocationReportSystem = ();
}

impl pallet_validator_set::Config for Runtime {
	type BlockNumberProvider = crate::System;
	type Certificates = crate::Certificates;
	type SessionKeys = Session;
	type NodeSigningKey = AuraKeyOf;
	type MaxValidators = MaxAuthorities;
	type MinValidators = MinValidators;
	type MaxSetChange = MaxSetChange;
	type WeightInfo = pallet_validator_set::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = ValidatorSetBenchmarkHelper;
}

/// An operator's registered Aura key: what signs its node's measurement report.
pub struct AuraKeyOf;
impl sp_runtime::traits::Convert<AccountId, Option<sp_core::sr25519::Public>> for AuraKeyOf {
	fn convert(who: AccountId) -> Option<sp_core::sr25519::Public> {
		Session::load_keys(&who).map(|keys| keys.aura.into())
	}
}

/// Registers session keys for benchmark operators, the Aura key the one given.
#[cfg(feature = "runtime-benchmarks")]
pub struct ValidatorSetBenchmarkHelper;

#[cfg(feature = "runtime-benchmarks")]
impl pallet_validator_set::BenchmarkHelper<AccountId> for ValidatorSetBenchmarkHelper {
	fn register_node_key(who: &AccountId, key: sp_core::sr25519::Public) {
		let keys = SessionKeys {
			aura: key.into(),
			grandpa: sp_core::ed25519::Public::from_raw(key.0).into(),
		};
		pallet_session::NextKeys::<Runtime>::insert(who, keys);
	}
}
