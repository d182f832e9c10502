//! Genesis: the config, its serde form and its refusals.

use super::*;

fn genesis() -> crate::GenesisConfig<T> {
	crate::GenesisConfig {
		authorities: vec![CA, CA2],
		certificates: vec![
			(CA, ALICE, Role::Custodian, vec![x(1), sr(1)], 100),
			(CA2, BOB, Role::Custodian, vec![x(2)], 50),
			(CA, ATTESTOR, Role::Attestor, vec![ed(3)], 100),
		],
	}
}

#[test]
fn genesis_config_builds() {
	new_test_ext_with(genesis()).execute_with(|| {
		assert!(Certificates::is_authority(&CA));
		assert!(Certificates::is_authority(&CA2));
		assert_eq!(Authorities::<T>::get(CA), Some(AuthorityInfo { added_at: 0 }));
		assert_eq!(AuthorityCount::<T>::get(), 2);
		assert_eq!(NextCertificateId::<T>::get(), 3);
		let alice = cert(0);
		assert_eq!((alice.subject, alice.role, alice.issuer), (ALICE, Role::Custodian, CA));
		assert_eq!((alice.issued_at, alice.valid_from, alice.valid_until), (0, 0, 100));
		assert_eq!(alice.measurement, None);
		assert_eq!(CurrentCertificate::<T>::get(BOB, Role::Custodian), Some(1));
		assert_eq!(CurrentCertificate::<T>::get(ATTESTOR, Role::Attestor), Some(2));
		// Valid at block 1.
		let mut all = Certificates::valid_custodians();
		all.sort();
		assert_eq!(all, vec![(ALICE, x_key(1)), (BOB, x_key(2))]);
		assert!(is_valid(ATTESTOR, Role::Attestor, now()));
		// Deposits were taken from the issuers through the consideration.
		assert_eq!(certificate_held(CA), 2 * certificate_deposit());
		assert_eq!(certificate_held(CA2), certificate_deposit());
		// And are returned like any other.
		for id in 0..3 {
			assert_ok!(Certificates::revoke_certificate(
				signed(cert(id).issuer),
				id,
				RevocationReason::Unspecified
			));
			assert_ok!(Certificates::remove_certificate(signed(NOBODY), id));
		}
		assert_all_balances_restored();
	});
}

#[test]
fn genesis_config_serde_round_trip() {
	let config = genesis();
	let json = serde_json::to_value(&config).unwrap();
	assert_eq!(
		json,
		serde_json::json!({
			"authorities": [CA, CA2],
			"certificates": [
				[CA, ALICE, "Custodian", [{"X25519": x_key(1)}, {"Sr25519": H256::repeat_byte(1)}], 100],
				[CA2, BOB, "Custodian", [{"X25519": x_key(2)}], 50],
				[CA, ATTESTOR, "Attestor", [{"Ed25519": H256::repeat_byte(3)}], 100],
			],
		})
	);
	let back: crate::GenesisConfig<T> = serde_json::from_value(json).unwrap();
	assert_eq!(back.authorities, config.authorities);
	assert_eq!(back.certificates, config.certificates);
	// The default is empty.
	let empty = serde_json::to_string(&crate::GenesisConfig::<T>::default()).unwrap();
	assert_eq!(empty, r#"{"authorities":[],"certificates":[]}"#);
	// Unknown roles are rejected.
	let bad = r#"{"authorities":[],"certificates":[[1,2,"Janitor",[],1]]}"#;
	assert!(serde_json::from_str::<crate::GenesisConfig<T>>(bad).is_err());
}

#[test]
#[should_panic(expected = "is not a genesis authority")]
fn genesis_issuer_must_be_authority() {
	new_test_ext_with(crate::GenesisConfig {
		authorities: vec![CA],
		certificates: vec![(CA2, ALICE, Role::Custodian, vec![x(1)], 10)],
	});
}

#[test]
#[should_panic(expected = "MissingX25519Key")]
fn genesis_custodian_needs_x25519_key() {
	new_test_ext_with(crate::GenesisConfig {
		authorities: vec![CA],
		certificates: vec![(CA, ALICE, Role::Custodian, vec![sr(1)], 10)],
	});
}

#[test]
#[should_panic(expected = "more than MaxKeys")]
fn genesis_too_many_keys() {
	new_test_ext_with(crate::GenesisConfig {
		authorities: vec![CA],
		certificates: vec![(
			CA,
			ALICE,
			Role::Validator,
			(0..=MAX_KEYS as u8).map(sr).collect(),
			10,
		)],
	});
}

#[test]
#[should_panic(expected = "ValidityTooLong")]
fn genesis_validity_too_long() {
	new_test_ext_with(crate::GenesisConfig {
		authorities: vec![CA],
		certificates: vec![(CA, ALICE, Role::Validator, vec![sr(1)], MAX_VALIDITY + 1)],
	});
}

#[test]
#[should_panic(expected = "CertificateExists")]
fn genesis_duplicate_certificate() {
	new_test_ext_with(crate::GenesisConfig {
		authorities: vec![CA],
		certificates: vec![
			(CA, ALICE, Role::Validator, vec![sr(1)], 10),
			(CA, ALICE, Role::Validator, vec![sr(2)], 10),
		],
	});
}

#[test]
#[should_panic(expected = "AlreadyAuthority")]
fn genesis_duplicate_authority() {
	new_test_ext_with(crate::GenesisConfig { authorities: vec![CA, CA], certificates: vec![] });
}

#[test]
#[should_panic(expected = "TooManyAuthorities")]
fn genesis_too_many_authorities() {
	new_test_ext_with(crate::GenesisConfig {
		authorities: vec![CA, CA2, CA3, CA4],
		certificates: vec![],
	});
}

#[test]
#[should_panic(expected = "FundsUnavailable")]
fn genesis_issuer_cannot_pay() {
	new_test_ext_with(crate::GenesisConfig {
		authorities: vec![POOR],
		certificates: vec![(POOR, ALICE, Role::Validator, vec![sr(1)], 10)],
	});
}
