//! Messages signed off chain and checked on chain.

use alloc::vec::Vec;

use codec::Encode;
use sp_core::H256;

use crate::EscrowId;

/// Domain separator of the message a recovery key signs to open a recovery request.
pub const RECOVERY_SIGNATURE_DOMAIN: &[u8] = b"custos/recovery-request/v2";

/// The message a recovery key signs to open a request: it binds the chain (its genesis block
/// hash), the escrow, the requester's account, the one-time key the shares will be sealed to
/// and the escrow's request nonce (a counter of requests opened for it), so a signature cannot
/// be replayed on another chain (where the same owner and key give the same escrow id), for
/// another requester, for another sealing key, or for a later request.
pub fn recovery_request_message<Genesis: Encode, AccountId: Encode>(
	genesis: &Genesis,
	escrow: &EscrowId,
	requester: &AccountId,
	one_time_key: &H256,
	request_nonce: u32,
) -> Vec<u8> {
	(RECOVERY_SIGNATURE_DOMAIN, genesis, escrow, requester, one_time_key, request_nonce).encode()
}
