//! The slot duration and the session length, fixed per chain at genesis.
//!
//! Aura and the timestamp pallet read the slot duration from the runtime, and pallet-session
//! its period. Keeping them in storage, set by the chain spec's genesis, lets the dev chain run
//! short slots (quick tests) while the local testnet keeps production-like six-second blocks,
//! and lets test chains rotate validators every few tens of blocks while a production chain
//! (no value in its genesis) rotates hourly, with one runtime. Aura cannot change its slot
//! duration once the chain runs, and a session period changed mid-session would move every
//! planned rotation, so there is no call to change either.

pub use pallet::*;

use frame_support::traits::Get;

/// Slot duration of a chain whose genesis does not name one: six seconds.
pub const DEFAULT_SLOT_DURATION_MS: u64 = 6_000;
/// Session length of a chain whose genesis does not name one, the production value: 600
/// blocks, an hour of six-second blocks. Validators join and leave at session boundaries, so
/// this bounds how long a revoked validator keeps authoring (one to two sessions).
pub const DEFAULT_SESSION_PERIOD_BLOCKS: u32 = 600;

#[frame_support::pallet]
pub mod pallet {
	use super::{DEFAULT_SESSION_PERIOD_BLOCKS, DEFAULT_SLOT_DURATION_MS};
	use frame_support::pallet_prelude::*;

	#[pallet::config]
	pub trait Config: frame_system::Config {}

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	#[pallet::type_value]
	pub fn DefaultSlotDuration() -> u64 {
		DEFAULT_SLOT_DURATION_MS
	}

	/// Milliseconds per Aura slot (one block per slot at most).
	#[pallet::storage]
	pub type SlotDurationMs<T> = StorageValue<_, u64, ValueQuery, DefaultSlotDuration>;

	#[pallet::type_value]
	pub fn DefaultSessionPeriod() -> u32 {
		DEFAULT_SESSION_PERIOD_BLOCKS
	}

	/// Blocks per session: validator set changes take effect at session boundaries.
	#[pallet::storage]
	pub type SessionPeriodBlocks<T> = StorageValue<_, u32, ValueQuery, DefaultSessionPeriod>;

	#[pallet::genesis_config]
	pub struct GenesisConfig<T: Config> {
		/// Milliseconds per slot: even (the timestamp pallet's minimum period is half of
		/// it) and at least one second.
		pub slot_duration_ms: u64,
		/// Blocks per session: at least 2 (a session must outlast the block that plans it).
		pub session_period_blocks: u32,
		#[serde(skip)]
		pub _config: core::marker::PhantomData<T>,
	}

	impl<T: Config> Default for GenesisConfig<T> {
		fn default() -> Self {
			Self {
				slot_duration_ms: DEFAULT_SLOT_DURATION_MS,
				session_period_blocks: DEFAULT_SESSION_PERIOD_BLOCKS,
				_config: Default::default(),
			}
		}
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			assert!(
				self.slot_duration_ms >= 1_000 && self.slot_duration_ms % 2 == 0,
				"blockTime.slotDurationMs must be even and at least 1000, got {}",
				self.slot_duration_ms,
			);
			SlotDurationMs::<T>::put(self.slot_duration_ms);
			assert!(
				self.session_period_blocks >= 2,
				"blockTime.sessionPeriodBlocks must be at least 2, got {}",
				self.session_period_blocks,
			);
			SessionPeriodBlocks::<T>::put(self.session_period_blocks);
		}
	}
}

/// `Get` for Aura's `SlotDuration`.
pub struct SlotDuration<T>(core::marker::PhantomData<T>);
impl<T: Config> Get<u64> for SlotDuration<T> {
	fn get() -> u64 {
		SlotDurationMs::<T>::get()
	}
}

/// `Get` for the timestamp pallet's `MinimumPeriod`: half a slot, as Aura expects.
pub struct MinimumPeriod<T>(core::marker::PhantomData<T>);
impl<T: Config> Get<u64> for MinimumPeriod<T> {
	fn get() -> u64 {
		SlotDurationMs::<T>::get() / 2
	}
}

/// `Get` for pallet-session's period (`PeriodicSessions`).
pub struct SessionPeriod<T>(core::marker::PhantomData<T>);
impl<T: Config> Get<u32> for SessionPeriod<T> {
	fn get() -> u32 {
		SessionPeriodBlocks::<T>::get()
	}
}
