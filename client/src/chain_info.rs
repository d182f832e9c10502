//! `custos chain info`: what a node says about its chain.

use std::fmt;

use custos_runtime::Hash;
use serde::Serialize;

use crate::{rpc::RuntimeVersion, ChainClient, Result};

/// A snapshot of a chain as one node sees it.
#[derive(Clone, Debug, Serialize)]
pub struct ChainInfo {
	pub url: String,
	pub chain: String,
	pub genesis_hash: Hash,
	pub runtime: RuntimeVersion,
	pub best_number: u32,
	pub best_hash: Hash,
	pub finalized_number: u32,
	pub finalized_hash: Hash,
}

impl ChainInfo {
	/// Asks `client`'s node for each field.
	pub async fn fetch(client: &ChainClient) -> Result<Self> {
		let chain = client.chain_name().await?;
		let genesis_hash = client.genesis_hash().await?;
		let runtime = client.runtime_version().await?;
		let finalized = client.finalized_block().await?;
		let best = client.best_block().await?;
		Ok(Self {
			url: client.url().to_string(),
			chain,
			genesis_hash,
			runtime,
			best_number: best.number,
			best_hash: best.hash,
			finalized_number: finalized.number,
			finalized_hash: finalized.hash,
		})
	}
}

impl fmt::Display for ChainInfo {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		writeln!(f, "Node:            {}", self.url)?;
		writeln!(f, "Chain:           {}", self.chain)?;
		writeln!(f, "Genesis hash:    {:?}", self.genesis_hash)?;
		writeln!(
			f,
			"Runtime:         {} (spec {}, spec version {}, transaction version {})",
			self.runtime.impl_name,
			self.runtime.spec_name,
			self.runtime.spec_version,
			self.runtime.transaction_version
		)?;
		writeln!(f, "Best block:      #{} {:?}", self.best_number, self.best_hash)?;
		write!(f, "Finalized block: #{} {:?}", self.finalized_number, self.finalized_hash)
	}
}
