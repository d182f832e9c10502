//! A hostile node for the reliability tests: a JSON-RPC server on 127.0.0.1 that answers the
//! methods a client reads the chain with by asking a real node, and alters every storage read
//! proof it passes on (one byte of its largest trie node). What it claims is the chain's state
//! is then not the chain's: a client that checks proofs must notice and name it.

use std::sync::{
	atomic::{AtomicUsize, Ordering},
	Arc,
};

use anyhow::Result;
use jsonrpsee::{
	core::{client::ClientT, params::ArrayParams},
	server::{Server, ServerHandle},
	types::ErrorObjectOwned,
	ws_client::{WsClient, WsClientBuilder},
	RpcModule,
};
use serde_json::Value;

/// Methods passed on to the real node; `state_getReadProof` answers are altered.
const FORWARDED: [&str; 10] = [
	"chain_getBlockHash",
	"chain_getFinalizedHead",
	"chain_getHeader",
	"chain_getBlock",
	"state_getReadProof",
	"state_call",
	"state_getStorage",
	"state_getRuntimeVersion",
	"system_accountNextIndex",
	"system_chain",
];

/// The lying node; stops when dropped.
pub struct LyingNode {
	handle: ServerHandle,
	url: String,
	altered: Arc<AtomicUsize>,
}

struct Upstream {
	node: WsClient,
	altered: Arc<AtomicUsize>,
}

impl LyingNode {
	/// Starts a lying node in front of the real node at `upstream`.
	pub async fn start(upstream: &str) -> Result<Self> {
		let node = WsClientBuilder::default().build(upstream).await?;
		let altered = Arc::new(AtomicUsize::new(0));
		let mut module = RpcModule::new(Upstream { node, altered: altered.clone() });
		for method in FORWARDED {
			module.register_async_method(method, move |params, upstream, _| async move {
				let params: Vec<Value> = params.parse().unwrap_or_default();
				let mut forwarded = ArrayParams::new();
				for param in params {
					forwarded.insert(param).map_err(internal)?;
				}
				let mut answer: Value =
					upstream.node.request(method, forwarded).await.map_err(internal)?;
				if method == "state_getReadProof" && alter_proof(&mut answer) {
					upstream.altered.fetch_add(1, Ordering::SeqCst);
				}
				Ok::<Value, ErrorObjectOwned>(answer)
			})?;
		}
		let server = Server::builder().build("127.0.0.1:0").await?;
		let url = format!("ws://{}", server.local_addr()?);
		Ok(Self { handle: server.start(module), url, altered })
	}

	/// The lying node's WebSocket URL.
	pub fn url(&self) -> &str {
		&self.url
	}

	/// Read proofs it altered so far.
	pub fn altered(&self) -> usize {
		self.altered.load(Ordering::SeqCst)
	}
}

impl Drop for LyingNode {
	fn drop(&mut self) {
		let _ = self.handle.stop();
	}
}

fn internal(e: impl std::fmt::Display) -> ErrorObjectOwned {
	ErrorObjectOwned::owned(-32603, e.to_string(), None::<()>)
}

/// Flips one bit in the middle of the largest trie node of a `state_getReadProof` answer.
fn alter_proof(answer: &mut Value) -> bool {
	let Some(nodes) = answer.get_mut("proof").and_then(Value::as_array_mut) else { return false };
	let Some(largest) = nodes.iter_mut().max_by_key(|node| node.as_str().map_or(0, str::len))
	else {
		return false;
	};
	let Some(hex) = largest.as_str() else { return false };
	let mut bytes = hex.as_bytes().to_vec();
	if bytes.len() < 6 {
		return false;
	}
	let middle = 2 + (bytes.len() - 2) / 2;
	bytes[middle] = if bytes[middle] == b'0' { b'1' } else { b'0' };
	*largest = Value::String(String::from_utf8(bytes).expect("hex stays ASCII"));
	true
}
