//! `recover collect`: gather released shares from several nodes at once, check each against
//! its commitment, stop at `t` good ones, rebuild the key and check its fingerprint.

use std::{
	collections::{BTreeMap, BTreeSet},
	path::Path,
};

use custos_envelope::{Commitment, ReleasedShare, Share, ShareContext, ShareFault};
use custos_primitives::EscrowId;
use custos_runtime::{AccountId, Runtime};
use futures::{stream::FuturesUnordered, StreamExt};
use pallet_key_escrow::{EscrowOf, ReleaseOf};
use sp_core::H256;
use zeroize::Zeroizing;

use crate::{
	keys::KeyMaterial,
	progress::Reporter,
	recovery::{protection_key, RequestFile},
	ChainClient, Error, Result,
};

/// A custodian whose released share failed a check.
#[derive(Clone, Debug, serde::Serialize)]
pub struct FaultyShare {
	pub index: u32,
	pub custodian: String,
	pub reason: String,
}

/// The rebuilt key and how it was gathered.
pub struct Collected {
	pub key: KeyMaterial,
	pub fingerprint: H256,
	/// `(share index, custodian)` of the shares combined.
	pub used: Vec<(u32, AccountId)>,
	pub faulty: Vec<FaultyShare>,
	/// `(url, reason)` of nodes that could not be asked.
	pub unreachable: Vec<(String, String)>,
}

/// What one node answered.
struct NodeAnswer {
	genesis: H256,
	escrow: EscrowOf<Runtime>,
	releases: Vec<(u32, ReleaseOf<Runtime>)>,
}

async fn ask(url: &str, id: EscrowId) -> Result<NodeAnswer> {
	let client = ChainClient::connect(url).await?;
	let genesis = client.genesis_hash().await?;
	let escrow = client.existing_escrow(id).await?;
	let releases = client.releases(id).await?;
	Ok(NodeAnswer { genesis, escrow, releases })
}

/// Asks every node in `nodes` concurrently for the releases made to `request`, checks each
/// share as it arrives (commitment, then passphrase), and stops once `t` shares are good.
/// Unreachable nodes are skipped with a warning; a custodian whose share fails is named.
/// Fewer than `t` good shares, or a rebuilt key whose fingerprint is not the escrow's, is an
/// error: a wrong key is never returned.
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
	let mut pending: FuturesUnordered<_> =
		nodes.iter().map(|url| async move { (url.clone(), ask(url, id).await) }).collect();

	let mut unreachable = Vec::new();
	let mut faulty: Vec<FaultyShare> = Vec::new();
	let mut good: BTreeMap<u32, (Share, AccountId)> = BTreeMap::new();
	let mut checked: BTreeSet<u32> = BTreeSet::new();
	// Fixed by the first node that answers; later nodes must agree.
	let mut known: Option<(H256, EscrowOf<Runtime>, custos_envelope::ProtectionKey)> = None;

	while let Some((url, answer)) = pending.next().await {
		let answer = match answer {
			Ok(answer) => answer,
			Err(e) => {
				reporter.warn(format!("skipping {url}: {e}"));
				unreachable.push((url, e.to_string()));
				continue;
			},
		};
		if known.is_none() {
			reporter.step("deriving the protection key (Argon2id, with the OPRF output of the request's guess)");
			let protection = protection_key(&answer.escrow, request, passphrase)?;
			known = Some((answer.genesis, answer.escrow.clone(), protection));
		}
		let (genesis, escrow, protection) = known.as_ref().expect("set above; qed");
		if answer.genesis != *genesis || answer.escrow.generation != escrow.generation {
			reporter.warn(format!("skipping {url}: it follows another chain or an older split"));
			unreachable.push((url, "another chain or split".into()));
			continue;
		}
		reporter.step(format!("{url}: {} released shares", answer.releases.len()));
		for (index, release) in answer.releases {
			if !checked.insert(index) {
				continue;
			}
			let Some(commitment) = escrow.commitments.get(index as usize) else { continue };
			let context = ShareContext::new(*genesis, id, escrow.generation, index);
			match custos_envelope::open_released_share(
				&request.one_time_key,
				protection,
				&context,
				&ReleasedShare::from(release.payload.to_vec()),
				&Commitment::from(*commitment),
			) {
				Ok(share) => {
					good.insert(index, (share, release.custodian));
				},
				Err(fault) => {
					// P was checked against the recovery key, and the commitment matched: an
					// inner layer that does not open was sealed so by the owner's client, not
					// altered by the custodian.
					let reason = match fault {
						ShareFault::InnerDoesNotOpen { .. } => format!(
							"{fault}, although it matches its commitment and the protection key is \
							 verified: the escrow was sealed wrongly (not the custodian's fault)"
						),
						fault => fault.to_string(),
					};
					reporter.warn(format!("custodian {} (share {index}): {reason}", release.custodian));
					faulty.push(FaultyShare { index, custodian: release.custodian.to_string(), reason });
				},
			}
			if good.len() >= escrow.threshold as usize {
				break;
			}
		}
		if good.len() >= escrow.threshold as usize {
			// Enough: the other nodes need not be asked.
			break;
		}
	}
	drop(pending);

	let Some((_, escrow, _)) = known else {
		return Err(Error::Invalid(format!(
			"no node could be asked: {}",
			unreachable
				.iter()
				.map(|(url, e)| format!("{url} ({e})"))
				.collect::<Vec<_>>()
				.join("; ")
		)));
	};
	let threshold = escrow.threshold as usize;
	if good.len() < threshold {
		let named = if faulty.is_empty() {
			String::new()
		} else {
			format!(
				"; failed: {}",
				faulty
					.iter()
					.map(|f| format!("share {} from {}", f.index, f.custodian))
					.collect::<Vec<_>>()
					.join(", ")
			)
		};
		return Err(Error::Invalid(format!(
			"only {} valid shares of the {threshold} needed have been released{named}",
			good.len()
		)));
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
	Ok(Collected { key, fingerprint, used, faulty, unreachable })
}

/// Writes the rebuilt key to `path` (mode 0600, never over an existing file unless
/// `overwrite`).
pub fn write_key(collected: &Collected, path: &Path, overwrite: bool) -> Result<()> {
	collected.key.write_file(path, overwrite)
}
