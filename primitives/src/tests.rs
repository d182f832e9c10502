use alloc::vec::Vec;

use super::*;

#[test]
fn escrow_id_is_the_domain_separated_hash_of_owner_and_fingerprint() {
	let owner = [1u8; 32];
	let fingerprint = H256::repeat_byte(2);
	let mut preimage = Vec::new();
	// SCALE of (&[u8], owner, fingerprint): compact length-prefixed domain, then raw bytes.
	preimage.push((ESCROW_ID_DOMAIN.len() as u8) << 2);
	preimage.extend_from_slice(ESCROW_ID_DOMAIN);
	preimage.extend_from_slice(&owner);
	preimage.extend_from_slice(fingerprint.as_bytes());
	assert_eq!(escrow_id(&owner, &fingerprint), H256(sp_crypto_hashing::blake2_256(&preimage)));
	assert_ne!(escrow_id(&[3u8; 32], &fingerprint), escrow_id(&owner, &fingerprint));
	assert_ne!(escrow_id(&owner, &H256::repeat_byte(4)), escrow_id(&owner, &fingerprint));
}

#[test]
fn recovery_message_binds_chain_escrow_requester_one_time_key_and_nonce() {
	let (genesis, escrow, requester, key) =
		(H256::repeat_byte(7), H256::repeat_byte(1), [2u8; 32], H256::repeat_byte(3));
	let base = recovery_request_message(&genesis, &escrow, &requester, &key, 5);
	assert!(base.starts_with(&[(RECOVERY_SIGNATURE_DOMAIN.len() as u8) << 2]));
	assert!(base.ends_with(&5u32.to_le_bytes()));
	let other = H256::repeat_byte(9);
	assert_ne!(base, recovery_request_message(&other, &escrow, &requester, &key, 5));
	assert_ne!(base, recovery_request_message(&genesis, &other, &requester, &key, 5));
	assert_ne!(base, recovery_request_message(&genesis, &escrow, &[9u8; 32], &key, 5));
	assert_ne!(base, recovery_request_message(&genesis, &escrow, &requester, &other, 5));
	assert_ne!(base, recovery_request_message(&genesis, &escrow, &requester, &key, 6));
}

#[test]
fn names_parse_back_case_insensitively_and_unknown_names_list_the_choices() {
	for kind in KeyKind::ALL {
		assert_eq!(kind.name().parse::<KeyKind>(), Ok(*kind));
		assert_eq!(kind.name().to_uppercase().parse::<KeyKind>(), Ok(*kind));
	}
	assert_eq!("custodian-held".parse::<StorageMode>(), Ok(StorageMode::CustodianHeld));
	assert_eq!(Role::Attestor.to_string(), "attestor");
	let err = "root".parse::<Role>().unwrap_err();
	assert_eq!(err.to_string(), "unknown role: expected one of custodian, validator, attestor");
}

#[test]
fn json_forms_use_the_names_and_hex_bytes() {
	let params = KdfParams::recommended([0xab; 16]);
	let json = serde_json::to_value(params).unwrap();
	assert_eq!(
		json,
		serde_json::json!({
			"algorithm": "argon2id",
			"memoryKib": 65536,
			"iterations": 3,
			"parallelism": 4,
			"salt": "0xabababababababababababababababab",
		})
	);
	assert_eq!(serde_json::from_value::<KdfParams>(json).unwrap(), params);
	assert_eq!(serde_json::to_value(StorageMode::OnChain).unwrap(), "on-chain");
	assert_eq!(
		serde_json::to_value(PublicKey::X25519(H256::repeat_byte(1))).unwrap(),
		serde_json::json!({ "x25519": format!("0x{}", "01".repeat(32)) })
	);
	// A salt of the wrong length is refused, not truncated or padded.
	let mut short = serde_json::to_value(params).unwrap();
	short["salt"] = "0xabab".into();
	assert!(serde_json::from_value::<KdfParams>(short).is_err());
}
