//! The slot duration, fixed per chain at genesis.
//!
//! Aura and the timestamp pallet read the slot duration from the runtime. Keeping it in
//! storage, set by the chain spec's genesis, lets the dev chain run short slots (quick
//! tests) while the local testnet keeps production-like six-second blocks, with one
//! runtime. Aura cannot change its slot duration once the chain runs, so there is no call
//! to change it.

pub use pallet::*;

use frame_support::traits::Get;

/// Slot duration of a chain whose genesis does not name one: six seconds.
pub const DEFAULT_SLOT_DURATION_MS: u64 = 6_000;

#[frame_support::pallet]
pub mod pallet {
	use super::DEFAULT_SLOT_DURATION_MS;
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

	#[pallet::genesis_config]
	pub struct GenesisConfig<T: Config> {
		/// Milliseconds per slot: even (the timestamp pallet's minimum period is half of
		/// it) and at least one second.
		pub slot_duration_ms: u64,
		#[serde(skip)]
		pub _config: core::marker::PhantomData<T>,
	}

	impl<T: Config> Default for GenesisConfig<T> {
		fn default() -> Self {
			Self { slot_duration_ms: DEFAULT_SLOT_DURATION_MS, _config: Default::default() }
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
