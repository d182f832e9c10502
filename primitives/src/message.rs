//! Messages signed off chain and checked on chain.

use alloc::vec::Vec;

use codec::Encode;
use sp_core::H256;

use crate::EscrowId;

/// Domain separator of the message a recovery key signs to open a recovery request.
pub const RECOVERY_SIGNATURE_DOMAIN: &[u8] = b"custos/recovery-request/v1";

/// The message a recovery key signs to open a request: it binds the escrow, the requester's
/// account and the one-time key the shares will be sealed to, so a signature cannot be
/// replayed for another requester or another sealing key.
pub fn recovery_request_message<AccountId: Encode>(
	escrow: &EscrowId,
	requester: &AccountId,
	one_time_key: &H256,
) -> Vec<u8> {
	(RECOVERY_SIGNATURE_DOMAIN, escrow, requester, one_time_key).encode()
}
