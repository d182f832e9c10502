//! The HPKE layers: a slot's [`CustodianShare`] (OPRF key share and inner ciphertext) sealed
//! to its custodian, and the inner ciphertext alone re-sealed by the custodian to a
//! requester's one-time key.
//!
//! Both use RFC 9180 base mode with DHKEM(X25519, HKDF-SHA256), HKDF-SHA256 and
//! ChaCha20-Poly1305, and the format `[VERSION] [encapsulated key: 32] [ciphertext || tag: 16]`.
//! `info` = layer label || escrow id, so the two layers never open as each other;
//! associated data = VERSION || context bytes || the recipient's public key, so a sealed share
//! is bound to its format, chain, escrow, generation, slot and recipient.

use hpke::{
	aead::ChaCha20Poly1305, kdf::HkdfSha256, kem::X25519HkdfSha256, rand_core::CryptoRng,
	single_shot_open, single_shot_seal_with_rng, Deserializable, HpkeError, Kem, OpModeR, OpModeS,
	Serializable,
};

use zeroize::Zeroizing;

use crate::{
	domain, keys::StaticKey, random, CustodianSecret, CustodianShare, Error, InnerCiphertext,
	OneTimeKey, ReleasedShare, Result, SealedShare, ShareContext, X25519PublicKey, VERSION,
};

type Aead = ChaCha20Poly1305;
type Kdf = HkdfSha256;
type Suite = X25519HkdfSha256;

const ENC_LEN: usize = 32;
const HEADER_LEN: usize = 1 + ENC_LEN;

/// Bytes an HPKE layer adds to its plaintext (version, encapsulated key, tag).
pub const HPKE_OVERHEAD: usize = HEADER_LEN + 16;

/// Which of the two HPKE layers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Layer {
	/// Owner to custodian.
	Custodian,
	/// Custodian to a requester's one-time key.
	Release,
}

impl Layer {
	fn label(self) -> &'static [u8] {
		match self {
			Layer::Custodian => domain::CUSTODIAN_SHARE,
			Layer::Release => domain::RELEASE,
		}
	}

	fn role(self) -> &'static str {
		match self {
			Layer::Custodian => "custodian",
			Layer::Release => "one-time",
		}
	}

	fn what(self) -> &'static str {
		match self {
			Layer::Custodian => "sealed share",
			Layer::Release => "released share",
		}
	}

	fn does_not_open(self, slot: u32) -> Error {
		match self {
			Layer::Custodian => Error::SealedShareAltered { slot },
			Layer::Release => Error::ReleaseAltered { slot },
		}
	}
}

/// Seals a slot's [`CustodianShare`] (OPRF key share and inner ciphertext) to the custodian of
/// slot `ctx.index()`.
///
/// # Panics
/// If the operating system cannot provide randomness.
pub fn seal_to_custodian(
	custodian: &X25519PublicKey,
	ctx: &ShareContext,
	share: &CustodianShare,
) -> Result<SealedShare> {
	let mut rng = random::os_rng();
	let plaintext = share.to_plaintext();
	seal_with_rng(Layer::Custodian, custodian.as_bytes(), ctx, &plaintext, &mut rng)
		.map(SealedShare::from)
}

/// Opens a share sealed to this custodian, giving its OPRF key share (check it with
/// [`CustodianShare::check_oprf_key`]) and the inner ciphertext (which the custodian cannot
/// read, but can check against the commitment on chain).
pub fn open_as_custodian(
	custodian: &CustodianSecret,
	ctx: &ShareContext,
	sealed: &SealedShare,
) -> Result<CustodianShare> {
	let plaintext = Zeroizing::new(open(Layer::Custodian, &custodian.0, ctx, sealed.as_bytes())?);
	CustodianShare::from_plaintext(ctx.index, plaintext)
}

/// Re-seals an inner ciphertext to a requester's one-time public key.
///
/// # Panics
/// If the operating system cannot provide randomness.
pub fn seal_release(
	one_time: &X25519PublicKey,
	ctx: &ShareContext,
	inner: &InnerCiphertext,
) -> Result<ReleasedShare> {
	let mut rng = random::os_rng();
	seal_with_rng(Layer::Release, one_time.as_bytes(), ctx, inner.as_bytes(), &mut rng)
		.map(ReleasedShare::from)
}

/// Opens a release with the requester's one-time key, giving the inner ciphertext.
pub fn open_release(
	key: &OneTimeKey,
	ctx: &ShareContext,
	release: &ReleasedShare,
) -> Result<InnerCiphertext> {
	open(Layer::Release, &key.0, ctx, release.as_bytes()).map(InnerCiphertext::from)
}

/// Seals with a given RNG (the ephemeral key is drawn from it), for known-answer tests.
pub(crate) fn seal_with_rng(
	layer: Layer,
	recipient_public: &[u8; 32],
	ctx: &ShareContext,
	plaintext: &[u8],
	rng: &mut impl CryptoRng,
) -> Result<Vec<u8>> {
	let recipient = <Suite as Kem>::PublicKey::from_bytes(recipient_public)
		.expect("32 bytes is an X25519 public key");
	let (encapped, ciphertext) = single_shot_seal_with_rng::<Aead, Kdf, Suite>(
		&OpModeS::Base,
		&recipient,
		&info(layer, ctx),
		plaintext,
		&aad(ctx, recipient_public),
		rng,
	)
	.map_err(|e| match e {
		// The DH result was all zeros: a low-order point, whose "shared" secret is public.
		HpkeError::EncapError => Error::UnusablePublicKey { role: layer.role() },
		other => Error::Hpke { reason: other.to_string() },
	})?;
	let mut out = Vec::with_capacity(HEADER_LEN + ciphertext.len());
	out.push(VERSION);
	out.extend_from_slice(&encapped.to_bytes());
	out.extend_from_slice(&ciphertext);
	Ok(out)
}

fn open(layer: Layer, key: &StaticKey, ctx: &ShareContext, sealed: &[u8]) -> Result<Vec<u8>> {
	let Some(&version) = sealed.first() else {
		return Err(truncated(layer, 0));
	};
	if version != VERSION {
		return Err(Error::UnsupportedVersion { found: version });
	}
	if sealed.len() < HPKE_OVERHEAD {
		return Err(truncated(layer, sealed.len()));
	}
	let encapped = <Suite as Kem>::EncappedKey::from_bytes(&sealed[1..HEADER_LEN])
		.expect("32 bytes is an X25519 encapsulated key");
	// Every failure (low-order encapsulated key, wrong key, altered bytes, wrong context) is
	// the same to the caller: this is not an authentic envelope for this key and slot.
	single_shot_open::<Aead, Kdf, Suite>(
		&OpModeR::Base,
		&key.hpke_private(),
		&encapped,
		&info(layer, ctx),
		&sealed[HEADER_LEN..],
		&aad(ctx, key.public().as_bytes()),
	)
	.map_err(|_| layer.does_not_open(ctx.index))
}

fn info(layer: Layer, ctx: &ShareContext) -> Vec<u8> {
	[layer.label(), ctx.escrow.as_bytes()].concat()
}

fn aad(ctx: &ShareContext, recipient_public: &[u8; 32]) -> Vec<u8> {
	[&[VERSION][..], &ctx.to_bytes()[..], &recipient_public[..]].concat()
}

fn truncated(layer: Layer, len: usize) -> Error {
	Error::Truncated { what: layer.what(), len, min: HPKE_OVERHEAD }
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::tests::FixedRng;

	use custos_primitives::H256;

	fn ctx() -> ShareContext {
		ShareContext::new(H256::repeat_byte(0x11), H256::repeat_byte(0x22), 3, 4)
	}

	fn plaintext() -> InnerCiphertext {
		(0..74).collect::<Vec<u8>>().into()
	}

	/// Slot 4's custodian share: k_4 = 7·(1 + 2^8 + ..) (a canonical scalar) and the inner
	/// ciphertext above.
	fn custodian_share() -> CustodianShare {
		let oprf_key = crate::oprf::OprfKeyShare::from_bytes(4, &[7; 32]).unwrap();
		CustodianShare { oprf_key, inner: plaintext() }
	}

	fn assert_opens_to_custodian_share(opened: CustodianShare) {
		assert_eq!(opened.inner, plaintext());
		assert_eq!(opened.oprf_key.index(), 4);
		assert_eq!(*opened.oprf_key.to_bytes(), [7; 32]);
	}

	fn custodian() -> CustodianSecret {
		CustodianSecret::from_bytes([0x31; 32])
	}

	fn one_time() -> OneTimeKey {
		OneTimeKey::from_bytes([0x32; 32])
	}

	#[test]
	fn hpke_crate_matches_rfc9180_a21_vector() {
		// RFC 9180 appendix A.2.1: DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, ChaCha20Poly1305,
		// base mode, sequence number 0. `hpke` draws ikmE from the RNG and runs DeriveKeyPair
		// on it, exactly as the RFC's vector does.
		let ikm_e = hex::decode("909a9b35d3dc4713a5e72a4da274b55d3d3821a37e5d099e74a647db583a904b")
			.unwrap();
		let pk_rm = hex::decode("4310ee97d88cc1f088a5576c77ab0cf5c3ac797f3d95139c6c84b5429c59662a")
			.unwrap();
		let sk_rm = hex::decode("8057991eef8f1f1af18f4a9491d16a1ce333f695d4db8e38da75975c4478e0fb")
			.unwrap();
		let info = hex::decode("4f6465206f6e2061204772656369616e2055726e").unwrap();
		let aad = hex::decode("436f756e742d30").unwrap();
		let pt = hex::decode("4265617574792069732074727574682c20747275746820626561757479").unwrap();
		let expected_enc = "1afa08d3dec047a643885163f1180476fa7ddb54c6a8029ea33f95796bf2ac4a";
		let expected_ct = concat!(
			"1c5250d8034ec2b784ba2cfd69dbdb8af406cfe3ff938e131f0def8c8b60b4db",
			"21993c62ce81883d2dd1b51a28",
		);

		let recipient = <Suite as Kem>::PublicKey::from_bytes(&pk_rm).unwrap();
		let (enc, ct) = single_shot_seal_with_rng::<Aead, Kdf, Suite>(
			&OpModeS::Base,
			&recipient,
			&info,
			&pt,
			&aad,
			&mut FixedRng::new(&ikm_e),
		)
		.unwrap();
		assert_eq!(hex::encode(enc.to_bytes()), expected_enc);
		assert_eq!(hex::encode(&ct), expected_ct);

		let secret = <Suite as Kem>::PrivateKey::from_bytes(&sk_rm).unwrap();
		let opened =
			single_shot_open::<Aead, Kdf, Suite>(&OpModeR::Base, &secret, &enc, &info, &ct, &aad)
				.unwrap();
		assert_eq!(opened, pt);
		// Our key type computes the RFC's public key from its secret.
		assert_eq!(
			hex::encode(OneTimeKey::from_bytes(sk_rm.try_into().unwrap()).public().as_bytes()),
			hex::encode(pk_rm)
		);
	}

	#[test]
	fn pinned_custodian_envelope() {
		// Generated once with this code (format v2) and an RNG yielding 0x5c * 32 as ikmE: it
		// pins the format (version byte, info, aad, `k_i || inner` plaintext); the HPKE
		// primitive itself is checked against RFC 9180 A.2.1 above.
		let sealed = seal_with_rng(
			Layer::Custodian,
			custodian().public().as_bytes(),
			&ctx(),
			&custodian_share().to_plaintext(),
			&mut FixedRng::new(&[0x5c; 32]),
		)
		.unwrap();
		assert_eq!(hex::encode(&sealed), PINNED_SEALED);
		let pinned = SealedShare::from(hex::decode(PINNED_SEALED).unwrap());
		assert_opens_to_custodian_share(open_as_custodian(&custodian(), &ctx(), &pinned).unwrap());
	}

	#[test]
	fn pinned_release_envelope() {
		// As above, with 0x6d * 32 as ikmE.
		let payload = seal_with_rng(
			Layer::Release,
			one_time().public().as_bytes(),
			&ctx(),
			plaintext().as_bytes(),
			&mut FixedRng::new(&[0x6d; 32]),
		)
		.unwrap();
		assert_eq!(hex::encode(&payload), PINNED_RELEASE);
		let pinned = ReleasedShare::from(hex::decode(PINNED_RELEASE).unwrap());
		assert_eq!(open_release(&one_time(), &ctx(), &pinned).unwrap(), plaintext());
	}

	const PINNED_SEALED: &str = "0285d460eaa1a4899fdb637412488af8a036d37c4b5a212acc54cf005241408f0c218dee96dbe197b5a863dcc402524a78e978393cd1a1b1a54cd165c627f7d0d373ee72021096ea3481e536bcd7bf05121bf9ee543a0f84be9950c31b4955f899854c290f1860f15fd646b785232bc9ffc1359989b76b6e71359fb2f7e9464891ff046e33fc4549fea409935cd77a409f8dd84e9eb668aa3fb722";
	const PINNED_RELEASE: &str = "02a55aa5f06d8657845fb3dc27de840031f30e49b0c19183b25848fc09e78fd4515a3230fc4b4baba2e87931cf1e64cdedc327f0d4458bf812bbb47464d7ec54a2e7a5afaf95ea90f2d90994a39aca8ad995644111d9383fcd6b139e65471917d26897fa5a019190238a87635114b40071abb558fc392cf64af019";

	#[test]
	fn every_bit_flip_of_a_sealed_share_is_refused() {
		let sealed = seal_to_custodian(&custodian().public(), &ctx(), &custodian_share()).unwrap();
		let key = custodian();
		for bit in 0..sealed.len() * 8 {
			let mut altered = sealed.clone().into_bytes();
			altered[bit / 8] ^= 1 << (bit % 8);
			let err = open_as_custodian(&key, &ctx(), &altered.clone().into()).unwrap_err();
			if bit < 8 {
				assert_eq!(err, Error::UnsupportedVersion { found: altered[0] }, "bit {bit}");
			} else {
				assert_eq!(err, Error::SealedShareAltered { slot: 4 }, "bit {bit}");
			}
		}
	}

	#[test]
	fn every_bit_flip_of_a_release_is_refused() {
		let payload = seal_release(&one_time().public(), &ctx(), &plaintext()).unwrap();
		let key = one_time();
		for bit in 0..payload.len() * 8 {
			let mut altered = payload.clone().into_bytes();
			altered[bit / 8] ^= 1 << (bit % 8);
			let err = open_release(&key, &ctx(), &altered.clone().into()).unwrap_err();
			if bit < 8 {
				assert_eq!(err, Error::UnsupportedVersion { found: altered[0] }, "bit {bit}");
			} else {
				assert_eq!(err, Error::ReleaseAltered { slot: 4 }, "bit {bit}");
			}
		}
	}

	#[test]
	fn wrong_key_and_every_context_field_are_refused() {
		let sealed = seal_to_custodian(&custodian().public(), &ctx(), &custodian_share()).unwrap();
		let refused = Err(Error::SealedShareAltered { slot: 4 });
		assert_eq!(
			open_as_custodian(&CustodianSecret::from_bytes([0x33; 32]), &ctx(), &sealed).map(|_| ()),
			refused
		);
		for other in [
			ShareContext { genesis: H256::zero(), ..ctx() },
			ShareContext { escrow: H256::zero(), ..ctx() },
			ShareContext { generation: 2, ..ctx() },
		] {
			assert_eq!(open_as_custodian(&custodian(), &other, &sealed).map(|_| ()), refused);
		}
		assert_eq!(
			open_as_custodian(&custodian(), &ctx().with_index(0), &sealed).map(|_| ()),
			Err(Error::SealedShareAltered { slot: 0 })
		);

		let payload = seal_release(&one_time().public(), &ctx(), &plaintext()).unwrap();
		let refused = Err(Error::ReleaseAltered { slot: 4 });
		assert_eq!(open_release(&OneTimeKey::generate(), &ctx(), &payload), refused);
		for other in [
			ShareContext { genesis: H256::zero(), ..ctx() },
			ShareContext { escrow: H256::zero(), ..ctx() },
			ShareContext { generation: 2, ..ctx() },
		] {
			assert_eq!(open_release(&one_time(), &other, &payload), refused);
		}
	}

	#[test]
	fn layers_do_not_open_as_each_other() {
		// Same X25519 key in both roles: the labels in `info` still keep the layers apart, so
		// a custodian cannot pass its sealed share off as a release or the reverse.
		let bytes = [0x44; 32];
		let custodian = CustodianSecret::from_bytes(bytes);
		let one_time = OneTimeKey::from_bytes(bytes);
		let sealed = seal_to_custodian(&custodian.public(), &ctx(), &custodian_share()).unwrap();
		assert_eq!(
			open_release(&one_time, &ctx(), &sealed.into_bytes().into()),
			Err(Error::ReleaseAltered { slot: 4 })
		);
		let payload = seal_release(&one_time.public(), &ctx(), &plaintext()).unwrap();
		assert_eq!(
			open_as_custodian(&custodian, &ctx(), &payload.into_bytes().into()).map(|_| ()),
			Err(Error::SealedShareAltered { slot: 4 })
		);
	}

	#[test]
	fn low_order_public_keys_are_refused() {
		let mut one = [0u8; 32];
		one[0] = 1;
		for public in [[0u8; 32], one].map(X25519PublicKey::from) {
			assert_eq!(
				seal_to_custodian(&public, &ctx(), &custodian_share()),
				Err(Error::UnusablePublicKey { role: "custodian" })
			);
			assert_eq!(
				seal_release(&public, &ctx(), &plaintext()),
				Err(Error::UnusablePublicKey { role: "one-time" })
			);
		}
	}

	#[test]
	fn unknown_version_and_truncation_are_refused() {
		let sealed = seal_to_custodian(&custodian().public(), &ctx(), &custodian_share()).unwrap();
		let mut v1 = sealed.clone().into_bytes();
		v1[0] = 1;
		assert_eq!(
			open_as_custodian(&custodian(), &ctx(), &v1.into()).map(|_| ()),
			Err(Error::UnsupportedVersion { found: 1 })
		);
		for len in 0..sealed.len() {
			let truncated = SealedShare::from(sealed.as_bytes()[..len].to_vec());
			let err = open_as_custodian(&custodian(), &ctx(), &truncated).unwrap_err();
			if len < HPKE_OVERHEAD {
				assert_eq!(err, Error::Truncated { what: "sealed share", len, min: 49 });
			} else {
				assert_eq!(err, Error::SealedShareAltered { slot: 4 });
			}
		}
		let payload = seal_release(&one_time().public(), &ctx(), &plaintext()).unwrap();
		assert_eq!(
			open_release(&one_time(), &ctx(), &payload.as_bytes()[..10].to_vec().into())
				.unwrap_err()
				.to_string(),
			"released share is 10 bytes, shorter than the 49 bytes any valid one has (truncated?)"
		);
	}
}
