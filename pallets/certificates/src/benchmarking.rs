//! Benchmarks of the certificates pallet: every call on its worst path.

#![cfg(feature = "runtime-benchmarks")]

use super::*;
use crate::Pallet;
use frame::{benchmarking::prelude::*, traits::fungible::Mutate};
use frame::deps::sp_core::H512;

const SEED: u32 = 0;

fn assert_last_event<T: Config>(generic_event: crate::Event<T>) {
	frame_system::Pallet::<T>::assert_last_event(generic_event.into());
}

fn fund_account<T: Config>(who: &T::AccountId) {
	let balance = BalanceOf::<T>::max_value() / 100_000u32.into();
	T::Currency::mint_into(who, balance).expect("funding account");
}

/// A funded authority.
fn authority<T: Config>(name: &'static str) -> T::AccountId {
	let who: T::AccountId = account(name, 0, SEED);
	fund_account::<T>(&who);
	Pallet::<T>::add_authority(RawOrigin::Root.into(), T::Lookup::unlookup(who.clone()))
		.expect("room for an authority");
	who
}

/// Key type of the sealing keys the benchmarks generate in the keystore.
const BENCH_KEY_TYPE: frame::deps::sp_core::crypto::KeyTypeId =
	frame::deps::sp_core::crypto::KeyTypeId(*b"cbch");

/// A fresh sealing key (the X25519 form of a keystore ed25519 key) and `subject`'s proof of
/// possession of it, signed by the key and by `subject`.
fn sealing_key<T: Config>(subject: &T::AccountId) -> (H256, SealingKeyProofOf<T>) {
	let edwards = frame::deps::sp_io::crypto::ed25519_generate(BENCH_KEY_TYPE, None);
	let edwards_key = H256(edwards.0);
	let key = custos_primitives::x25519_of_ed25519(&edwards_key).expect("a generated key; qed");
	let genesis = frame_system::Pallet::<T>::block_hash(BlockNumberFor::<T>::zero());
	let message = custos_primitives::sealing_key_message(&genesis, subject, &key);
	let key_signature =
		frame::deps::sp_io::crypto::ed25519_sign(BENCH_KEY_TYPE, &edwards, &message)
			.expect("the key was generated in the keystore; qed");
	let subject_signature = T::BenchmarkHelper::sign(subject, &message);
	(key, SealingKeyProof { edwards_key, key_signature: H512(key_signature.0), subject_signature })
}

/// `MaxKeys` distinct keys, the first of them `sealing` (an X25519 key, whose proof is the
/// most expensive to check) if given, otherwise signing keys only.
fn max_keys<T: Config>(salt: u8, sealing: Option<H256>) -> KeysOf<T> {
	let max = T::MaxKeys::get();
	let keys = (0..max)
		.map(|i| {
			let mut raw = [salt; 32];
			raw[..4].copy_from_slice(&i.to_le_bytes());
			match (i, sealing) {
				(0, Some(key)) => PublicKey::X25519(key),
				(i, _) if i % 2 == 1 => PublicKey::Sr25519(H256(raw)),
				_ => PublicKey::Ed25519(H256(raw)),
			}
		})
		.collect::<Vec<_>>();
	keys.try_into().expect("exactly MaxKeys keys; qed")
}

/// `MaxKeys` keys with a fresh sealing key first, and `subject`'s proof of possession of it.
fn custodian_keys<T: Config>(
	subject: &T::AccountId,
	salt: u8,
) -> (KeysOf<T>, Option<SealingKeyProofOf<T>>) {
	let (key, proof) = sealing_key::<T>(subject);
	(max_keys::<T>(salt, Some(key)), Some(proof))
}

/// Issue `subject` a `role` certificate with the most keys (a custodian's with its sealing key
/// and proof), the longest validity and a measurement.
fn issue<T: Config>(ca: &T::AccountId, subject: &T::AccountId, role: Role) -> CertificateId {
	let (keys, proof) = match role {
		Role::Custodian => custodian_keys::<T>(subject, 1),
		_ => (max_keys::<T>(1, None), None),
	};
	Pallet::<T>::issue_certificate(
		RawOrigin::Signed(ca.clone()).into(),
		T::Lookup::unlookup(subject.clone()),
		role,
		keys,
		Some(H256::repeat_byte(0xaa)),
		T::MaxValidity::get(),
		proof,
	)
	.expect("issuing the certificate");
	NextCertificateId::<T>::get() - 1
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn add_authority() {
		let who: T::AccountId = account("authority", 0, SEED);
		let lookup = T::Lookup::unlookup(who.clone());

		#[extrinsic_call]
		_(RawOrigin::Root, lookup);

		assert!(Pallet::<T>::is_authority(&who));
		assert_last_event::<T>(Event::<T>::AuthorityAdded { who });
	}

	#[benchmark]
	fn remove_authority() {
		let who = authority::<T>("authority");
		let lookup = T::Lookup::unlookup(who.clone());

		#[extrinsic_call]
		_(RawOrigin::Root, lookup);

		assert!(!Pallet::<T>::is_authority(&who));
		assert_last_event::<T>(Event::<T>::AuthorityRemoved { who });
	}

	/// Worst case: the subject has a current certificate of the role (expired, so reading it
	/// does not refuse), the new one has the most keys.
	#[benchmark]
	fn issue_certificate() {
		let ca = authority::<T>("ca");
		let subject = T::BenchmarkHelper::subject();
		issue::<T>(&ca, &subject, Role::Custodian);
		let now = T::BlockNumberProvider::current_block_number();
		T::BlockNumberProvider::set_block_number(now.saturating_add(T::MaxValidity::get()));
		let lookup = T::Lookup::unlookup(subject.clone());
		let (keys, proof) = custodian_keys::<T>(&subject, 2);
		let valid_for = T::MaxValidity::get();

		#[extrinsic_call]
		_(
			RawOrigin::Signed(ca.clone()),
			lookup,
			Role::Custodian,
			keys,
			Some(H256::repeat_byte(0xbb)),
			valid_for,
			proof,
		);

		let id = NextCertificateId::<T>::get() - 1;
		assert!(Pallet::<T>::is_valid(
			&subject,
			Role::Custodian,
			T::BlockNumberProvider::current_block_number()
		));
		let valid_until = T::BlockNumberProvider::current_block_number().saturating_add(valid_for);
		assert_last_event::<T>(Event::<T>::CertificateIssued {
			id,
			subject,
			role: Role::Custodian,
			issuer: ca,
			valid_until,
		});
	}

	#[benchmark]
	fn reissue_certificate() {
		let ca = authority::<T>("ca");
		let subject = T::BenchmarkHelper::subject();
		let old = issue::<T>(&ca, &subject, Role::Custodian);
		let (keys, proof) = custodian_keys::<T>(&subject, 2);

		#[extrinsic_call]
		_(
			RawOrigin::Signed(ca.clone()),
			old,
			keys,
			Some(H256::repeat_byte(0xbb)),
			T::MaxValidity::get(),
			proof,
		);

		let new = NextCertificateId::<T>::get() - 1;
		assert_eq!(CurrentCertificate::<T>::get(&subject, Role::Custodian), Some(new));
		assert_last_event::<T>(Event::<T>::CertificateReissued { old, new });
	}

	/// Worst case: revoked by an authority that is neither the subject nor the issuer, which
	/// may because the issuer is no longer an authority (so both are read).
	#[benchmark]
	fn revoke_certificate() {
		let ca = authority::<T>("ca");
		let old_ca = authority::<T>("old-ca");
		let subject = T::BenchmarkHelper::subject();
		let id = issue::<T>(&old_ca, &subject, Role::Custodian);
		Pallet::<T>::remove_authority(RawOrigin::Root.into(), T::Lookup::unlookup(old_ca))
			.expect("removing the issuer");
		let reason = RevocationReason::KeyCompromise;

		#[extrinsic_call]
		_(RawOrigin::Signed(ca.clone()), id, reason);

		assert!(!Pallet::<T>::is_valid(
			&subject,
			Role::Custodian,
			T::BlockNumberProvider::current_block_number()
		));
		assert_last_event::<T>(Event::<T>::CertificateRevoked { id, reason, by: ca });
	}

	/// Worst case: the removed certificate is the current one, so the index is cleared too.
	#[benchmark]
	fn remove_certificate() {
		let ca = authority::<T>("ca");
		let subject = T::BenchmarkHelper::subject();
		let id = issue::<T>(&ca, &subject, Role::Custodian);
		Pallet::<T>::revoke_certificate(
			RawOrigin::Signed(ca.clone()).into(),
			id,
			RevocationReason::CessationOfOperation,
		)
		.expect("revoking");
		let caller: T::AccountId = whitelisted_caller();

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), id);

		assert!(!Certificates::<T>::contains_key(id));
		assert!(!CurrentCertificate::<T>::contains_key(&subject, Role::Custodian));
		assert_last_event::<T>(Event::<T>::CertificateRemoved { id });
	}

	/// Worst case: the caller is an attestor (not an authority, so its certificate and that
	/// certificate's issuer are read) and writes a new record, taking a new deposit. Another
	/// issuer's record for the same escrow and requester is left alone.
	#[benchmark]
	fn authorize_recovery() {
		let ca = authority::<T>("ca");
		let other = authority::<T>("other");
		let attestor: T::AccountId = account("attestor", 0, SEED);
		fund_account::<T>(&attestor);
		issue::<T>(&ca, &attestor, Role::Attestor);
		let escrow = H256::repeat_byte(0xee);
		let requester: T::AccountId = account("requester", 0, SEED);
		let valid_for = T::MaxAuthorizationValidity::get();
		Pallet::<T>::authorize_recovery(
			RawOrigin::Signed(other.clone()).into(),
			escrow,
			T::Lookup::unlookup(requester.clone()),
			valid_for,
		)
		.expect("the other issuer's authorization");
		let lookup = T::Lookup::unlookup(requester.clone());

		#[extrinsic_call]
		_(RawOrigin::Signed(attestor.clone()), escrow, lookup, valid_for);

		let now = T::BlockNumberProvider::current_block_number();
		let expires_at = now.saturating_add(valid_for);
		assert_last_event::<T>(Event::<T>::RecoveryAuthorized {
			escrow,
			requester: requester.clone(),
			issuer: attestor.clone(),
			expires_at,
		});
		assert!(Pallet::<T>::recovery_authorized_by(&escrow, &requester, &attestor, now));
		assert!(Pallet::<T>::recovery_authorized_by(&escrow, &requester, &other, now));
	}

	/// Worst case: the clean-up by an authority that is not the issuer, of an unexpired record
	/// that no longer counts, found out at the highest cost: its issuer is an attestor (not an
	/// authority) whose certificate, in its window and unrevoked, was issued by an authority
	/// since removed.
	#[benchmark]
	fn revoke_authorization() {
		let ca = authority::<T>("ca");
		let old_ca = authority::<T>("old-ca");
		let issuer: T::AccountId = account("attestor", 0, SEED);
		fund_account::<T>(&issuer);
		issue::<T>(&old_ca, &issuer, Role::Attestor);
		let escrow = H256::repeat_byte(0xee);
		let requester: T::AccountId = account("requester", 0, SEED);
		Pallet::<T>::authorize_recovery(
			RawOrigin::Signed(issuer.clone()).into(),
			escrow,
			T::Lookup::unlookup(requester.clone()),
			T::MaxAuthorizationValidity::get(),
		)
		.expect("authorizing");
		Pallet::<T>::remove_authority(RawOrigin::Root.into(), T::Lookup::unlookup(old_ca))
			.expect("removing the attestor's authority");
		let lookup = T::Lookup::unlookup(requester.clone());
		let issuer_lookup = T::Lookup::unlookup(issuer.clone());

		#[extrinsic_call]
		_(RawOrigin::Signed(ca), escrow, lookup, issuer_lookup);

		assert!(!Authorizations::<T>::contains_key((escrow, requester.clone()), &issuer));
		assert_last_event::<T>(Event::<T>::AuthorizationRevoked { escrow, requester, issuer });
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
