//! Funding the run's accounts in one go: every transfer signed by the funder at consecutive
//! nonces, all submitted at once, then each awaited to finality (one block for all, not one
//! block each).

use custos_client::{
	escrow::FINALITY_TIMEOUT,
	extrinsic,
	submit::{submit_and_wait, Progress},
	ChainClient,
};
use custos_runtime::{AccountId, Balance, BalancesCall, RuntimeCall};
use sp_core::{sr25519, Pair};

use super::{
	ledger::{FailureKind, FinalizedTx, Ledger, TxKind},
	timeline::TxTimeline,
};

/// Transfers each `(account, amount)` of `payees` from `funder` through `client`, recording
/// each transfer (or its failure) in `ledger`. Fails, after all are settled, when any did:
/// the run cannot go on without its accounts.
pub async fn fund(
	client: &ChainClient,
	funder: &sr25519::Pair,
	payees: &[(AccountId, Balance)],
	ledger: &Ledger,
) -> anyhow::Result<()> {
	let context = client.signing_context().await?;
	let first_nonce = client.next_nonce(&funder.public().into()).await?;
	let transfers = payees.iter().zip(first_nonce..).map(|((dest, amount), nonce)| {
		let call = RuntimeCall::Balances(BalancesCall::transfer_keep_alive {
			dest: dest.clone().into(),
			value: *amount,
		});
		let extrinsic = extrinsic::sign(call, funder, nonce, &context);
		async move {
			let mut timeline = TxTimeline::default();
			let mut observe = |progress: &Progress| timeline.observe(progress);
			let result = submit_and_wait(client, &extrinsic, FINALITY_TIMEOUT, &mut observe).await;
			(dest, nonce, result, timeline)
		}
	});
	let mut failures = 0;
	for (dest, nonce, result, timeline) in futures::future::join_all(transfers).await {
		match (result, timeline.times()) {
			(Ok(inclusion), Some(times)) => ledger.finalized(FinalizedTx {
				kind: TxKind::Transfer,
				times,
				block: inclusion.block.number,
			}),
			(result, _) => {
				failures += 1;
				let kind = if timeline.lost() { FailureKind::Lost } else { FailureKind::Failed };
				let reason = match result {
					Err(e) => e.to_string(),
					Ok(_) => "finalized without the node reporting its progress".into(),
				};
				ledger.failure(kind, format!("transfer to {dest} (nonce {nonce})"), reason);
			},
		}
	}
	anyhow::ensure!(
		failures == 0,
		"{failures} of {} funding transfers did not go through; see the failures above",
		payees.len()
	);
	Ok(())
}
