//! The end check: every escrow the run created is in the finalized state, and a custodian-held
//! one whose acknowledgements the run saw is acknowledged there by every custodian.

use custos_client::{escrow::FINALITY_TIMEOUT, rpc::BlockRef, ChainClient};
use custos_primitives::StorageMode;
use futures::StreamExt;

use super::ledger::{FailureKind, Ledger};

/// Escrow reads in flight at once.
const READS_AT_ONCE: usize = 16;

/// Reads every escrow the ledger holds at the finalized block once finality has caught up with
/// the best block (acknowledgements were awaited at the best block), recording each one
/// missing or not fully acknowledged as lost. Returns the block it read at.
pub async fn verify(client: &ChainClient, ledger: &Ledger) -> anyhow::Result<BlockRef> {
	let best = client.best_block().await?.number;
	let finalized = client.wait_for_finalized(best, FINALITY_TIMEOUT).await?;
	let escrows: Vec<_> = ledger
		.records()
		.escrows
		.iter()
		.map(|escrow| {
			let expect_acknowledged =
				escrow.mode == StorageMode::CustodianHeld && escrow.acknowledged;
			(escrow.id, expect_acknowledged)
		})
		.collect();
	let mut reads = futures::stream::iter(escrows)
		.map(|(id, expect_acknowledged)| async move {
			(id, expect_acknowledged, client.escrow_at(id, Some(finalized.hash)).await)
		})
		.buffer_unordered(READS_AT_ONCE);
	while let Some((id, expect_acknowledged, read)) = reads.next().await {
		let operation = format!("escrow {id:?} at the end (block #{})", finalized.number);
		match read {
			Ok(Some(record)) if expect_acknowledged => {
				let acknowledged =
					record.custodians.iter().filter(|slot| slot.acknowledged).count();
				if acknowledged < record.custodians.len() {
					let reason = format!(
						"{acknowledged} of {} custodians acknowledged, though all were seen to",
						record.custodians.len()
					);
					ledger.failure(FailureKind::Lost, operation, reason);
				}
			},
			Ok(Some(_)) => {},
			Ok(None) => {
				let reason = "not in the finalized state, though its creation was finalized";
				ledger.failure(FailureKind::Lost, operation, reason.into());
			},
			Err(e) => ledger.failure(FailureKind::Failed, operation, format!("reading it: {e}")),
		}
	}
	Ok(finalized)
}
