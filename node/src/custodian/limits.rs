//! How much a custodian takes from strangers: `custos_depositShare` is public, so its size,
//! its rate and the disk it may fill are bounded.

use std::{
	sync::Mutex,
	time::{Duration, Instant},
};

/// The operator's bounds on deposits (`custos-node --custodian-*`).
#[derive(Clone, Copy, Debug)]
pub struct DepositLimits {
	/// Bytes of held shares at most.
	pub store_quota: u64,
	/// Deposits taken per minute at most, in bursts of up to a quarter of that.
	pub per_minute: u32,
}

impl Default for DepositLimits {
	fn default() -> Self {
		Self { store_quota: 1 << 30, per_minute: 600 }
	}
}

/// A token bucket: `burst` deposits at once, refilled at `per_minute`.
pub struct RateLimiter {
	per_minute: u32,
	burst: f64,
	state: Mutex<(f64, Instant)>,
}

impl RateLimiter {
	pub fn new(per_minute: u32) -> Self {
		let burst = f64::from((per_minute / 4).max(1));
		Self { per_minute, burst, state: Mutex::new((burst, Instant::now())) }
	}

	/// Takes one token, or says how long until one is free.
	pub fn take(&self) -> Result<(), Duration> {
		self.take_at(Instant::now())
	}

	fn take_at(&self, now: Instant) -> Result<(), Duration> {
		let mut state = self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
		let (tokens, last) = &mut *state;
		let rate = f64::from(self.per_minute) / 60.0;
		*tokens = (*tokens + now.saturating_duration_since(*last).as_secs_f64() * rate).min(self.burst);
		*last = now;
		if *tokens >= 1.0 {
			*tokens -= 1.0;
			return Ok(());
		}
		if rate <= 0.0 {
			return Err(Duration::from_secs(60));
		}
		Err(Duration::from_secs_f64((1.0 - *tokens) / rate))
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn a_burst_is_taken_then_refused_until_refilled() {
		let limiter = RateLimiter::new(60);
		let start = Instant::now();
		for _ in 0..15 {
			limiter.take_at(start).unwrap();
		}
		let wait = limiter.take_at(start).unwrap_err();
		assert!(wait > Duration::from_millis(900) && wait <= Duration::from_secs(1), "{wait:?}");
		// One a second at 60 a minute.
		limiter.take_at(start + Duration::from_secs(1)).unwrap();
		assert!(limiter.take_at(start + Duration::from_secs(1)).is_err());
		// Never more than the burst, however long it rested.
		let later = start + Duration::from_secs(3600);
		for _ in 0..15 {
			limiter.take_at(later).unwrap();
		}
		assert!(limiter.take_at(later).is_err());
	}
}
