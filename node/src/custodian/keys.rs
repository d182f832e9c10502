//! The custodian's keys in the node keystore, under their own key type `cust`:
//! - an sr25519 key: the custodian's chain account, which signs releases and acknowledgements;
//! - an ed25519 key: its sealing key. Shares are sealed to the X25519 form of it (the keystore
//!   has no X25519 scheme; the ed25519 seed converts the way libsodium does).
//!
//! Operators put them there with `custos-node key insert --key-type cust --scheme sr25519` and
//! `--scheme ed25519`; `--alice`, `--bob`, ... insert the dev ones, which the genesis presets
//! certify.

use std::sync::Arc;

use custos_envelope::CustodianSecret;
use custos_primitives::SealingKeyProof;
use custos_runtime::AccountId;
use sc_keystore::LocalKeystore;
use sp_core::{crypto::KeyTypeId, ed25519, sr25519, Pair as _, H256};
use sp_runtime::MultiSignature;
use sp_keystore::Keystore;

/// Key type of both custodian keys in the keystore.
pub const CUSTODIAN_KEY_TYPE: KeyTypeId = KeyTypeId(*b"cust");

mod app_sr25519 {
	use sp_application_crypto::{app_crypto, sr25519};
	app_crypto!(sr25519, super::CUSTODIAN_KEY_TYPE);
}

mod app_ed25519 {
	use sp_application_crypto::{app_crypto, ed25519};
	app_crypto!(ed25519, super::CUSTODIAN_KEY_TYPE);
}

/// The custodian's account pair and sealing secret, as the keystore holds them.
pub struct CustodianKeys {
	pub account: sr25519::Pair,
	pub account_id: AccountId,
	pub sealing: CustodianSecret,
	pub sealing_public: H256,
	/// The ed25519 pair the sealing secret is the X25519 form of: it signs the proof of
	/// possession a custodian certificate needs.
	pub sealing_edwards: ed25519::Pair,
}

impl CustodianKeys {
	/// The proof that this node holds its sealing key and that its account consents to it, for
	/// the chain with genesis block `genesis` (what `custos ca issue --from-node` submits).
	pub fn sealing_key_proof(&self, genesis: &H256) -> SealingKeyProof<MultiSignature> {
		let (key, proof) =
			SealingKeyProof::sign(genesis, &self.account_id, &self.sealing_edwards, |message| {
				MultiSignature::Sr25519(self.account.sign(message))
			});
		debug_assert_eq!(key, self.sealing_public, "one scalar, two forms");
		proof
	}
}

/// Inserts the dev custodian keys derived from `seed` (e.g. `//Alice`), as `--alice` does for
/// the session keys. Inserting an existing key again is harmless.
pub fn insert_dev_keys(keystore: &LocalKeystore, seed: &str) -> Result<(), String> {
	keystore
		.sr25519_generate_new(CUSTODIAN_KEY_TYPE, Some(seed))
		.map_err(|e| format!("cannot insert the dev custodian account key: {e}"))?;
	keystore
		.ed25519_generate_new(CUSTODIAN_KEY_TYPE, Some(seed))
		.map_err(|e| format!("cannot insert the dev custodian sealing key: {e}"))?;
	Ok(())
}

/// Every custodian key pair in the keystore: account pairs and sealing pairs.
fn all_keys(keystore: &LocalKeystore) -> (Vec<sr25519::Pair>, Vec<ed25519::Pair>) {
	let accounts = keystore
		.sr25519_public_keys(CUSTODIAN_KEY_TYPE)
		.into_iter()
		.filter_map(|public| keystore.key_pair::<app_sr25519::Pair>(&public.into()).ok().flatten())
		.map(|pair| pair.into_inner())
		.collect();
	let sealing = keystore
		.ed25519_public_keys(CUSTODIAN_KEY_TYPE)
		.into_iter()
		.filter_map(|public| keystore.key_pair::<app_ed25519::Pair>(&public.into()).ok().flatten())
		.map(|pair| pair.into_inner())
		.collect();
	(accounts, sealing)
}

/// Which custodian this node is. `certified_key` gives the sealing key a valid custodian
/// certificate binds for an account now, if any. A keystore account the chain certifies with
/// one of the keystore's sealing keys wins; otherwise the first account and sealing key,
/// reported as uncertified.
pub fn find(
	keystore: &LocalKeystore,
	certified_key: impl Fn(&AccountId) -> Option<H256>,
) -> Option<(Arc<CustodianKeys>, bool)> {
	let (accounts, sealing) = all_keys(keystore);
	let mut sealing: Vec<(H256, CustodianSecret, ed25519::Pair)> = sealing
		.into_iter()
		.map(|pair| {
			let secret = CustodianSecret::from_ed25519_seed(&pair.seed());
			(H256::from(secret.public()), secret, pair)
		})
		.collect();
	let mut first = None;
	for account in accounts {
		let account_id = AccountId::from(sp_core::Pair::public(&account));
		let certified_key = certified_key(&account_id);
		let matching = sealing.iter().position(|(public, ..)| Some(*public) == certified_key);
		if let Some(position) = matching {
			let (sealing_public, sealing, sealing_edwards) = sealing.swap_remove(position);
			let keys =
				CustodianKeys { account, account_id, sealing, sealing_public, sealing_edwards };
			return Some((Arc::new(keys), true));
		}
		if first.is_none() {
			first = Some((account, account_id));
		}
	}
	let (account, account_id) = first?;
	let (sealing_public, sealing, sealing_edwards) = sealing.into_iter().next()?;
	Some((
		Arc::new(CustodianKeys { account, account_id, sealing, sealing_public, sealing_edwards }),
		false,
	))
}
