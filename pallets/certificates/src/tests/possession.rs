//! Issue 11, defect 3: a custodian certificate binds a sealing key only with the subject's
//! proof that it holds the key and consents to it. Before the fix an authority could bind a
//! key of its own to an honest account (`attack_authority_binds_its_own_key_to_an_honest_subject`
//! passed on the old code with no proof at all), so that new escrows sealed that custodian's
//! shares to the authority; or certify a copy of another custodian's public key.

use super::*;

/// `CA` issues `subject` a custodian certificate for test sealing key `n` with `proof`.
fn issue_sealing_key(
	subject: u64,
	n: u8,
	proof: Option<SealingKeyProofOf<T>>,
) -> frame::prelude::DispatchResult {
	Certificates::issue_certificate(
		signed(CA),
		subject,
		Role::Custodian,
		keys(vec![x(n)]),
		None,
		100,
		proof,
	)
}

/// What an authority needs to bind `key_n` to `subject` by itself: a key it holds, a valid
/// key half, and the subject's signature forged as its own.
fn forged_proof(subject: u64, forger: u64, n: u8) -> SealingKeyProofOf<T> {
	let mut proof = key_proof(subject, n);
	let TestSignature(_, message) = proof.subject_signature;
	proof.subject_signature = TestSignature(forger, message);
	proof
}

/// The attack of the old code, now refused: the authority binds a key it holds to ALICE
/// without her consent, with no proof or with its own signature in place of hers.
#[test]
fn bad_subject_signature() {
	new_test_ext().execute_with(|| {
		add_ca(CA);
		let issue = |proof| issue_sealing_key(ALICE, 0xca, proof);
		assert_noop!(issue(None), Error::<T>::MissingKeyProof);
		assert_noop!(issue(Some(forged_proof(ALICE, CA, 0xca))), Error::<T>::BadSubjectSignature);
		assert_eq!(Certificates::custodian_key(&ALICE, now()), None);
		// With ALICE's own proof it is issued.
		assert_ok!(issue(Some(key_proof(ALICE, 0xca))));
		assert_eq!(Certificates::custodian_key(&ALICE, now()), Some(x_key(0xca)));
	});
}

#[test]
fn missing_key_proof() {
	new_test_ext().execute_with(|| {
		add_ca(CA);
		assert_noop!(
			issue_sealing_key(ALICE, 1, None),
			Error::<T>::MissingKeyProof
		);
		// Reissuing to a new sealing key needs a proof too.
		let id = issue_custodian(CA, ALICE, 1, 100);
		assert_noop!(
			Certificates::reissue_certificate(signed(CA), id, keys(vec![x(2)]), None, 100, None),
			Error::<T>::MissingKeyProof
		);
	});
}

/// Copying another custodian's public key: the copier can sign for its own account, but not
/// with the key, so it cannot be certified for a key whose shares it could not open.
#[test]
fn bad_key_proof() {
	new_test_ext().execute_with(|| {
		add_ca(CA);
		let _alice = issue_custodian(CA, ALICE, 1, 100);
		// BOB reuses ALICE's proof (made for ALICE) under his own signature.
		let mut copied = key_proof(ALICE, 1);
		let message = custos_primitives::sealing_key_message(&System::block_hash(0), &BOB, &x_key(1));
		copied.subject_signature = TestSignature(BOB, message);
		assert_noop!(
			issue_sealing_key(BOB, 1, Some(copied)),
			Error::<T>::BadKeyProof
		);
		// A proof made on another chain (another genesis hash) does not verify here either.
		let other_chain =
			custos_primitives::sealing_key_message(&H256::repeat_byte(0x77), &BOB, &x_key(2));
		let proof = SealingKeyProof {
			edwards_key: H256(sealing_pair(2).public().0),
			key_signature: sealing_pair(2).sign(&other_chain).0.into(),
			subject_signature: TestSignature(BOB, other_chain),
		};
		assert_noop!(
			issue_sealing_key(BOB, 2, Some(proof)),
			Error::<T>::BadKeyProof
		);
	});
}

/// A proof whose ed25519 key is not the Edwards form of the certified sealing key.
#[test]
fn key_proof_mismatch() {
	new_test_ext().execute_with(|| {
		add_ca(CA);
		assert_noop!(
			issue_sealing_key(ALICE, 1, Some(key_proof(ALICE, 2))),
			Error::<T>::KeyProofMismatch
		);
		// A sealing key that is no curve point has no Edwards form at all.
		let mut proof = key_proof(ALICE, 1);
		proof.edwards_key = H256::repeat_byte(0xff);
		assert_noop!(
			issue_sealing_key(ALICE, 1, Some(proof)),
			Error::<T>::KeyProofMismatch
		);
	});
}

#[test]
fn unexpected_key_proof() {
	new_test_ext().execute_with(|| {
		add_ca(CA);
		assert_noop!(
			Certificates::issue_certificate(
				signed(CA),
				ATTESTOR,
				Role::Attestor,
				keys(vec![ed(7)]),
				None,
				100,
				Some(key_proof(ATTESTOR, 1))
			),
			Error::<T>::UnexpectedKeyProof
		);
	});
}
