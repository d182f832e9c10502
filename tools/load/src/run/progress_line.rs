//! The progress line on stderr: redrawn in place a few times a second on a terminal, printed
//! as a new line every few seconds otherwise (so that a log is not flooded).

use std::{
	io::{IsTerminal, Write},
	sync::Arc,
	time::{Duration, Instant},
};

use tokio::{sync::oneshot, task::JoinHandle};

use super::ledger::Ledger;

/// Redraws on a terminal.
const TERMINAL_EVERY: Duration = Duration::from_millis(250);
/// New lines elsewhere.
const LOG_EVERY: Duration = Duration::from_secs(10);
/// Characters of the bar.
const BAR_WIDTH: usize = 20;

/// The running progress line.
pub struct ProgressLine {
	stop: oneshot::Sender<()>,
	task: JoinHandle<()>,
}

impl ProgressLine {
	/// Starts drawing what `ledger` holds against `escrows` and `recoveries` asked for.
	pub fn start(ledger: Arc<Ledger>, escrows: usize, recoveries: usize) -> Self {
		let (stop, mut stopped) = oneshot::channel();
		let terminal = std::io::stderr().is_terminal();
		let task = tokio::spawn(async move {
			let mut ticks =
				tokio::time::interval(if terminal { TERMINAL_EVERY } else { LOG_EVERY });
			ticks.tick().await;
			loop {
				tokio::select! {
					_ = ticks.tick() => draw(&line(&ledger, escrows, recoveries), terminal, false),
					_ = &mut stopped => break,
				}
			}
			draw(&line(&ledger, escrows, recoveries), terminal, true);
		});
		Self { stop, task }
	}

	/// Draws the line a last time and ends it.
	pub async fn stop(self) {
		let _ = self.stop.send(());
		let _ = self.task.await;
	}
}

/// Writes `line` to stderr: in place on a terminal (ended with a newline when `last`).
fn draw(line: &str, terminal: bool, last: bool) {
	let mut stderr = std::io::stderr().lock();
	let _ = match (terminal, last) {
		// Back to the line's start, then clear what a longer line left.
		(true, false) => write!(stderr, "\r{line}\x1b[K"),
		(true, true) => writeln!(stderr, "\r{line}\x1b[K"),
		(false, _) => writeln!(stderr, "{line}"),
	};
	let _ = stderr.flush();
}

/// `escrows 350/1000 [#######.............] 11.8/s  deposits 875  acks 860  recoveries 3/10
/// failed 0  lost 0`.
fn line(ledger: &Ledger, escrows: usize, recoveries: usize) -> String {
	let (counts, first_submitted) = {
		let records = ledger.records();
		(records.counts, records.first_escrow_submitted)
	};
	let done = counts.escrows_finalized.min(escrows);
	let filled = (done * BAR_WIDTH).checked_div(escrows).unwrap_or(BAR_WIDTH);
	let bar = format!("{}{}", "#".repeat(filled), ".".repeat(BAR_WIDTH - filled));
	let rate = first_submitted
		.map(|first| Instant::now().saturating_duration_since(first).as_secs_f64())
		.filter(|seconds| *seconds > 0.0)
		.map_or(0.0, |seconds| counts.escrows_finalized as f64 / seconds);
	format!(
		"escrows {}/{escrows} [{bar}] {rate:.1}/s  deposits {}  acks {}  recoveries {}/{recoveries}  \
		 failed {}  lost {}",
		counts.escrows_finalized,
		counts.deposits,
		counts.acknowledgements,
		counts.recoveries,
		counts.failed,
		counts.lost
	)
}
