//! The summary of a run, computed from the ledger's records: printed for people, or as JSON.

use std::{collections::BTreeMap, time::Duration};

use custos_client::rpc::BlockRef;
use custos_primitives::StorageMode;

use super::{
	ledger::{FailureKind, Records, TxKind},
	node_cost::{self, NodeSample},
	owners::{mode_name, KDF_AT_ONCE},
	stats::{json_or_null, seconds, Spread},
	CUSTODIANS, THRESHOLD,
};

/// What the run was asked to do, and under which chain parameters.
pub struct Setup {
	pub urls: Vec<String>,
	pub escrows: usize,
	pub owners: usize,
	pub recoveries: usize,
	/// Escrows recoverable before the recoveries start.
	pub recoveries_after: usize,
	/// Accounts funded (owners, requesters, guardians).
	pub funded: usize,
	/// The chain's floors, which the escrows use.
	pub kdf_memory_kib: u32,
	pub kdf_iterations: u32,
	pub delay: u32,
}

impl Setup {
	/// One line saying what the run does.
	pub fn describe(&self) -> String {
		let recoveries = match self.recoveries {
			0 => "no recoveries".to_string(),
			count => format!("{count} recoveries once {} escrows are done", self.recoveries_after),
		};
		format!(
			"{} escrows (n = {CUSTODIANS}, t = {THRESHOLD}; every second one custodian-held) by {} \
			 owners at once, {recoveries}, through {} nodes; Argon2id {} MiB x {} passes (the \
			 chain's floor, at most {KDF_AT_ONCE} at once), delay {} blocks",
			self.escrows,
			self.owners,
			self.urls.len(),
			self.kdf_memory_kib / 1024,
			self.kdf_iterations,
			self.delay
		)
	}
}

/// Everything measured, for the summary.
pub struct Report<'a> {
	pub setup: &'a Setup,
	pub records: &'a Records,
	/// The finalized block the end check read at (`None`: it could not run).
	pub checked_at: Option<BlockRef>,
	pub nodes_before: &'a [Option<NodeSample>],
	pub nodes_after: &'a [Option<NodeSample>],
	pub funding: Duration,
	pub total: Duration,
}

/// Escrows finalized per second, sustained: how many over how long.
struct Throughput {
	escrows: usize,
	/// First `create_escrow` accepted by a pool until the last one seen final.
	window: Duration,
}

impl Throughput {
	fn per_second(&self) -> f64 {
		self.escrows as f64 / self.window.as_secs_f64().max(f64::EPSILON)
	}
}

/// How the run's escrows spread over blocks.
struct BlockSpread {
	/// The block holding the most, and how many.
	busiest: (u32, usize),
	blocks: usize,
	first: u32,
	last: u32,
}

impl Report<'_> {
	/// The `create_escrow` (or transfer) transactions' times.
	fn transactions(&self, kind: TxKind) -> impl Iterator<Item = &super::ledger::FinalizedTx> {
		self.records.transactions.iter().filter(move |tx| tx.kind == kind)
	}

	fn throughput(&self) -> Option<Throughput> {
		let first = self.transactions(TxKind::CreateEscrow).map(|tx| tx.times.submitted).min()?;
		let last = self.transactions(TxKind::CreateEscrow).map(|tx| tx.times.finalized).max()?;
		let escrows = self.transactions(TxKind::CreateEscrow).count();
		Some(Throughput { escrows, window: last.saturating_duration_since(first) })
	}

	fn block_spread(&self) -> Option<BlockSpread> {
		let mut per_block: BTreeMap<u32, usize> = BTreeMap::new();
		for tx in self.transactions(TxKind::CreateEscrow) {
			*per_block.entry(tx.block).or_default() += 1;
		}
		// The earliest block among those holding the most.
		let (&block, &count) =
			per_block.iter().max_by(|(a_block, a_count), (b_block, b_count)| {
				a_count.cmp(b_count).then(b_block.cmp(a_block))
			})?;
		Some(BlockSpread {
			busiest: (block, count),
			blocks: per_block.len(),
			first: *per_block.keys().next()?,
			last: *per_block.keys().next_back()?,
		})
	}

	fn latencies(&self, kind: TxKind) -> (Option<Spread>, Option<Spread>) {
		let inclusion: Vec<Duration> =
			self.transactions(kind).map(|tx| tx.times.inclusion()).collect();
		let finality: Vec<Duration> =
			self.transactions(kind).map(|tx| tx.times.finality()).collect();
		(Spread::of(&inclusion), Spread::of(&finality))
	}

	fn created(&self, mode: StorageMode) -> usize {
		self.records.escrows.iter().filter(|escrow| escrow.mode == mode).count()
	}

	fn count(&self, kind: FailureKind) -> usize {
		self.records.failures.iter().filter(|failure| failure.kind == kind).count()
	}

	/// Failed and lost operations together.
	pub fn failures(&self) -> (usize, usize) {
		(self.count(FailureKind::Failed), self.count(FailureKind::Lost))
	}

	/// Prints the summary for people.
	pub fn print(&self) {
		let records = self.records;
		let row = |label: &str, value: String| println!("{label:<44}{value}");
		println!("custos-load run: {}", self.setup.describe());
		row(
			"Escrows created:",
			format!(
				"{} of {} ({} on chain, {} custodian-held)",
				records.escrows.len(),
				self.setup.escrows,
				self.created(StorageMode::OnChain),
				self.created(StorageMode::CustodianHeld)
			),
		);
		match self.throughput() {
			Some(throughput) => row(
				"Sustained escrows per second:",
				format!(
					"{:.2} ({} finalized, {:.1} s from the first submission to the last \
					 finality; at the load this run offers: its owners escrow in turn and derive \
					 Argon2id at most twice at once, see the slot wait below)",
					throughput.per_second(),
					throughput.escrows,
					throughput.window.as_secs_f64()
				),
			),
			None => row("Sustained escrows per second:", "- (none finalized)".into()),
		}
		if let Some(spread) = self.block_spread() {
			row(
				"Most escrows included in one block:",
				format!(
					"{} (block #{}); the run's escrows are in {} blocks, #{} to #{}",
					spread.busiest.1, spread.busiest.0, spread.blocks, spread.first, spread.last
				),
			);
		}
		let text = |spread: Option<Spread>| spread.map_or_else(|| "-".into(), |s| s.text());
		let (inclusion, finality) = self.latencies(TxKind::CreateEscrow);
		row("create_escrow inclusion (pool -> in block):", text(inclusion));
		row("create_escrow finality (pool -> finalized):", text(finality));
		let (inclusion, finality) = self.latencies(TxKind::Transfer);
		row("Funding transfers, inclusion:", text(inclusion));
		row("Funding transfers, finality:", text(finality));
		row(
			"Funding:",
			format!(
				"{} accounts, all transfers submitted at once, {:.1} s",
				self.setup.funded,
				self.funding.as_secs_f64()
			),
		);
		row(
			&format!("Argon2id (at most {KDF_AT_ONCE} at once):"),
			text(Spread::of(&records.kdf_runs)),
		);
		row("  waiting for a slot:", text(Spread::of(&records.kdf_waits)));
		row("Share deposits (custos_depositShare):", text(Spread::of(&records.deposits)));
		row(
			"Acknowledgements (last deposit -> all):",
			format!(
				"{} acknowledgements; per escrow {}",
				records.counts.acknowledgements,
				text(Spread::of(&records.acknowledgements))
			),
		);
		self.print_recoveries();
		match self.checked_at {
			Some(block) => row(
				"Checked at the end:",
				format!(
					"{} escrows read at finalized block #{} (missing or unacknowledged ones are lost)",
					records.escrows.len(),
					block.number
				),
			),
			None => row("Checked at the end:", "not checked (see the failures)".into()),
		}
		let (failed, lost) = self.failures();
		row("Failed operations:", failed.to_string());
		row("Lost operations:", lost.to_string());
		for failure in &records.failures {
			let kind = match failure.kind {
				FailureKind::Failed => "failed",
				FailureKind::Lost => "lost",
			};
			println!("  {kind}: {}: {}", failure.operation, failure.reason);
		}
		node_cost::print_table(&self.setup.urls, self.nodes_before, self.nodes_after);
		println!("The run took {:.1} s (funding included).", self.total.as_secs_f64());
	}

	/// One row per recovery.
	fn print_recoveries(&self) {
		let records = self.records;
		println!(
			"{:<44}{} of {} completed, each rebuilt key equal to the key escrowed",
			"Recoveries:",
			records.recoveries.len(),
			self.setup.recoveries
		);
		if records.recoveries.is_empty() {
			return;
		}
		println!(
			"  {:>3}  {:<20}  {:<14}  {:>8}  {:>8}  {:>8}  {:>8}  {:>6}",
			"#", "escrow", "mode", "start", "approve", "collect", "total", "blocks"
		);
		let mut recoveries: Vec<_> = records.recoveries.iter().collect();
		recoveries.sort_by_key(|recovery| recovery.index);
		for recovery in recoveries {
			let id = format!("{:?}", recovery.escrow);
			println!(
				"  {:>3}  {:<20}  {:<14}  {:>8}  {:>8}  {:>8}  {:>8}  {:>6}",
				recovery.index,
				format!("{}…{}", &id[..10], &id[id.len() - 6..]),
				mode_name(recovery.mode),
				seconds(recovery.start),
				seconds(recovery.approve),
				seconds(recovery.collect),
				seconds(recovery.total),
				recovery.blocks
			);
		}
		let totals: Vec<Duration> = records.recoveries.iter().map(|r| r.total).collect();
		if let Some(spread) = Spread::of(&totals) {
			println!("  recovery, start -> key rebuilt: {}", spread.text());
		}
	}

	/// The summary as JSON.
	pub fn json(&self) -> serde_json::Value {
		let records = self.records;
		let (inclusion, finality) = self.latencies(TxKind::CreateEscrow);
		let (transfer_inclusion, transfer_finality) = self.latencies(TxKind::Transfer);
		let (failed, lost) = self.failures();
		let throughput = self.throughput();
		let spread = self.block_spread();
		serde_json::json!({
			"setup": {
				"nodes": self.setup.urls,
				"escrows": self.setup.escrows,
				"owners": self.setup.owners,
				"recoveries": self.setup.recoveries,
				"recoveries_after": self.setup.recoveries_after,
				"custodians": CUSTODIANS,
				"threshold": THRESHOLD,
				"kdf_memory_kib": self.setup.kdf_memory_kib,
				"kdf_iterations": self.setup.kdf_iterations,
				"kdf_at_once": KDF_AT_ONCE,
				"delay_blocks": self.setup.delay,
			},
			"escrows": {
				"created": records.escrows.len(),
				"on_chain": self.created(StorageMode::OnChain),
				"custodian_held": self.created(StorageMode::CustodianHeld),
				"finalized": throughput.as_ref().map(|t| t.escrows),
				"window_seconds": throughput.as_ref().map(|t| t.window.as_secs_f64()),
				"per_second": throughput.as_ref().map(Throughput::per_second),
				"most_in_one_block": spread.as_ref().map(|s| s.busiest.1),
				"busiest_block": spread.as_ref().map(|s| s.busiest.0),
				"blocks": spread.as_ref().map(|s| s.blocks),
				"inclusion": json_or_null(inclusion),
				"finality": json_or_null(finality),
			},
			"funding": {
				"accounts": self.setup.funded,
				"seconds": self.funding.as_secs_f64(),
				"inclusion": json_or_null(transfer_inclusion),
				"finality": json_or_null(transfer_finality),
			},
			"kdf": json_or_null(Spread::of(&records.kdf_runs)),
			"kdf_wait": json_or_null(Spread::of(&records.kdf_waits)),
			"deposits": json_or_null(Spread::of(&records.deposits)),
			"acknowledgements": {
				"count": records.counts.acknowledgements,
				"per_escrow": json_or_null(Spread::of(&records.acknowledgements)),
			},
			"recoveries": records.recoveries.iter().map(|recovery| serde_json::json!({
				"index": recovery.index,
				"escrow": format!("{:?}", recovery.escrow),
				"mode": mode_name(recovery.mode),
				"start_seconds": recovery.start.as_secs_f64(),
				"approve_seconds": recovery.approve.as_secs_f64(),
				"collect_seconds": recovery.collect.as_secs_f64(),
				"total_seconds": recovery.total.as_secs_f64(),
				"blocks": recovery.blocks,
			})).collect::<Vec<_>>(),
			"checked_at_block": self.checked_at.map(|block| block.number),
			"failed": failed,
			"lost": lost,
			"failures": records.failures.iter().map(|failure| serde_json::json!({
				"kind": match failure.kind { FailureKind::Failed => "failed", FailureKind::Lost => "lost" },
				"operation": failure.operation,
				"reason": failure.reason,
			})).collect::<Vec<_>>(),
			"nodes": node_cost::json(&self.setup.urls, self.nodes_before, self.nodes_after),
			"total_seconds": self.total.as_secs_f64(),
		})
	}
}

/// Prints the failures recorded so far (when the run stops early).
pub fn print_failures(records: &Records) {
	for failure in &records.failures {
		eprintln!("  {}: {}", failure.operation, failure.reason);
	}
}
