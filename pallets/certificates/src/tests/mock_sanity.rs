//! Sanity of the mock runtime.

use super::*;

#[test]
fn deposits_are_positive_and_distinct() {
	new_test_ext().execute_with(|| {
		assert!(certificate_deposit() > 100);
		assert!(authorization_deposit() > 50);
		assert_ne!(certificate_deposit(), authorization_deposit());
	});
}

#[test]
fn integrity_test_passes() {
	new_test_ext().execute_with(|| {
		<Certificates as Hooks<u64>>::integrity_test();
	});
}
