//! A `--dev` node finalizes blocks, and a transfer signed by Alice through the client
//! library reaches Bob once finalized. On the same chain, Alice's CA certifies a new custodian
//! through the `custos` binary with the proof of possession its own node gives.

use std::time::Duration;

use custos_client::{balances, submit::Progress};
use custos_e2e::{custos, Node, NodeConfig};
use custos_primitives::{PublicKey, Role};
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

	certify_a_custodian_from_its_node(&node).await
}

/// Ferdie runs a custodian node (`--ferdie` puts dev custodian keys in its keystore; genesis
/// certifies Alice to Eve only). Its node answers `custos_custodian` with its sealing key and
/// the proof of possession a certificate needs, without syncing: the proof names the chain by
/// its genesis hash. Alice's CA issues the certificate with `--from-node`.
async fn certify_a_custodian_from_its_node(dev: &Node) -> anyhow::Result<()> {
	let ferdie = Node::start(NodeConfig {
		name: "ferdie-custodian",
		args: vec![
			"--chain".into(),
			"dev".into(),
			"--ferdie".into(),
			"--node-key".into(),
			format!("{:064x}", 6),
		],
	})
	.await?;
	let identity = ferdie.client().await?.custodian_identity().await?.expect("custodian keys");
	assert!(!identity.certified, "{identity:?}");
	assert_eq!(identity.account, Sr25519Keyring::Ferdie.to_account_id());
	let state = tempfile::tempdir()?;
	let issue = |args: &[&str]| {
		let all = [&["ca", "issue", "--signer", "//Alice"][..], args].concat();
		let (ok, _, stderr) = custos(&dev.url(), state.path(), &all);
		(ok, stderr)
	};

	// Without the node's proof a custodian certificate is not even sent.
	let (ok, stderr) = issue(&["--role", "custodian", "--subject", "//Ferdie"]);
	assert!(!ok && stderr.contains("--from-node"), "{stderr}");
	// The node is Ferdie's: naming another subject is refused before anything is sent.
	let (ok, stderr) =
		issue(&["--role", "custodian", "--from-node", &ferdie.url(), "--subject", "//Bob"]);
	assert!(!ok && stderr.contains("not the --subject given"), "{stderr}");

	let (ok, stderr) = issue(&["--role", "custodian", "--from-node", &ferdie.url()]);
	assert!(ok, "{stderr}");
	let client = dev.client().await?;
	let certificate = client
		.certificate(&identity.account, Role::Custodian)
		.await?
		.expect("Ferdie is certified");
	assert_eq!(certificate.keys, vec![PublicKey::X25519(identity.sealing_key)]);
	Ok(())
}
