//! `recover collect`: gather released shares from several nodes at once, each read at the
//! node's finalized block with storage proofs, take the escrow record most nodes agree on,
//! check each share against its commitment, stop at `t` good ones, rebuild the key and check
//! its fingerprint.
//!
//! What a node can and cannot do to it: every value is proven under the state root of the
//! block the node calls finalized ([`crate::proof`]), so a node cannot serve a value its block
//! does not hold without forging the block itself; a forged block (or another chain) is
//! outvoted by the other nodes, since the record is the one most nodes prove, and a release
//! that disagrees with the one other nodes prove, or that fails where another validates, names
//! its node, not the custodian. What stays trusted: with one node alone, its word (a warning
//! says so); and that most of the nodes given do not forge blocks together.

use std::{
	collections::BTreeMap,
	path::Path,
	time::{Duration, Instant},
};

use custos_envelope::{Commitment, ReleasedShare, Share, ShareContext};
use custos_primitives::EscrowId;
use custos_runtime::AccountId;
use futures::{stream::FuturesUnordered, StreamExt};
use sp_core::H256;
use zeroize::Zeroizing;

use crate::{
	agreement::{self, NodeAnswer, NodeFault},
	keys::KeyMaterial,
	progress::Reporter,
	recovery::{protection_key, RequestFile},
	ChainClient, Error, Result,
};

pub use crate::agreement::FaultyShare;

/// How long one node may take to answer everything collect asks it (connecting included): a
/// node that hangs is skipped, not waited for.
pub const NODE_TIMEOUT: Duration = Duration::from_secs(60);

/// The rebuilt key and how it was gathered.
pub struct Collected {
	pub key: KeyMaterial,
	pub fingerprint: H256,
	/// `(share index, custodian)` of the shares combined.
	pub used: Vec<(u32, AccountId)>,
	pub faulty: Vec<FaultyShare>,
	/// `(url, reason)` of nodes that could not be asked.
	pub unreachable: Vec<(String, String)>,
	/// `(url, reason)` of nodes whose answers were not used: a proof that does not verify, a
	/// header that does not hash to its block, another chain, an escrow record the other nodes
	/// outvote (the reason says when the node may just be behind), or a release the chain does
	/// not hold.
	pub lying_nodes: Vec<(String, String)>,
	/// The nodes whose escrow record was taken (most agree on it; one alone is only its word).
	pub agreeing_nodes: Vec<String>,
	/// Indexes of the shares combined that a custodian's node served (`custos_releasedShare`)
	/// before their release records were final; checked as those would be.
	pub served_early: Vec<u32>,
}

/// Asks the node at `url` for its finalized block and, proven at that block, escrow `id`'s
/// record, open request and releases (shares `0..n` of the record it proves).
async fn ask(url: &str, id: EscrowId) -> Result<NodeAnswer> {
	let client = ChainClient::connect(url).await?;
	let genesis = client.genesis_hash().await?;
	let block = client.proven_finalized_block().await?;
	let (escrow, request) = client.proven_escrow_and_request(&block, id).await?;
	let releases = match &escrow {
		Some(record) => client.proven_releases(&block, id, record.custodians.len() as u32).await?,
		None => Vec::new(),
	};
	Ok(NodeAnswer { url: url.to_string(), genesis, block: block.into(), escrow, request, releases })
}

/// [`ask`], given up after [`NODE_TIMEOUT`].
async fn ask_in_time(url: &str, id: EscrowId) -> Result<NodeAnswer> {
	tokio::time::timeout(NODE_TIMEOUT, ask(url, id)).await.map_err(|_| Error::Timeout {
		what: format!("{url} to answer"),
		seconds: NODE_TIMEOUT.as_secs(),
	})?
}

/// Asks every node in `nodes` concurrently (each for at most [`NODE_TIMEOUT`]) for escrow
/// `request.escrow` at its finalized block, with proofs, and takes the genesis and escrow
/// record most of them agree on ([`agreement::agree_on_record`]); nodes whose proofs fail or
/// that are outvoted are named and not used. It then checks the released shares of the nodes
/// that show this request open, share by share ([`agreement::judge_share`]): a share counts
/// only once it validates (release layer, commitment, passphrase layer, index), and it stops
/// once `t` are good. A custodian whose release, proven on chain, fails is named; a node that
/// serves a release the chain does not hold is named instead. Fewer than `t` good shares, or a
/// rebuilt key whose fingerprint is not the escrow's, is an error: a wrong key is never
/// returned.
pub async fn collect(
	nodes: &[String],
	request: &RequestFile,
	passphrase: &[u8],
	reporter: Reporter,
) -> Result<Collected> {
	if nodes.is_empty() {
		return Err(Error::Invalid("give at least one node URL (--nodes URL,URL,...)".into()));
	}
	let id = request.escrow;
	reporter.step(format!(
		"asking {} node(s) for escrow {id:?} at their finalized block, with storage proofs",
		nodes.len()
	));
	let mut pending: FuturesUnordered<_> =
		nodes.iter().map(|url| async move { (url.clone(), ask_in_time(url, id).await) }).collect();
	let mut answers: Vec<NodeAnswer> = Vec::new();
	let mut unreachable: Vec<NodeFault> = Vec::new();
	let mut lying_nodes: Vec<NodeFault> = Vec::new();
	while let Some((url, answer)) = pending.next().await {
		match answer {
			Ok(answer) => {
				reporter.step(format!(
					"{url}: finalized block #{}, {}, {} released shares (proven)",
					answer.block.number,
					match &answer.escrow {
						Some(record) => format!("escrow generation {}", record.generation),
						None => "no such escrow".into(),
					},
					answer.releases.len()
				));
				answers.push(answer);
			},
			Err(Error::BadNode { url, reason }) => {
				reporter.warn(format!("node {url}: {reason}; its answers are not used"));
				lying_nodes.push((url, reason));
			},
			Err(e) => {
				reporter.warn(format!("skipping {url}: {e}"));
				unreachable.push((url, e.to_string()));
			},
		}
	}
	if answers.is_empty() {
		let failed: Vec<String> =
			unreachable.iter().chain(&lying_nodes).map(|(url, e)| format!("{url} ({e})")).collect();
		return Err(Error::Invalid(format!("no node could be asked: {}", failed.join("; "))));
	}

	let agreement = agreement::agree_on_record(&answers, id)?;
	for (url, reason) in &agreement.outvoted {
		reporter.warn(format!("node {url}: {reason}; its answers are not used"));
	}
	lying_nodes.extend(agreement.outvoted);
	let escrow = agreement.escrow;
	let agreeing_nodes: Vec<String> =
		agreement.agreeing.iter().map(|&i| answers[i].url.clone()).collect();
	if let [alone] = &agreeing_nodes[..] {
		reporter.warn(format!(
			"only {alone}'s word was taken for the escrow record: no other node confirmed it, and \
			 a node alone can forge the blocks it proves (give several nodes with --nodes)"
		));
	} else {
		reporter.step(format!(
			"escrow record (generation {}) agreed by {} nodes",
			escrow.generation,
			agreeing_nodes.len()
		));
	}

	let one_time_key = H256::from(request.one_time_key.public());
	let (answering, notes) =
		agreement::nodes_with_request(&answers, &agreement.agreeing, one_time_key);
	for (url, note) in &notes {
		reporter.warn(format!("{url}: {note}; its releases are not for this request"));
	}
	if answering.is_empty() {
		return Err(Error::Invalid(format!(
			"no node shows this request open at its finalized block ({}): it was closed, \
			 cancelled or expired, or another request replaced it; start a new one",
			notes.iter().map(|(url, note)| format!("{url}: {note}")).collect::<Vec<_>>().join("; ")
		)));
	}

	reporter.step(
		"deriving the protection key (Argon2id, with the OPRF output of the request's guess)",
	);
	let protection = protection_key(&escrow, request, passphrase)?;
	let threshold = escrow.threshold as usize;
	let mut faulty: Vec<FaultyShare> = Vec::new();
	let mut good: BTreeMap<u32, (Share, AccountId)> = BTreeMap::new();
	for (index, slot) in (0u32..).zip(escrow.custodians.iter()) {
		if good.len() >= threshold {
			// Enough: the other shares need not be opened.
			break;
		}
		let versions = agreement::release_versions(&answers, &answering, index);
		if versions.is_empty() {
			continue;
		}
		let Some(commitment) = escrow.commitments.get(index as usize) else { continue };
		let context = ShareContext::new(agreement.genesis, id, escrow.generation, index);
		let verdict = agreement::judge_share(index, &slot.account, versions, |release| {
			custos_envelope::open_released_share(
				&request.one_time_key,
				&protection,
				&context,
				&ReleasedShare::from(release.payload.to_vec()),
				&Commitment::from(*commitment),
			)
		});
		for (url, reason) in verdict.lying {
			reporter.warn(format!("node {url}: {reason}; its release is not used"));
			lying_nodes.push((url, reason));
		}
		if let Some(fault) = verdict.faulty {
			reporter
				.warn(format!("custodian {} (share {index}): {}", fault.custodian, fault.reason));
			faulty.push(fault);
		}
		if let Some((share, custodian)) = verdict.share {
			good.insert(index, (share, custodian));
		}
	}

	let mut served_early = Vec::new();
	if good.len() < threshold {
		// Shares their custodians released at a finalized block whose records are not final
		// yet: served by the custodians' nodes, checked exactly as a release read from chain
		// (one-time key, commitment, passphrase layer), for the open request's nonce only.
		let nonce = answering.iter().find_map(|&i| answers[i].request.as_ref()).map(|r| r.nonce);
		let missing: Vec<u32> =
			(0..escrow.custodians.len() as u32).filter(|i| !good.contains_key(i)).collect();
		let urls: Vec<&str> = agreement.agreeing.iter().map(|&i| answers[i].url.as_str()).collect();
		for (url, index, release) in served_releases(&urls, id, &missing).await {
			if good.len() >= threshold {
				break;
			}
			let (Some(slot), Some(commitment)) =
				(escrow.custodians.get(index as usize), escrow.commitments.get(index as usize))
			else {
				continue;
			};
			if good.contains_key(&index) {
				continue;
			}
			if Some(release.nonce) != nonce {
				continue;
			}
			let context = ShareContext::new(agreement.genesis, id, escrow.generation, index);
			match custos_envelope::open_released_share(
				&request.one_time_key,
				&protection,
				&context,
				&ReleasedShare::from(release.payload.0),
				&Commitment::from(*commitment),
			) {
				Ok(share) => {
					reporter.step(format!(
						"{url}: share {index} served before its release record is final"
					));
					good.insert(index, (share, slot.account.clone()));
					served_early.push(index);
				},
				Err(fault) => {
					let reason = format!("it served share {index}, which fails its check: {fault}");
					reporter.warn(format!("node {url}: {reason}; not used"));
					lying_nodes.push((url, reason));
				},
			}
		}
	}
	if good.len() < threshold {
		let mut named = String::new();
		if !faulty.is_empty() {
			let failed: Vec<String> =
				faulty.iter().map(|f| format!("share {} from {}", f.index, f.custodian)).collect();
			named.push_str(&format!("; failed: {}", failed.join(", ")));
		}
		if !lying_nodes.is_empty() {
			let dropped: Vec<String> =
				lying_nodes.iter().map(|(url, reason)| format!("{url} ({reason})")).collect();
			named.push_str(&format!("; nodes not used: {}", dropped.join("; ")));
		}
		return Err(Error::TooFewShares {
			found: good.len(),
			needed: threshold,
			detail: named,
		});
	}
	let (shares, used): (Vec<Share>, Vec<(u32, AccountId)>) =
		good.into_iter().take(threshold).map(|(index, (share, who))| (share, (index, who))).unzip();
	let secret: Zeroizing<Vec<u8>> = custos_envelope::combine(&shares, escrow.threshold as u8)?;
	let key = KeyMaterial::new(escrow.key_kind, secret)?;
	let fingerprint = key.fingerprint(&escrow.owner);
	if fingerprint != escrow.fingerprint {
		return Err(Error::Invalid(format!(
			"the rebuilt key's fingerprint {fingerprint:?} is not the escrow's {:?}; nothing written",
			escrow.fingerprint
		)));
	}
	served_early.retain(|index| used.iter().any(|(used, _)| used == index));
	Ok(Collected {
		key,
		fingerprint,
		used,
		faulty,
		unreachable,
		lying_nodes,
		agreeing_nodes,
		served_early,
	})
}

/// Collects as soon as `t` shares can be had: waits until the request is releasable in the
/// first node's finalized state (custodians decide at that block and serve their share at
/// once), then collects, and again at each finalized block after while fewer than `t` shares
/// check out, for at most `wait` seconds in all. If the first node cannot be asked it
/// collects once: `collect` then says what is missing. The first node only says when to
/// start: what is collected, `collect` reads with proofs from every node (or takes from the
/// custodians' nodes and checks) and takes what most agree on.
pub async fn collect_when_released(
	nodes: &[String],
	request: &RequestFile,
	passphrase: &[u8],
	wait: Duration,
	reporter: Reporter,
) -> Result<Collected> {
	let Some(first_url) = nodes.first() else {
		return Err(Error::Invalid("give at least one node URL (--nodes URL,URL,...)".into()));
	};
	let deadline = Instant::now() + wait;
	let first = match ChainClient::connect(first_url).await {
		Ok(client) => Some(client),
		Err(e) => {
			reporter.warn(format!("collecting without waiting: {e}"));
			None
		},
	};
	if let Some(client) = &first {
		match wait_until_releasable_at_finalized(client, request.escrow, deadline, reporter).await {
			Ok(()) | Err(Error::Timeout { .. }) => {},
			Err(e) => reporter.warn(format!("collecting without waiting for the release: {e}")),
		}
	}
	loop {
		match collect(nodes, request, passphrase, reporter).await {
			Err(Error::TooFewShares { found, needed, .. })
				if first.is_some() && Instant::now() < deadline =>
			{
				reporter.step(format!(
					"{found} of {needed} shares so far; trying again at the next finalized block"
				));
				let client = first.as_ref().expect("checked above; qed");
				let next = client.finalized_block().await?.number + 1;
				let left = deadline.saturating_duration_since(Instant::now());
				match client.wait_for_finalized(next, left).await {
					Ok(_) | Err(Error::Timeout { .. }) => {},
					Err(e) => return Err(e),
				}
			},
			result => return result,
		}
	}
}

/// Waits, at the node `client` talks to, until the request of escrow `id` is releasable in
/// its finalized state, until `deadline`.
async fn wait_until_releasable_at_finalized(
	client: &ChainClient,
	id: EscrowId,
	deadline: Instant,
	reporter: Reporter,
) -> Result<()> {
	let mut told = false;
	client
		.wait_until(
			"the request to become releasable",
			deadline.saturating_duration_since(Instant::now()),
			|| {
				let first_time = !told;
				told = true;
				async move {
					let finalized = client.finalized_block().await?.hash;
					let releasable = client.is_releasable_at(id, Some(finalized)).await?;
					if !releasable && first_time {
						reporter.step("waiting until the request is releasable in a finalized block");
					}
					Ok(releasable.then_some(()))
				}
			},
		)
		.await
}

/// Asks each node at `urls` (concurrently, each for at most [`NODE_TIMEOUT`]) for the
/// releases of shares `indexes` of escrow `id` its custodian has signed but the chain has not
/// finalized (`custos_releasedShare`). A node that is no custodian of these shares, or does not
/// know the method, serves none; nothing it serves is trusted before it is checked.
async fn served_releases(
	urls: &[&str],
	id: EscrowId,
	indexes: &[u32],
) -> Vec<(String, u32, custos_rpc_api::views::ServedRelease)> {
	let asks = urls.iter().map(|url| async move {
		let served = async {
			let client = ChainClient::connect(url).await?;
			let mut served = Vec::new();
			for &index in indexes {
				if let Some(release) = client.served_release(id, index).await? {
					served.push((url.to_string(), index, release));
				}
			}
			Ok::<_, Error>(served)
		};
		tokio::time::timeout(NODE_TIMEOUT, served).await.ok().and_then(Result::ok).unwrap_or_default()
	});
	futures::future::join_all(asks).await.into_iter().flatten().collect()
}

/// Writes the rebuilt key to `path` (mode 0600, never over an existing file unless
/// `overwrite`).
pub fn write_key(collected: &Collected, path: &Path, overwrite: bool) -> Result<()> {
	collected.key.write_file(path, overwrite)
}
