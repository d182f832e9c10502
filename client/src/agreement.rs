//! Deciding what several nodes' proven answers say (for [`crate::collect`]): the chain and
//! escrow record most of them agree on, which of them show this request open, and, share by
//! share, which release to use and whom to blame when one fails: the custodian, who signed
//! its release on chain, or a node that served a release the chain does not hold.
//!
//! Pure functions over the answers, so the decisions are tested without a chain.

use codec::Encode;
use custos_envelope::ShareFault;
use custos_primitives::EscrowId;
use custos_runtime::{AccountId, Runtime};
use pallet_key_escrow::{EscrowOf, ReleaseOf, RequestOf};
use sp_core::H256;

use crate::{rpc::BlockRef, Error, Result};

/// A custodian whose released share, proven on chain, failed a check.
#[derive(Clone, Debug, serde::Serialize)]
pub struct FaultyShare {
	pub index: u32,
	pub custodian: String,
	pub reason: String,
	/// The nodes that proved this release at their finalized block.
	pub nodes: Vec<String>,
}

/// What one node answered; all but the genesis read at its finalized block with proofs.
pub struct NodeAnswer {
	pub url: String,
	/// Its genesis hash, as it says (a genesis cannot be proven: only agreement tells).
	pub genesis: H256,
	/// The block it calls finalized, its header checked to hash to it.
	pub block: BlockRef,
	/// The escrow record at that block (`None`: proven absent).
	pub escrow: Option<EscrowOf<Runtime>>,
	/// The open recovery request at that block (`None`: proven absent).
	pub request: Option<RequestOf<Runtime>>,
	/// The releases at that block, by share index.
	pub releases: Vec<(u32, ReleaseOf<Runtime>)>,
}

/// A node's URL and why its answers were not used.
pub type NodeFault = (String, String);

/// The chain and escrow record most nodes agree on.
pub struct Agreement {
	pub genesis: H256,
	pub escrow: EscrowOf<Runtime>,
	/// The nodes that agree on both, as indexes into the answers.
	pub agreeing: Vec<usize>,
	/// The nodes outvoted, with why.
	pub outvoted: Vec<NodeFault>,
}

/// `(index, key)` pairs grouped by key, in order of first appearance.
fn groups<K: PartialEq>(items: impl IntoIterator<Item = (usize, K)>) -> Vec<(K, Vec<usize>)> {
	let mut groups: Vec<(K, Vec<usize>)> = Vec::new();
	for (index, key) in items {
		match groups.iter_mut().find(|(known, _)| *known == key) {
			Some((_, members)) => members.push(index),
			None => groups.push((key, vec![index])),
		}
	}
	groups
}

/// The position of the group with more members than any other; `None` on a tie for the most.
fn largest<K>(groups: &[(K, Vec<usize>)]) -> Option<usize> {
	let most = groups.iter().map(|(_, members)| members.len()).max()?;
	let mut with_most = groups.iter().enumerate().filter(|(_, (_, members))| members.len() == most);
	let (position, _) = with_most.next()?;
	with_most.next().is_none().then_some(position)
}

/// The URLs of `members`, comma-separated.
fn urls(answers: &[NodeAnswer], members: &[usize]) -> String {
	members.iter().map(|&i| answers[i].url.as_str()).collect::<Vec<_>>().join(", ")
}

/// The genesis most nodes serve, then the escrow record (compared by its encoding) most of
/// those prove at their finalized block. Nodes on another chain, or with another record (a
/// node behind the others, or a lying one), are outvoted and named. A tie for the most is
/// refused, as is a record most nodes prove absent: which side lies cannot be told.
pub fn agree_on_record(answers: &[NodeAnswer], id: EscrowId) -> Result<Agreement> {
	let chains = groups(answers.iter().enumerate().map(|(i, answer)| (i, answer.genesis)));
	let Some(chain) = largest(&chains) else {
		let sides: Vec<String> = chains
			.iter()
			.map(|(genesis, members)| format!("{} (genesis {genesis:?})", urls(answers, members)))
			.collect();
		return Err(Error::Invalid(format!(
			"the nodes disagree on which chain this is, as many on each side: {}; give more nodes",
			sides.join("; ")
		)));
	};
	let (genesis, on_chain) = (chains[chain].0, &chains[chain].1);
	let mut outvoted = Vec::new();
	for (other, members) in chains.iter().filter(|(other, _)| *other != genesis) {
		for &i in members {
			outvoted.push((
				answers[i].url.clone(),
				format!(
					"serves another chain (genesis {other:?}) than {} other node(s) (genesis \
					 {genesis:?})",
					on_chain.len()
				),
			));
		}
	}

	let records =
		groups(on_chain.iter().map(|&i| (i, answers[i].escrow.as_ref().map(Encode::encode))));
	let Some(taken) = largest(&records) else {
		let sides: Vec<String> = records
			.iter()
			.map(|(_, members)| {
				let answer = &answers[members[0]];
				let what = match &answer.escrow {
					Some(record) => format!("generation {}", record.generation),
					None => "no such escrow".into(),
				};
				format!("{} ({what})", urls(answers, members))
			})
			.collect();
		return Err(Error::Invalid(format!(
			"the nodes disagree on escrow {id:?}, as many on each side: {}; give more nodes, or \
			 wait for nodes behind the others to catch up",
			sides.join("; ")
		)));
	};
	let agreeing = records[taken].1.clone();
	let Some(escrow) = answers[agreeing[0]].escrow.clone() else {
		return Err(Error::NotFound {
			what: format!(
				"escrow {id:?} (at the finalized blocks of {})",
				urls(answers, &agreeing)
			),
		});
	};
	for (_, members) in records.iter().filter(|(_, members)| members[0] != agreeing[0]) {
		for &i in members {
			let answer = &answers[i];
			let reason = match &answer.escrow {
				Some(theirs) => {
					let (generation, ours) = (theirs.generation, escrow.generation);
					let differs = if generation == ours { ": other fields differ" } else { "" };
					let behind = if generation < ours { "; it may be behind" } else { "" };
					format!(
						"its escrow record at finalized block #{} disagrees with {} other \
						 node(s) (generation {generation} vs {ours}{differs}){behind}",
						answer.block.number,
						agreeing.len()
					)
				},
				None => format!(
					"it proves no escrow {id:?} at finalized block #{}, where {} other node(s) \
					 prove one; it may be behind",
					answer.block.number,
					agreeing.len()
				),
			};
			outvoted.push((answer.url.clone(), reason));
		}
	}
	Ok(Agreement { genesis, escrow, agreeing, outvoted })
}

/// Of `nodes` (indexes into `answers`), those whose finalized block shows the request with
/// `one_time_key` open: only their releases answer it (the chain keeps the releases of the
/// open request alone). The others come back with why, as notes, not faults: a node a little
/// behind or ahead sees another request.
pub fn nodes_with_request(
	answers: &[NodeAnswer],
	nodes: &[usize],
	one_time_key: H256,
) -> (Vec<usize>, Vec<NodeFault>) {
	let mut with = Vec::new();
	let mut without = Vec::new();
	for &i in nodes {
		let answer = &answers[i];
		match &answer.request {
			Some(request) if request.one_time_key == one_time_key => with.push(i),
			Some(request) => without.push((
				answer.url.clone(),
				format!(
					"the request open at its finalized block #{} is request {} by {}, not this \
					 request file's",
					answer.block.number, request.nonce, request.requester
				),
			)),
			None => without.push((
				answer.url.clone(),
				format!(
					"no recovery request is open at its finalized block #{}",
					answer.block.number
				),
			)),
		}
	}
	(with, without)
}

/// One version of the release of a share, and the nodes that proved it.
#[derive(Clone, Debug, PartialEq)]
pub struct ReleaseVersion {
	pub release: ReleaseOf<Runtime>,
	pub nodes: Vec<String>,
}

/// The versions of the release of share `index` that `nodes` (indexes into `answers`) proved,
/// compared by encoding, the most proved first.
pub fn release_versions(
	answers: &[NodeAnswer],
	nodes: &[usize],
	index: u32,
) -> Vec<ReleaseVersion> {
	let served = nodes.iter().filter_map(|&i| {
		let (_, release) = answers[i].releases.iter().find(|(at, _)| *at == index)?;
		Some((i, release.encode()))
	});
	let mut versions: Vec<ReleaseVersion> = groups(served)
		.into_iter()
		.map(|(_, members)| {
			let (_, release) = answers[members[0]]
				.releases
				.iter()
				.find(|(at, _)| *at == index)
				.expect("grouped from this node's release of the index; qed");
			ReleaseVersion {
				release: release.clone(),
				nodes: members.iter().map(|&i| answers[i].url.clone()).collect(),
			}
		})
		.collect();
	// Stable: among as many nodes, the first to be grouped comes first.
	versions.sort_by_key(|version| std::cmp::Reverse(version.nodes.len()));
	versions
}

/// What the versions of one share's release come to.
pub struct ShareVerdict<S> {
	/// The share that validated, with the custodian that released it.
	pub share: Option<(S, AccountId)>,
	/// The custodian to blame: its release, proven on chain by the nodes named, fails its
	/// check, and no node proves another.
	pub faulty: Option<FaultyShare>,
	/// Nodes that proved a release of this share the chain does not hold, with why.
	pub lying: Vec<NodeFault>,
}

/// Why a release that opened as far as `fault` fails, worded for its custodian.
pub fn fault_reason(fault: &ShareFault) -> String {
	match fault {
		// P was checked against the recovery key, and the commitment matched: an inner layer
		// that does not open was sealed so by the owner's client, not altered by the custodian.
		ShareFault::InnerDoesNotOpen { .. } => format!(
			"{fault}, although it matches its commitment and the protection key is verified: the \
			 escrow was sealed wrongly (not the custodian's fault)"
		),
		fault => fault.to_string(),
	}
}

/// Judges the `versions` of share `index`'s release (most proved first; slot `index` belongs to
/// `slot_account`), opening them with `open` in turn until one validates; the share counts
/// only then. The chain holds one release per share of a request, so once one validates, a
/// node that proved another does not serve what the chain holds and is named. When none
/// validates, the custodian is blamed for the version more nodes proved than any other (it
/// signed that release on chain) and the nodes that proved others are named; on a tie for the
/// most, no custodian is blamed and every node involved is named, since one side lies but
/// which cannot be told. A release by another account than the slot's is never on chain: its
/// nodes are named without opening it.
pub fn judge_share<S>(
	index: u32,
	slot_account: &AccountId,
	versions: Vec<ReleaseVersion>,
	mut open: impl FnMut(&ReleaseOf<Runtime>) -> std::result::Result<S, ShareFault>,
) -> ShareVerdict<S> {
	let mut verdict = ShareVerdict { share: None, faulty: None, lying: Vec::new() };
	let (versions, impossible): (Vec<_>, Vec<_>) =
		versions.into_iter().partition(|version| version.release.custodian == *slot_account);
	for version in impossible {
		for url in version.nodes {
			verdict.lying.push((
				url,
				format!(
					"it proves a release of share {index} by {}, but slot {index} is \
					 {slot_account}'s: the chain never accepts that, so the block it proves it in \
					 is not the chain's",
					version.release.custodian
				),
			));
		}
	}

	let mut faults: Vec<Option<ShareFault>> = Vec::new();
	for version in &versions {
		match open(&version.release) {
			Ok(share) => {
				verdict.share = Some((share, version.release.custodian.clone()));
				break;
			},
			Err(fault) => faults.push(Some(fault)),
		}
	}
	if verdict.share.is_some() {
		let valid = faults.len();
		let supporters = versions[valid].nodes.len();
		for (i, version) in versions.iter().enumerate().filter(|(i, _)| *i != valid) {
			let how = match faults.get(i) {
				Some(Some(fault)) => format!(" ({fault})"),
				_ => String::new(),
			};
			for url in &version.nodes {
				verdict.lying.push((
					url.clone(),
					format!(
						"it proves a release of share {index} that is not the one the chain \
						 holds{how}: the release {supporters} other node(s) prove opens and \
						 matches its commitment"
					),
				));
			}
		}
		return verdict;
	}

	let Some(most) = versions.first().map(|version| version.nodes.len()) else {
		return verdict;
	};
	let tied = versions.iter().filter(|version| version.nodes.len() == most).count();
	if tied == 1 {
		let blamed = &versions[0];
		let fault = faults[0].take().expect("every version failed; qed");
		verdict.faulty = Some(FaultyShare {
			index,
			custodian: blamed.release.custodian.to_string(),
			reason: fault_reason(&fault),
			nodes: blamed.nodes.clone(),
		});
		for version in &versions[1..] {
			for url in &version.nodes {
				verdict.lying.push((
					url.clone(),
					format!(
						"it proves a release of share {index} that differs from the one {most} \
						 other node(s) prove"
					),
				));
			}
		}
	} else {
		let everyone: Vec<&String> = versions.iter().flat_map(|version| &version.nodes).collect();
		for url in &everyone {
			let others: Vec<&str> =
				everyone.iter().filter(|other| *other != url).map(|other| other.as_str()).collect();
			verdict.lying.push((
				(*url).clone(),
				format!(
					"it disagrees with {} on the release of share {index}, and no version opens: \
					 one side does not serve what the chain holds",
					others.join(", ")
				),
			));
		}
	}
	verdict
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::test_records::{account, record, release, request};

	const ID: EscrowId = H256::repeat_byte(0xee);
	const GENESIS: H256 = H256::repeat_byte(0x01);
	const ONE_TIME: H256 = H256::repeat_byte(0x07);

	/// A node on `genesis` proving `escrow`, this test's request and `releases`.
	fn node(url: &str, genesis: H256, escrow: Option<EscrowOf<Runtime>>) -> NodeAnswer {
		NodeAnswer {
			url: url.into(),
			genesis,
			block: BlockRef { number: 40, hash: H256::repeat_byte(0x40) },
			escrow,
			request: Some(request(ONE_TIME)),
			releases: Vec::new(),
		}
	}

	fn faults(list: &[NodeFault]) -> Vec<&str> {
		list.iter().map(|(url, _)| url.as_str()).collect()
	}

	#[test]
	fn the_record_most_nodes_prove_is_taken_and_the_others_are_named() {
		let answers = vec![
			node("ws://behind", GENESIS, Some(record(0))),
			node("ws://a", GENESIS, Some(record(1))),
			node("ws://b", GENESIS, Some(record(1))),
			node("ws://other-chain", H256::repeat_byte(9), Some(record(1))),
		];
		let agreement = agree_on_record(&answers, ID).unwrap();
		assert_eq!(agreement.genesis, GENESIS);
		assert_eq!(agreement.escrow, record(1));
		assert_eq!(agreement.agreeing, vec![1, 2]);
		assert_eq!(faults(&agreement.outvoted), vec!["ws://other-chain", "ws://behind"]);
		let (_, chain) = &agreement.outvoted[0];
		assert!(
			chain.contains("serves another chain") && chain.contains("than 3 other"),
			"{chain}"
		);
		let (_, behind) = &agreement.outvoted[1];
		assert!(behind.contains("disagrees with 2 other node(s) (generation 0 vs 1)"), "{behind}");
		assert!(behind.ends_with("it may be behind"), "{behind}");
	}

	#[test]
	fn the_first_node_to_answer_does_not_decide() {
		// The lying node answers first, with the attacker's KDF parameters; two nodes outvote it.
		let mut forged = record(1);
		forged.kdf.memory_kib = 4 * 1024 * 1024;
		let answers = vec![
			node("ws://liar", GENESIS, Some(forged)),
			node("ws://a", GENESIS, Some(record(1))),
			node("ws://b", GENESIS, Some(record(1))),
		];
		let agreement = agree_on_record(&answers, ID).unwrap();
		assert_eq!(agreement.escrow, record(1));
		assert_eq!(faults(&agreement.outvoted), vec!["ws://liar"]);
		let (_, reason) = &agreement.outvoted[0];
		assert!(reason.contains("(generation 1 vs 1: other fields differ)"), "{reason}");
		assert!(!reason.contains("behind"), "{reason}");
	}

	#[test]
	fn a_tie_is_refused_naming_both_sides() {
		let answers = vec![
			node("ws://a", GENESIS, Some(record(0))),
			node("ws://b", GENESIS, Some(record(1))),
		];
		let error = agree_on_record(&answers, ID).err().expect("a tie").to_string();
		assert!(
			error.contains("ws://a (generation 0)") && error.contains("ws://b (generation 1)"),
			"{error}"
		);
		let chains =
			vec![node("ws://a", GENESIS, None), node("ws://b", H256::repeat_byte(2), None)];
		let error = agree_on_record(&chains, ID).err().expect("a tie").to_string();
		assert!(error.contains("which chain"), "{error}");
	}

	#[test]
	fn one_node_alone_is_taken_and_an_escrow_most_prove_absent_is_not_found() {
		let alone = vec![node("ws://only", GENESIS, Some(record(2)))];
		let agreement = agree_on_record(&alone, ID).unwrap();
		assert_eq!((agreement.agreeing.len(), agreement.outvoted.len()), (1, 0));

		let answers = vec![
			node("ws://a", GENESIS, None),
			node("ws://b", GENESIS, None),
			node("ws://c", GENESIS, Some(record(0))),
		];
		let error = agree_on_record(&answers, ID).err().expect("absent");
		assert!(matches!(error, Error::NotFound { .. }), "{error}");
	}

	#[test]
	fn only_nodes_showing_this_request_open_answer_it() {
		let mut answers = vec![
			node("ws://a", GENESIS, Some(record(0))),
			node("ws://b", GENESIS, Some(record(0))),
			node("ws://c", GENESIS, Some(record(0))),
		];
		answers[1].request = Some(request(H256::repeat_byte(0x99)));
		answers[2].request = None;
		let (with, without) = nodes_with_request(&answers, &[0, 1, 2], ONE_TIME);
		assert_eq!(with, vec![0]);
		assert_eq!(faults(&without), vec!["ws://b", "ws://c"]);
		assert!(without[0].1.contains("request 4 by"), "{without:?}");
	}

	/// Nodes `urls` proving `release` of share 0.
	fn serving(answers: &mut [NodeAnswer], which: &[usize], release: ReleaseOf<Runtime>) {
		for &i in which {
			answers[i].releases.push((0, release.clone()));
		}
	}

	fn three_nodes() -> Vec<NodeAnswer> {
		vec![
			node("ws://a", GENESIS, Some(record(0))),
			node("ws://b", GENESIS, Some(record(0))),
			node("ws://c", GENESIS, Some(record(0))),
		]
	}

	/// Opens releases whose payload byte is 1; anything else fails its commitment.
	fn open(release: &ReleaseOf<Runtime>) -> std::result::Result<u8, ShareFault> {
		match release.payload[0] {
			1 => Ok(1),
			_ => Err(ShareFault::CommitmentMismatch { slot: 0 }),
		}
	}

	#[test]
	fn a_bad_release_from_one_node_neither_blocks_the_share_nor_blames_the_custodian() {
		// The liar answers first and its forged release is tried first (as many nodes each):
		// the share is not marked checked by it, the good release is still taken.
		let mut answers = three_nodes();
		serving(&mut answers, &[0], release(10, 0xba));
		serving(&mut answers, &[1], release(10, 1));
		let versions = release_versions(&answers, &[0, 1, 2], 0);
		assert_eq!(versions.len(), 2);
		assert_eq!(versions[0].nodes, vec!["ws://a".to_string()]);
		let verdict = judge_share(0, &account(10), versions, open);
		assert_eq!(verdict.share.map(|(share, who)| (share, who)), Some((1, account(10))));
		assert!(verdict.faulty.is_none());
		assert_eq!(faults(&verdict.lying), vec!["ws://a"]);
		assert!(verdict.lying[0].1.contains("not the one the chain holds"), "{:?}", verdict.lying);
	}

	#[test]
	fn a_release_every_node_proves_that_fails_blames_its_custodian() {
		let mut answers = three_nodes();
		serving(&mut answers, &[0, 1, 2], release(10, 2));
		let verdict = judge_share(0, &account(10), release_versions(&answers, &[0, 1, 2], 0), open);
		assert!(verdict.share.is_none() && verdict.lying.is_empty());
		let faulty = verdict.faulty.expect("the custodian is blamed");
		assert_eq!(faulty.custodian, account(10).to_string());
		assert_eq!(faulty.nodes.len(), 3);
		assert!(faulty.reason.contains("commitment"), "{}", faulty.reason);
	}

	#[test]
	fn a_failing_release_fewer_nodes_prove_names_those_nodes() {
		let mut answers = three_nodes();
		serving(&mut answers, &[0, 1], release(10, 2));
		serving(&mut answers, &[2], release(10, 3));
		let verdict = judge_share(0, &account(10), release_versions(&answers, &[0, 1, 2], 0), open);
		assert_eq!(verdict.faulty.expect("blamed").nodes, vec!["ws://a", "ws://b"]);
		assert_eq!(faults(&verdict.lying), vec!["ws://c"]);
	}

	#[test]
	fn a_tie_of_failing_releases_blames_no_custodian() {
		let mut answers = three_nodes();
		serving(&mut answers, &[0], release(10, 2));
		serving(&mut answers, &[1], release(10, 3));
		let verdict = judge_share(0, &account(10), release_versions(&answers, &[0, 1, 2], 0), open);
		assert!(verdict.share.is_none() && verdict.faulty.is_none());
		assert_eq!(faults(&verdict.lying), vec!["ws://a", "ws://b"]);
		assert!(verdict.lying[0].1.contains("disagrees with ws://b"), "{:?}", verdict.lying);
	}

	#[test]
	fn a_release_by_another_account_than_the_slots_names_the_node_unopened() {
		let mut answers = three_nodes();
		serving(&mut answers, &[0], release(99, 1));
		let mut opened = 0;
		let verdict =
			judge_share(0, &account(10), release_versions(&answers, &[0], 0), |release| {
				opened += 1;
				open(release)
			});
		assert_eq!(opened, 0);
		assert!(verdict.share.is_none() && verdict.faulty.is_none());
		assert_eq!(faults(&verdict.lying), vec!["ws://a"]);
	}
}
