//! Percentiles of durations (nearest rank) and how they are printed.

use std::time::Duration;

/// The median, 95th percentile and largest of a set of durations.
#[derive(Clone, Copy)]
pub struct Spread {
	pub count: usize,
	pub p50: Duration,
	pub p95: Duration,
	pub max: Duration,
}

impl Spread {
	/// The spread of `samples`; `None` when there are none.
	pub fn of(samples: &[Duration]) -> Option<Spread> {
		let mut sorted = samples.to_vec();
		sorted.sort();
		let max = *sorted.last()?;
		Some(Spread {
			count: sorted.len(),
			p50: nearest_rank(&sorted, 0.50),
			p95: nearest_rank(&sorted, 0.95),
			max,
		})
	}

	/// `p50 1.23 s  p95 4.56 s  max 7.89 s  (n)`.
	pub fn text(&self) -> String {
		format!(
			"p50 {}  p95 {}  max {}  ({})",
			seconds(self.p50),
			seconds(self.p95),
			seconds(self.max),
			self.count
		)
	}

	/// As JSON, in seconds.
	pub fn json(&self) -> serde_json::Value {
		serde_json::json!({
			"count": self.count,
			"p50_seconds": self.p50.as_secs_f64(),
			"p95_seconds": self.p95.as_secs_f64(),
			"max_seconds": self.max.as_secs_f64(),
		})
	}
}

/// The smallest sample with at least fraction `p` of `sorted` at or below it (`sorted` not
/// empty).
fn nearest_rank(sorted: &[Duration], p: f64) -> Duration {
	let rank = (p * sorted.len() as f64).ceil() as usize;
	sorted[rank.clamp(1, sorted.len()) - 1]
}

/// A duration in seconds, or milliseconds below one second.
pub fn seconds(duration: Duration) -> String {
	if duration < Duration::from_secs(1) {
		format!("{:.0} ms", duration.as_secs_f64() * 1e3)
	} else {
		format!("{:.2} s", duration.as_secs_f64())
	}
}

/// [`Spread::json`] of `spread`, or null.
pub fn json_or_null(spread: Option<Spread>) -> serde_json::Value {
	spread.map_or(serde_json::Value::Null, |spread| spread.json())
}
