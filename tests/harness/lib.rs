//! Test harness: starts real `custos-node` processes on 127.0.0.1.
//!
//! Each node gets free ports and its own temporary base path, logs to a file in that
//! path, and is killed when its [`Node`] is dropped, whether the test passed or not. A
//! test that panics prints the tail of every node's log, so a failure explains itself.

use std::{
	fs,
	net::TcpListener,
	path::{Path, PathBuf},
	process::{Child, Command, Stdio},
	time::{Duration, Instant},
};

pub mod lying_node;

use anyhow::{bail, Context, Result};
use custos_client::ChainClient;
use tempfile::TempDir;

/// The names of the five nodes of `scripts/testnet.sh`, in its order.
pub const FIVE: [&str; 5] = ["alice", "bob", "charlie", "dave", "eve"];

/// A random libp2p node key (hex), so that a test network never shares peer ids with another
/// network on this machine (`scripts/testnet.sh` uses fixed ones).
pub fn random_node_key() -> String {
	use sp_core::Pair;
	hex_string(&sp_core::ed25519::Pair::generate().0.seed())
}

fn hex_string(bytes: &[u8]) -> String {
	bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Starts the five nodes of `scripts/testnet.sh` on `chain` (alice first, the others booting
/// from her), each with its dev keys (`--alice`, ...) and a random node key; alice to dave run
/// with `--validator`, and eve too when `eve_validates`.
pub async fn start_five_nodes(chain: &str, eve_validates: bool) -> Result<Vec<Node>> {
	let mut nodes: Vec<Node> = Vec::new();
	for name in FIVE {
		let mut args = vec![
			"--chain".to_string(),
			chain.into(),
			format!("--{name}"),
			"--node-key".into(),
			random_node_key(),
		];
		if name != "eve" || eve_validates {
			args.push("--validator".into());
		}
		if let Some(alice) = nodes.first() {
			args.push("--bootnodes".into());
			args.push(alice.bootnode().await?);
		}
		nodes.push(Node::start(NodeConfig { name, args }).await?);
	}
	Ok(nodes)
}

/// The `custos-node` binary under test: `$CUSTOS_NODE_BIN`, or the one cargo built next
/// to this test binary (`<target>/<profile>/custos-node`).
pub fn node_binary() -> PathBuf {
	if let Some(path) = std::env::var_os("CUSTOS_NODE_BIN") {
		return PathBuf::from(path);
	}
	let exe = std::env::current_exe().expect("test binary path");
	// <target>/<profile>/deps/<test-binary>
	let profile_dir = exe.parent().and_then(Path::parent).expect("test binary in <profile>/deps");
	let node = profile_dir.join("custos-node");
	assert!(
		node.exists(),
		"{} does not exist: build it first (`./scripts/test.sh` does), or set CUSTOS_NODE_BIN",
		node.display()
	);
	node
}

/// The `custos` client binary: `$CUSTOS_CLIENT_BIN`, or the one next to `custos-node`.
pub fn client_binary() -> PathBuf {
	if let Some(path) = std::env::var_os("CUSTOS_CLIENT_BIN") {
		return PathBuf::from(path);
	}
	let client = node_binary().with_file_name("custos");
	assert!(
		client.exists(),
		"{} does not exist: build it first (`./scripts/test.sh` does), or set CUSTOS_CLIENT_BIN",
		client.display()
	);
	client
}

/// A port on 127.0.0.1 that nothing listens on right now.
pub fn free_port() -> u16 {
	TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("a free port").port()
}

/// A running `custos-node`.
pub struct Node {
	name: String,
	child: Child,
	/// JSON-RPC port on 127.0.0.1.
	pub rpc_port: u16,
	/// Libp2p port on 127.0.0.1.
	pub p2p_port: u16,
	log: PathBuf,
	args: Vec<String>,
	env: Vec<(String, String)>,
	// Dropped after the process is killed, removing the node's state.
	base: TempDir,
}

/// How to start one node.
pub struct NodeConfig<'a> {
	/// Shown in failures; also the node's `--name`.
	pub name: &'a str,
	/// The chain and role, e.g. `--dev`, or `--chain spec.json --alice --validator`.
	pub args: Vec<String>,
}

impl Node {
	/// Starts a node and returns once its JSON-RPC server answers.
	pub async fn start(config: NodeConfig<'_>) -> Result<Self> {
		Self::start_with_env(config, &[]).await
	}

	/// Starts a node with extra environment variables (a failpoint, say: see
	/// `node/src/custodian/failpoint.rs`) and returns once its JSON-RPC server answers.
	pub async fn start_with_env(config: NodeConfig<'_>, env: &[(&str, &str)]) -> Result<Self> {
		let base = tempfile::Builder::new().prefix("custos-e2e-").tempdir()?;
		let log = base.path().join("node.log");
		let rpc_port = free_port();
		let p2p_port = free_port();
		let args = config.args;
		let env: Vec<(String, String)> =
			env.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
		let child = spawn(config.name, base.path(), &log, rpc_port, p2p_port, &args, &env)?;
		let mut node =
			Node { name: config.name.into(), child, rpc_port, p2p_port, log, args, env, base };
		node.wait_for_rpc(Duration::from_secs(120)).await?;
		Ok(node)
	}

	/// Kills the process with SIGKILL, as a crash would, keeping its base path.
	pub fn kill(&mut self) -> Result<()> {
		self.child.kill()?;
		self.child.wait()?;
		Ok(())
	}

	/// Starts the node again on the same base path and ports, without the environment it was
	/// first started with; returns once its JSON-RPC server answers.
	pub async fn restart(&mut self) -> Result<()> {
		self.env.clear();
		self.child = spawn(
			&self.name,
			self.base.path(),
			&self.log,
			self.rpc_port,
			self.p2p_port,
			&self.args,
			&self.env,
		)?;
		self.wait_for_rpc(Duration::from_secs(120)).await
	}

	/// The node's base path (its database, keystore and custodian store).
	pub fn base_path(&self) -> &Path {
		self.base.path()
	}

	/// Waits until the node's log has a line containing `text`; returns that line.
	pub async fn wait_for_log(&self, text: &str, timeout: Duration) -> Result<String> {
		let start = Instant::now();
		loop {
			let log = fs::read_to_string(&self.log).unwrap_or_default();
			if let Some(line) = log.lines().find(|line| line.contains(text)) {
				return Ok(line.to_string());
			}
			if start.elapsed() > timeout {
				bail!("node {} logged no `{text}` within {timeout:?}:\n{}", self.name, self.log_tail(40));
			}
			tokio::time::sleep(Duration::from_millis(200)).await;
		}
	}

	/// WebSocket URL of the node's JSON-RPC server.
	pub fn url(&self) -> String {
		format!("ws://127.0.0.1:{}", self.rpc_port)
	}

	/// A `--bootnodes` address for this node, given its libp2p peer id.
	pub fn multiaddr(&self, peer_id: &str) -> String {
		format!("/ip4/127.0.0.1/tcp/{}/p2p/{peer_id}", self.p2p_port)
	}

	/// A `--bootnodes` address for this node, with the peer id it logged at start.
	pub async fn bootnode(&self) -> Result<String> {
		const IDENTITY: &str = "Local node identity is: ";
		let line = self.wait_for_log(IDENTITY, Duration::from_secs(30)).await?;
		let peer_id = line
			.split(IDENTITY)
			.nth(1)
			.and_then(|rest| rest.split_whitespace().next())
			.context("no peer id after the node identity")?;
		// The log may colour it.
		let peer_id: String = peer_id.chars().filter(char::is_ascii_alphanumeric).collect();
		Ok(self.multiaddr(&peer_id))
	}

	/// Connects a client to this node.
	pub async fn client(&self) -> Result<ChainClient> {
		Ok(ChainClient::connect(&self.url()).await?)
	}

	/// The last `lines` lines of the node's log.
	pub fn log_tail(&self, lines: usize) -> String {
		let log = fs::read_to_string(&self.log).unwrap_or_default();
		let all: Vec<&str> = log.lines().collect();
		all[all.len().saturating_sub(lines)..].join("\n")
	}

	// Until the RPC server answers; fails early if the process exits.
	async fn wait_for_rpc(&mut self, timeout: Duration) -> Result<()> {
		let start = Instant::now();
		loop {
			if let Some(status) = self.child.try_wait()? {
				bail!("node {} exited ({status}) before serving RPC:\n{}", self.name, self.log_tail(40));
			}
			if ChainClient::connect(&self.url()).await.is_ok() {
				return Ok(());
			}
			if start.elapsed() > timeout {
				bail!("node {} served no RPC within {timeout:?}:\n{}", self.name, self.log_tail(40));
			}
			tokio::time::sleep(Duration::from_millis(250)).await;
		}
	}
}

impl Drop for Node {
	fn drop(&mut self) {
		let _ = self.child.kill();
		let _ = self.child.wait();
		if std::thread::panicking() {
			eprintln!("---- last log lines of node {} ----\n{}\n----", self.name, self.log_tail(60));
		}
	}
}

/// Spawns `custos-node` with the harness's flags, appending its output to `log`.
fn spawn(
	name: &str,
	base: &Path,
	log: &Path,
	rpc_port: u16,
	p2p_port: u16,
	args: &[String],
	env: &[(String, String)],
) -> Result<Child> {
	let log_file = fs::OpenOptions::new().create(true).append(true).open(log)?;
	Command::new(node_binary())
		.arg("--name")
		.arg(name)
		.arg("--base-path")
		.arg(base)
		.args(["--rpc-port", &rpc_port.to_string()])
		.args(["--listen-addr", &format!("/ip4/127.0.0.1/tcp/{p2p_port}")])
		.args(["--no-prometheus", "--no-telemetry", "--no-mdns"])
		.args(args)
		.envs(env.iter().map(|(k, v)| (k, v)))
		.stdin(Stdio::null())
		.stdout(log_file.try_clone()?)
		.stderr(log_file)
		.spawn()
		.with_context(|| format!("starting {}", node_binary().display()))
}

/// Writes a chain spec derived from `--chain local` whose genesis keeps only the first
/// `validators` session keys (alice, bob, ... in order), and returns its path inside `dir`.
pub fn local_spec_with_validators(dir: &Path, validators: usize) -> Result<PathBuf> {
	let output = Command::new(node_binary())
		.args(["export-chain-spec", "--chain", "local"])
		.output()
		.context("running custos-node export-chain-spec")?;
	if !output.status.success() {
		bail!("export-chain-spec failed: {}", String::from_utf8_lossy(&output.stderr));
	}
	let mut spec: serde_json::Value = serde_json::from_slice(&output.stdout)?;
	let keys = spec
		.pointer_mut("/genesis/runtimeGenesis/patch/session/keys")
		.and_then(|k| k.as_array_mut())
		.context("the local chain spec has no session keys in its genesis patch")?;
	if keys.len() < validators {
		bail!("the local chain has only {} validators", keys.len());
	}
	keys.truncate(validators);
	let path = dir.join(format!("local-{validators}-validators.json"));
	fs::write(&path, serde_json::to_vec_pretty(&spec)?)?;
	Ok(path)
}

/// Runs the `custos` binary with `args` against `url`, with `--json` and its state under
/// `state`; returns (success, stdout as JSON or `Null`, stderr).
pub fn custos(url: &str, state: &Path, args: &[&str]) -> (bool, serde_json::Value, String) {
	let output = Command::new(client_binary())
		.args(["--url", url, "--json"])
		.args(args)
		.env("CUSTOS_STATE_DIR", state)
		.env_remove("CUSTOS_PASSPHRASE")
		.output()
		.expect("running custos");
	let stdout = String::from_utf8_lossy(&output.stdout).to_string();
	let stderr = String::from_utf8_lossy(&output.stderr).to_string();
	(output.status.success(), serde_json::from_str(&stdout).unwrap_or(serde_json::Value::Null), stderr)
}

/// Like [`custos`], failing the test with the command's stderr if it fails.
pub fn custos_ok(url: &str, state: &Path, args: &[&str]) -> serde_json::Value {
	let (ok, value, stderr) = custos(url, state, args);
	assert!(ok, "custos {args:?} failed:\n{stderr}");
	value
}

/// Every storage key and value under the pallets named `pallets` (prefix `twox_128(name)`) at
/// block `at`, read through `state_getKeysPaged` and `state_queryStorageAt`: what "storage
/// unchanged" is checked against, byte for byte.
pub async fn pallet_storage(
	client: &ChainClient,
	pallets: &[&str],
	at: custos_runtime::Hash,
) -> Result<std::collections::BTreeMap<Vec<u8>, Vec<u8>>> {
	use jsonrpsee::{core::client::ClientT, rpc_params};
	use sp_core::Bytes;
	const PAGE: u32 = 1000;
	let mut all = std::collections::BTreeMap::new();
	for pallet in pallets {
		let prefix = Bytes(sp_io::hashing::twox_128(pallet.as_bytes()).to_vec());
		let mut start: Option<Bytes> = None;
		loop {
			let keys: Vec<Bytes> = client
				.rpc()
				.request("state_getKeysPaged", rpc_params![prefix.clone(), PAGE, start.clone(), at])
				.await?;
			if keys.is_empty() {
				break;
			}
			let sets: Vec<serde_json::Value> =
				client.rpc().request("state_queryStorageAt", rpc_params![keys.clone(), at]).await?;
			for set in &sets {
				for change in set["changes"].as_array().context("a storage change set")? {
					let key: Bytes = serde_json::from_value(change[0].clone())?;
					// A key listed at `at` has a value there.
					let value: Bytes = serde_json::from_value(change[1].clone())
						.with_context(|| format!("no value at listed key {key:?}"))?;
					all.insert(key.0, value.0);
				}
			}
			if (keys.len() as u32) < PAGE {
				break;
			}
			start = keys.last().cloned();
		}
	}
	Ok(all)
}
