//! What the run cost each node on this machine: resident memory and disk space (under its base
//! path), before and after.

use custos_client::local_node::LocalNode;

/// One node as measured at one moment.
pub struct NodeSample {
	pub node: LocalNode,
	/// Disk space used under its base path then ([`LocalNode::database_bytes`]).
	pub disk_bytes: Option<u64>,
}

/// Measures the node serving each of `urls` now (`None`: not on this machine).
pub fn sample(urls: &[String]) -> Vec<Option<NodeSample>> {
	LocalNode::find_all(urls)
		.into_iter()
		.map(|node| {
			node.map(|node| {
				let disk_bytes = node.database_bytes();
				NodeSample { node, disk_bytes }
			})
		})
		.collect()
}

/// `1234.5 MiB`.
fn mib(bytes: u64) -> String {
	format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
}

/// `before -> after (+delta)`, or `-` for what was not measured.
fn change(before: Option<u64>, after: Option<u64>) -> String {
	match (before, after) {
		(Some(before), Some(after)) => {
			let delta = after as i64 - before as i64;
			let sign = if delta < 0 { "-" } else { "+" };
			format!("{} -> {} ({sign}{})", mib(before), mib(after), mib(delta.unsigned_abs()))
		},
		(Some(before), None) => format!("{} -> -", mib(before)),
		(None, Some(after)) => format!("- -> {}", mib(after)),
		(None, None) => "-".into(),
	}
}

/// Prints one row per node: name, pid, resident memory and disk before and after.
pub fn print_table(urls: &[String], before: &[Option<NodeSample>], after: &[Option<NodeSample>]) {
	println!("Nodes (memory: VmRSS; disk: space used under --base-path), before -> after:");
	for ((url, before), after) in urls.iter().zip(before).zip(after) {
		let Some(first) = before.as_ref().or(after.as_ref()) else {
			println!("  {url}  no custos-node with this --rpc-port on this machine");
			continue;
		};
		let rss = |sample: &Option<NodeSample>| sample.as_ref().map(|s| s.node.rss_kib * 1024);
		let disk = |sample: &Option<NodeSample>| sample.as_ref().and_then(|s| s.disk_bytes);
		let restarted = match (before, after) {
			(Some(before), Some(after)) if before.node.pid != after.node.pid => {
				format!("  (restarted: pid {} after)", after.node.pid)
			},
			_ => String::new(),
		};
		println!(
			"  {url}  {:<7}  pid {:<7}  memory {:<34}  disk {}{restarted}",
			first.node.name.as_deref().unwrap_or("-"),
			first.node.pid,
			change(rss(before), rss(after)),
			change(disk(before), disk(after)),
		);
	}
	let builds: std::collections::BTreeSet<String> = before
		.iter()
		.chain(after)
		.flatten()
		.map(|sample| {
			let profile = sample.node.build_profile().unwrap_or("profile unknown");
			let rebuilt = if sample.node.rebuilt { ", rebuilt since it started" } else { "" };
			format!("{profile} build: {}{rebuilt}", sample.node.exe.display())
		})
		.collect();
	for build in builds {
		println!("  {build}");
	}
}

/// The same as JSON: one object per URL.
pub fn json(
	urls: &[String],
	before: &[Option<NodeSample>],
	after: &[Option<NodeSample>],
) -> serde_json::Value {
	let side = |sample: &Option<NodeSample>| match sample {
		Some(sample) => serde_json::json!({
			"pid": sample.node.pid,
			"rss_bytes": sample.node.rss_kib * 1024,
			"disk_bytes": sample.disk_bytes,
		}),
		None => serde_json::Value::Null,
	};
	let nodes = urls.iter().zip(before).zip(after).map(|((url, before), after)| {
		let node = before.as_ref().or(after.as_ref()).map(|sample| &sample.node);
		serde_json::json!({
			"url": url,
			"name": node.and_then(|node| node.name.clone()),
			"exe": node.map(|node| node.exe.display().to_string()),
			"build_profile": node.and_then(|node| node.build_profile()),
			"before": side(before),
			"after": side(after),
		})
	});
	serde_json::Value::Array(nodes.collect())
}
