//! Signing extrinsics for the Custos runtime.
//!
//! The client links the runtime crate natively and signs with the runtime's own
//! [`custos_runtime::signing`] (next to its `TxExtension`), so a call the runtime would not
//! accept does not compile and the extension tuple is written once.
//! [`ChainClient::check_runtime`] guards against talking to a different runtime.

pub use custos_runtime::signing::{sign, SigningContext, MORTALITY_PERIOD};

use crate::{ChainClient, Result};

impl ChainClient {
	/// What a signature made now commits to: genesis, runtime version and the last finalized
	/// block as the era's checkpoint. Fails if the node runs another runtime.
	pub async fn signing_context(&self) -> Result<SigningContext> {
		let runtime = self.check_runtime().await?;
		let genesis_hash = self.genesis_hash().await?;
		let checkpoint = self.finalized_block().await?;
		Ok(SigningContext {
			genesis_hash,
			spec_version: runtime.spec_version,
			transaction_version: runtime.transaction_version,
			checkpoint_number: checkpoint.number,
			checkpoint_hash: checkpoint.hash,
		})
	}
}
