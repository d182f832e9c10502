//! Submitting a signed extrinsic and following it until its block is finalized.

use std::time::Duration;

use codec::Encode;
use custos_runtime::{Hash, RuntimeCall, RuntimeError, RuntimeEvent, UncheckedExtrinsic};
use frame_system::{EventRecord, Phase};
use sp_core::{sr25519, Pair};
use sp_runtime::{
	traits::{BlakeTwo256, Hash as _},
	DispatchError,
};

use crate::{
	extrinsic,
	rpc::BlockRef,
	ChainClient, Error, Result,
};

/// Where a transaction is on its way to finality, for progress reports.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Progress {
	/// The node's pool accepted the transaction.
	Submitted { tx_hash: Hash },
	/// Included in a block that is not final yet.
	InBlock { block_hash: Hash },
	/// That block left the best chain; the pool will try again.
	Retracted { block_hash: Hash },
	/// Included in a finalized block.
	Finalized { block_hash: Hash },
}

/// A transaction in a finalized block, with the events it emitted.
#[derive(Debug)]
pub struct Inclusion {
	pub tx_hash: Hash,
	pub block: BlockRef,
	pub extrinsic_index: u32,
	pub events: Vec<RuntimeEvent>,
}

/// Signs `call` by `signer` at its next nonce, submits it, reports progress, and returns
/// once it is in a finalized block and succeeded. A refused, dropped or failed transaction
/// is an error naming why.
pub async fn sign_and_submit(
	client: &ChainClient,
	signer: &sr25519::Pair,
	call: RuntimeCall,
	finality_timeout: Duration,
	mut on_progress: impl FnMut(&Progress),
) -> Result<Inclusion> {
	let context = client.signing_context().await?;
	let nonce = client.next_nonce(&signer.public().into()).await?;
	let extrinsic = extrinsic::sign(call, signer, nonce, &context);
	submit_and_wait(client, &extrinsic, finality_timeout, &mut on_progress).await
}

/// Submits an already signed extrinsic and waits as [`sign_and_submit`] does.
pub async fn submit_and_wait(
	client: &ChainClient,
	extrinsic: &UncheckedExtrinsic,
	finality_timeout: Duration,
	on_progress: &mut impl FnMut(&Progress),
) -> Result<Inclusion> {
	let encoded = extrinsic.encode();
	let tx_hash = BlakeTwo256::hash(&encoded);
	let not_included = |reason: String| Error::NotIncluded { hash: format!("{tx_hash:?}"), reason };

	let mut statuses = client
		.submit_and_watch(&encoded)
		.await
		.map_err(|e| not_included(e.to_string()))?;
	on_progress(&Progress::Submitted { tx_hash });

	let follow = async {
		while let Some(status) = statuses.next().await {
			let status = status.map_err(|e| Error::decode("transaction status", e))?;
			match TxStatus::from_json(&status) {
				TxStatus::Pending => {},
				TxStatus::InBlock(block_hash) => on_progress(&Progress::InBlock { block_hash }),
				TxStatus::Retracted(block_hash) =>
					on_progress(&Progress::Retracted { block_hash }),
				TxStatus::Finalized(block_hash) => {
					on_progress(&Progress::Finalized { block_hash });
					return Ok(block_hash);
				},
				TxStatus::Failed(reason) => return Err(not_included(reason)),
			}
		}
		Err(not_included("the node closed the status subscription".into()))
	};
	let block_hash = tokio::time::timeout(finality_timeout, follow).await.map_err(|_| {
		Error::Timeout {
			what: format!("transaction {tx_hash:?} to be finalized"),
			seconds: finality_timeout.as_secs(),
		}
	})??;

	let header = client.header(Some(block_hash)).await?;
	let block = BlockRef { number: header.number, hash: block_hash };
	let extrinsic_index = client
		.block_extrinsics(block_hash)
		.await?
		.iter()
		.position(|e| *e == encoded)
		.ok_or(Error::Decode {
			what: "finalized block",
			reason: format!("transaction {tx_hash:?} is not in block {block_hash:?}"),
		})? as u32;

	let events = extrinsic_events(client, block_hash, extrinsic_index).await?;
	for event in &events {
		if let RuntimeEvent::System(frame_system::Event::ExtrinsicFailed { dispatch_error, .. }) =
			event
		{
			return Err(Error::DispatchFailed {
				hash: format!("{tx_hash:?}"),
				block: format!("#{} {:?}", block.number, block.hash),
				reason: describe_dispatch_error(*dispatch_error),
			});
		}
	}
	Ok(Inclusion { tx_hash, block, extrinsic_index, events })
}

/// The events extrinsic `index` of block `block_hash` emitted.
pub async fn extrinsic_events(
	client: &ChainClient,
	block_hash: Hash,
	index: u32,
) -> Result<Vec<RuntimeEvent>> {
	// `System::Events` is private to frame-system; its key is the standard value prefix.
	let key = frame_support::storage::storage_prefix(b"System", b"Events");
	let records: Vec<EventRecord<RuntimeEvent, Hash>> = client
		.storage_decoded("events", &key, Some(block_hash))
		.await?
		.unwrap_or_default();
	Ok(records
		.into_iter()
		.filter(|r| r.phase == Phase::ApplyExtrinsic(index))
		.map(|r| r.event)
		.collect())
}

/// A dispatch error in words: the pallet error's name when it is one of this runtime's.
pub fn describe_dispatch_error(error: DispatchError) -> String {
	match RuntimeError::from_dispatch_error(error) {
		Some(named) => format!("{named:?}"),
		None => format!("{error:?}"),
	}
}

/// The states of `author_submitAndWatchExtrinsic` that matter here.
enum TxStatus {
	Pending,
	InBlock(Hash),
	Retracted(Hash),
	Finalized(Hash),
	Failed(String),
}

impl TxStatus {
	fn from_json(status: &serde_json::Value) -> Self {
		use serde_json::Value;
		let hash_of = |v: &Value| -> Option<Hash> { serde_json::from_value(v.clone()).ok() };
		match status {
			Value::String(s) => match s.as_str() {
				"future" | "ready" => TxStatus::Pending,
				"dropped" => TxStatus::Failed("dropped from the pool (pool full, or replaced)".into()),
				"invalid" => TxStatus::Failed("became invalid (nonce used, or funds gone)".into()),
				other => TxStatus::Failed(format!("unexpected status `{other}`")),
			},
			Value::Object(map) => match map.iter().next() {
				Some((kind, value)) => match (kind.as_str(), hash_of(value)) {
					("broadcast", _) => TxStatus::Pending,
					("inBlock", Some(h)) => TxStatus::InBlock(h),
					("retracted", Some(h)) => TxStatus::Retracted(h),
					("finalized", Some(h)) => TxStatus::Finalized(h),
					("usurped", _) => TxStatus::Failed("usurped by another transaction".into()),
					("finalityTimeout", _) =>
						TxStatus::Failed("its block was not finalized in time".into()),
					_ => TxStatus::Failed(format!("unexpected status {status}")),
				},
				None => TxStatus::Failed(format!("unexpected status {status}")),
			},
			_ => TxStatus::Failed(format!("unexpected status {status}")),
		}
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use serde_json::json;

	const H: &str = "0x0101010101010101010101010101010101010101010101010101010101010101";

	#[test]
	fn pool_and_block_statuses_are_read() {
		let h = Hash::repeat_byte(1);
		assert!(matches!(TxStatus::from_json(&json!("ready")), TxStatus::Pending));
		assert!(matches!(TxStatus::from_json(&json!("future")), TxStatus::Pending));
		assert!(matches!(TxStatus::from_json(&json!({"broadcast": ["peer"]})), TxStatus::Pending));
		assert!(matches!(TxStatus::from_json(&json!({"inBlock": H})), TxStatus::InBlock(x) if x == h));
		assert!(matches!(TxStatus::from_json(&json!({"retracted": H})), TxStatus::Retracted(x) if x == h));
		assert!(matches!(TxStatus::from_json(&json!({"finalized": H})), TxStatus::Finalized(x) if x == h));
	}

	#[test]
	fn terminal_failures_are_errors_with_a_reason() {
		for status in [
			json!("dropped"),
			json!("invalid"),
			json!({"usurped": H}),
			json!({"finalityTimeout": H}),
			json!({"inBlock": "not a hash"}),
			json!(42),
		] {
			match TxStatus::from_json(&status) {
				TxStatus::Failed(reason) => assert!(!reason.is_empty()),
				_ => panic!("{status} must be a failure"),
			}
		}
	}

	#[test]
	fn module_errors_are_named() {
		let error = DispatchError::Module(sp_runtime::ModuleError {
			index: 3, // Balances
			error: [2, 0, 0, 0], // InsufficientBalance
			message: None,
		});
		assert_eq!(describe_dispatch_error(error), "Balances(InsufficientBalance)");
		assert_eq!(describe_dispatch_error(DispatchError::BadOrigin), "BadOrigin");
	}
}
