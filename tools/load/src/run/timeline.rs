//! When one transaction the run signed was submitted, included and finalized, from the
//! progress its submission reports.

use std::time::{Duration, Instant};

use custos_client::submit::Progress;
use custos_runtime::Hash;

/// What was seen of one transaction so far, each when the client saw it.
#[derive(Default)]
pub struct TxTimeline {
	/// The node's pool accepted it.
	submitted: Option<Instant>,
	/// Each block it was seen in (more than one when a block left the best chain).
	in_blocks: Vec<(Hash, Instant)>,
	finalized: Option<(Hash, Instant)>,
}

impl TxTimeline {
	/// Notes `progress` now; give it as the submission's progress callback.
	pub fn observe(&mut self, progress: &Progress) {
		let now = Instant::now();
		match progress {
			Progress::Submitted { .. } => self.submitted = Some(now),
			Progress::InBlock { block_hash } => self.in_blocks.push((*block_hash, now)),
			Progress::Retracted { .. } => {},
			Progress::Finalized { block_hash } => self.finalized = Some((*block_hash, now)),
		}
	}

	/// The pool accepted it and it was never seen finalized: what the run counts as lost.
	pub fn lost(&self) -> bool {
		self.submitted.is_some() && self.finalized.is_none()
	}

	/// Its times, once finalized: inclusion is when it was seen in the block that was then
	/// finalized (the first block it was seen in when the node reported none of that hash).
	pub fn times(&self) -> Option<TxTimes> {
		let submitted = self.submitted?;
		let (final_block, finalized) = self.finalized?;
		let included = self
			.in_blocks
			.iter()
			.find(|(hash, _)| *hash == final_block)
			.or(self.in_blocks.first())
			.map_or(finalized, |(_, at)| *at);
		Some(TxTimes { submitted, included, finalized })
	}
}

/// When a finalized transaction was accepted by the pool, seen in its block and seen final.
#[derive(Clone, Copy)]
pub struct TxTimes {
	pub submitted: Instant,
	pub included: Instant,
	pub finalized: Instant,
}

impl TxTimes {
	/// Pool acceptance to inclusion.
	pub fn inclusion(&self) -> Duration {
		self.included.saturating_duration_since(self.submitted)
	}

	/// Pool acceptance to finality.
	pub fn finality(&self) -> Duration {
		self.finalized.saturating_duration_since(self.submitted)
	}
}
