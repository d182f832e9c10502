//! Custodian-held escrows: handing each sealed share to its custodian's node over JSON-RPC
//! (`custos_depositShare`) and waiting for the custodians' acknowledgements on chain.

use std::time::Duration;

use custos_primitives::EscrowId;
use custos_runtime::AccountId;
use custos_envelope::SealedShare;

use crate::{progress::Reporter, ChainClient, Error, Result};

/// Which custodian a node is: its answer to `custos_custodian`.
pub async fn node_custodian(client: &ChainClient) -> Result<Option<AccountId>> {
	Ok(client.custodian_identity().await?.map(|identity| identity.account))
}

/// Sends share `i` of `sealed` to the node (among `nodes`) whose custodian is `custodians[i]`,
/// then waits until the chain shows every share acknowledged. Every custodian needs a node
/// in `nodes`; a missing one is an error before anything is sent.
pub async fn deposit_shares(
	nodes: &[String],
	id: EscrowId,
	custodians: &[AccountId],
	sealed: &[SealedShare],
	chain: &ChainClient,
	timeout: Duration,
	reporter: Reporter,
) -> Result<()> {
	let mut by_custodian = Vec::new();
	for url in nodes {
		match ChainClient::connect(url).await {
			Ok(client) => match node_custodian(&client).await {
				Ok(Some(account)) => by_custodian.push((account, client)),
				Ok(None) => reporter.warn(format!("{url} holds no custodian keys; skipped")),
				Err(e) => reporter.warn(format!("{url}: {e}; skipped")),
			},
			Err(e) => reporter.warn(format!("{e}; skipped")),
		}
	}
	let mut plan = Vec::new();
	for (index, custodian) in custodians.iter().enumerate() {
		let client = by_custodian
			.iter()
			.find(|(account, _)| account == custodian)
			.map(|(_, client)| client)
			.ok_or_else(|| {
				Error::Invalid(format!(
					"no node among --nodes is custodian {custodian} (share {index}); give its URL"
				))
			})?;
		plan.push((index, client));
	}
	for (index, client) in plan {
		client.deposit_share(id, index as u32, &sealed[index]).await?;
		reporter.step(format!("share {index} deposited with {}", client.url()));
	}
	wait_for_acknowledgements(chain, id, timeout, reporter).await
}

/// Hands the shares of a just created (or re-split) custodian-held escrow to the custodians'
/// nodes among `nodes` and waits for every acknowledgement (see [`deposit_shares`]).
pub async fn deposit_created(
	nodes: &[String],
	created: &crate::escrow::Created,
	chain: &ChainClient,
	timeout: Duration,
	reporter: Reporter,
) -> Result<()> {
	let custodians: Vec<AccountId> = created.custodians.iter().map(|(a, _)| a.clone()).collect();
	deposit_shares(nodes, created.id, &custodians, &created.sealed, chain, timeout, reporter).await
}

/// Waits until every custodian of escrow `id` has acknowledged its share on chain.
pub async fn wait_for_acknowledgements(
	chain: &ChainClient,
	id: EscrowId,
	timeout: Duration,
	reporter: Reporter,
) -> Result<()> {
	// Atomic, not a Cell: the future stays `Send`, so it can run in a spawned task.
	let last = std::sync::atomic::AtomicUsize::new(usize::MAX);
	chain
		.wait_until("the custodians' acknowledgements", timeout, || async {
			let record = chain.existing_escrow(id).await?;
			let acknowledged = record.custodians.iter().filter(|slot| slot.acknowledged).count();
			if last.swap(acknowledged, std::sync::atomic::Ordering::Relaxed) != acknowledged {
				reporter.step(format!(
					"{acknowledged} of {} custodians acknowledged",
					record.custodians.len()
				));
			}
			Ok((acknowledged == record.custodians.len()).then_some(()))
		})
		.await
}
