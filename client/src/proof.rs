//! Proven reads: storage values at a block, each checked against that block's state root with
//! the Merkle proof the node serves (`state_getReadProof`), so that a node cannot answer a
//! value its block does not hold.
//!
//! What is checked: the header a node gives for a block hashes to that block's hash (recomputed
//! here), and every value read, or its absence, is proven under that header's state root
//! (a BlakeTwo256 trie, as the runtime's). What is not: that the block is final, or on this
//! chain at all. The node names its finalized block, and a node that forges a whole block (a
//! header whose state root is a trie of its own) proves whatever it likes under it. A proven
//! read binds a node's answer to a block it calls final, so lying about one value takes a
//! forged block; asking several nodes and taking what most of them agree on (as
//! [`crate::collect`] does) is what defends against forged blocks.

use codec::{Decode, DecodeAll};
use custos_primitives::EscrowId;
use custos_runtime::{Hash, Header, Runtime};
use jsonrpsee::{core::client::ClientT, rpc_params};
use pallet_key_escrow::{EscrowOf, ReleaseOf, RequestOf};
use serde::Deserialize;
use sp_core::Bytes;
use sp_runtime::traits::BlakeTwo256;
use sp_state_machine::StorageProof;

use crate::{rpc::BlockRef, ChainClient, Error, Result};

/// A block whose header was checked to hash to it: reads at it are proven against its state
/// root.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ProvenBlock {
	pub number: u32,
	pub hash: Hash,
	pub state_root: Hash,
}

impl ProvenBlock {
	/// `header` taken as block `hash`, refused (with the reason) unless it hashes to `hash`.
	pub fn new(hash: Hash, header: &Header) -> std::result::Result<Self, String> {
		let actual = header.hash();
		if actual != hash {
			return Err(format!("its header of block {hash:?} hashes to {actual:?}"));
		}
		Ok(Self { number: header.number, hash, state_root: header.state_root })
	}
}

impl From<ProvenBlock> for BlockRef {
	fn from(block: ProvenBlock) -> Self {
		BlockRef { number: block.number, hash: block.hash }
	}
}

/// The values at `keys`, in order (`None` where a key is absent), read from the trie nodes of
/// a read proof under `state_root`. A proof whose nodes do not hash up to `state_root`, or
/// that lacks a node on the path to any of the keys, is refused: a value never comes from
/// anything but the proof.
pub fn check_read_proof(
	state_root: Hash,
	proof: impl IntoIterator<Item = Vec<u8>>,
	keys: &[Vec<u8>],
) -> std::result::Result<Vec<Option<Vec<u8>>>, String> {
	let values = sp_state_machine::read_proof_check::<BlakeTwo256, _>(
		state_root,
		StorageProof::new(proof),
		keys,
	)
	.map_err(|e| {
		format!("its storage proof does not verify against state root {state_root:?}: {e}")
	})?;
	keys.iter()
		.map(|key| {
			values.get(key).cloned().ok_or_else(|| "a key is missing from the checked proof".into())
		})
		.collect()
}

/// `bytes` decoded as `T`, all of them (trailing bytes are refused); `None` stays `None`.
pub fn decode_whole<T: Decode>(what: &'static str, bytes: Option<Vec<u8>>) -> Result<Option<T>> {
	bytes
		.map(|bytes| T::decode_all(&mut &bytes[..]).map_err(|e| Error::decode(what, e)))
		.transpose()
}

/// Storage key of escrow `id`'s record (`KeyEscrow::Escrows`).
pub fn escrow_key(id: EscrowId) -> Vec<u8> {
	pallet_key_escrow::Escrows::<Runtime>::hashed_key_for(id)
}

/// Storage key of escrow `id`'s open recovery request (`KeyEscrow::Requests`).
pub fn request_key(id: EscrowId) -> Vec<u8> {
	pallet_key_escrow::Requests::<Runtime>::hashed_key_for(id)
}

/// Storage key of the release of share `index` of escrow `id` (`KeyEscrow::Releases`).
pub fn release_key(id: EscrowId, index: u32) -> Vec<u8> {
	pallet_key_escrow::Releases::<Runtime>::hashed_key_for(id, index)
}

/// An `Escrows` value: the record and the owner's deposit ticket.
type EscrowEntry = (EscrowOf<Runtime>, <Runtime as pallet_key_escrow::Config>::EscrowConsideration);

impl ChainClient {
	/// The block the node calls finalized (`chain_getFinalizedHead`), its header
	/// (`chain_getHeader`) checked to hash to it.
	pub async fn proven_finalized_block(&self) -> Result<ProvenBlock> {
		let hash: Hash = self
			.ws()
			.request("chain_getFinalizedHead", rpc_params![])
			.await
			.map_err(|e| Error::rpc("chain_getFinalizedHead", e))?;
		self.proven_block(hash).await
	}

	/// Block `hash` with its header (`chain_getHeader`), which must hash to `hash`: otherwise
	/// [`Error::BadNode`].
	pub async fn proven_block(&self, hash: Hash) -> Result<ProvenBlock> {
		let header = self.header(Some(hash)).await?;
		ProvenBlock::new(hash, &header).map_err(|reason| Error::bad_node(self.url(), reason))
	}

	/// The raw values at `keys` in `block`'s state, in order, from one `state_getReadProof`
	/// checked against the block's state root. A proof that does not verify is
	/// [`Error::BadNode`].
	pub async fn proven_storage(
		&self,
		block: &ProvenBlock,
		keys: &[Vec<u8>],
	) -> Result<Vec<Option<Vec<u8>>>> {
		/// The part of the answer used: the trie nodes (the `at` field names the block, which
		/// the proof itself must match anyway).
		#[derive(Deserialize)]
		struct ReadProof {
			proof: Vec<Bytes>,
		}
		let keys_param: Vec<Bytes> = keys.iter().cloned().map(Bytes).collect();
		let answer: ReadProof = self
			.ws()
			.request("state_getReadProof", rpc_params![keys_param, block.hash])
			.await
			.map_err(|e| Error::rpc("state_getReadProof", e))?;
		check_read_proof(block.state_root, answer.proof.into_iter().map(|node| node.0), keys)
			.map_err(|reason| {
				Error::bad_node(self.url(), format!("at block #{}: {reason}", block.number))
			})
	}

	/// Escrow `id`'s record at `block`, proven (`None`: proven absent).
	pub async fn proven_escrow(
		&self,
		block: &ProvenBlock,
		id: EscrowId,
	) -> Result<Option<EscrowOf<Runtime>>> {
		let [entry] = <[_; 1]>::try_from(self.proven_storage(block, &[escrow_key(id)]).await?)
			.expect("one value per key; qed");
		Ok(decode_whole::<EscrowEntry>("escrow record", entry)?.map(|(record, _)| record))
	}

	/// Escrow `id`'s record and open recovery request at `block`, from one proof.
	pub async fn proven_escrow_and_request(
		&self,
		block: &ProvenBlock,
		id: EscrowId,
	) -> Result<(Option<EscrowOf<Runtime>>, Option<RequestOf<Runtime>>)> {
		let keys = [escrow_key(id), request_key(id)];
		let [entry, request] = <[_; 2]>::try_from(self.proven_storage(block, &keys).await?)
			.expect("one value per key; qed");
		let record = decode_whole::<EscrowEntry>("escrow record", entry)?.map(|(record, _)| record);
		Ok((record, decode_whole("recovery request", request)?))
	}

	/// The releases of shares `0..n` of escrow `id` at `block`, by share index, from one proof
	/// (the shares not released are proven absent).
	pub async fn proven_releases(
		&self,
		block: &ProvenBlock,
		id: EscrowId,
		n: u32,
	) -> Result<Vec<(u32, ReleaseOf<Runtime>)>> {
		let keys: Vec<Vec<u8>> = (0..n).map(|index| release_key(id, index)).collect();
		let values = self.proven_storage(block, &keys).await?;
		let mut releases = Vec::new();
		for (index, value) in (0..n).zip(values) {
			if let Some(release) = decode_whole("release", value)? {
				releases.push((index, release));
			}
		}
		Ok(releases)
	}
}

#[cfg(test)]
mod tests {
	use sp_runtime::{traits::Header as _, StateVersion};
	use sp_state_machine::{new_in_mem, prove_read};

	use super::*;

	const KEY: &[u8] = b"escrow record key";
	const ABSENT: &[u8] = b"a key nobody wrote";
	/// Under another first nibble than the others, with a value too long to be inlined: its
	/// nodes are in no proof of the keys above.
	const LEFT_OUT: &[u8] = b"zz: written, not proven";

	/// A state with a few values (one long enough to be stored as its own trie node), its
	/// root, and a proof of `KEY` and `ABSENT`.
	fn state_and_proof() -> (Hash, Vec<Vec<u8>>) {
		let mut backend = new_in_mem::<BlakeTwo256>();
		let values: Vec<(Vec<u8>, Option<Vec<u8>>)> = vec![
			(KEY.to_vec(), Some(vec![7; 100])),
			(b"another key".to_vec(), Some(vec![1, 2, 3])),
			(LEFT_OUT.to_vec(), Some(vec![5; 100])),
			(b"escrow record kez".to_vec(), Some(vec![9; 40])),
		];
		backend.insert(vec![(None, values)], StateVersion::V1);
		let root = *backend.root();
		let proof = prove_read(backend, [KEY, ABSENT]).expect("the keys are readable");
		(root, proof.into_iter_nodes().collect())
	}

	fn keys() -> Vec<Vec<u8>> {
		vec![KEY.to_vec(), ABSENT.to_vec()]
	}

	#[test]
	fn a_proof_gives_the_values_and_absences_it_proves() {
		let (root, proof) = state_and_proof();
		assert_eq!(check_read_proof(root, proof, &keys()).unwrap(), vec![Some(vec![7; 100]), None]);
	}

	#[test]
	fn a_tampered_value_is_refused() {
		let (root, proof) = state_and_proof();
		// The long value is a trie node of its own: change one of its bytes.
		let tampered: Vec<Vec<u8>> = proof
			.into_iter()
			.map(|mut node| {
				if let Some(at) = node.windows(100).position(|w| w == [7; 100]) {
					node[at] = 8;
				}
				node
			})
			.collect();
		let error = check_read_proof(root, tampered, &keys()).unwrap_err();
		assert!(error.contains("does not verify"), "{error}");
	}

	#[test]
	fn a_proof_under_another_root_is_refused() {
		let (root, proof) = state_and_proof();
		let other = Hash::repeat_byte(0x42);
		assert_ne!(root, other);
		assert!(check_read_proof(other, proof, &keys()).is_err());
	}

	#[test]
	fn a_proof_does_not_answer_keys_it_leaves_out() {
		let (root, proof) = state_and_proof();
		// The proof lacks the nodes on the path to LEFT_OUT: that must not pass for proving it
		// absent.
		let mut asked = keys();
		asked.push(LEFT_OUT.to_vec());
		assert!(check_read_proof(root, proof, &asked).is_err());
	}

	#[test]
	fn a_header_must_hash_to_the_block_it_is_given_for() {
		let header = Header::new(
			5,
			Hash::repeat_byte(1),
			Hash::repeat_byte(2),
			Hash::repeat_byte(3),
			Default::default(),
		);
		let block = ProvenBlock::new(header.hash(), &header).unwrap();
		assert_eq!((block.number, block.state_root), (5, Hash::repeat_byte(2)));
		let error = ProvenBlock::new(Hash::repeat_byte(9), &header).unwrap_err();
		assert!(error.contains("hashes to"), "{error}");
	}

	#[test]
	fn storage_keys_are_the_pallets_own() {
		let id = EscrowId::repeat_byte(0xab);
		let twox = |s: &str| sp_crypto_hashing::twox_128(s.as_bytes()).to_vec();
		let mut escrow = [twox("KeyEscrow"), twox("Escrows")].concat();
		escrow.extend(sp_crypto_hashing::blake2_128(id.as_bytes()));
		escrow.extend(id.as_bytes());
		assert_eq!(escrow_key(id), escrow);
		let mut release = [twox("KeyEscrow"), twox("Releases")].concat();
		release.extend(sp_crypto_hashing::blake2_128(id.as_bytes()));
		release.extend(id.as_bytes());
		release.extend(sp_crypto_hashing::twox_64(&3u32.to_le_bytes()));
		release.extend(3u32.to_le_bytes());
		assert_eq!(release_key(id, 3), release);
		assert!(request_key(id).starts_with(&twox("KeyEscrow")));
	}
}
