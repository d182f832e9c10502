//! `custos transfer`: send funds.

use std::fmt;

use custos_client::{balances, escrow::FINALITY_TIMEOUT, signer::parse_signer};
use custos_runtime::{AccountId, Balance, UNIT};
use serde::Serialize;

use super::{Context, Included, Result};
use crate::cli::TransferArgs;

/// A transfer that was finalized.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Transferred {
	/// The receiver.
	pub to: AccountId,
	/// Amount in planck (decimal string).
	#[serde(serialize_with = "custos_rpc_api::views::decimal::serialize")]
	pub amount: Balance,
	/// Where it was finalized.
	pub inclusion: Included,
}

impl fmt::Display for Transferred {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		write!(
			f,
			"Sent {} UNIT to {} (block #{}).",
			self.amount / UNIT,
			self.to,
			self.inclusion.block
		)
	}
}

pub(super) async fn run(ctx: &Context, args: TransferArgs) -> Result<()> {
	// The signer first: a key file or stdin that cannot be read should not wait for a node.
	let signer = parse_signer(&args.signer)?;
	let client = ctx.connect().await?;
	let amount = Balance::from(args.amount) * UNIT;
	let inclusion = balances::transfer(
		&client,
		&signer,
		&args.to,
		amount,
		FINALITY_TIMEOUT,
		ctx.reporter.transaction("transfer"),
	)
	.await?;
	ctx.emit(&Transferred { to: args.to, amount, inclusion: (&inclusion).into() })
}
