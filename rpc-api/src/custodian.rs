//! A custodian node's own methods.

use custos_primitives::EscrowId;
use jsonrpsee::{core::RpcResult, proc_macros::rpc};
use sp_core::Bytes;

use crate::views::{CustodianIdentity, DepositReceipt, ServedEvaluation, ServedRelease};

/// JSON-RPC error code of a refused deposit; the message says why.
pub const DEPOSIT_REFUSED: i32 = 4001;

/// JSON-RPC error code of a deposit refused because the node takes no more deposits now (its
/// rate limit); the message says when to try again. Nothing about the share was checked.
pub const DEPOSIT_BUSY: i32 = 4003;
/// How long `custos_evaluatedGuess` waits for the custodian to evaluate a guess it has not
/// evaluated yet (it evaluates at the finalized block that counted the guess).
pub const EVALUATION_WAIT_MS: u64 = 3_000;

/// The `custos_` methods of a node that holds custodian keys.
#[rpc(client, server, namespace = "custos")]
pub trait CustodianApi {
	/// This node's custodian identity, or null when its keystore holds no custodian keys.
	#[method(name = "custodian")]
	fn custodian(&self) -> RpcResult<Option<CustodianIdentity>>;

	/// Takes share `index` of custodian-held escrow `escrow` (sealed to this custodian) into
	/// custody and acknowledges it on chain. Refused with [`DEPOSIT_REFUSED`] and the reason
	/// when the share is not this custodian's, is larger than the runtime's `MaxShareLen`, does
	/// not match the escrow's commitment or would overfill the node's store; with
	/// [`DEPOSIT_BUSY`] when the node's deposit rate limit is reached.
	#[method(name = "depositShare")]
	async fn deposit_share(
		&self,
		escrow: EscrowId,
		index: u32,
		sealed: Bytes,
	) -> RpcResult<DepositReceipt>;

	/// The release of share `index` of `escrow` this custodian has signed, served the moment
	/// the request is releasable at a finalized block, before its `release_share` is included
	/// and final; null when it has none (not releasable yet, not its share, or already final:
	/// then the chain has it). The client checks it as it checks a release read from chain.
	#[method(name = "releasedShare")]
	async fn released_share(&self, escrow: EscrowId, index: u32) -> RpcResult<Option<ServedRelease>>;

	/// This custodian's evaluation of guess `guess` of `escrow` (a guess counted in a finalized
	/// block), served the moment it is signed, before its `record_evaluation` is in a block;
	/// waits up to [`EVALUATION_WAIT_MS`] for the custodian to evaluate it when it has not yet.
	/// Null when it has none: not one of the escrow's custodians, the guess not final or
	/// unknown, or the evaluation already on chain (then the chain has it). The client checks
	/// its proof against the slot's `K_i` before using it.
	#[method(name = "evaluatedGuess")]
	async fn evaluated_guess(
		&self,
		escrow: EscrowId,
		guess: u32,
	) -> RpcResult<Option<ServedEvaluation>>;
}
