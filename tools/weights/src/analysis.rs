//! From raw benchmark results to a weight formula: base + slope per component, for ref time,
//! DB reads, DB writes and proof size.

use frame_benchmarking::{Analysis, BenchmarkResult, BenchmarkSelector};
use frame_support::traits::StorageInfo;
use sp_core::hexdisplay::HexDisplay;
use std::collections::HashMap;

/// Map values assumed for a map without `max_values` (the CLI's `--worst-case-map-values`).
const WORST_CASE_MAP_VALUES: u32 = 1000;
/// Extra trie layers assumed per storage item (the CLI's `--additional-trie-layers`).
const ADDITIONAL_TRIE_LAYERS: u32 = 2;

/// How the regression is done.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum AnalysisChoice {
	/// Least squares after dropping each step's outer quartiles (`Analysis::min_squares_iqr`).
	MinSquares,
	/// Median of the pairwise slopes (`Analysis::median_slopes`).
	MedianSlopes,
}

impl AnalysisChoice {
	pub fn describe(self) -> &'static str {
		match self {
			Self::MinSquares =>
				"least squares after dropping each step's outer quartiles (`Analysis::min_squares_iqr`)",
			Self::MedianSlopes => "median of pairwise slopes (`Analysis::median_slopes`)",
		}
	}

	fn analyse(self, results: &Vec<BenchmarkResult>, selector: BenchmarkSelector) -> Result<Analysis, String> {
		match self {
			Self::MinSquares => Analysis::min_squares_iqr(results, selector),
			Self::MedianSlopes => Analysis::median_slopes(results, selector),
		}
		.map_err(|e| e.to_string())
	}
}

/// Where the proof size comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ProofChoice {
	/// Measured when the recorder produced a proof, else the max-encoded-len estimate.
	Auto,
	/// The recorded storage proof.
	Measured,
	/// The max-encoded-len estimate, as `frame-benchmarking-cli`'s default `MaxEncodedLen` mode.
	MaxEncodedLen,
}

/// Where one benchmark's proof size came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProofSource {
	Measured,
	MaxEncodedLen,
}

/// A fitted linear formula: base + Σ slope·component. Only non-zero slopes are kept.
#[derive(Clone, Debug, Default)]
pub struct Fit {
	pub base: u128,
	pub slopes: Vec<(String, u128)>,
}

impl Fit {
	fn from(analysis: Analysis) -> Self {
		let slopes = analysis
			.names
			.iter()
			.cloned()
			.zip(analysis.slopes)
			.filter(|(_, slope)| *slope != 0)
			.collect();
		Self { base: analysis.base, slopes }
	}

	pub fn slope(&self, component: &str) -> u128 {
		self.slopes.iter().find(|(c, _)| c == component).map_or(0, |(_, s)| *s)
	}

	/// The value at every component's maximum.
	pub fn at(&self, maxima: &[(String, u32)]) -> u128 {
		self.base +
			maxima.iter().map(|(c, max)| self.slope(c) * u128::from(*max)).sum::<u128>()
	}
}

/// The weight formula of one call, with what went into it.
#[derive(Clone, Debug)]
pub struct CallWeight {
	pub name: String,
	/// `(name, low, high)` of each component.
	pub components: Vec<(String, u32, u32)>,
	/// Picoseconds.
	pub ref_time: Fit,
	pub reads: Fit,
	pub writes: Fit,
	/// Bytes, from `proof_source`.
	pub proof: Fit,
	pub proof_source: ProofSource,
	pub measured_proof: Fit,
	pub mel_proof: Result<Fit, String>,
	/// Storage items touched at the components' maxima.
	pub storage: Vec<String>,
	/// Fastest single run, in picoseconds.
	pub min_ref_time: u128,
	pub time_samples: usize,
}

impl CallWeight {
	pub fn maxima(&self) -> Vec<(String, u32)> {
		self.components.iter().map(|(c, _, high)| (c.clone(), *high)).collect()
	}
}

/// The PoV overhead of reading one key of an item with `max_values` entries (as the CLI).
fn single_read_pov_overhead(max_values: Option<u32>) -> u32 {
	let max_values = max_values.unwrap_or(WORST_CASE_MAP_VALUES);
	let depth = match max_values {
		0 => 0,
		i if i <= 16 => 1,
		i if i <= 256 => 2,
		i if i <= 4_096 => 3,
		i if i <= 65_536 => 4,
		i if i <= 1_048_576 => 5,
		i if i <= 16_777_216 => 6,
		i if i <= 268_435_456 => 7,
		_ => 8,
	};
	depth * 15 * 33
}

fn info_map(storage_info: &[StorageInfo]) -> HashMap<Vec<u8>, &StorageInfo> {
	storage_info.iter().map(|info| (info.prefix.clone(), info)).collect()
}

fn item_name(info: &StorageInfo) -> String {
	format!(
		"{}::{}",
		String::from_utf8_lossy(&info.pallet_name),
		String::from_utf8_lossy(&info.storage_name)
	)
}

/// Why a max-encoded-len proof estimate could not be made.
#[derive(Clone, Debug)]
enum MelError {
	/// A key read belongs to no known storage item.
	UnknownKey(String),
	/// A storage item read has no `max_size` (e.g. pallet-session's unbounded items): only the
	/// measured proof says what reading it costs.
	Unbounded(String),
}

impl std::fmt::Display for MelError {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		match self {
			Self::UnknownKey(key) => write!(f, "unknown key {key}"),
			Self::Unbounded(item) => write!(f, "`{item}` has no max_size"),
		}
	}
}

/// The max-encoded-len proof estimate of one run: over every storage item read, the number
/// of keys read times (`max_size` + trie overhead for `max_values`), plus
/// `ADDITIONAL_TRIE_LAYERS` layers per item. Fails on a key without a `max_size` bound.
fn mel_proof_of(
	result: &BenchmarkResult,
	info: &HashMap<Vec<u8>, &StorageInfo>,
) -> Result<u32, MelError> {
	let mut total = 0u32;
	for (prefix, reads, _writes, whitelisted) in &result.keys {
		if *whitelisted || *reads == 0 {
			continue;
		}
		let Some(item) = info.get(prefix) else {
			return Err(MelError::UnknownKey(format!("0x{}", HexDisplay::from(prefix))));
		};
		let Some(max_size) = item.max_size else {
			return Err(MelError::Unbounded(item_name(item)));
		};
		total += (single_read_pov_overhead(item.max_values) + max_size) * reads +
			15 * 33 * ADDITIONAL_TRIE_LAYERS;
	}
	Ok(total)
}

/// The storage items touched by `result` (non-whitelisted keys), one comment line each.
fn storage_comments(result: &BenchmarkResult, info: &HashMap<Vec<u8>, &StorageInfo>) -> Vec<String> {
	result
		.keys
		.iter()
		.filter(|(_, _, _, whitelisted)| !whitelisted)
		.map(|(prefix, reads, writes, _)| match info.get(prefix) {
			Some(item) => format!(
				"Storage: `{}` (r:{reads} w:{writes}; max_values: {:?}, max_size: {:?})",
				item_name(item),
				item.max_values,
				item.max_size
			),
			None => format!("Storage: UNKNOWN KEY `0x{}` (r:{reads} w:{writes})", HexDisplay::from(prefix)),
		})
		.collect()
}

/// Fits the formulas of one call.
pub fn analyse(
	name: &str,
	components: Vec<(String, u32, u32)>,
	time_results: &Vec<BenchmarkResult>,
	db_results: &Vec<BenchmarkResult>,
	storage_info: &[StorageInfo],
	choice: AnalysisChoice,
	proof_choice: ProofChoice,
) -> Result<CallWeight, String> {
	if time_results.is_empty() || db_results.is_empty() {
		return Err(format!("{name}: no results (every run was skipped)"));
	}
	let info = info_map(storage_info);
	let fit = |results: &Vec<BenchmarkResult>, selector| {
		choice.analyse(results, selector).map(Fit::from).map_err(|e| format!("{name}: {e}"))
	};
	let ref_time = fit(time_results, BenchmarkSelector::ExtrinsicTime)?;
	let reads = fit(db_results, BenchmarkSelector::Reads)?;
	let writes = fit(db_results, BenchmarkSelector::Writes)?;
	let measured_proof = fit(db_results, BenchmarkSelector::ProofSize)?;

	let mel_results = db_results
		.iter()
		.map(|r| mel_proof_of(r, &info).map(|proof_size| BenchmarkResult { proof_size, ..r.clone() }))
		.collect::<Result<Vec<_>, _>>();
	// A call reading an unbounded item (no max_size) gets its measured proof instead, as
	// `#[benchmark(pov_mode = Measured)]` would give it with frame-benchmarking-cli.
	let unbounded = matches!(mel_results, Err(MelError::Unbounded(_)));
	let mel_proof = mel_results
		.map_err(|e| format!("{name}: {e}"))
		.and_then(|results| fit(&results, BenchmarkSelector::ProofSize));

	// The recorder always runs, so a measurement exists; it is "unavailable" only if it came
	// back empty although the call read storage.
	let measured_available = db_results.iter().any(|r| r.proof_size > 0) ||
		db_results.iter().all(|r| r.reads == 0);
	let (proof, proof_source) = match proof_choice {
		ProofChoice::Measured => (measured_proof.clone(), ProofSource::Measured),
		ProofChoice::MaxEncodedLen | ProofChoice::Auto if unbounded && measured_available =>
			(measured_proof.clone(), ProofSource::Measured),
		ProofChoice::MaxEncodedLen => (mel_proof.clone()?, ProofSource::MaxEncodedLen),
		ProofChoice::Auto if measured_available => (measured_proof.clone(), ProofSource::Measured),
		ProofChoice::Auto => (mel_proof.clone()?, ProofSource::MaxEncodedLen),
	};

	// The last run has every component at its maximum.
	let storage = storage_comments(db_results.last().expect("not empty; qed"), &info);
	let min_ref_time = time_results.iter().map(|r| r.extrinsic_time).min().unwrap_or(0) * 1000;

	Ok(CallWeight {
		name: name.to_string(),
		components,
		ref_time,
		reads,
		writes,
		proof,
		proof_source,
		measured_proof,
		mel_proof,
		storage,
		min_ref_time,
		time_samples: time_results.len(),
	})
}
