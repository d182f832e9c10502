//! A `--dev` node finalizes blocks, and a transfer signed by Alice through the client
//! library reaches Bob once finalized.

use std::time::Duration;

use custos_client::{balances, submit::Progress};
use custos_e2e::{Node, NodeConfig};
use custos_runtime::{RuntimeEvent, UNIT};
use pallet_balances::Event as BalancesEvent;
use sp_keyring::Sr25519Keyring;

#[tokio::test]
async fn dev_node_finalizes_and_a_transfer_reaches_bob() -> anyhow::Result<()> {
	// `--dev` as `./scripts/dev.sh` runs it: Alice validates, 2-second slots.
	let node = Node::start(NodeConfig { name: "dev", args: vec!["--dev".into()] }).await?;
	let client = node.client().await?;

	// Finality through JSON-RPC: wait on the finalized-heads subscription.
	let first = client.wait_for_finalized(1, Duration::from_secs(120)).await?;
	assert!(first.number >= 1);

	let alice = Sr25519Keyring::Alice.pair();
	let bob = Sr25519Keyring::Bob.to_account_id();
	let before = balances::free_balance(&client, &bob, Some(first.hash)).await?;

	let amount = 42 * UNIT;
	let mut progress = Vec::new();
	let inclusion = balances::transfer(
		&client,
		&alice,
		&bob,
		amount,
		Duration::from_secs(120),
		|p| progress.push(p.clone()),
	)
	.await?;

	assert!(matches!(progress.first(), Some(Progress::Submitted { .. })), "{progress:?}");
	assert!(matches!(progress.last(), Some(Progress::Finalized { .. })), "{progress:?}");
	assert!(inclusion.block.number > first.number);
	assert!(
		inclusion.events.iter().any(|e| matches!(
			e,
			RuntimeEvent::Balances(BalancesEvent::Transfer { amount: a, .. })
				if *a == amount
		)),
		"no Transfer event: {:?}",
		inclusion.events
	);

	let after = balances::free_balance(&client, &bob, Some(inclusion.block.hash)).await?;
	assert_eq!(after - before, amount, "Bob's free balance must rise by exactly the amount");
	Ok(())
}
