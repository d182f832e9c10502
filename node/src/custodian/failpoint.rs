//! A test hook: `CUSTOS_FAILPOINT=<name>[:<prefix>]` makes the custodian stop at that point
//! (for a duty whose description starts with `prefix`, e.g. `duty-journaled:Release`) and wait
//! there until the process is killed, so the reliability tests can `kill -9` a node at an
//! exact step of a duty (see tests/reliability.rs). Unset, it costs one comparison.

use std::sync::OnceLock;

/// After a duty's transaction is journaled and before the pool sees it.
pub const DUTY_JOURNALED: &str = "duty-journaled";

/// Waits forever if the failpoint `name` is armed; `what` names the duty in the log line the
/// test waits for.
pub async fn reached(name: &str, what: &str) {
	static ARMED: OnceLock<Option<String>> = OnceLock::new();
	let armed = ARMED.get_or_init(|| std::env::var("CUSTOS_FAILPOINT").ok());
	let Some(armed) = armed.as_deref() else { return };
	let (point, prefix) = armed.split_once(':').unwrap_or((armed, ""));
	if point == name && what.starts_with(prefix) {
		log::warn!(target: super::LOG_TARGET, "Failpoint {name} reached at {what}; waiting to be killed");
		futures::future::pending::<()>().await;
	}
}
