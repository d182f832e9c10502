//! The printed report: what was measured and how, then the blocks, the calls, and the blocks
//! one call dominates.

use super::{
	analysis::{Analysis, BlockRow, CallRow, DOMINANT_SHARE},
	timing::{Estimator, FASTEST_AGREEMENT, MAX_REPEAT_FACTOR},
};

/// What was measured where, for the report's header.
pub struct Setting {
	/// The node's URL.
	pub node: String,
	/// The chain's name.
	pub chain: String,
	/// The node's runtime, as `name spec version`.
	pub runtime: String,
	/// First and last block of the range.
	pub range: (u32, u32),
	/// Timed executions per block.
	pub repeat: u32,
	/// Which of them stands for the block.
	pub estimator: Estimator,
	/// Blocks in the range with transactions.
	pub loaded: usize,
	/// Blocks in the range with inherents only.
	pub inherent_only: usize,
	/// Blocks that were not read or not executed, with the reason.
	pub failures: Vec<(u32, String)>,
}

/// Prints the whole report to stdout.
pub fn print(setting: &Setting, analysis: &Analysis) {
	print_header(setting, analysis);
	print_blocks(&analysis.blocks);
	print_calls(analysis);
	print_dominated(&analysis.blocks);
	print_failures(&setting.failures);
}

/// What the numbers are.
fn print_header(setting: &Setting, analysis: &Analysis) {
	let (from, to) = setting.range;
	println!(
		"Import cost per call: {} ({}, runtime {})",
		setting.node, setting.chain, setting.runtime
	);
	let kept = match setting.estimator {
		Estimator::Median => "median kept".to_string(),
		Estimator::Min => format!(
			"fastest kept; up to {} runs while the two fastest differ by more than {:.0}%",
			setting.repeat * MAX_REPEAT_FACTOR,
			FASTEST_AGREEMENT * 100.0
		),
	};
	println!(
		"Blocks #{from}..=#{to}: {} with transactions, {} with inherents only. Each block executed \
		 once untimed, then {} times timed ({kept}); the transport probe likewise.",
		setting.loaded, setting.inherent_only, setting.repeat
	);
	println!();
	println!("How it is measured:");
	for line in [
		"- Each block is executed again by the node: JSON-RPC state_call(\"Core_execute_block\",",
		"  block without its seal, at the parent), i.e. the node's Wasm executor runs the whole",
		"  block on the parent's state as import does (state root computed and checked), but",
		"  nothing is written to the database, and reads hit the node's caches (the state was",
		"  imported a moment ago and is read again by every repetition).",
		"- Measured = round trip of that call, minus the round trip of a call with an argument",
		"  of the same size that does next to nothing (transport: JSON, hex, copying into the",
		"  runtime), minus the same for a block with inherents only (fixed per-block cost:",
		"  base block, hooks, timestamp, state root). Wall time, on a node that is also",
		"  authoring and importing blocks: noisy on a busy machine.",
		"- The node's build (release or debug) and machine are not visible over RPC: note them",
		"  beside these figures. Only a release node's figures say whether a weight holds.",
		"- Weights are ref time as µs (10^6 ref time units). \"weight\" is what the chain charged:",
		"  the ExtrinsicSuccess/ExtrinsicFailed event's (after refunds, with the per-extrinsic",
		"  base weight). \"declared\" is the pre-dispatch weight (call + transaction extensions",
		"  + base) as this tool's copy of the runtime computes it: the same as the node's only",
		"  when both are built from the same source.",
		"- weight/meas. below 1: the weight is less than the time measured (UNDERESTIMATED).",
	] {
		println!("{line}");
	}
	let baseline = &analysis.baseline;
	println!();
	println!(
		"Baseline (inherent-only blocks {}): execution {:.1} µs net of transport {:.1} µs; \
		 mandatory weight {:.1} µs.",
		block_list(&baseline.blocks),
		baseline.net_us,
		baseline.transport_us,
		baseline.mandatory_us
	);
	if let Some(largest) = analysis.blocks.iter().max_by_key(|row| row.payload_bytes) {
		println!(
			"Transport taken off: {:.1} µs for the largest block (#{}, {} bytes).",
			largest.transport_us, largest.number, largest.payload_bytes
		);
	}
}

/// The blocks with transactions.
fn print_blocks(blocks: &[BlockRow]) {
	println!();
	println!("Blocks with transactions ({}):", blocks.len());
	println!(
		"  {:>8} {:>5} {:>11} {:>12} {:>12} {:>7} {:>4} {:>13}  main call (share of weight)",
		"block",
		"txs",
		"weight µs",
		"measured µs",
		"weight/meas.",
		"spread",
		"runs",
		"mandatory µs"
	);
	for row in blocks {
		println!(
			"  {:>8} {:>5} {:>11.1} {:>12.1} {:>12} {:>6.1}% {:>4} {:>13.1}  {} ×{} ({:.0}%)",
			format!("#{}", row.number),
			row.transactions,
			row.weight_us,
			row.measured_us,
			ratio_text(row.ratio()),
			row.spread * 100.0,
			row.runs,
			row.mandatory_us,
			row.main_call,
			row.main_count,
			row.main_share * 100.0
		);
	}
}

/// The per-call estimates.
fn print_calls(analysis: &Analysis) {
	let calls = &analysis.calls;
	let width = calls.iter().map(|c| c.label.len()).max().unwrap_or(0).max(4);
	println!();
	println!(
		"Per call: time per call by non-negative least squares over the {} blocks above \
		 (block time = Σ count × time per call){}:",
		analysis.blocks.len(),
		analysis.r_squared.map(|r| format!(", R² {r:.3}")).unwrap_or_default()
	);
	println!(
		"  {:<width$} {:>6} {:>6} {:>21} {:>21} {:>21} {:>12}",
		"call",
		"count",
		"blocks",
		"weight µs (min–max)",
		"declared µs",
		"measured µs ± s.e.",
		"weight/meas."
	);
	for call in calls {
		println!(
			"  {:<width$} {:>6} {:>6} {:>21} {:>21} {:>21} {:>12}{}",
			call.label,
			call.count,
			call.blocks,
			range_text(call.charged_us.0, call.charged_us.2),
			range_text(call.declared_us.0, call.declared_us.1),
			measured_text(call),
			ratio_text(call.ratio()),
			verdict(call)
		);
	}
	println!(
		"  (a time of 0 means the fit could not separate the call from the others or from \
		 noise; the blocks below are then the evidence)"
	);
}

/// The blocks one call dominates: the most direct evidence.
fn print_dominated(blocks: &[BlockRow]) {
	let mut dominated: Vec<&BlockRow> = blocks.iter().filter(|row| row.is_dominated()).collect();
	dominated.sort_by(|a, b| a.main_call.cmp(&b.main_call).then(a.number.cmp(&b.number)));
	println!();
	println!(
		"Blocks dominated by one call (≥ {:.0}% of their transactions, by weight and by count): {}",
		DOMINANT_SHARE * 100.0,
		dominated.len()
	);
	if dominated.is_empty() {
		return;
	}
	let width = dominated.iter().map(|r| r.main_call.len()).max().unwrap_or(0).max(4);
	println!(
		"  {:<width$} {:>8} {:>6} {:>11} {:>12} {:>17} {:>12}",
		"call", "block", "count", "weight µs", "measured µs", "measured µs/call", "weight/meas."
	);
	for row in dominated {
		println!(
			"  {:<width$} {:>8} {:>6} {:>11.1} {:>12.1} {:>17.1} {:>12}",
			row.main_call,
			format!("#{}", row.number),
			row.main_count,
			row.weight_us,
			row.measured_us,
			row.measured_us / row.main_count as f64,
			ratio_text(row.ratio())
		);
	}
	println!("  (measured µs/call charges the whole block's time to that call: an upper bound)");
}

/// The blocks the node did not execute.
fn print_failures(failures: &[(u32, String)]) {
	if failures.is_empty() {
		return;
	}
	println!();
	println!(
		"NOT READ OR NOT EXECUTED by the node, left out of everything above ({}; the node's log \
		 has the runtime's panic message):",
		failures.len()
	);
	for (number, reason) in failures {
		// The node's error goes on with a Wasm backtrace; its first line says what failed.
		println!("  #{number}: {}", reason.lines().next().unwrap_or_default());
	}
}

/// `ratio` with two decimals, or `-` when there is none.
fn ratio_text(ratio: Option<f64>) -> String {
	ratio.map(|r| format!("{r:.2}")).unwrap_or_else(|| "-".into())
}

/// `min` alone when it equals `max`, else `min–max`.
fn range_text(min: f64, max: f64) -> String {
	if (max - min).abs() < 0.05 {
		format!("{min:.1}")
	} else {
		format!("{min:.1}–{max:.1}")
	}
}

/// A call's estimated time with its standard error when it has one.
fn measured_text(call: &CallRow) -> String {
	match call.standard_error_us {
		Some(error) => format!("{:.1} ± {error:.1}", call.measured_us),
		None => format!("{:.1}", call.measured_us),
	}
}

/// `UNDERESTIMATED` when the call's weight is below its measured time, noting when the gap is
/// within the estimate's standard error.
fn verdict(call: &CallRow) -> &'static str {
	match call.ratio() {
		Some(r) if r < 1.0 => {
			let within_error = call
				.standard_error_us
				.is_some_and(|error| call.charged_us.1 >= call.measured_us - error);
			if within_error {
				"  UNDERESTIMATED (within 1 s.e.)"
			} else {
				"  UNDERESTIMATED"
			}
		},
		_ => "",
	}
}

/// Block numbers as `#a, #b, ...`.
fn block_list(numbers: &[u32]) -> String {
	numbers.iter().map(|n| format!("#{n}")).collect::<Vec<_>>().join(", ")
}
