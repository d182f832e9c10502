//! The nodes the run talks to, and what it reads from the chain before it starts: the floors
//! its escrows use, and which node is which certified custodian's.

use std::sync::Arc;

use custos_client::{deposit, ChainClient};
use custos_runtime::{AccountId, BlockNumber};

use super::CUSTODIANS;

/// Connections to the nodes, and what the run reads from the chain before it starts.
pub struct Network {
	pub nodes: Vec<Arc<ChainClient>>,
	/// Each certified custodian's own node.
	pub custodian_nodes: Vec<(AccountId, Arc<ChainClient>)>,
	/// The chain's floors: least Argon2id memory and passes, least recovery delay.
	pub kdf_memory_kib: u32,
	pub kdf_iterations: u32,
	pub delay: BlockNumber,
}

impl Network {
	/// Connects to every URL (one chain, this client's runtime), reads the floors, and finds
	/// each certified custodian's node among them.
	pub async fn connect(urls: &[String]) -> anyhow::Result<Self> {
		let mut nodes: Vec<Arc<ChainClient>> = Vec::with_capacity(urls.len());
		for url in urls {
			let client = ChainClient::connect(url).await?;
			client.check_runtime().await?;
			if let Some(first) = nodes.first() {
				first.ensure_same_chain(&client).await?;
			}
			nodes.push(Arc::new(client));
		}
		let floors = nodes[0].floors().await?;
		let mut custodian_nodes = Vec::new();
		for node in &nodes {
			if let Some(account) = deposit::node_custodian(node).await? {
				custodian_nodes.push((account, node.clone()));
			}
		}
		let certified = nodes[0].certified_custodians().await?;
		anyhow::ensure!(
			certified.len() >= CUSTODIANS as usize,
			"the chain certifies {} custodians; every escrow needs {CUSTODIANS}",
			certified.len()
		);
		for (account, _) in &certified {
			anyhow::ensure!(
				custodian_nodes.iter().any(|(custodian, _)| custodian == account),
				"no node among --nodes is certified custodian {account}; custodian-held shares \
				 could not be deposited with it"
			);
		}
		Ok(Self {
			nodes,
			custodian_nodes,
			kdf_memory_kib: floors.min_kdf_memory_kib,
			kdf_iterations: floors.min_kdf_iterations,
			delay: floors.min_delay,
		})
	}
}
