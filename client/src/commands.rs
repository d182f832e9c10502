//! What each command does: parse its arguments, call the library, print the result.

use std::{path::Path, time::Instant};

use custos_client::{
	args::{default_state_dir, parse_account, parse_accounts, parse_h256},
	balances,
	certificates::{self, parse_reason, parse_role},
	chain_info::ChainInfo,
	collect, deposit,
	escrow::{self, CustodianChoice, EscrowOptions, FINALITY_TIMEOUT},
	keys::{kind_name, parse_kind, KeyMaterial},
	passphrase::{read_passphrase, MIN_PASSPHRASE_LEN},
	progress::Reporter,
	recovery::{self, parse_escrow_id, RequestFile},
	signer::{parse_account_or_key_file, parse_signer},
	submit::Inclusion,
	ChainClient, Error,
};
use custos_primitives::{PublicKey, Role};
use custos_runtime::{AccountId, Runtime, UNIT};
use pallet_key_escrow::{EscrowOf, RequestPhase, StorageMode};
use serde_json::{json, Value};
use sp_core::{crypto::Ss58Codec, sr25519, Pair};
use zeroize::Zeroizing;

use crate::cli::*;

type Result<T> = anyhow::Result<T>;

/// Prints `value` as JSON, or `human` as text.
fn emit(json_output: bool, human: impl FnOnce() -> String, value: Value) -> Result<()> {
	if json_output {
		println!("{}", serde_json::to_string_pretty(&value)?);
	} else {
		println!("{}", human());
	}
	Ok(())
}

fn inclusion_json(inclusion: &Inclusion) -> Value {
	json!({ "block": inclusion.block.number, "blockHash": format!("{:?}", inclusion.block.hash),
		"transaction": format!("{:?}", inclusion.tx_hash) })
}

async fn connect(url: &str) -> Result<ChainClient> {
	let client = ChainClient::connect(url).await?;
	client.check_runtime().await?;
	Ok(client)
}

/// Reads the passphrase the way the flags say.
fn passphrase(args: &PassphraseArgs, confirm: bool) -> Result<Zeroizing<String>> {
	Ok(read_passphrase(args.passphrase_file.as_deref(), confirm)?)
}

/// The signer, or the key itself when it is an sr25519 key.
fn signer_or_key(signer: Option<&str>, key: &KeyMaterial) -> Result<sr25519::Pair> {
	match signer {
		Some(signer) => Ok(parse_signer(signer)?),
		None => key.sr25519_pair().ok_or_else(|| {
			anyhow::anyhow!("an ed25519 or raw key cannot sign: give the owner with --signer")
		}),
	}
}

fn escrow_options(split: &SplitArgs, policy: Option<&PolicyArgs>) -> Result<EscrowOptions> {
	let custodians = if split.custodian.is_empty() {
		CustodianChoice::Any(split.custodians)
	} else {
		CustodianChoice::List(parse_accounts(&split.custodian)?)
	};
	let (guardians, guardian_threshold, authorities, delay, max_attempts, recovery_key) =
		match policy {
			Some(p) => {
				let guardians = parse_accounts(&p.guardian)?;
				let threshold = p.guardian_threshold.unwrap_or(guardians.len() as u32);
				(
					guardians,
					threshold,
					parse_accounts(&p.authority)?,
					p.delay,
					p.max_attempts,
					!p.no_recovery_key,
				)
			},
			None => Default::default(),
		};
	Ok(EscrowOptions {
		threshold: split.threshold,
		custodians,
		guardians,
		guardian_threshold,
		authorities,
		delay,
		max_attempts,
		recovery_key,
		mode: if split.custodian_held { StorageMode::CustodianHeld } else { StorageMode::OnChain },
		kdf_memory_kib: split.kdf_memory_mib.saturating_mul(1024),
		kdf_iterations: split.kdf_iterations,
		kdf_parallelism: split.kdf_parallelism,
	})
}

pub async fn run(cli: Cli) -> Result<()> {
	let json_output = cli.json;
	let reporter = Reporter::stderr();
	match cli.command {
		Command::Chain(ChainCommand::Info) => {
			let client = ChainClient::connect(&cli.url).await?;
			let info = ChainInfo::fetch(&client).await?;
			emit(json_output, || info.to_string(), serde_json::to_value(&info)?)
		},
		Command::Key(command) => key_command(command, json_output),
		Command::Escrow(command) => escrow_command(&cli.url, command, json_output, reporter).await,
		Command::Recover(command) => {
			recover_command(&cli.url, command, json_output, reporter).await
		},
		Command::Ca(command) => ca_command(&cli.url, command, json_output, reporter).await,
		Command::Transfer(args) => {
			let client = connect(&cli.url).await?;
			let signer = parse_signer(&args.signer)?;
			let to = parse_account_or_key_file(&args.to)?;
			let amount = u128::from(args.amount) * UNIT;
			let inclusion = balances::transfer(
				&client,
				&signer,
				&to,
				amount,
				FINALITY_TIMEOUT,
				reporter.transaction("transfer"),
			)
			.await?;
			emit(
				json_output,
				|| {
					format!(
						"Sent {} UNIT to {to} (block #{}).",
						args.amount, inclusion.block.number
					)
				},
				json!({ "to": to.to_ss58check(), "amount": amount.to_string(), "inclusion": inclusion_json(&inclusion) }),
			)
		},
	}
}

fn key_json(key: &KeyMaterial, owner: &AccountId) -> Value {
	json!({
		"kind": kind_name(key.kind()),
		"fingerprint": format!("{:?}", key.fingerprint(owner)),
		"account": key.sr25519_pair().map(|p| AccountId::from(p.public()).to_ss58check()),
	})
}

fn key_command(command: KeyCommand, json_output: bool) -> Result<()> {
	let (key, out, force) = match command {
		KeyCommand::Generate { kind, out, force } => {
			(KeyMaterial::generate(parse_kind(&kind)?)?, out, force)
		},
		KeyCommand::Import { kind, secret_file, out, force } => {
			let text = if secret_file == Path::new("-") {
				let mut text = Zeroizing::new(String::new());
				std::io::stdin().read_line(&mut text)?;
				text
			} else {
				Zeroizing::new(
					std::fs::read_to_string(&secret_file)
						.map_err(|e| anyhow::anyhow!("{}: {e}", secret_file.display()))?,
				)
			};
			let line = text.lines().next().unwrap_or("");
			(KeyMaterial::parse(parse_kind(&kind)?, line)?, out, force)
		},
		KeyCommand::Show { key_file, owner } => {
			let key = KeyMaterial::read_file(&key_file)?;
			let owner =
				match owner {
					Some(owner) => parse_account(&owner)?,
					None => key.sr25519_pair().map(|p| AccountId::from(p.public())).ok_or_else(
						|| {
							anyhow::anyhow!("give --owner: a raw or ed25519 key's fingerprint depends on its owner")
						},
					)?,
				};
			let value = key_json(&key, &owner);
			return emit(json_output, || describe_key(&value), value.clone());
		},
	};
	key.write_file(&out, force)?;
	let owner =
		key.sr25519_pair().map(|p| AccountId::from(p.public())).unwrap_or(AccountId::new([0; 32]));
	let mut value = key_json(&key, &owner);
	value["file"] = json!(out.display().to_string());
	emit(
		json_output,
		|| format!("Wrote {} (mode 0600).\n{}", out.display(), describe_key(&value)),
		value.clone(),
	)
}

fn describe_key(value: &Value) -> String {
	let mut text = format!(
		"  kind         {}\n  fingerprint  {}",
		value["kind"].as_str().unwrap_or(""),
		value["fingerprint"].as_str().unwrap_or("")
	);
	if let Some(account) = value["account"].as_str() {
		text.push_str(&format!("\n  account      {account}"));
	}
	text
}

fn escrow_json(id: &sp_core::H256, record: &EscrowOf<Runtime>) -> Value {
	json!({
		"id": format!("{id:?}"),
		"owner": record.owner.to_ss58check(),
		"fingerprint": format!("{:?}", record.fingerprint),
		"keyKind": kind_name(record.key_kind),
		"threshold": record.threshold,
		"mode": format!("{:?}", record.mode),
		"generation": record.generation,
		"custodians": record.custodians.iter().map(|slot| json!({
			"account": slot.account.to_ss58check(),
			"key": format!("{:?}", slot.key),
			"acknowledged": slot.acknowledged,
		})).collect::<Vec<_>>(),
		"policy": {
			"recoveryKey": record.policy.recovery_key.map(|k| format!("0x{}", hex::encode(k.0))),
			"guardians": record.policy.guardians.iter().map(|g| g.to_ss58check()).collect::<Vec<_>>(),
			"guardianThreshold": record.policy.guardian_threshold,
			"authorities": record.policy.authorities.iter().map(|a| a.to_ss58check()).collect::<Vec<_>>(),
			"delay": record.policy.delay,
			"maxAttempts": record.policy.max_attempts,
		},
		"kdf": { "algorithm": "argon2id", "memoryKib": record.kdf.memory_kib, "iterations": record.kdf.iterations,
			"parallelism": record.kdf.parallelism },
		"createdAt": record.created_at,
	})
}

fn describe_escrow(value: &Value) -> String {
	let custodians: Vec<String> = value["custodians"]
		.as_array()
		.into_iter()
		.flatten()
		.enumerate()
		.map(|(i, c)| {
			format!(
				"    {i}: {}{}",
				c["account"].as_str().unwrap_or(""),
				if c["acknowledged"] == json!(false) { " (not acknowledged yet)" } else { "" }
			)
		})
		.collect();
	let policy = &value["policy"];
	format!(
		"Escrow {}\n  owner        {}\n  fingerprint  {} ({})\n  threshold    {} of {} ({}; generation {})\n  custodians\n{}\n  policy       recovery key: {}; guardians: {} of [{}]; authorities: [{}]; delay {} blocks; max attempts {}",
		value["id"].as_str().unwrap_or(""),
		value["owner"].as_str().unwrap_or(""),
		value["fingerprint"].as_str().unwrap_or(""),
		value["keyKind"].as_str().unwrap_or(""),
		value["threshold"],
		custodians.len(),
		value["mode"].as_str().unwrap_or(""),
		value["generation"],
		custodians.join("\n"),
		if policy["recoveryKey"].is_null() { "no" } else { "yes (from the passphrase)" },
		policy["guardianThreshold"],
		policy["guardians"].as_array().map(|g| g.iter().filter_map(|v| v.as_str()).collect::<Vec<_>>().join(", ")).unwrap_or_default(),
		policy["authorities"].as_array().map(|g| g.iter().filter_map(|v| v.as_str()).collect::<Vec<_>>().join(", ")).unwrap_or_default(),
		policy["delay"],
		policy["maxAttempts"],
	)
}

async fn escrow_command(
	url: &str,
	command: EscrowCommand,
	json_output: bool,
	reporter: Reporter,
) -> Result<()> {
	let client = connect(url).await?;
	match command {
		EscrowCommand::Create { key_file, signer, split, policy, passphrase: passphrase_args } => {
			let key = KeyMaterial::read_file(&key_file)?;
			let owner = signer_or_key(signer.as_deref(), &key)?;
			let options = escrow_options(&split, Some(&policy))?;
			let passphrase = passphrase(&passphrase_args, true)?;
			if passphrase.len() < MIN_PASSPHRASE_LEN {
				return Err(anyhow::anyhow!(
					"the passphrase needs at least {MIN_PASSPHRASE_LEN} characters"
				));
			}
			let started = Instant::now();
			let created =
				escrow::create(&client, &owner, &key, passphrase.as_bytes(), &options, reporter)
					.await?;
			if options.mode == StorageMode::CustodianHeld {
				deposit::deposit_created(
					&split.nodes,
					&created,
					&client,
					FINALITY_TIMEOUT,
					reporter,
				)
				.await?;
			}
			let value = json!({
				"id": format!("{:?}", created.id),
				"fingerprint": format!("{:?}", created.fingerprint),
				"custodians": created.custodians.iter().map(|(a, _)| a.to_ss58check()).collect::<Vec<_>>(),
				"threshold": options.threshold,
				"mode": format!("{:?}", options.mode),
				"inclusion": inclusion_json(&created.inclusion),
				"bytesOnChain": created.bytes_on_chain,
				"kdfMillis": created.timings.kdf.as_secs_f64() * 1e3,
				"splitAndSealMillis": created.timings.split_and_seal.as_secs_f64() * 1e3,
				"totalSeconds": started.elapsed().as_secs_f64(),
			});
			emit(
				json_output,
				|| {
					format!(
				"Escrowed key {} as {}.\n  {} of {} custodians: {}\n  finalized in block #{}; {} bytes on chain\n  Keep the escrow id and your passphrase: recovery needs both.",
				value["fingerprint"].as_str().unwrap_or(""), value["id"].as_str().unwrap_or(""), options.threshold,
				created.custodians.len(), value["custodians"].as_array().map(|c| c.iter().filter_map(|v| v.as_str()).collect::<Vec<_>>().join(", ")).unwrap_or_default(),
				created.inclusion.block.number, created.bytes_on_chain)
				},
				value.clone(),
			)
		},
		EscrowCommand::Show { id } => {
			let id = parse_escrow_id(&id)?;
			let record = client.existing_escrow(id).await?;
			let mut value = escrow_json(&id, &record);
			let status = recovery::status(&client, id).await?;
			value["request"] = request_json(&status);
			emit(
				json_output,
				|| format!("{}\n{}", describe_escrow(&value), describe_request(&value["request"])),
				value.clone(),
			)
		},
		EscrowCommand::List { owner } => {
			let owner = parse_account_or_key_file(&owner)?;
			let ids = client.escrows_of(&owner).await?;
			let mut list = Vec::new();
			for id in &ids {
				if let Some(record) = client.escrow(*id).await? {
					list.push(escrow_json(id, &record));
				}
			}
			emit(
				json_output,
				|| {
					if list.is_empty() {
						format!("{owner} has no escrows.")
					} else {
						list.iter()
							.map(|e| {
								format!(
									"{}  {} of {}  key {}",
									e["id"].as_str().unwrap_or(""),
									e["threshold"],
									e["custodians"].as_array().map(|c| c.len()).unwrap_or(0),
									e["fingerprint"].as_str().unwrap_or("")
								)
							})
							.collect::<Vec<_>>()
							.join("\n")
					}
				},
				json!(list),
			)
		},
		EscrowCommand::Health { id } => {
			let id = parse_escrow_id(&id)?;
			let health = client
				.escrow_health(id)
				.await?
				.ok_or_else(|| Error::NotFound { what: format!("escrow {id:?}") })?;
			let value = json!({ "threshold": health.threshold, "custodians": health.custodians, "live": health.live,
				"atRisk": health.at_risk, "unrecoverable": health.unrecoverable });
			emit(
				json_output,
				|| {
					format!(
						"{} of {} custodians live, threshold {}: {}",
						health.live,
						health.custodians,
						health.threshold,
						if health.unrecoverable {
							"UNRECOVERABLE — fewer live custodians than the threshold"
						} else if health.at_risk {
							"at risk — re-split with `custos escrow reshare`"
						} else {
							"healthy"
						}
					)
				},
				value,
			)
		},
		EscrowCommand::Remove { id, signer } => {
			let id = parse_escrow_id(&id)?;
			let owner = parse_signer(&signer)?;
			let inclusion = escrow::remove(&client, &owner, id, reporter).await?;
			emit(
				json_output,
				|| {
					format!(
						"Escrow {id:?} removed; deposits returned (block #{}).",
						inclusion.block.number
					)
				},
				json!({ "id": format!("{id:?}"), "inclusion": inclusion_json(&inclusion) }),
			)
		},
		EscrowCommand::Reshare { id, key_file, signer, split, passphrase: passphrase_args } => {
			let id = parse_escrow_id(&id)?;
			let key = KeyMaterial::read_file(&key_file)?;
			let owner = signer_or_key(signer.as_deref(), &key)?;
			let options = escrow_options(&split, None)?;
			let passphrase = passphrase(&passphrase_args, true)?;
			let created = escrow::reshare(
				&client,
				&owner,
				id,
				&key,
				passphrase.as_bytes(),
				&options,
				reporter,
			)
			.await?;
			if options.mode == StorageMode::CustodianHeld {
				deposit::deposit_created(
					&split.nodes,
					&created,
					&client,
					FINALITY_TIMEOUT,
					reporter,
				)
				.await?;
			}
			emit(
				json_output,
				|| {
					format!(
						"Escrow {id:?} re-split: {} of {} custodians (block #{}).",
						options.threshold,
						created.custodians.len(),
						created.inclusion.block.number
					)
				},
				json!({ "id": format!("{id:?}"), "custodians": created.custodians.iter().map(|(a, _)| a.to_ss58check()).collect::<Vec<_>>(), "inclusion": inclusion_json(&created.inclusion) }),
			)
		},
	}
}

fn request_json(status: &recovery::Status) -> Value {
	match &status.request {
		None => Value::Null,
		Some((request, phase)) => json!({
			"requester": request.requester.to_ss58check(),
			"phase": match phase {
				RequestPhase::AwaitingApproval => "awaiting-approval".to_string(),
				RequestPhase::Delay { release_at } => format!("delay (releasable at #{release_at})"),
				RequestPhase::Releasable => "releasable".to_string(),
				RequestPhase::Completed => "completed".to_string(),
				RequestPhase::Expired => "expired".to_string(),
			},
			"approvals": request.approvals.iter().map(|a| a.to_ss58check()).collect::<Vec<_>>(),
			"authorizedBy": request.authorized_by.as_ref().map(|a| a.to_ss58check()),
			"recoveryKeyVerified": request.recovery_key_verified,
			"releaseAt": request.release_at,
			"expiresAt": request.expires_at,
			"released": status.released.iter().map(|(i, who)| json!({ "index": i, "custodian": who.to_ss58check() })).collect::<Vec<_>>(),
			"threshold": status.escrow.threshold,
			"bestBlock": status.best,
		}),
	}
}

fn describe_request(value: &Value) -> String {
	if value.is_null() {
		return "  no open recovery request".into();
	}
	format!(
		"  recovery     {} by {}; approvals {}; {} of {} needed shares released; expires at #{} (now #{})",
		value["phase"].as_str().unwrap_or(""),
		value["requester"].as_str().unwrap_or(""),
		value["approvals"].as_array().map(|a| a.len()).unwrap_or(0),
		value["released"].as_array().map(|a| a.len()).unwrap_or(0),
		value["threshold"],
		value["expiresAt"],
		value["bestBlock"],
	)
}

async fn recover_command(
	url: &str,
	command: RecoverCommand,
	json_output: bool,
	reporter: Reporter,
) -> Result<()> {
	match command {
		RecoverCommand::Start { id, signer, state_dir, passphrase: passphrase_args } => {
			let client = connect(url).await?;
			let id = parse_escrow_id(&id)?;
			let requester = parse_signer(&signer)?;
			let record = client.existing_escrow(id).await?;
			let passphrase = match record.policy.recovery_key {
				Some(_) => Some(passphrase(&passphrase_args, false)?),
				None => None,
			};
			let state_dir = state_dir.unwrap_or_else(default_state_dir);
			let started = recovery::start(
				&client,
				&requester,
				id,
				passphrase.as_ref().map(|p| p.as_bytes()),
				&state_dir,
				reporter,
			)
			.await?;
			let value = json!({ "id": format!("{id:?}"), "requestFile": started.request_file.display().to_string(),
				"oneTimeKey": format!("{:?}", started.one_time_public), "inclusion": inclusion_json(&started.inclusion) });
			emit(
				json_output,
				|| {
					format!(
				"Recovery of {id:?} requested (block #{}).\n  one-time key saved in {}\n  Next: guardians approve (`custos recover approve`), the delay passes, then `custos recover collect`.",
				started.inclusion.block.number, started.request_file.display())
				},
				value.clone(),
			)
		},
		RecoverCommand::Status { id } => {
			let client = connect(url).await?;
			let id = parse_escrow_id(&id)?;
			let status = recovery::status(&client, id).await?;
			let value = request_json(&status);
			emit(json_output, || describe_request(&value), value.clone())
		},
		RecoverCommand::Approve { id, signer } => {
			let client = connect(url).await?;
			let id = parse_escrow_id(&id)?;
			let inclusion =
				recovery::approve(&client, &parse_signer(&signer)?, id, reporter).await?;
			emit(
				json_output,
				|| format!("Approved the recovery of {id:?} (block #{}).", inclusion.block.number),
				json!({ "inclusion": inclusion_json(&inclusion) }),
			)
		},
		RecoverCommand::Authorize { id, requester, signer, valid_for } => {
			let client = connect(url).await?;
			let id = parse_escrow_id(&id)?;
			let requester = parse_account_or_key_file(&requester)?;
			let inclusion = recovery::authorize(
				&client,
				&parse_signer(&signer)?,
				id,
				requester.clone(),
				valid_for,
				reporter,
			)
			.await?;
			emit(
				json_output,
				|| {
					format!("Authorized {requester} to recover {id:?} for {valid_for} blocks (block #{}).", inclusion.block.number)
				},
				json!({ "inclusion": inclusion_json(&inclusion) }),
			)
		},
		RecoverCommand::Cancel { id, signer } => {
			let client = connect(url).await?;
			let id = parse_escrow_id(&id)?;
			let inclusion =
				recovery::cancel(&client, &parse_signer(&signer)?, id, reporter).await?;
			emit(
				json_output,
				|| {
					format!("Cancelled the recovery of {id:?}; the requester's deposit went to the owner (block #{}).", inclusion.block.number)
				},
				json!({ "inclusion": inclusion_json(&inclusion) }),
			)
		},
		RecoverCommand::Collect {
			id,
			nodes,
			out,
			force,
			signer,
			wait,
			state_dir,
			passphrase: passphrase_args,
		} => {
			let id = parse_escrow_id(&id)?;
			if out.exists() && !force {
				return Err(anyhow::anyhow!(
					"{} exists already (choose another path, or --force)",
					out.display()
				));
			}
			let nodes = if nodes.is_empty() { vec![url.to_string()] } else { nodes };
			let state_dir = state_dir.unwrap_or_else(default_state_dir);
			let request = RequestFile::read(&RequestFile::path(&state_dir, &id))?;
			let requester = signer.as_deref().map(parse_signer).transpose()?;
			let passphrase = passphrase(&passphrase_args, false)?;
			let started = Instant::now();
			let collected =
				collect_when_released(&nodes, &request, passphrase.as_bytes(), wait, reporter)
					.await?;
			collect::write_key(&collected, &out, force)?;
			let seconds = started.elapsed().as_secs_f64();
			let mut closed = Value::Null;
			if let Some(requester) = requester {
				match ChainClient::connect(&nodes[0]).await {
					Ok(client) => match recovery::close(&client, &requester, id, reporter).await {
						Ok(inclusion) => closed = inclusion_json(&inclusion),
						Err(e) => reporter.warn(format!(
							"the key is written, but closing the request failed: {e}"
						)),
					},
					Err(e) => reporter
						.warn(format!("the key is written, but closing the request failed: {e}")),
				}
			}
			let value = json!({
				"id": format!("{id:?}"), "out": out.display().to_string(), "fingerprint": format!("{:?}", collected.fingerprint),
				"used": collected.used.iter().map(|(i, who)| json!({ "index": i, "custodian": who.to_ss58check() })).collect::<Vec<_>>(),
				"faulty": collected.faulty, "unreachable": collected.unreachable.iter().map(|(u, e)| json!({ "url": u, "reason": e })).collect::<Vec<_>>(),
				"closed": closed, "seconds": seconds,
			});
			emit(
				json_output,
				|| {
					let mut text = format!(
						"Recovered key {} into {} (mode 0600) from shares {}.",
						value["fingerprint"].as_str().unwrap_or(""),
						out.display(),
						collected
							.used
							.iter()
							.map(|(i, _)| i.to_string())
							.collect::<Vec<_>>()
							.join(", ")
					);
					for fault in &collected.faulty {
						text.push_str(&format!(
							"\n  custodian {} served a bad share {}: {}",
							fault.custodian, fault.index, fault.reason
						));
					}
					if !closed.is_null() {
						text.push_str("\n  request closed; deposit returned");
					}
					text
				},
				value.clone(),
			)
		},
	}
}

/// Collects once the escrow's threshold of shares is released (checked at each finalized
/// block, for at most `wait` seconds). If the first node cannot be asked, or the wait runs
/// out, it collects anyway: `collect` then says what is missing.
async fn collect_when_released(
	nodes: &[String],
	request: &RequestFile,
	passphrase: &[u8],
	wait: u64,
	reporter: Reporter,
) -> Result<collect::Collected> {
	if let Ok(client) = ChainClient::connect(&nodes[0]).await {
		let threshold = client.existing_escrow(request.escrow).await?.threshold as usize;
		if client.releases(request.escrow).await?.len() < threshold {
			reporter.step("waiting for custodians to release shares");
			let timeout = std::time::Duration::from_secs(wait);
			match recovery::wait_for_releases(&client, request.escrow, threshold, timeout).await {
				Ok(()) | Err(Error::Timeout { .. }) => {},
				Err(e) => return Err(e.into()),
			}
		}
	}
	Ok(collect::collect(nodes, request, passphrase, reporter).await?)
}

async fn ca_command(
	url: &str,
	command: CaCommand,
	json_output: bool,
	reporter: Reporter,
) -> Result<()> {
	let client = connect(url).await?;
	match command {
		CaCommand::Issue { signer, subject, role, x25519, measurement, valid_for } => {
			let role = parse_role(&role)?;
			let subject = parse_account_or_key_file(&subject)?;
			let keys = match x25519 {
				Some(key) => vec![PublicKey::X25519(parse_h256(&key, "X25519 key")?)],
				None if role == Role::Custodian => {
					return Err(anyhow::anyhow!(
						"a custodian certificate needs --x25519 <sealing key>"
					))
				},
				None => vec![],
			};
			let measurement = measurement.map(|m| parse_h256(&m, "measurement")).transpose()?;
			let inclusion = certificates::issue(
				&client,
				&parse_signer(&signer)?,
				subject.clone(),
				role,
				keys,
				measurement,
				valid_for,
				reporter,
			)
			.await?;
			emit(
				json_output,
				|| {
					format!(
						"Certified {subject} as {role:?} for {valid_for} blocks (block #{}).",
						inclusion.block.number
					)
				},
				json!({ "subject": subject.to_ss58check(), "role": format!("{role:?}"), "inclusion": inclusion_json(&inclusion) }),
			)
		},
		CaCommand::Revoke { signer, subject, role, reason } => {
			let role = parse_role(&role)?;
			let subject = parse_account_or_key_file(&subject)?;
			let inclusion = certificates::revoke(
				&client,
				&parse_signer(&signer)?,
				&subject,
				role,
				parse_reason(&reason)?,
				reporter,
			)
			.await?;
			emit(
				json_output,
				|| {
					format!(
						"Revoked the {role:?} certificate of {subject} (block #{}).",
						inclusion.block.number
					)
				},
				json!({ "subject": subject.to_ss58check(), "inclusion": inclusion_json(&inclusion) }),
			)
		},
	}
}
