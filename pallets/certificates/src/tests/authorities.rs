//! Authorities: `add_authority` and `remove_authority`.

use super::*;

#[test]
fn add_authority_works() {
	new_test_ext().execute_with(|| {
		System::set_block_number(5);
		assert!(!Certificates::is_authority(&CA));
		assert_ok!(Certificates::add_authority(root(), CA));
		assert!(Certificates::is_authority(&CA));
		assert_eq!(Authorities::<T>::get(CA), Some(AuthorityInfo { added_at: 5 }));
		assert_eq!(AuthorityCount::<T>::get(), 1);
		assert_last_event(Event::AuthorityAdded { who: CA });
	});
}

#[test]
fn add_authority_requires_root() {
	new_test_ext().execute_with(|| {
		assert_noop!(Certificates::add_authority(signed(CA), CA), BadOrigin);
		assert_noop!(Certificates::add_authority(RuntimeOrigin::none(), CA), BadOrigin);
		// Even an authority cannot add another.
		add_ca(CA);
		assert_noop!(Certificates::add_authority(signed(CA), CA2), BadOrigin);
	});
}

#[test]
fn already_authority() {
	new_test_ext().execute_with(|| {
		add_ca(CA);
		assert_noop!(Certificates::add_authority(root(), CA), Error::<T>::AlreadyAuthority);
	});
}

#[test]
fn too_many_authorities() {
	new_test_ext().execute_with(|| {
		add_ca(CA);
		add_ca(CA2);
		add_ca(CA3);
		assert_eq!(AuthorityCount::<T>::get(), MAX_AUTHORITIES);
		assert_noop!(Certificates::add_authority(root(), CA4), Error::<T>::TooManyAuthorities);
		// Removing one frees a slot.
		assert_ok!(Certificates::remove_authority(root(), CA3));
		assert_ok!(Certificates::add_authority(root(), CA4));
		assert_eq!(AuthorityCount::<T>::get(), MAX_AUTHORITIES);
	});
}

#[test]
fn remove_authority_works() {
	new_test_ext().execute_with(|| {
		add_ca(CA);
		add_ca(CA2);
		assert_ok!(Certificates::remove_authority(root(), CA));
		assert!(!Certificates::is_authority(&CA));
		assert!(Certificates::is_authority(&CA2));
		assert_eq!(AuthorityCount::<T>::get(), 1);
		assert_last_event(Event::AuthorityRemoved { who: CA });
		// And it can be added back.
		add_ca(CA);
		assert_eq!(AuthorityCount::<T>::get(), 2);
	});
}

#[test]
fn remove_authority_requires_root() {
	new_test_ext().execute_with(|| {
		add_ca(CA);
		add_ca(CA2);
		assert_noop!(Certificates::remove_authority(signed(CA2), CA), BadOrigin);
		assert_noop!(Certificates::remove_authority(signed(CA), CA), BadOrigin);
		assert_noop!(Certificates::remove_authority(RuntimeOrigin::none(), CA), BadOrigin);
	});
}

#[test]
fn not_an_authority() {
	new_test_ext().execute_with(|| {
		assert_noop!(Certificates::remove_authority(root(), NOBODY), Error::<T>::NotAnAuthority);
		add_ca(CA);
		assert_ok!(Certificates::remove_authority(root(), CA));
		assert_noop!(Certificates::remove_authority(root(), CA), Error::<T>::NotAnAuthority);
	});
}
