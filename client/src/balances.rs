//! Account balances and transfers.

use std::time::Duration;

use custos_runtime::{AccountId, Balance, BalancesCall, Hash, Nonce, Runtime, RuntimeCall};
use sp_core::sr25519;

use crate::{
	submit::{self, Inclusion, Progress},
	ChainClient, Result,
};

/// What `frame_system::Account` stores for an account.
pub type AccountInfo = frame_system::AccountInfo<Nonce, pallet_balances::AccountData<Balance>>;

/// The free balance of `account` at block `at` (best block when `None`); zero for an
/// account that does not exist.
pub async fn free_balance(
	client: &ChainClient,
	account: &AccountId,
	at: Option<Hash>,
) -> Result<Balance> {
	let key = frame_system::Account::<Runtime>::hashed_key_for(account);
	let info: Option<AccountInfo> = client.storage_decoded("account info", &key, at).await?;
	Ok(info.map(|i| i.data.free).unwrap_or_default())
}

/// Transfers `amount` from `signer` to `dest`, refusing to reap the sender's account, and
/// returns once the transfer is finalized.
pub async fn transfer(
	client: &ChainClient,
	signer: &sr25519::Pair,
	dest: &AccountId,
	amount: Balance,
	finality_timeout: Duration,
	on_progress: impl FnMut(&Progress),
) -> Result<Inclusion> {
	let call = RuntimeCall::Balances(BalancesCall::transfer_keep_alive {
		dest: dest.clone().into(),
		value: amount,
	});
	submit::sign_and_submit(client, signer, call, finality_timeout, on_progress).await
}
