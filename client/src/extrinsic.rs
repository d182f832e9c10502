//! Signing extrinsics for the Custos runtime.
//!
//! The client links the runtime crate natively and builds extrinsics from its own types
//! (`RuntimeCall`, `TxExtension`), so a call the runtime would not accept does not compile.
//! [`ChainClient::check_runtime`](crate::ChainClient::check_runtime) guards against talking
//! to a different runtime.

use codec::Encode;
use custos_runtime::{
	Address, Hash, Nonce, Runtime, RuntimeCall, Signature, SignedPayload, TxExtension,
	UncheckedExtrinsic,
};
use sp_core::{sr25519, Pair};
use sp_runtime::generic::Era;

use crate::{ChainClient, Result};

/// Blocks a signed transaction stays valid after its checkpoint block.
pub const MORTALITY_PERIOD: u64 = 64;

/// What a signature commits to besides the call: which chain and runtime, and from when.
#[derive(Clone, Copy, Debug)]
pub struct SigningContext {
	pub genesis_hash: Hash,
	pub spec_version: u32,
	pub transaction_version: u32,
	/// The era starts at this (finalized) block, so a reorg cannot void the transaction.
	pub checkpoint_number: u32,
	pub checkpoint_hash: Hash,
}

impl SigningContext {
	/// Reads the context from the node: genesis, runtime version, last finalized block.
	pub async fn fetch(client: &ChainClient) -> Result<Self> {
		let runtime = client.check_runtime().await?;
		let genesis_hash = client.genesis_hash().await?;
		let checkpoint = client.finalized_block().await?;
		Ok(Self {
			genesis_hash,
			spec_version: runtime.spec_version,
			transaction_version: runtime.transaction_version,
			checkpoint_number: checkpoint.number,
			checkpoint_hash: checkpoint.hash,
		})
	}
}

/// Signs `call` by `signer` with `nonce`, no tip, valid for [`MORTALITY_PERIOD`] blocks.
pub fn sign(
	call: RuntimeCall,
	signer: &sr25519::Pair,
	nonce: Nonce,
	context: &SigningContext,
) -> UncheckedExtrinsic {
	let era = Era::mortal(MORTALITY_PERIOD, context.checkpoint_number.into());
	let extension: TxExtension = (
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
	);
	// What the extensions add to the signed payload without sending it; the runtime
	// recomputes it from its own state, so any mismatch makes the signature invalid.
	let implicit = (
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
	);
	let payload = SignedPayload::from_raw(call.clone(), extension.clone(), implicit);
	let signature = payload.using_encoded(|bytes| signer.sign(bytes));
	let signer_account: custos_runtime::AccountId = signer.public().into();
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
	use codec::Decode;
	use custos_runtime::BalancesCall;
	use sp_keyring::Sr25519Keyring;
	use sp_runtime::traits::Verify;

	fn context() -> SigningContext {
		SigningContext {
			genesis_hash: Hash::repeat_byte(7),
			spec_version: custos_runtime::VERSION.spec_version,
			transaction_version: custos_runtime::VERSION.transaction_version,
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
