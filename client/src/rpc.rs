//! A JSON-RPC connection to a `custos-node`, with the typed calls the client uses.

use std::time::Duration;

use codec::Decode;
use custos_runtime::{AccountId, Hash, Header, Nonce};
use jsonrpsee::{
	core::client::{ClientT, Subscription, SubscriptionClientT},
	rpc_params,
	ws_client::{WsClient, WsClientBuilder},
};
use serde::Deserialize;
use sp_core::{crypto::Ss58Codec, Bytes};

use crate::{Error, Result};

/// The parts of `state_getRuntimeVersion` the client uses.
#[derive(Clone, Debug, Deserialize, serde::Serialize, PartialEq, Eq)]
#[serde(rename_all(deserialize = "camelCase"))]
pub struct RuntimeVersion {
	pub spec_name: String,
	pub impl_name: String,
	pub spec_version: u32,
	pub transaction_version: u32,
}

/// A block's number and hash.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BlockRef {
	pub number: u32,
	pub hash: Hash,
}

/// An open connection to one node.
pub struct ChainClient {
	url: String,
	ws: WsClient,
}

impl ChainClient {
	/// Connects to the node at `url` (`ws://` or `wss://`), failing after a few seconds
	/// with [`Error::Connect`] when nothing answers.
	pub async fn connect(url: &str) -> Result<Self> {
		let ws = WsClientBuilder::default()
			.connection_timeout(Duration::from_secs(5))
			.request_timeout(Duration::from_secs(60))
			.max_response_size(64 * 1024 * 1024)
			.build(url)
			.await
			.map_err(|e| Error::Connect { url: url.to_string(), reason: e.to_string() })?;
		Ok(Self { url: url.to_string(), ws })
	}

	/// The URL this client is connected to.
	pub fn url(&self) -> &str {
		&self.url
	}

	pub(crate) fn ws(&self) -> &WsClient {
		&self.ws
	}

	/// The connection, for the typed `custos_` methods of `custos-rpc-api`
	/// ([`CustosApiClient`](custos_rpc_api::CustosApiClient),
	/// [`CustodianApiClient`](custos_rpc_api::CustodianApiClient)); the wrappers in
	/// [`crate::custos`] add this library's errors.
	pub fn rpc(&self) -> &WsClient {
		&self.ws
	}

	/// The runtime's metadata (`state_getMetadata`), SCALE-encoded, at the best block.
	pub async fn metadata_bytes(&self) -> Result<Vec<u8>> {
		let bytes: Bytes = self
			.ws
			.request("state_getMetadata", rpc_params![])
			.await
			.map_err(|e| Error::rpc("state_getMetadata", e))?;
		Ok(bytes.0)
	}

	/// The chain's name from its chain spec (`system_chain`).
	pub async fn chain_name(&self) -> Result<String> {
		self.ws.request("system_chain", rpc_params![]).await.map_err(|e| Error::rpc("system_chain", e))
	}

	/// The hash of block 0.
	pub async fn genesis_hash(&self) -> Result<Hash> {
		self.block_hash(0)
			.await?
			.ok_or(Error::Decode { what: "genesis hash", reason: "the node has no block 0".into() })
	}

	/// Refuses `other` (e.g. an operator's or custodian's own node) when it serves another
	/// chain than this client: what it signs or says would not hold here.
	pub async fn ensure_same_chain(&self, other: &ChainClient) -> Result<()> {
		let (ours, theirs) = (self.genesis_hash().await?, other.genesis_hash().await?);
		if ours != theirs {
			return Err(Error::Invalid(format!(
				"the node at {} serves another chain (genesis {theirs:?}, not {ours:?})",
				other.url()
			)));
		}
		Ok(())
	}

	/// The hash of block `number` on the best chain, if it exists.
	pub async fn block_hash(&self, number: u32) -> Result<Option<Hash>> {
		self.ws
			.request("chain_getBlockHash", rpc_params![number])
			.await
			.map_err(|e| Error::rpc("chain_getBlockHash", e))
	}

	/// The runtime version at the best block.
	pub async fn runtime_version(&self) -> Result<RuntimeVersion> {
		self.ws
			.request("state_getRuntimeVersion", rpc_params![])
			.await
			.map_err(|e| Error::rpc("state_getRuntimeVersion", e))
	}

	/// Fails with [`Error::WrongRuntime`] unless the node runs the Custos runtime this client
	/// was built with (same spec name and transaction version), so nothing is signed for a
	/// format the chain would misread.
	pub async fn check_runtime(&self) -> Result<RuntimeVersion> {
		let found = self.runtime_version().await?;
		let ours = &custos_runtime::VERSION;
		if found.spec_name != ours.spec_name.as_ref() ||
			found.transaction_version != ours.transaction_version
		{
			return Err(Error::WrongRuntime {
				expected: format!("{} (transaction version {})", ours.spec_name, ours.transaction_version),
				found: format!("{} (transaction version {})", found.spec_name, found.transaction_version),
			});
		}
		Ok(found)
	}

	/// The header of block `hash`, or of the best block when `None`.
	pub async fn header(&self, hash: Option<Hash>) -> Result<Header> {
		let header: Option<Header> = self
			.ws
			.request("chain_getHeader", rpc_params![hash])
			.await
			.map_err(|e| Error::rpc("chain_getHeader", e))?;
		header.ok_or(Error::Decode { what: "header", reason: "the node does not know the block".into() })
	}

	/// The best block.
	pub async fn best_block(&self) -> Result<BlockRef> {
		let header = self.header(None).await?;
		Ok(BlockRef { number: header.number, hash: header.hash() })
	}

	/// The last finalized block.
	pub async fn finalized_block(&self) -> Result<BlockRef> {
		let hash: Hash = self
			.ws
			.request("chain_getFinalizedHead", rpc_params![])
			.await
			.map_err(|e| Error::rpc("chain_getFinalizedHead", e))?;
		let header = self.header(Some(hash)).await?;
		Ok(BlockRef { number: header.number, hash })
	}

	/// Waits, following the node's finalized-head notifications, until block `number` or a
	/// later one is finalized; returns the first such block seen.
	pub async fn wait_for_finalized(&self, number: u32, timeout: Duration) -> Result<BlockRef> {
		let wait = async {
			let mut heads = self.finalized_heads().await?;
			// The subscription starts with the current head, so nothing is missed.
			while let Some(head) = heads.next().await {
				let head = head.map_err(|e| Error::decode("finalized header", e))?;
				if head.number >= number {
					return Ok(BlockRef { number: head.number, hash: head.hash() });
				}
			}
			Err(Error::rpc("chain_subscribeFinalizedHeads", "the node closed the subscription"))
		};
		tokio::time::timeout(timeout, wait).await.map_err(|_| Error::Timeout {
			what: format!("block #{number} to be finalized at {}", self.url),
			seconds: timeout.as_secs(),
		})?
	}

	/// Number of peers the node is connected to (`system_health`).
	pub async fn peer_count(&self) -> Result<u32> {
		#[derive(Deserialize)]
		struct Health {
			peers: u32,
		}
		let health: Health = self
			.ws
			.request("system_health", rpc_params![])
			.await
			.map_err(|e| Error::rpc("system_health", e))?;
		Ok(health.peers)
	}

	/// The next nonce of `account`, counting transactions still in the pool.
	pub async fn next_nonce(&self, account: &AccountId) -> Result<Nonce> {
		self.ws
			.request("system_accountNextIndex", rpc_params![account.to_ss58check()])
			.await
			.map_err(|e| Error::rpc("system_accountNextIndex", e))
	}

	/// Raw storage at `key`, at block `at` (best block when `None`).
	pub async fn storage(&self, key: &[u8], at: Option<Hash>) -> Result<Option<Vec<u8>>> {
		let value: Option<Bytes> = self
			.ws
			.request("state_getStorage", rpc_params![Bytes(key.to_vec()), at])
			.await
			.map_err(|e| Error::rpc("state_getStorage", e))?;
		Ok(value.map(|b| b.0))
	}

	/// Storage at `key` decoded as `T`; `None` when the key is empty.
	pub async fn storage_decoded<T: Decode>(
		&self,
		what: &'static str,
		key: &[u8],
		at: Option<Hash>,
	) -> Result<Option<T>> {
		match self.storage(key, at).await? {
			None => Ok(None),
			Some(bytes) => T::decode(&mut &bytes[..]).map(Some).map_err(|e| Error::decode(what, e)),
		}
	}

	/// The SCALE-encoded extrinsics of block `hash`, in order.
	pub async fn block_extrinsics(&self, hash: Hash) -> Result<Vec<Vec<u8>>> {
		#[derive(Deserialize)]
		struct Block {
			extrinsics: Vec<Bytes>,
		}
		#[derive(Deserialize)]
		struct SignedBlock {
			block: Block,
		}
		let block: Option<SignedBlock> = self
			.ws
			.request("chain_getBlock", rpc_params![hash])
			.await
			.map_err(|e| Error::rpc("chain_getBlock", e))?;
		let block = block
			.ok_or(Error::Decode { what: "block", reason: "the node does not know the block".into() })?;
		Ok(block.block.extrinsics.into_iter().map(|b| b.0).collect())
	}

	/// Submits an encoded extrinsic and subscribes to its status updates.
	pub async fn submit_and_watch(&self, extrinsic: &[u8]) -> Result<Subscription<serde_json::Value>> {
		self.ws
			.subscribe(
				"author_submitAndWatchExtrinsic",
				rpc_params![Bytes(extrinsic.to_vec())],
				"author_unwatchExtrinsic",
			)
			.await
			.map_err(|e| Error::rpc("author_submitAndWatchExtrinsic", e))
	}
}
