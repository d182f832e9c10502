//! Errors, worded for the person running the client or the custodian node.
//!
//! No variant carries secret bytes: at most slot numbers, share x values, lengths, versions and
//! parameters, all of which are public anyway. "Slot" is the 0-based custodian slot of
//! [`ShareContext::index`](crate::ShareContext::index).

use crate::VERSION;

/// Result with this crate's [`Error`].
pub type Result<T, E = Error> = core::result::Result<T, E>;

/// Anything that can go wrong building or opening an envelope.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Error {
	/// The first byte names an envelope format this build does not know.
	#[error("unsupported envelope version {found} (this client knows {VERSION})")]
	UnsupportedVersion {
		/// The version byte found.
		found: u8,
	},
	/// The input is too short to be an envelope of this kind.
	#[error("{what} is {len} bytes, shorter than the {min} bytes any valid one has (truncated?)")]
	Truncated {
		/// Which kind of envelope.
		what: &'static str,
		/// Its length.
		len: usize,
		/// The least length a valid one has.
		min: usize,
	},
	/// The inner layer failed to authenticate under this passphrase key and context.
	#[error(
		"share for slot {slot} does not open with this passphrase (wrong passphrase or account, \
		 share of another escrow or generation, or altered)"
	)]
	InnerDoesNotOpen {
		/// The slot whose share failed.
		slot: u32,
	},
	/// The custodian layer failed to authenticate.
	#[error("sealed share for slot {slot} was altered or sealed to another key")]
	SealedShareAltered {
		/// The slot whose sealed share failed.
		slot: u32,
	},
	/// The release layer failed to authenticate.
	#[error("released share for slot {slot} was altered or sealed to another one-time key")]
	ReleaseAltered {
		/// The slot whose release failed.
		slot: u32,
	},
	/// An authentic inner layer holds a share whose x is not this slot's.
	#[error("share for slot {slot} carries x={x}, but slot {slot} needs x={expected}")]
	WrongSlot {
		/// The slot the share was presented under.
		slot: u32,
		/// The x the share carries.
		x: u8,
		/// The x this slot needs (slot + 1).
		expected: u64,
	},
	/// Fewer shares than the threshold were given to [`combine`](crate::combine).
	#[error("need {need} shares, have {have}")]
	NotEnoughShares {
		/// The threshold.
		need: u8,
		/// How many were given.
		have: usize,
	},
	/// Two shares with the same x were given to [`combine`](crate::combine).
	#[error("duplicate share x={x}")]
	DuplicateShare {
		/// The repeated x.
		x: u8,
	},
	/// A share claims x = 0, the point where the secret itself lies.
	#[error("share with x=0 is invalid (no custodian slot has x=0)")]
	ZeroShareX,
	/// Shares of different lengths cannot come from one split.
	#[error("shares differ in length ({first} and {other} bytes), so they are not from one split")]
	ShareLengthMismatch {
		/// Length of the first share.
		first: usize,
		/// Length of a share that differs.
		other: usize,
	},
	/// A share needs its x byte and at least one value byte.
	#[error("a share of {len} bytes is too short (it needs x and at least one value byte)")]
	ShareTooShort {
		/// Its length.
		len: usize,
	},
	/// Threshold and number of custodians do not satisfy `2 <= t <= n <= 255`.
	#[error("threshold {threshold} of {n} is invalid: need 2 <= threshold <= custodians <= 255")]
	InvalidThreshold {
		/// The threshold asked for.
		threshold: u8,
		/// The number of custodians or shares.
		n: usize,
	},
	/// There is nothing to escrow.
	#[error("the secret to escrow is empty")]
	EmptySecret,
	/// An empty passphrase would leave the inner layer keyed by public data only.
	#[error("the passphrase is empty")]
	EmptyPassphrase,
	/// The same custodian key appears in two slots, which would give one custodian two shares.
	#[error("custodian slots {first} and {second} have the same public key; each slot needs its own custodian")]
	DuplicateCustodian {
		/// The first slot with the key.
		first: usize,
		/// The later slot with the same key.
		second: usize,
	},
	/// An Argon2 parameter is outside what this crate accepts.
	#[error("Argon2 {field} = {value} is out of range {min}..={max}")]
	KdfParamOutOfRange {
		/// Which parameter.
		field: &'static str,
		/// Its value.
		value: u32,
		/// The least accepted value.
		min: u32,
		/// The greatest accepted value.
		max: u32,
	},
	/// Argon2 itself failed (for example the memory could not be allocated).
	#[error("passphrase key derivation failed: {reason}")]
	Kdf {
		/// What went wrong.
		reason: String,
	},
	/// A recipient public key is a low-order X25519 point, which would make the shared secret
	/// public.
	#[error("the {role} public key is not usable for X25519 (low-order point)")]
	UnusablePublicKey {
		/// "custodian" or "one-time".
		role: &'static str,
	},
	/// HPKE sealing failed for a reason other than the recipient key (should not happen).
	#[error("HPKE sealing failed: {reason}")]
	Hpke {
		/// The library's message.
		reason: String,
	},
	/// The Shamir library refused its input (should not happen after this crate's checks).
	#[error("Shamir secret sharing failed: {reason}")]
	Shamir {
		/// The library's message.
		reason: String,
	},
	/// An OPRF input longer than RFC 9497 can frame (its length must fit in two bytes).
	#[error("the OPRF input is {len} bytes, more than the 65535 RFC 9497 allows")]
	OprfInputTooLong {
		/// Its length.
		len: usize,
	},
	/// The OPRF input hashes to the identity element, which RFC 9497 refuses to blind (it
	/// happens with negligible probability).
	#[error("the OPRF input hashes to the identity element; it cannot be evaluated")]
	OprfInputIsIdentity,
	/// Bytes meant to be a ristretto255 element are not a canonical encoding, or encode the
	/// identity.
	#[error("the {what} is not a valid ristretto255 element (not a canonical encoding, or the identity)")]
	OprfInvalidElement {
		/// Which element: "blinded element", "evaluated element".
		what: &'static str,
	},
	/// Bytes meant to be a ristretto255 scalar are not reduced modulo the group order, or are
	/// zero where zero is not allowed.
	#[error("the {what} is not a valid ristretto255 scalar (not canonical, or zero)")]
	OprfInvalidScalar {
		/// Which scalar: "OPRF key share", "proof".
		what: &'static str,
	},
	/// The OPRF public key recorded for a slot is not a valid non-identity ristretto255 element.
	#[error("the OPRF public key of slot {slot} is not a valid ristretto255 element (not canonical, or the identity)")]
	OprfInvalidPublicKey {
		/// The slot whose public key is invalid.
		slot: u32,
	},
	/// An OPRF evaluation served by a custodian does not decode.
	#[error("the OPRF evaluation from slot {slot} is malformed: {what}")]
	OprfInvalidEvaluation {
		/// The slot whose evaluation is malformed.
		slot: u32,
		/// What is wrong with it.
		what: &'static str,
	},
	/// An OPRF evaluation's proof does not verify against its slot's public key: the custodian
	/// used another key, the evaluation was altered, or it answers another blinded element.
	#[error(
		"the OPRF evaluation from slot {slot} does not verify against that slot's public key \
		 (wrong key share, altered, or made for another request)"
	)]
	OprfProofInvalid {
		/// The slot whose proof failed.
		slot: u32,
	},
	/// Fewer OPRF evaluations than the threshold were given to
	/// [`combine_and_finalize`](crate::oprf::combine_and_finalize).
	#[error("need OPRF evaluations from {threshold} distinct slots, have {got}")]
	OprfTooFewEvaluations {
		/// How many were given.
		got: usize,
		/// The threshold.
		threshold: u8,
	},
	/// Two OPRF evaluations claim the same slot.
	#[error("two OPRF evaluations claim slot {slot}")]
	OprfDuplicateSlot {
		/// The repeated slot.
		slot: u32,
	},
	/// A custodian share's OPRF key is not the one the chain records for its slot.
	#[error("the OPRF key share of slot {slot} is not the one the chain records for that slot")]
	OprfKeyMismatch {
		/// The slot whose key share does not match.
		slot: u32,
	},
	/// A released share failed one of the checks of
	/// [`open_released_share`](crate::open_released_share).
	#[error(transparent)]
	Share(#[from] ShareFault),
}

/// Which check of [`open_released_share`](crate::open_released_share) failed, so the client
/// can tell the user whom to blame: the release channel, the custodian, or the passphrase.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ShareFault {
	/// The release does not open: wrong one-time key, altered in transit, or for another slot.
	#[error(
		"released share for slot {slot} does not open with this one-time key (wrong key, altered, \
		 or released for another slot or escrow)"
	)]
	ReleaseDoesNotOpen {
		/// The slot.
		slot: u32,
	},
	/// The release opened but its inner ciphertext is not the one committed on chain: the
	/// custodian served something other than what the owner sealed to it.
	#[error("share for slot {slot} does not match its commitment on chain: the custodian served something else")]
	CommitmentMismatch {
		/// The slot.
		slot: u32,
	},
	/// The inner layer does not open: wrong passphrase (or account id).
	#[error("share for slot {slot} does not open with this passphrase")]
	InnerDoesNotOpen {
		/// The slot.
		slot: u32,
	},
	/// The inner layer opened but holds the share of another slot.
	#[error("share for slot {slot} carries x={x}, but slot {slot} needs x={expected}")]
	WrongIndex {
		/// The slot.
		slot: u32,
		/// The x found.
		x: u8,
		/// The x expected (slot + 1).
		expected: u64,
	},
	/// A layer uses an envelope version this build does not know.
	#[error("share for slot {slot} uses envelope version {found} (this client knows {VERSION})")]
	UnsupportedVersion {
		/// The slot.
		slot: u32,
		/// The version byte found.
		found: u8,
	},
}

impl ShareFault {
	/// The slot whose share failed.
	pub fn slot(&self) -> u32 {
		match *self {
			ShareFault::ReleaseDoesNotOpen { slot } |
			ShareFault::CommitmentMismatch { slot } |
			ShareFault::InnerDoesNotOpen { slot } |
			ShareFault::WrongIndex { slot, .. } |
			ShareFault::UnsupportedVersion { slot, .. } => slot,
		}
	}
}
