//! The escrow protocol: certificates (authorities, custodians, attestors) and key escrow.
//!
//! Bounds and deposits live here. Block counts assume the production six-second slot (the
//! dev chain's two-second slots make them pass three times faster).

use frame_support::{
	parameter_types,
	traits::{fungible::HoldConsideration, ConstU32, LinearStoragePrice},
};

use crate::{Balance, Balances, BlockNumber, Runtime, RuntimeHoldReason, System, MILLI_UNIT, UNIT};

/// Blocks per hour at six-second slots.
const HOURS: BlockNumber = 600;
/// Blocks per day at six-second slots.
const DAYS: BlockNumber = 24 * HOURS;

parameter_types! {
	/// Every stored record pays this much plus [`ByteDeposit`] per byte.
	pub const RecordDeposit: Balance = UNIT;
	/// Deposit per stored byte.
	pub const ByteDeposit: Balance = MILLI_UNIT;
	pub const CertificateHoldReason: RuntimeHoldReason =
		RuntimeHoldReason::Certificates(pallet_certificates::HoldReason::CertificateStorage);
	pub const AuthorizationHoldReason: RuntimeHoldReason =
		RuntimeHoldReason::Certificates(pallet_certificates::HoldReason::AuthorizationStorage);
	pub const EscrowHoldReason: RuntimeHoldReason =
		RuntimeHoldReason::KeyEscrow(pallet_key_escrow::HoldReason::EscrowStorage);
	/// Longest certificate validity: five years.
	pub const MaxCertificateValidity: BlockNumber = 5 * 365 * DAYS;
	/// Longest recovery authorization validity: thirty days.
	pub const MaxAuthorizationValidity: BlockNumber = 30 * DAYS;
	/// Held from a requester while its request is open; covers the request and up to
	/// `MaxCustodians` releases of `MaxReleaseLen` bytes at [`ByteDeposit`] per byte.
	pub const RecoveryDeposit: Balance = 10 * UNIT + 32 * 2048 * MILLI_UNIT;
	/// Held from a guesser per passphrase guess; covers the guess and up to `MaxCustodians`
	/// evaluations of 96 bytes at [`ByteDeposit`] per byte. Paid to the owner unless the
	/// guesser's recovery-key signature later succeeds.
	pub const GuessDeposit: Balance = UNIT + 32 * 128 * MILLI_UNIT;
	/// A request stays open one day beyond its policy's delay.
	pub const RequestLifetime: BlockNumber = DAYS;
	/// One hour after the first failed request, doubling with each further failure.
	pub const BaseBackoff: BlockNumber = HOURS;
	/// Least Argon2id memory of a new split until floors are set: 64 MiB, RFC 9106's second
	/// recommendation and the client's default.
	pub const DefaultMinKdfMemoryKib: u32 = 64 * 1024;
	/// Least Argon2id passes of a new split until floors are set (RFC 9106: 3).
	pub const DefaultMinKdfIterations: u32 = 3;
	/// Least recovery delay of a new policy until floors are set: one hour for the owner to
	/// veto.
	pub const DefaultMinDelay: BlockNumber = HOURS;
}

/// Storage deposit priced per byte, held under `Reason`.
type StorageDeposit<Reason> = HoldConsideration<
	crate::AccountId,
	Balances,
	Reason,
	LinearStoragePrice<RecordDeposit, ByteDeposit, Balance>,
>;

impl pallet_certificates::Config for Runtime {
	type RuntimeHoldReason = RuntimeHoldReason;
	type Currency = Balances;
	type BlockNumberProvider = System;
	type CertificateConsideration = StorageDeposit<CertificateHoldReason>;
	type AuthorizationConsideration = StorageDeposit<AuthorizationHoldReason>;
	type MaxAuthorities = ConstU32<32>;
	type MaxKeys = ConstU32<4>;
	type MaxValidity = MaxCertificateValidity;
	type MaxAuthorizationValidity = MaxAuthorizationValidity;
	type SubjectSignature = crate::Signature;
	type WeightInfo = pallet_certificates::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = CertificateBenchmarkHelper;
}

/// Benchmark subjects of the certificates pallet: sr25519 accounts in the benchmark keystore.
#[cfg(feature = "runtime-benchmarks")]
pub struct CertificateBenchmarkHelper;

#[cfg(feature = "runtime-benchmarks")]
const CERTIFICATE_BENCH_KEY_TYPE: sp_core::crypto::KeyTypeId = sp_core::crypto::KeyTypeId(*b"csub");

#[cfg(feature = "runtime-benchmarks")]
impl pallet_certificates::BenchmarkHelper<crate::AccountId, crate::Signature>
	for CertificateBenchmarkHelper
{
	fn subject() -> crate::AccountId {
		sp_io::crypto::sr25519_generate(CERTIFICATE_BENCH_KEY_TYPE, None).into()
	}

	fn sign(subject: &crate::AccountId, message: &[u8]) -> crate::Signature {
		let public = sp_core::sr25519::Public::from_raw(*subject.as_ref());
		sp_io::crypto::sr25519_sign(CERTIFICATE_BENCH_KEY_TYPE, &public, message)
			.expect("the subject's key was generated in the keystore; qed")
			.into()
	}
}

impl pallet_key_escrow::Config for Runtime {
	type RuntimeHoldReason = RuntimeHoldReason;
	type Currency = Balances;
	type BlockNumberProvider = System;
	type Certificates = crate::Certificates;
	type EscrowConsideration = StorageDeposit<EscrowHoldReason>;
	type RecoveryDeposit = RecoveryDeposit;
	/// Up to 32 custodians per escrow (GF(256) would allow 255).
	type MaxCustodians = ConstU32<32>;
	type MaxGuardians = ConstU32<16>;
	type MaxPolicyAuthorities = ConstU32<8>;
	/// Room for today's ~130-byte sealed shares and a post-quantum hybrid envelope later
	/// (X-Wing adds about 1.1 KiB per share).
	type MaxShareLen = ConstU32<2048>;
	type MaxReleaseLen = ConstU32<2048>;
	type MaxEscrowsPerOwner = ConstU32<32>;
	type MaxAttemptLimit = ConstU32<10>;
	/// Policies choose up to 20 wrong passphrase guesses (the client's default is 10).
	type MaxGuessLimit = ConstU32<20>;
	type GuessDeposit = GuessDeposit;
	type RequestLifetime = RequestLifetime;
	type BaseBackoff = BaseBackoff;
	type HealthMargin = ConstU32<1>;
	type DefaultMinKdfMemoryKib = DefaultMinKdfMemoryKib;
	type DefaultMinKdfIterations = DefaultMinKdfIterations;
	type DefaultMinDelay = DefaultMinDelay;
	type WeightInfo = pallet_key_escrow::weights::SubstrateWeight<Runtime>;
}
