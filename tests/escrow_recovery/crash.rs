//! Reliability on the five-node network: a custodian killed with SIGKILL in the middle of a
//! release, and a validator killed during the same recovery.
//!
//! Ferdie runs a sixth node, a custodian certified through its own proof of possession, with
//! the failpoint `duty-journaled:Release`: it journals its signed release and stops before
//! the pool sees it. The escrow is custodian-held, 2-of-2 (alice and ferdie), so the recovery
//! needs exactly the share ferdie holds on disk. With ferdie stopped there, dave (a validator)
//! and then ferdie are killed with SIGKILL; ferdie restarts without the failpoint. The
//! recovery completes, ferdie's release reaches the chain exactly once, and the share it held
//! is still there.
//!
//! The shares are collected from one lying node (in front of alice's node, it alters every
//! storage proof it passes on) and two honest ones (alice's and ferdie's): the key is rebuilt
//! from the honest answers, the lying node is named, and no custodian is blamed.

use codec::Decode;
use custos_e2e::lying_node::LyingNode;

use super::*;

/// What the crash scenario counted.
pub struct CrashFigures {
	/// Processes killed with SIGKILL that the recovery survived.
	pub crashes: u32,
	/// Release transactions by ferdie on chain beyond the one expected.
	pub duplicates: usize,
	/// Lying nodes collect named (one given).
	pub lying_nodes_named: usize,
	/// Storage proofs the lying node altered, all refused.
	pub altered_proofs: usize,
}

/// The part that runs while the other scenarios do: ferdie's node up and certified, the
/// escrow made and its recovery approved, ferdie stopped at its journaled release.
pub struct Prepared {
	ferdie: Node,
	ferdie_account: AccountId,
	key: KeyMaterial,
	id: EscrowId,
	request: RequestFile,
	approved_at: BlockNumber,
}

pub async fn prepare(client: &ChainClient, alice: &Node, state: &Path) -> Result<Prepared> {
	let ferdie = Node::start_with_env(
		NodeConfig {
			name: "ferdie",
			args: vec![
				"--chain".into(),
				"local-short-delay".into(),
				"--ferdie".into(),
				"--node-key".into(),
				custos_e2e::random_node_key(),
				"--bootnodes".into(),
				alice.bootnode().await?,
			],
		},
		&[("CUSTOS_FAILPOINT", "duty-journaled:Release")],
	)
	.await?;
	let identity = ferdie
		.client()
		.await?
		.custodian_identity()
		.await?
		.context("ferdie's node holds no custodian keys")?;
	let ferdie_account = identity.account.clone();
	certificates::issue(
		client,
		&Sr25519Keyring::Alice.pair(),
		ferdie_account.clone(),
		Role::Custodian,
		vec![PublicKey::X25519(identity.sealing_key)],
		None,
		10_000,
		Some(identity.key_proof),
		Reporter::quiet(),
	)
	.await?;
	ferdie.wait_for_log("is certified", TIMEOUT).await?;

	let custodians = vec![ferdie_account.clone(), Sr25519Keyring::Alice.to_account_id()];
	let holders = [ferdie.url(), alice.url()];
	let (key, id, request, approved_at) = escrow_and_request(
		client,
		&dev("//Alice//stash"),
		|guardian| options(2, custodians, guardian, 2, StorageMode::CustodianHeld),
		Some(&holders[..]),
		false,
		state,
	)
	.await?;
	ferdie.wait_for_log("Failpoint duty-journaled reached at Release", TIMEOUT).await?;
	Ok(Prepared { ferdie, ferdie_account, key, id, request, approved_at })
}

/// Held share files of a node (its custodian store).
fn held_shares(node: &Node) -> Result<usize> {
	let chains = node.base_path().join("chains");
	let mut count = 0;
	for chain in std::fs::read_dir(chains)? {
		let shares = chain?.path().join("custodian").join("shares");
		if shares.exists() {
			count += std::fs::read_dir(shares)?.count();
		}
	}
	Ok(count)
}

/// Kills dave (a validator) and ferdie (mid-release) with SIGKILL, restarts ferdie, and checks
/// the recovery completes with one release by ferdie on chain and its held share kept.
pub async fn crash_and_recover(
	client: &ChainClient,
	alice: &Node,
	dave: &mut Node,
	prepared: Prepared,
) -> Result<CrashFigures> {
	let Prepared { mut ferdie, ferdie_account, key, id, request, approved_at } = prepared;
	let held_before = held_shares(&ferdie)?;
	ensure!(held_before == 1, "ferdie holds {held_before} shares before the crash");
	dave.kill()?;
	ferdie.kill()?;
	ensure!(held_shares(&ferdie)? == held_before, "the crash lost a held share");
	ferdie.restart().await?;
	// The restarted node serves the release it journaled before the crash, at once: what the
	// client takes before the chain's record of it is final.
	let served = ferdie
		.client()
		.await?
		.served_release(id, 0)
		.await?
		.context("ferdie's restarted node serves no release of its share")?;

	recovery::wait_for_releases(client, id, 2, TIMEOUT).await?;
	let on_chain = client.releases(id).await?;
	let (_, released) = on_chain.iter().find(|(index, _)| *index == 0).context("no release 0")?;
	ensure!(
		released.payload.to_vec() == served.payload.0,
		"ferdie served another release than the one on chain"
	);
	let liar = LyingNode::start(&alice.url()).await?;
	// The liar first, so that it answers as early as it can.
	let nodes = [liar.url().to_string(), alice.url(), ferdie.url()];
	let collected =
		collect::collect(&nodes, &request, PASSPHRASE.as_bytes(), Reporter::quiet()).await?;
	ensure!(collected.key.secret() == key.secret(), "the crash scenario rebuilt another key");
	let lying_nodes_named = collected.lying_nodes.len();
	ensure!(
		collected.lying_nodes.iter().map(|(url, _)| url.as_str()).eq([liar.url()]),
		"not exactly the lying node was named: {:?}",
		collected.lying_nodes
	);
	ensure!(collected.faulty.is_empty(), "a custodian was blamed: {:?}", collected.faulty);
	let altered_proofs = liar.altered();
	ensure!(altered_proofs > 0, "the lying node altered nothing");
	ensure!(held_shares(&ferdie)? == held_before, "the restarted custodian lost its share");

	// Every release ferdie signed, in every block since the approval.
	let finalized = client.finalized_block().await?.number;
	let mut releases = 0;
	for number in approved_at..=finalized {
		let hash = client.block_hash(number).await?.context("a finalized block")?;
		for bytes in client.block_extrinsics(hash).await? {
			let Ok(extrinsic) = custos_runtime::UncheckedExtrinsic::decode(&mut &bytes[..]) else {
				continue;
			};
			let by_ferdie = matches!(
				&extrinsic.preamble,
				sp_runtime::generic::Preamble::Signed(sp_runtime::MultiAddress::Id(who), ..)
					if *who == ferdie_account
			);
			if by_ferdie &&
				matches!(
					extrinsic.function,
					RuntimeCall::KeyEscrow(pallet_key_escrow::Call::release_share { .. })
				) {
				releases += 1;
			}
		}
	}
	ensure!(releases >= 1, "no release by ferdie on chain");
	Ok(CrashFigures { crashes: 2, duplicates: releases - 1, lying_nodes_named, altered_proofs })
}
