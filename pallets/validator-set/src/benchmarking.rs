//! Benchmarks of the validator-set pallet: every call on its worst path, and
//! `SessionManager::new_session` with the most candidates.

#![cfg(feature = "runtime-benchmarks")]

use super::*;
use crate::Pallet;
use frame::{
	benchmarking::prelude::*,
	deps::{sp_core::crypto::KeyTypeId, sp_io},
};
use pallet_session::SessionManager;

const SEED: u32 = 0;
const BENCH_KEY_TYPE: KeyTypeId = KeyTypeId(*b"bnch");
/// The measurement the benchmark operators' certificates name.
const MEASUREMENT: H256 = H256::repeat_byte(0x11);

fn assert_last_event<T: Config>(event: Event<T>) {
	frame_system::Pallet::<T>::assert_last_event(event.into());
}

/// Removes every candidate (a genesis preset's, say), so that `MaxValidators` can join.
fn clear_candidates<T: Config>() {
	let _ = Candidates::<T>::clear(u32::MAX, None);
}

/// Operator `index`, ready to join: a `Validator` certificate naming [`MEASUREMENT`] and
/// session keys whose Aura key is a fresh keystore key. Returns it with its report signed by
/// that key.
fn operator<T: Config>(index: u32) -> (T::AccountId, MeasurementReport) {
	let who: T::AccountId = account("operator", index, SEED);
	T::Certificates::certify_validator(&who, Some(MEASUREMENT));
	let key = sp_io::crypto::sr25519_generate(BENCH_KEY_TYPE, None);
	T::BenchmarkHelper::register_node_key(&who, key);
	let message = Pallet::<T>::measurement_message(&who, &MEASUREMENT);
	let signature = sp_io::crypto::sr25519_sign(BENCH_KEY_TYPE, &key, &message)
		.expect("the key was generated in the keystore");
	(who, MeasurementReport { measurement: MEASUREMENT, signature })
}

/// Operator `index`, joined with its report.
fn candidate<T: Config>(index: u32) -> T::AccountId {
	let (who, report) = operator::<T>(index);
	Pallet::<T>::join(RawOrigin::Signed(who.clone()).into(), Some(report)).expect("joining");
	who
}

#[benchmarks]
mod benchmarks {
	use super::*;

	/// Worst case: the certificate names a measurement, so a report is compared and its
	/// signature verified; `MaxValidators - 1` candidates already.
	#[benchmark]
	fn join() {
		clear_candidates::<T>();
		for i in 1..T::MaxValidators::get() {
			candidate::<T>(i);
		}
		let (who, report) = operator::<T>(0);

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), Some(report));

		assert!(Candidates::<T>::get(&who).is_some_and(|c| c.node_key.is_some()));
		assert_last_event::<T>(Event::<T>::Joined {
			operator: who,
			measurement: Some(MEASUREMENT),
		});
	}

	#[benchmark]
	fn leave() {
		clear_candidates::<T>();
		let who = candidate::<T>(0);

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()));

		assert!(!Candidates::<T>::contains_key(&who));
		assert_last_event::<T>(Event::<T>::Left { operator: who });
	}

	#[benchmark]
	fn remove_candidate() {
		clear_candidates::<T>();
		let who = candidate::<T>(0);
		let lookup = T::Lookup::unlookup(who.clone());

		#[extrinsic_call]
		_(RawOrigin::Root, lookup);

		assert!(!Candidates::<T>::contains_key(&who));
		assert_last_event::<T>(Event::<T>::CandidateRemoved { operator: who });
	}

	/// Worst case: `MaxValidators` candidates, all eligible, each with a report (so every
	/// check is made: certificate, keys, measurement, node key), and `MaxValidators` members
	/// none of which is a candidate, so the set changes as much as `MaxSetChange` allows.
	#[benchmark]
	fn new_session() {
		clear_candidates::<T>();
		let max = T::MaxValidators::get();
		for i in 0..max {
			candidate::<T>(i);
		}
		let mut former: Vec<T::AccountId> = (0..max).map(|i| account("former", i, SEED)).collect();
		former.sort();
		let former = MembersOf::<T>::truncate_from(former);
		Members::<T>::put(&former);
		let planned;

		#[block]
		{
			planned = <Pallet<T> as SessionManager<T::AccountId>>::new_session(2);
		}

		let planned = planned.expect("the set changed");
		assert_eq!(planned, Pallet::<T>::members());
		let changed = planned.iter().filter(|who| former.binary_search(who).is_err()).count() +
			former.iter().filter(|who| !planned.contains(who)).count();
		assert!(changed > 0 && changed as u32 <= T::MaxSetChange::get());
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
