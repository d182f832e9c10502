//! Two validators (alice, bob) of a `local`-derived chain peer over 127.0.0.1 and both
//! finalize past block 3.

use std::time::Duration;

use custos_e2e::{local_spec_with_validators, Node, NodeConfig, NODE_KEY_1_PEER_ID};

const NODE_KEY_ALICE: &str = "0000000000000000000000000000000000000000000000000000000000000001";
const NODE_KEY_BOB: &str = "0000000000000000000000000000000000000000000000000000000000000002";

#[tokio::test]
async fn two_validators_peer_and_finalize() -> anyhow::Result<()> {
	// GRANDPA needs more than 2/3 of its voters: with three genesis validators two nodes
	// could not finalize, so this chain's genesis names exactly alice and bob.
	let dir = tempfile::tempdir()?;
	let spec = local_spec_with_validators(dir.path(), 2)?;
	let spec = spec.to_str().expect("temp paths are UTF-8");

	let alice = Node::start(NodeConfig {
		name: "alice",
		args: vec![
			"--chain".into(),
			spec.into(),
			"--alice".into(),
			"--validator".into(),
			"--node-key".into(),
			NODE_KEY_ALICE.into(),
		],
	})
	.await?;
	let bob = Node::start(NodeConfig {
		name: "bob",
		args: vec![
			"--chain".into(),
			spec.into(),
			"--bob".into(),
			"--validator".into(),
			"--node-key".into(),
			NODE_KEY_BOB.into(),
			"--bootnodes".into(),
			alice.multiaddr(NODE_KEY_1_PEER_ID),
		],
	})
	.await?;

	let (alice_client, bob_client) = (alice.client().await?, bob.client().await?);
	// Finality past block 3 needs both validators' GRANDPA votes, so it also shows they
	// peer; both nodes must see it.
	let timeout = Duration::from_secs(180);
	let (at_alice, at_bob) = tokio::try_join!(
		alice_client.wait_for_finalized(4, timeout),
		bob_client.wait_for_finalized(4, timeout),
	)?;
	assert!(at_alice.number > 3 && at_bob.number > 3);
	assert!(alice_client.peer_count().await? >= 1, "alice has no peers");
	assert!(bob_client.peer_count().await? >= 1, "bob has no peers");

	// Both followed the same chain: the block bob finalized is the one alice has.
	assert_eq!(alice_client.block_hash(at_bob.number).await?, Some(at_bob.hash));
	Ok(())
}
