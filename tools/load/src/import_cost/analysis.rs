//! From timed blocks to figures: the fixed per-block cost, each block's transaction time
//! beside its weight, and each call's time estimated over all the blocks.

use std::collections::BTreeMap;

use frame_support::{dispatch::DispatchClass, weights::Weight};

use super::{block::Block, nnls, timing::BlockTime};

/// Share of a block's transactions, by weight and by count, one call must have for the block
/// to count as dominated by it. By weight alone a call whose weight is far too high would
/// seem to dominate blocks whose time the other calls make.
pub const DOMINANT_SHARE: f64 = 0.8;

/// A block and what timing it found.
pub struct Timed {
	/// The block.
	pub block: Block,
	/// Its execution time.
	pub time: BlockTime,
}

/// The cost of a block with inherents only, taken off every block's time.
pub struct Baseline {
	/// The inherent-only blocks it is the median of.
	pub blocks: Vec<u32>,
	/// Median execution time with the transport taken off, µs.
	pub net_us: f64,
	/// Median transport time of those blocks, µs.
	pub transport_us: f64,
	/// Median weight of their mandatory class (base block, hooks, inherents), µs.
	pub mandatory_us: f64,
}

impl Baseline {
	/// The baseline of the timed inherent-only blocks `timed`; `None` when there are none.
	pub fn of(timed: &[Timed]) -> Option<Self> {
		if timed.is_empty() {
			return None;
		}
		let mut net: Vec<f64> = timed.iter().map(|t| t.time.net_us()).collect();
		let mut transport: Vec<f64> = timed.iter().map(|t| t.time.transport_us).collect();
		let mut mandatory: Vec<f64> = timed.iter().map(|t| mandatory_us(&t.block)).collect();
		Some(Self {
			blocks: timed.iter().map(|t| t.block.number).collect(),
			net_us: super::timing::median(&mut net),
			transport_us: super::timing::median(&mut transport),
			mandatory_us: super::timing::median(&mut mandatory),
		})
	}
}

/// One block with transactions.
pub struct BlockRow {
	/// Its number.
	pub number: u32,
	/// How many transactions (non-inherent extrinsics) it holds.
	pub transactions: usize,
	/// The call with the largest share of its transaction weight.
	pub main_call: String,
	/// How many times that call is in the block.
	pub main_count: usize,
	/// That call's share of the block's transaction weight, 0 to 1.
	pub main_share: f64,
	/// Weight charged for its transactions, ref time as µs.
	pub weight_us: f64,
	/// Measured time of its transactions, µs: execution minus transport minus baseline.
	pub measured_us: f64,
	/// Spread of its execution times, `(max − min) / median`.
	pub spread: f64,
	/// How many timed runs it took.
	pub runs: usize,
	/// Length of the block as executed, bytes.
	pub payload_bytes: usize,
	/// Transport time taken off its execution time, µs.
	pub transport_us: f64,
	/// Weight of its mandatory class (base block, hooks, inherents), µs: far from the
	/// baseline's, the hooks did work an inherent-only block does not, and it is timed too.
	pub mandatory_us: f64,
}

impl BlockRow {
	/// Whether one call makes [`DOMINANT_SHARE`] of the block's transactions, by weight and
	/// by count.
	pub fn is_dominated(&self) -> bool {
		self.main_share >= DOMINANT_SHARE &&
			self.main_count as f64 >= DOMINANT_SHARE * self.transactions as f64
	}

	/// Weight over measured time; `None` when the measured time is not positive (noise
	/// larger than the transactions' cost).
	pub fn ratio(&self) -> Option<f64> {
		ratio(self.weight_us, self.measured_us)
	}
}

/// One call (per outcome), over all blocks.
pub struct CallRow {
	/// `Pallet::call`, with ` (failed)` for failed dispatches.
	pub label: String,
	/// How many times it was executed in the timed blocks.
	pub count: usize,
	/// In how many timed blocks.
	pub blocks: usize,
	/// Least, mean and greatest weight charged for it, µs.
	pub charged_us: (f64, f64, f64),
	/// Least and greatest weight declared for it before dispatch, µs.
	pub declared_us: (f64, f64),
	/// Estimated time per call, µs (non-negative least squares over the blocks).
	pub measured_us: f64,
	/// Standard error of `measured_us`; `None` when the fit held it at zero or had too few
	/// blocks.
	pub standard_error_us: Option<f64>,
}

impl CallRow {
	/// Mean weight charged over estimated time; `None` when the estimate is zero (the fit
	/// could not tell this call's time from the others').
	pub fn ratio(&self) -> Option<f64> {
		ratio(self.charged_us.1, self.measured_us)
	}
}

/// Everything `import-cost` reports.
pub struct Analysis {
	/// The fixed per-block cost taken off.
	pub baseline: Baseline,
	/// The timed blocks with transactions, by number.
	pub blocks: Vec<BlockRow>,
	/// The calls, by label.
	pub calls: Vec<CallRow>,
	/// Share of the blocks' time variance the per-call fit explains; `None` for fewer than
	/// two blocks.
	pub r_squared: Option<f64>,
}

/// Analyses the timed blocks with transactions, `loaded`, against `baseline`.
pub fn analyse(loaded: &[Timed], baseline: Baseline) -> Analysis {
	let blocks = loaded.iter().map(|timed| block_row(timed, &baseline)).collect::<Vec<_>>();

	// One column per call label, one row per block: how many times the block holds it.
	let mut columns: BTreeMap<&str, usize> = BTreeMap::new();
	for xt in loaded.iter().flat_map(|t| t.block.transactions()) {
		columns.insert(&xt.label, 0);
	}
	for (position, column) in columns.values_mut().enumerate() {
		*column = position;
	}
	let rows: Vec<Vec<f64>> = loaded
		.iter()
		.map(|timed| {
			let mut row = vec![0.0; columns.len()];
			for xt in timed.block.transactions() {
				row[columns[xt.label.as_str()]] += 1.0;
			}
			row
		})
		.collect();
	let targets: Vec<f64> = blocks.iter().map(|b| b.measured_us).collect();
	let fit = nnls::solve(&rows, &targets);

	let calls = columns
		.iter()
		.map(|(&label, &column)| {
			let instances: Vec<_> = loaded
				.iter()
				.flat_map(|t| t.block.transactions())
				.filter(|xt| xt.label == label)
				.collect();
			let charged: Vec<f64> = instances.iter().map(|xt| micros(xt.charged)).collect();
			let declared: Vec<f64> = instances.iter().map(|xt| micros(xt.declared)).collect();
			CallRow {
				label: label.to_string(),
				count: instances.len(),
				blocks: rows.iter().filter(|row| row[column] > 0.0).count(),
				charged_us: (
					min(&charged),
					charged.iter().sum::<f64>() / charged.len() as f64,
					max(&charged),
				),
				declared_us: (min(&declared), max(&declared)),
				measured_us: fit.coefficients[column],
				standard_error_us: fit.standard_errors[column],
			}
		})
		.collect();

	let mean = targets.iter().sum::<f64>() / targets.len().max(1) as f64;
	let total_sum_of_squares: f64 = targets.iter().map(|y| (y - mean).powi(2)).sum();
	let r_squared = (targets.len() >= 2 && total_sum_of_squares > 0.0)
		.then(|| 1.0 - fit.residual_sum_of_squares / total_sum_of_squares);
	Analysis { baseline, blocks, calls, r_squared }
}

/// The row of one timed block with transactions.
fn block_row(timed: &Timed, baseline: &Baseline) -> BlockRow {
	let block = &timed.block;
	let mut weight_by_call: BTreeMap<&str, (Weight, usize)> = BTreeMap::new();
	for xt in block.transactions() {
		let entry = weight_by_call.entry(&xt.label).or_insert((Weight::zero(), 0));
		entry.0 = entry.0.saturating_add(xt.charged);
		entry.1 += 1;
	}
	let weight_us = micros(block.transactions_weight());
	let (main_call, (main_weight, main_count)) = weight_by_call
		.iter()
		.max_by_key(|(_, (weight, _))| weight.ref_time())
		.map(|(label, entry)| (label.to_string(), *entry))
		.unwrap_or_default();
	BlockRow {
		number: block.number,
		transactions: block.transactions().count(),
		main_call,
		main_count,
		main_share: if weight_us > 0.0 { micros(main_weight) / weight_us } else { 0.0 },
		weight_us,
		measured_us: timed.time.net_us() - baseline.net_us,
		spread: timed.time.spread,
		runs: timed.time.runs,
		payload_bytes: block.execute_payload.len(),
		transport_us: timed.time.transport_us,
		mandatory_us: mandatory_us(block),
	}
}

/// The weight of a block's mandatory class, µs.
fn mandatory_us(block: &Block) -> f64 {
	micros(*block.consumed.get(DispatchClass::Mandatory))
}

/// A weight's ref time in µs (ref time counts picoseconds).
pub fn micros(weight: Weight) -> f64 {
	weight.ref_time() as f64 / 1e6
}

/// `weight / measured`, when `measured` is positive.
fn ratio(weight: f64, measured: f64) -> Option<f64> {
	(measured > 0.0).then(|| weight / measured)
}

/// The least of `values` (not empty).
fn min(values: &[f64]) -> f64 {
	values.iter().copied().fold(f64::INFINITY, f64::min)
}

/// The greatest of `values` (not empty).
fn max(values: &[f64]) -> f64 {
	values.iter().copied().fold(f64::NEG_INFINITY, f64::max)
}
