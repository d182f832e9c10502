//! Genesis: the config, its serde form and its refusals.

use super::*;

#[test]
fn genesis_members_are_candidates_and_members() {
	test_with(vec![3, 1, 2], || {
		assert_eq!(Members::<T>::get().into_inner(), vec![1, 2, 3]);
		assert_eq!(Candidates::<T>::count(), 3);
		for who in [1, 2, 3] {
			assert_eq!(candidate(who), Some(Candidate { measurement: None, node_key: None }));
		}
	});
}

#[test]
fn genesis_config_serde_round_trip() {
	let config = crate::GenesisConfig::<T> { members: vec![1, 2] };
	let json = serde_json::to_value(&config).unwrap();
	assert_eq!(json, serde_json::json!({ "members": [1, 2] }));
	let back: crate::GenesisConfig<T> = serde_json::from_value(json).unwrap();
	assert_eq!(back.members, vec![1, 2]);
	let empty: crate::GenesisConfig<T> = serde_json::from_str(r#"{"members":[]}"#).unwrap();
	assert!(empty.members.is_empty());
	assert!(serde_json::from_str::<crate::GenesisConfig<T>>(r#"{"validators":[1]}"#).is_err());
}

#[test]
#[should_panic(expected = "duplicate member")]
fn genesis_refuses_duplicates() {
	new_test_ext_with(vec![1, 2, 1]);
}

#[test]
#[should_panic(expected = "fewer than MinValidators")]
fn genesis_refuses_too_few() {
	new_test_ext_with(vec![1]);
}

#[test]
#[should_panic(expected = "more than MaxValidators")]
fn genesis_refuses_too_many() {
	new_test_ext_with((1..=MAX_VALIDATORS as u64 + 1).collect());
}
