//! `measure-weights`: measures the weights of a Custos pallet and writes its `weights.rs`.
//!
//! It runs the pallet's `#[benchmarks]` (the `frame_benchmarking::Benchmarking` impl they
//! generate) against the real `custos_runtime::Runtime`, natively, on a state backend that
//! counts DB reads and writes and records the storage proof, the way
//! `frame-benchmarking-cli`'s `pallet` command drives them through the Wasm executor: sweep
//! every component over its range, repeat, fit base + slope per component, and render the
//! weights. No `frame-benchmarking-cli` / `frame-omni-bencher` and no Wasm build needed.

mod analysis;
mod runner;
mod writer;

use analysis::{AnalysisChoice, CallWeight, ProofChoice};
use anyhow::{bail, Context};
use clap::Parser;
use frame_benchmarking::{BenchmarkMetadata, BenchmarkParameter, BenchmarkResult};
use runner::{PalletSpec, Runner, PALLETS};
use std::{path::PathBuf, time::Instant};

#[derive(Parser, Debug)]
#[command(
	name = "measure-weights",
	about = "Measures a Custos pallet's weights natively against custos_runtime::Runtime and writes its weights.rs.",
	long_about = None,
)]
struct Cli {
	/// Pallet to measure: `key-escrow`, `certificates` or `validator-set`.
	#[arg(long, required_unless_present = "list")]
	pallet: Option<String>,
	/// Number of values each component is swept over (at least 2).
	#[arg(long, default_value_t = 10)]
	steps: u32,
	/// Timed runs per component value.
	#[arg(long, default_value_t = 10)]
	repeat: u32,
	/// Only these benchmarks (comma-separated); not allowed with --output.
	#[arg(long, value_delimiter = ',')]
	extrinsic: Vec<String>,
	/// Regression used for the formulas.
	#[arg(long, value_enum, default_value_t = AnalysisChoice::MinSquares)]
	analysis: AnalysisChoice,
	/// Source of the proof size. The default is the worst case: a proof recorded on the small
	/// dev genesis trie is far smaller than on a chain with real state.
	#[arg(long, value_enum, default_value_t = ProofChoice::MaxEncodedLen)]
	proof_size: ProofChoice,
	/// Skip the first run of each benchmark with its verification block.
	#[arg(long)]
	no_verify: bool,
	/// Write the weights file here (else only print the summary).
	#[arg(long)]
	output: Option<PathBuf>,
	/// Write even if the trait's function signatures differ from those in the existing --output.
	#[arg(long)]
	allow_signature_change: bool,
	/// List the pallets and their benchmarks, then exit.
	#[arg(long)]
	list: bool,
}

fn main() -> anyhow::Result<()> {
	let cli = Cli::parse();
	let started = Instant::now();

	let genesis = runner::genesis_storage()?;
	let runner = Runner::new(genesis)?;
	let storage_info = runner::storage_info();

	if cli.list {
		for pallet in PALLETS {
			println!("{} ({})", pallet.cli_name, pallet.crate_name);
			for b in runner.list(pallet)? {
				println!("  {}{}", String::from_utf8_lossy(&b.name), components_text(&b));
			}
		}
		return Ok(());
	}

	let name = cli.pallet.as_deref().expect("clap requires --pallet without --list; qed");
	let Some(pallet) = PALLETS.iter().find(|p| p.cli_name == name) else {
		bail!(
			"unknown pallet `{name}`; one of: {}",
			PALLETS.iter().map(|p| p.cli_name).collect::<Vec<_>>().join(", ")
		);
	};
	if cli.steps < 2 {
		bail!("--steps must be at least 2");
	}
	if cli.repeat < 1 {
		bail!("--repeat must be at least 1");
	}
	if cli.output.is_some() && !cli.extrinsic.is_empty() {
		bail!("--extrinsic measures a subset, which cannot make a whole weights file; drop --output");
	}

	let mut benchmarks = runner.list(pallet)?;
	if !cli.extrinsic.is_empty() {
		benchmarks.retain(|b| cli.extrinsic.iter().any(|e| e.as_bytes() == &b.name[..]));
		if benchmarks.is_empty() {
			bail!("no benchmark of {name} matches {:?}", cli.extrinsic);
		}
	}

	eprintln!(
		"Measuring {} ({} benchmarks), steps {}, repeat {}, natively in this (dev profile) build",
		pallet.crate_name,
		benchmarks.len(),
		cli.steps,
		cli.repeat
	);
	let mut calls = Vec::new();
	let mut failed = Vec::new();
	for (i, bench) in benchmarks.iter().enumerate() {
		let bench_name = String::from_utf8_lossy(&bench.name).to_string();
		let t = Instant::now();
		match measure(&runner, pallet, bench, &cli, &storage_info) {
			Ok(call) => {
				eprintln!(
					"[{:>2}/{}] {bench_name}: {:.1} s",
					i + 1,
					benchmarks.len(),
					t.elapsed().as_secs_f64()
				);
				print_summary(&call);
				calls.push(call);
			},
			Err(e) => {
				eprintln!("[{:>2}/{}] {bench_name}: FAILED: {e}", i + 1, benchmarks.len());
				failed.push(bench_name);
			},
		}
	}
	let elapsed = started.elapsed().as_secs_f64();
	if !failed.is_empty() {
		bail!("{} benchmark(s) failed: {}", failed.len(), failed.join(", "));
	}
	eprintln!("Measured {} in {elapsed:.1} s", pallet.crate_name);

	if let Some(output) = &cli.output {
		check_signatures(output, &calls, cli.allow_signature_change)?;
		let run = writer::RunInfo {
			command: command_line(),
			date: utc_date(),
			cpu: host_cpu(),
			steps: cli.steps,
			repeat: cli.repeat,
			analysis: cli.analysis.describe(),
			preset: runner::PRESET,
			runtime_pallet: (pallet.runtime_name)().to_string(),
			elapsed_secs: elapsed,
		};
		let text = writer::render(pallet.crate_name, &calls, &run);
		std::fs::write(output, text).with_context(|| format!("writing {}", output.display()))?;
		eprintln!("Wrote {}", output.display());
	}
	Ok(())
}

fn components_text(b: &BenchmarkMetadata) -> String {
	if b.components.is_empty() {
		return String::new();
	}
	let c = b
		.components
		.iter()
		.map(|(p, low, high)| format!("{p:?} in [{low}, {high}]"))
		.collect::<Vec<_>>()
		.join(", ");
	format!(" ({c})")
}

/// The component values to run, as `frame-benchmarking-cli` picks them: each component in
/// turn swept over `steps` values from its low to its high end, the others at their high end.
fn selections(b: &BenchmarkMetadata, steps: u32) -> Vec<Vec<(BenchmarkParameter, u32)>> {
	if b.components.is_empty() {
		return vec![vec![]];
	}
	let mut all = Vec::new();
	for (name, low, high) in &b.components {
		let step = ((high - low) as f32 / (steps - 1) as f32).max(0.0);
		for s in 0..steps {
			let value = ((*low as f32 + step * s as f32) as u32).clamp(*low, *high);
			all.push(
				b.components
					.iter()
					.map(|(n, _, h)| if n == name { (*n, value) } else { (*n, *h) })
					.collect(),
			);
		}
	}
	all
}

/// Runs one benchmark at every selection and fits its formulas.
fn measure(
	runner: &Runner,
	pallet: &PalletSpec,
	bench: &BenchmarkMetadata,
	cli: &Cli,
	storage_info: &[frame_support::traits::StorageInfo],
) -> Result<CallWeight, String> {
	let name = String::from_utf8_lossy(&bench.name).to_string();
	let mut time_results: Vec<BenchmarkResult> = Vec::new();
	let mut db_results: Vec<BenchmarkResult> = Vec::new();
	for (i, components) in selections(bench, cli.steps).iter().enumerate() {
		// As the CLI: one verified run first (its timings are not used, the verification
		// adds overhead), one run counting DB accesses, then the timed runs.
		if !cli.no_verify && i == 0 {
			runner.run(pallet, &name, components, true, 1, false)?;
		}
		db_results.extend(runner.run(pallet, &name, components, false, 1, true)?);
		time_results.extend(runner.run(pallet, &name, components, false, cli.repeat, false)?);
	}
	let components = bench
		.components
		.iter()
		.map(|(p, low, high)| (format!("{p:?}"), *low, *high))
		.collect();
	analysis::analyse(
		&name,
		components,
		&time_results,
		&db_results,
		storage_info,
		cli.analysis,
		cli.proof_size,
	)
}

fn print_summary(call: &CallWeight) {
	let fit = |f: &analysis::Fit, unit: &str, scale: f64| {
		let mut s = format!("{:.1}{unit}", f.base as f64 / scale);
		for (c, slope) in &f.slopes {
			s += &format!(" + {:.1}{unit}·{c}", *slope as f64 / scale);
		}
		s
	};
	let maxima = call.maxima();
	println!(
		"    {}: ref time {} (at max components {:.1} µs), reads {}, writes {}, proof {} ({:?})",
		writer::signature(call),
		fit(&call.ref_time, " µs", 1e6),
		call.ref_time.at(&maxima) as f64 / 1e6,
		fit(&call.reads, "", 1.0),
		fit(&call.writes, "", 1.0),
		fit(&call.proof, " B", 1.0),
		call.proof_source,
	);
}

/// Refuses to change the trait the pallet codes against, unless asked to.
fn check_signatures(
	output: &PathBuf,
	calls: &[CallWeight],
	allow_change: bool,
) -> anyhow::Result<()> {
	let Ok(existing) = std::fs::read_to_string(output) else { return Ok(()) };
	let Some(mut old) = writer::trait_signatures(&existing) else { return Ok(()) };
	let mut new: Vec<String> = calls.iter().map(writer::signature).collect();
	old.sort();
	new.sort();
	if old != new && !allow_change {
		bail!(
			"the benchmarks' signatures differ from `pub trait WeightInfo` in {}:\n  existing: {old:?}\n  measured: {new:?}\n\
			 (pass --allow-signature-change to write anyway)",
			output.display()
		);
	}
	Ok(())
}

/// This invocation, with the binary's path shortened to its name.
fn command_line() -> String {
	let mut args = std::env::args();
	let _ = args.next();
	std::iter::once("measure-weights".to_string()).chain(args).collect::<Vec<_>>().join(" ")
}

/// The CPU model and logical CPU count, from /proc/cpuinfo.
fn host_cpu() -> String {
	let info = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
	let model = info
		.lines()
		.find(|l| l.starts_with("model name"))
		.and_then(|l| l.split_once(':'))
		.map(|(_, v)| v.trim().to_string())
		.unwrap_or_else(|| "unknown (no model name in /proc/cpuinfo)".into());
	let cpus = info.lines().filter(|l| l.starts_with("processor")).count();
	format!("{model} ({cpus} logical CPUs)")
}

/// Today's date, `YYYY-MM-DD`, in UTC.
fn utc_date() -> String {
	let secs = std::time::SystemTime::now()
		.duration_since(std::time::UNIX_EPOCH)
		.map(|d| d.as_secs())
		.unwrap_or(0);
	// Civil date from days since 1970-01-01 (H. Hinnant's algorithm).
	let z = (secs / 86_400) as i64 + 719_468;
	let era = z.div_euclid(146_097);
	let doe = z - era * 146_097;
	let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
	let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	let mp = (5 * doy + 2) / 153;
	let day = doy - (153 * mp + 2) / 5 + 1;
	let month = if mp < 10 { mp + 3 } else { mp - 9 };
	let year = yoe + era * 400 + i64::from(month <= 2);
	format!("{year:04}-{month:02}-{day:02}")
}
