//! One block as `import-cost` measures it: its extrinsics named and weighed from the chain's
//! own events, and the bytes `Core_execute_block` takes to execute it again.

use anyhow::{anyhow, bail, Context};
use codec::{Compact, Decode, Encode};
use custos_client::ChainClient;
use custos_runtime::{Hash, Runtime, RuntimeEvent, UncheckedExtrinsic};
use frame_support::{
	dispatch::{DispatchClass, GetDispatchInfo, PerDispatchClass},
	storage::storage_prefix,
	traits::GetCallMetadata,
	weights::Weight,
};
use frame_system::{EventRecord, Phase};
use sp_runtime::DigestItem;

/// One extrinsic of a block, as the chain dispatched it.
#[derive(Clone, Debug)]
pub struct Extrinsic {
	/// `Pallet::call`, followed by ` (failed)` when the call failed: a failed call usually
	/// stops early, so it is weighed and timed apart from the successful ones.
	pub label: String,
	/// Its dispatch class; `Mandatory` for the inherents (the timestamp).
	pub class: DispatchClass,
	/// The weight the chain charged: the `ExtrinsicSuccess` or `ExtrinsicFailed` event's
	/// (after any refund, with the per-extrinsic base weight).
	pub charged: Weight,
	/// The weight declared before dispatch, as this tool's copy of the runtime computes it:
	/// call, transaction extensions and per-extrinsic base weight.
	pub declared: Weight,
}

/// A block read from the node, ready to be executed again.
#[derive(Clone, Debug)]
pub struct Block {
	/// Its number.
	pub number: u32,
	/// Its parent's hash: the state it is executed on.
	pub parent: Hash,
	/// SCALE of the block without the author's seal: `Core_execute_block`'s argument.
	pub execute_payload: Vec<u8>,
	/// Its extrinsics in order, inherents included.
	pub extrinsics: Vec<Extrinsic>,
	/// `System::BlockWeight` after the block: the weight consumed per dispatch class.
	pub consumed: PerDispatchClass<Weight>,
}

impl Block {
	/// The extrinsics that are transactions: all but the mandatory inherents, whose cost is
	/// part of every block's fixed cost.
	pub fn transactions(&self) -> impl Iterator<Item = &Extrinsic> {
		self.extrinsics.iter().filter(|xt| xt.class != DispatchClass::Mandatory)
	}

	/// Whether the block holds nothing but inherents.
	pub fn is_inherent_only(&self) -> bool {
		self.transactions().next().is_none()
	}

	/// The weight charged for the block's transactions together.
	pub fn transactions_weight(&self) -> Weight {
		self.transactions().fold(Weight::zero(), |sum, xt| sum.saturating_add(xt.charged))
	}
}

/// Reads block `number` of the node's best chain: header, extrinsics, events and consumed
/// weight (the state at the block must not have been pruned).
pub async fn fetch(client: &ChainClient, number: u32) -> anyhow::Result<Block> {
	let hash = client
		.block_hash(number)
		.await?
		.ok_or_else(|| anyhow!("the node has no block #{number}"))?;
	let mut header = client.header(Some(hash)).await?;
	if header.hash() != hash {
		bail!("the node's header of block #{number} does not hash to {hash:?}");
	}
	let raw_extrinsics = client.block_extrinsics(hash).await?;
	// `System::Events` and `System::BlockWeight` are plain values; their keys are the
	// standard value prefixes.
	let events: Vec<EventRecord<RuntimeEvent, Hash>> = client
		.storage_decoded("System::Events", &storage_prefix(b"System", b"Events"), Some(hash))
		.await?
		.unwrap_or_default();
	let consumed: PerDispatchClass<Weight> = client
		.storage_decoded(
			"System::BlockWeight",
			&storage_prefix(b"System", b"BlockWeight"),
			Some(hash),
		)
		.await?
		.unwrap_or_default();
	let extrinsics = raw_extrinsics
		.iter()
		.enumerate()
		.map(|(index, bytes)| extrinsic(index as u32, bytes, &events))
		.collect::<anyhow::Result<Vec<_>>>()
		.with_context(|| format!("block #{number}"))?;

	// Import takes the author's seal off before executing the block; left on, the runtime
	// would find a digest item it did not make and refuse the block.
	header.digest.logs.retain(|item| !matches!(item, DigestItem::Seal(..)));
	let parent = header.parent_hash;
	// A block encodes as its header then its extrinsics as a vector; each extrinsic's bytes
	// from the node already carry their own length prefix.
	let mut execute_payload = header.encode();
	Compact(raw_extrinsics.len() as u32).encode_to(&mut execute_payload);
	for bytes in &raw_extrinsics {
		execute_payload.extend_from_slice(bytes);
	}
	Ok(Block { number, parent, execute_payload, extrinsics, consumed })
}

/// Extrinsic `index` of a block, decoded from `bytes` and weighed from the block's `events`.
fn extrinsic(
	index: u32,
	bytes: &[u8],
	events: &[EventRecord<RuntimeEvent, Hash>],
) -> anyhow::Result<Extrinsic> {
	let decoded = UncheckedExtrinsic::decode(&mut &bytes[..])
		.map_err(|e| anyhow!("extrinsic {index} does not decode as this runtime's: {e}"))?;
	let call = decoded.function.get_call_metadata();
	let (charged, class, failed) = events
		.iter()
		.filter(|record| record.phase == Phase::ApplyExtrinsic(index))
		.find_map(|record| match &record.event {
			RuntimeEvent::System(frame_system::Event::ExtrinsicSuccess { dispatch_info }) =>
				Some((dispatch_info.weight, dispatch_info.class, false)),
			RuntimeEvent::System(frame_system::Event::ExtrinsicFailed {
				dispatch_info, ..
			}) => Some((dispatch_info.weight, dispatch_info.class, true)),
			_ => None,
		})
		.ok_or_else(|| {
			anyhow!("extrinsic {index} has no ExtrinsicSuccess or ExtrinsicFailed event")
		})?;
	let info = decoded.get_dispatch_info();
	let base =
		<Runtime as frame_system::Config>::BlockWeights::get().get(info.class).base_extrinsic;
	let declared = info.total_weight().saturating_add(base);
	let outcome = if failed { " (failed)" } else { "" };
	Ok(Extrinsic {
		label: format!("{}::{}{outcome}", call.pallet_name, call.function_name),
		class,
		charged,
		declared,
	})
}
