//! Waiting for something to become true on chain, checked at each finalized block.

use std::{future::Future, time::Duration};

use custos_runtime::Header;
use jsonrpsee::{
	core::client::{Subscription, SubscriptionClientT},
	rpc_params,
};

use crate::{ChainClient, Error, Result};

impl ChainClient {
	/// Subscribes to finalized headers; the first one is the current finalized head.
	pub(crate) async fn finalized_heads(&self) -> Result<Subscription<Header>> {
		self.ws()
			.subscribe(
				"chain_subscribeFinalizedHeads",
				rpc_params![],
				"chain_unsubscribeFinalizedHeads",
			)
			.await
			.map_err(|e| Error::rpc("chain_subscribeFinalizedHeads", e))
	}

	/// Evaluates `check` now and at every newly finalized block until it returns `Some`,
	/// failing with [`Error::Timeout`] (naming `what`) after `timeout`.
	pub async fn wait_until<T, F, Fut>(
		&self,
		what: &str,
		timeout: Duration,
		mut check: F,
	) -> Result<T>
	where
		F: FnMut() -> Fut,
		Fut: Future<Output = Result<Option<T>>>,
	{
		let wait = async {
			let mut heads = self.finalized_heads().await?;
			loop {
				if let Some(value) = check().await? {
					return Ok(value);
				}
				match heads.next().await {
					Some(Ok(_)) => {},
					Some(Err(e)) => return Err(Error::decode("finalized header", e)),
					None => {
						return Err(Error::rpc(
							"chain_subscribeFinalizedHeads",
							"the node closed the subscription",
						))
					},
				}
			}
		};
		tokio::time::timeout(timeout, wait)
			.await
			.map_err(|_| Error::Timeout { what: what.to_string(), seconds: timeout.as_secs() })?
	}
}
