//! The `custos-node` process on this machine that serves a given JSON-RPC URL, read from
//! `/proc`: its resident memory, binary and base path, for tools that report what a run cost
//! the nodes (Linux only; elsewhere no node is found).
//!
//! A node is matched by the `--rpc-port` on its command line against the URL's port, which
//! tells the testnet's nodes from other nodes on the same machine (end-to-end tests run the same
//! chains on free ports).

use std::path::{Path, PathBuf};

/// Dev account flags a node may run under (`--alice` ... `--ferdie`), which name it.
const DEV_NAMES: [&str; 6] = ["alice", "bob", "charlie", "dave", "eve", "ferdie"];

/// A `custos-node` process running on this machine, as read when it was found.
#[derive(Clone, Debug)]
pub struct LocalNode {
	pub pid: u32,
	/// The dev account it runs as (`--alice` gives `alice`), when one is given.
	pub name: Option<String>,
	/// The binary it runs.
	pub exe: PathBuf,
	/// The binary was rebuilt (replaced on disk) since the node started: `exe` is the path of
	/// what ran then, no longer the same file.
	pub rebuilt: bool,
	/// Resident memory (`VmRSS`) when found.
	pub rss_kib: u64,
	/// Its `--base-path` (`-d`), made absolute; `None` without one (`--tmp`, or the default
	/// directory).
	pub base_path: Option<PathBuf>,
}

impl LocalNode {
	/// For each of `urls`, the `custos-node` on this machine whose `--rpc-port` is the URL's
	/// port, if there is one (a URL of another host never has one).
	pub fn find_all(urls: &[String]) -> Vec<Option<LocalNode>> {
		let ports: Vec<Option<u16>> = urls.iter().map(|url| local_port(url)).collect();
		let mut found: Vec<Option<LocalNode>> = urls.iter().map(|_| None).collect();
		let Ok(entries) = std::fs::read_dir("/proc") else { return found };
		for entry in entries.flatten() {
			let Some(pid) = entry.file_name().to_str().and_then(|name| name.parse::<u32>().ok())
			else {
				continue;
			};
			let Some(args) = command_line(&entry.path()) else { continue };
			if !args.first().is_some_and(|arg0| arg0.ends_with("custos-node")) {
				continue;
			}
			let port = flag_value(&args, "--rpc-port", None).and_then(|port| port.parse().ok());
			let Some(slot) = ports.iter().position(|wanted| wanted.is_some() && *wanted == port)
			else {
				continue;
			};
			if let Some(node) = Self::read(pid, &entry.path(), &args) {
				found[slot] = Some(node);
			}
		}
		found
	}

	/// The node with process directory `proc_dir` and command line `args`; `None` when it
	/// exited meanwhile.
	fn read(pid: u32, proc_dir: &Path, args: &[String]) -> Option<LocalNode> {
		let status = std::fs::read_to_string(proc_dir.join("status")).ok()?;
		let rss_kib = vm_rss_kib(&status)?;
		let name = DEV_NAMES
			.into_iter()
			.find(|name| args.iter().any(|arg| arg.strip_prefix("--") == Some(*name)))
			.map(str::to_string);
		let exe = std::fs::read_link(proc_dir.join("exe"))
			.map_or_else(|_| args[0].clone(), |path| path.display().to_string());
		// The kernel marks a binary replaced since the process started.
		let (exe, rebuilt) = match exe.strip_suffix(" (deleted)") {
			Some(path) => (path.to_string(), true),
			None => (exe, false),
		};
		// A relative base path is relative to the node's working directory, not ours.
		let base_path = flag_value(args, "--base-path", Some("-d")).map(|path| {
			let path = PathBuf::from(path);
			match (path.is_relative(), std::fs::read_link(proc_dir.join("cwd"))) {
				(true, Ok(cwd)) => cwd.join(path),
				_ => path,
			}
		});
		Some(LocalNode { pid, name, exe: PathBuf::from(exe), rebuilt, rss_kib, base_path })
	}

	/// The cargo profile its binary was built with, read from the path (`target/debug/...`,
	/// `target/release/...`); `None` when the path says neither.
	pub fn build_profile(&self) -> Option<&'static str> {
		let parent = self.exe.parent()?.file_name()?.to_str()?;
		["debug", "release"].into_iter().find(|profile| *profile == parent)
	}

	/// Disk space its files under its base path occupy: the chain database (ParityDB), the
	/// custodian's held shares, keystore and network key. Counted in allocated blocks, as `du`
	/// does, not file lengths: ParityDB's index files are sparse (32 MiB long, mostly holes).
	/// `None` without a base path or when it cannot be read (files that vanish while it is
	/// summed, as the database compacts, are skipped).
	pub fn database_bytes(&self) -> Option<u64> {
		directory_bytes(self.base_path.as_deref()?).ok()
	}
}

/// The port of `url` when it names this machine (`ws://127.0.0.1:9944` gives 9944).
pub fn local_port(url: &str) -> Option<u16> {
	let rest = url.strip_prefix("ws://").or_else(|| url.strip_prefix("wss://"))?;
	let (host, port) = rest.split('/').next()?.rsplit_once(':')?;
	matches!(host, "127.0.0.1" | "localhost" | "[::1]").then_some(())?;
	port.parse().ok()
}

/// The arguments of the process whose `/proc` directory is `proc_dir`.
fn command_line(proc_dir: &Path) -> Option<Vec<String>> {
	let bytes = std::fs::read(proc_dir.join("cmdline")).ok()?;
	let args: Vec<String> = bytes
		.split(|byte| *byte == 0)
		.filter(|arg| !arg.is_empty())
		.map(|arg| String::from_utf8_lossy(arg).into_owned())
		.collect();
	(!args.is_empty()).then_some(args)
}

/// The value of `flag` (or its `short` form) in `args`: `--flag value` or `--flag=value`.
fn flag_value<'a>(args: &'a [String], flag: &str, short: Option<&str>) -> Option<&'a str> {
	args.windows(2)
		.find(|pair| pair[0] == flag || short.is_some_and(|short| pair[0] == short))
		.map(|pair| pair[1].as_str())
		.or_else(|| {
			args.iter()
				.find_map(|arg| arg.strip_prefix(flag).and_then(|rest| rest.strip_prefix('=')))
		})
}

/// `VmRSS` from the text of `/proc/<pid>/status`, in KiB.
fn vm_rss_kib(status: &str) -> Option<u64> {
	let line = status.lines().find(|line| line.starts_with("VmRSS:"))?;
	line.split_whitespace().nth(1)?.parse().ok()
}

/// Disk space the regular files under `dir` occupy, following no links.
fn directory_bytes(dir: &Path) -> std::io::Result<u64> {
	let mut total = 0;
	for entry in std::fs::read_dir(dir)? {
		let Ok(entry) = entry else { continue };
		let Ok(kind) = entry.file_type() else { continue };
		if kind.is_dir() {
			total += directory_bytes(&entry.path()).unwrap_or(0);
		} else if kind.is_file() {
			total += entry.metadata().map_or(0, |metadata| allocated_bytes(&metadata));
		}
	}
	Ok(total)
}

/// Disk space a file occupies: its allocated 512-byte blocks (a sparse file's holes take none).
#[cfg(unix)]
fn allocated_bytes(metadata: &std::fs::Metadata) -> u64 {
	std::os::unix::fs::MetadataExt::blocks(metadata) * 512
}

/// Disk space a file occupies: its length, where blocks are not reported.
#[cfg(not(unix))]
fn allocated_bytes(metadata: &std::fs::Metadata) -> u64 {
	metadata.len()
}

#[cfg(test)]
mod tests {
	use super::{directory_bytes, flag_value, local_port, vm_rss_kib};

	#[test]
	fn only_urls_of_this_machine_have_a_local_port() {
		assert_eq!(local_port("ws://127.0.0.1:9944"), Some(9944));
		assert_eq!(local_port("ws://localhost:9945/"), Some(9945));
		assert_eq!(local_port("wss://[::1]:443"), Some(443));
		assert_eq!(local_port("ws://10.0.0.2:9944"), None);
		assert_eq!(local_port("ws://127.0.0.1"), None);
		assert_eq!(local_port("http://127.0.0.1:9944"), None);
	}

	#[test]
	fn flags_are_read_in_both_forms() {
		let args: Vec<String> =
			["custos-node", "--rpc-port", "9944", "--base-path=/tmp/a", "-d", "/tmp/b"]
				.map(String::from)
				.to_vec();
		assert_eq!(flag_value(&args, "--rpc-port", None), Some("9944"));
		// The separate form comes first; `-d` is the short form of `--base-path`.
		assert_eq!(flag_value(&args, "--base-path", Some("-d")), Some("/tmp/b"));
		assert_eq!(flag_value(&args, "--base-path", None), Some("/tmp/a"));
		assert_eq!(flag_value(&args, "--chain", None), None);
		// A flag that only starts like another is not it.
		let args: Vec<String> = ["custos-node", "--rpc-port-x=1"].map(String::from).to_vec();
		assert_eq!(flag_value(&args, "--rpc-port", None), None);
	}

	#[test]
	fn resident_memory_is_read_from_status() {
		let status = "Name:\tcustos-node\nVmPeak:\t 900 kB\nVmRSS:\t  190260 kB\nThreads:\t30\n";
		assert_eq!(vm_rss_kib(status), Some(190_260));
		assert_eq!(vm_rss_kib("Name:\tkthreadd\n"), None);
	}

	#[test]
	fn disk_space_is_summed_through_subdirectories_without_holes() {
		const MIB: u64 = 1024 * 1024;
		let dir = tempfile::tempdir().unwrap();
		std::fs::write(dir.path().join("a"), vec![1u8; MIB as usize]).unwrap();
		std::fs::create_dir_all(dir.path().join("chains/db")).unwrap();
		std::fs::write(dir.path().join("chains/db/b"), vec![1u8; MIB as usize]).unwrap();
		// 64 MiB long, nothing written: a hole, as in ParityDB's index files.
		let sparse = std::fs::File::create(dir.path().join("chains/db/index")).unwrap();
		sparse.set_len(64 * MIB).unwrap();
		let bytes = directory_bytes(dir.path()).unwrap();
		assert!((2 * MIB..8 * MIB).contains(&bytes), "{bytes} bytes");
	}
}
