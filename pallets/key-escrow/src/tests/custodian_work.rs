//! The custodian index `CustodianWork` (issue 13): it holds `(account, escrow)` exactly while
//! `escrow` has an open request or guess and names `account` in a slot, through every call that
//! opens or ends them or changes the slots, and `pending_releases` and `pending_evaluations`
//! answer from it exactly what a walk over every request and guess of the chain answered.

use super::*;
use frame::traits::fungible::Mutate;
use std::collections::BTreeSet;

/// Every entry of the index.
fn index() -> BTreeSet<(u64, EscrowId)> {
	CustodianWork::<T>::iter_keys().collect()
}

/// The escrows `who` has entries for, in storage order.
fn work_of(who: u64) -> Vec<EscrowId> {
	CustodianWork::<T>::iter_key_prefix(who).collect()
}

/// The entries the index should hold: one per slot account of every escrow with an open
/// request or guess.
fn expected_index() -> BTreeSet<(u64, EscrowId)> {
	Escrows::<T>::iter()
		.filter(|(escrow, _)| {
			Requests::<T>::contains_key(escrow) ||
				Guesses::<T>::iter_prefix(escrow).next().is_some()
		})
		.flat_map(|(escrow, (record, _))| {
			record.custodians.into_iter().map(move |slot| (slot.account, escrow))
		})
		.collect()
}

/// `pending_releases` as it was before the index: a walk over every open request.
fn pending_releases_by_walk(custodian: u64) -> Vec<(EscrowId, u32)> {
	if MockCertificates::custodian_key(&custodian, now()).is_none() {
		return Vec::new();
	}
	let mut pending = Vec::new();
	for escrow in Requests::<T>::iter_keys() {
		if !KeyEscrow::is_releasable(&escrow) {
			continue;
		}
		let Some(record) = KeyEscrow::escrow(&escrow) else { continue };
		for (index, slot) in record.custodians.iter().enumerate() {
			let index = index as u32;
			if slot.account == custodian &&
				slot.acknowledged && !Releases::<T>::contains_key(escrow, index)
			{
				pending.push((escrow, index));
			}
		}
	}
	pending
}

/// `pending_evaluations` as it was before the index: a walk over every open guess.
fn pending_evaluations_by_walk(custodian: u64) -> Vec<(EscrowId, u32, u32, H256)> {
	if MockCertificates::custodian_key(&custodian, now()).is_none() {
		return Vec::new();
	}
	let mut pending = Vec::new();
	for (escrow, id, guess) in Guesses::<T>::iter() {
		let Some(record) = KeyEscrow::escrow(&escrow) else { continue };
		for (index, slot) in record.custodians.iter().enumerate() {
			let index = index as u32;
			if slot.account == custodian &&
				slot.acknowledged && !Evaluations::<T>::contains_key((escrow, id), index)
			{
				pending.push((escrow, id, index, guess.blinded));
			}
		}
	}
	pending
}

/// Every account that may hold a slot.
fn accounts() -> impl Iterator<Item = u64> {
	(0..MAX_CUSTODIANS as u64).map(custodian).chain([OWNER, REQUESTER, STRANGER])
}

/// The index holds exactly the expected entries, and for every account both answers equal the
/// walks', in the same order.
fn check() {
	assert_eq!(index(), expected_index());
	for who in accounts() {
		assert_eq!(KeyEscrow::pending_releases(&who), pending_releases_by_walk(who), "{who}");
		let evaluations = pending_evaluations_by_walk(who);
		assert_eq!(KeyEscrow::pending_evaluations(&who), evaluations, "{who}");
	}
}

/// `escrow`'s entry for each of `accounts`.
fn entries(
	escrow: EscrowId,
	accounts: impl IntoIterator<Item = u64>,
) -> BTreeSet<(u64, EscrowId)> {
	accounts.into_iter().map(|who| (who, escrow)).collect()
}

/// `who` records a guess on `escrow`; returns its id.
fn guess(who: u64, escrow: EscrowId, byte: u8) -> u32 {
	let id = GuessCounters::<T>::get(escrow).next_id;
	assert_ok!(KeyEscrow::record_guess(signed(who), escrow, H256::repeat_byte(byte)));
	id
}

/// Slot `index` (held by `custodian(index)` in the helpers' splits) evaluates guess `id`.
fn evaluate(escrow: EscrowId, id: u32, index: u32) {
	assert_ok!(KeyEscrow::record_evaluation(
		signed(custodian(index as u64)),
		escrow,
		id,
		index,
		[index as u8 + 1; OPRF_EVALUATION_LEN]
	));
}

/// A 2-of-n on-chain split whose slots are held by `accounts`.
fn split_for(accounts: &[u64]) -> SplitOf<T> {
	let mut split = split(2, accounts.len() as u64, StorageMode::OnChain);
	split.custodians = BoundedVec::try_from(accounts.to_vec()).unwrap();
	split
}

/// A request indexes the escrow's custodians while it is open (approval, delay, releases,
/// completion) and its close removes them.
#[test]
fn a_request_indexes_its_custodians_until_it_is_closed() {
	new_test_ext().execute_with(|| {
		let escrow = create(); // custodians 0..5
		check();
		assert!(index().is_empty());
		initiate(escrow);
		assert_eq!(index(), entries(escrow, (0..5).map(custodian)));
		assert!(work_of(custodian(5)).is_empty());
		check();
		assert_ok!(KeyEscrow::approve_recovery(signed(GUARDIAN_A), escrow, open_nonce(escrow)));
		check();
		go_to(now() + 2);
		assert_eq!(KeyEscrow::pending_releases(&custodian(0)), vec![(escrow, 0)]);
		check();
		for i in 0..5u32 {
			assert_ok!(KeyEscrow::release_share(
				signed(custodian(i as u64)),
				escrow,
				open_nonce(escrow),
				i,
				payload(1)
			));
			check();
		}
		// Completed but still open: still indexed, nothing left to release.
		assert_eq!(index(), entries(escrow, (0..5).map(custodian)));
		assert!(KeyEscrow::pending_releases(&custodian(0)).is_empty());
		assert_ok!(KeyEscrow::close_recovery(signed(REQUESTER), escrow));
		assert!(index().is_empty());
		check();
	});
}

/// Cancelling, expiring and displacing requests keep the index exact.
#[test]
fn cancel_expiry_and_displacement_keep_the_index_exact() {
	new_test_ext().execute_with(|| {
		let escrow = create();
		let all = entries(escrow, (0..5).map(custodian));
		initiate(escrow);
		assert_ok!(KeyEscrow::approve_recovery(signed(GUARDIAN_A), escrow, open_nonce(escrow)));
		assert_eq!(index(), all);
		assert_ok!(KeyEscrow::cancel_recovery(signed(OWNER), escrow));
		assert!(index().is_empty());
		check();

		go_to(FailedAttempts::<T>::get(escrow).unwrap().next_allowed);
		initiate(escrow);
		assert_ok!(KeyEscrow::approve_recovery(signed(GUARDIAN_A), escrow, open_nonce(escrow)));
		go_to(Requests::<T>::get(escrow).unwrap().expires_at);
		check();
		assert_ok!(KeyEscrow::expire_recovery(signed(STRANGER), escrow));
		assert!(index().is_empty());
		check();

		// A stranger's factorless request displaced by a signed one: open throughout.
		go_to(FailedAttempts::<T>::get(escrow).unwrap().next_allowed);
		assert_ok!(KeyEscrow::initiate_recovery(signed(STRANGER), escrow, ONE_TIME_KEY, None));
		assert_eq!(index(), all);
		let signature = sign_request(&recovery_pair(), escrow, REQUESTER, ONE_TIME_KEY);
		assert_ok!(KeyEscrow::initiate_recovery(
			signed(REQUESTER),
			escrow,
			ONE_TIME_KEY,
			Some(signature)
		));
		assert!(has_event(Event::RecoveryDisplaced { escrow, requester: STRANGER }));
		assert_eq!(index(), all);
		check();
		assert_ok!(KeyEscrow::close_recovery(signed(REQUESTER), escrow));
		assert!(index().is_empty());
		check();
	});
}

/// Guesses index the escrow's custodians, acknowledged or not, until they end (unlock, a valid
/// recovery-key signature, re-split, removal); an evaluated guess stays open, and indexed, but
/// is no longer pending; a request and guesses together keep the entries until both end.
#[test]
fn guesses_index_their_escrow_until_they_end() {
	new_test_ext().execute_with(|| {
		let escrow = create(); // custodians 0..5, three guesses
		let held = create_held(STRANGER); // custodians 0..3, none acknowledged
		let all = entries(escrow, (0..5).map(custodian));
		let first = guess(REQUESTER, escrow, 1);
		assert_eq!(index(), all);
		check();
		// Unacknowledged slots are indexed but list nothing.
		guess(REQUESTER, held, 2);
		assert_eq!(work_of(custodian(1)).len(), 2);
		assert!(KeyEscrow::pending_evaluations(&custodian(1))
			.iter()
			.all(|(e, ..)| *e == escrow));
		check();
		for slot in 0..5 {
			evaluate(escrow, first, slot);
		}
		assert!(index().is_superset(&all));
		assert!(KeyEscrow::pending_evaluations(&custodian(4)).is_empty());
		check();
		assert_ok!(KeyEscrow::unlock_escrow(signed(OWNER), escrow));
		assert_eq!(index(), entries(held, (0..3).map(custodian)));
		check();
		assert_ok!(KeyEscrow::unlock_escrow(signed(STRANGER), held));
		assert!(index().is_empty());

		// A guess and a request together: ending either alone leaves the entries.
		guess(STRANGER, escrow, 3);
		initiate(escrow);
		assert_ok!(KeyEscrow::close_recovery(signed(REQUESTER), escrow));
		assert_eq!(index(), all);
		check();
		// A valid signature ends the guesses but opens a request.
		let signature = sign_request(&recovery_pair(), escrow, REQUESTER, ONE_TIME_KEY);
		assert_ok!(KeyEscrow::initiate_recovery(
			signed(REQUESTER),
			escrow,
			ONE_TIME_KEY,
			Some(signature)
		));
		assert!(KeyEscrow::guesses(&escrow).is_empty());
		assert_eq!(index(), all);
		check();
		guess(STRANGER, escrow, 4);
		assert_ok!(KeyEscrow::close_recovery(signed(REQUESTER), escrow));
		assert_eq!(index(), all);
		assert_ok!(KeyEscrow::unlock_escrow(signed(OWNER), escrow));
		assert!(index().is_empty());
		check();
	});
}

/// A re-split ends the guesses and drops the old slots' entries; later work indexes the new
/// slots only. Removing an escrow drops its entries.
#[test]
fn reshare_and_removal_drop_the_old_slots() {
	new_test_ext().execute_with(|| {
		let escrow = create(); // custodians 0..5
		guess(REQUESTER, escrow, 1);
		assert_eq!(index(), entries(escrow, (0..5).map(custodian)));
		let new_slots = [custodian(6), custodian(4), custodian(5)];
		assert_ok!(KeyEscrow::reshare(signed(OWNER), escrow, split_for(&new_slots), None));
		assert!(index().is_empty());
		check();
		guess(REQUESTER, escrow, 2);
		assert_eq!(index(), entries(escrow, new_slots));
		assert!(work_of(custodian(0)).is_empty());
		assert_eq!(KeyEscrow::pending_evaluations(&custodian(6)).len(), 1);
		check();
		// Re-split again, back to custodians 0..5, with a guess open.
		assert_ok!(KeyEscrow::reshare(
			signed(OWNER),
			escrow,
			split(3, 5, StorageMode::OnChain),
			None
		));
		assert!(index().is_empty());
		guess(REQUESTER, escrow, 3);
		assert_eq!(index(), entries(escrow, (0..5).map(custodian)));

		assert_ok!(KeyEscrow::remove_escrow(signed(OWNER), escrow));
		assert!(index().is_empty());
		check();
	});
}

/// An account holding several slots of one escrow has one entry, and is listed for each of its
/// slots (the pallet refuses such splits, but the index must not depend on it).
#[test]
fn an_account_in_several_slots_has_one_entry_and_every_slot_listed() {
	new_test_ext().execute_with(|| {
		let escrow = create();
		Escrows::<T>::mutate(escrow, |entry| {
			entry.as_mut().unwrap().0.custodians[1].account = custodian(0);
		});
		let id = guess(REQUESTER, escrow, 1);
		assert_eq!(work_of(custodian(0)), vec![escrow]);
		assert_eq!(index().len(), 4);
		let blinded = H256::repeat_byte(1);
		assert_eq!(
			KeyEscrow::pending_evaluations(&custodian(0)),
			vec![(escrow, id, 0, blinded), (escrow, id, 1, blinded)]
		);
		evaluate(escrow, id, 0);
		assert_eq!(KeyEscrow::pending_evaluations(&custodian(0)), vec![(escrow, id, 1, blinded)]);
		check();

		make_releasable(escrow);
		assert_eq!(KeyEscrow::pending_releases(&custodian(0)), vec![(escrow, 0), (escrow, 1)]);
		check();
		assert_ok!(KeyEscrow::close_recovery(signed(REQUESTER), escrow));
		assert_ok!(KeyEscrow::unlock_escrow(signed(OWNER), escrow));
		assert!(work_of(custodian(0)).is_empty());
		assert!(index().is_empty());
		check();
	});
}

/// With many other escrows holding open requests and guesses that do not name custodian X,
/// X's part of the index holds only X's own escrows with open work: that is all its pending
/// questions read, however many other escrows there are.
#[test]
fn a_custodians_entries_are_only_its_own_escrows() {
	new_test_ext().execute_with(|| {
		const OTHERS: u64 = 40;
		let policy = guardian_policy;
		let x = custodian(6);
		let mut others = Vec::new();
		for i in 0..OTHERS {
			let owner = 100 + i;
			Balances::set_balance(&owner, START_BALANCE);
			let escrow = create_as(owner, FINGERPRINT, split(3, 5, StorageMode::OnChain), policy());
			guess(REQUESTER, escrow, 1);
			if i % 2 == 0 {
				initiate(escrow);
				let nonce = open_nonce(escrow);
				assert_ok!(KeyEscrow::approve_recovery(signed(GUARDIAN_A), escrow, nonce));
			}
			others.push(escrow);
		}
		// X holds slots of three escrows: one with a guess, one with a request, one idle.
		let own_escrow = |owner, byte, slots: &[u64]| {
			create_as(owner, H256::repeat_byte(byte), split_for(slots), policy())
		};
		let with_guess = own_escrow(OWNER, 0xa1, &[x, custodian(0)]);
		let with_request = own_escrow(OWNER, 0xa2, &[custodian(1), x]);
		let idle = own_escrow(STRANGER, 0xa3, &[x, custodian(2)]);
		let id = guess(REQUESTER, with_guess, 9);
		initiate(with_request);
		let nonce = open_nonce(with_request);
		assert_ok!(KeyEscrow::approve_recovery(signed(GUARDIAN_A), with_request, nonce));
		go_to(now() + 2);

		let mut own = work_of(x);
		own.sort();
		let mut expected = vec![with_guess, with_request];
		expected.sort();
		assert_eq!(own, expected);
		assert!(!own.contains(&idle));
		let blinded = H256::repeat_byte(9);
		assert_eq!(KeyEscrow::pending_evaluations(&x), vec![(with_guess, id, 0, blinded)]);
		assert_eq!(KeyEscrow::pending_releases(&x), vec![(with_request, 1)]);
		// The other escrows are indexed, under their own custodians only.
		assert_eq!(work_of(custodian(3)).len(), OTHERS as usize);
		assert!(others.iter().all(|escrow| !CustodianWork::<T>::contains_key(x, escrow)));
		check();
	});
}
