//! `custos chain`: the chain itself.

use custos_client::{chain_info::ChainInfo, ChainClient};

use super::{Context, Result};
use crate::cli::ChainCommand;

pub(super) async fn run(ctx: &Context, command: ChainCommand) -> Result<()> {
	match command {
		ChainCommand::Info => ctx.emit(&info(ctx).await?),
	}
}

/// `chain info`: the library's [`ChainInfo`] is the report (it prints as text and JSON). It
/// connects without checking the runtime, so it also describes a node running another one.
async fn info(ctx: &Context) -> Result<ChainInfo> {
	let client = ChainClient::connect(&ctx.url).await?;
	Ok(ChainInfo::fetch(&client).await?)
}
