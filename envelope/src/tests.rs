//! Whole-escrow tests: seal, a counted guess through `t` custodians' OPRF evaluations,
//! custodian open, release, open, combine; every way a share can go wrong on that path; and
//! what public data plus fewer than `t` custodians can (not) do with a guess. Layer-specific
//! tests live next to each layer.

use core::convert::Infallible;

use custos_primitives::{EscrowId, H256};
use hpke::rand_core::{TryCryptoRng, TryRng};

use crate::*;

/// Small Argon2 parameters, so the tests stay fast; the function is the same.
pub(crate) fn small_params() -> KdfParams {
	KdfParams {
		algorithm: KdfAlgorithm::Argon2id,
		memory_kib: 64,
		iterations: 2,
		parallelism: 2,
		salt: *b"custos-test-salt",
	}
}

/// An "RNG" that yields fixed bytes, for known-answer tests of randomized sealing.
pub(crate) struct FixedRng {
	bytes: Vec<u8>,
}

impl FixedRng {
	pub(crate) fn new(bytes: &[u8]) -> Self {
		Self { bytes: bytes.to_vec() }
	}
}

impl TryRng for FixedRng {
	type Error = Infallible;

	fn try_next_u32(&mut self) -> Result<u32, Infallible> {
		let mut buf = [0u8; 4];
		self.try_fill_bytes(&mut buf)?;
		Ok(u32::from_le_bytes(buf))
	}

	fn try_next_u64(&mut self) -> Result<u64, Infallible> {
		let mut buf = [0u8; 8];
		self.try_fill_bytes(&mut buf)?;
		Ok(u64::from_le_bytes(buf))
	}

	fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Infallible> {
		assert!(dst.len() <= self.bytes.len(), "FixedRng ran out of bytes");
		let rest = self.bytes.split_off(dst.len());
		dst.copy_from_slice(&self.bytes);
		self.bytes = rest;
		Ok(())
	}
}

impl TryCryptoRng for FixedRng {}

const GENESIS: H256 = H256([0xaa; 32]);
const ESCROW: EscrowId = H256([0xbb; 32]);
const GENERATION: u32 = 7;
const OWNER: [u8; 32] = [0x0c; 32];

const PASSPHRASE: &[u8] = b"correct horse battery staple";

fn passphrase_hash(passphrase: &[u8]) -> PassphraseHash {
	PassphraseHash::derive(passphrase, &OWNER, &small_params()).unwrap()
}

fn ctx(index: u32) -> ShareContext {
	ShareContext::new(GENESIS, ESCROW, GENERATION, index)
}

/// An escrow as the chain would see it, with its custodians' secrets and the owner's P.
struct Fixture {
	custodians: Vec<CustodianSecret>,
	sealed: SealedEscrow,
	threshold: u8,
	protection: ProtectionKey,
}

fn fixture(secret: &[u8], threshold: u8, n: usize) -> Fixture {
	let custodians: Vec<_> = (0..n).map(|_| CustodianSecret::generate()).collect();
	let publics: Vec<_> = custodians.iter().map(CustodianSecret::public).collect();
	let (sealed, protection) = seal_escrow(
		secret,
		threshold,
		&publics,
		&passphrase_hash(PASSPHRASE),
		GENESIS,
		ESCROW,
		GENERATION,
	)
	.unwrap();
	assert_eq!(sealed.sealed.len(), n);
	assert_eq!(sealed.commitments.len(), n);
	assert_eq!(sealed.oprf_keys.len(), n);
	Fixture { custodians, sealed, threshold, protection }
}

/// What custodian `slot` holds, opened and checked against the chain's `K_i`.
fn custodian_share(f: &Fixture, slot: usize) -> CustodianShare {
	let share = open_as_custodian(&f.custodians[slot], &ctx(slot as u32), &f.sealed.sealed[slot])
		.unwrap();
	share.check_oprf_key(&f.sealed.oprf_keys[slot]).unwrap();
	share
}

/// What a custodian node does at recovery: open, check the commitment, re-seal the inner
/// ciphertext only.
fn custodian_release(f: &Fixture, slot: usize, one_time_public: &X25519PublicKey) -> ReleasedShare {
	let ctx = ctx(slot as u32);
	let share = custodian_share(f, slot);
	assert_eq!(commitment(&ctx, &share.inner), f.sealed.commitments[slot]);
	seal_release(one_time_public, &ctx, &share.inner).unwrap()
}

/// A requester's counted guess: blind h(passphrase), have the custodians of `slots` evaluate
/// it, check and combine their evaluations, and derive P.
fn guess(f: &Fixture, passphrase: &[u8], slots: &[usize]) -> Result<ProtectionKey> {
	let hash = passphrase_hash(passphrase);
	let (blind, blinded) = oprf::blind(hash.as_bytes())?;
	let evaluations: Vec<_> = slots
		.iter()
		.map(|&slot| {
			let evaluation = oprf::evaluate(&custodian_share(f, slot).oprf_key, &blinded);
			(evaluation, f.sealed.oprf_keys[slot])
		})
		.collect();
	let output =
		oprf::combine_and_finalize(hash.as_bytes(), &blind, &blinded, &evaluations, f.threshold)?;
	Ok(ProtectionKey::from_oprf(&hash, &output))
}

/// The owner's recovery seed (the policy's check value, as public as its sr25519 public key).
fn recovery_check(key: &ProtectionKey) -> [u8; 32] {
	*key.recovery_seed()
}

/// All orderings of all `k`-subsets of `0..n`.
fn arrangements(n: usize, k: usize) -> Vec<Vec<usize>> {
	if k == 0 {
		return vec![vec![]];
	}
	let mut out = Vec::new();
	for rest in arrangements(n, k - 1) {
		for i in (0..n).filter(|i| !rest.contains(i)) {
			let mut next = rest.clone();
			next.push(i);
			out.push(next);
		}
	}
	out
}

#[test]
fn any_threshold_of_n_in_any_order_rebuilds_32_and_64_byte_secrets() {
	let secret32: Vec<u8> = (0..32).map(|i| i * 7 + 3).collect();
	let secret64: Vec<u8> = (0..64).map(|i| 255 - i * 3).collect();
	for secret in [&secret32, &secret64] {
		for (t, n) in [(2u8, 2usize), (2, 3), (3, 5), (4, 4)] {
			let f = fixture(secret, t, n);
			// The requester's P from the first t custodians' evaluations is the owner's.
			let slots: Vec<usize> = (0..usize::from(t)).collect();
			let key = guess(&f, PASSPHRASE, &slots).unwrap();
			assert_eq!(recovery_check(&key), recovery_check(&f.protection));
			let one_time = OneTimeKey::generate();
			let shares: Vec<Share> = (0..n)
				.map(|slot| {
					let payload = custodian_release(&f, slot, &one_time.public());
					let share = open_released_share(
						&one_time,
						&key,
						&ctx(slot as u32),
						&payload,
						&f.sealed.commitments[slot],
					)
					.unwrap();
					assert_eq!(share.x() as usize, slot + 1);
					share
				})
				.collect();
			for k in usize::from(t)..=n {
				for order in arrangements(n, k) {
					let set: Vec<Share> = order.iter().map(|&i| shares[i].clone()).collect();
					assert_eq!(
						combine(&set, t).unwrap().as_slice(),
						secret.as_slice(),
						"{order:?}"
					);
				}
			}
			// And fewer than t never gives a secret, right or wrong.
			for order in arrangements(n, usize::from(t) - 1) {
				let set: Vec<Share> = order.iter().map(|&i| shares[i].clone()).collect();
				assert_eq!(
					combine(&set, t).unwrap_err(),
					Error::NotEnoughShares { need: t, have: usize::from(t) - 1 }
				);
			}
		}
	}
}

#[test]
fn every_threshold_subset_of_custodians_gives_the_owners_protection_key() {
	// The requester recreates P from a guess at recovery: any t (or more) custodians, in any
	// order, give the owner's P; a wrong passphrase gives another P.
	let f = fixture(&[3; 32], 3, 5);
	let owner = recovery_check(&f.protection);
	for k in 3..=5 {
		for slots in arrangements(5, k).into_iter().step_by(7) {
			assert_eq!(recovery_check(&guess(&f, PASSPHRASE, &slots).unwrap()), owner, "{slots:?}");
		}
	}
	let wrong = guess(&f, b"correct horse battery stapler", &[0, 1, 2]).unwrap();
	assert_ne!(recovery_check(&wrong), owner);
}

#[test]
fn public_data_and_fewer_than_t_custodians_cannot_check_a_guess() {
	// Everything public (sealed shares, commitments, K_i, the recovery key, releases of an
	// earlier request) plus t - 1 custodians' secrets (their k_i and inner ciphertexts): the
	// attacker holds the right passphrase and a wrong one and must tell which is right.
	let f = fixture(&[0x77; 32], 3, 5);
	let colluding = [0usize, 3];
	let shares: Vec<CustodianShare> = colluding.iter().map(|&slot| custodian_share(&f, slot)).collect();
	let owner = recovery_check(&f.protection);

	let attempt = |passphrase: &[u8]| -> Vec<String> {
		let hash = passphrase_hash(passphrase);
		let mut outcomes = Vec::new();
		// 1. The threshold combination refuses t - 1 evaluations outright.
		let (blind, blinded) = oprf::blind(hash.as_bytes()).unwrap();
		let evaluations: Vec<_> = shares
			.iter()
			.map(|share| {
				(oprf::evaluate(&share.oprf_key, &blinded), f.sealed.oprf_keys[share.oprf_key.index() as usize])
			})
			.collect();
		outcomes.push(
			oprf::combine_and_finalize(hash.as_bytes(), &blind, &blinded, &evaluations, 3)
				.map(|_| ())
				.unwrap_err()
				.to_string(),
		);
		// 2. Interpolating the t - 1 shares as if the threshold were t - 1 gives some y', and
		//    from it a P' that matches nothing: not the recovery key, and no inner layer the
		//    colluders hold opens under it.
		let guessed =
			oprf::combine_and_finalize(hash.as_bytes(), &blind, &blinded, &evaluations, 2)
				.unwrap();
		let key = ProtectionKey::from_oprf(&hash, &guessed);
		outcomes.push(format!("recovery key matches: {}", recovery_check(&key) == owner));
		for share in &shares {
			let slot = share.oprf_key.index();
			outcomes.push(open_inner(&key, &ctx(slot), &share.inner).map(|_| ()).unwrap_err().to_string());
		}
		// 3. Without any OPRF output at all (y = 0, or y = H(h)), the same.
		for y in [[0u8; 64], [0x5a; 64]] {
			let key = ProtectionKey::from_oprf(&hash, &oprf::OprfOutput::from_bytes(y));
			outcomes.push(format!("recovery key matches: {}", recovery_check(&key) == owner));
			outcomes.push(open_inner(&key, &ctx(0), &shares[0].inner).map(|_| ()).unwrap_err().to_string());
		}
		outcomes
	};
	let right = attempt(PASSPHRASE);
	let wrong = attempt(b"correct horse battery stapler");
	assert_eq!(right, wrong, "the right and a wrong passphrase must fail identically");
	assert_eq!(right[0], "need OPRF evaluations from 3 distinct slots, have 2");
	assert!(right.iter().skip(1).all(|o| o.contains("false") || o.contains("does not open")));
	// With the t-th custodian, the right passphrase does check out (the test is not vacuous).
	assert_eq!(recovery_check(&guess(&f, PASSPHRASE, &[0, 3, 4]).unwrap()), owner);
}

#[test]
fn every_fault_is_named_and_none_yields_a_share() {
	let f = fixture(&[0x5a; 32], 2, 3);
	let key = guess(&f, PASSPHRASE, &[0, 2]).unwrap();
	let one_time = OneTimeKey::generate();
	let slot = 1;
	let payload = custodian_release(&f, slot, &one_time.public());
	let open =
		|one_time: &OneTimeKey, key: &ProtectionKey, ctx: &ShareContext, r: &ReleasedShare| {
			open_released_share(one_time, key, ctx, r, &f.sealed.commitments[ctx.index() as usize])
		};
	assert!(open(&one_time, &key, &ctx(1), &payload).is_ok());

	// Wrong one-time key.
	assert_eq!(
		open(&OneTimeKey::generate(), &key, &ctx(1), &payload).unwrap_err(),
		ShareFault::ReleaseDoesNotOpen { slot: 1 }
	);

	// Every bit of the release flipped.
	for bit in 0..payload.len() * 8 {
		let mut altered = payload.clone().into_bytes();
		altered[bit / 8] ^= 1 << (bit % 8);
		let fault = open(&one_time, &key, &ctx(1), &altered.clone().into()).unwrap_err();
		if bit < 8 {
			assert_eq!(fault, ShareFault::UnsupportedVersion { slot: 1, found: altered[0] });
		} else {
			assert_eq!(fault, ShareFault::ReleaseDoesNotOpen { slot: 1 });
		}
	}

	// Truncated release.
	for len in [0, 1, 48, 49, payload.len() - 1] {
		let truncated = ReleasedShare::from(payload.as_bytes()[..len].to_vec());
		assert_eq!(
			open(&one_time, &key, &ctx(1), &truncated).unwrap_err(),
			ShareFault::ReleaseDoesNotOpen { slot: 1 }
		);
	}

	// The release of slot 1 presented as slot 0 or 2.
	for other in [0, 2] {
		assert_eq!(
			open(&one_time, &key, &ctx(other), &payload).unwrap_err(),
			ShareFault::ReleaseDoesNotOpen { slot: other }
		);
	}

	// The custodian of slot 1 serves slot 0's inner ciphertext (it cannot read either).
	let inner0 = custodian_share(&f, 0).inner;
	let swapped = seal_release(&one_time.public(), &ctx(1), &inner0).unwrap();
	assert_eq!(
		open(&one_time, &key, &ctx(1), &swapped).unwrap_err(),
		ShareFault::CommitmentMismatch { slot: 1 }
	);
	// ... and even if a hostile chain also committed to it, the inner layer is bound to slot 0.
	assert_eq!(
		open_released_share(&one_time, &key, &ctx(1), &swapped, &commitment(&ctx(1), &inner0))
			.unwrap_err(),
		ShareFault::InnerDoesNotOpen { slot: 1 }
	);

	// The custodian serves an inner ciphertext of another escrow or generation.
	let other_escrow = fixture(&[0x5a; 32], 2, 3);
	let foreign = custodian_share(&other_escrow, 1).inner;
	let served = seal_release(&one_time.public(), &ctx(1), &foreign).unwrap();
	assert_eq!(
		open(&one_time, &key, &ctx(1), &served).unwrap_err(),
		ShareFault::CommitmentMismatch { slot: 1 }
	);

	// Wrong passphrase (its counted guess gives another P).
	let wrong = guess(&f, b"correct horse battery stapler", &[0, 1]).unwrap();
	let fault = open(&one_time, &wrong, &ctx(1), &payload).unwrap_err();
	assert_eq!(fault, ShareFault::InnerDoesNotOpen { slot: 1 });
	assert_eq!(fault.to_string(), "share for slot 1 does not open with this passphrase");
	assert_eq!(fault.slot(), 1);
	assert_eq!(Error::from(fault.clone()).to_string(), fault.to_string());

	// Wrong owner account with the right passphrase (h differs, so y and P do).
	let other_hash = PassphraseHash::derive(PASSPHRASE, &[0x0d; 32], &small_params()).unwrap();
	let (blind, blinded) = oprf::blind(other_hash.as_bytes()).unwrap();
	let evaluations: Vec<_> = [0usize, 1]
		.iter()
		.map(|&slot| (oprf::evaluate(&custodian_share(&f, slot).oprf_key, &blinded), f.sealed.oprf_keys[slot]))
		.collect();
	let output =
		oprf::combine_and_finalize(other_hash.as_bytes(), &blind, &blinded, &evaluations, 2).unwrap();
	let other_owner = ProtectionKey::from_oprf(&other_hash, &output);
	assert_eq!(
		open(&one_time, &other_owner, &ctx(1), &payload).unwrap_err(),
		ShareFault::InnerDoesNotOpen { slot: 1 }
	);

	// An authentic inner layer holding another slot's share (a buggy or hostile sealer).
	let share0 = Share::from_bytes(vec![1, 2, 3]).unwrap();
	let misfiled = seal_inner(&key, &ctx(1), &share0);
	let released = seal_release(&one_time.public(), &ctx(1), &misfiled).unwrap();
	assert_eq!(
		open_released_share(&one_time, &key, &ctx(1), &released, &commitment(&ctx(1), &misfiled))
			.unwrap_err(),
		ShareFault::WrongIndex { slot: 1, x: 1, expected: 2 }
	);

	// An inner layer of an unknown version, committed and released faithfully.
	let mut future = custodian_share(&f, 1).inner.into_bytes();
	future[0] = 3;
	let future = InnerCiphertext::from(future);
	let released = seal_release(&one_time.public(), &ctx(1), &future).unwrap();
	assert_eq!(
		open_released_share(&one_time, &key, &ctx(1), &released, &commitment(&ctx(1), &future))
			.unwrap_err(),
		ShareFault::UnsupportedVersion { slot: 1, found: 3 }
	);
}

#[test]
fn custodian_layer_refuses_other_custodians_and_contexts() {
	let f = fixture(&[1; 32], 2, 3);
	// Custodian 0 cannot open slot 1's share, even under slot 1's context.
	assert_eq!(
		open_as_custodian(&f.custodians[0], &ctx(1), &f.sealed.sealed[1]).map(|_| ()),
		Err(Error::SealedShareAltered { slot: 1 })
	);
	// Every bit flip of a sealed share (and so of the k_i inside) is refused.
	let sealed = &f.sealed.sealed[2];
	for bit in 8..sealed.len() * 8 {
		let mut altered = sealed.clone().into_bytes();
		altered[bit / 8] ^= 1 << (bit % 8);
		assert_eq!(
			open_as_custodian(&f.custodians[2], &ctx(2), &altered.into()).map(|_| ()),
			Err(Error::SealedShareAltered { slot: 2 }),
			"bit {bit}"
		);
	}
	// A k_i that is not the slot's K_i (a hostile owner, or a swapped slot) is refused.
	let share = custodian_share(&f, 1);
	assert_eq!(share.check_oprf_key(&f.sealed.oprf_keys[0]), Err(Error::OprfKeyMismatch { slot: 1 }));
	// Nor its own share under another context.
	for other in [
		ShareContext { genesis: H256::zero(), ..ctx(0) },
		ShareContext { escrow: H256::zero(), ..ctx(0) },
		ShareContext { generation: GENERATION + 1, ..ctx(0) },
		ctx(1),
	] {
		assert!(open_as_custodian(&f.custodians[0], &other, &f.sealed.sealed[0]).is_err());
	}
}

#[test]
fn duplicated_and_missing_shares_are_refused_after_opening() {
	let f = fixture(&[9; 64], 3, 5);
	let key = &f.protection;
	let one_time = OneTimeKey::generate();
	let open = |slot: usize| {
		let payload = custodian_release(&f, slot, &one_time.public());
		open_released_share(
			&one_time,
			key,
			&ctx(slot as u32),
			&payload,
			&f.sealed.commitments[slot],
		)
		.unwrap()
	};
	let (s0, s2, s4) = (open(0), open(2), open(4));
	assert_eq!(
		combine(&[s0.clone(), s2.clone(), s2.clone()], 3).unwrap_err(),
		Error::DuplicateShare { x: 3 }
	);
	assert_eq!(
		combine(&[s0.clone(), s4.clone()], 3).unwrap_err(),
		Error::NotEnoughShares { need: 3, have: 2 }
	);
	assert_eq!(combine(&[s0, s2, s4], 3).unwrap().as_slice(), &[9; 64]);
}

#[test]
fn seal_escrow_refuses_bad_input() {
	let key = passphrase_hash(b"pass");
	let publics: Vec<X25519PublicKey> =
		(0..3).map(|_| CustodianSecret::generate().public()).collect();
	let seal = |secret: &[u8], t: u8, publics: &[X25519PublicKey]| {
		seal_escrow(secret, t, publics, &key, GENESIS, ESCROW, GENERATION).map(|(sealed, _)| sealed)
	};
	assert_eq!(seal(&[1], 1, &publics), Err(Error::InvalidThreshold { threshold: 1, n: 3 }));
	assert_eq!(seal(&[1], 4, &publics), Err(Error::InvalidThreshold { threshold: 4, n: 3 }));
	assert_eq!(seal(&[1], 2, &[]), Err(Error::InvalidThreshold { threshold: 2, n: 0 }));
	assert_eq!(seal(&[], 2, &publics), Err(Error::EmptySecret));
	let many = vec![X25519PublicKey::from([9u8; 32]); 256];
	assert_eq!(seal(&[1], 2, &many), Err(Error::InvalidThreshold { threshold: 2, n: 256 }));
	let repeated = [publics[0], publics[1], publics[0]];
	let err = seal(&[1], 2, &repeated).unwrap_err();
	assert_eq!(err, Error::DuplicateCustodian { first: 0, second: 2 });
	assert_eq!(
		err.to_string(),
		"custodian slots 0 and 2 have the same public key; each slot needs its own custodian"
	);
	assert_eq!(
		seal(&[1], 2, &[publics[0], X25519PublicKey::from([0; 32])]),
		Err(Error::UnusablePublicKey { role: "custodian" })
	);
}

#[test]
fn messages_read_as_the_spec_words_them() {
	assert_eq!(
		Error::UnsupportedVersion { found: 7 }.to_string(),
		"unsupported envelope version 7 (this client knows 2)"
	);
	assert_eq!(Error::NotEnoughShares { need: 3, have: 2 }.to_string(), "need 3 shares, have 2");
	assert_eq!(Error::DuplicateShare { x: 2 }.to_string(), "duplicate share x=2");
	assert_eq!(
		Error::SealedShareAltered { slot: 2 }.to_string(),
		"sealed share for slot 2 was altered or sealed to another key"
	);
}
