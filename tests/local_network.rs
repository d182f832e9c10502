//! Validator operators join and leave the `local` network through certificates, end to end
//! through the `custos` binary, on the network `scripts/testnet.sh` starts: alice, bob, charlie
//! and dave validate from genesis, eve runs a node outside the set.
//!
//! Alice's CA certifies a fresh operator account as a validator, naming the build eve's node
//! reports; the operator joins with eve's node. From a later session eve's node authors blocks
//! (seen in block headers), and its GRANDPA votes count: with dave stopped, four of five
//! validators are online, a supermajority only with eve's votes, and finality advances. Then
//! the CA revokes the certificate: from a later session eve authors nothing, and finality
//! still advances with three of the four original validators. `custos validator list` shows
//! each state as it happens.

use std::{path::Path, time::Duration};

use anyhow::{ensure, Context, Result};
use codec::Decode;
use custos_client::{validators, ChainClient, Error};
use custos_e2e::{custos_ok, Node};
use custos_runtime::{AccountId, Hash, SessionKeys};
use serde_json::Value;
use sp_core::crypto::Ss58Codec;
use sp_runtime::DigestItem;

/// Sessions are 10 blocks on `local` (a minute): a change takes one to two sessions.
const SESSIONS: Duration = Duration::from_secs(420);
/// Finality advancing by a few blocks.
const FINALITY: Duration = Duration::from_secs(180);

/// The five nodes as `scripts/testnet.sh` starts them (eve too with `--validator`).
async fn start_network() -> Result<Vec<Node>> {
	custos_e2e::start_five_nodes("local", true).await
}

/// The Aura key that authored block `hash`: its slot (from the Aura pre-digest) modulo the
/// authorities of its parent's state.
async fn author(client: &ChainClient, hash: Hash) -> custos_client::Result<[u8; 32]> {
	let header = client.header(Some(hash)).await?;
	let slot = header
		.digest
		.logs
		.iter()
		.find_map(|item| match item {
			DigestItem::PreRuntime(engine, data) if engine == b"aura" => {
				u64::decode(&mut &data[..]).ok()
			},
			_ => None,
		})
		.ok_or_else(|| Error::Invalid(format!("block #{} has no Aura pre-digest", header.number)))?;
	let authorities: Vec<[u8; 32]> =
		client.runtime_api("AuraApi_authorities", (), Some(header.parent_hash)).await?;
	if authorities.is_empty() {
		return Err(Error::Invalid(format!("no Aura authorities at #{}", header.number - 1)));
	}
	Ok(authorities[(slot % authorities.len() as u64) as usize])
}

/// The authors of the finalized blocks `from..=to`.
async fn authors(client: &ChainClient, from: u32, to: u32) -> custos_client::Result<Vec<[u8; 32]>> {
	let mut found = Vec::new();
	for number in from..=to {
		let hash = client
			.block_hash(number)
			.await?
			.ok_or_else(|| Error::Invalid(format!("no block #{number}")))?;
		found.push(author(client, hash).await?);
	}
	Ok(found)
}

/// `custos validator list --json`'s row for `who`.
fn row(url: &str, state: &Path, who: &AccountId) -> Value {
	let who_text = who.to_ss58check();
	let listing = custos_ok(url, state, &["validator", "list", "--account", &who_text]);
	listing["validators"]
		.as_array()
		.and_then(|rows| rows.iter().find(|r| r["account"] == who.to_ss58check()).cloned())
		.unwrap_or(Value::Null)
}

/// Waits until `who` is (or is not) among the current session's validators.
async fn wait_current(client: &ChainClient, who: &AccountId, member: bool) -> Result<u32> {
	let what = format!("{who} {} the current validators", if member { "among" } else { "gone from" });
	Ok(client
		.wait_until(&what, SESSIONS, || async {
			let list = validators::list(client, &[]).await?;
			Ok((list.sessions.current.contains(who) == member).then_some(list.sessions.index))
		})
		.await?)
}

#[tokio::test(flavor = "multi_thread")]
async fn validators_join_and_leave_through_certificates() -> Result<()> {
	let mut nodes = start_network().await?;
	let (url, eve_url) = (nodes[0].url(), nodes[4].url());
	let client = nodes[0].client().await?;
	// The five peer, and the four genesis validators finalize.
	client.wait_for_finalized(3, FINALITY).await?;
	// Each has a peer by then, or soon after on a loaded machine: waited for, at each
	// finalized block, not checked once.
	for node in &nodes {
		let client = node.client().await?;
		client
			.wait_until("a peer", FINALITY, || async { Ok((client.peer_count().await? >= 1).then_some(())) })
			.await
			.with_context(|| format!("a node has no peers:\n{}", node.log_tail(40)))?;
	}

	// A fresh operator account, funded for fees and the session-key deposit.
	let state = tempfile::tempdir()?;
	let key = state.path().join("operator.key");
	let key = key.to_str().context("temp paths are UTF-8")?;
	let generated = custos_ok(&url, state.path(), &["key", "generate", "--out", key]);
	let operator = AccountId::from_ss58check(generated["account"].as_str().context("an account")?)
		.map_err(|e| anyhow::anyhow!("{e:?}"))?;
	custos_ok(&url, state.path(), &["transfer", "--signer", "//Alice", "--to", key, "--amount", "100"]);

	// Alice's CA certifies it, naming the build eve's node reports.
	let measurement = custos_ok(&url, state.path(), &["validator", "measurement", "--node", &eve_url]);
	custos_ok(
		&url,
		state.path(),
		&["ca", "issue", "--signer", "//Alice", "--role", "validator", "--subject", key, "--from-node", &eve_url],
	);
	let listed = row(&url, state.path(), &operator);
	ensure!(listed["certificate"].as_str().is_some_and(|c| c.starts_with("valid")), "{listed}");
	ensure!(listed["certifiedMeasurement"] == measurement["measurement"], "{listed} {measurement}");
	ensure!(listed["candidate"] == false && listed["current"] == false, "{listed}");

	// The operator joins with eve's node: fresh keys from it, registered, measurement signed.
	let joined =
		custos_ok(&url, state.path(), &["validator", "join", "--signer", key, "--node", &eve_url]);
	let keys: sp_core::Bytes = serde_json::from_value(joined["sessionKeys"].clone())?;
	let aura: [u8; 32] = SessionKeys::decode(&mut &keys[..])?.aura.into_inner().0;
	let listed = row(&url, state.path(), &operator);
	ensure!(listed["candidate"] == true && listed["eligible"] == true, "{listed}");
	ensure!(listed["measurement"] == measurement["measurement"], "{listed}");

	// Queued at the next session change, validating from the one after.
	client
		.wait_until("the operator queued for the next session", SESSIONS, || async {
			let list = validators::list(&client, &[]).await?;
			Ok(list.sessions.queued.contains(&operator).then_some(()))
		})
		.await?;
	let listed = row(&url, state.path(), &operator);
	ensure!(listed["queued"] == true, "{listed}");
	let session = wait_current(&client, &operator, true).await?;
	let listed = row(&url, state.path(), &operator);
	ensure!(listed["current"] == true, "{listed}");
	println!("operator validating from session {session}");

	// Eve's node authors: some block of the next session's worth carries its Aura key.
	let from = client.finalized_block().await?.number + 1;
	let authored = client
		.wait_until("a block authored by eve's node", SESSIONS, || async {
			let to = client.finalized_block().await?.number;
			Ok(authors(&client, from, to).await?.contains(&aura).then_some(to))
		})
		.await?;
	println!("eve's node authored a block in #{from}..=#{authored}");

	// Stop dave: four of five validators are online, a supermajority only with eve's votes.
	// Finality past the best block at that moment needs votes dave never cast.
	drop(nodes.remove(3));
	let stopped_at = client.best_block().await?.number;
	let advanced = client.wait_for_finalized(stopped_at + 3, FINALITY).await?;
	println!("finality advanced past best #{stopped_at} to #{} with dave stopped", advanced.number);

	// The CA revokes the certificate: gone from a later session, and eve authors nothing.
	custos_ok(
		&url,
		state.path(),
		&["ca", "revoke", "--signer", "//Alice", "--subject", key, "--role", "validator"],
	);
	let listed = row(&url, state.path(), &operator);
	ensure!(listed["eligible"] == false && listed["reason"] == "certificate-invalid", "{listed}");
	ensure!(listed["certificate"].as_str().is_some_and(|c| c.starts_with("revoked")), "{listed}");
	wait_current(&client, &operator, false).await?;
	let listed = row(&url, state.path(), &operator);
	ensure!(listed["current"] == false && listed["queued"] == false, "{listed}");

	// Finality still advances with alice, bob and charlie (three of four), and no block of
	// the next ten (a session) is eve's.
	let removed_at = client.best_block().await?.number;
	let later = client.wait_for_finalized(removed_at + 10, FINALITY * 2).await?;
	let after = authors(&client, removed_at + 1, later.number).await?;
	ensure!(!after.contains(&aura), "eve's node authored after its removal");
	println!("finality advanced #{removed_at} -> #{} with eve out and dave stopped", later.number);
	Ok(())
}
