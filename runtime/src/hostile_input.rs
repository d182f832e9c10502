//! Whatever bytes reach the runtime as a call or an extrinsic decode or are refused: never a
//! panic, and never a stack overflow, however deeply a call nests others (`sudo(sudo(…))`).
//! (Issue 13: property tests over arbitrary byte strings, steered half of the time into the
//! calls of each pallet.)

use codec::DecodeLimit;
use frame_support::MAX_EXTRINSIC_DEPTH;
use proptest::{collection::vec, prelude::*};

use crate::{RuntimeCall, UncheckedExtrinsic};

/// Pallet indices of the runtime (see `lib.rs`) of every pallet with calls.
const PALLETS: [u8; 9] = [0, 2, 3, 5, 7, 8, 9, 10, 11];

/// Arbitrary bytes, or a pallet index and a call index followed by arbitrary bytes.
fn call_bytes() -> impl Strategy<Value = Vec<u8>> {
	prop_oneof![
		vec(any::<u8>(), 0..600),
		(prop::sample::select(PALLETS.to_vec()), 0u8..20, vec(any::<u8>(), 0..600)).prop_map(
			|(pallet, call, rest)| {
				let mut bytes = vec![pallet, call];
				bytes.extend(rest);
				bytes
			}
		),
	]
}

proptest! {
	#![proptest_config(ProptestConfig::with_cases(2048))]

	#[test]
	fn any_bytes_decode_as_a_call_or_are_refused(bytes in call_bytes()) {
		let _ = RuntimeCall::decode_with_depth_limit(MAX_EXTRINSIC_DEPTH, &mut &bytes[..]);
	}

	#[test]
	fn any_bytes_decode_as_an_extrinsic_or_are_refused(bytes in vec(any::<u8>(), 0..800)) {
		let _ = UncheckedExtrinsic::decode_with_depth_limit(MAX_EXTRINSIC_DEPTH, &mut &bytes[..]);
	}
}

/// `sudo(sudo(… remark …))` nested far deeper than the limit is refused, not decoded until
/// the stack runs out.
#[test]
fn calls_nested_past_the_limit_are_refused() {
	// Sudo is pallet 8; `sudo` is its call 0; `System::remark` is pallet 0, call 0.
	let mut bytes = [8u8, 0].repeat(100_000);
	bytes.extend([0u8, 0, 0]);
	assert!(RuntimeCall::decode_with_depth_limit(MAX_EXTRINSIC_DEPTH, &mut &bytes[..]).is_err());
	// Within the limit the same shape decodes.
	let mut shallow = [8u8, 0].repeat(10);
	shallow.extend([0u8, 0, 0]);
	assert!(RuntimeCall::decode_with_depth_limit(MAX_EXTRINSIC_DEPTH, &mut &shallow[..]).is_ok());
}
