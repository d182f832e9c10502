//! Recovery authorizations are asked for per accepted authority: a record by an issuer the
//! policy does not accept neither counts nor hides an accepted authority's record for the same
//! escrow and requester (issue 11, defect 5).

use super::*;

/// A second authority a policy may accept.
const CA2: u64 = 8;
/// An attestor no policy here accepts.
const ATTESTOR: u64 = 9;

/// One guardian (threshold 1), delay 2, accepting `authorities`.
fn accepting(authorities: Vec<u64>) -> PolicyOf<T> {
	policy(false, vec![GUARDIAN_A], 1, authorities, 2)
}

/// The attack of the old code, at initiation: an attestor the policy does not accept wrote
/// the first record for (escrow, requester) for a long time; the accepted CA's own record is
/// still found and attached.
#[test]
fn an_accepted_authority_is_found_beside_a_record_of_another_issuer_at_initiation() {
	new_test_ext().execute_with(|| {
		let escrow = create_with(accepting(vec![CA]));
		authorize(ATTESTOR, escrow, REQUESTER, 1_000);
		authorize(CA, escrow, REQUESTER, 100);
		initiate(escrow);
		assert_eq!(Requests::<T>::get(escrow).unwrap().authorized_by, Some(CA));
		assert!(has_event(Event::AuthorizationAttached { escrow, issuer: CA }));
		assert!(!has_event(Event::AuthorizationAttached { escrow, issuer: ATTESTOR }));
		assert_ok!(KeyEscrow::approve_recovery(signed(GUARDIAN_A), escrow, open_nonce(escrow)));
		assert_eq!(Requests::<T>::get(escrow).unwrap().release_at, Some(now() + 2));
	});
}

/// The same with `attach_authorization`: the attestor's record alone is no authorization, the
/// accepted CA's, written after it, is.
#[test]
fn an_accepted_authority_is_attached_beside_a_record_of_another_issuer() {
	new_test_ext().execute_with(|| {
		let escrow = create_with(accepting(vec![CA]));
		authorize(ATTESTOR, escrow, REQUESTER, 1_000);
		initiate(escrow);
		assert_eq!(Requests::<T>::get(escrow).unwrap().authorized_by, None);
		assert_noop!(
			KeyEscrow::attach_authorization(signed(REQUESTER), escrow),
			Error::<T>::NoAuthorization
		);
		authorize(CA, escrow, REQUESTER, 100);
		assert_ok!(KeyEscrow::attach_authorization(signed(STRANGER), escrow));
		assert_eq!(Requests::<T>::get(escrow).unwrap().authorized_by, Some(CA));
		assert!(has_event(Event::AuthorizationAttached { escrow, issuer: CA }));
	});
}

/// With several accepted authorities, each one's record is asked about on its own: the first
/// (in policy order) whose record counts is attached, and the expiry or absence of one
/// record leaves the others'. Each case on its own escrow (a closed authorized request would
/// count as a failed attempt).
#[test]
fn the_first_accepted_authority_whose_record_counts_is_attached() {
	new_test_ext().execute_with(|| {
		let escrow_of = |owner: u64, fingerprint: u8| {
			let split = split(3, 5, StorageMode::OnChain);
			create_as(owner, H256::repeat_byte(fingerprint), split, accepting(vec![CA, CA2]))
		};
		let authorized_by = |escrow: EscrowId| Requests::<T>::get(escrow).unwrap().authorized_by;

		// Only CA2's record (beside the attestor's): CA2.
		let escrow = escrow_of(OWNER, 0xf1);
		authorize(ATTESTOR, escrow, REQUESTER, 1_000);
		authorize(CA2, escrow, REQUESTER, 100);
		initiate(escrow);
		assert_eq!(authorized_by(escrow), Some(CA2));

		// Both: CA, the first in the policy.
		let escrow = escrow_of(GUARDIAN_B, 0xf1);
		authorize(CA2, escrow, REQUESTER, 100);
		authorize(CA, escrow, REQUESTER, 100);
		initiate(escrow);
		assert_eq!(authorized_by(escrow), Some(CA));

		// CA's has expired: CA2's still counts.
		let escrow = escrow_of(STRANGER, 0xf1);
		authorize(CA, escrow, REQUESTER, now());
		authorize(CA2, escrow, REQUESTER, now() + 1);
		initiate(escrow);
		assert_eq!(authorized_by(escrow), Some(CA2));

		// None counts at initiation; CA2's, written later, is attached; removing CA's
		// expired record changes nothing.
		let escrow = escrow_of(OWNER, 0xf2);
		authorize(CA, escrow, REQUESTER, now());
		initiate(escrow);
		assert_eq!(authorized_by(escrow), None);
		assert_noop!(
			KeyEscrow::attach_authorization(signed(REQUESTER), escrow),
			Error::<T>::NoAuthorization
		);
		authorize(CA2, escrow, REQUESTER, now() + 1);
		unauthorize(CA, escrow, REQUESTER);
		assert_ok!(KeyEscrow::attach_authorization(signed(REQUESTER), escrow));
		assert_eq!(authorized_by(escrow), Some(CA2));
	});
}
