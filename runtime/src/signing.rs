//! Signing extrinsics for this runtime, off chain (std only).
//!
//! Lives next to [`TxExtension`] so the extension tuple and the implicit data its signature
//! covers are written once, beside the type they must match. The node signs its custodian
//! transactions with it and the client signs the user's.

use codec::Encode;
use sp_core::{sr25519, Pair};
use sp_runtime::generic::Era;

use crate::{
	AccountId, Address, Hash, Nonce, Runtime, RuntimeCall, Signature, SignedPayload, TxExtension,
	UncheckedExtrinsic,
};

/// Blocks a signed transaction stays valid after its checkpoint block.
pub const MORTALITY_PERIOD: u64 = 64;

/// What a signature commits to besides the call: which chain and runtime, and from when.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SigningContext {
	/// Genesis hash of the chain.
	pub genesis_hash: Hash,
	/// The runtime's spec version.
	pub spec_version: u32,
	/// The runtime's transaction version.
	pub transaction_version: u32,
	/// The era starts at this (finalized) block, so a reorg cannot void the transaction.
	pub checkpoint_number: u32,
	/// Hash of the checkpoint block.
	pub checkpoint_hash: Hash,
}

/// The extensions of a transaction with `nonce`, no tip, mortal from `checkpoint_number`.
pub fn tx_extension(nonce: Nonce, checkpoint_number: u32) -> TxExtension {
	let era = Era::mortal(MORTALITY_PERIOD, checkpoint_number.into());
	(
		frame_system::CheckNonZeroSender::<Runtime>::new(),
		frame_system::CheckSpecVersion::<Runtime>::new(),
		frame_system::CheckTxVersion::<Runtime>::new(),
		frame_system::CheckGenesis::<Runtime>::new(),
		frame_system::CheckEra::<Runtime>::from(era),
		frame_system::CheckNonce::<Runtime>::from(nonce),
		frame_system::CheckWeight::<Runtime>::new(),
		pallet_transaction_payment::ChargeTransactionPayment::<Runtime>::from(0),
		frame_metadata_hash_extension::CheckMetadataHash::<Runtime>::new(false),
		frame_system::WeightReclaim::<Runtime>::new(),
	)
}

/// What the extensions add to the signed payload without sending it; the runtime recomputes
/// it from its own state, so any mismatch makes the signature invalid.
pub fn implicit(context: &SigningContext) -> <TxExtension as sp_runtime::traits::TransactionExtension<RuntimeCall>>::Implicit {
	(
		(),
		context.spec_version,
		context.transaction_version,
		context.genesis_hash,
		context.checkpoint_hash,
		(),
		(),
		(),
		None,
		(),
	)
}

/// Signs `call` by `signer` with `nonce`, no tip, valid for [`MORTALITY_PERIOD`] blocks from
/// the context's checkpoint.
pub fn sign(
	call: RuntimeCall,
	signer: &sr25519::Pair,
	nonce: Nonce,
	context: &SigningContext,
) -> UncheckedExtrinsic {
	let extension = tx_extension(nonce, context.checkpoint_number);
	let payload = SignedPayload::from_raw(call.clone(), extension.clone(), implicit(context));
	let signature = payload.using_encoded(|bytes| signer.sign(bytes));
	let signer_account: AccountId = signer.public().into();
	UncheckedExtrinsic::new_signed(
		call,
		Address::Id(signer_account),
		Signature::Sr25519(signature),
		extension,
	)
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::BalancesCall;
	use codec::Decode;
	use sp_keyring::Sr25519Keyring;
	use sp_runtime::traits::Verify;

	fn context() -> SigningContext {
		SigningContext {
			genesis_hash: Hash::repeat_byte(7),
			spec_version: crate::VERSION.spec_version,
			transaction_version: crate::VERSION.transaction_version,
			checkpoint_number: 100,
			checkpoint_hash: Hash::repeat_byte(9),
		}
	}

	fn transfer() -> RuntimeCall {
		RuntimeCall::Balances(BalancesCall::transfer_keep_alive {
			dest: Sr25519Keyring::Bob.to_account_id().into(),
			value: 5,
		})
	}

	#[test]
	fn signed_extrinsic_round_trips_and_its_signature_covers_chain_and_checkpoint() {
		let alice = Sr25519Keyring::Alice.pair();
		let ctx = context();
		let xt = sign(transfer(), &alice, 3, &ctx);
		let decoded = UncheckedExtrinsic::decode(&mut &xt.encode()[..]).unwrap();
		assert_eq!(decoded, xt);

		let sp_runtime::generic::Preamble::Signed(address, signature, extension) = &xt.preamble
		else {
			panic!("a signed extrinsic");
		};
		assert_eq!(*address, Address::Id(Sr25519Keyring::Alice.to_account_id()));

		let payload_for = |genesis: Hash, checkpoint: Hash| {
			SignedPayload::from_raw(
				transfer(),
				extension.clone(),
				((), ctx.spec_version, ctx.transaction_version, genesis, checkpoint, (), (), (), None, ()),
			)
		};
		let alice_id = Sr25519Keyring::Alice.to_account_id();
		let verifies = |payload: SignedPayload| payload.using_encoded(|b| signature.verify(b, &alice_id));
		assert!(verifies(payload_for(ctx.genesis_hash, ctx.checkpoint_hash)));
		// Another chain, or another era checkpoint, must not accept the same signature.
		assert!(!verifies(payload_for(Hash::repeat_byte(8), ctx.checkpoint_hash)));
		assert!(!verifies(payload_for(ctx.genesis_hash, Hash::repeat_byte(1))));
	}
}
