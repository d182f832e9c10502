//! Known-answer tests against RFC 9380 and RFC 9497, and the threshold protocol: every
//! `t`-subset gives the single-key output, and every way an evaluation can go wrong is caught
//! and blamed on the right slot.

use curve25519_dalek::{RistrettoPoint, Scalar};

use super::{
	client::{blind_with_scalar, finalize, lagrange_at_zero, unblind_and_hash},
	dleq::{generate_proof_with_r, verify_proof},
	element::Element,
	evaluate::{blind_evaluate, evaluate_with},
	key::{evaluate_unblinded_in_mode, split_key_with},
	suite::{expand_message_xmd, hash_to_group, MODE_OPRF, MODE_VOPRF},
	*,
};
use crate::{random, Error};

fn bytes<const N: usize>(hex_str: &str) -> [u8; N] {
	hex::decode(hex_str).unwrap().try_into().unwrap()
}

fn scalar(hex_str: &str) -> Scalar {
	Option::from(Scalar::from_canonical_bytes(bytes(hex_str))).unwrap()
}

/// A `fill` that yields `scalar || 0^32`, so `RandomScalar` returns exactly `scalar`.
fn fixed(scalar: Scalar) -> impl FnMut(&mut [u8]) {
	move |buf: &mut [u8]| {
		assert_eq!(buf.len(), 64, "RandomScalar draws 64 bytes");
		buf[..32].copy_from_slice(scalar.as_bytes());
		buf[32..].fill(0);
	}
}

// ---- RFC 9380 Appendix K.3: expand_message_xmd(SHA-512) ----

#[test]
fn expand_message_xmd_sha512_matches_rfc9380_k3() {
	let dst = b"QUUX-V01-CS02-with-expander-SHA512-256";
	let q128 = [&b"q128_"[..], &[b'q'; 128]].concat();
	let a512 = [&b"a512_"[..], &[b'a'; 512]].concat();
	let cases: [(&[u8], usize, &str); 8] = [
		(b"", 32, "6b9a7312411d92f921c6f68ca0b6380730a1a4d982c507211a90964c394179ba"),
		(b"abc", 32, "0da749f12fbe5483eb066a5f595055679b976e93abe9be6f0f6318bce7aca8dc"),
		(
			b"abcdef0123456789",
			32,
			"087e45a86e2939ee8b91100af1583c4938e0f5fc6c9db4b107b83346bc967f58",
		),
		(&q128, 32, "7336234ee9983902440f6bc35b348352013becd88938d2afec44311caf8356b3"),
		(&a512, 32, "57b5f7e766d5be68a6bfe1768e3c2b7f1228b3e4b3134956dd73a59b954c66f4"),
		(
			b"",
			128,
			"41b037d1734a5f8df225dd8c7de38f851efdb45c372887be655212d07251b921\
			 b052b62eaed99b46f72f2ef4cc96bfaf254ebbbec091e1a3b9e4fb5e5b619d2e\
			 0c5414800a1d882b62bb5cd1778f098b8eb6cb399d5d9d18f5d5842cf5d13d7e\
			 b00a7cff859b605da678b318bd0e65ebff70bec88c753b159a805d2c89c55961",
		),
		(
			b"abc",
			128,
			"7f1dddd13c08b543f2e2037b14cefb255b44c83cc397c1786d975653e36a6b11\
			 bdd7732d8b38adb4a0edc26a0cef4bb45217135456e58fbca1703cd6032cb134\
			 7ee720b87972d63fbf232587043ed2901bce7f22610c0419751c065922b48843\
			 1851041310ad659e4b23520e1772ab29dcdeb2002222a363f0c2b1c972b3efe1",
		),
		(
			&a512,
			128,
			"05b0bfef265dcee87654372777b7c44177e2ae4c13a27f103340d9cd11c86cb2\
			 426ffcad5bd964080c2aee97f03be1ca18e30a1f14e27bc11ebbd650f305269c\
			 c9fb1db08bf90bfc79b42a952b46daf810359e7bc36452684784a64952c343c5\
			 2e5124cd1f71d474d5197fefc571a92929c9084ffe1112cf5eea5192ebff330b",
		),
	];
	for (msg, len, expected) in cases {
		let mut out = vec![0u8; len];
		expand_message_xmd(&[msg], dst, &mut out);
		assert_eq!(hex::encode(&out), expected, "msg of {} bytes, {len} out", msg.len());
		// Split messages are the concatenation of their parts.
		let (first, second) = msg.split_at(msg.len() / 2);
		let mut split = vec![0u8; len];
		expand_message_xmd(&[first, second], dst, &mut split);
		assert_eq!(split, out);
	}
}

#[test]
fn context_string_is_oprfv1_mode_byte_and_suite() {
	assert_eq!(&suite::context_string(MODE_VOPRF), b"OPRFV1-\x01-ristretto255-SHA512");
	assert_eq!(&suite::context_string(MODE_OPRF), b"OPRFV1-\x00-ristretto255-SHA512");
}

// ---- RFC 9497 Appendix A.1: ristretto255-SHA512 ----

const BLIND: &str = "64d37aed22a27f5191de1c1d69fadb899d8862b58eb4220029e036ec4c1f6706";
const INPUT_1: &str = "00";
const INPUT_2: &str = "5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a";

/// A.1.2, VOPRF mode.
const VOPRF_SK: &str = "e6f73f344b79b379f1a0dd37e07ff62e38d9f71345ce62ae3a9bc60b04ccd909";
const VOPRF_PK: &str = "c803e2cc6b05fc15064549b5920659ca4a77b2cca6f04f6b357009335476ad4e";
const VOPRF_PROOF_RANDOM: &str = "222a5e897cf59db8145db8d16e597e8facb80ae7d4e26d9881aa6f61d645fc0e";

struct VoprfVector {
	input: &'static str,
	blinded: &'static str,
	evaluated: &'static str,
	proof: &'static str,
	output: &'static str,
}

/// A.1.2.1 and A.1.2.2 (batch size 1).
const VOPRF_VECTORS: [VoprfVector; 2] = [
	VoprfVector {
		input: INPUT_1,
		blinded: "863f330cc1a1259ed5a5998a23acfd37fb4351a793a5b3c090b642ddc439b945",
		evaluated: "aa8fa048764d5623868679402ff6108d2521884fa138cd7f9c7669a9a014267e",
		proof: "ddef93772692e535d1a53903db24367355cc2cc78de93b3be5a8ffcc6985dd06\
		        6d4346421d17bf5117a2a1ff0fcb2a759f58a539dfbe857a40bce4cf49ec600d",
		output: "b58cfbe118e0cb94d79b5fd6a6dafb98764dff49c14e1770b566e42402da1a7d\
		         a4d8527693914139caee5bd03903af43a491351d23b430948dd50cde10d32b3c",
	},
	VoprfVector {
		input: INPUT_2,
		blinded: "cc0b2a350101881d8a4cba4c80241d74fb7dcbfde4a61fde2f91443c2bf9ef0c",
		evaluated: "60a59a57208d48aca71e9e850d22674b611f752bed48b36f7a91b372bd7ad468",
		proof: "401a0da6264f8cf45bb2f5264bc31e109155600babb3cd4e5af7d181a2c9dc0a\
		        67154fabf031fd936051dec80b0b6ae29c9503493dde7393b722eafdf5a50b02",
		output: "8a9a2f3c7f085b65933594309041fc1898d42d0858e59f90814ae90571a6df60\
		         356f4610bf816f27afdd84f47719e480906d27ecd994985890e5f539e7ea74b6",
	},
];

#[test]
fn voprf_key_pair_matches_rfc9497_a12() {
	let share = OprfKeyShare::from_bytes(0, &bytes(VOPRF_SK)).unwrap();
	assert_eq!(share.public().to_bytes(), bytes::<32>(VOPRF_PK));
	assert_eq!(OprfKey::from_scalar(scalar(VOPRF_SK)).public(), share.public());
	assert_eq!(hex::encode(&share.to_bytes()[..]), VOPRF_SK);
}

/// Blind, BlindEvaluate (with its proof), VerifyProof and Finalize, byte for byte, through
/// the same functions the protocol uses (only the randomness is fixed).
#[test]
fn voprf_single_input_vectors_match_rfc9497_a121_a122() {
	let share = OprfKeyShare::from_bytes(0, &bytes(VOPRF_SK)).unwrap();
	let public = OprfPublicKey::from_bytes(bytes(VOPRF_PK));
	for vector in &VOPRF_VECTORS {
		let input = hex::decode(vector.input).unwrap();
		let (blind, blinded) = blind_with_scalar(MODE_VOPRF, &input, Blind(scalar(BLIND))).unwrap();
		assert_eq!(hex::encode(blinded.as_bytes()), vector.blinded, "BlindedElement");

		let evaluation = evaluate_with(&share, &blinded, &mut fixed(scalar(VOPRF_PROOF_RANDOM)));
		assert_eq!(evaluation.slot, 0);
		assert_eq!(hex::encode(evaluation.element.as_bytes()), vector.evaluated, "Evaluation");
		assert_eq!(hex::encode(evaluation.proof.to_bytes()), vector.proof, "Proof");

		verify(&evaluation, &public, &blinded).unwrap();
		let output = finalize(&input, &blind, &evaluation, &blinded, &public).unwrap();
		assert_eq!(hex::encode(output.as_bytes()), vector.output, "Output");
		// RFC 9497 `Evaluate` with the whole key (what the owner does) gives the same output.
		let direct = OprfKey::from_scalar(scalar(VOPRF_SK)).evaluate_unblinded(&input).unwrap();
		assert_eq!(hex::encode(direct.as_bytes()), vector.output, "Evaluate");

		// The vector's own encodings decode to the same values.
		assert_eq!(BlindedElement::from_bytes(&bytes(vector.blinded)).unwrap(), blinded);
		let decoded =
			Evaluation::from_bytes(0, &bytes::<96>(&[vector.evaluated, vector.proof].concat()))
				.unwrap();
		assert_eq!(decoded, evaluation);
	}
}

/// A.1.2.3: one proof over a batch of two, which exercises `ComputeComposites` with more
/// than one element (`I2OSP(i, 2)` for i = 0, 1).
#[test]
fn voprf_batch_proof_matches_rfc9497_a123() {
	let sk = scalar(VOPRF_SK);
	let pk = OprfPublicKey::from_bytes(bytes(VOPRF_PK)).decode().unwrap();
	let g = curve25519_dalek::constants::RISTRETTO_BASEPOINT_POINT;
	let blinds = [scalar(BLIND), scalar(VOPRF_PROOF_RANDOM)];
	let blinded_hex = [
		"863f330cc1a1259ed5a5998a23acfd37fb4351a793a5b3c090b642ddc439b945",
		"90a0145ea9da29254c3a56be4fe185465ebb3bf2a1801f7124bbbadac751e654",
	];
	let evaluated_hex = [
		"aa8fa048764d5623868679402ff6108d2521884fa138cd7f9c7669a9a014267e",
		"cc5ac221950a49ceaa73c8db41b82c20372a4c8d63e5dded2db920b7eee36a2a",
	];
	let mut cs = Vec::new();
	let mut ds = Vec::new();
	for ((input, r), (blinded_hex, evaluated_hex)) in
		[INPUT_1, INPUT_2].iter().zip(blinds).zip(blinded_hex.iter().zip(evaluated_hex))
	{
		let input = hex::decode(input).unwrap();
		let (_, blinded) = blind_with_scalar(MODE_VOPRF, &input, Blind(r)).unwrap();
		assert_eq!(hex::encode(blinded.as_bytes()), *blinded_hex);
		let evaluated = sk * blinded.0.point;
		assert_eq!(hex::encode(evaluated.compress().as_bytes()), evaluated_hex);
		cs.push(blinded.0.point);
		ds.push(evaluated);
	}
	let r = scalar("419c4f4f5052c53c45f3da494d2b67b220d02118e0857cdbcf037f9ea84bbe0c");
	let proof = generate_proof_with_r(MODE_VOPRF, &sk, &g, &pk, &cs, &ds, &r);
	assert_eq!(
		hex::encode(proof.to_bytes()),
		"cc203910175d786927eeb44ea847328047892ddf8590e723c37205cb74600b0a\
		 5ab5337c8eb4ceae0494c2cf89529dcf94572ed267473d567aeed6ab873dee08"
	);
	assert!(verify_proof(MODE_VOPRF, &g, &pk, &cs, &ds, &proof));
	// Swapping the two evaluations breaks it.
	ds.swap(0, 1);
	assert!(!verify_proof(MODE_VOPRF, &g, &pk, &cs, &ds, &proof));
}

/// A.1.1, OPRF mode: another context string (mode 0x00), so `HashToGroup` under a second DST;
/// `Finalize` is the same hash.
#[test]
fn oprf_mode_vectors_match_rfc9497_a11() {
	let sk = scalar("5ebcea5ee37023ccb9fc2d2019f9d7737be85591ae8652ffa9ef0f4d37063b0e");
	let vectors = [
		(
			INPUT_1,
			"609a0ae68c15a3cf6903766461307e5c8bb2f95e7e6550e1ffa2dc99e412803c",
			"7ec6578ae5120958eb2db1745758ff379e77cb64fe77b0b2d8cc917ea0869c7e",
			"527759c3d9366f277d8c6020418d96bb393ba2afb20ff90df23fb7708264e2f3\
			 ab9135e3bd69955851de4b1f9fe8a0973396719b7912ba9ee8aa7d0b5e24bcf6",
		),
		(
			INPUT_2,
			"da27ef466870f5f15296299850aa088629945a17d1f5b7f5ff043f76b3c06418",
			"b4cbf5a4f1eeda5a63ce7b77c7d23f461db3fcab0dd28e4e17cecb5c90d02c25",
			"f4a74c9c592497375e796aa837e907b1a045d34306a749db9f34221f7e750cb4\
			 f2a6413a6bf6fa5e19ba6348eb673934a722a7ede2e7621306d18951e7cf2c73",
		),
	];
	for (input, blinded_hex, evaluated_hex, output_hex) in vectors {
		let input = hex::decode(input).unwrap();
		let (blind, blinded) = blind_with_scalar(MODE_OPRF, &input, Blind(scalar(BLIND))).unwrap();
		assert_eq!(hex::encode(blinded.as_bytes()), blinded_hex);
		let evaluated = sk * blinded.0.point;
		assert_eq!(hex::encode(evaluated.compress().as_bytes()), evaluated_hex);
		let output = unblind_and_hash(&input, &blind, &evaluated).unwrap();
		assert_eq!(hex::encode(output.as_bytes()), output_hex);
		let direct = evaluate_unblinded_in_mode(MODE_OPRF, &sk, &input).unwrap();
		assert_eq!(hex::encode(direct.as_bytes()), output_hex, "Evaluate");
	}
}

// ---- Threshold ----

/// The requester's input in these tests (stands for the Argon2id output).
const H: [u8; 32] = [0x42; 32];

struct Setup {
	key: OprfKey,
	shares: Vec<OprfKeyShare>,
	publics: Vec<OprfPublicKey>,
}

fn setup(threshold: u8, n: u8) -> Setup {
	let key = OprfKey::generate();
	let shares = split_key(&key, threshold, n).unwrap();
	let publics = shares.iter().map(OprfKeyShare::public).collect();
	Setup { key, shares, publics }
}

/// What a single server holding the whole key gives for `input` (RFC 9497 VOPRF with
/// `skS = k`), to compare the threshold result with.
fn single_key_output(key: &OprfKey, input: &[u8]) -> [u8; 64] {
	let (blind, blinded) = blind(input).unwrap();
	let (element, proof) = blind_evaluate(&key.scalar, &blinded.0.point, &mut random::fill);
	let evaluation = Evaluation { slot: 0, element, proof };
	let output = *finalize(input, &blind, &evaluation, &blinded, &key.public()).unwrap().as_bytes();
	// And RFC 9497 `Evaluate` without blinding, as the owner computes it, agrees.
	assert_eq!(key.evaluate_unblinded(input).unwrap().as_bytes(), &output);
	output
}

fn subsets(n: u32, size: usize) -> Vec<Vec<u32>> {
	(0u32..1 << n)
		.filter(|mask| mask.count_ones() as usize == size)
		.map(|mask| (0..n).filter(|i| mask & (1 << i) != 0).collect())
		.collect()
}

#[test]
fn every_threshold_subset_gives_the_single_key_output() {
	let Setup { key, shares, publics } = setup(3, 5);
	let expected = single_key_output(&key, &H);
	let (blind, blinded) = blind(&H).unwrap();
	let evaluations: Vec<Evaluation> =
		shares.iter().map(|share| evaluate(share, &blinded)).collect();
	let single = blind_evaluate(&key.scalar, &blinded.0.point, &mut random::fill).0;

	let sets = subsets(5, 3);
	assert_eq!(sets.len(), 10);
	for set in sets {
		let mut given: Vec<(Evaluation, OprfPublicKey)> =
			set.iter().map(|&slot| (evaluations[slot as usize], publics[slot as usize])).collect();
		let output = combine_and_finalize(&H, &blind, &blinded, &given, 3).unwrap();
		assert_eq!(output.as_bytes(), &expected, "slots {set:?}");
		// The same in another order.
		given.reverse();
		let output = combine_and_finalize(&H, &blind, &blinded, &given, 3).unwrap();
		assert_eq!(output.as_bytes(), &expected, "slots {set:?} reversed");
		// And the combined element is k·B itself.
		let lambdas = lagrange_at_zero(&set);
		let combined: RistrettoPoint = lambdas
			.iter()
			.zip(&set)
			.map(|(lambda, &slot)| lambda * evaluations[slot as usize].element.0.point)
			.sum();
		assert_eq!(EvaluatedElement(Element::from_point(combined)), single);
	}

	// More than t (all five) gives the same.
	let all: Vec<_> = evaluations.iter().copied().zip(publics.iter().copied()).collect();
	let output = combine_and_finalize(&H, &blind, &blinded, &all, 3).unwrap();
	assert_eq!(output.as_bytes(), &expected);
}

#[test]
fn shares_interpolate_to_the_key_and_public_keys_to_its_public_key() {
	let Setup { key, shares, publics } = setup(3, 5);
	for set in subsets(5, 3) {
		let lambdas = lagrange_at_zero(&set);
		let k: Scalar = lambdas
			.iter()
			.zip(&set)
			.map(|(lambda, &slot)| lambda * shares[slot as usize].scalar)
			.sum();
		assert_eq!(k, key.scalar, "slots {set:?}");
		let public: RistrettoPoint = lambdas
			.iter()
			.zip(&set)
			.map(|(lambda, &slot)| lambda * publics[slot as usize].decode().unwrap())
			.sum();
		assert_eq!(public.compress().to_bytes(), key.public().to_bytes());
	}
	// Two shares interpolate to something else.
	let lambdas = lagrange_at_zero(&[0, 1]);
	let k: Scalar = lambdas[0] * shares[0].scalar + lambdas[1] * shares[1].scalar;
	assert_ne!(k, key.scalar);
}

#[test]
fn split_numbers_slots_from_zero_with_x_slot_plus_one() {
	// f(x) = k + a·x + b·x² with k = 7 and a, b from a fixed source: check f(i + 1) by hand.
	let key = OprfKey::from_scalar(Scalar::from(7u64));
	let coefficients = [Scalar::from(3u64), Scalar::from(5u64)];
	let mut next = coefficients.iter();
	let mut fill = |buf: &mut [u8]| fixed(*next.next().unwrap())(buf);
	let shares = split_key_with(&key, 3, 4, &mut fill).unwrap();
	for (i, share) in shares.iter().enumerate() {
		let x = i as u64 + 1;
		assert_eq!(share.index(), i as u32);
		assert_eq!(share.scalar, Scalar::from(7 + 3 * x + 5 * x * x));
	}
}

#[test]
fn split_refuses_invalid_thresholds() {
	let key = OprfKey::generate();
	for (t, n) in [(0, 3), (1, 3), (4, 3), (2, 1), (0, 0)] {
		assert_eq!(
			split_key(&key, t, n).unwrap_err(),
			Error::InvalidThreshold { threshold: t, n: n.into() }
		);
	}
	assert_eq!(split_key(&key, 255, 255).unwrap().len(), 255);
}

#[test]
fn fewer_than_threshold_evaluations_are_refused() {
	let Setup { shares, publics, .. } = setup(3, 5);
	let (blind, blinded) = blind(&H).unwrap();
	let given: Vec<_> = shares
		.iter()
		.zip(&publics)
		.map(|(share, public)| (evaluate(share, &blinded), *public))
		.collect();
	for count in 0..3 {
		let error = combine_and_finalize(&H, &blind, &blinded, &given[..count], 3).unwrap_err();
		assert_eq!(error, Error::OprfTooFewEvaluations { got: count, threshold: 3 });
		assert_eq!(
			error.to_string(),
			format!("need OPRF evaluations from 3 distinct slots, have {count}")
		);
	}
	// A threshold below 2 is refused, not taken at its word.
	assert_eq!(
		combine_and_finalize(&H, &blind, &blinded, &given[..1], 1).unwrap_err(),
		Error::InvalidThreshold { threshold: 1, n: 1 }
	);
}

#[test]
fn duplicate_slots_are_refused() {
	let Setup { shares, publics, .. } = setup(3, 5);
	let (blind, blinded) = blind(&H).unwrap();
	let e = |i: usize| (evaluate(&shares[i], &blinded), publics[i]);
	// The same evaluation twice, so three entries would otherwise reach the threshold.
	let given = [e(0), e(2), e(2)];
	assert_eq!(
		combine_and_finalize(&H, &blind, &blinded, &given, 3).unwrap_err(),
		Error::OprfDuplicateSlot { slot: 2 }
	);
	// Two different evaluations (fresh proofs) claiming one slot.
	let given = [e(1), e(3), e(1), e(4)];
	assert_eq!(
		combine_and_finalize(&H, &blind, &blinded, &given, 3).unwrap_err(),
		Error::OprfDuplicateSlot { slot: 1 }
	);
}

#[test]
fn every_bit_flip_of_an_evaluation_is_caught_and_names_the_slot() {
	let Setup { shares, publics, .. } = setup(3, 5);
	let (blind, blinded) = blind(&H).unwrap();
	let evaluations: Vec<_> = shares.iter().map(|share| evaluate(share, &blinded)).collect();
	let good = evaluations[3].to_bytes();
	for bit in 0..good.len() * 8 {
		let mut tampered = good;
		tampered[bit / 8] ^= 1 << (bit % 8);
		match Evaluation::from_bytes(3, &tampered) {
			Err(error) => assert!(
				matches!(error, Error::OprfInvalidEvaluation { slot: 3, .. }),
				"bit {bit}: {error:?}"
			),
			Ok(evaluation) => {
				assert_eq!(
					verify(&evaluation, &publics[3], &blinded),
					Err(Error::OprfProofInvalid { slot: 3 }),
					"bit {bit}"
				);
				if bit % 37 == 0 {
					let given = [
						(evaluations[0], publics[0]),
						(evaluation, publics[3]),
						(evaluations[4], publics[4]),
					];
					assert_eq!(
						combine_and_finalize(&H, &blind, &blinded, &given, 3).unwrap_err(),
						Error::OprfProofInvalid { slot: 3 },
						"bit {bit}"
					);
				}
			},
		}
	}
}

#[test]
fn tampered_element_and_proof_name_their_slot_in_combine() {
	let Setup { shares, publics, .. } = setup(2, 3);
	let (blind, blinded) = blind(&H).unwrap();
	let good: Vec<_> = shares.iter().map(|share| evaluate(share, &blinded)).collect();

	// Another valid element in place of slot 1's: its proof no longer fits.
	let mut wrong_element = good[1];
	wrong_element.element = good[2].element;
	let given = [(good[0], publics[0]), (wrong_element, publics[1])];
	let error = combine_and_finalize(&H, &blind, &blinded, &given, 2).unwrap_err();
	assert_eq!(error, Error::OprfProofInvalid { slot: 1 });
	assert!(error.to_string().contains("slot 1"), "{error}");

	// A proof scalar changed.
	let mut wrong_proof = good[0];
	wrong_proof.proof.s += Scalar::ONE;
	let given = [(wrong_proof, publics[0]), (good[2], publics[2])];
	assert_eq!(
		combine_and_finalize(&H, &blind, &blinded, &given, 2).unwrap_err(),
		Error::OprfProofInvalid { slot: 0 }
	);

	// An element that does not decode is refused when decoding, naming the slot.
	let mut bytes = good[2].to_bytes();
	bytes[..32].copy_from_slice(&[0xff; 32]);
	let error = Evaluation::from_bytes(2, &bytes).unwrap_err();
	assert!(matches!(error, Error::OprfInvalidEvaluation { slot: 2, .. }), "{error:?}");
	assert!(error.to_string().contains("slot 2"), "{error}");
	// So is the identity, and a wrong length.
	bytes[..32].copy_from_slice(&[0; 32]);
	assert!(matches!(
		Evaluation::from_bytes(2, &bytes),
		Err(Error::OprfInvalidEvaluation { slot: 2, .. })
	));
	assert!(matches!(
		Evaluation::from_bytes(2, &bytes[..95]),
		Err(Error::OprfInvalidEvaluation { slot: 2, .. })
	));
}

#[test]
fn a_proof_does_not_verify_against_another_slots_public_key() {
	let Setup { shares, publics, .. } = setup(3, 5);
	let (blind, blinded) = blind(&H).unwrap();
	let evaluation = evaluate(&shares[0], &blinded);
	verify(&evaluation, &publics[0], &blinded).unwrap();
	for public in &publics[1..] {
		assert_eq!(verify(&evaluation, public, &blinded), Err(Error::OprfProofInvalid { slot: 0 }));
	}
	// A custodian that answers under its slot number but with another slot's key share.
	let mut impostor = evaluate(&shares[4], &blinded);
	impostor.slot = 1;
	let given = [
		(evaluate(&shares[0], &blinded), publics[0]),
		(impostor, publics[1]),
		(evaluate(&shares[2], &blinded), publics[2]),
	];
	assert_eq!(
		combine_and_finalize(&H, &blind, &blinded, &given, 3).unwrap_err(),
		Error::OprfProofInvalid { slot: 1 }
	);
	// An invalid public key on record is blamed on its slot.
	let given = [
		(evaluate(&shares[0], &blinded), publics[0]),
		(evaluate(&shares[1], &blinded), OprfPublicKey::from_bytes([0; 32])),
		(evaluate(&shares[2], &blinded), publics[2]),
	];
	assert_eq!(
		combine_and_finalize(&H, &blind, &blinded, &given, 3).unwrap_err(),
		Error::OprfInvalidPublicKey { slot: 1 }
	);
}

#[test]
fn an_evaluation_of_another_blinded_element_does_not_verify() {
	let Setup { shares, publics, .. } = setup(2, 3);
	let (_, blinded) = blind(&H).unwrap();
	let (_, other) = blind(&H).unwrap();
	let evaluation = evaluate(&shares[0], &other);
	assert_eq!(
		verify(&evaluation, &publics[0], &blinded),
		Err(Error::OprfProofInvalid { slot: 0 })
	);
}

#[test]
fn the_output_depends_on_the_input_and_not_on_the_blind() {
	let Setup { key, shares, publics } = setup(2, 3);
	let run = |input: &[u8]| {
		let (blind, blinded) = blind(input).unwrap();
		let given: Vec<_> =
			[0, 2].iter().map(|&i| (evaluate(&shares[i], &blinded), publics[i])).collect();
		*combine_and_finalize(input, &blind, &blinded, &given, 2).unwrap().as_bytes()
	};
	let first = run(&H);
	assert_eq!(run(&H), first);
	assert_ne!(run(&[0x43; 32]), first);
	assert_eq!(single_key_output(&key, &H), first);
	// Another key gives another output for the same input.
	assert_ne!(single_key_output(&OprfKey::generate(), &H), first);
}

#[test]
fn every_bit_flip_of_an_encoded_key_share_is_refused_or_changes_its_public_key() {
	let Setup { shares, publics, .. } = setup(2, 3);
	let encoded = shares[1].to_bytes();
	let decoded = OprfKeyShare::from_bytes(1, &encoded).unwrap();
	assert_eq!(decoded.public(), publics[1]);
	assert_eq!(decoded.index(), 1);
	let mut refused = 0;
	for bit in 0..256 {
		let mut flipped = *encoded;
		flipped[bit / 8] ^= 1 << (bit % 8);
		match OprfKeyShare::from_bytes(1, &flipped) {
			Err(error) => {
				assert_eq!(error, Error::OprfInvalidScalar { what: "OPRF key share" });
				refused += 1;
			},
			Ok(share) => assert_ne!(share.public(), publics[1], "bit {bit}"),
		}
	}
	// Bits 253..=255 are zero in every canonical scalar, and setting one passes the group
	// order: at least those three flips are refused.
	assert!(refused >= 3, "{refused}");
}

#[test]
fn key_share_decoding_refuses_zero_and_non_canonical_scalars() {
	let what = "OPRF key share";
	assert_eq!(
		OprfKeyShare::from_bytes(0, &[0; 32]).unwrap_err(),
		Error::OprfInvalidScalar { what }
	);
	// The group order l itself, and 2^256 - 1.
	let l = bytes::<32>("edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010");
	assert_eq!(OprfKeyShare::from_bytes(0, &l).unwrap_err(), Error::OprfInvalidScalar { what });
	assert_eq!(
		OprfKeyShare::from_bytes(0, &[0xff; 32]).unwrap_err(),
		Error::OprfInvalidScalar { what }
	);
	// l - 1 is fine.
	let mut l_minus_1 = l;
	l_minus_1[0] -= 1;
	OprfKeyShare::from_bytes(0, &l_minus_1).unwrap();
}

#[test]
fn element_decoding_refuses_identity_and_non_canonical_encodings() {
	let identity = [0u8; 32];
	assert_eq!(
		BlindedElement::from_bytes(&identity).unwrap_err(),
		Error::OprfInvalidElement { what: "blinded element" }
	);
	assert_eq!(
		EvaluatedElement::from_bytes(&identity).unwrap_err(),
		Error::OprfInvalidElement { what: "evaluated element" }
	);
	assert!(!OprfPublicKey::from_bytes(identity).is_valid());
	// Not a field element / negative / not a valid ristretto encoding.
	for bad in [[0xff; 32], [0x01; 32], {
		let mut b = [0u8; 32];
		b[0] = 1;
		b
	}] {
		assert!(BlindedElement::from_bytes(&bad).is_err(), "{bad:?}");
		assert!(!OprfPublicKey::from_bytes(bad).is_valid());
	}
	// The generator's encoding is fine.
	let g = curve25519_dalek::constants::RISTRETTO_BASEPOINT_COMPRESSED.to_bytes();
	BlindedElement::from_bytes(&g).unwrap();
	assert!(OprfPublicKey::from_bytes(g).is_valid());
}

#[test]
fn proof_decoding_refuses_non_canonical_scalars() {
	let mut bytes = [0u8; 64];
	Proof::from_bytes(&bytes).unwrap();
	bytes[..32].copy_from_slice(&[0xff; 32]);
	assert_eq!(Proof::from_bytes(&bytes).unwrap_err(), Error::OprfInvalidScalar { what: "proof" });
	bytes[..32].fill(0);
	bytes[32..].copy_from_slice(&[0xff; 32]);
	assert_eq!(Proof::from_bytes(&bytes).unwrap_err(), Error::OprfInvalidScalar { what: "proof" });
}

#[test]
fn blind_refuses_inputs_finalize_cannot_frame() {
	let long = vec![0u8; 65536];
	assert_eq!(blind(&long).unwrap_err(), Error::OprfInputTooLong { len: 65536 });
	blind(&long[..65535]).unwrap();
	blind(b"").unwrap();
}

#[test]
fn hash_to_group_is_not_the_identity_and_depends_on_mode() {
	let h = hash_to_group(MODE_VOPRF, &H);
	assert_ne!(*h, *hash_to_group(MODE_OPRF, &H));
	assert_ne!(*h, *hash_to_group(MODE_VOPRF, &[0x43; 32]));
}

#[test]
fn encodings_round_trip_and_convert_to_h256() {
	use custos_primitives::H256;
	let Setup { shares, publics, .. } = setup(2, 2);
	let (_, blinded) = blind(&H).unwrap();
	let evaluation = evaluate(&shares[1], &blinded);
	assert_eq!(Evaluation::from_bytes(1, &evaluation.to_bytes()).unwrap(), evaluation);
	assert_eq!(BlindedElement::from_bytes(&blinded.to_bytes()).unwrap(), blinded);
	assert_eq!(BlindedElement::try_from(H256::from(blinded)).unwrap(), blinded);
	assert_eq!(
		EvaluatedElement::try_from(H256::from(evaluation.element)).unwrap(),
		evaluation.element
	);
	assert_eq!(Proof::from_bytes(&evaluation.proof.to_bytes()).unwrap(), evaluation.proof);
	assert_eq!(OprfPublicKey::from(H256::from(publics[0])), publics[0]);
	assert_eq!(OprfPublicKey::from(publics[0].to_bytes()), publics[0]);
	assert_eq!(H256::from(publics[0]).0, *publics[0].as_bytes());
	assert!(BlindedElement::try_from(H256([0; 32])).is_err());
}

#[test]
fn debug_never_shows_secrets() {
	let key = OprfKey::generate();
	let shares = split_key(&key, 2, 2).unwrap();
	let (blind, blinded) = blind(&H).unwrap();
	let given: Vec<_> =
		shares.iter().map(|share| (evaluate(share, &blinded), share.public())).collect();
	let output = combine_and_finalize(&H, &blind, &blinded, &given, 2).unwrap();

	let secrets = [
		hex::encode(key.scalar.as_bytes()),
		hex::encode(shares[0].scalar.as_bytes()),
		hex::encode(blind.0.as_bytes()),
		hex::encode(output.as_bytes()),
	];
	let shown = format!("{key:?} {:?} {blind:?} {output:?}", shares[0]);
	assert_eq!(
		shown,
		"OprfKey(<secret>) OprfKeyShare { index: 0, .. } Blind(<secret>) OprfOutput(<secret>)"
	);
	for secret in &secrets {
		assert!(!shown.contains(secret.as_str()));
	}
	// Public values are shown as hex.
	assert_eq!(
		format!("{:?}", shares[0].public()),
		format!("OprfPublicKey(0x{})", hex::encode(shares[0].public().as_bytes()))
	);
	assert_eq!(
		format!("{blinded:?}"),
		format!("BlindedElement(0x{})", hex::encode(blinded.as_bytes()))
	);
}
