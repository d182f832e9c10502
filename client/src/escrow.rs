//! Escrowing a key: choosing custodians, splitting and sealing, and the `create_escrow`
//! transaction; re-splitting (`reshare`) and removal.

use std::time::{Duration, Instant};

use codec::Encode;
use custos_envelope::{random_salt, PassphraseHash, ProtectionKey, SealedShare, X25519PublicKey};
use custos_primitives::{EscrowId, KdfAlgorithm, KdfParams, StorageMode};
use custos_runtime::{AccountId, BlockNumber, Runtime, RuntimeCall};
use pallet_key_escrow::{Call as EscrowCall, EscrowOf, PolicyOf, RecoveryPolicy, Split, SplitOf};
use sp_core::{sr25519, Pair, H256};
use sp_runtime::BoundedVec;

use crate::{
	keys::KeyMaterial,
	progress::Reporter,
	submit::{sign_and_submit, Inclusion},
	ChainClient, Error, Result,
};

/// How long to wait for a transaction to be finalized.
pub const FINALITY_TIMEOUT: Duration = Duration::from_secs(300);

/// Which custodians hold the shares.
#[derive(Clone, Debug)]
pub enum CustodianChoice {
	/// `n` custodians drawn at random among those the chain certifies now, spread across
	/// their issuing authorities (see [`spread_across_issuers`]).
	Any(u32),
	/// These accounts, in this order (share `i` goes to the `i`-th).
	List(Vec<AccountId>),
}

/// Everything the owner chooses about an escrow besides the key and passphrase.
#[derive(Clone, Debug)]
pub struct EscrowOptions {
	pub threshold: u32,
	pub custodians: CustodianChoice,
	pub guardians: Vec<AccountId>,
	pub guardian_threshold: u32,
	pub authorities: Vec<AccountId>,
	/// Blocks between approval and release, during which the owner may cancel.
	pub delay: BlockNumber,
	pub max_attempts: u32,
	/// Wrong passphrase guesses allowed before the escrow locks.
	pub max_guesses: u32,
	/// Require the recovery-key signature (a successful counted guess) to open a request.
	pub require_passphrase: bool,
	pub mode: StorageMode,
	/// Argon2id cost; a fresh salt is drawn for each escrow.
	pub kdf_memory_kib: u32,
	pub kdf_iterations: u32,
	pub kdf_parallelism: u32,
}

/// Time spent on the client's own work while escrowing.
#[derive(Clone, Copy, Debug, Default, serde::Serialize)]
pub struct SealTimings {
	/// Hardening the passphrase (Argon2id).
	pub kdf: Duration,
	/// Drawing and splitting the OPRF key, evaluating it on h and deriving P, splitting the
	/// key and sealing every share (both layers) with commitments.
	pub split_and_seal: Duration,
}

/// A key escrowed on chain.
pub struct Created {
	pub id: EscrowId,
	pub fingerprint: H256,
	pub custodians: Vec<(AccountId, H256)>,
	/// Each custodian's sealed share, by index; custodian-held escrows hand these to the
	/// custodians' nodes (see [`crate::deposit`]).
	pub sealed: Vec<SealedShare>,
	pub inclusion: Inclusion,
	pub timings: SealTimings,
	/// Bytes of chain state the escrow occupies: its record and its on-chain shares.
	pub bytes_on_chain: usize,
}

/// The custodians named by `choice` with their sealing keys, each checked to hold a valid
/// certificate now.
pub async fn choose_custodians(
	client: &ChainClient,
	choice: &CustodianChoice,
) -> Result<Vec<(AccountId, H256)>> {
	let certified = client.certified_custodians().await?;
	match choice {
		CustodianChoice::Any(n) => {
			if certified.len() < *n as usize {
				return Err(Error::Invalid(format!(
					"asked for {n} custodians but the chain certifies only {}",
					certified.len()
				)));
			}
			let mut candidates = Vec::with_capacity(certified.len());
			for (account, key) in certified {
				let issuer = client
					.certificate(&account, custos_primitives::Role::Custodian)
					.await?
					.map(|certificate| certificate.issuer);
				candidates.push(((account, key), issuer));
			}
			Ok(spread_across_issuers(candidates, *n as usize, &mut random_below))
		},
		CustodianChoice::List(accounts) => accounts
			.iter()
			.map(|account| {
				certified.iter().find(|(who, _)| who == account).cloned().ok_or_else(|| {
					Error::Invalid(format!("{account} is not a certified custodian now"))
				})
			})
			.collect(),
	}
}

/// Picks `n` of `candidates` (each with its certificate's issuer) at random, taking them in
/// turn from each issuer's custodians so that no authority holds more slots than it must:
/// storage order is not used, so an attacker who grinds accounts that sort first gains
/// nothing, and one authority's certificates fill at most a fair share of the slots.
/// `below(k)` draws a uniform number in `0..k`.
pub fn spread_across_issuers<C, I: PartialEq>(
	candidates: Vec<(C, Option<I>)>,
	n: usize,
	below: &mut dyn FnMut(usize) -> usize,
) -> Vec<C> {
	let mut groups: Vec<(Option<I>, Vec<C>)> = Vec::new();
	for (candidate, issuer) in candidates {
		match groups.iter_mut().find(|(known, _)| *known == issuer) {
			Some((_, members)) => members.push(candidate),
			None => groups.push((issuer, vec![candidate])),
		}
	}
	shuffle(&mut groups, below);
	for (_, members) in &mut groups {
		shuffle(members, below);
	}
	let mut chosen = Vec::with_capacity(n);
	while chosen.len() < n && groups.iter().any(|(_, members)| !members.is_empty()) {
		for (_, members) in &mut groups {
			if chosen.len() < n {
				if let Some(member) = members.pop() {
					chosen.push(member);
				}
			}
		}
	}
	chosen
}

/// Refuses, before anything is derived or sent, Argon2id parameters (and with `with_delay`
/// the delay) below the floors the chain enforces, naming the floor.
async fn check_floors(client: &ChainClient, options: &EscrowOptions, with_delay: bool) -> Result<()> {
	let floors = client.floors().await?;
	if options.kdf_memory_kib < floors.min_kdf_memory_kib {
		return Err(Error::Invalid(format!(
			"Argon2id memory {} KiB is below this chain's floor of {} KiB (--kdf-memory-mib {})",
			options.kdf_memory_kib,
			floors.min_kdf_memory_kib,
			floors.min_kdf_memory_kib.div_ceil(1024)
		)));
	}
	if options.kdf_iterations < floors.min_kdf_iterations {
		return Err(Error::Invalid(format!(
			"{} Argon2id passes are below this chain's floor of {}",
			options.kdf_iterations, floors.min_kdf_iterations
		)));
	}
	if with_delay && options.delay < floors.min_delay {
		return Err(Error::Invalid(format!(
			"a delay of {} blocks is below this chain's floor of {} blocks (the owner's window to \
			 cancel a recovery)",
			options.delay, floors.min_delay
		)));
	}
	Ok(())
}

/// Shows the chosen custodians, in share order, before anything is sealed or sent.
fn report_custodians(custodians: &[(AccountId, H256)], reporter: Reporter) {
	let list: Vec<String> =
		custodians.iter().enumerate().map(|(i, (account, _))| format!("{i}: {account}")).collect();
	reporter.step(format!("custodians, in share order: {}", list.join(", ")));
}

/// Fisher-Yates.
fn shuffle<T>(items: &mut [T], below: &mut dyn FnMut(usize) -> usize) {
	for i in (1..items.len()).rev() {
		items.swap(i, below(i + 1));
	}
}

/// A uniform number in `0..k` from the operating system (rejection sampling, no modulo bias).
fn random_below(k: usize) -> usize {
	let k = k as u64;
	let zone = u64::MAX - u64::MAX % k;
	loop {
		let mut bytes = [0u8; 8];
		getrandom::fill(&mut bytes).expect("the operating system provides randomness");
		let value = u64::from_le_bytes(bytes);
		if value < zone {
			return (value % k) as usize;
		}
	}
}

/// The recovery key a protection key derives: its public half is recorded with the split, and
/// `recover start` signs with it.
pub fn recovery_pair(protection: &ProtectionKey) -> sr25519::Pair {
	sr25519::Pair::from_seed(&protection.recovery_seed())
}

/// The passphrase hardened for one new split: `h`, and the Argon2id parameters (with their
/// fresh salt) it was derived under. Secret as `h` is (zeroized on drop). See [`harden`].
pub struct Hardened {
	hash: PassphraseHash,
	kdf: KdfParams,
	/// The owner `h` was derived for: an escrow of another owner's would never verify it.
	owner: AccountId,
	time: Duration,
}

impl Hardened {
	/// Whether it was derived under the Argon2id cost `options` ask for.
	fn is_under(&self, options: &EscrowOptions) -> bool {
		self.kdf.memory_kib == options.kdf_memory_kib &&
			self.kdf.iterations == options.kdf_iterations &&
			self.kdf.parallelism == options.kdf_parallelism
	}
}

/// Hardens `passphrase` for a new split of `owner`'s: Argon2id at `options`' cost with a fresh
/// salt. Slow and memory-hungry by design (`kdf_memory_kib` per call, CPU-bound, blocking): a
/// caller that escrows many keys at once runs it on a blocking thread, bounds how many run
/// together, and passes the result to [`prepare_create`].
pub fn harden(passphrase: &[u8], owner: &AccountId, options: &EscrowOptions) -> Result<Hardened> {
	let kdf = KdfParams {
		algorithm: KdfAlgorithm::Argon2id,
		memory_kib: options.kdf_memory_kib,
		iterations: options.kdf_iterations,
		parallelism: options.kdf_parallelism,
		salt: random_salt(),
	};
	let started = Instant::now();
	let owner_bytes: [u8; 32] = *owner.as_ref();
	let hash = PassphraseHash::derive(passphrase, &owner_bytes, &kdf)?;
	Ok(Hardened { hash, kdf, owner: owner.clone(), time: started.elapsed() })
}

/// Says that the passphrase is being hardened, and at what cost.
fn report_hardening(options: &EscrowOptions, reporter: Reporter) {
	reporter.step(format!(
		"hardening the passphrase (Argon2id, {} MiB, {} passes, {} lanes)",
		options.kdf_memory_kib / 1024,
		options.kdf_iterations,
		options.kdf_parallelism
	));
}

/// Refuses a threshold that `n` custodians cannot meet, before anything is derived.
fn check_threshold(options: &EscrowOptions, n: usize) -> Result<()> {
	if options.threshold < 2 || options.threshold as usize > n || n > 255 {
		return Err(Error::Invalid(format!(
			"threshold {} with {n} custodians: need 2 <= threshold <= custodians <= 255",
			options.threshold
		)));
	}
	Ok(())
}

/// Splits and seals `key` for the chosen custodians, generation `generation`, returning the
/// chain's split, the sealed shares and timings.
async fn seal_split(
	client: &ChainClient,
	owner: &AccountId,
	key: &KeyMaterial,
	passphrase: &[u8],
	options: &EscrowOptions,
	custodians: &[(AccountId, H256)],
	id: EscrowId,
	generation: u32,
	reporter: Reporter,
) -> Result<(SplitOf<Runtime>, Vec<SealedShare>, SealTimings)> {
	check_threshold(options, custodians.len())?;
	report_hardening(options, reporter);
	let hardened = harden(passphrase, owner, options)?;
	seal_hardened(client, key, &hardened, options, custodians, id, generation, reporter).await
}

/// [`seal_split`] with the passphrase already hardened.
async fn seal_hardened(
	client: &ChainClient,
	key: &KeyMaterial,
	hardened: &Hardened,
	options: &EscrowOptions,
	custodians: &[(AccountId, H256)],
	id: EscrowId,
	generation: u32,
	reporter: Reporter,
) -> Result<(SplitOf<Runtime>, Vec<SealedShare>, SealTimings)> {
	let n = custodians.len();
	let genesis = client.genesis_hash().await?;
	let publics: Vec<X25519PublicKey> =
		custodians.iter().map(|(_, key)| X25519PublicKey::from(*key)).collect();
	let started = Instant::now();
	let (sealed, protection) = custos_envelope::seal_escrow(
		key.secret(),
		options.threshold as u8,
		&publics,
		&hardened.hash,
		genesis,
		id,
		generation,
	)?;
	let split_and_seal = started.elapsed();
	reporter.step(format!(
		"split the key and a fresh OPRF key into {n} shares (threshold {}) and sealed each to its custodian",
		options.threshold
	));
	let recovery_key = recovery_pair(&protection).public();
	let shares = match options.mode {
		StorageMode::OnChain => sealed
			.sealed
			.iter()
			.map(|share| bounded(share.as_bytes().to_vec(), "a sealed share"))
			.collect::<Result<Vec<_>>>()?,
		StorageMode::CustodianHeld => Vec::new(),
	};
	let split = Split {
		threshold: options.threshold,
		custodians: bounded(
			custodians.iter().map(|(a, _)| a.clone()).collect(),
			"the custodian list",
		)?,
		commitments: bounded(
			sealed.commitments.iter().map(|c| H256(c.to_bytes())).collect(),
			"the commitments",
		)?,
		oprf_keys: bounded(
			sealed.oprf_keys.iter().map(|k| H256(k.to_bytes())).collect(),
			"the OPRF keys",
		)?,
		recovery_key,
		kdf: hardened.kdf.clone(),
		mode: options.mode,
		shares: bounded(shares, "the shares")?,
	};
	Ok((split, sealed.sealed, SealTimings { kdf: hardened.time, split_and_seal }))
}

fn bounded<T, S: sp_core::Get<u32>>(items: Vec<T>, what: &str) -> Result<BoundedVec<T, S>> {
	let len = items.len();
	BoundedVec::try_from(items).map_err(|_| {
		Error::Invalid(format!("{what} is too large for this chain ({len} > {})", S::get()))
	})
}

/// The policy the options describe.
fn policy(options: &EscrowOptions) -> Result<PolicyOf<Runtime>> {
	Ok(RecoveryPolicy {
		require_passphrase: options.require_passphrase,
		guardians: bounded(options.guardians.clone(), "the guardian list")?,
		guardian_threshold: options.guardian_threshold,
		authorities: bounded(options.authorities.clone(), "the authority list")?,
		delay: options.delay,
		max_attempts: options.max_attempts,
		max_guesses: options.max_guesses,
	})
}

/// Bytes of chain state an escrow occupies: its record and on-chain shares.
pub fn bytes_on_chain(record: &EscrowOf<Runtime>, sealed: &[SealedShare]) -> usize {
	let shares: usize = match record.mode {
		StorageMode::OnChain => sealed.iter().map(|share| share.as_bytes().encoded_size()).sum(),
		StorageMode::CustodianHeld => 0,
	};
	record.encoded_size() + shares
}

/// The slots of `record` that do not name `custodians[i]` with exactly the key share `i` was
/// sealed to (a slot missing on either side counts too).
pub fn slots_not_sealed_to(
	record: &EscrowOf<Runtime>,
	custodians: &[(AccountId, H256)],
) -> Vec<u32> {
	let n = record.custodians.len().max(custodians.len());
	(0..n)
		.filter(|&i| match (record.custodians.get(i), custodians.get(i)) {
			(Some(slot), Some((account, key))) => slot.account != *account || slot.key != *key,
			_ => true,
		})
		.map(|i| i as u32)
		.collect()
}

/// Checks escrow `id` as proven at `block`, where its transaction was reported finalized,
/// against what this client sealed: every slot names the custodian chosen, with exactly the
/// X25519 key its share was sealed to, and the generation is `generation`. The runtime writes
/// each slot's key from the custodian's certificate valid at that block, so a match means the
/// shares are sealed to keys the chain certified then. A mismatch means the node served keys
/// (or a generation) the chain does not record: [`Error::BadNode`], saying to `redo` the
/// escrow through another node.
///
/// Checked: the record is proven under the state root of the block's header, which must hash
/// to the block. Not checked: that the block is final, or this chain's: a node that forges
/// blocks can forge this one, with the keys it served. Reading the escrow through another node
/// is the defence against that.
async fn check_sealed_to_chain_keys(
	client: &ChainClient,
	id: EscrowId,
	block: H256,
	custodians: &[(AccountId, H256)],
	generation: u32,
	redo: &str,
) -> Result<EscrowOf<Runtime>> {
	// A header or proof that fails says nothing of the keys: the escrow is on chain unchecked.
	let unchecked = |e: Error| match e {
		Error::BadNode { url, reason } => Error::BadNode {
			url,
			reason: format!("{reason}; so the escrow's custodian keys cannot be checked: {redo}"),
		},
		e => e,
	};
	let block = client.proven_block(block).await.map_err(unchecked)?;
	let record = client.proven_escrow(&block, id).await.map_err(unchecked)?.ok_or_else(|| {
		Error::bad_node(
			client.url(),
			format!(
				"it reported the transaction finalized in block #{}, whose state has no escrow \
				 {id:?}: {redo}",
				block.number
			),
		)
	})?;
	let mismatched = slots_not_sealed_to(&record, custodians);
	if !mismatched.is_empty() {
		let slots: Vec<String> = mismatched.iter().map(u32::to_string).collect();
		return Err(Error::bad_node(
			client.url(),
			format!(
				"it served custodian keys that are not the ones the chain records for slots {} \
				 (block #{}); the escrow's shares are sealed to keys the chain does not certify: \
				 {redo}",
				slots.join(", "),
				block.number
			),
		));
	}
	if record.generation != generation {
		return Err(Error::bad_node(
			client.url(),
			format!(
				"it served generation {generation} of escrow {id:?}, but the chain records \
				 generation {} at block #{}: the shares are sealed under a generation they will \
				 not open with: {redo}",
				record.generation, block.number
			),
		));
	}
	Ok(record)
}

/// What is settled about a new escrow before its passphrase is hardened: its id and
/// fingerprint, and the custodians chosen.
struct NewEscrow {
	id: EscrowId,
	fingerprint: H256,
	custodians: Vec<(AccountId, H256)>,
}

/// Refuses, before anything is derived, a key `owner` escrows already and options below the
/// chain's floors; chooses the custodians and checks the threshold against them.
async fn check_new(
	client: &ChainClient,
	owner: &AccountId,
	key: &KeyMaterial,
	options: &EscrowOptions,
	reporter: Reporter,
) -> Result<NewEscrow> {
	let fingerprint = key.fingerprint(owner);
	let id = custos_primitives::escrow_id(owner, &fingerprint);
	if client.escrow(id).await?.is_some() {
		return Err(Error::Invalid(format!(
			"{owner} already escrows this key (escrow {id:?}); use `custos escrow reshare`"
		)));
	}
	check_floors(client, options, true).await?;
	let custodians = choose_custodians(client, &options.custodians).await?;
	report_custodians(&custodians, reporter);
	check_threshold(options, custodians.len())?;
	Ok(NewEscrow { id, fingerprint, custodians })
}

/// A new escrow sealed and not sent yet: [`create`] up to its transaction, for callers that
/// submit `call` themselves (signed by the owner) and then call [`finish_create`].
pub struct PreparedEscrow {
	pub id: EscrowId,
	pub fingerprint: H256,
	pub custodians: Vec<(AccountId, H256)>,
	/// Each custodian's sealed share, by index (see [`Created::sealed`]).
	pub sealed: Vec<SealedShare>,
	/// The `create_escrow` call.
	pub call: RuntimeCall,
	pub timings: SealTimings,
}

/// Seals `key` with the passphrase `hardened` for the escrow `new` describes, and builds its
/// `create_escrow` call.
async fn seal_new(
	client: &ChainClient,
	key: &KeyMaterial,
	new: NewEscrow,
	hardened: &Hardened,
	options: &EscrowOptions,
	reporter: Reporter,
) -> Result<PreparedEscrow> {
	let NewEscrow { id, fingerprint, custodians } = new;
	let (split, sealed, timings) =
		seal_hardened(client, key, hardened, options, &custodians, id, 0, reporter).await?;
	let call = RuntimeCall::KeyEscrow(EscrowCall::create_escrow {
		fingerprint,
		key_kind: key.kind(),
		split,
		policy: policy(options)?,
	});
	Ok(PreparedEscrow { id, fingerprint, custodians, sealed, call, timings })
}

/// [`create`] up to its transaction, with the passphrase already hardened by [`harden`] under
/// the same `options`: checks as `create` does, chooses the custodians, seals, and returns the
/// `create_escrow` call for `owner` to sign and submit; [`finish_create`] checks the result.
pub async fn prepare_create(
	client: &ChainClient,
	owner: &AccountId,
	key: &KeyMaterial,
	hardened: &Hardened,
	options: &EscrowOptions,
	reporter: Reporter,
) -> Result<PreparedEscrow> {
	if !hardened.is_under(options) {
		return Err(Error::Invalid(
			"the passphrase was hardened at another Argon2id cost than the options give".into(),
		));
	}
	if hardened.owner != *owner {
		return Err(Error::Invalid(format!(
			"the passphrase was hardened for {}, not for the owner {owner}",
			hardened.owner
		)));
	}
	let new = check_new(client, owner, key, options, reporter).await?;
	seal_new(client, key, new, hardened, options, reporter).await
}

/// [`create`] after its transaction: checks the record proven at the block where `prepared`'s
/// call was finalized (`inclusion`) against the custodian keys the shares were sealed to.
pub async fn finish_create(
	client: &ChainClient,
	prepared: PreparedEscrow,
	inclusion: Inclusion,
	reporter: Reporter,
) -> Result<Created> {
	let PreparedEscrow { id, fingerprint, custodians, sealed, timings, .. } = prepared;
	let redo = format!(
		"remove the escrow (`custos escrow remove {id:?}`) and create it again through another node"
	);
	let record =
		check_sealed_to_chain_keys(client, id, inclusion.block.hash, &custodians, 0, &redo).await?;
	reporter.step(format!(
		"the escrow record proven at block #{} names the custodian keys the shares are sealed to",
		inclusion.block.number
	));
	let bytes_on_chain = bytes_on_chain(&record, &sealed);
	Ok(Created { id, fingerprint, custodians, sealed, inclusion, timings, bytes_on_chain })
}

/// Escrows `key` for `owner` under `options`: seals it and submits `create_escrow`,
/// returning once the escrow is in a finalized block and its record, proven at that block,
/// names the custodian keys the shares were sealed to (the keys come from the node, and a
/// node that served false ones is named as [`Error::BadNode`]).
pub async fn create(
	client: &ChainClient,
	owner: &sr25519::Pair,
	key: &KeyMaterial,
	passphrase: &[u8],
	options: &EscrowOptions,
	reporter: Reporter,
) -> Result<Created> {
	let owner_account: AccountId = owner.public().into();
	let new = check_new(client, &owner_account, key, options, reporter).await?;
	report_hardening(options, reporter);
	let hardened = harden(passphrase, &owner_account, options)?;
	let prepared = seal_new(client, key, new, &hardened, options, reporter).await?;
	let inclusion = sign_and_submit(
		client,
		owner,
		prepared.call.clone(),
		FINALITY_TIMEOUT,
		reporter.transaction("create_escrow"),
	)
	.await?;
	finish_create(client, prepared, inclusion, reporter).await
}

/// Re-splits escrow `id` (the same key) for new custodians or threshold: the chain keeps the
/// escrow and its policy (every factor kept: the call carries no policy), raises its
/// generation and replaces commitments, OPRF keys, recovery key and shares in one call, and
/// the guess counter starts again. As [`create`], it checks the new slots against the keys
/// sealed to, and the generation, in the record proven where the call was finalized.
pub async fn reshare(
	client: &ChainClient,
	owner: &sr25519::Pair,
	id: EscrowId,
	key: &KeyMaterial,
	passphrase: &[u8],
	options: &EscrowOptions,
	reporter: Reporter,
) -> Result<Created> {
	let owner_account: AccountId = owner.public().into();
	let record = client.existing_escrow(id).await?;
	if record.owner != owner_account {
		return Err(Error::Invalid(format!(
			"escrow {id:?} belongs to {}, not {owner_account}",
			record.owner
		)));
	}
	let fingerprint = key.fingerprint(&owner_account);
	if fingerprint != record.fingerprint {
		return Err(Error::Invalid(format!(
			"this key's fingerprint {fingerprint:?} is not the escrowed key's {:?}",
			record.fingerprint
		)));
	}
	// The policy stays as it is; the new split's Argon2id parameters must meet today's floors.
	check_floors(client, options, false).await?;
	let custodians = choose_custodians(client, &options.custodians).await?;
	report_custodians(&custodians, reporter);
	let generation = record.generation + 1;
	let (split, sealed, timings) = seal_split(
		client,
		&owner_account,
		key,
		passphrase,
		options,
		&custodians,
		id,
		generation,
		reporter,
	)
	.await?;
	// The recovery key moves with the split (a new OPRF key gives a new P), so the one call
	// carries it: no policy update, and no window with a mismatched key.
	let call = RuntimeCall::KeyEscrow(EscrowCall::reshare { escrow: id, split, policy: None });
	let inclusion =
		sign_and_submit(client, owner, call, FINALITY_TIMEOUT, reporter.transaction("reshare"))
			.await?;
	let redo = "re-split it again through another node (`custos escrow reshare`)";
	let record =
		check_sealed_to_chain_keys(client, id, inclusion.block.hash, &custodians, generation, redo)
			.await?;
	reporter.step(format!(
		"the escrow record proven at block #{} names the custodian keys the shares are sealed to",
		inclusion.block.number
	));
	let bytes_on_chain = bytes_on_chain(&record, &sealed);
	Ok(Created { id, fingerprint, custodians, sealed, inclusion, timings, bytes_on_chain })
}

/// Removes escrow `id`; its deposits return to the owner.
pub async fn remove(
	client: &ChainClient,
	owner: &sr25519::Pair,
	id: EscrowId,
	reporter: Reporter,
) -> Result<Inclusion> {
	let call = RuntimeCall::KeyEscrow(EscrowCall::remove_escrow { escrow: id });
	sign_and_submit(client, owner, call, FINALITY_TIMEOUT, reporter.transaction("remove_escrow"))
		.await
}

#[cfg(test)]
mod tests {
	use sp_core::H256;

	use super::{slots_not_sealed_to, spread_across_issuers};
	use crate::test_records::{account, record};

	#[test]
	fn slots_are_checked_against_the_keys_sealed_to() {
		let record = record(0);
		let sealed_to: Vec<_> =
			(0..3).map(|i| (account(10 + i), H256::repeat_byte(20 + i))).collect();
		assert!(slots_not_sealed_to(&record, &sealed_to).is_empty());
		// A node served an attacker's key for slot 1: the chain recorded the real one.
		let mut faked = sealed_to.clone();
		faked[1].1 = H256::repeat_byte(0xaa);
		assert_eq!(slots_not_sealed_to(&record, &faked), vec![1]);
		// Another account in slot 2, and a slot the chain does not have.
		let mut other = sealed_to.clone();
		other[2].0 = account(99);
		other.push((account(13), H256::repeat_byte(23)));
		assert_eq!(slots_not_sealed_to(&record, &other), vec![2, 3]);
		assert_eq!(slots_not_sealed_to(&record, &sealed_to[..2]), vec![2]);
	}

	fn candidates() -> Vec<(u32, Option<char>)> {
		// Issuer 'a' certified six custodians, 'b' two, 'c' one; one has no certificate view.
		let mut all: Vec<(u32, Option<char>)> = (0..6).map(|i| (i, Some('a'))).collect();
		all.extend([(10, Some('b')), (11, Some('b')), (20, Some('c')), (30, None)]);
		all
	}

	fn issuer(candidate: u32) -> Option<char> {
		candidates().into_iter().find(|(c, _)| *c == candidate).unwrap().1
	}

	#[test]
	fn every_issuer_gets_a_slot_before_any_gets_two() {
		let mut counter = 0usize;
		let mut below = |k: usize| {
			counter += 7;
			counter % k
		};
		let chosen = spread_across_issuers(candidates(), 4, &mut below);
		assert_eq!(chosen.len(), 4);
		let mut issuers: Vec<Option<char>> = chosen.iter().map(|c| issuer(*c)).collect();
		issuers.sort();
		assert_eq!(issuers, vec![None, Some('a'), Some('b'), Some('c')]);
		// Six slots: the large issuer gets the two left after one round, not more.
		let chosen = spread_across_issuers(candidates(), 6, &mut below);
		assert_eq!(chosen.iter().filter(|c| issuer(**c) == Some('a')).count(), 2);
		// Asking for more than exist gives all of them, once each.
		let mut all = spread_across_issuers(candidates(), 50, &mut below);
		all.sort();
		assert_eq!(all, vec![0, 1, 2, 3, 4, 5, 10, 11, 20, 30]);
	}

	#[test]
	fn the_draw_is_not_storage_order() {
		// With the operating system's randomness, some draw of one custodian from issuer 'a'
		// picks another than the first in storage order.
		let only_a: Vec<(u32, Option<char>)> = (0..6).map(|i| (i, Some('a'))).collect();
		let firsts: std::collections::BTreeSet<u32> = (0..64)
			.map(|_| spread_across_issuers(only_a.clone(), 1, &mut super::random_below)[0])
			.collect();
		assert!(firsts.len() > 1, "64 draws all gave {firsts:?}");
	}
}
